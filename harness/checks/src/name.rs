//! File-name rules (rules.md §4): `<PREFIX>[_<YYYYMM>]_<from:10>_<kind:2>_<to:10>_<kind:2>_<YYYYMMDDHHMMSS>.CSV`.

use crate::catalogue::RuleId;
use cpcert_spec::{ServiceScope, Spec};

use crate::sink::Sink;
use crate::values::{is_digits, valid_month, valid_timestamp};

/// The family-picture attachment kind of the 202407 spec data (UPKIHON's `attachments`). Rule
/// code reads attachments from the spec; this name is for tests and callers.
pub const IMAGE_KIND: &str = "UPKIHON_IMAGE";

/// What a file name says, as far as it could be read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedName {
    /// File kind (upper-cased prefix), when one was recognised.
    pub kind: Option<String>,
    /// The month part (month files only).
    pub month: Option<String>,
    /// Sender office number.
    pub from: Option<String>,
    /// Sender service kind.
    pub from_kind: Option<String>,
    /// Receiver office number.
    pub to: Option<String>,
    /// Receiver service kind.
    pub to_kind: Option<String>,
    /// The 14-digit 連番.
    pub timestamp: Option<String>,
    /// The picture branch number (UPKIHON_IMAGE only).
    pub branch: Option<String>,
}

impl ParsedName {
    /// The five trailing parts (from, kind, to, kind, timestamp) companions share with their parent.
    pub fn tail(&self) -> Option<String> {
        Some(format!(
            "{}_{}_{}_{}_{}",
            self.from.as_ref()?,
            self.from_kind.as_ref()?,
            self.to.as_ref()?,
            self.to_kind.as_ref()?,
            self.timestamp.as_ref()?
        ))
    }
}

/// The file kind a name starts with (case-insensitive): an attachment kind of the spec data
/// (`UPKIHON_IMAGE`) or a layout kind, longest first (`UPKIHON_SUB1` before `UPKIHON`).
pub fn file_kind(name: &str, spec: &Spec, version: &str) -> Option<String> {
    let stem = name
        .rsplit_once('.')
        .map_or(name, |(stem, _)| stem)
        .to_ascii_uppercase();
    let starts = |k: &str| stem.starts_with(&format!("{k}_"));
    if let Some((_, a)) = spec.attachments(version).find(|(_, a)| starts(&a.kind)) {
        return Some(a.kind.clone());
    }
    spec.kinds_longest_first(version)
        .into_iter()
        .find(|k| starts(k) || stem == *k)
        .map(str::to_owned)
}

/// Whether a file name looks like one of the standard's files (used when searching folders).
pub fn looks_like_standard_file(name: &str, spec: &Spec, version: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    let Some(kind) = file_kind(name, spec, version).filter(|k| upper.starts_with(&format!("{k}_")))
    else {
        return false;
    };
    match spec.attachment(version, &kind) {
        Some((_, a)) => a
            .extensions
            .iter()
            .any(|e| upper.ends_with(&format!(".{}", e.to_ascii_uppercase()))),
        None => upper.ends_with(".CSV"),
    }
}

/// What a folder walk makes of a file name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameClass {
    /// One of the standard's file kinds with its extension: validated.
    Standard,
    /// The standard's name shape (`<PREFIX>[_YYYYMM]_<from>_<kind>_<to>_<kind>_<連番>.CSV`) with a
    /// prefix the standard does not define (a typo such as `UP4KYO`, a legacy `UPKHON`):
    /// validated, so the name finding (`name-unknown-kind`) is reported, never skipped.
    UnknownKind,
    /// Anything else: listed as skipped.
    Other,
}

/// Classifies a file name for a folder walk.
pub fn classify_name(name: &str, spec: &Spec, version: &str) -> NameClass {
    if looks_like_standard_file(name, spec, version) {
        return NameClass::Standard;
    }
    if file_kind(name, spec, version).is_none() && has_standard_shape(name) {
        return NameClass::UnknownKind;
    }
    NameClass::Other
}

/// `PREFIX[_…]_<office>_<kind>_<office>_<kind>_<連番>.CSV` (or the V3 shape without kinds):
/// office numbers of 9–10 digits (the spec's own examples print 9), a 連番 of 12–15 digits.
fn has_standard_shape(name: &str) -> bool {
    let Some((stem, ext)) = name.rsplit_once('.') else {
        return false;
    };
    if !(ext.eq_ignore_ascii_case("csv") || ext.eq_ignore_ascii_case("jpg")) {
        return false;
    }
    let parts: Vec<&str> = stem.split('_').collect();
    let office = |p: &str| (9..=10).contains(&p.len()) && is_digits(p);
    let kind = |p: &str| p.len() == 2 && p.bytes().all(|b| b.is_ascii_alphanumeric());
    let seq = |p: &str| (12..=15).contains(&p.len()) && is_digits(p);
    let prefix_ok = |p: &[&str]| {
        p.first().is_some_and(|f| {
            f.len() >= 2
                && f.bytes().next().is_some_and(|b| b.is_ascii_alphabetic())
                && f.bytes().all(|b| b.is_ascii_alphanumeric())
        })
    };
    let n = parts.len();
    let v4 = n >= 6
        && {
            let t = &parts[n - 5..];
            office(t[0]) && kind(t[1]) && office(t[2]) && kind(t[3]) && seq(t[4])
        }
        && prefix_ok(&parts[..n - 5]);
    let v3 = n >= 4
        && {
            let t = &parts[n - 3..];
            office(t[0]) && office(t[1]) && seq(t[2])
        }
        && prefix_ok(&parts[..n - 3]);
    v4 || v3
}

/// Parses and checks a file name, pushing name findings.
pub(crate) fn check_name(name: &str, spec: &Spec, version: &str, sink: &mut Sink) -> ParsedName {
    let mut parsed = ParsedName::default();
    let (stem, ext) = match name.rsplit_once('.') {
        Some((stem, ext)) => (stem, ext),
        None => (name, ""),
    };
    let Some(kind) = file_kind(name, spec, version) else {
        sink.name(
            RuleId::NameUnknownKind,
            "UPPLAN_… / UP1KYO_… / …",
            stem.split('_').next().unwrap_or(stem),
        );
        return parsed;
    };
    if !stem.starts_with(&kind) {
        sink.name(
            RuleId::NamePattern,
            &format!("{kind}_… (upper case)"),
            &stem[..kind.len()],
        );
    }
    let attachment = spec.attachment(version, &kind).map(|(_, a)| a);
    let image = attachment.is_some();
    // Extension: upper-case .CSV everywhere in the spec's examples; an attachment's are listed
    // in the spec data (the picture: .jpg or .JPG).
    if let Some(a) = attachment {
        if !a.extensions.iter().any(|e| e == ext) {
            sink.name(
                RuleId::NamePattern,
                &format!(".{}", a.extensions.join(" / .")),
                &format!(".{ext}"),
            );
        }
    } else if ext != "CSV" {
        if ext.eq_ignore_ascii_case("csv") {
            sink.name(RuleId::NameExtensionCase, ".CSV", &format!(".{ext}"));
        } else {
            sink.name(RuleId::NamePattern, ".CSV", &format!(".{ext}"));
        }
    }
    parsed.kind = Some(kind.clone());
    let month_part = !image
        && spec
            .layout(version, &kind)
            .is_some_and(|l| l.name.month_part);
    let rest = stem.get(kind.len() + 1..).unwrap_or("");
    let parts: Vec<&str> = if rest.is_empty() {
        Vec::new()
    } else {
        rest.split('_').collect()
    };
    let expected_parts = 5 + usize::from(month_part) + usize::from(image);
    let pattern = expected_pattern(&kind, month_part, image);
    if parts.len() != expected_parts {
        let hint = if month_part && parts.len() == 4 || !month_part && parts.len() == 3 {
            " (第3版の形式: サービス種類コードなし / V3-style name without service kinds)"
        } else if parts.len() + 1 == expected_parts {
            " (部品が1つ不足 / one part missing, e.g. the receiver)"
        } else {
            ""
        };
        sink.name(RuleId::NamePattern, &pattern, &format!("{name}{hint}"));
        return parsed;
    }
    let mut it = parts.into_iter();
    if month_part {
        let month = it.next().unwrap_or_default();
        let sentinel_ok = kind == "UPHOSOKU" && month == "000000";
        if !(sentinel_ok || valid_month(month)) {
            sink.name(RuleId::NameMonth, "YYYYMM", month);
        }
        parsed.month = Some(month.to_owned());
    }
    let from = it.next().unwrap_or_default();
    let from_kind = it.next().unwrap_or_default();
    let to = it.next().unwrap_or_default();
    let to_kind = it.next().unwrap_or_default();
    let timestamp = it.next().unwrap_or_default();
    for office in [from, to] {
        if !(office.len() == 10 && is_digits(office)) {
            sink.name(RuleId::NameOfficeNo, "10桁 / 10 digits", office);
        }
    }
    for code in [from_kind, to_kind] {
        match spec.service_kind(version, code) {
            None => sink.name(
                RuleId::NameServiceKind,
                "2桁のサービス種類コード / 2-character service kind",
                code,
            ),
            Some(k) if k.scope == ServiceScope::Out => {
                sink.name(RuleId::NameServiceKindScope, "連携対象のサービス種類", code)
            }
            Some(_) => {}
        }
    }
    if !valid_timestamp(timestamp) {
        sink.name(RuleId::NameTimestamp, "YYYYMMDDHHMMSS (14桁)", timestamp);
    }
    if from == to {
        sink.name(
            RuleId::NameSameOffice,
            "送信元 ≠ 送信先",
            &format!("{from} = {to}"),
        );
    }
    if image {
        let branch = it.next().unwrap_or_default();
        let digits = attachment.map_or(4, |a| a.branch_digits as usize);
        if !(branch.len() == digits && is_digits(branch)) {
            sink.name(
                RuleId::NameImageBranch,
                &format!("{} ({digits}桁)", "N".repeat(digits)),
                branch,
            );
        }
        parsed.branch = Some(branch.to_owned());
    }
    parsed.from = Some(from.to_owned());
    parsed.from_kind = Some(from_kind.to_owned());
    parsed.to = Some(to.to_owned());
    parsed.to_kind = Some(to_kind.to_owned());
    parsed.timestamp = Some(timestamp.to_owned());
    parsed
}

fn expected_pattern(kind: &str, month_part: bool, image: bool) -> String {
    let month = if month_part { "_YYYYMM" } else { "" };
    let tail = if image { "_NNNN.jpg" } else { ".CSV" };
    format!(
        "{kind}{month}_送信元事業所番号(10)_種類(2)_送信先事業所番号(10)_種類(2)_YYYYMMDDHHMMSS{tail}"
    )
}
