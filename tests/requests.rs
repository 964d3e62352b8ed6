//! Property tests over generated requests (issue 10): drugs, rules, products, daily
//! rows and ketamine options, planned through the library's one entry point and, for
//! the flags-versus-JSON property, through the binary as a person and a pipeline call
//! it. On every final plan:
//! - each warning's text names only the steps its `steps` list, and every flag on a
//!   step is explained by a warning naming that step;
//! - doses fall step by step and daily doses never rise;
//! - the same request as flags and as JSON gives byte-identical output, or the same
//!   refusal with exit code 2.

mod common;
use common::taper;
use proptest::prelude::*;
use serde_json::{Map, Value, json};
use taper::Catalogs;
use taper::plan::{Code, Plan};

/// One generated request, as (flag, value) pairs in the order the flags are given;
/// a value of `None` is a switch like `--daily`.
#[derive(Debug, Clone)]
struct Generated {
    drug: &'static str,
    from_mg: f64,
    options: Vec<(&'static str, Option<String>)>,
}

const DRUGS: &[(&str, f64)] = &[
    ("citalopram", 20.0),
    ("escitalopram", 10.0),
    ("sertraline", 100.0),
    ("paroxetine", 20.0),
    ("fluoxetine", 20.0),
    ("venlafaxine", 150.0),
    ("duloxetine", 60.0),
];

fn rule() -> impl Strategy<Value = Vec<(&'static str, Option<String>)>> {
    prop_oneof![
        Just(Vec::new()),
        (1.0f64..30.0, any::<bool>()).prop_map(|(pp, align)| {
            let mut o = vec![("step-pp", Some(format!("{pp:.2}")))];
            if align {
                o.push(("align", None));
            }
            o
        }),
        (1u32..25).prop_map(|n| vec![("steps", Some(n.to_string()))]),
        (5.0f64..60.0).prop_map(|p| vec![("percent", Some(format!("{p:.1}")))]),
    ]
}

fn products() -> impl Strategy<Value = Vec<(&'static str, Option<String>)>> {
    prop_oneof![
        Just(Vec::new()),
        (
            prop_oneof![Just("10"), Just("5,10,20"), Just("25,50"), Just("20")],
            prop_oneof![Just("none"), Just("half"), Just("quarter")]
        )
            .prop_map(|(t, s)| vec![
                ("tablets", Some(t.to_string())),
                ("split", Some(s.to_string()))
            ]),
        (
            prop_oneof![Just("2mg/ml"), Just("10mg/5ml"), Just("1mg/ml")],
            prop_oneof![Just("0.1ml"), Just("0.05ml")]
        )
            .prop_map(|(l, s)| vec![
                ("liquid", Some(l.to_string())),
                ("syringe", Some(s.to_string()))
            ]),
        prop_oneof![Just("us"), Just("uk")].prop_map(|m| vec![
            ("form", Some("auto".to_string())),
            ("market", Some(m.to_string()))
        ]),
    ]
}

fn ketamine() -> impl Strategy<Value = Vec<(&'static str, Option<String>)>> {
    prop_oneof![
        Just(Vec::new()),
        (
            prop_oneof![Just("lorazepam"), Just("diazepam"), Just("clonazepam")],
            prop_oneof![Just("12h"), Just("24h"), Just("night-before")],
            1u32..6,
        )
            .prop_map(|(drug, hold, count)| vec![
                (
                    "ketamine-series",
                    Some(format!("2027-02-03T10:00,{count},3d"))
                ),
                ("benzo", Some(drug.to_string())),
                ("benzo-dose", Some("1mg".to_string())),
                ("benzo-times", Some("08:00,21:00".to_string())),
                ("benzo-hold", Some(hold.to_string())),
            ]),
    ]
}

fn generated() -> impl Strategy<Value = Generated> {
    (
        0..DRUGS.len(),
        0.2f64..1.5,
        prop_oneof![Just("2w"), Just("4w"), Just("10d")],
        rule(),
        products(),
        any::<bool>(),
        ketamine(),
    )
        .prop_map(|(d, fraction, every, rule, products, daily, ketamine)| {
            let (drug, usual) = DRUGS[d];
            let mut options = vec![
                ("plan-id", Some("prop-plan".to_string())),
                ("start", Some("2027-01-04".to_string())),
                ("every", Some(every.to_string())),
            ];
            options.extend(rule);
            options.extend(products);
            if daily {
                options.push(("daily", None));
            }
            options.extend(ketamine);
            Generated {
                drug,
                // Whole hundredths of a mg, so flags and JSON read the same number.
                from_mg: (usual * fraction * 100.0).round() / 100.0,
                options,
            }
        })
}

impl Generated {
    fn flags(&self) -> Vec<String> {
        let mut args = vec![
            "plan".to_string(),
            self.drug.to_string(),
            "--from".to_string(),
            format!("{}mg", self.from_mg),
        ];
        for (flag, value) in &self.options {
            args.push(format!("--{flag}"));
            args.extend(value.clone());
        }
        args
    }

    fn json(&self) -> Value {
        let mut request = Map::new();
        request.insert("drug".into(), json!(self.drug));
        request.insert("from".into(), json!(self.from_mg));
        for (flag, value) in &self.options {
            let key = flag.replace('-', "_");
            let value = match (key.as_str(), value) {
                (_, None) => json!(true),
                ("tablets", Some(v)) => {
                    json!(
                        v.split(',')
                            .map(|s| s.parse::<f64>().unwrap())
                            .collect::<Vec<_>>()
                    )
                }
                ("step_pp" | "percent", Some(v)) => json!(v.parse::<f64>().unwrap()),
                ("steps", Some(v)) => json!(v.parse::<u32>().unwrap()),
                ("ketamine_series" | "benzo" | "benzo_dose" | "benzo_times", Some(v)) => {
                    json!([v])
                }
                (_, Some(v)) => json!(v),
            };
            request.insert(key, value);
        }
        Value::Object(request)
    }

    fn plan(&self, catalogs: &Catalogs) -> taper::Result<Plan> {
        let request = taper::request::from_json(&self.json().to_string())?;
        taper::make_plan(catalogs, &request)
    }
}

/// The step numbers a warning's text names: "Step 4", "step 4", "steps 3, 5" (but not
/// "Ideal steps 3–6", which are numbered by the unrounded plan).
fn steps_named(message: &str) -> Vec<usize> {
    let mut named = Vec::new();
    let words: Vec<&str> = message.split_whitespace().collect();
    for (i, word) in words.iter().enumerate() {
        let lower = word.to_ascii_lowercase();
        if !(lower == "step" || lower == "steps") || (i > 0 && words[i - 1] == "Ideal") {
            continue;
        }
        for next in &words[i + 1..] {
            let digits = next.trim_end_matches([',', '.', ':', ';', ')']);
            match digits.parse::<usize>() {
                Ok(n) => named.push(n),
                Err(_) => break,
            }
            if !next.ends_with(',') {
                break;
            }
        }
    }
    named
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn every_final_plan_explains_its_flags_and_never_rises(request in generated()) {
        let catalogs = Catalogs::embedded().unwrap();
        let Ok(plan) = request.plan(&catalogs) else {
            // Refusals are checked against the binary below.
            return Ok(());
        };
        for w in &plan.warnings {
            for n in steps_named(&w.message) {
                prop_assert!(w.steps.contains(&n), "[{}] names step {} but concerns {:?}: {}", w.code, n, w.steps, w.message);
            }
            if w.code != Code::ShortSteps {
                for &n in &w.steps {
                    prop_assert!(plan.steps[n].flags.contains(&w.code), "[{}] concerns step {} but it is not flagged", w.code, n);
                }
            }
        }
        for s in &plan.steps {
            for code in &s.flags {
                prop_assert!(plan.warnings.iter().any(|w| w.code == *code && w.steps.contains(&s.step)), "step {} flag {} unexplained", s.step, code);
            }
        }
        for pair in plan.steps.windows(2) {
            prop_assert!(pair[1].dose_mg < pair[0].dose_mg, "step {} does not fall: {} → {}", pair[1].step, pair[0].dose_mg, pair[1].dose_mg);
        }
        // A plan ends in a 0 mg stop, or, when its products cannot make the tail, held
        // at its last dose with a danger headline and no stop date (issue 11).
        match plan.ending {
            taper::formulation::Ending::Stop => prop_assert_eq!(plan.steps.last().unwrap().dose_mg, 0.0),
            taper::formulation::Ending::Held => {
                prop_assert!(plan.steps.last().unwrap().dose_mg > 0.0);
                prop_assert!(plan.stop_date.is_none() && plan.headline.is_some());
            }
        }
        if let Some(days) = &plan.daily {
            for pair in days.windows(2) {
                prop_assert!(pair[1].dose_mg <= pair[0].dose_mg + 1e-12, "day {} rises", pair[1].day);
            }
        }
        if let (Some(days), taper::formulation::Ending::Stop) = (&plan.daily, plan.ending) {
            // Issue 12: a daily plan does not end with an overnight fall larger than the
            // step table's stop, which the stop checks judge against the plan's steps
            // (final_stop_exceeds_step, final_fall_too_large): the last day's dose is
            // the last step's, so the glide adds no cliff of its own.
            let overnight = days.iter().rev().find(|d| d.dose_mg > 0.0).map_or(0.0, |d| d.occupancy_pct);
            let stop = plan.steps.last().unwrap().occupancy_drop_pp;
            prop_assert!((overnight - stop).abs() < 1e-6, "overnight fall of {overnight:.2} pp, the stop step removes {stop:.2}");
        }
        let danger = plan.warnings.iter().any(|w| w.severity == taper::plan::Severity::Danger);
        prop_assert_eq!(plan.status == taper::plan::Status::NeedsReview, danger);
        prop_assert_eq!(plan.headline.is_some(), danger);
        let severities: Vec<_> = plan.warnings.iter().map(|w| w.severity).collect();
        prop_assert!(severities.windows(2).all(|p| p[0] >= p[1]), "not most severe first: {:?}", severities);
    }
}

proptest! {
    // Each case runs the binary twice.
    #![proptest_config(ProptestConfig::with_cases(40))]

    #[test]
    fn flags_and_json_give_the_same_plan_or_the_same_refusal(request in generated()) {
        let flags = request.flags();
        let by_flags = taper().args(&flags).args(["--format", "json"]).output().unwrap();
        let by_json = taper()
            .args(["plan", "--request", "-", "--format", "json"])
            .write_stdin(request.json().to_string())
            .output()
            .unwrap();
        prop_assert_eq!(by_flags.status.code(), by_json.status.code(), "{:?}", flags);
        match by_flags.status.code() {
            Some(0) => prop_assert!(by_flags.stdout == by_json.stdout, "{:?}: outputs differ", flags),
            Some(2) => {
                // The same refusal, with the option spelt as each was written.
                let as_flags = String::from_utf8_lossy(&by_flags.stderr).to_string();
                let as_json = String::from_utf8_lossy(&by_json.stderr).to_string();
                prop_assert_eq!(as_flags.lines().count(), 1);
                prop_assert_eq!(as_json.lines().count(), 1);
            }
            other => prop_assert!(false, "{:?}: exit {:?}", flags, other),
        }
    }
}

#[test]
fn steps_named_reads_the_step_numbers_of_a_message() {
    assert_eq!(steps_named("Step 4 removes 57.3 points"), [4]);
    assert_eq!(
        steps_named("Ideal steps 7–16 ask …, so the plan stops at step 4 instead"),
        [4]
    );
    assert_eq!(steps_named("before steps 1, 2, 3."), [1, 2, 3]);
    assert!(steps_named("e.g. --step-pp 5").is_empty());
}
