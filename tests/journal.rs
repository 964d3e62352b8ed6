//! `taper journal template` (issue 13): a blank dose and symptom journal with one row
//! per planned day, which `taper::journal::parse` reads back.

mod common;
use common::{run, taper};

#[test]
fn the_template_has_one_row_per_planned_day_and_reads_back() {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("plan.json");
    std::fs::write(
        &plan,
        run(&[common::FIXED_PLAN, &["--format", "json"]].concat()),
    )
    .unwrap();
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&plan).unwrap()).unwrap();
    let out = dir.path().join("journal.csv");
    run(&[
        "journal",
        "template",
        "--plan",
        plan.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    let text = std::fs::read_to_string(&out).unwrap();
    let entries = taper::journal::parse("journal.csv", &text).unwrap();
    // From the start to the first day without the drug, every day once, in order.
    let start: jiff::civil::Date = doc["start_date"].as_str().unwrap().parse().unwrap();
    let stop: jiff::civil::Date = doc["stop_date"].as_str().unwrap().parse().unwrap();
    assert_eq!(entries.first().unwrap().date, start);
    assert_eq!(entries.last().unwrap().date, stop);
    assert_eq!(entries.len() as i32, (stop - start).get_days() + 1);
    assert!(
        entries
            .windows(2)
            .all(|w| w[1].date == w[0].date.tomorrow().unwrap())
    );
    // Each day's planned dose is its step's dose, as the printout rounds it.
    for s in doc["steps"].as_array().unwrap() {
        let first: jiff::civil::Date = s["start_date"].as_str().unwrap().parse().unwrap();
        let entry = entries.iter().find(|e| e.date == first).unwrap();
        let dose = s["dose_mg"].as_f64().unwrap();
        assert!(
            (entry.planned_mg.unwrap() - dose).abs() < 0.006,
            "{first}: {dose}"
        );
    }
    assert!(
        entries
            .iter()
            .all(|e| e.taken_mg.is_none() && e.score.is_none() && e.note.is_empty())
    );
    assert_eq!(entries.last().unwrap().planned_mg, Some(0.0));
}

#[test]
fn a_file_that_is_not_a_plan_is_refused_in_one_sentence() {
    let out = taper()
        .args(["journal", "template", "--plan", "-"])
        .write_stdin("{\"schema_version\": 9}")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.starts_with("error: --plan is not a taper plan document"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(out.stdout.is_empty());
}
