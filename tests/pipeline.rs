//! Clinic pipelines (issue 6): requests as JSON documents, `taper batch`, schemas,
//! completions, the man page, and determinism.

mod common;
use common::{assert_refused, run, taper};
use serde_json::Value;

const GOOD: &str = r#"{"id":"a","plan_id":"batch-a","drug":"citalopram","from":20,"start":"2027-01-04","step_pp":10,"align":true}"#;

#[test]
fn a_request_file_plans_like_the_flags() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("request.json");
    std::fs::write(
        &path,
        r#"{"plan_id":"p1","drug":"citalopram","from":"20mg","start":"2027-01-04","step_pp":10,"align":true}"#,
    )
    .unwrap();
    let from_file = run(&[
        "plan",
        "--request",
        path.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let from_flags = run(&[
        "plan",
        "citalopram",
        "--from",
        "20mg",
        "--start",
        "2027-01-04",
        "--step-pp",
        "10",
        "--align",
        "--plan-id",
        "p1",
        "--format",
        "json",
    ]);
    assert_eq!(from_file, from_flags);
    // Flags beside the file override its fields, including its rule.
    let over: Value = serde_json::from_str(&run(&[
        "plan",
        "--request",
        path.to_str().unwrap(),
        "--steps",
        "4",
        "--format",
        "json",
    ]))
    .unwrap();
    assert_eq!(over["rule"]["kind"], "steps");
}

#[test]
fn a_misspelt_request_field_is_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("typo.json");
    std::fs::write(&path, r#"{"drug":"citalopram","from":20,"step_p":10}"#).unwrap();
    assert_refused(
        &["plan", "--request", path.to_str().unwrap()],
        "request field \"step_p\" is not a taper plan option; did you mean \"step_pp\"?",
    );
    std::fs::write(&path, "[1,2]").unwrap();
    assert_refused(
        &["plan", "--request", path.to_str().unwrap()],
        "must be a JSON object",
    );
}

fn batch(input: &str, extra: &[&str]) -> (Option<i32>, String, String) {
    let out = taper()
        .arg("batch")
        .args(extra)
        .write_stdin(input.to_string())
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn a_batch_plans_good_lines_and_reports_bad_ones_in_order() {
    let mut input = String::new();
    // 600 lines: more than two of the batch's 256-line chunks.
    for i in 0..600 {
        match i % 5 {
            2 => input.push_str(&format!(
                "{{\"id\":{i},\"drug\":\"citalopran\",\"from\":20}}\n"
            )),
            4 => input.push_str("{not json\n"),
            _ => input.push_str(&format!(
                "{{\"id\":{i},\"plan_id\":\"line-{i}\",\"drug\":\"sertraline\",\"from\":{},\"start\":\"2027-01-04\"}}\n",
                50 + i
            )),
        }
    }
    let (code, out, err) = batch(&input, &[]);
    assert_eq!(code, Some(3), "{err}");
    assert!(
        err.contains("batch: 360 planned, 240 failed (lines 3, 5, 8, 10"),
        "{err}"
    );
    let lines: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 600);
    for (i, line) in lines.iter().enumerate() {
        assert_eq!(line["line"], i + 1);
        match i % 5 {
            2 => {
                assert_eq!(line["ok"], false);
                assert_eq!(line["id"], i);
                assert!(line["error"].as_str().unwrap().contains("did you mean"));
            }
            4 => assert_eq!(
                (line["ok"].clone(), line["id"].clone()),
                (Value::Bool(false), Value::Null)
            ),
            _ => {
                assert_eq!(line["ok"], true);
                assert_eq!(line["plan"]["start_dose_mg"], (50 + i) as f64);
            }
        }
    }
    // Several threads give the same bytes in the same order, however the chunks split.
    for jobs in ["2", "3"] {
        let (code, parallel, _) = batch(&input, &["--jobs", jobs]);
        assert_eq!(code, Some(3));
        assert!(parallel == out, "--jobs {jobs} changed the output");
    }
}

#[test]
fn a_clean_batch_exits_0_and_is_deterministic() {
    let input = format!("{GOOD}\n{GOOD}\n");
    let (code, first, err) = batch(&input, &[]);
    assert_eq!(code, Some(0), "{err}");
    let (_, second, _) = batch(&input, &[]);
    assert_eq!(first, second);
    let lines: Vec<&str> = first.lines().collect();
    assert_eq!(lines.len(), 2);
    assert!(
        lines[0].starts_with(r#"{"id":"a","line":1,"ok":true,"plan":{"schema_version":1"#),
        "{}",
        lines[0]
    );
}

#[test]
fn a_batch_refuses_other_output_formats_per_line() {
    let (code, out, _) = batch(r#"{"drug":"citalopram","from":20,"format":"csv"}"#, &[]);
    assert_eq!(code, Some(3));
    assert!(
        out.contains("`taper batch` always writes JSON Lines"),
        "{out}"
    );
    let line: Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(line["code"], "unknown_field");
    assert_eq!(line["field"], "format");
    // The CSV options are the command's too.
    let (_, out, _) = batch(r#"{"drug":"citalopram","from":20,"csv":"full"}"#, &[]);
    assert!(out.contains("is the command's choice"), "{out}");
}

#[test]
fn schemas_completions_and_man_page() {
    let request: Value = serde_json::from_str(&run(&["schema", "request"])).unwrap();
    assert!(request["properties"]["step_pp"].is_object());
    assert!(request["properties"]["benzo_dose"].is_object());
    let plan: Value = serde_json::from_str(&run(&["schema", "plan"])).unwrap();
    for key in ["schema_version", "steps", "warnings", "curve"] {
        assert!(plan["properties"][key].is_object(), "{key}");
    }
    assert!(run(&["completions", "bash"]).contains("taper"));
    assert!(run(&["completions", "zsh"]).contains("#compdef taper"));
    assert!(run(&["man"]).contains(".TH taper"));
}

#[test]
fn a_batch_whose_reader_goes_away_stops_and_says_so() {
    use std::io::Read;
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("requests.jsonl");
    std::fs::write(&input, format!("{GOOD}\n").repeat(5_000)).unwrap();
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("taper"))
        .args(["batch", "--input"])
        .arg(&input)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Read one line's worth, then close the pipe as `| head -c 100` would.
    let mut first = [0u8; 100];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap();
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.starts_with("error: standard output was closed by its reader, so the batch stopped after input line "),
        "{err}"
    );
    assert!(!err.contains("5000 planned"), "{err}");

    // A batch small enough to sit in the output buffer until the end: the reader is
    // gone before anything is written (stdin is held back until then), so the final
    // flush is what fails, and it must not report success.
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("taper"))
        .arg("batch")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let mut stdin = child.stdin.take().unwrap();
    std::io::Write::write_all(&mut stdin, format!("{GOOD}\n{GOOD}\n").as_bytes()).unwrap();
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("closed by its reader, so the batch stopped after input line 2"),
        "{err}"
    );
}

#[test]
fn a_line_that_is_not_utf8_is_one_error_not_the_end_of_the_batch() {
    let mut input = format!("{GOOD}\n").into_bytes();
    input.extend(b"{\"drug\":\"citalopram\",\"from\":\"20\xffmg\"}\n");
    input.extend(format!("{GOOD}\n").into_bytes());
    let out = taper().arg("batch").write_stdin(input).output().unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert!(
        err.contains("batch: 2 planned, 1 failed (lines 2)"),
        "{err}"
    );
    let lines: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[1]["line"], 2);
    assert!(lines[1]["error"].as_str().unwrap().contains("not UTF-8"));
    assert_eq!(
        (lines[0]["ok"].clone(), lines[2]["ok"].clone()),
        (Value::Bool(true), Value::Bool(true))
    );
}

#[test]
fn a_batch_whose_plans_grow_suddenly_keeps_every_line_in_order() {
    // Small plans, then plans of about 530 KB (--daily over twenty 26-week steps), then
    // small ones: the workers stop at their share of the memory budget and the lines
    // they did not reach are planned in the next chunk. Nothing may be lost, repeated
    // or reordered, whatever the number of threads.
    let big = r#"{"plan_id":"big","drug":"sertraline","from":200,"start":"2027-01-04","every":"26w","steps":20,"daily":true}"#;
    let mut input = String::new();
    for i in 0..60 {
        let line = if (20..32).contains(&i) { big } else { GOOD };
        input.push_str(line);
        input.push('\n');
    }
    let (code, one, err) = batch(&input, &[]);
    assert_eq!(code, Some(0), "{err}");
    let numbers: Vec<u64> = one
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["line"]
                .as_u64()
                .unwrap()
        })
        .collect();
    assert_eq!(numbers, (1..=60).collect::<Vec<_>>());
    assert!(one.len() > 4 << 20, "the big plans exceed the budget");
    for jobs in ["2", "3"] {
        let (code, parallel, _) = batch(&input, &["--jobs", jobs]);
        assert_eq!(code, Some(0));
        assert!(parallel == one, "--jobs {jobs} changed the output");
    }
}

#[test]
fn a_folder_given_as_batch_input_is_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_str().unwrap();
    assert_refused(
        &["batch", "--input", path],
        "is a folder; give a JSON Lines file",
    );
    // `-` is standard input, even where a folder happens to be called `-`.
    std::fs::create_dir(dir.path().join("-")).unwrap();
    let out = taper()
        .current_dir(dir.path())
        .args(["batch", "--input", "-"])
        .write_stdin(format!("{GOOD}\n"))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A single plan parses only its drug's file when the drug is named as its file is;
/// any other spelling falls back to the whole catalog. Either way the plan is the same.
#[test]
fn one_drugs_catalog_gives_the_same_plan_as_the_whole_catalog() {
    use taper::Catalogs;
    let whole = Catalogs::embedded().unwrap();
    for drug in ["citalopram", "Sertraline", " escitalopram ", "celexa"] {
        let request = taper::request::from_json(&format!(
            r#"{{"drug":"{drug}","from":"20mg","start":"2027-01-04","plan_id":"same"}}"#
        ))
        .unwrap();
        let one = Catalogs::for_drug(&request.plan.drug).unwrap();
        let a = serde_json::to_string(&taper::make_plan(&one, &request).unwrap()).unwrap();
        let b = serde_json::to_string(&taper::make_plan(&whole, &request).unwrap()).unwrap();
        assert_eq!(a, b, "{drug}");
    }
}
