//! What checking gives: a verdict per assessment with its findings, and counts that add up.

use std::collections::BTreeMap;
use std::sync::Arc;

use ratings_core::{Assignment, Basis, Code, Problem, Reason, Severity, Strength, View};

use crate::subject::{Labels, Subject};

/// The whole outcome of a `check` run.
#[derive(Debug)]
pub struct Report {
    /// The counts.
    pub summary: Summary,
    /// One result per assessment, in (authority, period) order.
    pub results: Vec<AssessmentResult>,
    /// Why each rejected record or unreadable file was rejected, and each file skipped.
    pub problems: Vec<Problem>,
    /// Records counted as not graded, by reason.
    pub not_graded: BTreeMap<String, usize>,
}

/// Counts that always add up: `records = checked + not_graded + rejected`, and
/// `assessments = consistent + inconsistent + unverifiable + undecided + disputed`.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    /// Files read (each once), including unreadable ones.
    pub files: usize,
    /// Files that could not be read at all.
    pub unreadable_files: usize,
    /// Files found in directories and left out.
    pub skipped_files: usize,
    /// Columns of wide tables that the column map does not name: their cells are not read.
    pub ignored_columns: usize,
    /// Records read.
    pub records: usize,
    /// Records checked.
    pub checked: usize,
    /// Records that hold no graded inspection to check (a provider never inspected, a kind of
    /// inspection or provider not graded this way), each counted by its reason.
    pub not_graded: usize,
    /// Records rejected, each with a problem.
    pub rejected: usize,
    /// Assessments: one authority in one period, or one inspection of one provider.
    pub assessments: usize,
    /// Assessments whose published grades the rules were shown to accept.
    pub consistent: usize,
    /// Assessments whose published grades break a `must` rule.
    pub inconsistent: usize,
    /// Assessments that any grades would have passed.
    pub unverifiable: usize,
    /// Assessments whose evaluation ran out of budget.
    pub undecided: usize,
    /// Assessments whose verdict depends on which of two disagreeing sources is right.
    pub disputed: usize,
    /// Consistent assessments whose grades come from a document no rule that tested them cites:
    /// real tests of the rules.
    pub consistent_independent: usize,
    /// Consistent assessments whose grades all come from documents the rules that tested them
    /// cite: the rules were learnt from these grades, so passing them shows nothing.
    pub consistent_circular: usize,
    /// Consistent assessments whose grades come from documents outside the registry, so that
    /// their independence cannot be shown.
    pub consistent_unregistered: usize,
    /// Assessments that carry an error finding, whatever their verdict (a rule broken, sources
    /// or statements in conflict, a budget spent).
    pub with_errors: usize,
    /// Assessments in which two sources (or two statements of one document) give one judgement
    /// different grades.
    pub conflicts: usize,
}

impl Summary {
    /// Whether input was lost or left undecided: records rejected, files unreadable, sources
    /// in conflict or evaluations out of budget; or nothing was read to check (every file
    /// skipped). Every command exits 2 then.
    pub fn input_lost(&self) -> bool {
        self.nothing_to_check()
            || self.unreadable_files > 0
            || self.rejected > 0
            || self.undecided > 0
            || self.conflicts > 0
            || self.ignored_columns > 0
    }

    /// Whether no record was read, though no file was unreadable: every input was skipped.
    pub fn nothing_to_check(&self) -> bool {
        self.records == 0 && self.unreadable_files == 0
    }
}

/// The verdict on one assessment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Verdict {
    /// Checked, and other grades would have been rejected.
    Consistent,
    /// The grades break a `must` rule.
    Inconsistent,
    /// Any grades for the published judgements would have passed.
    Unverifiable,
    /// The budget ran out.
    Undecided,
    /// Sources disagree on a grade, and the verdict depends on which is right: the grades are
    /// consistent with some of the alternatives and inconsistent with others.
    Disputed,
}

impl Verdict {
    /// `consistent`, `inconsistent`, `unverifiable`, `undecided` or `disputed`.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Consistent => "consistent",
            Verdict::Inconsistent => "inconsistent",
            Verdict::Unverifiable => "unverifiable",
            Verdict::Undecided => "undecided",
            Verdict::Disputed => "disputed",
        }
    }

    /// What is known when the assessment was checked once per alternative: the one verdict
    /// they all give; `disputed` when some break a `must` rule and others pass; else
    /// `undecided` when some ran out of budget; else (some tested, some not) the weaker
    /// claim, `unverifiable`. `None` for no verdicts.
    pub fn combined(verdicts: impl IntoIterator<Item = Verdict>) -> Option<Verdict> {
        let mut seen: Vec<Verdict> = Vec::new();
        for verdict in verdicts {
            if !seen.contains(&verdict) {
                seen.push(verdict);
            }
        }
        let has = |verdict: Verdict| seen.contains(&verdict);
        match seen.as_slice() {
            [] => None,
            [only] => Some(*only),
            _ if has(Verdict::Disputed)
                || has(Verdict::Inconsistent)
                    && (has(Verdict::Consistent) || has(Verdict::Unverifiable)) =>
            {
                Some(Verdict::Disputed)
            }
            _ if has(Verdict::Undecided) => Some(Verdict::Undecided),
            _ => Some(Verdict::Unverifiable),
        }
    }
}

/// The kind of rule a verdict rests on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum VerdictBasis {
    /// Some rule that decided the verdict is stated in guidance or reported by a source.
    Stated,
    /// Only rules inferred from published grades decided it: a hypothesis.
    Inferred,
}

impl VerdictBasis {
    /// `stated` or `inferred`.
    pub fn as_str(self) -> &'static str {
        match self {
            VerdictBasis::Stated => "stated",
            VerdictBasis::Inferred => "inferred",
        }
    }
}

/// What a verdict or finding rests on: records from documents the rules involved do not cite
/// (a real test), only records from documents they cite (circular: the rule was built from the
/// very record), or no rule at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Support {
    /// Some grade involved comes from a document no rule involved cites.
    Independent,
    /// Every grade involved comes from a document a rule involved cites.
    Circular,
    /// No grade involved is independent, and some come from documents outside the rule
    /// book's registry, whose independence of the rules' sources cannot be shown.
    Unregistered,
    /// No rule tested the grades.
    None,
}

impl Support {
    /// `independent`, `circular` or `none`.
    pub fn as_str(self) -> &'static str {
        match self {
            Support::Independent => "independent",
            Support::Circular => "circular",
            Support::Unregistered => "unregistered",
            Support::None => "none",
        }
    }
}

/// An unpublished judgement that, if published, would let `must` rules test an assessment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WouldTest {
    /// The judgement.
    pub judgement: String,
    /// The rules that would test it.
    pub rules: Vec<String>,
}

/// One grade that sources give a judgement they disagree on, and the verdict if it is right.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alternative {
    /// The judgement the sources disagree on.
    pub judgement: String,
    /// The grade, as printed.
    pub value: i64,
    /// `performs well (3)`.
    pub label: String,
    /// Where it is given: each source that gives it, `document (locator)`, joined by `; `.
    pub source: String,
    /// The verdict with this grade (combined over the alternatives of any other judgement in
    /// dispute).
    pub verdict: Verdict,
}

/// The verdict on one authority in one period, or on one inspection of a provider.
#[derive(Debug)]
pub struct AssessmentResult {
    /// The authority or provider.
    pub subject: Arc<Subject>,
    /// The inspection's number and the provider's attributes, where sources give them.
    pub labels: Labels,
    /// The year.
    pub year: i32,
    /// The day, for an inspection.
    pub date: Option<String>,
    /// The rule sets in force.
    pub rule_sets: Vec<String>,
    /// The verdict.
    pub verdict: Verdict,
    /// What the verdict rests on.
    pub support: Support,
    /// For a consistent or inconsistent verdict, the kind of rule it rests on: `stated` when a
    /// rule that decided it comes from guidance or a report, `inferred` when only rules inferred
    /// from published grades decided it.
    pub basis: Option<VerdictBasis>,
    /// The rules that tested the grades (for a consistent or inconsistent verdict).
    pub tested_rules: Vec<String>,
    /// For an unverifiable verdict: unpublished judgements that would let rules test it.
    pub would_test: Vec<WouldTest>,
    /// Findings, errors first.
    pub findings: Vec<Finding>,
    /// Every published grade with the sources that gave it.
    pub published: BTreeMap<String, Vec<Published>>,
    /// Allowed values of every judgement of the period, given the published grades.
    pub allowed: BTreeMap<String, Vec<i64>>,
    /// Unpublished, non-latent judgements that the published grades narrow.
    pub implied: BTreeMap<String, Vec<i64>>,
    /// The same, as words: `good (3) or outstanding (4)` (for the CSV report).
    pub implied_labels: BTreeMap<String, String>,
    /// For a consistent verdict: other grades for the published judgements that the rules
    /// would have rejected, showing that the check tested something.
    pub tested_by: Option<Assignment>,
    /// Where sources disagree on a grade: each grade given, with the verdict if it is right.
    /// The assessment is checked once per combination of them, and `verdict` says what is
    /// known whichever is right.
    pub alternatives: Vec<Alternative>,
}

impl AssessmentResult {
    /// `2008` or `2024-05-01`.
    pub fn period(&self) -> String {
        self.date.clone().unwrap_or_else(|| self.year.to_string())
    }

    /// Who the assessment is about, as output heads it: `Leicester (856)`, or
    /// `provider SC482301 (children's home, Leicestershire), inspection 10223762`.
    pub fn title(&self) -> String {
        match self.subject.kind {
            crate::subject::SubjectKind::Authority => {
                format!("{} ({})", self.subject.name, self.subject.id)
            }
            crate::subject::SubjectKind::Provider => {
                let attributes = &self.labels.attributes;
                let about: Vec<&str> = ["type", "local_authority"]
                    .iter()
                    .filter_map(|key| attributes.get(*key).map(String::as_str))
                    .collect();
                let mut title = format!("provider {}", self.subject.id);
                if !about.is_empty() {
                    title.push_str(&format!(" ({})", about.join(", ")));
                }
                if let Some(number) = &self.labels.inspection {
                    title.push_str(&format!(", inspection {number}"));
                }
                title
            }
        }
    }

    /// A short name for lists: the authority's name, or `provider URN`.
    pub fn name(&self) -> String {
        self.subject.short_name()
    }
}

/// One published grade and where it was read.
#[derive(Debug, Clone)]
pub struct Published {
    /// The printed number.
    pub value: i64,
    /// `good (3)`.
    pub label: Arc<str>,
    /// The source document.
    pub document: Arc<str>,
    /// Where in it.
    pub locator: Arc<str>,
    /// The file it was read from.
    pub file: Arc<str>,
    /// Where in the file.
    pub line: usize,
    /// Where in the file.
    pub column: usize,
}

/// A citation, with the document's title from the registry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cited {
    /// The document id.
    pub document: String,
    /// `Title (publisher, date)`.
    pub title: String,
    /// Where in it.
    pub locator: String,
    /// Where to read it.
    pub url: Option<String>,
}

/// One finding about an assessment.
#[derive(Debug, Clone)]
pub struct Finding {
    /// What kind.
    pub code: Code,
    /// From the code.
    pub severity: Severity,
    /// The constraint concerned, if any.
    pub rule: Option<String>,
    /// The judgements concerned.
    pub judgements: Vec<String>,
    /// One line.
    pub message: String,
    /// The rule's text.
    pub text: Option<String>,
    /// The rule's basis.
    pub basis: Option<Basis>,
    /// The rule's strength.
    pub strength: Option<Strength>,
    /// The rule's sources.
    pub cite: Vec<Cited>,
    /// For a finding about a rule: whether the grades involved come from documents the rule
    /// cites.
    pub support: Option<Support>,
    /// For a broken rule: a minimal set of published grades that already contradict the rules.
    pub evidence: Assignment,
    /// For a broken rule: the values each of those grades could have had, given the others.
    pub allowed_instead: BTreeMap<String, Vec<i64>>,
    /// The rules and given grades behind an implication.
    pub because: Vec<Reason>,
    /// For a disagreement inside a document: every line involved.
    pub lines: Vec<usize>,
}

impl Finding {
    /// A finding with a code and message, and nothing else yet.
    pub fn new(code: Code, message: String) -> Finding {
        Finding {
            code,
            severity: code.severity(),
            rule: None,
            judgements: Vec::new(),
            message,
            text: None,
            basis: None,
            strength: None,
            cite: Vec::new(),
            support: None,
            evidence: Assignment::new(),
            allowed_instead: BTreeMap::new(),
            because: Vec::new(),
            lines: Vec::new(),
        }
    }

    /// What the renderer draws, pointing at the first published grade it involves.
    pub fn view<'a>(&'a self, result: &AssessmentResult) -> View<'a> {
        let location = self
            .evidence
            .keys()
            .chain(self.judgements.iter())
            .find_map(|j| result.published.get(j).and_then(|s| s.first()))
            .map(|p| format!("{}:{}:{}", p.file, p.line, p.column));
        let mut notes = Vec::new();
        if let (Some(rule), Some(basis), Some(strength)) = (&self.rule, self.basis, self.strength) {
            notes.push(format!(
                "rule `{rule}` ({}, {})",
                strength.as_str(),
                basis.as_str()
            ));
        }
        for cited in &self.cite {
            notes.push(format!("source: {}, {}", cited.title, cited.locator));
        }
        if let Some(support) = self.support {
            notes.push(format!(
                "evidence: {}",
                match support {
                    Support::Independent => "independent of the rule's sources",
                    Support::Circular => "circular: the grades come from a document the rule cites",
                    Support::Unregistered => "not shown to be independent: the grades come from a document outside the registry",
                    Support::None => "none",
                }
            ));
        }
        for reason in &self.because {
            let because: Vec<String> = reason
                .because
                .iter()
                .map(|(j, v)| format!("{j} = {v}"))
                .collect();
            let rules: Vec<String> = reason.rules().map(|r| format!("`{r}`")).collect();
            let removes: Vec<String> = reason
                .removes
                .values()
                .flatten()
                .map(i64::to_string)
                .collect();
            notes.push(format!(
                "because {} [{}] {} out {}",
                rules.join(" and "),
                because.join(", "),
                if rules.len() == 1 { "rules" } else { "rule" },
                removes.join(", ")
            ));
        }
        View {
            code: self.code,
            severity: self.severity,
            message: &self.message,
            location,
            excerpt: None,
            notes,
            help: None,
        }
    }
}

/// Where a checker's output goes: the problems once, before any result, then each result in
/// order.
pub trait Sink {
    /// Every problem, sorted, before the first result.
    fn problems(&mut self, _problems: &[Problem]) {}
    /// One result.
    fn result(&mut self, result: AssessmentResult);
}

#[cfg(test)]
mod tests {
    use super::Verdict::{self, *};

    #[test]
    fn alternatives_combine_into_what_is_known() {
        let combined = |verdicts: &[Verdict]| Verdict::combined(verdicts.iter().copied());
        assert_eq!(combined(&[]), None);
        assert_eq!(combined(&[Inconsistent, Inconsistent]), Some(Inconsistent));
        assert_eq!(combined(&[Consistent, Consistent]), Some(Consistent));
        assert_eq!(combined(&[Consistent, Inconsistent]), Some(Disputed));
        assert_eq!(combined(&[Inconsistent, Unverifiable]), Some(Disputed));
        assert_eq!(combined(&[Inconsistent, Undecided]), Some(Undecided));
        assert_eq!(
            combined(&[Consistent, Inconsistent, Undecided]),
            Some(Disputed)
        );
        assert_eq!(combined(&[Consistent, Undecided]), Some(Undecided));
        assert_eq!(combined(&[Consistent, Unverifiable]), Some(Unverifiable));
    }
}
