//! A re-planned plan's history in every printout (issue 13): the revision, each change
//! as a dated line, the steps taken marked in words, and the one rise said as a rise.
//! The plan is taken through `taper replan` twice: a hold, then back to a tolerated
//! step (a rise) with smaller steps.

mod common;
use common::run;

/// Writes `text` to `name` in `dir`, returning the path.
fn save(dir: &std::path::Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_string()
}

/// Revision 1 (`extra` added to `taper plan`), revision 2 (hold from 2027-03-10 until
/// 2027-04-20), and the arguments that make revision 3 (back to step 3 on 2027-05-10,
/// 5-point steps) from revision 2's file, to which each test adds `--format`.
fn revisions(dir: &std::path::Path, extra: &[&str]) -> Vec<String> {
    let first = [
        &[
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
            "history-1",
            "--format",
            "json",
        ],
        extra,
    ]
    .concat();
    let p1 = save(dir, "r1.json", &run(&first));
    let r2 = run(&[
        "replan",
        "--plan",
        &p1,
        "--on",
        "2027-03-10",
        "--hold-until",
        "2027-04-20",
        "--format",
        "json",
    ]);
    let p2 = save(dir, "r2.json", &r2);
    [
        "replan",
        "--plan",
        &p2,
        "--on",
        "2027-05-10",
        "--back-to-step",
        "3",
        "--step-pp",
        "5",
    ]
    .map(String::from)
    .to_vec()
}

/// Revision 3 in `format`.
fn third(args: &[String], format: &str) -> String {
    let mut args: Vec<&str> = args.iter().map(String::as_str).collect();
    args.extend(["--format", format]);
    run(&args)
}

/// The text of `html` without its tags, entities decoded as the printouts use them.
fn text_of(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&#39;", "'").replace("&amp;", "&")
}

/// A number of percentage points with a minus sign ("-10.0 pp", "−10.0 pp"): a fall
/// that is really a rise, unsaid.
fn negative_fall(text: &str) -> Option<String> {
    let bytes: Vec<char> = text.chars().collect();
    for (i, c) in bytes.iter().enumerate() {
        if (*c == '-' || *c == '−') && bytes.get(i + 1).is_some_and(|d| d.is_ascii_digit()) {
            let rest: String = bytes[i..].iter().take(12).collect();
            let number: String = rest[c.len_utf8()..]
                .chars()
                .take_while(|d| d.is_ascii_digit() || *d == '.')
                .collect();
            if rest[c.len_utf8() + number.len()..].starts_with(" pp") {
                return Some(rest);
            }
        }
    }
    None
}

/// "rise 9.8 pp": the Fall column's rise, said as one.
fn says_rise_in_pp(text: &str) -> bool {
    text.match_indices("rise ").any(|(i, _)| {
        let rest = &text[i + 5..];
        let number = rest.find(" pp").map(|end| &rest[..end]);
        number.is_some_and(|n| n.parse::<f64>().is_ok_and(|v| v > 0.0))
    })
}

const FORMATS: &[&str] = &["table", "markdown", "html", "handout", "csv"];

#[test]
fn every_printout_shows_the_revision_and_each_dated_change() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let args = revisions(dir, &[]);
    for format in FORMATS {
        let out = third(&args, format);
        let text = match *format {
            "html" | "handout" => text_of(&out),
            _ => out.clone(),
        };
        match *format {
            "handout" => {
                assert!(text.contains("This is version 3 of your plan"), "{text}");
                assert!(
                    text.contains(
                        "From Wednesday 10 March 2027 you stay on 5.83 mg a day for another 5 weeks and 6 days, until Monday 19 April 2027."
                    ),
                    "{text}"
                );
                assert!(
                    text.contains(
                        "From Monday 10 May 2027 your citalopram dose goes UP, from 3.43 mg to 5.83 mg a day"
                    ),
                    "{text}"
                );
            }
            _ => {
                assert!(
                    text.contains("Revision 3 of plan history-1") || *format == "csv",
                    "{format}: {text}"
                );
                assert!(
                    text.contains("Revision 2 from 2027-03-10 (hold): hold 5.83 mg a day from 2027-03-10 until the dose next changes on 2027-04-20 (41 days)."),
                    "{format}: {text}"
                );
                assert!(
                    text.contains("Revision 3 from 2027-05-10 (back to a tolerated dose): back to step 3's dose (5.83 mg), the last one tolerated, from 3.43 mg. DOSE RISES from 3.43 to 5.83 mg/day at step 5"),
                    "{format}: {text}"
                );
            }
        }
        // The step rule a change gave is named for the prescriber, never in the
        // patient's CSV or handout.
        let names_option = text.contains("New steps: --step-pp 5.");
        assert_eq!(
            names_option,
            !matches!(*format, "csv" | "handout"),
            "{format}"
        );
    }
}

#[test]
fn taken_steps_are_marked_in_words() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let args = revisions(dir, &[]);
    // Steps 0 to 4 were begun before 2027-05-10; step 5 is the rise.
    for format in ["table", "markdown"] {
        let out = third(&args, format);
        let rows: Vec<&str> = out
            .lines()
            .filter(|l| {
                let l = l.trim_start_matches(['|', ' ']);
                l.split([' ', '|'])
                    .next()
                    .is_some_and(|n| n.parse::<u32>().is_ok())
                    && l.contains(" 202")
            })
            .collect();
        assert_eq!(rows.len(), 18, "{format}: {out}");
        for (i, row) in rows.iter().enumerate() {
            let status = match i {
                0..=4 => "taken",
                5 => "dose rises",
                _ => "to come",
            };
            assert!(
                row.contains(&format!(" {status} ")),
                "{format} step {i}: {row}"
            );
        }
    }
    let html = third(&args, "html");
    assert_eq!(html.matches("<tr class=\"taken\">").count(), 5, "{html}");
    assert_eq!(html.matches("data-label=\"Status\">taken</td>").count(), 5);
    let handout = third(&args, "handout");
    assert_eq!(handout.matches("<tr class=\"taken\">").count(), 5);
    assert_eq!(handout.matches("(already taken)").count(), 5);
    assert!(handout.contains("5.83 mg (your dose goes up here)"));

    let csv = third(&args, "csv");
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let kinds: Vec<&str> = rows.iter().map(|r| &r[0]).collect();
    assert_eq!(&kinds[..3], ["Summary", "Revision", "Revision"]);
    assert_eq!((&rows[1][2], &rows[2][2]), ("2027-03-10", "2027-05-10"));
    let notes = rows[0].len() - 1;
    for (i, row) in rows.iter().filter(|r| &r[0] == "Step").enumerate() {
        assert_eq!(row[notes].starts_with("Taken"), i <= 4, "step {i}: {row:?}");
    }
}

#[test]
fn no_printout_shows_a_negative_fall_without_saying_it_is_a_rise() {
    for (name, extra) in [
        ("ideal", &[][..]),
        ("liquid", &["--liquid", "10mg/5ml"][..]),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let args = revisions(dir.path(), extra);
        for format in FORMATS {
            let out = third(&args, format);
            let text = match *format {
                "html" | "handout" => text_of(&out),
                _ => out,
            };
            assert_eq!(negative_fall(&text), None, "{name} {format}: {text}");
            let says_rise = match *format {
                "table" | "markdown" | "html" => says_rise_in_pp(&text),
                "handout" => text.contains("goes UP") && text.contains("your dose goes up here"),
                _ => text.contains("DOSE RISES") && text.contains("Your dose goes up here"),
            };
            assert!(says_rise, "{name} {format}: {text}");
        }
    }
}

#[test]
fn a_first_revision_shows_no_history() {
    let out = run(common::FIXED_PLAN);
    assert!(
        !out.contains("Revision") && !out.contains("Status"),
        "{out}"
    );
    let handout = run(&[common::FIXED_PLAN, &["--format", "handout"]].concat());
    assert!(!handout.contains("version") || !handout.contains("of your plan"));
    assert!(!handout.contains("already taken"));
}
