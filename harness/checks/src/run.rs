//! Validating many paths: folders searched for the standard's file names, files in parallel,
//! then the send-unit rules over the whole set.

use std::io;
use std::path::PathBuf;

use cpcert_spec::Spec;
use rayon::prelude::*;
use serde::Serialize;

use crate::finding::{Lang, Severity};
use crate::send_unit::{SendUnitReport, check_send_units};
use crate::validate::{FileReport, ValidateOptions, validate_file};
use crate::walk::{Skipped, Walk, walk_paths};

/// Everything `cpcert validate` found.
#[derive(Debug, Clone, Serialize)]
pub struct ValidationRun {
    /// One report per file, in path order.
    pub files: Vec<FileReport>,
    /// One report per send unit.
    pub send_units: Vec<SendUnitReport>,
    /// What a folder held that was not validated, and why (never dropped silently).
    pub skipped: Vec<Skipped>,
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
    /// Entries not validated (see [`ValidationRun::skipped`]).
    pub skipped: usize,
}

/// A path that cannot be validated (a usage error).
#[derive(Debug, thiserror::Error)]
#[error("cannot read `{}`", crate::walk::display_path(path))]
pub struct PathError {
    /// The path.
    pub path: PathBuf,
    /// Why.
    #[source]
    pub source: io::Error,
}

impl PathError {
    /// The error's first line in a language (its cause is [`std::error::Error::source`]).
    pub fn message(&self, lang: Lang) -> String {
        let path = crate::walk::display_path(&self.path);
        match lang {
            Lang::Ja => format!("`{path}` を読めません"),
            Lang::En => format!("cannot read `{path}`"),
        }
    }
}

/// Expands folders (recursively, sorted) into the standard's files; files are kept as given.
///
/// # Errors
/// A path given on the command line that does not exist or cannot be read.
pub fn expand_paths(
    paths: &[PathBuf],
    spec: &Spec,
    version: &str,
) -> Result<Vec<PathBuf>, PathError> {
    Ok(walk_paths(paths, spec, version)?.files)
}

/// Validates files (in parallel on the current rayon pool) and, when given a folder or several
/// files, their send units (one file alone cannot show whether its unit is complete).
///
/// # Errors
/// A path given on the command line that does not exist or cannot be read.
pub fn validate_paths(
    paths: &[PathBuf],
    spec: &Spec,
    opts: &ValidateOptions,
) -> Result<ValidationRun, PathError> {
    validate_paths_with(paths, spec, opts, &|_| {})
}

/// What [`validate_paths_with`] reports while it works.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// The walk found this many files to validate.
    Found(usize),
    /// One more file was validated.
    FileDone,
}

/// [`validate_paths`], calling `progress` as files are found and validated (from several
/// threads).
///
/// # Errors
/// A path given on the command line that does not exist or cannot be read.
pub fn validate_paths_with(
    paths: &[PathBuf],
    spec: &Spec,
    opts: &ValidateOptions,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<ValidationRun, PathError> {
    let Walk {
        files,
        mut skipped,
        folders,
    } = walk_paths(paths, spec, &opts.layout_version)?;
    progress(Progress::Found(files.len()));
    let check_units = files.len() > 1 || folders;
    let results: Vec<Result<FileReport, Skipped>> = files
        .par_iter()
        .map(|p| {
            let r = validate_file(p, spec, opts).map_err(|e| Skipped::unreadable(p, &e));
            progress(Progress::FileDone);
            r
        })
        .collect();
    let mut reports = Vec::with_capacity(results.len());
    for r in results {
        match r {
            Ok(report) => reports.push(report),
            // A file that vanished or cannot be read after the walk is listed, not fatal.
            Err(s) => skipped.push(s),
        }
    }
    let send_units = if check_units {
        check_send_units(&reports, spec, &opts.layout_version)
    } else {
        Vec::new()
    };
    let mut summary = Summary {
        files: reports.len(),
        skipped: skipped.len(),
        ..Summary::default()
    };
    let all = reports
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
        files: reports,
        send_units,
        skipped,
        summary,
    })
}
