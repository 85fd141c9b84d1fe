//! Constraints as written: kind, target, value or other judgement, offset, condition, and
//! the citations behind them, each key read on its own.

use toml::de::DeValue;
use toml::Spanned;

use super::{RawCite, RawCondition, RawConstraint, RawKind, KINDS, MAX_OFFSET};
use crate::code::Code;
use crate::diagnostic::{did_you_mean, shown, Problem, SourceText};
use crate::model::{Basis, Strength, Test};
use crate::toml_table::{self, describe, Table};

const CONSTRAINT_KEYS: &[&str] = &[
    "id", "text", "strength", "basis", "cite", "kind", "target", "at_most", "at_least", "other",
    "offset", "when",
];
const CITE_KEYS: &[&str] = &["document", "locator"];
const CONDITION_KEYS: &[&str] = &[
    "judgement",
    "at_most",
    "at_least",
    "is",
    "all",
    "any",
    "count",
];
const COUNT_KEYS: &[&str] = &["of", "at_most", "n"];

pub(super) fn constraint(
    table: &Table<'_, '_>,
    problems: &mut Vec<Problem>,
) -> Option<RawConstraint> {
    table.check_keys(CONSTRAINT_KEYS, problems);
    let before = problems.len();
    table.require(
        &["id", "text", "strength", "basis", "cite", "kind", "target"],
        "",
        problems,
    );
    let id = table.string("id", problems);
    let text = table.string("text", problems);
    if let Some(text) = &text {
        if text.get_ref().trim().is_empty() {
            problems.push(Problem::at(
                Code::MissingKey,
                table.source,
                text.span(),
                "the constraint's `text` is empty",
            ));
        }
    }
    let strength = word(
        table,
        "strength",
        &[("must", Strength::Must), ("usually", Strength::Usually)],
        problems,
    );
    let basis = word(
        table,
        "basis",
        &[
            ("guidance", Basis::Guidance),
            ("reported", Basis::Reported),
            ("inferred", Basis::Inferred),
        ],
        problems,
    );
    let cite = table
        .get("cite")
        .map(|value| cite(table.source, value, problems))
        .unwrap_or_default();
    let kind = word(table, "kind", &KINDS, problems);
    let kind_span = table.get("kind").map_or(table.header(), |v| v.span());
    let target = table.string("target", problems);
    let at_most = table.written("at_most", problems);
    let at_least = table.written("at_least", problems);
    let other = table.string("other", problems);
    let offset = table.integer("offset", problems);
    if let Some(offset) = &offset {
        if offset.get_ref().abs() > MAX_OFFSET {
            problems.push(
                Problem::at(
                    Code::OffsetOutOfRange,
                    table.source,
                    offset.span(),
                    format!(
                        "an offset of {} is more grades than any scale has",
                        offset.get_ref()
                    ),
                )
                .with_help(format!(
                    "an offset counts grades: it lies between -{MAX_OFFSET} and {MAX_OFFSET}"
                )),
            );
        }
    }
    let when = table
        .get("when")
        .and_then(|value| condition(table.source, value, problems));
    let mut value = None;
    if let Some(kind) = kind {
        let name = kind.name();
        let (needs, forbids): (&[&str], &[&str]) = match kind {
            RawKind::Cap => (&["at_most"], &["at_least", "other", "offset"]),
            RawKind::Floor => (&["at_least"], &["at_most", "other", "offset"]),
            RawKind::Limit | RawKind::Equal => (&["other"], &["at_most", "at_least"]),
        };
        for key in needs {
            if table.get(key).is_none() {
                problems.push(
                    Problem::at(
                        Code::MissingKey,
                        table.source,
                        kind_span.clone(),
                        format!("a `{name}` constraint needs `{key}`"),
                    )
                    .with_help(kind_help(kind)),
                );
            }
        }
        for key in forbids {
            if let Some(span) = table.get(key).map(|v| v.span()) {
                problems.push(
                    Problem::at(
                        Code::UnexpectedKey,
                        table.source,
                        span,
                        format!("a `{name}` constraint takes no `{key}`"),
                    )
                    .with_help(kind_help(kind)),
                );
            }
        }
        value = match kind {
            RawKind::Cap => at_most,
            RawKind::Floor => at_least,
            RawKind::Limit | RawKind::Equal => None,
        };
    }
    if problems.len() > before {
        return None;
    }
    Some(RawConstraint {
        id: id?,
        text: text?.get_ref().trim().to_owned(),
        strength: strength?,
        basis: basis?,
        cite,
        kind: Spanned::new(kind_span, kind?),
        target: target?,
        value,
        other,
        offset: offset.map_or(0, Spanned::into_inner),
        when,
    })
}

/// `cite = { document = "id", locator = "..." }`, or an array of them.
fn cite(
    source: &SourceText,
    value: &Spanned<DeValue<'_>>,
    problems: &mut Vec<Problem>,
) -> Vec<RawCite> {
    let help = "write `cite = [{ document = \"registry-id\", locator = \"para 4.15\" }]`, naming a `[[document]]` of the rule directory";
    let items: Vec<&Spanned<DeValue<'_>>> = match value.get_ref() {
        DeValue::Array(items) => items.iter().collect(),
        DeValue::Table(_) => vec![value],
        other => {
            problems.push(
                Problem::at(
                    Code::InvalidValue,
                    source,
                    value.span(),
                    format!(
                        "`cite` must be a table or an array of tables, not {}",
                        describe(other)
                    ),
                )
                .with_help(help),
            );
            return Vec::new();
        }
    };
    if items.is_empty() {
        problems.push(
            Problem::at(
                Code::MissingKey,
                source,
                value.span(),
                "`cite` names no document",
            )
            .with_help(help),
        );
    }
    let mut out = Vec::new();
    for item in items {
        let Some(table) = Table::of(source, item, "a citation", problems) else {
            continue;
        };
        table.check_keys(CITE_KEYS, problems);
        if !table.require(&["document", "locator"], help, problems) {
            continue;
        }
        let (Some(document), Some(locator)) = (
            table.string("document", problems),
            table.string("locator", problems),
        ) else {
            continue;
        };
        if locator.get_ref().trim().is_empty() {
            problems.push(
                Problem::at(
                    Code::MissingKey,
                    source,
                    locator.span(),
                    "the citation's `locator` is empty",
                )
                .with_help(help),
            );
            continue;
        }
        out.push(RawCite {
            document,
            locator: locator.into_inner(),
        });
    }
    out
}

fn condition(
    source: &SourceText,
    value: &Spanned<DeValue<'_>>,
    problems: &mut Vec<Problem>,
) -> Option<RawCondition> {
    let table = Table::of(source, value, "a condition", problems)?;
    table.check_keys(CONDITION_KEYS, problems);
    let forms: Vec<&str> = ["judgement", "all", "any", "count"]
        .into_iter()
        .filter(|key| table.get(key).is_some())
        .collect();
    if forms.len() != 1 {
        problems.push(
            Problem::at(
                Code::InvalidCondition,
                source,
                value.span(),
                "a condition needs exactly one of `judgement`, `all`, `any`, `count`",
            )
            .with_help(
                "for example `when = { judgement = \"apa.staying_safe\", is = \"inadequate\" }`",
            ),
        );
        return None;
    }
    let tests: Vec<(Test, &str)> = [
        (Test::AtMost, "at_most"),
        (Test::AtLeast, "at_least"),
        (Test::Is, "is"),
    ]
    .into_iter()
    .filter(|(_, key)| table.get(key).is_some())
    .collect();
    if forms[0] == "judgement" {
        let judgement = table.string("judgement", problems);
        let [(test, key)] = tests.as_slice() else {
            problems.push(Problem::at(
                Code::InvalidCondition,
                source,
                value.span(),
                "a judgement condition needs exactly one of `at_most`, `at_least`, `is`",
            ));
            return None;
        };
        let written = table.written(key, problems);
        return Some(RawCondition::Judgement {
            judgement: judgement?,
            test: *test,
            value: written?,
        });
    }
    if let Some((_, key)) = tests.first() {
        if let Some(span) = table.key_span(key) {
            problems.push(Problem::at(
                Code::UnexpectedKey,
                source,
                span,
                "`at_most`, `at_least` and `is` go with `judgement`, not with `all`, `any` or `count`",
            ));
        }
        return None;
    }
    if forms[0] == "count" {
        let count = Table::of(source, table.get("count")?, "`count`", problems)?;
        count.check_keys(COUNT_KEYS, problems);
        if !count.require(
            &["of", "at_most", "n"],
            "write `count = { of = [\"a.x\", \"a.y\"], at_most = 1, n = 2 }`",
            problems,
        ) {
            return None;
        }
        let of = count.strings("of", problems);
        let at_most = count.written("at_most", problems);
        let n = count.integer("n", problems);
        return Some(RawCondition::Count {
            of: of?,
            at_most: at_most?,
            n: n?,
        });
    }
    let parts = table.array(forms[0], problems)?;
    if parts.is_empty() {
        problems.push(Problem::at(
            Code::InvalidCondition,
            source,
            value.span(),
            "`all` and `any` need at least one condition",
        ));
        return None;
    }
    let parts: Vec<Option<RawCondition>> = parts
        .iter()
        .map(|part| condition(source, part, problems))
        .collect();
    let parts: Vec<RawCondition> = parts.into_iter().collect::<Option<_>>()?;
    Some(if forms[0] == "all" {
        RawCondition::All(parts)
    } else {
        RawCondition::Any(parts)
    })
}

/// A string that must be one of a few words, with "did you mean" for a near miss.
fn word<T: Copy>(
    table: &Table<'_, '_>,
    key: &str,
    words: &[(&str, T)],
    problems: &mut Vec<Problem>,
) -> Option<T> {
    let written = table.string(key, problems)?;
    if let Some((_, value)) = words.iter().find(|(w, _)| *w == written.get_ref()) {
        return Some(*value);
    }
    let names: Vec<&str> = words.iter().map(|(w, _)| *w).collect();
    let help = did_you_mean(written.get_ref(), names.iter().copied()).unwrap_or_else(|| {
        format!(
            "`{key}` is {}",
            toml_table::quoted_list(&names).replace(" and ", " or ")
        )
    });
    problems.push(
        Problem::at(
            Code::InvalidValue,
            table.source,
            written.span(),
            format!("`{}` is not a {key}", shown(written.get_ref())),
        )
        .with_help(help),
    );
    None
}

fn kind_help(kind: RawKind) -> &'static str {
    match kind {
        RawKind::Cap => "a cap is `kind = \"cap\"`, `target`, `at_most` and usually `when`",
        RawKind::Floor => "a floor is `kind = \"floor\"`, `target`, `at_least` and usually `when`",
        RawKind::Limit => {
            "a limit is `kind = \"limit\"`, `target`, `other`, optional `offset` and `when`"
        }
        RawKind::Equal => {
            "an equal is `kind = \"equal\"`, `target`, `other`, optional `offset` and `when`"
        }
    }
}
