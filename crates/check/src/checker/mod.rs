//! Intake: records go into a [`Checker`] one at a time and are kept as packed grades per
//! assessment (one authority, one period); [`Checker::finish`] then evaluates each assessment
//! in order (see `evaluate`) and hands the results to a [`Sink`](crate::Sink) (`finish.rs`, which also
//! evaluates on every core in ordered batches).

mod finish;

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::NaiveDate;
use ratings_core::{Code, Overrides, Period, Problem, RuleBook, SourceText};
use rustc_hash::FxHashMap as HashMap;

use crate::assessment::DocumentFinding;
use crate::authority::{Authorities, Authority, Resolved};
use crate::contexts::Periods;
use crate::read_csv::{read_csv_each, RowSink};
use crate::record::{
    period_of_text, resolve_grade_text, validate, Record, ValidRecord, WrittenPeriod,
};
use crate::result::{Report, Summary};
use crate::store::{self, SourceRef, Store};
use crate::stream_csv::{read_stream, StreamSink, Streamed};
use crate::subject::{Labels, Subject, SubjectKind};
use crate::ReadFile;

/// How to check: the search budget per assessment, the table of authorities, and the
/// auditor's severities for codes (`--allow`, `--warn`, `--deny`).
#[derive(Debug, Clone, Copy)]
pub struct CheckOptions<'a> {
    /// Search steps each assessment may spend.
    pub budget: u64,
    /// Authority names are matched against this table.
    pub authorities: &'a Authorities,
    /// The severity of findings and warnings by code, where the auditor sets it.
    pub overrides: &'a Overrides,
}

impl Default for CheckOptions<'static> {
    fn default() -> Self {
        static NONE: std::sync::OnceLock<Overrides> = std::sync::OnceLock::new();
        CheckOptions {
            budget: ratings_core::DEFAULT_BUDGET,
            authorities: Authorities::builtin(),
            overrides: NONE.get_or_init(Overrides::default),
        }
    }
}

/// Check every record of the files against the rule book, collecting every result.
pub fn check(book: &RuleBook, files: &[ReadFile], options: &CheckOptions<'_>) -> Report {
    let mut checker = Checker::new(book, *options);
    for file in files {
        checker.add_file(file);
    }
    checker.report()
}

/// Checks records as they arrive, keeping only what the verdicts need: for each assessment, the
/// judgement, grade, source and position of each published grade, packed (see `store`).
pub struct Checker<'a> {
    book: &'a RuleBook,
    options: CheckOptions<'a>,
    periods: Periods<'a>,
    summary: Summary,
    problems: Vec<Problem>,
    /// Every assessment's grades.
    store: Store,
    /// Every subject met (authorities and providers), by interned id.
    subjects: Vec<Arc<Subject>>,
    /// The subjects' ids by what tells subjects apart (see [`Subject::same_subject`]): by its hash,
    /// compared with the subjects themselves, so that no key is held as a string.
    subject_ids: hashbrown::HashTable<u32>,
    /// Each provider's inspections met so far, to tell which records are one inspection.
    inspections: HashMap<u32, Vec<Inspection>>,
    /// What the sources say of each provider assessment besides grades, by store index.
    labels: HashMap<u32, Labels>,
    /// Records counted as not graded, by reason.
    not_graded: BTreeMap<String, usize>,
    /// Authorities already resolved, by the name as written: once for every period where the
    /// name means the same whatever the period, else by period.
    resolved_any_time: HashMap<Box<str>, Option<u32>>,
    resolved: HashMap<(Box<str>, Period), Option<u32>>,
    /// Distinct source documents, and where each was first met (file, line).
    documents: Vec<Arc<str>>,
    document_first: Vec<(u32, u32)>,
    document_index: HashMap<Arc<str>, u32>,
    files: Vec<Arc<str>>,
    file_index: HashMap<Arc<str>, u32>,
    document_findings: Vec<DocumentFinding>,
    /// Records dated by publication, to join their inspections when all is read.
    deferred: Vec<Record>,
    /// The last row's period, authority and document as written, and what they gave: rows of
    /// one assessment follow each other, so most rows look nothing up.
    last: LastRow,
    /// Whether a long CSV file is read and split on a thread of its own (see
    /// [`Checker::threads`]).
    reading_thread: bool,
}

/// One inspection of a provider, as first met.
struct Inspection {
    /// The day its first record gives.
    day: NaiveDate,
    /// The assessment's period: that day.
    period: Period,
    /// The rules in force then.
    context: usize,
    /// Its numbers, each with the column it was read from.
    numbers: Vec<(String, String)>,
    /// `file:line` of its first record, for messages.
    first: String,
}

/// What the fast path found for the last row it took.
#[derive(Default)]
struct LastRow {
    period_text: String,
    period: Option<(Period, usize)>,
    authority_text: String,
    authority: Option<(Period, u32)>,
    document_text: String,
    document: Option<u32>,
}

/// Feeds CSV rows to a checker: well-formed rows straight, the rest as records.
struct CsvInto<'c, 'a> {
    checker: &'c mut Checker<'a>,
    file: u32,
}

impl RowSink for CsvInto<'_, '_> {
    fn row(&mut self, fields: &csv::StringRecord, line: usize, line_text: &str) -> bool {
        let field = |index: usize| fields.get(index).unwrap_or("");
        let judgement_at = crate::read_csv::field_offset(line_text, 2).0;
        let column = line_text
            .get(..judgement_at)
            .map_or(0, |before| before.chars().count())
            + 1;
        self.checker.take_row(
            [field(0), field(1), field(2), field(3), field(4), field(5)],
            line,
            column,
            self.file,
        )
    }

    fn record(&mut self, record: Record) {
        self.checker.add_record(&record);
    }
}

impl StreamSink for CsvInto<'_, '_> {
    fn fields(&mut self, fields: [&str; 6], line: usize, column: usize) -> bool {
        self.checker.take_row(fields, line, column, self.file)
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
            store: Store::new(),
            subjects: Vec::new(),
            subject_ids: hashbrown::HashTable::new(),
            inspections: HashMap::default(),
            labels: HashMap::default(),
            not_graded: BTreeMap::new(),
            resolved_any_time: HashMap::default(),
            resolved: HashMap::default(),
            documents: Vec::new(),
            document_first: Vec::new(),
            document_index: HashMap::default(),
            files: Vec::new(),
            file_index: HashMap::default(),
            document_findings: Vec::new(),
            deferred: Vec::new(),
            last: LastRow::default(),
            reading_thread: true,
        }
    }

    /// The threads reading may use: with one, a long CSV file is read, split and taken on
    /// the calling thread; with more (the default), its bytes are read and split on a thread of
    /// their own while its rows are taken. What is read is the same either way.
    pub fn threads(&mut self, threads: usize) {
        self.reading_thread = threads > 1;
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

    /// A warning about an input that loses nothing (a file read in another encoding).
    pub fn add_warning(&mut self, warning: Problem) {
        self.problems.push(warning);
    }

    /// A file found and left out: a warning, counted.
    pub fn add_skipped(&mut self, warning: Problem) {
        self.summary.skipped_files += 1;
        self.problems.push(warning);
    }

    /// One record: checked and merged into its assessment, counted as not graded, or rejected
    /// with its problems.
    pub fn add_record(&mut self, record: &Record) {
        // A record dated by its report's publication only joins its inspection at the end,
        // when every source that dates the inspection has been read.
        if let Some(WrittenPeriod::Published(..)) =
            record.period.as_ref().map(toml::Spanned::get_ref)
        {
            if record.problems.is_empty() && record.not_graded.is_none() {
                self.deferred.push(record.clone());
                return;
            }
        }
        self.summary.records += 1;
        if let Some(reason) = &record.not_graded {
            self.summary.not_graded += 1;
            *self.not_graded.entry(reason.clone()).or_default() += 1;
            return;
        }
        let mut valid = match validate(record, &mut self.periods, self.options.authorities) {
            Ok(valid) => valid,
            Err(problems) => {
                self.summary.rejected += 1;
                self.problems.extend(problems);
                return;
            }
        };
        let authority = self.intern(&valid.subject);
        if valid.subject.kind == SubjectKind::Provider {
            match self.inspection_of(authority, &valid) {
                Ok(period) => valid.period = period,
                Err(why) => {
                    self.summary.rejected += 1;
                    self.problems.push(
                        Problem::at(
                            Code::ConflictingInspection,
                            &record.text,
                            crate::record::header_span(&record.text.text, &record.span),
                            why,
                        )
                        .with_help("the sources disagree on when the inspection was; correct the date in one of them"),
                    );
                    return;
                }
            }
        }
        let file = self.file(&valid.file);
        let document = self.document(
            &valid.source.document,
            file,
            u32::try_from(valid.line).unwrap_or(u32::MAX),
        );
        let grades: Vec<store::Grade> = valid
            .grades
            .iter()
            .map(|grade| store::Grade {
                judgement: grade.judgement,
                rank: grade.rank,
                file,
                source: 0,
                line: u32::try_from(grade.line).unwrap_or(u32::MAX),
                column: u16::try_from(grade.column).unwrap_or(u16::MAX),
            })
            .collect();
        let source = SourceRef {
            document,
            locator: &valid.source.locator,
        };
        let added = self.store.add(
            authority,
            valid.period,
            u32::try_from(valid.context).unwrap_or(u32::MAX),
            &grades,
            &[source],
        );
        match added {
            Ok(Ok(())) => {
                self.summary.checked += 1;
                if valid.subject.kind == SubjectKind::Provider {
                    if let Some(index) = self.store.find(authority, valid.period) {
                        let labels = self.labels.entry(index).or_default();
                        if valid.labels.inspection.is_some() {
                            labels.inspection = valid.labels.inspection.clone();
                        }
                        labels.attributes.extend(valid.labels.attributes.clone());
                    }
                }
            }
            Ok(Err(first)) => {
                let first = format!("{}:{}", self.files[first.file as usize], first.line);
                self.summary.rejected += 1;
                self.problems.push(
                    Problem::at(
                        Code::DuplicateRecord,
                        &record.text,
                        record.span.clone(),
                        format!("a repeat: the same source already gave these grades for this {} and period (first at {first})", valid.subject.kind.as_str()),
                    )
                    .with_help("a repeated record would count twice; remove one copy"),
                );
            }
            Err(store::Full::Capacity) => {
                self.summary.rejected += 1;
                self.problems.push(
                    Problem::at(
                        Code::FileTooLarge,
                        &record.text,
                        record.span.clone(),
                        "too many grades for one run: the grades held reached 4 GiB",
                    )
                    .with_help("check the files in several runs"),
                );
            }
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
        self.problems.extend(read.warnings);
        self.summary.files += 1;
        if let Some(problem) = read.unreadable {
            self.summary.unreadable_files += 1;
            self.problems.push(problem);
        }
        for record in &records {
            self.add_record(record);
        }
    }

    /// Read a CSV file in the long layout from a stream, row by row, never holding the file;
    /// well-formed rows take the fast path. Returns what was read of a file whose first line is
    /// not the long header, untouched: it is then for the caller to read whole (see
    /// `files::read_into`).
    pub fn add_csv_stream(
        &mut self,
        name: &str,
        reader: &mut (dyn std::io::Read + Send),
        limit: u64,
    ) -> Option<Vec<u8>> {
        let file = self.file(name);
        let (summary, problems) = (self.summary, self.problems.len());
        let (documents, deferred) = (self.documents.len(), self.deferred.len());
        self.store.begin();
        let threaded = self.reading_thread;
        let streamed = read_stream(
            name,
            reader,
            limit,
            threaded,
            &mut CsvInto {
                checker: self,
                file,
            },
        );
        match streamed {
            Streamed::Read(problem) => {
                self.store.commit();
                self.add_streamed_file(problem);
                None
            }
            Streamed::Unreadable(problem) => {
                // A file is read whole or not at all: what its rows added is forgotten.
                self.store.rollback();
                self.summary = summary;
                self.problems.truncate(problems);
                for forgotten in self.documents.drain(documents..) {
                    self.document_index.remove(&forgotten);
                }
                self.document_first.truncate(documents);
                self.deferred.truncate(deferred);
                self.last = LastRow::default();
                self.add_file(&ReadFile::unreadable(problem));
                None
            }
            Streamed::NotLong(bytes) => {
                self.store.commit();
                Some(bytes)
            }
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

    /// The happy path of a CSV row, straight from its fields (as written, untrimmed; the third
    /// starts at `column`): taken only when every field is valid; anything else is declined
    /// and goes through [`Checker::add_record`], which reports it. The grade is read by the
    /// same rules as every record's (`resolve_grade`).
    fn take_row(&mut self, fields: [&str; 6], line: usize, column: usize, file: u32) -> bool {
        let [written, period, judgement, grade, document, locator] = fields.map(trim);
        if written.is_empty() || document.is_empty() {
            return false;
        }
        let Some((period, context)) = self.period_of(period) else {
            return false;
        };
        let rules = self.periods.context(context);
        let Some(&index) = rules.published.get(judgement) else {
            return false;
        };
        let scale = &rules.rules.judgements()[usize::from(index)].scale;
        let Ok(level) = resolve_grade_text(scale, grade) else {
            return false;
        };
        let Ok(rank) = u8::try_from(level.rank) else {
            return false;
        };
        let Some(authority) = self.authority_of(written, period) else {
            return false;
        };
        let document = self.document_of(document, file, line);
        let grade = store::Grade {
            judgement: index,
            rank,
            file,
            source: 0,
            line: u32::try_from(line).unwrap_or(u32::MAX),
            column: u16::try_from(column).unwrap_or(u16::MAX),
        };
        let source = SourceRef { document, locator };
        let context = u32::try_from(context).unwrap_or(u32::MAX);
        // A repeat is declined here and reported by the record path.
        match self
            .store
            .add(authority, period, context, &[grade], &[source])
        {
            Ok(Ok(())) => {
                self.summary.records += 1;
                self.summary.checked += 1;
                true
            }
            Ok(Err(_)) | Err(_) => false,
        }
    }

    /// A period as written in a row, and the rules in force then; `None` when the row is
    /// not for the fast path.
    fn period_of(&mut self, written: &str) -> Option<(Period, usize)> {
        if self.last.period.is_some() && self.last.period_text == written {
            return self.last.period;
        }
        let period = match period_of_text(written) {
            WrittenPeriod::Year(year) => match i32::try_from(year) {
                Ok(year) if (1..=9999).contains(&year) => Period::Year(year),
                _ => return None,
            },
            WrittenPeriod::Date(day) => Period::Date(day),
            WrittenPeriod::Published(..) | WrittenPeriod::Invalid(_) => return None,
        };
        let context = self
            .periods
            .get(ratings_core::LOCAL_AUTHORITIES, period)
            .ok()?;
        self.last.period_text.clear();
        self.last.period_text.push_str(written);
        self.last.period = Some((period, context));
        self.last.period
    }

    /// The interned authority a written name means in a period, if exactly one.
    fn authority_of(&mut self, written: &str, period: Period) -> Option<u32> {
        if let Some((last_period, id)) = self.last.authority {
            if last_period == period && self.last.authority_text == written {
                return Some(id);
            }
        }
        let id = match self.resolved_any_time.get(written) {
            Some(&found) => found,
            None => match self.options.authorities.resolve_any_time(written) {
                Some(found) => {
                    let id = found.cloned().map(|found| self.intern_authority(&found));
                    self.resolved_any_time.insert(Box::from(written), id);
                    id
                }
                None => {
                    let key = (Box::from(written), period);
                    match self.resolved.get(&key) {
                        Some(&found) => found,
                        None => {
                            let found =
                                match self.options.authorities.resolve(written, Some(period)) {
                                    Resolved::Found(found) => Some(found.clone()),
                                    _ => None,
                                };
                            let id = found.map(|found| self.intern_authority(&found));
                            self.resolved.insert(key, id);
                            id
                        }
                    }
                }
            },
        }?;
        self.last.authority_text.clear();
        self.last.authority_text.push_str(written);
        self.last.authority = Some((period, id));
        Some(id)
    }

    /// The interned id of a source document, remembering the last.
    fn document_of(&mut self, document: &str, file: u32, line: usize) -> u32 {
        if let Some(id) = self.last.document {
            if self.last.document_text == document {
                return id;
            }
        }
        let id = self.document(document, file, u32::try_from(line).unwrap_or(u32::MAX));
        self.last.document_text.clear();
        self.last.document_text.push_str(document);
        self.last.document = Some(id);
        id
    }

    fn intern(&mut self, subject: &Arc<Subject>) -> u32 {
        if let Some(id) = self.subject_id(subject) {
            return id;
        }
        let id = u32::try_from(self.subjects.len()).unwrap_or(u32::MAX);
        self.subjects.push(subject.clone());
        let subjects = &self.subjects;
        self.subject_ids
            .insert_unique(subject.key_hash(), id, |&id| {
                subjects[id as usize].key_hash()
            });
        id
    }

    /// The id of a subject met before.
    fn subject_id(&self, subject: &Subject) -> Option<u32> {
        self.subject_ids
            .find(subject.key_hash(), |&id| {
                self.subjects[id as usize].same_subject(subject)
            })
            .copied()
    }

    fn intern_authority(&mut self, authority: &Authority) -> u32 {
        self.intern(&Arc::new(Subject::authority(authority)))
    }

    /// The period of the inspection a provider's record belongs to: that of the record's own
    /// inspection met before (the same inspection number from the same column, else the same
    /// day, else, where the map allows, one within its days that no number tells apart), or the
    /// record's own date for an inspection not met before. Why not, where the record's date
    /// puts the inspection under other rules than the records met before, or gives one day two
    /// inspection numbers.
    fn inspection_of(&mut self, subject: u32, valid: &ValidRecord) -> Result<Period, String> {
        let Some(day) = valid.period.date() else {
            return Ok(valid.period);
        };
        let here = format!("{}:{}", valid.file, valid.line);
        let seen = self.inspections.entry(subject).or_default();
        let numbered = |inspection: &Inspection, (column, number): &(String, String)| {
            inspection
                .numbers
                .iter()
                .any(|(c, n)| c == column && n == number)
        };
        let same_column_other_number = |inspection: &Inspection| {
            valid.inspection.as_ref().is_some_and(|(column, number)| {
                inspection
                    .numbers
                    .iter()
                    .any(|(c, n)| c == column && n != number)
            })
        };
        let by_number = valid
            .inspection
            .as_ref()
            .and_then(|number| seen.iter().position(|i| numbered(i, number)));
        let found = match by_number {
            Some(at) => Some(at),
            None => match seen.iter().position(|i| i.day == day) {
                Some(at) if same_column_other_number(&seen[at]) => {
                    let (column, number) = valid.inspection.clone().unwrap_or_default();
                    return Err(format!(
                        "the provider has two inspections on {day}: {column} {number} here and another at {}",
                        seen[at].first
                    ));
                }
                Some(at) => Some(at),
                None => valid.same_within_days.and_then(|days| {
                    let near: Vec<usize> = (0..seen.len())
                        .filter(|&at| {
                            (seen[at].day - day).num_days().unsigned_abs() <= u64::from(days)
                                && !same_column_other_number(&seen[at])
                        })
                        .collect();
                    match near.as_slice() {
                        [only] => Some(*only),
                        _ => None,
                    }
                }),
            },
        };
        match found {
            Some(at) => {
                let inspection = &mut seen[at];
                if inspection.context != valid.context {
                    return Err(format!(
                        "this record dates the inspection {day}, which puts it under other rules than {} at {} does",
                        inspection.period, inspection.first
                    ));
                }
                if let Some(number) = &valid.inspection {
                    if !inspection.numbers.contains(number) {
                        inspection.numbers.push(number.clone());
                    }
                }
                Ok(inspection.period)
            }
            None => {
                seen.push(Inspection {
                    day,
                    period: valid.period,
                    context: valid.context,
                    numbers: valid.inspection.iter().cloned().collect(),
                    first: here,
                });
                Ok(valid.period)
            }
        }
    }

    /// The interned id of a source document, first met in a file at a line.
    fn document(&mut self, document: &str, file: u32, line: u32) -> u32 {
        if let Some(&index) = self.document_index.get(document) {
            return index;
        }
        let document: Arc<str> = Arc::from(document);
        let index = u32::try_from(self.documents.len()).unwrap_or(u32::MAX);
        self.documents.push(document.clone());
        self.document_index.insert(document, index);
        self.document_first.push((file, line));
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

/// `read_csv::trim_field` (white space and a byte-order mark), without looking further for
/// fields that start and end in ASCII other than space (as almost all do).
fn trim(field: &str) -> &str {
    // The ASCII characters `str::trim` removes (`char::is_whitespace`): tab, line feed, vertical
    // tab, form feed, carriage return and space.
    let plain = |b: u8| b.is_ascii() && !matches!(b, b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' ');
    match field.as_bytes() {
        [first, .., last] if plain(*first) && plain(*last) => field,
        [only] if plain(*only) => field,
        _ => crate::read_csv::trim_field(field),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_quick_trim_is_trim_field() {
        for field in [
            "",
            " ",
            "a",
            " a ",
            "\ta\u{b}",
            "\u{a0}a",
            "a\u{a0}",
            " \u{a0}a\u{3000} ",
            "é",
            " é ",
            "\r\n x \x0c",
            "\u{85}",
            " \u{85}x",
            "x y",
            "\u{2028} ",
            "\u{feff}",
            "\u{feff}Leeds ",
            "a\u{feff}b",
        ] {
            assert_eq!(
                super::trim(field),
                crate::read_csv::trim_field(field),
                "{field:?}"
            );
        }
    }
}
