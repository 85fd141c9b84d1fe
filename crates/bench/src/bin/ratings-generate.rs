//! Write synthetic assessments over a rule directory, with the authorities table that matches
//! them: `ratings-generate --assessments 100000 [--partial] [--inconsistent 0.1] OUT_DIR`.

use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, ValueEnum};
use ratings_bench::{
    authorities_csv, authority_count, generate, load_dir, write_csv, write_toml, Spec,
};

#[derive(Parser)]
#[command(about = "Write deterministic synthetic assessments over a rule directory")]
struct Args {
    /// How many assessments (authority and year pairs).
    #[arg(long, default_value_t = 10_000)]
    assessments: usize,
    /// Publish a random half of each year's judgements instead of all of them.
    #[arg(long)]
    partial: bool,
    /// The share of inconsistent assessments, 0 to 1.
    #[arg(long, default_value_t = 0.1)]
    inconsistent: f64,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    #[arg(long, value_enum, default_value_t = Format::Csv)]
    format: Format,
    #[arg(long, default_value = "rules")]
    rules: PathBuf,
    /// Split the records over this many files (`records-0.csv`, ...), keeping each file under
    /// the size `ratings check` reads.
    #[arg(long, default_value_t = 1)]
    files: usize,
    /// Directory to write `records/records.csv` (or `.toml`, or several files with `--files`)
    /// and `authorities.csv` into.
    out: PathBuf,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Csv,
    Toml,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let book = match load_dir(&args.rules) {
        Ok(book) => book,
        Err(problems) => {
            for problem in problems {
                eprintln!("error: {problem}");
            }
            return ExitCode::from(2);
        }
    };
    let spec = Spec {
        assessments: args.assessments,
        partial: args.partial,
        inconsistent: args.inconsistent,
        seed: args.seed,
    };
    let assessments = generate(&book, &spec);
    let write = || -> std::io::Result<()> {
        std::fs::create_dir_all(&args.out)?;
        std::fs::write(
            args.out.join("authorities.csv"),
            authorities_csv(authority_count(&assessments)),
        )?;
        // Records under `records/`, so that checking that directory reads only records.
        let records = args.out.join("records");
        std::fs::create_dir_all(&records)?;
        let extension = if args.format == Format::Csv {
            "csv"
        } else {
            "toml"
        };
        let files = args.files.max(1);
        let per_file = assessments.len().div_ceil(files).max(1);
        for (index, chunk) in assessments.chunks(per_file).enumerate() {
            let name = if files == 1 {
                format!("records.{extension}")
            } else {
                format!("records-{index}.{extension}")
            };
            let mut out = BufWriter::new(std::fs::File::create(records.join(name))?);
            match args.format {
                Format::Csv => write_csv(chunk, &mut out)?,
                Format::Toml => write_toml(chunk, &mut out)?,
            }
            out.flush()?;
        }
        Ok(())
    };
    if let Err(error) = write() {
        eprintln!("error: cannot write to {}: {error}", args.out.display());
        return ExitCode::from(2);
    }
    let inconsistent = assessments.iter().filter(|a| !a.consistent).count();
    eprintln!(
        "{}: {} assessments ({inconsistent} inconsistent), {} authorities",
        args.out.display(),
        assessments.len(),
        authority_count(&assessments)
    );
    ExitCode::SUCCESS
}
