//! The daily doses a benzodiazepine's products make, and how each is taken over the
//! regimen's dose times.
//!
//! One dose is whole pieces (tablets, capsules, and halves of the strengths whose label
//! describes a score line) or whole graduations of an oral liquid. A daily dose is split
//! over the dose times as evenly as the products allow: every time takes one of two
//! neighbouring doses the products make, the larger at the later times (taper's own
//! choice; the prescriber may move them). A time may take none once the daily dose is
//! below one dose per time, and the instruction then says so.

use crate::catalog::{BenzoForm, BenzoProduct};
use crate::text::fmt_num;

/// More pieces than this in one dose is not a plan anyone follows (practical guard,
/// not a clinical figure).
const MOST_PIECES_PER_DOSE: u32 = 8;
/// More millilitres than this in one dose is not measured with an oral syringe
/// (practical guard, not a clinical figure).
const MOST_ML_PER_DOSE: f64 = 20.0;

/// Doses are counted in whole micrograms, so sums carry no float noise.
type Mcg = u64;

fn mcg(mg: f64) -> Mcg {
    (mg * 1000.0).round().max(0.0) as Mcg
}

/// The products of one kind (solid pieces, or one liquid) that doses are made from.
#[derive(Debug, Clone)]
pub struct DoseKit {
    /// "0.5 mg, 1 mg and 2 mg tablets (1 mg and 2 mg scored)".
    pub description: String,
    pub liquid: bool,
    /// One dose: amount (µg) and how it is taken, ascending, without 0.
    per_dose: Vec<(Mcg, String)>,
}

/// A daily dose and how it is taken at each dose time.
#[derive(Debug, Clone, PartialEq)]
pub struct DailyDose {
    pub mg: f64,
    /// One entry per dose time, in the regimen's order: the amount in mg and the words.
    pub per_time: Vec<(f64, String)>,
}

impl DoseKit {
    /// The solid products (tablets and capsules) of a market, as one kit; `None` without.
    pub fn solids(products: &[&BenzoProduct], up_to_mg: f64) -> Option<DoseKit> {
        let solids: Vec<BenzoProduct> = products
            .iter()
            .filter(|p| p.form != BenzoForm::Liquid)
            .map(|p| (*p).clone())
            .collect();
        if solids.is_empty() {
            return None;
        }
        // Pieces: (µg, words for one piece).
        let mut pieces: Vec<(Mcg, String)> = Vec::new();
        for p in &solids {
            let unit = match p.form {
                BenzoForm::Capsule => "capsule",
                _ => "tablet",
            };
            for s in &p.strengths_mg {
                pieces.push((mcg(*s), format!("{} mg {unit}", fmt_num(*s))));
                if p.scored_mg.contains(s) {
                    pieces.push((mcg(s / 2.0), format!("½ × {} mg {unit}", fmt_num(*s))));
                }
            }
        }
        pieces.sort_by_key(|p| std::cmp::Reverse(p.0));
        pieces.dedup_by_key(|p| p.0);
        let step = pieces.iter().fold(0, |g, p| gcd(g, p.0)).max(1);
        let top = mcg(up_to_mg) / step;
        // Fewest pieces for each multiple of `step` (greedy over a small DP).
        let mut best: Vec<Option<(u32, Vec<usize>)>> = vec![None; top as usize + 1];
        best[0] = Some((0, Vec::new()));
        for n in 1..=top as usize {
            for (i, (amount, _)) in pieces.iter().enumerate() {
                let k = (*amount / step) as usize;
                if k == 0 || k > n {
                    continue;
                }
                if let Some((count, used)) = &best[n - k]
                    && *count < MOST_PIECES_PER_DOSE
                    && best[n].as_ref().is_none_or(|(c, _)| count + 1 < *c)
                {
                    let mut used = used.clone();
                    used.push(i);
                    best[n] = Some((count + 1, used));
                }
            }
        }
        let per_dose = best
            .iter()
            .enumerate()
            .skip(1)
            .filter_map(|(n, b)| {
                let (_, used) = b.as_ref()?;
                Some((n as Mcg * step, words_for(&pieces, used)))
            })
            .collect();
        Some(DoseKit {
            description: solids
                .iter()
                .map(|p| p.describe())
                .collect::<Vec<_>>()
                .join(" and "),
            liquid: false,
            per_dose,
        })
    }

    /// One oral liquid, measured in whole graduations of `measure_ml`.
    pub fn liquid(product: &BenzoProduct) -> Option<DoseKit> {
        let per_ml = product.mg_per_ml()?;
        let measure = product.measure_ml?;
        let most = (MOST_ML_PER_DOSE / measure).floor() as u64;
        let per_dose = (1..=most)
            .map(|k| {
                let ml = k as f64 * measure;
                (
                    mcg(ml * per_ml),
                    format!("{} mL", fmt_num((ml * 1000.0).round() / 1000.0)),
                )
            })
            .collect();
        Some(DoseKit {
            description: product.describe(),
            liquid: true,
            per_dose,
        })
    }

    /// Every daily dose the kit makes over `times` dose times, at most `up_to_mg`,
    /// ascending, each split as evenly as the products allow.
    pub fn daily_doses(&self, times: &[String], up_to_mg: f64) -> Vec<DailyDose> {
        let n = times.len().max(1) as u64;
        let top = mcg(up_to_mg);
        let mut amounts: Vec<(Mcg, &str)> = vec![(0, "")];
        amounts.extend(self.per_dose.iter().map(|(a, w)| (*a, w.as_str())));
        // daily µg → (spread, lower index, how many take the upper).
        let mut found: std::collections::BTreeMap<Mcg, (Mcg, usize, u64)> = Default::default();
        for j in 0..amounts.len() {
            let (lo, _) = amounts[j];
            let hi = amounts.get(j + 1).map_or(lo, |a| a.0);
            for m in 0..=n {
                let total = lo * (n - m) + hi * m;
                if total == 0 || total > top {
                    continue;
                }
                let spread = if m == 0 || m == n { 0 } else { hi - lo };
                let better = found.get(&total).is_none_or(|(s, _, _)| spread < *s);
                if better {
                    found.insert(total, (spread, j, m));
                }
            }
        }
        found
            .into_iter()
            .map(|(total, (_, j, m))| {
                let per_time = (0..n)
                    .map(|t| {
                        // The larger doses at the later times.
                        let k = if t >= n - m { j + 1 } else { j };
                        let (amount, words) = amounts[k.min(amounts.len() - 1)];
                        (amount as f64 / 1000.0, words.to_string())
                    })
                    .collect();
                DailyDose {
                    mg: total as f64 / 1000.0,
                    per_time,
                }
            })
            .collect()
    }
}

impl DailyDose {
    /// "½ × 1 mg tablet at 08:00 and 1 mg tablet at 21:00", or "… twice a day" when every
    /// time takes the same.
    pub fn how(&self, times: &[String], liquid_name: Option<&str>) -> String {
        let of = |w: &str| match liquid_name {
            Some(name) if !w.is_empty() => format!("{w} of {name}"),
            _ => w.to_string(),
        };
        let same = self.per_time.windows(2).all(|w| w[0].0 == w[1].0);
        if same && let Some((_, w)) = self.per_time.first() {
            return match times.len() {
                1 => format!("{} at {}", of(w), times[0]),
                2 => format!("{} twice a day ({})", of(w), times.join(", ")),
                3 => format!("{} three times a day ({})", of(w), times.join(", ")),
                n => format!("{} {n} times a day ({})", of(w), times.join(", ")),
            };
        }
        let parts: Vec<String> = self
            .per_time
            .iter()
            .zip(times)
            .map(|((mg, w), t)| match *mg == 0.0 {
                true => format!("none at {t}"),
                false => format!("{} at {t}", of(w)),
            })
            .collect();
        parts.join("; ")
    }
}

fn words_for(pieces: &[(Mcg, String)], used: &[usize]) -> String {
    let mut counts: Vec<(usize, u32)> = Vec::new();
    for &i in used {
        match counts.iter_mut().find(|(j, _)| *j == i) {
            Some((_, c)) => *c += 1,
            None => counts.push((i, 1)),
        }
    }
    counts.sort_by_key(|(i, _)| std::cmp::Reverse(pieces[*i].0));
    let parts: Vec<String> = counts
        .iter()
        .map(|(i, c)| {
            let w = &pieces[*i].1;
            match (w.strip_prefix("½ × "), *c) {
                (Some(whole), 1) => format!("½ × {whole}"),
                (Some(whole), c) => format!("{c} × ½ × {whole}"),
                (None, c) => format!("{c} × {w}"),
            }
        })
        .collect();
    parts.join(" + ")
}

fn gcd(a: Mcg, b: Mcg) -> Mcg {
    if b == 0 { a } else { gcd(b, a % b) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn product(form: BenzoForm, strengths: &[f64], scored: &[f64]) -> BenzoProduct {
        BenzoProduct::for_tests(form, strengths, scored)
    }

    fn times(t: &[&str]) -> Vec<String> {
        t.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn halves_only_of_scored_strengths() {
        let p = product(BenzoForm::Tablet, &[0.5, 1.0, 2.0], &[1.0, 2.0]);
        let kit = DoseKit::solids(&[&p], 4.0).unwrap();
        let doses = kit.daily_doses(&times(&["21:00"]), 4.0);
        let mg: Vec<f64> = doses.iter().map(|d| d.mg).collect();
        // 0.5 mg is the least: the 0.5 mg tablet whole or half a 1 mg tablet; no 0.25.
        assert_eq!(mg[0], 0.5);
        assert!(!mg.contains(&0.25));
        let unscored = product(BenzoForm::Tablet, &[2.0], &[]);
        let kit = DoseKit::solids(&[&unscored], 4.0).unwrap();
        let mg: Vec<f64> = kit
            .daily_doses(&times(&["21:00"]), 4.0)
            .iter()
            .map(|d| d.mg)
            .collect();
        assert_eq!(mg, vec![2.0, 4.0]);
    }

    #[test]
    fn a_daily_dose_is_split_as_evenly_as_the_products_allow() {
        let p = product(BenzoForm::Tablet, &[1.0], &[1.0]);
        let kit = DoseKit::solids(&[&p], 3.0).unwrap();
        let t = times(&["08:00", "21:00"]);
        let doses = kit.daily_doses(&t, 3.0);
        let d = doses.iter().find(|d| d.mg == 1.5).unwrap();
        assert_eq!(d.per_time[0].0, 0.5);
        assert_eq!(d.per_time[1].0, 1.0);
        assert_eq!(
            d.how(&t, None),
            "½ × 1 mg tablet at 08:00; 1 × 1 mg tablet at 21:00"
        );
        let d = doses.iter().find(|d| d.mg == 0.5).unwrap();
        assert_eq!(d.how(&t, None), "none at 08:00; ½ × 1 mg tablet at 21:00");
        let d = doses.iter().find(|d| d.mg == 1.0).unwrap();
        assert_eq!(
            d.how(&t, None),
            "½ × 1 mg tablet twice a day (08:00, 21:00)"
        );
    }

    #[test]
    fn a_liquid_makes_whole_graduations() {
        let mut p = product(BenzoForm::Liquid, &[], &[]);
        p.name = Some("oral solution 2 mg/5 mL".into());
        p.concentration_mg = Some(2.0);
        p.per_ml = Some(5.0);
        p.measure_ml = Some(0.1);
        let kit = DoseKit::liquid(&p).unwrap();
        let t = times(&["21:00"]);
        let doses = kit.daily_doses(&t, 1.0);
        assert_eq!(doses[0].mg, 0.04);
        assert_eq!(
            doses[0].how(&t, Some("oral solution 2 mg/5 mL")),
            "0.1 mL of oral solution 2 mg/5 mL at 21:00"
        );
    }
}
