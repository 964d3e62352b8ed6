//! Numbers as text: for people (doses, ranges, percentages) and for machines (CSV).
//! Rust's formatting ignores the locale, so `.` is always the decimal separator.

/// Removes binary-fraction noise far below anything measured: 33 × 0.1 mL is
/// 3.3000000000000003 in floating point, and a prescriber reading the JSON should see
/// 3.3. Rounds to 1e-9 (a nanogram, a nanolitre).
pub fn tidy(value: f64) -> f64 {
    (value * 1e9).round() / 1e9
}

/// Formats a number without trailing zeros: 5 → "5", 2.5 → "2.5".
pub fn fmt_num(value: f64) -> String {
    // Whole numbers (most thresholds and counts in messages) skip float formatting,
    // which is most of a message's cost in a batch; -0 keeps the general path.
    if value.fract() == 0.0 && value.abs() < 1e15 && !(value == 0.0 && value.is_sign_negative()) {
        return (value as i64).to_string();
    }
    // Figures out of all reason (refused, but named in the refusal) in exponent form:
    // 1e308 would otherwise print 309 digits, and 1e-9 would print as "0".
    if value.is_finite() && value != 0.0 && !(1e-6..1e15).contains(&value.abs()) {
        return format!("{value:e}");
    }
    let text = format!("{value:.6}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// A dose for people to read: 2 decimals from 0.1 mg up, 3 significant figures below,
/// so a tail dose of 0.0632 mg does not print as "0.06" or "0.00".
pub fn fmt_dose(mg: f64) -> String {
    if mg == 0.0 {
        "0".to_string()
    } else if mg >= 0.1 {
        format!("{mg:.2}")
    } else {
        let decimals = (2 - mg.log10().floor() as i32).clamp(3, 15) as usize;
        format!("{mg:.decimals$}")
    }
}

/// "1 week", "3 weeks".
pub fn fmt_count(n: i64, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// "20–40", or "50" when the range is a single value.
pub fn fmt_range(min: f64, max: f64) -> String {
    if min == max {
        fmt_num(min)
    } else {
        format!("{}–{}", fmt_num(min), fmt_num(max))
    }
}

/// A range of fractions as whole percentages: "41–64%", "<1%", "92%".
pub fn fmt_percent_range(min: f64, max: f64) -> String {
    let pct = |f: f64| {
        if f < 0.005 {
            "<1".to_string()
        } else {
            format!("{:.0}", f * 100.0)
        }
    };
    let (lo, hi) = (pct(min), pct(max));
    if lo == hi {
        format!("{lo}%")
    } else {
        format!("{lo}–{hi}%")
    }
}

/// A number for machine-readable text (CSV): at most 6 decimals without trailing zeros,
/// except that a value too small for 6 decimals keeps all its digits, so no non-zero
/// dose is ever written as 0.
pub fn fmt_machine(value: f64) -> String {
    if value != 0.0 && value.abs() < 1e-4 {
        // Six significant figures, in plain decimal notation for spreadsheets.
        let decimals = (5 - value.abs().log10().floor() as i32).clamp(0, 30) as usize;
        let text = format!("{value:.decimals$}");
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        fmt_num(value)
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn whole_numbers_read_as_the_general_path_writes_them() {
        for value in [
            0.0,
            -0.0,
            5.0,
            -3.0,
            25.0,
            730.0,
            1e14,
            2.5,
            0.1 + 0.2,
            3.0000001,
        ] {
            let general = format!("{value:.6}");
            let general = general.trim_end_matches('0').trim_end_matches('.');
            assert_eq!(fmt_num(value), general, "{value}");
        }
    }

    #[test]
    fn figures_out_of_reason_read_in_exponent_form_not_as_zero_or_309_digits() {
        assert_eq!(fmt_num(1e-7), "1e-7");
        assert_eq!(fmt_num(-1e-9), "-1e-9");
        assert_eq!(fmt_num(1e15), "1e15");
        assert_eq!(fmt_num(1e308), "1e308");
        assert_eq!(fmt_num(0.000001), "0.000001");
    }
    use super::*;

    #[test]
    fn doses_read_well_at_every_size() {
        assert_eq!(fmt_dose(20.0), "20.00");
        assert_eq!(fmt_dose(0.31), "0.31");
        assert_eq!(fmt_dose(0.0632), "0.0632");
        assert_eq!(fmt_dose(0.00451), "0.00451");
        assert_eq!(fmt_dose(0.0), "0");
    }

    #[test]
    fn machine_numbers_never_round_a_dose_to_zero() {
        assert_eq!(fmt_machine(11.666666666666666), "11.666667");
        assert_eq!(fmt_machine(0.0), "0");
        assert_eq!(fmt_machine(2.5e-7), "0.00000025");
        assert_eq!(fmt_machine(0.0000064155305118844185), "0.00000641553");
    }

    #[test]
    fn ranges_read_well() {
        assert_eq!(fmt_range(2.0, 2.0), "2");
        assert_eq!(fmt_range(10.0, 20.0), "10–20");
        assert_eq!(fmt_percent_range(0.0, 0.001), "<1%");
        assert_eq!(fmt_percent_range(0.406, 0.637), "41–64%");
    }
}
