//! The patient's handout as one self-contained HTML page (`--format handout`).
//!
//! The prescriber's printout (`html.rs`) leads with what the plan rests on; a patient
//! needs what to take, so the handout is its own document (worded in
//! `view_handout.rs`): a plain-language title, a warning first if the plan needs review,
//! then "What to take" as a schedule (a row per step, or with `--daily` a table per
//! month), then the ketamine sessions, what to do if withdrawal symptoms come, a
//! glossary of the terms that had to stay, and where the advice comes from. Large type;
//! it prints like the printout: A4 and US Letter at full size, header rows repeated,
//! every page after the first naming the patient and the page (`handout.css`). Every
//! piece of text passes through [`escape`].

use super::PrintOptions;
use super::html::{escape, running_header};
use super::view_handout::{self, Handout, Schedule};
use crate::error::Result;
use crate::ketamine::KetamineReport;
use crate::model::Tool;
use crate::plan::Plan;
use std::fmt::Write;

const CSS: &str = include_str!("handout.css");

/// The handout of a taper plan.
pub fn plan(plan: &Plan, options: &PrintOptions) -> Result<String> {
    let handout = view_handout::plan(plan, options, view_handout::advice()?);
    Ok(page(&handout, &plan.tool, options))
}

/// The handout of `taper ketamine`.
pub fn ketamine(report: &KetamineReport, options: &PrintOptions) -> Result<String> {
    let handout = view_handout::ketamine(report, options, view_handout::advice()?);
    Ok(page(&handout, &report.tool, options))
}

fn page(h: &Handout, tool: &Tool, options: &PrintOptions) -> String {
    let mut out = String::with_capacity(24 * 1024);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"generator\" content=\"{} {}\">\n<title>{}</title>\n<style>{CSS}{}</style>\n</head>\n<body>\n<main class=\"handout\">\n<header>\n<h1>{}</h1>\n",
        escape(tool.name),
        escape(tool.version),
        escape(&h.title),
        running_header(options.patient.as_deref(), &h.title),
        escape(&h.title)
    );
    if let Some(danger) = h.danger {
        let _ = writeln!(
            out,
            "<p class=\"danger\" role=\"alert\"><strong>{}</strong></p>",
            escape(danger)
        );
    }
    out.push_str("<dl class=\"people\">\n");
    for (label, value) in &h.people {
        let _ = writeln!(out, "<dt>{}</dt><dd>{}</dd>", escape(label), escape(value));
    }
    out.push_str("</dl>\n</header>\n");
    if let Some(schedule) = &h.schedule {
        write_schedule(&mut out, schedule);
    }
    if let Some(s) = &h.sessions {
        out.push_str("<section class=\"ketamine\">\n<h2>Your ketamine sessions</h2>\n");
        for line in &s.intro {
            let _ = writeln!(out, "<p>{}</p>", escape(line));
        }
        out.push_str("<ul class=\"sessions\">\n");
        for (when, held) in &s.items {
            let _ = write!(out, "<li><strong>{}.</strong>", escape(when));
            if !held.is_empty() {
                out.push_str("<ul>");
                for line in held {
                    let _ = write!(out, "<li class=\"ask\">{}</li>", escape(line));
                }
                out.push_str("</ul>");
            }
            out.push_str("</li>\n");
        }
        out.push_str("</ul>\n</section>\n");
    }
    if let Some(w) = &h.withdrawal {
        let _ = writeln!(
            out,
            "<section class=\"withdrawal\">\n<h2>{}</h2>\n<p>{}</p>\n<p>{}</p>\n<ul>",
            escape(&w.heading),
            escape(&w.intro),
            escape(&w.symptoms_intro)
        );
        for symptom in &w.symptoms {
            let _ = writeln!(out, "<li>{}</li>", escape(symptom));
        }
        let _ = writeln!(
            out,
            "</ul>\n<p>{}</p>\n<h3>What to do</h3>\n<ol class=\"actions\">",
            escape(&w.not_relapse)
        );
        for a in &w.actions {
            let _ = writeln!(
                out,
                "<li><strong>{}.</strong> {}</li>",
                escape(&a.title),
                escape(&a.text)
            );
        }
        let _ = writeln!(
            out,
            "</ol>\n<p class=\"call\">{}</p>\n</section>",
            escape(&h.call)
        );
    }
    out.push_str("<section class=\"words\">\n<h2>Words used here</h2>\n<ul>\n");
    for line in &h.glossary {
        let _ = writeln!(out, "<li>{}</li>", escape(line));
    }
    out.push_str("</ul>\n</section>\n");
    if !h.sources.is_empty() {
        out.push_str(
            "<section class=\"sources\">\n<h2>Where this advice comes from</h2>\n<ol class=\"source\">\n",
        );
        for source in &h.sources {
            let _ = writeln!(out, "<li>{}</li>", escape(source));
        }
        out.push_str("</ol>\n</section>\n");
    }
    let _ = writeln!(
        out,
        "<footer>\n<p class=\"notice\">{}</p>\n<p class=\"source\">Made with {} {} on {}.</p>\n</footer>\n</main>\n</body>\n</html>",
        escape(h.notice),
        escape(tool.name),
        escape(tool.version),
        options.made_on()
    );
    out
}

/// "What to take": the lines above, then a table per block (a month with `--daily`).
fn write_schedule(out: &mut String, s: &Schedule) {
    out.push_str("<section class=\"take\">\n<h2>What to take</h2>\n");
    for line in &s.intro {
        let _ = writeln!(out, "<p>{}</p>", escape(line));
    }
    for block in &s.blocks {
        out.push_str("<section class=\"month\">\n");
        if let Some(heading) = &block.heading {
            let _ = writeln!(out, "<h3>{}</h3>", escape(heading));
        }
        if let Some(note) = &block.note {
            let _ = writeln!(out, "<p>{}</p>", escape(note));
        }
        out.push_str(match s.compact {
            true => "<table class=\"schedule compact\">\n<thead><tr>",
            false => "<table class=\"schedule\">\n<thead><tr>",
        });
        for heading in &s.columns {
            let _ = write!(out, "<th scope=\"col\">{}</th>", escape(heading));
        }
        out.push_str("</tr></thead>\n<tbody>\n");
        for (i, row) in block.rows.iter().enumerate() {
            out.push_str(
                match (block.stop_rows.contains(&i), block.taken_rows.contains(&i)) {
                    (true, _) => "<tr class=\"stop\">",
                    (false, true) => "<tr class=\"taken\">",
                    (false, false) => "<tr>",
                },
            );
            for (cell, heading) in row.iter().zip(&s.columns) {
                let class = match *heading {
                    "Weeks" | "Days" => " class=\"when\"",
                    "Each day, take" => " class=\"take\"",
                    _ => "",
                };
                let _ = write!(
                    out,
                    "<td{class} data-label=\"{}\">{}</td>",
                    escape(heading),
                    escape(cell)
                );
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</tbody>\n</table>\n</section>\n");
    }
    out.push_str("</section>\n");
}
