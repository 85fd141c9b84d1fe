//! Canonical local authorities, and matching the many ways a source writes their names.
//!
//! Names match after normalisation (case, punctuation, "&"/"and", and words such as "City
//! Council", "County Council", "Metropolitan Borough Council", "London Borough of"), and only
//! against the names and other names in the table (`data/authorities.csv`, or one given with
//! `--authorities`): never by prefix, so Leicester and Leicestershire stay two authorities.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use ratings_core::{Problem, SourceText};

/// One local authority.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authority {
    pub code: String,
    pub name: String,
}

/// A table of authorities: the built-in English one, or one read with `--authorities FILE`.
#[derive(Debug, Clone)]
pub struct Authorities {
    authorities: Vec<Arc<Authority>>,
    other_names: Vec<Vec<String>>,
    by_key: HashMap<String, usize>,
}

const AUTHORITIES_CSV: &str = include_str!("../data/authorities.csv");

impl Authorities {
    /// The built-in table of English local authorities (`data/authorities.csv`).
    pub fn builtin() -> &'static Authorities {
        static TABLE: OnceLock<Authorities> = OnceLock::new();
        TABLE.get_or_init(|| {
            // INVARIANT: the built-in table is valid; a test reads it.
            Authorities::from_csv(&SourceText::new("data/authorities.csv", AUTHORITIES_CSV))
                .unwrap_or_else(|_| Authorities {
                    authorities: Vec::new(),
                    other_names: Vec::new(),
                    by_key: HashMap::new(),
                })
        })
    }

    /// A table from CSV with at least the columns `la_code` and `name`, and optionally
    /// `also_known_as` (other names, separated by ", ").
    pub fn from_csv(source: &SourceText) -> Result<Authorities, Vec<Problem>> {
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(source.text.as_bytes());
        let header: Vec<String> = match reader.headers() {
            Ok(header) => header.iter().map(|h| h.trim().to_lowercase()).collect(),
            Err(error) => {
                return Err(vec![Problem::in_file(
                    "invalid-csv",
                    &source.name,
                    format!("cannot read the header: {error}"),
                )])
            }
        };
        let column = |name: &str| header.iter().position(|h| h == name);
        let (Some(code_column), Some(name_column)) = (column("la_code"), column("name")) else {
            return Err(vec![Problem::at(
                "invalid-csv",
                source,
                source.line_span(1),
                "an authorities table needs the columns `la_code` and `name`",
            )
            .with_help(
                "the built-in table's header is `la_code,name,also_known_as,region,type,note`",
            )]);
        };
        let other_column = column("also_known_as");
        let mut table = Authorities {
            authorities: Vec::new(),
            other_names: Vec::new(),
            by_key: HashMap::new(),
        };
        let mut problems = Vec::new();
        for row in reader.records() {
            let row = match row {
                Ok(row) => row,
                Err(error) => {
                    let line = error.position().map_or(1, |p| p.line() as usize);
                    problems.push(Problem::at(
                        "invalid-csv",
                        source,
                        source.line_span(line),
                        format!("cannot read the row: {error}"),
                    ));
                    continue;
                }
            };
            let (Some(code), Some(name)) = (row.get(code_column), row.get(name_column)) else {
                let line = row.position().map_or(1, |p| p.line() as usize);
                problems.push(Problem::at(
                    "invalid-csv",
                    source,
                    source.line_span(line),
                    "the row lacks `la_code` or `name`",
                ));
                continue;
            };
            let index = table.authorities.len();
            // "Kingston Upon Hull, City of" reads better as "Kingston Upon Hull".
            let display = name.strip_suffix(", City of").unwrap_or(name).to_owned();
            table.authorities.push(Arc::new(Authority {
                code: code.to_owned(),
                name: display,
            }));
            table.by_key.entry(normalise(name)).or_insert(index);
            let mut others = Vec::new();
            for other in other_column
                .and_then(|c| row.get(c))
                .unwrap_or("")
                .split(", ")
                .filter(|o| !o.is_empty())
            {
                table.by_key.entry(normalise(other)).or_insert(index);
                others.push(other.to_owned());
            }
            table.other_names.push(others);
        }
        if table.authorities.is_empty() && problems.is_empty() {
            problems.push(Problem::in_file(
                "no-records",
                &source.name,
                "the authorities table has no rows",
            ));
        }
        if problems.is_empty() {
            Ok(table)
        } else {
            Err(problems)
        }
    }

    /// The authority a written name refers to, or a suggestion when none matches.
    pub fn resolve(&self, written: &str) -> Result<&Arc<Authority>, Option<String>> {
        let key = normalise(written);
        if let Some(&index) = self.by_key.get(&key) {
            return Ok(&self.authorities[index]);
        }
        if written.len() > ratings_core::diagnostic::MAX_NEAR_MISS_LEN {
            return Err(None);
        }
        let best = self
            .by_key
            .iter()
            .map(|(candidate, &index)| (strsim::jaro_winkler(&key, candidate), index))
            .filter(|(score, _)| *score > 0.8)
            .max_by(|a, b| {
                a.0.partial_cmp(&b.0)
                    .unwrap_or(std::cmp::Ordering::Equal)
                    .then(b.1.cmp(&a.1))
            });
        Err(best.map(|(_, index)| format!("did you mean `{}`?", self.authorities[index].name)))
    }

    /// Every name an authority goes by in the table (canonical names and other names), with
    /// the authority, longest first so that a search prefers "Leicestershire" to "Leicester".
    pub fn all_names(&self) -> Vec<(String, &Arc<Authority>)> {
        let mut names: Vec<(String, &Arc<Authority>)> = Vec::new();
        for (index, authority) in self.authorities.iter().enumerate() {
            names.push((authority.name.clone(), authority));
            for other in &self.other_names[index] {
                names.push((other.clone(), authority));
            }
        }
        names.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)));
        names
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn resolve(written: &str) -> Result<&'static Arc<Authority>, Option<String>> {
        Authorities::builtin().resolve(written)
    }

    #[test]
    fn the_builtin_table_reads_whole() {
        let source = SourceText::new("data/authorities.csv", AUTHORITIES_CSV);
        let table = Authorities::from_csv(&source).expect("the built-in table is valid");
        assert_eq!(table.authorities.len(), AUTHORITIES_CSV.lines().count() - 1);
    }

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
