//! Input leniency that hides mistakes (issue 15, item 8): a `--hold` the plan never
//! reaches, an error about a `--benzo-file` that names the wrong option, and empty paths
//! in a request are each refused in one sentence with exit code 2, never dropped.

mod common;
use common::{assert_refused, plan_json, taper};

/// The plan of issue 15: 10 mg tablets halved cannot make citalopram's tail, so the
/// plan ends held at step 3 (ideal steps 3 to 6 merged), long before the curve's
/// step 12.
const HELD: &[&str] = &[
    "plan",
    "citalopram",
    "--from",
    "20mg",
    "--tablets",
    "10",
    "--split",
    "half",
];

#[test]
fn a_hold_past_a_held_end_is_refused_not_dropped() {
    let args = [HELD, &["--hold", "12=20w"]].concat();
    assert_refused(&args, "--hold 12=… would change nothing");
    assert_refused(&args, "ends at step 3");
    // Ideal step 7 is the stop the held end replaced: also past the end.
    assert_refused(&[HELD, &["--hold", "7=8w"]].concat(), "--hold 7=");
}

#[test]
fn a_hold_on_a_merged_step_the_plan_reaches_still_lengthens_it() {
    let base = plan_json(&HELD[1..]);
    let held = plan_json(&[&HELD[1..], &["--hold", "6=20w"]].concat());
    let days = |plan: &serde_json::Value| plan["steps"][3]["days"].as_u64().unwrap();
    assert_eq!(days(&held), days(&base) - 28 + 140);
}

#[test]
fn a_hold_on_the_stop_or_after_it_is_refused() {
    // 16 steps by default: step 16 is the stop, 0 mg.
    let plan = ["plan", "citalopram", "--from", "20mg"];
    assert_refused(&[&plan[..], &["--hold", "16=8w"]].concat(), "plan stops on");
    // The step before the stop is still a dose, and its hold is kept.
    let kept = plan_json(&["citalopram", "--from", "20mg", "--hold", "15=8w"]);
    assert_eq!(kept["steps"][15]["days"], 56);
}

#[test]
fn a_hold_past_the_end_in_a_batch_line_is_that_lines_error() {
    let out = taper()
        .arg("batch")
        .write_stdin(
            "{\"drug\":\"citalopram\",\"from\":\"20mg\",\"tablets\":[10],\"split\":\"half\",\"hold\":[\"12=20w\"]}\n",
        )
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let line: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(line["field"], "hold");
    assert_eq!(line["code"], "no_effect");
}

#[test]
fn a_bad_benzo_file_is_named_as_a_benzo_file() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.toml");
    std::fs::write(&bad, "name = \"x\"\n").unwrap();
    let bad = bad.to_str().unwrap();
    let session = [
        "--ketamine",
        "2027-02-03T10:00",
        "--benzo",
        "diazepam",
        "--benzo-dose",
        "5mg",
        "--benzo-times",
        "08:00",
        "--benzo-file",
        bad,
    ];
    let expected = format!("--benzo-file {bad}: ");
    assert_refused(
        &[&["plan", "citalopram", "--from", "20mg"][..], &session].concat(),
        &expected,
    );
    assert_refused(&[&["ketamine"][..], &session].concat(), &expected);
    let out = taper()
        .args(["plan", "citalopram", "--from", "20mg", "--drug-file", bad])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).starts_with(&format!("error: --drug-file {bad}: "))
    );
}

#[test]
fn empty_paths_are_refused_with_exit_code_2() {
    let dir = tempfile::tempdir().unwrap();
    for (field, extra) in [
        ("drug_file", r#""drug_file":[""]"#),
        (
            "benzo_file",
            r#""ketamine":["2027-02-03T10:00"],"benzo":["diazepam"],"benzo_dose":["5mg"],"benzo_times":["08:00"],"benzo_file":[""]"#,
        ),
    ] {
        let request = dir.path().join(format!("{field}.json"));
        std::fs::write(
            &request,
            format!(r#"{{"drug":"citalopram","from":"20mg",{extra}}}"#),
        )
        .unwrap();
        let request = request.to_str().unwrap();
        assert_refused(
            &["plan", "--request", request, "--allow-files"],
            &format!("\"{field}\" is empty"),
        );
    }
    let output = dir.path().join("output.json");
    std::fs::write(
        &output,
        r#"{"drug":"citalopram","from":"20mg","output":""}"#,
    )
    .unwrap();
    assert_refused(
        &["plan", "--request", output.to_str().unwrap()],
        "\"output\"",
    );
    assert_refused(
        &["plan", "citalopram", "--from", "20mg", "-o", ""],
        "--output",
    );
    assert_refused(
        &["plan", "citalopram", "--from", "20mg", "--drug-file", ""],
        "--drug-file",
    );
}
