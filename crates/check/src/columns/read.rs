//! A wide table read through a map: its header found and checked, each row a record.

use super::*;

/// A header line, split into cells.
pub(super) struct Header<'t> {
    pub(super) line: usize,
    pub(super) text: &'t str,
    /// Where `text` starts in the file.
    pub(super) offset: usize,
    pub(super) cells: Vec<String>,
    pub(super) normalised: Vec<String>,
    /// The last line above it that is not blank, if any.
    pub(super) above: Option<usize>,
}

impl Header<'_> {
    /// Where a column of the map is in the header.
    pub(super) fn position(&self, map: &ColumnMap, column: &str) -> Option<usize> {
        let wanted = map.normalise(column);
        self.normalised.iter().position(|cell| *cell == wanted)
    }

    /// Where the first of several names of one column is in the header.
    pub(super) fn position_any(
        &self,
        map: &ColumnMap,
        columns: &[String],
    ) -> Option<(usize, String)> {
        columns
            .iter()
            .find_map(|c| Some((self.position(map, c)?, c.clone())))
    }

    /// The bytes of a header cell in the file.
    pub(super) fn cell_span(&self, index: usize) -> std::ops::Range<usize> {
        let (at, length) = field_offset(self.text, index);
        self.offset + at..self.offset + at + length
    }
}

/// What reading a wide table gave besides its records: columns left out, warnings.
#[derive(Debug, Default)]
pub struct WideRead {
    /// The header's columns that the map does not name, each a problem at its cell.
    pub unknown_columns: Vec<Problem>,
    /// Why the file could not be read at all.
    pub unreadable: Option<Problem>,
    /// Warnings that lose nothing (an inspection number a spreadsheet mangled).
    pub warnings: Vec<Problem>,
}

/// Read a wide table row by row, handing each row to `sink` as a record.
pub fn read_wide(
    text: &SourceText,
    map: &ColumnMap,
    book: &RuleBook,
    sink: &mut dyn FnMut(Record),
) -> WideRead {
    let mut read = WideRead::default();
    if let Some(problem) = crate::read_csv::empty(text) {
        read.unreadable = Some(problem);
        return read;
    }
    let Some(header) = map.header(text) else {
        let subject = match &map.subject {
            SubjectColumns::Authority(column) => column.clone(),
            SubjectColumns::Provider(provider) => provider.urn.clone(),
        };
        let dates: Vec<&str> = map.date.columns.iter().map(String::as_str).collect();
        read.unreadable = Some(
            Problem::at(
                Code::InvalidCsv,
                text,
                text.line_span(1),
                format!(
                    "no line among the first {HEADER_SEARCH} names the column `{}` and {} that the map `{}` reads",
                    shown(&subject),
                    toml_table::quoted_list(&dates),
                    map.name
                ),
            )
            .with_help("use the map made for this table's layout"),
        );
        return read;
    };
    let header_span = text.line_span(header.line);
    // Columns named twice: which would be read is a guess, so the file is refused.
    for (index, cell) in header.normalised.iter().enumerate() {
        let first = header.normalised.iter().position(|c| c == cell);
        let unnamed_ignored = cell.is_empty() && map.ignore.iter().any(|i| i.trim().is_empty());
        if first != Some(index) && !unnamed_ignored {
            read.unreadable = Some(
                Problem::at(
                    Code::InvalidCsv,
                    text,
                    header.cell_span(index),
                    format!(
                        "the header names the column `{}` twice (columns {} and {})",
                        shown(&header.cells[index]),
                        first.unwrap_or(0) + 1,
                        index + 1
                    ),
                )
                .with_help("which copy holds the grades is not known: remove or rename one"),
            );
            return read;
        }
    }
    let unknown: Vec<usize> = (0..header.cells.len())
        .filter(|&index| !map.names(&header.cells[index]))
        .collect();
    let body = text.line_span(header.line + 1).start.max(header_span.end);
    if map.refuse_unknown && !unknown.is_empty() {
        // A column the map does not know may be a judgement under a new name: it is refused if
        // any of its cells is a grade, and left out with a warning if none is.
        let grade_words = grade_words(book);
        let mut holds_grade: Vec<Option<(usize, String)>> = vec![None; unknown.len()];
        rows(text, body, header.cells.len(), &mut |row| {
            if let RowRead::Row(row) = row {
                for (k, &index) in unknown.iter().enumerate() {
                    let cell = row.fields.get(index).unwrap_or("").trim().to_lowercase();
                    if holds_grade[k].is_none() && grade_words.contains(&cell) {
                        holds_grade[k] = Some((row.line, cell));
                    }
                }
            }
        });
        for (k, &index) in unknown.iter().enumerate() {
            let column = &header.cells[index];
            match &holds_grade[k] {
                Some((line, grade)) => {
                    read.unreadable = Some(
                        Problem::at(
                            Code::InvalidCsv,
                            text,
                            header.cell_span(index),
                            format!(
                                "the column `{}` is not in the map `{}` and holds grades (`{}` on line {line}): it may be a judgement the map does not know, so the table is not read",
                                shown(column),
                                map.name,
                                shown(grade)
                            ),
                        )
                        .with_help("name it in the map's `[columns]` with the judgements it may hold, or list it in `ignore`"),
                    );
                    return read;
                }
                None => read.warnings.push(
                    Problem::at(
                        Code::UnreadColumn,
                        text,
                        header.cell_span(index),
                        format!(
                            "the column `{}` is not in the map `{}`; none of its cells is a grade, so it is left out",
                            shown(column),
                            map.name
                        ),
                    )
                    .with_help("list it in the map's `ignore` to silence this"),
                ),
            }
        }
    } else {
        for &index in &unknown {
            read.unknown_columns.push(
                Problem::at(
                    Code::InvalidCsv,
                    text,
                    header.cell_span(index),
                    format!(
                        "the column `{}` is not in the map `{}`: its cells are not read",
                        shown(&header.cells[index]),
                        map.name
                    ),
                )
                .with_help("name it in the map's `[columns]`, or list it in `ignore`"),
            );
        }
    }
    let mut missing: Vec<String> = Vec::new();
    let subject_at = match &map.subject {
        SubjectColumns::Authority(column) => header.position(map, column),
        SubjectColumns::Provider(provider) => header.position(map, &provider.urn),
    };
    let date_at = header
        .position_any(map, &map.date.columns)
        .map(|(at, _)| at);
    let provider_at = match &map.subject {
        SubjectColumns::Provider(provider) => {
            let kind = header.position(map, &provider.kind);
            if kind.is_none() {
                missing.push(provider.kind.clone());
            }
            Some((
                kind.unwrap_or(0),
                provider
                    .attributes
                    .iter()
                    .filter_map(|(name, names)| {
                        Some((name.clone(), header.position_any(map, names)?.0))
                    })
                    .collect::<Vec<_>>(),
                provider
                    .inspection
                    .iter()
                    .filter_map(|column| Some((column.clone(), header.position(map, column)?)))
                    .collect::<Vec<_>>(),
            ))
        }
        SubjectColumns::Authority(_) => None,
    };
    // A provider table's judgement columns are each optional (a snapshot prints the columns of
    // its years); an authority table's are its layout, all required.
    let providers = matches!(map.subject, SubjectColumns::Provider(_));
    if !providers {
        for (column, _) in &map.columns {
            if header.position(map, column).is_none() {
                missing.push(column.clone());
            }
        }
    }
    if !missing.is_empty() {
        let missing: Vec<&str> = missing.iter().map(String::as_str).collect();
        read.unreadable = Some(
            Problem::at(
                Code::InvalidCsv,
                text,
                header_span,
                format!(
                    "the header has no {} that the map `{}` names",
                    toml_table::quoted_list(&missing),
                    map.name
                ),
            )
            .with_help("use the map made for this table's layout"),
        );
        return read;
    }
    let columns: Vec<(usize, &Vec<String>)> = map
        .columns
        .iter()
        .filter_map(|(c, ids)| Some((header.position(map, c)?, ids)))
        .collect();
    if columns.is_empty() {
        read.unreadable = Some(
            Problem::at(
                Code::InvalidCsv,
                text,
                header_span,
                format!(
                    "the header has none of the judgement columns the map `{}` reads",
                    map.name
                ),
            )
            .with_help("use the map made for this table's layout"),
        );
        return read;
    }
    // A line of group labels above the header ("Latest full inspection" over the inspection's
    // columns) must put every column read under a group the map knows: a column under another
    // (a previous inspection's) is never read as the latest.
    if let Some(above) = header.above.filter(|&a| a + 1 == header.line) {
        let groups_line = text.text[text.line_span(above)].trim_start_matches('\u{feff}');
        let groups = split_header(groups_line);
        if groups.iter().skip(1).any(|g| !g.trim().is_empty()) {
            let read_columns = columns.iter().map(|(at, _)| *at).chain(date_at).chain(
                provider_at
                    .iter()
                    .flat_map(|(_, _, numbers)| numbers.iter().map(|(_, at)| *at)),
            );
            for at in read_columns {
                let group = groups[..=at.min(groups.len().saturating_sub(1))]
                    .iter()
                    .rev()
                    .find(|g| !g.trim().is_empty())
                    .cloned()
                    .unwrap_or_default();
                if !group.is_empty() && !map.groups.contains(&words(&group)) {
                    read.unreadable = Some(
                        Problem::at(
                            Code::InvalidCsv,
                            text,
                            header.cell_span(at),
                            format!(
                                "the column `{}` stands under the heading `{}` on line {above}, which the map `{}` does not read",
                                shown(&header.cells[at]),
                                shown(&group),
                                map.name
                            ),
                        )
                        .with_help("the map lists the headings its columns may stand under in `groups`"),
                    );
                    return read;
                }
            }
        }
    }
    let fallback_at = map
        .date
        .fallback
        .as_ref()
        .and_then(|(c, _, _)| header.position(map, c));
    let locator_at = map.locator.as_deref().and_then(|c| header.position(map, c));
    let graded_only_at = map
        .graded_only
        .as_ref()
        .and_then(|(names, values)| Some((header.position_any(map, names)?.0, values)));
    let file_name = std::path::Path::new(&text.name)
        .file_name()
        .map_or_else(|| text.name.clone(), |n| n.to_string_lossy().into_owned());
    // The judgements of the rules in force, by subject and day, and by the rules' key: many
    // days share them.
    let mut in_force: HashMap<(String, NaiveDate), Option<Vec<String>>> = HashMap::new();
    let mut by_key: HashMap<Vec<usize>, Option<Vec<String>>> = HashMap::new();
    let width = header.cells.len();
    let mut rows_read = 0usize;
    rows(text, body, width, &mut |row| match row {
        RowRead::Bad(problem) => {
            rows_read += 1;
            let span = problem.line.map_or(0..0, |l| text.line_span(l as usize));
            let mut record = blank_record(text, span);
            record.problems.push(problem);
            sink(record);
        }
        RowRead::Row(row) => {
            // A row of empty cells (spreadsheets pad tables with them) holds nothing.
            if row.fields.iter().all(|f| f.trim().is_empty()) {
                return;
            }
            rows_read += 1;
            let cell_span = |index: usize| {
                let (at, length) = field_offset(row.line_text, index);
                row.span.start + at..row.span.start + at + length
            };
            let cell = |index: usize| row.fields.get(index).unwrap_or("").trim().to_owned();
            let mut record = blank_record(text, row.span.clone());
            if row.fields.len() != width {
                record.problems.push(Problem::at(
                    Code::InvalidCsv,
                    text,
                    row.span.clone(),
                    format!(
                        "the row has {} fields, not the {} of the header",
                        row.fields.len(),
                        width
                    ),
                ));
                sink(record);
                return;
            }
            let published = |index: usize| {
                let value = cell(index);
                !map.not_published.contains(&value.to_lowercase())
            };
            let graded = columns.iter().any(|(at, _)| published(*at));
            let mut rules_subject = LOCAL_AUTHORITIES.to_owned();
            match (&map.subject, &provider_at) {
                (SubjectColumns::Authority(_), _) => {
                    if let Some(at) = subject_at {
                        record.authority = Some(Spanned::new(cell_span(at), cell(at)));
                    }
                    // A row whose every judgement cell is empty or a value the map declares
                    // not published (a scraper's `data_unreadable`) holds no grade to check:
                    // it is counted as not graded, by what its cells say.
                    let has_grade = columns
                        .iter()
                        .any(|(at, _)| !cell(*at).is_empty() && published(*at));
                    if !has_grade && !columns.is_empty() {
                        let mut said: Vec<String> = columns
                            .iter()
                            .map(|(at, _)| cell(*at).to_lowercase())
                            .filter(|value| !value.is_empty())
                            .collect();
                        said.sort();
                        said.dedup();
                        record.not_graded = Some(if said.is_empty() {
                            "no grade in the row".to_owned()
                        } else {
                            format!("no grade in the row ({})", said.join(", "))
                        });
                        sink(record);
                        return;
                    }
                }
                (SubjectColumns::Provider(provider), Some((kind_at, attributes, numbers))) => {
                    if !graded {
                        record.not_graded = Some("no graded inspection in the row".to_owned());
                        sink(record);
                        return;
                    }
                    if let Some((at, values)) = graded_only_at {
                        let value = cell(at);
                        if !values.contains(&words(&value)) {
                            record.not_graded = Some(if value.is_empty() {
                                "no kind of inspection given".to_owned()
                            } else {
                                format!("{}: not a full inspection", value.to_lowercase())
                            });
                            sink(record);
                            return;
                        }
                    }
                    let kind = cell(*kind_at);
                    let subject = provider
                        .types
                        .iter()
                        .find(|(t, _)| words(t) == words(&kind))
                        .map(|(_, s)| s.clone());
                    let subject = match subject {
                        Some(Some(subject)) => subject,
                        Some(None) => {
                            record.not_graded = Some(format!(
                                "{}: a kind of provider these rules do not judge",
                                kind.to_lowercase()
                            ));
                            sink(record);
                            return;
                        }
                        None => {
                            let known: Vec<&str> =
                                provider.types.iter().map(|(t, _)| t.as_str()).collect();
                            record.problems.push(
                                Problem::at(
                                    Code::UnknownSubject,
                                    text,
                                    cell_span(*kind_at),
                                    format!(
                                        "the provision type `{}` is not in the map `{}`",
                                        shown(&kind),
                                        map.name
                                    ),
                                )
                                .with_help(format!(
                                    "the map's `types` names {}",
                                    toml_table::quoted_list(&known)
                                )),
                            );
                            sink(record);
                            return;
                        }
                    };
                    rules_subject = subject.clone();
                    let urn_at = subject_at.unwrap_or(0);
                    let inspection = numbers.iter().find_map(|(column, at)| {
                        let number = cell(*at);
                        if number.is_empty() {
                            return None;
                        }
                        if !number.bytes().all(|b| b.is_ascii_digit()) {
                            read.warnings.push(
                                Problem::at(
                                    Code::InvalidInspectionNumber,
                                    text,
                                    cell_span(*at),
                                    format!(
                                        "the inspection number `{}` is not a whole number: the row is matched to its inspection by provider and date",
                                        shown(&number)
                                    ),
                                )
                                .with_help("a spreadsheet writes long numbers this way (`1.02E+07`); the number itself is lost"),
                            );
                            return None;
                        }
                        Some((column.clone(), Spanned::new(cell_span(*at), number)))
                    });
                    let mut attributes: Vec<(String, String)> = attributes
                        .iter()
                        .map(|(name, at)| (name.clone(), cell(*at)))
                        .collect();
                    attributes.push(("type".to_owned(), kind.clone()));
                    record.provider = Some(WrittenProvider {
                        urn: Spanned::new(cell_span(urn_at), cell(urn_at)),
                        subject: Spanned::new(cell_span(*kind_at), subject),
                        inspection,
                        same_within_days: provider.same_within_days,
                        attributes,
                    });
                }
                (SubjectColumns::Provider(_), None) => {}
            }
            let (date_index, date_text, parse, publication) = match date_at {
                Some(at) if !cell(at).is_empty() => (at, cell(at), map.date.parse.clone(), None),
                _ => match (&map.date.fallback, fallback_at) {
                    (Some((_, format, window)), Some(at)) => {
                        (at, cell(at), DateParse::Format(format.clone()), *window)
                    }
                    _ => (
                        date_at.unwrap_or(0),
                        String::new(),
                        map.date.parse.clone(),
                        None,
                    ),
                },
            };
            let day = parse_date(&date_text, &parse);
            match day {
                Some(day) => {
                    record.period = Some(Spanned::new(
                        cell_span(date_index),
                        match publication {
                            Some(days) => WrittenPeriod::Published(day, days),
                            None => WrittenPeriod::Date(day),
                        },
                    ))
                }
                None => {
                    record.problems.push(
                        Problem::at(
                            Code::InvalidDate,
                            text,
                            cell_span(date_index),
                            if date_text.is_empty() {
                                "the row has no date".to_owned()
                            } else {
                                format!("`{}` is not a date the map can read", shown(&date_text))
                            },
                        )
                        .with_help(match &parse {
                            DateParse::Format(format) => format!("the map reads this column with the format `{format}`"),
                            DateParse::Range { .. } => "the map reads this column as a range of days, such as `17 March to 21 March 2025`".to_owned(),
                        }),
                    );
                    sink(record);
                    return;
                }
            }
            let declared = day.and_then(|day| {
                in_force
                    .entry((rules_subject.clone(), day))
                    .or_insert_with(|| {
                        by_key
                            .entry(book.in_force_key(&rules_subject, Period::Date(day)))
                            .or_insert_with(|| {
                                book.in_force(&rules_subject, Period::Date(day))
                                    .ok()
                                    .map(|rules| {
                                        rules
                                            .judgement_ids()
                                            .into_iter()
                                            .map(str::to_owned)
                                            .collect()
                                    })
                            })
                            .clone()
                    })
                    .clone()
            });
            record.source = Source {
                document: map.document.clone(),
                locator: locator_at.map_or_else(|| format!("{file_name}, line {}", row.line), cell),
            };
            for (index, ids) in &columns {
                if !published(*index) {
                    continue;
                }
                let value = cell(*index);
                let id = ids
                    .iter()
                    .find(|id| declared.as_ref().is_some_and(|d| d.contains(id)))
                    .unwrap_or(&ids[0]);
                let span = cell_span(*index);
                record.grades.push(WrittenGrade {
                    judgement: Spanned::new(span.clone(), id.clone()),
                    value: Spanned::new(span, WrittenValue::Text(value)),
                });
            }
            sink(record);
        }
    });
    if rows_read == 0 {
        read.unreadable = Some(
            Problem::at(
                Code::NoRecords,
                text,
                header_span,
                "the table has a header and no rows",
            )
            .with_help("a wide table has one inspection a row below its header"),
        );
    }
    read
}

/// A header line's cells, read as CSV (a cell may be quoted).
pub(super) fn split_header(line: &str) -> Vec<String> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(line.as_bytes());
    let mut record = csv::StringRecord::new();
    match reader.read_record(&mut record) {
        Ok(true) => record.iter().map(|c| c.trim().to_owned()).collect(),
        _ => line
            .split(',')
            .map(|c| c.trim().trim_matches('"').to_owned())
            .collect(),
    }
}

/// A name by its words: lower case, letters and digits only, one space between words.
pub(super) fn words(name: &str) -> String {
    words_of(name.trim_start_matches('\u{feff}'))
}

pub(super) fn words_of(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for word in name
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().flat_map(char::to_lowercase));
    }
    out
}

/// A date in a cell: by a chrono format, or as the first or last day of a range.
pub(super) fn parse_date(text: &str, parse: &DateParse) -> Option<NaiveDate> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    match parse {
        DateParse::Format(format) => NaiveDate::parse_from_str(text, format).ok(),
        DateParse::Range { start } => {
            let range = ratings_text::parse_range(text)?;
            let day = if *start { range.start } else { range.end };
            NaiveDate::from_ymd_opt(day.year, day.month.into(), day.day.into())
        }
    }
}

/// Every label and alias of every scale, lower case: what a cell holding a grade reads as.
pub(super) fn grade_words(book: &RuleBook) -> std::collections::HashSet<String> {
    book.scales()
        .values()
        .flat_map(|scale| scale.values.iter())
        .flat_map(|value| std::iter::once(&value.label).chain(value.aliases.iter()))
        .map(|word| word.trim().to_lowercase())
        .collect()
}
