//! The shapes of a rule file as written, read item by item: each scale, document, judgement
//! and constraint is read on its own, so one bad item is reported and the rest still read.
//! Nothing here checks a reference to another item: that is `resolve`'s work.

use std::ops::Range;

use chrono::NaiveDate;
use toml::de::DeValue;
use toml::Spanned;

use crate::code::Code;
use crate::diagnostic::{shown, Problem, SourceText};
use crate::model::{Basis, Strength, Test, KIND_NAMES};
use crate::toml_table::{self, date, describe, integer, Table, Written};

mod constraint;

use constraint::constraint;

/// What one rule file declares.
pub(super) struct RawFile<'a> {
    pub source: &'a SourceText,
    pub scales: Vec<RawScale>,
    pub documents: Vec<RawDocument>,
    pub rule_set: Option<RawRuleSet>,
}

pub(super) struct RawScale {
    pub id: Spanned<String>,
    pub title: String,
    pub values: Vec<RawScaleValue>,
    pub values_span: Range<usize>,
    pub descending: bool,
}

pub(super) struct RawScaleValue {
    pub number: Spanned<i64>,
    pub label: Spanned<String>,
    pub aliases: Vec<Spanned<String>>,
}

pub(super) struct RawDocument {
    pub id: Spanned<String>,
    pub title: String,
    pub publisher: String,
    pub date: Option<Spanned<String>>,
    pub url: Option<String>,
    pub note: Option<String>,
    pub file: Option<String>,
    pub derived_from: Vec<Spanned<String>>,
}

/// A rule set as its file declares it. Keys that could not be read are `None` or left out,
/// with their problems already reported.
pub(super) struct RawRuleSet {
    pub id: Spanned<String>,
    pub title: String,
    pub span: Option<RawSpan>,
    /// What the rule set judges (`subject = "children's homes"`), where the file says.
    pub subject: Option<Spanned<String>>,
    pub extends: Option<Spanned<String>>,
    pub remove: Vec<Spanned<String>>,
    pub judgements: Vec<RawJudgement>,
    pub constraints: Vec<RawConstraint>,
}

pub(super) struct RawSpan {
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
}

pub(super) struct RawJudgement {
    pub id: Spanned<String>,
    pub title: String,
    pub scale: Spanned<String>,
    pub latent: bool,
    pub aliases: Vec<String>,
}

pub(super) struct RawConstraint {
    pub id: Spanned<String>,
    pub text: String,
    pub strength: Strength,
    pub basis: Basis,
    pub cite: Vec<RawCite>,
    pub kind: Spanned<RawKind>,
    pub target: Spanned<String>,
    pub value: Option<Spanned<Written>>,
    pub other: Option<Spanned<String>>,
    pub offset: i64,
    pub when: Option<RawCondition>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum RawKind {
    Cap,
    Floor,
    Limit,
    Equal,
}

/// Each kind of constraint by the name rule files give it (`model::KIND_NAMES`, the one list
/// of the names).
pub(super) const KINDS: [(&str, RawKind); 4] = [
    (KIND_NAMES[0], RawKind::Cap),
    (KIND_NAMES[1], RawKind::Floor),
    (KIND_NAMES[2], RawKind::Limit),
    (KIND_NAMES[3], RawKind::Equal),
];

impl RawKind {
    /// The name rule files give the kind (`cap`).
    pub(super) fn name(self) -> &'static str {
        KINDS
            .iter()
            .find(|(_, kind)| *kind == self)
            .map_or("", |(name, _)| name)
    }
}

pub(super) struct RawCite {
    pub document: Spanned<String>,
    pub locator: String,
}

pub(super) enum RawCondition {
    Judgement {
        judgement: Spanned<String>,
        test: Test,
        value: Spanned<Written>,
    },
    All(Vec<RawCondition>),
    Any(Vec<RawCondition>),
    Count {
        of: Vec<Spanned<String>>,
        at_most: Spanned<Written>,
        n: Spanned<i64>,
    },
}

/// Names declared by items that could not be read whole: references to them are not
/// reported again as unknown.
#[derive(Default)]
pub(super) struct Broken {
    pub judgements: Vec<String>,
    pub scales: Vec<String>,
    pub rule_sets: Vec<String>,
    pub documents: Vec<String>,
    pub constraints: Vec<String>,
}

/// The largest offset any scale can use: domains hold at most 64 values.
pub(super) const MAX_OFFSET: i64 = 63;

const FILE_KEYS: &[&str] = &[
    "scale",
    "document",
    "id",
    "title",
    "years",
    "subject",
    "extends",
    "remove",
    "judgement",
    "constraint",
];
const RULE_SET_KEYS: &[&str] = &[
    "id",
    "title",
    "years",
    "subject",
    "extends",
    "remove",
    "judgement",
    "constraint",
];
const SCALE_KEYS: &[&str] = &["id", "title", "values", "numbers"];
const VALUE_KEYS: &[&str] = &["number", "label", "aliases"];
const DOCUMENT_KEYS: &[&str] = &[
    "id",
    "title",
    "publisher",
    "date",
    "url",
    "note",
    "file",
    "derived_from",
];
const JUDGEMENT_KEYS: &[&str] = &["id", "title", "scale", "latent", "aliases"];

/// Read one rule file. A file that is not valid TOML is reported whole, and the names it
/// declares (as far as they can be read) go to `broken`.
pub(super) fn parse<'a>(
    source: &'a SourceText,
    problems: &mut Vec<Problem>,
    broken: &mut Broken,
) -> Option<RawFile<'a>> {
    if source.text.trim().is_empty() {
        problems.push(
            Problem::in_file(Code::EmptyFile, &source.name, "the rule file is empty")
                .with_help("a rule file holds `[[scale]]` or `[[document]]` tables, or a rule set; see docs/rules.md"),
        );
        return None;
    }
    let Some(root) = toml_table::parse_broken(source, Code::InvalidRuleFile, "", problems) else {
        harvest(source, &toml_table::recover(source), broken);
        return None;
    };
    let file = Table::root(source, &root, "a rule file");
    file.check_keys(FILE_KEYS, problems);
    let mut raw = RawFile {
        source,
        scales: Vec::new(),
        documents: Vec::new(),
        rule_set: None,
    };
    for item in tables(&file, "scale", "a scale", problems) {
        match scale(&item, problems) {
            Some(scale) => raw.scales.push(scale),
            None => broken.scales.extend(id_of(&item)),
        }
    }
    for item in tables(&file, "document", "a document", problems) {
        match document(&item, problems) {
            Some(document) => raw.documents.push(document),
            None => broken.documents.extend(id_of(&item)),
        }
    }
    if RULE_SET_KEYS.iter().any(|key| file.get(key).is_some()) {
        raw.rule_set = rule_set(&file, problems, broken);
    }
    Some(raw)
}

fn rule_set(
    file: &Table<'_, '_>,
    problems: &mut Vec<Problem>,
    broken: &mut Broken,
) -> Option<RawRuleSet> {
    let id = file.string("id", problems);
    let title = file.string("title", problems);
    let span = file
        .get("years")
        .and_then(|value| years(file.source, value, problems));
    file.require(
        &["id", "title", "years"],
        "a rule set needs `id`, `title` and `years = { from = .., to = .. }`",
        problems,
    );
    let subject = file.string("subject", problems);
    if let Some(subject) = subject.as_ref().filter(|s| s.get_ref().trim().is_empty()) {
        problems.push(
            Problem::at(
                Code::InvalidValue,
                file.source,
                subject.span(),
                "the rule set's `subject` is empty",
            )
            .with_help("write what the rule set judges, such as `subject = \"children's homes\"`, or leave `subject` out for local authorities' children's services"),
        );
    }
    let extends = file.string("extends", problems);
    let remove = file.strings("remove", problems).unwrap_or_default();
    let mut judgements = Vec::new();
    for item in tables(file, "judgement", "a judgement", problems) {
        match judgement(&item, problems) {
            Some(judgement) => judgements.push(judgement),
            None => broken.judgements.extend(id_of(&item)),
        }
    }
    let mut constraints = Vec::new();
    for item in tables(file, "constraint", "a constraint", problems) {
        match constraint(&item, problems) {
            Some(constraint) => constraints.push(constraint),
            None => broken.constraints.extend(id_of(&item)),
        }
    }
    let Some(id) = id else {
        // Without an id nothing can refer to the rule set; its judgements are still names
        // other files may use.
        broken
            .judgements
            .extend(judgements.iter().map(|j| j.id.get_ref().clone()));
        return None;
    };
    if span.is_none() {
        broken.rule_sets.push(id.get_ref().clone());
        broken
            .judgements
            .extend(judgements.iter().map(|j| j.id.get_ref().clone()));
        broken
            .constraints
            .extend(constraints.iter().map(|c| c.id.get_ref().clone()));
    }
    Some(RawRuleSet {
        title: title.map_or_else(|| id.get_ref().clone(), |t| t.into_inner()),
        id,
        span,
        subject,
        extends,
        remove,
        judgements,
        constraints,
    })
}

/// `years = { from = 2007, to = 2008 }`; bounds may be days (`2023-01-01`), and `to` may be
/// left out for a framework still in force.
fn years(
    source: &SourceText,
    value: &Spanned<DeValue<'_>>,
    problems: &mut Vec<Problem>,
) -> Option<RawSpan> {
    let help = "write `years = { from = 2007, to = 2008 }`, or days such as `{ from = 2023-01-01, to = 2026-03-31 }`; leave out `to` while the framework is in force";
    let Some(table) = Table::of(source, value, "`years`", problems) else {
        if let Some(last) = problems.last_mut() {
            *last = last.clone().with_help(help);
        }
        return None;
    };
    table.check_keys(&["from", "to"], problems);
    if !table.require(&["from"], help, problems) {
        return None;
    }
    let bound = |key: &str, first: bool, problems: &mut Vec<Problem>| -> Option<NaiveDate> {
        let value = table.get(key)?;
        let day = match integer(value.get_ref()) {
            Some(year) => i32::try_from(year)
                .ok()
                .filter(|y| (1..=9999).contains(y))
                .and_then(|year| {
                    if first {
                        NaiveDate::from_ymd_opt(year, 1, 1)
                    } else {
                        NaiveDate::from_ymd_opt(year, 12, 31)
                    }
                }),
            None => date(value.get_ref()),
        };
        if day.is_none() {
            problems.push(
                Problem::at(
                    Code::InvalidYears,
                    source,
                    value.span(),
                    format!(
                        "`{key}` must be a year or a date, not {}",
                        describe(value.get_ref())
                    ),
                )
                .with_help(help),
            );
        }
        day
    };
    let start = bound("from", true, problems);
    let end = bound("to", false, problems);
    let start = start?;
    if table.get("to").is_some() && end.is_none() {
        return None;
    }
    if let Some(end) = end {
        if end < start {
            problems.push(Problem::at(
                Code::InvalidYears,
                source,
                value.span(),
                format!("the years run backwards: from {start} to {end}"),
            ));
            return None;
        }
    }
    Some(RawSpan { start, end })
}

fn scale(table: &Table<'_, '_>, problems: &mut Vec<Problem>) -> Option<RawScale> {
    table.check_keys(SCALE_KEYS, problems);
    let complete = table.require(&["id", "title", "values"], "", problems);
    let id = table.string("id", problems);
    let title = table.string("title", problems);
    let descending = match table.string("numbers", problems) {
        None => false,
        Some(order) => match order.get_ref().as_str() {
            "ascending" => false,
            "descending" => true,
            other => {
                problems.push(Problem::at(
                    Code::InvalidValue,
                    table.source,
                    order.span(),
                    format!(
                        "`numbers` is `ascending` or `descending`, not `{}`",
                        shown(other)
                    ),
                ));
                return None;
            }
        },
    };
    let values_span = table.get("values").map_or(table.header(), |v| v.span());
    let mut values = Vec::new();
    let mut ok = complete;
    for item in table.array("values", problems).unwrap_or_default() {
        let Some(value) = Table::of(table.source, item, "a scale value", problems) else {
            ok = false;
            continue;
        };
        value.check_keys(VALUE_KEYS, problems);
        let have = value.require(
            &["number", "label"],
            "write `{ number = 2, label = \"adequate\" }`",
            problems,
        );
        let number = value.integer("number", problems);
        let label = value.string("label", problems);
        let aliases = value.strings("aliases", problems).unwrap_or_default();
        match (number, label, have) {
            (Some(number), Some(label), true) => values.push(RawScaleValue {
                number,
                label,
                aliases,
            }),
            _ => ok = false,
        }
    }
    let (id, title) = (id?, title?);
    ok.then(|| RawScale {
        id,
        title: title.into_inner(),
        values,
        values_span,
        descending,
    })
}

fn document(table: &Table<'_, '_>, problems: &mut Vec<Problem>) -> Option<RawDocument> {
    table.check_keys(DOCUMENT_KEYS, problems);
    let complete = table.require(
        &["id", "title", "publisher"],
        "a document is `[[document]]` with `id`, `title`, `publisher` and, where they are known, `date` and `url`",
        problems,
    );
    let id = table.string("id", problems);
    let title = table.string("title", problems);
    let publisher = table.string("publisher", problems);
    let date = table.string("date", problems);
    let url = table.string("url", problems);
    let note = table.string("note", problems);
    let file = table.string("file", problems);
    let derived_from = table.strings("derived_from", problems).unwrap_or_default();
    if !complete {
        return None;
    }
    Some(RawDocument {
        id: id?,
        title: title?.into_inner(),
        publisher: publisher?.into_inner(),
        date,
        url: url.map(Spanned::into_inner),
        note: note.map(Spanned::into_inner),
        file: file.map(Spanned::into_inner),
        derived_from,
    })
}

fn judgement(table: &Table<'_, '_>, problems: &mut Vec<Problem>) -> Option<RawJudgement> {
    table.check_keys(JUDGEMENT_KEYS, problems);
    let complete = table.require(&["id", "title", "scale"], "", problems);
    let id = table.string("id", problems);
    let title = table.string("title", problems);
    let scale = table.string("scale", problems);
    let latent = table.boolean("latent", problems).unwrap_or(false);
    let aliases = table
        .strings("aliases", problems)
        .unwrap_or_default()
        .into_iter()
        .map(Spanned::into_inner)
        .collect();
    if !complete {
        return None;
    }
    Some(RawJudgement {
        id: id?,
        title: title?.into_inner(),
        scale: scale?,
        latent,
        aliases,
    })
}

/// The items of an array of tables (`[[constraint]]`), each with its own span.
fn tables<'a, 'i>(
    file: &Table<'a, 'i>,
    key: &str,
    what: &'static str,
    problems: &mut Vec<Problem>,
) -> Vec<Table<'a, 'i>> {
    let Some(items) = file.array(key, problems) else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|item| Table::of(file.source, item, what, problems))
        .collect()
}

/// The `id` of an item, if it can be read, for the `Broken` names.
fn id_of(table: &Table<'_, '_>) -> Option<String> {
    match table.get("id")?.get_ref() {
        DeValue::String(id) => Some(id.to_string()),
        _ => None,
    }
}

/// The names a file that is not valid TOML declares, as far as they can be read.
fn harvest(source: &SourceText, root: &Spanned<toml::de::DeTable<'_>>, broken: &mut Broken) {
    let file = Table::root(source, root, "a rule file");
    let mut ignored = Vec::new();
    let ids = |key: &str, ignored: &mut Vec<Problem>| -> Vec<String> {
        tables(&file, key, "an item", ignored)
            .iter()
            .filter_map(id_of)
            .collect()
    };
    broken.scales.extend(ids("scale", &mut ignored));
    broken.documents.extend(ids("document", &mut ignored));
    broken.judgements.extend(ids("judgement", &mut ignored));
    broken.constraints.extend(ids("constraint", &mut ignored));
    broken.rule_sets.extend(id_of(&file));
}
