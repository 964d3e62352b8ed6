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
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<Value>,
    /// The plan's identifier, for calendars and clinic systems: ICS UIDs and FHIR ids
    /// derive from it, so two patients' plans never collide. Letters, digits, `-` and
    /// `.`, at most 40 [default: generated at random].
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = r"^[A-Za-z0-9][A-Za-z0-9.\-]{0,39}$"))]
    pub plan_id: Option<String>,
    /// Drug: generic or brand name, any case (see `taper drugs`). Required.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub drug: Option<String>,
    /// Current daily dose: `"20mg"`, `"250mcg"`, or a number of mg. Required.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<Amount>,
    /// Date of the first step, YYYY-MM-DD [default: today].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start: Option<String>,
    /// Length of each step, like `"14d"` or `"4w"` [default: 4w].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub every: Option<String>,
    /// Lengthen (or shorten) one step: `"1=8w"` makes step 1 last 8 weeks.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub hold: Vec<String>,
    /// Each step removes this many percentage points of occupancy.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub step_pp: Option<f64>,
    /// With `step_pp`: put targets on multiples of the step (70, 65, 60 …).
    #[serde(skip_serializing_if = "is_false")]
    pub align: bool,
    /// N equal falls in occupancy from the starting dose to zero.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub steps: Option<u32>,
    /// Proportional: each dose is this % below the one before.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub percent: Option<f64>,
    /// Smallest non-zero dose to use; the plan stops from there.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_dose: Option<Amount>,
    /// Which fitted curve of the drug (brain region) [default: per drug].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// A curve's plateau (%) instead of the catalog's; needs `ed50`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub emax: Option<f64>,
    /// A curve's half-maximal dose instead of the catalog's; needs `emax`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ed50: Option<Amount>,
    /// Hill coefficient for `emax`/`ed50` [default: 1].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hill: Option<f64>,
    /// Drug catalog files to add or replace drugs (format: schedules/README.md).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub drug_file: Vec<PathBuf>,

    /// Tablet strengths in mg, like `[10, 20]`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tablets: Vec<f64>,
    /// How far tablets may be split [default: none].
    #[schemars(with = "Option<Split>")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub split: Option<String>,
    /// Capsule strengths in mg.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub capsule: Vec<f64>,
    /// Beads counted in one capsule of the smallest strength.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub beads_per_capsule: Option<u32>,
    /// An oral liquid's concentration, like `"2mg/ml"` or `"10mg/5ml"`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub liquid: Option<String>,
    /// The oral syringe's graduation, like `"0.1ml"` [default: 0.1ml].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub syringe: Option<String>,
    /// Pick from the market's products.
    #[schemars(with = "Option<FormChoice>")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub form: Option<String>,
    /// Which market's products `form` uses [default: us].
    #[schemars(with = "Option<Market>")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub market: Option<String>,
    /// How much more occupancy than a step a rounded step may remove, in % [default: 25].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tolerance: Option<f64>,
    /// Dispensing totals per prescription period, like `"4w"`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dispense_every: Option<String>,
    /// Reduce a little every day (one row per day).
    #[serde(skip_serializing_if = "is_false")]
    pub daily: bool,
    /// With `daily`: group the days into 28-day strips.
    #[serde(skip_serializing_if = "is_false")]
    pub strips: bool,
    /// Bottle size for liquid dispensing totals, like `"100ml"`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bottle: Option<String>,

    /// Ketamine/esketamine sessions, like `"2027-02-03T10:00"`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ketamine: Vec<String>,
    /// Series of sessions: `"FIRST,COUNT,EVERY"`, like `"2027-02-03T10:00,6,3d"`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ketamine_series: Vec<String>,
    /// Benzodiazepines or Z-drugs taken daily; the Nth goes with the Nth `benzo_dose`
    /// and `benzo_times`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub benzo: Vec<String>,
    /// The amount of each dose of each `benzo`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub benzo_dose: Vec<Amount>,
    /// Clock times of each `benzo`'s daily doses, like `"08:00,21:00"`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub benzo_times: Vec<String>,
    /// Hold window before each session: `"12h"`, `"24h"`, `"72h"`, `"night-before"`
    /// [default: 12h].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub benzo_hold: Option<String>,
    /// Also hold doses this long after each session, like `"4h"`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub benzo_after: Option<String>,
    /// Diazepam-equivalence table [default: ashton].
    #[schemars(with = "Option<EquivalenceTable>")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub equivalence: Option<String>,
    /// A benzodiazepine taper before the first session: `"10%/2w"`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub benzo_taper: Option<String>,
    /// With `benzo_taper`: keep the drug or switch to diazepam [default: same].
    #[schemars(with = "Option<TaperAs>")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub benzo_taper_as: Option<String>,
    /// With `benzo_taper` and no `market`: whose products the taper's doses are
    /// rounded to [default: us].
    #[schemars(with = "Option<Market>")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub benzo_market: Option<String>,
    /// Benzodiazepine files to add or replace drugs.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub benzo_file: Vec<PathBuf>,

    /// Patient's name for printouts and FHIR.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub patient: Option<String>,
    /// Prescriber's name for printouts and FHIR.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prescriber: Option<String>,
    /// Whom the patient calls, and how, on the handout (`--format handout`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contact: Option<String>,
    /// Calendar reminder time on each event's day, like `"08:00"` (ICS).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remind: Option<String>,
    /// Calendar event titles: private (no drug name) or full [default: private].
    #[schemars(with = "Option<IcsTitles>")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ics_titles: Option<String>,
}

/// For serde: leave `false` flags out of a request document.
fn is_false(value: &bool) -> bool {
    !*value
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

impl schemars::JsonSchema for crate::model::RequestDocument {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        RawRequest::schema_name()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        RawRequest::json_schema(generator)
    }
}

impl RawRequest {
    /// The request as a plan document records it.
    pub fn document(&self) -> Result<crate::model::RequestDocument> {
        serde_json::value::to_raw_value(self)
            .map(crate::model::RequestDocument)
            .map_err(|e| Error::Runtime(format!("could not encode the request as JSON: {e}")))
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

#[cfg(test)]
mod tests {
    use super::RawRequest;

    /// A plan document records its request with only the fields given (`taper
    /// replan` replays it, and two spellings of one request must record the same
    /// bytes): a field added without `skip_serializing_if` would write `null` into
    /// every plan.
    #[test]
    fn an_empty_request_records_no_field() {
        assert_eq!(serde_json::to_string(&RawRequest::default()).unwrap(), "{}");
    }
}
