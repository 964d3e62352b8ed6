//! HTML renderer: one self-contained page a prescriber prints and hands over.
//!
//! The page carries everything it needs (CSS and the chart inline, no script, no font or
//! image fetched), so it opens the same offline, from an e-mail or years later in a
//! record. It prints on A4 and US Letter alike at full size: the page size is left to the
//! printer (`size: auto`) with 15 mm margins, no table is wider than the column (so the
//! browser never shrinks the page to fit), table headers repeat on every printed page,
//! no row is split across two, and every page after the first names the patient, the
//! plan and the page. On a phone the step and session tables become a card per row.
//! `tests/print_check.py` checks all of this in Chromium.
//!
//! The content is the [`Printout`] built in `printout.rs` (the terminal table's content
//! in the same words), written here as HTML, with the chart of `chart.rs`, space for
//! notes and a signature line. Every piece of text from the plan or the command line
//! passes through [`escape`], so a name like `<script>` is printed, never run.

use super::PrintOptions;
use super::chart::{self, Bar};
use super::printout::{Block, Field, Printout, printout};
use super::view::{Align, Cell, Table};
use super::words;
use crate::error::Result;
use crate::ketamine::{HOLD_ACTION, KetamineReport, fmt_datetime};
use crate::model::Tool;
use crate::plan::Plan;
use std::fmt::Write;

/// The style sheet: print rules first (page margins, page numbers, repeated table
/// headers, unsplit rows), then the layout, then a phone's.
const CSS: &str = include_str!("html.css");

pub fn plan(plan: &Plan, options: &PrintOptions) -> Result<String> {
    let doc: Printout = printout(plan, options);
    Ok(page(
        &doc,
        Some(&plan_chart(plan, options)),
        &plan.tool,
        options,
    ))
}

/// `taper ketamine`'s printout: the sessions, hold windows and warnings, no chart.
pub fn ketamine(report: &KetamineReport, options: &PrintOptions) -> Result<String> {
    let doc = super::printout::ketamine_report(report, options);
    Ok(page(&doc, None, &report.tool, options))
}

/// The plan's chart: its doses (with `--daily`, its days), and its ketamine sessions
/// and hold windows; with `--journal`, the doses taken and symptom scores.
fn plan_chart(plan: &Plan, options: &PrintOptions) -> String {
    // With --daily the dose changes every day: draw the days.
    let bars: Vec<Bar> = match &plan.daily {
        Some(days) => days
            .iter()
            .map(|d| Bar {
                from: d.date,
                to: d.date,
                dose_mg: d.dose_mg,
                occupancy_pct: d.occupancy_pct,
            })
            .collect(),
        None => plan
            .steps
            .iter()
            .map(|s| Bar {
                from: s.start_date,
                to: s.end_date,
                dose_mg: s.dose_mg,
                occupancy_pct: s.occupancy_pct,
            })
            .collect(),
    };
    let sessions = plan.ketamine.as_ref().map_or(&[][..], |k| &k.sessions[..]);
    let journal = options.journal.as_deref().unwrap_or_default();
    chart::svg_with_journal(&bars, sessions, journal)
}

/// The page of a printout; `chart` is drawn where the document places it.
fn page(doc: &Printout, chart: Option<&str>, tool: &Tool, options: &PrintOptions) -> String {
    let mut out = String::with_capacity(32 * 1024);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"generator\" content=\"{} {}\">\n<title>{}</title>\n<style>{CSS}{}</style>\n</head>\n<body>\n<main>\n<header>\n<h1>{}</h1>\n",
        escape(tool.name),
        escape(tool.version),
        escape(&doc.title),
        running_header(options.patient.as_deref(), &doc.title),
        escape(&doc.title)
    );
    if let Some(headline) = &doc.headline {
        let _ = writeln!(
            out,
            "<p class=\"danger\" role=\"alert\"><strong>{}</strong></p>",
            escape(headline)
        );
    }
    definitions(&mut out, &doc.header);
    let _ = writeln!(
        out,
        "</header>\n<p class=\"notice\" role=\"note\"><strong>{}</strong></p>",
        escape(doc.notice)
    );
    for section in &doc.sections {
        let _ = writeln!(out, "<section>\n<h2>{}</h2>", escape(section.heading));
        for block in &section.blocks {
            match block {
                Block::Fields(fields) => definitions(&mut out, fields),
                Block::Table(t) => table(&mut out, t),
                Block::Text(text) => {
                    let _ = writeln!(out, "<p>{}</p>", escape(text));
                }
                Block::Note(text) => {
                    let _ = writeln!(out, "<p class=\"small\">{}</p>", escape(text));
                }
                Block::Chart(caption) => {
                    if let Some(svg) = chart {
                        let _ = writeln!(
                            out,
                            "<figure>\n{svg}\n<figcaption>{}</figcaption>\n</figure>",
                            escape(caption)
                        );
                    }
                }
                Block::Warnings(warnings) => {
                    out.push_str("<ul class=\"warnings\">\n");
                    for w in warnings {
                        let _ = writeln!(
                            out,
                            "<li><strong>{}.</strong> {} <span class=\"code\">({})</span></li>",
                            escape(w.label),
                            escape(&w.message),
                            escape(&w.code)
                        );
                    }
                    out.push_str("</ul>\n");
                }
            }
        }
        out.push_str("</section>\n");
    }
    out.push_str("<section class=\"notes\">\n<h2>Notes</h2>\n");
    out.push_str(&"<div class=\"line\"></div>\n".repeat(5));
    out.push_str("<div class=\"signatures\"><div>Prescriber's signature</div><div class=\"date\">Date</div></div>\n</section>\n");
    let _ = writeln!(
        out,
        "<footer>Made with {} {} on {}. {}</footer>\n</main>\n</body>\n</html>",
        escape(tool.name),
        escape(tool.version),
        options.made_on(),
        escape(doc.notice)
    );
    out
}

/// A definition list of plain-text fields.
fn definitions(out: &mut String, fields: &[Field]) {
    out.push_str("<dl>\n");
    for (label, value) in fields {
        let _ = writeln!(out, "<dt>{}</dt><dd>{}</dd>", escape(label), escape(value));
    }
    out.push_str("</dl>\n");
}

/// A table whose header row repeats on every printed page.
fn table(out: &mut String, t: &Table) {
    let class = |align: Align| match align {
        Align::Num => " class=\"num\"",
        Align::Date => " class=\"nowrap\"",
        Align::Wide | Align::Held => " class=\"wide\"",
        Align::Text => "",
    };
    let _ = write!(out, "<table class=\"{}\">\n<thead><tr>", escape(t.class));
    for (heading, align) in &t.columns {
        let _ = write!(
            out,
            "<th scope=\"col\"{}>{}</th>",
            class(*align),
            escape(heading)
        );
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in &t.rows {
        out.push_str(match (row.stop, row.taken) {
            (true, _) => "<tr class=\"stop\">",
            (false, true) => "<tr class=\"taken\">",
            (false, false) => "<tr>",
        });
        // The heading again, for a phone's one-card-per-row layout.
        for (cell, (heading, align)) in row.cells.iter().zip(&t.columns) {
            let _ = write!(
                out,
                "<td{} data-label=\"{}\">",
                class(*align),
                escape(heading)
            );
            match cell {
                Cell::Text(text) => out.push_str(&escape(text)),
                // A date-time may wrap between the date and the time, never inside the date.
                Cell::When(at) => out.push_str(&dates_whole(&fmt_datetime(*at))),
                Cell::Held(doses) if doses.is_empty() => out.push_str("none"),
                Cell::Held(doses) => {
                    out.push_str("<ul class=\"held\">");
                    for what in doses {
                        let _ = write!(
                            out,
                            "<li>{}: <span class=\"hold\">{}</span></li>",
                            dates_whole(what),
                            escape(HOLD_ACTION)
                        );
                    }
                    out.push_str("</ul>");
                }
                // Words that wrap, not identifiers that cannot: the code stays a tooltip,
                // and the warnings below give label, message and code together.
                Cell::Flags(codes) => {
                    for &code in codes {
                        let _ = write!(
                            out,
                            "<span class=\"flag\" title=\"{}\">{}</span>",
                            escape(code.as_str()),
                            escape(words::label(code))
                        );
                    }
                }
            }
            out.push_str("</td>");
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
}

/// `text`, escaped, with every date (`2027-02-03`) kept on one line: a date-time may
/// wrap between the date and the time, never inside the date.
fn dates_whole(text: &str) -> String {
    let is_date = |w: &str| {
        w.len() == 10
            && w.bytes().enumerate().all(|(i, b)| match i {
                4 | 7 => b == b'-',
                _ => b.is_ascii_digit(),
            })
    };
    let words: Vec<String> = text
        .split(' ')
        .map(|w| match is_date(w) {
            true => format!("<span class=\"nowrap\">{w}</span>"),
            false => escape(w),
        })
        .collect();
    words.join(" ")
}

/// The rule that names the patient (when given) and the plan at the top of every page
/// after the first (the style sheet clears it on the first, and numbers the pages).
pub(super) fn running_header(patient: Option<&str>, title: &str) -> String {
    let text = match patient {
        Some(patient) => format!("{patient} · {title}"),
        None => title.to_string(),
    };
    format!(
        "@page {{ @top-left {{ content: {}; font: 8pt system-ui, sans-serif; color: #555 }} }}\n",
        css_string(&text)
    )
}

/// `text` as a quoted CSS string that is safe inside a `<style>` element: letters,
/// digits and spaces stay; every other character becomes a CSS escape (`\3c `), so a
/// name like `</style><script>` cannot end the style sheet or the string. Control
/// characters are dropped.
fn css_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars().filter(|c| !c.is_control()) {
        match c {
            'a'..='z' | 'A'..='Z' | '0'..='9' | ' ' => out.push(c),
            c => {
                let _ = write!(out, "\\{:x} ", c as u32);
            }
        }
    }
    out.push('"');
    out
}

/// Makes `text` safe as HTML element content or a quoted attribute value: the five
/// characters with a meaning in HTML become entities, everything else stays as it is.
pub(super) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{css_string, dates_whole, escape};

    #[test]
    fn dates_stay_whole_and_everything_else_is_escaped() {
        assert_eq!(
            dates_whole("lorazepam 1 mg at 2027-02-03 08:00"),
            "lorazepam 1 mg at <span class=\"nowrap\">2027-02-03</span> 08:00"
        );
        assert_eq!(dates_whole("<b> 2027-2-03"), "&lt;b&gt; 2027-2-03");
    }

    #[test]
    fn css_strings_cannot_leave_the_style_sheet() {
        assert_eq!(css_string("Jane Doe 2"), "\"Jane Doe 2\"");
        let hostile = css_string("</style><script>\"x\\\n");
        assert_eq!(hostile, r#""\3c \2f style\3e \3c script\3e \22 x\5c ""#);
        assert!(!hostile.contains('<') && !hostile[1..hostile.len() - 1].contains('"'));
        assert_eq!(css_string("Sørensen"), "\"S\\f8 rensen\"");
    }

    #[test]
    fn escape_neutralises_markup() {
        assert_eq!(
            escape("<script>alert(1)</script>"),
            "&lt;script&gt;alert(1)&lt;/script&gt;"
        );
        assert_eq!(
            escape(r#"a "b" & 'c'"#),
            "a &quot;b&quot; &amp; &#39;c&#39;"
        );
        assert_eq!(escape("&lt;"), "&amp;lt;");
        assert_eq!(escape("Sørensen — 5 mg"), "Sørensen — 5 mg");
        assert_eq!(escape(""), "");
    }
}
