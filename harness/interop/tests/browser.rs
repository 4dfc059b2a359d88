//! What a person sees of the interop matrix in real headless Chromium: every cell of every
//! matrix (overall, per pattern, per file kind) shows the model's mark and count, ○ and × and
//! their links to the pair's exchanges, in Japanese by default and in English.
//!
//! Skips with a loud message when Chromium is absent, unless `CPCERT_REQUIRE_CHROMIUM=1`.

use std::path::Path;

use cpcert_browser::Chromium;
use cpcert_checks::Lang;
use cpcert_interop::{Interop, InteropRequest, write_reports};
use cpcert_report::interop::{InteropResults, Mark, Slice, summary};

/// The cells of the DOM's tables opened by `table_open` (the matrices, or the pairs table):
/// (slice, sender, receiver, data-mark, the text shown, link).
fn cells(dom: &str, table_open: &str) -> Vec<(String, String, String, String, String, String)> {
    let attr = |tag: &str, name: &str| -> String {
        let key = format!("{name}=\"");
        tag.find(&key)
            .map(|i| {
                let rest = &tag[i + key.len()..];
                rest[..rest.find('"').unwrap_or(0)].to_owned()
            })
            .unwrap_or_default()
    };
    let text = |html: &str| -> String {
        let mut out = String::new();
        let mut inside = false;
        for c in html.chars() {
            match c {
                '<' => inside = true,
                '>' => inside = false,
                c if !inside => out.push(c),
                _ => {}
            }
        }
        out.trim().to_owned()
    };
    let mut out = Vec::new();
    for table in dom.split(table_open).skip(1) {
        // The slice of a matrix is on its opening tag (the pairs table has none there).
        let slice = attr(&table[..table.find('>').unwrap()], "data-slice");
        let body = &table[..table.find("</table>").unwrap()];
        for td in body.split("<td ").skip(1) {
            let end = td.find("</td>").unwrap();
            let (open, inner) = td[..end].split_once('>').unwrap();
            out.push((
                // The pairs table names each cell's slice on the cell.
                if slice.is_empty() {
                    attr(open, "data-slice")
                } else {
                    slice.clone()
                },
                attr(open, "data-sender"),
                attr(open, "data-receiver"),
                attr(open, "data-mark"),
                // The blame note is a line of its own under the mark.
                text(inner.split("<span class=\"blame\"").next().unwrap()),
                attr(inner, "href"),
            ));
        }
    }
    out
}

fn results() -> InteropResults {
    Interop::prepare(&InteropRequest {
        receivers: vec![
            "reference".into(),
            "alternate".into(),
            "reference:fault=taka-variant".into(),
            "reference:fault=ignore-deletions".into(),
        ],
        suite: Some(Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")),
        now: Some("2026-01-01T00:00:00Z".into()),
        ..InteropRequest::default()
    })
    .unwrap()
    .run()
}

#[test]
fn a_person_sees_the_marks_of_every_cell() {
    let Some(chromium) = Chromium::find("the interop matrix browser test") else {
        return;
    };
    let results = results();
    let dir = tempfile::tempdir().unwrap();
    for lang in [Lang::Ja, Lang::En] {
        let out = dir.path().join(format!("{lang:?}"));
        write_reports(
            &out,
            &results,
            cpcert_interop::ReportOptions {
                lang,
                mask: false,
                evidence: false,
            },
        )
        .unwrap();
        let dom = chromium.dump_dom(&out.join("index.html"), &[]);
        assert!(
            dom.contains(match lang {
                Lang::Ja => "相互運用試験（送信側 × 受信側）",
                Lang::En => "Interoperability (sender × receiver)",
            }),
            "{lang:?}: the title"
        );
        let shown = cells(&dom, "<table class=\"imatrix\"");
        // Every matrix: overall, D1–D7, each file kind; a cell per sender × receiver.
        let slices = 1 + results.patterns.len() + results.kinds().len();
        assert_eq!(
            shown.len(),
            slices * results.senders.len() * results.receivers.len(),
            "{lang:?}"
        );
        for (slice, sender, receiver, mark, text, href) in &shown {
            let cell = match slice.as_str() {
                "all" => results.cell(sender, receiver, Slice::All),
                s => match results.patterns.iter().find(|p| p.id == *s) {
                    Some(p) => results.cell(sender, receiver, Slice::Pattern(p)),
                    None => results.cell(sender, receiver, Slice::Kind(s)),
                },
            };
            let at = format!("{lang:?} {slice} {sender} → {receiver}");
            assert_eq!(mark, cell.mark.id(), "{at}");
            assert_eq!(text, &summary::cell_text(&cell, lang), "{at}");
            match cell.mark {
                Mark::NotApplicable => assert!(href.is_empty(), "{at}"),
                _ => {
                    // The link leads to the pair's exchanges on the same page.
                    let id = href
                        .strip_prefix('#')
                        .unwrap_or_else(|| panic!("{at}: {href}"));
                    assert!(dom.contains(&format!("id=\"{id}\"")), "{at}: {href}");
                }
            }
        }
        let overall = |s: &str, r: &str| {
            shown
                .iter()
                .find(|c| c.0 == "all" && c.1 == s && c.2 == r)
                .map(|c| c.4.clone())
                .unwrap()
        };
        // The correct products ○ both ways; the faulty importers × with the count of differing
        // fields from the reference; the alternate's EEE0 髙 is read right by the FBFC misreader.
        for s in ["reference", "alternate"] {
            for r in ["reference", "alternate"] {
                assert_eq!(overall(s, r), "○", "{lang:?} {s} → {r}");
            }
        }
        let taka = overall("reference", "reference:fault=taka-variant");
        assert!(taka.starts_with('×') && taka.len() > "×".len(), "{taka}");
        assert!(overall("reference", "reference:fault=ignore-deletions").starts_with('×'));
        assert_eq!(overall("alternate", "reference:fault=taka-variant"), "○");

        // The pairs table: a row per sender → receiver, a column per slice, each cell the
        // model's; a faulty receiver's row is × in some slices and ○ in others (only where its
        // fault breaks), the correct receivers' rows ○ throughout.
        let pairs = cells(&dom, "<table class=\"pairs\"");
        assert_eq!(
            pairs.len(),
            slices * results.senders.len() * results.receivers.len(),
            "{lang:?}: pairs table"
        );
        for (slice, sender, receiver, mark, text, _) in &pairs {
            let cell = match slice.as_str() {
                "all" => results.cell(sender, receiver, Slice::All),
                s => match results.patterns.iter().find(|p| p.id == *s) {
                    Some(p) => results.cell(sender, receiver, Slice::Pattern(p)),
                    None => results.cell(sender, receiver, Slice::Kind(s)),
                },
            };
            let at = format!("{lang:?} pairs {slice} {sender} → {receiver}");
            assert_eq!(mark, cell.mark.id(), "{at}");
            assert_eq!(text, &summary::cell_text(&cell, lang), "{at}");
        }
        let row = |s: &str, r: &str| -> Vec<&str> {
            pairs
                .iter()
                .filter(|c| c.1 == s && c.2 == r && c.0 != "all")
                .map(|c| c.3.as_str())
                .collect()
        };
        for r in ["reference", "alternate"] {
            assert!(
                row("reference", r).iter().all(|m| *m != "fail"),
                "{lang:?}: reference → {r}"
            );
        }
        for fault in ["taka-variant", "ignore-deletions"] {
            let marks = row("reference", &format!("reference:fault={fault}"));
            assert!(
                marks.contains(&"fail") && marks.contains(&"pass"),
                "{lang:?}: {fault}'s row is × only in some slices: {marks:?}"
            );
        }
    }
}
