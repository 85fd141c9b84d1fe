//! Problems found in an input text, each pinned to a file, line and column.
//!
//! Both the rule loader and the record loaders of the check crate report through [`Problem`],
//! so every bad input renders the same way: a miette diagnostic with a label on the offending
//! text, and a JSON object with the file, line and column spelled out.

use std::fmt;
use std::ops::Range;
use std::sync::{Arc, OnceLock};

use miette::{Diagnostic, LabeledSpan, NamedSource, SourceCode};
use serde::Serialize;

/// One input text with the name it is shown under (usually its path).
#[derive(Debug, Clone)]
pub struct SourceText {
    pub name: String,
    /// An `Arc<String>`, not `Arc<str>`, so that a file read into a `String` is not copied.
    pub text: Arc<String>,
    /// Byte offsets where lines start, built on first use and shared by clones, so that
    /// positions in a large file cost a binary search, not a scan from the start.
    line_starts: Arc<OnceLock<Vec<usize>>>,
}

impl SourceText {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        SourceText {
            name: name.into(),
            text: Arc::new(text.into()),
            line_starts: Arc::new(OnceLock::new()),
        }
    }

    /// One-based line and column (in characters) of a byte offset.
    pub fn line_column(&self, offset: usize) -> (usize, usize) {
        let starts = self.starts();
        let offset = floor_char_boundary(&self.text, offset.min(self.text.len()));
        let line = starts.partition_point(|&start| start <= offset).max(1);
        let column = self.text[starts[line - 1]..offset].chars().count() + 1;
        (line, column)
    }

    /// The byte span of a one-based line, without its line end (empty past the end).
    pub fn line_span(&self, line: usize) -> Range<usize> {
        let starts = self.starts();
        let Some(&start) = line.checked_sub(1).and_then(|index| starts.get(index)) else {
            return self.text.len()..self.text.len();
        };
        let end = starts.get(line).map_or(self.text.len(), |&next| next);
        let trimmed = self.text[start..end].trim_end_matches(['\n', '\r']);
        start..start + trimmed.len()
    }

    fn starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(self.text.match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        })
    }
}

/// A problem in an input, with a stable kebab-case code.
#[derive(Debug, Clone, Serialize)]
pub struct Problem {
    pub code: &'static str,
    pub message: String,
    pub file: String,
    /// One-based; absent when the problem concerns the whole file or no file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<Box<str>>,
    /// The text shown under the message, boxed so that a `Problem` stays small to pass around.
    #[serde(skip)]
    snippet: Option<Box<Snippet>>,
}

/// The labelled span of a problem in its source text.
#[derive(Debug, Clone)]
struct Snippet {
    label: String,
    span: Range<usize>,
    source: NamedSource<Arc<String>>,
}

impl Problem {
    /// A problem at a byte span of a source text.
    pub fn at(
        code: &'static str,
        source: &SourceText,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> Self {
        let clamped = clamp_span(&source.text, span);
        let (line, column) = source.line_column(clamped.start);
        Problem {
            code,
            message: message.into(),
            file: source.name.clone(),
            line: Some(line),
            column: Some(column),
            help: None,
            snippet: Some(Box::new(Snippet {
                label: "here".to_owned(),
                span: clamped,
                source: NamedSource::new(source.name.clone(), source.text.clone()),
            })),
        }
    }

    /// A problem about a whole file (an empty file, a file that cannot be read).
    pub fn in_file(
        code: &'static str,
        file: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Problem {
            code,
            message: message.into(),
            file: file.into(),
            line: None,
            column: None,
            help: None,
            snippet: None,
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into().into_boxed_str());
        self
    }

    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        if let Some(snippet) = &mut self.snippet {
            snippet.label = label.into();
        }
        self
    }

    /// `file:line:column`, or just the file when there is no position.
    pub fn location(&self) -> String {
        match (self.line, self.column) {
            (Some(line), Some(column)) => format!("{}:{line}:{column}", self.file),
            _ => self.file.clone(),
        }
    }

    /// The problem as a miette report, for rendering.
    pub fn to_report(&self) -> miette::Report {
        miette::Report::new(self.clone())
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location(), self.message)
    }
}

impl std::error::Error for Problem {}

impl Diagnostic for Problem {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.code))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|help| Box::new(help) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.snippet
            .as_ref()
            .map(|snippet| &snippet.source as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let snippet = self.snippet.as_ref()?;
        let span = &snippet.span;
        let label = LabeledSpan::new(
            Some(snippet.label.clone()),
            span.start,
            span.end.saturating_sub(span.start),
        );
        Some(Box::new(std::iter::once(label)))
    }
}

/// Names longer than this get no "did you mean" suggestion.
pub const MAX_NEAR_MISS_LEN: usize = 200;

/// "did you mean `x`?" for the closest candidate, when one is close enough.
pub fn did_you_mean<'a>(
    wanted: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    let mut best: Option<(f64, &str)> = None;
    for candidate in candidates {
        let score = strsim::jaro_winkler(wanted, candidate);
        if score > 0.8 && best.is_none_or(|(best_score, _)| score > best_score) {
            best = Some((score, candidate));
        }
    }
    best.map(|(_, candidate)| format!("did you mean `{candidate}`?"))
}

fn clamp_span(text: &str, span: Range<usize>) -> Range<usize> {
    let start = floor_char_boundary(text, span.start.min(text.len()));
    let end = floor_char_boundary(text, span.end.min(text.len())).max(start);
    start..end
}

fn floor_char_boundary(text: &str, mut index: usize) -> usize {
    while index > 0 && !text.is_char_boundary(index) {
        index -= 1;
    }
    index
}
