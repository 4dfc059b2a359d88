//! Running a selection of cases against one product and assembling [`Results`].

use std::path::{Path, PathBuf};

use cpcert_adapters::{Adapter, AdapterError, ProductInfo};
use cpcert_report::results::{SCHEMA_VERSION, sha256_hex};
use cpcert_report::{
    CaseRef, Coverage, CoverageInput, MatrixCell, MatrixDirection, Outcome, Product, Results, Run,
    Suite, Tool,
};
use cpcert_spec::{Role, Spec};
use rayon::prelude::*;

use crate::RunnerError;
use crate::case::Case;
use crate::execute::{RunContext, error_outcome, run_case};

/// How to run a suite.
pub struct SuiteOptions<'a> {
    /// Folder holding cases/ and golden/.
    pub suite: &'a Path,
    /// Rewrite golden/ from this run.
    pub update_golden: bool,
    /// Where mismatching actual files go.
    pub wip_dir: PathBuf,
    /// Where sent/received files are kept.
    pub evidence_dir: Option<PathBuf>,
    /// Run id (None: derived from the inputs).
    pub run_id: Option<String>,
    /// RFC 3339 date-time written in the results (injected: never read here).
    pub started: String,
    /// Extra text mixed into the derived run id (e.g. the fault id).
    pub salt: String,
    /// Every case of the suite, selected or not (for the coverage); `None`: the cases run are
    /// the whole suite.
    pub all_cases: Option<&'a [Case]>,
    /// The selection as results.json records it.
    pub selection: Option<cpcert_report::Selection>,
    /// Write 0 ms durations instead of measured wall time (byte-identical reports).
    pub zero_durations: bool,
    /// Called once per finished case (from several threads): a progress bar's tick.
    pub on_case_done: Option<&'a (dyn Fn() + Sync)>,
    /// `--challenge`: the seed's own scenario data instead of the suite's.
    pub challenge: Option<crate::challenge::Challenge>,
}

impl<'a> SuiteOptions<'a> {
    /// Options for running `suite` with the defaults: no golden rewrite, no evidence copies,
    /// derived run id, measured durations; mismatching files go under `wip_dir`.
    pub fn new(suite: &'a Path, wip_dir: PathBuf, started: String) -> Self {
        SuiteOptions {
            suite,
            update_golden: false,
            wip_dir,
            evidence_dir: None,
            run_id: None,
            started,
            salt: String::new(),
            all_cases: None,
            selection: None,
            zero_durations: false,
            on_case_done: None,
            challenge: None,
        }
    }
}

/// Starts the product, runs the cases in parallel, stops the product. A product that cannot
/// be started still gives results: every case is an infrastructure error with the reason.
///
/// # Errors
/// A configuration error found when starting the product (an unknown fault, an invalid
/// vendor description): nothing ran, and no case result would say anything true.
pub fn run_suite(
    cases: &[Case],
    adapter: &dyn Adapter,
    spec: &Spec,
    opts: &SuiteOptions<'_>,
) -> Result<Results, RunnerError> {
    let product = match adapter.start() {
        Ok(p) => p,
        Err(e @ AdapterError::Config { .. }) => return Err(RunnerError::Adapter(e)),
        Err(e) => {
            let msg = crate::execute::adapter_msg(&e);
            let product = ProductInfo {
                name: "(not started)".to_owned(),
                version: String::new(),
                roles: Vec::new(),
                kinds: Vec::new(),
                layout_versions: Vec::new(),
                not_kept: Default::default(),
            };
            let outcomes = cases.iter().map(|c| error_outcome(c, &msg)).collect();
            let mut results = assemble(cases, &product, opts, outcomes);
            results.confinement = confinement_of(adapter);
            return Ok(results);
        }
    };
    let ctx = RunContext {
        suite: opts.suite,
        spec,
        adapter,
        product: &product,
        update_golden: opts.update_golden,
        wip_dir: opts.wip_dir.clone(),
        evidence_dir: opts.evidence_dir.clone(),
        challenge: opts.challenge.as_ref(),
    };
    let outcomes: Vec<Outcome> = cases
        .par_iter()
        .map(|c| {
            let clock = std::time::Instant::now();
            let mut outcome = run_case(c, &ctx);
            // The wall time is the one input that differs run to run: injectable as 0.
            outcome.duration_ms = Some(if opts.zero_durations {
                0
            } else {
                u64::try_from(clock.elapsed().as_millis()).unwrap_or(u64::MAX)
            });
            if let Some(done) = opts.on_case_done {
                done();
            }
            outcome
        })
        .collect();
    adapter.stop();
    let mut results = assemble(cases, &product, opts, outcomes);
    results.confinement = confinement_of(adapter);
    Ok(results)
}

/// How the adapter's processes were confined, for the report (none for in-process products).
fn confinement_of(adapter: &dyn Adapter) -> Option<cpcert_report::Confinement> {
    match adapter.confinement() {
        cpcert_adapters::Confinement::Landlock { abi } => {
            Some(cpcert_report::Confinement::Landlock { abi })
        }
        cpcert_adapters::Confinement::DetectionOnly => {
            Some(cpcert_report::Confinement::DetectionOnly)
        }
        cpcert_adapters::Confinement::NotApplicable => None,
    }
}

fn assemble(
    cases: &[Case],
    product: &ProductInfo,
    opts: &SuiteOptions<'_>,
    mut outcomes: Vec<Outcome>,
) -> Results {
    outcomes.sort_by(|a, b| a.case.cmp(&b.case));
    let suite_version = suite_fingerprint(opts.suite);
    let run_id = opts.run_id.clone().unwrap_or_else(|| {
        let ids: Vec<&str> = cases.iter().map(|c| c.id.as_str()).collect();
        let seed = format!(
            "{suite_version}|{}|{}|{}|{}",
            product.name,
            product.version,
            opts.salt,
            ids.join(",")
        );
        sha256_hex(seed.as_bytes())[..12].to_owned()
    });
    Results {
        schema_version: SCHEMA_VERSION,
        tool: Tool {
            name: "cpcert".to_owned(),
            version: env!("CARGO_PKG_VERSION").to_owned(),
        },
        suite: Suite {
            name: "cpcert-suite".to_owned(),
            version: suite_version,
        },
        spec_version: cpcert_spec::CURRENT_LAYOUT_VERSION.to_owned(),
        product: product_of(product),
        run: Run {
            id: run_id,
            started: opts.started.clone(),
        },
        selection: opts.selection.clone(),
        coverage: Some(coverage(cases, opts.all_cases)),
        outcomes,
        confinement: None,
        selftest: None,
    }
}

/// Cases run of the suite's cases; `all` is the whole suite (`None`: `run` is).
fn coverage(run: &[Case], all: Option<&[Case]>) -> Coverage {
    let all = all.unwrap_or(run);
    let refs: Vec<(CaseRef, bool)> = all
        .iter()
        .map(|c| (c.case_ref(), run.iter().any(|r| r.id == c.id)))
        .collect();
    Coverage::of(refs.iter().map(|(case, selected)| CoverageInput {
        case,
        selected: *selected,
    }))
}

fn product_of(p: &ProductInfo) -> Product {
    Product {
        name: p.name.clone(),
        version: p.version.clone(),
        roles: p.roles.clone(),
    }
}

/// The listing's cells: every (role, kind, direction) of the spec's role matrix.
pub fn matrix_cells(spec: &Spec) -> Vec<MatrixCell> {
    let version = cpcert_spec::CURRENT_LAYOUT_VERSION;
    let mut cells = Vec::new();
    if let Some(matrix) = spec.roles(version) {
        for (role_id, row) in &matrix.roles {
            // The spec's own tests check every row names a role.
            let Some(role) = Role::from_id(role_id) else {
                continue;
            };
            for (dir, kinds) in [
                (MatrixDirection::Export, &row.export),
                (MatrixDirection::Import, &row.import),
            ] {
                for (kind, &required) in kinds {
                    let mut cell = MatrixCell::new(role, kind.clone(), dir, required);
                    if let Some(l) = spec.layout(version, kind) {
                        cell = cell.with_titles(l.title_ja.clone(), l.title_en.clone());
                    }
                    cells.push(cell);
                }
            }
        }
    }
    cells
}

/// The largest file the suite fingerprint reads (golden CSVs are a few KB).
const MAX_SUITE_FILE_BYTES: u64 = 64 << 20;

/// A fingerprint of the suite's data (cases, scenarios, golden files): `sha256:` + 12 hex.
pub fn suite_fingerprint(suite: &Path) -> String {
    let mut files = Vec::new();
    for top in ["cases", "golden"] {
        collect(&suite.join(top), &mut files);
    }
    files.sort();
    let mut all = Vec::new();
    for f in files {
        if let Ok(bytes) = cpcert_spec::read_regular_file(&f, MAX_SUITE_FILE_BYTES) {
            let rel = f
                .strip_prefix(suite)
                .unwrap_or(&f)
                .to_string_lossy()
                .replace('\\', "/");
            all.extend(rel.as_bytes());
            all.extend(sha256_hex(&bytes).as_bytes());
        }
    }
    format!("sha256:{}", &sha256_hex(&all)[..12])
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    // Symbolic links to folders are not followed (a link loop would never end); only regular
    // files (or links to them) are read.
    for e in entries.flatten() {
        let p = e.path();
        let Ok(file_type) = e.file_type() else {
            continue;
        };
        if file_type.is_dir() {
            collect(&p, out);
        } else if p.metadata().is_ok_and(|m| m.is_file()) {
            out.push(p);
        }
    }
}

/// Finds the suite folder: the nearest ancestor of `start` that holds `cases/`.
pub fn find_suite(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .find(|p| p.join("cases").is_dir() && p.join("golden").is_dir())
        .map(Path::to_path_buf)
}

/// Today's date-time in RFC 3339 UTC, from the system clock (the CLI's default for `started`).
pub fn now_rfc3339() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let (days, rem) = (secs / 86_400, secs % 86_400);
    // Civil-from-days (Howard Hinnant), valid for the Unix era.
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}
