//! `cpcert validate`.

use std::io::Write as _;

use cpcert_checks::{Finding, Lang, ValidateOptions, ValidationRun, validate_paths};
use cpcert_spec::Spec;
use serde_json::{Value, json};

use super::anyhow_lite::Result;
use crate::args::{Format, ValidateArgs};
use crate::exit_codes;

pub(crate) fn exec(args: &ValidateArgs, lang: Lang) -> Result<u8> {
    super::set_jobs(args.jobs);
    let run = validate_paths(&args.paths, Spec::embedded(), &ValidateOptions::default())?;
    let text = match args.format {
        Format::Human => crate::human::validation(&run, lang),
        Format::Json => format!("{:#}\n", to_json(&run, lang)),
    };
    let mut stdout = std::io::stdout().lock();
    // A closed pipe (`| head`) is not a failure.
    let _ = stdout.write_all(text.as_bytes());
    Ok(if run.summary.errors > 0 {
        exit_codes::FAILED
    } else {
        exit_codes::OK
    })
}

fn finding_json(f: &Finding, lang: Lang) -> Value {
    json!({
        "rule": f.rule,
        "severity": f.severity,
        "record": f.record,
        "line": f.line,
        "byte_offset": f.byte_offset,
        "field": f.field,
        "field_name": f.field_name,
        "message": f.message(lang),
        "expected": f.expected,
        "actual": f.actual,
        "unsettled": f.unsettled,
    })
}

/// The validate JSON contract: add fields, never remove.
pub(crate) fn to_json(run: &ValidationRun, lang: Lang) -> Value {
    json!({
        "files": run.files.iter().map(|f| json!({
            "path": f.path,
            "kind": f.kind,
            "layout_version": f.layout_version,
            "records": f.records,
            "line_ending": f.line_ending,
            "findings": f.findings.iter().map(|x| finding_json(x, lang)).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "send_units": run.send_units.iter().map(|u| json!({
            "timestamp": u.timestamp,
            "unit": u.unit,
            "files": u.files,
            "findings": u.findings.iter().map(|x| finding_json(x, lang)).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "skipped": run.skipped,
        "summary": run.summary,
    })
}
