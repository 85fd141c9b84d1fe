//! The published grades of every assessment, held until the assessments are evaluated: a few
//! bytes per grade, in an arena of fixed blocks, so that checking a million assessments needs
//! memory in proportion to their grades and never a copy of the files they came from.
//!
//! An assessment's grades are a chain of *chunks*. A chunk is written at the end of the arena and
//! grows while the grades that follow in the input are for the same assessment; a grade for
//! another assessment starts a new chunk, linked to the end of that assessment's chain. So an
//! assessment whose rows are together in one file is one chunk, and each further place its rows
//! are found (another file, or the same file further on) adds one.
//!
//! A chunk is `[next: u32][length: u16][grades]`. Each grade is written against the one before it
//! in the chunk: two bytes (rank, judgement) when it has the same file, the same source and the
//! same column, on the next line; otherwise a byte saying what changes, and the new values.
//! Sources (a document id and a locator) are written out once per assessment and referred to
//! by their number after that, from any chunk.

use std::hash::{BuildHasher, Hash, Hasher};

use chrono::Datelike;
use hashbrown::HashTable;
use ratings_core::Period;
use rustc_hash::{FxBuildHasher, FxHasher};

/// No chunk.
const NONE: u32 = u32::MAX;
/// Bytes in a block of the arena.
const BLOCK: usize = 1 << 20;
/// Bytes of a chunk's header.
const HEADER: usize = 6;
/// Locators longer than this are kept apart, so that a grade is always small.
const INLINE_LOCATOR: usize = 255;
/// Assessments per segment of the table (a table that grows in segments is never copied).
const SEGMENT: usize = 1 << 16;
/// Shards of the index of assessments.
const SHARDS: usize = 64;

// What a grade's extras byte says changes from the grade before it in the chunk.
const NEW_FILE: u8 = 0x01;
const NEW_SOURCE: u8 = 0x02;
const OLD_SOURCE: u8 = 0x04;
const NEW_LINE: u8 = 0x08;
const NEW_COLUMN: u8 = 0x10;
/// In a grade's first byte, below the rank: an extras byte follows.
const EXTRAS: u8 = 0x40;
/// The rank field of the first byte: 63 means the rank is in the next byte.
const RANK_MASK: u8 = 0x3f;

/// One assessment: an authority in a period, the rules in force, and its chain of chunks.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Assessment {
    pub authority: u32,
    /// The period: a year, or a day as its number from the common era's first (see
    /// [`Assessment::period`]).
    when: i32,
    /// The context (below the top bit) and, in the top bit, whether `when` is a day: so an
    /// assessment is 20 bytes, not 24.
    context_and_day: u32,
    first: u32,
    last: u32,
}

/// The bit of `context_and_day` saying the period is a day.
const DAY: u32 = 1 << 31;

impl Assessment {
    fn new(authority: u32, period: Period, context: u32) -> Option<Assessment> {
        let (when, day) = match period {
            Period::Year(year) => (year, 0),
            Period::Date(date) => (date.num_days_from_ce(), DAY),
        };
        (context < DAY).then_some(Assessment {
            authority,
            when,
            context_and_day: context | day,
            first: NONE,
            last: NONE,
        })
    }

    /// The period.
    pub fn period(&self) -> Period {
        if self.context_and_day & DAY == 0 {
            return Period::Year(self.when);
        }
        // Made from a date in `new`, so always one.
        chrono::NaiveDate::from_num_days_from_ce_opt(self.when)
            .map_or(Period::Year(self.when), Period::Date)
    }

    /// The index of the rules in force.
    pub fn context(&self) -> u32 {
        self.context_and_day & !DAY
    }
}

/// One published grade as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Grade {
    /// Index into the period's judgements.
    pub judgement: u16,
    /// Rank of the grade on the judgement's scale.
    pub rank: u8,
    /// Index into the checker's files.
    pub file: u32,
    /// Index into the assessment's sources (see [`Store::grades`]).
    pub source: u32,
    pub line: u32,
    /// Saturates at 65535, as it always has (only shown, never used to find anything).
    pub column: u16,
}

/// A source: a document (interned by the checker) and a locator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Source {
    pub document: u32,
    pub locator: String,
}

/// A source as given to [`Store::add`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct SourceRef<'s> {
    pub document: u32,
    pub locator: &'s str,
}

/// The assessment being added to, decoded, so that repeats are found without reading the arena.
struct Open {
    assessment: u32,
    grades: Vec<Grade>,
    sources: Vec<Source>,
    /// Bit `j % 64` set when a grade of judgement `j` is held: a grade whose bit is clear
    /// repeats nothing, and most do not.
    judgements: u64,
    /// How many of `sources` the chain holds written out; a later grade refers to them by
    /// index, in whatever chunk it is.
    written: usize,
}

impl Default for Open {
    fn default() -> Self {
        Open {
            assessment: NONE,
            grades: Vec::new(),
            sources: Vec::new(),
            judgements: 0,
            written: 0,
        }
    }
}

/// What the chunk at the end of the arena was last written with.
#[derive(Clone)]
struct Tail {
    /// The chunk, or `NONE` when the next grade must start a new one.
    chunk: u32,
    file: u32,
    /// The source of the last grade, as an index into the open assessment's sources.
    source: u32,
    line: u32,
    column: u16,
}

impl Tail {
    /// Nothing written yet: the next grade starts a chunk and is written whole.
    fn fresh() -> Tail {
        Tail {
            chunk: NONE,
            file: NONE,
            source: NONE,
            line: 0,
            column: 0,
        }
    }
}

/// Where the store was when a file began, to go back there if the file turns out unreadable.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Mark {
    blocks: usize,
    used: usize,
    assessments: usize,
    long: usize,
}

impl Mark {
    /// The arena offset at the mark: every chunk below it was written before.
    fn offset(&self) -> u64 {
        match self.blocks.checked_sub(1) {
            Some(last) => (last * BLOCK + self.used) as u64,
            None => 0,
        }
    }
}

/// Every assessment's grades.
pub(crate) struct Store {
    blocks: Vec<Vec<u8>>,
    segments: Vec<Vec<Assessment>>,
    len: usize,
    /// Assessment indices by authority and period, in shards chosen by six bits of the hash
    /// (see [`shard`]): a shard that grows is copied alone, so growing never holds two copies
    /// of the whole index. Empty once adding is done.
    index: Vec<HashTable<u32>>,
    tail: Tail,
    open: Option<Open>,
    /// Locators too long to write inline.
    long: Vec<Box<str>>,
    /// While a file is read: its mark, and the chains it lengthened with their old ends.
    mark: Option<Mark>,
    undo: Vec<(u32, u32)>,
    /// Reused for encoding one grade.
    scratch: Vec<u8>,
    /// Set by the first grade that did not fit: nothing more is added after it, so that a
    /// record stopped half-way leaves nothing a later one could build on.
    full: bool,
    /// Blocks the arena may have: as many as chunk offsets (`u32`) can address.
    max_blocks: usize,
}

/// Why a grade could not be stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Full {
    /// The arena reached 4 GiB, or the table 4 billion assessments.
    Capacity,
}

impl Store {
    pub fn new() -> Store {
        Store {
            blocks: Vec::new(),
            segments: Vec::new(),
            len: 0,
            index: (0..SHARDS).map(|_| HashTable::new()).collect(),
            tail: Tail::fresh(),
            open: None,
            long: Vec::new(),
            mark: None,
            undo: Vec::new(),
            scratch: Vec::new(),
            full: false,
            max_blocks: (u32::MAX as usize) / BLOCK,
        }
    }

    /// How many assessments.
    pub fn len(&self) -> usize {
        self.len
    }

    /// An assessment by index.
    pub fn assessment(&self, index: u32) -> &Assessment {
        let index = index as usize;
        &self.segments[index / SEGMENT][index % SEGMENT]
    }

    /// The index of an assessment, if it has grades; `None` for every one once adding is done
    /// (see [`Store::done_adding`]: evaluation takes assessments by number).
    pub fn find(&self, authority: u32, period: Period) -> Option<u32> {
        let hash = key_hash(authority, period);
        self.index
            .get(shard(hash))?
            .find(hash, |&i| {
                let a = self.assessment(i);
                a.authority == authority && a.period() == period
            })
            .copied()
    }

    /// Free what only adding needs (the index of assessments and the open assessment's
    /// buffers) once everything is read: evaluation reads assessments by their number. Nothing
    /// can be added or found after it.
    pub fn done_adding(&mut self) {
        self.index = Vec::new();
        self.open = None;
        self.undo = Vec::new();
        self.scratch = Vec::new();
        self.full = true;
    }

    /// Add grades (all from one record) to an assessment, unless every one of them repeats a
    /// grade its source already gave: then nothing is added, and the first repeat is returned.
    /// Grades name their source by index into `sources`. Once a grade has not fitted, every
    /// later call fails too.
    pub fn add(
        &mut self,
        authority: u32,
        period: Period,
        context: u32,
        grades: &[Grade],
        sources: &[SourceRef<'_>],
    ) -> Result<Result<(), Grade>, Full> {
        if self.full {
            return Err(Full::Capacity);
        }
        let added = self.add_unchecked(authority, period, context, grades, sources);
        self.full = added.is_err();
        added
    }

    /// Whether an assessment holds any grade (one whose only record did not fit holds none,
    /// and is not evaluated).
    pub fn has_grades(&self, index: u32) -> bool {
        self.assessment(index).first != NONE
    }

    fn add_unchecked(
        &mut self,
        authority: u32,
        period: Period,
        context: u32,
        grades: &[Grade],
        sources: &[SourceRef<'_>],
    ) -> Result<Result<(), Grade>, Full> {
        let open_here = self.open.as_ref().is_some_and(|o| {
            let a = self.assessment(o.assessment);
            a.authority == authority && a.period() == period
        });
        let assessment = match self.open.as_ref() {
            Some(open) if open_here => open.assessment,
            _ => match self.find(authority, period) {
                Some(found) => found,
                None => self.create(authority, period, context)?,
            },
        };
        let open = self.open(assessment);
        // The record's sources as indices into the assessment's, where it has them already; a
        // new one is added when its first grade is written, so that sources are numbered in the
        // order the chain holds them. Most records have one source: no allocation for it.
        let known = |source: &SourceRef<'_>| {
            open.sources
                .iter()
                .rposition(|s| s.document == source.document && s.locator == source.locator)
                .and_then(|id| u32::try_from(id).ok())
        };
        let first_known = sources.first().and_then(known);
        let many: Vec<Option<u32>> = if sources.len() > 1 {
            sources.iter().map(known).collect()
        } else {
            Vec::new()
        };
        let known_id = |grade: &Grade| match many.get(grade.source as usize) {
            Some(&id) => id,
            None => first_known,
        };
        let mut first_repeat = None;
        let mut all_repeat = !grades.is_empty();
        for new in grades {
            if open.judgements & judgement_bit(new.judgement) == 0 {
                all_repeat = false;
                break;
            }
            // A source the assessment does not have yet repeats nothing.
            let Some(source) = known_id(new) else {
                all_repeat = false;
                break;
            };
            match open.grades.iter().find(|old| {
                old.source == source && old.judgement == new.judgement && old.rank == new.rank
            }) {
                Some(old) => {
                    first_repeat.get_or_insert(*old);
                }
                None => {
                    all_repeat = false;
                    break;
                }
            }
        }
        if all_repeat {
            if let Some(first) = first_repeat {
                return Ok(Err(first));
            }
        }
        let (mut single, mut many) = (first_known, many);
        for grade in grades {
            let slot = grade.source as usize;
            let id = if many.is_empty() {
                single
            } else {
                many.get(slot).copied().flatten()
            };
            let source = match id {
                Some(id) => id,
                None => {
                    let given =
                        sources
                            .get(slot)
                            .or(sources.first())
                            .copied()
                            .unwrap_or(SourceRef {
                                document: 0,
                                locator: "",
                            });
                    let Some(open) = self.open.as_mut() else {
                        return Err(Full::Capacity);
                    };
                    open.sources.push(Source {
                        document: given.document,
                        locator: given.locator.to_owned(),
                    });
                    let id = u32::try_from(open.sources.len() - 1).map_err(|_| Full::Capacity)?;
                    match many.get_mut(slot) {
                        Some(entry) => *entry = Some(id),
                        None => single = Some(id),
                    }
                    id
                }
            };
            let grade = Grade { source, ..*grade };
            self.append(assessment, &grade)?;
            if let Some(open) = self.open.as_mut() {
                open.grades.push(grade);
                open.judgements |= judgement_bit(grade.judgement);
            }
        }
        Ok(Ok(()))
    }

    /// An assessment's grades and sources, in the order they were added.
    pub fn grades(&self, index: u32) -> (Vec<Grade>, Vec<Source>) {
        let (mut grades, mut sources) = (Vec::new(), Vec::new());
        self.grades_into(index, &mut grades, &mut sources);
        (grades, sources)
    }

    /// [`Store::grades`] into buffers, cleared first.
    pub(crate) fn grades_into(
        &self,
        index: u32,
        grades: &mut Vec<Grade>,
        sources: &mut Vec<Source>,
    ) {
        grades.clear();
        sources.clear();
        let mut chunk = self.assessment(index).first;
        while chunk != NONE {
            let (next, bytes) = self.chunk(chunk);
            let mut reader = Reader { bytes, at: 0 };
            let mut state = (0u32, 0u32, 0u32, 0u16);
            while reader.at < bytes.len() {
                let Some(decoded) = self.decode(&mut reader, &mut state, sources) else {
                    break;
                };
                grades.push(decoded);
            }
            chunk = next;
        }
    }

    /// Remember where the store is, before a file that may turn out unreadable.
    pub fn begin(&mut self) {
        self.mark = Some(Mark {
            blocks: self.blocks.len(),
            used: self.blocks.last().map_or(0, Vec::len),
            assessments: self.len,
            long: self.long.len(),
        });
        self.undo.clear();
        // Chunks written before the mark never grow after it: rolling back only cuts.
        self.tail.chunk = NONE;
    }

    /// The file was read: keep what it added.
    pub fn commit(&mut self) {
        self.mark = None;
        self.undo.clear();
    }

    /// The file was unreadable after all: forget everything it added.
    pub fn rollback(&mut self) {
        let Some(mark) = self.mark.take() else { return };
        for (assessment, old_last) in std::mem::take(&mut self.undo).into_iter().rev() {
            self.assessment_mut(assessment).last = old_last;
            self.set_next(old_last, NONE);
        }
        for index in (mark.assessments..self.len).rev() {
            let index = u32::try_from(index).unwrap_or(u32::MAX);
            let a = *self.assessment(index);
            let hash = key_hash(a.authority, a.period());
            let Some(shard) = self.index.get_mut(shard(hash)) else {
                continue;
            };
            if let Ok(entry) = shard.find_entry(hash, |&i| i == index) {
                entry.remove();
            }
        }
        self.len = mark.assessments;
        let segments = self.len.div_ceil(SEGMENT);
        self.segments.truncate(segments);
        if let Some(last) = self.segments.last_mut() {
            last.truncate(self.len - (segments - 1) * SEGMENT);
        }
        self.blocks.truncate(mark.blocks);
        if let Some(last) = self.blocks.last_mut() {
            last.truncate(mark.used);
        }
        self.long.truncate(mark.long);
        self.tail.chunk = NONE;
        self.open = None;
    }
}

fn varint(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value as u8) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

fn judgement_bit(judgement: u16) -> u64 {
    1 << (judgement % 64)
}

/// The shard of the index a hash belongs to: six bits from its middle (hashbrown places by
/// the low bits and tags by the top seven, which must still differ within a shard).
fn shard(hash: u64) -> usize {
    (hash >> 40) as usize % SHARDS
}

fn key_hash(authority: u32, period: Period) -> u64 {
    let mut hasher: FxHasher = FxBuildHasher.build_hasher();
    authority.hash(&mut hasher);
    period.hash(&mut hasher);
    hasher.finish()
}

mod read;
mod write;

use read::Reader;
#[cfg(test)]
mod tests;
