//! Fuzzing catalog files (issue 15, item 7): each case takes a real `schedules/*.toml`
//! drug file, mutates it as a careless edit or a hostile file would (numbers made NaN,
//! infinite, negative, zero, huge or subnormal; fields dropped or duplicated; unknown
//! keys; long strings; control characters; arrays emptied or filled), and plans with it
//! as a `--drug-file`. For every case: no panic, exit code 0 or 2, an error is one line
//! that does not quote the file, and every number in the JSON plan is finite.
//!
//! Benzodiazepine files (`--benzo-file`, through `taper ketamine`) are fuzzed the same way.
//!
//! `cargo test` runs a short pass; a longer one: `PROPTEST_CASES=3000 cargo test
//! --release --test fuzz_catalog`.

mod common;
use common::taper;
use proptest::prelude::*;
use serde_json::Value;

/// The built-in drug files (not the guardrails, handout, ketamine or syringe files).
const DRUGS: &[&str] = &[
    "citalopram",
    "desvenlafaxine",
    "duloxetine",
    "escitalopram",
    "fluoxetine",
    "paroxetine",
    "sertraline",
    "venlafaxine",
    "vortioxetine",
];

/// Keys whose text is one of a few words: free text there only tests serde's enums.
const ENUMS: &[&str] = &[
    "market",
    "form",
    "release",
    "evidence",
    "hill_evidence",
    "region",
    "default_region",
    "name",
    "usage",
];

/// Text put into string fields; an error that quotes the file would show it.
const MARKER: &str = "QUOTEDFROMTHEFILE";

#[derive(Debug, Clone)]
enum Mutation {
    /// Replace the value of the n-th line whose value is a number (or an array of
    /// numbers), keeping the type, so most files still parse and reach the checks.
    Number(usize, String),
    /// Replace the value of the n-th line whose value is a string, keeping the type.
    Text(usize, String),
    /// Replace the value of the n-th `key = value` line with anything.
    Value(usize, String),
    /// Drop the n-th `key = value` line.
    Drop(usize),
    /// Insert an unknown key after the n-th line.
    Unknown(usize),
    /// Insert a line of junk after the n-th line.
    Junk(usize, String),
}

fn number() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("nan".to_string()),
        Just("inf".to_string()),
        Just("-inf".to_string()),
        Just("-1.0".to_string()),
        Just("-0.0".to_string()),
        Just("0".to_string()),
        Just("0.0".to_string()),
        Just("1e308".to_string()),
        Just("1e-320".to_string()),
        Just("1e-9".to_string()),
        Just("99999999999999999999".to_string()),
        Just("1e6".to_string()),
        (0.0f64..2000.0).prop_map(|x| format!("{x:?}")),
        (-5i64..200).prop_map(|x| x.to_string()),
    ]
}

fn string() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("\"\"".to_string()),
        Just(format!("\"{MARKER}\\u001b[31m\"")),
        Just(format!("\"{MARKER}\\u0007\\n\\u000b\"")),
        Just(format!("\"{MARKER}\\t\"")),
        Just(format!("'{MARKER}\u{202e}\u{200b}'")),
        (1usize..5000).prop_map(|n| format!("\"{MARKER}{}\"", "x".repeat(n))),
        "[a-z ]{0,12}".prop_map(|s| format!("\"{s}\"")),
        Just("\"us\"".to_string()),
        Just("\"uk\"".to_string()),
        Just("\"tablet\"".to_string()),
        Just("\"liquid\"".to_string()),
        Just("\"verified\"".to_string()),
    ]
}

fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        5 => number(),
        3 => string(),
        1 => Just("[]".to_string()),
        1 => proptest::collection::vec(number(), 1..6).prop_map(|v| format!("[{}]", v.join(", "))),
        1 => (1usize..3000).prop_map(|n| format!("[{}]", vec!["5.0"; n].join(", "))),
        1 => Just("true".to_string()),
        1 => Just("{ a = 1 }".to_string()),
    ]
}

fn numbers() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => number(),
        1 => proptest::collection::vec(number(), 1..6).prop_map(|v| format!("[{}]", v.join(", "))),
        1 => (1usize..3000).prop_map(|n| format!("[{}]", vec!["5.0"; n].join(", "))),
    ]
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        8 => (any::<usize>(), numbers()).prop_map(|(i, v)| Mutation::Number(i, v)),
        3 => (any::<usize>(), string()).prop_map(|(i, v)| Mutation::Text(i, v)),
        1 => (any::<usize>(), value()).prop_map(|(i, v)| Mutation::Value(i, v)),
        1 => any::<usize>().prop_map(Mutation::Drop),
        1 => any::<usize>().prop_map(Mutation::Unknown),
        1 => (any::<usize>(), prop_oneof![
            Just("[[curves]]".to_string()),
            Just("[[products]]".to_string()),
            Just("[half_life]".to_string()),
            Just("= = =".to_string()),
            Just(format!("{MARKER} \u{1b}")),
        ]).prop_map(|(i, j)| Mutation::Junk(i, j)),
    ]
}

/// `text` with `mutations` applied to its `key = value` lines.
fn mutate(text: &str, mutations: &[Mutation]) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let is_pair = |l: &str| {
        let l = l.trim_start();
        !l.starts_with('#') && !l.starts_with('[') && l.contains(" = ")
    };
    let value_of = |l: &str| {
        l.split_once(" = ")
            .map_or("", |(_, v)| v)
            .trim()
            .to_string()
    };
    let is_number = |v: &str| {
        v.trim_start_matches('[')
            .split(',')
            .next()
            .is_some_and(|n| n.trim().trim_end_matches(']').parse::<f64>().is_ok())
    };
    for m in mutations {
        let pairs: Vec<usize> = (0..lines.len()).filter(|&i| is_pair(&lines[i])).collect();
        if pairs.is_empty() {
            break;
        }
        let of_kind = |number: bool| -> Vec<usize> {
            pairs
                .iter()
                .copied()
                .filter(|&i| {
                    let v = value_of(&lines[i]);
                    if number {
                        is_number(&v)
                    } else {
                        v.starts_with('"')
                    }
                })
                .collect()
        };
        match m {
            Mutation::Number(n, v) | Mutation::Text(n, v) => {
                let kind = of_kind(matches!(m, Mutation::Number(..)));
                if kind.is_empty() {
                    continue;
                }
                let i = kind[n % kind.len()];
                let (key, old) = lines[i].split_once(" = ").unwrap();
                let key = key.to_string();
                // Keep the shape: a number for a number, an array for an array, and
                // free text only where the file has free text (not an enum's value).
                let v = match (old.trim_start().starts_with('['), v.starts_with('[')) {
                    (true, false) => format!("[{v}]"),
                    (false, true) => v
                        .trim_matches(['[', ']'])
                        .split(',')
                        .next()
                        .unwrap_or("0")
                        .trim()
                        .to_string(),
                    _ => v.clone(),
                };
                if matches!(m, Mutation::Text(..)) && ENUMS.contains(&key.trim()) {
                    continue;
                }
                lines[i] = format!("{key} = {v}");
            }
            Mutation::Value(n, v) => {
                let i = pairs[n % pairs.len()];
                let key = lines[i].split(" = ").next().unwrap().to_string();
                lines[i] = format!("{key} = {v}");
            }
            Mutation::Drop(n) => {
                lines.remove(pairs[n % pairs.len()]);
            }
            Mutation::Unknown(n) => {
                let i = n % lines.len();
                lines.insert(i + 1, format!("zz_unknown_{i} = \"{MARKER}\""));
            }
            Mutation::Junk(n, junk) => {
                let i = n % lines.len();
                lines.insert(i + 1, junk.clone());
            }
        }
    }
    lines.join("\n") + "\n"
}

/// Every number in `value` is finite and no figure is `null`.
fn check_numbers(value: &Value, key: &str) -> Result<(), String> {
    match value {
        Value::Null
            if [
                "dose_mg",
                "ideal_dose_mg",
                "start_dose_mg",
                "occupancy_pct",
                "occupancy_drop_pp",
                "emax_pct",
                "ed50_mg",
                "hill",
                "hours_min",
                "hours_max",
                "total_days",
                "days",
            ]
            .contains(&key) =>
        {
            Err(format!("{key} is null"))
        }
        Value::Number(n) if !n.as_f64().is_some_and(f64::is_finite) => Err(format!("{key}: {n}")),
        Value::Array(items) => items.iter().try_for_each(|v| check_numbers(v, key)),
        Value::Object(map) => map.iter().try_for_each(|(k, v)| check_numbers(v, k)),
        _ => Ok(()),
    }
}

fn products() -> impl Strategy<Value = Vec<&'static str>> {
    prop_oneof![
        Just(vec![]),
        Just(vec!["--form", "auto"]),
        Just(vec!["--form", "auto", "--market", "uk"]),
        Just(vec!["--form", "liquid"]),
        Just(vec!["--form", "tablet", "--split", "half"]),
        Just(vec!["--form", "capsule"]),
    ]
}

/// Runs `args` with the mutated file at `file` and checks the contract; `text` is the
/// file, shown when a case fails.
fn check_run(args: &[&str], file: &std::path::Path, text: &str) -> Result<(), TestCaseError> {
    let out = taper().args(args).arg(file).output().unwrap();
    let code = out.status.code();
    let stderr = String::from_utf8_lossy(&out.stderr);
    prop_assert!(
        matches!(code, Some(0) | Some(2)),
        "exit {code:?}: {stderr}\n{text}"
    );
    prop_assert!(!stderr.contains("panicked"), "{stderr}");
    if code == Some(2) {
        prop_assert!(out.stdout.is_empty());
        prop_assert_eq!(stderr.trim_end().lines().count(), 1, "{}", stderr);
        prop_assert!(stderr.starts_with("error: "), "{stderr}");
        // An error about the file itself (it does not parse or validate) says where
        // and what, never what the file holds. An error planning with a file that
        // loaded may show its entry's text, as the plan would (a tail remedy).
        if stderr.starts_with("error: --drug-file ") || stderr.starts_with("error: --benzo-file ") {
            prop_assert!(!stderr.contains(MARKER), "quotes the file: {stderr}");
            prop_assert!(stderr.len() < 1000, "error of {} bytes", stderr.len());
        }
        prop_assert!(
            !stderr.trim_end().contains(|c: char| c.is_control()),
            "{stderr:?}"
        );
    } else {
        let plan: Value = serde_json::from_slice(&out.stdout)
            .map_err(|e| TestCaseError::fail(format!("not JSON: {e}\n{text}")))?;
        let numbers = check_numbers(&plan, "");
        prop_assert!(numbers.is_ok(), "{:?}\n{}", numbers, text);
        for line in stderr.lines() {
            prop_assert!(!line.contains(|c: char| c.is_control()), "{line:?}");
        }
    }
    Ok(())
}

/// The built-in benzodiazepine files (`schedules/benzodiazepines/`).
const BENZOS: &[&str] = &[
    "alprazolam",
    "chlordiazepoxide",
    "clobazam",
    "clonazepam",
    "clorazepate",
    "diazepam",
    "eszopiclone",
    "lorazepam",
    "nitrazepam",
    "oxazepam",
    "temazepam",
    "triazolam",
    "zaleplon",
    "zolpidem",
    "zopiclone",
];

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(48)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]
    #[test]
    fn mutated_drug_files_are_planned_or_refused_in_one_line(
        drug in proptest::sample::select(DRUGS),
        mutations in proptest::collection::vec(mutation(), 1..4),
        from in proptest::sample::select(vec!["20mg", "60mg", "5mg", "0.5mg"]),
        products in products(),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let original = std::fs::read_to_string(
            format!("{}/schedules/{drug}.toml", env!("CARGO_MANIFEST_DIR")),
        ).unwrap();
        let file = dir.path().join("drug.toml");
        let text = mutate(&original, &mutations);
        std::fs::write(&file, &text).unwrap();
        let args = [
            &["plan", drug, "--from", from, "--start", "2027-01-04", "--format", "json"][..],
            &products,
            &["--drug-file"],
        ]
        .concat();
        check_run(&args, &file, &text)?;
    }

    #[test]
    fn mutated_benzo_files_are_planned_or_refused_in_one_line(
        benzo in proptest::sample::select(BENZOS),
        mutations in proptest::collection::vec(mutation(), 1..4),
        dose in proptest::sample::select(vec!["1mg", "10mg", "0.25mg"]),
        taper_too in any::<bool>(),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let original = std::fs::read_to_string(format!(
            "{}/schedules/benzodiazepines/{benzo}.toml",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        let file = dir.path().join("benzo.toml");
        let text = mutate(&original, &mutations);
        std::fs::write(&file, &text).unwrap();
        let mut args = vec![
            "ketamine", "--start", "2027-01-04", "--ketamine-series", "2027-02-03T10:00,3,2d",
            "--benzo", benzo, "--benzo-dose", dose, "--benzo-times", "08:00,20:00",
            "--format", "json",
        ];
        if taper_too {
            args.extend(["--benzo-taper", "10%/2w"]);
        }
        args.push("--benzo-file");
        check_run(&args, &file, &text)?;
    }
}
