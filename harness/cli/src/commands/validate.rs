//! `cpcert validate`: parse, run the library's validation, print (human or the JSON document of
//! docs/validate-json.md).

use std::io::Write as _;

use cpcert_checks::{
    ErrorDocument, Lang, PathError, Progress, ValidateDocument, ValidateOptions,
    validate_paths_with,
};
use cpcert_spec::Spec;

use super::anyhow_lite::{Localized, Result};
use crate::args::{Format, ValidateArgs};
use crate::exit_codes;
use crate::term::Term;

/// From this many files a validate run shows a progress bar (on a terminal).
const PROGRESS_FROM_FILES: usize = 50;

fn print(text: &str) {
    let mut stdout = std::io::stdout().lock();
    // A closed pipe (`| head`) is not a failure.
    let _ = stdout.write_all(text.as_bytes());
}

pub(crate) fn exec(args: &ValidateArgs, lang: Lang, term: Term) -> Result<u8> {
    super::set_jobs(args.jobs);
    // A bar for large runs only: a handful of files is done before it could be read.
    let bar = std::sync::OnceLock::new();
    let label = match lang {
        Lang::Ja => "検査中",
        Lang::En => "validating",
    };
    let on_progress = |p: Progress| match p {
        Progress::Found(n) if n >= PROGRESS_FROM_FILES => {
            let _ = bar.set(crate::term::progress(n as u64, label));
        }
        Progress::FileDone => {
            if let Some(b) = bar.get() {
                b.inc(1);
            }
        }
        Progress::Found(_) => {}
    };
    let result = validate_paths_with(
        &args.paths,
        Spec::embedded(),
        &ValidateOptions::default(),
        &on_progress,
    );
    if let Some(b) = bar.get() {
        b.finish_and_clear();
    }
    let run = match result {
        Ok(run) => run,
        Err(err) => {
            if args.format == Format::Json {
                // A JSON reader gets a JSON answer on stdout even when nothing could be run.
                let doc = ErrorDocument::new(err.message(lang), Some(&err.source));
                print(&format!("{}\n", to_pretty(&doc)?));
            }
            return Err(localized(err, lang));
        }
    };
    let text = match args.format {
        Format::Human => crate::human::validation(&run, lang, term),
        Format::Json => format!("{}\n", to_pretty(&ValidateDocument::new(&run, lang))?),
    };
    print(&text);
    Ok(if run.summary.errors > 0 {
        exit_codes::FAILED
    } else {
        exit_codes::OK
    })
}

fn to_pretty<T: serde::Serialize>(value: &T) -> Result<String> {
    Ok(serde_json::to_string_pretty(value)?)
}

fn localized(err: PathError, lang: Lang) -> super::anyhow_lite::Error {
    Box::new(Localized {
        message: err.message(lang),
        source: Some(Box::new(err.source)),
    })
}
