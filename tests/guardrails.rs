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

/// Issue 12: fluoxetine in 4-week steps changes the dose before norfluoxetine (4–16
/// days) has settled; a caution names the half-life, cites the rule and suggests the
/// --every that would let each step settle. Drugs that settle within a step, and a
/// weakly active metabolite (desmethylsertraline), draw nothing.
#[test]
fn steps_shorter_than_five_half_lives_of_the_longest_lived_moiety_are_caution() {
    let plan = plan_json(&["fluoxetine", "--from", "20mg"]);
    assert!(
        has(&plan, "step_before_steady_state", "caution"),
        "{:?}",
        codes(&plan)
    );
    let warning = (plan["warnings"].as_array().unwrap().iter())
        .find(|w| w["code"] == "step_before_steady_state")
        .unwrap();
    let message = warning["message"].as_str().unwrap();
    for part in [
        "norfluoxetine's half-life is 4–16 days",
        "20–80 days",
        "StatPearls",
        "--every 80d",
    ] {
        assert!(message.contains(part), "{part}: {message}");
    }
    // Every dose change after the first, the stop included, comes too early.
    let last = plan["steps"].as_array().unwrap().len() - 1;
    let steps: Vec<u64> = (warning["steps"].as_array().unwrap().iter())
        .map(|s| s.as_u64().unwrap())
        .collect();
    assert_eq!(steps, (2..=last as u64).collect::<Vec<_>>());
    assert_eq!(plan["status"], "ok", "caution alone needs no review");

    // The suggestion works: steps of 80 days let each settle.
    let slow = plan_json(&["fluoxetine", "--from", "20mg", "--every", "80d"]);
    assert!(!has(&slow, "step_before_steady_state", "caution"));
    for settled in [
        &["sertraline", "--from", "50mg", "--every", "14d"][..],
        &["vortioxetine", "--from", "20mg", "--every", "14d"],
        &["citalopram", "--from", "20mg", "--every", "14d"],
    ] {
        let plan = plan_json(settled);
        assert!(
            !codes(&plan)
                .iter()
                .any(|(c, _)| c == "step_before_steady_state"),
            "{settled:?}"
        );
    }
}

/// Issue 12 item 8: escitalopram's regions differ 2–3× in the last doses. The plan says
/// what each region's curve gives for the same request; its default region's reason says
/// no study of escitalopram decides it, instead of resting on a study that did not
/// include it. Drugs with one region say nothing of regions.
#[test]
fn drugs_with_several_regions_show_the_last_dose_on_each() {
    for (drug, from) in [("escitalopram", "10mg"), ("desvenlafaxine", "50mg")] {
        let plan = plan_json(&[drug, "--from", from]);
        let warning = (plan["warnings"].as_array().unwrap().iter())
            .find(|w| w["code"] == "other_regions")
            .unwrap_or_else(|| panic!("{drug}: {:?}", codes(&plan)));
        assert_eq!(warning["severity"], "info");
        let message = warning["message"].as_str().unwrap();
        // The plan's own last dose, and one figure for each other region.
        let steps = plan["steps"].as_array().unwrap();
        let last = steps[steps.len() - 2]["dose_mg"].as_f64().unwrap();
        assert!(
            message.contains(&format!(
                "this plan's last dose before stopping is {}",
                taper_dose(last)
            )),
            "{message}"
        );
        assert_eq!(message.matches(" mg on the ").count(), 4, "{message}");
        let reason = plan["curve"]["region_reason"].as_str().unwrap();
        assert!(
            reason.starts_with(&format!(
                "default region: no study of {drug} says which region"
            )),
            "{reason}"
        );
        // Each other region's figure is what planning on it gives.
        let region = if drug == "escitalopram" {
            "putamen"
        } else {
            "thalamus"
        };
        let other = plan_json(&[drug, "--from", from, "--region", region]);
        let steps = other["steps"].as_array().unwrap();
        let last = steps[steps.len() - 2]["dose_mg"].as_f64().unwrap();
        assert!(
            message.contains(&format!("{} mg on the {region} curve", taper_dose(last))),
            "{message}"
        );
    }
    let plan = plan_json(&["sertraline", "--from", "50mg"]);
    assert!(!codes(&plan).iter().any(|(c, _)| c == "other_regions"));
}

/// A dose as plans print it: 2 decimals from 0.1 mg, 3 significant figures below.
fn taper_dose(mg: f64) -> String {
    taper::text::fmt_dose(mg)
}

/// Issue 12 item 6: `--percent 10` ends escitalopram at 0.016 mg after 4.75 years; a
/// plan longer than the horizon in schedules/guardrails.toml says so, citing it as
/// taper's own guard.
#[test]
fn a_plan_beyond_the_horizon_is_caution_with_its_length_and_last_dose() {
    let plan = plan_json(&["escitalopram", "--from", "10mg", "--percent", "10"]);
    let warning = (plan["warnings"].as_array().unwrap().iter())
        .find(|w| w["code"] == "beyond_horizon")
        .unwrap_or_else(|| panic!("{:?}", codes(&plan)));
    assert_eq!(warning["severity"], "caution");
    let message = warning["message"].as_str().unwrap();
    for part in [
        "1736 days",
        "730 days",
        "taper's own guard",
        "unverified",
        "0.0162 mg",
    ] {
        assert!(message.contains(part), "{part}: {message}");
    }
    let usual = plan_json(&["escitalopram", "--from", "10mg"]);
    assert!(!codes(&usual).iter().any(|(c, _)| c == "beyond_horizon"));
}

/// Issue 12 item 4: venlafaxine 300 mg is above the US label's 225 mg/day but within
/// the UK SmPC's 375 mg/day. With UK products it is not flagged; with US products, or
/// none, it is, and the message names the UK label's maximum with its source.
#[test]
fn the_usual_maximum_is_the_products_markets() {
    let flagged = |extra: &[&str]| {
        let plan = plan_json(&[&["venlafaxine", "--from", "300mg"], extra].concat());
        (plan["warnings"].as_array().unwrap().iter())
            .find(|w| w["code"] == "above_usual_max")
            .map(|w| w["message"].as_str().unwrap().to_string())
    };
    assert_eq!(flagged(&["--tablets", "75", "--market", "uk"]), None);
    for extra in [&[][..], &["--tablets", "75", "--market", "us"]] {
        let message = flagged(extra).unwrap_or_else(|| panic!("{extra:?}: not flagged"));
        for part in [
            "usual maximum of 225 mg/day",
            "in the US label",
            "The UK label allows up to 375 mg/day",
            "medicines.org.uk",
        ] {
            assert!(message.contains(part), "{extra:?} {part}: {message}");
        }
    }
    // Above every market's maximum: flagged whatever the market, naming no other label.
    let plan = plan_json(&[
        "venlafaxine",
        "--from",
        "400mg",
        "--tablets",
        "75",
        "--market",
        "uk",
    ]);
    let message = (plan["warnings"].as_array().unwrap().iter())
        .find(|w| w["code"] == "above_usual_max")
        .map(|w| w["message"].as_str().unwrap().to_string())
        .unwrap();
    assert!(
        message.contains("usual maximum of 375 mg/day for venlafaxine in the UK label"),
        "{message}"
    );
    assert!(!message.contains("allows up to"), "{message}");
}
