//! Requests passed on by pipelines are untrusted (issue 15, item 3): they may not name
//! files unless the command line allows it, errors never echo a file's contents, `-o`
//! may not overwrite the request, duplicate keys are refused and a byte-order mark is
//! not an error.

mod common;
use common::{assert_refused, run, taper};
use serde_json::Value;

fn batch(input: &str, args: &[&str]) -> Vec<Value> {
    let out = taper()
        .arg("batch")
        .args(args)
        .write_stdin(input.to_string())
        .output()
        .unwrap();
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn a_batch_line_may_not_read_files_unless_allowed_and_never_echoes_them() {
    let dir = tempfile::tempdir().unwrap();
    let secret = dir.path().join("secret.txt");
    std::fs::write(
        &secret,
        "root:x:0:0:root:/root:/bin/bash\npassword=hunter2\n",
    )
    .unwrap();
    let line = format!(
        r#"{{"drug":"citalopram","from":20,"drug_file":["{}"]}}"#,
        secret.display()
    );
    let refused = &batch(&line, &[])[0];
    assert_eq!(refused["code"], "not_allowed");
    assert_eq!(refused["field"], "drug_file");
    // Allowed, the file is read, and its error says where, not what the file holds.
    let read = &batch(&line, &["--allow-files"])[0];
    let error = read["error"].as_str().unwrap();
    assert!(error.contains("line 1"), "{error}");
    assert!(
        !error.contains("root:x") && !error.contains("hunter2"),
        "{error}"
    );
}

#[test]
fn a_request_file_names_files_only_with_allow_files_or_as_flags() {
    let dir = tempfile::tempdir().unwrap();
    let drug = dir.path().join("citalopram.toml");
    std::fs::copy("schedules/citalopram.toml", &drug).unwrap();
    let request = dir.path().join("request.json");
    std::fs::write(
        &request,
        format!(
            r#"{{"drug":"citalopram","from":20,"drug_file":["{}"]}}"#,
            drug.display()
        ),
    )
    .unwrap();
    let request = request.to_str().unwrap();
    assert_refused(
        &["plan", "--request", request],
        "request field \"drug_file\" names a file to read",
    );
    run(&["plan", "--request", request, "--allow-files"]);
    // The same file given as a flag beside the request is the caller's own choice.
    let bare = dir.path().join("bare.json");
    std::fs::write(&bare, r#"{"drug":"citalopram","from":20}"#).unwrap();
    run(&[
        "plan",
        "--request",
        bare.to_str().unwrap(),
        "--drug-file",
        drug.to_str().unwrap(),
    ]);
}

#[test]
fn the_plan_is_never_written_over_its_request() {
    let dir = tempfile::tempdir().unwrap();
    let request = dir.path().join("request.json");
    std::fs::write(&request, r#"{"drug":"citalopram","from":20}"#).unwrap();
    let path = request.to_str().unwrap();
    assert_refused(
        &["plan", "--request", path, "-o", path],
        "is the --request file",
    );
    assert_eq!(
        std::fs::read_to_string(&request).unwrap(),
        r#"{"drug":"citalopram","from":20}"#
    );
}

#[test]
fn duplicate_keys_are_refused_and_a_byte_order_mark_is_not_an_error() {
    let duplicate = &batch(
        r#"{"drug":"citalopram","from":"20mg","from":"2000mg"}"#,
        &[],
    )[0];
    assert_eq!(duplicate["ok"], false);
    assert!(
        duplicate["error"]
            .as_str()
            .unwrap()
            .contains("duplicate field"),
        "{duplicate}"
    );
    let bom = &batch("\u{feff}{\"drug\":\"citalopram\",\"from\":20}\n", &[])[0];
    assert_eq!(bom["ok"], true, "{bom}");
    let dir = tempfile::tempdir().unwrap();
    let request = dir.path().join("bom.json");
    std::fs::write(&request, "\u{feff}{\"drug\":\"citalopram\",\"from\":20}").unwrap();
    run(&["plan", "--request", request.to_str().unwrap()]);
}
