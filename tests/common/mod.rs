//! Helpers shared by the end-to-end tests: run the built `taper` binary.
#![allow(dead_code)] // each test file uses a different subset

use assert_cmd::Command;
use serde_json::Value;

/// The fixed plan the format and snapshot tests render: dates and steps never change.
pub const FIXED_PLAN: &[&str] = &[
    "plan",
    "citalopram",
    "--from",
    "20mg",
    "--start",
    "2027-01-04",
    "--every",
    "4w",
    "--step-pp",
    "10",
    "--align",
    "--plan-id",
    "fixed-plan",
];

pub fn taper() -> Command {
    Command::cargo_bin("taper").unwrap()
}

/// Runs taper with `args`, requires success, returns stdout.
pub fn run(args: &[&str]) -> String {
    let out = taper().args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Runs taper with `args` (which must ask for JSON) and parses stdout.
pub fn run_json(args: &[&str]) -> Value {
    serde_json::from_str(&run(args)).unwrap()
}

/// `taper plan ARGS --start 2027-01-04 --format json`, parsed: a plan with fixed dates.
pub fn plan_json(args: &[&str]) -> Value {
    run_json(
        &[
            &["plan"],
            args,
            &[
                "--start",
                "2027-01-04",
                "--plan-id",
                "test-plan",
                "--format",
                "json",
            ],
        ]
        .concat(),
    )
}

/// Requires the contract for bad input (README.md, "Exit codes"): exit code 2, nothing on
/// stdout, one line on stderr starting `error: ` and containing `expected`, no panic.
pub fn assert_refused(args: &[&str], expected: &str) {
    let out = taper().args(args).output().unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
    assert!(out.stdout.is_empty(), "{args:?} wrote to stdout");
    assert!(err.starts_with("error: "), "{args:?}: {err}");
    assert_eq!(
        err.trim_end().lines().count(),
        1,
        "{args:?}: more than one line: {err}"
    );
    assert!(
        err.contains(expected),
        "{args:?}: expected {expected:?} in {err}"
    );
    assert!(!err.contains("panicked"), "{args:?}: {err}");
}
