//! `taper replan`: the next revision of a plan, from where the patient is.
//!
//! Real tapers rarely follow the first plan. The Maudsley Deprescribing Guidelines and
//! Horowitz & Taylor (Lancet Psychiatry 2019;6:538–46) describe the loop: with mild
//! withdrawal symptoms, hold the current dose until they settle; with severe ones, go
//! back to the last dose that was tolerated, hold, and continue with smaller steps. A
//! re-plan takes the plan document (`--format json`) and what happened, and writes the
//! next revision:
//!
//! - the document is read back only if it recomputes: its request (which every plan
//!   records) and its earlier revisions are replayed, and the result must be the
//!   document itself ([`verify`]), so a plan edited by hand, or made by another version
//!   of taper, is refused rather than continued;
//! - steps before the change are kept as history (`taken`), the step in progress ending
//!   the day before; the change is recorded with its date and reason; the new steps
//!   are a plan made from the new dose on the same curve, products and options
//!   ([`apply`]). A rise in dose is allowed here only, and marked (`dose_raised`).
//!
//! Data flow: document text → [`verify::read`] → replayed [`Plan`] (checked against the
//! document) → [`apply::apply`] with the [`ChangeRequest`] → the next [`Plan`].

mod apply;
mod renumber;
mod verify;

pub use crate::revision::{Change, RuleOptions};

use crate::error::Result;
use crate::pipeline::Catalogs;
use crate::plan::Plan;
use jiff::civil::Date;

/// What `taper replan` was told: the change, the day it takes effect, and any new step
/// rule or step length.
#[derive(Debug, Clone, PartialEq)]
pub struct ChangeRequest {
    pub on: Date,
    pub change: Change,
    pub options: RuleOptions,
}

/// The next revision of the plan `document` (a plan's JSON, as `taper plan --format
/// json` or an earlier `taper replan` wrote it), with `change` made.
pub fn replan(catalogs: &Catalogs, document: &str, change: &ChangeRequest) -> Result<Plan> {
    let document = verify::read(document)?;
    let current = verify::recompute(catalogs, &document)?;
    apply::apply(catalogs, &document.request, &current, change)
}
