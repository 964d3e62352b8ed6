//! Markdown renderer: writes the [`Printout`](super::printout::Printout) built in
//! `printout.rs` as GitHub-flavoured Markdown (GFM pipe tables).
//!
//! `html.rs` writes the same document as HTML, so the two cannot drift apart. The
//! document holds plain text: every piece of it is escaped here ([`escape`]), so a
//! patient's name or a drug file's field is shown as text and can neither break a table
//! nor inject HTML.

use super::PrintOptions;
use super::printout::{Block, Field, Printout, printout};
use super::view::{Align, Cell, Table};
use super::words;
use crate::error::Result;
use crate::ketamine::{HOLD_ACTION, KetamineReport, fmt_datetime};
use crate::plan::Plan;
use std::fmt::Write;

pub fn plan(plan: &Plan, options: &PrintOptions) -> Result<String> {
    Ok(document(&printout(plan, options)))
}

/// `taper ketamine`'s printout.
pub fn ketamine(report: &KetamineReport, options: &PrintOptions) -> Result<String> {
    Ok(document(&super::printout::ketamine_report(report, options)))
}

fn document(doc: &Printout) -> String {
    let mut out = format!("# {}\n\n", escape(&doc.title));
    if let Some(headline) = &doc.headline {
        let _ = writeln!(out, "> **{}**\n", escape(headline));
    }
    let _ = writeln!(out, "> **{}**", escape(doc.notice));
    fields(&mut out, &doc.header);
    for section in &doc.sections {
        // The chart is drawn only in HTML; a section of nothing else is left out.
        if section.blocks.iter().all(|b| matches!(b, Block::Chart(_))) {
            continue;
        }
        let _ = writeln!(out, "\n## {}", escape(section.heading));
        for block in &section.blocks {
            match block {
                Block::Fields(f) => fields(&mut out, f.as_slice()),
                Block::Table(t) => table(&mut out, t),
                Block::Text(text) | Block::Note(text) => {
                    let _ = writeln!(out, "\n{}", escape(text));
                }
                Block::Warnings(ws) => {
                    out.push('\n');
                    for w in ws {
                        let _ = writeln!(out, "- {} ({})", escape(&w.message), escape(&w.code));
                    }
                }
                Block::Chart(_) => {}
            }
        }
    }
    out.push_str("\n## Notes\n\n");
    out.push_str("Prescriber's notes: ________________________________________________\n\n");
    out.push_str("Prescriber's signature: ______________________ Date: ____________\n");
    out
}

fn fields(out: &mut String, fields: &[Field]) {
    out.push('\n');
    for (label, value) in fields {
        let _ = writeln!(out, "- **{}:** {}", escape(label), escape(value));
    }
}

fn table(out: &mut String, t: &Table) {
    let heads: Vec<String> = t.columns.iter().map(|(h, _)| escape(h)).collect();
    let rule: Vec<&str> = t.columns.iter().map(|(_, a)| a.markdown()).collect();
    let _ = write!(out, "\n| {} |\n|{}|\n", heads.join(" | "), rule.join("|"));
    for row in &t.rows {
        let cells: Vec<String> = row
            .cells
            .iter()
            .map(|c| match c {
                Cell::Text(text) => escape(text),
                Cell::When(at) => fmt_datetime(*at),
                Cell::Held(doses) if doses.is_empty() => "none".into(),
                Cell::Held(doses) => {
                    let doses: Vec<String> = doses
                        .iter()
                        .map(|dose| escape(&format!("{dose}: {HOLD_ACTION}")))
                        .collect();
                    doses.join("<br>")
                }
                Cell::Flags(codes) => escape(&words::codes(codes, ", ")),
            })
            .collect();
        let _ = writeln!(out, "| {} |", cells.join(" | "));
    }
}

/// Makes `text` literal in Markdown: backslash-escapes the characters that start
/// emphasis, code, links, HTML or table cells, turns line breaks into spaces (a cell or a
/// list item is one line), and keeps a leading `-`, `+` or `=` from starting a list or a
/// heading underline.
pub(super) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    let mut at_start = true;
    while let Some(c) = chars.next() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' | '#' => {
                out.push('\\');
                out.push(c);
            }
            '&' if chars
                .peek()
                .is_some_and(|n| n.is_ascii_alphanumeric() || *n == '#') =>
            {
                out.push_str("\\&")
            }
            '-' | '+' | '=' if at_start => {
                out.push('\\');
                out.push(c);
            }
            '\r' | '\n' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
        at_start = false;
    }
    out
}

impl Align {
    fn markdown(self) -> &'static str {
        if self == Align::Num { "---:" } else { "---" }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_keeps_text_literal() {
        assert_eq!(escape("a | b"), r"a \| b");
        assert_eq!(
            escape("<script>alert(1)</script>"),
            r"\<script\>alert(1)\</script\>"
        );
        assert_eq!(escape("*x* _y_ `z` [l](u)"), r"\*x\* \_y\_ \`z\` \[l\](u)");
        assert_eq!(escape("- item"), r"\- item");
        assert_eq!(escape("a - b"), "a - b");
        assert_eq!(escape("Ruhé & Munkholm"), "Ruhé & Munkholm");
        assert_eq!(escape("&amp;"), r"\&amp;");
        assert_eq!(escape("two\nlines\r"), "two lines ");
        assert_eq!(escape(r"back\slash"), r"back\\slash");
    }
}
