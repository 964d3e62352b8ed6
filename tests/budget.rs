//! The work budget (issue 15, items 1–3 and 6): requests that would take minutes and
//! gigabytes are refused in one sentence, exit 2 (a batch line: its error object, exit
//! 3), before anything large is allocated. Each test here ran for tens of seconds and
//! gigabytes, or aborted, before the budget: the heavy ones run under a memory ulimit so
//! a regression fails instead of eating the machine.

mod common;
use common::taper;
use serde_json::Value;
use std::process::Command;

/// Runs the built binary through `sh` with a 1 GB address-space limit and a timeout.
fn bounded(args: &str, stdin: Option<&std::path::Path>) -> std::process::Output {
    let bin = assert_cmd::cargo::cargo_bin("taper");
    let redirect = stdin.map_or(String::new(), |p| format!(" < '{}'", p.display()));
    Command::new("sh")
        .arg("-c")
        .arg(format!(
            "ulimit -v 1000000; exec timeout 60 '{}' {args}{redirect}",
            bin.display()
        ))
        .output()
        .unwrap()
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Issue 15, case 1: 20 regimens × 1,440 dose times, a 720 h hold, 100 sessions.
fn case_one_line() -> String {
    let times: Vec<String> = (0..1440)
        .map(|m| format!("{:02}:{:02}", m / 60, m % 60))
        .collect();
    let benzos = ["lorazepam", "diazepam", "clonazepam", "alprazolam"].repeat(5);
    serde_json::json!({
        "id": "bad", "drug": "citalopram", "from": "20mg", "start": "2027-01-04",
        "benzo": benzos,
        "benzo_dose": vec!["1mg"; 20], "benzo_times": vec![times.join(","); 20],
        "benzo_hold": "720h", "ketamine_series": ["2027-02-03T10:00,100,1d"],
    })
    .to_string()
}

const GOOD: &str = r#"{"id":"good","drug":"citalopram","from":"20mg","start":"2027-01-04"}"#;

#[test]
fn the_huge_batch_line_is_one_error_between_two_plans_and_leaves_no_temp_file() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    let line = case_one_line();
    assert!(line.len() > 170_000);
    std::fs::write(&input, format!("{GOOD}\n{line}\n{GOOD}\n")).unwrap();
    let outdir = dir.path().join("out");
    std::fs::create_dir(&outdir).unwrap();
    let result = outdir.join("results.jsonl");
    let out = bounded(
        &format!(
            "batch --input '{}' -o '{}'",
            input.display(),
            result.display()
        ),
        None,
    );
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let lines: Vec<Value> = std::fs::read_to_string(&result)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(
        [&lines[0]["ok"], &lines[1]["ok"], &lines[2]["ok"]],
        [&Value::Bool(true), &Value::Bool(false), &Value::Bool(true)]
    );
    assert_eq!(lines[1]["exit_code"], 2);
    assert!(
        lines[1]["error"].as_str().unwrap().len() < 400,
        "{}",
        lines[1]
    );
    let left: Vec<_> = std::fs::read_dir(&outdir).unwrap().collect();
    assert_eq!(left.len(), 1, "a temporary file was left: {left:?}");
}

#[test]
fn the_same_line_as_flags_is_refused_naming_the_option() {
    let times: Vec<String> = (0..1440)
        .map(|m| format!("{:02}:{:02}", m / 60, m % 60))
        .collect();
    let mut args = vec![
        "ketamine".to_string(),
        "--start".into(),
        "2027-01-04".into(),
    ];
    for _ in 0..2 {
        args.extend(
            [
                "--benzo",
                "lorazepam",
                "--benzo-dose",
                "1mg",
                "--benzo-times",
            ]
            .map(String::from),
        );
        args.push(times.join(","));
    }
    args.extend(
        [
            "--benzo-hold",
            "720h",
            "--ketamine-series",
            "2027-02-03T10:00,100,1d",
        ]
        .map(String::from),
    );
    let out = taper().args(&args).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("--benzo-times") && err.lines().count() == 1,
        "{err}"
    );
}

/// Case 2: repeating --ketamine-series got round the per-series cap of 100.
#[test]
fn sessions_are_counted_over_every_series() {
    let mut args: Vec<String> =
        "ketamine --start 2027-01-01 --benzo lorazepam --benzo-dose 1mg --benzo-times 08:00,20:00"
            .split(' ')
            .map(String::from)
            .collect();
    let first = jiff::civil::date(2027, 2, 3);
    for day in 0..2000 {
        let d = first.checked_add(jiff::Span::new().days(day)).unwrap();
        args.push("--ketamine-series".into());
        args.push(format!("{d}T10:00,1,1d"));
    }
    let out = taper().args(&args).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("2000 ketamine sessions") && err.contains("at most 400"),
        "{err}"
    );
    // At the limit, the plan is made (in time linear in the sessions).
    args.truncate(args.len() - 2 * 1600);
    let out = taper()
        .args(&args)
        .arg("--format")
        .arg("json")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        report["ketamine"]["sessions"].as_array().unwrap().len(),
        400
    );
}

/// Case 3: a --daily plan of 1.8 million days.
#[test]
fn a_daily_plan_longer_than_the_budget_is_refused() {
    for format in ["ics", "csv", "fhir", "json"] {
        let out = bounded(
            &format!(
                "plan fluoxetine --from 20mg --every 3650d --steps 500 --daily --format {format}"
            ),
            None,
        );
        assert_eq!(out.status.code(), Some(2), "{format}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("--daily would make a row for each of"),
            "{}",
            stderr(&out)
        );
    }
}

#[test]
fn thousands_of_tablet_strengths_are_refused() {
    let strengths: Vec<u32> = (1..=130_000).collect();
    let request = serde_json::json!({"drug": "citalopram", "from": "20mg", "tablets": strengths});
    let out = taper()
        .args(["plan", "--request", "-"])
        .write_stdin(request.to_string())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("\"tablets\" gives 130000 strengths"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn requests_are_read_within_a_size_limit() {
    let out = bounded("plan --request /dev/zero", None);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("larger than 1048576 bytes"),
        "{}",
        stderr(&out)
    );
    let out = bounded("plan --request -", Some(std::path::Path::new("/dev/zero")));
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let out = bounded("plan citalopram --from 20mg --drug-file /dev/zero", None);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
}

#[test]
fn a_ten_megabyte_drug_name_is_refused_quickly_and_not_echoed() {
    let name = "x".repeat(10_000_000);
    let request = format!(r#"{{"drug":"{name}","from":"20mg"}}"#);
    let out = taper()
        .args(["plan", "--request", "-"])
        .write_stdin(request)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stderr.len() < 400, "{}", stderr(&out));
    let key = format!(
        r#"{{"{}":1,"drug":"citalopram","from":"20mg"}}"#,
        "y".repeat(100_000)
    );
    let out = taper().arg("batch").write_stdin(key).output().unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert!(
        out.stdout.len() < 600,
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn control_characters_in_requests_are_refused_and_never_reach_the_terminal() {
    let out = taper()
        .args(["plan", "citalopram\u{1b}[2J\u{7}", "--from", "20mg"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        !stderr(&out).chars().any(|c| c.is_control() && c != '\n'),
        "{:?}",
        stderr(&out)
    );
    let out = taper()
        .args([
            "plan",
            "citalopram",
            "--from",
            "20mg",
            "--format",
            "html",
            "--patient",
            "J. Doe\u{b}\u{c}",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("control character"),
        "{}",
        stderr(&out)
    );
}
