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

/// A plan with products, dispensing, ketamine sessions and a benzodiazepine taper: every
/// part of the text formats.
const FULL: &[&str] = &[
    "plan",
    "citalopram",
    "--from",
    "20mg",
    "--start",
    "2027-01-04",
    "--tablets",
    "10,20",
    "--split",
    "half",
    "--min-dose",
    "1mg",
    "--dispense-every",
    "8w",
    "--ketamine-series",
    "2027-04-03T10:00,2,3d",
    "--benzo",
    "diazepam",
    "--benzo-dose",
    "5mg",
    "--benzo-times",
    "08:00",
    "--benzo-taper",
    "10%/2w",
];

/// Markdown as plain text: the backslash escapes taken out.
fn markdown_text(markdown: &str) -> String {
    let mut out = String::new();
    let mut chars = markdown.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.extend(chars.next()),
            c => out.push(c),
        }
    }
    out
}

/// HTML as plain text, as far as the printout's entities go.
fn html_text(html: &str) -> String {
    html.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

#[test]
fn the_printouts_say_what_the_table_says_in_the_same_words() {
    let table = run(FULL);
    let markdown = markdown_text(&run(&[FULL, &["--format", "markdown"]].concat()));
    let html = html_text(&run(&[FULL, &["--format", "html"]].concat()));
    // Each line of the table that carries a sentence, with the table's own label
    // taken off: the same sentence must be in both printouts.
    let prefixes = [
        "Taper plan: ",
        "Rule:   ",
        "        smallest dose used: ",
        "Half-life: ",
        "Products: ",
        "        a rounded step",
        "Last dose: ",
        "Occupancy is ",
        "To dispense for the whole plan: ",
        "Hold:   ",
        "Total: ",
        "Level over the series: ",
        "Benzodiazepine taper before",
        "Cannot finish before",
        "Must start by",
        "\"Level left\" is",
        "\"Level over the series\" is",
    ];
    let mut checked = 0;
    for line in table.lines() {
        let Some(prefix) = prefixes.iter().find(|p| line.starts_with(*p)) else {
            continue;
        };
        // A prefix that is part of the sentence stays on it.
        let sentence = match *prefix {
            "Taper plan: " | "Last dose: " | "Occupancy is " => line,
            p if p.ends_with(": ") || p.ends_with("   ") => &line[p.len()..],
            _ => line.trim_start(),
        };
        assert!(markdown.contains(sentence), "Markdown lacks {sentence:?}");
        assert!(html.contains(sentence), "HTML lacks {sentence:?}");
        checked += 1;
    }
    assert!(checked >= 12, "only {checked} sentences found in the table");
    // Warnings: the same message and code everywhere.
    for line in table.lines().filter(|l| l.starts_with("- [")) {
        let (code, message) = line[3..].split_once("] ").unwrap();
        for printout in [&markdown, &html] {
            assert!(printout.contains(message), "{message}");
            assert!(printout.contains(&format!("({code})")), "{code}");
        }
    }
}
