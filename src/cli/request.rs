//! Requests as JSON documents (`taper plan --request FILE`, `taper batch`): the same
//! fields as the flags of `taper plan`, named like the long flags with `-` as `_`.
//! Unknown fields are refused by name, so a typo is never silently ignored; flags given
//! beside a request file override its fields.

use super::plan_args::PlanArgs;
use crate::error::{Error, Result};
use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};
use std::io::Read;
use std::path::Path;

/// A dose or strength may be written as text (`"20mg"`) or a bare number of mg (`20`).
#[derive(schemars::JsonSchema)]
#[serde(untagged)]
#[allow(dead_code)] // only describes the schema
pub enum TextOrNumber {
    Text(String),
    Number(f64),
}

/// Text, or a JSON number kept as its text (`20` → `"20"`), for fields that take a
/// dose or strength. A visitor rather than an untagged enum: that would build (and
/// throw away) an error for every number, which a large batch pays for on each line.
struct Loose(String);

impl<'de> Deserialize<'de> for Loose {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(LooseVisitor)
    }
}

struct LooseVisitor;

impl serde::de::Visitor<'_> for LooseVisitor {
    type Value = Loose;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("text like \"20mg\" or a number of mg")
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Loose, E> {
        Ok(Loose(v.to_string()))
    }
    fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Loose, E> {
        Ok(Loose(v))
    }
    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Loose, E> {
        Ok(Loose(v.to_string()))
    }
    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Loose, E> {
        Ok(Loose(v.to_string()))
    }
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Loose, E> {
        // As serde_json writes the number (`1e-7`, not `0.0000001`).
        serde_json::Number::from_f64(v)
            .map(|n| Loose(n.to_string()))
            .ok_or_else(|| E::custom("a dose must be a finite number"))
    }
}

impl Loose {
    fn into_text(self) -> String {
        self.0
    }
}

/// `"20mg"` or `20` → `Some("20mg")` / `Some("20")`.
pub fn opt_text<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    Ok(Option::<Loose>::deserialize(deserializer)?.map(Loose::into_text))
}

/// A list of `"1mg"` or `1`.
pub fn text_list<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<String>, D::Error> {
    Ok(Vec::<Loose>::deserialize(deserializer)?
        .into_iter()
        .map(Loose::into_text)
        .collect())
}

/// The field names a request may carry: the properties of the request schema.
pub fn known_fields() -> Vec<String> {
    let schema = schemars::schema_for!(PlanArgs);
    schema
        .as_object()
        .and_then(|o| o.get("properties"))
        .and_then(Value::as_object)
        .map(|p| p.keys().cloned().collect())
        .unwrap_or_default()
}

/// Reads a request document from a file, or stdin for `-`.
pub fn read(path: &Path) -> Result<Value> {
    let text = if path.as_os_str() == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| Error::input(format!("--request -: cannot read standard input ({e})")))?;
        text
    } else {
        std::fs::read_to_string(path).map_err(|e| {
            Error::input(format!(
                "--request {}: cannot be read ({e})",
                path.display()
            ))
        })?
    };
    serde_json::from_str(&text).map_err(|e| {
        Error::input(format!(
            "--request {}: not valid JSON ({e}); write one JSON object",
            path.display()
        ))
    })
}

/// Turns a JSON object into plan arguments, refusing unknown fields by name. `extra`
/// names fields the caller handles itself (`id` in batch).
pub fn to_args(value: Value, known: &[String], extra: &[&str]) -> Result<PlanArgs> {
    let Value::Object(map) = value else {
        return Err(Error::input(
            "a request must be a JSON object, like {\"drug\": \"citalopram\", \"from\": \"20mg\"}",
        ));
    };
    check_fields(&map, known, extra)?;
    let mut map = map;
    for key in extra {
        map.remove(*key);
    }
    serde_json::from_value(Value::Object(map)).map_err(|e| Error::input(format!("request: {e}")))
}

fn check_fields(map: &Map<String, Value>, known: &[String], extra: &[&str]) -> Result<()> {
    for key in map.keys() {
        if known.iter().any(|k| k == key) || extra.contains(&key.as_str()) {
            continue;
        }
        let nearest = known
            .iter()
            .map(|k| (strsim::damerau_levenshtein(key, k), k))
            .min();
        let hint = match nearest {
            Some((d, k)) if d <= 3 => format!("did you mean \"{k}\"?"),
            _ => "see `taper schema request` for the fields".to_string(),
        };
        return Err(Error::input(format!(
            "request field \"{key}\" is not a taper plan option; {hint}"
        )));
    }
    Ok(())
}

/// Fields that are alternatives to each other: the rule, the products, the curve.
const EXCLUSIVE: &[&[&str]] = &[
    &["step_pp", "steps", "percent", "align"],
    &["tablets", "capsule", "liquid", "form"],
    &["region", "emax", "ed50", "hill"],
];

/// The request file's fields, overridden by every flag given on the command line.
pub fn merge(cli: &PlanArgs, file: Value, known: &[String]) -> Result<PlanArgs> {
    let Value::Object(mut merged) = file else {
        return Err(Error::input(
            "a request must be a JSON object, like {\"drug\": \"citalopram\", \"from\": \"20mg\"}",
        ));
    };
    check_fields(&merged, known, &[])?;
    let given =
        serde_json::to_value(cli).map_err(|e| Error::Runtime(format!("flags as JSON: {e}")))?;
    let Value::Object(flags) = given else {
        return Err(Error::Runtime(
            "flags did not serialise as an object".into(),
        ));
    };
    let flags: Map<String, Value> = flags
        .into_iter()
        .filter(|(_, v)| {
            !(v.is_null() || *v == Value::Bool(false) || v.as_array().is_some_and(Vec::is_empty))
        })
        .collect();
    // A flag of a group of alternatives replaces the file's choice in that group.
    for group in EXCLUSIVE {
        if group.iter().any(|k| flags.contains_key(*k)) {
            for k in *group {
                merged.remove(*k);
            }
        }
    }
    merged.extend(flags);
    to_args(Value::Object(merged), known, &[])
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_request_vocabulary_is_the_flag_vocabulary() {
        // Every long flag of `taper plan` (but --request itself) is a request field.
        let known = known_fields();
        let command = <super::super::Cli as clap::CommandFactory>::command();
        let plan = command.find_subcommand("plan").unwrap();
        for arg in plan.get_arguments() {
            let Some(long) = arg.get_long() else { continue };
            if matches!(long, "request" | "help") {
                continue;
            }
            let field = long.replace('-', "_");
            assert!(
                known.contains(&field),
                "--{long} has no request field \"{field}\""
            );
        }
        assert!(known.contains(&"drug".to_string()));
    }

    #[test]
    fn unknown_fields_are_named() {
        let known = known_fields();
        let err = to_args(
            json!({"drug": "citalopram", "from": "20mg", "step_p": 5}),
            &known,
            &[],
        )
        .unwrap_err();
        assert!(
            err.to_string().contains("\"step_p\"") && err.to_string().contains("step_pp"),
            "{err}"
        );
    }

    #[test]
    fn numbers_or_text_for_doses() {
        let known = known_fields();
        let args = to_args(
            json!({"drug": "citalopram", "from": 20, "benzo_dose": [1, "0.5mg"]}),
            &known,
            &[],
        )
        .unwrap();
        assert_eq!(args.from.as_deref(), Some("20"));
        assert_eq!(args.ketamine.benzo_doses, ["1", "0.5mg"]);
    }
}
