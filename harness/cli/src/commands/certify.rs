//! `cpcert certify`: run the cases against a product and write the reports (the work is
//! `cpcert_runner::Certification`; this parses, dispatches and prints).

use cpcert_checks::Lang;
use cpcert_report::{Verdict, summary};
use cpcert_runner::{Certification, CertifyRequest, write_reports};

use super::anyhow_lite::Result;
use crate::args::CertifyArgs;

pub(crate) fn exec(args: &CertifyArgs, lang: Lang) -> Result<u8> {
    super::set_jobs(args.jobs);
    let certification = Certification::prepare(&CertifyRequest {
        vendor: args.vendor.clone(),
        fault: args.fault.clone(),
        roles: args.role.clone(),
        filters: args.filter.clone(),
        partition: args.partition.clone(),
        suite: args.suite.clone(),
        out: args.out.clone(),
        run_id: args.run_id.clone(),
        now: args.now.clone(),
        zero_durations: args.zero_durations,
    })?;
    let key = args
        .sign
        .as_deref()
        .map(super::evidence::read_private_key)
        .transpose()?;
    let results = certification.run()?;
    write_reports(&args.out, &results, lang, args.mask)?;
    let bundle = super::evidence::write_bundle(
        &certification,
        &args.out,
        &results,
        args.mask,
        key.as_ref(),
    )?;
    for o in results
        .outcomes
        .iter()
        .filter(|o| matches!(o.verdict, Verdict::Fail | Verdict::Error))
    {
        eprintln!("  {} {}", o.verdict, o.case);
        if let Some(e) = &o.error {
            eprintln!("      {}", e.lines().next().unwrap_or_default());
        }
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
