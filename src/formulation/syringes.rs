//! Which oral syringes draw a liquid dose (issue 11): a suggested volume must be one a
//! real oral syringe's scale measures, so "draw 9.51 mL" on a 10 mL syringe marked in
//! 0.2 mL becomes two draws, 9.4 mL with the 10 mL syringe and 0.11 mL with a 1 mL one.
//! The sizes and their scales are `schedules/syringes.toml`, each with its source.
//! Rounding a plan's step prefers a volume one syringe measures (3.1 mL becomes 3.0 or
//! 3.2 mL) when that dose keeps the rounding's rules (`one_draw::instead`); a
//! dose drawn in parts is what is left when none does.

use crate::catalog::Evidence;
use crate::text::fmt_num;
use serde::Deserialize;
use std::sync::OnceLock;

const FILE: &str = include_str!("../../schedules/syringes.toml");

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Table {
    #[allow(dead_code)]
    schema: u32,
    syringes: Vec<Syringe>,
}

/// One size of oral syringe.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Syringe {
    pub capacity_ml: f64,
    /// The smallest volume its scale marks.
    pub graduation_ml: f64,
    pub source: String,
    pub evidence: Evidence,
}

/// The syringes, smallest first; empty if the embedded file were malformed (the tests
/// parse it), in which case no draw is suggested.
pub fn syringes() -> &'static [Syringe] {
    static TABLE: OnceLock<Vec<Syringe>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut list = toml::from_str::<Table>(FILE)
            .map(|t| t.syringes)
            .unwrap_or_default();
        list.sort_by(|a, b| a.capacity_ml.total_cmp(&b.capacity_ml));
        list
    })
}

/// Whether `ml` is a whole number of `step` (to a thousandth of a step).
fn measures(ml: f64, step: f64) -> bool {
    let n = ml / step;
    (n - n.round()).abs() < 1e-3
}

/// The draws that make `ml`: one with the smallest syringe that holds and measures
/// it, else the most the largest syringe measures and the rest the same way. `None`
/// when the syringes cannot make it (a volume finer than every scale).
pub fn draws(ml: f64) -> Option<Vec<(f64, &'static Syringe)>> {
    let list = syringes();
    let mut left = ml;
    let mut out = Vec::new();
    while left > 1e-9 && out.len() < 12 {
        if let Some(s) = list
            .iter()
            .find(|s| left <= s.capacity_ml + 1e-9 && measures(left, s.graduation_ml))
        {
            out.push((left, s));
            return Some(out);
        }
        let big = list.last()?;
        let part =
            ((left.min(big.capacity_ml) / big.graduation_ml) + 1e-9).floor() * big.graduation_ml;
        if part <= 1e-9 {
            return None;
        }
        let part = crate::text::tidy(part);
        // The part on the smallest syringe that holds and measures it.
        let by = list
            .iter()
            .find(|s| part <= s.capacity_ml + 1e-9 && measures(part, s.graduation_ml))
            .unwrap_or(big);
        out.push((part, by));
        left = crate::text::tidy(left - part);
    }
    (left <= 1e-9).then_some(out)
}

/// ": 9.4 mL with a 10 mL oral syringe, then 0.11 mL with a 1 mL oral syringe" when a
/// dose takes more than one draw; empty when one syringe measures it.
pub fn how_to_draw(ml: f64) -> String {
    match draws(ml) {
        Some(d) if d.len() > 1 => {
            let parts: Vec<String> = d
                .iter()
                .map(|(v, s)| {
                    format!(
                        "{} mL with a {} mL oral syringe",
                        fmt_num(*v),
                        fmt_num(s.capacity_ml)
                    )
                })
                .collect();
            format!(" in {} draws: {}", d.len(), parts.join(", then "))
        }
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_parses_with_a_source_for_every_size() {
        assert!(syringes().len() >= 3);
        assert!(syringes().iter().all(|s| !s.source.trim().is_empty()));
    }

    #[test]
    fn one_syringe_when_its_scale_measures_the_volume() {
        let d = draws(0.35).unwrap();
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].1.capacity_ml, 1.0);
        let d = draws(4.6).unwrap();
        assert_eq!((d.len(), d[0].1.capacity_ml), (1, 5.0));
        let d = draws(9.4).unwrap();
        assert_eq!((d.len(), d[0].1.capacity_ml), (1, 10.0));
        assert_eq!(how_to_draw(9.4), "");
    }

    #[test]
    fn a_volume_no_scale_measures_is_split_into_draws() {
        let d = draws(9.51).unwrap();
        let parts: Vec<(f64, f64)> = d.iter().map(|(v, s)| (*v, s.capacity_ml)).collect();
        assert_eq!(parts, vec![(9.4, 10.0), (0.11, 1.0)]);
        assert_eq!(
            how_to_draw(9.51),
            " in 2 draws: 9.4 mL with a 10 mL oral syringe, then 0.11 mL with a 1 mL oral syringe"
        );
        // 1.7 mL on the 3 mL syringe's 0.1 mL marks; 3.1 mL needs two draws.
        let d = draws(1.7).unwrap();
        assert_eq!((d.len(), d[0].1.capacity_ml), (1, 3.0));
        let d = draws(3.1).unwrap();
        let parts: Vec<(f64, f64)> = d.iter().map(|(v, s)| (*v, s.capacity_ml)).collect();
        assert_eq!(parts, vec![(3.0, 3.0), (0.1, 1.0)]);
        // More than one full syringe.
        let d = draws(23.3).unwrap();
        let total: f64 = d.iter().map(|(v, _)| v).sum();
        assert!((total - 23.3).abs() < 1e-9);
        assert!(d.iter().all(|(v, s)| *v <= s.capacity_ml + 1e-9));
        // Finer than every scale.
        assert!(draws(0.005).is_none());
    }
}
