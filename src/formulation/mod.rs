//! Doses a patient can actually take: rounding each step's ideal dose to what the
//! products in hand can make (tablets, capsules, beads, oral liquid), with instructions
//! in words, and what to dispense.
//!
//! Three rules govern the rounding (issue 3): doses never increase; no step removes
//! more occupancy than the plan's step allows by more than a stated tolerance (else the
//! step is flagged and a formulation that would make it possible is suggested); and no
//! step disappears silently (equal consecutive doses are merged, and the plan says so).

mod choose;
mod daily;
mod dispense;
mod kit;
mod one_draw;
mod parse;
mod phases;
mod release;
mod round;
pub mod syringes;
mod tail;

pub use crate::model::Usage;
pub use choose::{FormChoice, FormulationRequest, Products, choose_kit};
pub use daily::{Daily, DailyRow, STRIP_DAYS, rows as daily_rows};
pub use dispense::{BottleRule, Bottles, Dispense, DispenseLine, DispensePeriod, dispense, totals};
pub use kit::{Kit, Measurable, Split, times_a_day};
pub use parse::{parse_concentration, parse_volume_ml};
pub use round::{IdealSteps, Rounded, round};
pub use tail::{Ending, HELD_UNTIL, HeldEnd, Remedy};

use crate::catalog::{Evidence, Market};
use serde::Serialize;

/// What the plan says about the products its doses were rounded to.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct FormulationInfo {
    /// "10 mg and 20 mg tablets, halves allowed".
    pub products: String,
    pub market: Option<Market>,
    /// Where the products come from: the catalog's source, or "given on the command line".
    pub source: String,
    pub evidence: Evidence,
    /// How much more than a step of the plan one rounded step may remove, in percent.
    pub tolerance_pct: f64,
    /// The largest occupancy fall a rounded step may make (percentage points).
    pub allowed_fall_pp: f64,
    /// The least non-zero dose the products can make (tablet-equivalent mg).
    pub smallest_dose_mg: f64,
    /// mg of tablet that 1 mg of this product acts like (1 unless a product differs).
    pub tablet_equivalent_mg_per_mg: f64,
    pub caveats: Vec<String>,
}
