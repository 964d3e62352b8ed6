//! One step as the formats see it.

/// A step or day whose dose is 0: the first day without the drug.
pub(super) fn is_stop(dose_mg: f64) -> bool {
    dose_mg == 0.0
}
