//! What a person sees: `cpcert view` of every example file set rendered by headless Chromium —
//! the 第6表 grid's services on the right days, totals and names in the DOM, and every sheet
//! fitting its paper (measured in the page, and counted in a print-to-PDF).
//!
//! Skips with a loud message when Chromium is absent, unless `CPCERT_REQUIRE_CHROMIUM=1` (set
//! by `.ci/run`), where it fails.

use std::path::{Path, PathBuf};

use cpcert_browser::Chromium;
use cpcert_forms::{ViewOptions, read_paths, render, write_rendered};
use cpcert_spec::Spec;

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples")
}

/// Runs headless Chromium (`cpcert-browser`: the team's flags, a fresh profile) with file
/// access between local pages and time for their scripts; returns stdout.
fn run_chromium(bin: &Chromium, args: &[&str]) -> String {
    let mut all = vec![
        "--allow-file-access-from-files",
        "--virtual-time-budget=5000",
    ];
    all.extend_from_slice(args);
    bin.run(&all)
}

fn url(path: &Path) -> String {
    format!("file://{}", path.canonicalize().unwrap().display())
}

/// A page that loads `page` in a frame and writes, per sheet, its form id and its content size
/// in millimetres (as it prints: the sheet's own padding is the page margin) into the DOM.
fn measure(bin: &Chromium, dir: &Path, page: &str) -> Vec<(String, f64, f64)> {
    let harness = dir.join(format!("measure-{page}"));
    std::fs::write(
        &harness,
        format!(
            r#"<!doctype html><html><body><iframe id="f" style="width:1600px;height:1000px" src="{page}"></iframe><pre id="out"></pre>
<script>
window.addEventListener('load', () => {{
  const doc = document.getElementById('f').contentDocument;
  const st = doc.createElement('style');
  st.textContent = '.sheet{{min-height:0 !important}}';
  doc.head.appendChild(st);
  const mm = 96 / 25.4;
  document.getElementById('out').textContent = [...doc.querySelectorAll('section.sheet')].map(s => {{
    const pad = 2 * parseFloat(getComputedStyle(s).paddingTop);
    return [s.dataset.form, (s.scrollWidth - pad) / mm, (s.getBoundingClientRect().height - pad) / mm].join(' ');
  }}).join('\n');
}});
</script></body></html>"#
        ),
    )
    .unwrap();
    let dom = run_chromium(bin, &["--dump-dom", &url(&harness)]);
    let text = between(&dom, "<pre id=\"out\">", "</pre>");
    text.lines()
        .map(|l| {
            let mut p = l.split(' ');
            let form = p.next().unwrap().to_owned();
            let w: f64 = p.next().unwrap().parse().unwrap();
            let h: f64 = p.next().unwrap().parse().unwrap();
            (form, w, h)
        })
        .collect()
}

fn between<'a>(s: &'a str, start: &str, end: &str) -> &'a str {
    let from = s
        .find(start)
        .unwrap_or_else(|| panic!("no {start} in the DOM"))
        + start.len();
    &s[from..from + s[from..].find(end).unwrap()]
}

/// Page count and MediaBoxes of a PDF written by Chromium (its page objects are not compressed).
fn pdf_pages(pdf: &[u8]) -> Vec<(f64, f64)> {
    let text = String::from_utf8_lossy(pdf);
    let mut out = Vec::new();
    for part in text.split("/MediaBox [").skip(1) {
        let nums: Vec<f64> = part
            .split(']')
            .next()
            .unwrap()
            .split_whitespace()
            .filter_map(|n| n.parse().ok())
            .collect();
        out.push((nums[2] - nums[0], nums[3] - nums[1]));
    }
    out
}

#[test]
fn example_forms_render_and_fit_their_paper() {
    let Some(bin) = Chromium::find("the forms browser test") else {
        return;
    };
    let out = tempfile::tempdir().unwrap();
    let set = read_paths(&[examples()], Spec::embedded()).unwrap();
    let rendered = render(&set, Spec::embedded(), &ViewOptions::default());
    write_rendered(&rendered, out.path()).unwrap();

    // Every example kind has a form: the planner's plans and sheets, the provider's 実績, the
    // 地域包括's 利用者基本情報 and 予防計画.
    let forms: Vec<&str> = rendered
        .pages
        .iter()
        .flat_map(|p| p.forms.iter().map(String::as_str))
        .collect();
    for form in [
        "plan1",
        "plan2",
        "plan3",
        "sheet6",
        "sheet7",
        "hosoku",
        "kihon",
        "kihon-sub",
        "yobo",
        "records",
    ] {
        assert!(forms.contains(&form), "no {form} among {forms:?}");
    }

    // The index lists every page.
    let index = run_chromium(&bin, &["--dump-dom", &url(&out.path().join("index.html"))]);
    for page in &rendered.pages {
        assert!(
            index.contains(&format!("href=\"{}\"", page.file)),
            "index lacks {}",
            page.file
        );
    }
    assert!(index.contains("削除 消子"), "the index names the person");

    // 第6表 of April 2025 (planner + provider files): 訪問介護 111211 at 10:00–11:00 on 4/1
    // (a Tuesday), planned and performed once, from the 架空ヘルパーステーション.
    let month = rendered
        .pages
        .iter()
        .find(|p| {
            p.file.ends_with("month-202504.html")
                && p.forms.contains(&"sheet6".to_owned())
                && p.person == "削除 消子"
        })
        .expect("the April sheet of 削除 消子");
    let dom = run_chromium(&bin, &["--dump-dom", &url(&out.path().join(&month.file))]);
    let grid = between(&dom, "<table class=\"grid6\">", "</table>");
    assert!(
        grid.contains("訪問介護 111211"),
        "service name and code in the grid"
    );
    assert!(
        grid.contains("架空ヘルパーステーション"),
        "the office in the grid"
    );
    assert!(grid.contains("10:00～11:00"), "the time in the grid");
    let head = between(grid, "<thead>", "</thead>");
    assert!(
        head.contains("<th class=\"sat\">5</th>") || head.contains(">5</th>"),
        "day columns"
    );
    let body = between(grid, "<tbody>", "</tbody>");
    let cell = |data: &str| between(body, &format!("data-cell=\"{data}\">"), "</td>").to_owned();
    assert!(
        cell("plan-1").contains(">1</span>"),
        "planned once on the 1st: {}",
        cell("plan-1")
    );
    assert!(
        cell("done-1").contains(">1</span>"),
        "performed once on the 1st: {}",
        cell("done-1")
    );
    for day in 2..=30 {
        assert!(
            cell(&format!("plan-{day}")).contains("<span class=\"v\"></span>"),
            "nothing planned on day {day}"
        );
    }
    assert!(!body.contains("data-cell=\"plan-31\""), "April has 30 days");
    assert!(
        dom.contains("削除 消子 殿"),
        "the person's name on the sheet"
    );
    assert!(dom.contains("19,705 単位/月"), "区分支給限度基準額");
    let seven = between(&dom, "<table class=\"t7\">", "</table>");
    assert!(seven.contains("class=\"total\""), "第7表 has its total row");
    assert!(seven.contains("合計"), "第7表 total row is named");

    // Paper: every sheet of every page fits A4 (landscape 283 × 196 mm inside 7 mm margins,
    // portrait 196 × 283 mm).
    for page in &rendered.pages {
        for (form, w, h) in measure(&bin, out.path(), &page.file) {
            let portrait = ["kihon", "kihon-sub", "records"].contains(&form.as_str());
            let (max_w, max_h) = if portrait {
                (196.5, 283.5)
            } else {
                (283.5, 196.5)
            };
            assert!(
                w <= max_w && h <= max_h,
                "{} {form}: {w:.1} × {h:.1} mm exceeds {max_w} × {max_h}",
                page.file
            );
        }
    }

    // And as printed: one PDF page per sheet, A4 landscape (842 × 595 pt).
    let pdf = out.path().join("month.pdf");
    run_chromium(
        &bin,
        &[
            "--no-pdf-header-footer",
            &format!("--print-to-pdf={}", pdf.display()),
            &url(&out.path().join(&month.file)),
        ],
    );
    let pages = pdf_pages(&std::fs::read(&pdf).unwrap());
    let sheets = dom.matches("<section class=\"sheet").count();
    assert_eq!(pages.len(), sheets, "one printed page per sheet");
    for (w, h) in pages {
        assert!(
            (w - 841.9).abs() < 2.0 && (h - 595.0).abs() < 2.0,
            "A4 landscape, got {w} × {h}"
        );
    }
}

#[test]
fn invalid_files_render_with_their_findings_beside_the_cells() {
    let Some(bin) = Chromium::find("the forms browser test") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    // The example UPPLAN with a day that does not exist in April and a time that is no time.
    let src =
        examples().join("planner/UPPLAN_202504_1399100001_43_1399100101_11_20250325100000.CSV");
    let bytes = std::fs::read(&src).unwrap();
    let text = cpcert_csv::decode_lossy(&bytes).replace(",1000,1100,", ",1000,1199,");
    let path = dir.path().join(src.file_name().unwrap());
    std::fs::write(&path, cpcert_csv::encode_ms932(&text).unwrap()).unwrap();
    let set = read_paths(&[path], Spec::embedded()).unwrap();
    assert!(
        !set.files[0].findings.is_empty(),
        "the broken time is a finding"
    );
    let out = dir.path().join("out");
    write_rendered(
        &render(&set, Spec::embedded(), &ViewOptions::default()),
        &out,
    )
    .unwrap();
    let page = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().contains("month-"))
        .unwrap();
    let dom = run_chromium(&bin, &["--dump-dom", &url(&page)]);
    let grid = between(&dom, "<table class=\"grid6\">", "</table>");
    let cell = between(grid, "data-cell=\"plan-1\">", "</td>");
    assert!(
        cell.contains("class=\"mk err\""),
        "the day cell carries the finding's number: {cell}"
    );
    assert!(
        dom.contains("data-form=\"findings\""),
        "the page lists its findings"
    );
    assert!(dom.contains("No.13"), "the list names the field");
}
