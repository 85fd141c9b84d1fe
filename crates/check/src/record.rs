//! Published grade records as read, and their validation against the rules in force: a known
//! authority, a period with rules, known judgements and grades on their scales.
//!
//! Every reader (TOML, CSV, wide tables, letters, reports) makes [`Record`]s, and every grade
//! is resolved by one function, [`resolve_grade`], so that no two readers disagree on what a
//! written grade means.

use std::ops::Range;
use std::sync::Arc;

use chrono::NaiveDate;
use ratings_core::{
    did_you_mean, shown, Code, Level, NotInForce, Period, Problem, RuleBook, Scale, SourceText,
    LOCAL_AUTHORITIES,
};
use toml::Spanned;

use crate::authority::{Authorities, Resolved};
use crate::contexts::{Context, Periods};
use crate::subject::{Labels, Subject, SubjectKind};

/// Where a record came from: the document and the place in it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Source {
    /// A document id of the rule book's registry, or the document's name.
    pub document: String,
    /// Where in the document: a paragraph, a line, a page, an address.
    pub locator: String,
}

impl Source {
    /// `document, locator`.
    pub fn describe(&self) -> String {
        format!("{}, {}", self.document, self.locator)
    }
}

/// A record as read, before it is checked against the rules: what one source published about
/// one subject (an authority, or a provider) for one period.
#[derive(Debug, Clone)]
pub struct Record {
    /// The text the record was read from.
    pub text: SourceText,
    /// The span of the whole record (a TOML table, a CSV row).
    pub span: Range<usize>,
    /// The authority as written, for a record about an authority.
    pub authority: Option<Spanned<String>>,
    /// The provider, for a record about a provider (then `authority` is `None`).
    pub provider: Option<WrittenProvider>,
    /// Why the record holds no graded inspection to check (a provider never inspected, a
    /// provision type not graded this way): it is counted as not graded, and nothing else is
    /// read of it.
    pub not_graded: Option<String>,
    /// The year or date as written.
    pub period: Option<Spanned<WrittenPeriod>>,
    /// The source.
    pub source: Source,
    /// The grades as written.
    pub grades: Vec<WrittenGrade>,
    /// Problems found while reading that make the record unusable.
    pub problems: Vec<Problem>,
}

/// A provider as a record writes it.
#[derive(Debug, Clone)]
pub struct WrittenProvider {
    /// Its unique reference number (URN).
    pub urn: Spanned<String>,
    /// What the rule book calls its kind (`children's homes`): the `subject` of the rule sets
    /// that judge it. The reader takes it from the provision type the source prints.
    pub subject: Spanned<String>,
    /// The inspection's own number, where the source gives one: the column it was read from
    /// (numbers of different columns are never compared) and the number.
    pub inspection: Option<(String, Spanned<String>)>,
    /// Within how many days two records of the provider without a common inspection number are
    /// the same inspection (the map's `same_inspection_within_days`); `None`: only the same day.
    pub same_within_days: Option<u32>,
    /// What the source prints of the provider: provision type, name, sector, local authority.
    pub attributes: Vec<(String, String)>,
}

/// A year or a date as a record writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WrittenPeriod {
    /// A year.
    Year(i64),
    /// A day.
    Date(NaiveDate),
    /// The day a report was published, standing in for its inspection's first day, which is
    /// at most so many days before it: the record joins the one inspection of its subject that
    /// began in those days, where another source gives it (a table without the start date).
    Published(NaiveDate, u32),
    /// Something else, described for the message (`the text "soon"`).
    Invalid(String),
}

/// One grade as written: a judgement name and a value (a number or a label).
#[derive(Debug, Clone)]
pub struct WrittenGrade {
    /// The judgement id.
    pub judgement: Spanned<String>,
    /// The grade as written.
    pub value: Spanned<WrittenValue>,
}

/// A grade as written.
#[derive(Debug, Clone, PartialEq)]
pub enum WrittenValue {
    /// A number or a label, as text (CSV cells, TOML strings).
    Text(String),
    /// A TOML integer.
    Integer(i64),
    /// Anything else, described for the message (`the fraction 2.5`, `the boolean true`).
    Invalid(String),
}

/// A record that passed validation.
#[derive(Debug, Clone)]
pub struct ValidRecord {
    /// The canonical authority, or the provider.
    pub subject: Arc<Subject>,
    /// The inspection's number and the subject's attributes, as this record gives them.
    pub labels: Labels,
    /// How to tell this record's inspection from the provider's others: the column and number,
    /// and the days within which records without a common number are one inspection.
    pub inspection: Option<(String, String)>,
    /// See [`WrittenProvider::same_within_days`].
    pub same_within_days: Option<u32>,
    /// The period.
    pub period: Period,
    /// The rules in force then (an index into [`Periods`]).
    pub context: usize,
    /// The source.
    pub source: Source,
    /// The file, for messages.
    pub file: String,
    /// Where the record starts.
    pub line: usize,
    /// Its grades.
    pub grades: Vec<ValidGrade>,
}

/// A grade on its judgement's scale.
#[derive(Debug, Clone, Copy)]
pub struct ValidGrade {
    /// The judgement's index in the period's rules.
    pub judgement: u16,
    /// The grade's rank on the judgement's scale.
    pub rank: u8,
    /// Where it was written.
    pub line: usize,
    /// Where it was written.
    pub column: usize,
}

/// Why a written grade is not a grade of its judgement.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum GradeError {
    /// Empty text.
    Empty,
    /// A fraction.
    Fractional(String),
    /// A number or word not on the scale.
    OffScale(String),
    /// Not a number or label at all.
    Invalid(String),
}

/// The one reading of a written grade: a number printed by the judgement's scale, or one of
/// its labels or aliases (case-insensitive, spaces at either end ignored).
pub fn resolve_grade(scale: &Scale, value: &WrittenValue) -> Result<Level, GradeError> {
    match value {
        WrittenValue::Integer(number) => scale
            .level_of_number(*number)
            .ok_or_else(|| GradeError::OffScale(number.to_string())),
        WrittenValue::Text(text) => resolve_grade_text(scale, text),
        WrittenValue::Invalid(described) => Err(GradeError::Invalid(described.clone())),
    }
}

/// [`resolve_grade`] of a grade written as text, without making a [`WrittenValue`] of it.
pub(crate) fn resolve_grade_text(scale: &Scale, text: &str) -> Result<Level, GradeError> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(GradeError::Empty);
    }
    if let Ok(number) = trimmed.parse::<i64>() {
        return scale
            .level_of_number(number)
            .ok_or_else(|| GradeError::OffScale(trimmed.to_owned()));
    }
    if let Some(rank) = scale.find_rank(trimmed) {
        return Ok(scale.level(rank));
    }
    if trimmed.parse::<f64>().is_ok() {
        return Err(GradeError::Fractional(trimmed.to_owned()));
    }
    Err(GradeError::OffScale(trimmed.to_owned()))
}

/// Check a record against the rules: a known authority, a period with rules, known
/// judgements and grades on their scales. Every problem is returned, not just the first.
pub fn validate(
    record: &Record,
    periods: &mut Periods<'_>,
    authorities: &Authorities,
) -> Result<ValidRecord, Vec<Problem>> {
    let text = &record.text;
    if !record.problems.is_empty() {
        // The record could not be read whole; what is missing from it follows from that.
        return Err(record.problems.clone());
    }
    let mut problems = Vec::new();
    let header = header_span(&text.text, &record.span);
    let period = match &record.period {
        None => {
            problems.push(
                Problem::at(Code::MissingKey, text, header.clone(), "the record has no `year` or `date`")
                    .with_help("write `year = 2008` for an annual assessment, or `date = 2024-05-01` for an inspection"),
            );
            None
        }
        Some(written) => match written.get_ref() {
            WrittenPeriod::Year(year) => match i32::try_from(*year) {
                Ok(year) if (1..=9999).contains(&year) => {
                    Some((Period::Year(year), written.span()))
                }
                _ => {
                    problems.push(Problem::at(
                        Code::InvalidValue,
                        text,
                        written.span(),
                        format!("{year} is not a year"),
                    ));
                    None
                }
            },
            WrittenPeriod::Date(day) | WrittenPeriod::Published(day, _) => {
                Some((Period::Date(*day), written.span()))
            }
            WrittenPeriod::Invalid(described) => {
                problems.push(
                    Problem::at(
                        Code::InvalidValue,
                        text,
                        written.span(),
                        format!("the year must be a whole number or a date, not {described}"),
                    )
                    .with_help("write `2008`, or a date such as `2024-05-01`"),
                );
                None
            }
        },
    };
    let subject: Option<(Arc<Subject>, Labels)> = match (&record.provider, &record.authority) {
        (Some(provider), _) => provider_subject(provider, text, periods.book(), &mut problems),
        (None, None) => {
            problems.push(Problem::at(
                Code::MissingKey,
                text,
                header.clone(),
                "the record has no `authority`",
            ));
            None
        }
        (None, Some(written)) if written.get_ref().trim().is_empty() => {
            problems.push(Problem::at(
                Code::MissingKey,
                text,
                written.span(),
                "the record's `authority` is empty",
            ));
            None
        }
        (None, Some(written)) => {
            match authorities.resolve(written.get_ref(), period.as_ref().map(|(p, _)| *p)) {
                Resolved::Found(found) => {
                    Some((Arc::new(Subject::authority(found)), Labels::default()))
                }
                Resolved::Unknown(suggestion) => {
                    problems.push(
                        Problem::at(
                            Code::UnknownAuthority,
                            text,
                            written.span(),
                            format!(
                                "`{}` is not an authority in the authorities table",
                                shown(written.get_ref())
                            ),
                        )
                        .with_help(suggestion.unwrap_or_else(|| {
                            format!("the names come from {}", authorities.name())
                        })),
                    );
                    None
                }
                Resolved::Ambiguous(message) => {
                    problems.push(Problem::at(
                        Code::AmbiguousAuthority,
                        text,
                        written.span(),
                        message,
                    ));
                    None
                }
            }
        }
    };
    let rules_subject = match &record.provider {
        Some(provider) => provider.subject.get_ref().clone(),
        None => LOCAL_AUTHORITIES.to_owned(),
    };
    let context = match &period {
        Some((period, span)) => match periods.get(&rules_subject, *period) {
            Ok(context) => Some(context),
            Err(why) => {
                problems.push(not_in_force(text, span.clone(), &why));
                None
            }
        },
        None => None,
    };
    if record.grades.is_empty() {
        problems.push(
            Problem::at(
                Code::NoGrades,
                text,
                header.clone(),
                "the record gives no grades",
            )
            .with_help("add a `[record.grades]` table"),
        );
    }
    let mut grades = Vec::new();
    if let (Some(context), Some((period, _))) = (context, &period) {
        let rules = periods.context(context);
        for grade in &record.grades {
            match grade_of(rules, *period, grade, text) {
                Ok(valid) => grades.push(valid),
                Err(problem) => problems.push(problem.with_judgement(grade.judgement.get_ref())),
            }
        }
    }
    if record.source.document.trim().is_empty() {
        problems.push(Problem::at(
            Code::MissingKey,
            text,
            header,
            "the record's source document is empty",
        ));
    }
    match (subject, period, context, problems.is_empty()) {
        (Some((subject, labels)), Some((period, _)), Some(context), true) => {
            let (line, _) = text.line_column(record.span.start);
            let provider = record.provider.as_ref();
            Ok(ValidRecord {
                subject,
                labels,
                inspection: provider.and_then(|p| {
                    let (column, number) = p.inspection.as_ref()?;
                    Some((column.clone(), number.get_ref().trim().to_owned()))
                }),
                same_within_days: provider.and_then(|p| p.same_within_days),
                period,
                context,
                source: record.source.clone(),
                file: text.name.clone(),
                line,
                grades,
            })
        }
        _ => Err(problems),
    }
}

/// The provider a record is about, and what it says of the provider; a problem where its URN
/// is empty or its kind is judged by no rule set.
fn provider_subject(
    provider: &WrittenProvider,
    text: &SourceText,
    book: &RuleBook,
    problems: &mut Vec<Problem>,
) -> Option<(Arc<Subject>, Labels)> {
    let urn = provider.urn.get_ref().trim();
    let subject = provider.subject.get_ref();
    let mut ok = true;
    if urn.is_empty() {
        problems.push(Problem::at(
            Code::MissingKey,
            text,
            provider.urn.span(),
            "the provider's URN is empty",
        ));
        ok = false;
    }
    if !book.subjects().contains(&subject.as_str()) {
        let known = book.subjects().join("`, `");
        problems.push(
            Problem::at(
                Code::UnknownSubject,
                text,
                provider.subject.span(),
                format!("no rule set judges `{}`", shown(subject)),
            )
            .with_help(format!("the rules judge `{known}`")),
        );
        ok = false;
    }
    if !ok {
        return None;
    }
    let mut labels = Labels::default();
    if let Some((_, number)) = &provider.inspection {
        let number = number.get_ref().trim();
        if !number.is_empty() {
            labels.inspection = Some(number.to_owned());
        }
    }
    for (name, value) in &provider.attributes {
        if !value.trim().is_empty() {
            labels
                .attributes
                .insert(name.clone(), value.trim().to_owned());
        }
    }
    let name = labels.attributes.get("name").cloned().unwrap_or_default();
    Some((
        Arc::new(Subject {
            kind: SubjectKind::Provider,
            id: urn.to_owned(),
            name,
            rules: subject.clone(),
        }),
        labels,
    ))
}

/// The problem for a period without rules.
pub fn not_in_force(text: &SourceText, span: Range<usize>, why: &NotInForce) -> Problem {
    match why {
        NotInForce::Nothing { period, .. } => {
            let help = if period.year() >= 2012 && period.date().is_none() {
                "there was no children's services rating after 2011 (the duty in the Education and Inspections Act 2006 s.138 was repealed in 2012); an inspection is recorded with its `date`"
            } else {
                "records must be for a year or date that some rule set covers"
            };
            Problem::at(Code::NoRulesForYear, text, span, why.to_string()).with_help(help)
        }
        NotInForce::PartOfYear { .. } => {
            Problem::at(Code::AmbiguousPeriod, text, span, why.to_string())
                .with_help("give the inspection's `date` instead of its year")
        }
        _ => Problem::at(Code::NoRulesForYear, text, span, why.to_string()),
    }
}

/// One written grade resolved in the rules of its period.
fn grade_of(
    context: &Context,
    period: Period,
    grade: &WrittenGrade,
    text: &SourceText,
) -> Result<ValidGrade, Problem> {
    let rules = &context.rules;
    let id = grade.judgement.get_ref();
    let Some(index) = rules.judgement_index(id) else {
        let mut problem = Problem::at(
            Code::UnknownJudgement,
            text,
            grade.judgement.span(),
            format!("unknown judgement `{}` for {period}", shown(id)),
        );
        problem = problem.with_help(match context.judged_elsewhere(id) {
            Some(elsewhere) => elsewhere,
            None => did_you_mean(id, rules.judgement_ids()).unwrap_or_else(|| {
                format!(
                    "judgements of {}: {}",
                    rules.label(),
                    rules.judgement_ids().join(", ")
                )
            }),
        });
        return Err(problem);
    };
    let in_force = &rules.judgements()[index];
    if in_force.judgement.latent {
        return Err(Problem::at(
            Code::LatentJudgement,
            text,
            grade.judgement.span(),
            format!("`{id}` is latent: the rules use it but it was never published"),
        ));
    }
    let scale = &in_force.scale;
    let level = resolve_grade(scale, grade.value.get_ref()).map_err(|error| {
        let listing = format!("scale `{}` is {}", scale.id, scale.listing());
        match error {
            GradeError::Empty => Problem::at(
                Code::GradeOffScale,
                text,
                grade.value.span(),
                format!("the grade of `{id}` is empty"),
            )
            .with_help(listing),
            GradeError::Fractional(written) => Problem::at(
                Code::GradeOffScale,
                text,
                grade.value.span(),
                format!(
                    "`{}` is fractional: grades are whole numbers or labels",
                    shown(&written)
                ),
            )
            .with_help(listing),
            GradeError::OffScale(written) => {
                let names = scale.values.iter().flat_map(|v| {
                    std::iter::once(v.label.as_str()).chain(v.aliases.iter().map(String::as_str))
                });
                let help = did_you_mean(&written, names).unwrap_or(listing);
                Problem::at(
                    Code::GradeOffScale,
                    text,
                    grade.value.span(),
                    format!(
                        "`{}` is not on scale `{}` of `{id}`",
                        shown(&written),
                        scale.id
                    ),
                )
                .with_help(help)
            }
            GradeError::Invalid(described) => Problem::at(
                Code::InvalidValue,
                text,
                grade.value.span(),
                format!("a grade is a number or a label, not {described}"),
            ),
        }
    })?;
    let (line, column) = text.line_column(grade.judgement.span().start);
    Ok(ValidGrade {
        judgement: u16::try_from(index).unwrap_or(u16::MAX),
        rank: u8::try_from(level.rank).unwrap_or(u8::MAX),
        line,
        column,
    })
}

/// The first line of a record's span, for problems about the record as a whole.
pub(crate) fn header_span(text: &str, span: &Range<usize>) -> Range<usize> {
    let start = span.start.min(text.len());
    let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    start..end.min(span.end.max(start))
}

/// A year or date as written in a text cell: `2008`, `2024-05-01`.
pub fn period_of_text(text: &str) -> WrittenPeriod {
    let trimmed = text.trim();
    if let Ok(year) = trimmed.parse::<i64>() {
        return WrittenPeriod::Year(year);
    }
    if let Ok(day) = NaiveDate::parse_from_str(trimmed, "%Y-%m-%d") {
        return WrittenPeriod::Date(day);
    }
    WrittenPeriod::Invalid(format!("the text `{}`", shown(trimmed)))
}
