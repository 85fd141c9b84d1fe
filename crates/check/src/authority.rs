//! Canonical local authorities, and matching the many ways a source writes their names.
//!
//! Names match after normalisation (case, punctuation, "&"/"and", and words such as "City
//! Council", "County Council", "Metropolitan Borough Council", "London Borough of"), and only
//! against the names and other names in `data/authorities.csv`: never by prefix, so Leicester
//! and Leicestershire stay two authorities.

use std::collections::HashMap;
use std::sync::OnceLock;

/// One English local authority.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authority {
    pub code: String,
    pub name: String,
}

const AUTHORITIES_CSV: &str = include_str!("../data/authorities.csv");

/// The authority a written name refers to, or a suggestion when none matches.
pub fn resolve(written: &str) -> Result<&'static Authority, Option<String>> {
    let table = table();
    match table.by_key.get(&normalise(written)) {
        Some(&index) => Ok(&table.authorities[index]),
        None if written.len() > ratings_core::diagnostic::MAX_NEAR_MISS_LEN => Err(None),
        None => Err(ratings_core::diagnostic::did_you_mean(
            &normalise(written),
            table.by_key.keys().map(String::as_str),
        )
        .map(|_| {
            // Suggest the canonical name, not the normalised key.
            let key = normalise(written);
            let best = table
                .by_key
                .iter()
                .max_by(|a, b| {
                    strsim_score(&key, a.0)
                        .partial_cmp(&strsim_score(&key, b.0))
                        .unwrap_or(std::cmp::Ordering::Equal)
                })
                .map(|(_, &i)| table.authorities[i].name.clone())
                .unwrap_or_default();
            format!("did you mean `{best}`?")
        })),
    }
}

/// Every name an authority goes by in the table (canonical names and other names), with the
/// authority, longest first so that a search prefers "Leicestershire" to "Leicester".
pub fn all_names() -> Vec<(String, &'static Authority)> {
    let table = table();
    let mut names: Vec<(String, &'static Authority)> = Vec::new();
    for (index, authority) in table.authorities.iter().enumerate() {
        names.push((authority.name.clone(), authority));
        for other in &table.other_names[index] {
            names.push((other.clone(), authority));
        }
    }
    names.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)));
    names
}

/// The name reduced to what identifies the place.
pub fn normalise(name: &str) -> String {
    let mut text = name.to_lowercase().replace('&', " and ");
    text = text
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    let mut words: Vec<&str> = text.split_whitespace().collect();
    const PREFIXES: &[&[&str]] = &[
        &["london", "borough", "of"],
        &["royal", "borough", "of"],
        &["metropolitan", "borough", "of"],
        &["borough", "of"],
        &["city", "of"],
        &["county", "of"],
        &["county"],
        &["the"],
    ];
    const SUFFIXES: &[&[&str]] = &[
        &["metropolitan", "borough", "council"],
        &["metropolitan", "district", "council"],
        &["city", "council"],
        &["county", "council"],
        &["borough", "council"],
        &["district", "council"],
        &["council"],
        &["city", "of"],
        &["borough"],
    ];
    // Repeat, since a name may carry more than one ("City of X City Council").
    loop {
        let before = words.len();
        for prefix in PREFIXES {
            if words.len() > prefix.len() && words.starts_with(prefix) {
                words.drain(..prefix.len());
            }
        }
        for suffix in SUFFIXES {
            if words.len() > suffix.len() && words.ends_with(suffix) {
                words.truncate(words.len() - suffix.len());
            }
        }
        if words.len() == before {
            break;
        }
    }
    words.join(" ")
}

struct Table {
    authorities: Vec<Authority>,
    other_names: Vec<Vec<String>>,
    by_key: HashMap<String, usize>,
}

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut authorities = Vec::new();
        let mut other_names = Vec::new();
        let mut by_key = HashMap::new();
        let mut reader = csv::Reader::from_reader(AUTHORITIES_CSV.as_bytes());
        for row in reader.records().filter_map(Result::ok) {
            let (Some(code), Some(name)) = (row.get(0), row.get(1)) else {
                continue;
            };
            let index = authorities.len();
            // "Kingston Upon Hull, City of" reads better as "Kingston Upon Hull".
            let display = match name.strip_suffix(", City of") {
                Some(place) => place.to_owned(),
                None => name.to_owned(),
            };
            authorities.push(Authority {
                code: code.to_owned(),
                name: display,
            });
            by_key.entry(normalise(name)).or_insert(index);
            let mut others = Vec::new();
            for other in row
                .get(2)
                .unwrap_or("")
                .split(", ")
                .filter(|o| !o.is_empty())
            {
                by_key.entry(normalise(other)).or_insert(index);
                others.push(other.to_owned());
            }
            other_names.push(others);
        }
        Table {
            authorities,
            other_names,
            by_key,
        }
    })
}

fn strsim_score(a: &str, b: &str) -> f64 {
    strsim::jaro_winkler(a, b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(written: &str, expected: &str) {
        assert_eq!(
            resolve(written).map(|a| a.name.as_str()),
            Ok(expected),
            "{written}"
        );
    }

    #[test]
    fn council_words_and_punctuation_do_not_matter() {
        check("Leicester City Council", "Leicester");
        check("City of Leicester", "Leicester");
        check("LEICESTER", "Leicester");
        check("Leicestershire County Council", "Leicestershire");
        check("Kingston-upon-Hull", "Kingston Upon Hull");
        check("Hull City Council", "Kingston Upon Hull");
        check(
            "Royal Borough of Kensington & Chelsea",
            "Kensington and Chelsea",
        );
        check("London Borough of Tower Hamlets", "Tower Hamlets");
        check("Stockton-on-Tees Borough Council", "Stockton-on-Tees");
        check("Bristol City Council", "Bristol");
        check("Leeds City Council", "Leeds");
    }

    #[test]
    fn different_places_never_match() {
        assert_ne!(resolve("Leicester").ok(), resolve("Leicestershire").ok());
        assert!(resolve("Leicestershir").is_err());
        assert_eq!(
            resolve("Leicestershir"),
            Err(Some("did you mean `Leicestershire`?".to_owned()))
        );
        assert!(resolve("Atlantis").is_err());
    }
}
