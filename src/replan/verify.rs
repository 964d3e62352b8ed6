//! Reading a plan document back, and knowing it can be trusted: it must be a taper plan
//! of this schema version that records its request, and replaying that request and its
//! revisions must give the document exactly. Anything else (a hand edit, a document
//! from another version of taper) is refused, saying what differs, because continuing a
//! plan whose doses no longer follow from its request could continue a mistake.

use super::ChangeRequest;
use crate::error::{Error, Problem, Result};
use crate::model::SCHEMA_VERSION;
use crate::pipeline::Catalogs;
use crate::plan::Plan;
use crate::render::Format;
use crate::request::{RawRequest, Request, Spelling};
use crate::revision::Revision;
use serde_json::Value;

/// A plan document's parts that a re-plan recomputes from, and the document itself.
pub(super) struct Document {
    value: Value,
    pub request: RawRequest,
    revisions: Vec<Revision>,
}

fn refuse(message: String) -> Error {
    Error::field(Problem::InvalidValue, "plan", message)
}

/// The document in `text`, if it is one a re-plan can continue.
pub(super) fn read(text: &str) -> Result<Document> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let value: Value = serde_json::from_str(text).map_err(|e| {
        refuse(format!(
            "--plan is not JSON ({e}); give the file `taper plan … --format json` or `taper replan … --format json` wrote"
        ))
    })?;
    let tool = value.pointer("/tool/name").and_then(Value::as_str);
    if tool != Some("taper") {
        return Err(refuse(
            "--plan is not a taper plan document (it has no \"tool\": {\"name\": \"taper\"}); give the file `taper plan … --format json` wrote".into(),
        ));
    }
    match value.get("schema_version").and_then(Value::as_u64) {
        Some(v) if v == u64::from(SCHEMA_VERSION) => {}
        other => {
            let found = other.map_or("no schema_version".to_string(), |v| {
                format!("schema_version {v}")
            });
            return Err(refuse(format!(
                "--plan is a plan document with {found}, and this taper re-plans only schema_version {SCHEMA_VERSION}; make the plan again with this taper (`taper plan --request` with its request)"
            )));
        }
    }
    let Some(request) = value.get("request") else {
        return Err(refuse(
            "--plan records no \"request\" (it was made by a taper before re-planning), so it cannot be recomputed; make it again with this taper's `taper plan … --format json`".into(),
        ));
    };
    let request = RawRequest::from_json(request.clone()).map_err(|e| {
        refuse(format!(
            "--plan's \"request\" is not a request this taper accepts ({e}); make the plan again with this taper"
        ))
    })?;
    if !request.drug_file.is_empty() || !request.benzo_file.is_empty() {
        return Err(refuse(
            "--plan was made with a --drug-file or --benzo-file, which taper replan does not read again (the file may have changed since); make a new plan from the current dose with taper plan".into(),
        ));
    }
    if request.daily {
        return Err(refuse(
            "--plan was made with --daily, whose day-by-day doses taper replan does not re-plan; make a new plan from the current dose with taper plan --daily".into(),
        ));
    }
    let revisions = match value.get("revisions") {
        Some(list) => serde_json::from_value(list.clone()).map_err(|e| {
            refuse(format!(
                "--plan's \"revisions\" are not as taper writes them ({e}); it was edited by hand, so give the file taper wrote"
            ))
        })?,
        None => Vec::new(),
    };
    Ok(Document {
        value,
        request,
        revisions,
    })
}

/// The plan `document` is, recomputed from its request and revisions; refused when the
/// result is not the document.
pub(super) fn recompute(catalogs: &Catalogs, document: &Document) -> Result<Plan> {
    let recompute_error = |e: Error| {
        refuse(format!(
            "--plan does not recompute from its own request ({e}); make the plan again with this taper"
        ))
    };
    let request = Request::from_raw(&document.request, Format::Json, Spelling::Json)
        .map_err(recompute_error)?;
    let mut plan = crate::pipeline::make_plan(catalogs, &request).map_err(recompute_error)?;
    for revision in &document.revisions {
        let change = ChangeRequest {
            on: revision.on,
            change: revision.change.clone(),
            options: revision.options.clone(),
        };
        plan = super::apply::apply(catalogs, &document.request, &plan, &change)
            .map_err(recompute_error)?;
    }
    // Through text and back, as the document came: serde_json's parser may read a
    // number's last digit differently from the value it was written from, the same way
    // for both.
    let again: Value = serde_json::to_string(&plan)
        .and_then(|text| serde_json::from_str(&text))
        .map_err(|e| Error::Runtime(format!("could not encode the plan as JSON: {e}")))?;
    match first_difference(&document.value, &again, "") {
        None => Ok(plan),
        Some(difference) => Err(refuse(format!(
            "--plan does not recompute from its own request and revisions ({difference}): it was edited by hand or made by another version of taper, and a re-plan from it could continue a mistake; re-plan the file taper wrote, or make the plan again with taper plan"
        ))),
    }
}

/// Where `found` (the document) first differs from `made` (recomputed): `steps[3].dose_mg
/// is 5 in the file, 5.83 recomputed`.
fn first_difference(found: &Value, made: &Value, path: &str) -> Option<String> {
    let at = |key: &str| match path {
        "" => key.to_string(),
        _ => format!("{path}.{key}"),
    };
    match (found, made) {
        (Value::Object(a), Value::Object(b)) => {
            for (key, value) in a {
                match b.get(key) {
                    Some(other) => {
                        if let Some(d) = first_difference(value, other, &at(key)) {
                            return Some(d);
                        }
                    }
                    None => return Some(format!("{} is in the file but not recomputed", at(key))),
                }
            }
            b.keys()
                .find(|key| !a.contains_key(*key))
                .map(|key| format!("{} is recomputed but not in the file", at(key)))
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => a
            .iter()
            .zip(b)
            .enumerate()
            .find_map(|(i, (x, y))| first_difference(x, y, &format!("{path}[{i}]"))),
        (Value::Array(a), Value::Array(b)) => Some(format!(
            "{path} has {} entries in the file, {} recomputed",
            a.len(),
            b.len()
        )),
        (Value::Number(a), Value::Number(b)) if a.as_f64() == b.as_f64() => None,
        (a, b) if a == b => None,
        (a, b) => Some(format!(
            "{path} is {} in the file, {} recomputed",
            short(a),
            short(b)
        )),
    }
}

fn short(value: &Value) -> String {
    let text = value.to_string();
    match text.char_indices().nth(40) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_first_difference_is_named_by_its_path() {
        let a = json!({"steps": [{"dose_mg": 5.0}, {"dose_mg": 2.0}], "plan_id": "x"});
        let b = json!({"steps": [{"dose_mg": 5.0}, {"dose_mg": 2.5}], "plan_id": "x"});
        assert_eq!(
            first_difference(&a, &b, "").unwrap(),
            "steps[1].dose_mg is 2.0 in the file, 2.5 recomputed"
        );
        assert_eq!(first_difference(&a, &a, ""), None);
        let c = json!({"steps": [], "plan_id": "x"});
        assert!(
            first_difference(&a, &c, "")
                .unwrap()
                .starts_with("steps has 2 entries")
        );
        let d = json!({"steps": [{"dose_mg": 5.0}, {"dose_mg": 2.0}], "plan_id": "x", "more": 1});
        assert_eq!(
            first_difference(&a, &d, "").unwrap(),
            "more is recomputed but not in the file"
        );
    }
}
