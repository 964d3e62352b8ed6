//! Finding a catalog entry by any of its names, with a suggestion when none matches.

use crate::error::{Error, Result};

/// An entry known by several names: generic, brands, aliases.
pub trait Named {
    /// Every name the entry answers to, lower-cased.
    fn names(&self) -> Vec<String>;
}

/// Finds the entry whose names include `name` (case-insensitive, trimmed). Otherwise
/// the error is `unknown {what} "x"; did you mean "y"?` when a name is within three
/// edits, or ends with `otherwise` (e.g. how to list the catalog).
pub fn find_named<'a, T: Named>(
    items: &'a [T],
    name: &str,
    what: &str,
    otherwise: &str,
) -> Result<&'a T> {
    let wanted = name.trim().to_lowercase();
    if let Some(item) = items.iter().find(|i| i.names().contains(&wanted)) {
        return Ok(item);
    }
    // A name the input begins (`loraz` → lorazepam) beats the nearest by edits.
    let prefixed = (wanted.len() >= 3)
        .then(|| {
            items
                .iter()
                .flat_map(Named::names)
                .find(|n| n.starts_with(&wanted))
        })
        .flatten();
    // Edit distance costs the product of the lengths: no name is near a very long one.
    let nearest = items
        .iter()
        .flat_map(Named::names)
        .filter(|_| wanted.chars().count() <= crate::limits::MAX_TEXT_CHARS)
        .map(|n| (strsim::damerau_levenshtein(&wanted, &n), n))
        .min();
    let hint = match (prefixed, nearest) {
        (Some(n), _) => format!("did you mean \"{n}\"?"),
        (None, Some((distance, n))) if distance <= 3 => format!("did you mean \"{n}\"?"),
        _ => otherwise.to_string(),
    };
    Err(Error::input(format!(
        "unknown {what} \"{}\"; {hint}",
        crate::limits::quote(name.trim())
    )))
}

/// The lower-cased names of an entry from its generic name, brands and aliases.
pub fn all_names(name: &str, brands: &[String], aliases: &[String]) -> Vec<String> {
    std::iter::once(name)
        .chain(brands.iter().map(String::as_str))
        .chain(aliases.iter().map(String::as_str))
        .map(|n| n.trim().to_lowercase())
        .collect()
}
