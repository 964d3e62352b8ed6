//! A plan's identity: the `plan_id` every plan document carries, and its `revision`.
//!
//! Calendars and clinic systems key what they import by identifier: ICS UIDs and FHIR
//! ids derive from the plan id (never from the drug, which the titles deliberately
//! hide, nor from the dose), so two patients on the same drug from the same day never
//! share an event, and a later revision of one plan updates the events it continues.
//! A pipeline names its plans (`--plan-id`, request field `plan_id`); otherwise the id
//! is drawn at random, so the same request gives the same bytes only with a plan id.

use crate::error::{Error, Problem, Result};
use std::hash::BuildHasher;

/// The longest plan id: FHIR ids are at most 64 characters, and the resource ids add a
/// revision and a kind (`-r12-benzo-3`).
pub const MAX_LEN: usize = 40;

/// `text` if it is a plan id: 1 to [`MAX_LEN`] ASCII letters, digits, `-` or `.`,
/// starting with a letter or digit. Those are the characters a FHIR id allows and
/// need no escaping in an ICS UID or a file name.
pub fn check(text: &str) -> Result<String> {
    let safe = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '.';
    let starts_well = text
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric());
    if text.len() <= MAX_LEN && starts_well && text.chars().all(safe) {
        return Ok(text.to_string());
    }
    Err(Error::field(
        Problem::InvalidValue,
        "plan_id",
        format!(
            "--plan-id {text:?} is not a plan id: use 1 to {MAX_LEN} letters, digits, '-' or '.', starting with a letter or digit, like clinic-4711.2027"
        ),
    ))
}

/// A new plan id: 128 random bits as 32 hex digits.
///
/// The randomness is std's: every [`std::hash::RandomState`] is seeded from the
/// operating system's generator (its keys are drawn once per thread and advanced for
/// each new state). Each thread keeps two such states and a counter, and an id is the
/// counter hashed with both: ids differ between runs, processes and calls, cost two
/// hashes (`taper batch` makes one per line without a plan id), and need no
/// random-number crate. It is an identifier, not a secret.
pub fn generate() -> String {
    thread_local! {
        static KEYS: (std::hash::RandomState, std::hash::RandomState, std::cell::Cell<u64>) =
            (std::hash::RandomState::new(), std::hash::RandomState::new(), std::cell::Cell::new(0));
    }
    KEYS.with(|(a, b, counter)| {
        let n = counter.get();
        counter.set(n.wrapping_add(1));
        format!("{:016x}{:016x}", a.hash_one(n), b.hash_one(n))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn safe_ids_pass_and_others_are_refused_in_one_sentence() {
        for good in ["a", "clinic-4711.2027", "0f3a", &"x".repeat(MAX_LEN)] {
            assert_eq!(check(good).unwrap(), good);
        }
        for bad in [
            "",
            "-leading",
            ".dot",
            "has space",
            "under_score",
            "slash/",
            "é",
            "a@b",
            &"x".repeat(MAX_LEN + 1),
        ] {
            let err = check(bad).unwrap_err().to_string();
            assert!(err.starts_with("--plan-id"), "{err}");
            assert_eq!(err.matches(". ").count(), 0, "{err}");
        }
    }

    #[test]
    fn generated_ids_are_plan_ids_and_differ() {
        let (a, b) = (generate(), generate());
        assert_ne!(a, b);
        assert_eq!(a.len(), 32);
        assert_eq!(check(&a).unwrap(), a);
    }
}
