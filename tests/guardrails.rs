//! Safety gates (issue 12): thresholds from `schedules/guardrails.toml` with their
//! sources, severities, the `danger` headline in every format, `"status"` in JSON, and
//! `--strict` for pipelines.

mod common;
use common::{assert_refused, plan_json, taper};
use serde_json::Value;

fn codes(plan: &Value) -> Vec<(String, String)> {
    plan["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| {
            (
                w["code"].as_str().unwrap().to_string(),
                w["severity"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn has(plan: &Value, code: &str, severity: &str) -> bool {
    codes(plan).iter().any(|(c, s)| c == code && s == severity)
}

/// The rounded sertraline plan ends in a 57-point cliff.
const CLIFF: &[&str] = &[
    "sertraline",
    "--from",
    "100mg",
    "--form",
    "tablet",
    "--market",
    "uk",
    "--split",
    "half",
];

#[test]
fn a_cliff_is_danger_with_a_headline_and_needs_review() {
    let plan = plan_json(CLIFF);
    // Issue 11: no stop row, so no 57-point step; the plan ends held at 12.5 mg and
    // its headline says why, which doses are missing and what would make them.
    assert!(
        has(&plan, "final_fall_too_large", "danger"),
        "{:?}",
        codes(&plan)
    );
    assert_eq!(plan["status"], "needs_review");
    assert_eq!(plan["ending"], "held");
    let headline = plan["headline"].as_str().unwrap();
    assert!(
        headline.starts_with("Needs review before it is followed: No stop date"),
        "{headline}"
    );
    assert!(headline.contains("stopping from 12.50 mg would remove 56.9 percentage points"));
    assert!(headline.contains("oral suspension 50 mg/5 mL"));
    // Danger comes first in the warnings.
    assert_eq!(plan["warnings"][0]["severity"], "danger");
}

#[test]
fn a_plan_without_danger_is_ok_and_has_no_headline() {
    let plan = plan_json(&["citalopram", "--from", "20mg", "--steps", "10"]);
    assert_eq!(plan["status"], "ok");
    assert!(plan.get("headline").is_none());
}

#[test]
fn the_headline_comes_first_in_every_format() {
    for format in ["table", "markdown", "html", "ics", "fhir"] {
        let out = taper()
            .args(["plan"])
            .args(CLIFF)
            .args(["--start", "2027-01-04", "--format", format])
            .output()
            .unwrap();
        assert!(out.status.success());
        let text = String::from_utf8(out.stdout).unwrap();
        let headline = text.find("DANGER: Needs review").unwrap_or_else(|| {
            panic!("{format}: no headline");
        });
        // Before the steps and before the notice, whatever the format calls them.
        let first_step = text.find("Step 1").or_else(|| text.find("step 1"));
        assert!(first_step.is_none_or(|s| headline < s), "{format}");
        assert!(
            headline < text.find("This plan is for review").unwrap(),
            "{format}"
        );
    }
}

#[test]
fn strict_exits_4_after_writing_a_plan_that_needs_review() {
    let out = taper()
        .args(["plan"])
        .args(CLIFF)
        .args(["--start", "2027-01-04", "--format", "json", "--strict"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4));
    let plan: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(plan["status"], "needs_review");
    // Without danger, --strict changes nothing.
    taper()
        .args(["plan", "citalopram", "--from", "20mg", "--strict"])
        .assert()
        .success();
}

#[test]
fn a_percent_rule_faster_than_the_practical_range_is_caution_citing_maudsley() {
    let plan = plan_json(&["sertraline", "--from", "100mg", "--percent", "75"]);
    assert!(has(&plan, "percent_above_usual_range", "caution"));
    let w = plan["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["code"] == "percent_above_usual_range")
        .unwrap();
    assert!(w["message"].as_str().unwrap().contains("Maudsley"));
    let gentle = plan_json(&["sertraline", "--from", "100mg", "--percent", "20"]);
    assert!(!has(&gentle, "percent_above_usual_range", "caution"));
}

#[test]
fn a_curve_given_by_hand_is_checked_and_named_in_the_notice() {
    // Emax above 100% is no occupancy.
    assert_refused(
        &[
            "plan",
            "citalopram",
            "--from",
            "20mg",
            "--emax",
            "120",
            "--ed50",
            "2",
        ],
        "--emax 120 is not an occupancy",
    );
    // A Hill coefficient no fit has (20 → 1.23 mg in one step, "5 points" on this
    // curve): danger, since no published fit backs the doses.
    let steep = plan_json(&[
        "citalopram",
        "--from",
        "20mg",
        "--emax",
        "80",
        "--ed50",
        "0.5",
        "--hill",
        "3",
    ]);
    assert!(
        has(&steep, "custom_curve_hill", "danger"),
        "{:?}",
        codes(&steep)
    );
    assert_eq!(steep["status"], "needs_review");
    assert!(
        steep["notice"]
            .as_str()
            .unwrap()
            .contains("given by the user")
    );
    // 30% at most, ED50 50 mg: the usual doses sit on the steep part of the curve.
    let flat = plan_json(&[
        "citalopram",
        "--from",
        "20mg",
        "--emax",
        "30",
        "--ed50",
        "50",
    ]);
    assert!(
        has(&flat, "custom_curve_min_dose", "danger"),
        "{:?}",
        codes(&flat)
    );
    let catalog = plan_json(&["citalopram", "--from", "20mg"]);
    assert!(
        catalog["notice"]
            .as_str()
            .unwrap()
            .contains("published occupancy curves")
    );
}

#[test]
fn snris_say_that_only_the_serotonin_transporter_is_modelled() {
    for drug in ["venlafaxine", "duloxetine", "desvenlafaxine"] {
        let plan = plan_json(&[drug, "--from", "60mg"]);
        assert!(has(&plan, "serotonin_only", "caution"), "{drug}");
    }
    let ssri = plan_json(&["sertraline", "--from", "100mg"]);
    assert!(!has(&ssri, "serotonin_only", "caution"));
}

#[test]
fn the_plan_schema_lists_every_code_with_its_severity() {
    let out = taper().args(["schema", "plan"]).output().unwrap();
    let schema: Value = serde_json::from_slice(&out.stdout).unwrap();
    let codes = schema["$defs"]["Code"]["oneOf"].as_array().unwrap();
    for code in taper::plan::Code::ALL {
        assert!(
            codes.iter().any(|c| c["const"] == code.as_str()),
            "{code} missing from the schema"
        );
    }
    let severities = schema["$defs"]["Severity"]["oneOf"].as_array().unwrap();
    assert_eq!(severities.len(), 3);
}
