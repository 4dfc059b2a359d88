//! Which records go on which page: one page per person and plan date, month, 利用者基本情報,
//! 予防計画 and deletions. A record's person is its 保険者番号 + 被保険者番号 (No.2, No.3 of every
//! layout); resent files (the same kind, sender and receiver with a later 連番) replace earlier ones.

use std::collections::{BTreeMap, BTreeSet};

use crate::read::{FileSet, SheetFile};
use crate::text;

/// A page of one person.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
/// In the order a care manager works: 利用者基本情報, 予防計画 / 居宅サービス計画, 利用票.
pub(crate) enum PageKey {
    /// 利用者基本情報 (+ 別表1, 別表2, picture) of one 相談日.
    Kihon(String),
    /// 介護予防サービス・支援計画書 (+ 別表) of one 計画作成(変更)日.
    Yobo(String),
    /// 第1表–第3表 (+ 利用者補足情報 000000) of one 居宅サービス計画作成（変更）日.
    Plan(String),
    /// 第6表, 第7表 (+ 利用者補足情報) of one 対象年月.
    Month(String),
    /// 削除 records.
    Deletions,
    /// Kinds without a form of their own.
    Other,
}

impl PageKey {
    pub(crate) fn file_part(&self) -> String {
        match self {
            PageKey::Plan(d) => format!("plan-{}", text::slug(d)),
            PageKey::Month(m) => format!("month-{}", text::slug(m)),
            PageKey::Kihon(d) => format!("kihon-{}", text::slug(d)),
            PageKey::Yobo(d) => format!("yobo-{}", text::slug(d)),
            PageKey::Deletions => "deletions".into(),
            PageKey::Other => "other".into(),
        }
    }
}

/// (file index, record index) pairs.
pub(crate) type Entries = Vec<(usize, usize)>;

/// One person's pages.
#[derive(Debug, Clone)]
pub(crate) struct Person {
    /// (保険者番号, 被保険者番号).
    pub(crate) key: (String, String),
    pub(crate) name: String,
    pub(crate) kana: String,
    pub(crate) pages: BTreeMap<PageKey, Entries>,
    /// Files left out because a later 連番 of the same kind, sender and receiver replaced them.
    pub(crate) superseded: BTreeMap<PageKey, BTreeSet<usize>>,
    /// Pictures for 利用者基本情報 pages (file index), by the 相談日.
    pub(crate) images: BTreeMap<String, Vec<usize>>,
}

/// Everything placed: the persons and the files that went on no page.
#[derive(Debug, Clone, Default)]
pub(crate) struct Placement {
    pub(crate) persons: Vec<Person>,
    /// Files with no record (empty, unreadable, an attachment nobody names).
    pub(crate) unplaced: Vec<usize>,
}

fn page_of(kind: &str, rec: &crate::read::Rec) -> PageKey {
    match kind {
        "UP1KYO" => PageKey::Plan(rec.get(14).into()),
        "UP2KYO" | "UP3KYO" => PageKey::Plan(rec.get(5).into()),
        "UPHOSOKU" => match rec.get(63) {
            "" | "000000" => PageKey::Plan(rec.get(4).into()),
            m => PageKey::Month(m.into()),
        },
        "UPPLAN" | "UPJSK" | "UPSIKYU" => PageKey::Month(rec.get(5).into()),
        "UPKIHON" | "UPKIHON_SUB1" | "UPKIHON_SUB2" => PageKey::Kihon(rec.get(4).into()),
        "UPYOBO" | "UPYOBO_SUB" => PageKey::Yobo(rec.get(4).into()),
        k if k.starts_with("DLT") => PageKey::Deletions,
        _ => PageKey::Other,
    }
}

/// The 連番 of a file, for choosing the latest of resent files.
fn timestamp(file: &SheetFile) -> &str {
    file.parsed.timestamp.as_deref().unwrap_or("")
}

/// Places every record of the set on a person's page.
pub(crate) fn place(set: &FileSet) -> Placement {
    let mut persons: BTreeMap<(String, String), Person> = BTreeMap::new();
    let mut unplaced = Vec::new();
    let mut images = Vec::new();
    for (fi, file) in set.files.iter().enumerate() {
        if file.image.is_some() {
            images.push(fi);
            continue;
        }
        if file.records.is_empty() {
            unplaced.push(fi);
            continue;
        }
        let kind = file.kind.as_deref().unwrap_or("");
        for (ri, rec) in file.records.iter().enumerate() {
            let key = (rec.get(2).to_owned(), rec.get(3).to_owned());
            let person = persons.entry(key.clone()).or_insert_with(|| Person {
                key,
                name: String::new(),
                kana: String::new(),
                pages: BTreeMap::new(),
                superseded: BTreeMap::new(),
                images: BTreeMap::new(),
            });
            let (name, kana) = match kind {
                "UPHOSOKU" => (rec.get(6), rec.get(5)),
                "UPKIHON" => (rec.get(15), rec.get(14)),
                "UPYOBO" => (rec.get(8), ""),
                _ => ("", ""),
            };
            if person.name.is_empty() && !name.is_empty() {
                person.name = name.to_owned();
            }
            if person.kana.is_empty() && !kana.is_empty() {
                person.kana = kana.to_owned();
            }
            person
                .pages
                .entry(page_of(kind, rec))
                .or_default()
                .push((fi, ri));
        }
    }
    for person in persons.values_mut() {
        drop_superseded(set, person);
        drop_repeated(set, person);
    }
    // A picture belongs to the 利用者基本情報 whose 家族構成 画像ファイル名 (No.62) names it.
    for fi in images {
        let name = &set.files[fi].name;
        let mut placed = false;
        for person in persons.values_mut() {
            let days: Vec<String> = person
                .pages
                .iter()
                .filter_map(|(k, entries)| match k {
                    PageKey::Kihon(d) => entries
                        .iter()
                        .any(|&(f, r)| {
                            set.files[f].kind.as_deref() == Some("UPKIHON")
                                && set.files[f].records[r].get(62).eq_ignore_ascii_case(name)
                        })
                        .then(|| d.clone()),
                    _ => None,
                })
                .collect();
            for d in days {
                person.images.entry(d).or_default().push(fi);
                placed = true;
            }
        }
        if !placed {
            unplaced.push(fi);
        }
    }
    Placement {
        persons: persons.into_values().collect(),
        unplaced,
    }
}

/// Keeps one of identical records of one kind on a page: a planner sends the same 第7表 and
/// 利用者補足情報 to every provider of the month, and the form shows them once.
fn drop_repeated(set: &FileSet, person: &mut Person) {
    for (key, entries) in &mut person.pages {
        if matches!(key, PageKey::Deletions | PageKey::Other) {
            continue;
        }
        let mut seen: BTreeSet<(Option<&str>, &[String])> = BTreeSet::new();
        entries.retain(|&(fi, ri)| {
            let file = &set.files[fi];
            seen.insert((file.kind.as_deref(), &file.records[ri].fields))
        });
    }
}

/// Keeps, per page, only the latest 連番 of each (kind, sender, receiver).
fn drop_superseded(set: &FileSet, person: &mut Person) {
    for (key, entries) in &mut person.pages {
        if matches!(key, PageKey::Deletions | PageKey::Other) {
            continue;
        }
        let mut latest: BTreeMap<(String, String, String), &str> = BTreeMap::new();
        let group = |fi: usize| {
            let f = &set.files[fi];
            (
                f.kind.clone().unwrap_or_default(),
                f.parsed.from.clone().unwrap_or_default(),
                f.parsed.to.clone().unwrap_or_default(),
            )
        };
        for &(fi, _) in entries.iter() {
            let ts = timestamp(&set.files[fi]);
            let slot = latest.entry(group(fi)).or_insert(ts);
            if ts > *slot {
                *slot = ts;
            }
        }
        let mut dropped = BTreeSet::new();
        entries.retain(|&(fi, _)| {
            let keep = latest.get(&group(fi)) == Some(&timestamp(&set.files[fi]));
            if !keep {
                dropped.insert(fi);
            }
            keep
        });
        if !dropped.is_empty() {
            person.superseded.insert(key.clone(), dropped);
        }
    }
    person.pages.retain(|_, e| !e.is_empty());
}
