//! The view model: everything the page shows, already worked out by the caller.
//!
//! The renderer computes nothing about the rules; it only counts, groups, lays out the
//! judgement graphs and escapes. Every string here may be user input (authority names,
//! document titles, locators, file names) and is escaped on output. Lists are shown in the
//! order given unless a field says otherwise, so the caller controls reproducibility: the same
//! view always renders to the same bytes.
//!
//! Every `Vec` and `Option` field may be left out of a JSON view (it defaults to empty or
//! `null`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The whole report.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportView {
    /// The page title and top heading, e.g. `ratings audit of corpus/`.
    pub title: String,
    /// What produced the report, e.g. `ratings 0.2.0, rules: shipped rules`. No timestamps:
    /// the output must be reproducible.
    pub generated: String,
    /// The rule directory the report was checked against, e.g. `shipped rules` or `rules/`.
    pub rules_name: String,
    /// The last year the grid shows (the CLI may pass the current year so the grid runs
    /// "2005 to today"); `None` ends the grid at the latest year of any assessment. The grid
    /// always starts at 2005, or at the earliest assessment if that is earlier.
    #[serde(default)]
    pub through_year: Option<i64>,
    /// The counts of `ratings check`, shown as they are (the renderer does not recount them).
    pub summary: Summary,
    /// The rule sets in force over the report's years, in the order to show them.
    #[serde(default)]
    pub frameworks: Vec<FrameworkView>,
    /// One per authority and year (annual frameworks) or per authority and inspection date.
    #[serde(default)]
    pub assessments: Vec<AssessmentView>,
    /// Every rule of the rule sets in `frameworks`, in the order to show them.
    #[serde(default)]
    pub rules: Vec<RuleView>,
    /// Rejected input: why each rejected record or unreadable file was rejected.
    #[serde(default)]
    pub problems: Vec<ProblemView>,
}

/// The summary counts, the same shape as the `summary` object of `ratings check --format json`.
/// `records = checked + rejected`; `assessments = consistent + inconsistent + unverifiable +
/// undecided`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    /// Input files read.
    pub files: usize,
    /// Input files that could not be read at all.
    pub unreadable_files: usize,
    /// Files found in directories and left out (see `ReportView::problems`).
    #[serde(default)]
    pub skipped_files: usize,
    /// Columns of wide tables that the column map does not name: their cells are not read.
    #[serde(default)]
    pub ignored_columns: usize,
    /// Records read.
    pub records: usize,
    /// Records that passed validation and were checked.
    pub checked: usize,
    /// Records rejected (see `ReportView::problems`).
    pub rejected: usize,
    /// Records that hold no graded inspection to check.
    #[serde(default)]
    pub not_graded: usize,
    /// Assessments (authority and year, or authority and inspection date).
    pub assessments: usize,
    /// Assessments whose published grades the rules allow.
    pub consistent: usize,
    /// Assessments whose published grades break a `must` rule.
    pub inconsistent: usize,
    /// Assessments the rules cannot test: any grades would pass.
    pub unverifiable: usize,
    /// Assessments whose evaluation ran out of budget.
    pub undecided: usize,
    /// Assessments whose verdict depends on which of two disagreeing sources is right.
    #[serde(default)]
    pub disputed: usize,
    /// Assessments in which two sources give one judgement different grades.
    pub conflicts: usize,
    /// Consistent assessments whose grades are independent of the rules' sources.
    #[serde(default)]
    pub consistent_independent: usize,
    /// Consistent assessments whose grades come from the rules' own sources.
    #[serde(default)]
    pub consistent_circular: usize,
    /// Consistent assessments whose grades come from documents outside the registry.
    #[serde(default)]
    pub consistent_unregistered: usize,
    /// Assessments with an error finding, whatever their verdict.
    #[serde(default)]
    pub with_errors: usize,
}

/// One rule set (framework period) and its judgement graph.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FrameworkView {
    /// The rule set id, e.g. `apa-2007`; the section's anchor is derived from it.
    pub id: String,
    /// Its title, e.g. `Annual performance assessment 2007-2008`.
    pub title: String,
    /// The period it covers, as text: `2007–2008` or `2023-01-01 to 2026-03-31`.
    pub period: String,
    /// How many rules are in force under it, its own and those it inherits; `None` counts the
    /// rules of `ReportView::rules` that name it as their rule set.
    #[serde(default)]
    pub rules_in_force: Option<usize>,
    /// Its judgements, in the order to list them.
    #[serde(default)]
    pub judgements: Vec<JudgementView>,
    /// The judgement graph to draw.
    #[serde(default)]
    pub graph: GraphView,
}

/// One judgement of a rule set.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct JudgementView {
    /// The judgement id, e.g. `apa.overall_effectiveness`.
    pub id: String,
    /// Its title, e.g. `Overall effectiveness of children's services`.
    pub title: String,
    /// True for a judgement that is never published (it exists only to state rules).
    #[serde(default)]
    pub latent: bool,
}

/// A judgement graph: an edge from each judgement a rule reads to the judgement it constrains.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GraphView {
    /// The nodes, one per judgement.
    #[serde(default)]
    pub nodes: Vec<NodeView>,
    /// The edges; several rules between the same two judgements are drawn as one arrow.
    #[serde(default)]
    pub edges: Vec<EdgeView>,
}

/// A node of a judgement graph.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NodeView {
    /// The judgement id, which edges refer to.
    pub id: String,
    /// The text in the box (long labels are wrapped), e.g. the judgement id.
    pub label: String,
    /// Drawn as a dashed box when true.
    #[serde(default)]
    pub latent: bool,
}

/// An edge of a judgement graph.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EdgeView {
    /// The node id the rule reads.
    pub from: String,
    /// The node id the rule constrains.
    pub to: String,
    /// The rule id; linked to the rule's section when it is in `ReportView::rules`.
    pub rule: String,
    /// True for a `usually` rule (drawn dashed).
    #[serde(default)]
    pub usually: bool,
}

/// The verdict on one authority in one year, or at one inspection.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssessmentView {
    /// A stable id, unique in the report, e.g. `leeds-2009` or `leeds-2024-05-01`; the
    /// section's anchor is derived from it and `data-assessment-id` holds it as is.
    pub id: String,
    /// The authority's name, e.g. `Leeds`.
    pub authority: String,
    /// Its local authority code, e.g. `383`; rows of the grid are one per code (or per name
    /// where the code is empty).
    #[serde(default)]
    pub la_code: String,
    /// `authority` (a row of the grid) or `provider` (a row of the providers' table).
    #[serde(default)]
    pub kind: String,
    /// The inspection's own number, where a source gives one (a provider's event number).
    #[serde(default)]
    pub inspection: Option<String>,
    /// What the sources say of a provider: `name`, `type`, `sector`, `local_authority`.
    #[serde(default)]
    pub attributes: BTreeMap<String, String>,
    /// The kind of rule a consistent or inconsistent verdict rests on: `stated` or `inferred`.
    #[serde(default)]
    pub basis: Option<String>,
    /// The year (the grid column).
    pub year: i64,
    /// The inspection date for dated inspections, ISO `YYYY-MM-DD`; `None` for annual
    /// frameworks.
    #[serde(default)]
    pub date: Option<String>,
    /// The rule set ids in force (links to `FrameworkView`s with those ids).
    #[serde(default)]
    pub frameworks: Vec<String>,
    /// `consistent`, `inconsistent`, `disputed`, `unverifiable` or `undecided` (anything else is shown as
    /// given, with a neutral style).
    pub verdict: String,
    /// How well the verdict is supported: `independent`, `circular` or `none`.
    #[serde(default)]
    pub support: String,
    /// A short headline for the grid cell, e.g. `overall: good`.
    #[serde(default)]
    pub headline: Option<String>,
    /// The published grades with their sources.
    #[serde(default)]
    pub published: Vec<PublishedView>,
    /// The findings, most severe first (shown in this order).
    #[serde(default)]
    pub findings: Vec<FindingView>,
    /// The grades the rules allowed for each judgement, given the published ones.
    #[serde(default)]
    pub allowed: Vec<GradeSet>,
    /// The grades the published ones imply for unpublished judgements.
    #[serde(default)]
    pub implied: Vec<GradeSet>,
    /// Judgements whose publication would test the verdict, and the rules they would test.
    #[serde(default)]
    pub would_test: Vec<WouldTestView>,
    /// When sources disagree: the other grades given for a judgement and what the verdict
    /// would have been with each.
    #[serde(default)]
    pub alternatives: Vec<AlternativeView>,
}

/// One published grade and where it was published.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublishedView {
    /// The judgement id, e.g. `apa.overall_effectiveness`.
    pub judgement: String,
    /// The judgement's title, e.g. `Overall effectiveness of children's services`.
    #[serde(default)]
    pub judgement_title: String,
    /// The grade as a number of its scale.
    pub value: i64,
    /// The grade as text, e.g. `good (3)`.
    pub label: String,
    /// The source document, e.g. `Ofsted APA letter to Leeds, 2009`.
    pub document_title: String,
    /// Where in the document, e.g. `para 4.13`.
    #[serde(default)]
    pub locator: String,
    /// The document's address, linked when it is `http:` or `https:` (anything else is shown as
    /// text and never linked).
    #[serde(default)]
    pub url: Option<String>,
    /// The record file the grade was read from.
    #[serde(default)]
    pub file: String,
    /// The line in that file.
    #[serde(default)]
    pub line: usize,
}

/// One finding of the check.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FindingView {
    /// A stable kebab-case code, e.g. `rule-broken`, `implied-grade`.
    pub code: String,
    /// `error`, `warning` or `info`.
    pub severity: String,
    /// The message, a sentence.
    pub message: String,
    /// The rule concerned; its text, strength, basis and citation are taken from
    /// `ReportView::rules`.
    #[serde(default)]
    pub rule: Option<String>,
    /// The grades it rests on, each as `judgement = label`.
    #[serde(default)]
    pub evidence: Vec<String>,
    /// For a finding about a rule: whether the grades involved come from documents the rule
    /// cites (`circular`) or not (`independent`).
    #[serde(default)]
    pub support: Option<String>,
}

/// A set of grades for one judgement.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GradeSet {
    /// The judgement id.
    pub judgement: String,
    /// The grades, as labels such as `adequate (2)`; empty means none at all.
    #[serde(default)]
    pub labels: Vec<String>,
}

/// A judgement whose publication would test the verdict.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WouldTestView {
    /// The judgement id.
    pub judgement: String,
    /// The rules its grade would test.
    #[serde(default)]
    pub rules: Vec<String>,
}

/// Another grade given for a judgement, when sources disagree.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlternativeView {
    /// The judgement id.
    pub judgement: String,
    /// The other grade, e.g. `good (3)`.
    pub value_label: String,
    /// The source giving it.
    pub source: String,
    /// The verdict with that grade in place of the published one; `None` when the check did
    /// not evaluate the assessment under each grade (it is shown as not checked).
    #[serde(default)]
    pub verdict: Option<String>,
}

/// One rule.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleView {
    /// The rule id, e.g. `apa.enjoying-and-achieving-caps-overall`; the section's anchor is
    /// derived from it.
    pub id: String,
    /// The rule set it belongs to, e.g. `apa-2007`.
    pub rule_set: String,
    /// The period of that rule set, as text.
    #[serde(default)]
    pub period: String,
    /// The rule in words.
    pub text: String,
    /// `must` or `usually`.
    pub strength: String,
    /// `guidance`, `reported` or `inferred`.
    pub basis: String,
    /// Its sources.
    #[serde(default)]
    pub cites: Vec<CiteView>,
    /// How many assessments' published grades test it.
    #[serde(default)]
    pub tested: usize,
    /// Assessments that support it from sources independent of its citations.
    #[serde(default)]
    pub independent_supports: usize,
    /// Assessments that support it only from the sources it cites.
    #[serde(default)]
    pub circular_supports: usize,
    /// Assessments whose published grades contradict it.
    #[serde(default)]
    pub contradicts: usize,
    /// Assessment ids of the counter-examples (linked).
    #[serde(default)]
    pub counter_examples: Vec<String>,
}

/// A citation of a rule.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CiteView {
    /// The source's title.
    pub title: String,
    /// Who published it.
    #[serde(default)]
    pub publisher: String,
    /// When, as text.
    #[serde(default)]
    pub date: String,
    /// Its address, linked when `http:` or `https:`.
    #[serde(default)]
    pub url: Option<String>,
    /// Where in it, e.g. `para 4.15`.
    #[serde(default)]
    pub locator: String,
}

/// A rejected input: a record or file and why.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProblemView {
    /// A stable kebab-case code.
    pub code: String,
    /// `error`, `warning` or `info`.
    pub severity: String,
    /// The message.
    pub message: String,
    /// The file.
    #[serde(default)]
    pub file: String,
    /// The line, 1-based.
    #[serde(default)]
    pub line: Option<usize>,
    /// The column, 1-based.
    #[serde(default)]
    pub column: Option<usize>,
}
