//! `taper replan` (issue 13): a plan taken through three revisions (a hold, back to a
//! tolerated step with smaller steps, a dose the plan did not have), its history, dates
//! and doses; the documents it refuses; and plan identity in calendars.
//! (`tests/validate_schema.py` checks each revision against `taper schema plan`, and
//! `tests/validate_formats.py` imports the calendars into Python's `icalendar`.)

mod common;
use common::{assert_refused, run, run_json, taper};
use serde_json::Value;

const FIRST: &[&str] = &[
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
    "loop-1",
    "--format",
    "json",
];

/// Writes `text` to `name` in `dir`, returning the path.
fn save(dir: &std::path::Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_string()
}

fn replan(plan: &str, args: &[&str]) -> String {
    run(&[&["replan", "--plan", plan], args].concat())
}

fn steps(doc: &Value) -> &Vec<Value> {
    doc["steps"].as_array().unwrap()
}

fn date(v: &Value) -> jiff::civil::Date {
    v.as_str().unwrap().parse().unwrap()
}

/// The revisions: [r1, r2 (hold), r3 (back to step 2, 5-point steps), r4 (now 2 mg)].
fn revisions(dir: &std::path::Path) -> Vec<(String, Value)> {
    let r1 = run(FIRST);
    let p1 = save(dir, "r1.json", &r1);
    let r2 = replan(
        &p1,
        &[
            "--on",
            "2027-03-10",
            "--hold-until",
            "2027-04-20",
            "--format",
            "json",
        ],
    );
    let p2 = save(dir, "r2.json", &r2);
    let r3 = replan(
        &p2,
        &[
            "--on",
            "2027-05-10",
            "--back-to-step",
            "3",
            "--step-pp",
            "5",
            "--format",
            "json",
        ],
    );
    let p3 = save(dir, "r3.json", &r3);
    let r4 = replan(
        &p3,
        &["--on", "2027-07-01", "--now", "2mg", "--format", "json"],
    );
    let p4 = save(dir, "r4.json", &r4);
    [(p1, r1), (p2, r2), (p3, r3), (p4, r4)]
        .into_iter()
        .map(|(p, text)| (p, serde_json::from_str(&text).unwrap()))
        .collect()
}

/// Steps follow each other day after day, and every dose above the one before is a
/// rise the plan marks (`dose_raised`, with a warning naming the step).
fn assert_dates_and_doses(doc: &Value) {
    let steps = steps(doc);
    for pair in steps.windows(2) {
        assert_eq!(
            date(&pair[1]["start_date"]),
            date(&pair[0]["end_date"]).tomorrow().unwrap(),
            "{pair:?}"
        );
        let (before, after) = (
            pair[0]["dose_mg"].as_f64().unwrap(),
            pair[1]["dose_mg"].as_f64().unwrap(),
        );
        let marked = pair[1]["flags"]
            .as_array()
            .unwrap()
            .contains(&Value::from("dose_raised"));
        assert_eq!(
            after > before,
            marked,
            "step {}: {before} → {after}",
            pair[1]["step"]
        );
    }
    for w in doc["warnings"].as_array().unwrap() {
        if w["code"] == "dose_raised" {
            assert_eq!(w["severity"], "caution");
            assert!(
                w["message"]
                    .as_str()
                    .unwrap()
                    .contains("Only a re-plan raises a dose")
            );
        }
    }
    assert_eq!(steps.last().unwrap()["dose_mg"], 0.0);
}

/// `later` keeps `earlier`'s steps before `on` as taken (the one in progress ending the
/// day before), and its first new step starts on `on`.
fn assert_history(earlier: &Value, later: &Value, on: &str) {
    let on: jiff::civil::Date = on.parse().unwrap();
    let kept: Vec<&Value> = steps(earlier)
        .iter()
        .filter(|s| date(&s["start_date"]) < on)
        .collect();
    let (history, new) = steps(later).split_at(kept.len());
    for (was, now) in kept.iter().zip(history) {
        assert_eq!(now["taken"], true, "{now}");
        assert_eq!(now["start_date"], was["start_date"]);
        assert_eq!(now["dose_mg"], was["dose_mg"]);
        let end = date(&was["end_date"]).min(on.yesterday().unwrap());
        assert_eq!(date(&now["end_date"]), end);
    }
    assert_eq!(date(&new[0]["start_date"]), on);
    assert!(
        new.iter().all(|s| s.get("taken").is_none()),
        "new steps are not taken"
    );
}

#[test]
fn a_plan_through_three_revisions_keeps_its_history_and_marks_its_one_rise() {
    let dir = tempfile_dir("three");
    let docs = revisions(&dir);
    let [r1, r2, r3, r4] = [&docs[0].1, &docs[1].1, &docs[2].1, &docs[3].1];
    for (i, doc) in [r1, r2, r3, r4].iter().enumerate() {
        assert_eq!(doc["plan_id"], "loop-1");
        assert_eq!(doc["revision"], i as u64 + 1);
        assert_eq!(
            doc["request"], r1["request"],
            "every revision keeps the first request"
        );
        assert_eq!(doc["revisions"].as_array().map_or(0, Vec::len), i);
        assert_dates_and_doses(doc);
    }

    // Revision 2: step 2 (5.83 mg from 2027-03-01) is held until 2027-04-20.
    assert_history(r1, r2, "2027-03-10");
    let hold = &r2["revisions"][0];
    assert_eq!(hold["change"]["kind"], "hold");
    assert_eq!(hold["rise"], false);
    let held = &steps(r2)[3];
    assert_eq!(held["dose_mg"], steps(r1)[2]["dose_mg"]);
    assert_eq!(held["end_date"], "2027-04-19");
    assert_eq!(steps(r2)[4]["start_date"], "2027-04-20");
    assert_eq!(steps(r2)[4]["dose_mg"], steps(r1)[3]["dose_mg"]);
    assert!(steps(r2).iter().all(|s| {
        !s["flags"]
            .as_array()
            .unwrap()
            .contains(&Value::from("dose_raised"))
    }));

    // Revision 3: back to step 3's dose (the held 5.83 mg), then 5-point steps.
    assert_history(r2, r3, "2027-05-10");
    let back = &r3["revisions"][1];
    assert_eq!(back["change"]["kind"], "back_to_step");
    assert_eq!(back["rise"], true);
    assert_eq!(back["options"]["step_pp"], 5.0);
    let first = back["first_step"].as_u64().unwrap() as usize;
    assert_eq!(steps(r3)[first]["dose_mg"], steps(r2)[3]["dose_mg"]);
    assert!(steps(r3)[first - 1]["dose_mg"].as_f64() < steps(r3)[first]["dose_mg"].as_f64());
    let falls: Vec<f64> = steps(r3)[first + 1..steps(r3).len() - 1]
        .iter()
        .map(|s| s["occupancy_drop_pp"].as_f64().unwrap())
        .collect();
    assert!(falls.iter().all(|f| (f - 5.0).abs() < 1e-6), "{falls:?}");
    assert_eq!(r3["rule"]["pp"], 5.0);

    // Revision 4: the patient is on 2 mg; the rise of revision 3 stays marked in history.
    assert_history(r3, r4, "2027-07-01");
    let now = &r4["revisions"][2];
    assert_eq!(
        (now["change"]["kind"].as_str(), now["rise"].as_bool()),
        (Some("now"), Some(false))
    );
    let first4 = now["first_step"].as_u64().unwrap() as usize;
    assert_eq!(steps(r4)[first4]["dose_mg"], 2.0);
    assert_eq!(
        steps(r4)[first]["flags"],
        serde_json::json!(["dose_raised"])
    );
    let raised: Vec<&Value> = r4["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|w| w["code"] == "dose_raised")
        .collect();
    assert_eq!(raised.len(), 1);
    assert_eq!(raised[0]["steps"], serde_json::json!([first]));
    // The plan's dates are read off the steps.
    assert_eq!(r4["start_date"], "2027-01-04");
    assert_eq!(
        date(&r4["stop_date"]),
        date(&steps(r4).last().unwrap()["start_date"])
    );
}

#[test]
fn the_same_document_and_change_give_the_same_bytes() {
    let dir = tempfile_dir("bytes");
    let p1 = save(&dir, "r1.json", &run(FIRST));
    for format in ["json", "ics", "fhir", "table"] {
        let args = ["--on", "2027-03-10", "--hold", "6w", "--format", format];
        assert_eq!(replan(&p1, &args), replan(&p1, &args), "{format}");
    }
}

#[test]
fn a_document_that_does_not_recompute_is_refused_saying_how_it_knows() {
    let dir = tempfile_dir("refused");
    let text = run(FIRST);
    let mut doc: Value = serde_json::from_str(&text).unwrap();
    doc["steps"][3]["dose_mg"] = Value::from(3.0);
    let edited = save(
        &dir,
        "edited.json",
        &serde_json::to_string_pretty(&doc).unwrap(),
    );
    assert_refused(
        &[
            "replan",
            "--plan",
            &edited,
            "--on",
            "2027-03-10",
            "--hold",
            "6w",
        ],
        "steps[3].dose_mg is 3.0 in the file",
    );
    let mut doc: Value = serde_json::from_str(&text).unwrap();
    doc["schema_version"] = Value::from(2);
    let other = save(&dir, "v2.json", &doc.to_string());
    assert_refused(
        &[
            "replan",
            "--plan",
            &other,
            "--on",
            "2027-03-10",
            "--hold",
            "6w",
        ],
        "schema_version 2",
    );
    let mut doc: Value = serde_json::from_str(&text).unwrap();
    doc.as_object_mut().unwrap().remove("request");
    let old = save(&dir, "old.json", &doc.to_string());
    assert_refused(
        &[
            "replan",
            "--plan",
            &old,
            "--on",
            "2027-03-10",
            "--hold",
            "6w",
        ],
        "records no \"request\"",
    );
    let good = save(&dir, "r1.json", &text);
    for (args, expected) in [
        (
            &["--on", "2027-01-04", "--hold", "6w"][..],
            "not after the plan's first day",
        ),
        (
            &["--on", "2027-03-10", "--back-to", "30mg"],
            "above the plan's starting dose",
        ),
        (
            &["--on", "2027-03-10", "--back-to", "5mg"],
            "not above 5.83 mg",
        ),
        (
            &["--on", "2027-03-10", "--back-to-step", "5"],
            "not a step the patient had begun",
        ),
        (
            &["--on", "2027-03-10", "--hold-until", "2027-03-01"],
            "not after --on",
        ),
        (&["--on", "2027-10-01", "--hold", "2w"], "no dose to hold"),
    ] {
        assert_refused(&[&["replan", "--plan", &good], args].concat(), expected);
    }
}

#[test]
fn two_patients_on_the_same_drug_and_day_never_share_a_uid_or_an_id() {
    let plan = [
        "plan",
        "sertraline",
        "--from",
        "100mg",
        "--start",
        "2027-01-04",
    ];
    let uids = |format: &str, key: &str| -> Vec<String> {
        let out = run(&[&plan[..], &["--format", format]].concat());
        out.lines()
            .filter_map(|l| l.trim().strip_prefix(key).map(str::to_string))
            .collect()
    };
    let (a, b) = (uids("ics", "UID:"), uids("ics", "UID:"));
    assert!(!a.is_empty());
    assert!(a.iter().all(|u| !b.contains(u)), "{a:?} {b:?}");
    assert!(a.iter().all(|u| !u.contains("sertraline")), "{a:?}");
    let (a, b) = (uids("fhir", "\"id\": "), uids("fhir", "\"id\": "));
    assert!(
        a.iter()
            .all(|u| !b.contains(u) && !u.contains("sertraline"))
    );
    // A plan id names the plan, and is refused unless it is a safe token.
    let doc = run_json(&[&plan[..], &["--plan-id", "clinic-7.a", "--format", "json"]].concat());
    assert_eq!(doc["plan_id"], "clinic-7.a");
    assert_refused(
        &[&plan[..], &["--plan-id", "a b"]].concat(),
        "--plan-id \"a b\" is not a plan id",
    );
    let out = taper()
        .args(["plan", "--request", "-", "--format", "json"])
        .write_stdin(r#"{"drug": "citalopram", "from": 20, "plan_id": "x/y"}"#)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("\"plan_id\" \"x/y\" is not a plan id"));
}

/// A fresh directory under the target dir for this test's files.
fn tempfile_dir(name: &str) -> std::path::PathBuf {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("replan-{name}"));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Over drugs, products and every kind of change: the new steps never rise, the one
/// rise a change may make is flagged on its first step, and steps stay day after day.
#[test]
fn every_change_keeps_the_invariants_of_a_plan() {
    use taper::replan::{Change, ChangeRequest, RuleOptions};
    let catalogs = taper::Catalogs::embedded().unwrap();
    let requests = [
        r#"{"plan_id":"a","drug":"citalopram","from":20,"start":"2027-01-04","step_pp":10,"align":true}"#,
        r#"{"plan_id":"b","drug":"sertraline","from":100,"start":"2027-01-04","steps":8,"form":"auto"}"#,
        r#"{"plan_id":"c","drug":"escitalopram","from":10,"start":"2027-01-04","percent":20,"liquid":"1mg/ml","every":"2w"}"#,
        r#"{"plan_id":"d","drug":"venlafaxine","from":150,"start":"2027-01-04","ketamine":["2027-04-01T10:00"],"benzo":["lorazepam"],"benzo_dose":[1],"benzo_times":["22:00"]}"#,
    ];
    let on: jiff::civil::Date = "2027-03-15".parse().unwrap();
    let changes = [
        Change::Hold {
            until: "2027-05-01".parse().unwrap(),
        },
        Change::BackToStep { step: 1 },
        Change::Now { dose_mg: 1.0 },
        Change::Now { dose_mg: 60.0 },
    ];
    let mut made = 0;
    for text in requests {
        let request = taper::request::from_json(text).unwrap();
        let plan = taper::make_plan(&catalogs, &request).unwrap();
        let document = serde_json::to_string_pretty(&plan).unwrap();
        for change in &changes {
            for options in [
                RuleOptions::default(),
                RuleOptions {
                    step_pp: Some(4.0),
                    ..Default::default()
                },
            ] {
                let asked = ChangeRequest {
                    on,
                    change: change.clone(),
                    options,
                };
                let Ok(next) = taper::replan::replan(&catalogs, &document, &asked) else {
                    continue; // e.g. --now above the dose of a plan that cannot rise there
                };
                made += 1;
                let first = next.revisions[0].first_step;
                assert_eq!(next.steps[first].start_date, on);
                for (i, pair) in next.steps.windows(2).enumerate() {
                    assert_eq!(pair[1].start_date, pair[0].end_date.tomorrow().unwrap());
                    let rise = pair[1].dose_mg > pair[0].dose_mg;
                    assert_eq!(
                        rise,
                        i + 1 == first && next.revisions[0].rise,
                        "{text} {change:?} step {}",
                        i + 1
                    );
                    assert_eq!(rise, pair[1].flags.contains(&taper::plan::Code::DoseRaised));
                }
                assert!(next.steps[..first].iter().all(|s| s.taken));
                // The revision is itself a document that recomputes.
                let again = serde_json::to_string_pretty(&next).unwrap();
                let hold = ChangeRequest {
                    on: "2027-06-20".parse().unwrap(),
                    change: Change::Hold {
                        until: "2027-07-20".parse().unwrap(),
                    },
                    options: RuleOptions::default(),
                };
                if let Err(e) = taper::replan::replan(&catalogs, &again, &hold) {
                    assert!(
                        e.to_string().contains("no dose to hold")
                            || e.to_string().contains("not after"),
                        "{text} {change:?}: {e}"
                    );
                }
            }
        }
    }
    assert!(made >= 20, "only {made} re-plans were made");
}

#[test]
fn a_restart_after_the_end_and_today_on_a_revision() {
    let dir = tempfile_dir("restart");
    let p1 = save(&dir, "r1.json", &run(FIRST));
    // Stopped on 2027-09-13 (the plan's stop day is 2027-08-16); severe symptoms in
    // October: back to step 7's 0.31 mg. The stop step runs up to the change.
    let r2: Value = serde_json::from_str(&replan(
        &p1,
        &[
            "--on",
            "2027-10-04",
            "--back-to-step",
            "7",
            "--format",
            "json",
        ],
    ))
    .unwrap();
    let stop = &steps(&r2)[8];
    assert_eq!(
        (stop["dose_mg"].as_f64(), stop["end_date"].as_str()),
        (Some(0.0), Some("2027-10-03"))
    );
    assert_eq!(steps(&r2)[9]["start_date"], "2027-10-04");
    assert_dates_and_doses(&r2);
    let p2 = save(&dir, "r2.json", &r2.to_string());
    let today = run(&[
        "today",
        "--plan",
        &p2,
        "--on",
        "2027-10-05",
        "--format",
        "json",
    ]);
    let today: Value = serde_json::from_str(&today).unwrap();
    assert_eq!(today["day"]["step"], 9);
    assert_eq!(today["day"]["dose_mg"], steps(&r2)[7]["dose_mg"]);
}
