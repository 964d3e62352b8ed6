//! `taper today` (issue 13, item 3): what a plan document says for one day.

mod common;
use common::{assert_refused, run, taper};
use serde_json::Value;

fn plan_file(dir: &std::path::Path, args: &[&str]) -> String {
    let path = dir.join("plan.json");
    let path = path.to_str().unwrap().to_string();
    run(&[
        &["plan"],
        args,
        &["--start", "2027-01-04", "--format", "json", "-o", &path],
    ]
    .concat());
    path
}

fn today(plan: &str, on: &str) -> Value {
    serde_json::from_str(&run(&[
        "today", "--plan", plan, "--on", on, "--format", "json",
    ]))
    .unwrap()
}

#[test]
fn before_during_and_after_the_taper() {
    let dir = tempfile::tempdir().unwrap();
    let plan = plan_file(
        dir.path(),
        &[
            "citalopram",
            "--from",
            "20mg",
            "--tablets",
            "10,20",
            "--split",
            "half",
        ],
    );
    let before = today(&plan, "2027-01-01");
    assert_eq!(before["day"]["kind"], "before_start");
    assert_eq!(before["day"]["days_until_start"], 3);
    let during = today(&plan, "2027-02-03");
    assert_eq!(during["day"]["kind"], "dose");
    assert_eq!(during["day"]["step"], 1);
    assert_eq!(during["day"]["dose_mg"], 15.0);
    assert_eq!(
        during["day"]["instructions"],
        "1 × 10 mg tablet + ½ × 10 mg tablet"
    );
    assert_eq!(during["day"]["next_change"], "2027-03-01");
    assert_eq!(during["day"]["days_until_next_change"], 26);
    // Halves of 10 mg cannot make the tail: the plan ends held at 5 mg (issue 11).
    let after = today(&plan, "2030-01-01");
    assert_eq!(after["day"]["kind"], "held");
    assert_eq!(after["day"]["dose_mg"], 5.0);
    // A plan without products ends in a stop.
    let other = tempfile::tempdir().unwrap();
    let stopped = plan_file(other.path(), &["citalopram", "--from", "20mg"]);
    assert_eq!(today(&stopped, "2030-01-01")["day"]["kind"], "stopped");
    // The words say the same.
    let text = run(&["today", "--plan", &plan, "--on", "2027-02-03"]);
    assert!(
        text.contains("step 1, citalopram 15 mg (1 × 10 mg tablet + ½ × 10 mg tablet)"),
        "{text}"
    );
    assert!(text.contains("in 26 days"), "{text}");
}

#[test]
fn daily_plans_give_the_days_dose_and_holds_are_flagged_never_stopped() {
    let dir = tempfile::tempdir().unwrap();
    let plan = plan_file(
        dir.path(),
        &[
            "sertraline",
            "--from",
            "100mg",
            "--daily",
            "--ketamine",
            "2027-02-03T10:00",
            "--benzo",
            "lorazepam",
            "--benzo-dose",
            "1mg",
            "--benzo-times",
            "08:00,21:00",
        ],
    );
    let day = today(&plan, "2027-02-03");
    assert_eq!(day["sessions"], serde_json::json!([1]));
    let held = &day["held_doses"][0];
    assert_eq!(held["action"], "hold — confirm with prescriber");
    // A daily plan's dose changes the next day.
    assert_eq!(day["day"]["days_until_next_change"], 1);
    let text = run(&["today", "--plan", &plan, "--on", "2027-02-03"]);
    assert!(text.contains("hold — confirm with prescriber"));
    assert!(!text.to_lowercase().contains("stop your"));
}

#[test]
fn a_plan_that_needs_review_says_so_first() {
    let dir = tempfile::tempdir().unwrap();
    let plan = plan_file(
        dir.path(),
        &[
            "sertraline",
            "--from",
            "100mg",
            "--form",
            "tablet",
            "--market",
            "uk",
            "--split",
            "half",
        ],
    );
    let text = run(&["today", "--plan", &plan, "--on", "2027-01-10"]);
    assert!(text.starts_with("DANGER: Needs review"), "{text}");
}

#[test]
fn what_is_not_a_plan_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let other = dir.path().join("other.json");
    std::fs::write(&other, r#"{"hello": 1}"#).unwrap();
    assert_refused(
        &["today", "--plan", other.to_str().unwrap()],
        "--plan is not a taper plan document",
    );
    let old = dir.path().join("old.json");
    let plan = plan_file(dir.path(), &["citalopram", "--from", "20mg"]);
    let text = std::fs::read_to_string(plan)
        .unwrap()
        .replace("\"schema_version\": 1", "\"schema_version\": 9");
    std::fs::write(&old, text).unwrap();
    assert_refused(
        &["today", "--plan", old.to_str().unwrap()],
        "schema_version 9",
    );
    assert_refused(
        &["today", "--plan", "/nonexistent/plan.json"],
        "cannot be read",
    );
    let out = taper()
        .args(["today", "--plan", "-", "--on", "2027-02-30"])
        .write_stdin("{}")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}
