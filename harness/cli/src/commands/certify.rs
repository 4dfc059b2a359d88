//! `cpcert certify`: run the cases against a product and write the reports.

use std::path::{Path, PathBuf};

use cpcert_adapters::{Adapter, ReferenceAdapter};
use cpcert_checks::Lang;
use cpcert_report::{Results, Verdict, html, json, junit, write_atomic};
use cpcert_runner::{
    Partition, Selection, SuiteOptions, find_suite, load_cases, matrix_cells, now_rfc3339,
    run_suite,
};
use cpcert_spec::{Role, Spec};

use super::anyhow_lite::Result;
use crate::args::CertifyArgs;
use crate::exit_codes;

/// What a certify-like command needs resolved from its arguments.
pub(crate) struct Prepared {
    pub(crate) suite: PathBuf,
    pub(crate) update_golden: bool,
    pub(crate) started: String,
}

pub(crate) fn resolve_suite(suite: Option<&Path>) -> Result<PathBuf> {
    match suite {
        Some(p) => Ok(p.to_owned()),
        None => {
            let cwd = std::env::current_dir()?;
            find_suite(&cwd).ok_or_else(|| "no suite found: run from the cpcert repository or pass --suite DIR (a folder with cases/ and golden/)".into())
        }
    }
}

/// `UPDATE_GOLDEN=1` rewrites golden/; any other value is an error; refused under CI.
pub(crate) fn update_golden_requested() -> Result<bool> {
    match std::env::var("UPDATE_GOLDEN") {
        Err(_) => Ok(false),
        Ok(v) if v.is_empty() || v == "0" => Ok(false),
        Ok(v) if v == "1" => {
            if std::env::var_os("CI").is_some() {
                return Err("UPDATE_GOLDEN=1 is refused when CI is set: golden files are reviewed and committed, never rewritten by CI".into());
            }
            Ok(true)
        }
        Ok(v) => Err(format!(
            "UPDATE_GOLDEN={v:?}: only 1 (rewrite) or 0/unset (compare) are allowed"
        )
        .into()),
    }
}

pub(crate) fn prepare(suite: Option<&Path>, now: Option<&str>) -> Result<Prepared> {
    let started = now
        .map(str::to_owned)
        .or_else(|| std::env::var("CPCERT_NOW").ok())
        .unwrap_or_else(now_rfc3339);
    Ok(Prepared {
        suite: resolve_suite(suite)?,
        update_golden: update_golden_requested()?,
        started,
    })
}

/// Writes index.html, results.json and junit.xml atomically.
pub(crate) fn write_reports(out: &Path, results: &Results, lang: Lang, mask: bool) -> Result<()> {
    std::fs::create_dir_all(out).map_err(|e| format!("cannot create `{}`: {e}", out.display()))?;
    // Published output masks personal values in every file, not only the HTML.
    let masked;
    let results = if mask {
        masked = results.masked();
        &masked
    } else {
        results
    };
    let cells = matrix_cells(Spec::embedded());
    let page = html::render(
        results,
        &html::RenderOptions {
            lang,
            mask,
            matrix: &cells,
        },
    );
    write_atomic(out.join("index.html"), page.as_bytes())?;
    write_atomic(out.join("results.json"), json::render(results).as_bytes())?;
    write_atomic(out.join("junit.xml"), junit::render(results).as_bytes())?;
    Ok(())
}

pub(crate) fn summary_line(results: &Results, lang: Lang) -> String {
    let count = |v: Verdict| results.outcomes.iter().filter(|o| o.verdict == v).count();
    let (p, f, e, n) = (
        count(Verdict::Pass),
        count(Verdict::Fail),
        count(Verdict::Error),
        count(Verdict::NotApplicable),
    );
    match lang {
        Lang::Ja => format!(
            "{} {}: 合格 {p}、不合格 {f}、実行エラー {e}、対象外 {n}（全 {} ケース）",
            results.product.name,
            results.product.version,
            results.outcomes.len()
        ),
        Lang::En => format!(
            "{} {}: {p} passed, {f} failed, {e} errors, {n} not applicable ({} cases)",
            results.product.name,
            results.product.version,
            results.outcomes.len()
        ),
    }
}

pub(crate) fn exec(args: &CertifyArgs, lang: Lang) -> Result<u8> {
    super::set_jobs(args.jobs);
    let prepared = prepare(args.suite.as_deref(), args.now.as_deref())?;
    let reference = args.vendor == "reference";
    if prepared.update_golden && !(reference && args.fault.is_none()) {
        return Err("UPDATE_GOLDEN=1 only with the built-in reference product and no fault".into());
    }
    let adapter: Box<dyn Adapter> = if reference {
        Box::new(ReferenceAdapter::with_fault(args.fault.clone()))
    } else {
        if args.fault.is_some() {
            return Err(
                "--fault applies to --vendor reference; a vendor description sets `fault` itself"
                    .into(),
            );
        }
        let mut vendor = cpcert_adapters::VendorDescription::load(Path::new(&args.vendor))?;
        // Adapters that drive the reference product's command line (the examples) find this
        // very binary without anything on PATH.
        if std::env::var_os("CPCERT_BIN").is_none()
            && let Ok(exe) = std::env::current_exe()
        {
            vendor
                .env
                .entry("CPCERT_BIN".to_owned())
                .or_insert_with(|| exe.to_string_lossy().into_owned());
        }
        vendor.adapter()
    };
    let mut roles = Vec::new();
    for r in &args.role {
        roles.push(Role::from_id(r).ok_or_else(|| {
            format!("unknown role `{r}` (planner, provider, prevention-planner)")
        })?);
    }
    let partition = args
        .partition
        .as_deref()
        .map(Partition::parse)
        .transpose()?;
    let selection = Selection {
        roles,
        filters: args.filter.clone(),
        partition,
    };
    let cases = selection.apply(load_cases(&prepared.suite)?);
    let opts = SuiteOptions {
        suite: &prepared.suite,
        update_golden: prepared.update_golden,
        wip_dir: prepared.suite.join("target/golden-wip"),
        evidence_dir: Some(args.out.join("evidence")),
        run_id: args.run_id.clone(),
        started: prepared.started.clone(),
        salt: format!("{}|{}", args.vendor, args.fault.as_deref().unwrap_or("")),
    };
    let results = run_suite(&cases, adapter.as_ref(), Spec::embedded(), &opts);
    write_reports(&args.out, &results, lang, args.mask)?;
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
    println!("{}", summary_line(&results, lang));
    println!(
        "{}",
        match lang {
            Lang::Ja => format!("レポート: {}", args.out.join("index.html").display()),
            Lang::En => format!("report: {}", args.out.join("index.html").display()),
        }
    );
    Ok(match results.exit_code() {
        0 => exit_codes::OK,
        1 => exit_codes::FAILED,
        _ => exit_codes::INFRA,
    })
}
