//! Running one case through an adapter: export, import or roundtrip → an [`Outcome`].

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use cpcert_adapters::{
    Adapter, AdapterError, ExportRequest, ExportResult, ImportAnswer, ImportRequest, ProductInfo,
    ReexportRequest,
};
use cpcert_checks::compare::files::{name_key, pair_files};
use cpcert_checks::compare::{DiffKind, compare_bytes};
use cpcert_checks::{
    Finding, Lang, Msg, Severity, ValidateOptions, check_send_units, validate_bytes,
};
use cpcert_report::{FieldDiff, FileDirection, FileEvidence, Outcome, TextDiff, Verdict};
use cpcert_scenario::Scenario;
use cpcert_scenario::reference::{self, ExportOptions, ExportedFile};
use cpcert_spec::{Role, Spec};

use crate::case::{Case, CaseDirection};

/// Everything a case run needs besides the case.
pub struct RunContext<'a> {
    /// The suite folder (holds cases/ and golden/).
    pub suite: &'a Path,
    /// The spec.
    pub spec: &'a Spec,
    /// The product under test.
    pub adapter: &'a dyn Adapter,
    /// What the product said of itself at start.
    pub product: &'a ProductInfo,
    /// Rewrite golden files from this run (UPDATE_GOLDEN=1; only with the reference product).
    pub update_golden: bool,
    /// Where actual files of golden mismatches are written (`<out>/golden-wip`, never the suite).
    pub wip_dir: PathBuf,
    /// Where sent/received files are kept as evidence (None: not kept).
    pub evidence_dir: Option<PathBuf>,
    /// `certify --challenge`: the seed's own scenario data, expected files made on the fly.
    pub challenge: Option<&'a cpcert_scenario::challenge::Challenge>,
}

/// Why a request to a product gave no files: a suite problem, the product's infrastructure or
/// the product itself; said in both languages (results.json keeps both, each report shows its
/// own).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stop {
    /// The product could not be run (exit 3).
    Infra(Msg),
    /// The product refused or failed the request (a conformance failure).
    Product(Msg),
    /// The suite itself is broken (missing golden, bad scenario): reported as an error.
    Suite(Msg),
}

impl Stop {
    /// What was said, in both languages.
    pub fn msg(&self) -> &Msg {
        match self {
            Stop::Infra(m) | Stop::Product(m) | Stop::Suite(m) => m,
        }
    }

    /// A broken suite, said by a part of the harness that has only English words for it (the
    /// reference product's own errors): the Japanese text says what happened and quotes them.
    fn suite_en(text: String) -> Stop {
        Stop::Suite(suite_msg(text))
    }
}

/// A broken suite's English `text` (the reference product's or the scenario loader's own words)
/// with a Japanese lead that says what happened.
pub fn suite_msg(text: String) -> Msg {
    Msg::new(
        format!("スイートが壊れています（詳細は英語）: {text}"),
        text,
    )
}

impl std::fmt::Display for Stop {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.msg().en)
    }
}

/// An adapter's error in both languages, with the product's stderr tail quoted as it came.
pub fn adapter_msg(e: &AdapterError) -> Msg {
    let (mut en, mut ja) = (e.to_string(), e.localized(Lang::Ja));
    if let Some(tail) = e.stderr_tail().filter(|t| !t.is_empty()) {
        en.push_str("\n--- stderr ---\n");
        en.push_str(tail);
        ja.push_str("\n--- 標準エラー出力 ---\n");
        ja.push_str(tail);
    }
    Msg::new(ja, en)
}

impl From<AdapterError> for Stop {
    fn from(e: AdapterError) -> Self {
        let msg = adapter_msg(&e);
        if e.is_infrastructure() {
            Stop::Infra(msg)
        } else {
            Stop::Product(msg)
        }
    }
}

/// The name under which an import case's answer (what the product now holds) and its expected
/// counterpart are kept as evidence: `received/answer.json`, `expected/answer.json`.
pub const ANSWER_FILE: &str = "answer.json";

/// Everything a case's verdict rests on, as bytes: what the harness sent to the product, what the
/// product returned (files, or for an import case its answer as [`ANSWER_FILE`]) and what was
/// expected (golden files, or the expected answer). [`judge`] needs nothing else, so `certify`
/// (fresh from the product) and `verify` (from a bundle) reach their verdicts by the same code.
#[derive(Debug, Clone, Default)]
pub struct CaseFiles {
    /// Files the harness gave the product (import and roundtrip inputs).
    pub sent: Vec<ExportedFile>,
    /// Files the product produced, or its import answer.
    pub received: Vec<ExportedFile>,
    /// What the product should have produced (golden/), or the expected import answer.
    pub expected: Vec<ExportedFile>,
}

impl CaseFiles {
    /// Keeps the files under `<root>/<rel>/{sent,received,expected}/` (what a bundle is made of;
    /// the hashes the outcome records are the record), folder by folder without following a link
    /// someone planted in the output folder. What cannot be written is left out: the outcome's
    /// hashes then name a file the folder lacks, which `verify` reports.
    pub fn keep(&self, root: &Path, rel: &Path) {
        for (side, list) in [
            ("sent", &self.sent),
            ("received", &self.received),
            ("expected", &self.expected),
        ] {
            if list.is_empty() {
                continue;
            }
            let Ok(dir) = beneath(root, &rel.join(side)) else {
                continue;
            };
            for f in list {
                let _ = cpcert_report::write_atomic(dir.join(&f.name), &f.bytes);
            }
        }
    }
}

#[derive(Default)]
struct Work {
    kinds: Vec<String>,
    file_kinds: BTreeMap<String, String>,
    findings: Vec<Finding>,
    diffs: Vec<FieldDiff>,
    text_diffs: Vec<TextDiff>,
    files: Vec<FileEvidence>,
    held: Vec<cpcert_report::HeldKind>,
}

/// The outcome of a case that could not run because the product could not be started.
pub fn error_outcome(case: &Case, msg: &Msg) -> Outcome {
    let mut outcome = blank_outcome(case);
    outcome.verdict = Verdict::Error;
    outcome.set_error(msg);
    outcome
}

impl Work {
    /// Records a file the case involves: its kind covers the case, and findings and
    /// differences naming the file are blamed on that kind.
    fn note_file(&mut self, name: &str, spec: &Spec) {
        if let Some(kind) = kind_of(name, spec) {
            self.file_kinds.insert(name.to_owned(), kind.clone());
            self.kinds.push(kind);
        }
    }
}

fn blank_outcome(case: &Case) -> Outcome {
    Outcome {
        case: case.id.clone(),
        title: case.file.title.clone(),
        spec_place: case.file.spec_place.clone(),
        role: case.file.role,
        direction: case.file.direction,
        kinds: Vec::new(),
        required: case.requirement,
        verdict: Verdict::Pass,
        findings: Vec::new(),
        diffs: Vec::new(),
        text_diffs: Vec::new(),
        files: Vec::new(),
        file_kinds: BTreeMap::new(),
        error: None,
        error_ja: None,
        duration_ms: None,
        held: Vec::new(),
        tolerance: case.tolerance.map(|v| v.id().to_owned()),
    }
}

/// Runs one case and returns its outcome (never panics on product behaviour).
pub fn run_case(case: &Case, ctx: &RunContext<'_>) -> Outcome {
    if !ctx.product.roles.contains(&case.file.role) {
        return not_applicable(case);
    }
    match gather(case, ctx) {
        (files, Ok(())) => {
            keep_evidence(ctx, case, &files);
            let (outcome, mismatch) = judge_inner(case, ctx.spec, &files);
            if mismatch {
                keep_wip(ctx, case, &files.received);
            }
            outcome
        }
        (files, Err(stop)) => {
            keep_evidence(ctx, case, &files);
            let mut outcome = blank_outcome(case);
            let mut work = Work::default();
            record_files(ctx.spec, &files, &mut work);
            finish(&mut outcome, work);
            outcome.verdict = match stop {
                Stop::Product(_) => Verdict::Fail,
                Stop::Infra(_) | Stop::Suite(_) => Verdict::Error,
            };
            outcome.set_error(stop.msg());
            outcome
        }
    }
}

/// The outcome of a case whose role the product does not claim.
pub fn not_applicable(case: &Case) -> Outcome {
    let mut outcome = blank_outcome(case);
    outcome.verdict = Verdict::NotApplicable;
    outcome
}

/// Judges a case from its files alone (validation with this cpcert's rules, comparison with the
/// expected side, the verdict): the one place a verdict is reached, for `certify` and `verify`.
pub fn judge(case: &Case, spec: &Spec, files: &CaseFiles) -> Outcome {
    judge_inner(case, spec, files).0
}

fn judge_inner(case: &Case, spec: &Spec, files: &CaseFiles) -> (Outcome, bool) {
    let mut outcome = blank_outcome(case);
    let mut work = Work::default();
    record_files(spec, files, &mut work);
    let mismatch = match case.file.direction {
        CaseDirection::Export | CaseDirection::Roundtrip => {
            check_output(spec, &files.expected, &files.received, &mut work)
        }
        CaseDirection::Interop => {
            finish(&mut outcome, work);
            outcome.verdict = Verdict::Error;
            outcome.set_error(&interop_msg(case));
            return (outcome, false);
        }
        CaseDirection::Import => {
            let answer = |side: &[ExportedFile], what: (&str, &str)| {
                let file = side.iter().find(|f| f.name == ANSWER_FILE).ok_or_else(|| {
                    Msg::new(
                        format!(
                            "{}: {}取込結果（{ANSWER_FILE}）がありません",
                            case.id, what.0
                        ),
                        format!("{}: no {} import answer ({ANSWER_FILE})", case.id, what.1),
                    )
                })?;
                serde_json::from_slice::<ImportAnswer>(&file.bytes).map_err(|e| {
                    Msg::new(
                        format!(
                            "{}: {}取込結果が保持レコードの形ではありません（{e}）",
                            case.id, what.0
                        ),
                        format!(
                            "{}: the {} answer is not held records: {e}",
                            case.id, what.1
                        ),
                    )
                })
            };
            match (
                answer(&files.expected, ("期待される", "expected")),
                answer(&files.received, ("製品の", "received")),
            ) {
                (Ok(e), Ok(a)) => {
                    // The received answer carries the product's declaration of fields it does
                    // not keep, so the verdict needs nothing but these files.
                    let held = cpcert_checks::compare_held(
                        spec,
                        cpcert_spec::CURRENT_LAYOUT_VERSION,
                        &e.held,
                        &a.held,
                        &a.not_kept,
                    );
                    let mismatch = !held.passed();
                    work.diffs.extend(held.diffs);
                    work.held = held.kinds;
                    mismatch
                }
                (Err(msg), _) => {
                    finish(&mut outcome, work);
                    outcome.verdict = Verdict::Error;
                    outcome.set_error(&msg);
                    return (outcome, false);
                }
                (_, Err(msg)) => {
                    finish(&mut outcome, work);
                    outcome.verdict = Verdict::Fail;
                    outcome.set_error(&msg);
                    return (outcome, false);
                }
            }
        }
    };
    finish(&mut outcome, work);
    let failed = !outcome.diffs.is_empty()
        || outcome
            .findings
            .iter()
            .any(|f| f.severity == Severity::Error);
    outcome.verdict = if failed { Verdict::Fail } else { Verdict::Pass };
    (outcome, mismatch)
}

fn finish(outcome: &mut Outcome, mut work: Work) {
    work.kinds.sort();
    work.kinds.dedup();
    outcome.kinds = work.kinds;
    outcome.findings = work.findings;
    outcome.diffs = work.diffs;
    outcome.text_diffs = work.text_diffs;
    outcome.files = work.files;
    outcome.file_kinds = work.file_kinds;
    outcome.held = work.held;
}

/// Kinds and evidence entries (path, hash, direction) of every file the verdict rests on.
fn record_files(spec: &Spec, files: &CaseFiles, work: &mut Work) {
    for (side, list, direction) in [
        ("sent", &files.sent, FileDirection::Sent),
        ("received", &files.received, FileDirection::Received),
        ("expected", &files.expected, FileDirection::Expected),
    ] {
        for f in list {
            work.note_file(&f.name, spec);
            work.files.push(FileEvidence::from_bytes(
                format!("{side}/{}", f.name),
                &f.bytes,
                direction,
            ));
        }
    }
}

/// Talks to the product: stages the inputs, asks for the export/import/re-export, reads what
/// came back. Whatever was gathered before a stop is returned with it (evidence of the attempt).
fn gather(case: &Case, ctx: &RunContext<'_>) -> (CaseFiles, Result<(), Stop>) {
    let mut files = CaseFiles::default();
    let done = gather_into(case, ctx, &mut files);
    (files, done)
}

fn gather_into(case: &Case, ctx: &RunContext<'_>, files: &mut CaseFiles) -> Result<(), Stop> {
    let scenario_path = ctx
        .suite
        .join("cases/scenarios")
        .join(format!("{}.yaml", case.file.scenario));
    let scenario = cpcert_scenario::load_scenario(&scenario_path)
        .map_err(|e| Stop::suite_en(e.to_string()))?;
    // Under a challenge the case runs on the seed's own data, and the reference product makes
    // what is expected on the fly; otherwise golden/ holds it.
    let (scenario, office) = match ctx.challenge {
        Some(challenge) => crate::challenge::challenged(challenge, case, &scenario),
        None => (scenario, case.file.office.clone()),
    };
    // A tolerance case's input is made on the fly too (the variant's export of the scenario).
    let made = if ctx.challenge.is_some() || case.tolerance.is_some() {
        Some(reference_files(case, &scenario, office.as_deref()).map_err(Stop::suite_en)?)
    } else {
        None
    };
    // The sandbox's parent belongs to this case alone: the protocol adapter checks that nothing
    // appears beside the sandbox, which other cases' sandboxes would otherwise do. The adapter
    // creates it where its processes may write (its private workspace); it is removed when the
    // case ends, however it ends.
    let work_dir = ctx.adapter.case_dir()?;
    let sandbox = work_dir.sandbox().to_path_buf();
    let golden_dir = ctx.suite.join("golden").join(&case.rel);
    let sender = case.file.sender.unwrap_or(case.file.role.default_sender());
    if ctx.update_golden && case.file.direction != CaseDirection::Export && made.is_none() {
        let golden = reference_files(case, &scenario, office.as_deref()).map_err(Stop::suite_en)?;
        write_golden(&golden_dir.join("in"), &golden.sent)?;
        if case.file.direction == CaseDirection::Roundtrip {
            write_golden(&golden_dir.join("out"), &golden.expected)?;
        }
    }
    // What was sent and expected: made on the fly, or read from golden/.
    let from = |dir: &Path, made: Option<&Vec<ExportedFile>>| match made {
        Some(files) => Ok(files.clone()),
        None => read_dir_files(dir),
    };
    match case.file.direction {
        CaseDirection::Interop => return Err(Stop::Suite(interop_msg(case))),
        CaseDirection::Export => {
            let req = ExportRequest {
                scenario: scenario.clone(),
                role: case.file.role,
                sandbox: sandbox.clone(),
                timestamp: case.file.timestamp.clone(),
            };
            files.received = returned(ctx.adapter.export(&req)?);
            if ctx.update_golden {
                write_golden(&golden_dir, &files.received)?;
            }
            files.expected = from(&golden_dir, made.as_ref().map(|m| &m.expected))?;
        }
        CaseDirection::Import => {
            files.sent = from(&golden_dir.join("in"), made.as_ref().map(|m| &m.sent))?;
            // Made on the fly: the answer of the canonical input (a tolerance case's input is
            // written another permitted way, its answer is the canonical one's).
            files.expected = match made {
                Some(made) => made.expected,
                None => vec![expected_answer(case, &files.sent).map_err(Stop::suite_en)?],
            };
            files.received = vec![import_answer(
                ctx.adapter,
                ctx.product,
                &sandbox,
                case,
                sender,
                &files.sent,
            )?];
        }
        CaseDirection::Roundtrip => {
            let office = office.ok_or_else(|| {
                Stop::Suite(Msg::new(
                    format!("{}: 往復ケースには `office` が要ります", case.id),
                    format!("{}: a roundtrip case needs `office`", case.id),
                ))
            })?;
            files.sent = from(&golden_dir.join("in"), made.as_ref().map(|m| &m.sent))?;
            let paths = stage_inputs(&sandbox, &files.sent, case)?;
            files.expected = from(&golden_dir.join("out"), made.as_ref().map(|m| &m.expected))?;
            let req = ReexportRequest {
                files: paths,
                role: case.file.role,
                sender: Some(sender),
                office: Some(office),
                sandbox: sandbox.clone(),
                timestamp: case.file.timestamp.clone(),
            };
            files.received = returned(ctx.adapter.reexport(&req)?);
        }
    }
    Ok(())
}

/// What the reference product makes of a case's scenario: for an export case the expected
/// files; for an import case the files sent (the sender's export) and the expected answer; for
/// a roundtrip case the files sent and the expected re-export (the reference imports them and,
/// as `office`, records 予定 as 実績). The one source of golden/ (UPDATE_GOLDEN) and of a
/// challenge's expected files. A tolerance case's are [`crate::tolerance::files`].
///
/// # Errors
/// The reference cannot export or import the scenario, or a roundtrip case has no office.
pub fn reference_files(
    case: &Case,
    scenario: &Scenario,
    office: Option<&str>,
) -> Result<CaseFiles, String> {
    if case.tolerance.is_some() {
        return crate::tolerance::files(case, scenario);
    }
    let sender = case.file.sender.unwrap_or(case.file.role.default_sender());
    let export = |s: &Scenario, role: Role| {
        reference::export(
            s,
            role,
            &ExportOptions::with_timestamp(&case.file.timestamp),
        )
        .map_err(|e| format!("{}: the reference cannot export the scenario: {e}", case.id))
    };
    let mut files = CaseFiles::default();
    match case.file.direction {
        CaseDirection::Interop => return Err(interop_msg(case).en),
        CaseDirection::Export => files.expected = export(scenario, case.file.role)?,
        CaseDirection::Import => {
            files.sent = export(scenario, sender)?;
            files.expected = vec![expected_answer(case, &files.sent)?];
        }
        CaseDirection::Roundtrip => {
            let office =
                office.ok_or_else(|| format!("{}: a roundtrip case needs `office`", case.id))?;
            files.sent = export(scenario, sender)?;
            let understood = reference::import(&files.sent, sender)
                .map_err(|e| format!("{}: the reference cannot import: {e}", case.id))?;
            let performed = reference::perform(&understood, office);
            files.expected = export(&performed, case.file.role)?;
        }
    }
    Ok(files)
}

/// What an import case expects the product to answer, as the evidence file [`ANSWER_FILE`]:
/// what the reference product holds after importing the files sent (`sent`, the golden input),
/// as the standard's records. `verify` recomputes it from the bundled input files.
///
/// # Errors
/// The reference cannot import the files or write what it holds as records (a broken suite).
pub fn expected_answer(case: &Case, sent: &[ExportedFile]) -> Result<ExportedFile, String> {
    let sender = case.file.sender.unwrap_or(case.file.role.default_sender());
    let understood = reference::import(sent, sender)
        .map_err(|e| format!("{}: reference import of the input: {e}", case.id))?;
    let held = reference::held(&understood)
        .map_err(|e| format!("{}: reference held records: {e}", case.id))?;
    answer_file(&held.into()).map_err(|e| e.msg().en.clone())
}

/// Stages `sent` in `sandbox`, asks the product to import them in `case`'s role as written by
/// `sender`, and returns its answer as the evidence file [`ANSWER_FILE`], with the product's own
/// declaration of fields it does not keep (`product`, from its start) merged into the answer's.
/// What `certify` does for an import case and `cpcert interop` for each receiver.
///
/// # Errors
/// [`Stop::Suite`] when nothing is sent, [`Stop::Infra`] when the files cannot be staged or the
/// product cannot be run, [`Stop::Product`] when it refuses.
pub fn import_answer(
    adapter: &dyn Adapter,
    product: &ProductInfo,
    sandbox: &Path,
    case: &Case,
    sender: Role,
    sent: &[ExportedFile],
) -> Result<ExportedFile, Stop> {
    let paths = stage_inputs(sandbox, sent, case)?;
    let req = ImportRequest {
        files: paths,
        role: case.file.role,
        sender: Some(sender),
        sandbox: sandbox.to_path_buf(),
    };
    let mut answer = adapter.import(&req)?;
    // The product's declaration (started) and the answer's own (manual) together.
    for (kind, fields) in &product.not_kept.0 {
        let declared = answer.not_kept.0.entry(kind.clone()).or_default();
        declared.extend(fields);
        declared.sort_unstable();
        declared.dedup();
    }
    answer_file(&answer)
}

/// An import answer as evidence bytes (pretty JSON, so a person can read it in the bundle).
fn answer_file(answer: &ImportAnswer) -> Result<ExportedFile, Stop> {
    let bytes = serde_json::to_vec_pretty(answer).map_err(|e| {
        Stop::Suite(Msg::new(
            format!("取込結果を JSON にできません: {e}"),
            format!("cannot serialise an import answer: {e}"),
        ))
    })?;
    Ok(ExportedFile {
        name: ANSWER_FILE.to_owned(),
        bytes,
    })
}

fn interop_msg(case: &Case) -> Msg {
    Msg::new(
        format!(
            "{}: 相互運用ケースは二つの製品の間で実行します（cpcert interop）。一つの製品には実行しません",
            case.id
        ),
        format!(
            "{}: an interop case runs between two products (cpcert interop), not against one",
            case.id
        ),
    )
}

/// Copies golden inputs into the sandbox (the product may not touch golden/).
fn stage_inputs(
    sandbox: &Path,
    inputs: &[ExportedFile],
    case: &Case,
) -> Result<Vec<PathBuf>, Stop> {
    if inputs.is_empty() {
        return Err(Stop::Suite(Msg::new(
            format!(
                "{}: golden の入力ファイルがありません（UPDATE_GOLDEN=1 scripts/update-golden を実行してください）",
                case.id
            ),
            format!(
                "{}: no golden input files (run UPDATE_GOLDEN=1 scripts/update-golden)",
                case.id
            ),
        )));
    }
    let dir = sandbox.join("in");
    let staging = |path: &Path, e: std::io::Error| {
        Stop::Infra(Msg::new(
            format!("入力ファイルを `{}` に置けません: {e}", path.display()),
            format!("cannot stage the input in `{}`: {e}", path.display()),
        ))
    };
    std::fs::create_dir_all(&dir).map_err(|e| staging(&dir, e))?;
    let mut paths = Vec::new();
    for f in inputs {
        let path = dir.join(&f.name);
        std::fs::write(&path, &f.bytes).map_err(|e| staging(&path, e))?;
        paths.push(path);
    }
    Ok(paths)
}

/// Keeps every file of the case under `<evidence>/<case>/` ([`CaseFiles::keep`]).
fn keep_evidence(ctx: &RunContext<'_>, case: &Case, files: &CaseFiles) {
    if let Some(root) = &ctx.evidence_dir {
        files.keep(root, Path::new(&case.rel));
    }
}

/// `<root>/<rel>` created folder by folder without following links (`root`'s own name
/// included: only its parent is taken as it is).
fn beneath(root: &Path, rel: &Path) -> std::io::Result<PathBuf> {
    let (Some(base), Some(name)) = (root.parent(), root.file_name()) else {
        return Err(std::io::ErrorKind::InvalidInput.into());
    };
    // The output folder itself is the caller's (certify's fresh staging folder, or a library
    // user's folder), created as given.
    std::fs::create_dir_all(base)?;
    cpcert_report::create_dir_beneath(base, &Path::new(name).join(rel))
}

/// Actual files of a golden mismatch, for `UPDATE_GOLDEN` review (`<out>/golden-wip`).
fn keep_wip(ctx: &RunContext<'_>, case: &Case, actual: &[ExportedFile]) {
    if let Ok(dir) = beneath(&ctx.wip_dir, Path::new(&case.rel)) {
        for f in actual {
            let _ = cpcert_report::write_atomic(dir.join(&f.name), &f.bytes);
        }
    }
}

fn kind_of(name: &str, spec: &Spec) -> Option<String> {
    cpcert_checks::file_kind(name, spec, cpcert_spec::CURRENT_LAYOUT_VERSION)
}

/// Validates what the product wrote and compares it with the expected files; true when they
/// differ.
fn check_output(
    spec: &Spec,
    expected: &[ExportedFile],
    actual: &[ExportedFile],
    work: &mut Work,
) -> bool {
    let opts = ValidateOptions::default();
    let reports: Vec<_> = actual
        .iter()
        .map(|f| validate_bytes(&f.name, &f.bytes, spec, &opts))
        .collect();
    for r in &reports {
        work.findings.extend(r.findings.iter().cloned());
    }
    for unit in check_send_units(&reports, spec, &opts.layout_version) {
        work.findings.extend(unit.findings);
    }
    let exp_names: Vec<&str> = expected.iter().map(|f| f.name.as_str()).collect();
    let act_names: Vec<&str> = actual.iter().map(|f| f.name.as_str()).collect();
    let pairs = pair_files(
        spec,
        cpcert_spec::CURRENT_LAYOUT_VERSION,
        &exp_names,
        &act_names,
    );
    let mut mismatch = false;
    for pair in pairs {
        let diffs = match (pair.expected, pair.actual) {
            (Some(i), Some(j)) => compare_file(spec, &expected[i], &actual[j], work),
            (Some(i), None) => vec![FieldDiff::file(
                DiffKind::MissingFile,
                &expected[i].name,
                &expected[i].name,
                "",
            )],
            (None, Some(j)) => vec![FieldDiff::file(
                DiffKind::UnexpectedFile,
                &actual[j].name,
                "",
                &actual[j].name,
            )],
            (None, None) => Vec::new(),
        };
        mismatch |= !diffs.is_empty();
        work.diffs.extend(diffs);
    }
    mismatch
}

/// Compares one pair of files: the name (but for the 連番 and the extension's case, which are
/// the product's and the validator's), then the contents by decoded value under the kind's
/// comparison policy (spec data, `compare:` in the layout); a non-CSV file (the family
/// picture) by its bytes. Byte form is the validator's alone.
fn compare_file(
    spec: &Spec,
    expected: &ExportedFile,
    actual: &ExportedFile,
    work: &mut Work,
) -> Vec<FieldDiff> {
    let mut diffs = Vec::new();
    if name_key(&expected.name) != name_key(&actual.name) {
        diffs.push(FieldDiff::file(
            DiffKind::FileName,
            &actual.name,
            &expected.name,
            &actual.name,
        ));
    }
    let layout = kind_of(&expected.name, spec)
        .and_then(|k| spec.layout(cpcert_spec::CURRENT_LAYOUT_VERSION, &k));
    let Some(layout) = layout else {
        if expected.bytes != actual.bytes {
            diffs.push(FieldDiff::file(
                DiffKind::FileBytes,
                &actual.name,
                &format!("{} bytes", expected.bytes.len()),
                &format!("{} bytes", actual.bytes.len()),
            ));
        }
        return diffs;
    };
    let values = compare_bytes(&actual.name, layout, &expected.bytes, &actual.bytes);
    if !values.is_empty() {
        let (e, a) = (
            cpcert_csv::decode_lossy(&expected.bytes),
            cpcert_csv::decode_lossy(&actual.bytes),
        );
        work.text_diffs.push(TextDiff {
            file: actual.name.clone(),
            diff: cpcert_report::text_diff(&e, &a),
        });
    }
    diffs.extend(values);
    diffs
}

/// The files a product returned, as its adapter read them (once, within the vendor's limits):
/// nothing is read from the sandbox again, so what is judged is what was checked.
fn returned(result: ExportResult) -> Vec<ExportedFile> {
    let mut out: Vec<ExportedFile> = result
        .files
        .into_iter()
        .map(|f| ExportedFile {
            name: f.name,
            bytes: f.bytes,
        })
        .collect();
    out.sort();
    out
}

fn read_files(paths: &[PathBuf]) -> Result<Vec<ExportedFile>, Stop> {
    let mut out = Vec::new();
    for p in paths {
        let bytes = std::fs::read(p).map_err(|e| {
            Stop::Infra(Msg::new(
                format!("製品の出力 `{}` を読めません: {e}", p.display()),
                format!("cannot read product output `{}`: {e}", p.display()),
            ))
        })?;
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        out.push(ExportedFile { name, bytes });
    }
    out.sort();
    Ok(out)
}

fn read_dir_files(dir: &Path) -> Result<Vec<ExportedFile>, Stop> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Err(Stop::Suite(Msg::new(
            format!(
                "golden フォルダ `{}` がありません（UPDATE_GOLDEN=1 scripts/update-golden を実行してください）",
                dir.display()
            ),
            format!(
                "golden folder `{}` is missing (run UPDATE_GOLDEN=1 scripts/update-golden)",
                dir.display()
            ),
        )));
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    paths.sort();
    read_files(&paths).map_err(|e| match e {
        Stop::Infra(m) => Stop::Suite(m),
        other => other,
    })
}

fn write_golden(dir: &Path, files: &[ExportedFile]) -> Result<(), Stop> {
    let failed = |e: std::io::Error| {
        Stop::Suite(Msg::new(
            format!("golden フォルダ `{}` に書けません: {e}", dir.display()),
            format!("cannot write the golden folder `{}`: {e}", dir.display()),
        ))
    };
    if dir.exists() {
        for entry in std::fs::read_dir(dir).map_err(failed)?.flatten() {
            if entry.path().is_file() {
                std::fs::remove_file(entry.path()).map_err(failed)?;
            }
        }
    }
    std::fs::create_dir_all(dir).map_err(failed)?;
    for f in files {
        cpcert_report::write_atomic(dir.join(&f.name), &f.bytes).map_err(failed)?;
    }
    Ok(())
}
