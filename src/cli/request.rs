//! `taper plan --request FILE`: a JSON request, with flags beside it overriding its
//! fields. The merged request is checked by `taper::request` like any other.

use serde_json::{Map, Value};
use std::path::Path;
use taper::error::{Error, Problem, Result};
use taper::request::{FIELDS, RawRequest, Spelling};

/// Reads a request document from a file, or stdin for `-`.
pub fn read(path: &Path) -> Result<Value> {
    // Bounded: `--request /dev/zero` is refused, not read until memory runs out.
    let text = taper::limits::read_file_bounded(
        path,
        taper::limits::MAX_INPUT_BYTES,
        &format!("--request {}", path.display()),
    )?;
    // A byte-order mark (as some editors and spreadsheets save) is not the request.
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    serde_json::from_str(text).map_err(|e| Error::Input {
        problem: Problem::NotJson,
        field: None,
        message: format!(
            "--request {}: not valid JSON ({e}); write one JSON object",
            path.display()
        ),
    })
}

/// Fields that are alternatives to each other: a flag of one replaces the file's
/// choice in its group (the rule, the products, the curve).
const EXCLUSIVE: &[&[&str]] = &[
    &["step_pp", "steps", "percent", "align"],
    &["tablets", "capsule", "liquid", "form"],
    &["region", "emax", "ed50", "hill"],
];

/// The request file's fields, overridden by every flag given on the command line, and
/// which fields the flags gave (so refusals name them as the user wrote them).
pub fn merge(file: Value, flags: &RawRequest) -> Result<(RawRequest, Spelling)> {
    // Checked alone first, so a field of the file is named as the file has it.
    RawRequest::from_json(file.clone())?;
    let Value::Object(mut merged) = file else {
        return Err(Error::input("a request must be a JSON object"));
    };
    let given =
        serde_json::to_value(flags).map_err(|e| Error::Runtime(format!("flags as JSON: {e}")))?;
    let Value::Object(given) = given else {
        return Err(Error::Runtime(
            "flags did not serialise as an object".into(),
        ));
    };
    let given: Map<String, Value> = given
        .into_iter()
        .filter(|(_, v)| {
            !(v.is_null() || *v == Value::Bool(false) || v.as_array().is_some_and(Vec::is_empty))
        })
        .collect();
    for group in EXCLUSIVE {
        if group.iter().any(|k| given.contains_key(*k)) {
            for k in *group {
                merged.remove(*k);
            }
        }
    }
    let from_flags: Vec<&'static str> = FIELDS
        .iter()
        .copied()
        .filter(|f| given.contains_key(*f))
        .collect();
    merged.extend(given);
    let spelling = Spelling::Mixed(from_flags);
    let raw = RawRequest::from_json(Value::Object(merged)).map_err(|e| spelling.respell(e))?;
    Ok((raw, spelling))
}
