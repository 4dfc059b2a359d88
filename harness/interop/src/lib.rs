//! `cpcert interop`: product A's export into product B's import, compared with what A meant.
//!
//! For each (sender, receiver) and each import case of the suite whose receiver role the
//! receiver claims and whose sender role the sender claims: the sender exports the case's
//! scenario in the case's sender role (a product through its adapter; a bundle by the received
//! files of the matching export case of that certification), the receiver imports those files,
//! and what it holds is judged against the expected held records of the scenario (the
//! reference's answer for the canonical input: [`cpcert_runner::reference_files`]) with the one
//! judge of certify ([`cpcert_runner::judge`]: `compare_held`, fields not kept honoured). The
//! sender's files are judged too, as certify judges its export case: a failure there is blamed
//! on the sender, not the receiver.
//!
//! Main items: [`InteropRequest`], [`Interop::prepare`] (every usage and configuration error,
//! before anything runs), [`Interop::run`], [`write_reports`]. This crate prints nothing.

#![warn(missing_docs)]

mod bundle;
mod party;
mod run;

use std::path::{Path, PathBuf};

use cpcert_checks::{Lang, Msg};
use cpcert_report::interop::{self as model, InteropResults};
use cpcert_report::write_atomic;
use cpcert_runner::Case;

pub use party::BUILT_IN;

/// A problem that stops an interop run before any exchange.
#[derive(Debug, thiserror::Error)]
pub enum InteropError {
    /// Bad arguments: unknown party, fault on the wrong side, no case selected (exit 2).
    #[error("{0}")]
    Usage(Msg),
    /// The suite or a vendor description cannot be read (exit 2).
    #[error(transparent)]
    Runner(#[from] cpcert_runner::RunnerError),
    /// A sender bundle cannot be read or its evidence does not hold (exit 2).
    #[error("bundle `{path}`: {reason}")]
    Bundle {
        /// The bundle file.
        path: PathBuf,
        /// Why.
        reason: Msg,
    },
    /// A report file cannot be written.
    #[error("cannot write `{path}`")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
}

impl InteropError {
    /// The message in `lang` (cpcert's own words; an operating-system error stays the cause,
    /// [`InteropError::cause`]).
    pub fn localized(&self, lang: Lang) -> String {
        match (self, lang) {
            (InteropError::Usage(msg), _) => msg.get(lang).to_owned(),
            (InteropError::Runner(e), _) => e.localized(lang),
            (InteropError::Bundle { path, reason }, Lang::Ja) => {
                format!("バンドル `{}`: {}", path.display(), reason.get(lang))
            }
            (InteropError::Bundle { path, reason }, Lang::En) => {
                format!("bundle `{}`: {}", path.display(), reason.get(lang))
            }
            (InteropError::Io { path, .. }, Lang::Ja) => {
                format!("`{}` に書き込めません", path.display())
            }
            (InteropError::Io { .. }, Lang::En) => self.to_string(),
        }
    }

    /// The cause to print after [`InteropError::localized`].
    pub fn cause(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            InteropError::Runner(e) => e.cause(),
            InteropError::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

pub(crate) fn usage(ja: impl Into<String>, en: impl Into<String>) -> InteropError {
    InteropError::Usage(Msg::new(ja, en))
}

/// What an interop run is asked to do (the command line, parsed but not interpreted).
#[derive(Debug, Clone, Default)]
pub struct InteropRequest {
    /// `--sender`: built-in product ids, `reference:fault=ID`, vendor descriptions, bundles
    /// (empty: [`BUILT_IN`]).
    pub senders: Vec<String>,
    /// `--receiver`: built-in product ids, `reference:fault=ID`, vendor descriptions (empty:
    /// [`BUILT_IN`]).
    pub receivers: Vec<String>,
    /// `--fault-receivers`: add the reference product with each importer fault of
    /// `cases/faults/` as a receiver.
    pub fault_receivers: bool,
    /// `--variant-senders`: add the reference writing each permitted variant of
    /// `cases/variants/` as a sender (the same data written every way the standard allows).
    pub variant_senders: bool,
    /// `--filter`: keep import cases whose id contains any of these.
    pub filters: Vec<String>,
    /// The suite folder (default: found upwards from the current folder).
    pub suite: Option<PathBuf>,
    /// Run id (default: derived from the inputs).
    pub run_id: Option<String>,
    /// Start time, RFC 3339 (default: `CPCERT_NOW`, then the clock).
    pub now: Option<String>,
}

/// An interop run ready to go: suite found, cases selected, parties described.
pub struct Interop {
    suite: PathBuf,
    /// The selected import cases.
    cases: Vec<Case>,
    /// Every case of the suite (export cases judge the senders' files).
    all: Vec<Case>,
    senders: Vec<party::Sender>,
    receivers: Vec<party::Receiver>,
    selection: model::InteropSelection,
    run_id: Option<String>,
    started: String,
}

impl Interop {
    /// Resolves the request; nothing runs and nothing is written.
    ///
    /// # Errors
    /// Every usage and configuration error (exit 2): no suite, an unknown party or fault, a
    /// fault on the wrong side, a vendor description that does not load, a bundle that cannot
    /// be read or whose evidence does not hold, no import case selected.
    pub fn prepare(req: &InteropRequest) -> Result<Interop, InteropError> {
        let suite = cpcert_runner::resolve_suite(req.suite.as_deref())?;
        let all = cpcert_runner::load_cases(&suite)?;
        let cases: Vec<Case> = all
            .iter()
            .filter(|c| c.file.direction == cpcert_spec::Direction::Import)
            .filter(|c| {
                req.filters.is_empty() || req.filters.iter().any(|f| c.id.contains(f.as_str()))
            })
            .cloned()
            .collect();
        if cases.is_empty() {
            return Err(usage(
                "選択（--filter）に合うスイートの取込ケースがありません",
                "no import case of the suite matches the selection (--filter)",
            ));
        }
        let started = req
            .now
            .clone()
            .or_else(|| std::env::var("CPCERT_NOW").ok())
            .unwrap_or_else(cpcert_runner::now_rfc3339);
        let faults = cpcert_runner::selftest::load_faults(&suite)?;
        let variants = cpcert_runner::selftest::load_variants(&suite)?;
        let catalogues = (faults.as_slice(), variants.as_slice());
        let senders = party::senders(
            &suite,
            &req.senders,
            req.variant_senders,
            catalogues,
            &started,
        )?;
        let receivers = party::receivers(
            &suite,
            &req.receivers,
            req.fault_receivers,
            catalogues,
            &started,
        )?;
        Ok(Interop {
            suite,
            cases,
            all,
            senders,
            receivers,
            selection: model::InteropSelection {
                senders: req.senders.clone(),
                receivers: req.receivers.clone(),
                fault_receivers: req.fault_receivers,
                variant_senders: req.variant_senders,
                filters: req.filters.clone(),
            },
            run_id: req.run_id.clone(),
            started,
        })
    }

    /// The suite folder.
    pub fn suite(&self) -> &Path {
        &self.suite
    }

    /// The selected import cases.
    pub fn cases(&self) -> &[Case] {
        &self.cases
    }

    /// The number of exchanges (sender × receiver × case) [`Interop::run`] judges.
    pub fn exchange_count(&self) -> usize {
        self.senders.len() * self.receivers.len() * self.cases.len()
    }

    /// Runs every exchange.
    pub fn run(&self) -> InteropResults {
        run::run(self, &|| {}, None)
    }

    /// [`Interop::run`], calling `on_done` as each exchange is judged (from several threads),
    /// and keeping each exchange's files (sent, the answer received, the answer expected) under
    /// `evidence/<pair>/<case>/` (the pair's folder: [`cpcert_report::interop::pair_folder`]).
    pub fn run_with_progress(
        &self,
        on_done: &(dyn Fn() + Sync),
        evidence: Option<&Path>,
    ) -> InteropResults {
        run::run(self, on_done, evidence)
    }
}

/// How [`write_reports`] writes.
#[derive(Debug, Clone, Copy)]
pub struct ReportOptions {
    /// The language of the page and the summary.
    pub lang: Lang,
    /// Mask personal values in every file (for publication).
    pub mask: bool,
    /// The exchanges' files were kept under `<out>/evidence/` ([`Interop::run_with_progress`]):
    /// the page links to them.
    pub evidence: bool,
}

/// Writes index.html (the matrix), interop.json, junit.xml and summary.md atomically into
/// `out`, and appends the summary to `$GITHUB_STEP_SUMMARY` when that is set.
///
/// # Errors
/// A file that cannot be written.
pub fn write_reports(
    out: &Path,
    results: &InteropResults,
    options: ReportOptions,
) -> Result<(), InteropError> {
    let ReportOptions {
        lang,
        mask,
        evidence,
    } = options;
    let io = |path: &Path| {
        let path = path.to_owned();
        move |source| InteropError::Io { path, source }
    };
    std::fs::create_dir_all(out).map_err(io(out))?;
    let masked;
    let results = if mask {
        masked = results.masked();
        &masked
    } else {
        results
    };
    let md = model::summary::markdown(results, lang);
    for (name, text) in [
        ("index.html", model::html::render(results, lang, evidence)),
        ("interop.json", model::render_json(results)),
        ("junit.xml", model::junit::render(results)),
        ("summary.md", md.clone()),
    ] {
        let path = out.join(name);
        write_atomic(&path, text.as_bytes()).map_err(io(&path))?;
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
