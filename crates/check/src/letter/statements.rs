//! Every grade a letter or council report states: its lines without markup, the framework and
//! year a table or sentence is about, and each statement of a grade in a table row, a "Grade N"
//! section, a rating line or running text.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use ratings_core::{Period, PeriodRules, RuleBook, SourceText, LOCAL_AUTHORITIES};
use regex::Regex;

pub(super) use super::vocabulary::Framework;
use super::vocabulary::{resolve, Vocabulary};
use super::Skipped;
use crate::authority::Authorities;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// A grade table row, a "Grade N" section or a rating line: the grade itself.
    Stated,
    /// A grade restated in running text.
    Running,
}

#[derive(Debug, Clone)]
pub(super) struct Statement {
    pub(super) line: usize,
    pub(super) year: i64,
    pub(super) judgement: String,
    pub(super) value: i64,
    pub(super) kind: Kind,
}

pub(super) struct Document<'a> {
    pub(super) source: &'a SourceText,
    /// Lines without HTML tags, markdown heading marks and surrounding spaces; index 0 is line 1.
    pub(super) lines: Vec<String>,
    /// Byte offset where each line starts.
    pub(super) starts: Vec<usize>,
    /// The year of the document's date ("9 December 2009").
    pub(super) date_year: Option<i64>,
    /// The assessment year the title names ("... findings: 2008", "rating 2009").
    pub(super) title_year: Option<i64>,
    pub(super) framework: Framework,
    pub(super) title: String,
    /// The rule book's words for judgements.
    pub(super) vocabulary: Vocabulary,
}

pub(super) const GRADE_WORDS: &str = "inadequate|adequate|satisfactory|good|outstanding|excellent";

pub(super) fn regex(cell: &'static OnceLock<Regex>, pattern: &str) -> &'static Regex {
    cell.get_or_init(|| {
        Regex::new(pattern).unwrap_or_else(|error| panic!("pattern {pattern}: {error}"))
    })
}

impl<'a> Document<'a> {
    pub(super) fn new(source: &'a SourceText, book: &RuleBook) -> Self {
        static TAGS: OnceLock<Regex> = OnceLock::new();
        let tags = regex(&TAGS, r"<[^>]*>");
        let mut lines = Vec::new();
        let mut starts = Vec::new();
        let mut offset = 0;
        for raw in source.text.split_inclusive('\n') {
            starts.push(offset);
            offset += raw.len();
            let clean = tags.replace_all(raw.trim_end_matches(['\n', '\r']), "");
            let clean = clean
                .trim_start_matches('\u{feff}')
                .trim_start_matches('#')
                .trim_end();
            lines.push(
                clean
                    .trim_start_matches(' ')
                    .replace(['\u{2019}', '\u{2018}'], "'"),
            );
        }
        let date_year = lines.iter().take(30).find_map(|line| date_year(line));
        let title_line = lines.iter().take(40).position(|line| is_title(line));
        let title = title_line
            .map(|i| lines[i].trim().to_owned())
            .unwrap_or_default();
        let title_year = lines
            .iter()
            .take(40)
            .filter(|line| is_title(line))
            .find_map(|line| last_year(line));
        let head = lines
            .iter()
            .take(40)
            .cloned()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase();
        let framework = if head.contains("annual performance assessment") || head.contains("(apa)")
        {
            Framework::Apa
        } else if head.contains("rating") || head.contains("annual assessment") {
            Framework::Rating
        } else if head.contains("joint area review") {
            Framework::Jar
        } else {
            Framework::Apa
        };
        Document {
            source,
            lines,
            starts,
            date_year,
            title_year,
            framework,
            title,
            vocabulary: Vocabulary::of(book),
        }
    }

    pub(super) fn line(&self, number: usize) -> &str {
        self.lines
            .get(number.wrapping_sub(1))
            .map_or("", String::as_str)
    }

    /// The year a table or line belongs to: the nearest year in the lines just before it,
    /// else the title's year, else the date's.
    pub(super) fn year_before(&self, line: usize) -> Option<i64> {
        (line.saturating_sub(6).max(1)..=line)
            .rev()
            .find_map(|n| last_year(self.line(n)))
            .or(self.title_year)
            .or(self.date_year)
    }

    /// The framework a table belongs to, from its header and the lines that introduce it.
    pub(super) fn framework_before(&self, line: usize) -> Framework {
        for n in (line.saturating_sub(3).max(1)..=line).rev() {
            let text = self.line(n).to_lowercase();
            if text.contains("jar") || text.contains("joint area review") {
                return Framework::Jar;
            }
            if text.contains("apa") || text.contains("annual performance assessment") {
                return Framework::Apa;
            }
        }
        self.framework
    }

    /// The authority named as addressee (letters) or subject (council reports).
    pub(super) fn authority(
        &self,
        authorities: &Authorities,
    ) -> Option<(String, std::ops::Range<usize>)> {
        static COUNCIL: OnceLock<Regex> = OnceLock::new();
        let council = regex(
            &COUNCIL,
            r"^\s+(?:(?:City|County|Metropolitan Borough|Borough|District)\s+)?Council\b",
        );
        // The head of the document, lines joined so that "Leicester\nCity Council" reads as one.
        let end = self
            .lines
            .iter()
            .position(|l| l.starts_with("Dear "))
            .unwrap_or(40.min(self.lines.len()));
        let head_end = self
            .starts
            .get(end)
            .copied()
            .unwrap_or(self.source.text.len());
        let head = &self.source.text[..head_end];
        let names = authorities.all_names();
        let mut best: Option<(usize, usize, String)> = None;
        for (name, _) in &names {
            for (position, _) in head.match_indices(name.as_str()) {
                let before_ok = head[..position]
                    .chars()
                    .next_back()
                    .is_none_or(|c| !c.is_alphanumeric());
                let after = &head[position + name.len()..];
                if !before_ok || after.chars().next().is_some_and(char::is_alphanumeric) {
                    continue;
                }
                if let Some(found) = council.find(after) {
                    let end = position + name.len() + found.end();
                    if best.as_ref().is_none_or(|(start, _, _)| position < *start) {
                        best = Some((
                            position,
                            end,
                            head[position..end]
                                .split_whitespace()
                                .collect::<Vec<_>>()
                                .join(" "),
                        ));
                    }
                }
            }
        }
        if let Some((start, end, written)) = best {
            return Some((written, start..end));
        }
        // A report's subject: "The Ofsted Annual Assessment of Children's Services in Leeds".
        for (index, line) in self.lines.iter().take(40).enumerate() {
            if !(line.starts_with("Subject") || is_title(line)) {
                continue;
            }
            for (name, _) in &names {
                if let Some(position) = find_word(line, name) {
                    let start = self.starts[index]
                        + self.source.text[self.starts[index]..]
                            .find(line.as_str())
                            .unwrap_or(0)
                        + position;
                    return Some((name.clone(), start..start + name.len()));
                }
            }
        }
        None
    }

    pub(super) fn read(
        &self,
        book: &RuleBook,
        statements: &mut Vec<Statement>,
        skipped: &mut Vec<Skipped>,
    ) {
        static ROW: OnceLock<Regex> = OnceLock::new();
        static RATING_ROW: OnceLock<Regex> = OnceLock::new();
        static GRADE: OnceLock<Regex> = OnceLock::new();
        let row = regex(&ROW, r"^([^\t\d][^\t]*?)\t+\s*(-?\d+(?:\.\d+)?)\s*$");
        let rating_row = regex(
            &RATING_ROW,
            r"^([^\t]+?)\t+\s*([A-Za-z][A-Za-z ]*?)\s*\((-?\d+)\)\s*$",
        );
        let grade = regex(&GRADE, r"^\s*Grade\s+(-?\d+)\s*$");
        let years: BTreeMap<i64, PeriodRules> = book
            .years(LOCAL_AUTHORITIES)
            .into_iter()
            .filter_map(|y| {
                book.in_force(LOCAL_AUTHORITIES, Period::Year(y))
                    .ok()
                    .map(|r| (i64::from(y), r))
            })
            .collect();
        let mut place = |line: usize,
                         year: Option<i64>,
                         name: &str,
                         framework: Framework,
                         number: &str,
                         kind: Kind| {
            let text = self.line(line).to_owned();
            let Some(year) = year else {
                skipped.push(Skipped {
                    line,
                    text,
                    reason: "no year can be found for this grade".to_owned(),
                });
                return;
            };
            let Some(judgement) = self.vocabulary.judgement(name, framework) else {
                skipped.push(Skipped {
                    line,
                    text,
                    reason: format!("no judgement of the rules matches `{}`", name.trim()),
                });
                return;
            };
            let Some(rules) = years.get(&year) else {
                skipped.push(Skipped {
                    line,
                    text,
                    reason: format!("no rule set covers {year}"),
                });
                return;
            };
            let Some(found) = rules.judgement(judgement) else {
                skipped.push(Skipped {
                    line,
                    text,
                    reason: format!("`{judgement}` is not a judgement of {year}"),
                });
                return;
            };
            let value = match resolve(&found.scale, number) {
                Some(value) => value,
                None => {
                    skipped.push(Skipped {
                        line,
                        text,
                        reason: format!(
                            "`{number}` is not on scale `{}` of `{judgement}`",
                            found.scale.id
                        ),
                    });
                    return;
                }
            };
            statements.push(Statement {
                line,
                year,
                judgement: judgement.to_owned(),
                value,
                kind,
            });
        };
        let mut table_start: Option<usize> = None;
        for number in 1..=self.lines.len() {
            let line = self.line(number);
            if is_scale_key(line) {
                table_start = None;
                continue;
            }
            if let Some(captures) = rating_row.captures(line) {
                let name = &captures[1];
                if self.vocabulary.judgement(name, Framework::Rating) == Some("rating.overall") {
                    place(
                        number,
                        self.year_before(number),
                        name,
                        Framework::Rating,
                        &captures[3],
                        Kind::Stated,
                    );
                    continue;
                }
            }
            if let Some(captures) = row.captures(line) {
                let start = *table_start.get_or_insert(number);
                let framework = self
                    .framework_before(start.saturating_sub(1).max(1))
                    .max_context(self.framework_before(start));
                place(
                    number,
                    self.year_before(start),
                    &captures[1],
                    framework,
                    &captures[2],
                    Kind::Stated,
                );
                continue;
            }
            if !line.trim().is_empty() && !line.starts_with('\t') {
                table_start = None;
            }
            if let Some(captures) = grade.captures(line) {
                let heading = (1..number)
                    .rev()
                    .map(|n| self.line(n))
                    .find(|l| !l.trim().is_empty())
                    .unwrap_or("");
                place(
                    number,
                    self.title_year.or(self.date_year),
                    heading,
                    self.framework,
                    &captures[1],
                    Kind::Stated,
                );
                continue;
            }
            for (sentence_year, judgement_name, framework, word) in
                running_text(line, self.date_year, self.title_year)
            {
                place(
                    number,
                    sentence_year,
                    &judgement_name,
                    framework,
                    &word,
                    Kind::Running,
                );
            }
        }
    }
}

impl Framework {
    /// A table's own header names its framework more surely than the line before it.
    pub(super) fn max_context(self, header: Framework) -> Framework {
        if header == Framework::Jar || header == Framework::Apa {
            header
        } else {
            self
        }
    }
}

/// Grades stated in running text: (year, judgement name, framework, grade word).
pub(super) fn running_text(
    line: &str,
    date_year: Option<i64>,
    title_year: Option<i64>,
) -> Vec<(Option<i64>, String, Framework, String)> {
    static RATED: OnceLock<Regex> = OnceLock::new();
    static APA: OnceLock<Regex> = OnceLock::new();
    static JAR: OnceLock<Regex> = OnceLock::new();
    static YEAR_AFTER: OnceLock<Regex> = OnceLock::new();
    static YEAR_WHEN: OnceLock<Regex> = OnceLock::new();
    let rated = regex(
        &RATED,
        r#"(?i)\b(?:assessed|rated|judged)\s+(?:as\s+)?['"]?((?:performing|performs)\s+(?:poorly|adequately|well|excellently))"#,
    );
    let apa = regex(
        &APA,
        &format!(
            r"(?i)\b({GRADE_WORDS})\s+(performing\s+(?:council|authority)|capacity\s+to\s+improve)"
        ),
    );
    let jar = regex(
        &JAR,
        &format!(
            r"(?i)joint area review[^.]*?\b(20\d\d)\b[^.]*?\b({GRADE_WORDS})\s+provision\s+for\s+([a-z ,]+)"
        ),
    );
    let year_after = regex(&YEAR_AFTER, r"^[^.]{0,60}?\bin\s+(20\d\d)\b");
    let year_when = regex(&YEAR_WHEN, r"(?i)\b(20\d\d)\s+when\b[^.]*$");
    let mut found = Vec::new();
    for sentence in sentences(line) {
        for captures in rated.captures_iter(sentence) {
            let (Some(whole), Some(phrase)) = (captures.get(0), captures.get(1)) else {
                continue;
            };
            let before = &sentence[..whole.start()];
            let after = &sentence[whole.end()..];
            let year = year_after
                .captures(after)
                .and_then(|c| c[1].parse().ok())
                .or_else(|| year_when.captures(before).and_then(|c| c[1].parse().ok()))
                .or_else(|| {
                    before
                        .to_lowercase()
                        .contains("this year")
                        .then_some(date_year)
                        .flatten()
                })
                .or(date_year);
            found.push((
                year,
                "children's services rating".to_owned(),
                Framework::Rating,
                phrase.as_str().to_owned(),
            ));
        }
        let lower = sentence.to_lowercase();
        if lower.contains("apa") {
            let year = last_year(sentence).or(title_year);
            for captures in apa.captures_iter(sentence) {
                let name = if captures[2].to_lowercase().starts_with("capacity") {
                    "capacity to improve"
                } else {
                    "overall effectiveness"
                };
                found.push((
                    year,
                    name.to_owned(),
                    Framework::Apa,
                    captures[1].to_owned(),
                ));
            }
        }
        if let Some(captures) = jar.captures(sentence) {
            let year = captures[1].parse().ok();
            for name in captures[3].split(',').flat_map(|part| part.split(" and ")) {
                let name = name.trim();
                if !name.is_empty() {
                    found.push((
                        year,
                        name.to_owned(),
                        Framework::Jar,
                        captures[2].to_owned(),
                    ));
                }
            }
        }
    }
    found
}

/// Split a line into sentences at ". " (keeping decimals and "St." rare cases whole enough).
pub(super) fn sentences(line: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = line.as_bytes();
    for (index, &byte) in bytes.iter().enumerate() {
        if byte == b'.' && bytes.get(index + 1) == Some(&b' ') {
            out.push(&line[start..=index]);
            start = index + 2;
        }
    }
    if start < line.len() {
        out.push(&line[start..]);
    }
    out
}

/// A line that lists a scale rather than grades: "4: outstanding; 3: good; ...",
/// "4<TAB>Performs excellently<TAB>An organisation that ...", "4Performs excellently...".
pub(super) fn is_scale_key(line: &str) -> bool {
    static KEY: OnceLock<Regex> = OnceLock::new();
    static NUMBERED: OnceLock<Regex> = OnceLock::new();
    let key = regex(&KEY, &format!(r"(?i)\b[1-4]\s*:\s*({GRADE_WORDS})"));
    let numbered = regex(&NUMBERED, r"(?i)^\s*[0-4]\s*\t?\s*performs\s");
    key.find_iter(line).count() >= 2 || numbered.is_match(line)
}

pub(super) fn is_title(line: &str) -> bool {
    static TITLE: OnceLock<Regex> = OnceLock::new();
    let title = regex(
        &TITLE,
        r"(?i)(annual performance assessment|\bAPA\b|children's services (?:annual )?rating|annual assessment|joint area review)",
    );
    line.len() < 200 && title.is_match(line) && !line.contains('\t')
}

pub(super) fn date_year(line: &str) -> Option<i64> {
    static DATE: OnceLock<Regex> = OnceLock::new();
    let date = regex(
        &DATE,
        r"(?i)\b\d{1,2}(?:st|nd|rd|th)?\s+(?:january|february|march|april|may|june|july|august|september|october|november|december)\s+(20\d\d)\b",
    );
    date.captures(line).and_then(|c| c[1].parse().ok())
}

pub(super) fn last_year(line: &str) -> Option<i64> {
    static YEAR: OnceLock<Regex> = OnceLock::new();
    let year = regex(&YEAR, r"\b(20[01]\d)\b");
    year.captures_iter(line)
        .filter_map(|c| c[1].parse().ok())
        .last()
}

pub(super) fn find_word(line: &str, word: &str) -> Option<usize> {
    line.match_indices(word).map(|(i, _)| i).find(|&i| {
        let before = line[..i]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric());
        let after = line[i + word.len()..]
            .chars()
            .next()
            .is_none_or(|c| !c.is_alphanumeric());
        before && after
    })
}
