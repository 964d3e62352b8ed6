//! One step as the per-step formats present it: a CSV row, a calendar event, a FHIR
//! dosage instruction.
//!
//! CSV, ICS and FHIR each write something per step, and each needs the same facts about
//! it: whether it is the stop, the dose as it is taken (in a product's own mg where the
//! product acts unlike its mg of tablet) and how to take it, the plan's notes on it, and
//! with `--daily` the days with a dose. They are worked out here, once, from the plan;
//! the renderers only write them. This is also the one place a renderer looks at what a
//! flag code is rather than printing it.

use super::words;
use crate::formulation::DailyRow;
use crate::plan::{Plan, Step, Warning};

/// The plan's steps as the per-step formats see them.
pub(super) struct Steps<'a> {
    pub steps: Vec<StepView<'a>>,
    /// With `--daily`: the days with a dose, in order (doses only fall, so these are the
    /// days before the first without one). Empty without `--daily`.
    pub dosing_days: &'a [DailyRow],
}

pub(super) struct StepView<'a> {
    pub step: &'a Step,
    /// The final step, at 0 mg: the first day without the drug.
    pub stop: bool,
    /// The plan's last step: sessions after the plan's end are listed with it.
    pub last: bool,
    /// The last step of a plan that ends held: its dose goes on until the prescriber
    /// arranges a smaller dose form (no stop follows).
    pub held: bool,
    /// How to take the dose with the products given ("½ × 10 mg tablet"; "stop" on the
    /// stop step); `None` without products.
    pub instructions: Option<&'a str>,
    /// The plan's warnings that concern this step.
    pub notes: Vec<&'a Warning>,
    /// The product the step's doses are taken as, when its mg acts unlike a tablet's.
    product: Option<Product<'a>>,
}

/// A product whose mg acts like more (or less) mg of tablet: citalopram drops (1.25).
#[derive(Clone, Copy)]
struct Product<'a> {
    name: &'a str,
    tablet_equivalent_mg_per_mg: f64,
}

/// A dose as it is taken and dispensed.
pub(super) struct Taken<'a> {
    /// The product's own mg, or the plan's mg when no product differs from tablets.
    pub mg: f64,
    /// The product, when `mg` is its own mg rather than tablet-equivalent mg.
    pub product: Option<&'a str>,
}

/// A step or day whose dose is 0: the first day without the drug.
pub(super) fn is_stop(dose_mg: f64) -> bool {
    dose_mg == 0.0
}

impl<'a> Steps<'a> {
    pub fn new(plan: &'a Plan) -> Self {
        // A product that acts unlike its mg of tablet; the plan's doses are in
        // tablet-equivalent mg.
        let product = plan.formulation.as_ref().and_then(|f| {
            (f.tablet_equivalent_mg_per_mg != 1.0).then_some(Product {
                name: f.products.as_str(),
                tablet_equivalent_mg_per_mg: f.tablet_equivalent_mg_per_mg,
            })
        });
        let steps = plan
            .steps
            .iter()
            .enumerate()
            .map(|(i, s)| StepView {
                step: s,
                stop: is_stop(s.dose_mg),
                last: i + 1 == plan.steps.len(),
                held: plan.held.as_ref().is_some_and(|h| h.step == s.step),
                instructions: s.instructions.as_deref(),
                notes: plan
                    .warnings
                    .iter()
                    .filter(|w| w.steps.contains(&s.step))
                    .collect(),
                // Step 0 kept "as now" is the current supply, not the product: plain mg.
                product: product
                    .filter(|_| !s.flags.contains(&crate::model::Code::StartNotMeasurable)),
            })
            .collect();
        let days = plan.daily.as_deref().unwrap_or_default();
        let dosing = days
            .iter()
            .position(|d| is_stop(d.dose_mg))
            .unwrap_or(days.len());
        Steps {
            steps,
            dosing_days: &days[..dosing],
        }
    }

    /// The step numbered `step`.
    pub fn of(&self, step: usize) -> Option<&StepView<'a>> {
        self.steps.iter().find(|v| v.step.step == step)
    }

    /// The step whose days include `day`, if any.
    pub fn on(&self, day: jiff::civil::Date) -> Option<&StepView<'a>> {
        (self.steps.iter()).find(|v| v.step.start_date <= day && day <= v.step.end_date)
    }

    /// `dose_mg`, a dose of a day of step `step`, as it is taken (see
    /// [`StepView::taken`]).
    pub fn taken(&self, step: usize, dose_mg: f64) -> Taken<'a> {
        match self.of(step) {
            Some(view) => view.taken(dose_mg),
            None => Taken {
                mg: dose_mg,
                product: None,
            },
        }
    }

    /// The number of the last step, the "8" of "step 2 of 8".
    pub fn last_number(&self) -> usize {
        self.steps.len().saturating_sub(1)
    }
}

impl<'a> StepView<'a> {
    /// `dose_mg` (tablet-equivalent: the step's dose or one of its days') as it is taken:
    /// a product that acts like more tablet than its mg is taken and dispensed in its
    /// own mg, which is what a prescription must carry.
    pub fn taken(&self, dose_mg: f64) -> Taken<'a> {
        match self.product {
            Some(p) => Taken {
                mg: crate::text::tidy(dose_mg / p.tablet_equivalent_mg_per_mg),
                product: Some(p.name),
            },
            None => Taken {
                mg: dose_mg,
                product: None,
            },
        }
    }

    /// The step's flag codes, joined by `separator`.
    pub fn flags(&self, separator: &str) -> String {
        words::codes(&self.step.flags, separator)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Citalopram from `from_mg`, 5-day steps (short enough to be warned about), with
    /// `extra` request fields.
    fn citalopram(from_mg: f64, extra: &str) -> Plan {
        let catalogs = crate::Catalogs::embedded().unwrap();
        let request = crate::request::from_json(&format!(
            r#"{{"drug": "citalopram", "from": {from_mg}, "start": "2027-01-04", "every": "5d"{extra}}}"#
        ))
        .unwrap();
        crate::make_plan(&catalogs, &request).unwrap()
    }

    /// Citalopram rounded to 10 mg tablets, then described as a product whose mg acts
    /// like 1.25 mg of tablet (as citalopram drops do).
    fn rounded(from_mg: f64) -> Plan {
        let mut plan = citalopram(from_mg, r#", "tablets": [10]"#);
        let info = plan.formulation.as_mut().unwrap();
        info.products = "oral drops 40 mg/mL".into();
        info.tablet_equivalent_mg_per_mg = 1.25;
        plan
    }

    #[test]
    fn each_step_carries_its_stop_its_last_row_and_its_notes() {
        let plan = citalopram(20.0, "");
        let steps = Steps::new(&plan);
        let last = steps.last_number();
        assert_eq!(last, plan.steps.len() - 1);
        for (i, view) in steps.steps.iter().enumerate() {
            assert_eq!(view.stop, i == last, "step {i}");
            assert_eq!(view.last, i == last, "step {i}");
            let concerning = plan.warnings.iter().filter(|w| w.steps.contains(&i));
            assert_eq!(view.notes.len(), concerning.count(), "step {i}");
            assert!(view.notes.iter().all(|w| w.steps.contains(&i)), "step {i}");
        }
        // 5-day steps are short: every reduction step has a note saying so.
        assert!(!steps.steps[1].notes.is_empty());
        assert!(steps.dosing_days.is_empty());
    }

    #[test]
    fn a_product_unlike_tablets_is_taken_in_its_own_mg_except_the_kept_start() {
        let plan = rounded(20.0);
        let steps = Steps::new(&plan);
        let taken = steps.steps[0].taken(20.0);
        assert_eq!(
            (taken.mg, taken.product),
            (16.0, Some("oral drops 40 mg/mL"))
        );
        assert_eq!(steps.taken(1, 10.0).mg, 8.0);

        // 15 mg is no whole number of 10 mg tablets: step 0 keeps it as it is, the
        // current supply, in plain mg.
        let plan = rounded(15.0);
        let steps = Steps::new(&plan);
        let taken = steps.steps[0].taken(15.0);
        assert_eq!((taken.mg, taken.product), (15.0, None));
        assert_eq!(steps.taken(1, 10.0).mg, 8.0);
    }

    #[test]
    fn dosing_days_end_where_the_stop_begins() {
        let plan = citalopram(20.0, r#", "daily": true"#);
        let steps = Steps::new(&plan);
        let stop = &plan.steps[steps.last_number()];
        let dosing = steps.dosing_days;
        assert!(!dosing.is_empty() && dosing.iter().all(|d| d.dose_mg > 0.0));
        assert_eq!(Some(dosing.last().unwrap().date), plan.last_dose_date);
        assert!(dosing.iter().all(|d| d.date < stop.start_date));
    }
}
