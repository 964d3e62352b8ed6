//! Snapshot tests of every format with a fixed `--start`, so any change in what a
//! person or a script sees shows up in review (`cargo insta review`, or run with
//! `INSTA_UPDATE=always` and read the diff).

mod common;
use common::run;

const PLAN: &[&str] = common::FIXED_PLAN;

#[test]
fn plan_table() {
    insta::assert_snapshot!(run(PLAN));
}

#[test]
fn plan_csv() {
    insta::assert_snapshot!(run(&[PLAN, &["--format", "csv"]].concat()));
}

#[test]
fn plan_csv_full() {
    insta::assert_snapshot!(run(&[PLAN, &["--format", "csv", "--csv", "full"]].concat()));
}

#[test]
fn plan_json() {
    insta::assert_snapshot!(run(&[PLAN, &["--format", "json"]].concat()));
}

#[test]
fn plan_table_with_warnings() {
    insta::assert_snapshot!(run(&[
        "plan",
        "sertraline",
        "--from",
        "250mg",
        "--start",
        "2027-01-04",
        "--every",
        "10d",
        "--percent",
        "20",
        "--min-dose",
        "5mg"
    ]));
}

#[test]
fn drugs_table() {
    insta::assert_snapshot!(run(&["drugs"]));
}

#[test]
fn curve_table() {
    insta::assert_snapshot!(run(&["curve", "sertraline"]));
}

#[test]
fn plan_table_with_ketamine_sessions() {
    insta::assert_snapshot!(run(&[
        PLAN,
        &[
            "--benzo",
            "lorazepam",
            "--benzo-dose",
            "1mg",
            "--benzo-times",
            "08:00,21:00",
            "--benzo",
            "zolpidem",
            "--benzo-dose",
            "10mg",
            "--benzo-times",
            "22:00",
            "--ketamine-series",
            "2027-02-01T10:00,3,3d",
        ]
    ]
    .concat()));
}

#[test]
fn benzos_table() {
    insta::assert_snapshot!(run(&["benzos"]));
}
