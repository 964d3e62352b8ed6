//! A plan's steps as `taper batch` writes them: the bytes serde_json writes for
//! `&[Step]`, without its per-field machinery. Steps are about half of a simple plan's
//! encoding time (a dozen keys and seven numbers each, escaped and formatted through
//! serde for every step of every plan); written directly, the keys are copied as they
//! are, and only the values go through serde_json, so numbers, dates and text come out
//! exactly as it writes them. The byte-equality tests of `batch_json` hold it to that.

use serde::Serialize;
use taper::plan::Step;

/// Appends `steps` as a JSON array to `out`.
pub fn write_steps(out: &mut Vec<u8>, steps: &[Step]) -> serde_json::Result<()> {
    out.push(b'[');
    for (i, step) in steps.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write_step(out, step)?;
    }
    out.push(b']');
    Ok(())
}

fn write_step(out: &mut Vec<u8>, step: &Step) -> serde_json::Result<()> {
    // No `..`: a new field of Step must be written here (in Step's order) to compile.
    let Step {
        step,
        start_date,
        end_date,
        days,
        ideal_dose_mg,
        dose_mg,
        occupancy_pct,
        occupancy_drop_pp,
        ideal_occupancy_pct,
        dose_error_mg,
        instructions,
        times_a_day,
        daily_usage,
        merged_from,
        flags,
        taken,
    } = step;
    out.extend_from_slice(b"{\"step\":");
    value(out, step)?;
    out.extend_from_slice(b",\"start_date\":");
    date(out, start_date)?;
    out.extend_from_slice(b",\"end_date\":");
    date(out, end_date)?;
    out.extend_from_slice(b",\"days\":");
    value(out, days)?;
    for (key, number) in [
        (&b",\"ideal_dose_mg\":"[..], ideal_dose_mg),
        (b",\"dose_mg\":", dose_mg),
        (b",\"occupancy_pct\":", occupancy_pct),
        (b",\"occupancy_drop_pp\":", occupancy_drop_pp),
        (b",\"ideal_occupancy_pct\":", ideal_occupancy_pct),
        (b",\"dose_error_mg\":", dose_error_mg),
    ] {
        out.extend_from_slice(key);
        value(out, number)?;
    }
    if let Some(instructions) = instructions {
        out.extend_from_slice(b",\"instructions\":");
        value(out, instructions)?;
    }
    if let Some(times) = times_a_day {
        out.extend_from_slice(b",\"times_a_day\":");
        value(out, times)?;
    }
    if !daily_usage.is_empty() {
        out.extend_from_slice(b",\"daily_usage\":");
        value(out, daily_usage)?;
    }
    if !merged_from.is_empty() {
        out.extend_from_slice(b",\"merged_from\":");
        value(out, merged_from)?;
    }
    out.extend_from_slice(b",\"flags\":");
    value(out, flags)?;
    if *taken {
        out.extend_from_slice(b",\"taken\":true");
    }
    out.push(b'}');
    Ok(())
}

/// One value, as serde_json writes it.
fn value<T: Serialize + ?Sized>(out: &mut Vec<u8>, value: &T) -> serde_json::Result<()> {
    serde_json::to_writer(&mut *out, value)
}

/// A date as a JSON string: its ASCII digits as they are (nothing to escape), or
/// serde_json's writing of jiff's form for a year outside 0–9999.
fn date(out: &mut Vec<u8>, date: &jiff::civil::Date) -> serde_json::Result<()> {
    match taper::schedule::date_bytes(date) {
        Some(text) => {
            out.push(b'"');
            out.extend_from_slice(&text);
            out.push(b'"');
            Ok(())
        }
        None => taper::schedule::serialize_date(date, &mut serde_json::Serializer::new(&mut *out)),
    }
}
