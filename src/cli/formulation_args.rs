//! Flags for the products a patient has (`--tablets`, `--capsule`, `--liquid`) or the
//! market's products (`--form`, `--market`), and for dispensing.

use crate::catalog::Market;
use crate::error::{Error, Result};
use crate::formulation::{
    FormChoice, FormulationRequest, Split, parse_concentration, parse_volume_ml,
};
use clap::Args;

#[derive(Debug, Default, Args, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(default)]
pub struct FormulationArgs {
    /// Tablet strengths you have, in mg, like 10,20.
    #[arg(long, value_name = "MG,…", value_delimiter = ',', help_heading = "Products",
          conflicts_with_all = ["capsule", "liquid", "form"])]
    pub tablets: Vec<f64>,

    /// How far tablets may be split: none, half or quarter (only if they are scored for
    /// it) [default: none].
    #[arg(long, value_enum, help_heading = "Products")]
    pub split: Option<Split>,

    /// Capsule strengths you have, in mg, like 20 or 20,30.
    #[arg(long, value_name = "MG,…", value_delimiter = ',', help_heading = "Products",
          conflicts_with_all = ["liquid", "form"])]
    pub capsule: Vec<f64>,

    /// Beads you counted in one capsule of the smallest strength, to make doses below a
    /// capsule by counting beads (duloxetine, venlafaxine).
    #[arg(
        long,
        value_name = "N",
        requires = "capsule",
        help_heading = "Products"
    )]
    pub beads_per_capsule: Option<u32>,

    /// An oral liquid's concentration, like 2mg/ml or 10mg/5ml.
    #[arg(
        long,
        value_name = "CONC",
        help_heading = "Products",
        conflicts_with = "form"
    )]
    pub liquid: Option<String>,

    /// The syringe's graduation, like 0.1ml [default: 0.1ml; a catalog product taken in
    /// drops is counted in drops unless this is given].
    #[arg(long, value_name = "ML", help_heading = "Products")]
    pub syringe: Option<String>,

    /// Pick from the market's products: tablet, capsule, liquid, or auto.
    #[arg(long, value_enum, help_heading = "Products")]
    pub form: Option<FormChoice>,

    /// Which market's products --form uses [default: us].
    #[arg(long, value_enum, help_heading = "Products")]
    pub market: Option<Market>,

    /// How much more occupancy than a step of the plan a rounded step may remove, in %
    /// [default: 25].
    #[arg(long, value_name = "PCT", help_heading = "Products")]
    pub tolerance: Option<f64>,

    /// Dispensing totals per prescription period, like 4w (whole plan always).
    #[arg(long, value_name = "LEN", help_heading = "Products")]
    pub dispense_every: Option<String>,

    /// Reduce a little every day instead of holding each step's dose (one row per day).
    #[arg(long, help_heading = "Products")]
    pub daily: bool,

    /// With --daily: group the days into 28-day strips.
    #[arg(long, requires = "daily", help_heading = "Products")]
    pub strips: bool,

    /// Bottle size for liquid dispensing totals, like 100ml.
    #[arg(long, value_name = "ML", help_heading = "Products")]
    pub bottle: Option<String>,
}

/// How much more occupancy than the plan's largest step a rounded step may remove, in
/// percent, when `--tolerance` is not given: a quarter of a step.
pub const DEFAULT_TOLERANCE_PCT: f64 = 25.0;

impl FormulationArgs {
    pub fn request(&self) -> Result<FormulationRequest> {
        fn with(flag: &'static str) -> impl Fn(Error) -> Error {
            move |e| Error::input(format!("{flag}: {e}"))
        }
        Ok(FormulationRequest {
            market: self.market.unwrap_or(Market::Us),
            form: self.form,
            tablets: self.tablets.clone(),
            split: self.split.unwrap_or(Split::None),
            capsules: self.capsule.clone(),
            beads_per_capsule: self.beads_per_capsule,
            liquid_mg_per_ml: self
                .liquid
                .as_deref()
                .map(parse_concentration)
                .transpose()?,
            syringe_ml: self
                .syringe
                .as_deref()
                .map(|text| parse_volume_ml(text).map_err(with("--syringe")))
                .transpose()?,
            tolerance_pct: self.tolerance.unwrap_or(DEFAULT_TOLERANCE_PCT),
            dispense_every_days: self
                .dispense_every
                .as_deref()
                .map(crate::units::parse_days)
                .transpose()
                .map_err(with("--dispense-every"))?,
            bottle_ml: self
                .bottle
                .as_deref()
                .map(parse_volume_ml)
                .transpose()
                .map_err(with("--bottle"))?,
            daily: self.daily,
            strips: self.strips,
        })
    }
}
