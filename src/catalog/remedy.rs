//! What would make a drug's smallest doses when its products cannot: a liquid special
//! (paroxetine, a tablet with nothing to open), counting beads from opened capsules
//! (duloxetine, venlafaxine), drops diluted by the pharmacist, a compounded strength.
//! Each is the published practice for that drug and market, with its source, and
//! optionally the product options that plan it with taper.

use super::{Evidence, Market};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TailRemedy {
    pub market: Market,
    /// One or two sentences for the prescriber: what makes the small doses, as the
    /// source says it.
    pub text: String,
    /// The `taper plan` product options that plan the taper with this remedy
    /// (`--liquid 1mg/ml --syringe 0.01ml`), given in place of the plan's own product
    /// options; absent when taper cannot plan it (a compounded product of no fixed
    /// strength).
    #[serde(default)]
    pub options: Option<String>,
    pub source: String,
    pub evidence: Evidence,
}

impl TailRemedy {
    /// Checks one remedy; `at` names it in errors (`tail_remedies[0]`).
    pub fn validate(&self, at: &str) -> Result<(), String> {
        use super::entry::field;
        if self.text.trim().is_empty() {
            return field(&format!("{at}.text"), "must say what makes the small doses");
        }
        if self.source.trim().is_empty() {
            return field(
                &format!("{at}.source"),
                "must say where the remedy comes from",
            );
        }
        // The options are printed as a command to run: a placeholder (`N`) would not
        // run, so a step that needs a count first is worded in `text` instead.
        if let Some(options) = &self.options
            && (!options.trim_start().starts_with("--")
                || options.split_whitespace().any(|word| {
                    word.chars().all(|c| c.is_ascii_uppercase()) || word.contains(['<', '>'])
                }))
        {
            return field(
                &format!("{at}.options"),
                "must be taper plan options that run as written, like \"--liquid 1mg/ml --syringe 0.01ml\" (no placeholder such as N: word a step that needs a count in text)",
            );
        }
        Ok(())
    }
}
