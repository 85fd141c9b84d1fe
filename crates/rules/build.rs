//! Embeds the workspace's `rules/` and `maps/` directories, so that every user of the shipped
//! rules and column maps (the binary, benches, fuzz targets, tests, library users) reads the
//! same files.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    // The manifest directory as cargo gives it to this run (not as it was when the build
    // script was compiled: a checkout that moves would otherwise embed another place's rules).
    let manifest = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".to_owned());
    let workspace = Path::new(&manifest).join("../..");
    let rules = toml_files(&workspace, "rules");
    // A build without rules would check nothing and say so only at run time.
    assert!(!rules.is_empty(), "no rule files (*.toml) in rules/");
    let mut out = String::new();
    embed(&mut out, "FILES", "The shipped rule files", "rules", rules);
    let maps = toml_files(&workspace, "maps");
    embed(&mut out, "MAPS", "The shipped column maps", "maps", maps);
    let out_dir = std::env::var("OUT_DIR").unwrap_or_else(|_| ".".to_owned());
    if let Err(error) = std::fs::write(Path::new(&out_dir).join("shipped_rules.rs"), out) {
        panic!("cannot write the embedded rules: {error}");
    }
}

/// The `.toml` files of a directory of the workspace, sorted; the build reruns when it changes.
fn toml_files(workspace: &Path, dir: &str) -> Vec<PathBuf> {
    let root = workspace.join(dir);
    println!("cargo:rerun-if-changed={}", root.display());
    let mut files: Vec<PathBuf> = match std::fs::read_dir(&root) {
        Ok(entries) => entries
            .filter_map(Result::ok)
            .map(|entry| entry.path())
            .filter(|path| path.extension().is_some_and(|ext| ext == "toml"))
            .collect(),
        Err(error) => panic!(
            "cannot read the {dir} directory {}: {error}",
            root.display()
        ),
    };
    files.sort();
    files
}

/// `pub const NAME: &[(&str, &str)]`: each file as (path shown in messages, text).
fn embed(out: &mut String, name: &str, doc: &str, dir: &str, files: Vec<PathBuf>) {
    let _ = writeln!(
        out,
        "/// {doc}: (path shown in messages, text).\npub const {name}: &[(&str, &str)] = &["
    );
    for path in files {
        println!("cargo:rerun-if-changed={}", path.display());
        let file = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "    (\"{dir}/{file}\", include_str!({:?})),",
            path.display().to_string()
        );
    }
    out.push_str("];\n");
}
