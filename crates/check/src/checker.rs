//! Intake: records go into a [`Checker`] one at a time and are kept as packed grades per
//! assessment (one authority, one period); [`Checker::finish`] then evaluates each assessment
//! in order (see `evaluate`) and hands the results to a [`Sink`].

use std::sync::Arc;

use ratings_core::{Code, Period, Problem, RuleBook, SourceText};
use rustc_hash::FxHashMap as HashMap;

use crate::authority::{Authorities, Authority, Resolved};
use crate::evaluate::{self, Evaluation, RefutationCache};
use crate::periods::Periods;
use crate::read_csv::{read_csv_each, RowSink};
use crate::record::{
    period_of_text, resolve_grade, validate, Record, Source, WrittenPeriod, WrittenValue,
};
use crate::result::{AssessmentResult, Report, Sink, Summary};
use crate::ReadFile;

/// How to check: the search budget per assessment and the table of authorities.
#[derive(Debug, Clone, Copy)]
pub struct CheckOptions<'a> {
    /// Search steps each assessment may spend.
    pub budget: u64,
    /// Authority names are matched against this table.
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

/// A disagreement found inside one document (a letter or report), to be reported with the
/// assessment it concerns.
#[derive(Debug, Clone, serde::Serialize)]
pub struct DocumentFinding {
    /// The document, for messages.
    #[serde(skip)]
    pub file: String,
    /// `label-mismatch`, `narrative-mismatch` and the like.
    pub code: Code,
    /// The authority as the document names it.
    pub authority: String,
    /// The assessment's period.
    #[serde(skip)]
    pub period: Period,
    /// The judgement concerned.
    pub judgement: String,
    /// Every line involved.
    pub lines: Vec<usize>,
    /// One line.
    pub message: String,
    /// The other grade the document states for the judgement (on the last of `lines`), where
    /// it states two: the assessment is checked with it as well as with the grade its record
    /// carries.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alternative: Option<i64>,
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

struct Collect<'r>(&'r mut Vec<AssessmentResult>);

impl Sink for Collect<'_> {
    fn result(&mut self, result: AssessmentResult) {
        self.0.push(result);
    }
}

/// Checks records as they arrive, keeping only what the verdicts need: for each assessment, the
/// judgement, grade, source and position of each published grade.
pub struct Checker<'a> {
    book: &'a RuleBook,
    options: CheckOptions<'a>,
    periods: Periods<'a>,
    summary: Summary,
    problems: Vec<Problem>,
    /// Assessments by authority (interned) and period.
    groups: HashMap<(u32, Period), Group>,
    authorities: Vec<Arc<Authority>>,
    authority_ids: HashMap<String, u32>,
    /// Authorities already resolved, by the name as written and the period.
    resolved: HashMap<(String, Period), Option<u32>>,
    /// Distinct (document, locator) pairs.
    sources: Vec<(Arc<str>, Arc<str>)>,
    source_index: HashMap<Arc<str>, HashMap<Arc<str>, u32>>,
    files: Vec<Arc<str>>,
    file_index: HashMap<Arc<str>, u32>,
    document_findings: Vec<DocumentFinding>,
}

/// The published grades of one assessment.
pub(crate) struct Group {
    pub context: usize,
    pub grades: Vec<Stored>,
}

/// One published grade, packed (16 bytes): a large check holds a million of these.
#[derive(Clone, Copy)]
pub(crate) struct Stored {
    /// Index into the period's judgements.
    pub judgement: u16,
    /// Rank of the grade on the judgement's scale (scales have at most 64 values).
    pub rank: u8,
    /// Saturates at 65535 (only shown, never used to find anything).
    pub column: u16,
    pub source: u32,
    pub file: u32,
    pub line: u32,
}

/// Feeds CSV rows to a checker: well-formed rows straight, the rest as records.
struct CsvInto<'c, 'a> {
    checker: &'c mut Checker<'a>,
    file: u32,
}

impl RowSink for CsvInto<'_, '_> {
    fn row(&mut self, fields: &csv::StringRecord, line: usize, line_text: &str) -> bool {
        self.checker.take_row(fields, line, line_text, self.file)
    }

    fn record(&mut self, record: Record) {
        self.checker.add_record(&record);
    }
}

impl<'a> Checker<'a> {
    /// A checker with nothing in it.
    pub fn new(book: &'a RuleBook, options: CheckOptions<'a>) -> Self {
        Checker {
            book,
            options,
            periods: Periods::new(book),
            summary: Summary::default(),
            problems: Vec::new(),
            groups: HashMap::default(),
            authorities: Vec::new(),
            authority_ids: HashMap::default(),
            resolved: HashMap::default(),
            sources: Vec::new(),
            source_index: HashMap::default(),
            files: Vec::new(),
            file_index: HashMap::default(),
            document_findings: Vec::new(),
        }
    }

    /// One file: its records, or the reason it could not be read, and any disagreements found
    /// inside it (letters and reports).
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

    /// A file found and left out: a warning, counted.
    pub fn add_skipped(&mut self, warning: Problem) {
        self.summary.skipped_files += 1;
        self.problems.push(warning);
    }

    /// One record: checked and merged into its assessment, or rejected with its problems.
    pub fn add_record(&mut self, record: &Record) {
        self.summary.records += 1;
        let valid = match validate(record, &mut self.periods, self.options.authorities) {
            Ok(valid) => valid,
            Err(problems) => {
                self.summary.rejected += 1;
                self.problems.extend(problems);
                return;
            }
        };
        let source = self.source(&valid.source);
        let file = self.file(&valid.file);
        let authority = self.intern(&valid.authority);
        let stored: Vec<Stored> = valid
            .grades
            .iter()
            .map(|grade| Stored {
                judgement: grade.judgement,
                rank: grade.rank,
                source,
                file,
                line: u32::try_from(grade.line).unwrap_or(u32::MAX),
                column: u16::try_from(grade.column).unwrap_or(u16::MAX),
            })
            .collect();
        if let Err(first) = self.store(authority, valid.period, valid.context, stored) {
            let first = format!("{}:{}", self.files[first.file as usize], first.line);
            self.summary.rejected += 1;
            self.problems.push(
                Problem::at(
                    Code::DuplicateRecord,
                    &record.text,
                    record.span.clone(),
                    format!("a repeat: the same source already gave these grades for this authority and period (first at {first})"),
                )
                .with_help("a repeated record would count twice; remove one copy"),
            );
        }
    }

    /// Read a wide table through a column map, row by row.
    pub fn add_wide(&mut self, text: &SourceText, map: &crate::columns::ColumnMap) {
        let book = self.book;
        let mut records = Vec::new();
        // Rows arrive through a closure that cannot borrow the checker while reading; each
        // row is checked as soon as the reader hands it over.
        let read = crate::columns::read_wide(text, map, book, &mut |record| records.push(record));
        self.summary.ignored_columns += read.unknown_columns.len();
        self.problems.extend(read.unknown_columns);
        self.summary.files += 1;
        if let Some(problem) = read.unreadable {
            self.summary.unreadable_files += 1;
            self.problems.push(problem);
        }
        for record in &records {
            self.add_record(record);
        }
    }

    /// Read a CSV text in the long layout into the checker row by row; well-formed rows take
    /// the fast path.
    pub fn add_csv(&mut self, text: &SourceText) {
        let file = self.file(&text.name);
        let unreadable = read_csv_each(
            text,
            &mut CsvInto {
                checker: self,
                file,
            },
        );
        self.add_streamed_file(unreadable);
    }

    /// Evaluate every assessment in order (authority, then period), handing the problems and
    /// then each result to `sink`; return the summary and the problems, sorted.
    pub fn finish(mut self, sink: &mut dyn Sink) -> (Summary, Vec<Problem>) {
        // Disagreements inside documents go to their assessment; one whose records were all
        // rejected becomes a problem, so nothing is lost.
        let mut by_assessment: HashMap<(u32, Period), Vec<DocumentFinding>> = HashMap::default();
        for document_finding in std::mem::take(&mut self.document_findings) {
            let key = match self
                .options
                .authorities
                .resolve(&document_finding.authority, Some(document_finding.period))
            {
                Resolved::Found(found) => self
                    .authority_ids
                    .get(&found.code)
                    .map(|&id| (id, document_finding.period)),
                _ => None,
            };
            match key.filter(|key| self.groups.contains_key(key)) {
                Some(key) => by_assessment.entry(key).or_default().push(document_finding),
                None => self.problems.push(Problem::in_file(
                    document_finding.code,
                    document_finding.file.clone(),
                    document_finding.message.clone(),
                )),
            }
        }
        // Problems in a stable order, whatever the order of the inputs.
        self.problems.sort_by(|a, b| {
            (&a.file, a.line, a.column, a.code, &a.message)
                .cmp(&(&b.file, b.line, b.column, b.code, &b.message))
        });
        sink.problems(&self.problems);
        let mut cache = RefutationCache::default();
        let mut groups: Vec<((u32, Period), Group)> =
            std::mem::take(&mut self.groups).into_iter().collect();
        groups.sort_by(|(a, _), (b, _)| {
            (&self.authorities[a.0 as usize].name, a.1)
                .cmp(&(&self.authorities[b.0 as usize].name, b.1))
        });
        for ((authority, period), group) in groups {
            let evaluation = Evaluation {
                book: self.book,
                context: self.periods.context(group.context),
                sources: &self.sources,
                files: &self.files,
                budget: self.options.budget,
            };
            let documents = by_assessment
                .remove(&(authority, period))
                .unwrap_or_default();
            let result = evaluate::assess(
                &evaluation,
                &self.authorities[authority as usize],
                period,
                &group,
                &documents,
                &mut cache,
            );
            let summary = &mut self.summary;
            summary.assessments += 1;
            match result.verdict {
                crate::Verdict::Consistent => summary.consistent += 1,
                crate::Verdict::Inconsistent => summary.inconsistent += 1,
                crate::Verdict::Unverifiable => summary.unverifiable += 1,
                crate::Verdict::Undecided => summary.undecided += 1,
                crate::Verdict::Disputed => summary.disputed += 1,
            }
            let conflicting = result
                .findings
                .iter()
                .any(|f| f.code == Code::ConflictingSources);
            if conflicting || !result.alternatives.is_empty() {
                summary.conflicts += 1;
            }
            sink.result(result);
        }
        (self.summary, self.problems)
    }

    /// Merge checked grades into their assessment, or return the first of them already given
    /// by the same source: a record whose every grade its source already gave would count
    /// twice.
    fn store(
        &mut self,
        authority: u32,
        period: Period,
        context: usize,
        stored: Vec<Stored>,
    ) -> Result<(), Stored> {
        let published = self.periods.context(context).published.len();
        let group = self
            .groups
            .entry((authority, period))
            .or_insert_with(|| Group {
                context,
                // Most assessments publish every judgement of their period once: size for that.
                grades: Vec::with_capacity(published),
            });
        let repeats: Option<Vec<&Stored>> = stored
            .iter()
            .map(|new| {
                group.grades.iter().find(|old| {
                    old.source == new.source
                        && old.judgement == new.judgement
                        && old.rank == new.rank
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
    /// valid; anything else is declined and goes through [`Checker::add_record`], which reports
    /// it. The grade is read by the same [`resolve_grade`] as every record.
    fn take_row(
        &mut self,
        fields: &csv::StringRecord,
        line: usize,
        line_text: &str,
        file: u32,
    ) -> bool {
        let field = |index: usize| fields.get(index).map(str::trim).unwrap_or("");
        let (written, period, judgement, grade, document, locator) =
            (field(0), field(1), field(2), field(3), field(4), field(5));
        if written.is_empty() || document.is_empty() {
            return false;
        }
        let period = match period_of_text(period) {
            WrittenPeriod::Year(year) => match i32::try_from(year) {
                Ok(year) if (1..=9999).contains(&year) => Period::Year(year),
                _ => return false,
            },
            WrittenPeriod::Date(day) => Period::Date(day),
            WrittenPeriod::Invalid(_) => return false,
        };
        let Ok(context) = self.periods.get(period) else {
            return false;
        };
        let rules = self.periods.context(context);
        let Some(&index) = rules.published.get(judgement) else {
            return false;
        };
        let scale = &rules.rules.judgements()[usize::from(index)].scale;
        let Ok(level) = resolve_grade(scale, &WrittenValue::Text(grade.to_owned())) else {
            return false;
        };
        let Ok(rank) = u8::try_from(level.rank) else {
            return false;
        };
        let key = (written.to_owned(), period);
        let authority = match self.resolved.get(&key) {
            Some(found) => *found,
            None => {
                let found = match self.options.authorities.resolve(written, Some(period)) {
                    Resolved::Found(found) => Some(found.clone()),
                    _ => None,
                };
                let id = found.map(|found| self.intern(&found));
                self.resolved.insert(key, id);
                id
            }
        };
        let Some(authority) = authority else {
            return false;
        };
        let source = self.source_of(document, locator);
        let offset = crate::read_csv::field_offset(line_text, 2).0;
        let column = line_text
            .get(..offset)
            .map_or(0, |before| before.chars().count())
            + 1;
        let stored = Stored {
            judgement: index,
            rank,
            source,
            file,
            line: u32::try_from(line).unwrap_or(u32::MAX),
            column: u16::try_from(column).unwrap_or(u16::MAX),
        };
        // A repeat is declined here and reported by the record path.
        if self
            .store(authority, period, context, vec![stored])
            .is_err()
        {
            return false;
        }
        self.summary.records += 1;
        true
    }

    fn intern(&mut self, authority: &Arc<Authority>) -> u32 {
        if let Some(&id) = self.authority_ids.get(&authority.code) {
            return id;
        }
        let id = u32::try_from(self.authorities.len()).unwrap_or(u32::MAX);
        self.authorities.push(authority.clone());
        self.authority_ids.insert(authority.code.clone(), id);
        id
    }

    fn source(&mut self, source: &Source) -> u32 {
        self.source_of(&source.document, &source.locator)
    }

    fn source_of(&mut self, document: &str, locator: &str) -> u32 {
        // Looked up by document, then locator, so that a source seen before costs no allocation.
        if let Some(&index) = self
            .source_index
            .get(document)
            .and_then(|by| by.get(locator))
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
