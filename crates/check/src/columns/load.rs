//! A column map read from its TOML: the keys, the provider's columns, the date's.

use super::*;

impl ColumnMap {
    /// Of several maps, the one for a table: the first whose layout the header is (every
    /// column it names is there and it reads every column there), else, of the maps the table
    /// fits at all (`fits_header`), the one that names most of the header's columns (the
    /// first of those, on a tie). `None` when it fits none: see [`ColumnMap::fits_none`].
    pub fn choose<'m>(maps: &'m [ColumnMap], text: &SourceText) -> Option<&'m ColumnMap> {
        let mut best: Option<(&ColumnMap, usize)> = None;
        for map in maps {
            let Some(header) = map.header(text) else {
                continue;
            };
            let named = header.cells.iter().filter(|h| map.names(h)).count();
            let layout = named == header.cells.len()
                && map
                    .columns
                    .iter()
                    .all(|(column, _)| header.position(map, column).is_some());
            if layout {
                return Some(map);
            }
            if map.fits_header(&header) && best.is_none_or(|(_, most)| named > most) {
                best = Some((map, named));
            }
        }
        best.map(|(map, _)| map)
    }

    /// Whether a table is one this map can read, if not perfectly: a header (among the first
    /// lines) names the subject's and the date's columns, and at least half of the judgement
    /// columns the map reads are there (for a provider table, whose columns vary by year, at
    /// least one). A table that fits is read through the map, each column the map does not
    /// know reported; one that does not is another kind of table, reported once.
    pub(super) fn fits_header(&self, header: &Header<'_>) -> bool {
        let present = self
            .columns
            .iter()
            .filter(|(column, _)| header.position(self, column).is_some())
            .count();
        match self.subject {
            SubjectColumns::Provider(_) => present >= 1,
            SubjectColumns::Authority(_) => present >= 1 && present * 2 >= self.columns.len(),
        }
    }

    /// The columns the header must name, as a message lists them: the subject's and the date's.
    pub(super) fn header_columns(&self) -> Vec<String> {
        let subject = match &self.subject {
            SubjectColumns::Authority(column) => column.clone(),
            SubjectColumns::Provider(provider) => provider.urn.clone(),
        };
        let dates: Vec<&str> = self.date.columns.iter().map(String::as_str).collect();
        vec![
            format!("`{}`", shown(&subject)),
            toml_table::quoted_list(&dates),
        ]
    }

    /// The one problem of a table that fits none of the maps: what each map looked for.
    pub fn fits_none(maps: &[ColumnMap], text: &SourceText) -> Problem {
        let reasons: Vec<String> = maps
            .iter()
            .map(|map| match map.header(text) {
                None => format!(
                    "`{}` finds no header naming {}",
                    map.name,
                    map.header_columns().join(" and ")
                ),
                Some(header) => {
                    let present: Vec<&str> = map
                        .columns
                        .iter()
                        .filter(|(column, _)| header.position(map, column).is_some())
                        .map(|(column, _)| column.as_str())
                        .collect();
                    format!(
                        "`{}` reads {} and finds {} of them on line {}{}",
                        map.name,
                        ratings_core::count(map.columns.len(), "judgement column"),
                        present.len(),
                        header.line,
                        if present.is_empty() {
                            String::new()
                        } else {
                            format!(" (`{}`)", present.join("`, `"))
                        }
                    )
                }
            })
            .collect();
        Problem::in_file(
            Code::InvalidCsv,
            &text.name,
            format!(
                "the table fits none of the column maps given: {}",
                reasons.join("; ")
            ),
        )
        .with_help("give the map of this table's layout with `--columns` (the shipped maps: `ratings check --columns NAME`, see docs/records.md), or write records in the long layout `authority,year,judgement,grade,source,locator`")
    }

    /// The header of a table read through this map: the first line, among the first
    /// [`HEADER_SEARCH`] that are not comments, naming the subject's column and the date's.
    pub(super) fn header<'t>(&self, text: &'t SourceText) -> Option<Header<'t>> {
        let mut line = 1;
        let mut above: Option<usize> = None;
        while line <= HEADER_SEARCH {
            let span = text.line_span(line);
            if span.is_empty() && span.start >= text.text.len() {
                return None;
            }
            let raw = &text.text[span.clone()];
            let line_text = raw.trim_start_matches('\u{feff}');
            let comment = self
                .comment
                .as_ref()
                .is_some_and(|prefix| line_text.starts_with(prefix.as_str()));
            if !comment {
                let cells = split_header(line_text);
                let header = Header {
                    line,
                    text: line_text,
                    offset: span.end - line_text.len(),
                    normalised: cells.iter().map(|c| self.normalise(c)).collect(),
                    cells,
                    above,
                };
                let subject = match &self.subject {
                    SubjectColumns::Authority(column) => column,
                    SubjectColumns::Provider(provider) => &provider.urn,
                };
                let dated = self
                    .date
                    .columns
                    .iter()
                    .any(|c| header.position(self, c).is_some());
                if header.position(self, subject).is_some() && dated {
                    return Some(header);
                }
                if !line_text.trim().trim_matches(',').trim().is_empty() {
                    above = Some(line);
                }
            }
            line += 1;
        }
        None
    }

    /// A header cell or a map's column name, by its words: lower case, letters and digits
    /// only, one space between words, and any of the map's prefixes taken off the front.
    pub(super) fn normalise(&self, name: &str) -> String {
        let words = words(name);
        for prefix in &self.strip_prefix {
            let prefix = words_of(prefix);
            if let Some(rest) = words.strip_prefix(prefix.as_str()) {
                if let Some(rest) = rest.strip_prefix(' ') {
                    return rest.to_owned();
                }
            }
        }
        words
    }

    /// Whether the map names a column (to read, or to ignore).
    pub(super) fn names(&self, column: &str) -> bool {
        let column = self.normalise(column);
        self.named_columns().any(|c| self.normalise(c) == column)
    }

    /// Every column name the map gives.
    pub(super) fn named_columns(&self) -> impl Iterator<Item = &str> {
        let subject: Vec<&str> = match &self.subject {
            SubjectColumns::Authority(column) => vec![column.as_str()],
            SubjectColumns::Provider(provider) => std::iter::once(provider.urn.as_str())
                .chain(std::iter::once(provider.kind.as_str()))
                .chain(
                    provider
                        .attributes
                        .iter()
                        .flat_map(|(_, c)| c.iter().map(String::as_str)),
                )
                .chain(provider.inspection.iter().map(String::as_str))
                .collect(),
        };
        subject
            .into_iter()
            .chain(self.date.columns.iter().map(String::as_str))
            .chain(self.date.fallback.iter().map(|(c, _, _)| c.as_str()))
            .chain(self.locator.iter().map(String::as_str))
            .chain(self.ignore.iter().map(String::as_str))
            .chain(
                self.graded_only
                    .iter()
                    .flat_map(|(c, _)| c.iter().map(String::as_str)),
            )
            .chain(self.columns.iter().map(|(c, _)| c.as_str()))
    }

    /// A map from its TOML text, or every problem with it.
    pub fn from_toml(source: &SourceText) -> Result<ColumnMap, Vec<Problem>> {
        let mut problems = Vec::new();
        let Some(root) = toml_table::parse(source, Code::InvalidMap, HELP, &mut problems) else {
            return Err(problems);
        };
        let map = Table::root(source, &root, "a column map");
        map.check_keys(MAP_KEYS, &mut problems);
        map.require(&["date", "source", "columns"], HELP, &mut problems);
        let comment = map
            .string("comment", &mut problems)
            .map(Spanned::into_inner);
        let subject = match (map.get("authority"), map.get("provider")) {
            (Some(_), None) => map
                .string("authority", &mut problems)
                .map(|a| SubjectColumns::Authority(a.into_inner())),
            (None, Some(value)) => {
                provider_columns(source, value, &mut problems).map(SubjectColumns::Provider)
            }
            (Some(_), Some(_)) => {
                problems.push(
                    Problem::at(
                        Code::InvalidMap,
                        source,
                        map.key_span("provider").unwrap_or(0..0),
                        "a column map names `authority` or `provider`, not both",
                    )
                    .with_help("a table's rows are about authorities or about providers"),
                );
                None
            }
            (None, None) => {
                problems.push(
                    Problem::at(
                        Code::MissingKey,
                        source,
                        map.header(),
                        "a column map has no `authority` or `provider`",
                    )
                    .with_help(HELP),
                );
                None
            }
        };
        let date = map
            .get("date")
            .and_then(|value| date_column(source, value, &mut problems));
        let (document, locator) = match map.get("source") {
            Some(value) => match Table::of(source, value, "`source`", &mut problems) {
                Some(table) => {
                    table.check_keys(&["document", "locator"], &mut problems);
                    table.require(
                        &["document"],
                        "write `source = { document = \"registry-id\", locator = \"column\" }`",
                        &mut problems,
                    );
                    (
                        table
                            .string("document", &mut problems)
                            .map(Spanned::into_inner),
                        table
                            .string("locator", &mut problems)
                            .map(Spanned::into_inner),
                    )
                }
                None => (None, None),
            },
            None => (None, None),
        };
        let strings = |key: &str, problems: &mut Vec<Problem>| -> Vec<Spanned<String>> {
            map.strings(key, problems).unwrap_or_default()
        };
        let ignore_spanned = strings("ignore", &mut problems);
        let ignore: Vec<String> = ignore_spanned.iter().map(|s| s.get_ref().clone()).collect();
        let not_published = strings("not_published", &mut problems)
            .into_iter()
            .map(|s| s.into_inner().trim().to_lowercase())
            .collect();
        let strip_prefix = strings("strip_prefix", &mut problems)
            .into_iter()
            .map(Spanned::into_inner)
            .collect();
        let groups = strings("groups", &mut problems)
            .into_iter()
            .map(|s| words(s.get_ref()))
            .collect();
        let refuse_unknown = match map.string("unknown_columns", &mut problems) {
            None => false,
            Some(value) => match value.get_ref().as_str() {
                "refuse" => true,
                "report" => false,
                other => {
                    problems.push(
                        Problem::at(
                            Code::InvalidMap,
                            source,
                            value.span(),
                            format!("`unknown_columns` is `{}`, not `report` or `refuse`", shown(other)),
                        )
                        .with_help("`report`: a column the map does not name is reported and left out; `refuse`: the file is refused"),
                    );
                    false
                }
            },
        };
        let graded_only = map.get("graded_only").and_then(|value| {
            let table = Table::of(source, value, "`graded_only`", &mut problems)?;
            table.check_keys(&["column", "is"], &mut problems);
            table.require(
                &["column", "is"],
                "write `graded_only = { column = \"Event type\", is = [\"Full inspection\"] }`",
                &mut problems,
            );
            let columns = one_or_many(source, &table, "column", &mut problems)?;
            let values = table
                .strings("is", &mut problems)?
                .into_iter()
                .map(|s| words(s.get_ref()))
                .collect();
            Some((columns, values))
        });
        let mut columns: Vec<(String, Vec<String>)> = Vec::new();
        if let Some(value) = map.get("columns") {
            if let Some(table) = Table::of(source, value, "`columns`", &mut problems) {
                for (column, ids) in table.entries.iter() {
                    let name: &str = column.get_ref();
                    let ids: Vec<String> = match ids.get_ref() {
                        toml::de::DeValue::String(id) => vec![id.to_string()],
                        toml::de::DeValue::Array(items) => items
                            .iter()
                            .filter_map(|i| i.get_ref().as_str().map(str::to_owned))
                            .collect(),
                        _ => Vec::new(),
                    };
                    if ids.is_empty() {
                        let span = table.get(name).map_or(table.header(), |v| v.span());
                        problems.push(
                            Problem::at(
                                Code::InvalidMap,
                                source,
                                span,
                                format!("column `{}` maps to no judgement id", shown(name)),
                            )
                            .with_help(
                                "write `column = \"framework.judgement\"`, or a list of ids",
                            ),
                        );
                        continue;
                    }
                    if let Some(ignored) = ignore_spanned.iter().find(|i| i.get_ref() == name) {
                        problems.push(
                            Problem::at(
                                Code::InvalidMap,
                                source,
                                ignored.span(),
                                format!("column `{}` is both ignored and read", shown(name)),
                            )
                            .with_help("take it out of `ignore`, or out of `[columns]`"),
                        );
                    }
                    columns.push((name.to_owned(), ids));
                }
            }
        }
        match (subject, date, document, problems.is_empty()) {
            (Some(subject), Some(date), Some(document), true) => Ok(ColumnMap {
                name: source.name.clone(),
                comment,
                subject,
                date,
                document,
                locator,
                ignore,
                not_published,
                strip_prefix,
                groups,
                refuse_unknown,
                graded_only,
                columns,
            }),
            _ => Err(problems),
        }
    }
}

/// A map's `provider = { urn, type, types, attributes, inspection }`.
pub(super) fn provider_columns(
    source: &SourceText,
    value: &Spanned<toml::de::DeValue<'_>>,
    problems: &mut Vec<Problem>,
) -> Option<ProviderColumns> {
    let table = Table::of(source, value, "`provider`", problems)?;
    table.check_keys(PROVIDER_KEYS, problems);
    let complete = table.require(
        &["urn", "type", "types"],
        "write `provider = { urn = \"URN\", type = \"Provision type\", types = { \"Children's home\" = \"children's homes\" } }`",
        problems,
    );
    let urn = table.string("urn", problems);
    let kind = table.string("type", problems);
    let mut types = Vec::new();
    if let Some(value) = table.get("types") {
        if let Some(listed) = Table::of(source, value, "`types`", problems) {
            for (name, subject) in listed.entries.iter() {
                let name: &str = name.get_ref();
                match subject.get_ref() {
                    toml::de::DeValue::String(subject) => {
                        types.push((name.to_owned(), Some(subject.to_string())))
                    }
                    toml::de::DeValue::Boolean(false) => types.push((name.to_owned(), None)),
                    other => problems.push(
                        Problem::at(
                            Code::InvalidMap,
                            source,
                            subject.span(),
                            format!(
                                "the type `{}` maps to {}, not to the subject of some rules or `false`",
                                shown(name),
                                toml_table::describe(other)
                            ),
                        )
                        .with_help("write `\"Children's home\" = \"children's homes\"`, or `= false` for a type the rules do not judge"),
                    ),
                }
            }
        }
    }
    let mut attributes = Vec::new();
    if let Some(value) = table.get("attributes") {
        if let Some(listed) = Table::of(source, value, "`attributes`", problems) {
            listed.check_keys(&["name", "sector", "local_authority"], problems);
            for key in ["name", "sector", "local_authority"] {
                if listed.get(key).is_some() {
                    if let Some(columns) = one_or_many(source, &listed, key, problems) {
                        attributes.push((key.to_owned(), columns));
                    }
                }
            }
        }
    }
    let inspection = match table.get("inspection") {
        Some(_) => one_or_many(source, &table, "inspection", problems).unwrap_or_default(),
        None => Vec::new(),
    };
    let same_within_days = table
        .integer("same_inspection_within_days", problems)
        .and_then(|days| match u32::try_from(*days.get_ref()) {
            Ok(days) if days <= 366 => Some(days),
            _ => {
                problems.push(Problem::at(
                    Code::InvalidMap,
                    source,
                    days.span(),
                    format!(
                        "`same_inspection_within_days` is {}, not a number of days from 0 to 366",
                        days.get_ref()
                    ),
                ));
                None
            }
        });
    if !complete {
        return None;
    }
    Some(ProviderColumns {
        urn: urn?.into_inner(),
        kind: kind?.into_inner(),
        types,
        attributes,
        inspection,
        same_within_days,
    })
}

/// A map's `date = { column, format | parse = "range", take, fallback }`.
pub(super) fn date_column(
    source: &SourceText,
    value: &Spanned<toml::de::DeValue<'_>>,
    problems: &mut Vec<Problem>,
) -> Option<DateColumn> {
    let table = Table::of(source, value, "`date`", problems)?;
    table.check_keys(&["column", "format", "parse", "take", "fallback"], problems);
    table.require(
        &["column"],
        "write `date = { column = \"report_published\", format = \"%d %B %Y\" }`",
        problems,
    );
    let columns = one_or_many(source, &table, "column", problems)?;
    let take = table.string("take", problems);
    let parse = match (
        table.string("format", problems),
        table.string("parse", problems),
    ) {
        (Some(format), None) => {
            if let Some(take) = &take {
                problems.push(
                    Problem::at(
                        Code::InvalidMap,
                        source,
                        take.span(),
                        "`take` chooses a day of a range: it goes with `parse = \"range\"`",
                    )
                    .with_help("leave `take` out, or read the column with `parse = \"range\"`"),
                );
            }
            DateParse::Format(format.into_inner())
        }
        (None, Some(parse)) if parse.get_ref() == "range" => {
            let start = match take.as_ref().map(|t| t.get_ref().as_str()) {
                None | Some("start") => true,
                Some("end") => false,
                Some(other) => {
                    problems.push(
                        Problem::at(
                            Code::InvalidMap,
                            source,
                            take.as_ref().map_or(table.header(), Spanned::span),
                            format!("`take` is `{}`, not `start` or `end`", shown(other)),
                        )
                        .with_help("`take = \"start\"` reads a range's first day, `take = \"end\"` its last"),
                    );
                    true
                }
            };
            DateParse::Range { start }
        }
        (None, Some(parse)) => {
            problems.push(
                Problem::at(
                    Code::InvalidMap,
                    source,
                    parse.span(),
                    format!(
                        "`parse` is `{}`: the one grammar is `range`",
                        shown(parse.get_ref())
                    ),
                )
                .with_help(
                    "write `parse = \"range\"`, or give a chrono `format` such as \"%d %B %Y\"",
                ),
            );
            return None;
        }
        _ => {
            problems.push(
                Problem::at(
                    Code::InvalidMap,
                    source,
                    table.header(),
                    "`date` needs one of `format` (such as \"%d %B %Y\") or `parse = \"range\"`",
                )
                .with_help(HELP),
            );
            return None;
        }
    };
    let fallback = table.get("fallback").and_then(|value| {
        let fallback = Table::of(source, value, "`fallback`", problems)?;
        fallback.check_keys(&["column", "format", "within_days_after_start"], problems);
        fallback.require(&["column", "format"], "", problems);
        let published = fallback
            .integer("within_days_after_start", problems)
            .and_then(|days| {
                let value = *days.get_ref();
                match u32::try_from(value) {
                    Ok(days) if days <= 3660 => Some(days),
                    _ => {
                        problems.push(Problem::at(
                            Code::InvalidMap,
                            source,
                            days.span(),
                            format!("`within_days_after_start` is {value}: a number of days from 0 to 3660"),
                        ));
                        None
                    }
                }
            });
        Some((
            fallback.string("column", problems)?.into_inner(),
            fallback.string("format", problems)?.into_inner(),
            published,
        ))
    });
    Some(DateColumn {
        columns,
        parse,
        fallback,
    })
}

/// A key holding one column name or a list of names of one column.
pub(super) fn one_or_many(
    source: &SourceText,
    table: &Table<'_, '_>,
    key: &str,
    problems: &mut Vec<Problem>,
) -> Option<Vec<String>> {
    let value = table.get(key)?;
    let names: Vec<String> = match value.get_ref() {
        toml::de::DeValue::String(name) => vec![name.to_string()],
        toml::de::DeValue::Array(_) => table
            .strings(key, problems)?
            .into_iter()
            .map(Spanned::into_inner)
            .collect(),
        other => {
            problems.push(table.wrong_type(key, value, "a column name or a list of names", other));
            return None;
        }
    };
    if names.is_empty() {
        problems.push(Problem::at(
            Code::InvalidMap,
            source,
            value.span(),
            format!("`{key}` lists no column"),
        ));
        return None;
    }
    Some(names)
}
