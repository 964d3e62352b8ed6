//! Flags for the products a patient has (`--tablets`, `--capsule`, `--liquid`) or the
//! market's products (`--form`, `--market`), and for dispensing. Help text only: the
//! rules are `taper::request`'s.

use clap::Args;
use clap::builder::PossibleValuesParser;
use taper::catalog::Market;
use taper::formulation::{FormChoice, Split};
use taper::request::{RawRequest, choice_names};

#[derive(Debug, Default, Args)]
pub struct FormulationArgs {
    /// Tablet strengths you have, in mg, like 10,20.
    #[arg(
        long,
        value_name = "MG,…",
        value_delimiter = ',',
        help_heading = "Products"
    )]
    pub tablets: Vec<f64>,

    /// How far tablets may be split: none, half or quarter (only if they are scored for
    /// it) [default: none].
    #[arg(long, help_heading = "Products",
          value_parser = PossibleValuesParser::new(choice_names::<Split>()))]
    pub split: Option<String>,

    /// Capsule strengths you have, in mg, like 20 or 20,30.
    #[arg(
        long,
        value_name = "MG,…",
        value_delimiter = ',',
        help_heading = "Products"
    )]
    pub capsule: Vec<f64>,

    /// Beads you counted in one capsule of the smallest strength, to make doses below a
    /// capsule by counting beads (duloxetine, venlafaxine).
    #[arg(long, value_name = "N", help_heading = "Products")]
    pub beads_per_capsule: Option<u32>,

    /// An oral liquid's concentration, like 2mg/ml or 10mg/5ml.
    #[arg(long, value_name = "CONC", help_heading = "Products")]
    pub liquid: Option<String>,

    /// The syringe's graduation, like 0.1ml [default: 0.1ml; a catalog product taken in
    /// drops is counted in drops unless this is given].
    #[arg(long, value_name = "ML", help_heading = "Products")]
    pub syringe: Option<String>,

    /// Pick from the market's products: tablet, capsule, liquid, or auto.
    #[arg(long, help_heading = "Products",
          value_parser = PossibleValuesParser::new(choice_names::<FormChoice>()))]
    pub form: Option<String>,

    /// Which market's products to use and suggest [default: us].
    #[arg(long, help_heading = "Products",
          value_parser = PossibleValuesParser::new(choice_names::<Market>()))]
    pub market: Option<String>,

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
    #[arg(long, help_heading = "Products")]
    pub strips: bool,

    /// Bottle size for liquid dispensing totals, like 100ml.
    #[arg(long, value_name = "ML", help_heading = "Products")]
    pub bottle: Option<String>,
}

impl FormulationArgs {
    pub fn fill(&self, raw: &mut RawRequest) {
        raw.tablets = self.tablets.clone();
        raw.split = self.split.clone();
        raw.capsule = self.capsule.clone();
        raw.beads_per_capsule = self.beads_per_capsule;
        raw.liquid = self.liquid.clone();
        raw.syringe = self.syringe.clone();
        raw.form = self.form.clone();
        raw.market = self.market.clone();
        raw.tolerance = self.tolerance;
        raw.dispense_every = self.dispense_every.clone();
        raw.daily = self.daily;
        raw.strips = self.strips;
        raw.bottle = self.bottle.clone();
    }
}
