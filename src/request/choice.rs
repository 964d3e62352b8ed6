//! Options that take one of a few words (`--split half`, `--form auto`): each choice's
//! words in one table, used to read them and to list them in help and errors.

use crate::catalog::{EquivalenceTable, Market};
use crate::error::{Error, Problem, Result};
use crate::formulation::{FormChoice, Split};
use crate::ketamine::TaperAs;
use crate::render::{CsvDecimal, CsvLayout, Format, IcsTitles};

/// A type whose values are written as words.
pub trait Choice: Copy + 'static {
    /// Each word and the value it means, in the order help lists them.
    const CHOICES: &'static [(&'static str, Self)];
}

/// The words of `T`, for help and completions.
pub fn choice_names<T: Choice>() -> Vec<&'static str> {
    T::CHOICES.iter().map(|(name, _)| *name).collect()
}

/// Reads `text` as a `T` for `field` (a request field name), or names the words it may be.
pub(super) fn choose<T: Choice>(field: &str, text: &str) -> Result<T> {
    let wanted = text.trim().to_ascii_lowercase();
    T::CHOICES
        .iter()
        .find(|(name, _)| *name == wanted)
        .map(|(_, value)| *value)
        .ok_or_else(|| {
            Error::field(
                Problem::InvalidValue,
                field,
                format!(
                    "--{} \"{text}\" is not one of {}",
                    field.replace('_', "-"),
                    choice_names::<T>().join(", ")
                ),
            )
        })
}

impl Choice for Split {
    const CHOICES: &'static [(&'static str, Self)] = &[
        ("none", Split::None),
        ("half", Split::Half),
        ("quarter", Split::Quarter),
    ];
}

impl Choice for FormChoice {
    const CHOICES: &'static [(&'static str, Self)] = &[
        ("tablet", FormChoice::Tablet),
        ("capsule", FormChoice::Capsule),
        ("liquid", FormChoice::Liquid),
        ("auto", FormChoice::Auto),
    ];
}

impl Choice for Market {
    const CHOICES: &'static [(&'static str, Self)] = &[("us", Market::Us), ("uk", Market::Uk)];
}

impl Choice for EquivalenceTable {
    const CHOICES: &'static [(&'static str, Self)] = &[
        ("ashton", EquivalenceTable::Ashton),
        ("va-dod", EquivalenceTable::VaDod),
    ];
}

impl Choice for TaperAs {
    const CHOICES: &'static [(&'static str, Self)] =
        &[("same", TaperAs::Same), ("diazepam", TaperAs::Diazepam)];
}

impl Choice for IcsTitles {
    const CHOICES: &'static [(&'static str, Self)] =
        &[("private", IcsTitles::Private), ("full", IcsTitles::Full)];
}

impl Choice for CsvLayout {
    const CHOICES: &'static [(&'static str, Self)] =
        &[("patient", CsvLayout::Patient), ("full", CsvLayout::Full)];
}

impl Choice for CsvDecimal {
    const CHOICES: &'static [(&'static str, Self)] =
        &[("point", CsvDecimal::Point), ("comma", CsvDecimal::Comma)];
}

impl Choice for Format {
    const CHOICES: &'static [(&'static str, Self)] = &[
        ("table", Format::Table),
        ("csv", Format::Csv),
        ("json", Format::Json),
        ("markdown", Format::Markdown),
        ("html", Format::Html),
        ("handout", Format::Handout),
        ("ics", Format::Ics),
        ("fhir", Format::Fhir),
    ];
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The words read here are the words serde writes and the schema lists.
    fn same_as_serde<T: Choice + serde::Serialize>() {
        for (name, value) in T::CHOICES {
            assert_eq!(serde_json::to_value(value).unwrap(), *name);
        }
    }

    #[test]
    fn choice_words_match_serde() {
        same_as_serde::<Split>();
        same_as_serde::<FormChoice>();
        same_as_serde::<Market>();
        same_as_serde::<EquivalenceTable>();
        same_as_serde::<TaperAs>();
        same_as_serde::<IcsTitles>();
        same_as_serde::<Format>();
        same_as_serde::<CsvLayout>();
        same_as_serde::<CsvDecimal>();
    }
}
