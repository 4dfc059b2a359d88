//! The import checklist page as the operator meets it: loaded from disk in headless Chromium
//! (its items render from the inline data), and its answer-building function run in node with
//! marks like an operator's, the result read back by the manual adapter's conversion.
//!
//! Chromium: skipped loudly when absent unless `CPCERT_REQUIRE_CHROMIUM=1`. Node: skipped
//! loudly when absent (the conversion itself is unit-tested in the crate).

use std::path::{Path, PathBuf};
use std::process::Command;

use cpcert_adapters::checklist::{
    CHECKLIST, CHECKLIST_DATA, Checklist, ChecklistAnswer, held_from_checklist,
    write_import_checklist,
};

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples")
}

fn request() -> (tempfile::TempDir, PathBuf, Checklist) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("0001-import-provider");
    std::fs::create_dir(&dir).unwrap();
    let mut files: Vec<PathBuf> = std::fs::read_dir(examples().join("planner"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().contains("_202504_"))
        .collect();
    files.sort();
    let list = write_import_checklist(&dir, &files).unwrap();
    (tmp, dir, list)
}

#[test]
fn checklist_page_renders_its_items_in_chromium() {
    let (_tmp, dir, list) = request();
    let Some(chromium) = cpcert_browser::Chromium::find("the checklist page browser test") else {
        return;
    };
    let dom = chromium.dump_dom(&dir.join(CHECKLIST), &["--virtual-time-budget=5000"]);
    let items: usize = list.groups.iter().map(|g| g.items.len()).sum();
    assert_eq!(
        dom.matches("<tr data-key=").count(),
        items,
        "one row per item"
    );
    assert!(
        dom.contains("第6表（サービス利用票）予定（UPPLAN）1件目"),
        "groups are titled"
    );
    assert!(
        dom.contains("架空ヘルパーステーション"),
        "sent values are shown"
    );
    assert!(
        dom.contains(&format!("未確認 {items} 項目")),
        "progress counts every item"
    );
    assert!(
        dom.contains("id=\"save\" disabled"),
        "saving waits for every mark"
    );
    assert!(
        dom.contains("href=\"forms/p01-month-202504.html\""),
        "a record links to its form"
    );
}

#[test]
fn checklist_answer_built_by_the_page_script_is_read_by_the_adapter() {
    let (_tmp, dir, list) = request();
    if Command::new("node").arg("--version").output().is_err() {
        eprintln!("\n*** SKIPPED: node not installed ***\n");
        return;
    }
    let page = std::fs::read_to_string(dir.join(CHECKLIST)).unwrap();
    let start = page.find("/*ANSWER-BEGIN*/").unwrap();
    let end = page.find("/*ANSWER-END*/").unwrap();
    let script = format!(
        "{}\nconst data = JSON.parse(require('fs').readFileSync({:?}, 'utf8'));
const marks = {{}};
for (const g of data.groups) for (const it of g.items) marks[markKey(g.kind, g.record, it.field)] = {{status: 'kept'}};
const g = data.groups.find(g => g.kind === 'UPPLAN');
marks[markKey(g.kind, g.record, 7)] = {{status: 'different', seen: '別の 担当'}};
marks[markKey(g.kind, g.record, 21)] = {{status: 'not-kept'}};
const partial = buildAnswer(data, {{}});
if (partial.missing === 0) throw new Error('nothing marked yet');
const r = buildAnswer(data, marks);
if (r.missing !== 0) throw new Error('all marked');
process.stdout.write(JSON.stringify(r.answer));",
        &page[start..end],
        dir.join(CHECKLIST_DATA).display().to_string()
    );
    let out = Command::new("node").arg("-e").arg(script).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let answer: ChecklistAnswer = serde_json::from_slice(&out.stdout).unwrap();
    let (held, not_kept) = held_from_checklist(&list, &answer).unwrap();
    assert_eq!(
        held["UPPLAN"][0].get(&7).map(String::as_str),
        Some("別の 担当")
    );
    assert_eq!(
        held["UPPLAN"][0].get(&15).map(String::as_str),
        Some("111211")
    );
    assert!(not_kept["UPPLAN"].contains(&21));
    assert_eq!(held["UPSIKYU"].len(), 2, "both 第7表 rows are held");
}
