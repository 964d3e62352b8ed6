//! `taper`: plans for coming off an antidepressant, from receptor-occupancy curves.
//!
//! # Where things live
//!
//! | module | what it holds |
//! |---|---|
//! | [`cli`] | the flags (clap), which are also the JSON request (serde); `batch`, `schema`, completions, man |
//! | [`units`] | parsing doses (`20mg`, `250mcg`), lengths (`4w`) and dates |
//! | [`catalog`] | the drug files of `schedules/` (antidepressants, benzodiazepines), embedded at build time, and lookup |
//! | [`curve`] | the Emax occupancy model and its inverse |
//! | [`rules`] | step rules: which occupancy (or dose) each step targets |
//! | [`schedule`] | laying steps on the calendar, `--every` and `--hold` |
//! | [`plan`] | the request and the plan document; builds one from the other |
//! | [`checks`] | flags and warnings on a computed plan (start dose, partial steps, final stop) |
//! | [`inspect`] | data for `taper curve`: dose ↔ occupancy points |
//! | [`formulation`] | rounding doses to tablets, capsules, beads or liquid; instructions; dispensing |
//! | [`ketamine`] | ketamine sessions: benzodiazepine hold windows, equivalents, notes |
//! | [`render`] | one renderer per format: table, CSV, JSON, Markdown and HTML (sharing `printout`), ICS, FHIR |
//! | [`text`] | numbers as text: doses, ranges, percentages, CSV numbers |
//! | [`output`] | writing to stdout, a device, or atomically to a file |
//! | [`error`] | errors and their exit codes |
//!
//! # Data flow
//!
//! ```text
//! argv / JSON request ─► cli ─► PlanRequest ─► catalog lookup ─► curve ─► step rule
//!      ─► dated schedule ─► checks (flags, warnings) ─► formulation rounding
//!      ─► ketamine windows ─► Plan
//!      ─► renderer ─► output
//! ```
//!
//! The plan is plain data; renderers only format it. Clinical figures live in
//! `schedules/*.toml` with their source and evidence level, never in code.

pub mod catalog;
pub mod checks;
pub mod cli;
pub mod curve;
pub mod error;
pub mod formulation;
pub mod inspect;
pub mod ketamine;
pub mod output;
pub mod plan;
pub mod render;
pub mod rules;
pub mod schedule;
pub mod text;
pub mod units;

pub use error::{Error, Result};

/// How a plan names the embedded catalog as the origin of its drug entry.
pub const BUILT_IN_CATALOG: &str = "built-in catalog";
