//! A certification from request to reports: everything `cpcert certify` does besides parsing
//! its arguments and printing. Every configuration and usage error (no suite, unknown role,
//! bad partition, unreadable vendor file, unknown fault, empty selection, a bad UPDATE_GOLDEN)
//! is found by [`Certification::prepare`] or by starting the product, before any case runs and
//! before any report is written, so a failed start leaves the previous report untouched.

use std::path::{Path, PathBuf};

use cpcert_adapters::{Adapter, ReferenceAdapter, VendorDescription};
use cpcert_checks::Lang;
use cpcert_report::{Results, html, json, junit, summary, write_atomic};
use cpcert_scenario::reference::{Fault, Variant};
use cpcert_spec::{Role, Spec};

use crate::RunnerError;
use crate::case::{Case, Partition, Selection};
use crate::suite::{SuiteOptions, find_suite, matrix_cells, now_rfc3339, run_suite};

/// What a certification is asked to do (the command line, parsed but not interpreted).
#[derive(Debug, Clone, Default)]
pub struct CertifyRequest {
    /// `reference`, a vendor description file, or the name of one in `cases/vendors/`.
    pub vendor: String,
    /// A fault of the reference product.
    pub fault: Option<String>,
    /// A permitted variant of the reference product (cases/variants/).
    pub variant: Option<String>,
    /// Role ids to keep.
    pub roles: Vec<String>,
    /// Case id substrings to keep.
    pub filters: Vec<String>,
    /// `hash:M/N` or `count:M/N`.
    pub partition: Option<String>,
    /// The suite folder (default: found upwards from the current folder).
    pub suite: Option<PathBuf>,
    /// The report folder.
    pub out: PathBuf,
    /// Run id (default: derived from the inputs).
    pub run_id: Option<String>,
    /// Start time, RFC 3339 (default: `CPCERT_NOW`, then the clock).
    pub now: Option<String>,
    /// Write 0 ms durations (also with `CPCERT_ZERO_DURATIONS=1`).
    pub zero_durations: bool,
    /// `--challenge SEED`: run on the seed's own scenario data.
    pub challenge: Option<String>,
}

/// A certification ready to run: suite found, cases selected, product described.
pub struct Certification {
    suite: PathBuf,
    all: Vec<Case>,
    selected: Vec<Case>,
    record: cpcert_report::Selection,
    adapter: Box<dyn Adapter>,
    vendor_file: Option<PathBuf>,
    update_golden: bool,
    out: PathBuf,
    run_id: Option<String>,
    started: String,
    salt: String,
    zero_durations: bool,
    challenge: Option<String>,
}

impl Certification {
    /// Resolves the request; nothing runs and nothing is written.
    ///
    /// # Errors
    /// Every usage and configuration error (exit 2).
    pub fn prepare(req: &CertifyRequest) -> Result<Certification, RunnerError> {
        let suite = resolve_suite(req.suite.as_deref())?;
        let update_golden = update_golden_requested()?;
        let reference = req.vendor == "reference";
        if update_golden
            && !(reference
                && req.fault.is_none()
                && req.variant.is_none()
                && req.challenge.is_none())
        {
            return Err(usage(
                "UPDATE_GOLDEN=1 は組み込みの参照製品だけで、故障・変種・チャレンジなしで使えます",
                "UPDATE_GOLDEN=1 only with the built-in reference product, no fault, no variant and no challenge",
            ));
        }
        let variant = req
            .variant
            .as_deref()
            .map(str::parse::<Variant>)
            .transpose()
            .map_err(|e| {
                let known = Variant::ALL.map(Variant::id).join(", ");
                usage(
                    format!("不明な変種 `{}`（既知の変種: {known}）", e.0),
                    e.to_string(),
                )
            })?;
        if variant.is_some() && (req.fault.is_some() || !reference) {
            return Err(usage(
                "--variant は --vendor reference だけに使えます（--fault とは併用できません）",
                "--variant applies to --vendor reference alone (not with --fault)",
            ));
        }
        if req
            .challenge
            .as_deref()
            .is_some_and(|s| s.trim().is_empty())
        {
            return Err(usage(
                "--challenge には種（空でない任意の文字列）が必要です",
                "--challenge needs a seed (any non-empty text)",
            ));
        }
        let fault = req
            .fault
            .as_deref()
            .map(str::parse::<Fault>)
            .transpose()
            .map_err(|e| {
                let msg = cpcert_adapters::unknown_fault(&e);
                usage(msg.ja, msg.en)
            })?;
        let vendor_file = (!reference).then(|| vendor_path(&suite, &req.vendor));
        let started = req
            .now
            .clone()
            .or_else(|| std::env::var("CPCERT_NOW").ok())
            .unwrap_or_else(now_rfc3339);
        let adapter: Box<dyn Adapter> = if let Some(variant) = variant {
            Box::new(ReferenceAdapter::with_variant(Some(variant), &started))
        } else if reference {
            Box::new(ReferenceAdapter::with_fault(fault))
        } else {
            if req.fault.is_some() {
                return Err(usage(
                    "--fault は --vendor reference に使います（ベンダー記述では `fault` を記述に書きます）",
                    "--fault applies to --vendor reference; a vendor description sets `fault` itself",
                ));
            }
            vendor_adapter(&suite, &req.vendor, &started)?.0
        };
        let mut roles = Vec::new();
        for r in &req.roles {
            roles.push(Role::from_id(r).ok_or_else(|| {
                usage(
                    format!("不明な役割 `{r}`（planner, provider, prevention-planner のいずれか）"),
                    format!("unknown role `{r}` (planner, provider, prevention-planner)"),
                )
            })?);
        }
        let partition = req.partition.as_deref().map(Partition::parse).transpose()?;
        let selection = Selection {
            roles,
            filters: req.filters.clone(),
            partition,
        };
        let all = crate::tolerance::suite_cases(&suite)?;
        if all.is_empty() {
            return Err(usage(
                format!("スイート `{}` にケースがありません", suite.display()),
                format!("the suite `{}` holds no case", suite.display()),
            ));
        }
        let selected = selection.apply(all.clone());
        if selected.is_empty() {
            return Err(usage(
                "選択（--filter, --role, --partition）に合うケースがスイートにありません",
                "the selection (--filter, --role, --partition) matches no case of the suite",
            ));
        }
        let zero_durations =
            req.zero_durations || std::env::var("CPCERT_ZERO_DURATIONS").is_ok_and(|v| v == "1");
        let mut record = selection.record(&req.vendor, req.fault.as_deref());
        record.challenge = req.challenge.clone();
        record.variant = variant.map(|v| v.id().to_owned());
        Ok(Certification {
            record,
            salt: match variant {
                Some(v) => format!(
                    "{}|variant:{v}|{}",
                    req.vendor,
                    req.challenge.as_deref().unwrap_or("")
                ),
                None => format!(
                    "{}|{}|{}",
                    req.vendor,
                    req.fault.as_deref().unwrap_or(""),
                    req.challenge.as_deref().unwrap_or("")
                ),
            },
            challenge: req.challenge.clone(),
            suite,
            all,
            selected,
            adapter,
            vendor_file,
            update_golden,
            out: req.out.clone(),
            run_id: req.run_id.clone(),
            started,
            zero_durations,
        })
    }

    /// The selected cases.
    pub fn cases(&self) -> &[Case] {
        &self.selected
    }

    /// The suite folder.
    pub fn suite(&self) -> &Path {
        &self.suite
    }

    /// The vendor description file the product was described by (None: the built-in reference
    /// product). An evidence bundle hashes it into the suite fingerprint.
    pub fn vendor_file(&self) -> Option<&Path> {
        self.vendor_file.as_deref()
    }

    /// Runs the selected cases. Mismatching product files go under `<out>/golden-wip`,
    /// evidence under `<out>/evidence`: nothing is written into the suite (except golden/
    /// itself under UPDATE_GOLDEN=1).
    ///
    /// # Errors
    /// A configuration error found when starting the product (unknown fault): nothing ran.
    pub fn run(&self) -> Result<Results, RunnerError> {
        self.run_with_progress(&|| {})
    }

    /// The number of cases [`Certification::run`] runs.
    pub fn case_count(&self) -> usize {
        self.selected.len()
    }

    /// [`Certification::run`], calling `on_case_done` as each case finishes (from several
    /// threads).
    ///
    /// # Errors
    /// A configuration error found when starting the product (unknown fault): nothing ran.
    pub fn run_with_progress(
        &self,
        on_case_done: &(dyn Fn() + Sync),
    ) -> Result<Results, RunnerError> {
        let mut opts = SuiteOptions::new(
            &self.suite,
            self.out.join("golden-wip"),
            self.started.clone(),
        );
        opts.update_golden = self.update_golden;
        opts.evidence_dir = Some(self.out.join("evidence"));
        opts.run_id = self.run_id.clone();
        opts.salt = self.salt.clone();
        opts.all_cases = Some(&self.all);
        opts.selection = Some(self.record.clone());
        opts.zero_durations = self.zero_durations;
        opts.on_case_done = Some(on_case_done);
        opts.challenge = self.challenge.clone().map(crate::challenge::Challenge::new);
        run_suite(
            &self.selected,
            self.adapter.as_ref(),
            Spec::embedded(),
            &opts,
        )
    }
}

fn usage(ja: impl Into<String>, en: impl Into<String>) -> RunnerError {
    RunnerError::Usage(cpcert_checks::Msg::new(ja, en))
}

/// The adapter of a vendor description (`--vendor NAME`: a file path, or
/// `cases/vendors/NAME.yaml` of the suite) for a run started at `run_started` (RFC 3339), and
/// the description.
///
/// # Errors
/// The description cannot be read or is invalid.
pub fn vendor_adapter(
    suite: &Path,
    vendor: &str,
    run_started: &str,
) -> Result<(Box<dyn Adapter>, VendorDescription), RunnerError> {
    let mut desc =
        VendorDescription::load(&vendor_path(suite, vendor)).map_err(RunnerError::Adapter)?;
    // A built-in product's clock is the run's (injectable) start.
    desc.run_started = Some(run_started.to_owned());
    // Adapters that drive the reference product's command line (the examples) find this
    // very binary without anything on PATH.
    if std::env::var_os("CPCERT_BIN").is_none()
        && let Ok(exe) = std::env::current_exe()
    {
        desc.env
            .entry("CPCERT_BIN".to_owned())
            .or_insert_with(|| exe.to_string_lossy().into_owned());
    }
    Ok((desc.adapter(), desc))
}

/// `--vendor NAME`: a file path, or `cases/vendors/NAME.yaml` of the suite when no such file.
fn vendor_path(suite: &Path, vendor: &str) -> PathBuf {
    let path = PathBuf::from(vendor);
    if path.exists() {
        return path;
    }
    let named = suite.join("cases/vendors").join(format!("{vendor}.yaml"));
    if !vendor.contains(['/', '\\']) && named.is_file() {
        named
    } else {
        path
    }
}

/// The suite folder: the one given, or the nearest ancestor of the current folder with cases/
/// and golden/.
///
/// # Errors
/// None given and none found.
pub fn resolve_suite(suite: Option<&Path>) -> Result<PathBuf, RunnerError> {
    match suite {
        Some(p) if p.join("cases").is_dir() => Ok(p.to_owned()),
        Some(p) => Err(usage(
            format!(
                "`{}` はスイートではありません（cases/ フォルダがありません）",
                p.display()
            ),
            format!("`{}` is not a suite (no cases/ folder in it)", p.display()),
        )),
        None => {
            let cwd = std::env::current_dir().map_err(|source| RunnerError::Io {
                path: PathBuf::from("."),
                source,
            })?;
            find_suite(&cwd).ok_or_else(|| {
                usage(
                    "スイートが見つかりません: cpcert のリポジトリ内で実行するか、--suite DIR（cases/ と golden/ のあるフォルダ）を指定してください",
                    "no suite found: run from the cpcert repository or pass --suite DIR (a folder with cases/ and golden/)",
                )
            })
        }
    }
}

/// `UPDATE_GOLDEN=1` rewrites golden/; any other value is an error; refused under CI.
///
/// # Errors
/// A value other than 1, 0 or empty, or 1 with `CI` set.
pub fn update_golden_requested() -> Result<bool, RunnerError> {
    match std::env::var("UPDATE_GOLDEN") {
        Err(_) => Ok(false),
        Ok(v) if v.is_empty() || v == "0" => Ok(false),
        Ok(v) if v == "1" => {
            if std::env::var_os("CI").is_some() {
                return Err(usage(
                    "CI が設定されているときは UPDATE_GOLDEN=1 を受け付けません: ゴールデンファイルはレビューしてコミットするもので、CI が書き換えることはありません",
                    "UPDATE_GOLDEN=1 is refused when CI is set: golden files are reviewed and committed, never rewritten by CI",
                ));
            }
            Ok(true)
        }
        Ok(v) => Err(usage(
            format!("UPDATE_GOLDEN={v:?}: 1（書き換え）か 0・未設定（比較）だけが使えます"),
            format!("UPDATE_GOLDEN={v:?}: only 1 (rewrite) or 0/unset (compare) are allowed"),
        )),
    }
}

/// Writes index.html, results.json, junit.xml and summary.md atomically into `out`, and
/// appends the summary to `$GITHUB_STEP_SUMMARY` when that is set.
///
/// # Errors
/// A file that cannot be written.
pub fn write_reports(
    out: &Path,
    results: &Results,
    lang: Lang,
    mask: bool,
) -> Result<(), RunnerError> {
    let io = |path: &Path| {
        let path = path.to_owned();
        move |source| RunnerError::Io { path, source }
    };
    std::fs::create_dir_all(out).map_err(io(out))?;
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
    let md = summary::markdown(results, lang);
    for (name, bytes) in [
        ("index.html", page.as_bytes()),
        ("results.json", json::render(results).as_bytes()),
        ("junit.xml", junit::render(results).as_bytes()),
        ("summary.md", md.as_bytes()),
    ] {
        let path = out.join(name);
        write_atomic(&path, bytes).map_err(io(&path))?;
    }
    if let Some(step) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty()) {
        use std::io::Write as _;
        let path = PathBuf::from(step);
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .and_then(|mut f| f.write_all(md.as_bytes()))
            .map_err(io(&path))?;
    }
    Ok(())
}
