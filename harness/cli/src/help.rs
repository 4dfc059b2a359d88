//! The command line in the run's language: clap's help and parse errors are English, so a
//! Japanese run (the default) gets its help texts, headings and parse errors from the table
//! below. `--lang` is known before clap parses (it is read from the arguments first), so the
//! help a user asks for is in the language the run would speak.
//!
//! Every subcommand and argument must have its Japanese text here: `tests::every_text_is_translated`
//! fails naming what is missing, so a new option cannot slip in English-only.

use std::ffi::OsString;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, Command, CommandFactory, FromArgMatches};
use cpcert_checks::Lang;

use crate::args::Cli;

/// Japanese texts: `("sub command", about)` for subcommands (`""` is cpcert itself) and
/// `("sub command:arg_id", help)` for arguments. Possible values and defaults are written into
/// the text (clap would print them in English).
const JA: &[(&str, &str)] = &[
    (
        "",
        "cpcert — ケアプランデータ連携標準仕様（V4.1、CSVバージョン 202407）の適合性試験ツール",
    ),
    (":lang", "メッセージの言語: ja（既定）または en"),
    (
        ":color",
        "端末の色: auto（既定。標準出力が端末で NO_COLOR が未設定のとき）、always（パイプでも）、never",
    ),
    (
        "validate",
        "標準仕様の CSV ファイル（ファイルまたはフォルダ）を V4.1 に照らして検査する",
    ),
    (
        "validate:format",
        "出力形式: human（既定。ファイルごとの指摘と1行の集計）、json（JSON 契約: docs/validate-json.md）",
    ),
    ("validate:jobs", "スレッド数（既定: コア数）"),
    (
        "validate:paths",
        "ファイルまたはフォルダ（フォルダでは標準仕様のファイル名を探す）",
    ),
    (
        "certify",
        "製品を認証する: アダプタを通してケースを実行し、レポートを書く",
    ),
    (
        "certify:vendor",
        "ベンダー記述（YAML）、または組み込みの参照製品なら `reference`（既定）",
    ),
    (
        "certify:fault",
        "参照製品を1つの点で誤動作させる（cases/faults/ の故障 ID）",
    ),
    (
        "certify:variant",
        "参照製品を仕様が許す1つの点で変える（cases/variants/ の変種 ID）。それでも合格しなければならない",
    ),
    (
        "certify:role",
        "この役割のケースだけ（planner、provider、prevention-planner）",
    ),
    (
        "certify:filter",
        "ID にこの文字列を含むケースだけ（例: `export::upplan`）",
    ),
    (
        "certify:partition",
        "1つの分割だけを実行する: `hash:M/N` または `count:M/N`",
    ),
    ("certify:jobs", "スレッド数"),
    (
        "certify:out",
        "index.html、results.json、junit.xml の出力フォルダ（既定: reports/latest）",
    ),
    (
        "certify:suite",
        "cases/ と golden/ のあるフォルダ（既定: 現在のフォルダから上へ探す）",
    ),
    ("certify:mask", "出力の個人情報項目をマスクする（公開用）"),
    (
        "certify:run_id",
        "レポートに書く実行 ID（既定: 入力から導くので、レポートは再現できる）",
    ),
    (
        "certify:now",
        "レポートに書く日時（RFC 3339。既定: CPCERT_NOW、なければ時計）",
    ),
    (
        "certify:zero_durations",
        "ケースの所要時間を実測でなく 0 ms と書き、同じ入力から同じバイト列のレポートを得る（CPCERT_ZERO_DURATIONS=1 でも同じ）",
    ),
    (
        "certify:challenge",
        "SEED から導いたこの認証だけのシナリオデータで実行する（認証機関が申請者ごとに渡す）。期待ファイルは参照製品がその場で作る",
    ),
    (
        "certify:sign",
        "証拠バンドルにこの秘密鍵で署名する（`cpcert keygen` で作成）",
    ),
    (
        "interop",
        "各送信側の出力ファイルを各受信側に取り込ませ、送信側 × 受信側のマトリクスを書く（既定: 内蔵製品どうし）",
    ),
    (
        "interop:sender",
        "送信側: `reference` など内蔵製品、`reference:fault=ID`（出力側の誤り）、`reference:variant=ID`（仕様が許す書き方）、ベンダー記述、または認証バンドル（`bundle.cpcert` か、それを含む certify の出力フォルダ）。複数指定可。既定: 内蔵製品",
    ),
    (
        "interop:receiver",
        "受信側: 内蔵製品、`reference:fault=ID`（取込側の誤り）、またはベンダー記述。複数指定可。既定: 内蔵製品",
    ),
    (
        "interop:fault_receivers",
        "cases/faults/ の取込側の誤りそれぞれを注入した参照製品を受信側に加える",
    ),
    (
        "interop:variant_senders",
        "cases/variants/ の仕様が許す書き方それぞれで出力する参照製品（`reference:variant=ID`）を送信側に加える",
    ),
    ("interop:filter", "ID にこの文字列を含む取込ケースだけ"),
    (
        "interop:format",
        "標準出力の形式: human（既定。マトリクスと結論）、json（interop.json。スキーマ: docs/schema/interop.schema.json）",
    ),
    ("interop:jobs", "スレッド数"),
    (
        "interop:out",
        "index.html（マトリクス）、interop.json、junit.xml、summary.md の出力フォルダ（既定: reports/interop）",
    ),
    (
        "interop:suite",
        "cases/ と golden/ のあるフォルダ（既定: 現在のフォルダから上へ探す）",
    ),
    ("interop:mask", "出力の個人情報項目をマスクする（公開用）"),
    (
        "interop:run_id",
        "レポートに書く実行 ID（既定: 入力から導くので、レポートは再現できる）",
    ),
    (
        "interop:now",
        "レポートに書く日時（RFC 3339。既定: CPCERT_NOW、なければ時計）",
    ),
    (
        "rules",
        "規則の一覧を表示する（--markdown で docs/rules.md の Markdown）、または1つの規則を説明する",
    ),
    ("rules:markdown", "docs/rules.md を出力する"),
    (
        "rules:id",
        "1つの規則を説明する（例: `field-date`）: 内容、仕様の箇所、違反する例と合格する例",
    ),
    (
        "cases",
        "スイートのケースを一覧する: ID、題名、役割、方向、○/△",
    ),
    (
        "cases:suite",
        "cases/ と golden/ のあるフォルダ（既定: 現在のフォルダから上へ探す）",
    ),
    (
        "reference",
        "組み込みの参照製品のコマンドライン（ベンダー自身のツールに当たるもの）",
    ),
    (
        "reference export",
        "シナリオ（YAML または JSON）を役割の標準仕様ファイルとして出力する",
    ),
    ("reference export:role", "役割"),
    ("reference export:scenario", "シナリオファイル"),
    ("reference export:out", "出力フォルダ"),
    ("reference export:timestamp", "14桁の連番"),
    ("reference export:fault", "故障 ID"),
    (
        "reference import",
        "ファイルを取り込み、製品が理解した内容（シナリオ JSON）を書く",
    ),
    ("reference import:role", "役割"),
    (
        "reference import:out",
        "出力 JSON ファイル: 理解したシナリオ、`--held` では保持したレコード",
    ),
    (
        "reference import:held",
        "製品が保持する内容を標準仕様のレコード（ファイル種別 → レコード → 項目No. → 値）として書く（アダプタプロトコル版 2 の取込結果）",
    ),
    ("reference import:fault", "故障 ID"),
    (
        "reference import:sender",
        "ファイルを書いた事業所の役割（既定: 取込側の相手方）",
    ),
    ("reference import:files", "取り込むファイル"),
    (
        "reference reexport",
        "ファイルを取り込み、実施として記録し（サービス事業所）、役割として出力する",
    ),
    ("reference reexport:role", "出力する役割"),
    ("reference reexport:out", "出力フォルダ"),
    ("reference reexport:timestamp", "14桁の連番"),
    ("reference reexport:fault", "故障 ID"),
    (
        "reference reexport:sender",
        "ファイルを書いた事業所の役割（既定: 出力側の相手方）",
    ),
    (
        "reference reexport:office",
        "記録する事業所（サービス事業所: 予定を実績として記録する）",
    ),
    ("reference reexport:files", "先に取り込むファイル"),
    (
        "selftest",
        "スイートが不合格を出せることを示す: 参照製品と、カタログのすべての故障製品・変種を認証する",
    ),
    ("selftest:out", "出力フォルダ（既定: reports/selftest）"),
    ("selftest:jobs", "スレッド数"),
    ("selftest:suite", "cases/ と golden/ のあるフォルダ"),
    (
        "keygen",
        "バンドル署名用の Ed25519 鍵の組を作る（KEY と KEY.pub）",
    ),
    (
        "keygen:out",
        "書き出す秘密鍵ファイル（公開鍵は同じパスに `.pub` を付けて書く）",
    ),
    (
        "verify",
        "証拠バンドルをオフラインで判定し直す。すべてのバンドルが成り立つときだけ終了コード 0",
    ),
    (
        "verify:key",
        "すべてのバンドルにこの公開鍵（`cpcert keygen` の `KEY.pub`）による署名を求める",
    ),
    (
        "verify:suite",
        "バンドルの元であるべきスイート（既定: 現在のフォルダから見つかるスイート。なければバンドル自身のスイート索引だけで確かめる）",
    ),
    (
        "verify:bundles",
        "バンドルファイル（`certify` が表示する `bundle.cpcert`）",
    ),
    (
        "view",
        "ファイルまたはフォルダを標準仕様の帳票として印刷できる HTML にする",
    ),
    (
        "view:out",
        "index.html と、利用者・計画/月ごとのページの出力フォルダ（既定: reports/forms）",
    ),
    (
        "view:paths",
        "ファイルまたはフォルダ（フォルダでは標準仕様のファイル名を探す）",
    ),
    (
        "merge",
        "--partition で分割した1回の実行のバンドルを1つにまとめる",
    ),
    ("merge:out", "書き出すまとめたバンドル"),
    ("merge:sign", "まとめたバンドルにこの秘密鍵で署名する"),
    ("merge:bundles", "分割ごとのバンドル"),
    (
        "publish",
        "バンドルを検証し、静的な合格一覧サイト（索引、製品ページ、listing.json、バッジ）を書く",
    ),
    ("publish:out", "書き出すサイトのフォルダ"),
    (
        "publish:sign",
        "listing.json にこの秘密鍵で署名する（listing.json.sig）",
    ),
    (
        "publish:suite",
        "バンドルの元であるべきスイート（既定: 現在のフォルダから見つかるスイート）",
    ),
    ("publish:bundles", "バンドル"),
];

/// The language asked for on the command line (`--lang en`, `--lang=en`), read before clap
/// parses; Japanese otherwise (the default, and for a value clap will refuse anyway).
pub fn lang_of(args: &[OsString]) -> Lang {
    let mut lang = Lang::Ja;
    let mut iter = args.iter().skip(1).map(|a| a.to_string_lossy());
    while let Some(arg) = iter.next() {
        if arg == "--" {
            break;
        }
        let value = match arg.strip_prefix("--lang") {
            Some("") => iter.next().map(|v| v.into_owned()),
            Some(rest) => rest.strip_prefix('=').map(str::to_owned),
            None => None,
        };
        match value.as_deref() {
            Some("en") => lang = Lang::En,
            Some("ja") => lang = Lang::Ja,
            _ => {}
        }
    }
    lang
}

/// The command-line definition in `lang`.
pub fn command(lang: Lang) -> Command {
    match lang {
        Lang::En => Cli::command(),
        Lang::Ja => japanese(Cli::command(), ""),
    }
}

/// Why parsing stopped: help or the version was asked for, or clap refused the arguments.
#[derive(Debug)]
pub enum Stop {
    /// clap's own rendering (help, version, and every message of an English run).
    Clap(clap::Error),
    /// A refusal said in Japanese (clap's messages are English).
    Japanese(String),
}

impl Stop {
    /// The text the user sees.
    pub fn render(&self) -> String {
        match self {
            Stop::Clap(e) => e.render().to_string(),
            Stop::Japanese(text) => text.clone(),
        }
    }

    /// Prints and exits: 0 for help and the version, 2 (usage) for a refusal.
    pub fn exit(self) -> ! {
        match self {
            Stop::Clap(e) => e.exit(),
            Stop::Japanese(text) => {
                eprint!("{text}");
                std::process::exit(i32::from(crate::exit_codes::USAGE))
            }
        }
    }
}

/// Parses `args` with help and errors in their language.
///
/// # Errors
/// Arguments clap refuses, or a request for help or the version ([`Stop::exit`] prints it).
pub fn parse(args: Vec<OsString>) -> Result<Cli, Stop> {
    let lang = lang_of(&args);
    let mut cmd = command(lang);
    let matches = cmd
        .try_get_matches_from_mut(args)
        .map_err(|e| translate(e, lang))?;
    Cli::from_arg_matches(&matches).map_err(|e| translate(e.format(&mut cmd), lang))
}

fn text(key: &str) -> Option<&'static str> {
    JA.iter().find(|(k, _)| *k == key).map(|(_, t)| *t)
}

fn japanese(cmd: Command, path: &str) -> Command {
    let mut cmd = cmd
        .help_template(
            "{before-help}{about-with-newline}\n使い方: {usage}\n\n{all-args}{after-help}",
        )
        .subcommand_help_heading("コマンド")
        .next_help_heading("オプション")
        .disable_help_flag(true)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help("ヘルプを表示する"),
        );
    if path.is_empty() {
        cmd = cmd.disable_version_flag(true).arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help("版を表示する"),
        );
    }
    if cmd.has_subcommands() {
        cmd = cmd.disable_help_subcommand(true);
    }
    if let Some(about) = text(path) {
        cmd = cmd.about(about).long_about(None::<&str>);
    }
    let ids: Vec<String> = cmd
        .get_arguments()
        .map(|a| a.get_id().to_string())
        .filter(|id| id != "help" && id != "version")
        .collect();
    for id in ids {
        let key = format!("{path}:{id}");
        if let Some(help) = text(&key) {
            cmd = cmd.mut_arg(id.as_str(), |a| {
                let heading = if a.is_positional() {
                    "引数"
                } else {
                    "オプション"
                };
                let takes_values = a.get_action().takes_values();
                let a = a.help(help).long_help(None::<&str>).help_heading(heading);
                // Possible values and defaults are in the text; clap shows them (in English)
                // otherwise.
                if takes_values {
                    a.hide_possible_values(true).hide_default_value(true)
                } else {
                    a
                }
            });
        }
    }
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_owned())
        .collect();
    for name in names {
        let sub = if path.is_empty() {
            name.clone()
        } else {
            format!("{path} {name}")
        };
        cmd = cmd.mut_subcommand(name.as_str(), |s| japanese(s, &sub));
    }
    cmd
}

/// A clap error in `lang`: help and version pass as they are (already in the language); a
/// refusal gets a Japanese first line naming the argument and value clap found.
fn translate(err: clap::Error, lang: Lang) -> Stop {
    if lang == Lang::En
        || matches!(
            err.kind(),
            ErrorKind::DisplayHelp
                | ErrorKind::DisplayVersion
                | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
        )
    {
        return Stop::Clap(err);
    }
    let context = |kind: ContextKind| match err.get(kind) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => v.join(", "),
        Some(ContextValue::StyledStr(s)) => s.to_string(),
        Some(ContextValue::StyledStrs(v)) => v
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", "),
        Some(ContextValue::Number(n)) => n.to_string(),
        _ => String::new(),
    };
    let arg = context(ContextKind::InvalidArg);
    let value = context(ContextKind::InvalidValue);
    let valid = context(ContextKind::ValidValue);
    let message = match err.kind() {
        ErrorKind::InvalidValue if valid.is_empty() => {
            format!("{arg} の値 `{value}` は使えません")
        }
        ErrorKind::InvalidValue => {
            format!("{arg} の値 `{value}` は使えません（使える値: {valid}）")
        }
        ErrorKind::UnknownArgument => format!("知らない引数 `{arg}` です"),
        ErrorKind::InvalidSubcommand => format!(
            "知らないコマンド `{}` です",
            context(ContextKind::InvalidSubcommand)
        ),
        ErrorKind::MissingRequiredArgument => format!("必要な引数がありません: {arg}"),
        ErrorKind::MissingSubcommand => "コマンドを指定してください".to_owned(),
        ErrorKind::ValueValidation => format!("{arg} の値 `{value}` は使えません"),
        ErrorKind::TooManyValues => format!("{arg} の値 `{value}` は多すぎます"),
        ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            format!("{arg} の値の数が合いません")
        }
        ErrorKind::ArgumentConflict => format!(
            "{arg} は {} と同時に使えません",
            context(ContextKind::PriorArg)
        ),
        ErrorKind::NoEquals => format!("{arg} には `=` で値を付けてください"),
        ErrorKind::InvalidUtf8 => "引数が UTF-8 ではありません".to_owned(),
        _ => "引数が正しくありません".to_owned(),
    };
    let usage = context(ContextKind::Usage);
    let usage = usage
        .strip_prefix("Usage: ")
        .map_or(usage.clone(), str::to_owned);
    let mut text = format!("cpcert: エラー: {message}\n");
    if !usage.is_empty() {
        text.push_str(&format!("\n使い方: {usage}\n"));
    }
    text.push_str("\n詳しくは `--help` を付けて実行してください。\n");
    Stop::Japanese(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(cmd: &Command, path: &str, out: &mut Vec<String>) {
        out.push(path.to_owned());
        for a in cmd.get_arguments() {
            out.push(format!("{path}:{}", a.get_id()));
        }
        for s in cmd.get_subcommands() {
            let sub = if path.is_empty() {
                s.get_name().to_owned()
            } else {
                format!("{path} {}", s.get_name())
            };
            keys(s, &sub, out);
        }
    }

    #[test]
    fn every_text_is_translated() {
        let mut all = Vec::new();
        keys(&Cli::command(), "", &mut all);
        let missing: Vec<&String> = all.iter().filter(|k| text(k).is_none()).collect();
        assert!(
            missing.is_empty(),
            "Japanese help missing in harness/cli/src/help.rs (JA) for: {missing:?}"
        );
        let stale: Vec<&str> = JA
            .iter()
            .map(|(k, _)| *k)
            .filter(|k| !all.iter().any(|a| a == k))
            .collect();
        assert!(stale.is_empty(), "JA entries for nothing: {stale:?}");
    }

    #[test]
    fn lang_is_read_before_parsing() {
        let args = |v: &[&str]| v.iter().map(OsString::from).collect::<Vec<_>>();
        assert_eq!(lang_of(&args(&["cpcert", "certify"])), Lang::Ja);
        assert_eq!(
            lang_of(&args(&["cpcert", "--lang", "en", "certify"])),
            Lang::En
        );
        assert_eq!(
            lang_of(&args(&["cpcert", "certify", "--lang=en"])),
            Lang::En
        );
        assert_eq!(
            lang_of(&args(&["cpcert", "validate", "--", "--lang=en"])),
            Lang::Ja
        );
    }

    #[test]
    fn japanese_help_has_no_english_sentences() {
        for path in [
            vec!["cpcert"],
            vec!["cpcert", "certify"],
            vec!["cpcert", "validate"],
            vec!["cpcert", "reference", "import"],
        ] {
            let mut argv = path.clone();
            argv.push("--help");
            let err = parse(argv.iter().map(OsString::from).collect()).unwrap_err();
            let Stop::Clap(err) = err else {
                panic!("help is clap's rendering")
            };
            assert_eq!(err.kind(), ErrorKind::DisplayHelp);
            let help = err.render().to_string();
            for english in [
                "Usage",
                "Options",
                "Commands",
                "Print help",
                "default",
                "Possible",
            ] {
                assert!(!help.contains(english), "{path:?}: `{english}` in\n{help}");
            }
            assert!(
                help.contains("使い方") && help.contains("オプション"),
                "{help}"
            );
        }
        let en = parse(
            ["cpcert", "--lang", "en", "certify", "--help"]
                .iter()
                .map(OsString::from)
                .collect(),
        )
        .unwrap_err()
        .render();
        assert!(en.contains("Usage") && !en.contains("使い方"), "{en}");
    }

    #[test]
    fn japanese_parse_errors() {
        let err = parse(
            ["cpcert", "certify", "--no-such-option"]
                .iter()
                .map(OsString::from)
                .collect(),
        )
        .unwrap_err();
        let text = err.render();
        assert!(text.contains("知らない引数 `--no-such-option`"), "{text}");
        assert!(!text.contains("unexpected"), "{text}");
        let err = parse(
            ["cpcert", "--lang", "fr", "certify"]
                .iter()
                .map(OsString::from)
                .collect(),
        )
        .unwrap_err();
        let text = err.render();
        assert!(text.contains("`fr`") && text.contains("使える値"), "{text}");
    }
}
