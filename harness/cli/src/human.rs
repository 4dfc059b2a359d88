//! Human-readable output of findings (Japanese by default).

use std::fmt::Write as _;

use cpcert_checks::{Finding, Lang, Severity, ValidationRun};

use crate::term::Term;

/// One finding as a line: severity, place, field, rule, message.
pub(crate) fn finding_line(f: &Finding, lang: Lang, term: Term) -> String {
    let sev = match (f.severity, lang) {
        (Severity::Error, Lang::Ja) => term.error("エラー"),
        (Severity::Warning, Lang::Ja) => term.warning("警告  "),
        (Severity::Error, Lang::En) => term.error("error  "),
        (Severity::Warning, Lang::En) => term.warning("warning"),
    };
    let mut place = String::new();
    match lang {
        Lang::Ja => {
            if let Some(l) = f.line {
                let _ = write!(place, "{l}行 ");
            }
            if let Some(r) = f.record {
                let _ = write!(place, "レコード{r} ");
            }
        }
        Lang::En => {
            if let Some(l) = f.line {
                let _ = write!(place, "line {l} ");
            }
            if let Some(r) = f.record {
                let _ = write!(place, "record {r} ");
            }
        }
    }
    if let Some(b) = f.byte_offset {
        let _ = write!(place, "@{b} ");
    }
    if let (Some(no), Some(name)) = (f.field, &f.field_name) {
        let _ = write!(place, "No.{no} {name} ");
    }
    format!("  {sev} {place}[{}] {}", f.rule, f.message(lang))
}

/// The whole validate run, grouped by file, then send units, then a one-line summary.
pub(crate) fn validation(run: &ValidationRun, lang: Lang, term: Term) -> String {
    let mut out = String::new();
    for file in &run.files {
        let kind = file.kind.as_deref().unwrap_or("?");
        let version = file.layout_version.as_deref().unwrap_or("-");
        let ending = file.line_ending.unwrap_or("-");
        let status = if file.findings.is_empty() {
            term.ok("OK")
        } else {
            String::new()
        };
        let _ = match lang {
            Lang::Ja => writeln!(
                out,
                "{}  ({kind}, CSVバージョン {version}, {} レコード, 改行 {ending}) {status}",
                file.path, file.records
            ),
            Lang::En => writeln!(
                out,
                "{}  ({kind}, CSV version {version}, {} records, {ending}) {status}",
                file.path, file.records
            ),
        };
        for f in &file.findings {
            out.push_str(&finding_line(f, lang, term));
            out.push('\n');
        }
    }
    for unit in &run.send_units {
        let set = unit.unit.as_deref().unwrap_or(match lang {
            Lang::Ja => "該当する組合せなし",
            Lang::En => "no permitted set",
        });
        let status = if unit.findings.is_empty() {
            term.ok("OK")
        } else {
            String::new()
        };
        let _ = match lang {
            Lang::Ja => writeln!(
                out,
                "送信単位 {} ({set}, {} ファイル) {status}",
                unit.timestamp,
                unit.files.len()
            ),
            Lang::En => writeln!(
                out,
                "send unit {} ({set}, {} files) {status}",
                unit.timestamp,
                unit.files.len()
            ),
        };
        for f in &unit.findings {
            out.push_str(&finding_line(f, lang, term));
            out.push('\n');
        }
    }
    for s in &run.skipped {
        let _ = match lang {
            Lang::Ja => writeln!(out, "検査せず: {} ({})", s.path, s.reason.text(lang)),
            Lang::En => writeln!(out, "skipped: {} ({})", s.path, s.reason.text(lang)),
        };
    }
    let s = run.summary;
    let _ = match lang {
        Lang::Ja => write!(
            out,
            "結果: {} ファイル、エラー {} 件、警告 {} 件",
            s.files, s.errors, s.warnings
        ),
        Lang::En => write!(
            out,
            "summary: {} files, {} errors, {} warnings",
            s.files, s.errors, s.warnings
        ),
    };
    if s.skipped > 0 {
        let _ = match lang {
            Lang::Ja => write!(out, "、検査せず {} 件", s.skipped),
            Lang::En => write!(out, ", {} skipped", s.skipped),
        };
    }
    out.push('\n');
    out
}
