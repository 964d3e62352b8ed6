//! End-to-end tests of the `taper` binary: every command and format, files, errors.

use serde_json::Value;

mod common;
use common::{assert_refused, plan_json as json_plan, taper};

fn ideal_doses(plan: &Value) -> Vec<f64> {
    plan["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["ideal_dose_mg"].as_f64().unwrap())
        .collect()
}

fn assert_close(actual: &[f64], expected: &[f64], tolerance: f64) {
    assert_eq!(actual.len(), expected.len(), "{actual:?} vs {expected:?}");
    for (a, e) in actual.iter().zip(expected) {
        assert!((a - e).abs() <= tolerance, "{actual:?} vs {expected:?}");
    }
}

#[test]
fn citalopram_aligned_10pp_gives_the_reference_doses() {
    let plan = json_plan(&["citalopram", "--from", "20mg", "--step-pp", "10", "--align"]);
    assert_close(
        &ideal_doses(&plan),
        &[20.0, 11.67, 5.83, 3.43, 2.12, 1.29, 0.73, 0.31, 0.0],
        0.01,
    );
    assert_eq!(plan["schema_version"], 1);
    assert_eq!(plan["curve"]["emax_pct"], 83.98);
    assert_eq!(plan["curve"]["ed50_mg"], 2.33);
    assert_eq!(plan["curve"]["evidence"], "secondary");
    assert_eq!(plan["rule"]["kind"], "step_pp");
    assert_eq!(plan["tool"]["name"], "taper");
    for key in ["drug", "curve", "rule", "steps", "warnings", "notice"] {
        assert!(plan.get(key).is_some(), "missing {key}");
    }
}

#[test]
fn ten_steps_give_the_reference_relative_example() {
    let plan = json_plan(&["citalopram", "--from", "20mg", "--steps", "10"]);
    let expected = [
        20.0, 9.69, 5.89, 3.92, 2.71, 1.89, 1.30, 0.86, 0.51, 0.23, 0.0,
    ];
    assert_close(&ideal_doses(&plan), &expected, 0.02);
    let falls: Vec<f64> = plan["steps"].as_array().unwrap()[1..]
        .iter()
        .map(|s| s["occupancy_drop_pp"].as_f64().unwrap())
        .collect();
    assert_close(&falls, &[7.5217; 10], 0.001);
}

#[test]
fn sertraline_by_brand_name_gives_the_reference_doses() {
    let plan = json_plan(&["Zoloft", "--from", "100", "--step-pp", "10", "--align"]);
    assert_eq!(plan["drug"]["name"], "sertraline");
    let expected = [
        100.0, 51.42, 24.55, 14.47, 9.19, 5.94, 3.73, 2.14, 0.94, 0.0,
    ];
    assert_close(&ideal_doses(&plan), &expected, 0.01);
}

#[test]
fn dates_are_contiguous_and_the_end_is_stated() {
    let plan = json_plan(&[
        "citalopram",
        "--from",
        "20mg",
        "--step-pp",
        "10",
        "--align",
        "--every",
        "2w",
        "--hold",
        "1=8w",
    ]);
    let steps = plan["steps"].as_array().unwrap();
    assert_eq!(steps[0]["start_date"], "2027-01-04");
    assert_eq!(steps[0]["end_date"], "2027-01-17");
    assert_eq!(steps[1]["days"], 56);
    assert_eq!(steps[1]["end_date"], "2027-03-14");
    assert_eq!(steps[2]["start_date"], "2027-03-15");
    let last = steps.last().unwrap();
    assert_eq!(last["dose_mg"], 0.0);
    assert_eq!(plan["stop_date"], last["start_date"]);
    // 14 + 56 + 6 × 14 days of dosing before the 0 mg step.
    assert_eq!(plan["total_days"], 154);
    assert_eq!(plan["last_dose_date"], "2027-06-06");
}

#[test]
fn percent_reports_the_occupancy_each_step_removes() {
    let plan = json_plan(&["citalopram", "--from", "20mg", "--percent", "25"]);
    let steps = plan["steps"].as_array().unwrap();
    assert!((steps[1]["ideal_dose_mg"].as_f64().unwrap() - 15.0).abs() < 1e-9);
    assert!(
        steps[1..]
            .iter()
            .all(|s| s["occupancy_drop_pp"].as_f64().unwrap() > 0.0)
    );
    assert_eq!(plan["rule"]["kind"], "percent");
    assert_eq!(plan["rule"]["percent"], 25.0);
}

#[test]
fn the_default_rule_is_named() {
    let plan = json_plan(&["citalopram", "--from", "20mg"]);
    assert_eq!(plan["rule"]["default"], true);
    // The fewest equal falls of at most 5 points: 75.22% / 5 → 16 falls of 4.70.
    assert_eq!(plan["rule"]["kind"], "steps");
    assert_eq!(plan["rule"]["count"], 16);
    let falls: Vec<f64> = plan["steps"].as_array().unwrap()[1..]
        .iter()
        .map(|s| s["occupancy_drop_pp"].as_f64().unwrap())
        .collect();
    assert!(
        falls.iter().all(|f| (f - 75.2172 / 16.0).abs() < 1e-3),
        "{falls:?}"
    );
    assert_eq!(plan["rule"]["every_days"], 28);
}

#[test]
fn a_small_remainder_step_is_flagged_not_hidden() {
    // 75.22% in whole 5-point steps leaves 0.22 points: the stop from 0.0060 mg.
    let plan = json_plan(&["citalopram", "--from", "20mg", "--step-pp", "5"]);
    let steps = plan["steps"].as_array().unwrap();
    let last = steps.last().unwrap();
    assert_eq!(last["flags"][0], "partial_step");
    assert!((last["occupancy_drop_pp"].as_f64().unwrap() - 0.2172).abs() < 1e-3);
    // With --align the remainder is taken first instead.
    let plan = json_plan(&["citalopram", "--from", "20mg", "--step-pp", "5", "--align"]);
    assert_eq!(plan["steps"][1]["flags"][0], "partial_step");
    assert!(
        plan["steps"].as_array().unwrap().last().unwrap()["flags"]
            .as_array()
            .unwrap()
            .is_empty()
    );
}

#[test]
fn a_start_dose_above_the_usual_maximum_warns() {
    let out = taper()
        .args([
            "plan",
            "citalopram",
            "--from",
            "80mg",
            "--format",
            "json",
            "--start",
            "2027-01-04",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let plan: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(plan["steps"][0]["flags"][0], "above_usual_max");
    assert!(
        plan["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w["code"] == "above_usual_max")
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("warning: [above_usual_max]"));
}

#[test]
fn a_minimum_dose_that_forbids_a_gentle_stop_is_flagged() {
    let plan = json_plan(&[
        "citalopram",
        "--from",
        "20mg",
        "--step-pp",
        "10",
        "--align",
        "--min-dose",
        "1mg",
    ]);
    let steps = plan["steps"].as_array().unwrap();
    assert_eq!(
        steps[steps.len() - 2]["ideal_dose_mg"]
            .as_f64()
            .unwrap()
            .round(),
        1.0
    );
    assert_eq!(steps.last().unwrap()["flags"][0], "final_stop_exceeds_step");
    assert!(
        plan["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w["code"] == "final_stop_exceeds_step")
    );
}

#[test]
fn every_flag_is_explained_in_warnings() {
    for args in [
        &["citalopram", "--from", "80mg", "--min-dose", "2mg"][..],
        &["citalopram", "--from", "20mg", "--step-pp", "90"][..],
        &["citalopram", "--from", "20mg", "--every", "7d"][..],
    ] {
        let plan = json_plan(args);
        let codes: Vec<&str> = plan["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|w| w["code"].as_str().unwrap())
            .collect();
        for step in plan["steps"].as_array().unwrap() {
            for flag in step["flags"].as_array().unwrap() {
                assert!(
                    codes.contains(&flag.as_str().unwrap()),
                    "{flag} unexplained for {args:?}"
                );
            }
        }
    }
}

#[test]
fn csv_goes_to_a_file_with_iso_dates_and_dot_decimals() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plan.csv");
    taper()
        .args([
            "plan",
            "citalopram",
            "--from",
            "20mg",
            "--step-pp",
            "10",
            "--align",
            "--start",
            "2027-01-04",
            "--format",
            "csv",
            "-o",
        ])
        .arg(&path)
        .env("LC_ALL", "de_DE.UTF-8")
        .assert()
        .success()
        .stdout("");
    let mut reader = csv::Reader::from_path(&path).unwrap();
    let headers = reader.headers().unwrap().clone();
    assert_eq!(&headers[0], "Kind");
    assert_eq!(&headers[5], "Dose mg/day");
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    // The summary row, then one per step.
    assert_eq!(rows.len(), 1 + 9);
    assert_eq!(&rows[2][2], "2027-02-01");
    assert_eq!(&rows[2][5], "11.67");
    let notes = headers.iter().position(|h| h == "Notes").unwrap();
    assert!(rows[0][notes].contains("review with the prescriber"));
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no temporary file left"
    );
}

#[test]
fn a_dose_typed_with_a_space_is_read_whole() {
    let plan = json_plan(&["citalopram", "--from", "20", "mcg"]);
    assert!((plan["start_dose_mg"].as_f64().unwrap() - 0.02).abs() < 1e-12);
    assert_eq!(plan["steps"][0]["flags"][0], "far_below_usual_min");
}

#[test]
fn dash_means_stdout() {
    taper()
        .args([
            "plan",
            "citalopram",
            "--from",
            "20mg",
            "--format",
            "csv",
            "-o",
            "-",
        ])
        .assert()
        .success()
        .stdout(predicates::str::starts_with("Kind,Step,From,To"));
}

#[test]
fn an_unwritable_output_is_exit_code_1_and_leaves_nothing() {
    let out = taper()
        .args([
            "plan",
            "citalopram",
            "--from",
            "20mg",
            "-o",
            "/nonexistent-dir/plan.txt",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "error: could not write /nonexistent-dir/plan.txt: its folder does not exist; create the folder or choose another -o path\n"
    );
}

#[test]
fn drugs_lists_the_catalog_in_both_formats() {
    let out = taper().arg("drugs").output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    for drug in [
        "citalopram",
        "escitalopram",
        "vortioxetine",
        "caudate*",
        "secondary",
    ] {
        assert!(text.contains(drug), "{drug} missing from:\n{text}");
    }
    let out = taper()
        .args(["drugs", "--format", "json"])
        .output()
        .unwrap();
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["drugs"].as_array().unwrap().len(), 9);
    assert_eq!(doc["drugs"][0]["curves"][0]["evidence"], "secondary");
}

#[test]
fn curve_shows_dose_and_occupancy_both_ways() {
    let out = taper()
        .args([
            "curve",
            "escitalopram",
            "--region",
            "thalamus",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["curve"]["region"], "thalamus");
    assert_eq!(doc["curve"]["emax_pct"], 78.67);
    assert!(
        doc["points"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["dose_mg"] == 20.0)
    );
    taper()
        .args(["curve", "celexa"])
        .assert()
        .success()
        .stdout(predicates::str::contains("75.2%"));
}

#[test]
fn a_drug_outside_the_catalog_needs_and_uses_a_supplied_curve() {
    let plan = json_plan(&[
        "fluvoxamine",
        "--from",
        "100mg",
        "--emax",
        "80",
        "--ed50",
        "20mg",
        "--steps",
        "4",
    ]);
    assert_eq!(plan["drug"]["name"], "fluvoxamine");
    assert_eq!(plan["curve"]["evidence"], "user");
    assert_eq!(plan["drug"]["usual_dose"], Value::Null);
    let codes: Vec<&str> = plan["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["code"].as_str().unwrap())
        .collect();
    assert!(
        codes.contains(&"drug_not_in_catalog") && codes.contains(&"curve_evidence"),
        "{codes:?}"
    );
    // 100 mg on Emax 80, ED50 20 is 66.67%; four equal falls of 16.67 points.
    assert!((plan["steps"][1]["occupancy_pct"].as_f64().unwrap() - 50.0).abs() < 1e-9);
    taper()
        .args(["plan", "fluvoxamine", "--from", "100mg"])
        .assert()
        .code(2);
}

#[test]
fn a_drug_file_adds_a_drug() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mydrug.toml");
    let text = std::fs::read_to_string("schedules/citalopram.toml")
        .unwrap()
        .replace("name = \"citalopram\"", "name = \"testopram\"")
        .replace(
            "brand_names = [\"Celexa\", \"Cipramil\"]",
            "brand_names = []",
        );
    std::fs::write(&path, text).unwrap();
    let out = taper()
        .args([
            "plan",
            "testopram",
            "--from",
            "20mg",
            "--format",
            "json",
            "--drug-file",
        ])
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let plan: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        plan["drug"]["catalog"]
            .as_str()
            .unwrap()
            .starts_with("drug file ")
    );
    assert!(
        plan["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w["code"] == "drug_file")
    );
}

/// Plans citalopram with the built-in citalopram file edited by `edit` as a drug file;
/// requires exit code 2 and returns stderr.
fn refused_drug_file(edit: impl Fn(String) -> String) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.toml");
    let text = std::fs::read_to_string("schedules/citalopram.toml").unwrap();
    std::fs::write(&path, edit(text)).unwrap();
    let out = taper()
        .args(["plan", "citalopram", "--from", "20mg", "--drug-file"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    String::from_utf8(out.stderr).unwrap()
}

#[test]
fn a_bad_drug_file_names_file_field_and_problem() {
    let err = refused_drug_file(|t| t.replace("ed50_mg = 2.33", "ed50_mg = -2.33"));
    assert!(
        err.contains("bad.toml") && err.contains("curves[0].ed50_mg") && err.contains("above 0"),
        "{err}"
    );

    // A drop size without the published wording it was read from is refused.
    let err = refused_drug_file(|t| {
        t.replace(
            "drop_as_published = \"8 mg of drops (4 drops) ≡ 10 mg tablet\"\n",
            "",
        )
    });
    assert!(
        err.contains("mg_per_drop") && err.contains("drop_as_published"),
        "{err}"
    );

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.toml");
    std::fs::write(&path, "name = \"x\"\nemax = 80\n").unwrap();
    let out = taper()
        .args(["drugs", "--drug-file"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("bad.toml") && err.contains("emax"), "{err}");
}

/// Bad inputs: each exits 2 with one line on stderr that names the problem, never a panic.
#[test]
fn bad_inputs_get_one_sentence_and_exit_code_2() {
    let cases: &[(&[&str], &str)] = &[
        (
            &["plan", "citalopran", "--from", "20mg"],
            "did you mean \"citalopram\"",
        ),
        (&["plan", "citalopram", "--from", "20 mL"], "concentration"),
        (&["plan", "citalopram", "--from", "-5mg"], "more than 0"),
        (&["plan", "citalopram", "--from", "20 kg"], "unknown unit"),
        (&["plan", "citalopram", "--from", "twenty"], "like 20mg"),
        (&["plan", "citalopram", "--from", "0"], "more than 0"),
        (&["plan", "citalopram"], "--from"),
        (
            &[
                "plan",
                "citalopram",
                "--from",
                "20mg",
                "--start",
                "2027-02-30",
            ],
            "does not exist on the calendar",
        ),
        (
            &[
                "plan",
                "citalopram",
                "--from",
                "20mg",
                "--start",
                "04/01/2027",
            ],
            "YYYY-MM-DD",
        ),
        (
            &["plan", "citalopram", "--from", "20mg", "--every", "1m"],
            "weeks",
        ),
        (
            &["plan", "citalopram", "--from", "20mg", "--every", "0d"],
            "between 1 day",
        ),
        (
            &[
                "plan",
                "citalopram",
                "--from",
                "20mg",
                "--step-pp",
                "5",
                "--steps",
                "10",
            ],
            "give only one of --step-pp, --steps and --percent",
        ),
        (
            &[
                "plan",
                "citalopram",
                "--from",
                "20mg",
                "--percent",
                "10",
                "--steps",
                "10",
            ],
            "give only one of --step-pp, --steps and --percent",
        ),
        (
            &["plan", "citalopram", "--from", "20mg", "--align"],
            "--step-pp",
        ),
        (
            &["plan", "citalopram", "--from", "20mg", "--step-pp", "0"],
            "above 0",
        ),
        (
            &["plan", "citalopram", "--from", "20mg", "--step-pp", "-5"],
            "above 0",
        ),
        (
            &["plan", "citalopram", "--from", "20mg", "--step-pp", "0.001"],
            "larger --step-pp",
        ),
        (
            &["plan", "citalopram", "--from", "20mg", "--percent", "100"],
            "below 100",
        ),
        (
            &["plan", "citalopram", "--from", "20mg", "--steps", "0"],
            "between 1",
        ),
        (
            &["plan", "citalopram", "--from", "20mg", "--region", "cortex"],
            "\"striatum\"",
        ),
        (
            &[
                "plan",
                "citalopram",
                "--from",
                "20mg",
                "--region",
                "striatum",
                "--emax",
                "80",
                "--ed50",
                "2",
            ],
            "give one or the other",
        ),
        (
            &["plan", "citalopram", "--from", "20mg", "--emax", "80"],
            "--ed50",
        ),
        (
            &[
                "plan",
                "citalopram",
                "--from",
                "20mg",
                "--emax",
                "0",
                "--ed50",
                "2",
            ],
            "--emax 0 is not an occupancy",
        ),
        (
            &["plan", "citalopram", "--from", "20mg", "--hold", "40=2w"],
            "steps 0 to",
        ),
        (
            &["plan", "citalopram", "--from", "20mg", "--hold", "1"],
            "--hold 1=8w",
        ),
        (
            &["plan", "citalopram", "--from", "20mg", "--min-dose", "30mg"],
            "--min-dose",
        ),
        (
            &["plan", "citalopram", "--from", "20mg", "--format", "pdf"],
            "invalid value",
        ),
        (
            &[
                "plan",
                "citalopram",
                "--from",
                "20mg",
                "--drug-file",
                "/nonexistent.toml",
            ],
            "cannot be read",
        ),
        (
            &[
                "plan",
                "citalopram",
                "--from",
                "20mg",
                "--start",
                "9999-12-01",
                "--every",
                "52w",
            ],
            // Issue 15: dates outside 1900–2200 are refused before any is computed.
            "1900 to 2200",
        ),
        (
            &["curve", "citalopram", "--region", "thalamus"],
            "\"striatum\"",
        ),
        (&["frobnicate"], "unrecognized subcommand 'frobnicate'"),
        (
            &["plna", "citalopram"],
            "a similar subcommand exists: 'replan, plan'",
        ),
        (
            &["plan", "--from"],
            "a value is required for '--from <DOSE>'",
        ),
        (
            &["plan", "citalopram", "--from", "20mg", "--stepp", "5"],
            "a similar argument exists: '--step-pp'",
        ),
        (
            &["plan", "citalopram", "--from", "20", "mL"],
            "concentration",
        ),
        (
            &["plan", "citalopram", "extra", "--from", "20"],
            "unexpected argument \"extra\"",
        ),
    ];
    for (args, expected) in cases {
        assert_refused(args, expected);
    }
}

#[test]
fn help_and_version_exit_0() {
    taper()
        .arg("--help")
        .assert()
        .success()
        .stdout(predicates::str::contains("plan"));
    taper()
        .args(["plan", "--help"])
        .assert()
        .success()
        .stdout(predicates::str::contains("--step-pp"));
    taper()
        .arg("--version")
        .assert()
        .success()
        .stdout(predicates::str::contains(env!("CARGO_PKG_VERSION")));
}

#[test]
fn the_output_extension_picks_the_format() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plan.json");
    taper()
        .args(["plan", "citalopram", "--from", "20mg", "-o"])
        .arg(&path)
        .assert()
        .success();
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(doc["schema_version"], 1);
}

#[test]
fn writing_to_dev_null_leaves_the_device_alone() {
    taper()
        .args(["plan", "citalopram", "--from", "20mg", "-o", "/dev/null"])
        .assert()
        .success();
    assert!(!std::fs::metadata("/dev/null").unwrap().is_file());
}

#[test]
fn drugs_without_a_curve_get_a_specific_answer() {
    assert_refused(
        &["plan", "fluvoxamine", "--from", "100mg"],
        "no SERT occupancy curve was found for fluvoxamine",
    );
    assert_refused(
        &["plan", "bupropion", "--from", "150mg"],
        "barely binds the serotonin transporter",
    );
}

#[test]
fn a_drug_file_cannot_take_another_drugs_name() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("clash.toml");
    let text = std::fs::read_to_string("schedules/citalopram.toml")
        .unwrap()
        .replace("name = \"citalopram\"", "name = \"mycit\"");
    std::fs::write(&path, text).unwrap();
    let out = taper()
        .args(["plan", "Celexa", "--from", "20mg", "--drug-file"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("already means citalopram"));
}

#[test]
fn huge_steps_and_impossible_occupancies_are_flagged() {
    let plan = json_plan(&["citalopram", "--from", "20mg", "--percent", "99"]);
    assert_eq!(plan["steps"][1]["flags"][0], "large_step");
    let plan = json_plan(&["desvenlafaxine", "--from", "400mg", "--region", "amygdala"]);
    assert!(
        plan["steps"][0]["flags"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f == "occupancy_above_100")
    );
    // A --min-dose that makes a single big stop names --min-dose.
    let plan = json_plan(&[
        "citalopram",
        "--from",
        "20mg",
        "--steps",
        "10",
        "--min-dose",
        "19mg",
    ]);
    let last = plan["steps"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["flags"][0], "final_stop_exceeds_step");
}
