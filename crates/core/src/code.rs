//! Every problem and finding code, one enum: a typo in a code is a compile error, each code
//! has one severity, and the documentation is checked against [`Code::ALL`].

use std::fmt;

/// How serious a problem or finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Severity {
    /// Input lost, or a rule broken: the command exits non-zero.
    Error,
    /// Worth a look, but no rule is broken and nothing was lost.
    Warning,
    /// Information: what the rules imply, or why a check says nothing.
    Info,
}

impl Severity {
    /// `error`, `warning` or `info`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

macro_rules! codes {
    ($( $(#[$doc:meta])* $variant:ident = $name:literal, $severity:ident, $area:ident; )*) => {
        /// A stable, kebab-case code for every kind of problem and finding.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[non_exhaustive]
        pub enum Code {
            $( $(#[$doc])* $variant, )*
        }

        impl Code {
            /// Every code, in declaration order.
            pub const ALL: &'static [Code] = &[$(Code::$variant),*];

            /// The code as written in output and documentation, such as `rule-broken`.
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $name,)* }
            }

            /// The code of a name such as `rule-broken`, if it is one.
            pub fn from_name(name: &str) -> Option<Code> {
                match name { $($name => Some(Code::$variant),)* _ => None }
            }

            /// How serious the problem or finding is.
            pub fn severity(self) -> Severity {
                match self { $(Code::$variant => Severity::$severity,)* }
            }

            /// Which part of the tool reports it, and so which document describes it.
            pub fn area(self) -> Area {
                match self { $(Code::$variant => Area::$area,)* }
            }
        }
    };
}

/// Where a code is reported, and which document under `docs/` gives it a heading.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Area {
    /// Loading a rule directory: `docs/rules.md`.
    Rules,
    /// Reading input files and records: `docs/records.md`.
    Input,
    /// Checking assessments: `docs/records.md`.
    Check,
    /// Disagreements inside a document: `docs/letters.md`.
    Document,
    /// Analysing rules: `docs/analysis.md`.
    Analysis,
}

impl Area {
    /// The document under `docs/` that describes the codes of this area.
    pub fn doc(self) -> &'static str {
        match self {
            Area::Rules => "docs/rules.md",
            Area::Input | Area::Check => "docs/records.md",
            Area::Document => "docs/letters.md",
            Area::Analysis => "docs/analysis.md",
        }
    }
}

codes! {
    // Loading rules.
    /// A rule file that is not valid TOML, or a value of the wrong type.
    InvalidRuleFile = "invalid-rule-file", Error, Rules;
    /// A file with nothing in it.
    EmptyFile = "empty-file", Error, Rules;
    /// The same id declared twice.
    DuplicateId = "duplicate-id", Error, Rules;
    /// A scale without values.
    EmptyScale = "empty-scale", Error, Rules;
    /// A scale with more values than domains can hold.
    ScaleTooLong = "scale-too-long", Error, Rules;
    /// Scale numbers that do not run the declared way.
    ScaleOrder = "scale-order", Error, Rules;
    /// A scale label that is empty or reads as a number.
    InvalidLabel = "invalid-label", Error, Rules;
    /// A required key left out.
    MissingKey = "missing-key", Error, Rules;
    /// A key the table does not take.
    UnknownKey = "unknown-key", Error, Rules;
    /// A key that does not fit the constraint's kind or the condition's form.
    UnexpectedKey = "unexpected-key", Error, Rules;
    /// A span of years or dates that runs backwards or cannot be read.
    InvalidYears = "invalid-years", Error, Rules;
    /// A judgement id without a namespace.
    InvalidId = "invalid-id", Error, Rules;
    /// `extends` names a rule set that does not exist.
    UnknownRuleSet = "unknown-rule-set", Error, Rules;
    /// Rule sets that extend each other in a loop.
    ExtendsCycle = "extends-cycle", Error, Rules;
    /// A judgement on a scale that does not exist.
    UnknownScale = "unknown-scale", Error, Rules;
    /// `remove` names a constraint that is not inherited.
    UnmatchedRemove = "unmatched-remove", Error, Rules;
    /// A judgement that no rule set in force declares.
    UnknownJudgement = "unknown-judgement", Error, Rules;
    /// A condition of the wrong shape.
    InvalidCondition = "invalid-condition", Error, Rules;
    /// A value of the wrong kind (a fraction, a table).
    InvalidValue = "invalid-value", Error, Rules;
    /// A value that is not on the judgement's scale.
    ValueOffScale = "value-off-scale", Error, Rules;
    /// An `offset` larger than any scale.
    OffsetOutOfRange = "offset-out-of-range", Error, Rules;
    /// A cycle in a period's judgement graph.
    GraphCycle = "graph-cycle", Error, Rules;
    /// A period with more judgements or constraints than the engine evaluates.
    RulesTooLarge = "rules-too-large", Error, Rules;
    /// A rule directory without rule files.
    NoRules = "no-rules", Error, Rules;
    /// A citation of a document the registry does not hold.
    UnknownDocument = "unknown-document", Error, Rules;

    // Reading input.
    /// A file that cannot be read.
    Unreadable = "unreadable", Error, Input;
    /// A path that is not a regular file (a FIFO, a device).
    NotAFile = "not-a-file", Error, Input;
    /// A file larger than the tool reads.
    FileTooLarge = "file-too-large", Error, Input;
    /// A file that is not UTF-8 text.
    InvalidUtf8 = "invalid-utf8", Error, Input;
    /// A file whose extension names no known format.
    UnknownFormat = "unknown-format", Error, Input;
    /// A file found in a directory and skipped: not a record file, or excluded.
    SkippedFile = "skipped-file", Warning, Input;
    /// A record file that is not valid TOML, or a record of the wrong shape.
    InvalidRecordFile = "invalid-record-file", Error, Input;
    /// A record file without records.
    NoRecords = "no-records", Error, Input;
    /// A CSV file or row that cannot be read.
    InvalidCsv = "invalid-csv", Error, Input;
    /// A column map for wide tables that cannot be used.
    InvalidMap = "invalid-map", Error, Input;
    /// A date that cannot be read.
    InvalidDate = "invalid-date", Error, Input;
    /// An authority name that is not in the authorities table.
    UnknownAuthority = "unknown-authority", Error, Input;
    /// An authority name, or a table row, that could mean more than one authority.
    AmbiguousAuthority = "ambiguous-authority", Error, Input;
    /// A year or date that no rule set covers.
    NoRulesForYear = "no-rules-for-year", Error, Input;
    /// A year during which the rules changed, so that a date is needed.
    AmbiguousPeriod = "ambiguous-period", Error, Input;
    /// A record about a kind of subject (a provision type) that no rule set judges.
    UnknownSubject = "unknown-subject", Error, Input;
    /// Records that place one inspection under different rules (their dates fall on either
    /// side of a change of framework).
    ConflictingInspection = "conflicting-inspection", Error, Input;
    /// An inspection number that is not a whole number (a spreadsheet's `1.02E+07`): the record
    /// is matched to its inspection by provider and date instead.
    InvalidInspectionNumber = "invalid-inspection-number", Warning, Input;
    /// A column of a wide table that the map does not name and in which no cell is a grade:
    /// left out, and said so.
    UnreadColumn = "unread-column", Warning, Input;
    /// A record's source document that is not in the rule book's registry: its grades are
    /// never independent evidence.
    UnregisteredDocument = "unregistered-document", Warning, Input;
    /// A CSV file that is not UTF-8, read as Windows-1252 (the encoding spreadsheets save CSV in).
    LegacyEncoding = "legacy-encoding", Warning, Input;
    /// A latent judgement given as published.
    LatentJudgement = "latent-judgement", Error, Input;
    /// A grade that is not on its judgement's scale.
    GradeOffScale = "grade-off-scale", Error, Input;
    /// A record without grades.
    NoGrades = "no-grades", Error, Input;
    /// The same grades from the same source twice.
    DuplicateRecord = "duplicate-record", Error, Input;
    /// A grade found in a document but not placed on a judgement.
    UnplaceableGrade = "unplaceable-grade", Error, Input;
    /// A document whose layout the reader does not know.
    UnknownLayout = "unknown-layout", Error, Input;
    /// A command-line argument that cannot be used.
    InvalidArgument = "invalid-argument", Error, Input;

    // Checking.
    /// Published grades that break a `must` rule.
    RuleBroken = "rule-broken", Error, Check;
    /// Published grades that depart from a `usually` rule.
    DepartsFromUsual = "departs-from-usual", Warning, Check;
    /// An unpublished judgement that the published grades narrow.
    ImpliedGrade = "implied-grade", Info, Check;
    /// Published grades that any values would have passed.
    Unverifiable = "unverifiable", Info, Check;
    /// Two sources that give one judgement different grades.
    ConflictingSources = "conflicting-sources", Error, Check;
    /// An evaluation that ran out of budget.
    BudgetExceeded = "budget-exceeded", Error, Check;

    // Inside a document.
    /// A number and a label that disagree on one line.
    LabelMismatch = "label-mismatch", Error, Document;
    /// A grade and the paragraph about it that disagree.
    NarrativeMismatch = "narrative-mismatch", Error, Document;
    /// One grade stated twice with different values.
    RestatedGradeMismatch = "restated-grade-mismatch", Error, Document;
    /// A judgement the document's framework does not have, or one missing from its table.
    JudgementMismatch = "judgement-mismatch", Error, Document;

    // Analysing rules.
    /// No grades at all satisfy a period's rules.
    Unsatisfiable = "unsatisfiable", Error, Analysis;
    /// A value of a judgement that no consistent assignment uses.
    UnreachableValue = "unreachable-value", Error, Analysis;
    /// A `usually` rule that no consistent assignment can honour.
    UsualContradictsMust = "usual-contradicts-must", Error, Analysis;
    /// A constraint that the others imply.
    RedundantConstraint = "redundant-constraint", Warning, Analysis;
    /// A constraint whose condition can never hold.
    DeadConstraint = "dead-constraint", Warning, Analysis;
    /// A year between rule sets of one framework that no rule set covers.
    YearGap = "year-gap", Info, Analysis;
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_kebab_case() {
        let mut seen = std::collections::BTreeSet::new();
        for code in Code::ALL {
            let name = code.as_str();
            assert!(seen.insert(name), "`{name}` is used twice");
            assert!(
                name.split('-').all(|part| !part.is_empty()
                    && part
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())),
                "`{name}` is not kebab-case"
            );
        }
    }
}

/// What an auditor makes of a code (`--allow`, `--warn`, `--deny`), as cargo-deny lets its
/// users set the severity of each of its codes: the rules stay as written, the output and the
/// exit code follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Override {
    /// Left out of the output, and of the exit code.
    Allow,
    /// Shown as a warning.
    Warn,
    /// Shown as an error: the command exits 1 for it.
    Deny,
}

impl Override {
    /// The option that gives it: `--allow`, `--warn` or `--deny`.
    pub fn flag(self) -> &'static str {
        match self {
            Override::Allow => "--allow",
            Override::Warn => "--warn",
            Override::Deny => "--deny",
        }
    }
}

/// Why some overrides cannot be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum OverrideError {
    /// A code that reports lost input, which may only be denied: a run that lost input never
    /// looks clean.
    #[error("`{code}` reports input that was lost; it cannot be given to `{}` (a run that lost input never exits 0)", level.flag())]
    LostInput {
        /// The code.
        code: Code,
        /// What it was given to.
        level: Override,
    },
    /// A code given to two of the options.
    #[error("`{code}` is given to two of --allow, --warn and --deny")]
    Twice {
        /// The code.
        code: Code,
    },
}

/// The auditor's severities for some codes; every other code keeps its own.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Overrides {
    by_code: std::collections::BTreeMap<Code, Override>,
}

impl Overrides {
    /// The overrides of `--allow`, `--warn` and `--deny`, or why they cannot be: a code given
    /// twice, or a code that reports lost input (a rejected record, an unreadable file) given to
    /// `--allow` or `--warn`, since a run that lost input never looks clean.
    pub fn new(allow: &[Code], warn: &[Code], deny: &[Code]) -> Result<Overrides, OverrideError> {
        let mut by_code = std::collections::BTreeMap::new();
        for (codes, level) in [
            (allow, Override::Allow),
            (warn, Override::Warn),
            (deny, Override::Deny),
        ] {
            for &code in codes {
                if code.area() == Area::Input
                    && code.severity() == Severity::Error
                    && level != Override::Deny
                {
                    return Err(OverrideError::LostInput { code, level });
                }
                if let Some(before) = by_code.insert(code, level) {
                    if before != level {
                        return Err(OverrideError::Twice { code });
                    }
                }
            }
        }
        Ok(Overrides { by_code })
    }

    /// The severity a code's problem or finding takes; `None` when it is allowed (left out).
    pub fn severity(&self, code: Code) -> Option<Severity> {
        match self.by_code.get(&code) {
            None => Some(code.severity()),
            Some(Override::Allow) => None,
            Some(Override::Warn) => Some(Severity::Warning),
            Some(Override::Deny) => Some(Severity::Error),
        }
    }

    /// Whether no code is overridden.
    pub fn is_empty(&self) -> bool {
        self.by_code.is_empty()
    }

    /// The problems with the auditor's severities: allowed ones left out, the others'
    /// severities set.
    pub fn problems(&self, problems: Vec<crate::Problem>) -> Vec<crate::Problem> {
        if self.is_empty() {
            return problems;
        }
        problems
            .into_iter()
            .filter_map(|mut problem| {
                problem.severity = self.severity(problem.code)?;
                Some(problem)
            })
            .collect()
    }
}
