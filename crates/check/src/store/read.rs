//! Reading grades back: an assessment's chain of chunks, each grade decoded against the one
//! before it.

use super::{
    Grade, Source, Store, BLOCK, EXTRAS, HEADER, NEW_COLUMN, NEW_FILE, NEW_LINE, NEW_SOURCE,
    OLD_SOURCE, RANK_MASK,
};

impl Store {
    pub(super) fn chunk(&self, chunk: u32) -> (u32, &[u8]) {
        let chunk = chunk as usize;
        let (block, at) = (chunk / BLOCK, chunk % BLOCK);
        let data = &self.blocks[block];
        let next = u32::from_le_bytes([data[at], data[at + 1], data[at + 2], data[at + 3]]);
        let length = usize::from(u16::from_le_bytes([data[at + 4], data[at + 5]]));
        (next, &data[at + HEADER..at + HEADER + length])
    }

    /// One grade; `state` is the last grade's file, source (index into `sources`), line and
    /// column.
    pub(super) fn decode(
        &self,
        reader: &mut Reader<'_>,
        state: &mut (u32, u32, u32, u16),
        sources: &mut Vec<Source>,
    ) -> Option<Grade> {
        let first = reader.byte()?;
        let judgement = u16::try_from(reader.varint()?).ok()?;
        let mut rank = first & RANK_MASK;
        if rank == RANK_MASK {
            rank = reader.byte()?;
        }
        let (mut file, mut source, mut line, mut column) = *state;
        line = line.wrapping_add(1);
        if first & EXTRAS != 0 {
            let extras = reader.byte()?;
            if extras & NEW_FILE != 0 {
                file = u32::try_from(reader.varint()?).ok()?;
            }
            if extras & OLD_SOURCE != 0 {
                source = u32::try_from(reader.varint()?).ok()?;
                if source as usize >= sources.len() {
                    return None;
                }
            }
            if extras & NEW_SOURCE != 0 {
                let document = u32::try_from(reader.varint()?).ok()?;
                let word = reader.varint()?;
                let locator = if word & 1 == 0 {
                    let length = usize::try_from(word >> 1).ok()?;
                    String::from_utf8_lossy(reader.bytes(length)?).into_owned()
                } else {
                    let index = usize::try_from(word >> 1).ok()?;
                    self.long.get(index)?.to_string()
                };
                // INVARIANT: a source is written out once per chain (`encode`), so sources
                // are numbered here as they were when written.
                sources.push(Source { document, locator });
                source = u32::try_from(sources.len() - 1).ok()?;
            }
            if extras & NEW_LINE != 0 {
                line = u32::try_from(reader.varint()?).ok()?;
            }
            if extras & NEW_COLUMN != 0 {
                column = u16::try_from(reader.varint()?).ok()?;
            }
        }
        *state = (file, source, line, column);
        Some(Grade {
            judgement,
            rank,
            file,
            source,
            line,
            column,
        })
    }
}

pub(super) struct Reader<'b> {
    pub(super) bytes: &'b [u8],
    pub(super) at: usize,
}

impl<'b> Reader<'b> {
    pub(super) fn byte(&mut self) -> Option<u8> {
        let byte = *self.bytes.get(self.at)?;
        self.at += 1;
        Some(byte)
    }

    pub(super) fn bytes(&mut self, length: usize) -> Option<&'b [u8]> {
        let bytes = self.bytes.get(self.at..self.at.checked_add(length)?)?;
        self.at += length;
        Some(bytes)
    }

    pub(super) fn varint(&mut self) -> Option<u64> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = self.byte()?;
            value |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Some(value);
            }
        }
        None
    }
}
