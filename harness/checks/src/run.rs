//! Validating many paths: folders searched for the standard's file names, files in parallel,
//! then the send-unit rules over the whole set.

use std::io;
use std::path::{Path, PathBuf};

use cpcert_spec::Spec;
use rayon::prelude::*;
use serde::Serialize;

use crate::finding::Severity;
use crate::name::looks_like_standard_file;
use crate::send_unit::{SendUnitReport, check_send_units};
use crate::validate::{FileReport, ValidateOptions, validate_file};

/// Everything `cpcert validate` found.
#[derive(Debug, Clone, Serialize)]
pub struct ValidationRun {
    /// One report per file, in path order.
    pub files: Vec<FileReport>,
    /// One report per send unit.
    pub send_units: Vec<SendUnitReport>,
    /// Totals.
    pub summary: Summary,
}

/// Totals of a run.
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq, Eq)]
pub struct Summary {
    /// Files validated.
    pub files: usize,
    /// Error findings.
    pub errors: usize,
    /// Warning findings.
    pub warnings: usize,
}

/// A path that cannot be validated (a usage error).
#[derive(Debug, thiserror::Error)]
#[error("cannot read `{path}`")]
pub struct PathError {
    /// The path.
    pub path: PathBuf,
    /// Why.
    #[source]
    pub source: io::Error,
}

/// Expands folders (recursively, sorted) into the standard's files; files are kept as given.
///
/// # Errors
/// A path that does not exist or a folder that cannot be read.
pub fn expand_paths(
    paths: &[PathBuf],
    spec: &Spec,
    version: &str,
) -> Result<Vec<PathBuf>, PathError> {
    let mut out = Vec::new();
    for path in paths {
        let meta = path.metadata().map_err(|source| PathError {
            path: path.clone(),
            source,
        })?;
        if meta.is_dir() {
            walk(path, spec, version, &mut out)?;
        } else {
            out.push(path.clone());
        }
    }
    Ok(out)
}

fn walk(dir: &Path, spec: &Spec, version: &str, out: &mut Vec<PathBuf>) -> Result<(), PathError> {
    let err = |source| PathError {
        path: dir.to_owned(),
        source,
    };
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(err)?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()
        .map_err(err)?;
    entries.sort();
    for path in entries {
        if path.is_dir() {
            walk(&path, spec, version, out)?;
        } else if path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| looks_like_standard_file(n, spec, version))
        {
            out.push(path);
        }
    }
    Ok(())
}

/// Validates files (in parallel on the current rayon pool) and, when given a folder or several
/// files, their send units (one file alone cannot show whether its unit is complete).
///
/// # Errors
/// A file that cannot be read.
pub fn validate_paths(
    paths: &[PathBuf],
    spec: &Spec,
    opts: &ValidateOptions,
) -> Result<ValidationRun, PathError> {
    let files = expand_paths(paths, spec, &opts.layout_version)?;
    let check_units = files.len() > 1 || paths.iter().any(|p| p.is_dir());
    let files: Vec<FileReport> = files
        .par_iter()
        .map(|p| {
            validate_file(p, spec, opts).map_err(|source| PathError {
                path: p.clone(),
                source,
            })
        })
        .collect::<Result<_, _>>()?;
    let send_units = if check_units {
        check_send_units(&files, spec, &opts.layout_version)
    } else {
        Vec::new()
    };
    let mut summary = Summary {
        files: files.len(),
        ..Summary::default()
    };
    let all = files
        .iter()
        .flat_map(|f| &f.findings)
        .chain(send_units.iter().flat_map(|u| &u.findings));
    for f in all {
        match f.severity {
            Severity::Error => summary.errors += 1,
            Severity::Warning => summary.warnings += 1,
        }
    }
    Ok(ValidationRun {
        files,
        send_units,
        summary,
    })
}
