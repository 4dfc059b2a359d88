//! The certification suite as a test: every case in cases/ runs against the built-in reference
//! product (libtest-mimic trial name = case id), so `cargo test` certifies the reference.
//! `cargo test -p cpcert-runner --test conformance -- export::` runs a subset.

use std::path::Path;

use cpcert_adapters::{Adapter, ReferenceAdapter};
use cpcert_report::Verdict;
use cpcert_runner::{RunContext, load_cases, run_case};
use libtest_mimic::{Arguments, Failed, Trial};

fn main() {
    let args = Arguments::from_args();
    let suite = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let cases = load_cases(&suite).expect("cases/ loads");
    let adapter = ReferenceAdapter::new();
    let product = adapter.start().expect("the reference product starts");
    let spec = cpcert_spec::Spec::embedded();
    let ctx = std::sync::Arc::new((suite.clone(), product));
    let adapter = std::sync::Arc::new(adapter);
    let trials = cases
        .into_iter()
        .map(|case| {
            let ctx = ctx.clone();
            let adapter = adapter.clone();
            Trial::test(case.id.clone(), move || {
                let run = RunContext {
                    suite: &ctx.0,
                    spec,
                    adapter: adapter.as_ref(),
                    product: &ctx.1,
                    update_golden: false,
                    wip_dir: std::env::temp_dir().join("cpcert-conformance-wip"),
                    evidence_dir: None,
                    challenge: None,
                };
                let outcome = run_case(&case, &run);
                if outcome.verdict == Verdict::Pass {
                    return Ok(());
                }
                let mut msg = format!("{}: {}", outcome.case, outcome.verdict);
                if let Some(e) = &outcome.error {
                    msg.push_str(&format!("\n{e}"));
                }
                for f in outcome.findings.iter().take(20) {
                    msg.push_str(&format!(
                        "\n  [{}] {} {:?} No.{:?}: {}",
                        f.rule,
                        f.file,
                        f.record,
                        f.field,
                        f.message(cpcert_checks::Lang::En)
                    ));
                }
                for d in outcome.diffs.iter().take(20) {
                    msg.push_str(&format!(
                        "\n  diff {} rec {:?} No.{:?} {:?}: expected {:?}, actual {:?}",
                        d.file, d.record, d.field, d.field_name, d.expected, d.actual
                    ));
                }
                Err(Failed::from(msg))
            })
        })
        .collect();
    libtest_mimic::run(&args, trials).exit();
}
