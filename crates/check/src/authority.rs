//! Canonical local authorities, and matching the many ways a source writes their names.
//!
//! Names match after normalisation (case, punctuation, "&"/"and", and council words such as
//! "City Council", "County Council", "London Borough of"), only against the names and other
//! names in the table (`data/authorities.csv`, or one given with `--authorities`), and only
//! among the authorities that existed at the time: "Dorset" in 2008 is Dorset County Council,
//! in 2020 Dorset Council. Never by prefix, so Leicester and Leicestershire stay two.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use chrono::NaiveDate;
use ratings_core::{shown, Code, Period, Problem, SourceText};

/// One local authority.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authority {
    /// The DfE three-digit LA code (or the table's own code).
    pub code: String,
    /// The canonical name.
    pub name: String,
    /// The first day it existed, where the table says.
    pub from: Option<NaiveDate>,
    /// The last day it existed, where the table says.
    pub to: Option<NaiveDate>,
}

/// A table of authorities: the built-in English one, or one read with `--authorities FILE`.
#[derive(Debug, Clone)]
pub struct Authorities {
    name: String,
    authorities: Vec<Arc<Authority>>,
    other_names: Vec<Vec<String>>,
    /// Normalised name to the authorities it may mean (several only where their times differ).
    by_key: HashMap<String, Vec<usize>>,
    /// Each name without the usual words of a council's style (`core`), to the authorities
    /// it may mean: the names as Ofsted prints them ("Leeds City", "Newcastle") are found
    /// through these when nothing else finds them.
    by_core: HashMap<String, Vec<usize>>,
    /// The canonical names so reduced, by authority: only these are found by their first
    /// words ("London" does not find the "London Corporation", another name of the City).
    canonical_cores: Vec<String>,
}

/// What a written name means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved<'t> {
    /// One authority.
    Found(&'t Arc<Authority>),
    /// None: with a suggestion or an explanation, where there is one.
    Unknown(Option<String>),
    /// More than one: the message says which.
    Ambiguous(String),
}

const AUTHORITIES_CSV: &str = include_str!("../data/authorities.csv");

impl Authorities {
    /// The built-in table of English local authorities (`data/authorities.csv`).
    pub fn builtin() -> &'static Authorities {
        static TABLE: OnceLock<Authorities> = OnceLock::new();
        TABLE.get_or_init(|| {
            // INVARIANT: the built-in table is valid; a test reads it.
            Authorities::from_csv(&SourceText::new(
                "the built-in authorities table",
                AUTHORITIES_CSV,
            ))
            .unwrap_or_else(|_| Authorities {
                name: String::new(),
                authorities: Vec::new(),
                other_names: Vec::new(),
                by_key: HashMap::new(),
                by_core: HashMap::new(),
                canonical_cores: Vec::new(),
            })
        })
    }

    /// What the table is called in messages: its file, or "the built-in authorities table".
    pub fn name(&self) -> &str {
        &self.name
    }

    /// A table from CSV with at least the columns `la_code` and `name`, and optionally
    /// `also_known_as` (other names, separated by `;`), `valid_from` and `valid_to` (dates).
    /// A table in which a name could mean two authorities at once, or a code is used twice,
    /// is refused with every such problem.
    pub fn from_csv(source: &SourceText) -> Result<Authorities, Vec<Problem>> {
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(source.text.as_bytes());
        let header: Vec<String> = match reader.headers() {
            Ok(header) => header.iter().map(|h| h.trim().to_lowercase()).collect(),
            Err(error) => {
                return Err(vec![Problem::at(
                    Code::InvalidCsv,
                    source,
                    source.line_span(1),
                    format!("cannot read the header: {error}"),
                )])
            }
        };
        // A column named twice would have one copy read and the other dropped unseen.
        for (index, name) in header.iter().enumerate() {
            if let Some(first) = header[..index].iter().position(|h| h == name) {
                return Err(vec![Problem::at(
                    Code::InvalidCsv,
                    source,
                    source.line_span(1),
                    format!(
                        "the column `{}` is named twice (columns {} and {})",
                        shown(name),
                        first + 1,
                        index + 1
                    ),
                )
                .with_help("give each column once")]);
            }
        }
        let column = |name: &str| header.iter().position(|h| h == name);
        let (Some(code_column), Some(name_column)) = (column("la_code"), column("name")) else {
            return Err(vec![Problem::at(
                Code::InvalidCsv,
                source,
                source.line_span(1),
                "an authorities table needs the columns `la_code` and `name`",
            )
            .with_help("the built-in table's header is `la_code,name,also_known_as,valid_from,valid_to,region,type,note`")]);
        };
        let (other_column, from_column, to_column) = (
            column("also_known_as"),
            column("valid_from"),
            column("valid_to"),
        );
        // Sized once for the table's rows (a line each, at most), so that a large table is
        // never copied to grow.
        let rows = memchr::memchr_iter(b'\n', source.text.as_bytes()).count() + 1;
        let mut table = Authorities {
            name: source.name.clone(),
            authorities: Vec::with_capacity(rows),
            other_names: Vec::with_capacity(rows),
            by_key: HashMap::with_capacity(rows),
            by_core: HashMap::with_capacity(rows),
            canonical_cores: Vec::with_capacity(rows),
        };
        let mut problems = Vec::new();
        let mut codes: HashMap<String, usize> = HashMap::with_capacity(rows);
        // Where each name was given, for messages about clashes.
        let mut written_at: Vec<(String, usize, usize)> = Vec::with_capacity(rows);
        for row in reader.records() {
            let row = match row {
                Ok(row) => row,
                Err(error) => {
                    let line = error.position().map_or(1, |p| p.line() as usize);
                    problems.push(Problem::at(
                        Code::InvalidCsv,
                        source,
                        source.line_span(line),
                        format!("cannot read the row: {error}"),
                    ));
                    continue;
                }
            };
            let line = row.position().map_or(1, |p| p.line() as usize);
            let span = source.line_span(line);
            let cell = |index: Option<usize>| index.and_then(|i| row.get(i)).unwrap_or("").trim();
            let (code, name) = (cell(Some(code_column)), cell(Some(name_column)));
            if code.is_empty() || name.is_empty() {
                problems.push(Problem::at(
                    Code::MissingKey,
                    source,
                    span,
                    "the row has an empty `la_code` or `name`",
                ));
                continue;
            }
            if let Some(&first) = codes.get(code) {
                problems.push(
                    Problem::at(
                        Code::DuplicateId,
                        source,
                        span,
                        format!("the code `{}` is used twice", shown(code)),
                    )
                    .with_help(format!("the first is on line {first}")),
                );
                continue;
            }
            codes.insert(code.to_owned(), line);
            let mut date = |key: &str, index: Option<usize>| -> Option<NaiveDate> {
                let text = cell(index);
                if text.is_empty() {
                    return None;
                }
                match NaiveDate::parse_from_str(text, "%Y-%m-%d") {
                    Ok(day) => Some(day),
                    Err(_) => {
                        problems.push(Problem::at(
                            Code::InvalidDate,
                            source,
                            source.line_span(line),
                            format!(
                                "`{key}` is `{}`, not a date such as `2019-04-01`",
                                shown(text)
                            ),
                        ));
                        None
                    }
                }
            };
            let (from, to) = (date("valid_from", from_column), date("valid_to", to_column));
            if let (Some(from), Some(to)) = (from, to) {
                if from > to {
                    // Such a row would match no date, and every use of the name would be
                    // unknown without a word about why.
                    problems.push(Problem::at(
                        Code::InvalidDate,
                        source,
                        span.clone(),
                        format!("`valid_from` ({from}) is after `valid_to` ({to})"),
                    ).with_help("`valid_from` is the first day the authority existed, `valid_to` its last"));
                    continue;
                }
            }
            let index = table.authorities.len();
            table.canonical_cores.push(core(name, false));
            // "Kingston Upon Hull, City of" reads better as "Kingston Upon Hull".
            let display = name.strip_suffix(", City of").unwrap_or(name).to_owned();
            table.authorities.push(Arc::new(Authority {
                code: code.to_owned(),
                name: display,
                from,
                to,
            }));
            let others: Vec<String> = cell(other_column)
                .split(';')
                .map(str::trim)
                .filter(|o| !o.is_empty())
                .map(str::to_owned)
                .collect();
            for written in std::iter::once(name).chain(others.iter().map(String::as_str)) {
                let key = normalise(written, false);
                if key.is_empty() {
                    continue;
                }
                let entry = table.by_key.entry(key).or_default();
                if !entry.contains(&index) {
                    entry.push(index);
                    written_at.push((written.to_owned(), index, line));
                }
                let core = core(written, false);
                if !core.is_empty() {
                    let entry = table.by_core.entry(core).or_default();
                    if !entry.contains(&index) {
                        entry.push(index);
                    }
                }
            }
            table.other_names.push(others);
        }
        // A name may mean two authorities only at different times.
        for indices in table.by_key.values() {
            for (i, &a) in indices.iter().enumerate() {
                for &b in &indices[i + 1..] {
                    let (first, second) = (&table.authorities[a], &table.authorities[b]);
                    if overlap(first, second) {
                        let line = written_at
                            .iter()
                            .find(|(_, index, _)| *index == b)
                            .map_or(1, |(_, _, line)| *line);
                        let written = written_at
                            .iter()
                            .filter(|(_, index, _)| *index == a || *index == b)
                            .map(|(w, _, _)| w.as_str())
                            .find(|w| {
                                table
                                    .by_key
                                    .get(&normalise(w, false))
                                    .is_some_and(|v| v.contains(&a) && v.contains(&b))
                            })
                            .unwrap_or("");
                        problems.push(
                            Problem::at(
                                Code::AmbiguousAuthority,
                                source,
                                source.line_span(line),
                                format!(
                                    "the name `{}` means both {} ({}) and {} ({}) at the same time",
                                    shown(written),
                                    first.name,
                                    first.code,
                                    second.name,
                                    second.code
                                ),
                            )
                            .with_help("give each name to one authority, or give the authorities `valid_from` and `valid_to` dates that do not overlap"),
                        );
                    }
                }
            }
        }
        if table.authorities.is_empty() && problems.is_empty() {
            problems.push(Problem::in_file(
                Code::NoRecords,
                &source.name,
                "the authorities table has no rows",
            ));
        }
        if problems.is_empty() {
            Ok(table)
        } else {
            problems.sort_by_key(|p| (p.line, p.column));
            Err(problems)
        }
    }

    /// What a written name means whatever the period, where that does not depend on the
    /// period: `Some(None)` for a name of no authority, `Some(Some(found))` for a name of one
    /// authority without dates; `None` when only [`Authorities::resolve`] with the period can
    /// say. For checkers that meet the same name in many periods.
    pub fn resolve_any_time(&self, written: &str) -> Option<Option<&Arc<Authority>>> {
        let exact = normalise(written, false);
        let stripped = normalise(written, true);
        let fallback;
        let candidates = match [exact, stripped]
            .iter()
            .find_map(|key| self.by_key.get(key))
        {
            Some(found) => Some(found),
            None => {
                fallback = self.by_core_words(written);
                Some(&fallback)
            }
        };
        match candidates.map(Vec::as_slice) {
            None | Some([]) => Some(None),
            Some(&[one]) => {
                let found = &self.authorities[one];
                (found.from.is_none() && found.to.is_none()).then_some(Some(found))
            }
            Some(_) => None,
        }
    }

    /// The authority a written name refers to in a period (any time, without one).
    pub fn resolve(&self, written: &str, period: Option<Period>) -> Resolved<'_> {
        let exact = normalise(written, false);
        let stripped = normalise(written, true);
        // A name the table has (even for another time) means what the table says; only a name
        // it has nowhere is looked for by its words without the usual council words.
        let candidates: Vec<usize> = [exact, stripped]
            .iter()
            .find_map(|key| self.by_key.get(key))
            .cloned()
            .unwrap_or_else(|| self.by_core_words(written));
        if candidates.is_empty() {
            return Resolved::Unknown(self.suggest(written));
        }
        let existing: Vec<usize> = candidates
            .iter()
            .copied()
            .filter(|&i| period.is_none_or(|p| exists(&self.authorities[i], p)))
            .collect();
        match existing.as_slice() {
            [one] => Resolved::Found(&self.authorities[*one]),
            [] => {
                let lives: Vec<String> = candidates
                    .iter()
                    .map(|&i| {
                        let a = &self.authorities[i];
                        format!("{} ({}) {}", a.name, a.code, lifetime(a))
                    })
                    .collect();
                Resolved::Unknown(Some(format!(
                    "`{}` names {}, not in {}",
                    shown(written),
                    lives.join(" and "),
                    period.map_or_else(String::new, |p| p.to_string())
                )))
            }
            several => {
                let named: Vec<String> = several
                    .iter()
                    .map(|&i| {
                        let a = &self.authorities[i];
                        format!("{} ({}) {}", a.name, a.code, lifetime(a))
                    })
                    .collect();
                Resolved::Ambiguous(format!(
                    "`{}` could be {} in {}: give the inspection's date",
                    shown(written),
                    named.join(" or "),
                    period.map_or_else(|| "that period".to_owned(), |p| p.to_string())
                ))
            }
        }
    }

    /// The authorities a name may mean by its words alone, without the usual words of a
    /// council's style (City, Council, County, Metropolitan, Borough, District, Unitary
    /// Authority, Children's Services, "Council of the"): those whose own name, so reduced,
    /// is the same words ("Leeds City" is Leeds), else those whose name starts with those
    /// words ("Newcastle" is Newcastle upon Tyne, "East Riding" the East Riding of Yorkshire),
    /// among canonical names only.
    /// Whole words only: "Leicester" is never Leicestershire. The caller takes one only when
    /// exactly one is in force; two are ambiguous, never guessed between.
    fn by_core_words(&self, written: &str) -> Vec<usize> {
        let wanted = core(written, true);
        if let Some(same) = self.by_core.get(&wanted) {
            return same.clone();
        }
        // A word or two of four letters or more: "St" or "East" alone name nothing.
        if wanted.len() < 4 {
            return Vec::new();
        }
        let start = format!("{wanted} ");
        self.canonical_cores
            .iter()
            .enumerate()
            .filter(|(_, name)| name.starts_with(&start))
            .map(|(index, _)| index)
            .collect()
    }

    fn suggest(&self, written: &str) -> Option<String> {
        let key = normalise(written, true);
        // Candidates in the table's order, so that a tie goes to the first authority.
        let mut candidates: Vec<(&str, usize)> = self
            .by_key
            .iter()
            .flat_map(|(candidate, indices)| {
                indices
                    .iter()
                    .map(move |&index| (candidate.as_str(), index))
            })
            .collect();
        candidates.sort_unstable_by_key(|&(name, index)| (index, name));
        ratings_core::nearest(&key, candidates)
            .map(|index| format!("did you mean `{}`?", self.authorities[index].name))
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

/// Whether an authority existed for some day of a period.
fn exists(authority: &Authority, period: Period) -> bool {
    let (first, last) = match period {
        Period::Date(day) => (day, day),
        Period::Year(year) => match (
            NaiveDate::from_ymd_opt(year, 1, 1),
            NaiveDate::from_ymd_opt(year, 12, 31),
        ) {
            (Some(first), Some(last)) => (first, last),
            _ => return false,
        },
    };
    authority.from.is_none_or(|from| from <= last) && authority.to.is_none_or(|to| first <= to)
}

fn overlap(a: &Authority, b: &Authority) -> bool {
    let before = |x: Option<NaiveDate>, y: Option<NaiveDate>| match (x, y) {
        (Some(end), Some(start)) => end < start,
        _ => false,
    };
    !(before(a.to, b.from) || before(b.to, a.from))
}

/// `until 2019-03-31`, `from 2019-04-01`, or nothing.
fn lifetime(authority: &Authority) -> String {
    match (authority.from, authority.to) {
        (Some(from), Some(to)) => format!("(from {from} to {to})"),
        (Some(from), None) => format!("(from {from})"),
        (None, Some(to)) => format!("(until {to})"),
        (None, None) => String::new(),
    }
    .trim()
    .to_owned()
}

/// The name reduced to what identifies the place: lower case, punctuation and council words
/// gone. Leading words such as "London Borough of" or "City of" go only when `prefixes` is
/// set: a written name is looked up with them kept, then without, while the table's names keep
/// them, so that "London" never finds "City of London".
pub fn normalise(name: &str, prefixes: bool) -> String {
    // The words are every name's; the council words are an authority's alone.
    let text = ratings_text::name_words(name, &[]);
    let mut words: Vec<&str> = text.split(' ').filter(|w| !w.is_empty()).collect();
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
        if prefixes {
            for prefix in PREFIXES {
                if words.len() > prefix.len() && words.starts_with(prefix) {
                    words.drain(..prefix.len());
                }
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

/// A name without the usual words of a council's style, leading ("Council of the", "The",
/// and, for a written name (`written`), "London Borough of", "City of" and the like) and
/// trailing ("City", "Council", "County", "Metropolitan", "Borough", "District", "Unitary
/// Authority", "Children's Services", "City of"), in any order and number.
fn core(name: &str, written: bool) -> String {
    let text = ratings_text::name_words(name, &[]);
    let mut words: Vec<&str> = text.split(' ').filter(|w| !w.is_empty()).collect();
    const LEADING: &[&[&str]] = &[&["council", "of", "the"], &["the"]];
    const WRITTEN_LEADING: &[&[&str]] = &[
        &["london", "borough", "of"],
        &["royal", "borough", "of"],
        &["metropolitan", "borough", "of"],
        &["borough", "of"],
        &["city", "of"],
        &["county", "of"],
    ];
    const TRAILING: &[&[&str]] = &[
        &["children", "s", "services"],
        &["childrens", "services"],
        &["unitary", "authority"],
        &["city", "of"],
        &["city"],
        &["council"],
        &["county"],
        &["metropolitan"],
        &["borough"],
        &["district"],
    ];
    loop {
        let before = words.len();
        let leading = LEADING
            .iter()
            .chain(if written { WRITTEN_LEADING } else { &[] });
        for prefix in leading {
            if words.len() > prefix.len() && words.starts_with(prefix) {
                words.drain(..prefix.len());
            }
        }
        for suffix in TRAILING {
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

    fn resolve(written: &str, period: Option<Period>) -> Resolved<'static> {
        Authorities::builtin().resolve(written, period)
    }

    #[test]
    fn the_builtin_table_reads_whole() {
        let source = SourceText::new("data/authorities.csv", AUTHORITIES_CSV);
        let table = Authorities::from_csv(&source).expect("the built-in table is valid");
        assert_eq!(table.authorities.len(), AUTHORITIES_CSV.lines().count() - 1);
    }

    #[track_caller]
    fn check(written: &str, expected: &str) {
        check_in(written, None, expected);
    }

    #[track_caller]
    fn check_in(written: &str, period: Option<Period>, expected: &str) {
        match resolve(written, period) {
            Resolved::Found(found) => assert_eq!(found.name, expected, "{written}"),
            other => panic!("{written}: {other:?}"),
        }
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
        check("City of London", "City of London");
    }

    #[test]
    fn different_places_never_match() {
        let found = |w: &str| match resolve(w, None) {
            Resolved::Found(found) => Some(found.code.clone()),
            _ => None,
        };
        assert_ne!(found("Leicester"), found("Leicestershire"));
        assert_eq!(
            resolve("Leicestershir", None),
            Resolved::Unknown(Some("did you mean `Leicestershire`?".to_owned()))
        );
        assert!(matches!(resolve("Atlantis", None), Resolved::Unknown(_)));
        // "London" is not the City of London.
        assert!(matches!(resolve("London", None), Resolved::Unknown(_)));
    }

    #[test]
    fn names_as_ofsted_prints_them() {
        let day = NaiveDate::from_ymd_opt(2016, 6, 1).map(Period::Date);
        for (written, expected) in [
            ("Leeds City", "Leeds"),
            ("Leeds City Council", "Leeds"),
            ("Leicester City", "Leicester"),
            ("Nottingham City", "Nottingham"),
            ("Portsmouth City", "Portsmouth"),
            ("Newcastle", "Newcastle upon Tyne"),
            ("Newcastle City Council", "Newcastle upon Tyne"),
            ("East Riding", "East Riding of Yorkshire"),
            (
                "East Riding of Yorkshire Council",
                "East Riding of Yorkshire",
            ),
            ("Tameside metropolitan borough", "Tameside"),
            ("Calderdale Metropolitan Council", "Calderdale"),
            ("Wakefield District Metropolitan Council", "Wakefield"),
            ("Cheshire East Unitary Authority", "Cheshire East"),
            ("Council of the Isles of Scilly", "Isles of Scilly"),
            ("Medway Children\u{2019}s Services", "Medway"),
            ("Medway Childrens Services", "Medway"),
            ("Leicestershire County Council", "Leicestershire"),
        ] {
            check_in(written, day, expected);
        }
    }

    #[test]
    fn names_that_could_mean_two_are_never_guessed() {
        let day = NaiveDate::from_ymd_opt(2016, 6, 1).map(Period::Date);
        // Both Kingston upon Hull and Kingston upon Thames start with "Kingston".
        assert!(matches!(resolve("Kingston", day), Resolved::Ambiguous(_)));
        assert!(matches!(
            resolve("Kingston City Council", day),
            Resolved::Ambiguous(_)
        ));
        // Whole words: Leicester is never Leicestershire, nor the reverse.
        check_in("Leicester", day, "Leicester");
        check_in("Leicester City Council", day, "Leicester");
        check_in("Leicestershire", day, "Leicestershire");
        assert!(matches!(resolve("Leicest", day), Resolved::Unknown(_)));
        // A word alone that starts many names, or is too short to mean one, names none.
        assert!(matches!(resolve("North", day), Resolved::Ambiguous(_)));
        assert!(matches!(resolve("St", day), Resolved::Unknown(_)));
        // A name the table has, at another time, is not read as another authority's start:
        // Cheshire in 2016 is neither Cheshire East nor Cheshire West and Chester.
        assert!(matches!(
            resolve("Cheshire", day),
            Resolved::Unknown(Some(_))
        ));
        // The council words of one place do not make it another: "Newcastle" is not
        // Newcastle-under-Lyme, which is no local authority of children's services.
        assert!(matches!(
            resolve("Newcastle-under-Lyme", day),
            Resolved::Unknown(_)
        ));
    }

    #[test]
    fn a_name_means_the_authority_of_its_time() {
        let year = |y| Some(Period::Year(y));
        check_in("Dorset", year(2008), "Dorset County Council");
        check_in("Dorset County Council", year(2008), "Dorset County Council");
        check_in("Dorset", year(2022), "Dorset");
        check_in("Bournemouth", year(2010), "Bournemouth");
        assert!(matches!(
            resolve("Bournemouth", year(2022)),
            Resolved::Unknown(Some(_))
        ));
        assert!(matches!(
            resolve("Dorset", year(2019)),
            Resolved::Ambiguous(_)
        ));
        let day = NaiveDate::from_ymd_opt(2019, 5, 1).map(Period::Date);
        check_in("Dorset", day, "Dorset");
        check_in("Cheshire", year(2008), "Cheshire");
    }

    #[test]
    fn an_ambiguous_table_is_refused() {
        let stolen = SourceText::new(
            "t.csv",
            "la_code,name,also_known_as\n383,Leeds,\n384,Wakefield,Leeds\n",
        );
        let problems = Authorities::from_csv(&stolen).expect_err("ambiguous");
        assert_eq!(problems[0].code, Code::AmbiguousAuthority);
        assert_eq!(problems[0].line, Some(3));
        let twice = SourceText::new("t.csv", "la_code,name\n1,A\n1,B\n2,\n");
        let problems = Authorities::from_csv(&twice).expect_err("bad rows");
        let codes: Vec<Code> = problems.iter().map(|p| p.code).collect();
        assert_eq!(codes, vec![Code::DuplicateId, Code::MissingKey]);
    }
}
