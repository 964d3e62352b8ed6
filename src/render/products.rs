//! `taper products [DRUG] [--market us|uk]`: what the catalog has, product by product,
//! with its release form, what its label allows, whether it is still made, and its
//! sources, as a table, JSON or CSV.

use super::CsvOptions;
use super::Format;
use super::csv::{Sheet, num, text};
use crate::catalog::{
    Bottle, Catalog, Dilution, Evidence, Market, Opening, Product, ProductForm, Release,
};
use crate::error::Result;
use crate::text::fmt_num;
use serde::Serialize;

/// One product of one drug, as listed.
#[derive(Debug, Clone, Serialize)]
pub struct ProductRow<'a> {
    pub drug: &'a str,
    pub market: Market,
    pub form: ProductForm,
    /// "10 mg, 20 mg tablets" or the liquid's name.
    pub product: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub strengths_mg: Vec<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mg_per_ml: Option<f64>,
    pub release: Release,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub release_as_published: Option<&'a str>,
    /// Whether a plan may ever split it: false for modified-release tablets and those
    /// whose label says not to divide them.
    pub never_split: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub crush: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub open: Option<Opening>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub handling_source: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub handling_evidence: Option<Evidence>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub doses_per_day: Option<u32>,
    /// A concentrate to dilute before each dose: how, and its label.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dilute: Option<&'a Dilution>,
    /// The bottle's size and in-use shelf life, with their source.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bottle: Option<&'a Bottle>,
    /// False for a product listed but no longer made.
    pub available: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub discontinued: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<&'a str>,
    pub source: &'a str,
    pub evidence: Evidence,
}

/// The catalog's products, of `drug` (any name it is known by) or of every drug, in
/// `market` or every market.
pub fn rows<'a>(
    catalog: &'a Catalog,
    drug: Option<&str>,
    market: Option<Market>,
) -> Result<Vec<ProductRow<'a>>> {
    let drugs = match drug {
        Some(name) => vec![catalog.find(name)?],
        None => catalog.drugs().iter().collect(),
    };
    Ok(drugs
        .into_iter()
        .flat_map(|d| {
            d.products
                .iter()
                .filter(move |p| market.is_none_or(|m| p.market == m))
                .map(move |p| row(&d.name, p))
        })
        .collect())
}

fn row<'a>(drug: &'a str, p: &'a Product) -> ProductRow<'a> {
    let product = match (&p.name, p.form) {
        (Some(name), _) => name.clone(),
        (None, form) => {
            let list: Vec<String> = p
                .strengths_mg
                .iter()
                .map(|s| format!("{} mg", fmt_num(*s)))
                .collect();
            format!("{} {}s", list.join(", "), form_word(form))
        }
    };
    ProductRow {
        drug,
        market: p.market,
        form: p.form,
        product,
        strengths_mg: p.strengths_mg.clone(),
        mg_per_ml: p.mg_per_ml(),
        release: p.release,
        release_as_published: p.release_as_published.as_deref(),
        never_split: p.never_split(),
        crush: p.crush,
        open: p.open,
        handling_source: p.handling_source.as_deref(),
        handling_evidence: p.handling_evidence,
        doses_per_day: p.doses_per_day,
        dilute: p.dilute.as_ref(),
        bottle: p.bottle.as_ref(),
        available: p.available,
        discontinued: p.discontinued.as_deref(),
        note: p.note.as_deref(),
        source: &p.source,
        evidence: p.evidence,
    }
}

fn form_word(form: ProductForm) -> &'static str {
    match form {
        ProductForm::Tablet => "tablet",
        ProductForm::DispersibleTablet => "dispersible tablet",
        ProductForm::Capsule => "capsule",
        ProductForm::Liquid => "liquid",
    }
}

fn market_word(m: Market) -> &'static str {
    match m {
        Market::Us => "us",
        Market::Uk => "uk",
    }
}

/// What the label allows, in a few words: "whole only", "may be opened (off-label)".
fn handling(r: &ProductRow) -> String {
    let mut parts = Vec::new();
    if r.never_split && matches!(r.form, ProductForm::Tablet | ProductForm::DispersibleTablet) {
        parts.push("never split".to_string());
    }
    if r.crush == Some(false) {
        parts.push("not crushed".into());
    }
    match r.open {
        Some(Opening::Label) => parts.push("may be opened".into()),
        Some(Opening::OffLabel) => parts.push("opened off-label".into()),
        Some(Opening::No) => parts.push("not opened".into()),
        None => {}
    }
    if let Some(n) = r.doses_per_day {
        parts.push(format!("{n} doses a day"));
    }
    if r.dilute.is_some() {
        parts.push("diluted before use".into());
    }
    if let Some(days) = r.bottle.and_then(|b| b.use_within_days) {
        parts.push(format!("used within {days} days of opening"));
    }
    match parts.is_empty() {
        true => "—".into(),
        false => parts.join(", "),
    }
}

fn status(r: &ProductRow) -> &'static str {
    match r.available {
        true => "marketed",
        false => "discontinued",
    }
}

pub fn render(rows: &[ProductRow], format: Format, csv: &CsvOptions) -> Result<String> {
    match format {
        Format::Json => {
            #[derive(Serialize)]
            struct Products<'a> {
                schema_version: u32,
                products: &'a [ProductRow<'a>],
            }
            super::json::to_string(&Products {
                schema_version: crate::plan::SCHEMA_VERSION,
                products: rows,
            })
        }
        Format::Csv => {
            let mut sheet = Sheet::new(&[
                "drug",
                "market",
                "form",
                "product",
                "mg_per_ml",
                "release",
                "handling",
                "status",
                "discontinued",
                "note",
                "source",
                "evidence",
                "handling_source",
                "handling_evidence",
            ]);
            for r in rows {
                sheet.push(vec![
                    text(r.drug),
                    text(market_word(r.market)),
                    text(form_word(r.form)),
                    text(r.product.clone()),
                    r.mg_per_ml.map_or_else(|| text(""), num),
                    text(r.release.as_str()),
                    text(handling(r)),
                    text(status(r)),
                    text(r.discontinued.unwrap_or("")),
                    text(r.note.unwrap_or("")),
                    text(r.source),
                    text(r.evidence.as_str()),
                    text(r.handling_source.unwrap_or("")),
                    text(r.handling_evidence.map_or("", Evidence::as_str)),
                ]);
            }
            sheet.write(csv)
        }
        Format::Table => Ok(table(rows)),
        other => Err(super::plan_only(other)),
    }
}

fn table(rows: &[ProductRow]) -> String {
    let mut lines = vec![vec![
        "Drug".to_string(),
        "Market".into(),
        "Product".into(),
        "Release".into(),
        "Label allows".into(),
        "Status".into(),
        "Evidence".into(),
    ]];
    for r in rows {
        lines.push(vec![
            r.drug.to_string(),
            market_word(r.market).to_uppercase(),
            r.product.clone(),
            r.release_as_published
                .unwrap_or(r.release.as_str())
                .to_string(),
            handling(r),
            status(r).to_string(),
            r.evidence.as_str().to_string(),
        ]);
    }
    let mut out = String::new();
    super::table::write_rows(&mut out, &lines, &[false; 7]);
    out.push_str("\nSources:\n");
    for (i, r) in rows.iter().enumerate() {
        out.push_str(&format!(
            "{}. {} {} {}: {}",
            i + 1,
            r.drug,
            market_word(r.market).to_uppercase(),
            r.product,
            r.source
        ));
        if let Some(d) = r.discontinued {
            out.push_str(&format!(" Discontinued: {d}"));
        }
        if let Some(d) = r.dilute {
            out.push_str(&format!(
                " Dilution: \"{}\" {} (evidence: {})",
                d.as_published,
                d.source,
                d.evidence.as_str()
            ));
        }
        if let Some(b) = r.bottle {
            out.push_str(&format!(
                " Bottle: {} mL{} {} (evidence: {})",
                fmt_num(b.ml),
                b.use_within_as_published
                    .as_deref()
                    .map_or(String::new(), |w| format!(", \"{w}\"")),
                b.source,
                b.evidence.as_str()
            ));
        }
        if let Some(h) = r.handling_source {
            out.push_str(&format!(
                " Handling: {h} (evidence: {})",
                r.handling_evidence.map_or("unverified", Evidence::as_str)
            ));
        }
        out.push('\n');
    }
    out
}
