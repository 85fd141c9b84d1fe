//! Embeds the workspace's `rules/` and `maps/` directories, so that every user of the shipped
//! rules and column maps (the binary, benches, fuzz targets, tests, library users) reads the
//! same files.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    // The manifest directory as cargo gives it to this run (not as it was when the build
    // script was compiled: a checkout that moves would otherwise embed another place's rules).
    let manifest = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".to_owned());
    let root = Path::new(&manifest).join("../../rules");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut files: Vec<_> = match std::fs::read_dir(&root) {
        Ok(entries) => entries
            .filter_map(Result::ok)
            .map(|entry| entry.path())
            .filter(|path| path.extension().is_some_and(|ext| ext == "toml"))
            .collect(),
        Err(error) => panic!(
            "cannot read the rules directory {}: {error}",
            root.display()
        ),
    };
    // A build without rules would check nothing and say so only at run time.
    assert!(
        !files.is_empty(),
        "no rule files (*.toml) in {}",
        root.display()
    );
    files.sort();
    let mut out = String::from("/// The shipped rule files: (path shown in messages, text).\npub const FILES: &[(&str, &str)] = &[\n");
    for path in files {
        println!("cargo:rerun-if-changed={}", path.display());
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "    (\"rules/{name}\", include_str!({:?})),",
            path.display().to_string()
        );
    }
    out.push_str("];\n");
    let maps = Path::new(&manifest).join("../../maps");
    println!("cargo:rerun-if-changed={}", maps.display());
    let mut map_files: Vec<_> = match std::fs::read_dir(&maps) {
        Ok(entries) => entries
            .filter_map(Result::ok)
            .map(|entry| entry.path())
            .filter(|path| path.extension().is_some_and(|ext| ext == "toml"))
            .collect(),
        Err(error) => panic!("cannot read the maps directory {}: {error}", maps.display()),
    };
    map_files.sort();
    out.push_str("/// The shipped column maps: (path shown in messages, text).\npub const MAPS: &[(&str, &str)] = &[\n");
    for path in map_files {
        println!("cargo:rerun-if-changed={}", path.display());
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "    (\"maps/{name}\", include_str!({:?})),",
            path.display().to_string()
        );
    }
    out.push_str("];\n");
    let out_dir = std::env::var("OUT_DIR").unwrap_or_else(|_| ".".to_owned());
    if let Err(error) = std::fs::write(Path::new(&out_dir).join("shipped_rules.rs"), out) {
        panic!("cannot write the embedded rules: {error}");
    }
}
