//! `cpcert interop`: every sender's export into every receiver's import (the work is
//! `cpcert_interop`; this parses, dispatches and prints).

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use cpcert_checks::Lang;
use cpcert_interop::{Interop, InteropRequest, ReportOptions, write_reports};
use cpcert_report::OutputSet;
use cpcert_report::interop::{Mark, render_json, summary};

use super::anyhow_lite::Result;
use crate::args::{InteropArgs, InteropFormat};
use crate::term::Term;

pub(crate) fn exec(args: &InteropArgs, lang: Lang, term: Term) -> Result<u8> {
    // Interrupted: adapter processes killed, the staging folder removed (as certify).
    let staging: Arc<Mutex<Option<PathBuf>>> = Arc::default();
    let doomed = Arc::clone(&staging);
    cpcert_adapters::cleanup_on_termination(move || {
        if let Some(path) = doomed.lock().ok().and_then(|p| p.clone()) {
            let _ = std::fs::remove_dir_all(path);
        }
    });
    super::set_jobs(args.jobs);
    let interop = Interop::prepare(&InteropRequest {
        senders: args.sender.clone(),
        receivers: args.receiver.clone(),
        fault_receivers: args.fault_receivers,
        variant_senders: args.variant_senders,
        filters: args.filter.clone(),
        suite: args.suite.clone(),
        run_id: args.run_id.clone(),
        now: args.now.clone(),
    })?;
    let outputs =
        OutputSet::begin(&args.out).map_err(|e| super::certify::locked_message(e, lang))?;
    if let Ok(mut slot) = staging.lock() {
        *slot = Some(outputs.dir().to_path_buf());
    }
    let bar = crate::term::progress(
        interop.exchange_count() as u64,
        match lang {
            Lang::Ja => "組合せ",
            Lang::En => "exchanges",
        },
    );
    // The exchanged files are kept as evidence, but not in published (masked) output: they
    // hold the scenario's personal data.
    let evidence = (!args.mask).then(|| outputs.dir().join("evidence"));
    let mut results = interop.run_with_progress(&|| bar.inc(1), evidence.as_deref());
    bar.finish_and_clear();
    // As certify: the products' processes are gone; what they could have touched is checked
    // before anything is written from it.
    if let Some(problem) =
        outputs.vouch_for_outcomes(results.outcomes.iter_mut().map(|o| &mut o.outcome))
    {
        eprintln!("cpcert: {}", problem.msg().get(lang));
        // No exchange's own reason stands any more: the folder's problem is each one's.
        for o in &mut results.outcomes {
            o.why = None;
            o.blame = None;
        }
    }
    write_reports(
        outputs.dir(),
        &results,
        ReportOptions {
            lang,
            mask: args.mask,
            evidence: evidence.is_some(),
        },
    )?;
    outputs.publish()?;
    match args.format {
        InteropFormat::Json => print!(
            "{}",
            render_json(&if args.mask {
                results.masked()
            } else {
                results.clone()
            })
        ),
        InteropFormat::Human => {
            let paint = |mark: Mark, text: &str| match mark {
                Mark::Pass => term.ok(text),
                Mark::Fail => term.error(text),
                Mark::NotRun => term.warning(text),
                Mark::NotApplicable => text.to_owned(),
            };
            println!("{}", summary::terminal(&results, lang, &paint));
            println!(
                "{}",
                match lang {
                    Lang::Ja => format!("マトリクス: {}", args.out.join("index.html").display()),
                    Lang::En => format!("matrix: {}", args.out.join("index.html").display()),
                }
            );
        }
    }
    Ok(results.exit_code())
}
