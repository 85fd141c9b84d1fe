//! The checks inside a document: a number beside a label that means another grade, and a
//! grade word in the judgement's own paragraph that disagrees with its number.

use std::sync::OnceLock;

use regex::Regex;

use ratings_core::{Code, Period, RuleBook, LOCAL_AUTHORITIES};

use super::statements::{regex, Document, GRADE_WORDS};
use super::vocabulary::resolve;
use super::ExtractedRecord;
use crate::assessment::DocumentFinding;

/// Numbers beside labels ("Performs well (2)") and grade words in a judgement's own paragraph.
pub(super) fn label_and_narrative(
    book: &RuleBook,
    document: &Document<'_>,
    authority: &str,
    records: &[ExtractedRecord],
    findings: &mut Vec<DocumentFinding>,
) {
    static RATING_ROW: OnceLock<Regex> = OnceLock::new();
    static PERFORM: OnceLock<Regex> = OnceLock::new();
    static ASPECT: OnceLock<Regex> = OnceLock::new();
    let rating_row = regex(
        &RATING_ROW,
        r"^([^\t]+?)\t+\s*([A-Za-z][A-Za-z ]*?)\s*\((-?\d+)\)\s*$",
    );
    let perform = regex(
        &PERFORM,
        r"(?i)\bperforms?\s+(poorly|adequately|well|excellently)\b",
    );
    let aspect = regex(
        &ASPECT,
        &format!(r"(?i)\bis\s+(?:also\s+)?({GRADE_WORDS})\b"),
    );
    for record in records {
        let Some(rules) = i32::try_from(record.year)
            .ok()
            .and_then(|year| book.in_force(LOCAL_AUTHORITIES, Period::Year(year)).ok())
        else {
            continue;
        };
        for (judgement, &line) in &record.lines {
            let Some(scale) = rules.judgement(judgement).map(|found| &found.scale) else {
                continue;
            };
            let text = document.line(line);
            let kept = record.grades[judgement];
            // The other grade stated, where it differs from the one the record carries.
            let mut push = |code: Code, lines: Vec<usize>, said: i64, message: String| {
                findings.push(DocumentFinding {
                    file: document.source.name.clone(),
                    code,
                    authority: authority.to_owned(),
                    period: Period::Year(i32::try_from(record.year).unwrap_or(0)),
                    judgement: judgement.clone(),
                    lines,
                    message,
                    alternative: (said != kept).then_some(said),
                });
            };
            if let Some(captures) = rating_row.captures(text) {
                if let (Some(said), Ok(number)) =
                    (resolve(scale, &captures[2]), captures[3].parse::<i64>())
                {
                    if said != number {
                        push(Code::LabelMismatch, vec![line], said, format!("line {line} gives `{judgement}` the number {number} beside the label `{}`, which is {said}", captures[2].trim()));
                    }
                }
                // The rating's narrative: "Children's services in Leeds City Council perform poorly."
                if let Some((other, word)) = next_lines(document, line, 6)
                    .find_map(|(n, l)| perform.captures(l).map(|c| (n, c[1].to_owned())))
                {
                    if let Some(said) = resolve(scale, &format!("performs {word}")) {
                        if said != record.grades[judgement] {
                            push(Code::NarrativeMismatch, vec![line, other], said, format!("line {other} says services perform {word} ({said}), but line {line} gives `{judgement}` {}", record.grades[judgement]));
                        }
                    }
                }
            }
            // "Grade 3" sections: the first paragraph after it says "... in this aspect is good".
            let section = section_grade_line(document, judgement);
            if text.trim().starts_with("Grade") || section.is_some() {
                let grade_line = section.unwrap_or(line);
                // A grade word speaks of this judgement only in a sentence that names no other
                // ("... to staying safe is outstanding" in the overall paragraph is about
                // staying safe, not overall effectiveness).
                let about_this = |sentence: &str| {
                    let named = document
                        .vocabulary
                        .judgements_named(sentence, document.framework);
                    named.is_empty() || named.contains(&judgement.as_str())
                };
                if let Some((other, word)) =
                    next_lines(document, grade_line, 4).find_map(|(n, l)| {
                        sentences(l)
                            .filter(|sentence| about_this(sentence))
                            .find_map(|sentence| {
                                aspect.captures(sentence).map(|c| (n, c[1].to_owned()))
                            })
                    })
                {
                    if let Some(said) = resolve(scale, &word) {
                        let stated =
                            section_value(document, grade_line).unwrap_or(record.grades[judgement]);
                        if said != stated {
                            push(Code::NarrativeMismatch, vec![grade_line, other], said, format!("line {other} calls `{judgement}` {word} ({said}), but line {grade_line} gives Grade {stated}"));
                        }
                    }
                }
            }
        }
    }
}

/// The "Grade N" line under the heading that names this judgement.
pub(super) fn section_grade_line(document: &Document<'_>, judgement: &str) -> Option<usize> {
    (1..=document.lines.len()).find(|&n| {
        document.line(n).trim().starts_with("Grade ")
            && section_value(document, n).is_some()
            && (1..n)
                .rev()
                .map(|m| document.line(m))
                .find(|l| !l.trim().is_empty())
                .and_then(|heading| document.vocabulary.judgement(heading, document.framework))
                == Some(judgement)
    })
}

pub(super) fn section_value(document: &Document<'_>, line: usize) -> Option<i64> {
    document
        .line(line)
        .trim()
        .strip_prefix("Grade")?
        .trim()
        .parse()
        .ok()
}

/// The sentences of a line: split after a full stop, question or exclamation mark followed
/// by a space.
fn sentences(line: &str) -> impl Iterator<Item = &str> {
    line.split_inclusive(". ")
        .flat_map(|part| part.split_inclusive("? "))
        .flat_map(|part| part.split_inclusive("! "))
}

pub(super) fn next_lines<'d>(
    document: &'d Document<'_>,
    after: usize,
    count: usize,
) -> impl Iterator<Item = (usize, &'d str)> {
    (after + 1..=document.lines.len())
        .map(move |n| (n, document.line(n)))
        .filter(|(_, l)| !l.trim().is_empty())
        .take(count)
}
