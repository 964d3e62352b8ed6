//! The rules of the ketamine options: sessions, benzodiazepine regimens given in
//! full, and hold options only where there is a benzodiazepine to hold.

use super::choice::choose;
use super::raw::RawRequest;
use super::validate::{conflict, dose, invalid, no_effect, retag};
use crate::error::{Error, Problem, Result};
use crate::ketamine::{BenzoRegimen, HoldRule, KetamineRequest, TaperAs};
use crate::units;
use jiff::ToSpan;
use jiff::civil::DateTime;

/// The hold before each session when `--benzo-hold` is not given: the esketamine
/// phase-3 trials' 12 hours (see `schedules/ketamine.toml`).
const DEFAULT_HOLD: &str = "12h";

/// The most sessions one series may generate: a guard against typos, not a protocol.
const MAX_SERIES: u32 = 100;

/// The ketamine sessions and benzodiazepine regimens, or `None` when no session or
/// benzodiazepine was named; hold options are refused without a benzodiazepine to hold.
pub fn ketamine_request(raw: &RawRequest) -> Result<Option<KetamineRequest>> {
    super::budget::check(raw)?;
    let has_sessions = !(raw.ketamine.is_empty() && raw.ketamine_series.is_empty());
    let has_benzos = !raw.benzo.is_empty();
    let orphan = [
        ("benzo_dose", !raw.benzo_dose.is_empty()),
        ("benzo_times", !raw.benzo_times.is_empty()),
        ("benzo_hold", raw.benzo_hold.is_some()),
        ("benzo_after", raw.benzo_after.is_some()),
        ("equivalence", raw.equivalence.is_some()),
        ("benzo_taper", raw.benzo_taper.is_some()),
        ("benzo_taper_as", raw.benzo_taper_as.is_some()),
        ("benzo_market", raw.benzo_market.is_some()),
        ("benzo_file", !raw.benzo_file.is_empty()),
    ];
    if !has_benzos && let Some((field, _)) = orphan.iter().find(|(_, given)| *given) {
        return Err(no_effect(
            field,
            format!(
                "--{} concerns a benzodiazepine taken daily, and none was given; add --benzo DRUG --benzo-dose DOSE --benzo-times HH:MM or leave it out",
                field.replace('_', "-")
            ),
        ));
    }
    if raw.benzo_taper_as.is_some() && raw.benzo_taper.is_none() {
        return Err(no_effect(
            "benzo_taper_as",
            "--benzo-taper-as says which drug a --benzo-taper is written in; add --benzo-taper or leave it out".into(),
        ));
    }
    if raw.benzo_market.is_some() && raw.benzo_taper.is_none() {
        return Err(no_effect(
            "benzo_market",
            "--benzo-market chooses the products a --benzo-taper's doses are rounded to; add --benzo-taper or leave it out".into(),
        ));
    }
    if raw.benzo_market.is_some() && raw.market.is_some() {
        return Err(no_effect(
            "benzo_market",
            "--market already chooses the products of the benzodiazepine taper too; leave --benzo-market out".into(),
        ));
    }
    if !has_sessions && !has_benzos {
        return Ok(None);
    }
    if has_benzos && !has_sessions {
        return Err(Error::field(
            Problem::Missing,
            "ketamine",
            "--benzo needs at least one ketamine session (--ketamine 2027-02-03T10:00 or --ketamine-series) to lay out the hold window",
        ));
    }
    let (n, doses, times) = (raw.benzo.len(), raw.benzo_dose.len(), raw.benzo_times.len());
    if doses != n || times != n {
        let field = if doses != n {
            "benzo_dose"
        } else {
            "benzo_times"
        };
        return Err(Error::field(
            Problem::Missing,
            field,
            format!(
                "each --benzo needs its own --benzo-dose and --benzo-times, in the same order (got {n} --benzo, {doses} --benzo-dose, {times} --benzo-times)"
            ),
        ));
    }
    if raw.benzo_taper.is_some() && n != 1 {
        return Err(conflict(
            "benzo_taper",
            "--benzo-taper plans one drug; give exactly one --benzo with it".into(),
        ));
    }
    let mut regimens = Vec::with_capacity(n);
    for ((drug, amount), times) in raw.benzo.iter().zip(&raw.benzo_dose).zip(&raw.benzo_times) {
        regimens.push(BenzoRegimen {
            drug: drug.clone(),
            dose_mg: dose("benzo_dose", amount)?.get(),
            times: units::parse_times(times).map_err(invalid("benzo_times"))?,
        });
    }
    let mut sessions = Vec::new();
    for text in &raw.ketamine {
        sessions.push(units::parse_datetime(text).map_err(invalid("ketamine"))?);
    }
    for text in &raw.ketamine_series {
        sessions.extend(parse_series(text).map_err(|e| retag(e, "ketamine_series"))?);
    }
    let as_diazepam = raw
        .benzo_taper_as
        .as_deref()
        .map(|t| choose::<TaperAs>("benzo_taper_as", t))
        .transpose()?
        == Some(TaperAs::Diazepam);
    Ok(Some(KetamineRequest {
        regimens,
        sessions,
        hold: HoldRule::parse(raw.benzo_hold.as_deref().unwrap_or(DEFAULT_HOLD))
            .map_err(|e| retag(e, "benzo_hold"))?,
        after_hours: match &raw.benzo_after {
            Some(text) => units::parse_hours(text).map_err(invalid("benzo_after"))?,
            None => 0,
        },
        equivalence: raw
            .equivalence
            .as_deref()
            .map(|t| choose("equivalence", t))
            .transpose()?
            .unwrap_or(crate::catalog::EquivalenceTable::Ashton),
        benzo_taper: raw
            .benzo_taper
            .as_deref()
            .map(|text| {
                crate::ketamine::parse_benzo_taper(text, as_diazepam)
                    .map_err(|e| retag(e, "benzo_taper"))
            })
            .transpose()?,
        benzo_files: raw.benzo_file.clone(),
        benzo_market: match (&raw.market, &raw.benzo_market) {
            (Some(m), _) => Some((choose("market", m)?, "--market")),
            (None, Some(m)) => Some((choose("benzo_market", m)?, "--benzo-market")),
            (None, None) => None,
        },
        benzo_tolerance_pct: raw.tolerance,
    }))
}

/// `2027-02-03T10:00,6,3d`: six sessions three days apart from the first.
pub fn parse_series(text: &str) -> Result<Vec<DateTime>> {
    let parts: Vec<&str> = text.split(',').map(str::trim).collect();
    let [first, count, every] = parts[..] else {
        return Err(Error::input(format!(
            "--ketamine-series \"{text}\" needs FIRST,COUNT,EVERY, like 2027-02-03T10:00,6,3d"
        )));
    };
    let first = units::parse_datetime(first)
        .map_err(|e| Error::input(format!("--ketamine-series: {e}")))?;
    let count: u32 = count.parse().ok().filter(|c| (1..=MAX_SERIES).contains(c)).ok_or_else(|| {
        Error::input(format!("--ketamine-series \"{text}\": the count must be a whole number from 1 to {MAX_SERIES}"))
    })?;
    let every =
        units::parse_days(every).map_err(|e| Error::input(format!("--ketamine-series: {e}")))?;
    (0..count)
        .map(|k| {
            first
                .checked_add((i64::from(k) * i64::from(every)).days())
                .map_err(|_| {
                    Error::input(format!(
                        "--ketamine-series \"{text}\" runs past the dates taper can represent"
                    ))
                })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn a_series_lays_sessions_apart() {
        let s = parse_series("2027-02-03T10:00,6,3d").unwrap();
        assert_eq!(s.len(), 6);
        assert_eq!(s[5], date(2027, 2, 18).at(10, 0, 0, 0));
        for bad in [
            "2027-02-03T10:00,6",
            "2027-02-03T10:00,0,3d",
            "2027-02-03T10:00,x,3d",
            "10:00,6,3d",
        ] {
            assert!(parse_series(bad).is_err(), "{bad}");
        }
    }
}
