//! Checking records: merge them into assessments (one authority, one year), then give each a
//! verdict computed exactly with the engine, with findings that cite the rules.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap as HashMap;
use std::sync::Arc;

use ratings_core::{
    Assignment, Basis, Budget, Cite, EngineError, Model, Problem, RuleBook, Strength, YearRules,
};
use serde::Serialize;

use crate::authority::{Authorities, Authority};
use crate::letter::DocumentFinding;
use crate::records::{validate, ReadFile, Record, Source};

/// The whole outcome of a `check` run.
#[derive(Debug, Serialize)]
pub struct Report {
    pub summary: Summary,
    pub results: Vec<AssessmentResult>,
    /// Why each rejected record or unreadable file was rejected, in input order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<Problem>,
}

/// Counts that always add up: `records = checked + rejected`, and
/// `assessments = consistent + inconsistent + unverifiable + undecided`.
#[derive(Debug, Default, Clone, Copy, Serialize, PartialEq, Eq)]
pub struct Summary {
    pub files: usize,
    pub unreadable_files: usize,
    pub records: usize,
    pub checked: usize,
    pub rejected: usize,
    pub assessments: usize,
    pub consistent: usize,
    pub inconsistent: usize,
    pub unverifiable: usize,
    /// Assessments whose evaluation ran out of budget.
    pub undecided: usize,
    /// Assessments in which two sources give one judgement different grades.
    pub conflicts: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Consistent,
    Inconsistent,
    Unverifiable,
    Undecided,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

/// The verdict on one authority in one year.
#[derive(Debug, Serialize)]
pub struct AssessmentResult {
    pub authority: String,
    pub la_code: String,
    pub year: i64,
    pub verdict: Verdict,
    pub findings: Vec<Finding>,
    /// Every published grade with the sources that gave it.
    pub published: BTreeMap<String, Vec<Published>>,
    /// Allowed values of every judgement of the year, given the published grades.
    pub allowed: BTreeMap<String, Vec<i64>>,
    /// Unpublished, non-latent judgements that the published grades narrow.
    pub implied: BTreeMap<String, Vec<i64>>,
    /// For a consistent verdict: other grades for the published judgements that the rules
    /// would have rejected, showing that the check tested something.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tested_by: Option<Assignment>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Published {
    pub value: i64,
    pub label: Arc<str>,
    pub document: Arc<str>,
    pub locator: Arc<str>,
    pub file: Arc<str>,
    pub line: usize,
    pub column: usize,
}

/// One finding about an assessment.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub code: &'static str,
    pub severity: Severity,
    /// The constraint concerned, if any.
    pub rule: Option<String>,
    pub judgements: Vec<String>,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub basis: Option<Basis>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub strength: Option<Strength>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cite: Option<Cite>,
    /// For a broken rule: a minimal set of published grades that already contradict the rules.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub evidence: Assignment,
    /// For a broken rule: the values each of those grades could have had, given the others.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub allowed_instead: BTreeMap<String, Vec<i64>>,
    /// The rules and given grades behind an implication.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub because: Vec<ratings_core::Reason>,
    /// For a disagreement inside a letter: every line involved.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub lines: Vec<usize>,
}

/// How to check: the search budget per question and the table of authorities.
#[derive(Debug, Clone, Copy)]
pub struct CheckOptions<'a> {
    pub budget: u64,
    pub authorities: &'a Authorities,
}

impl Default for CheckOptions<'static> {
    fn default() -> Self {
        CheckOptions {
            budget: ratings_core::DEFAULT_BUDGET,
            authorities: Authorities::builtin(),
        }
    }
}

/// Check every record of the files against the rule book, collecting every result.
pub fn check(book: &RuleBook, files: &[ReadFile], options: &CheckOptions<'_>) -> Report {
    let mut checker = Checker::new(book, *options);
    for file in files {
        checker.add_file(file);
    }
    let mut results = Vec::new();
    let (summary, problems) = checker.finish(&mut Collect(&mut results));
    Report {
        summary,
        results,
        problems,
    }
}

/// Where a checker's output goes: the problems once, before any result, then each result in
/// order.
pub trait Sink {
    fn problems(&mut self, _problems: &[Problem]) {}
    fn result(&mut self, result: AssessmentResult);
}

struct Collect<'r>(&'r mut Vec<AssessmentResult>);

impl Sink for Collect<'_> {
    fn result(&mut self, result: AssessmentResult) {
        self.0.push(result);
    }
}

/// Checks records as they arrive, keeping only what the verdicts need: for each assessment, the
/// judgement, grade, source and position of each published grade. Results come out one at a
/// time from [`Checker::finish`], so a large input need not be held as records or results.
pub struct Checker<'a> {
    book: &'a RuleBook,
    options: CheckOptions<'a>,
    years: BTreeMap<i64, YearRules>,
    summary: Summary,
    problems: Vec<Problem>,
    /// Assessments by authority (its address in the table: one per authority) and year; sorted
    /// by name and year only when results are made.
    groups: HashMap<(usize, i64), Group>,
    /// Distinct (document, locator) pairs.
    sources: Vec<(Arc<str>, Arc<str>)>,
    source_index: HashMap<Arc<str>, HashMap<Arc<str>, u32>>,
    files: Vec<Arc<str>>,
    file_index: HashMap<Arc<str>, u32>,
    document_findings: Vec<DocumentFinding>,
    /// Grade labels by year, judgement index and scale position.
    labels: BTreeMap<i64, Vec<Vec<Arc<str>>>>,
    /// Index of each published (non-latent) judgement of each year.
    judgement_index: BTreeMap<i64, HashMap<String, u16>>,
    /// Authorities already resolved, by the name as written.
    authority_cache: HashMap<String, Arc<Authority>>,
}

/// Feeds CSV rows to a checker: well-formed rows straight, the rest as records.
struct CsvInto<'c, 'a> {
    checker: &'c mut Checker<'a>,
    file: u32,
}

impl crate::records::RowSink for CsvInto<'_, '_> {
    fn row(&mut self, fields: &csv::StringRecord, line: usize, line_text: &str) -> bool {
        self.checker.take_row(fields, line, line_text, self.file)
    }

    fn record(&mut self, record: Record) {
        self.checker.add_record(&record);
    }
}

/// The published grades of one assessment.
struct Group {
    authority: Arc<Authority>,
    grades: Vec<Stored>,
}

/// One published grade, packed (20 bytes): a large check holds a million of these.
#[derive(Clone, Copy)]
struct Stored {
    /// Index into the year's judgements.
    judgement: u16,
    /// Position of the grade on the judgement's scale (scales have at most 64 values).
    position: u8,
    /// Saturates at 65535 (only shown, never used to find anything).
    column: u16,
    source: u32,
    file: u32,
    line: u32,
}

impl<'a> Checker<'a> {
    pub fn new(book: &'a RuleBook, options: CheckOptions<'a>) -> Self {
        let years: BTreeMap<i64, YearRules> = book
            .years()
            .into_iter()
            .filter_map(|year| YearRules::new(book, year).map(|rules| (year, rules)))
            .collect();
        let labels = years
            .iter()
            .map(|(year, rules): (&i64, &YearRules)| {
                let by_judgement = rules
                    .judgements
                    .iter()
                    .map(|j| {
                        j.scale
                            .values
                            .iter()
                            .map(|v| Arc::from(j.scale.describe(v.number)))
                            .collect()
                    })
                    .collect();
                (*year, by_judgement)
            })
            .collect();
        let judgement_index = years
            .iter()
            .map(|(year, rules): (&i64, &YearRules)| {
                let index = rules
                    .judgements
                    .iter()
                    .enumerate()
                    .filter(|(_, j)| !j.judgement.latent)
                    .filter_map(|(i, j)| Some((j.judgement.id.clone(), u16::try_from(i).ok()?)))
                    .collect();
                (*year, index)
            })
            .collect();
        Checker {
            judgement_index,
            authority_cache: HashMap::default(),
            labels,
            book,
            options,
            years,
            summary: Summary::default(),
            problems: Vec::new(),
            groups: HashMap::default(),
            sources: Vec::new(),
            source_index: HashMap::default(),
            files: Vec::new(),
            file_index: HashMap::default(),
            document_findings: Vec::new(),
        }
    }

    /// One file: its records, or the reason it could not be read, and any disagreements found
    /// inside it (letters).
    pub fn add_file(&mut self, file: &ReadFile) {
        self.summary.files += 1;
        if let Some(problem) = &file.unreadable {
            self.summary.unreadable_files += 1;
            self.problems.push(problem.clone());
            return;
        }
        for record in &file.records {
            self.add_record(record);
        }
        self.document_findings
            .extend(file.document_findings.iter().cloned());
    }

    /// A file that is counted but whose records arrive one by one through `add_record`.
    pub fn add_streamed_file(&mut self, unreadable: Option<Problem>) {
        self.summary.files += 1;
        if let Some(problem) = unreadable {
            self.summary.unreadable_files += 1;
            self.problems.push(problem);
        }
    }

    /// One record: checked and merged into its assessment, or rejected with its problems.
    pub fn add_record(&mut self, record: &Record) {
        self.summary.records += 1;
        let valid = match validate(record, self.book, &self.years, self.options.authorities) {
            Ok(valid) => valid,
            Err(problems) => {
                self.summary.rejected += 1;
                self.problems.extend(problems);
                return;
            }
        };
        let source = self.source(&valid.source);
        let file = self.file(&valid.file);
        let stored: Vec<Stored> = valid
            .grades
            .iter()
            .filter_map(|grade| {
                let judgement = *self
                    .judgement_index
                    .get(&valid.year)?
                    .get(grade.judgement.as_str())?;
                let scale = &self.years.get(&valid.year)?.judgements[usize::from(judgement)].scale;
                let position = scale.values.iter().position(|v| v.number == grade.value)?;
                Some(Stored {
                    judgement,
                    position: u8::try_from(position).ok()?,
                    source,
                    file,
                    line: u32::try_from(grade.line).unwrap_or(u32::MAX),
                    column: u16::try_from(grade.column).unwrap_or(u16::MAX),
                })
            })
            .collect();
        if let Err(first) = self.store(&valid.authority, valid.year, stored) {
            let first = format!("{}:{}", self.files[first.file as usize], first.line);
            self.summary.rejected += 1;
            self.problems.push(
                Problem::at("duplicate-record", &record.text, record.span.clone(), format!("a repeat: the same source already gave these grades for this authority and year (first at {first})"))
                    .with_help("a repeated record would count twice; remove one copy"),
            );
        }
    }

    /// Merge checked grades into their assessment, or return the first of them already given by
    /// the same source: a record whose every grade its source already gave would count twice.
    fn store(
        &mut self,
        authority: &Arc<Authority>,
        year: i64,
        stored: Vec<Stored>,
    ) -> Result<(), Stored> {
        let published = self.judgement_index.get(&year).map_or(0, HashMap::len);
        let group = self
            .groups
            .entry((Arc::as_ptr(authority) as usize, year))
            .or_insert_with(|| Group {
                authority: authority.clone(),
                // Most assessments publish every judgement of their year once: size for that.
                grades: Vec::with_capacity(published),
            });
        let repeats: Option<Vec<&Stored>> = stored
            .iter()
            .map(|new| {
                group.grades.iter().find(|old| {
                    old.source == new.source
                        && old.judgement == new.judgement
                        && old.position == new.position
                })
            })
            .collect();
        if let Some(first) = repeats.and_then(|r| r.first().copied()) {
            return Err(*first);
        }
        self.summary.checked += 1;
        group.grades.extend(stored);
        Ok(())
    }

    /// The happy path of a CSV row, straight from its fields: taken only when every field is
    /// valid; anything else is declined and goes through [`Checker::add_record`], which reports it.
    fn take_row(
        &mut self,
        fields: &csv::StringRecord,
        line: usize,
        line_text: &str,
        file: u32,
    ) -> bool {
        let field = |index: usize| fields.get(index).map(str::trim).unwrap_or("");
        let (written, year, judgement, grade, document, locator) =
            (field(0), field(1), field(2), field(3), field(4), field(5));
        if written.is_empty() || document.is_empty() {
            return false;
        }
        let Ok(year) = year.parse::<i64>() else {
            return false;
        };
        let (Some(rules), Some(index)) = (
            self.years.get(&year),
            self.judgement_index
                .get(&year)
                .and_then(|i| i.get(judgement).copied()),
        ) else {
            return false;
        };
        let scale = &rules.judgements[usize::from(index)].scale;
        let position = match grade.parse::<i64>() {
            Ok(number) => scale.values.iter().position(|v| v.number == number),
            Err(_) if grade.parse::<f64>().is_ok() => None,
            Err(_) => scale
                .find(grade)
                .and_then(|found| scale.values.iter().position(|v| v.number == found.number)),
        };
        let Some(position) = position.and_then(|p| u8::try_from(p).ok()) else {
            return false;
        };
        let authority = match self.authority_cache.get(written) {
            Some(authority) => authority.clone(),
            None => match self.options.authorities.resolve(written) {
                Ok(authority) => {
                    self.authority_cache
                        .insert(written.to_owned(), authority.clone());
                    authority.clone()
                }
                Err(_) => return false,
            },
        };
        let source = self.source_of(document, locator);
        let offset = crate::records::field_offset(line_text, 2).0;
        let column = line_text
            .get(..offset)
            .map_or(0, |before| before.chars().count())
            + 1;
        let stored = Stored {
            judgement: index,
            position,
            source,
            file,
            line: u32::try_from(line).unwrap_or(u32::MAX),
            column: u16::try_from(column).unwrap_or(u16::MAX),
        };
        // A repeat is declined here and reported by the record path.
        if self.store(&authority, year, vec![stored]).is_err() {
            return false;
        }
        self.summary.records += 1;
        true
    }

    /// Read a CSV text into the checker row by row; well-formed rows take the fast path.
    pub fn add_csv(&mut self, text: &ratings_core::SourceText) {
        let file = self.file(&text.name);
        let unreadable = crate::records::read_csv_each(
            text,
            &mut CsvInto {
                checker: self,
                file,
            },
        );
        self.add_streamed_file(unreadable);
    }

    /// Evaluate every assessment in order (authority, then year), handing the problems and then
    /// each result to `sink`; return the summary and the problems, sorted.
    pub fn finish(mut self, sink: &mut dyn Sink) -> (Summary, Vec<Problem>) {
        let models: BTreeMap<i64, Model> = self
            .years
            .iter()
            .map(|(year, rules)| (*year, Model::new(rules)))
            .collect();
        // Disagreements inside letters go to their assessment; one whose records were all
        // rejected becomes a problem, so nothing is lost.
        let mut by_assessment: HashMap<(String, i64), Vec<Finding>> = HashMap::default();
        let present: std::collections::HashSet<(String, i64)> = self
            .groups
            .iter()
            .map(|((_, year), group)| (group.authority.name.clone(), *year))
            .collect();
        for document_finding in std::mem::take(&mut self.document_findings) {
            let authority = self
                .options
                .authorities
                .resolve(&document_finding.authority)
                .map(|a| a.name.clone())
                .unwrap_or_default();
            let key = (authority, document_finding.year);
            if present.contains(&key) {
                by_assessment.entry(key).or_default().push(Finding {
                    message: document_finding.message.clone(),
                    judgements: vec![document_finding.judgement.clone()],
                    lines: document_finding.lines.clone(),
                    ..finding(document_finding.code, Severity::Error, None)
                });
            } else {
                self.problems.push(Problem::in_file(
                    document_finding.code,
                    document_finding.file.clone(),
                    document_finding.message.clone(),
                ));
            }
        }
        // Problems in a stable order, whatever the order of the inputs.
        self.problems.sort_by(|a, b| {
            (&a.file, a.line, a.column, a.code, &a.message)
                .cmp(&(&b.file, b.line, b.column, b.code, &b.message))
        });
        sink.problems(&self.problems);
        let mut cache = RefutationCache::default();
        let mut groups: Vec<((String, i64), Group)> = std::mem::take(&mut self.groups)
            .into_iter()
            .map(|((_, year), group)| ((group.authority.name.clone(), year), group))
            .collect();
        groups.sort_by(|a, b| a.0.cmp(&b.0));
        for ((authority, year), group) in groups {
            // INVARIANT: groups exist only for years with rules.
            let (Some(rules), Some(model)) = (self.years.get(&year), models.get(&year)) else {
                continue;
            };
            let mut result = assess(
                &authority,
                year,
                &group,
                &self,
                rules,
                model,
                &mut cache,
                self.options.budget,
            );
            if let Some(findings) = by_assessment.remove(&(authority, year)) {
                result.findings.extend(findings);
                result.findings.sort_by(|a, b| {
                    (a.severity, a.code, &a.rule).cmp(&(b.severity, b.code, &b.rule))
                });
            }
            let summary = &mut self.summary;
            summary.assessments += 1;
            match result.verdict {
                Verdict::Consistent => summary.consistent += 1,
                Verdict::Inconsistent => summary.inconsistent += 1,
                Verdict::Unverifiable => summary.unverifiable += 1,
                Verdict::Undecided => summary.undecided += 1,
            }
            if result
                .findings
                .iter()
                .any(|f| f.code == "conflicting-sources")
            {
                summary.conflicts += 1;
            }
            sink.result(result);
        }
        (self.summary, self.problems)
    }

    fn source(&mut self, source: &Source) -> u32 {
        self.source_of(&source.document, &source.locator)
    }

    fn source_of(&mut self, document: &str, locator: &str) -> u32 {
        // Looked up by document, then locator, so that a source seen before costs no allocation.
        if let Some(&index) = self
            .source_index
            .get(document)
            .and_then(|by_locator| by_locator.get(locator))
        {
            return index;
        }
        let document: Arc<str> = match self.source_index.get_key_value(document) {
            Some((document, _)) => document.clone(),
            None => Arc::from(document),
        };
        let locator: Arc<str> = Arc::from(locator);
        let index = u32::try_from(self.sources.len()).unwrap_or(u32::MAX);
        self.sources.push((document.clone(), locator.clone()));
        self.source_index
            .entry(document)
            .or_default()
            .insert(locator, index);
        index
    }

    /// The label of a grade ("good (3)"), shared: one string per judgement and value of a year.
    fn label(&self, year: i64, judgement: u16, position: u8) -> Arc<str> {
        // INVARIANT: stored positions come from the year's scales, as the labels do.
        self.labels
            .get(&year)
            .and_then(|by_judgement| by_judgement.get(usize::from(judgement)))
            .and_then(|labels| labels.get(usize::from(position)))
            .cloned()
            .unwrap_or_else(|| Arc::from(""))
    }

    fn file(&mut self, name: &str) -> u32 {
        if let Some(&index) = self.file_index.get(name) {
            return index;
        }
        let name: Arc<str> = Arc::from(name);
        let index = u32::try_from(self.files.len()).unwrap_or(u32::MAX);
        self.files.push(name.clone());
        self.file_index.insert(name, index);
        index
    }
}

#[expect(
    clippy::too_many_arguments,
    reason = "the one place that turns a stored group into a result"
)]
fn assess(
    authority: &str,
    year: i64,
    group: &Group,
    checker: &Checker<'_>,
    rules: &YearRules,
    model: &Model,
    cache: &mut RefutationCache,
    budget_limit: u64,
) -> AssessmentResult {
    let mut published: BTreeMap<String, Vec<Published>> = BTreeMap::new();
    for grade in &group.grades {
        let judgement = &rules.judgements[usize::from(grade.judgement)];
        let (document, locator) = &checker.sources[grade.source as usize];
        published
            .entry(judgement.judgement.id.clone())
            .or_default()
            .push(Published {
                value: judgement.scale.values[usize::from(grade.position)].number,
                label: checker.label(year, grade.judgement, grade.position),
                document: document.clone(),
                locator: locator.clone(),
                file: checker.files[grade.file as usize].clone(),
                line: grade.line as usize,
                column: grade.column as usize,
            });
    }
    let mut result = AssessmentResult {
        authority: authority.to_owned(),
        la_code: group.authority.code.clone(),
        year,
        verdict: Verdict::Undecided,
        findings: Vec::new(),
        published,
        allowed: BTreeMap::new(),
        implied: BTreeMap::new(),
        tested_by: None,
    };
    let mut given = Assignment::new();
    for (judgement, sources) in &result.published {
        let first = &sources[0];
        match sources.iter().find(|s| s.value != first.value) {
            None => {
                given.insert(judgement.clone(), first.value);
            }
            Some(other) => result.findings.push(Finding {
                message: format!(
                    "sources disagree on `{judgement}`: {} gives {}, {} gives {}; the grade is left out of the check",
                    source_name(first),
                    first.label,
                    source_name(other),
                    other.label
                ),
                judgements: vec![judgement.clone()],
                ..finding("conflicting-sources", Severity::Error, None)
            }),
        }
    }
    let mut budget = Budget::new(budget_limit);
    if let Err(error) = evaluate(&mut result, &given, rules, model, cache, &mut budget) {
        result.verdict = Verdict::Undecided;
        result.findings.push(Finding {
            message: format!("{error}; raise the limit with `--budget`"),
            ..finding("budget-exceeded", Severity::Error, None)
        });
    }
    result
        .findings
        .sort_by(|a, b| (a.severity, a.code, &a.rule).cmp(&(b.severity, b.code, &b.rule)));
    result
}

/// Refutations already found, by year and published judgements.
/// Keyed by year and the set of published judgements, as a bit set of their indices in the
/// year (a year has at most 64 judgements where this is used; larger sets are not cached).
type RefutationCache = HashMap<(i64, u64), Option<Assignment>>;

fn evaluate(
    result: &mut AssessmentResult,
    given: &Assignment,
    rules: &YearRules,
    model: &Model,
    cache: &mut RefutationCache,
    budget: &mut Budget,
) -> Result<(), EngineError> {
    let allowed = model.allowed(given, budget)?;
    result.allowed.clone_from(&allowed.values);
    if !allowed.consistent {
        result.verdict = Verdict::Inconsistent;
        let Some(core) = model.conflict(given, budget)? else {
            return Ok(());
        };
        // What each contradicting grade could have been, given all the other published grades.
        let mut allowed_instead = BTreeMap::new();
        for judgement in core.given.keys() {
            let mut others = given.clone();
            others.remove(judgement);
            let without = model.allowed(&others, budget)?;
            allowed_instead.insert(
                judgement.clone(),
                without.values.get(judgement).cloned().unwrap_or_default(),
            );
        }
        let grades = describe_assignment(rules, &core.given);
        for rule in &core.rules {
            let Some(constraint) = rules.constraint(rule) else {
                continue;
            };
            let mut judgements: Vec<String> = core.given.keys().cloned().collect();
            for judgement in constraint.judgements() {
                if !judgements.iter().any(|j| j == judgement) {
                    judgements.push(judgement.to_owned());
                }
            }
            let instead: Vec<String> = allowed_instead
                .iter()
                .map(|(j, values)| format!("{j} could be {}", describe_values(rules, j, values)))
                .collect();
            result.findings.push(Finding {
                message: format!(
                    "the published grades {grades} break `{rule}`: {}; given the other grades, {}",
                    constraint.text,
                    instead.join(", ")
                ),
                judgements,
                evidence: core.given.clone(),
                allowed_instead: allowed_instead.clone(),
                ..rule_finding("rule-broken", Severity::Error, constraint)
            });
        }
        return Ok(());
    }
    let published: Vec<String> = given.keys().cloned().collect();
    // Whether other grades would have been rejected depends only on which judgements were
    // published, not on their grades, so it is computed once per year and set of judgements.
    let bits = published.iter().try_fold(0u64, |bits, id| {
        let index = rules
            .judgements
            .iter()
            .position(|j| &j.judgement.id == id)?;
        (index < 64).then(|| bits | (1 << index))
    });
    let refutation = match bits.map(|bits| (rules.year, bits)) {
        Some(key) => match cache.get(&key) {
            Some(cached) => cached.clone(),
            None => {
                let found = model.refutation(&published, budget)?;
                cache.insert(key, found.clone());
                found
            }
        },
        None => model.refutation(&published, budget)?,
    };
    match refutation {
        Some(alternative) => {
            result.verdict = Verdict::Consistent;
            result.tested_by = Some(alternative);
        }
        None => {
            result.verdict = Verdict::Unverifiable;
            result.findings.push(Finding {
                message: "any grades whatever for the published judgements would pass the rules, so the check says nothing about them".to_owned(),
                judgements: published.clone(),
                ..finding("unverifiable", Severity::Info, None)
            });
        }
    }
    for constraint in rules
        .constraints
        .iter()
        .filter(|c| c.strength == Strength::Usually)
    {
        if !model.satisfiable_with(given, &[constraint.id.as_str()], budget)? {
            let judgements: Vec<String> = constraint
                .judgements()
                .iter()
                .map(|j| (*j).to_owned())
                .collect();
            let involved: Assignment = given
                .iter()
                .filter(|(j, _)| judgements.contains(j))
                .map(|(j, v)| (j.clone(), *v))
                .collect();
            result.findings.push(Finding {
                message: format!(
                    "the published grades {} depart from what `{}` says usually holds: {}",
                    describe_assignment(rules, &involved),
                    constraint.id,
                    constraint.text
                ),
                judgements,
                evidence: involved,
                ..rule_finding("departs-from-usual", Severity::Warning, constraint)
            });
        }
    }
    let implied: Vec<&str> = rules
        .judgements
        .iter()
        .filter(|j| {
            !j.judgement.latent
                && !given.contains_key(&j.judgement.id)
                && !result.published.contains_key(&j.judgement.id)
        })
        .filter(|j| {
            allowed
                .values
                .get(&j.judgement.id)
                .is_some_and(|v| v.len() < j.scale.values.len())
        })
        .map(|j| j.judgement.id.as_str())
        .collect();
    let reasons = if implied.is_empty() {
        BTreeMap::new()
    } else {
        model.reasons_for(given, &allowed, &implied, budget)?
    };
    for judgement in &rules.judgements {
        let id = &judgement.judgement.id;
        if judgement.judgement.latent || given.contains_key(id) || result.published.contains_key(id)
        {
            continue;
        }
        let values = allowed.values.get(id).cloned().unwrap_or_default();
        if values.len() < judgement.scale.values.len() {
            result.findings.push(Finding {
                message: format!(
                    "the published grades imply {id} is {}",
                    describe_values(rules, id, &values)
                ),
                judgements: vec![id.clone()],
                because: reasons.get(id).cloned().unwrap_or_default(),
                ..finding("implied-grade", Severity::Info, None)
            });
            result.implied.insert(id.clone(), values);
        }
    }
    Ok(())
}

fn finding(code: &'static str, severity: Severity, rule: Option<String>) -> Finding {
    Finding {
        code,
        severity,
        rule,
        judgements: Vec::new(),
        message: String::new(),
        text: None,
        basis: None,
        strength: None,
        cite: None,
        evidence: Assignment::new(),
        allowed_instead: BTreeMap::new(),
        because: Vec::new(),
        lines: Vec::new(),
    }
}

fn rule_finding(
    code: &'static str,
    severity: Severity,
    constraint: &ratings_core::Constraint,
) -> Finding {
    Finding {
        text: Some(constraint.text.clone()),
        basis: Some(constraint.basis),
        strength: Some(constraint.strength),
        cite: Some(constraint.cite.clone()),
        ..finding(code, severity, Some(constraint.id.clone()))
    }
}

fn source_name(published: &Published) -> String {
    format!("{} ({})", published.document, published.locator)
}

/// `a = good (3), b = inadequate (1)`.
pub fn describe_assignment(rules: &YearRules, assignment: &Assignment) -> String {
    let parts: Vec<String> = assignment
        .iter()
        .map(|(j, v)| match rules.judgement(j) {
            Some(found) => format!("{j} = {}", found.scale.describe(*v)),
            None => format!("{j} = {v}"),
        })
        .collect();
    parts.join(", ")
}

/// `inadequate (1) or adequate (2)`.
pub fn describe_values(rules: &YearRules, judgement: &str, values: &[i64]) -> String {
    if values.is_empty() {
        return "nothing (the other grades already contradict the rules)".to_owned();
    }
    let parts: Vec<String> = values
        .iter()
        .map(|v| {
            rules
                .judgement(judgement)
                .map_or_else(|| v.to_string(), |j| j.scale.describe(*v))
        })
        .collect();
    parts.join(" or ")
}

impl Source {
    pub fn describe(&self) -> String {
        format!("{}, {}", self.document, self.locator)
    }
}
