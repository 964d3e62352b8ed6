//! No silent cliff (issue 11, item 2): the five commands each give either a plan
//! whose final fall is within the plan's step plus the tolerance, or a plan whose first
//! line in every format is the `danger` headline, with no dated stop row, no stop date,
//! no stop event and no "first day without" line; and the options its warning suggests
//! plan the tail when run.

mod common;

use common::run;
use serde_json::Value;

/// The table, as typed by a prescriber.
const COMMANDS: &[&str] = &[
    "sertraline --from 100mg --form tablet --market uk --split half",
    "citalopram --from 20mg --step-pp 10 --align --tablets 10,20 --split half",
    "paroxetine --from 20mg --form auto --market uk",
    "duloxetine --from 60mg --form auto --market uk",
    "escitalopram --from 10mg --form auto --market uk",
];

/// The product options, which a remedy's options replace.
const PRODUCT_OPTIONS: &[&str] = &[
    "--form",
    "--market",
    "--tablets",
    "--split",
    "--capsule",
    "--liquid",
    "--syringe",
];

fn args(command: &str, extra: &[&str]) -> Vec<String> {
    let mut out: Vec<String> = ["plan"].iter().map(|s| s.to_string()).collect();
    out.extend(command.split_whitespace().map(str::to_string));
    out.extend(["--start", "2027-01-04"].map(str::to_string));
    out.extend(extra.iter().map(|s| s.to_string()));
    out
}

fn output(command: &str, extra: &[&str]) -> String {
    let args = args(command, extra);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    run(&args)
}

fn json(command: &str) -> Value {
    serde_json::from_str(&output(command, &["--format", "json"])).unwrap()
}

#[test]
fn each_command_reaches_the_tail_or_opens_with_the_danger_headline_and_no_stop() {
    for command in COMMANDS {
        let doc = json(command);
        let allowed = doc["formulation"]["allowed_fall_pp"].as_f64().unwrap();
        let steps = doc["steps"].as_array().unwrap();
        let last = steps.last().unwrap();
        let stop_fall = last["occupancy_drop_pp"].as_f64().unwrap();
        if doc["ending"] == "stop" && stop_fall <= allowed + 1e-9 {
            continue;
        }
        // Today, none of the five reaches the tail with its own products.
        assert_eq!(doc["ending"], "held", "{command}");
        assert_eq!(doc["status"], "needs_review", "{command}");
        assert!(doc["stop_date"].is_null() && doc["last_dose_date"].is_null());
        assert!(
            last["dose_mg"].as_f64().unwrap() > 0.0,
            "{command}: a stop row"
        );
        let held = &doc["held"];
        assert_eq!(held["step"], last["step"]);
        assert!(held["stop_fall_pp"].as_f64().unwrap() > allowed);
        assert!(!held["missing_doses_mg"].as_array().unwrap().is_empty());
        let headline = doc["headline"].as_str().unwrap();
        assert!(headline.contains("No stop date"), "{command}: {headline}");
        assert!(headline.contains(held["remedy"]["source"].as_str().unwrap()));
        assert_eq!(doc["warnings"][0]["code"], "final_fall_too_large");

        let table = output(command, &[]);
        let table_first = table.lines().nth(2).unwrap();
        assert!(table_first.starts_with("DANGER: Needs review"), "{command}");
        assert!(!table.contains("First day without"), "{command}");
        assert!(table.contains("No stop date: the plan ends at step"));
        assert!(!table.lines().any(|l| l.contains("  stop  ")), "{command}");

        let markdown = output(command, &["--format", "markdown"]);
        let after_title = markdown.lines().filter(|l| !l.trim().is_empty()).nth(1);
        assert!(after_title.unwrap().contains("DANGER"), "{command}");
        assert!(!markdown.contains("First day without"));

        let html = output(command, &["--format", "html"]);
        let body = &html[html.find("<body").unwrap()..];
        let danger = body.find("DANGER").unwrap();
        assert!(danger < body.find("<table").unwrap(), "{command}");
        assert!(!html.contains("First day without"));

        for layout in ["patient", "full"] {
            let csv = output(command, &["--format", "csv", "--csv", layout]);
            // The first row after the header opens with the headline.
            let first_row = csv.lines().nth(1).unwrap_or_default();
            assert!(first_row.contains("DANGER"), "{command} {layout}");
            assert!(!csv.contains("First day without"), "{command} {layout}");
            assert!(
                !csv.lines().any(|l| l.contains(",stop")),
                "{command} {layout}"
            );
        }

        // Unfolded: long ICS lines continue on lines that start with a space.
        let ics = output(command, &["--format", "ics"]).replace("\r\n ", "");
        assert!(!ics.contains(": stop"), "{command}: a stop event");
        assert!(ics.contains("hold this dose (do not stop)"), "{command}");

        let fhir: Value = serde_json::from_str(&output(command, &["--format", "fhir"])).unwrap();
        let dosage = fhir["dosageInstruction"].as_array().unwrap();
        assert_eq!(dosage.len(), steps.len(), "{command}");
        assert!(dosage.iter().all(|d| d["text"] != "stop"), "{command}");
        let note = fhir["note"][0]["text"].as_str().unwrap_or_default();
        assert!(note.contains("DANGER"), "{command}: {note}");
    }
}

#[test]
fn the_suggested_options_plan_the_tail_when_run() {
    for command in COMMANDS {
        let doc = json(command);
        let Some(options) = doc["held"]["remedy"]["options"].as_str() else {
            continue;
        };
        // The plan's own options without its product options, then the remedy's.
        let mut kept = Vec::new();
        let mut words = command.split_whitespace().peekable();
        while let Some(word) = words.next() {
            if PRODUCT_OPTIONS.contains(&word) {
                words.next();
            } else {
                kept.push(word);
            }
        }
        // N is the beads the patient counts in one capsule; any real count will do.
        let options = options.replace(" N", " 200");
        let replanned = format!("{} {options}", kept.join(" "));
        let doc = json(&replanned);
        assert_eq!(doc["ending"], "stop", "{replanned}");
        let allowed = doc["formulation"]["allowed_fall_pp"].as_f64().unwrap();
        let steps = doc["steps"].as_array().unwrap();
        let stop_fall = steps.last().unwrap()["occupancy_drop_pp"].as_f64().unwrap();
        assert!(stop_fall <= allowed + 1e-9, "{replanned}: {stop_fall}");
        assert!(
            doc["warnings"]
                .as_array()
                .unwrap()
                .iter()
                .all(|w| w["severity"] != "danger"),
            "{replanned}"
        );
    }
}

#[test]
fn paroxetine_is_never_told_to_count_beads() {
    let table = output("paroxetine --from 20mg --form auto --market uk", &[]);
    assert!(
        !table.contains("count beads") && !table.contains("--beads"),
        "{table}"
    );
    assert!(table.contains("special"));
}

#[test]
fn taper_today_holds_the_last_dose_of_a_plan_without_a_stop() {
    let dir = std::env::temp_dir().join(format!("taper-cliffs-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("plan.json");
    let text = output(COMMANDS[2], &["--format", "json"]);
    std::fs::write(&path, text).unwrap();
    let path = path.to_str().unwrap();
    let today = run(&["today", "--plan", path, "--on", "2029-01-01"]);
    assert!(today.starts_with("DANGER"), "{today}");
    assert!(today.contains("held since"), "{today}");
    assert!(today.contains("Do not stop"), "{today}");
    let _ = std::fs::remove_dir_all(&dir);
}
