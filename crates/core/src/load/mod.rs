//! Loading a rule directory: read each file item by item (`raw`), validate scales and
//! documents, resolve `extends` (`inherit`), then resolve every reference in every period a
//! rule set is in force (`resolve`). Every problem is collected, each with its file, line and
//! column; a problem in one item never hides the problems of another.

mod inherit;
mod raw;
mod resolve;

use std::collections::{BTreeMap, HashMap};

use crate::code::Code;
use crate::diagnostic::{Problem, SourceText};
use crate::model::{Document, RuleBook, Scale, ScaleValue};

use raw::{Broken, RawFile};

pub use resolve::{MAX_CONSTRAINTS, MAX_JUDGEMENTS};

/// The most values a scale may have (domains are 64-bit sets).
pub const MAX_SCALE_VALUES: usize = 64;

/// Validate the texts of a rule directory into a rule book, or return every problem found.
///
/// A text holds scales (`[[scale]]`), documents (`[[document]]`), a rule set (top-level `id`,
/// `title`, `years`, ...), or several of these.
pub fn load_rules(sources: &[SourceText]) -> Result<RuleBook, Vec<Problem>> {
    let mut problems = Vec::new();
    let mut broken = Broken::default();
    let files: Vec<RawFile<'_>> = sources
        .iter()
        .filter_map(|source| raw::parse(source, &mut problems, &mut broken))
        .collect();
    let scales = scales(&files, &mut problems, &mut broken);
    let documents = documents(&files, &mut problems);
    let inherited = inherit::rule_sets(&files, &scales, &broken, &mut problems);
    let rule_sets = resolve::rule_sets(&inherited, &scales, &documents, &broken, &mut problems);
    resolve::check_epochs(&inherited, &rule_sets, &mut problems);
    if problems.is_empty() {
        Ok(RuleBook {
            scales,
            rule_sets,
            documents,
        })
    } else {
        problems.sort_by(|a, b| {
            (a.file.as_str(), a.line, a.column, a.code, &a.message).cmp(&(
                b.file.as_str(),
                b.line,
                b.column,
                b.code,
                &b.message,
            ))
        });
        problems.dedup_by(|a, b| {
            (a.file.as_str(), a.line, a.column, a.code, &a.message)
                == (b.file.as_str(), b.line, b.column, b.code, &b.message)
        });
        Err(problems)
    }
}

/// The valid scales. A scale with a problem is left out, and its id goes to `broken`, so that
/// the judgements on it are not reported again.
fn scales(
    files: &[RawFile<'_>],
    problems: &mut Vec<Problem>,
    broken: &mut Broken,
) -> BTreeMap<String, Scale> {
    let mut scales = BTreeMap::new();
    for file in files {
        let source = file.source;
        for raw in &file.scales {
            let id = raw.id.get_ref().clone();
            if scales.contains_key(&id) {
                problems.push(Problem::at(
                    Code::DuplicateId,
                    source,
                    raw.id.span(),
                    format!("scale `{id}` is declared twice"),
                ));
                continue;
            }
            if raw.values.is_empty() {
                problems.push(Problem::at(
                    Code::EmptyScale,
                    source,
                    raw.values_span.clone(),
                    format!("scale `{id}` has no values"),
                ));
                broken.scales.push(id);
                continue;
            }
            if raw.values.len() > MAX_SCALE_VALUES {
                problems.push(Problem::at(
                    Code::ScaleTooLong,
                    source,
                    raw.values_span.clone(),
                    format!(
                        "scale `{id}` has {} values, more than the {MAX_SCALE_VALUES} allowed",
                        raw.values.len()
                    ),
                ));
                broken.scales.push(id);
                continue;
            }
            let before = problems.len();
            let mut names: HashMap<String, ()> = HashMap::new();
            let mut previous: Option<i64> = None;
            for value in &raw.values {
                let number = *value.number.get_ref();
                let out_of_order = previous.is_some_and(|previous| {
                    if raw.descending {
                        number >= previous
                    } else {
                        number <= previous
                    }
                });
                if out_of_order {
                    let (way, help) = if raw.descending {
                        ("at least as low", "with `numbers = \"descending\"`, list the values from low to high with numbers strictly falling")
                    } else {
                        ("at least as high", "list the values of a scale from low to high, numbers strictly increasing (or say `numbers = \"descending\"`)")
                    };
                    problems.push(
                        Problem::at(
                            Code::ScaleOrder,
                            source,
                            value.number.span(),
                            format!("scale `{id}` lists {number} after a value {way}"),
                        )
                        .with_help(help),
                    );
                }
                previous = Some(number);
                for name in std::iter::once(&value.label).chain(value.aliases.iter()) {
                    let text = name.get_ref().trim();
                    if text.is_empty() || reads_as_number(text) {
                        problems.push(
                            Problem::at(
                                Code::InvalidLabel,
                                source,
                                name.span(),
                                if text.is_empty() {
                                    format!("scale `{id}` has an empty label")
                                } else {
                                    format!("the label `{text}` of scale `{id}` reads as a number")
                                },
                            )
                            .with_help("labels are words: a record that writes a number means the value with that number"),
                        );
                    }
                    if names.insert(text.to_lowercase(), ()).is_some() {
                        problems.push(Problem::at(
                            Code::DuplicateId,
                            source,
                            name.span(),
                            format!("scale `{id}` uses the label `{text}` twice"),
                        ));
                    }
                }
            }
            if problems.len() > before {
                broken.scales.push(id);
                continue;
            }
            let values = raw
                .values
                .iter()
                .map(|value| ScaleValue {
                    number: *value.number.get_ref(),
                    label: value.label.get_ref().trim().to_owned(),
                    aliases: value
                        .aliases
                        .iter()
                        .map(|a| a.get_ref().trim().to_owned())
                        .collect(),
                })
                .collect();
            scales.insert(
                id.clone(),
                Scale {
                    id,
                    title: raw.title.clone(),
                    values,
                    descending: raw.descending,
                },
            );
        }
    }
    scales
}

fn documents(files: &[RawFile<'_>], problems: &mut Vec<Problem>) -> BTreeMap<String, Document> {
    let mut documents = BTreeMap::new();
    for file in files {
        for raw in &file.documents {
            let id = raw.id.get_ref().clone();
            if documents.contains_key(&id) {
                problems.push(Problem::at(
                    Code::DuplicateId,
                    file.source,
                    raw.id.span(),
                    format!("document `{id}` is declared twice"),
                ));
                continue;
            }
            if id.trim().is_empty() || id.chars().any(char::is_whitespace) {
                problems.push(
                    Problem::at(
                        Code::InvalidId,
                        file.source,
                        raw.id.span(),
                        format!("document id `{id}` is empty or holds spaces"),
                    )
                    .with_help("document ids are short keys such as `ofsted-memorandum-2010`"),
                );
                continue;
            }
            // A document with a bad date is still registered, so that citations of it are not
            // reported again as unknown.
            if let Some(date) = raw.date.as_ref().filter(|d| !is_partial_date(d.get_ref())) {
                problems.push(
                    Problem::at(
                        Code::InvalidValue,
                        file.source,
                        date.span(),
                        format!("`{}` is not a date", date.get_ref()),
                    )
                    .with_help("write `2009-02-16`, or `2009-02` or `2009` when only that is known; `2014/2018` for a collection"),
                );
            }
            documents.insert(
                id.clone(),
                Document {
                    id,
                    title: raw.title.clone(),
                    publisher: raw.publisher.clone(),
                    date: raw.date.as_ref().map(|d| d.get_ref().clone()),
                    url: raw.url.clone(),
                    note: raw.note.clone(),
                    file: raw.file.clone(),
                    derived_from: raw
                        .derived_from
                        .iter()
                        .map(|d| d.get_ref().clone())
                        .collect(),
                },
            );
        }
    }
    // What a document is derived from must be in the registry too.
    for file in files {
        for raw in &file.documents {
            for source in &raw.derived_from {
                if !documents.contains_key(source.get_ref()) {
                    problems.push(
                        Problem::at(
                            Code::UnknownDocument,
                            file.source,
                            source.span(),
                            format!(
                                "`{}` (in `derived_from`) is not a document of the registry",
                                source.get_ref()
                            ),
                        )
                        .with_help(
                            crate::did_you_mean(
                                source.get_ref(),
                                documents.keys().map(String::as_str),
                            )
                            .unwrap_or_else(|| "declare it with `[[document]]`".to_owned()),
                        ),
                    );
                }
            }
        }
    }
    documents
}

/// Whether a label would be read as a number (`12`, `1e3`, `inf`, `nan`), and so could never
/// be written as a label in a record.
fn reads_as_number(text: &str) -> bool {
    text.parse::<i64>().is_ok() || text.parse::<f64>().is_ok()
}

/// `2009`, `2009-02`, `2009-02-16`, or a span of them such as `2014/2018`.
fn is_partial_date(text: &str) -> bool {
    if let Some((from, to)) = text.split_once('/') {
        return is_partial_date(from) && is_partial_date(to) && from <= to;
    }
    let parts: Vec<&str> = text.split('-').collect();
    let digits =
        |part: &str, len: usize| part.len() == len && part.bytes().all(|b| b.is_ascii_digit());
    match parts.as_slice() {
        [year] => digits(year, 4),
        [year, month] => {
            digits(year, 4)
                && digits(month, 2)
                && (1..=12).contains(&month.parse::<u32>().unwrap_or(0))
        }
        [_, _, _] => chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").is_ok(),
        _ => false,
    }
}

pub(crate) fn list_spans(spans: &[crate::model::Span]) -> String {
    let listed: Vec<String> = spans.iter().map(ToString::to_string).collect();
    listed.join(", ")
}
