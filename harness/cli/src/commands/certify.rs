//! `cpcert certify`: run the cases against a product and write the reports (the work is
//! `cpcert_runner::Certification`; this parses, dispatches and prints).

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use cpcert_checks::Lang;
use cpcert_report::{OutputError, OutputSet, summary};
use cpcert_runner::{Certification, CertifyRequest, write_reports};

use super::anyhow_lite::Result;
use crate::args::CertifyArgs;

pub(crate) fn exec(args: &CertifyArgs, lang: Lang) -> Result<u8> {
    // Interrupted (SIGINT, SIGTERM, SIGHUP): adapter processes killed, workspaces and the
    // staging folder removed. Set up before any other thread starts.
    let staging: Arc<Mutex<Option<PathBuf>>> = Arc::default();
    let doomed = Arc::clone(&staging);
    cpcert_adapters::cleanup_on_termination(move || {
        if let Some(path) = doomed.lock().ok().and_then(|p| p.clone()) {
            let _ = std::fs::remove_dir_all(path);
        }
    });
    super::set_jobs(args.jobs);
    // Everything goes into a fresh staging folder beside --out, published in one step at the
    // end (or removed): --out holds the previous run's whole outputs or this run's.
    let outputs = OutputSet::begin(&args.out).map_err(|e| locked_message(e, lang))?;
    if let Ok(mut slot) = staging.lock() {
        *slot = Some(outputs.dir().to_path_buf());
    }
    let certification = Certification::prepare(&CertifyRequest {
        vendor: args.vendor.clone(),
        fault: args.fault.clone(),
        variant: args.variant.clone(),
        roles: args.role.clone(),
        filters: args.filter.clone(),
        partition: args.partition.clone(),
        suite: args.suite.clone(),
        out: outputs.dir().to_path_buf(),
        run_id: args.run_id.clone(),
        now: args.now.clone(),
        zero_durations: args.zero_durations,
        challenge: args.challenge.clone(),
    })?;
    let key = args
        .sign
        .as_deref()
        .map(super::evidence::read_private_key)
        .transpose()?;
    let bar = crate::term::progress(
        certification.case_count() as u64,
        match lang {
            Lang::Ja => "ケース",
            Lang::En => "cases",
        },
    );
    let results = certification.run_with_progress(&|| bar.inc(1));
    bar.finish_and_clear();
    let mut results = results?;
    // The product's processes are gone now; what they could have touched is checked before
    // anything is written from it.
    if let Some(problem) = outputs.vouch_for(&mut results) {
        eprintln!("cpcert: {}", problem.msg().get(lang));
    }
    write_reports(outputs.dir(), &results, lang, args.mask)?;
    super::evidence::write_bundle(
        &certification,
        outputs.dir(),
        &results,
        args.mask,
        key.as_ref(),
    )?;
    outputs.publish()?;
    let bundle = args.out.join(cpcert_evidence::bundle::BUNDLE_FILE);
    for line in summary::terminal_failures(&results, lang) {
        eprintln!("{line}");
    }
    println!("{}", summary::terminal_line(&results, lang));
    println!(
        "{}",
        match lang {
            Lang::Ja => format!("レポート: {}", args.out.join("index.html").display()),
            Lang::En => format!("report: {}", args.out.join("index.html").display()),
        }
    );
    println!(
        "{}",
        match lang {
            Lang::Ja => format!("証拠バンドル: {}", bundle.display()),
            Lang::En => format!("evidence bundle: {}", bundle.display()),
        }
    );
    Ok(results.exit_code())
}

/// A second run into the same --out is a usage error, said in the user's language.
pub(crate) fn locked_message(err: OutputError, lang: Lang) -> super::anyhow_lite::Error {
    match (&err, lang) {
        (OutputError::Locked { out, .. }, Lang::Ja) => format!(
            "別の cpcert が `{}` に書き込み中です（同じ --out への同時実行はできません）",
            out.display()
        )
        .into(),
        (OutputError::Locked { out, .. }, Lang::En) => format!(
            "another cpcert run is writing `{}` (two runs cannot share one --out)",
            out.display()
        )
        .into(),
        _ => err.into(),
    }
}
