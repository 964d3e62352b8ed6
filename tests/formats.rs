//! End-to-end tests of the printout and calendar formats (issue 5): HTML, Markdown, ICS
//! and FHIR, through the binary. Structure is checked here; `tests/validate_formats.py`
//! checks the same outputs with independent parsers (RFC 5545, FHIR R4, HTML, Markdown).

mod common;
use common::{assert_refused, run, run_json, taper};
use serde_json::Value;

const PLAN: &[&str] = common::FIXED_PLAN;

const KETAMINE: &[&str] = &[
    "--ketamine-series",
    "2027-02-03T10:00,2,3d",
    "--benzo",
    "lorazepam",
    "--benzo-dose",
    "1mg",
    "--benzo-times",
    "08:00,21:00",
];

fn plan(extra: &[&str]) -> String {
    run(&[PLAN, extra].concat())
}

fn plan_json(extra: &[&str]) -> Value {
    run_json(&[PLAN, extra, &["--format", "json"]].concat())
}

/// Printouts carry the date they were made (today); snapshots name it `[made-on]`. Only
/// the places that show it are rewritten, so a plan date that happens to be today stays.
fn redact_today(text: &str) -> String {
    let today = jiff::Zoned::now().date();
    let mut text = text.to_string();
    for day in [Some(today), today.yesterday().ok()].into_iter().flatten() {
        for (before, after) in [
            ("Made on</dt><dd>", "</dd>"),
            ("**Made on:** ", "\n"),
            ("\"authoredOn\": \"", "\""),
            (" on ", ". "),
        ] {
            text = text.replace(
                &format!("{before}{day}{after}"),
                &format!("{before}[made-on]{after}"),
            );
        }
    }
    text
}

/// ICS content lines, unfolded (RFC 5545 §3.1).
fn unfold(ics: &str) -> Vec<String> {
    ics.replace("\r\n ", "")
        .lines()
        .map(str::to_string)
        .collect()
}

// --- HTML -----------------------------------------------------------------------------

/// The body rows of the table of `class`.
fn tbody<'a>(html: &'a str, class: &str) -> &'a str {
    let table = html
        .split(&format!("<table class=\"{class}\">"))
        .nth(1)
        .unwrap();
    let body = table.split("<tbody>").nth(1).unwrap();
    body.split("</tbody>").next().unwrap()
}

/// Text as it must appear in the page.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

#[test]
fn html_has_one_row_per_step_and_the_chart() {
    let html = plan(&["--format", "html"]);
    let steps = plan_json(&[])["steps"].as_array().unwrap().len();
    let body = tbody(&html, "steps");
    assert_eq!(body.matches("<tr").count(), steps);
    assert!(html.contains("<svg class=\"chart\""));
    assert!(html.contains("class=\"dose\"") && html.contains("class=\"occupancy\""));
    for label in ["Dose (mg/day)", "Occupancy (%)"] {
        assert!(html.contains(label), "{label}");
    }
}

#[test]
fn html_is_self_contained_and_prints_cleanly() {
    let html = plan(&["--format", "html"]);
    assert!(html.starts_with("<!DOCTYPE html>"));
    for rule in [
        "@page { size: auto; margin: 15mm }",
        "thead { display: table-header-group }",
        "tr { break-inside: avoid",
        // Pages after the first are numbered and name the plan (tests/print_check.py
        // checks the printed PDF).
        "@top-right { content: \"Page \" counter(page) \" of \" counter(pages)",
        "@page :first { @top-left { content: none } @top-right { content: none } }",
        "@top-left { content: \"Taper plan",
    ] {
        assert!(html.contains(rule), "{rule}");
    }
    // Nothing is fetched: no script, stylesheet link, image, font or import.
    for fetch in [
        "<script", "<link", "<img", "src=", "url(", "@import", "https://",
    ] {
        assert!(!html.contains(fetch), "{fetch}");
    }
}

#[test]
fn html_escapes_everything_the_user_gives() {
    let html = plan(&[
        "--format",
        "html",
        "--patient",
        "<script>alert(1)</script>",
        "--prescriber",
        "Dr \"A\" & <b>B</b>",
    ]);
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("Dr &quot;A&quot; &amp; &lt;b&gt;B&lt;/b&gt;"));
    assert!(!html.contains("<script") && !html.contains("<b>"));
}

#[test]
fn html_says_what_it_rests_on_and_everything_the_plan_warns() {
    let html = plan(&[KETAMINE, &["--format", "html", "--prescriber", "Dr Lee"]].concat());
    let doc = plan_json(KETAMINE);
    assert!(html.contains(&escape(doc["notice"].as_str().unwrap())));
    assert!(html.contains("Dr Lee"));
    assert!(html.contains("taper 0.1.0"));
    assert!(html.contains("secondary (from a secondary source"));
    assert!(html.contains(&jiff::Zoned::now().date().to_string()));
    for w in doc["warnings"].as_array().unwrap() {
        let message = w["message"].as_str().unwrap();
        assert!(html.contains(&escape(message)), "{message}");
    }
    // Two sessions, each holding the 08:00 dose.
    let sessions = tbody(&html, "sessions");
    assert_eq!(sessions.matches("<tr").count(), 2);
    assert_eq!(
        sessions.matches("hold — confirm with prescriber").count(),
        2
    );
    // Flags are words that wrap; the code is kept as a tooltip and beside the warning.
    assert_eq!(sessions.matches(">Doses held</span>").count(), 2);
    assert!(!sessions.contains(">held_doses<"));
    assert!(html.contains("<strong>Doses held.</strong>") && html.contains("(held_doses)"));
}

// --- Markdown -------------------------------------------------------------------------

#[test]
fn markdown_has_a_gfm_table_row_per_step_and_escapes_cells() {
    let md = plan(&["--format", "markdown", "--patient", "A | B *C*"]);
    let steps = plan_json(&[])["steps"].as_array().unwrap().len();
    let header = md.lines().position(|l| l.starts_with("| Step |")).unwrap();
    let lines: Vec<&str> = md.lines().collect();
    assert_eq!(lines[header + 1], "|---:|---|---|---:|---:|---:|---:|---|");
    let rows = lines[header + 2..]
        .iter()
        .take_while(|l| l.starts_with('|'))
        .count();
    assert_eq!(rows, steps);
    assert!(md.contains("A \\| B \\*C\\*"));
    assert!(md.contains("This plan is for review with the prescriber."));
}

#[test]
fn markdown_marks_every_held_dose() {
    let md = plan(&[KETAMINE, &["--format", "markdown"]].concat());
    assert!(md.contains("## Ketamine sessions and the benzodiazepine hold"));
    assert!(md.matches("hold — confirm with prescriber").count() >= 2);
}

// --- ICS ------------------------------------------------------------------------------

#[test]
fn ics_has_an_all_day_event_per_step_and_timed_sessions_and_holds() {
    let ics = plan(&[KETAMINE, &["--format", "ics"]].concat());
    let doc = plan_json(KETAMINE);
    let steps = doc["steps"].as_array().unwrap();
    assert!(ics.contains("\r\n") && ics.starts_with("BEGIN:VCALENDAR\r\n"));
    let lines = unfold(&ics);
    assert_eq!(ics.matches("BEGIN:VEVENT").count(), steps.len() + 2 + 2);
    for s in steps {
        let day = s["start_date"].as_str().unwrap().replace('-', "");
        assert!(
            lines.contains(&format!("DTSTART;VALUE=DATE:{day}")),
            "{day}"
        );
    }
    assert!(lines.contains(&"DTEND;VALUE=DATE:20270201".to_string()));
    assert!(lines.contains(&"DTSTART:20270203T100000".to_string()));
    assert!(lines.contains(&"DTSTART:20270202T220000".to_string()));
    assert!(lines.contains(&"UID:fixed-plan-step-2027-03-01@taper".to_string()));
    let notice = "the prescriber's decision with the patient.";
    let descriptions: Vec<&String> = lines
        .iter()
        .filter(|l| l.starts_with("DESCRIPTION:"))
        .collect();
    assert_eq!(descriptions.len(), steps.len() + 4);
    assert!(
        descriptions.iter().all(|d| d.ends_with(notice)),
        "{descriptions:?}"
    );
}

#[test]
fn ics_with_daily_steps_has_an_event_per_dosing_day_and_one_for_the_stop() {
    // A step's dose would contradict the daily rows (the dose falls every day), so
    // each day is its own event with that day's dose and how to take it.
    let args = ["--daily", "--liquid", "2mg/ml"];
    let ics = plan(&[&args[..], &["--format", "ics", "--remind", "08:00"]].concat());
    let doc = plan_json(&args);
    let rows = doc["daily"].as_array().unwrap();
    let dosing: Vec<&Value> = rows
        .iter()
        .filter(|r| r["dose_mg"].as_f64().unwrap() > 0.0)
        .collect();
    let lines = unfold(&ics);
    assert_eq!(ics.matches("BEGIN:VEVENT").count(), dosing.len() + 1);
    assert_eq!(ics.matches("BEGIN:VALARM").count(), dosing.len() + 1);
    for (i, row) in dosing.iter().enumerate() {
        let day = row["date"].as_str().unwrap().replace('-', "");
        let uid = format!("UID:fixed-plan-day-{}@taper", row["date"].as_str().unwrap());
        let at = lines
            .iter()
            .position(|l| *l == uid)
            .unwrap_or_else(|| panic!("{uid}"));
        // The event's lines: find its DTSTART and DESCRIPTION between BEGIN and END.
        let begin = lines[..at]
            .iter()
            .rposition(|l| l == "BEGIN:VEVENT")
            .unwrap();
        let end = begin
            + lines[begin..]
                .iter()
                .position(|l| l == "END:VEVENT")
                .unwrap();
        let event = &lines[begin..end];
        assert!(
            event.contains(&format!("DTSTART;VALUE=DATE:{day}")),
            "{event:?}"
        );
        let how = row["instructions"].as_str().unwrap();
        let description = event
            .iter()
            .find(|l| l.starts_with("DESCRIPTION:"))
            .unwrap();
        // ICS escapes commas and semicolons in text ("…syringe\\, then …").
        let unescaped = description.replace("\\,", ",").replace("\\;", ";");
        assert!(
            description.contains(&format!("Day {} of {}", i + 1, dosing.len()))
                && unescaped.contains(how),
            "{description}"
        );
    }
    let stop = doc["steps"].as_array().unwrap().last().unwrap()["start_date"].clone();
    let stop = stop.as_str().unwrap();
    assert!(lines.contains(&format!("UID:fixed-plan-step-{stop}@taper")));
}

#[test]
fn ics_is_byte_identical_across_runs() {
    let args = [KETAMINE, &["--format", "ics", "--remind", "08:00"]].concat();
    assert_eq!(plan(&args), plan(&args));
}

#[test]
fn ics_titles_name_the_drug_only_when_asked() {
    let private = plan(&[KETAMINE, &["--format", "ics"]].concat());
    let summaries: Vec<String> = unfold(&private)
        .into_iter()
        .filter(|l| l.starts_with("SUMMARY:"))
        .collect();
    assert!(!summaries.is_empty());
    for s in &summaries {
        for word in ["citalopram", "lorazepam", "etamine", "enzodiazepine"] {
            assert!(!s.contains(word), "{s}");
        }
    }
    let full = plan(&[KETAMINE, &["--format", "ics", "--ics-titles", "full"]].concat());
    assert!(unfold(&full).contains(&"SUMMARY:citalopram 5.83 mg/day (step 2)".to_string()));
}

#[test]
fn ics_reminders_fire_at_the_given_time_on_the_event_day() {
    let ics = plan(&[KETAMINE, &["--format", "ics", "--remind", "08:00"]].concat());
    let lines = unfold(&ics);
    assert_eq!(
        ics.matches("BEGIN:VALARM").count(),
        ics.matches("BEGIN:VEVENT").count()
    );
    // All-day: 8 h after midnight; a 10:00 session: 2 h before; a 22:00 hold: 14 h before.
    for trigger in ["PT28800S", "-PT7200S", "-PT50400S"] {
        let line = format!("TRIGGER;RELATED=START:{trigger}");
        assert!(lines.contains(&line), "{line}");
    }
    assert!(lines.contains(&"ACTION:DISPLAY".to_string()));
    assert_refused(
        &[PLAN, &["--format", "ics", "--remind", "8pm"]].concat(),
        "--remind",
    );
}

// --- FHIR -----------------------------------------------------------------------------

#[test]
fn fhir_is_a_tapering_medication_request() {
    let doc: Value = serde_json::from_str(&plan(&["--format", "fhir"])).unwrap();
    let steps = plan_json(&[])["steps"].as_array().unwrap().clone();
    assert_eq!(doc["resourceType"], "MedicationRequest");
    assert_eq!(doc["status"], "draft");
    assert_eq!(doc["intent"], "proposal");
    assert_eq!(doc["medicationCodeableConcept"]["text"], "citalopram");
    assert_eq!(doc["subject"]["display"], "unspecified patient");
    assert_eq!(doc["authoredOn"], jiff::Zoned::now().date().to_string());
    let dosage = doc["dosageInstruction"].as_array().unwrap();
    assert_eq!(dosage.len(), steps.len());
    for (i, (d, s)) in dosage.iter().zip(&steps).enumerate() {
        assert_eq!(d["sequence"], i + 1);
        let repeat = &d["timing"]["repeat"];
        assert_eq!(repeat["boundsPeriod"]["start"], s["start_date"]);
        assert_eq!(repeat["boundsPeriod"]["end"], s["end_date"]);
        assert_eq!(
            (repeat["frequency"].clone(), repeat["periodUnit"].clone()),
            (1.into(), "d".into())
        );
        let q = &d["doseAndRate"][0]["doseQuantity"];
        assert_eq!(
            (q["unit"].as_str(), q["system"].as_str()),
            (Some("mg"), Some("http://unitsofmeasure.org"))
        );
        let (fhir, plan) = (q["value"].as_f64().unwrap(), s["dose_mg"].as_f64().unwrap());
        assert!((fhir - plan).abs() < 1e-6, "{fhir} {plan}");
    }
    let last = dosage.last().unwrap();
    assert_eq!(last["text"], "stop");
    assert_eq!(
        last["doseAndRate"][0]["doseQuantity"]["value"].as_f64(),
        Some(0.0)
    );
    let notes = doc["note"].to_string();
    assert!(notes.contains("for review with the prescriber") && notes.contains("Sørensen"));
}

#[test]
fn fhir_doses_of_drops_are_in_the_drops_own_mg() {
    // UK citalopram drops act like 1.25 times their mg of tablets: the plan's doses are
    // tablet-equivalent, but what is taken and dispensed is the drops' own mg.
    let args = ["--form", "liquid", "--market", "uk"];
    let doc = plan_json(&args);
    let fhir: Value =
        serde_json::from_str(&plan(&[&args[..], &["--format", "fhir"]].concat())).unwrap();
    let dosage = fhir["dosageInstruction"].as_array().unwrap();
    let steps = doc["steps"].as_array().unwrap();
    assert_eq!(dosage.len(), steps.len());
    for (d, s) in dosage.iter().zip(steps) {
        let quantity = d["doseAndRate"][0]["doseQuantity"]["value"]
            .as_f64()
            .unwrap();
        let tablet_mg = s["dose_mg"].as_f64().unwrap();
        assert!((quantity - tablet_mg / 1.25).abs() < 1e-9, "{d}");
    }
    assert!(
        dosage[0]["text"]
            .as_str()
            .unwrap()
            .contains("16 mg as oral drops 40 mg/mL"),
        "{}",
        dosage[0]
    );

    // A starting dose the drops cannot make is kept as it is (the current supply): its
    // instruction stays in plain mg, not a fraction of a drop.
    let fhir = run(&[
        "plan",
        "citalopram",
        "--from",
        "13mg",
        "--form",
        "liquid",
        "--market",
        "uk",
        "--start",
        "2027-01-04",
        "--format",
        "fhir",
    ]);
    let fhir: Value = serde_json::from_str(&fhir).unwrap();
    let first = &fhir["dosageInstruction"][0];
    assert_eq!(
        first["doseAndRate"][0]["doseQuantity"]["value"].as_f64(),
        Some(13.0),
        "{first}"
    );
    assert!(
        !first["text"].as_str().unwrap().contains("drops"),
        "{first}"
    );
}

#[test]
fn fhir_with_benzodiazepines_is_a_bundle_listing_the_held_doses() {
    let args = [KETAMINE, &["--format", "fhir", "--patient", "J. Doe"]].concat();
    let doc: Value = serde_json::from_str(&plan(&args)).unwrap();
    assert_eq!(doc["resourceType"], "Bundle");
    assert_eq!(doc["type"], "collection");
    let entries = doc["entry"].as_array().unwrap();
    assert_eq!(entries.len(), 2);
    let benzo = &entries[1]["resource"];
    assert_eq!(benzo["medicationCodeableConcept"]["text"], "lorazepam");
    assert_eq!(benzo["subject"]["display"], "J. Doe");
    let repeat = &benzo["dosageInstruction"][0]["timing"]["repeat"];
    assert_eq!(
        repeat["timeOfDay"],
        serde_json::json!(["08:00:00", "21:00:00"])
    );
    let notes = benzo["note"].to_string();
    assert_eq!(notes.matches("hold — confirm with prescriber").count(), 2);
}

// --- Snapshots ------------------------------------------------------------------------

#[test]
fn plan_html() {
    insta::assert_snapshot!(redact_today(&plan(
        &[KETAMINE, &["--format", "html"]].concat()
    )));
}

#[test]
fn plan_markdown() {
    insta::assert_snapshot!(redact_today(&plan(
        &[KETAMINE, &["--format", "markdown"]].concat()
    )));
}

#[test]
fn plan_ics() {
    // Line endings are CRLF on the wire; the snapshot shows plain lines.
    let ics = plan(&[KETAMINE, &["--format", "ics", "--remind", "08:00"]].concat());
    insta::assert_snapshot!(ics.replace("\r\n", "\n"));
}

#[test]
fn plan_fhir() {
    insta::assert_snapshot!(redact_today(&plan(
        &[KETAMINE, &["--format", "fhir"]].concat()
    )));
}

#[test]
fn taper_ketamine_offers_and_writes_only_its_formats() {
    // FHIR is a plan format: its --format does not offer it.
    assert_refused(
        &[
            "ketamine",
            "--ketamine",
            "2027-02-03T10:00",
            "--format",
            "fhir",
        ],
        "possible values: table, csv, json, markdown, html, handout, ics",
    );
    let help = run(&["ketamine", "--help"]);
    let help: Vec<&str> = help.split_whitespace().collect();
    assert!(
        help.join(" ")
            .contains("[possible values: table, csv, json, markdown, html, handout, ics]"),
        "{help:?}"
    );
    // The printouts and the handout, with the patient's name.
    let base = [
        "ketamine",
        "--start",
        "2027-01-04",
        "--ketamine",
        "2027-02-03T10:00",
        "--benzo",
        "lorazepam",
        "--benzo-dose",
        "1mg",
        "--benzo-times",
        "08:00",
        "--patient",
        "Jane Example",
    ];
    for (format, expect) in [
        ("html", "Doses in the window"),
        (
            "markdown",
            "# Ketamine sessions and the benzodiazepine hold",
        ),
        (
            "handout",
            "Do not take your 8 am lorazepam on Wednesday 3 February: ask your prescriber first.",
        ),
    ] {
        let out = run(&[&base[..], &["--format", format]].concat());
        assert!(out.contains("Jane Example"), "{format}: no patient");
        assert!(out.contains(expect), "{format}: {out}");
    }
    // And refuses a printout's option where it shows nothing, naming only the formats
    // taper ketamine writes (no FHIR).
    assert_refused(&[&base[..], &["--format", "json"]].concat(), "--patient");
    let out = taper()
        .args([&base[..], &["--format", "json"]].concat())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("(--format html, markdown or handout)"),
        "{stderr}"
    );
    assert!(!stderr.to_lowercase().contains("fhir"), "{stderr}");
}

/// Issue 14 item 5: `taper ketamine` writes the calendar a ketamine-only patient needs
/// (checked in icalendar by tests/validate_formats.py); its calendar options are
/// refused where they change nothing.
#[test]
fn taper_ketamine_writes_a_calendar_and_refuses_its_options_elsewhere() {
    let base = [
        "ketamine",
        "--start",
        "2027-01-04",
        "--ketamine",
        "2027-02-03T10:00",
        "--benzo",
        "lorazepam",
        "--benzo-dose",
        "1mg",
        "--benzo-times",
        "08:00",
    ];
    let ics = run(&[&base[..], &["--format", "ics", "--plan-id", "k-9"]].concat());
    assert!(ics.starts_with("BEGIN:VCALENDAR"), "{ics}");
    assert!(ics.contains("UID:k-9-session-1@taper"), "{ics}");
    assert!(ics.contains("UID:k-9-hold-1@taper"), "{ics}");
    for extra in [
        &["--plan-id", "k-9"][..],
        &["--remind", "08:00"],
        &["--ics-titles", "full"],
    ] {
        assert_refused(&[&base[..], extra].concat(), extra[0]);
    }
}
