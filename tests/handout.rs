//! The patient's handout (`--format handout`): plain words, what to take first.
//!
//! A handout a patient follows must not send them to a command line, a file of the
//! project or a code: these tests read its visible text for option names (`--form`),
//! paths, the raw codes of `Code::ALL` and the prescriber's jargon (occupancy, curve),
//! and check that the schedule comes before anything else but the title, a warning that
//! the plan needs review, and who it is for. Its reading level and how it prints are
//! measured in a browser by `tests/print_check.py`.

mod common;
use common::run;
use taper::model::Code;

const PLAN: &[&str] = &[
    "plan",
    "citalopram",
    "--from",
    "20mg",
    "--start",
    "2027-01-04",
    "--step-pp",
    "10",
    "--align",
];
const TABLETS: &[&str] = &["--tablets", "10,20", "--split", "half"];
const LIQUID: &[&str] = &["--liquid", "2mg/ml"];
const KETAMINE: &[&str] = &[
    "--ketamine-series",
    "2027-02-03T10:00,3,3d",
    "--benzo",
    "lorazepam",
    "--benzo-dose",
    "1mg",
    "--benzo-times",
    "08:00,21:00",
];
const WHO: &[&str] = &[
    "--patient",
    "Jane Example",
    "--prescriber",
    "Dr B Lee",
    "--contact",
    "Clinic 0161 555 0100, weekdays 9 to 5",
];
const HANDOUT: &[&str] = &["--format", "handout"];

fn handout(parts: &[&[&str]]) -> String {
    run(&[parts.concat().as_slice(), HANDOUT].concat())
}

/// The text a reader sees: the body without tags, entities decoded.
fn visible(html: &str) -> String {
    let body = &html[html.find("<body>").expect("a body")..];
    let mut text = String::new();
    let mut in_tag = false;
    for c in body.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                text.push(' ');
            }
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
}

/// Every case the print check prints, and a ketamine-only handout.
fn cases() -> Vec<(&'static str, String)> {
    vec![
        ("plain", handout(&[PLAN])),
        ("tablets", handout(&[PLAN, TABLETS, WHO])),
        ("ketamine", handout(&[PLAN, TABLETS, KETAMINE, WHO])),
        ("daily", handout(&[PLAN, LIQUID, &["--daily"], WHO])),
        ("liquid", handout(&[PLAN, LIQUID])),
    ]
}

#[test]
fn no_option_path_code_or_jargon_reaches_the_patient() {
    for (case, html) in cases() {
        let text = visible(&html);
        for word in text.split_whitespace() {
            assert!(!word.starts_with("--"), "{case}: an option name {word:?}");
            assert!(
                !word.contains('_'),
                "{case}: an identifier {word:?} in the handout"
            );
            // A path: two lowercase words joined by a slash (mg/5 mL and 2 mg/mL are units).
            if let Some((a, b)) = word.split_once('/') {
                let lower = |s: &str| s.len() > 2 && s.chars().all(|c| c.is_ascii_lowercase());
                assert!(!(lower(a) && lower(b)), "{case}: a path {word:?}");
            }
        }
        for path in ["schedules", ".toml", ".rs", ".tsx", "src/", "http"] {
            assert!(!text.contains(path), "{case}: {path:?} in the handout");
        }
        for code in Code::ALL {
            assert!(
                !text.contains(code.as_str()),
                "{case}: the code {code} in the handout"
            );
        }
        // Jargon, outside the list of sources (whose titles are as published).
        let cited = html
            .find("<section class=\"sources\">")
            .unwrap_or(html.len());
        let lower = visible(&html[..cited]).to_lowercase();
        for jargon in [
            "occupancy",
            "curve",
            "sert",
            "hyperbolic",
            "percentage point",
            "equivalent",
            "benzodiazepine",
            "hold —",
            "titrat",
        ] {
            assert!(!lower.contains(jargon), "{case}: jargon {jargon:?}");
        }
    }
}

#[test]
fn the_schedule_comes_first() {
    for (case, html) in cases() {
        let body = &html[html.find("<body>").unwrap()..];
        let first_section = body.find("<h2>").expect("sections");
        assert_eq!(
            &body[first_section..first_section + "<h2>What to take</h2>".len()],
            "<h2>What to take</h2>",
            "{case}: the first section is not the schedule"
        );
        let table = body.find("<table class=\"schedule").expect("a schedule");
        let second = body[first_section + 4..].find("<h2>").unwrap() + first_section + 4;
        assert!(
            table < second,
            "{case}: the schedule's table is not in the first section"
        );
        // Only the title, a review warning and who it is for come before it.
        let before = visible(&body[..first_section]);
        assert!(!before.contains("withdrawal"), "{case}: {before}");
    }
}

#[test]
fn a_plan_that_needs_review_says_so_first_in_plain_words() {
    // Tablets of 10 and 20 mg cannot make the tail: a danger headline.
    let html = handout(&[PLAN, TABLETS]);
    let body = &html[html.find("</h1>").unwrap()..];
    let danger = body.find("class=\"danger\"").expect("a warning");
    assert!(danger < body.find("What to take").unwrap());
    assert!(visible(&html).contains("Do not follow this plan yet"));
    // A plan without a danger warning has none.
    let fine = handout(&[PLAN]);
    assert!(!fine.contains("class=\"danger\""));
    assert!(!visible(&fine).contains("Do not follow"));
}

#[test]
fn doses_are_said_as_a_patient_takes_them_and_the_stop_has_no_length() {
    let text = visible(&handout(&[PLAN, TABLETS]));
    assert!(text.contains("One 20 mg tablet"), "{text}");
    assert!(text.contains("½ of a 10 mg tablet"), "{text}");
    assert!(text.contains("Weeks 1 to 4"), "{text}");
    assert!(text.contains("Mon 4 Jan to Sun 31 Jan 2027"), "{text}");
    // These tablets cannot make the tail (issue 11): the plan ends held, and the
    // handout says to stay on the last dose, never to stop.
    assert!(text.contains("until your prescriber changes it"), "{text}");
    assert!(
        text.contains("Do not stop citalopram on your own"),
        "{text}"
    );
    assert!(!text.contains("No more citalopram"), "{text}");
    assert!(!text.contains("keep to this dose after"), "{text}");
    // A liquid reaches the tail: the stop row has no length.
    let liquid = visible(&handout(&[PLAN, LIQUID]));
    assert!(liquid.contains("No more citalopram"), "{liquid}");
    assert!(liquid.contains("you take no more citalopram"), "{liquid}");
    // The glossary keeps the unit, and the advice names its source.
    assert!(text.contains("mg: milligram"), "{text}");
    assert!(text.contains("NICE guideline NG222"), "{text}");
    // Without products: the ideal doses, and who turns them into tablets or liquid.
    let plain = visible(&handout(&[PLAN]));
    assert!(plain.contains("11.67 mg"), "{plain}");
    assert!(plain.contains("Your prescriber will tell you which tablets or liquid"));
}

#[test]
fn who_it_is_for_and_whom_to_call() {
    let text = visible(&handout(&[PLAN, TABLETS, WHO]));
    assert!(text.contains("Jane Example"));
    assert!(text.contains("Dr B Lee"));
    assert_eq!(
        text.matches("Clinic 0161 555 0100, weekdays 9 to 5")
            .count(),
        2,
        "the contact is at the top and with the advice: {text}"
    );
    // Names are escaped, never markup.
    let hostile = handout(&[PLAN, &["--patient", "<script>x</script>"]]);
    assert!(!hostile.contains("<script>x"));
}

#[test]
fn ketamine_holds_are_questions_for_the_prescriber_never_a_stop() {
    let text = visible(&handout(&[PLAN, TABLETS, KETAMINE, WHO]));
    assert!(text.contains("Session 1: Wednesday 3 February 2027 at 10 am"));
    assert!(
        text.contains(
            "Do not take your 8 am lorazepam on Wednesday 3 February: ask your prescriber first."
        ),
        "{text}"
    );
    assert!(text.contains("Never stop lorazepam on your own"));
    assert!(text.contains("ASAM 2025"));
    for sentence in text.split(['.', ':']) {
        let s = sentence.trim().to_lowercase();
        assert!(
            !(s.starts_with("stop") && s.contains("lorazepam")),
            "an instruction to stop: {sentence:?}"
        );
    }
}

#[test]
fn daily_handouts_have_a_table_per_month_with_runs_of_days_joined() {
    let html = handout(&[PLAN, LIQUID, &["--daily"]]);
    let text = visible(&html);
    for month in ["January 2027", "February 2027", "August 2027"] {
        assert!(text.contains(month), "{month}: {text}");
    }
    // Step 0 keeps the dose for 28 days: one row, not 28.
    assert!(text.contains("Mon 4 Jan to Sun 31 Jan"), "{text}");
    let months = html.matches("<section class=\"month\">").count();
    assert_eq!(months, 8, "January to August");
    for table in html.split("<section class=\"month\">").skip(1) {
        let rows = table
            .split("</table>")
            .next()
            .unwrap()
            .matches("<tr")
            .count()
            - 1;
        assert!(rows <= 31, "a month of {rows} rows");
    }
    assert!(text.contains("From Mon 16 Aug"), "the stop: {text}");
}
