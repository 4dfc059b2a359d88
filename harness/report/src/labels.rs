//! Report wording in Japanese and English. The templates print these; they hold no words.

use cpcert_checks::{Lang, Severity};

use cpcert_spec::Role;

use crate::matrix::{CellState, MatrixDirection};
use crate::results::{Direction, FaultStatus, FileDirection, Requirement, Verdict};

/// Every fixed string the HTML report shows.
pub(crate) struct Labels {
    pub(crate) html_lang: &'static str,
    pub(crate) title: &'static str,
    pub(crate) subtitle: &'static str,
    pub(crate) product: &'static str,
    pub(crate) version: &'static str,
    pub(crate) roles: &'static str,
    pub(crate) started: &'static str,
    pub(crate) suite: &'static str,
    pub(crate) spec_version: &'static str,
    pub(crate) tool: &'static str,
    pub(crate) run_id: &'static str,
    pub(crate) selection: &'static str,
    pub(crate) coverage: &'static str,
    pub(crate) confinement: &'static str,
    pub(crate) landlock: &'static str,
    pub(crate) detection_only: &'static str,
    pub(crate) totals: &'static str,
    pub(crate) total: &'static str,
    pub(crate) matrix: &'static str,
    pub(crate) matrix_note: &'static str,
    pub(crate) file_kind: &'static str,
    pub(crate) legend: &'static str,
    pub(crate) unmatched: &'static str,
    pub(crate) cases: &'static str,
    pub(crate) case: &'static str,
    pub(crate) case_title: &'static str,
    pub(crate) tolerance: &'static str,
    pub(crate) tolerance_intro: &'static str,
    pub(crate) written_as: &'static str,
    pub(crate) tolerance_selftest_note: &'static str,
    pub(crate) tolerance_proven: &'static str,
    pub(crate) tolerance_failed_by: &'static str,
    pub(crate) tolerance_unproven: &'static str,
    pub(crate) base_case: &'static str,
    pub(crate) role: &'static str,
    pub(crate) direction: &'static str,
    pub(crate) kinds: &'static str,
    pub(crate) requirement: &'static str,
    pub(crate) verdict: &'static str,
    pub(crate) findings: &'static str,
    pub(crate) spec_place: &'static str,
    pub(crate) duration: &'static str,
    pub(crate) error: &'static str,
    pub(crate) files: &'static str,
    pub(crate) path: &'static str,
    pub(crate) rule: &'static str,
    pub(crate) severity: &'static str,
    pub(crate) file: &'static str,
    pub(crate) record: &'static str,
    pub(crate) line: &'static str,
    pub(crate) field_no: &'static str,
    pub(crate) field_name: &'static str,
    pub(crate) expected: &'static str,
    pub(crate) actual: &'static str,
    pub(crate) message: &'static str,
    pub(crate) diffs: &'static str,
    pub(crate) held: &'static str,
    pub(crate) held_records: &'static str,
    pub(crate) held_kept: &'static str,
    pub(crate) held_not_kept: &'static str,
    pub(crate) held_wrong: &'static str,
    pub(crate) held_must_keep: &'static str,
    pub(crate) text_diff: &'static str,
    pub(crate) no_findings: &'static str,
    pub(crate) masked_note: &'static str,
    pub(crate) selftest: &'static str,
    pub(crate) selftest_note: &'static str,
    pub(crate) score: &'static str,
    pub(crate) fault: &'static str,
    pub(crate) intended_rule: &'static str,
    pub(crate) caught_by: &'static str,
    pub(crate) status: &'static str,
    pub(crate) variant: &'static str,
    pub(crate) variants_note: &'static str,
    pub(crate) rates: &'static str,
    pub(crate) false_fails: &'static str,
    pub(crate) false_passes: &'static str,
    pub(crate) failed_cases: &'static str,
    pub(crate) warnings_drawn: &'static str,
    pub(crate) generated_by: &'static str,
    pub(crate) back_to_top: &'static str,
}

const JA: Labels = Labels {
    html_lang: "ja",
    title: "ケアプランデータ連携標準仕様 適合性試験 結果報告書",
    subtitle: "ベンダー試験（出力・取込）の結果",
    product: "製品名",
    version: "バージョン",
    roles: "対象事業所種別",
    started: "試験開始日時",
    suite: "試験ケース集",
    spec_version: "CSVバージョン",
    tool: "試験ツール",
    run_id: "実行ID",
    selection: "選択",
    coverage: "実行範囲",
    confinement: "書き込み制限",
    landlock: "Landlock ABI {abi}（サンドボックス外への書き込みを拒否）",
    detection_only: "なし（検出のみ: サンドボックス外への書き込みは拒否されず、検出した場合は実行エラー）",
    totals: "判定の集計",
    total: "合計",
    matrix: "ファイル種別ごとの試験結果",
    matrix_note: "記号をクリックすると該当する試験ケースへ移動します。",
    file_kind: "ファイル種別",
    legend: "凡例",
    unmatched: "役割・ファイル種別の対応表にない試験ケース（ケースまたは仕様データの誤りの可能性）",
    cases: "試験ケース一覧",
    case: "ケースID",
    case_title: "内容",
    tolerance: "許容される書き方の取込（tolerance）",
    tolerance_intro: "取込ケースの入力を、規格が許す別の書き方（cases/variants/ の許容される差異）で送信側が書いたもの。製品は標準の書き方の入力と同じに理解しなければならない（期待値は標準の入力を参照実装が取り込んだ内容）。",
    written_as: "書き方",
    tolerance_selftest_note: "各ケースは参照実装で合格し、かつ少なくとも1つの故障した取込（cases/faults/）で不合格にならなければなりません（どの故障でも不合格にならないケースは何も証明しません）。",
    tolerance_proven: "検証済み",
    tolerance_failed_by: "不合格にした故障",
    tolerance_unproven: "未証明のケース",
    base_case: "元の取込ケース",
    role: "事業所種別",
    direction: "区分",
    kinds: "ファイル種別",
    requirement: "要否",
    verdict: "判定",
    findings: "指摘",
    spec_place: "仕様の該当箇所",
    duration: "所要時間",
    error: "試験不能の理由",
    files: "授受ファイル（証跡）",
    path: "パス",
    rule: "規則",
    severity: "重大度",
    file: "ファイル",
    record: "レコード",
    line: "行",
    field_no: "項目No.",
    field_name: "項目名",
    expected: "期待値",
    actual: "実際の値",
    message: "内容",
    diffs: "項目単位の差異",
    held: "取込後に保持している内容（ファイル種別ごと）",
    held_records: "レコード数（期待／実際）",
    held_kept: "保持して比較した項目数",
    held_not_kept: "保持しない項目（製品の宣言）",
    held_wrong: "値が誤っている項目",
    held_must_keep: "受信側が保持すべき項目を保持しないと宣言しています",
    text_diff: "復号したテキストの差分（期待＝ゴールデン）",
    no_findings: "指摘はありません。",
    masked_note: "個人情報に当たる値は＊＊＊で伏せています。",
    selftest: "試験ツールの自己検証（故障注入）",
    selftest_note: "参照実装に故障を注入し、意図した規則が検出したかを示します。",
    score: "検出率",
    fault: "注入した故障",
    intended_rule: "検出すべき規則",
    caught_by: "検出した規則",
    status: "結果",
    variant: "許容される差異",
    variants_note: "参照実装を仕様が許す範囲で1点だけ変えたもの。すべてのケースに合格しなければなりません。",
    rates: "誤判定",
    false_fails: "誤って不合格（許容される差異）",
    false_passes: "誤って合格（未検出の故障）",
    failed_cases: "不合格のケース",
    warnings_drawn: "警告",
    generated_by: "作成",
    back_to_top: "先頭へ",
};

const EN: Labels = Labels {
    html_lang: "en",
    title: "Care Plan Data Exchange Standard — Conformance Test Report",
    subtitle: "Vendor test results (export and import)",
    product: "Product",
    version: "Version",
    roles: "Office roles",
    started: "Started",
    suite: "Case suite",
    spec_version: "CSV layout version",
    tool: "Test tool",
    run_id: "Run id",
    selection: "Selection",
    coverage: "Cases run",
    confinement: "Confinement",
    landlock: "Landlock ABI {abi} (writes outside the sandboxes refused)",
    detection_only: "unavailable: detection only (writes outside the sandboxes are not refused; those detected are errors)",
    totals: "Verdicts",
    total: "Total",
    matrix: "Results by file kind",
    matrix_note: "Click a mark to go to its test case.",
    file_kind: "File kind",
    legend: "Legend",
    unmatched: "Cases outside the role matrix (the case or the spec data may be wrong)",
    cases: "Test cases",
    case: "Case id",
    case_title: "Title",
    tolerance: "Tolerance: inputs written in a permitted way",
    tolerance_intro: "Each import case again, its input written by the sender in another way the standard permits (the permitted variants of cases/variants/). The product must understand it exactly as the canonical input (expected: what the reference holds after importing the canonical input).",
    written_as: "Written as",
    tolerance_selftest_note: "Each case must pass against the reference and fail against at least one faulty importer (cases/faults/); a case no faulty importer fails proves nothing.",
    tolerance_proven: "Proven",
    tolerance_failed_by: "Failed by",
    tolerance_unproven: "Unproven cases",
    base_case: "Import case",
    role: "Role",
    direction: "Direction",
    kinds: "File kinds",
    requirement: "Required",
    verdict: "Verdict",
    findings: "Findings",
    spec_place: "Spec place",
    duration: "Duration",
    error: "Why the case could not run",
    files: "Files exchanged (evidence)",
    path: "Path",
    rule: "Rule",
    severity: "Severity",
    file: "File",
    record: "Record",
    line: "Line",
    field_no: "Field No.",
    field_name: "Field name",
    expected: "Expected",
    actual: "Actual",
    message: "Message",
    diffs: "Field differences",
    held: "What the product holds after the import (per file kind)",
    held_records: "Records (expected / actual)",
    held_kept: "Fields kept and compared",
    held_not_kept: "Fields not kept (declared by the product)",
    held_wrong: "Fields with wrong values",
    held_must_keep: "Declared as not kept, but a receiver must keep it",
    text_diff: "Decoded text diff (expected = golden)",
    no_findings: "No findings.",
    masked_note: "Personal-data values are masked as ＊＊＊.",
    selftest: "Harness self-test (fault injection)",
    selftest_note: "Faults injected into the reference product, and whether the intended rule caught them.",
    score: "Score",
    fault: "Injected fault",
    intended_rule: "Intended rule",
    caught_by: "Caught by",
    status: "Status",
    variant: "Permitted variant",
    variants_note: "The reference product with one divergence the standard permits; each must pass every case.",
    rates: "Misjudgements",
    false_fails: "false fails (permitted variants failed)",
    false_passes: "false passes (faults not caught)",
    failed_cases: "Failed cases",
    warnings_drawn: "Warnings",
    generated_by: "Generated by",
    back_to_top: "Top",
};

/// Labels for `lang`.
pub(crate) fn labels(lang: Lang) -> &'static Labels {
    match lang {
        Lang::Ja => &JA,
        Lang::En => &EN,
    }
}

pub(crate) fn verdict(lang: Lang, verdict: Verdict) -> &'static str {
    match (lang, verdict) {
        (Lang::Ja, Verdict::Pass) => "合格",
        (Lang::Ja, Verdict::Fail) => "不合格",
        (Lang::Ja, Verdict::Error) => "試験不能",
        (Lang::Ja, Verdict::NotApplicable) => "対象外",
        (Lang::En, Verdict::Pass) => "pass",
        (Lang::En, Verdict::Fail) => "fail",
        (Lang::En, Verdict::Error) => "error",
        (Lang::En, Verdict::NotApplicable) => "not applicable",
    }
}

pub(crate) fn direction(lang: Lang, direction: Direction) -> &'static str {
    match (lang, direction) {
        (Lang::Ja, Direction::Export) => "出力",
        (Lang::Ja, Direction::Import) => "取込",
        (Lang::Ja, Direction::Roundtrip) => "取込・再出力",
        (Lang::Ja, Direction::Interop) => "相互接続",
        (Lang::En, Direction::Export) => "export",
        (Lang::En, Direction::Import) => "import",
        (Lang::En, Direction::Roundtrip) => "round trip",
        (Lang::En, Direction::Interop) => "interop",
    }
}

pub(crate) fn matrix_direction(lang: Lang, direction: MatrixDirection) -> &'static str {
    match (lang, direction) {
        (Lang::Ja, MatrixDirection::Export) => "出力",
        (Lang::Ja, MatrixDirection::Import) => "取込",
        (Lang::En, MatrixDirection::Export) => "export",
        (Lang::En, MatrixDirection::Import) => "import",
    }
}

/// Role display name (the spec's own names of the role).
pub(crate) fn role(lang: Lang, role: Role) -> &'static str {
    match lang {
        Lang::Ja => role.name_ja(),
        Lang::En => role.name_en(),
    }
}

pub(crate) fn requirement(lang: Lang, requirement: Requirement) -> &'static str {
    match (lang, requirement) {
        (Lang::Ja, Requirement::Required) => "○ 必須",
        (Lang::Ja, Requirement::Optional) => "△ 任意",
        (Lang::En, Requirement::Required) => "○ required",
        (Lang::En, Requirement::Optional) => "△ optional",
    }
}

pub(crate) fn severity(lang: Lang, severity: Severity) -> (&'static str, &'static str) {
    match (lang, severity) {
        (Lang::Ja, Severity::Error) => ("error", "エラー"),
        (Lang::Ja, Severity::Warning) => ("warning", "警告"),
        (Lang::En, Severity::Error) => ("error", "error"),
        (Lang::En, Severity::Warning) => ("warning", "warning"),
    }
}

pub(crate) fn file_direction(lang: Lang, direction: FileDirection) -> &'static str {
    match (lang, direction) {
        (Lang::Ja, FileDirection::Sent) => "送付",
        (Lang::Ja, FileDirection::Received) => "受領",
        (Lang::En, FileDirection::Sent) => "sent",
        (Lang::En, FileDirection::Received) => "received",
        (Lang::Ja, FileDirection::Expected) => "期待値",
        (Lang::En, FileDirection::Expected) => "expected",
    }
}

pub(crate) fn cell_state(lang: Lang, state: CellState) -> &'static str {
    match (lang, state) {
        (Lang::Ja, CellState::Passed) => "試験合格",
        (Lang::Ja, CellState::Failed) => "不合格",
        (Lang::Ja, CellState::NotApplicable) => "該当なし（その事業所種別は出力・取込しない）",
        (Lang::Ja, CellState::OptionalAbsent) => "任意（未対応・未試験）",
        (Lang::Ja, CellState::Error) => "試験不能",
        (Lang::Ja, CellState::Missing) => "必須だが実行できるケースなし",
        (Lang::Ja, CellState::NotRun) => "未実施（今回の実行で選択されていない）",
        (Lang::En, CellState::Passed) => "passed",
        (Lang::En, CellState::Failed) => "failed",
        (Lang::En, CellState::NotApplicable) => {
            "not applicable (the role never exchanges this kind)"
        }
        (Lang::En, CellState::OptionalAbsent) => "optional, not claimed or not run",
        (Lang::En, CellState::Error) => "could not be run",
        (Lang::En, CellState::Missing) => "required, but no case the product could run",
        (Lang::En, CellState::NotRun) => "not run (not selected in this run)",
    }
}

pub(crate) fn variant_status(lang: Lang, passed: bool) -> &'static str {
    match (lang, passed) {
        (Lang::Ja, true) => "合格",
        (Lang::Ja, false) => "誤って不合格",
        (Lang::En, true) => "passed",
        (Lang::En, false) => "falsely failed",
    }
}

pub(crate) fn fault_status(lang: Lang, status: FaultStatus) -> &'static str {
    match (lang, status) {
        (Lang::Ja, FaultStatus::Caught) => "検出",
        (Lang::Ja, FaultStatus::Survived) => "未検出",
        (Lang::Ja, FaultStatus::CaughtByOther) => "別の規則で検出",
        (Lang::En, FaultStatus::Caught) => "caught",
        (Lang::En, FaultStatus::Survived) => "survived",
        (Lang::En, FaultStatus::CaughtByOther) => "caught by another rule",
    }
}
