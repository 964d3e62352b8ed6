//! One typed request, and the one place its rules live.
//!
//! The command line and JSON documents (`taper plan --request`, `taper batch`) both
//! become a [`RawRequest`]; [`Request::from_raw`] checks every rule (conflicts,
//! requirements, ranges, options that would have no effect) and returns the typed
//! [`Request`] the pipeline plans from. A rule is enforced here or nowhere.
//!
//! Messages name options as flags (`--tablets`); [`Spelling`] rewrites them as request
//! fields (`"tablets"`) for options that came from a JSON document, so every refusal
//! names the option the way the user wrote it.

mod budget;
mod choice;
mod ketamine;
mod output;
mod products;
mod raw;
mod validate;

pub use choice::{Choice, choice_names};
pub use ketamine::{ketamine_request, parse_series};
pub use output::{OutputChoice, csv_options};
pub use raw::{Amount, RawRequest, known_fields, schema};
pub use validate::{print_options, start_date};

use crate::error::{Error, Result};
use crate::formulation::{Daily, FormulationRequest};
use crate::ideal::PlanRequest;
use crate::ketamine::KetamineRequest;
use crate::render::{CsvOptions, Format, PrintOptions};
use std::path::PathBuf;

/// Every field of a request, as named in JSON: the long flags of `taper plan` with `-`
/// as `_` (`drug` is the positional argument), and `id`.
pub const FIELDS: &[&str] = &[
    "id",
    "plan_id",
    "drug",
    "from",
    "start",
    "every",
    "hold",
    "step_pp",
    "align",
    "steps",
    "percent",
    "min_dose",
    "region",
    "emax",
    "ed50",
    "hill",
    "drug_file",
    "tablets",
    "split",
    "capsule",
    "beads_per_capsule",
    "liquid",
    "syringe",
    "form",
    "market",
    "tolerance",
    "dispense_every",
    "daily",
    "strips",
    "bottle",
    "ketamine",
    "ketamine_series",
    "benzo",
    "benzo_dose",
    "benzo_times",
    "benzo_hold",
    "benzo_after",
    "equivalence",
    "benzo_taper",
    "benzo_taper_as",
    "benzo_market",
    "benzo_file",
    "patient",
    "prescriber",
    "contact",
    "remind",
    "ics_titles",
];

/// A checked request: what to plan, and for which output.
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    /// The plan's identifier ([`crate::identity`]): given, or drawn at random.
    pub plan_id: String,
    /// The request as the plan document records it (in JSON request spelling, encoded
    /// once here): as given, with the plan id and the start date written in and doses
    /// as mg, so that it recomputes the same plan on any day.
    pub source: crate::model::RequestDocument,
    pub plan: PlanRequest,
    /// Drug files to add to (or override) the built-in catalog for this request.
    pub drug_files: Vec<PathBuf>,
    /// `Some` when doses are to be rounded to products.
    pub products: Option<FormulationRequest>,
    /// `Some` with `--daily`.
    pub daily: Option<Daily>,
    /// `Some` when ketamine sessions were given.
    pub ketamine: Option<KetamineRequest>,
    pub output: OutputRequest,
    /// How the user wrote the options, for messages.
    pub spelling: Spelling,
}

/// The format the plan will be written in, what printouts and calendars add, and how
/// a CSV is written.
#[derive(Debug, Clone, PartialEq)]
pub struct OutputRequest {
    pub format: Format,
    pub print: PrintOptions,
    pub csv: CsvOptions,
}

impl Request {
    /// Checks every rule of `raw`, for a plan to be written as `output` says: a
    /// [`Format`], or a format with the command's CSV options ([`OutputChoice`]).
    /// Refusals name options as `spelling` says the user wrote them.
    pub fn from_raw(
        raw: &RawRequest,
        output: impl Into<OutputChoice>,
        spelling: Spelling,
    ) -> Result<Request> {
        validate::request(raw, &output.into(), &spelling).map_err(|err| spelling.respell(err))
    }
}

impl Request {
    /// [`Request::from_raw`] for a request a pipeline passed on (`--request`, a batch
    /// line): its JSON fields may not name files to read (`drug_file`, `benzo_file`),
    /// since a request could otherwise make taper read any file the process can. Files
    /// given as flags, or allowed by the command line (`--allow-files`), are read.
    pub fn from_untrusted(
        raw: &RawRequest,
        output: impl Into<OutputChoice>,
        spelling: Spelling,
    ) -> Result<Request> {
        for (field, given) in [
            ("drug_file", !raw.drug_file.is_empty()),
            ("benzo_file", !raw.benzo_file.is_empty()),
        ] {
            if given && !spelling.is_flag(field) {
                return Err(Error::field(
                    crate::error::Problem::NotAllowed,
                    field,
                    format!(
                        "request field \"{field}\" names a file to read, which a request may not do unless the command allows it: add --allow-files to the command line, or give the file as --{} beside --request",
                        field.replace('_', "-")
                    ),
                ));
            }
        }
        Request::from_raw(raw, output, spelling)
    }
}

/// The printout and calendar options of `raw` (`--patient`, `--remind` …), checked for
/// `format` as a plan's are: for a command that writes a plan it did not plan from a
/// request (`taper replan`).
pub fn replan_print_options(raw: &RawRequest, format: Format) -> Result<PrintOptions> {
    validate::print(
        raw,
        format,
        "printouts, the handout and FHIR (--format html, markdown, handout or fhir)",
    )
}

/// A request in a JSON document, checked for a JSON plan (as `taper batch` writes), and
/// trusted as little as a batch line ([`Request::from_untrusted`]).
pub fn from_json(text: &str) -> Result<Request> {
    Request::from_untrusted(
        &RawRequest::from_json_str(text)?,
        Format::Json,
        Spelling::Json,
    )
}

/// How the user wrote the options: all as flags, all in a JSON document, or a
/// document with flags beside it (`taper plan --request FILE --steps 4`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Spelling {
    Flags,
    Json,
    /// A JSON document; these fields came from flags beside it.
    Mixed(Vec<&'static str>),
}

impl Spelling {
    /// How the user wrote `field` (a name of [`FIELDS`]): `--benzo-dose` or
    /// `"benzo_dose"`.
    pub fn name(&self, field: &str) -> String {
        if self.is_flag(field) {
            format!("--{}", field.replace('_', "-"))
        } else {
            format!("\"{field}\"")
        }
    }

    fn is_flag(&self, field: &str) -> bool {
        match self {
            Spelling::Flags => true,
            Spelling::Json => false,
            Spelling::Mixed(flags) => flags.contains(&field),
        }
    }

    /// `err` with every option written as a flag (`--benzo-dose`) rewritten the way
    /// the user gave it. Messages are written with flags; only fields that came from a
    /// JSON document change.
    pub fn respell(&self, err: Error) -> Error {
        if *self == Spelling::Flags {
            return err;
        }
        match err {
            Error::Input {
                problem,
                field,
                message,
            } => Error::Input {
                problem,
                field,
                message: self.respell_text(&message),
            },
            Error::DrugFile {
                flag,
                path,
                message,
            } => {
                let field = if flag == "--benzo-file" {
                    "benzo_file"
                } else {
                    "drug_file"
                };
                Error::DrugFile {
                    flag: match (self.is_flag(field), field) {
                        (true, _) => flag,
                        (false, "benzo_file") => "\"benzo_file\"",
                        (false, _) => "\"drug_file\"",
                    },
                    path,
                    message,
                }
            }
            other => other,
        }
    }

    fn respell_text(&self, message: &str) -> String {
        let mut out = String::with_capacity(message.len());
        let mut rest = message;
        while let Some(at) = rest.find("--") {
            out.push_str(&rest[..at]);
            let after = &rest[at + 2..];
            let len = after
                .find(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'))
                .unwrap_or(after.len());
            let flag = after[..len].trim_end_matches('-');
            let field = flag.replace('-', "_");
            match FIELDS.iter().find(|f| **f == field) {
                Some(known) if !self.is_flag(known) => {
                    out.push_str(&format!("\"{known}\""));
                    rest = &after[flag.len()..];
                }
                _ => {
                    out.push_str("--");
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_are_respelt_as_fields_only_where_they_came_from_json() {
        let err = Error::input("--tablets and --liquid go together with --split-x, not --help");
        let json = Spelling::Json.respell(err);
        assert_eq!(
            json.to_string(),
            "\"tablets\" and \"liquid\" go together with --split-x, not --help"
        );
        let mixed = Spelling::Mixed(vec!["liquid"])
            .respell(Error::input("--tablets and --liquid; --benzo-dose"));
        assert_eq!(
            mixed.to_string(),
            "\"tablets\" and --liquid; \"benzo_dose\""
        );
    }

    #[test]
    fn every_field_is_a_field_of_the_raw_request() {
        let schema = schemars::schema_for!(RawRequest);
        let properties = schema
            .as_object()
            .and_then(|o| o.get("properties"))
            .and_then(serde_json::Value::as_object)
            .unwrap();
        let mut from_schema: Vec<&str> = properties.keys().map(String::as_str).collect();
        let mut listed = FIELDS.to_vec();
        from_schema.sort_unstable();
        listed.sort_unstable();
        assert_eq!(from_schema, listed);
    }
}
