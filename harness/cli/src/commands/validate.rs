//! `cpcert validate`: parse, run the library's validation, print (human or the JSON document of
//! docs/validate-json.md).

use std::io::Write as _;

use cpcert_checks::{
    ErrorDocument, Lang, PathError, ValidateDocument, ValidateOptions, validate_paths,
};
use cpcert_spec::Spec;

use super::anyhow_lite::{Localized, Result};
use crate::args::{Format, ValidateArgs};
use crate::exit_codes;

fn print(text: &str) {
    let mut stdout = std::io::stdout().lock();
    // A closed pipe (`| head`) is not a failure.
    let _ = stdout.write_all(text.as_bytes());
}

pub(crate) fn exec(args: &ValidateArgs, lang: Lang) -> Result<u8> {
    super::set_jobs(args.jobs);
    let run = match validate_paths(&args.paths, Spec::embedded(), &ValidateOptions::default()) {
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
        Format::Human => crate::human::validation(&run, lang),
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
