//! End-to-end tests of the ketamine sessions and benzodiazepine hold windows (issue 4's
//! checks), through the binary.

use serde_json::Value;

mod common;
use common::{assert_refused, run_json, taper};

fn ketamine_json(args: &[&str]) -> Value {
    run_json(
        &[
            &["ketamine", "--start", "2027-01-04", "--format", "json"],
            args,
        ]
        .concat(),
    )
}

fn held_at(doc: &Value, session: usize) -> Vec<String> {
    doc["ketamine"]["sessions"][session]["held_doses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["at"].as_str().unwrap().to_string())
        .collect()
}

fn codes(doc: &Value) -> Vec<String> {
    doc["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["code"].as_str().unwrap().to_string())
        .collect()
}

const LORAZEPAM: &[&str] = &[
    "--benzo",
    "lorazepam",
    "--benzo-dose",
    "1mg",
    "--benzo-times",
    "08:00,21:00",
    "--ketamine",
    "2027-02-03T10:00",
];

#[test]
fn default_12h_hold_takes_the_morning_dose_only() {
    let doc = ketamine_json(LORAZEPAM);
    assert_eq!(held_at(&doc, 0), ["2027-02-03T08:00:00"]);
    let session = &doc["ketamine"]["sessions"][0];
    assert_eq!(session["at"], "2027-02-03T10:00:00");
    assert_eq!(session["hold_from"], "2027-02-02T22:00:00");
    assert_eq!(session["hold_to"], "2027-02-03T10:00:00");
    assert_eq!(session["held_doses"][0]["dose_mg"], 1.0);
    assert_eq!(session["held_doses"][0]["drug"], "lorazepam");
    assert_eq!(
        session["held_doses"][0]["action"],
        "hold — confirm with prescriber"
    );
    // Last dose taken 21:00 the day before: 13 h at 10–20 h half-life.
    let f = &session["remaining_fraction"];
    assert!((f["min"].as_f64().unwrap() - 0.5f64.powf(13.0 / 10.0)).abs() < 1e-9);
    assert!((f["max"].as_f64().unwrap() - 0.5f64.powf(13.0 / 20.0)).abs() < 1e-9);
}

#[test]
fn a_24h_hold_takes_both_doses() {
    let doc = ketamine_json(&[LORAZEPAM, &["--benzo-hold", "24h"]].concat());
    assert_eq!(
        held_at(&doc, 0),
        ["2027-02-02T21:00:00", "2027-02-03T08:00:00"]
    );
    assert_eq!(doc["ketamine"]["hold"]["rule"], "24h");
}

#[test]
fn diazepam_10mg_is_above_threshold_and_long_acting() {
    let doc = ketamine_json(&[
        "--benzo",
        "diazepam",
        "--benzo-dose",
        "10mg",
        "--benzo-times",
        "08:00",
        "--ketamine",
        "2027-02-03T10:00",
        "--benzo-hold",
        "24h",
    ]);
    let k = &doc["ketamine"];
    assert_eq!(k["diazepam_equivalent_mg_per_day"], 10.0);
    assert_eq!(k["above_diazepam_threshold"], true);
    assert_eq!(k["equivalence_table"], "ashton");
    assert!(
        k["sessions"][0]["remaining_fraction"]["min"]
            .as_f64()
            .unwrap()
            > 0.6
    );
    let codes = codes(&doc);
    assert!(
        codes.contains(&"benzo_above_threshold".into())
            && codes.contains(&"benzo_long_acting".into()),
        "{codes:?}"
    );
}

#[test]
fn alprazolam_twice_daily_gets_the_short_acting_note() {
    let doc = ketamine_json(&[
        "--benzo",
        "Xanax",
        "--benzo-dose",
        "0.5mg",
        "--benzo-times",
        "08:00,20:00",
        "--ketamine",
        "2027-02-03T10:00",
    ]);
    let codes = codes(&doc);
    assert!(codes.contains(&"benzo_short_acting".into()), "{codes:?}");
    let note = doc["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["code"] == "benzo_short_acting")
        .unwrap();
    assert!(note["message"].as_str().unwrap().contains("withdrawal"));
}

#[test]
fn the_equivalence_table_is_named_and_changes_the_numbers() {
    let ashton = ketamine_json(LORAZEPAM);
    let va = ketamine_json(&[LORAZEPAM, &["--equivalence", "va-dod"]].concat());
    // Lorazepam 2 mg/day: 1 mg ≈ 10 mg diazepam (Ashton) vs 2 mg (VA/DoD).
    assert_eq!(ashton["ketamine"]["diazepam_equivalent_mg_per_day"], 20.0);
    assert_eq!(va["ketamine"]["diazepam_equivalent_mg_per_day"], 10.0);
    assert_eq!(va["ketamine"]["equivalence_table"], "va-dod");
    let out = taper()
        .args(["ketamine", "--start", "2027-01-04"])
        .args(LORAZEPAM)
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("Equivalence table: Ashton Manual"));
}

#[test]
fn sessions_join_an_antidepressant_plan_and_dose_change_days_are_flagged() {
    // Step 1 of a 4-week plan from 2027-01-04 starts on 2027-02-01.
    let out = taper()
        .args([
            "plan",
            "citalopram",
            "--from",
            "20mg",
            "--start",
            "2027-01-04",
            "--format",
            "json",
        ])
        .args(["--ketamine-series", "2027-02-01T10:00,6,3d"])
        .args([
            "--benzo",
            "lorazepam",
            "--benzo-dose",
            "1mg",
            "--benzo-times",
            "08:00,21:00",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let plan: Value = serde_json::from_slice(&out.stdout).unwrap();
    let sessions = plan["ketamine"]["sessions"].as_array().unwrap();
    assert_eq!(sessions.len(), 6);
    assert_eq!(
        sessions[0]["flags"],
        serde_json::json!([
            "held_doses",
            "benzo_series_level_fall",
            "session_on_dose_change"
        ])
    );
    assert_eq!(sessions[1]["at"], "2027-02-04T10:00:00");
    let csv = taper()
        .args([
            "plan",
            "citalopram",
            "--from",
            "20mg",
            "--start",
            "2027-01-04",
            "--format",
            "csv",
        ])
        .args(["--ketamine", "2027-02-03T10:00"])
        .output()
        .unwrap();
    let text = String::from_utf8(csv.stdout).unwrap();
    // A row of its own, in step 1 (2027-02-01 to 2027-02-28).
    assert!(
        text.contains("\nKetamine session,1,2027-02-03 10:00,"),
        "{text}"
    );
    let full = common::run(&[
        "plan",
        "citalopram",
        "--from",
        "20mg",
        "--start",
        "2027-01-04",
        "--format",
        "csv",
        "--csv",
        "full",
        "--ketamine",
        "2027-02-03T10:00",
    ]);
    assert!(full.contains("session 1 at 2027-02-03 10:00"), "{full}");
}

/// Every CSV writes a date-time one way, YYYY-MM-DD HH:MM, as the plan's CSV does:
/// `taper ketamine` wrote `2027-02-03T10:00:00`, which a spreadsheet may keep as text.
#[test]
fn ketamine_csv_date_times_read_as_the_plan_csv_writes_them() {
    let csv = |layout: &str| {
        let args: &[&str] = &["ketamine", "--start", "2027-01-04", "--format", "csv"];
        common::run(&[args, &["--csv", layout], LORAZEPAM].concat())
    };
    let full = csv("full");
    let row = full.lines().nth(1).unwrap();
    assert!(
        row.starts_with("1,2027-02-03 10:00,2027-02-02 22:00,2027-02-03 10:00,"),
        "{row}"
    );
    let patient = csv("patient");
    let row = patient.lines().nth(2).unwrap();
    assert!(
        row.starts_with("Ketamine session,1,2027-02-03 10:00,2027-02-02 22:00,2027-02-03 10:00,"),
        "{row}"
    );
    for text in [full, patient] {
        assert!(!text.contains("T10:00"), "{text}");
    }
}

#[test]
fn a_hold_longer_than_the_gap_merges_windows() {
    let doc = ketamine_json(&[
        "--benzo",
        "lorazepam",
        "--benzo-dose",
        "1mg",
        "--benzo-times",
        "08:00",
        "--ketamine-series",
        "2027-02-03T10:00,3,2d",
        "--benzo-hold",
        "72h",
    ]);
    assert!(codes(&doc).contains(&"windows_merge".into()));
    assert!(
        doc["ketamine"]["sessions"][1]["flags"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f == "windows_merge")
    );
}

#[test]
fn no_instruction_to_stop_is_ever_printed() {
    for format in ["table", "csv", "json"] {
        let out = taper()
            .args(["ketamine", "--start", "2027-01-04", "--format", format])
            .args(LORAZEPAM)
            .output()
            .unwrap();
        let text = String::from_utf8(out.stdout).unwrap().to_lowercase();
        assert!(!text.contains("stop your"), "{format}");
        assert!(text.contains("confirm with prescriber"), "{format}");
        assert!(text.contains("review with the prescriber"), "{format}");
    }
}

#[test]
fn benzos_lists_fifteen_drugs_without_midazolam() {
    let out = taper()
        .args(["benzos", "--format", "json"])
        .output()
        .unwrap();
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let names: Vec<&str> = doc["benzodiazepines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["name"].as_str().unwrap())
        .collect();
    assert_eq!(names.len(), 15);
    assert!(!names.contains(&"midazolam"));
    taper()
        .arg("benzos")
        .assert()
        .success()
        .stdout(predicates::str::contains("nordazepam"));
}

#[test]
fn bad_ketamine_inputs_get_one_sentence_and_exit_code_2() {
    let cases: &[(&[&str], &str)] = &[
        (
            &["--ketamine", "2026-12-01T10:00"],
            "before the plan starts",
        ),
        (&["--ketamine", "10:00"], "no date"),
        (&["--ketamine", "2027-02-30T10:00"], "not a real date"),
        (
            &[
                "--ketamine",
                "2027-02-03T10:00",
                "--ketamine",
                "2027-02-03T15:00",
            ],
            "overlap",
        ),
        (
            &[
                "--benzo",
                "lorazepan",
                "--benzo-dose",
                "1mg",
                "--benzo-times",
                "08:00",
                "--ketamine",
                "2027-02-03T10:00",
            ],
            "did you mean \"lorazepam\"",
        ),
        (
            &[
                "--benzo",
                "midazolam",
                "--benzo-dose",
                "1mg",
                "--benzo-times",
                "08:00",
                "--ketamine",
                "2027-02-03T10:00",
            ],
            "--benzo-file",
        ),
        (
            &[
                "--benzo",
                "lorazepam",
                "--benzo-dose",
                "1mg",
                "--ketamine",
                "2027-02-03T10:00",
            ],
            "same order",
        ),
        (
            &[
                "--benzo",
                "lorazepam",
                "--benzo-dose",
                "1mg",
                "--benzo-times",
                "8pm",
                "--ketamine",
                "2027-02-03T10:00",
            ],
            "clock time",
        ),
        (
            &[
                "--benzo",
                "lorazepam",
                "--benzo-dose",
                "1mg",
                "--benzo-times",
                "08:00",
            ],
            "at least one ketamine session",
        ),
        (
            &[
                "--benzo",
                "clobazam",
                "--benzo-dose",
                "10mg",
                "--benzo-times",
                "08:00",
                "--ketamine",
                "2027-02-03T10:00",
                "--equivalence",
                "va-dod",
            ],
            "use --equivalence ashton",
        ),
        (
            &[
                "--ketamine",
                "2027-02-03T10:00",
                "--benzo",
                "diazepam",
                "--benzo-dose",
                "5mg",
                "--benzo-times",
                "08:00",
                "--benzo-hold",
                "soon",
            ],
            "night-before",
        ),
        (
            &["--ketamine", "2027-02-03T10:00", "--benzo-hold", "24h"],
            "--benzo-hold concerns a benzodiazepine taken daily, and none was given",
        ),
        (
            &["--ketamine-series", "2027-02-03T10:00,6"],
            "FIRST,COUNT,EVERY",
        ),
        (&[], "at least one session"),
    ];
    for (args, expected) in cases {
        assert_refused(
            &[&["ketamine", "--start", "2027-01-04"], *args].concat(),
            expected,
        );
    }
}

#[test]
fn a_benzo_taper_says_when_it_must_start() {
    // Diazepam 10 mg, 10% every 2 weeks, down to 0.5 mg: 29 ideal reductions
    // (10 × 0.9^29 ≈ 0.47); rounded to the US products, the 28th is 0.5 mg (0.5 mL of
    // the 5 mg/5 mL solution), small enough to stop from, so the taper ends there.
    let doc = ketamine_json(&[
        "--benzo",
        "diazepam",
        "--benzo-dose",
        "10mg",
        "--benzo-times",
        "08:00",
        "--ketamine",
        "2029-01-10T10:00",
        "--benzo-taper",
        "10%/2w",
    ]);
    let t = &doc["ketamine"]["benzo_taper"];
    let steps = t["steps"].as_array().unwrap();
    assert_eq!(steps.len(), 28);
    assert_eq!(t["feasible"], true);
    assert_eq!(t["last_dose_date"], "2029-01-09");
    assert_eq!(steps.last().unwrap()["end_date"], "2029-01-09");
    assert_eq!(t["must_start"], steps[0]["start_date"]);
    let doses: Vec<f64> = steps
        .iter()
        .map(|s| s["daily_mg"].as_f64().unwrap())
        .collect();
    assert!((doses[0] - 9.0).abs() < 1e-9 && doses.windows(2).all(|w| w[1] < w[0]));
    assert!(*doses.last().unwrap() <= 0.5 && doses[doses.len() - 2] > 0.5);
    assert!(
        steps
            .iter()
            .all(|s| s["how"].as_str().is_some_and(|h| !h.is_empty()))
    );
    assert_eq!(
        steps.last().unwrap()["how"],
        "0.5 mL of oral solution 5 mg/5 mL at 08:00"
    );
}

#[test]
fn a_benzo_taper_that_cannot_finish_in_time_says_so() {
    let doc = ketamine_json(&[
        "--benzo",
        "lorazepam",
        "--benzo-dose",
        "1mg",
        "--benzo-times",
        "08:00,21:00",
        "--ketamine",
        "2027-03-01T10:00",
        "--benzo-taper",
        "10%/2w",
        "--benzo-taper-as",
        "diazepam",
    ]);
    let t = &doc["ketamine"]["benzo_taper"];
    assert_eq!(t["feasible"], false);
    assert_eq!(t["drug"], "diazepam");
    // Issue 12 item 7: the switch to diazepam is a crossover over 1–2 weeks (ASAM 2025
    // Table 7) at the same diazepam-equivalent dose, planned at its long end, before the
    // first step; not a switch on day 1.
    let crossover = &t["crossover"];
    assert_eq!(crossover["from_drug"], "lorazepam");
    assert_eq!(crossover["from_mg_per_day"], 2.0);
    assert_eq!(crossover["diazepam_mg_per_day"], 20.0);
    assert_eq!(crossover["start_date"], "2027-01-04");
    assert_eq!(crossover["end_date"], "2027-01-17");
    assert!(crossover["source"].as_str().unwrap().contains("Table 7"));
    assert_eq!(t["steps"][0]["start_date"], "2027-01-18");
    assert!((t["steps"][0]["daily_mg"].as_f64().unwrap() - 18.0).abs() < 1e-9);
    // Danger, and no step starts on or after the first session; the rest are counted.
    let warning = (doc["warnings"].as_array().unwrap().iter())
        .find(|w| w["code"] == "benzo_taper_too_late")
        .unwrap();
    assert_eq!(warning["severity"], "danger");
    assert_eq!(doc["warnings"][0]["severity"], "danger");
    let steps = t["steps"].as_array().unwrap();
    assert!(
        steps
            .iter()
            .all(|s| s["start_date"].as_str().unwrap() < "2027-03-01")
    );
    let not_shown = t["steps_not_shown"].as_u64().unwrap();
    assert!(not_shown > 0);
    let message = warning["message"].as_str().unwrap();
    let last = steps.last().unwrap()["daily_mg"].as_f64().unwrap();
    assert!(
        message.contains(&format!(
            "the daily dose would still be {} mg",
            taper::text::fmt_dose(last)
        )),
        "{message}"
    );
    assert!(
        message.contains(&format!("the {not_shown} steps after it are not shown")),
        "{message}"
    );
    assert!(!message.to_lowercase().contains("stop your"), "{message}");
}

#[test]
fn a_benzo_taper_faster_than_the_asam_limit_is_refused() {
    let out = taper()
        .args(["ketamine", "--start", "2027-01-04"])
        .args(LORAZEPAM)
        .args(["--benzo-taper", "20%/1w"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("ASAM 2025 limit of 25% every 2 weeks"));
    // One 50% cut every 8 weeks is still a 50% cut.
    let out = taper()
        .args(["ketamine", "--start", "2027-01-04"])
        .args(LORAZEPAM)
        .args(["--benzo-taper", "50%/8w"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn overlapping_windows_count_the_last_dose_actually_taken() {
    // Session 1's 24 h window holds every dose from 02-02 09:00; session 2's level falls
    // from the last dose taken, 02-02 08:00 (49 h before 02-04 09:00), not from a held one.
    let doc = ketamine_json(&[
        "--benzo",
        "lorazepam",
        "--benzo-dose",
        "2mg",
        "--benzo-times",
        "08:00,14:00,21:00",
        "--ketamine-series",
        "2027-02-03T09:00,2,1d",
        "--benzo-hold",
        "24h",
    ]);
    let s2 = &doc["ketamine"]["sessions"][1];
    assert_eq!(
        s2["benzos"][0]["last_dose_before_hold"],
        "2027-02-02T08:00:00"
    );
    assert!(
        (s2["remaining_fraction"]["max"].as_f64().unwrap() - 0.5f64.powf(49.0 / 20.0)).abs() < 1e-9
    );
}

#[test]
fn no_withdrawal_note_when_nothing_is_held() {
    let doc = ketamine_json(&[
        "--benzo",
        "alprazolam",
        "--benzo-dose",
        "0.5mg",
        "--benzo-times",
        "20:00",
        "--ketamine",
        "2027-02-03T10:00",
        "--benzo-hold",
        "0h",
    ]);
    assert!(
        doc["ketamine"]["sessions"][0]["held_doses"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    assert!(!codes(&doc).contains(&"benzo_short_acting".into()));
}

#[test]
fn daily_plans_flag_the_days_the_dose_really_changes() {
    let out = run_json(&[
        "plan",
        "citalopram",
        "--from",
        "20mg",
        "--start",
        "2027-01-04",
        "--liquid",
        "2mg/ml",
        "--daily",
        "--ketamine",
        "2027-01-10T10:00",
        "--ketamine",
        "2027-02-10T10:00",
        "--format",
        "json",
    ]);
    let flags = |i: usize| {
        out["ketamine"]["sessions"][i]["flags"]
            .as_array()
            .unwrap()
            .clone()
    };
    // Step 0 (to 01-31) holds 20 mg; from 02-01 the dose falls every day.
    assert!(!flags(0).iter().any(|f| f == "session_on_dose_change"));
    assert!(flags(1).iter().any(|f| f == "session_on_dose_change"));
}

#[test]
fn a_prefix_finds_its_drug() {
    assert_refused(
        &[
            "ketamine",
            "--start",
            "2027-01-04",
            "--benzo",
            "loraz",
            "--benzo-dose",
            "1mg",
            "--benzo-times",
            "08:00",
            "--ketamine",
            "2027-02-03T10:00",
        ],
        "did you mean \"lorazepam\"",
    );
    assert_refused(
        &[
            "ketamine",
            "--start",
            "2027-01-04",
            "--ketamine",
            "2027-02-03",
        ],
        "no time",
    );
}

/// A midazolam entry as a user would write it (schedules/benzodiazepines/README.md).
/// The figures are made up for the test and say so; they are not clinical figures.
const MIDAZOLAM_FILE: &str = r#"
schema = 1
name = "midazolam"
kind = "benzodiazepine"

[half_life]
hours_min = 3.0
hours_max = 6.0
as_published = "3–6 h"
source = "made up for this test; not a clinical figure"
evidence = "unverified"

[time_to_peak]
hours_min = 1.0
hours_max = 2.0
as_published = "1–2 h"
source = "made up for this test; not a clinical figure"
evidence = "unverified"

[equivalence.ashton]
mg = 5.0
source = "the user's own figure, made up for this test"
evidence = "unverified"
"#;

#[test]
fn midazolam_from_a_benzo_file_is_used() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("midazolam.toml");
    std::fs::write(&path, MIDAZOLAM_FILE).unwrap();
    let args = [
        "--benzo",
        "midazolam",
        "--benzo-dose",
        "2mg",
        "--benzo-times",
        "08:00",
        "--ketamine",
        "2027-02-03T10:00",
        "--benzo-file",
        path.to_str().unwrap(),
    ];
    let doc = ketamine_json(&args);
    let regimen = &doc["ketamine"]["regimens"][0];
    assert_eq!(regimen["drug"], "midazolam");
    assert_eq!(regimen["equivalent_to_10mg_diazepam"], 5.0);
    assert_eq!(
        regimen["equivalence_source"],
        "the user's own figure, made up for this test"
    );
    // 2 mg a day at the user's 5 mg ≈ 10 mg diazepam.
    assert_eq!(regimen["diazepam_equivalent_mg_per_day"], 4.0);
    // Without the file, midazolam is still refused, and the refusal says why.
    assert_refused(
        &[&["ketamine", "--start", "2027-01-04"], &args[..8]].concat(),
        "midazolam has no reliable oral diazepam equivalent",
    );
}

// Benzodiazepine level over a ketamine series (issue 12, item 3).

fn warning<'a>(doc: &'a Value, code: &str) -> &'a Value {
    doc["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["code"] == code)
        .unwrap_or_else(|| panic!("no {code} warning: {:?}", codes(doc)))
}

/// The danger warning gives the alternatives and is never worded as an instruction.
fn assert_alternatives(message: &str) {
    assert!(message.contains("--benzo-taper"), "{message}");
    assert!(message.contains("shorter hold"), "{message}");
    assert!(message.contains("ASAM 2025"), "{message}");
    assert!(!message.to_lowercase().contains("stop your"), "{message}");
}

#[test]
fn every_dose_held_for_three_weeks_is_danger() {
    // Alprazolam 1 mg three times a day (60 mg/day diazepam-equivalent, Ashton), six
    // sessions 3 days apart, 72 h before and after each: the windows merge and every
    // dose from 01-31 14:00 to 02-21 08:00 is held.
    let doc = ketamine_json(&[
        "--benzo",
        "alprazolam",
        "--benzo-dose",
        "1mg",
        "--benzo-times",
        "08:00,14:00,21:00",
        "--ketamine-series",
        "2027-02-03T10:00,6,3d",
        "--benzo-hold",
        "72h",
        "--benzo-after",
        "72h",
    ]);
    let level = &doc["ketamine"]["regimens"][0]["series_level"];
    let run = &level["longest_held_run"];
    assert_eq!(run["doses"], 63);
    assert_eq!(run["first"], "2027-01-31T14:00:00");
    assert_eq!(run["last"], "2027-02-21T08:00:00");
    assert_eq!(run["more_than_a_day"], true);
    assert!(level["lowest_fraction"]["max"].as_f64().unwrap() < 0.005);
    assert!(
        level["largest_fall_14_days_percent"]["min"]
            .as_f64()
            .unwrap()
            > 99.5
    );
    assert_eq!(level["fall_above_taper_cap"], true);
    // Danger, first in the list, with the alternatives.
    let first = &doc["warnings"][0];
    assert_eq!(first["code"], "benzo_series_level_fall");
    assert_eq!(first["severity"], "danger");
    let message = first["message"].as_str().unwrap();
    assert_alternatives(message);
    assert!(message.contains("63 doses in a row from 2027-01-31 14:00 to 2027-02-21 08:00"));
    assert!(message.contains("60.0 mg/day diazepam-equivalent"));
    assert!(message.contains("a fall of 100% of steady state within 14 days"));
    assert_eq!(first["sessions"], serde_json::json!([1, 2, 3, 4, 5, 6]));
    // The terminal table says it too, danger first.
    let out = taper()
        .args(["ketamine", "--start", "2027-01-04"])
        .args([
            "--benzo",
            "alprazolam",
            "--benzo-dose",
            "1mg",
            "--benzo-times",
            "08:00,14:00,21:00",
            "--ketamine-series",
            "2027-02-03T10:00,6,3d",
            "--benzo-hold",
            "72h",
            "--benzo-after",
            "72h",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let warnings = text.split("Warnings:\n").nth(1).unwrap();
    assert!(
        warnings.starts_with("- [benzo_series_level_fall] "),
        "{warnings}"
    );
    assert!(text.contains("Level over the series: alprazolam: 63 of 75 scheduled doses held"));
}

#[test]
fn nine_of_twelve_clonazepam_doses_held_is_danger_and_not_barely() {
    // Clonazepam 0.5 mg at 08:00 and 20:00, sessions 02-03, 02-05, 02-07, held from 18:00
    // the day before to the end of each session day: by superposition the level at the
    // third session is 18–36% of steady state, lowest that evening (11–30%).
    let doc = ketamine_json(&[
        "--benzo",
        "clonazepam",
        "--benzo-dose",
        "0.5mg",
        "--benzo-times",
        "08:00,20:00",
        "--ketamine-series",
        "2027-02-03T10:00,3,2d",
        "--benzo-hold",
        "night-before",
    ]);
    let level = &doc["ketamine"]["regimens"][0]["series_level"];
    assert_eq!(level["held_doses"], 9);
    let lowest = &level["lowest_fraction"];
    assert!((lowest["min"].as_f64().unwrap() - 0.1133).abs() < 1e-4);
    assert!((lowest["max"].as_f64().unwrap() - 0.3013).abs() < 1e-4);
    assert_eq!(level["lowest_at"], "2027-02-07T20:00:00");
    let fall = &level["largest_fall_14_days_percent"];
    assert!((fall["min"].as_f64().unwrap() - 69.87).abs() < 0.01);
    assert!((fall["max"].as_f64().unwrap() - 88.67).abs() < 0.01);
    assert_eq!(level["longest_held_run"]["doses"], 3);
    assert_eq!(level["longest_held_run"]["hours_without_dose"], 48.0);
    let danger = warning(&doc, "benzo_series_level_fall");
    assert_eq!(danger["severity"], "danger");
    assert_eq!(doc["warnings"][0]["code"], "benzo_series_level_fall");
    let message = danger["message"].as_str().unwrap();
    assert_alternatives(message);
    assert!(message.contains("take its level down to 11–30% of steady state"));
    assert!(message.contains("a fall of 70–89% of steady state within 14 days"));
    assert!(message.contains("3 doses in a row"));
    // The long-acting note no longer says a short hold barely changes exposure.
    let note = warning(&doc, "benzo_long_acting")["message"]
        .as_str()
        .unwrap();
    assert!(!note.contains("barely"), "{note}");
    assert!(note.contains("down to 11–30% of steady state"), "{note}");
}

#[test]
fn barely_is_said_only_when_the_series_level_supports_it() {
    // Diazepam 10 mg once a day, one dose held: the level falls to 63–92% of steady
    // state (nordazepam 36–200 h), more than 25% at the short end: no "barely".
    let doc = ketamine_json(&[
        "--benzo",
        "diazepam",
        "--benzo-dose",
        "10mg",
        "--benzo-times",
        "08:00",
        "--ketamine",
        "2027-02-03T10:00",
    ]);
    let note = warning(&doc, "benzo_long_acting")["message"]
        .as_str()
        .unwrap();
    assert!(!note.contains("barely"), "{note}");
    assert!(codes(&doc).contains(&"benzo_series_level_fall".into()));
    // Nothing held (the dose is after the session): steady state, so "barely" stands.
    let doc = ketamine_json(&[
        "--benzo",
        "diazepam",
        "--benzo-dose",
        "10mg",
        "--benzo-times",
        "20:00",
        "--ketamine",
        "2027-02-03T10:00",
    ]);
    assert!(doc["ketamine"]["regimens"][0]["series_level"].is_null());
    let note = warning(&doc, "benzo_long_acting")["message"]
        .as_str()
        .unwrap();
    assert!(note.contains("barely changes exposure"), "{note}");
    assert!(!codes(&doc).contains(&"benzo_series_level_fall".into()));
    // Chlordiazepoxide four times a day, one of the four held: 89–98% of steady state
    // at the lowest (36–200 h), within the cap: "barely", with the figure.
    let doc = ketamine_json(&[
        "--benzo",
        "chlordiazepoxide",
        "--benzo-dose",
        "10mg",
        "--benzo-times",
        "02:00,08:00,14:00,20:00",
        "--ketamine",
        "2027-02-03T10:00",
        "--benzo-hold",
        "6h",
    ]);
    let level = &doc["ketamine"]["regimens"][0]["series_level"];
    let lowest = level["lowest_fraction"]["min"].as_f64().unwrap();
    assert!(lowest >= 0.75, "{level}");
    let note = warning(&doc, "benzo_long_acting")["message"]
        .as_str()
        .unwrap();
    assert!(note.contains("barely changes exposure"), "{note}");
    assert!(!codes(&doc).contains(&"benzo_series_level_fall".into()));
}

#[test]
fn a_series_level_past_the_last_date_is_refused_naming_the_option() {
    // The level is followed to a week after the last session: past 9999-12-31 here.
    // Since issue 15 such dates are refused first, as outside the years 1900–2200.
    assert_refused(
        &[
            "ketamine",
            "--start",
            "9999-12-01",
            "--ketamine",
            "9999-12-28T10:00",
            "--benzo",
            "lorazepam",
            "--benzo-dose",
            "1mg",
            "--benzo-times",
            "08:00",
        ],
        "outside the years taper plans in (1900 to 2200)",
    );
}

/// Every ketamine series in a grid of drugs (the whole benzodiazepine catalog), doses,
/// dose times, series and hold options: no result whose largest 14-day fall exceeds
/// ASAM 2025's cap (or that holds every dose for more than a day) lacks a `danger`
/// warning, no danger warning is worded as an instruction, and the long-acting note says
/// "barely" only when the lowest level stays within the cap. Run with `--nocapture` to
/// see the counts.
#[test]
fn no_hold_pattern_beyond_the_asam_cap_lacks_a_danger_warning() {
    use taper::catalog::BenzoCatalog;
    use taper::ketamine::KetamineReport;
    use taper::model::Severity;
    use taper::request::{Amount, RawRequest, ketamine_request};

    let benzos = BenzoCatalog::embedded_benzos().unwrap();
    let start = jiff::civil::date(2027, 1, 4);
    let doses = ["0.5mg", "10mg"];
    let times = ["22:00", "08:00,20:00", "08:00,14:00,21:00"];
    let series = ["1,1d", "3,2d", "6,3d", "4,7d"];
    let holds = ["12h", "24h", "72h", "night-before"];
    let afters = [None, Some("4h"), Some("72h")];
    let (mut total, mut ok, mut danger, mut beyond_cap, mut whole_days) = (0, 0, 0, 0, 0);
    for entry in benzos.entries() {
        for dose in doses {
            for time in times {
                for s in series {
                    for hold in holds {
                        for after in afters {
                            total += 1;
                            let raw = RawRequest {
                                ketamine_series: vec![format!("2027-02-03T10:00,{s}")],
                                benzo: vec![entry.name.clone()],
                                benzo_dose: vec![Amount::Text(dose.into())],
                                benzo_times: vec![time.into()],
                                benzo_hold: Some(hold.into()),
                                benzo_after: after.map(String::from),
                                ..RawRequest::default()
                            };
                            let case = format!("{} {dose} {time} {s} {hold} {after:?}", entry.name);
                            let request = ketamine_request(&raw).unwrap().unwrap();
                            let Ok(report) = KetamineReport::build(&request, &benzos, start) else {
                                continue;
                            };
                            ok += 1;
                            let k = &report.ketamine;
                            let cap = k.benzo_taper_pace_cap.value;
                            assert_eq!(cap, 25.0);
                            let dangers: Vec<_> = report
                                .warnings
                                .iter()
                                .filter(|w| w.severity == Severity::Danger)
                                .collect();
                            let level = k.regimens[0].series_level.as_ref();
                            let fall = level.map_or(0.0, |l| l.largest_fall_14_days_percent.max);
                            let run_over_a_day =
                                level.is_some_and(|l| l.longest_held_run.more_than_a_day);
                            if fall > cap || run_over_a_day {
                                assert!(!dangers.is_empty(), "{case}: no danger");
                                assert_eq!(
                                    report.warnings[0].severity,
                                    Severity::Danger,
                                    "{case}: danger not first"
                                );
                            } else {
                                assert!(dangers.is_empty(), "{case}: danger within the cap");
                            }
                            beyond_cap += usize::from(fall > cap);
                            whole_days += usize::from(run_over_a_day);
                            danger += usize::from(!dangers.is_empty());
                            for w in &dangers {
                                assert_alternatives(&w.message);
                            }
                            if report.warnings.iter().any(|w| w.message.contains("barely")) {
                                let lowest = level.map_or(1.0, |l| l.lowest_fraction.min);
                                assert!(lowest >= 1.0 - cap / 100.0, "{case}: barely at {lowest}");
                            }
                        }
                    }
                }
            }
        }
    }
    eprintln!(
        "series grid: {total} cases, {ok} planned, {danger} danger ({beyond_cap} with a 14-day fall above the cap, {whole_days} holding every dose for more than a day)"
    );
    assert_eq!(total, 15 * 2 * 3 * 4 * 4 * 3);
    assert_eq!(ok, total);
}

/// A benzodiazepine taper that ends before the first session leaves nothing to hold:
/// the series-level danger of holding the current regimen is then said in the taper's
/// note (if the taper is not used), not as a headline against the plan chosen.
#[test]
fn a_taper_that_ends_before_the_series_replaces_the_hold_danger_with_a_note() {
    let args = [
        "--benzo",
        "lorazepam",
        "--benzo-dose",
        "1mg",
        "--benzo-times",
        "08:00,21:00",
        "--ketamine",
        "2029-03-01T10:00",
    ];
    let held = ketamine_json(&args);
    assert!(codes(&held).contains(&"benzo_series_level_fall".into()));
    let tapered = ketamine_json(&[&args[..], &["--benzo-taper", "10%/2w"]].concat());
    assert_eq!(tapered["ketamine"]["benzo_taper"]["feasible"], true);
    assert!(!codes(&tapered).contains(&"benzo_series_level_fall".into()));
    assert!(!tapered.to_string().contains("benzo_series_level_fall"));
    let note = (tapered["warnings"].as_array().unwrap().iter())
        .find(|w| w["code"] == "benzo_taper_and_holds")
        .unwrap()["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(note.contains("If the taper is not used"), "{note}");
}

fn lorazepam_taper(extra: &[&str]) -> Value {
    ketamine_json(
        &[
            &[
                "--benzo",
                "lorazepam",
                "--benzo-dose",
                "1mg",
                "--benzo-times",
                "08:00,21:00",
                "--ketamine",
                "2029-01-10T10:00",
                "--benzo-taper",
                "10%/2w",
            ][..],
            extra,
        ]
        .concat(),
    )
}

/// Issue 12 item 7: the taper used to end at 0.045 mg lorazepam, which nobody can
/// measure. Rounded to the US products it ends at the smallest dose they make, with a
/// danger warning (the stop from it is a cliff) and what would make smaller steps.
#[test]
fn a_lorazepam_taper_ends_at_a_measurable_dose_or_says_it_cannot() {
    let doc = lorazepam_taper(&[]);
    let t = &doc["ketamine"]["benzo_taper"];
    let steps = t["steps"].as_array().unwrap();
    let doses: Vec<f64> = steps
        .iter()
        .map(|s| s["daily_mg"].as_f64().unwrap())
        .collect();
    assert!(doses[0] <= 2.0 && doses.windows(2).all(|w| w[1] <= w[0]));
    // Every dose is whole pieces or whole 0.1 mL of the 2 mg/mL concentrate: 0.2 mg steps.
    for (s, mg) in steps.iter().zip(&doses) {
        assert!(((mg / 0.1).round() * 0.1 - mg).abs() < 1e-9, "{mg}");
        assert!(s["how"].as_str().is_some_and(|h| !h.is_empty()));
    }
    assert_eq!(*doses.last().unwrap(), 0.2);
    assert_eq!(
        steps.last().unwrap()["how"],
        "none at 08:00; 0.1 mL of oral concentrate 2 mg/mL at 21:00"
    );
    let cliff = (doc["warnings"].as_array().unwrap().iter())
        .find(|w| w["code"] == "benzo_taper_final_cliff")
        .unwrap();
    assert_eq!(cliff["severity"], "danger");
    assert_eq!(doc["warnings"][0]["severity"], "danger");
    let message = cliff["message"].as_str().unwrap();
    assert!(message.contains("--benzo-taper-as diazepam"), "{message}");
    let last_flags = steps.last().unwrap()["flags"].as_array().unwrap();
    assert!(last_flags.contains(&Value::from("benzo_taper_final_cliff")));
    let products = &t["products"];
    assert_eq!(products["market"], "us");
    assert_eq!(products["market_from"], "default");
    assert_eq!(products["all_measurable"], false);
    assert!(
        products["products"][0]["source"]
            .as_str()
            .unwrap()
            .contains("Lorazepam Tablets USP")
    );
}

#[test]
fn the_market_chooses_the_products_and_the_suggestion() {
    let doc = lorazepam_taper(&["--benzo-market", "uk"]);
    let t = &doc["ketamine"]["benzo_taper"];
    assert_eq!(t["products"]["market"], "uk");
    assert_eq!(t["products"]["market_from"], "--benzo-market");
    // UK lorazepam: 1 mg and 2.5 mg scored tablets, no liquid: halves of 1 mg at least.
    let steps = t["steps"].as_array().unwrap();
    let last = steps.last().unwrap()["daily_mg"].as_f64().unwrap();
    assert_eq!(last, 0.5);
    let cliff = (doc["warnings"].as_array().unwrap().iter())
        .find(|w| w["code"] == "benzo_taper_final_cliff")
        .unwrap();
    assert!(
        cliff["message"]
            .as_str()
            .unwrap()
            .contains("oral solution 2 mg/5 mL")
    );
    let large = (doc["warnings"].as_array().unwrap().iter())
        .find(|w| w["code"] == "benzo_taper_step_too_large")
        .unwrap();
    assert_eq!(large["severity"], "caution");
}

#[test]
fn benzo_market_is_refused_where_market_already_chooses() {
    assert_refused(
        &[
            "plan",
            "sertraline",
            "--from",
            "50mg",
            "--start",
            "2027-01-04",
            "--form",
            "tablet",
            "--market",
            "uk",
            "--benzo",
            "lorazepam",
            "--benzo-dose",
            "1mg",
            "--benzo-times",
            "08:00",
            "--ketamine",
            "2029-01-10T10:00",
            "--benzo-taper",
            "10%/2w",
            "--benzo-market",
            "us",
        ],
        "--benzo-market",
    );
}

#[test]
fn the_plan_market_rounds_the_benzo_taper_too() {
    let doc = run_json(&[
        "plan",
        "sertraline",
        "--from",
        "50mg",
        "--start",
        "2027-01-04",
        "--form",
        "tablet",
        "--market",
        "uk",
        "--format",
        "json",
        "--benzo",
        "diazepam",
        "--benzo-dose",
        "5mg",
        "--benzo-times",
        "21:00",
        "--ketamine",
        "2029-01-10T10:00",
        "--benzo-taper",
        "10%/2w",
    ]);
    let products = &doc["ketamine"]["benzo_taper"]["products"];
    assert_eq!(products["market"], "uk");
    assert_eq!(products["market_from"], "--market");
}

#[test]
fn the_crossover_dose_is_one_the_diazepam_products_make() {
    // Alprazolam 0.25 mg three times a day ≈ 15 mg diazepam (Ashton): 15 mg is
    // 1 × 5 mg tablet three times a day.
    let doc = ketamine_json(&[
        "--benzo",
        "alprazolam",
        "--benzo-dose",
        "0.25mg",
        "--benzo-times",
        "08:00,14:00,21:00",
        "--ketamine",
        "2029-01-10T10:00",
        "--benzo-taper",
        "10%/2w",
        "--benzo-taper-as",
        "diazepam",
    ]);
    let c = &doc["ketamine"]["benzo_taper"]["crossover"];
    assert_eq!(c["diazepam_mg_per_day"], 15.0);
    assert_eq!(
        c["how"],
        "1 × 5 mg tablet three times a day (08:00, 14:00, 21:00)"
    );
}

#[test]
fn a_drug_without_products_is_flagged_not_rounded() {
    let doc = ketamine_json(&[
        "--benzo",
        "nitrazepam",
        "--benzo-dose",
        "5mg",
        "--benzo-times",
        "22:00",
        "--ketamine",
        "2029-01-10T10:00",
        "--benzo-taper",
        "10%/2w",
    ]);
    let t = &doc["ketamine"]["benzo_taper"];
    assert!(t.get("products").is_none());
    let w = (doc["warnings"].as_array().unwrap().iter())
        .find(|w| w["code"] == "benzo_taper_not_rounded")
        .unwrap();
    assert_eq!(w["severity"], "caution");
}

#[test]
fn the_table_shows_how_to_take_each_step() {
    let out = taper()
        .args([
            "ketamine",
            "--start",
            "2027-01-04",
            "--benzo",
            "lorazepam",
            "--benzo-dose",
            "1mg",
            "--benzo-times",
            "08:00,21:00",
            "--ketamine",
            "2029-01-10T10:00",
            "--benzo-taper",
            "10%/2w",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("How to take it"), "{text}");
    assert!(
        text.contains("0.1 mL of oral concentrate 2 mg/mL at 21:00"),
        "{text}"
    );
    assert!(
        text.contains("Doses are rounded to the US products"),
        "{text}"
    );
}

mod benzo_taper_properties {
    use proptest::prelude::*;
    use taper::catalog::{BenzoCatalog, EquivalenceTable, Market};
    use taper::ketamine::{
        BenzoRegimen, BenzoTaperRequest, HoldRule, KetamineReport, KetamineRequest,
    };

    const DRUGS: &[&str] = &[
        "lorazepam",
        "alprazolam",
        "clonazepam",
        "diazepam",
        "temazepam",
        "oxazepam",
        "chlordiazepoxide",
    ];
    const TIMES: &[&str] = &["08:00", "14:00", "21:00", "23:00"];

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(120))]

        /// Issue 12 item 7: for any regimen, the taper's steps never rise, and every
        /// step is a dose the products make (with how to take it) or is flagged.
        #[test]
        fn taper_steps_never_rise_and_are_measurable_or_flagged(
            drug in 0..DRUGS.len(),
            dose_tenths in 1u32..200,
            n_times in 1usize..=4,
            percent in 5u32..=12,
            weeks in 2u32..=4,
            uk in any::<bool>(),
            as_diazepam in any::<bool>(),
        ) {
            let benzos = BenzoCatalog::embedded_benzos().unwrap();
            let dose_mg = f64::from(dose_tenths) / 10.0 * match DRUGS[drug] {
                "lorazepam" | "alprazolam" | "clonazepam" => 0.1,
                _ => 1.0,
            };
            let request = KetamineRequest {
                regimens: vec![BenzoRegimen {
                    drug: DRUGS[drug].into(),
                    dose_mg,
                    times: TIMES[..n_times].iter().map(|t| t.parse().unwrap()).collect(),
                }],
                sessions: vec!["2031-01-10T10:00".parse().unwrap()],
                hold: HoldRule::parse("12h").unwrap(),
                after_hours: 0,
                equivalence: EquivalenceTable::Ashton,
                benzo_taper: Some(BenzoTaperRequest {
                    percent: f64::from(percent),
                    every_days: std::num::NonZeroU32::new(weeks * 7).unwrap(),
                    as_diazepam,
                }),
                benzo_files: Vec::new(),
                benzo_market: Some((if uk { Market::Uk } else { Market::Us }, "--benzo-market")),
                benzo_tolerance_pct: None,
            };
            let start = "2027-01-04".parse().unwrap();
            let report = KetamineReport::build(&request, &benzos, start).unwrap();
            let t = report.ketamine.benzo_taper.as_ref().unwrap();
            let codes: Vec<_> = report.warnings.iter().map(|w| w.code.as_str()).collect();
            let first = t.crossover.as_ref().map_or(
                report.ketamine.regimens[0].daily_mg,
                |c| c.diazepam_mg_per_day,
            );
            // The crossover never goes above the equivalent dose.
            if let Some(c) = &t.crossover {
                prop_assert!(c.diazepam_mg_per_day <= c.diazepam_equivalent_mg_per_day + 1e-9);
            }
            let mut prev = first;
            for s in &t.steps {
                prop_assert!(s.daily_mg <= prev + 1e-9, "step {} rises: {} > {}", s.step, s.daily_mg, prev);
                prop_assert!(s.daily_mg > 0.0);
                let cut = 1.0 - s.daily_mg / prev;
                let allowed = t.percent_per_step / 100.0 * 1.25;
                if t.products.is_some() {
                    prop_assert!(s.how.as_deref().is_some_and(|h| !h.is_empty()));
                    prop_assert!(cut <= allowed + 1e-9 || s.flags.iter().any(|f| f.as_str() == "benzo_taper_step_too_large"),
                        "step {} cuts {cut} unflagged", s.step);
                } else {
                    prop_assert!(codes.contains(&"benzo_taper_not_rounded"));
                }
                prev = s.daily_mg;
            }
            // The last step is small enough to stop from, or the cliff is flagged.
            if t.feasible && t.products.is_some() && let Some(last) = t.steps.last() {
                let small = last.diazepam_equivalent_mg <= 0.5 * 1.25 + 1e-9;
                prop_assert!(small || codes.contains(&"benzo_taper_final_cliff"),
                    "last {} mg ({} mg dz) unflagged", last.daily_mg, last.diazepam_equivalent_mg);
            }
        }
    }
}
