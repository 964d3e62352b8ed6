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
    Ok(mg / ml)
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
    }
}
