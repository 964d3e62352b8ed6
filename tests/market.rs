//! Market truth (issue 11, item 4 and 5): concentrates that must be diluted say so in
//! every dose's instruction, with their label as source; drop bottles with an in-use
//! shelf life are counted by that life; catalog gaps closed where a source exists.

mod common;

use common::{plan_json, run};
use serde_json::Value;

fn instructions(plan: &Value) -> Vec<String> {
    plan["steps"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| s["instructions"].as_str().map(str::to_string))
        .filter(|s| s != "stop" && !s.is_empty())
        .collect()
}

#[test]
fn the_us_sertraline_concentrate_is_diluted_in_every_dose() {
    let plan = plan_json(&[
        "sertraline",
        "--from",
        "50mg",
        "--liquid",
        "20mg/ml",
        "--market",
        "us",
        "--syringe",
        "0.01ml",
    ]);
    let lines = instructions(&plan);
    assert!(lines.len() > 5, "{lines:?}");
    for line in &lines {
        assert!(
            line.starts_with("draw ")
                && line.contains("of the oral concentrate 20 mg/mL")
                && line.ends_with(
                    "mix it with 4 ounces (½ cup) of water, ginger ale, lemon/lime soda, lemonade or orange juice only, and take it straight away"
                ),
            "{line}"
        );
    }
    // One draw: "… (12 mg) and mix it …"; in parts: "…; then mix it …".
    assert!(lines.iter().any(|l| l.contains(" mg) and mix it with")));
    // The label is quoted, with its source, among the product notes.
    let caveats = plan["formulation"]["caveats"].to_string();
    assert!(
        caveats.contains("must be diluted before use") && caveats.contains("Patient Counseling"),
        "{caveats}"
    );
}

#[test]
fn the_uk_sertraline_concentrate_is_diluted_and_the_suspension_is_not() {
    let concentrate = plan_json(&[
        "sertraline",
        "--from",
        "100mg",
        "--liquid",
        "100mg/5ml",
        "--market",
        "uk",
    ]);
    for line in instructions(&concentrate) {
        assert!(
            line.contains("of the oral concentrate 100 mg/5 mL")
                && line.contains(
                    " mg) and dilute it just before taking it, as the leaflet that comes with it says"
                ),
            "{line}"
        );
    }
    let suspension = plan_json(&[
        "sertraline",
        "--from",
        "100mg",
        "--liquid",
        "50mg/5ml",
        "--market",
        "uk",
    ]);
    for line in instructions(&suspension) {
        assert!(
            !line.contains("dilute") && !line.contains("mix it"),
            "{line}"
        );
    }
}

#[test]
fn the_handout_names_the_dilution_once_a_month() {
    let html = run(&[
        "plan",
        "sertraline",
        "--from",
        "10mg",
        "--liquid",
        "20mg/ml",
        "--market",
        "us",
        "--syringe",
        "0.01ml",
        "--daily",
        "--format",
        "handout",
    ]);
    assert!(
        html.contains("Each dose this month is of the oral concentrate 20 mg/mL: mix it with 4 ounces (½ cup) of water"),
        "{html}"
    );
}
