//! Replays the saved fuzz corpus and every past crash on stable (`fuzz/corpus/<target>/`,
//! `fuzz/artifacts/<target>/`): each file through the same function the fuzz target calls.

use std::path::{Path, PathBuf};

fn files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .collect();
    out.sort();
    out
}

#[test]
fn every_saved_input_and_past_crash_runs_clean() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz");
    for target in &cpcert_fuzzing::TARGETS {
        let corpus = files(&root.join("corpus").join(target.name));
        assert!(
            !corpus.is_empty(),
            "no seed corpus for `{}` (scripts/fuzz-seeds writes it)",
            target.name
        );
        let crashes = files(&root.join("artifacts").join(target.name));
        for path in corpus.iter().chain(&crashes) {
            let data = std::fs::read(path).expect("read corpus file");
            eprintln!("{} ← {}", target.name, path.display());
            (target.run)(&data);
        }
        eprintln!(
            "{}: {} corpus files, {} past crashes replayed",
            target.name,
            corpus.len(),
            crashes.len()
        );
    }
}
