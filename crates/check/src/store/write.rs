//! Writing grades: assessments made and found, chunks begun and lengthened, each grade
//! encoded against the one before it.

use ratings_core::Period;

use super::{
    judgement_bit, key_hash, shard, varint, Assessment, Full, Grade, Open, Source, Store, Tail,
    BLOCK, EXTRAS, HEADER, INLINE_LOCATOR, NEW_COLUMN, NEW_FILE, NEW_LINE, NEW_SOURCE, NONE,
    OLD_SOURCE, RANK_MASK, SEGMENT, SHARDS,
};

impl Store {
    pub(super) fn create(
        &mut self,
        authority: u32,
        period: Period,
        context: u32,
    ) -> Result<u32, Full> {
        let index = u32::try_from(self.len)
            .ok()
            .filter(|&i| i != NONE)
            .ok_or(Full::Capacity)?;
        // Nothing is added once adding is done (the index is gone).
        if self.index.len() != SHARDS {
            return Err(Full::Capacity);
        }
        let assessment = Assessment::new(authority, period, context).ok_or(Full::Capacity)?;
        if self.len % SEGMENT == 0 {
            self.segments.push(Vec::with_capacity(SEGMENT));
        }
        if let Some(segment) = self.segments.last_mut() {
            segment.push(assessment);
        }
        self.len += 1;
        let hash = key_hash(authority, period);
        let segments = &self.segments;
        self.index[shard(hash)].insert_unique(hash, index, |&i| {
            let a = &segments[i as usize / SEGMENT][i as usize % SEGMENT];
            key_hash(a.authority, a.period())
        });
        Ok(index)
    }

    pub(super) fn assessment_mut(&mut self, index: u32) -> &mut Assessment {
        let index = index as usize;
        &mut self.segments[index / SEGMENT][index % SEGMENT]
    }

    /// Make an assessment the open one, decoding what it already holds.
    pub(super) fn open(&mut self, assessment: u32) -> &mut Open {
        let mut open = self.open.take().unwrap_or_default();
        // INVARIANT: no assessment has the index NONE (see `create`), so buffers that hold none
        // yet are never taken for one.
        if open.assessment != assessment {
            // The buffers are kept from one assessment to the next.
            if self.assessment(assessment).first == NONE {
                open.grades.clear();
                open.sources.clear();
            } else {
                self.grades_into(assessment, &mut open.grades, &mut open.sources);
            }
            open.assessment = assessment;
            open.written = open.sources.len();
            open.judgements = open
                .grades
                .iter()
                .fold(0, |bits, g| bits | judgement_bit(g.judgement));
            // The tail chunk belongs to another assessment: the next grade starts a chunk.
            self.tail.chunk = NONE;
        }
        self.open.insert(open)
    }

    /// Write one grade (its source an index into the open assessment's sources) at the end of
    /// the assessment's chain.
    pub(super) fn append(&mut self, assessment: u32, grade: &Grade) -> Result<(), Full> {
        let continuing =
            self.tail.chunk != NONE && self.assessment(assessment).last == self.tail.chunk;
        if !continuing {
            self.tail = Tail::fresh();
        }
        let mut scratch = std::mem::take(&mut self.scratch);
        scratch.clear();
        self.encode(grade, &mut scratch)?;
        if !(continuing && self.extend_tail(&scratch)) {
            if continuing {
                // No room at the end of the chunk: a new one, where the grade is written whole.
                self.tail = Tail::fresh();
                scratch.clear();
                self.encode(grade, &mut scratch)?;
            }
            self.new_chunk(assessment, &scratch)?;
        }
        self.scratch = scratch;
        if let Some(open) = self.open.as_mut() {
            open.written = open.written.max(grade.source as usize + 1);
        }
        self.tail.file = grade.file;
        self.tail.source = grade.source;
        self.tail.line = grade.line;
        self.tail.column = grade.column;
        Ok(())
    }

    pub(super) fn encode(&mut self, grade: &Grade, out: &mut Vec<u8>) -> Result<(), Full> {
        let tail = &self.tail;
        let mut extras = 0u8;
        if grade.file != tail.file {
            extras |= NEW_FILE;
        }
        // A source the chain already holds is referred to by its index, in any chunk; a new
        // one is written out once.
        let written = self.open.as_ref().map_or(0, |o| o.written);
        let mut source_ref: Option<u8> = None;
        if grade.source != tail.source {
            let flag = if (grade.source as usize) < written {
                OLD_SOURCE
            } else {
                NEW_SOURCE
            };
            source_ref = Some(flag);
            extras |= flag;
        }
        if grade.line != tail.line.wrapping_add(1) || tail.chunk == NONE {
            extras |= NEW_LINE;
        }
        if grade.column != tail.column || tail.chunk == NONE {
            extras |= NEW_COLUMN;
        }
        let rank_field = grade.rank.min(RANK_MASK);
        out.push(rank_field | if extras != 0 { EXTRAS } else { 0 });
        varint(out, u64::from(grade.judgement));
        if rank_field == RANK_MASK {
            out.push(grade.rank);
        }
        if extras == 0 {
            return Ok(());
        }
        out.push(extras);
        if extras & NEW_FILE != 0 {
            varint(out, u64::from(grade.file));
        }
        match source_ref {
            Some(OLD_SOURCE) => varint(out, u64::from(grade.source)),
            Some(_) => {
                let source = self
                    .open
                    .as_ref()
                    .and_then(|o| o.sources.get(grade.source as usize))
                    .cloned()
                    .unwrap_or(Source {
                        document: 0,
                        locator: String::new(),
                    });
                varint(out, u64::from(source.document));
                if source.locator.len() <= INLINE_LOCATOR {
                    varint(out, (source.locator.len() as u64) << 1);
                    out.extend_from_slice(source.locator.as_bytes());
                } else {
                    let index = self.long.len() as u64;
                    self.long.push(source.locator.into_boxed_str());
                    varint(out, (index << 1) | 1);
                }
            }
            None => {}
        }
        if extras & NEW_LINE != 0 {
            varint(out, u64::from(grade.line));
        }
        if extras & NEW_COLUMN != 0 {
            varint(out, u64::from(grade.column));
        }
        Ok(())
    }

    /// Put encoded bytes at the end of the tail chunk, if they fit.
    pub(super) fn extend_tail(&mut self, bytes: &[u8]) -> bool {
        let chunk = self.tail.chunk as usize;
        let (block, at) = (chunk / BLOCK, chunk % BLOCK);
        let Some(data) = self.blocks.get_mut(block) else {
            return false;
        };
        let length = usize::from(u16::from_le_bytes([data[at + 4], data[at + 5]]));
        let Ok(grown) = u16::try_from(length + bytes.len()) else {
            return false;
        };
        if data.len() + bytes.len() > BLOCK {
            return false;
        }
        data.extend_from_slice(bytes);
        data[at + 4..at + 6].copy_from_slice(&grown.to_le_bytes());
        true
    }

    pub(super) fn new_chunk(&mut self, assessment: u32, bytes: &[u8]) -> Result<(), Full> {
        let need = HEADER + bytes.len();
        if self.blocks.last().is_none_or(|b| b.len() + need > BLOCK) {
            if self.blocks.len() >= self.max_blocks {
                return Err(Full::Capacity);
            }
            self.blocks.push(Vec::with_capacity(BLOCK));
        }
        let block_index = self.blocks.len() - 1;
        let block = &mut self.blocks[block_index];
        let chunk = u32::try_from(block_index * BLOCK + block.len()).map_err(|_| Full::Capacity)?;
        block.extend_from_slice(&NONE.to_le_bytes());
        let length = u16::try_from(bytes.len()).map_err(|_| Full::Capacity)?;
        block.extend_from_slice(&length.to_le_bytes());
        block.extend_from_slice(bytes);
        let old_last = self.assessment(assessment).last;
        if old_last == NONE {
            self.assessment_mut(assessment).first = chunk;
        } else {
            self.set_next(old_last, chunk);
            // A chain that reached past the mark when the file began is cut back there on a
            // rollback: only the first link made after the mark needs remembering.
            if let Some(mark) = self.mark {
                if (assessment as usize) < mark.assessments && u64::from(old_last) < mark.offset() {
                    self.undo.push((assessment, old_last));
                }
            }
        }
        self.assessment_mut(assessment).last = chunk;
        self.tail.chunk = chunk;
        Ok(())
    }

    pub(super) fn set_next(&mut self, chunk: u32, next: u32) {
        let chunk = chunk as usize;
        let (block, at) = (chunk / BLOCK, chunk % BLOCK);
        if let Some(data) = self.blocks.get_mut(block) {
            if at + 4 <= data.len() {
                data[at..at + 4].copy_from_slice(&next.to_le_bytes());
            }
        }
    }
}
