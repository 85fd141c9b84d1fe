//! Problems found in an input text, each pinned to a file, line and column, and the one
//! renderer that draws every problem and finding for people.
//!
//! Both the rule loader and the readers of the check crate report through [`Problem`]. A
//! problem keeps a short excerpt of the line it points at, never the whole text, so that
//! rendering thousands of problems stays linear and a huge line is never echoed whole.

use std::borrow::Cow;
use std::fmt;
use std::ops::Range;
use std::sync::{Arc, OnceLock};

use miette::{Diagnostic, LabeledSpan, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

use crate::code::{Code, Severity};

/// One input text with the name it is shown under (usually its path).
#[derive(Debug, Clone)]
pub struct SourceText {
    /// The name shown in messages.
    pub name: String,
    /// An `Arc<String>`, not `Arc<str>`, so that a file read into a `String` is not copied.
    pub text: Arc<String>,
    /// Byte offsets where lines start, built on first use and shared by clones, so that
    /// positions in a large file cost a binary search, not a scan from the start.
    line_starts: Arc<OnceLock<Vec<usize>>>,
    /// The line of the file that the text's first line is: 1, unless the text is a part of a
    /// file read as a stream (see [`SourceText::part`]).
    first_line: usize,
}

impl SourceText {
    /// A text and the name it is shown under.
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        SourceText::part(name, text, 1)
    }

    /// A part of a file that starts at the beginning of line `first_line` of it: a file read as
    /// a stream is never held whole, so a row that needs a diagnostic is given its own lines.
    /// Lines and columns are the file's; byte offsets and spans are the part's.
    pub fn part(name: impl Into<String>, text: impl Into<String>, first_line: usize) -> Self {
        SourceText {
            name: name.into(),
            text: Arc::new(text.into()),
            line_starts: Arc::new(OnceLock::new()),
            first_line: first_line.max(1),
        }
    }

    /// The line of the file that the text starts on (1 for a whole file).
    pub fn first_line(&self) -> usize {
        self.first_line
    }

    /// One-based line and column (in characters) of a byte offset.
    pub fn line_column(&self, offset: usize) -> (usize, usize) {
        let starts = self.starts();
        let offset = floor_char_boundary(&self.text, offset.min(self.text.len()));
        let line = starts.partition_point(|&start| start <= offset).max(1);
        let column = self.text[starts[line - 1]..offset].chars().count() + 1;
        (line + self.first_line - 1, column)
    }

    /// The byte span of a one-based line, without its line end (empty past the end).
    pub fn line_span(&self, line: usize) -> Range<usize> {
        let starts = self.starts();
        let Some(&start) = line
            .checked_sub(self.first_line)
            .and_then(|index| starts.get(index))
        else {
            return self.text.len()..self.text.len();
        };
        let end = starts
            .get(line + 1 - self.first_line)
            .map_or(self.text.len(), |&next| next);
        let trimmed = self.text[start..end].trim_end_matches(['\n', '\r']);
        start..start + trimmed.len()
    }

    /// The number of the text's last line (a final line without a line end counts).
    pub fn line_count(&self) -> usize {
        let starts = self.starts();
        let lines = if self.text.ends_with('\n') {
            starts.len() - 1
        } else {
            starts.len()
        };
        lines + self.first_line - 1
    }

    fn starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(self.text.match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        })
    }
}

/// A problem in an input, with a stable code.
#[derive(Debug, Clone)]
pub struct Problem {
    /// What kind of problem it is.
    pub code: Code,
    /// Derived from the code, kept as a field so that JSON shows it.
    pub severity: Severity,
    /// One line, lowercase, user input in backticks.
    pub message: String,
    /// The file, as named on the command line or in a directory listing.
    pub file: String,
    /// One-based; absent when the problem concerns the whole file or no file (a `u32`: inputs
    /// are at most 256 MiB).
    pub line: Option<u32>,
    /// One-based, in characters.
    pub column: Option<u32>,
    /// What to do about it.
    pub help: Option<Box<str>>,
    /// The judgement the problem is about, as written (a grade off its scale, a judgement the
    /// rules in force do not have), so that a program need not read it out of the message.
    pub judgement: Option<Box<str>>,
    /// The line the problem points at, boxed so that a `Problem` stays small to pass around.
    excerpt: Option<Box<Excerpt>>,
}

/// The line a problem points at, cut to a window around the span, with control characters
/// shown escaped.
#[derive(Debug, Clone)]
pub struct Excerpt {
    line: usize,
    /// The shown text of the line.
    text: String,
    /// The underlined part of `text`, in bytes.
    underline: Range<usize>,
    label: String,
    name: String,
}

/// The most characters of a line an excerpt shows.
const EXCERPT_CHARS: usize = 120;

/// The most characters of user input a message repeats (see [`shown`]).
pub const SHOWN_CHARS: usize = 200;

impl Problem {
    /// A problem at a byte span of a source text.
    pub fn at(
        code: Code,
        source: &SourceText,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> Self {
        let clamped = clamp_span(&source.text, span);
        let (line, column) = source.line_column(clamped.start);
        let excerpt = Excerpt::new(source, line, clamped);
        Problem {
            code,
            severity: code.severity(),
            message: message.into(),
            file: source.name.clone(),
            line: Some(u32::try_from(line).unwrap_or(u32::MAX)),
            column: Some(u32::try_from(column).unwrap_or(u32::MAX)),
            help: None,
            judgement: None,
            excerpt: Some(Box::new(excerpt)),
        }
    }

    /// A problem about a whole file (an empty file, a file that cannot be read), or about no
    /// file at all (an argument).
    pub fn in_file(code: Code, file: impl Into<String>, message: impl Into<String>) -> Self {
        Problem {
            code,
            severity: code.severity(),
            message: message.into(),
            file: file.into(),
            line: None,
            column: None,
            help: None,
            judgement: None,
            excerpt: None,
        }
    }

    /// The same problem with a help line.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into().into_boxed_str());
        self
    }

    /// The same problem, about this judgement.
    pub fn with_judgement(mut self, judgement: &str) -> Self {
        self.judgement = Some(judgement.into());
        self
    }

    /// The same problem with another label under the underlined text (the default is `here`).
    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        if let Some(excerpt) = &mut self.excerpt {
            excerpt.label = label.into();
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

    /// The problem drawn for people: see [`render`].
    pub fn render(&self) -> String {
        render(&self.view(), 0)
    }

    /// What the renderer draws.
    pub fn view(&self) -> View<'_> {
        View {
            code: self.code,
            severity: self.severity,
            message: &self.message,
            location: (!self.file.is_empty()).then(|| self.location()),
            excerpt: self.excerpt.as_deref(),
            notes: Vec::new(),
            help: self.help.as_deref(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location(), self.message)
    }
}

impl std::error::Error for Problem {}

/// For library users who render with miette: the excerpt is the source code.
impl Diagnostic for Problem {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.code))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|help| Box::new(help) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.excerpt.as_deref().map(|e| e as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let excerpt = self.excerpt.as_ref()?;
        let span = &excerpt.underline;
        let label = LabeledSpan::new(Some(excerpt.label.clone()), span.start, span.len());
        Some(Box::new(std::iter::once(label)))
    }
}

impl SourceCode for Excerpt {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        _context_lines_before: usize,
        _context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, miette::MietteError> {
        if span.offset() + span.len() > self.text.len() {
            return Err(miette::MietteError::OutOfBounds);
        }
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            self.text.as_bytes(),
            (0, self.text.len()).into(),
            self.line - 1,
            0,
            1,
        )))
    }
}

impl Excerpt {
    fn new(source: &SourceText, line: usize, span: Range<usize>) -> Excerpt {
        let line_span = source.line_span(line);
        let line_text = &source.text[line_span.clone()];
        let start = span
            .start
            .saturating_sub(line_span.start)
            .min(line_text.len());
        let end = span
            .end
            .min(line_span.end)
            .saturating_sub(line_span.start)
            .max(start);
        // A window of characters around the start of the span.
        let before: Vec<(usize, char)> = line_text[..start].char_indices().collect();
        let window_start = if before.len() > EXCERPT_CHARS / 3 {
            before[before.len() - EXCERPT_CHARS / 3].0
        } else {
            0
        };
        let window_end = line_text[window_start..]
            .char_indices()
            .nth(EXCERPT_CHARS)
            .map_or(line_text.len(), |(i, _)| window_start + i);
        let mut text = String::new();
        if window_start > 0 {
            text.push('…');
        }
        let mut underline = text.len()..text.len();
        for (index, c) in line_text[window_start..window_end].char_indices() {
            let at = window_start + index;
            if at == start {
                underline.start = text.len();
            }
            if at == end {
                underline.end = text.len();
            }
            push_shown(&mut text, c);
        }
        if start >= window_end {
            underline.start = text.len();
        }
        if end >= window_end {
            underline.end = text.len();
        }
        if window_end < line_text.len() {
            text.push('…');
        }
        Excerpt {
            line,
            text,
            underline,
            label: "here".to_owned(),
            name: source.name.clone(),
        }
    }
}

/// What the renderer draws: a code (and with it a severity), a message, where, an excerpt,
/// notes and help. Problems, check findings and analysis findings all make one.
#[derive(Debug, Clone)]
pub struct View<'a> {
    /// The code.
    pub code: Code,
    /// How serious it is: the code's own severity, or the auditor's (`--warn`, `--deny`).
    pub severity: Severity,
    /// One line.
    pub message: &'a str,
    /// `file:line:column`, or a file.
    pub location: Option<String>,
    /// The line pointed at.
    pub excerpt: Option<&'a Excerpt>,
    /// Lines such as "rule `x` (must, reported)".
    pub notes: Vec<String>,
    /// What to do about it.
    pub help: Option<&'a str>,
}

/// Draw a problem or finding as text, like a compiler diagnostic, indented by `indent` spaces:
///
/// ```text
/// error[unknown-key]: unknown field `verdict`
///  --> records.toml:5:1
///   |
/// 5 | verdict = "fine"
///   | ^^^^^^^ here
///   = help: see docs/records.md
/// ```
///
/// Control characters in any part are shown escaped, so input cannot move the cursor or
/// break lines.
pub fn render(view: &View<'_>, indent: usize) -> String {
    use fmt::Write as _;
    let pad = " ".repeat(indent);
    let gutter = view.excerpt.map_or(1, |e| e.line.to_string().len());
    let blank = " ".repeat(gutter);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{pad}{}[{}]: {}",
        view.severity.as_str(),
        view.code,
        escape(view.message)
    );
    if let Some(location) = &view.location {
        let _ = writeln!(out, "{pad}{blank}--> {}", escape(location));
    }
    if let Some(excerpt) = view.excerpt {
        let underline_start = excerpt.text[..excerpt.underline.start].chars().count();
        let width = excerpt.text[excerpt.underline.clone()]
            .chars()
            .count()
            .max(1);
        let _ = writeln!(out, "{pad}{blank} |");
        let _ = writeln!(out, "{pad}{} | {}", excerpt.line, excerpt.text);
        let _ = writeln!(
            out,
            "{pad}{blank} | {}{} {}",
            " ".repeat(underline_start),
            "^".repeat(width),
            escape(&excerpt.label)
        );
    }
    for note in &view.notes {
        let _ = writeln!(out, "{pad}{blank} = {}", escape(note));
    }
    if let Some(help) = view.help {
        let _ = writeln!(out, "{pad}{blank} = help: {}", escape(help));
    }
    out
}

/// Text with control and bidirectional-formatting characters shown as escapes (`\n`,
/// `\u{1b}`), so that it prints on one line and cannot move the cursor.
pub fn escape(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        push_shown(&mut out, c);
    }
    Cow::Owned(out)
}

/// User input as a message repeats it: at most [`SHOWN_CHARS`] characters, with `…` where
/// it was cut.
pub fn shown(text: &str) -> Cow<'_, str> {
    match text.char_indices().nth(SHOWN_CHARS) {
        None => Cow::Borrowed(text),
        Some((cut, _)) => Cow::Owned(format!("{}…", &text[..cut])),
    }
}

fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

fn push_shown(out: &mut String, c: char) {
    if needs_escape(c) {
        out.extend(c.escape_default());
    } else {
        out.push(c);
    }
}

/// Names longer than this get no "did you mean" suggestion.
pub const MAX_NEAR_MISS_LEN: usize = 200;

/// "did you mean `x`?" for the closest candidate, when one is close enough. A candidate equal
/// to what was written is never suggested.
pub fn did_you_mean<'a>(
    wanted: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    nearest(
        wanted,
        candidates
            .into_iter()
            .filter(|candidate| *candidate != wanted)
            .map(|candidate| (candidate, candidate)),
    )
    .map(|candidate| format!("did you mean `{}`?", shown(candidate)))
}

/// The one way near misses are found: of the candidates' names, the nearest to `wanted`
/// (Jaro-Winkler similarity over 0.8; the first on a tie), and what it stands for. Names
/// longer than [`MAX_NEAR_MISS_LEN`] are never compared, so the search stays cheap whatever
/// the input.
pub fn nearest<'a, T>(
    wanted: &str,
    candidates: impl IntoIterator<Item = (&'a str, T)>,
) -> Option<T> {
    if wanted.len() > MAX_NEAR_MISS_LEN {
        return None;
    }
    let mut best: Option<(f64, T)> = None;
    for (name, value) in candidates {
        if name.len() > MAX_NEAR_MISS_LEN {
            continue;
        }
        let score = strsim::jaro_winkler(wanted, name);
        if score > 0.8
            && best
                .as_ref()
                .is_none_or(|(best_score, _)| score > *best_score)
        {
            best = Some((score, value));
        }
    }
    best.map(|(_, value)| value)
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

/// `1 file`, `2 files`: the one way messages count things.
pub fn count(n: usize, noun: &str) -> String {
    format!("{n} {}", plural(n, noun))
}

/// The noun for `n` of it: `file` for 1, `files` otherwise (the nouns counted here all take
/// an `s`).
pub fn plural(n: usize, noun: &str) -> std::borrow::Cow<'_, str> {
    if n == 1 {
        std::borrow::Cow::Borrowed(noun)
    } else {
        std::borrow::Cow::Owned(format!("{noun}s"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_problem_renders_with_its_line_underlined() {
        let source = SourceText::new("r.toml", "a = 1\nverdict = \"fine\"\n");
        let problem = Problem::at(Code::UnknownKey, &source, 6..13, "unknown field `verdict`")
            .with_help("see docs/records.md");
        assert_eq!(
            problem.render(),
            "error[unknown-key]: unknown field `verdict`\n --> r.toml:2:1\n  |\n2 | verdict = \"fine\"\n  | ^^^^^^^ here\n  = help: see docs/records.md\n"
        );
    }

    #[test]
    fn control_characters_never_reach_the_terminal() {
        let source = SourceText::new("evil\nname", "x = \"\u{1b}[31mred\u{202e}\"\n");
        let problem = Problem::at(Code::InvalidValue, &source, 4..18, "bad `\u{1b}[2J`");
        let rendered = problem.render();
        assert!(!rendered.contains('\u{1b}'), "{rendered}");
        assert!(!rendered.contains('\u{202e}'), "{rendered}");
        assert!(rendered.contains("\\u{1b}[2J"), "{rendered}");
        assert!(rendered.contains("evil\\nname"), "{rendered}");
        assert_eq!(rendered.lines().count(), 5, "{rendered}");
    }

    #[test]
    fn a_huge_line_is_cut_to_a_window_around_the_span() {
        let text = format!("{}BAD{}\n", "a".repeat(100_000), "b".repeat(100_000));
        let source = SourceText::new("big", text);
        let problem = Problem::at(Code::InvalidValue, &source, 100_000..100_003, "bad");
        let rendered = problem.render();
        assert!(rendered.len() < 1_000, "{} bytes", rendered.len());
        let excerpt_line = rendered.lines().nth(3).unwrap_or_default();
        let marks = rendered.lines().nth(4).unwrap_or_default();
        let chars_before = |line: &str, at: usize| line[..at].chars().count();
        let at = chars_before(excerpt_line, excerpt_line.find("BAD").unwrap_or(0));
        let mark = chars_before(marks, marks.find('^').unwrap_or(0));
        assert_eq!(mark, at, "{rendered}");
        assert_eq!(problem.column, Some(100_001));
    }

    #[test]
    fn did_you_mean_never_suggests_what_was_written() {
        assert_eq!(did_you_mean("a.b", ["a.b"]), None);
        assert_eq!(
            did_you_mean("a.bee", ["a.b", "a.be"]),
            Some("did you mean `a.be`?".to_owned())
        );
    }
}
