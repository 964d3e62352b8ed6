//! What people type for liquids: a concentration (`2mg/ml`, `10mg/5ml`) and a volume
//! (`0.1ml`).

use crate::error::{Error, Result};

/// Parses a concentration: `2mg/ml`, `10mg/5ml`, `10 mg/5 mL`, `40mg/mL` → mg per mL.
pub fn parse_concentration(text: &str) -> Result<f64> {
    let bad = || {
        Error::input(format!(
            "--liquid \"{text}\" is not a concentration; write it like 2mg/ml or 10mg/5ml"
        ))
    };
    let (amount, volume) = text.split_once('/').ok_or_else(bad)?;
    let mg = crate::units::parse_dose_mg(amount).map_err(|_| bad())?;
    let ml = parse_volume_ml(volume).map_err(|_| bad())?;
    let per_ml = mg / ml;
    // Bounded as doses are (limits.rs): outside them a concentration is a unit slip,
    // and its doses would print as "0" or "inf".
    let (lo, hi) = (crate::limits::MIN_DOSE_MG, crate::limits::MAX_DOSE_MG);
    if !(per_ml.is_finite() && (lo..=hi).contains(&per_ml)) {
        return Err(Error::input(format!(
            "--liquid {} is {} mg/mL, outside what taper accepts for a concentration ({} to {} mg/mL); check the numbers and their units",
            crate::limits::quote(text),
            crate::text::fmt_num(per_ml),
            crate::text::fmt_num(lo),
            crate::text::fmt_num(hi)
        )));
    }
    Ok(per_ml)
}

/// Parses a volume: `0.1ml`, `100 mL`, `5ml`; a bare `ml` is 1 mL.
pub fn parse_volume_ml(text: &str) -> Result<f64> {
    let lowered = text.trim().to_ascii_lowercase();
    let number = lowered
        .strip_suffix("ml")
        .map(str::trim)
        .ok_or_else(|| Error::input(format!("volume \"{text}\" needs mL, like 0.1ml")))?;
    let value = if number.is_empty() {
        1.0
    } else {
        number.parse::<f64>().map_err(|_| {
            Error::input(format!(
                "volume \"{text}\" is not a number of mL, like 0.1ml"
            ))
        })?
    };
    if !(value.is_finite() && value > 0.0) {
        return Err(Error::input(format!(
            "volume \"{text}\" must be more than 0 mL"
        )));
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn concentrations_in_any_spelling() {
        assert_eq!(parse_concentration("2mg/ml").unwrap(), 2.0);
        assert_eq!(parse_concentration("10mg/5ml").unwrap(), 2.0);
        assert_eq!(parse_concentration("10 mg/5 mL").unwrap(), 2.0);
        assert_eq!(parse_concentration("40mg/mL").unwrap(), 40.0);
        for bad in ["2mg", "2 mg per ml", "2mg/0ml", "x/ml", "2mg/5"] {
            assert!(parse_concentration(bad).is_err(), "{bad}");
        }
        assert_eq!(parse_volume_ml("0.1ml").unwrap(), 0.1);
        for out_of_range in [
            "10mg/1e-300ml",
            "10mg/1e300ml",
            "1mg/1e7ml",
            "100000mg/0.5ml",
        ] {
            let err = parse_concentration(out_of_range).unwrap_err().to_string();
            assert!(err.contains("outside what taper accepts"), "{err}");
        }
    }
}
