//! The results model: what a certification run found, serialised as `results.json`.
//!
//! This is a versioned contract read by `cpcert verify`, `cpcert publish` and third-party tools.
//! Fields may be added (with `#[serde(default)]` so old files still load); fields are never
//! removed or renamed. Times and run ids are injected by the caller, never read from the clock
//! here, so that the same run renders byte-identical reports.

use std::collections::BTreeMap;
use std::fmt;

use cpcert_checks::Finding;
use cpcert_spec::Role;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::exit;

/// The `schema_version` written by this crate.
pub const SCHEMA_VERSION: u32 = 1;

/// The whole of one certification run (`results.json`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Results {
    /// Version of this schema; [`SCHEMA_VERSION`] when written by this crate.
    pub schema_version: u32,
    /// The harness that produced the results.
    pub tool: Tool,
    /// The case suite that was run.
    pub suite: Suite,
    /// CSVバージョン of the layouts tested, e.g. `"202407"`.
    pub spec_version: String,
    /// The product under test.
    pub product: Product,
    /// Identity and start time of the run.
    pub run: Run,
    /// What the run was asked to run (absent in results written before it was recorded).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selection: Option<crate::Selection>,
    /// How much of the suite ran; a run without it is not known to be complete.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coverage: Option<crate::Coverage>,
    /// How the product's adapter processes were kept from writing outside their sandboxes
    /// (absent for products without processes: the reference, a manual product).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confinement: Option<Confinement>,
    /// One outcome per case, sorted by case id (see [`Results::sort`]).
    pub outcomes: Vec<Outcome>,
    /// Mutation score of the harness itself (faults injected into the reference product), when
    /// the run was a self-test.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selftest: Option<SelfTest>,
}

/// The harness (`cpcert`) and its version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Tool {
    /// Always `"cpcert"` for results written by this harness.
    pub name: String,
    /// The harness version (`CARGO_PKG_VERSION` of the CLI).
    pub version: String,
}

/// The case suite.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Suite {
    /// Suite name, e.g. `"cpcert-cases"`.
    pub name: String,
    /// Suite version (cases change independently of the harness).
    pub version: String,
}

/// The product under test, as its vendor description (and adapter handshake) declares it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Product {
    /// Product name.
    pub name: String,
    /// Product version.
    pub version: String,
    /// Roles the product claims (`planner`, `provider`, `prevention-planner` in JSON).
    pub roles: Vec<Role>,
}

/// Identity of one run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Run {
    /// Run id (also the report folder name under `reports/`).
    pub id: String,
    /// Start time, RFC 3339; injected by the caller.
    pub started: String,
}

/// How an adapter's processes were confined during the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "mode", rename_all = "kebab-case")]
pub enum Confinement {
    /// Writes outside the sandboxes were refused by the kernel (Landlock, this ABI version).
    Landlock {
        /// The Landlock ABI version in force.
        abi: u32,
    },
    /// Nothing was refused; writes around the sandboxes and into the outputs were only detected.
    DetectionOnly,
}

/// What one case found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Outcome {
    /// Case id, the case file's path: `export::upplan::basic`.
    pub case: String,
    /// Case title (Japanese as written in the case file).
    pub title: String,
    /// The spec place the case exercises, e.g. `別紙 第6表 No.11`.
    pub spec_place: String,
    /// The role the case tests (`planner`, `provider` or `prevention-planner` in JSON).
    pub role: Role,
    /// What the product was asked to do.
    pub direction: Direction,
    /// File kinds the case covers, e.g. `["UPPLAN", "UPSIKYU", "UPHOSOKU"]`.
    pub kinds: Vec<String>,
    /// Whether the standard requires (○) or allows (△) what the case tests.
    pub required: Requirement,
    /// The verdict.
    pub verdict: Verdict,
    /// Rule findings on the files the product produced.
    #[serde(default)]
    pub findings: Vec<Finding>,
    /// Field-level differences against the golden files or the round-trip input.
    #[serde(default)]
    pub diffs: Vec<FieldDiff>,
    /// Decoded (MS932 → text) unified diffs of files that differ from golden, for reading.
    /// Left out of published (masked) output: they show whole records.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub text_diffs: Vec<TextDiff>,
    /// Files sent to and received from the product, with hashes.
    #[serde(default)]
    pub files: Vec<FileEvidence>,
    /// File name → file kind, for every file the case sent, received or expected: what a
    /// finding's or a difference's `file` blames in the matrix.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub file_kinds: BTreeMap<String, String>,
    /// Why the case stopped before a judgement (the product refused or could not be run, or the
    /// suite is broken), in English, with the adapter's stderr tail when there is one.
    #[serde(default)]
    pub error: Option<String>,
    /// The same in Japanese, when the harness said it (a product's own message and its stderr
    /// are quoted in both as they came). Absent in results written before it existed: readers
    /// fall back to `error` ([`Outcome::error_in`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_ja: Option<String>,
    /// Wall time of the case in milliseconds, when measured (0 when durations are fixed for
    /// reproducible reports).
    #[serde(default)]
    pub duration_ms: Option<u64>,
    /// Import cases: per file kind, what the product keeps, does not keep and got wrong.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub held: Vec<HeldKind>,
    /// A tolerance case (the `tolerance` group): the permitted variant (cases/variants/) its
    /// input was written with, e.g. `lf-only`; the product must understand that input exactly
    /// as the canonical one. Absent for the cases of cases/.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tolerance: Option<String>,
}

impl Outcome {
    /// Why the case stopped, in `lang` (Japanese falls back to the English text where no
    /// Japanese one was recorded).
    pub fn error_in(&self, lang: cpcert_checks::Lang) -> Option<&str> {
        match lang {
            cpcert_checks::Lang::Ja => self.error_ja.as_deref().or(self.error.as_deref()),
            cpcert_checks::Lang::En => self.error.as_deref(),
        }
    }

    /// Records why the case stopped, in both languages.
    pub fn set_error(&mut self, msg: &cpcert_checks::Msg) {
        self.error = Some(msg.en.clone());
        self.error_ja = Some(msg.ja.clone());
    }

    /// The file kinds this outcome's failure is blamed on: the kinds of the files with an error
    /// finding or a difference of their own. A failure that names no file of a known kind (the
    /// product refused, an import answer differs) is blamed on every kind of the case. Empty
    /// unless the verdict is a failure.
    pub fn failed_kinds(&self) -> Vec<&str> {
        if self.verdict != Verdict::Fail {
            return Vec::new();
        }
        let mut unattributed = self.error.is_some();
        let mut kinds: Vec<&str> = Vec::new();
        let files = self
            .findings
            .iter()
            .filter(|f| f.severity == cpcert_checks::Severity::Error)
            .map(|f| f.file.as_str())
            .chain(self.diffs.iter().map(|d| d.file.as_str()));
        for file in files {
            match self.kind_of_file(file) {
                Some(kind) => kinds.push(kind),
                None => unattributed = true,
            }
        }
        if unattributed || kinds.is_empty() {
            kinds.extend(self.kinds.iter().map(String::as_str));
        }
        kinds.sort_unstable();
        kinds.dedup();
        kinds
    }

    /// Whether the outcome is of a tolerance case (its own group in every report).
    pub fn is_tolerance(&self) -> bool {
        self.tolerance.is_some()
    }

    /// The kind of `file` (a bare name or a path ending in one), from [`Outcome::file_kinds`].
    pub fn kind_of_file(&self, file: &str) -> Option<&str> {
        let name = file.rsplit(['/', '\\']).next().unwrap_or(file);
        self.file_kinds.get(name).map(String::as_str)
    }
}

/// What the product was asked to do in a case (the one type from case file to report).
pub use cpcert_spec::Direction;

/// Whether the standard requires (○) or allows (△) what a case tests: from roles.yaml only.
pub use cpcert_spec::Requirement;

/// The verdict of one case.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// The product did what the standard requires.
    Pass,
    /// The product ran and got it wrong (conformance failure).
    Fail,
    /// The product could not be run or the harness could not finish (infrastructure).
    Error,
    /// The case does not apply to this product (role or optional kind not claimed).
    NotApplicable,
}

impl Verdict {
    /// The verdict in words, in `lang` (合格 / pass …), as every report says it.
    pub fn label(self, lang: cpcert_checks::Lang) -> &'static str {
        crate::labels::verdict(lang, self)
    }

    /// The serialised id (`pass`, `fail`, `error`, `not-applicable`).
    pub fn id(self) -> &'static str {
        match self {
            Verdict::Pass => "pass",
            Verdict::Fail => "fail",
            Verdict::Error => "error",
            Verdict::NotApplicable => "not-applicable",
        }
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// One file that went to or came from the product: evidence anyone can re-check offline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct FileEvidence {
    /// Path inside the evidence bundle (relative, `/`-separated).
    pub path: String,
    /// Lower-case hex SHA-256 of the exact bytes.
    pub sha256: String,
    /// Whether the harness sent the file to the product or received it from the product.
    pub direction: FileDirection,
}

impl FileEvidence {
    /// Evidence for `bytes` stored at `path`, hashing them.
    pub fn from_bytes(path: impl Into<String>, bytes: &[u8], direction: FileDirection) -> Self {
        FileEvidence {
            path: path.into(),
            sha256: sha256_hex(bytes),
            direction,
        }
    }
}

/// Lower-case hex SHA-256 of `bytes`, as written in [`FileEvidence::sha256`].
pub fn sha256_hex(bytes: &[u8]) -> String {
    use fmt::Write as _;
    let digest = Sha256::digest(bytes);
    let mut hex = String::with_capacity(64);
    for byte in digest {
        // Writing to a String cannot fail.
        let _ = write!(hex, "{byte:02x}");
    }
    hex
}

/// Which way a file travelled.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum FileDirection {
    /// The harness gave the file to the product (import input).
    Sent,
    /// The product produced the file (export output, or its import answer).
    Received,
    /// What the product should have produced: the golden file (or expected import answer) the
    /// received side was compared with, kept so the verdict can be re-judged offline.
    Expected,
}

impl FileDirection {
    /// The serialised id (`sent`, `received`).
    pub fn id(self) -> &'static str {
        match self {
            FileDirection::Sent => "sent",
            FileDirection::Received => "received",
            FileDirection::Expected => "expected",
        }
    }
}

/// A decoded unified diff of one file against its golden file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct TextDiff {
    /// File name.
    pub file: String,
    /// Unified diff text (`similar`), golden = expected.
    pub diff: String,
}

/// A field-level difference against a golden file or a round-trip input (the checks crate's
/// golden comparison type: one definition for both).
pub use cpcert_checks::compare::{DiffKind, FieldDifference as FieldDiff};
pub use cpcert_checks::{HeldKind, MustKeepBreach, NamedField};

/// The harness's own mutation score: faults injected into the reference product and whether a
/// rule caught them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SelfTest {
    /// One entry per injected fault, sorted by id.
    pub faults: Vec<FaultOutcome>,
    /// Totals over `faults`.
    pub score: Score,
    /// One entry per permitted variant (cases/variants/), sorted by id.
    #[serde(default)]
    pub variants: Vec<VariantOutcome>,
    /// Variants that failed some case (false fails: the suite failed the innocent).
    #[serde(default)]
    pub false_fails: u32,
    /// Faults nothing caught (false passes: the suite passed the guilty).
    #[serde(default)]
    pub false_passes: u32,
    /// One entry per tolerance case, sorted by case id: each must pass against the reference
    /// and fail against at least one faulty importer (else it proves nothing).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tolerance: Vec<ToleranceOutcome>,
}

/// A tolerance case in the self-test: its verdict against the reference product and the faulty
/// importers (cases/faults/) that failed it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ToleranceOutcome {
    /// Case id, `tolerance::<role>::<case>::<variant>`.
    pub case: String,
    /// The permitted variant its input is written with.
    pub variant: String,
    /// The reference product's verdict (must be `pass`).
    pub reference: Verdict,
    /// Ids of the faulty importers that failed it, sorted (must not be empty).
    pub failed_by: Vec<String>,
}

impl ToleranceOutcome {
    /// Passed against the reference and failed by at least one faulty importer.
    pub fn proven(&self) -> bool {
        self.reference == Verdict::Pass && !self.failed_by.is_empty()
    }
}

impl SelfTest {
    /// Builds the self-test section from fault outcomes, sorting them and computing the score.
    pub fn new(faults: Vec<FaultOutcome>) -> Self {
        SelfTest::with_variants(faults, Vec::new())
    }

    /// As [`SelfTest::new`], with the permitted variants' outcomes and both rates.
    pub fn with_variants(mut faults: Vec<FaultOutcome>, mut variants: Vec<VariantOutcome>) -> Self {
        faults.sort_by(|a, b| a.id.cmp(&b.id));
        variants.sort_by(|a, b| a.id.cmp(&b.id));
        let score = Score::of(&faults);
        let false_fails = variants
            .iter()
            .filter(|v| !v.failed_cases.is_empty())
            .count() as u32;
        SelfTest {
            false_passes: score.survived,
            faults,
            score,
            variants,
            false_fails,
            tolerance: Vec::new(),
        }
    }

    /// With the tolerance cases' outcomes (sorted by case id).
    pub fn with_tolerance(mut self, mut tolerance: Vec<ToleranceOutcome>) -> Self {
        tolerance.sort_by(|a, b| a.case.cmp(&b.case));
        self.tolerance = tolerance;
        self
    }

    /// Tolerance cases that do not pass against the reference or that no faulty importer fails.
    pub fn unproven_tolerance(&self) -> Vec<&ToleranceOutcome> {
        self.tolerance.iter().filter(|t| !t.proven()).collect()
    }
}

/// One permitted variant: the reference product with one divergence the standard allows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VariantOutcome {
    /// Variant id, e.g. `created-today`.
    pub id: String,
    /// What the variant does, with the spec place that permits it.
    pub title: String,
    /// Cases that did not pass (each one a false fail).
    pub failed_cases: Vec<String>,
    /// Warning rule ids the variant drew (sorted, deduplicated).
    pub warnings: Vec<String>,
    /// Warnings the catalogue says it draws but it did not.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub missing_warnings: Vec<String>,
}

impl VariantOutcome {
    /// Passed every case and drew the warnings the catalogue names.
    pub fn passed(&self) -> bool {
        self.failed_cases.is_empty() && self.missing_warnings.is_empty()
    }
}

/// One injected fault.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FaultOutcome {
    /// Fault id, e.g. `upplan-insured-no-9-digits`.
    pub id: String,
    /// What the fault does.
    pub title: String,
    /// The rule meant to catch it.
    pub intended_rule: String,
    /// Rules that fired (sorted, deduplicated).
    pub caught_by: Vec<String>,
    /// Whether the intended rule caught it.
    pub status: FaultStatus,
}

/// Whether an injected fault was caught.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FaultStatus {
    /// The intended rule fired.
    Caught,
    /// No rule fired: a hole in the harness.
    Survived,
    /// Some rule fired, but not the intended one.
    CaughtByOther,
}

impl FaultStatus {
    /// The serialised id (`caught`, `survived`, `caught-by-other`).
    pub fn id(self) -> &'static str {
        match self {
            FaultStatus::Caught => "caught",
            FaultStatus::Survived => "survived",
            FaultStatus::CaughtByOther => "caught-by-other",
        }
    }
}

/// Mutation score totals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Score {
    /// Faults caught by their intended rule.
    pub caught: u32,
    /// Faults caught only by another rule (still detected, but the intended rule has a hole).
    pub caught_by_other: u32,
    /// Faults nothing caught.
    pub survived: u32,
    /// All faults.
    pub total: u32,
}

impl Score {
    /// Counts `faults` by status.
    pub fn of(faults: &[FaultOutcome]) -> Self {
        let mut score = Score::default();
        for fault in faults {
            match fault.status {
                FaultStatus::Caught => score.caught += 1,
                FaultStatus::CaughtByOther => score.caught_by_other += 1,
                FaultStatus::Survived => score.survived += 1,
            }
            score.total += 1;
        }
        score
    }

    /// Detected faults (caught by any rule).
    pub fn detected(&self) -> u32 {
        self.caught + self.caught_by_other
    }
}

/// Number of outcomes per verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Counts {
    /// Passed cases.
    pub pass: usize,
    /// Failed cases.
    pub fail: usize,
    /// Cases that could not be run.
    pub error: usize,
    /// Cases that do not apply.
    pub not_applicable: usize,
    /// All cases.
    pub total: usize,
}

impl Results {
    /// Sorts outcomes by case id (stable, so equal ids keep their order) and self-test faults by
    /// id, so that every rendering of the same run is byte-identical.
    pub fn sort(&mut self) {
        self.outcomes.sort_by(|a, b| a.case.cmp(&b.case));
        if let Some(selftest) = &mut self.selftest {
            selftest.faults.sort_by(|a, b| a.id.cmp(&b.id));
        }
    }

    /// Whether the run executed every case of the suite (false when unknown).
    pub fn is_complete(&self) -> bool {
        self.coverage
            .as_ref()
            .is_some_and(crate::Coverage::complete)
    }

    /// Outcomes in case id order, whether or not [`Results::sort`] was called.
    pub fn sorted_outcomes(&self) -> Vec<&Outcome> {
        let mut outcomes: Vec<&Outcome> = self.outcomes.iter().collect();
        outcomes.sort_by(|a, b| a.case.cmp(&b.case));
        outcomes
    }

    /// Number of outcomes per verdict.
    pub fn counts(&self) -> Counts {
        self.counts_of(|_| true)
    }

    /// Number of tolerance outcomes per verdict (the `tolerance` group: import cases whose
    /// input is written in a permitted way); `None` when the run has none.
    pub fn tolerance_counts(&self) -> Option<Counts> {
        let counts = self.counts_of(Outcome::is_tolerance);
        (counts.total > 0).then_some(counts)
    }

    fn counts_of(&self, keep: impl Fn(&Outcome) -> bool) -> Counts {
        let mut counts = Counts::default();
        for outcome in self.outcomes.iter().filter(|o| keep(o)) {
            match outcome.verdict {
                Verdict::Pass => counts.pass += 1,
                Verdict::Fail => counts.fail += 1,
                Verdict::Error => counts.error += 1,
                Verdict::NotApplicable => counts.not_applicable += 1,
            }
            counts.total += 1;
        }
        counts
    }

    /// The results as they may be published: personal values in findings and field diffs
    /// replaced by [`crate::MASK`], decoded text diffs and adapter error text dropped.
    pub fn masked(&self) -> Results {
        let mut out = self.clone();
        for o in &mut out.outcomes {
            mask_outcome(o);
        }
        out
    }

    /// The process exit code (DESIGN.md): 0 when every case passed or was not applicable, 1 when
    /// any failed, 3 when any could not be run. Error wins over fail because a run with holes in
    /// it cannot certify anything, and the action (fix the setup) comes before fixing the product.
    pub fn exit_code(&self) -> u8 {
        let counts = self.counts();
        if counts.error > 0 {
            exit::INFRA
        } else if counts.fail > 0 {
            exit::FAILED
        } else {
            exit::OK
        }
    }
}

/// One outcome as it may be published ([`Results::masked`]).
pub(crate) fn mask_outcome(o: &mut Outcome) {
    o.findings = o
        .findings
        .iter()
        .map(|f| crate::text::shown_finding(f, true))
        .collect();
    o.diffs = o
        .diffs
        .iter()
        .map(|d| crate::text::shown_diff(d, true))
        .collect();
    o.text_diffs.clear();
    if o.error.is_some() {
        o.error = Some(crate::MASK.to_owned());
    }
    if o.error_ja.is_some() {
        o.error_ja = Some(crate::MASK.to_owned());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_of_empty_input() {
        assert_eq!(
            sha256_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    #[test]
    fn enums_serialise_as_the_contract_says() {
        assert_eq!(
            serde_json::to_string(&Requirement::Required).unwrap(),
            "\"○\""
        );
        assert_eq!(
            serde_json::to_string(&Requirement::Optional).unwrap(),
            "\"△\""
        );
        assert_eq!(
            serde_json::to_string(&Verdict::NotApplicable).unwrap(),
            "\"not-applicable\""
        );
        assert_eq!(
            serde_json::to_string(&Direction::Roundtrip).unwrap(),
            "\"roundtrip\""
        );
        assert_eq!(
            serde_json::to_string(&FileDirection::Received).unwrap(),
            "\"received\""
        );
        assert_eq!(
            serde_json::to_string(&FaultStatus::CaughtByOther).unwrap(),
            "\"caught-by-other\""
        );
    }

    fn with_verdicts(verdicts: &[Verdict]) -> Results {
        Results {
            schema_version: SCHEMA_VERSION,
            tool: Tool {
                name: "cpcert".into(),
                version: "0".into(),
            },
            suite: Suite {
                name: "s".into(),
                version: "0".into(),
            },
            spec_version: "202407".into(),
            product: Product {
                name: "p".into(),
                version: "1".into(),
                roles: vec![],
            },
            run: Run {
                id: "r".into(),
                started: "2026-01-01T00:00:00Z".into(),
            },
            selection: None,
            coverage: None,
            outcomes: verdicts
                .iter()
                .enumerate()
                .map(|(i, &verdict)| Outcome {
                    case: format!("c{i}"),
                    title: String::new(),
                    spec_place: String::new(),
                    role: Role::Planner,
                    direction: Direction::Export,
                    kinds: vec![],
                    required: Requirement::Required,
                    verdict,
                    findings: vec![],
                    diffs: vec![],
                    text_diffs: vec![],
                    files: vec![],
                    file_kinds: Default::default(),
                    error: None,
                    error_ja: None,
                    duration_ms: None,
                    held: Vec::new(),
                    tolerance: None,
                })
                .collect(),
            confinement: None,
            selftest: None,
        }
    }

    #[test]
    fn exit_codes() {
        use Verdict::*;
        assert_eq!(with_verdicts(&[]).exit_code(), exit::OK);
        assert_eq!(with_verdicts(&[Pass, NotApplicable]).exit_code(), exit::OK);
        assert_eq!(with_verdicts(&[NotApplicable]).exit_code(), exit::OK);
        assert_eq!(
            with_verdicts(&[Pass, Fail, NotApplicable]).exit_code(),
            exit::FAILED
        );
        assert_eq!(with_verdicts(&[Pass, Error]).exit_code(), exit::INFRA);
        // Error wins over fail.
        assert_eq!(with_verdicts(&[Fail, Error, Fail]).exit_code(), exit::INFRA);
    }

    #[test]
    fn the_error_is_said_in_the_report_language() {
        use cpcert_checks::{Lang, Msg};
        let mut o = with_verdicts(&[Verdict::Error]).outcomes.remove(0);
        assert_eq!((o.error_in(Lang::Ja), o.error_in(Lang::En)), (None, None));
        // Results written before `error_ja` existed: Japanese falls back to the English text.
        o.error = Some("adapter exited".into());
        assert_eq!(o.error_in(Lang::Ja), Some("adapter exited"));
        o.set_error(&Msg::new("アダプタが終了しました", "adapter exited"));
        assert_eq!(o.error_in(Lang::Ja), Some("アダプタが終了しました"));
        assert_eq!(o.error_in(Lang::En), Some("adapter exited"));
        // Both are masked in published output.
        let mut results = with_verdicts(&[]);
        results.outcomes.push(o);
        let masked = results.masked();
        assert_eq!(masked.outcomes[0].error.as_deref(), Some(crate::MASK));
        assert_eq!(masked.outcomes[0].error_ja.as_deref(), Some(crate::MASK));
    }

    #[test]
    fn counts_per_verdict() {
        use Verdict::*;
        let counts = with_verdicts(&[Pass, Pass, Fail, Error, NotApplicable]).counts();
        assert_eq!(
            counts,
            Counts {
                pass: 2,
                fail: 1,
                error: 1,
                not_applicable: 1,
                total: 5
            }
        );
    }

    #[test]
    fn score_counts_by_status() {
        let fault = |id: &str, status| FaultOutcome {
            id: id.into(),
            title: String::new(),
            intended_rule: "r".into(),
            caught_by: vec![],
            status,
        };
        let selftest = SelfTest::new(vec![
            fault("b", FaultStatus::Survived),
            fault("a", FaultStatus::Caught),
            fault("c", FaultStatus::CaughtByOther),
        ]);
        assert_eq!(selftest.faults[0].id, "a");
        assert_eq!(
            selftest.score,
            Score {
                caught: 1,
                caught_by_other: 1,
                survived: 1,
                total: 3
            }
        );
        assert_eq!(selftest.score.detected(), 2);
    }
}
