//! The formats word the same things the same way: a sentence the terminal table shows
//! reads the same in the Markdown and HTML printouts, and counts agree with their number
//! ("1 day", never "1 days" or "0 weeks and 2 days") in every format.

mod common;
use common::run;

/// Two one-day steps: a taper of 2 days, shorter than a week.
const SHORT: &[&str] = &[
    "plan",
    "citalopram",
    "--from",
    "20mg",
    "--start",
    "2027-01-04",
    "--every",
    "1d",
    "--steps",
    "2",
];

fn short(format: &str) -> String {
    run(&[SHORT, &["--format", format]].concat())
}

#[test]
fn a_taper_under_a_week_reads_in_days_in_every_text_format() {
    for format in ["table", "markdown", "html"] {
        let text = short(format);
        assert!(
            text.contains("The taper takes 2 days (2 days), 2 steps after the starting dose."),
            "{format}"
        );
        assert!(!text.contains("0 weeks"), "{format}");
        assert!(
            text.contains("each step lasts 1 day unless held longer"),
            "{format}"
        );
    }
}

#[test]
fn one_day_steps_read_as_one_day_in_calendars_and_fhir() {
    // Warnings are worded by the plan, not the renderers: look only at what they write.
    let ics = short("ics").replace("\r\n ", "");
    assert!(ics.contains("to 2027-01-04 (1 day). Predicted SERT occupancy"));
    assert!(ics.contains("Step 2 runs to 2027-01-06 (1 day)."));
    let fhir = short("fhir");
    assert!(fhir.contains("to 2027-01-04 (1 day); predicted SERT occupancy"));
    assert!(fhir.contains("each step lasts 1 day unless held longer"));
    for text in [ics, fhir] {
        assert!(!text.contains("(1 days)") && !text.contains("lasts 1 days"));
    }
}

#[test]
fn a_single_step_is_one_step_in_the_chart_caption() {
    let html = run(&[
        "plan",
        "citalopram",
        "--from",
        "20mg",
        "--start",
        "2027-01-04",
        "--every",
        "3d",
        "--steps",
        "1",
        "--format",
        "html",
    ]);
    assert!(html.contains("over 1 step;"));
}
