//! HTML renderer: one self-contained printable page.
//! IN PROGRESS (issue 5): being written in this session; not yet wired to real output.

use super::PrintOptions;
use crate::error::{Error, Result};
use crate::plan::Plan;

pub fn plan(_plan: &Plan, _options: &PrintOptions) -> Result<String> {
    Err(Error::input(
        "this output format is not available yet; use --format table, csv or json",
    ))
}
