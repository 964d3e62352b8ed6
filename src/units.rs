//! Parsing what people type for doses, durations and dates.
//!
//! Doses are daily amounts in mg or mcg (a bare number is mg, as `--from` says). Volumes
//! such as `20 mL` are refused here: without a concentration they are not a dose.
//! Durations are whole days or weeks (`14d`, `2w`); months are refused because their
//! length varies. Dates are ISO `YYYY-MM-DD`, checked by the date library, so
//! `2027-02-30` is an error rather than a silent roll-over.

use crate::error::{Error, Result};
use jiff::civil::{Date, DateTime, Time};

/// Unit words a dose may carry (accepted or refused with a reason by [`parse_dose_mg`]).
pub const DOSE_UNIT_WORDS: &[&str] = &[
    "mg", "mcg", "ug", "µg", "μg", "ml", "l", "drop", "drops", "g",
];

/// Parses a daily dose such as `20mg`, `20 mg`, `0.5`, `250 mcg`, returning mg.
pub fn parse_dose_mg(text: &str) -> Result<f64> {
    let lowered = text.trim().to_lowercase();
    // "20mg/day" and "20 mg/d" are daily doses too.
    let trimmed = lowered
        .trim_end_matches("/day")
        .trim_end_matches("/d")
        .trim();
    if trimmed.contains(',') {
        return Err(Error::input(format!(
            "dose \"{text}\" uses a comma; write decimals with a point, like 12.5mg"
        )));
    }
    let split = trimmed
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-' || c == '+'))
        .unwrap_or(trimmed.len());
    let (number, unit) = trimmed.split_at(split);
    let unit = unit.trim().to_ascii_lowercase();
    let value: f64 = number.trim().parse().map_err(|_| {
        Error::input(format!(
            "dose \"{text}\" is not a number with a unit; write it like 20mg or 250mcg"
        ))
    })?;
    let factor = match unit.as_str() {
        "" | "mg" => 1.0,
        "mcg" | "ug" | "µg" | "μg" => 0.001,
        "ml" | "l" | "drops" | "drop" => {
            return Err(Error::input(format!(
                "dose \"{text}\" is a volume, not an amount of drug; give the dose in mg (a liquid's volume needs its concentration)"
            )));
        }
        "g" => {
            return Err(Error::input(format!(
                "dose \"{text}\" is in grams, which no antidepressant dose is; write it in mg or mcg"
            )));
        }
        other => {
            return Err(Error::input(format!(
                "dose \"{text}\" has the unknown unit \"{other}\"; use mg or mcg"
            )));
        }
    };
    if !value.is_finite() {
        return Err(Error::input(format!(
            "dose \"{text}\" is too large to be a dose; write it like 20mg"
        )));
    }
    if value <= 0.0 {
        return Err(Error::input(format!(
            "dose \"{text}\" must be more than 0; write it like 20mg"
        )));
    }
    Ok(value * factor)
}

/// An amount of drug in mg: finite and more than 0, so a plan cannot be asked to start
/// from, or measure down to, nothing.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
pub struct Mg(f64);

impl Mg {
    /// `Some` for a finite amount above 0.
    pub fn new(mg: f64) -> Option<Mg> {
        (mg.is_finite() && mg > 0.0).then_some(Mg(mg))
    }

    pub fn get(self) -> f64 {
        self.0
    }
}

/// [`parse_dose_mg`], typed.
pub fn parse_dose(text: &str) -> Result<Mg> {
    let mg = parse_dose_mg(text)?;
    Mg::new(mg).ok_or_else(|| {
        Error::input(format!(
            "dose \"{text}\" must be more than 0; write it like 20mg"
        ))
    })
}

/// Splits `"14d"` or `"2 weeks"` into a whole count and a lower-case unit word.
fn count_and_unit(text: &str) -> Option<(u32, String)> {
    let trimmed = text.trim().to_ascii_lowercase();
    let split = trimmed
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(trimmed.len());
    let (number, unit) = trimmed.split_at(split);
    Some((number.parse().ok()?, unit.trim().to_string()))
}

/// Parses a step length such as `14d`, `2w`, `4w` into days (1 day to 10 years).
pub fn parse_days(text: &str) -> Result<u32> {
    let bad = || {
        Error::input(format!(
            "length \"{text}\" is not understood; write whole days or weeks, like 14d or 4w"
        ))
    };
    let (count, unit) = count_and_unit(text).ok_or_else(bad)?;
    let per_unit = match unit.as_str() {
        "d" | "day" | "days" => 1,
        "w" | "wk" | "week" | "weeks" => 7,
        "m" | "mo" | "month" | "months" => {
            return Err(Error::input(format!(
                "length \"{text}\" is in months, which vary in length; write it in weeks, like 4w"
            )));
        }
        _ => return Err(bad()),
    };
    let days = count.checked_mul(per_unit).ok_or_else(bad)?;
    if !(1..=3650).contains(&days) {
        return Err(Error::input(format!(
            "length \"{text}\" must be between 1 day and 10 years (3650d)"
        )));
    }
    Ok(days)
}

/// [`parse_days`], typed: a length that cannot be zero.
pub fn parse_length(text: &str) -> Result<std::num::NonZeroU32> {
    let days = parse_days(text)?;
    std::num::NonZeroU32::new(days).ok_or_else(|| {
        Error::input(format!(
            "length \"{text}\" must be at least one day, like 14d or 4w"
        ))
    })
}

/// Parses an ISO date (`YYYY-MM-DD`), refusing dates that do not exist.
pub fn parse_date(text: &str) -> Result<Date> {
    let trimmed = text.trim();
    let shaped = trimmed.len() == 10
        && trimmed.char_indices().all(|(i, c)| {
            if i == 4 || i == 7 {
                c == '-'
            } else {
                c.is_ascii_digit()
            }
        });
    if !shaped {
        return Err(Error::input(format!(
            "date \"{text}\" is not in the form YYYY-MM-DD; write it like 2027-01-04"
        )));
    }
    let date = trimmed.parse::<Date>().map_err(|_| {
        Error::input(format!(
            "date \"{text}\" does not exist on the calendar; check the day and month (YYYY-MM-DD)"
        ))
    })?;
    in_years(date, text)?;
    Ok(date)
}

/// Dates from [`crate::limits::MIN_YEAR`] to [`crate::limits::MAX_YEAR`]: year 0 made
/// calendars with `DTSTART:-00011231`.
fn in_years(date: Date, text: &str) -> Result<()> {
    use crate::limits::{MAX_YEAR, MIN_YEAR};
    if (MIN_YEAR..=MAX_YEAR).contains(&date.year()) {
        return Ok(());
    }
    Err(Error::input(format!(
        "\"{}\" is outside the years taper plans in ({MIN_YEAR} to {MAX_YEAR}); check the year",
        crate::limits::quote(text.trim())
    )))
}

/// Parses a date and time such as `2027-02-03T10:00` (or with a space), refusing a
/// bare time: a session needs its date.
pub fn parse_datetime(text: &str) -> Result<DateTime> {
    let trimmed = text.trim();
    if !trimmed.contains('-') {
        return Err(Error::input(format!(
            "\"{text}\" has no date; write the date and time, like 2027-02-03T10:00"
        )));
    }
    if !trimmed.contains(':') {
        return Err(Error::input(format!(
            "\"{text}\" has no time; write the date and time, like 2027-02-03T10:00"
        )));
    }
    let normalised = trimmed.replacen(' ', "T", 1);
    let at = normalised.parse::<DateTime>().map_err(|err| {
        Error::input(format!(
            "\"{text}\" is not a real date and time ({err}); write it like 2027-02-03T10:00"
        ))
    })?;
    in_years(at.date(), text)?;
    Ok(at)
}

/// Parses clock times such as `08:00,21:00` (24-hour), refusing duplicates.
pub fn parse_times(text: &str) -> Result<Vec<Time>> {
    let mut times = Vec::new();
    for part in text.split(',') {
        let time = part.trim().parse::<Time>().map_err(|_| {
            Error::input(format!(
                "\"{}\" in \"{text}\" is not a 24-hour clock time; write times like 08:00,21:00",
                part.trim()
            ))
        })?;
        if times.contains(&time) {
            return Err(Error::input(format!(
                "\"{text}\" gives {} twice; give each dose time once",
                part.trim()
            )));
        }
        times.push(time);
    }
    times.sort();
    Ok(times)
}

/// Parses a length in hours or days (`12h`, `72h`, `3d`), 0 to 30 days, into hours.
pub fn parse_hours(text: &str) -> Result<u32> {
    let bad = || {
        Error::input(format!(
            "length \"{text}\" is not understood; write whole hours or days, like 12h or 3d"
        ))
    };
    let (count, unit) = count_and_unit(text).ok_or_else(bad)?;
    let hours = match unit.as_str() {
        "h" | "hr" | "hrs" | "hour" | "hours" => count,
        "d" | "day" | "days" => count.checked_mul(24).ok_or_else(bad)?,
        _ => return Err(bad()),
    };
    if hours > 30 * 24 {
        return Err(Error::input(format!(
            "length \"{text}\" is over 30 days; a hold is hours or days"
        )));
    }
    Ok(hours)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doses_in_mg_and_mcg() {
        assert_eq!(parse_dose_mg("20mg").unwrap(), 20.0);
        assert_eq!(parse_dose_mg(" 20 MG ").unwrap(), 20.0);
        assert_eq!(parse_dose_mg("12.5").unwrap(), 12.5);
        assert!((parse_dose_mg("20 mcg").unwrap() - 0.02).abs() < 1e-15);
        assert!((parse_dose_mg("250µg").unwrap() - 0.25).abs() < 1e-15);
        assert_eq!(parse_dose_mg("20mg/day").unwrap(), 20.0);
        assert!(
            parse_dose_mg("12,5mg")
                .unwrap_err()
                .to_string()
                .contains("point")
        );
    }

    #[test]
    fn refuses_bad_doses() {
        for bad in [
            "20 mL",
            "20ml",
            "-5mg",
            "0mg",
            "abc",
            "",
            "mg",
            "20 g",
            "20 tablets",
            "NaN",
            "inf",
            "1e3mg",
            "1..2mg",
        ] {
            assert!(parse_dose_mg(bad).is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn volume_error_names_the_fix() {
        let msg = parse_dose_mg("20 mL").unwrap_err().to_string();
        assert!(msg.contains("concentration"), "{msg}");
    }

    #[test]
    fn durations() {
        assert_eq!(parse_days("14d").unwrap(), 14);
        assert_eq!(parse_days("2w").unwrap(), 14);
        assert_eq!(parse_days("4 weeks").unwrap(), 28);
        for bad in ["0d", "4", "1m", "-2w", "2.5w", "w", "99999999999w", "3651d"] {
            assert!(parse_days(bad).is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn date_times_times_and_hours() {
        assert_eq!(
            parse_datetime("2027-02-03T10:00").unwrap(),
            jiff::civil::date(2027, 2, 3).at(10, 0, 0, 0)
        );
        assert_eq!(
            parse_datetime("2027-02-03 10:00").unwrap(),
            jiff::civil::date(2027, 2, 3).at(10, 0, 0, 0)
        );
        assert!(
            parse_datetime("10:00")
                .unwrap_err()
                .to_string()
                .contains("no date")
        );
        assert!(parse_datetime("2027-02-30T10:00").is_err());
        assert!(parse_datetime("2027-02-03T25:00").is_err());
        assert_eq!(
            parse_times("21:00, 08:00").unwrap(),
            [Time::constant(8, 0, 0, 0), Time::constant(21, 0, 0, 0)]
        );
        for bad in ["8pm", "08:00,08:00", "", "24:00"] {
            assert!(parse_times(bad).is_err(), "{bad}");
        }
        assert_eq!(parse_hours("12h").unwrap(), 12);
        assert_eq!(parse_hours("3d").unwrap(), 72);
        assert_eq!(parse_hours("0h").unwrap(), 0);
        for bad in ["12", "1w", "-1h", "31d"] {
            assert!(parse_hours(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn dates() {
        assert_eq!(
            parse_date("2027-01-04").unwrap(),
            jiff::civil::date(2027, 1, 4)
        );
        assert!(parse_date("2027-02-30").is_err());
        assert!(parse_date("2027-13-01").is_err());
        assert!(parse_date("04/01/2027").is_err());
        assert!(parse_date("2027-01-04T10:00").is_err());
        assert!(parse_date("20270104").is_err());
        assert!(
            parse_date("2027-02-30")
                .unwrap_err()
                .to_string()
                .contains("does not exist")
        );
        assert!(parse_date("2028-02-29").is_ok());
    }
}
