//! Report PDFs, the slow inputs: each read into records, and every input read into a checker
//! with the reports read on all cores first and handed over in input order, so the output
//! does not depend on the threads.

use super::discover::InputFile;
use super::read::read_bytes;
use super::sniff::{read_into, InputFormat};
use crate::authority::Authorities;
use crate::checker::Checker;
use crate::ReadFile;

/// A report PDF as records: the grades of its page-one table, with the disagreements found
/// inside it.
pub fn read_pdf_file(
    input: &InputFile,
    book: &ratings_core::RuleBook,
    authorities: &Authorities,
) -> ReadFile {
    let name = input.path.display().to_string();
    let bytes = match read_bytes(&input.path) {
        Ok(bytes) => bytes,
        Err(problem) => return ReadFile::unreadable(problem),
    };
    read_pdf_bytes(&name, &bytes, book, authorities)
}

/// Read a report from its bytes.
pub(super) fn read_pdf_bytes(
    name: &str,
    bytes: &[u8],
    book: &ratings_core::RuleBook,
    authorities: &Authorities,
) -> ReadFile {
    match crate::pdf_reports::read_pdf(name, bytes, book, authorities) {
        Ok(report) => crate::letter::to_read_file(&report.text, &report.extraction),
        Err(problem) => ReadFile::unreadable(*problem),
    }
}

/// Read every input into a checker, in order; reports (the slow part) are read on all cores
/// first, and handed over in input order, so the output does not depend on the threads.
pub fn read_all(
    inputs: &[InputFile],
    stdin_format: Option<InputFormat>,
    columns: &[crate::ColumnMap],
    checker: &mut Checker<'_>,
    book: &ratings_core::RuleBook,
    authorities: &Authorities,
) {
    let pdfs: Vec<usize> = (0..inputs.len())
        .filter(|&i| InputFormat::of(&inputs[i].path) == Some(InputFormat::Pdf))
        .collect();
    let mut read: Vec<Option<ReadFile>> = (0..inputs.len()).map(|_| None).collect();
    if !pdfs.is_empty() {
        let workers = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(pdfs.len());
        let next = std::sync::atomic::AtomicUsize::new(0);
        let results = std::sync::Mutex::new(Vec::with_capacity(pdfs.len()));
        std::thread::scope(|scope| {
            for _ in 0..workers {
                scope.spawn(|| loop {
                    let index = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(&at) = pdfs.get(index) else { break };
                    let file = read_pdf_file(&inputs[at], book, authorities);
                    if let Ok(mut results) = results.lock() {
                        results.push((at, file));
                    }
                });
            }
        });
        for (at, file) in results.into_inner().unwrap_or_default() {
            read[at] = Some(file);
        }
    }
    for (index, input) in inputs.iter().enumerate() {
        match read[index].take() {
            Some(file) => checker.add_file(&file),
            None => read_into(input, stdin_format, columns, checker, book, authorities),
        }
    }
}
