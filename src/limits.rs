//! taper's own limits: the work budget of one request and the size of what it reads.
//!
//! These are **not clinical figures**. They bound the time and memory one request can
//! cost, so that a typo, a generated request or a hostile batch line is refused in one
//! sentence (exit 2; in `taper batch`, that line's error object) before anything large
//! is allocated, instead of taking the machine down with it. Each is chosen far above
//! any plan a clinic would write (the reasons are beside each figure and in the README,
//! "Work budget"), and none changes a plan that fits inside it.

use crate::error::{Error, Problem, Result};
use std::io::Read;

/// Ketamine or esketamine sessions in one request, counted over every `--ketamine` and
/// every `--ketamine-series` together. Sessions are at most one a day, and courses are
/// 6–8 sessions, then weekly or monthly maintenance: 400 is more than a year of daily
/// sessions.
pub const MAX_SESSIONS: usize = 400;

/// Benzodiazepine regimens (`--benzo`) in one request. People rarely take more than two.
pub const MAX_REGIMENS: usize = 8;

/// Dose times a day of one regimen (`--benzo-times`): one an hour.
pub const MAX_DOSE_TIMES: usize = 24;

/// Held doses listed over all sessions (each is a row in every format). A year of
/// daily sessions with a 24 h hold of a drug taken 4 times a day is about 3,000.
pub const MAX_HELD_DOSES: usize = 20_000;

/// Scheduled doses the level over the series follows, per regimen (memory grows with
/// it): 4 doses a day for 68 years, 24 a day for 11.
pub const MAX_LEVEL_DOSES: usize = 100_000;

/// Tablet or capsule strengths in one request (`--tablets`, `--capsule`): products come
/// in a handful of strengths; the rounding tries combinations of them.
pub const MAX_STRENGTHS: usize = 12;

/// Days of a `--daily` plan (each is a row, a calendar event, a FHIR instruction):
/// eleven years. Published hyperbolic tapers run for months to a few years; twenty
/// 26-week steps (10.5 years, the long workload of `benches/commands.sh`) fit.
pub const MAX_DAILY_DAYS: i64 = 4_018;

/// `--hold` options in one request: one per step at most (`rules::MAX_STEPS` is 500).
pub const MAX_HOLDS: usize = 501;

/// Characters in any one text value of a request (a drug name, a date, a patient's
/// name, a list of times). The longest drug or brand name is under 40; 24 dose times
/// with seconds take 215.
pub const MAX_TEXT_CHARS: usize = 256;

/// Bytes of one input document: a `--request` file (or standard input), a drug or
/// benzodiazepine file. The same as a `taper batch` line: the largest request within
/// the limits above is under 20 KB, the largest built-in drug file under 10 KB.
pub const MAX_INPUT_BYTES: u64 = 1 << 20;

/// Bytes of a plan document `taper today --plan` reads: the largest plan the limits
/// above allow, with room to spare (see `benches/worst_case.sh`).
pub const MAX_PLAN_BYTES: u64 = 64 << 20;

/// Characters of user text quoted back in an error; longer text is cut with "…".
pub const QUOTE_CHARS: usize = 60;

/// Dose bounds after unit conversion, in mg: a nanogram to 100 g a day. Any dose
/// outside them is a typo or a unit slip (no product measures less; nothing is taken by
/// mouth in more), and it would make numbers that do not print (`inf`, `0`).
pub const MIN_DOSE_MG: f64 = 1e-6;
pub const MAX_DOSE_MG: f64 = 100_000.0;

/// The finest measure a catalog liquid may be drawn in, in mL. The finest oral syringe
/// taper knows is graduated in 0.01 mL (`schedules/syringes.toml`); a file's far finer
/// figure is a typo, and the doses it makes are counted one by one (1e-320 mL would
/// ask for more doses than memory holds).
pub const MIN_MEASURE_ML: f64 = 0.001;

/// `--bottle` sizes, in mL: oral liquids come in bottles of tens to hundreds of mL; a
/// size outside 1 mL to 10 L is a unit slip, and a tiny one made the bottle count
/// overflow (1e-300 mL: 18446744073709551615 bottles).
pub const MIN_BOTTLE_ML: f64 = 1.0;
pub const MAX_BOTTLE_ML: f64 = 10_000.0;

/// The smallest dose of a benzodiazepine file's drug that may be "equivalent to 10 mg
/// diazepam". The published tables' smallest figures are a quarter of a milligram or
/// more (ASAM 2025 Table 7); far smaller ones are typos that make equivalents overflow.
pub const MIN_EQUIVALENCE_MG: f64 = 0.01;

/// Years a date may fall in. Plans are for people alive now; outside these years
/// calendars (RFC 5545 wants four-digit years) and day counts stop making sense.
pub const MIN_YEAR: i16 = 1900;
pub const MAX_YEAR: i16 = 2200;

/// `text`, cut to [`QUOTE_CHARS`] characters with "…", control characters escaped, for
/// quoting in an error.
pub fn quote(text: &str) -> String {
    let mut out = String::new();
    for (i, c) in text.chars().enumerate() {
        if i == QUOTE_CHARS {
            out.push('…');
            break;
        }
        push_escaped(&mut out, c);
    }
    out
}

/// A message that may quote user text (serde's, say): kept whole when short, else cut
/// like [`quote`] but at 200 characters.
pub fn quote_long(message: &str) -> String {
    let escaped = escape_controls(message);
    match escaped.char_indices().nth(200) {
        Some((at, _)) => format!("{}…", &escaped[..at]),
        None => escaped.into_owned(),
    }
}

/// Control characters as `\u{1b}`; everything else as it is. For
/// stderr and anywhere text from a user or a file reaches a terminal.
pub fn escape_controls(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return text.into();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        push_escaped(&mut out, c);
    }
    out.into()
}

fn push_escaped(out: &mut String, c: char) {
    if c.is_control() {
        out.push_str(&c.escape_unicode().to_string());
    } else {
        out.push(c);
    }
}

/// A refusal for going over one of the limits, naming the option as a field.
pub fn over(field: &str, message: impl Into<String>) -> Error {
    Error::field(Problem::InvalidValue, field, message)
}

/// Reads at most `max` bytes of `reader` as UTF-8; more is refused (never read on:
/// `/dev/zero` ends here). `what` names the input in the error.
pub fn read_bounded(reader: impl Read, max: u64, what: &str) -> Result<String> {
    let mut bytes = Vec::new();
    reader
        .take(max + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::input(format!("{what}: cannot be read ({e})")))?;
    if bytes.len() as u64 > max {
        return Err(Error::input(format!(
            "{what} is larger than {} bytes, taper's limit for one input; give a smaller file",
            max
        )));
    }
    String::from_utf8(bytes).map_err(|e| {
        Error::input(format!(
            "{what}: not UTF-8 text (at byte {})",
            e.utf8_error().valid_up_to()
        ))
    })
}

/// Reads `path` (or standard input for `-`) within `max` bytes.
pub fn read_file_bounded(path: &std::path::Path, max: u64, what: &str) -> Result<String> {
    if path.as_os_str() == "-" {
        return read_bounded(std::io::stdin().lock(), max, what);
    }
    let file = std::fs::File::open(path)
        .map_err(|e| Error::input(format!("{what}: cannot be read ({e})")))?;
    read_bounded(file, max, what)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_are_short_and_escaped() {
        assert_eq!(quote("a\u{1b}[31mb"), "a\\u{1b}[31mb");
        let long = "x".repeat(10_000);
        assert_eq!(quote(&long).chars().count(), QUOTE_CHARS + 1);
        assert_eq!(escape_controls("plain"), "plain");
        assert_eq!(escape_controls("bell\u{7}"), "bell\\u{7}");
    }

    #[test]
    fn reading_stops_at_the_limit() {
        let err = read_bounded(std::io::repeat(0), 1000, "--request -").unwrap_err();
        assert!(err.to_string().contains("larger than 1000 bytes"), "{err}");
        assert_eq!(read_bounded(&b"{}"[..], 1000, "x").unwrap(), "{}");
    }
}
