//! HTML renderer: one self-contained page a prescriber prints and hands over.
//!
//! The page carries everything it needs (CSS and the chart inline, no script, no font or
//! image fetched), so it opens the same offline, from an e-mail or years later in a
//! record. It prints on A4 and US Letter alike: the page size is left to the printer
//! (`size: auto`) with 15 mm margins, the step table's header repeats on every printed
//! page and no row is split across two.
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
use crate::ketamine::{HOLD_ACTION, fmt_datetime};
use crate::plan::Plan;
use std::fmt::Write;

/// Print rules first: page margins, repeated table headers, unsplit rows. The colours
/// are calm and survive greyscale printing; meaning never rests on colour alone.
const CSS: &str = r#"
@page { size: auto; margin: 15mm }
* { box-sizing: border-box }
body { margin: 0; background: #fff; color: #1d232a; font: 10.5pt/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif }
main { max-width: 180mm; margin: 0 auto; padding: 10mm 4mm }
h1 { font-size: 16pt; font-weight: 600; margin: 0 0 6pt }
h2 { font-size: 12pt; font-weight: 600; margin: 16pt 0 6pt; padding-bottom: 2pt; border-bottom: 1px solid #c5d0db; break-after: avoid }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 2pt 10pt; margin: 0 }
dt { font-weight: 600; color: #3a4654 }
dd { margin: 0; overflow-wrap: anywhere }
p { margin: 6pt 0 }
.notice { margin: 10pt 0; padding: 6pt 10pt; border: 1px solid #9fb4c8; border-left: 4pt solid #1f4e79; background: #eef3f8; print-color-adjust: exact; -webkit-print-color-adjust: exact }
table { width: 100%; border-collapse: collapse; font-size: 9.5pt; font-variant-numeric: tabular-nums }
thead { display: table-header-group }
tr { break-inside: avoid; page-break-inside: avoid }
th, td { padding: 3pt 5pt; text-align: left; vertical-align: top; border-bottom: 1px solid #dde3e9 }
th { font-weight: 600; background: #f1f4f7; border-bottom: 1.5pt solid #8d9cab; print-color-adjust: exact; -webkit-print-color-adjust: exact }
.num { text-align: right }
td.num, .nowrap { white-space: nowrap }
.wide { min-width: 13em }
.flag { display: block }
tr.stop td { font-weight: 600 }
ul.held { margin: 0; padding-left: 1em }
.hold { font-weight: 600 }
.small { font-size: 9pt; color: #444 }
.code { font: 8.5pt ui-monospace, "SF Mono", Menlo, Consolas, monospace; color: #5a6570 }
figure { margin: 4pt 0 0; break-inside: avoid }
figcaption { font-size: 9pt; color: #444 }
svg.chart { display: block; max-width: 100% }
ul.warnings { padding-left: 1.1em }
ul.warnings li { margin-bottom: 5pt; break-inside: avoid }
.notes { break-inside: avoid }
.line { height: 9mm; border-bottom: 1px solid #8d9cab }
.signatures { display: flex; gap: 10mm; margin-top: 16mm }
.signatures div { flex: 2; border-top: 1px solid #1d232a; padding-top: 2pt; font-size: 9pt }
.signatures div.date { flex: 1 }
footer { margin-top: 12pt; padding-top: 4pt; border-top: 1px solid #dde3e9; font-size: 8.5pt; color: #555 }
@media print { main { max-width: none; padding: 0 } }
"#;

pub fn plan(plan: &Plan, options: &PrintOptions) -> Result<String> {
    let doc: Printout = printout(plan, options);
    let mut out = String::with_capacity(32 * 1024);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"generator\" content=\"{} {}\">\n<title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n<header>\n<h1>{}</h1>\n",
        escape(plan.tool.name),
        escape(plan.tool.version),
        escape(&doc.title),
        escape(&doc.title)
    );
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
                    let _ = writeln!(
                        out,
                        "<figure>\n{}\n<figcaption>{}</figcaption>\n</figure>",
                        chart::svg(&bars),
                        escape(caption)
                    );
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
        escape(plan.tool.name),
        escape(plan.tool.version),
        options.made_on(),
        escape(doc.notice)
    );
    Ok(out)
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
        out.push_str(if row.stop {
            "<tr class=\"stop\">"
        } else {
            "<tr>"
        });
        for (cell, (_, align)) in row.cells.iter().zip(&t.columns) {
            let _ = write!(out, "<td{}>", class(*align));
            match cell {
                Cell::Text(text) => out.push_str(&escape(text)),
                // A date-time may wrap between the date and the time, never inside the date.
                Cell::When(at) => {
                    let text = fmt_datetime(*at);
                    let (day, time) = text.split_once(' ').unwrap_or((&text, ""));
                    let _ = write!(
                        out,
                        "<span class=\"nowrap\">{}</span> {}",
                        escape(day),
                        escape(time)
                    );
                }
                Cell::Held(doses) if doses.is_empty() => out.push_str("none"),
                Cell::Held(doses) => {
                    out.push_str("<ul class=\"held\">");
                    for what in doses {
                        let _ = write!(
                            out,
                            "<li>{}: <span class=\"hold\">{}</span></li>",
                            escape(what),
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
    use super::escape;

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
