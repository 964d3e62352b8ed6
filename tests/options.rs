//! Every option of a request, and what happens when it is given where it can do
//! nothing (issue 10): it is refused, exit 2, naming the option the way it was written
//! (`--split` on the command line, `"split"` in a JSON request), never dropped.
//!
//! Each field of `taper::request::FIELDS` must be listed here, either with a case in
//! which it has no effect or as always having one, so a new option forces a decision.

mod common;
use common::{assert_refused, taper};
use serde_json::{Map, Value, json};
use taper::request::FIELDS;

/// Fields that act in every request that may carry them (the request's core, and the
/// options that themselves name products or sessions); `id` is the caller's and comes
/// back from `taper batch`; `plan_id` names the plan in every document (the JSON plan,
/// calendar UIDs, FHIR ids) and is a pipeline's, like `id`, whatever the format.
const ALWAYS: &[&str] = &[
    "id",
    "plan_id",
    "drug",
    "from",
    "start",
    "every",
    "hold",
    "step_pp",
    "steps",
    "percent",
    "min_dose",
    "region",
    "emax",
    "ed50",
    "tablets",
    "capsule",
    "liquid",
    "form",
    "daily",
    "ketamine",
    "ketamine_series",
    "benzo",
];

const BASE: &[&str] = &[
    "plan",
    "citalopram",
    "--from",
    "20mg",
    "--start",
    "2027-01-04",
];
const SESSION: &[&str] = &["--ketamine", "2027-02-03T10:00"];
const LORAZEPAM: &[&str] = &[
    "--benzo",
    "lorazepam",
    "--benzo-dose",
    "1mg",
    "--benzo-times",
    "08:00",
];

/// A field, extra flags that make a request in which the field can do nothing, and
/// the field's own flags.
struct Case {
    field: &'static str,
    context: Vec<&'static str>,
    flags: Vec<String>,
}

fn case(field: &'static str, context: &[&[&'static str]], flags: &[&str]) -> Case {
    Case {
        field,
        context: context.concat(),
        flags: flags.iter().map(|f| f.to_string()).collect(),
    }
}

fn cases(dir: &std::path::Path) -> Vec<Case> {
    let sertraline = dir.join("sertraline.toml");
    std::fs::copy("schedules/sertraline.toml", &sertraline).unwrap();
    let diazepam = dir.join("diazepam.toml");
    std::fs::copy("schedules/benzodiazepines/diazepam.toml", &diazepam).unwrap();
    let sertraline = sertraline.to_str().unwrap().to_string();
    let diazepam = diazepam.to_str().unwrap().to_string();
    vec![
        case("align", &[], &["--align"]),
        case("hill", &[], &["--hill", "1.2"]),
        // A drug file for another drug than the one planned.
        case("drug_file", &[], &["--drug-file", &sertraline]),
        case("split", &[], &["--split", "half"]),
        case("split", &[&["--capsule", "20"]], &["--split", "half"]),
        case("split", &[&["--form", "liquid"]], &["--split", "half"]),
        case("beads_per_capsule", &[], &["--beads-per-capsule", "200"]),
        case(
            "beads_per_capsule",
            &[&["--tablets", "10"]],
            &["--beads-per-capsule", "200"],
        ),
        case("syringe", &[], &["--syringe", "0.1ml"]),
        case("syringe", &[&["--tablets", "10"]], &["--syringe", "0.1ml"]),
        case("syringe", &[&["--form", "tablet"]], &["--syringe", "0.1ml"]),
        case("market", &[], &["--market", "uk"]),
        case("tolerance", &[], &["--tolerance", "10"]),
        case("dispense_every", &[], &["--dispense-every", "4w"]),
        case("strips", &[], &["--strips"]),
        case("bottle", &[], &["--bottle", "100ml"]),
        case("bottle", &[&["--capsule", "20"]], &["--bottle", "100ml"]),
        case("benzo_dose", &[SESSION], &["--benzo-dose", "1mg"]),
        case("benzo_times", &[SESSION], &["--benzo-times", "08:00"]),
        case("benzo_hold", &[], &["--benzo-hold", "24h"]),
        case("benzo_hold", &[SESSION], &["--benzo-hold", "24h"]),
        case("benzo_after", &[SESSION], &["--benzo-after", "4h"]),
        case("equivalence", &[SESSION], &["--equivalence", "va-dod"]),
        case("benzo_taper", &[], &["--benzo-taper", "10%/2w"]),
        case(
            "benzo_taper_as",
            &[SESSION, LORAZEPAM],
            &["--benzo-taper-as", "diazepam"],
        ),
        case(
            "benzo_market",
            &[SESSION, LORAZEPAM],
            &["--benzo-market", "uk"],
        ),
        case("benzo_file", &[SESSION], &["--benzo-file", &diazepam]),
        // A benzodiazepine file for another drug than the one taken.
        case(
            "benzo_file",
            &[SESSION, LORAZEPAM],
            &["--benzo-file", &diazepam],
        ),
        case("patient", &[], &["--patient", "A. Patient"]),
        case(
            "patient",
            &[&["--format", "csv"]],
            &["--patient", "A. Patient"],
        ),
        case(
            "prescriber",
            &[&["--format", "json"]],
            &["--prescriber", "Dr B"],
        ),
        case(
            "contact",
            &[&["--format", "html"]],
            &["--contact", "Clinic 0161 555 0100"],
        ),
        case("contact", &[], &["--contact", "Clinic 0161 555 0100"]),
        case("remind", &[&["--format", "html"]], &["--remind", "08:00"]),
        case("ics_titles", &[], &["--ics-titles", "full"]),
    ]
}

#[test]
fn every_field_is_listed_here() {
    let dir = tempfile::tempdir().unwrap();
    let cases = cases(dir.path());
    for field in FIELDS {
        let listed = ALWAYS.contains(field) || cases.iter().any(|c| c.field == *field);
        assert!(
            listed,
            "request field {field} is not covered by tests/options.rs"
        );
    }
}

#[test]
fn an_option_that_would_do_nothing_is_refused_by_its_flag() {
    let dir = tempfile::tempdir().unwrap();
    for case in cases(dir.path()) {
        let flag = format!("--{}", case.field.replace('_', "-"));
        let flags: Vec<&str> = case.flags.iter().map(String::as_str).collect();
        let args = [BASE, &case.context, &flags].concat();
        assert_refused(&args, &flag);
    }
}

/// The same case as a JSON request line of `taper batch`, where it is that line's
/// error object: code `no_effect`, the field, and the field named as in JSON.
fn as_json(case: &Case) -> Value {
    let mut request = Map::new();
    request.insert("drug".into(), json!("citalopram"));
    request.insert("from".into(), json!("20mg"));
    request.insert("start".into(), json!("2027-01-04"));
    let words: Vec<&str> = case
        .context
        .iter()
        .copied()
        .chain(case.flags.iter().map(String::as_str))
        .collect();
    let mut i = 0;
    while i < words.len() {
        let key = words[i].trim_start_matches("--").replace('-', "_");
        let value = words.get(i + 1).filter(|v| !v.starts_with("--"));
        let many = matches!(
            key.as_str(),
            "ketamine" | "benzo" | "benzo_dose" | "benzo_times" | "benzo_file" | "drug_file"
        );
        let value = match (value, key.as_str()) {
            (None, _) => json!(true),
            (Some(v), "tablets" | "capsule") => json!([v.parse::<f64>().unwrap()]),
            (Some(v), "tolerance" | "hill") => json!(v.parse::<f64>().unwrap()),
            (Some(v), "beads_per_capsule") => json!(v.parse::<u32>().unwrap()),
            (Some(v), _) if many => json!([v]),
            (Some(v), _) => json!(v),
        };
        i += if value == json!(true) { 1 } else { 2 };
        request.insert(key, value);
    }
    Value::Object(request)
}

#[test]
fn in_a_batch_the_same_option_is_that_lines_error_with_its_field() {
    let dir = tempfile::tempdir().unwrap();
    // Batch plans write JSON, so the format-dependent cases differ: leave them out.
    let cases: Vec<Case> = cases(dir.path())
        .into_iter()
        .filter(|c| !c.context.contains(&"--format"))
        .collect();
    let input: String = cases
        .iter()
        .map(|c| as_json(c).to_string() + "\n")
        .collect();
    // The cases with files need the command's leave to read them.
    let out = taper()
        .args(["batch", "--allow-files"])
        .write_stdin(input)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let lines: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), cases.len());
    for (case, line) in cases.iter().zip(&lines) {
        assert_eq!(line["ok"], false, "{}: {line}", case.field);
        assert_eq!(line["code"], "no_effect", "{}: {line}", case.field);
        assert_eq!(line["field"], case.field, "{line}");
        let message = line["error"].as_str().unwrap();
        assert!(
            message.contains(&format!("\"{}\"", case.field)),
            "{}: the message should name \"{}\": {message}",
            case.field,
            case.field
        );
    }
}

/// The command's output options beside `--format` (not request fields: they say how a
/// plan is written, and `taper batch` always writes JSON) are refused the same way
/// where the output is not CSV, in every command that has them.
#[test]
fn csv_options_are_refused_where_the_output_is_not_csv() {
    let dir = tempfile::tempdir().unwrap();
    let ics = dir.path().join("plan.ics");
    let ics = ics.to_str().unwrap();
    let plan: &[&str] = BASE;
    let ketamine: &[&str] = &[
        "ketamine",
        "--start",
        "2027-01-04",
        "--ketamine",
        "2027-02-03T10:00",
    ];
    let drugs: &[&str] = &["drugs"];
    let curve: &[&str] = &["curve", "citalopram"];
    let options: &[(&[&str], &str)] = &[
        (&["--csv", "full"], "--csv"),
        (&["--csv", "patient"], "--csv"),
        (&["--csv-bom"], "--csv-bom"),
        (&["--csv-decimal", "comma"], "--csv-decimal"),
        (&["--csv-decimal", "point"], "--csv-decimal"),
    ];
    for (flags, flag) in options {
        // `taper drugs` and `taper curve` have one CSV, and so no --csv.
        let commands = match *flag {
            "--csv" => vec![plan, ketamine],
            _ => vec![plan, ketamine, drugs, curve],
        };
        for context in commands {
            assert_refused(&[context, flags].concat(), flag);
            assert_refused(&[context, flags, &["--format", "json"]].concat(), flag);
        }
        assert_refused(&[plan, flags, &["-o", ics]].concat(), flag);
        assert_refused(&[plan, flags, &["--format", "html"]].concat(), flag);
    }
    assert!(std::fs::read_dir(dir.path()).unwrap().next().is_none());
}
