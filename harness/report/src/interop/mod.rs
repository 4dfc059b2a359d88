//! `interop.json`: what `cpcert interop` found when each sender's exported files went into each
//! receiver's import, one outcome per (sender, receiver, case), and its renderers (the HTML
//! matrix, JUnit, the Markdown summary, the terminal lines).
//!
//! The same contract rules as `results.json`: versioned, additive (new fields with
//! `#[serde(default)]`), no maps with unstable order, times and run ids injected. Each outcome
//! carries an [`Outcome`] of the same shape as `results.json`'s (the receiver's import judged by
//! the same judge as certify), and the sender's own check as another [`Outcome`].

pub mod html;
pub mod junit;
pub mod summary;

use cpcert_spec::Role;
use serde::{Deserialize, Serialize};

use crate::exit;
use crate::results::{Outcome, Run, Suite, Tool, Verdict};

/// The `schema_version` of `interop.json` written by this crate.
pub const INTEROP_SCHEMA_VERSION: u32 = 1;

/// The whole of one interop run (`interop.json`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct InteropResults {
    /// Version of this schema; [`INTEROP_SCHEMA_VERSION`] when written by this crate.
    pub schema_version: u32,
    /// The harness that produced the results.
    pub tool: Tool,
    /// The case suite whose import cases were run.
    pub suite: Suite,
    /// CSVバージョン of the layouts, e.g. `"202407"`.
    pub spec_version: String,
    /// Identity and start time of the run.
    pub run: Run,
    /// What the run was asked to run.
    pub selection: InteropSelection,
    /// The senders, in the order asked (rows of the matrix).
    pub senders: Vec<Party>,
    /// The receivers, in the order asked (columns of the matrix).
    pub receivers: Vec<Party>,
    /// The listing's patterns (D1–D7) the matrix is broken down by (spec data).
    pub patterns: Vec<PatternRef>,
    /// One outcome per (sender, receiver, import case), sorted by sender, receiver (in the order
    /// of `senders` and `receivers`), then case id.
    pub outcomes: Vec<InteropOutcome>,
}

/// What an interop run was asked to run (the command line, as given).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct InteropSelection {
    /// `--sender` values (empty: the built-in products).
    pub senders: Vec<String>,
    /// `--receiver` values (empty: the built-in products).
    pub receivers: Vec<String>,
    /// `--fault-receivers`: every importer fault of the catalogue as a receiver.
    pub fault_receivers: bool,
    /// `--variant-senders`: the reference writing each permitted variant of the catalogue as a
    /// sender.
    #[serde(default)]
    pub variant_senders: bool,
    /// `--filter` values (case id substrings; empty: every import case).
    #[serde(default)]
    pub filters: Vec<String>,
}

/// One product taking part: a sender, a receiver, or both.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Party {
    /// Id as given (`reference`, `reference:fault=taka-variant`, a vendor name or file, a bundle
    /// file): what `sender`/`receiver` of an outcome say.
    pub id: String,
    /// What kind of product it is.
    pub kind: PartyKind,
    /// Product name (from its start, or the bundle's results).
    pub name: String,
    /// Product version.
    pub version: String,
    /// The roles it claims.
    pub roles: Vec<Role>,
    /// The reference fault it carries (`reference:fault=ID`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fault: Option<String>,
    /// What the fault does (Japanese, from the catalogue).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fault_title: Option<String>,
    /// The permitted variant the reference writes with (`reference:variant=ID`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variant: Option<String>,
    /// What the variant does and where the standard permits it (from the catalogue).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variant_title: Option<String>,
    /// A bundle's run id and challenge, or a vendor description's file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// Where a party comes from.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum PartyKind {
    /// A product built into cpcert (the reference, the alternate product).
    BuiltIn,
    /// The reference product with an injected fault.
    Faulty,
    /// The reference product writing one way the standard permits (a sender only).
    Variant,
    /// A vendor description (protocol or manual adapter).
    Vendor,
    /// The files of an earlier certification (`bundle.cpcert`): a sender only.
    Bundle,
}

/// One listing pattern as the matrix shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PatternRef {
    /// `D1` … `D7`.
    pub id: String,
    /// Japanese name.
    pub name_ja: String,
    /// English name.
    pub name_en: String,
    /// The pattern's file kinds.
    pub kinds: Vec<String>,
}

/// Who a failed exchange is blamed on.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Blame {
    /// The sender's files break the standard (its export check failed): what the receiver
    /// understood cannot be held against it.
    Sender,
    /// The sender's files are right; the receiver understood them otherwise.
    Receiver,
}

/// Why an exchange was not run, or failed before anything was compared (the detail, such as
/// the product's own message, is the outcome's `error`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "why", rename_all = "kebab-case")]
pub enum Why {
    /// The sender product could not be started (not run).
    SenderNotStarted,
    /// The receiver product could not be started (not run).
    ReceiverNotStarted,
    /// The sender product could not be run for the export (not run).
    SenderCouldNotExport,
    /// The sender product refused to export the scenario (×, the sender's).
    SenderRefused,
    /// The receiver product refused the files (×, the receiver's).
    ReceiverRefused,
    /// The receiver product could not be run for the import (not run).
    ReceiverCouldNotImport,
    /// The suite cannot make what the exchange is judged by (a scenario, the reference's answer).
    Suite,
    /// The sender bundle holds no outcome of the export case (a partial certification).
    BundleWithoutCase {
        /// The export case.
        case: String,
    },
    /// The export case did not apply to the certified product.
    BundleCaseNotApplicable {
        /// The export case.
        case: String,
    },
    /// The export case could not be run in that certification.
    BundleCaseNotRun {
        /// The export case.
        case: String,
    },
    /// The bundle's scenario is not this suite's: the certified export is of other data.
    BundleOtherScenario {
        /// The scenario file.
        scenario: String,
    },
    /// The certified product exported no file in the export case.
    BundleWithoutFiles {
        /// The export case.
        case: String,
    },
    /// The bundle lacks an evidence file (masked: kept as its hash only).
    BundleWithoutFile {
        /// The bundle entry.
        entry: String,
        /// The bundle was made with `--mask`.
        masked: bool,
    },
}

impl Why {
    /// The reason in `lang`.
    pub fn text(&self, lang: cpcert_checks::Lang) -> String {
        use cpcert_checks::Lang::{En, Ja};
        match (self, lang) {
            (Why::SenderNotStarted, Ja) => "送信側の製品を起動できません".to_owned(),
            (Why::SenderNotStarted, En) => "the sender could not be started".to_owned(),
            (Why::ReceiverNotStarted, Ja) => "受信側の製品を起動できません".to_owned(),
            (Why::ReceiverNotStarted, En) => "the receiver could not be started".to_owned(),
            (Why::SenderCouldNotExport, Ja) => "送信側の製品に出力させられません".to_owned(),
            (Why::SenderCouldNotExport, En) => "the sender could not be run to export".to_owned(),
            (Why::SenderRefused, Ja) => "送信側の製品がシナリオの出力を拒否しました".to_owned(),
            (Why::SenderRefused, En) => "the sender refused to export the scenario".to_owned(),
            (Why::ReceiverRefused, Ja) => "受信側の製品がファイルの取込を拒否しました".to_owned(),
            (Why::ReceiverRefused, En) => "the receiver refused the files".to_owned(),
            (Why::ReceiverCouldNotImport, Ja) => "受信側の製品に取り込ませられません".to_owned(),
            (Why::ReceiverCouldNotImport, En) => {
                "the receiver could not be run to import".to_owned()
            }
            (Why::Suite, Ja) => "スイートから判定の基準を作れません".to_owned(),
            (Why::Suite, En) => "the suite cannot make what the exchange is judged by".to_owned(),
            (Why::BundleWithoutCase { case }, Ja) => {
                format!("送信側のバンドルに出力ケース `{case}` の結果がありません（部分実行）")
            }
            (Why::BundleWithoutCase { case }, En) => {
                format!(
                    "the sender bundle holds no outcome of the export case `{case}` (a partial run)"
                )
            }
            (Why::BundleCaseNotApplicable { case }, Ja) => {
                format!("出力ケース `{case}` は認証された製品の対象外でした")
            }
            (Why::BundleCaseNotApplicable { case }, En) => {
                format!("the export case `{case}` did not apply to the certified product")
            }
            (Why::BundleCaseNotRun { case }, Ja) => {
                format!("出力ケース `{case}` はその認証で試験不能でした")
            }
            (Why::BundleCaseNotRun { case }, En) => {
                format!("the export case `{case}` could not be run in that certification")
            }
            (Why::BundleWithoutFiles { case }, Ja) => {
                format!("認証された製品は出力ケース `{case}` でファイルを出力していません")
            }
            (Why::BundleWithoutFiles { case }, En) => {
                format!("the certified product exported no file in the export case `{case}`")
            }
            (Why::BundleOtherScenario { scenario }, Ja) => format!(
                "バンドルの `{scenario}` がこのスイートのものと違います（認証時の出力は別のデータのもの）"
            ),
            (Why::BundleOtherScenario { scenario }, En) => format!(
                "the bundle's `{scenario}` is not this suite's: the certified export is of other data"
            ),
            (
                Why::BundleWithoutFile {
                    entry,
                    masked: true,
                },
                Ja,
            ) => {
                format!("`{entry}` はバンドルでマスクされています（--mask でハッシュのみ）")
            }
            (
                Why::BundleWithoutFile {
                    entry,
                    masked: true,
                },
                En,
            ) => {
                format!("`{entry}` is masked in the bundle (--mask keeps its hash only)")
            }
            (Why::BundleWithoutFile { entry, .. }, Ja) => {
                format!("バンドルに `{entry}` がありません")
            }
            (Why::BundleWithoutFile { entry, .. }, En) => {
                format!("the bundle does not hold `{entry}`")
            }
        }
    }
}

/// One (sender, receiver, case) exchange.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct InteropOutcome {
    /// The sender's [`Party::id`].
    pub sender: String,
    /// The receiver's [`Party::id`].
    pub receiver: String,
    /// The role the sender wrote the files as.
    pub sender_role: Role,
    /// The listing patterns (D1–D7) the case belongs to.
    pub patterns: Vec<String>,
    /// Who the failure is blamed on (verdict `fail` only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blame: Option<Blame>,
    /// Why the exchange was not run, or failed before a comparison (a refusal).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub why: Option<Why>,
    /// The receiver's import judged against what the sender meant (the expected held records
    /// of the case's scenario): `case` is the import case, `files` the files sent, the answer
    /// received and the answer expected. Verdict `error`: the cell was not run (`error` says
    /// why); `not-applicable`: a role one side does not claim.
    pub outcome: Outcome,
    /// The sender's files judged as its export of the scenario (validation and the value
    /// comparison of certify's export case), when they were made.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sender_check: Option<Outcome>,
}

impl InteropOutcome {
    /// The cell's mark.
    pub fn mark(&self) -> Mark {
        match self.outcome.verdict {
            Verdict::Pass => Mark::Pass,
            Verdict::Fail => Mark::Fail,
            Verdict::Error => Mark::NotRun,
            Verdict::NotApplicable => Mark::NotApplicable,
        }
    }

    /// Fields the receiver holds otherwise than the sender meant.
    pub fn differing_fields(&self) -> usize {
        self.outcome.diffs.len()
    }

    /// The kinds a failure is blamed on: the kinds of the receiver's differences (a held
    /// difference names its kind) and of the sender check's failures; every kind of the case
    /// when the failure names none (a refusal).
    pub fn failed_kinds(&self) -> Vec<String> {
        if self.outcome.verdict != Verdict::Fail {
            return Vec::new();
        }
        let mut kinds: Vec<String> = Vec::new();
        let mut unattributed = self.outcome.error.is_some();
        for d in &self.outcome.diffs {
            match kind_named(&self.outcome, &d.file) {
                Some(k) => kinds.push(k.to_owned()),
                None => unattributed = true,
            }
        }
        if let Some(check) = &self.sender_check {
            kinds.extend(check.failed_kinds().into_iter().map(str::to_owned));
        }
        if unattributed || kinds.is_empty() {
            kinds.extend(self.outcome.kinds.iter().cloned());
        }
        kinds.sort();
        kinds.dedup();
        kinds
    }

    /// Differing fields on `kinds` (a held difference names its kind).
    pub fn differing_fields_in(&self, kinds: &[String]) -> usize {
        self.outcome
            .diffs
            .iter()
            .filter(|d| {
                kind_named(&self.outcome, &d.file).is_some_and(|k| kinds.iter().any(|x| x == k))
            })
            .count()
    }
}

/// The kind a difference's `file` names: a held difference names the kind itself, a file
/// difference a file whose kind the outcome knows.
fn kind_named<'a>(outcome: &'a Outcome, file: &'a str) -> Option<&'a str> {
    outcome.kind_of_file(file).or_else(|| {
        outcome
            .kinds
            .iter()
            .find(|k| *k == file)
            .map(String::as_str)
    })
}

/// A cell's mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Mark {
    /// ○: what the receiver holds is what the sender meant.
    Pass,
    /// ×: it is not (or the sender's files break the standard).
    Fail,
    /// 未実施: the exchange could not be run.
    NotRun,
    /// —: no case (a role one side does not claim).
    NotApplicable,
}

impl Mark {
    /// The mark as shown.
    pub fn symbol(self, lang: cpcert_checks::Lang) -> &'static str {
        match (self, lang) {
            (Mark::Pass, _) => "○",
            (Mark::Fail, _) => "×",
            (Mark::NotRun, cpcert_checks::Lang::Ja) => "未実施",
            (Mark::NotRun, cpcert_checks::Lang::En) => "not run",
            (Mark::NotApplicable, _) => "—",
        }
    }

    /// CSS class and stable id.
    pub fn id(self) -> &'static str {
        match self {
            Mark::Pass => "pass",
            Mark::Fail => "fail",
            Mark::NotRun => "not-run",
            Mark::NotApplicable => "na",
        }
    }

    /// Folds two marks of one cell: not run wins (a hole), then ×, then ○.
    fn fold(self, other: Mark) -> Mark {
        use Mark::*;
        match (self, other) {
            (NotRun, _) | (_, NotRun) => NotRun,
            (Fail, _) | (_, Fail) => Fail,
            (Pass, _) | (_, Pass) => Pass,
            _ => NotApplicable,
        }
    }
}

/// One cell of a matrix: the folded mark of its outcomes and the count of differing fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    /// The mark.
    pub mark: Mark,
    /// Differing fields over the cell's failed outcomes (on the cell's kinds).
    pub differing: usize,
    /// Failed outcomes blamed on the sender.
    pub sender_blamed: usize,
    /// Outcomes folded into the cell.
    pub cases: usize,
}

/// Which slice of the outcomes a matrix shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slice<'a> {
    /// Every case.
    All,
    /// The cases of one listing pattern, judged on its kinds.
    Pattern(&'a PatternRef),
    /// The cases carrying one file kind, judged on it.
    Kind(&'a str),
}

impl InteropResults {
    /// Sorts outcomes: sender and receiver in the order of [`InteropResults::senders`] and
    /// [`InteropResults::receivers`], then case id.
    pub fn sort(&mut self) {
        let pos =
            |list: &[Party], id: &str| list.iter().position(|p| p.id == id).unwrap_or(usize::MAX);
        let (s, r) = (self.senders.clone(), self.receivers.clone());
        self.outcomes.sort_by(|a, b| {
            (pos(&s, &a.sender), pos(&r, &a.receiver), &a.outcome.case).cmp(&(
                pos(&s, &b.sender),
                pos(&r, &b.receiver),
                &b.outcome.case,
            ))
        });
    }

    /// The outcomes of one (sender, receiver) pair.
    pub fn pair(&self, sender: &str, receiver: &str) -> Vec<&InteropOutcome> {
        self.outcomes
            .iter()
            .filter(|o| o.sender == sender && o.receiver == receiver)
            .collect()
    }

    /// The cell of (sender, receiver) in `slice`.
    pub fn cell(&self, sender: &str, receiver: &str, slice: Slice<'_>) -> Cell {
        let mut cell = Cell {
            mark: Mark::NotApplicable,
            differing: 0,
            sender_blamed: 0,
            cases: 0,
        };
        for o in self.pair(sender, receiver) {
            let (mark, differing) = match slice {
                Slice::All => (o.mark(), o.differing_fields()),
                Slice::Pattern(p) => {
                    if !o.patterns.contains(&p.id) {
                        continue;
                    }
                    on_kinds(o, &p.kinds)
                }
                Slice::Kind(k) => {
                    if !o.outcome.kinds.iter().any(|x| x == k) {
                        continue;
                    }
                    on_kinds(o, &[k.to_owned()])
                }
            };
            if mark == Mark::NotApplicable {
                continue;
            }
            cell.cases += 1;
            cell.mark = cell.mark.fold(mark);
            if mark == Mark::Fail {
                cell.differing += differing;
                if o.blame == Some(Blame::Sender) {
                    cell.sender_blamed += 1;
                }
            }
        }
        cell
    }

    /// Every file kind some outcome carries, sorted.
    pub fn kinds(&self) -> Vec<String> {
        let mut kinds: Vec<String> = self
            .outcomes
            .iter()
            .flat_map(|o| o.outcome.kinds.iter().cloned())
            .collect();
        kinds.sort();
        kinds.dedup();
        kinds
    }

    /// Number of outcomes per mark: (○, ×, not run, not applicable).
    pub fn counts(&self) -> (usize, usize, usize, usize) {
        let mut c = (0, 0, 0, 0);
        for o in &self.outcomes {
            match o.mark() {
                Mark::Pass => c.0 += 1,
                Mark::Fail => c.1 += 1,
                Mark::NotRun => c.2 += 1,
                Mark::NotApplicable => c.3 += 1,
            }
        }
        c
    }

    /// The exit code (the one table, [`crate::exit`]): 3 when a cell could not be run, else 1
    /// when any cell is ×, else 0. A run in which nothing ran is not a pass either (3).
    pub fn exit_code(&self) -> u8 {
        let (pass, fail, not_run, _) = self.counts();
        if not_run > 0 || pass + fail == 0 {
            exit::INFRA
        } else if fail > 0 {
            exit::FAILED
        } else {
            exit::OK
        }
    }

    /// The results as they may be published: personal values masked in both outcomes.
    pub fn masked(&self) -> InteropResults {
        let mut out = self.clone();
        for o in &mut out.outcomes {
            crate::results::mask_outcome(&mut o.outcome);
            if let Some(check) = &mut o.sender_check {
                crate::results::mask_outcome(check);
            }
        }
        out
    }
}

/// The mark of an outcome on some kinds: × only when the failure is blamed on one of them.
fn on_kinds(o: &InteropOutcome, kinds: &[String]) -> (Mark, usize) {
    match o.mark() {
        Mark::Fail => {
            if o.failed_kinds().iter().any(|k| kinds.contains(k)) {
                (Mark::Fail, o.differing_fields_in(kinds))
            } else {
                (Mark::Pass, 0)
            }
        }
        other => (other, 0),
    }
}

/// The folder of a (sender, receiver) pair's evidence under `<out>/evidence/`: both ids with
/// every character but ASCII letters, digits, `.`, `_` and `-` replaced by `_`, and the ids'
/// hash so that two ids made alike stay apart (`reference~reference_fault_taka-variant~1a2b3c4d`).
pub fn pair_folder(sender: &str, receiver: &str) -> String {
    let safe = |id: &str| -> String {
        id.chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                    c
                } else {
                    '_'
                }
            })
            .collect::<String>()
            .trim_start_matches('.')
            .to_owned()
    };
    let hash = crate::results::sha256_hex(format!("{sender}\n{receiver}").as_bytes());
    format!("{}~{}~{}", safe(sender), safe(receiver), &hash[..8])
}

/// `interop.json`: pretty JSON in struct field order with a trailing newline, outcomes sorted.
pub fn render_json(results: &InteropResults) -> String {
    let mut sorted = results.clone();
    sorted.sort();
    // Strings, numbers, enums and vectors only: serialising cannot fail.
    let mut text = serde_json::to_string_pretty(&sorted).expect("interop results serialise");
    text.push('\n');
    text
}

/// The JSON Schema of `interop.json`, pretty-printed with a final newline (committed as
/// `docs/schema/interop.schema.json`, kept current by a test).
pub fn schema_json() -> String {
    let schema = schemars::schema_for!(InteropResults);
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}
