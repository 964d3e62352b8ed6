//! Fuzzing request JSON through `taper batch` (issue 15, item 7): generated lines mix
//! real fields with hostile values (huge and tiny numbers, long and control-laden text,
//! many sessions, dose times and strengths). For every batch: no panic or abort, exit
//! code 0 or 3, one result line per input line, every number finite and no `null`
//! where a number belongs.
//!
//! `cargo test` runs a short pass; a longer one: `PROPTEST_CASES=2000 cargo test
//! --release --test fuzz` (each case is one batch of up to 8 lines).

mod common;
use common::taper;
use proptest::prelude::*;
use serde_json::{Value, json};

fn text() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(json!("20mg")),
        Just(json!("2027-02-03T10:00")),
        Just(json!("2027-01-04")),
        Just(json!("08:00,20:00")),
        Just(json!("2027-02-03T10:00,100,1d")),
        Just(json!("lorazepam")),
        Just(json!("12h")),
        "[a-z0-9:,. -]{0,20}".prop_map(Value::from),
        "\\PC{0,8}[\\x00-\\x1f]\\PC{0,8}".prop_map(Value::from),
        (1usize..2000).prop_map(|n| Value::from("x".repeat(n))),
    ]
}

fn number() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(json!(1e308)),
        Just(json!(1e-308)),
        Just(json!(0)),
        Just(json!(-5)),
        (0.0f64..1000.0).prop_map(Value::from),
        any::<u32>().prop_map(Value::from),
    ]
}

fn value() -> impl Strategy<Value = Value> {
    prop_oneof![
        4 => text(),
        3 => number(),
        1 => any::<bool>().prop_map(Value::from),
        2 => proptest::collection::vec(prop_oneof![text(), number()], 0..30).prop_map(Value::from),
    ]
}

fn line() -> impl Strategy<Value = Value> {
    let fields = taper::request::known_fields().to_vec();
    (
        proptest::sample::select(vec![
            "citalopram",
            "sertraline",
            "fluoxetine",
            "Lexapro",
            "x",
        ]),
        prop_oneof![Just(json!("20mg")), number(), text()],
        proptest::collection::vec((proptest::sample::select(fields), value()), 0..6),
    )
        .prop_map(|(drug, from, extra)| {
            let mut map = serde_json::Map::new();
            map.insert("drug".into(), json!(drug));
            map.insert("from".into(), from);
            map.insert("start".into(), json!("2027-01-04"));
            for (key, value) in extra {
                if !matches!(key, "drug_file" | "benzo_file") {
                    map.insert(key.to_string(), value);
                }
            }
            Value::Object(map)
        })
}

/// Every number is finite (serde_json cannot hold others, but a renderer could write
/// `null` for one) and no key that holds a figure is `null`.
fn check_numbers(value: &Value, key: &str) -> Result<(), String> {
    match value {
        Value::Null
            if [
                "dose_mg",
                "ideal_dose_mg",
                "occupancy_pct",
                "emax_pct",
                "ed50_mg",
                "hill",
                "daily_mg",
                "diazepam_equivalent_mg_per_day",
                "lorazepam_equivalent_mg_per_day",
                "hours_since_last_dose",
                "min",
                "max",
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

proptest! {
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(24)
    ))]
    #[test]
    fn batches_of_hostile_lines_are_answered_line_by_line(
        lines in proptest::collection::vec(line(), 1..8)
    ) {
        let input: String = lines.iter().map(|l| format!("{l}\n")).collect();
        let out = taper().arg("batch").write_stdin(input).output().unwrap();
        let code = out.status.code();
        prop_assert!(matches!(code, Some(0) | Some(3)), "exit {code:?}: {}", String::from_utf8_lossy(&out.stderr));
        let stdout = String::from_utf8(out.stdout).unwrap();
        let results: Vec<Value> = stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
        prop_assert_eq!(results.len(), lines.len());
        for result in &results {
            prop_assert!(check_numbers(result, "").is_ok(), "{:?}", check_numbers(result, ""));
            if result["ok"] == false {
                let error = result["error"].as_str().unwrap();
                prop_assert!(error.len() < 2000, "error of {} bytes", error.len());
                prop_assert!(!error.contains(|c: char| c.is_control()), "{error:?}");
            }
        }
    }
}
