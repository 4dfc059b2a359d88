//! The finding contract shared by validate, certify, the reports and results.json.

use serde::{Deserialize, Serialize};

use crate::catalogue::RuleId;

/// How bad a finding is. Errors fail conformance; warnings do not.
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
pub enum Severity {
    /// Breaks the standard (or a high-confidence reading of it).
    Error,
    /// Suspicious, or breaks a reading of the spec that is not settled (low/medium confidence).
    Warning,
}

/// Message language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Japanese (the default: the users are Japanese vendors).
    #[default]
    Ja,
    /// English (`--lang en`).
    En,
}

/// A message of cpcert's own, said in both languages; the run's [`Lang`] picks one
/// ([`Msg::get`]). Its `Display` is the English text (logs, test assertions); what a user reads
/// goes through `get`, so a Japanese run never shows the English text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Msg {
    /// Japanese.
    pub ja: String,
    /// English.
    pub en: String,
}

impl Msg {
    /// A message from its two texts.
    pub fn new(ja: impl Into<String>, en: impl Into<String>) -> Msg {
        Msg {
            ja: ja.into(),
            en: en.into(),
        }
    }

    /// The text in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Ja => &self.ja,
            Lang::En => &self.en,
        }
    }
}

impl std::fmt::Display for Msg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.en)
    }
}

/// One finding: a rule, where it fired and what was expected versus found.
///
/// `expected` and `actual` are language-neutral (values, patterns, counts); the rule's
/// catalogue entry frames them in Japanese or English ([`Finding::message`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Finding {
    /// The rule (serialized as its stable kebab-case id, see docs/rules.md).
    pub rule: RuleId,
    /// Error or warning.
    pub severity: Severity,
    /// File name (or path) the finding is about; empty for findings about a whole run.
    pub file: String,
    /// 1-based data record, when the finding is about one record.
    pub record: Option<u64>,
    /// 1-based physical line where the record (or the offending byte) is.
    pub line: Option<u64>,
    /// 0-based byte offset in the file.
    pub byte_offset: Option<u64>,
    /// Field No. (1-based, as in the layout), when about one field.
    pub field: Option<u32>,
    /// Field name as in the layout (Japanese).
    pub field_name: Option<String>,
    /// What the rule expected.
    pub expected: String,
    /// What was found (masked in published output when `sensitive`): at most
    /// [`MAX_QUOTED_CHARS`] characters of it, then `…` (see `actual_chars`).
    pub actual: String,
    /// The length in characters of what was found, when `actual` holds only its start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actual_chars: Option<u64>,
    /// The value comes from a personal-data field and must be masked when published.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub sensitive: bool,
    /// The rule rests on a spec item transcribed with low/medium confidence, so an error was
    /// reported as a warning.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unsettled: bool,
    /// The record's CSVバージョン or field count did not match the layout, and it was checked
    /// with the layout it most likely follows (V4.1 of its file kind, fields by position): the
    /// finding may be a consequence of the mismatch.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub assumed_layout: bool,
}

impl Finding {
    /// The finding as one sentence in `lang`: the rule's text, then expected versus actual.
    pub fn message(&self, lang: Lang) -> String {
        let text = self.rule.rule().text(lang);
        let (exp, act, unsettled) = match lang {
            Lang::Ja => ("期待", "実際", "（仕様の読みが未確定のため警告）"),
            Lang::En => (
                "expected",
                "actual",
                " (spec reading unsettled: warning only)",
            ),
        };
        let mut out = text.to_owned();
        if !self.expected.is_empty() || !self.actual.is_empty() {
            let sep = if lang == Lang::Ja { "：" } else { ": " };
            out.push_str(&format!(
                "{sep}{exp} {} / {act} {}",
                self.expected,
                show(&self.actual)
            ));
        }
        if let Some(n) = self.actual_chars {
            out.push_str(&match lang {
                Lang::Ja => format!("（全{n}文字）"),
                Lang::En => format!(" ({n} characters in all)"),
            });
        }
        if self.unsettled {
            out.push_str(unsettled);
        }
        if self.assumed_layout {
            out.push_str(match lang {
                Lang::Ja => {
                    "（CSVバージョンまたは項目数が合わないため、V4.1 のレイアウトを仮定して検査）"
                }
                Lang::En => {
                    " (checked assuming the V4.1 layout: the version or field count does not match)"
                }
            });
        }
        out
    }

    /// The same finding with a personal value replaced by `＊＊＊` (for published output).
    pub fn masked(&self) -> Finding {
        let mut f = self.clone();
        if f.sensitive && !f.actual.is_empty() {
            f.actual = "＊＊＊".to_owned();
            f.actual_chars = None;
        }
        f
    }
}

/// A finding quotes at most this many characters of a value (a field of 10 MB would otherwise
/// be copied into every output that shows the finding).
pub const MAX_QUOTED_CHARS: usize = 200;

/// `value` as a finding quotes it: whole up to [`MAX_QUOTED_CHARS`] characters, otherwise its
/// start and `…`, with its length in characters.
pub fn clip_quoted(value: &str) -> (String, Option<u64>) {
    if value.len() <= MAX_QUOTED_CHARS {
        return (value.to_owned(), None);
    }
    match value.char_indices().nth(MAX_QUOTED_CHARS) {
        None => (value.to_owned(), None),
        Some((cut, _)) => (
            format!("{}…", &value[..cut]),
            Some(value.chars().count() as u64),
        ),
    }
}

/// Shows a value so that empty and whitespace are visible.
fn show(actual: &str) -> String {
    if actual.is_empty() {
        "(空)".to_owned()
    } else if actual.chars().any(char::is_control) || actual.trim() != actual {
        format!("{actual:?}")
    } else {
        actual.to_owned()
    }
}
