//! Send-unit rules (送信単位): the files that share one 14-digit 連番 (and one sender and
//! receiver) must form one of the permitted sets, agree on their join keys and months, and
//! carry their companions.

use crate::catalogue::RuleId;
use std::collections::{BTreeMap, BTreeSet};

use cpcert_spec::{SendUnit, Spec};
use serde::Serialize;

use crate::finding::Finding;
use crate::sink::{Loc, Sink};
use crate::validate::FileReport;

/// The findings about one send unit.
#[derive(Debug, Clone, Serialize)]
pub struct SendUnitReport {
    /// The shared 14-digit 連番.
    pub timestamp: String,
    /// The id of the permitted set it forms (`plan`, `sheet`, …), when it forms one.
    pub unit: Option<String>,
    /// Paths of its files.
    pub files: Vec<String>,
    /// Findings.
    pub findings: Vec<Finding>,
}

/// Groups files by (連番, sender, receiver) and checks each group.
pub fn check_send_units(files: &[FileReport], spec: &Spec, version: &str) -> Vec<SendUnitReport> {
    let mut groups: BTreeMap<(String, String, String), Vec<&FileReport>> = BTreeMap::new();
    for file in files {
        let n = &file.facts.name;
        if let (Some(ts), Some(from), Some(to), Some(_)) = (&n.timestamp, &n.from, &n.to, &n.kind) {
            groups
                .entry((ts.clone(), from.clone(), to.clone()))
                .or_default()
                .push(file);
        }
    }
    groups
        .into_iter()
        .map(|((timestamp, _, _), members)| check_group(&timestamp, &members, spec, version))
        .collect()
}

fn check_group(
    timestamp: &str,
    members: &[&FileReport],
    spec: &Spec,
    version: &str,
) -> SendUnitReport {
    let label = format!("送信単位 {timestamp}");
    let mut sink = Sink::new(&label, 50);
    let by_kind: BTreeMap<&str, &FileReport> = members
        .iter()
        .filter_map(|f| Some((f.facts.name.kind.as_deref()?, *f)))
        .collect();
    let kinds: BTreeSet<&str> = by_kind
        .keys()
        .copied()
        .filter(|k| spec.attachment(version, k).is_none())
        .collect();
    let list = |set: &BTreeSet<&str>| set.iter().copied().collect::<Vec<_>>().join("+");

    // Companions need their parent in the same unit (same five trailing name parts).
    for kind in by_kind.keys() {
        let parent = if let Some((owner, _)) = spec.attachment(version, kind) {
            Some(owner.kind.clone())
        } else {
            spec.layout(version, kind)
                .and_then(|l| l.name.companion_of.clone())
        };
        if let Some(parent) = parent
            && !by_kind.contains_key(parent.as_str())
        {
            sink.file(RuleId::CompanionWithoutParent, &parent, kind);
        }
    }
    // A parent travels with all its 別表 (本文 §3.3): 利用者基本情報 with 別表1 and 別表2,
    // 支援計画書 with its 別表. (A 別表 with no rows is sent as a file without records.)
    for parent in &kinds {
        for companion in spec
            .layouts(version)
            .filter(|l| l.name.companion_of.as_deref() == Some(*parent))
        {
            if !by_kind.contains_key(companion.kind.as_str()) {
                sink.file(RuleId::CompanionMissing, &companion.kind, parent);
            }
        }
    }
    let unit = matching_unit(spec.send_units(version), &kinds);
    match unit {
        Some(unit) => {
            for missing in unit.expected.iter().filter(|k| !kinds.contains(k.as_str())) {
                sink.file(RuleId::UnitExpectedKind, missing, &list(&kinds));
            }
            check_links(unit, &by_kind, &mut sink);
            check_months(unit, &by_kind, &mut sink);
        }
        None if !kinds.is_empty() => {
            let best = closest_unit(spec.send_units(version), &kinds);
            let expected = best.map_or_else(String::new, |u| {
                let mut all: Vec<&str> = u.required.iter().map(String::as_str).collect();
                all.extend(u.expected.iter().map(String::as_str));
                format!("{} ({})", all.join("+"), u.name_ja)
            });
            sink.file(RuleId::UnitCombination, &expected, &list(&kinds));
        }
        None => {}
    }
    for (owner, attachment) in spec.attachments(version) {
        let Some(parent) = by_kind.get(owner.kind.as_str()) else {
            continue;
        };
        let images: BTreeSet<String> = members
            .iter()
            .filter(|f| f.facts.name.kind.as_deref() == Some(attachment.kind.as_str()))
            .map(|f| base_name(&f.path).to_owned())
            .collect();
        for reference in &parent.facts.image_refs {
            if !images.contains(reference) {
                sink.file(RuleId::CompanionImageMissing, reference, "なし / none");
            }
        }
    }
    let mut files: Vec<String> = members.iter().map(|f| f.path.clone()).collect();
    files.sort();
    SendUnitReport {
        timestamp: timestamp.to_owned(),
        unit: unit.map(|u| u.id.clone()),
        files,
        findings: sink.finish(),
    }
}

fn base_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

fn matching_unit<'a>(units: &'a [SendUnit], kinds: &BTreeSet<&str>) -> Option<&'a SendUnit> {
    units.iter().find(|u| {
        u.required.iter().all(|k| kinds.contains(k.as_str()))
            && kinds.iter().all(|k| {
                u.required
                    .iter()
                    .chain(&u.optional)
                    .chain(&u.expected)
                    .any(|x| x == k)
            })
    })
}

fn closest_unit<'a>(units: &'a [SendUnit], kinds: &BTreeSet<&str>) -> Option<&'a SendUnit> {
    units.iter().max_by_key(|u| {
        let all: BTreeSet<&str> = u
            .required
            .iter()
            .chain(&u.optional)
            .chain(&u.expected)
            .map(String::as_str)
            .collect();
        let shared = all.intersection(kinds).count();
        (shared, std::cmp::Reverse(all.len()))
    })
}

fn check_links(unit: &SendUnit, by_kind: &BTreeMap<&str, &FileReport>, sink: &mut Sink) {
    for link in &unit.links {
        let (Some(child), Some(parent)) = (
            by_kind.get(link.child.as_str()),
            by_kind.get(link.parent.as_str()),
        ) else {
            continue;
        };
        let (Some(child_keys), Some(parent_keys)) = (
            child.facts.keys.get(&link.fields),
            parent.facts.keys.get(&link.parent_fields),
        ) else {
            continue;
        };
        if child.facts.keys_truncated || parent.facts.keys_truncated {
            sink.file(
                RuleId::UnitKeysNotChecked,
                &format!("{} ↔ {}", link.child, link.parent),
                "> cap",
            );
            continue;
        }
        let fields = |nos: &[u32]| {
            nos.iter()
                .map(|n| format!("No.{n}"))
                .collect::<Vec<_>>()
                .join(",")
        };
        let orphans = child_keys.difference(parent_keys).count();
        if orphans > 0 {
            sink.push(
                RuleId::UnitKeys,
                Loc::default(),
                None,
                &format!(
                    "{} {} ⊆ {} {}",
                    link.child,
                    fields(&link.fields),
                    link.parent,
                    fields(&link.parent_fields)
                ),
                &format!(
                    "{} の {orphans} 件のキーが {} にありません / {orphans} keys not in the parent",
                    link.child, link.parent
                ),
                false,
            );
        }
        let missing = if link.equal {
            parent_keys.difference(child_keys).count()
        } else {
            0
        };
        if missing > 0 {
            sink.push(
                RuleId::UnitKeys,
                Loc::default(),
                None,
                &format!("{} {} = {} {}", link.child, fields(&link.fields), link.parent, fields(&link.parent_fields)),
                &format!("{} の {missing} 件のキーが {} にありません / {missing} parent keys missing in the child", link.parent, link.child),
                false,
            );
        }
    }
}

fn check_months(unit: &SendUnit, by_kind: &BTreeMap<&str, &FileReport>, sink: &mut Sink) {
    let hosoku = by_kind
        .get("UPHOSOKU")
        .and_then(|f| f.facts.name.month.clone());
    let sheet_months: BTreeSet<String> = by_kind
        .iter()
        .filter(|(k, _)| **k != "UPHOSOKU")
        .filter_map(|(_, f)| f.facts.name.month.clone())
        .collect();
    if sheet_months.len() > 1 {
        sink.file(
            RuleId::UnitMonthMismatch,
            "1か月 / one month",
            &sheet_months.into_iter().collect::<Vec<_>>().join(", "),
        );
        return;
    }
    match (unit.hosoku_month.as_deref(), hosoku) {
        (Some("000000"), Some(m)) if m != "000000" => {
            sink.file(RuleId::UnitHosokuMonth, "000000", &m)
        }
        (Some("service"), Some(m)) => {
            if let Some(month) = sheet_months.iter().next()
                && *month != m
            {
                sink.file(RuleId::UnitHosokuMonth, month, &m);
            }
        }
        _ => {}
    }
}
