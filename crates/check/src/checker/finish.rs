//! Evaluation of every assessment taken in, in the order of the output: on one thread into any
//! [`Sink`], or on every core in batches whose rendered text is written in order, so that the
//! output is the same byte for byte whatever the number of threads.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Condvar, Mutex, PoisonError};

use ratings_core::{Code, Period, Problem};
use rustc_hash::FxHashMap as HashMap;

use super::Checker;
use crate::assessment::{DocumentFinding, Group, Stored};
use crate::authority::Resolved;
use crate::evaluate::{self, Asked, Evaluation, RefutationCache};
use crate::output::{Cached, CachedGrade, Heading, Renderer, Stream};
use crate::result::{AssessmentResult, Report, Sink, Summary};
use crate::subject::Labels;

/// Assessments evaluated and rendered together on one thread (few in tests, so that a small
/// check runs on several threads).
const BATCH: usize = if cfg!(test) { 4 } else { 128 };
/// Rendered batches each thread may be ahead of the writer.
const WINDOW: usize = 4;

impl Checker<'_> {
    /// [`Checker::finish`], collecting every result into a [`Report`].
    pub fn report(self) -> Report {
        let mut results = Vec::new();
        let not_graded = self.not_graded.clone();
        let (summary, problems) = self.finish(&mut Collect(&mut results));
        Report {
            summary,
            results,
            problems,
            not_graded,
        }
    }

    /// Evaluate every assessment in order (authority, then period), handing the problems and
    /// then each result to `sink`; return the summary and the problems, sorted.
    pub fn finish(self, sink: &mut dyn Sink) -> (Summary, Vec<Problem>) {
        let (mut checker, by_assessment) = self.settle();
        sink.problems(&checker.problems);
        let mut cache = RefutationCache::default();
        for index in checker.order() {
            let result = checker.evaluate_one(index, &by_assessment, &mut cache);
            tally(&mut checker.summary, &result);
            sink.result(result);
        }
        (checker.summary, checker.problems)
    }

    /// [`Checker::finish`] into a stream, evaluating and rendering on `threads` threads: the
    /// assessments are taken in batches, and the rendered batches written in order, so the
    /// output is the same byte for byte whatever the threads. Returns the summary, the
    /// problems, and whether any result carries an error finding.
    pub fn finish_into<W: std::io::Write>(
        self,
        stream: &mut Stream<W>,
        threads: usize,
    ) -> (Summary, Vec<Problem>, bool) {
        let (mut checker, by_assessment) = self.settle();
        stream.not_graded(&checker.not_graded);
        stream.problems(&checker.problems);
        let order = checker.order();
        let batches: Vec<&[u32]> = order.chunks(BATCH).collect();
        let renderer = stream.renderer();
        let mut errors = false;
        if threads <= 1 || batches.len() < 2 {
            let mut cache = RefutationCache::default();
            let mut done = Batch::default();
            for batch in &batches {
                checker.batch(batch, &by_assessment, &renderer, &mut cache, &mut done);
                checker.write_batch(&done, stream, &mut errors);
            }
            return (checker.summary, checker.problems, errors);
        }
        // Workers claim batches in order and wait while they are too far ahead of the writer,
        // so at most WINDOW batches per thread are held rendered at once.
        let window = WINDOW * threads;
        let next = AtomicUsize::new(0);
        let written = (Mutex::new(0usize), Condvar::new());
        // Set by a worker that panics, so that no other waits for a batch that will never be
        // written; the scope then passes the panic on, as the one-thread path would.
        let failed = AtomicBool::new(false);
        let (sender, receiver) = mpsc::channel::<(usize, Batch)>();
        let shared = &checker;
        let evaluations = RefutationCache::default();
        let evaluations = &evaluations;
        // Batches written are handed back to be filled again, so that their buffers are
        // allocated once, not made on one thread and freed on another for every batch.
        let spare: Mutex<Vec<Batch>> = Mutex::new(Vec::new());
        let spare = &spare;
        let summary = std::thread::scope(|scope| {
            for _ in 0..threads {
                let sender = sender.clone();
                let (next, written, batches, failed) = (&next, &written, &batches, &failed);
                let (renderer, by_assessment) = (&renderer, &by_assessment);
                scope.spawn(move || {
                    let _guard = PanicGuard { failed, written };
                    // Each thread has its own cache of refutations, and all share the whole
                    // evaluations: a cached answer is charged what it cost, so no result
                    // depends on which thread asked first.
                    let mut cache = evaluations.sharing(threads);
                    loop {
                        let claimed = next.fetch_add(1, Ordering::Relaxed);
                        let Some(batch) = batches.get(claimed) else {
                            break;
                        };
                        let mut done = written.0.lock().unwrap_or_else(PoisonError::into_inner);
                        while claimed >= *done + window && !failed.load(Ordering::Acquire) {
                            done = written.1.wait(done).unwrap_or_else(PoisonError::into_inner);
                        }
                        drop(done);
                        if failed.load(Ordering::Acquire) {
                            break;
                        }
                        let mut rendered = spare
                            .lock()
                            .unwrap_or_else(PoisonError::into_inner)
                            .pop()
                            .unwrap_or_default();
                        shared.batch(batch, by_assessment, renderer, &mut cache, &mut rendered);
                        if sender.send((claimed, rendered)).is_err() {
                            break;
                        }
                    }
                });
            }
            drop(sender);
            let mut waiting: BTreeMap<usize, Batch> = BTreeMap::new();
            let mut expected = 0usize;
            let mut summary = Summary::default();
            for (index, batch) in receiver {
                waiting.insert(index, batch);
                while let Some(batch) = waiting.remove(&expected) {
                    add_counts(&mut summary, &batch.summary);
                    write_rendered(&batch, stream, &mut errors);
                    spare
                        .lock()
                        .unwrap_or_else(PoisonError::into_inner)
                        .push(batch);
                    expected += 1;
                    *written.0.lock().unwrap_or_else(PoisonError::into_inner) = expected;
                    written.1.notify_all();
                }
            }
            summary
        });
        add_counts(&mut checker.summary, &summary);
        (checker.summary, checker.problems, errors)
    }

    /// Attach disagreements found inside documents to their assessments (one whose records were
    /// all rejected becomes a problem, so nothing is lost), and sort the problems.
    /// Records dated by their report's publication (a table without the inspection's first
    /// day) join the one inspection of their authority that another source dates in the days
    /// before; with none, or more than one, they keep the publication date.
    fn join_deferred(&mut self) {
        let deferred = std::mem::take(&mut self.deferred);
        if deferred.is_empty() {
            return;
        }
        let mut dates: HashMap<u32, Vec<chrono::NaiveDate>> = HashMap::default();
        for index in 0..u32::try_from(self.store.len()).unwrap_or(u32::MAX) {
            let assessment = self.store.assessment(index);
            if let Period::Date(day) = assessment.period() {
                dates.entry(assessment.authority).or_default().push(day);
            }
        }
        for mut record in deferred {
            let Some(written) = record.period.take() else {
                continue;
            };
            let span = written.span();
            let (day, days) = match written.into_inner() {
                crate::record::WrittenPeriod::Published(day, days) => (day, days),
                other => {
                    record.period = Some(toml::Spanned::new(span, other));
                    self.add_record(&record);
                    continue;
                }
            };
            let subject = record.authority.as_ref().and_then(|name| {
                match self
                    .options
                    .authorities
                    .resolve(name.get_ref(), Some(Period::Date(day)))
                {
                    Resolved::Found(found) => {
                        self.subject_id(&crate::subject::Subject::authority(found))
                    }
                    _ => None,
                }
            });
            let mut began: Vec<chrono::NaiveDate> = subject
                .and_then(|id| dates.get(&id))
                .into_iter()
                .flatten()
                .copied()
                .filter(|start| *start <= day && (day - *start).num_days() <= i64::from(days))
                .collect();
            began.sort_unstable();
            began.dedup();
            let joined = match began.as_slice() {
                [start] => *start,
                _ => day,
            };
            record.period = Some(toml::Spanned::new(
                span,
                crate::record::WrittenPeriod::Date(joined),
            ));
            self.add_record(&record);
        }
    }

    fn settle(mut self) -> (Self, HashMap<(u32, Period), Vec<DocumentFinding>>) {
        self.join_deferred();
        let mut by_assessment: HashMap<(u32, Period), Vec<DocumentFinding>> = HashMap::default();
        for document_finding in std::mem::take(&mut self.document_findings) {
            let key = match self
                .options
                .authorities
                .resolve(&document_finding.authority, Some(document_finding.period))
            {
                Resolved::Found(found) => self
                    .subject_id(&crate::subject::Subject::authority(found))
                    .map(|id| (id, document_finding.period)),
                _ => None,
            };
            match key.filter(|&(authority, period)| {
                self.store
                    .find(authority, period)
                    .is_some_and(|index| self.store.has_grades(index))
            }) {
                Some(key) => by_assessment.entry(key).or_default().push(document_finding),
                None => self.problems.push(Problem::in_file(
                    document_finding.code,
                    document_finding.file.clone(),
                    document_finding.message.clone(),
                )),
            }
        }
        // Everything is read and placed: evaluation needs the assessments only by number.
        self.store.done_adding();
        // A source document outside the registry: its grades are never independent evidence.
        for (index, document) in self.documents.iter().enumerate() {
            if self.book.document(document).is_some() {
                continue;
            }
            let (file, line) = self.document_first.get(index).copied().unwrap_or((0, 0));
            let file = self.files.get(file as usize).map_or("", |f| &**f);
            let mut problem = Problem::in_file(
                Code::UnregisteredDocument,
                file,
                format!(
                    "the source document `{}` is not in the rule book's registry, so grades from it are never independent evidence for a rule",
                    ratings_core::shown(document)
                ),
            )
            .with_help("name a document of `rules/documents.toml` in the record's source (a column map's `source.document`), or add the document to the registry");
            problem.line = Some(line);
            problem.column = Some(1);
            self.problems.push(problem);
        }
        // The auditor's severities: an allowed warning is left out.
        self.problems = self
            .options
            .overrides
            .problems(std::mem::take(&mut self.problems));
        // Problems in a stable order, whatever the order of the inputs.
        self.problems.sort_by(|a, b| {
            (&a.file, a.line, a.column, a.code, &a.message)
                .cmp(&(&b.file, b.line, b.column, b.code, &b.message))
        });
        (self, by_assessment)
    }

    /// Evaluate and render a batch of assessments into `done`, emptied first.
    fn batch(
        &self,
        batch: &[u32],
        by_assessment: &HashMap<(u32, Period), Vec<DocumentFinding>>,
        renderer: &Renderer,
        cache: &mut RefutationCache,
        done: &mut Batch,
    ) {
        done.text.clear();
        done.ends.clear();
        done.summary = Summary::default();
        done.errors = false;
        let mut scratch = Scratch::default();
        for &index in batch {
            if renderer.shows_cached()
                && self.render_cached(index, by_assessment, renderer, cache, &mut scratch, done)
            {
                continue;
            }
            let result = self.evaluate_one(index, by_assessment, cache);
            tally(&mut done.summary, &result);
            done.errors |= result
                .findings
                .iter()
                .any(|f| f.severity == ratings_core::Severity::Error);
            if renderer.render(&result, &mut done.text) {
                done.ends.push(done.text.len());
            }
        }
    }

    /// Count and render an assessment whose evaluation the cache holds, straight from its
    /// stored grades and the cached answer, as its whole result would be rendered; `false`
    /// (and nothing done) when the ordinary path must evaluate it.
    fn render_cached(
        &self,
        index: u32,
        by_assessment: &HashMap<(u32, Period), Vec<DocumentFinding>>,
        renderer: &Renderer,
        cache: &mut RefutationCache,
        scratch: &mut Scratch,
        done: &mut Batch,
    ) -> bool {
        let assessment = self.store.assessment(index);
        let key = (assessment.authority, assessment.period());
        if by_assessment.contains_key(&key) {
            return false;
        }
        self.store
            .grades_into(index, &mut scratch.grades, &mut scratch.sources);
        let context = self.periods.context(assessment.context() as usize);
        let asked = Asked {
            book: self.book,
            context,
            budget: self.options.budget,
            overrides: self.options.overrides,
        };
        let (sources, documents) = (&scratch.sources, &self.documents);
        let document = |grade: &crate::store::Grade| {
            let index = sources
                .get(grade.source as usize)
                .map_or(u32::MAX, |source| source.document);
            (index, documents.get(index as usize).map_or("", |d| &**d))
        };
        let Some(hit) = evaluate::cached(
            &asked,
            &scratch.grades,
            document,
            cache,
            &mut scratch.looking,
        ) else {
            return false;
        };
        let has_error = hit.shown.digest.has_error;
        tally_parts(
            &mut done.summary,
            hit.verdict,
            hit.support,
            has_error,
            false,
        );
        done.errors |= has_error;
        let grades: Vec<CachedGrade<'_>> = scratch
            .looking
            .order
            .iter()
            .map(|&(_, at)| {
                let grade = &scratch.grades[at as usize];
                CachedGrade {
                    judgement: &context.rules.judgements()[usize::from(grade.judgement)]
                        .judgement
                        .id,
                    number: context.number(grade.judgement, grade.rank),
                    label: context.label_str(grade.judgement, grade.rank),
                    document: document(grade).1,
                }
            })
            .collect();
        let date = assessment.period().date().map(|d| d.to_string());
        let cached = Cached {
            heading: Heading {
                subject: &self.subjects[key.0 as usize],
                labels: self.labels.get(&index).unwrap_or(&NO_LABELS),
                year: assessment.period().year(),
                date: date.as_deref(),
                verdict: hit.verdict,
                basis: hit.shown.basis,
            },
            digest: &hit.shown.digest,
            grades: &grades,
            implied_labels: hit.implied_labels(),
        };
        if renderer.render_cached(&cached, &mut done.text) {
            done.ends.push(done.text.len());
        }
        true
    }

    fn write_batch<W: std::io::Write>(
        &mut self,
        batch: &Batch,
        stream: &mut Stream<W>,
        errors: &mut bool,
    ) {
        add_counts(&mut self.summary, &batch.summary);
        write_rendered(batch, stream, errors);
    }

    /// Every assessment, in the order of the output: authorities (by name, then code), then
    /// providers (by URN, then the kind of rules that judge them), each by period.
    fn order(&self) -> Vec<u32> {
        let mut by_name: Vec<u32> = (0..self.subjects.len())
            .map(|a| u32::try_from(a).unwrap_or(u32::MAX))
            .collect();
        by_name.sort_by(|&a, &b| {
            let (a, b) = (&self.subjects[a as usize], &self.subjects[b as usize]);
            key(a).cmp(&key(b))
        });
        let mut rank = vec![0u32; self.subjects.len()];
        for (place, &authority) in by_name.iter().enumerate() {
            rank[authority as usize] = u32::try_from(place).unwrap_or(u32::MAX);
        }
        let mut order: Vec<u32> = Vec::with_capacity(self.store.len());
        order.extend(
            (0..self.store.len())
                .map(|i| u32::try_from(i).unwrap_or(u32::MAX))
                .filter(|&i| self.store.has_grades(i)),
        );
        order.sort_unstable_by_key(|&i| {
            let assessment = self.store.assessment(i);
            (rank[assessment.authority as usize], assessment.period())
        });
        order
    }

    /// One assessment's result, with the disagreements found inside its documents.
    fn evaluate_one(
        &self,
        index: u32,
        by_assessment: &HashMap<(u32, Period), Vec<DocumentFinding>>,
        cache: &mut RefutationCache,
    ) -> AssessmentResult {
        let assessment = self.store.assessment(index);
        let (grades, sources) = self.store.grades(index);
        let group = Group {
            context: assessment.context() as usize,
            grades: grades
                .iter()
                .map(|grade| Stored {
                    judgement: grade.judgement,
                    rank: grade.rank,
                    column: grade.column,
                    source: grade.source,
                    file: grade.file,
                    line: grade.line,
                })
                .collect(),
        };
        let sources: Vec<(Arc<str>, Arc<str>)> = sources
            .into_iter()
            .map(|source| {
                let document = self
                    .documents
                    .get(source.document as usize)
                    .cloned()
                    .unwrap_or_else(|| Arc::from(""));
                (document, Arc::from(source.locator))
            })
            .collect();
        let evaluation = Evaluation {
            book: self.book,
            context: self.periods.context(group.context),
            sources: &sources,
            files: &self.files,
            budget: self.options.budget,
        };
        let key = (assessment.authority, assessment.period());
        let documents = by_assessment.get(&key).map_or(&[][..], Vec::as_slice);
        let mut result = evaluate::assess(
            &evaluation,
            &self.subjects[key.0 as usize],
            self.labels.get(&index),
            key.1,
            &group,
            documents,
            cache,
        );
        evaluate::with_overrides(self.options.overrides, &mut result.findings);
        result
    }
}

/// Wakes the other workers when the thread holding it panics, so that none waits forever
/// for the batch it would have written.
struct PanicGuard<'g> {
    failed: &'g AtomicBool,
    written: &'g (Mutex<usize>, Condvar),
}

impl Drop for PanicGuard<'_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.failed.store(true, Ordering::Release);
            // Taken so that no worker is between its check of `failed` and its wait.
            drop(
                self.written
                    .0
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner),
            );
            self.written.1.notify_all();
        }
    }
}

/// What orders subjects in the output: authorities by name, then code; providers by URN,
/// then the kind of rules that judge them.
fn key(subject: &crate::subject::Subject) -> (crate::subject::SubjectKind, &str, &str) {
    match subject.kind {
        crate::subject::SubjectKind::Authority => (subject.kind, &subject.name, &subject.id),
        crate::subject::SubjectKind::Provider => (subject.kind, &subject.id, &subject.rules),
    }
}

/// Buffers a thread reuses from one assessment to the next.
#[derive(Default)]
struct Scratch {
    grades: Vec<crate::store::Grade>,
    sources: Vec<crate::store::Source>,
    looking: evaluate::Looking,
}

/// The labels of an assessment no source gives any.
static NO_LABELS: Labels = Labels {
    inspection: None,
    attributes: BTreeMap::new(),
};

/// Count a result in the summary.
fn tally(summary: &mut Summary, result: &AssessmentResult) {
    let has_error = result
        .findings
        .iter()
        .any(|f| f.severity == ratings_core::Severity::Error);
    let conflicting = result
        .findings
        .iter()
        .any(|f| f.code == Code::ConflictingSources)
        || !result.alternatives.is_empty();
    tally_parts(
        summary,
        result.verdict,
        result.support,
        has_error,
        conflicting,
    );
}

/// Count an assessment in the summary by its verdict, what the verdict rests on, whether it
/// carries an error finding and whether its sources conflict.
fn tally_parts(
    summary: &mut Summary,
    verdict: crate::Verdict,
    support: crate::Support,
    has_error: bool,
    conflicting: bool,
) {
    summary.assessments += 1;
    match verdict {
        crate::Verdict::Consistent => summary.consistent += 1,
        crate::Verdict::Inconsistent => summary.inconsistent += 1,
        crate::Verdict::Unverifiable => summary.unverifiable += 1,
        crate::Verdict::Undecided => summary.undecided += 1,
        crate::Verdict::Disputed => summary.disputed += 1,
    }
    if verdict == crate::Verdict::Consistent {
        match support {
            crate::Support::Independent => summary.consistent_independent += 1,
            crate::Support::Circular => summary.consistent_circular += 1,
            crate::Support::Unregistered => summary.consistent_unregistered += 1,
            crate::Support::None => {}
        }
    }
    if has_error {
        summary.with_errors += 1;
    }
    if conflicting {
        summary.conflicts += 1;
    }
}

/// Results of a batch, rendered: the text, where each shown result ends, their counts.
#[derive(Default)]
struct Batch {
    text: Vec<u8>,
    ends: Vec<usize>,
    summary: Summary,
    errors: bool,
}

fn write_rendered<W: std::io::Write>(batch: &Batch, stream: &mut Stream<W>, errors: &mut bool) {
    *errors |= batch.errors;
    let mut start = 0;
    for &end in &batch.ends {
        stream.write_rendered(&batch.text[start..end]);
        start = end;
    }
}

/// Add the assessment counts of a batch.
fn add_counts(summary: &mut Summary, batch: &Summary) {
    summary.assessments += batch.assessments;
    summary.consistent += batch.consistent;
    summary.inconsistent += batch.inconsistent;
    summary.unverifiable += batch.unverifiable;
    summary.undecided += batch.undecided;
    summary.disputed += batch.disputed;
    summary.consistent_independent += batch.consistent_independent;
    summary.consistent_circular += batch.consistent_circular;
    summary.consistent_unregistered += batch.consistent_unregistered;
    summary.with_errors += batch.with_errors;
    summary.conflicts += batch.conflicts;
}

/// Keeps every result.
struct Collect<'r>(&'r mut Vec<AssessmentResult>);

impl Sink for Collect<'_> {
    fn result(&mut self, result: AssessmentResult) {
        self.0.push(result);
    }
}

#[cfg(test)]
mod tests {
    use ratings_core::{Code, Overrides, Period, SourceText, LOCAL_AUTHORITIES};

    use crate::output::{Filter, Format, Stream};
    use crate::{CheckOptions, Checker, Summary, Verdict};

    /// Long CSV rows where authorities share grade sets (so that most assessments take the
    /// answer cached for another) but not sources, so that what a verdict rests on differs
    /// between assessments of one grade set (a document the rules cite, another in the
    /// registry, one outside it, one whose name holds a comma and quotes and which a
    /// spreadsheet would run as a formula); and one authority whose sources disagree on a
    /// grade.
    fn records() -> String {
        let book = ratings_rules::book().expect("the shipped rules load");
        let rules = book
            .in_force(LOCAL_AUTHORITIES, Period::Year(2008))
            .expect("rules for 2008");
        let cited = rules
            .constraints()
            .iter()
            .find_map(|c| c.cite.first())
            .expect("a 2008 rule with a source")
            .document
            .clone();
        let other = book
            .documents()
            .keys()
            .find(|d| {
                !rules
                    .constraints()
                    .iter()
                    .any(|c| c.cite.iter().any(|cite| &cite.document == *d))
            })
            .expect("a document no 2008 rule cites")
            .clone();
        let names = [
            "Leeds",
            "Leicester",
            "Kent",
            "Essex",
            "Derby",
            "York",
            "Bury",
            "Halton",
            "Sefton",
            "Wigan",
            "Bolton",
            "Oldham",
            "Barnet",
            "Brent",
            "\"Kingston upon Hull, City of\"",
            "Hartlepool",
        ];
        let mut text = String::from("authority,year,judgement,grade,source,locator\n");
        for (n, name) in names.iter().enumerate() {
            let pattern = n % 3;
            let document = match n % 5 {
                0 => "synthetic",
                1 => &cited,
                2 => "\"=SUM(1), \"\"x\"\"\"",
                _ => &other,
            };
            for (j, judgement) in rules.judgements().iter().enumerate() {
                if judgement.judgement.latent {
                    continue;
                }
                let values = &judgement.scale.values;
                // Every grade the best, every grade the next best, or a mixture.
                let rank = match pattern {
                    0 => values.len() - 1,
                    1 => values.len().saturating_sub(2),
                    _ => j % values.len(),
                };
                let value = values[rank].number;
                let id = &judgement.judgement.id;
                text.push_str(&format!("{name},2008,{id},{value},{document},p{n}\n"));
                if n == 5 && text.ends_with(",p5\n") && !text.contains(",p99\n") {
                    let disagreeing = values[(rank + 1) % values.len()].number;
                    text.push_str(&format!("{name},2008,{id},{disagreeing},{other},p99\n"));
                }
            }
        }
        text
    }

    /// A report of the records, written from every whole result through the sink (`None`),
    /// or by `finish_into` on a number of threads; and its summary.
    fn shown(
        format: Format,
        filter: &Filter,
        options: CheckOptions<'_>,
        threads: Option<usize>,
    ) -> (String, Summary) {
        let book = ratings_rules::book().expect("the shipped rules load");
        let mut checker = Checker::new(book, options);
        checker.add_csv(&SourceText::new("r.csv", records()));
        let mut stream = Stream::new(format, filter.clone(), Vec::new());
        let summary = match threads {
            None => checker.finish(&mut stream).0,
            Some(threads) => checker.finish_into(&mut stream, threads).0,
        };
        let bytes = stream.end(&summary).expect("written to memory");
        (String::from_utf8(bytes).expect("UTF-8"), summary)
    }

    #[test]
    fn cached_answers_render_as_whole_results_do() {
        let filters = [
            Filter::default(),
            Filter {
                verdicts: vec![Verdict::Consistent],
                quiet: false,
            },
            Filter {
                verdicts: Vec::new(),
                quiet: true,
            },
        ];
        let overrides = [
            Overrides::default(),
            Overrides::new(
                &[Code::DepartsFromUsual],
                &[Code::RuleBroken],
                &[Code::ImpliedGrade],
            )
            .expect("valid overrides"),
        ];
        let options = |overrides, budget| CheckOptions {
            overrides,
            budget,
            ..CheckOptions::default()
        };
        // The records give every verdict the cache must carry, evidence of every worth, and
        // a budget some answers cost more than.
        let (all, summary) = shown(
            Format::Csv,
            &filters[0],
            options(&overrides[0], ratings_core::DEFAULT_BUDGET),
            None,
        );
        assert!(
            summary.consistent > 0 && summary.inconsistent > 0,
            "{summary:?}"
        );
        assert!(
            summary.consistent_independent > 0 && summary.consistent_unregistered > 0,
            "{summary:?}"
        );
        assert_eq!(summary.conflicts, 1, "{summary:?}");
        assert!(all.contains("'=SUM(1), \"\"x\"\""), "{all}");
        let (_, tight) = shown(
            Format::Compact,
            &filters[0],
            options(&overrides[0], 200),
            None,
        );
        assert!(
            tight.undecided > 0 && tight.undecided < tight.assessments,
            "{tight:?}"
        );
        for format in [Format::Compact, Format::Csv] {
            for filter in &filters {
                for overriding in &overrides {
                    for budget in [ratings_core::DEFAULT_BUDGET, 200] {
                        let whole = shown(format, filter, options(overriding, budget), None);
                        if filter.verdicts.is_empty() && !filter.quiet {
                            assert!(whole.0.lines().count() > 4, "{format:?}: {}", whole.0);
                        }
                        // Four assessments a batch in tests: two threads take several each.
                        for threads in [1, 2, 3] {
                            assert_eq!(
                                shown(format, filter, options(overriding, budget), Some(threads)),
                                whole,
                                "{format:?} {filter:?} budget {budget} on {threads} threads"
                            );
                        }
                    }
                }
            }
        }
    }
}
