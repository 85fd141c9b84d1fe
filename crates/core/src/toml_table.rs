//! Reading TOML tables item by item, with a span for every key and value, so that one bad
//! item is reported and the items beside it are still read.
//!
//! Rule files, record files and column maps all read through [`Table`]: unknown keys (with
//! "did you mean"), missing keys and values of the wrong type are each a [`Problem`] at the
//! offending text, and reading goes on.

use std::ops::Range;

use chrono::NaiveDate;
use toml::de::{DeTable, DeValue};
use toml::Spanned;

use crate::code::Code;
use crate::diagnostic::{did_you_mean, shown, Problem, SourceText};

/// The largest TOML record file or column map read: 4 MiB. The parser needs up to about 160
/// times a document's size on hostile input (a file of dots), so the limit keeps that under
/// 700 MB; a record file this large holds some 11,000 assessments of seven grades, and more
/// belong in CSV, which is read as a stream.
pub const MAX_TOML_BYTES: usize = 4 << 20;

/// The largest rule file read: 16 MiB, room for a rule book at its limits (20,000
/// constraints); rule files are written by the rule's authors, not received.
pub const MAX_RULE_FILE_BYTES: usize = 16 << 20;

/// A document over `limit`, refused before it is parsed.
fn too_large(source: &SourceText, limit: usize, help: &str) -> Option<Problem> {
    (source.text.len() > limit).then(|| {
        Problem::in_file(
            Code::FileTooLarge,
            &source.name,
            format!(
                "the file is {:.1} MiB, more than the {} MiB a TOML file may be",
                source.text.len() as f64 / f64::from(1u32 << 20),
                limit >> 20
            ),
        )
        .with_help(help)
    })
}

/// A whole TOML document, parsed; `None` with the syntax problems when it is not valid TOML,
/// or with `file-too-large` when it is over [`MAX_TOML_BYTES`].
pub fn parse<'i>(
    source: &'i SourceText,
    code: Code,
    help: &str,
    problems: &mut Vec<Problem>,
) -> Option<Spanned<DeTable<'i>>> {
    if let Some(problem) = too_large(source, MAX_TOML_BYTES, "split it into several files, or write records as CSV (`authority,year,judgement,grade,source,locator`), which is read as a stream and may be up to 256 MiB") {
        problems.push(problem);
        return None;
    }
    match DeTable::parse(&source.text) {
        Ok(table) => Some(table),
        Err(error) => {
            problems.push(syntax_problem(source, code, &error, help));
            None
        }
    }
}

/// Every syntax problem of a rule file that is not valid TOML, and what could be read of it
/// (for the names it declares, so that other files are not blamed for them); `file-too-large`
/// over [`MAX_RULE_FILE_BYTES`].
pub fn parse_broken<'i>(
    source: &'i SourceText,
    code: Code,
    help: &str,
    problems: &mut Vec<Problem>,
) -> Option<Spanned<DeTable<'i>>> {
    if let Some(problem) = too_large(
        source,
        MAX_RULE_FILE_BYTES,
        "split the rules into several files",
    ) {
        problems.push(problem);
        return None;
    }
    let (table, errors) = DeTable::parse_recoverable(&source.text);
    if errors.is_empty() {
        return Some(table);
    }
    for error in &errors {
        problems.push(syntax_problem(source, code, error, help));
    }
    None
}

/// The recovered part of a document with syntax errors: `parse_broken` reports them; this
/// gives what could be read anyway.
pub fn recover<'i>(source: &'i SourceText) -> Spanned<DeTable<'i>> {
    if source.text.len() > MAX_RULE_FILE_BYTES {
        return Spanned::new(0..0, DeTable::default());
    }
    DeTable::parse_recoverable(&source.text).0
}

fn syntax_problem(source: &SourceText, code: Code, error: &toml::de::Error, help: &str) -> Problem {
    let span = error.span().unwrap_or(0..0);
    let message = error
        .message()
        .lines()
        .next()
        .unwrap_or("")
        .trim()
        .trim_end_matches('.')
        .to_owned();
    let mut problem = Problem::at(code, source, span, message);
    if !help.is_empty() {
        problem = problem.with_help(help);
    }
    problem
}

/// One TOML table being read: what it is (for messages), where it is, its entries.
pub struct Table<'a, 'i> {
    /// The text the table is in.
    pub source: &'a SourceText,
    /// The table's span: problems about the whole table point at its first line.
    pub span: Range<usize>,
    /// Its keys and values.
    pub entries: &'a DeTable<'i>,
    /// What the table is, for messages: `a constraint`, `the record`.
    pub what: &'static str,
}

/// A value written as a number or as a label of a scale.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Written {
    /// A whole number.
    Number(i64),
    /// A label or alias.
    Label(String),
}

impl<'a, 'i> Table<'a, 'i> {
    /// The document's top-level table.
    pub fn root(
        source: &'a SourceText,
        root: &'a Spanned<DeTable<'i>>,
        what: &'static str,
    ) -> Self {
        Table {
            source,
            span: root.span(),
            entries: root.get_ref(),
            what,
        }
    }

    /// A value that must be a table; a problem otherwise.
    pub fn of(
        source: &'a SourceText,
        value: &'a Spanned<DeValue<'i>>,
        what: &'static str,
        problems: &mut Vec<Problem>,
    ) -> Option<Self> {
        match value.get_ref() {
            DeValue::Table(entries) => Some(Table {
                source,
                span: value.span(),
                entries,
                what,
            }),
            other => {
                problems.push(Problem::at(
                    Code::InvalidValue,
                    source,
                    value.span(),
                    format!("{what} must be a table, not {}", describe(other)),
                ));
                None
            }
        }
    }

    /// Report every key that is not one of `known`, with the nearest known key as help.
    pub fn check_keys(&self, known: &[&str], problems: &mut Vec<Problem>) {
        for (key, _) in self.entries.iter() {
            let name: &str = key.get_ref();
            if known.contains(&name) {
                continue;
            }
            let mut problem = Problem::at(
                Code::UnknownKey,
                self.source,
                key.span(),
                format!("{} takes no key `{}`", self.what, shown(name)),
            );
            problem = problem.with_help(match did_you_mean(name, known.iter().copied()) {
                Some(help) => help,
                None => format!("{} takes {}", self.what, quoted_list(known)),
            });
            problems.push(problem);
        }
    }

    /// The value of a key, if present.
    pub fn get(&self, key: &str) -> Option<&'a Spanned<DeValue<'i>>> {
        self.entries
            .iter()
            .find(|(k, _)| AsRef::<str>::as_ref(k.get_ref()) == key)
            .map(|(_, v)| v)
    }

    /// The span of a key's name, if present.
    pub fn key_span(&self, key: &str) -> Option<Range<usize>> {
        self.entries
            .iter()
            .find(|(k, _)| AsRef::<str>::as_ref(k.get_ref()) == key)
            .map(|(k, _)| k.span())
    }

    /// Report every one of `keys` that is absent, in one problem.
    pub fn require(&self, keys: &[&str], help: &str, problems: &mut Vec<Problem>) -> bool {
        // A key written with a typo is reported as unknown, with this key as its "did you
        // mean": it is not reported missing as well.
        let misspelt = |key: &str| {
            self.entries.iter().any(|(present, _)| {
                let present: &str = present.get_ref();
                !keys.contains(&present) && did_you_mean(present, [key]).is_some()
            })
        };
        let missing: Vec<&str> = keys
            .iter()
            .copied()
            .filter(|key| self.get(key).is_none() && !misspelt(key))
            .collect();
        if missing.is_empty() {
            return true;
        }
        let mut problem = Problem::at(
            Code::MissingKey,
            self.source,
            self.header(),
            format!("{} has no {}", self.what, quoted_list(&missing)),
        );
        if !help.is_empty() {
            problem = problem.with_help(help);
        }
        problems.push(problem);
        false
    }

    /// The first line of the table, for problems about the table as a whole.
    pub fn header(&self) -> Range<usize> {
        let text = &self.source.text;
        let start = self.span.start.min(text.len());
        let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        start..end.min(self.span.end.max(start))
    }

    /// A string value; a problem when the key holds something else.
    pub fn string(&self, key: &str, problems: &mut Vec<Problem>) -> Option<Spanned<String>> {
        let value = self.get(key)?;
        match value.get_ref() {
            DeValue::String(text) => Some(Spanned::new(value.span(), text.to_string())),
            other => {
                problems.push(self.wrong_type(key, value, "text", other));
                None
            }
        }
    }

    /// A whole number; a problem when the key holds something else.
    pub fn integer(&self, key: &str, problems: &mut Vec<Problem>) -> Option<Spanned<i64>> {
        let value = self.get(key)?;
        match integer(value.get_ref()) {
            Some(number) => Some(Spanned::new(value.span(), number)),
            None => {
                problems.push(self.wrong_type(key, value, "a whole number", value.get_ref()));
                None
            }
        }
    }

    /// A boolean; a problem when the key holds something else.
    pub fn boolean(&self, key: &str, problems: &mut Vec<Problem>) -> Option<bool> {
        let value = self.get(key)?;
        match value.get_ref() {
            DeValue::Boolean(flag) => Some(*flag),
            other => {
                problems.push(self.wrong_type(key, value, "true or false", other));
                None
            }
        }
    }

    /// An array; a problem when the key holds something else.
    pub fn array(
        &self,
        key: &str,
        problems: &mut Vec<Problem>,
    ) -> Option<&'a [Spanned<DeValue<'i>>]> {
        let value = self.get(key)?;
        match value.get_ref() {
            DeValue::Array(items) => Some(items),
            other => {
                problems.push(self.wrong_type(key, value, "an array", other));
                None
            }
        }
    }

    /// An array of strings; a problem for each item that is not one.
    pub fn strings(&self, key: &str, problems: &mut Vec<Problem>) -> Option<Vec<Spanned<String>>> {
        let items = self.array(key, problems)?;
        let mut out = Vec::new();
        for item in items {
            match item.get_ref() {
                DeValue::String(text) => out.push(Spanned::new(item.span(), text.to_string())),
                other => problems.push(Problem::at(
                    Code::InvalidValue,
                    self.source,
                    item.span(),
                    format!("`{key}` lists text, not {}", describe(other)),
                )),
            }
        }
        Some(out)
    }

    /// A grade as written: a whole number or a label; a problem for anything else.
    pub fn written(&self, key: &str, problems: &mut Vec<Problem>) -> Option<Spanned<Written>> {
        let value = self.get(key)?;
        written(self.source, value, problems).map(|w| Spanned::new(value.span(), w))
    }

    /// A problem at a key's value: it holds the wrong kind of value.
    pub fn wrong_type(
        &self,
        key: &str,
        value: &Spanned<DeValue<'_>>,
        expected: &str,
        found: &DeValue<'_>,
    ) -> Problem {
        Problem::at(
            Code::InvalidValue,
            self.source,
            value.span(),
            format!("`{key}` must be {expected}, not {}", describe(found)),
        )
    }
}

/// A grade as written in a value: a whole number or a label; a problem for anything else.
pub fn written(
    source: &SourceText,
    value: &Spanned<DeValue<'_>>,
    problems: &mut Vec<Problem>,
) -> Option<Written> {
    match value.get_ref() {
        DeValue::String(text) => Some(Written::Label(text.to_string())),
        other => match integer(other) {
            Some(number) => Some(Written::Number(number)),
            None => {
                let message = match other {
                    DeValue::Float(number) => format!(
                        "`{}` is fractional: values are whole numbers or labels",
                        number.as_str()
                    ),
                    _ => format!("expected a number or a label, found {}", describe(other)),
                };
                problems.push(Problem::at(
                    Code::InvalidValue,
                    source,
                    value.span(),
                    message,
                ));
                None
            }
        },
    }
}

/// A TOML integer as an `i64`, if it is one and fits.
pub fn integer(value: &DeValue<'_>) -> Option<i64> {
    match value {
        DeValue::Integer(number) => i64::from_str_radix(number.as_str(), number.radix()).ok(),
        _ => None,
    }
}

/// A TOML local date as a day.
pub fn date(value: &DeValue<'_>) -> Option<NaiveDate> {
    match value {
        DeValue::Datetime(datetime) if datetime.time.is_none() && datetime.offset.is_none() => {
            let date = datetime.date?;
            NaiveDate::from_ymd_opt(
                i32::from(date.year),
                u32::from(date.month),
                u32::from(date.day),
            )
        }
        _ => None,
    }
}

/// `a table`, `the text "x"`, `the number 3`, for messages.
pub fn describe(value: &DeValue<'_>) -> String {
    match value {
        DeValue::String(text) => format!("the text `{}`", shown(text)),
        DeValue::Integer(number) => format!("the number {number}"),
        DeValue::Float(number) => format!("the fraction {}", number.as_str()),
        DeValue::Boolean(flag) => format!("the boolean {flag}"),
        DeValue::Datetime(datetime) => format!("the date {datetime}"),
        DeValue::Array(_) => "an array".to_owned(),
        DeValue::Table(_) => "a table".to_owned(),
    }
}

/// `` `a`, `b` and `c` ``.
pub fn quoted_list(items: &[&str]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| format!("`{i}`")).collect();
    match quoted.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}
