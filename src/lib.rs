//! `taper`: plans for coming off an antidepressant, from receptor-occupancy curves.
//!
//! # Where things live
//!
//! | module | what it holds |
//! |---|---|
//! | [`request`] | the one typed [`Request`](request::Request) and every rule of it; flags and JSON both become one |
//! | [`units`] | parsing doses (`20mg`, `250mcg`), lengths (`4w`) and dates |
//! | [`catalog`] | the drug files of `schedules/` (antidepressants, benzodiazepines), embedded at build time, and lookup |
//! | [`identity`] | a plan's id and revision, which calendar UIDs and FHIR ids derive from |
//! | [`model`] | what every stage shares: step, warning, code and severity, notice, schema version |
//! | [`curve`] | the Emax occupancy model and its inverse |
//! | [`rules`] | step rules: which occupancy (or dose) each step targets |
//! | [`schedule`] | laying steps on the calendar, `--every` and `--hold` |
//! | [`ideal`] | the ideal steps: curve, rule and dates, before products and checks |
//! | [`regions`] | for drugs fitted in several brain regions, the last dose each region's curve gives |
//! | [`formulation`] | rounding doses to tablets, capsules, beads or liquid; instructions; dispensing |
//! | [`guardrails`] | the checks' thresholds and the planning defaults, with their sources (`schedules/guardrails.toml`) |
//! | [`checks`] | flags and warnings on the final steps (start dose, partial steps, final stop) |
//! | [`ketamine`] | ketamine sessions: benzodiazepine hold windows, equivalents, notes |
//! | [`plan`] | the plan document, assembled once from the stages' parts |
//! | [`pipeline`] | [`make_plan`]: the stages in order |
//! | [`journal`] | the dose and symptom journal: a blank one per planned day, and reading one back line by line |
//! | [`inspect`] | data for `taper curve`: dose ↔ occupancy points |
//! | [`revision`] | what a re-plan records: each change and the steps it cancelled |
//! | [`replan`] | `taper replan`: the next revision of a plan document, from where the patient is |
//! | [`render`] | one renderer per format: table, CSV, JSON, Markdown and HTML (sharing `printout`), ICS, FHIR |
//! | [`today`] | `taper today`: what a plan document says for one day |
//! | [`text`] | numbers as text: doses, ranges, percentages, CSV numbers |
//! | [`limits`] | taper's own limits (not clinical): the work budget of a request, input sizes, number ranges |
//! | [`output`] | writing to stdout, a device, or atomically to a file |
//! | [`error`] | the library's errors, by who must fix them |
//!
//! # Data flow
//!
//! ```text
//! argv ─┐
//!       ├─► RawRequest ─► Request::from_raw (every rule) ─► Request
//! JSON ─┘
//! Request ─► ideal (curve ─► rule ─► dated steps) ─► regions ─► formulation (rounded steps)
//!         ─► checks on the final steps ─► ketamine section
//!         ─► Plan::assemble ─► renderer ─► output
//! ```
//!
//! Each stage takes what it needs and returns its part; the plan is assembled last and
//! renderers only format it. Stages share only [`model`], so no stage imports another's
//! internals. Clinical figures live in `schedules/*.toml` with their source and
//! evidence level, never in code.

pub mod catalog;
pub mod checks;
pub mod curve;
pub mod error;
pub mod formulation;
pub mod guardrails;
pub mod ideal;
pub mod identity;
pub mod inspect;
pub mod journal;
pub mod ketamine;
pub mod limits;
pub mod model;
pub mod output;
pub mod pipeline;
pub mod plan;
pub mod regions;
pub mod render;
pub mod replan;
pub mod request;
pub mod revision;
pub mod rules;
pub mod schedule;
pub mod text;
pub mod today;
pub mod units;

pub use error::{Error, Result};
pub use pipeline::{Catalogs, make_plan};
pub use plan::Plan;
pub use request::Request;
