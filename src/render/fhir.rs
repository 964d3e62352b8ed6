//! FHIR renderer: an R4 MedicationRequest for the taper.
//! IN PROGRESS (issue 5): being written in this session; not yet wired to real output.

use crate::error::{Error, Result};
use crate::plan::Plan;

pub fn plan(_plan: &Plan) -> Result<String> {
    Err(Error::input(
        "this output format is not available yet; use --format table, csv or json",
    ))
}
