//! Phrases every format words the same way: counts of days, lengths of time, lists of
//! codes. One function each, so "1 day" or "4 weeks and 2 days" cannot be phrased one
//! way in the table and another in a printout or a calendar.

use crate::text::fmt_count;
use std::fmt::Display;

/// A number of days: "1 day", "28 days".
pub(super) fn days(n: impl Into<i64>) -> String {
    fmt_count(n.into(), "day")
}

/// A length of time in weeks and days, for a reader planning around it: "2 days",
/// "3 weeks", "4 weeks and 2 days". Under a week it is days alone, never "0 weeks".
pub(super) fn duration(days: i64) -> String {
    match (days / 7, days % 7) {
        (0, extra) => fmt_count(extra, "day"),
        (weeks, 0) => fmt_count(weeks, "week"),
        (weeks, extra) => format!(
            "{} and {}",
            fmt_count(weeks, "week"),
            fmt_count(extra, "day")
        ),
    }
}

/// Flag or warning codes joined by `separator`, each written as it displays, so the
/// renderers need not know how a code is stored.
pub(super) fn codes<C: Display>(codes: &[C], separator: &str) -> String {
    let codes: Vec<String> = codes.iter().map(ToString::to_string).collect();
    codes.join(separator)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_as_a_person_would_say_them() {
        assert_eq!(duration(1), "1 day");
        assert_eq!(duration(2), "2 days");
        assert_eq!(duration(7), "1 week");
        assert_eq!(duration(21), "3 weeks");
        assert_eq!(duration(8), "1 week and 1 day");
        assert_eq!(duration(30), "4 weeks and 2 days");
    }

    #[test]
    fn counts_agree_with_their_number() {
        assert_eq!(days(1u32), "1 day");
        assert_eq!(days(28u32), "28 days");
        assert_eq!(
            codes(&["merged", "stopped_early"], ", "),
            "merged, stopped_early"
        );
        assert_eq!(codes::<&str>(&[], ";"), "");
    }
}
