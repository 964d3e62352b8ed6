//! Dates: lays the steps end to end on the calendar.
//!
//! Each step lasts `--every` days unless `--hold N=LEN` lengthens (or shortens) step N.
//! Dates are inclusive: a 28-day step starting 2027-01-04 ends 2027-01-31, and the next
//! starts 2027-02-01. Arithmetic is done by the `jiff` date library.

use crate::error::{Error, Result};
use jiff::ToSpan;
use jiff::civil::Date;
use std::num::NonZeroU32;

/// A step's place on the calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub start: Date,
    pub end: Date,
    pub days: u32,
}

/// A length override for one step, from `--hold STEP=LEN`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hold {
    pub step: usize,
    pub days: NonZeroU32,
}

/// Parses `--hold 1=8w` (step 1 lasts 8 weeks).
pub fn parse_hold(text: &str) -> Result<Hold> {
    let (step, length) = text.split_once('=').ok_or_else(|| {
        Error::input(format!(
            "--hold \"{text}\" needs a step and a length, like --hold 1=8w"
        ))
    })?;
    let step = step.trim().parse::<usize>().map_err(|_| {
        Error::input(format!(
            "--hold \"{text}\" must start with a step number (0 is the starting dose), like --hold 1=8w"
        ))
    })?;
    let days =
        crate::units::parse_length(length).map_err(|e| Error::input(format!("--hold: {e}")))?;
    Ok(Hold { step, days })
}

/// The periods of `count` consecutive steps starting on `start`.
pub fn lay_out(
    start: Date,
    every_days: NonZeroU32,
    holds: &[Hold],
    count: usize,
) -> Result<Vec<Period>> {
    for (i, hold) in holds.iter().enumerate() {
        if hold.step >= count {
            return Err(Error::input(format!(
                "--hold {}=… names step {}, but this plan has steps 0 to {}; pick one of those",
                hold.step,
                hold.step,
                count.saturating_sub(1)
            )));
        }
        if holds[..i].iter().any(|h| h.step == hold.step) {
            return Err(Error::input(format!(
                "--hold gives step {} twice; give each step at most one length",
                hold.step
            )));
        }
    }
    let mut periods = Vec::with_capacity(count);
    let mut next = start;
    for step in 0..count {
        let days = holds
            .iter()
            .find(|h| h.step == step)
            .map_or(every_days, |h| h.days)
            .get();
        let end = add_days(next, i64::from(days) - 1)?;
        periods.push(Period {
            start: next,
            end,
            days,
        });
        if step + 1 < count {
            next = add_days(end, 1)?;
        }
    }
    Ok(periods)
}

/// `date + days`, or an error if that leaves the calendar the library supports.
pub fn add_days(date: Date, days: i64) -> Result<Date> {
    date.checked_add(days.days()).map_err(|_| {
        Error::input(format!(
            "the plan would run past the last date taper can represent (starting {date}); choose an earlier --start or shorter steps"
        ))
    })
}

/// A date as jiff writes it (`2027-01-04`), as ASCII bytes, without going through
/// `fmt`: a plan carries several dates per step, and `taper batch` writes a hundred
/// thousand plans a second. `None` for years outside 0–9999 (written `+010000-…` by
/// jiff), which take jiff's own path.
pub fn date_bytes(date: &Date) -> Option<[u8; 10]> {
    let year = u16::try_from(date.year()).ok().filter(|y| *y <= 9999)?;
    let mut text = *b"0000-00-00";
    let digits = |n: u16, out: &mut [u8]| {
        let mut n = n;
        for slot in out.iter_mut().rev() {
            *slot = b'0' + (n % 10) as u8;
            n /= 10;
        }
    };
    digits(year, &mut text[0..4]);
    digits(date.month() as u16, &mut text[5..7]);
    digits(date.day() as u16, &mut text[8..10]);
    Some(text)
}

/// Serialises a date as jiff does (`2027-01-04`), through [`date_bytes`].
pub fn serialize_date<S: serde::Serializer>(date: &Date, serializer: S) -> Result<S::Ok, S::Error> {
    match date_bytes(date) {
        Some(text) => {
            // Only ASCII digits and dashes were written, so this cannot fail.
            let text = std::str::from_utf8(&text).map_err(serde::ser::Error::custom)?;
            serializer.serialize_str(text)
        }
        None => serializer.collect_str(date),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn days(n: u32) -> NonZeroU32 {
        NonZeroU32::new(n).unwrap()
    }
    use jiff::civil::date;

    #[test]
    fn dates_serialise_as_jiff_writes_them() {
        #[derive(serde::Serialize)]
        struct Fast(#[serde(serialize_with = "serialize_date")] Date);
        for d in [
            date(2027, 1, 4),
            date(2028, 2, 29),
            date(2027, 12, 31),
            date(5, 3, 9),
            date(999, 10, 1),
            date(9999, 12, 31),
            date(-1, 1, 1),
            date(-9999, 1, 1),
        ] {
            assert_eq!(
                serde_json::to_string(&Fast(d)).unwrap(),
                serde_json::to_string(&d).unwrap()
            );
        }
    }

    #[test]
    fn steps_are_contiguous_and_inclusive() {
        let p = lay_out(date(2027, 1, 4), days(28), &[], 3).unwrap();
        assert_eq!(
            p[0],
            Period {
                start: date(2027, 1, 4),
                end: date(2027, 1, 31),
                days: 28
            }
        );
        assert_eq!(p[1].start, date(2027, 2, 1));
        assert_eq!(p[2].end, date(2027, 3, 28));
    }

    #[test]
    fn holds_change_one_step() {
        let hold = parse_hold("1=8w").unwrap();
        assert_eq!(
            hold,
            Hold {
                step: 1,
                days: days(56)
            }
        );
        let p = lay_out(date(2027, 1, 4), days(14), &[hold], 3).unwrap();
        assert_eq!(p.iter().map(|p| p.days).collect::<Vec<_>>(), [14, 56, 14]);
        assert_eq!(p[2].start, date(2027, 3, 15));
    }

    #[test]
    fn leap_days_are_counted() {
        let p = lay_out(date(2028, 2, 1), days(29), &[], 2).unwrap();
        assert_eq!(p[0].end, date(2028, 2, 29));
        assert_eq!(p[1].start, date(2028, 3, 1));
    }

    #[test]
    fn bad_holds_are_refused() {
        for bad in ["1", "x=2w", "1=2", "=2w", "-1=2w"] {
            assert!(parse_hold(bad).is_err(), "{bad}");
        }
        let out_of_range = lay_out(
            date(2027, 1, 4),
            days(14),
            &[Hold {
                step: 9,
                days: days(7),
            }],
            3,
        )
        .unwrap_err();
        assert!(
            out_of_range.to_string().contains("steps 0 to 2"),
            "{out_of_range}"
        );
        let twice = [
            Hold {
                step: 1,
                days: days(7),
            },
            Hold {
                step: 1,
                days: days(14),
            },
        ];
        assert!(lay_out(date(2027, 1, 4), days(14), &twice, 3).is_err());
    }

    #[test]
    fn the_last_representable_day_can_be_used() {
        let p = lay_out(date(9999, 12, 30), days(1), &[], 2).unwrap();
        assert_eq!(p[1].end, date(9999, 12, 31));
    }

    #[test]
    fn running_off_the_calendar_is_an_error() {
        assert!(lay_out(date(9999, 6, 1), days(3650), &[], 3).is_err());
    }
}
