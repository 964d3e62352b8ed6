//! The raw request: every option as the person or script wrote it, before any rule is
//! checked. The command line and JSON documents both become one of these; only
//! [`super::Request::from_raw`] turns it into a plan request.
//!
//! Field names are the long flags of `taper plan` with `-` as `_`, so one vocabulary
//! serves both. `taper schema request` is generated from this type.

use crate::catalog::{EquivalenceTable, Market};
use crate::error::{Error, Problem, Result};
use crate::formulation::{FormChoice, Split};
use crate::ketamine::TaperAs;
use crate::render::IcsTitles;
use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};
use std::path::PathBuf;

/// A dose or strength: text with a unit (`"20mg"`, `"250mcg"`) or a number of mg.
#[derive(Debug, Clone, PartialEq, serde::Serialize, schemars::JsonSchema)]
#[serde(untagged)]
pub enum Amount {
    Text(String),
    Mg(f64),
}

impl<'de> Deserialize<'de> for Amount {
    // A visitor rather than serde's untagged derive: that builds (and throws away) an
    // error for every number, which a large batch pays for on each line.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Amount;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("text like \"20mg\" or a number of mg")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Amount, E> {
                Ok(Amount::Text(v.to_string()))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Amount, E> {
                Ok(Amount::Mg(v as f64))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Amount, E> {
                Ok(Amount::Mg(v as f64))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Amount, E> {
                Ok(Amount::Mg(v))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

/// Every option of `taper plan`, unchecked. `None`, `false` and empty lists mean "not
/// given". Choices (split, form …) are kept as text so that a wrong one is refused by
/// name with its alternatives; the schema lists them.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
#[schemars(title = "taper plan request")]
pub struct RawRequest {
    /// Your identifier for this request: `taper batch` returns it with the result;
    /// `taper plan --request` accepts it, so one document serves both, and does not use
    /// it.
    pub id: Option<Value>,
    /// Drug: generic or brand name, any case (see `taper drugs`). Required.
    pub drug: Option<String>,
    /// Current daily dose: `"20mg"`, `"250mcg"`, or a number of mg. Required.
    pub from: Option<Amount>,
    /// Date of the first step, YYYY-MM-DD [default: today].
    pub start: Option<String>,
    /// Length of each step, like `"14d"` or `"4w"` [default: 4w].
    pub every: Option<String>,
    /// Lengthen (or shorten) one step: `"1=8w"` makes step 1 last 8 weeks.
    pub hold: Vec<String>,
    /// Each step removes this many percentage points of occupancy.
    pub step_pp: Option<f64>,
    /// With `step_pp`: put targets on multiples of the step (70, 65, 60 …).
    pub align: bool,
    /// N equal falls in occupancy from the starting dose to zero.
    pub steps: Option<u32>,
    /// Proportional: each dose is this % below the one before.
    pub percent: Option<f64>,
    /// Smallest non-zero dose to use; the plan stops from there.
    pub min_dose: Option<Amount>,
    /// Which fitted curve of the drug (brain region) [default: per drug].
    pub region: Option<String>,
    /// A curve's plateau (%) instead of the catalog's; needs `ed50`.
    pub emax: Option<f64>,
    /// A curve's half-maximal dose instead of the catalog's; needs `emax`.
    pub ed50: Option<Amount>,
    /// Hill coefficient for `emax`/`ed50` [default: 1].
    pub hill: Option<f64>,
    /// Drug catalog files to add or replace drugs (format: schedules/README.md).
    pub drug_file: Vec<PathBuf>,

    /// Tablet strengths in mg, like `[10, 20]`.
    pub tablets: Vec<f64>,
    /// How far tablets may be split [default: none].
    #[schemars(with = "Option<Split>")]
    pub split: Option<String>,
    /// Capsule strengths in mg.
    pub capsule: Vec<f64>,
    /// Beads counted in one capsule of the smallest strength.
    pub beads_per_capsule: Option<u32>,
    /// An oral liquid's concentration, like `"2mg/ml"` or `"10mg/5ml"`.
    pub liquid: Option<String>,
    /// The oral syringe's graduation, like `"0.1ml"` [default: 0.1ml].
    pub syringe: Option<String>,
    /// Pick from the market's products.
    #[schemars(with = "Option<FormChoice>")]
    pub form: Option<String>,
    /// Which market's products `form` uses [default: us].
    #[schemars(with = "Option<Market>")]
    pub market: Option<String>,
    /// How much more occupancy than a step a rounded step may remove, in % [default: 25].
    pub tolerance: Option<f64>,
    /// Dispensing totals per prescription period, like `"4w"`.
    pub dispense_every: Option<String>,
    /// Reduce a little every day (one row per day).
    pub daily: bool,
    /// With `daily`: group the days into 28-day strips.
    pub strips: bool,
    /// Bottle size for liquid dispensing totals, like `"100ml"`.
    pub bottle: Option<String>,

    /// Ketamine/esketamine sessions, like `"2027-02-03T10:00"`.
    pub ketamine: Vec<String>,
    /// Series of sessions: `"FIRST,COUNT,EVERY"`, like `"2027-02-03T10:00,6,3d"`.
    pub ketamine_series: Vec<String>,
    /// Benzodiazepines or Z-drugs taken daily; the Nth goes with the Nth `benzo_dose`
    /// and `benzo_times`.
    pub benzo: Vec<String>,
    /// The amount of each dose of each `benzo`.
    pub benzo_dose: Vec<Amount>,
    /// Clock times of each `benzo`'s daily doses, like `"08:00,21:00"`.
    pub benzo_times: Vec<String>,
    /// Hold window before each session: `"12h"`, `"24h"`, `"72h"`, `"night-before"`
    /// [default: 12h].
    pub benzo_hold: Option<String>,
    /// Also hold doses this long after each session, like `"4h"`.
    pub benzo_after: Option<String>,
    /// Diazepam-equivalence table [default: ashton].
    #[schemars(with = "Option<EquivalenceTable>")]
    pub equivalence: Option<String>,
    /// A benzodiazepine taper before the first session: `"10%/2w"`.
    pub benzo_taper: Option<String>,
    /// With `benzo_taper`: keep the drug or switch to diazepam [default: same].
    #[schemars(with = "Option<TaperAs>")]
    pub benzo_taper_as: Option<String>,
    /// Benzodiazepine files to add or replace drugs.
    pub benzo_file: Vec<PathBuf>,

    /// Patient's name for printouts and FHIR.
    pub patient: Option<String>,
    /// Prescriber's name for printouts and FHIR.
    pub prescriber: Option<String>,
    /// Calendar reminder time on each event's day, like `"08:00"` (ICS).
    pub remind: Option<String>,
    /// Calendar event titles: private (no drug name) or full [default: private].
    #[schemars(with = "Option<IcsTitles>")]
    pub ics_titles: Option<String>,
}

impl RawRequest {
    /// The request in a JSON object. Unknown fields are refused by name with the
    /// nearest known one; a value of the wrong type is refused naming its field.
    pub fn from_json(value: Value) -> Result<RawRequest> {
        let Value::Object(map) = value else {
            return Err(Error::Input {
                problem: Problem::NotJson,
                field: None,
                message: "a request must be a JSON object, like {\"drug\": \"citalopram\", \"from\": \"20mg\"}".into(),
            });
        };
        check_fields(&map)?;
        let value = Value::Object(map);
        RawRequest::deserialize(&value).map_err(|err| wrong_type(&value, &err.to_string()))
    }

    /// The request in a JSON text. The common case, a good request, is read straight
    /// into the struct; only a bad one is read again to say what is wrong with it.
    pub fn from_json_str(text: &str) -> Result<RawRequest> {
        // A byte-order mark (as some editors and spreadsheets save) is not the request.
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        match serde_json::from_str::<RawRequest>(text) {
            Ok(raw) => Ok(raw),
            Err(first) => {
                let value: Value = serde_json::from_str(text).map_err(|e| Error::Input {
                    problem: Problem::NotJson,
                    field: None,
                    message: format!("not valid JSON ({e}); write one JSON object"),
                })?;
                RawRequest::from_json(value)?;
                Err(Error::input(format!(
                    "request: {}",
                    crate::limits::quote_long(&first.to_string())
                )))
            }
        }
    }
}

/// The JSON Schema of a request: the fields of [`RawRequest`], which are all a
/// request may carry, with `drug` and `from` required.
pub fn schema() -> Value {
    let mut schema = schemars::schema_for!(RawRequest);
    schema.insert("required".into(), serde_json::json!(["drug", "from"]));
    schema.to_value()
}

/// The field names a request may carry.
pub fn known_fields() -> &'static [&'static str] {
    super::FIELDS
}

fn check_fields(map: &Map<String, Value>) -> Result<()> {
    let known = known_fields();
    for key in map.keys() {
        if known.contains(&key.as_str()) {
            continue;
        }
        if matches!(
            key.as_str(),
            "format" | "output" | "csv" | "csv_bom" | "csv_decimal"
        ) {
            return Err(Error::field(
                Problem::UnknownField,
                key,
                format!(
                    "request field \"{key}\" is not part of a request: how a plan is written is the command's choice (`taper plan --request FILE --format csv --csv full -o plan.csv`; `taper batch` always writes JSON Lines)"
                ),
            ));
        }
        let nearest = known
            .iter()
            .filter(|_| key.chars().count() <= crate::limits::MAX_TEXT_CHARS)
            .map(|k| (strsim::damerau_levenshtein(key, k), *k))
            .min();
        let hint = match nearest {
            Some((d, k)) if d <= 3 => format!("did you mean \"{k}\"?"),
            _ => "see `taper schema request` for the fields".to_string(),
        };
        return Err(Error::field(
            Problem::UnknownField,
            &crate::limits::quote(key),
            format!(
                "request field \"{}\" is not a taper plan option; {hint}",
                crate::limits::quote(key)
            ),
        ));
    }
    Ok(())
}

/// serde's error does not say which field it is about: find the first field that
/// fails on its own, and name it.
fn wrong_type(value: &Value, serde_message: &str) -> Error {
    let empty = Map::new();
    for (key, value) in value.as_object().unwrap_or(&empty) {
        let alone: Map<String, Value> = [(key.clone(), value.clone())].into_iter().collect();
        if let Err(err) = RawRequest::deserialize(&Value::Object(alone)) {
            // serde quotes the value: a long one is cut, never echoed whole.
            let what = crate::limits::quote_long(&err.to_string());
            return Error::field(
                Problem::InvalidValue,
                key,
                format!(
                    "request field \"{key}\" has the wrong type ({what}); see `taper schema request`"
                ),
            );
        }
    }
    Error::input(format!(
        "request: {}",
        crate::limits::quote_long(serde_message)
    ))
}
