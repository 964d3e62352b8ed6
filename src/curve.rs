//! The occupancy curve: SERT occupancy as a function of daily dose, and its inverse.
//!
//! Sørensen, Ruhé & Munkholm (Mol Psychiatry 2022;27:192–201) fitted an Emax
//! (Michaelis–Menten) model per drug:
//!
//! ```text
//! occupancy(d) = Emax · dⁿ / (ED50ⁿ + dⁿ)
//! dose(o)      = ED50 · (o / (Emax − o))^(1/n)      for 0 ≤ o < Emax
//! ```
//!
//! Horowitz & Taylor (Lancet Psychiatry 2019;6:538–46) use this saturation to argue for
//! hyperbolic tapers: equal falls in occupancy, hence ever-smaller falls in dose.
//!
//! The inverse diverges as `o` approaches Emax, so a target at or above Emax is an
//! error, never a clipped or infinite dose.

use crate::error::{Error, Result};

/// An Emax curve with a Hill coefficient. Construct with [`EmaxCurve::new`], which
/// refuses parameters that would produce NaN or infinity.
///
/// ```
/// use taper::curve::EmaxCurve;
/// // Citalopram, striatum (Sørensen 2022 as transcribed by the Antidepressant
/// // Hyperbolic Calculator; secondary).
/// let curve = EmaxCurve::new(83.98, 2.33, 1.0)?;
/// assert!((curve.occupancy(20.0)? - 75.22).abs() < 0.005);
/// assert!((curve.dose_for(50.0)? - 3.43).abs() < 0.005);
/// // Occupancy at or above the plateau cannot be reached: an error, not infinity.
/// assert!(curve.dose_for(83.98).is_err());
/// # Ok::<(), taper::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EmaxCurve {
    emax_pct: f64,
    ed50_mg: f64,
    hill: f64,
}

impl EmaxCurve {
    /// A curve with plateau `emax_pct` (percent; fitted values may exceed 100), half-
    /// maximal dose `ed50_mg` (mg/day) and Hill coefficient `hill`.
    pub fn new(emax_pct: f64, ed50_mg: f64, hill: f64) -> Result<Self> {
        let check = |name: &str, value: f64, upper: f64| {
            if value.is_finite() && value > 0.0 && value <= upper {
                Ok(())
            } else {
                Err(Error::input(format!(
                    "{name} {value} is not usable; it must be a number above 0 and at most {upper}"
                )))
            }
        };
        // Bounds are sanity limits, not clinical claims: Emax is a percentage (fits can
        // overshoot 100 a little), ED50 a daily dose, n a slope near 1.
        check("Emax", emax_pct, 200.0)?;
        check("ED50", ed50_mg, 10_000.0)?;
        check("the Hill coefficient", hill, 10.0)?;
        Ok(EmaxCurve {
            emax_pct,
            ed50_mg,
            hill,
        })
    }

    pub fn emax_pct(&self) -> f64 {
        self.emax_pct
    }

    pub fn ed50_mg(&self) -> f64 {
        self.ed50_mg
    }

    pub fn hill(&self) -> f64 {
        self.hill
    }

    /// Occupancy (percent) at a daily dose in mg. Refuses negative or non-finite doses.
    pub fn occupancy(&self, dose_mg: f64) -> Result<f64> {
        if !dose_mg.is_finite() || dose_mg < 0.0 {
            return Err(Error::input(format!(
                "dose {dose_mg} mg is not usable; a dose must be a finite number of 0 mg or more"
            )));
        }
        if dose_mg == 0.0 {
            return Ok(0.0);
        }
        // Written as Emax / (1 + (ED50/d)^n) so large doses cannot overflow d^n.
        let ratio = (self.ed50_mg / dose_mg).powf(self.hill);
        Ok(self.emax_pct / (1.0 + ratio))
    }

    /// The daily dose in mg that gives `occupancy_pct`. Refuses targets below 0, at or
    /// above Emax, or not finite.
    pub fn dose_for(&self, occupancy_pct: f64) -> Result<f64> {
        if !occupancy_pct.is_finite() || occupancy_pct < 0.0 {
            return Err(Error::input(format!(
                "occupancy {occupancy_pct}% is not usable; it must be a finite number of 0% or more"
            )));
        }
        if occupancy_pct >= self.emax_pct {
            return Err(Error::input(format!(
                "occupancy {occupancy_pct:.2}% cannot be reached: this curve plateaus at {:.2}% (Emax); choose a lower target",
                self.emax_pct
            )));
        }
        if occupancy_pct == 0.0 {
            return Ok(0.0);
        }
        let dose =
            self.ed50_mg * (occupancy_pct / (self.emax_pct - occupancy_pct)).powf(1.0 / self.hill);
        if dose.is_finite() {
            Ok(dose)
        } else {
            Err(Error::input(format!(
                "occupancy {occupancy_pct}% is too close to this curve's plateau ({}%) to give a finite dose; choose a lower target",
                self.emax_pct
            )))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_abs_diff_eq;
    use proptest::prelude::*;

    fn citalopram() -> EmaxCurve {
        EmaxCurve::new(83.98, 2.33, 1.0).unwrap()
    }

    #[test]
    fn matches_the_reference_calculator() {
        // The Antidepressant Hyperbolic Calculator (its own code, run): citalopram 20 mg
        // is 75.22%.
        assert_abs_diff_eq!(
            citalopram().occupancy(20.0).unwrap(),
            75.22,
            epsilon = 0.005
        );
        assert_abs_diff_eq!(citalopram().dose_for(70.0).unwrap(), 11.67, epsilon = 0.005);
        assert_abs_diff_eq!(citalopram().dose_for(10.0).unwrap(), 0.31, epsilon = 0.005);
    }

    #[test]
    fn half_of_emax_at_ed50() {
        let curve = EmaxCurve::new(90.0, 5.0, 1.7).unwrap();
        assert_abs_diff_eq!(curve.occupancy(5.0).unwrap(), 45.0, epsilon = 1e-12);
    }

    #[test]
    fn zero_maps_to_zero_both_ways() {
        assert_eq!(citalopram().occupancy(0.0).unwrap(), 0.0);
        assert_eq!(citalopram().dose_for(0.0).unwrap(), 0.0);
    }

    #[test]
    fn refuses_targets_at_or_above_emax() {
        assert!(citalopram().dose_for(83.98).is_err());
        assert!(citalopram().dose_for(90.0).is_err());
        assert!(citalopram().dose_for(f64::INFINITY).is_err());
    }

    #[test]
    fn refuses_negative_and_non_finite_values() {
        assert!(citalopram().occupancy(-1.0).is_err());
        assert!(citalopram().occupancy(f64::NAN).is_err());
        assert!(citalopram().dose_for(-0.5).is_err());
        assert!(citalopram().dose_for(f64::NAN).is_err());
    }

    #[test]
    fn refuses_unusable_parameters() {
        assert!(EmaxCurve::new(0.0, 2.0, 1.0).is_err());
        assert!(EmaxCurve::new(80.0, -2.0, 1.0).is_err());
        assert!(EmaxCurve::new(80.0, 2.0, f64::NAN).is_err());
        assert!(EmaxCurve::new(f64::INFINITY, 2.0, 1.0).is_err());
    }

    #[test]
    fn huge_doses_stay_finite() {
        let occ = citalopram().occupancy(1e300).unwrap();
        assert!(occ.is_finite() && occ <= 83.98);
    }

    proptest! {
        /// The accuracy requirement: dose → occupancy → dose within 1e-9 mg, for doses up
        /// to 50 × ED50 (the highest usual dose in the catalog, fluoxetine 80 mg, is 42 × ED50). Far up the
        /// plateau the inverse is ill-conditioned in any floating-point arithmetic:
        /// occupancy then carries too few significant digits to recover the dose.
        #[test]
        fn round_trip_is_accurate(
            emax in 50.0f64..120.0,
            ed50 in 0.1f64..50.0,
            hill in 0.5f64..2.0,
            ed50_multiple in 0.0f64..50.0,
        ) {
            let curve = EmaxCurve::new(emax, ed50, hill).unwrap();
            let dose = ed50 * ed50_multiple;
            let occ = curve.occupancy(dose).unwrap();
            let back = curve.dose_for(occ).unwrap();
            prop_assert!((back - dose).abs() <= 1e-9, "{dose} -> {occ} -> {back}");
        }

        #[test]
        fn occupancy_rises_with_dose(a in 0.0f64..500.0, b in 0.0f64..500.0) {
            let curve = citalopram();
            let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
            prop_assert!(curve.occupancy(lo).unwrap() <= curve.occupancy(hi).unwrap());
        }
    }
}
