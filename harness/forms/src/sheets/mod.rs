//! The sheets of each page, built from the records the page holds.

mod generic;
mod month;
mod plan;
mod prevention;

use std::collections::BTreeSet;

use crate::model::{Block, Cell, Ctx, Sheet};
use crate::pages::{PageKey, Person};
use crate::read::{FileSet, Rec};

/// A record and the index of its file.
pub(crate) type Entry<'a> = (usize, &'a Rec);

/// The records of (file, record) index pairs.
pub(crate) fn recs<'a>(set: &'a FileSet, entries: &[(usize, usize)]) -> Vec<Entry<'a>> {
    entries
        .iter()
        .map(|&(fi, ri)| (fi, &set.files[fi].records[ri]))
        .collect()
}

/// Orders numbers as numbers and anything else after them, as written.
pub(crate) fn sort_key(s: &str) -> (u64, String) {
    (s.parse().unwrap_or(u64::MAX), s.to_owned())
}

/// The person's name from a 利用者補足情報 (or another) record, with `suffix` (`殿`).
pub(crate) fn name_cell(ctx: &mut Ctx<'_>, from: Option<Entry<'_>>, no: u32, suffix: &str) -> Cell {
    match from {
        Some((fi, rec)) => {
            let mut c = ctx.cell(fi, rec, no);
            if !c.text.is_empty() {
                c.text.push_str(suffix);
            }
            c
        }
        None => Cell::default(),
    }
}

/// The distinct file names of entries, in order.
pub(crate) fn sources(ctx: &Ctx<'_>, entries: &[(usize, usize)]) -> Vec<String> {
    let files: BTreeSet<usize> = entries.iter().map(|&(fi, _)| fi).collect();
    files
        .into_iter()
        .map(|fi| ctx.file(fi).name.clone())
        .collect()
}

fn of_kind(set: &FileSet, entries: &[(usize, usize)], kind: &str) -> Vec<(usize, usize)> {
    entries
        .iter()
        .copied()
        .filter(|&(fi, _)| set.files[fi].kind.as_deref() == Some(kind))
        .collect()
}

/// The page's title for the index and the HTML `<title>`.
pub(crate) fn page_title(key: &PageKey) -> String {
    match key {
        PageKey::Plan(d) => format!("居宅サービス計画書（{}作成・変更）", crate::text::date(d)),
        PageKey::Month(m) => format!("{}分 サービス利用票・別表", crate::text::month(m)),
        PageKey::Kihon(d) => format!("利用者基本情報（{}相談）", crate::text::date(d)),
        PageKey::Yobo(d) => format!(
            "介護予防サービス・支援計画書（{}作成）",
            crate::text::date(d)
        ),
        PageKey::Deletions => "削除指示".into(),
        PageKey::Other => "その他のファイル".into(),
    }
}

/// Builds the sheets of one page.
pub(crate) fn build(
    ctx: &mut Ctx<'_>,
    person: &Person,
    key: &PageKey,
    entries: &[(usize, usize)],
) -> Vec<Sheet> {
    let set = ctx.set;
    let hosoku_entries = of_kind(set, entries, "UPHOSOKU");
    let hosoku = recs(set, &hosoku_entries)
        .first()
        .copied()
        .or_else(|| person_hosoku(set, person));
    let mut sheets = Vec::new();
    match key {
        PageKey::Plan(_) => {
            for e in recs(set, &of_kind(set, entries, "UP1KYO")) {
                sheets.push(plan::plan1(ctx, e, hosoku));
            }
            let two = of_kind(set, entries, "UP2KYO");
            if !two.is_empty() {
                sheets.push(plan::plan2(ctx, &two, hosoku));
            }
            let three = of_kind(set, entries, "UP3KYO");
            if !three.is_empty() {
                sheets.push(plan::plan3(ctx, &three, hosoku));
            }
            for e in recs(set, &hosoku_entries) {
                sheets.push(month::hosoku(ctx, e));
            }
        }
        PageKey::Month(m) => {
            let plan = of_kind(set, entries, "UPPLAN");
            let jsk = of_kind(set, entries, "UPJSK");
            if !plan.is_empty() || !jsk.is_empty() {
                sheets.push(month::sheet6(ctx, m, &plan, &jsk, hosoku));
            }
            let seven = of_kind(set, entries, "UPSIKYU");
            if !seven.is_empty() {
                sheets.push(month::sheet7(ctx, m, &seven, hosoku));
            }
            for e in recs(set, &hosoku_entries) {
                sheets.push(month::hosoku(ctx, e));
            }
        }
        PageKey::Kihon(d) => {
            let images = person.images.get(d).cloned().unwrap_or_default();
            for e in recs(set, &of_kind(set, entries, "UPKIHON")) {
                sheets.push(prevention::kihon(ctx, e, &images));
            }
            let sub1 = of_kind(set, entries, "UPKIHON_SUB1");
            let sub2 = of_kind(set, entries, "UPKIHON_SUB2");
            if !sub1.is_empty() || !sub2.is_empty() {
                sheets.push(prevention::kihon_sub(ctx, &sub1, &sub2));
            }
        }
        PageKey::Yobo(_) => {
            let subs = of_kind(set, entries, "UPYOBO_SUB");
            let main = of_kind(set, entries, "UPYOBO");
            for e in recs(set, &main) {
                sheets.push(prevention::yobo(ctx, e, &subs));
            }
            if main.is_empty() && !subs.is_empty() {
                sheets.push(prevention::yobo_sub_only(ctx, &subs));
            }
        }
        PageKey::Deletions | PageKey::Other => {
            let kinds: BTreeSet<Option<String>> = entries
                .iter()
                .map(|&(fi, _)| set.files[fi].kind.clone())
                .collect();
            for kind in kinds {
                let of: Vec<_> = entries
                    .iter()
                    .copied()
                    .filter(|&(fi, _)| set.files[fi].kind == kind)
                    .collect();
                sheets.push(generic::records(ctx, kind.as_deref(), &of));
            }
        }
    }
    if let Some(old) = person.superseded.get(key) {
        let names: Vec<String> = old.iter().map(|&fi| set.files[fi].name.clone()).collect();
        if let Some(last) = sheets.last_mut() {
            last.blocks.push(Block::Note(format!(
                "同じ送信元・送信先・種別の後の連番で置き換えられたため表示していないファイル: {}",
                names.join("、")
            )));
        }
    }
    sheets
}

/// Any 利用者補足情報 record of the person (for the name on plan forms without their own).
fn person_hosoku<'a>(set: &'a FileSet, person: &Person) -> Option<Entry<'a>> {
    person
        .pages
        .values()
        .flatten()
        .map(|&(fi, ri)| (fi, &set.files[fi].records[ri]))
        .find(|(fi, _)| set.files[*fi].kind.as_deref() == Some("UPHOSOKU"))
}
