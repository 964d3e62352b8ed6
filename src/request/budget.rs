//! The work budget ([`crate::limits`]) applied to a raw request, before anything is
//! parsed or planned: counts and text lengths only, so a request far over the budget
//! costs no more to refuse than a small one.

use super::raw::RawRequest;
use crate::error::Result;
use crate::limits::{self, over};

/// Refuses `raw` when it asks for more than one request may (see [`crate::limits`]).
pub fn check(raw: &RawRequest) -> Result<()> {
    check_texts(raw)?;
    if raw.hold.len() > limits::MAX_HOLDS {
        return Err(over(
            "hold",
            format!(
                "{} --hold options is more than taper plans for one request (at most {}, one per step)",
                raw.hold.len(),
                limits::MAX_HOLDS
            ),
        ));
    }
    for (field, count) in [
        ("tablets", raw.tablets.len()),
        ("capsule", raw.capsule.len()),
    ] {
        if count > limits::MAX_STRENGTHS {
            return Err(over(
                field,
                format!(
                    "--{field} gives {count} strengths; taper rounds to at most {} (the strengths the patient has)",
                    limits::MAX_STRENGTHS
                ),
            ));
        }
    }
    if raw.benzo.len() > limits::MAX_REGIMENS {
        return Err(over(
            "benzo",
            format!(
                "{} --benzo regimens is more than taper lays out in one request (at most {})",
                raw.benzo.len(),
                limits::MAX_REGIMENS
            ),
        ));
    }
    for times in &raw.benzo_times {
        let count = times.split(',').count();
        if count > limits::MAX_DOSE_TIMES {
            return Err(over(
                "benzo_times",
                format!(
                    "--benzo-times gives {count} times a day; taper takes at most {} (one an hour)",
                    limits::MAX_DOSE_TIMES
                ),
            ));
        }
    }
    let mut sessions = raw.ketamine.len();
    for series in &raw.ketamine_series {
        // Only the count is read here; a malformed series is refused when it is parsed.
        if let Some(count) = series
            .split(',')
            .nth(1)
            .and_then(|c| c.trim().parse::<usize>().ok())
        {
            sessions = sessions.saturating_add(count);
        }
    }
    if sessions > limits::MAX_SESSIONS {
        let field = if raw.ketamine_series.is_empty() {
            "ketamine"
        } else {
            "ketamine_series"
        };
        return Err(over(
            field,
            format!(
                "these options give {sessions} ketamine sessions in all; taper lays out at most {} in one request (more than a year of daily sessions): plan the rest separately",
                limits::MAX_SESSIONS
            ),
        ));
    }
    Ok(())
}

/// Every text value of the request: at most [`limits::MAX_TEXT_CHARS`] characters and no
/// control characters (they would reach terminals, calendars and FHIR strings).
fn check_texts(raw: &RawRequest) -> Result<()> {
    let singles = [
        ("plan_id", &raw.plan_id),
        ("drug", &raw.drug),
        ("start", &raw.start),
        ("every", &raw.every),
        ("region", &raw.region),
        ("split", &raw.split),
        ("liquid", &raw.liquid),
        ("syringe", &raw.syringe),
        ("form", &raw.form),
        ("market", &raw.market),
        ("dispense_every", &raw.dispense_every),
        ("bottle", &raw.bottle),
        ("benzo_hold", &raw.benzo_hold),
        ("benzo_after", &raw.benzo_after),
        ("equivalence", &raw.equivalence),
        ("benzo_taper", &raw.benzo_taper),
        ("benzo_taper_as", &raw.benzo_taper_as),
        ("benzo_market", &raw.benzo_market),
        ("patient", &raw.patient),
        ("prescriber", &raw.prescriber),
        ("contact", &raw.contact),
        ("remind", &raw.remind),
        ("ics_titles", &raw.ics_titles),
    ];
    for (field, text) in singles {
        if let Some(text) = text {
            check_text(field, text)?;
        }
    }
    let lists: [(&str, &[String]); 5] = [
        ("hold", &raw.hold),
        ("ketamine", &raw.ketamine),
        ("ketamine_series", &raw.ketamine_series),
        ("benzo", &raw.benzo),
        ("benzo_times", &raw.benzo_times),
    ];
    for (field, texts) in lists {
        for text in texts {
            check_text(field, text)?;
        }
    }
    let amounts = [
        ("from", raw.from.as_ref()),
        ("min_dose", raw.min_dose.as_ref()),
        ("ed50", raw.ed50.as_ref()),
    ];
    for (field, amount) in amounts {
        if let Some(super::raw::Amount::Text(text)) = amount {
            check_text(field, text)?;
        }
    }
    for amount in &raw.benzo_dose {
        if let super::raw::Amount::Text(text) = amount {
            check_text("benzo_dose", text)?;
        }
    }
    Ok(())
}

/// One text value: at most [`limits::MAX_TEXT_CHARS`] characters, none a control
/// character. Runs on every field of every request, so it allocates nothing unless
/// it refuses.
fn check_text(field: &'static str, text: &str) -> Result<()> {
    // A text's characters are at most its bytes: count them only when it may be long.
    let long = text.len() > limits::MAX_TEXT_CHARS && text.chars().count() > limits::MAX_TEXT_CHARS;
    if long {
        return Err(over(
            field,
            format!(
                "--{} \"{}\" is longer than {} characters, taper's limit for one value; check what was passed",
                field.replace('_', "-"),
                limits::quote(text),
                limits::MAX_TEXT_CHARS
            ),
        ));
    }
    if text.chars().any(char::is_control) {
        return Err(over(
            field,
            format!(
                "--{} \"{}\" contains a control character (a line break, tab or escape); write it on one line without them",
                field.replace('_', "-"),
                limits::quote(text)
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw() -> RawRequest {
        RawRequest {
            drug: Some("citalopram".into()),
            ..RawRequest::default()
        }
    }

    #[test]
    fn sessions_are_counted_over_every_series() {
        let mut r = raw();
        r.ketamine_series = vec!["2027-02-03T10:00,100,1d".into(); 4];
        assert!(check(&r).is_ok());
        r.ketamine_series.push("2027-09-03T10:00,1,1d".into());
        let err = check(&r).unwrap_err();
        assert!(err.to_string().contains("401 ketamine sessions"), "{err}");
        assert_eq!(err.problem().1, Some("ketamine_series"));
    }

    #[test]
    fn long_and_control_texts_are_refused_and_quoted_short() {
        let mut r = raw();
        r.drug = Some("x".repeat(1_000_000));
        let err = check(&r).unwrap_err().to_string();
        assert!(err.len() < 300, "{err}");
        let mut r = raw();
        r.patient = Some("J. Doe\u{1b}[2J".into());
        let err = check(&r).unwrap_err().to_string();
        assert!(
            err.contains("control character") && !err.contains('\u{1b}'),
            "{err}"
        );
    }

    #[test]
    fn counts_over_the_budget_are_refused() {
        let mut r = raw();
        r.tablets = vec![10.0; limits::MAX_STRENGTHS + 1];
        assert_eq!(check(&r).unwrap_err().problem().1, Some("tablets"));
        let mut r = raw();
        r.benzo = vec!["lorazepam".into(); limits::MAX_REGIMENS + 1];
        assert_eq!(check(&r).unwrap_err().problem().1, Some("benzo"));
        let mut r = raw();
        r.benzo_times = vec![
            (0..25)
                .map(|h| format!("{:02}:30", h % 24))
                .collect::<Vec<_>>()
                .join(","),
        ];
        assert_eq!(check(&r).unwrap_err().problem().1, Some("benzo_times"));
    }
}
