//! The standard's forms (帳票) from any file set: `cpcert view`.
//!
//! [`read_paths`] / [`read_sources`] read files by field No. through the layouts of the spec data
//! (never cpcert's scenario model) and run validate on each; [`render`] lays the records out as
//! the familiar sheets — 第1表–第3表, 第6表 (the month grid with 予定/実績 rows), 第7表 (with its
//! subtotal and total rows), 利用者基本情報, 介護予防サービス・支援計画書, 利用者補足情報 — one HTML
//! page per person and plan date or month, plus `index.html`. Pages are self-contained (inline
//! CSS, no script, no external URL) and print on A4 (`@page` sizes, one sheet per page). Every
//! finding is numbered beside the cells it concerns and listed at the end of its page.

#![warn(missing_docs)]

mod html;
mod model;
mod pages;
mod read;
mod sheets;
mod text;

use std::io;
use std::path::Path;

use askama::Template;
use cpcert_checks::{Finding, Lang, Severity, ValidateOptions};
use cpcert_spec::Spec;

pub use read::{
    FileSet, MAX_FILE_BYTES, MAX_IMAGE_BYTES, MAX_RECORDS, ReadError, Rec, SheetFile, Source,
    read_paths, read_sources,
};

use html::{FileRow, IndexHtml, PageHtml, PageLink, PersonView};
use model::{Ctx, Listed, severity_class};

/// How to render.
#[derive(Debug, Clone)]
pub struct ViewOptions {
    /// Language of the findings and the index (the forms themselves are the standard's Japanese).
    pub lang: Lang,
    /// Written into `<meta name="generator">` (e.g. `cpcert 0.1.0`).
    pub generator: String,
}

impl Default for ViewOptions {
    fn default() -> Self {
        ViewOptions {
            lang: Lang::Ja,
            generator: concat!("cpcert ", env!("CARGO_PKG_VERSION")).into(),
        }
    }
}

/// One rendered page.
#[derive(Debug, Clone)]
pub struct Page {
    /// File name inside the output folder (`p01-month-202504.html`).
    pub file: String,
    /// The person's name (or numbers when no file names them).
    pub person: String,
    /// The page's title.
    pub title: String,
    /// The forms on it, by stable id (`plan1`, `plan2`, `plan3`, `sheet6`, `sheet7`, `hosoku`,
    /// `kihon`, `kihon-sub`, `yobo`, `records`).
    pub forms: Vec<String>,
    /// Findings listed on the page.
    pub findings: usize,
    /// The HTML.
    pub html: String,
}

/// Everything `render` made: the pages and `index.html`.
#[derive(Debug, Clone)]
pub struct Rendered {
    /// The pages, person by person.
    pub pages: Vec<Page>,
    /// `index.html`.
    pub index: String,
}

/// Renders the forms of a file set. Pure: the same set and options give the same bytes.
pub fn render(set: &FileSet, spec: &Spec, options: &ViewOptions) -> Rendered {
    let version = ValidateOptions::default().layout_version;
    let lang = options.lang;
    let placement = pages::place(set);
    let mut out = Vec::new();
    let mut persons = Vec::new();
    for (i, person) in placement.persons.iter().enumerate() {
        let slug = format!("p{:02}", i + 1);
        let display = if person.name.is_empty() {
            format!("{} {}", person.key.0, person.key.1)
        } else {
            person.name.clone()
        };
        let mut links = Vec::new();
        for (key, entries) in &person.pages {
            let mut ctx = Ctx::new(set, spec, &version, lang);
            let sheets = sheets::build(&mut ctx, person, key, entries);
            let findings = ctx.finish();
            let title = sheets::page_title(key);
            let file = format!("{slug}-{}.html", key.file_part());
            let forms: Vec<String> = sheets.iter().map(|s| s.form.to_owned()).collect();
            let titles: Vec<String> = sheets.iter().map(|s| s.title.clone()).collect();
            let count = findings.len();
            let page = PageHtml {
                generator: &options.generator,
                title: title.clone(),
                person: display.clone(),
                back: match lang {
                    Lang::Ja => "一覧へ",
                    Lang::En => "Index",
                },
                source_label: match lang {
                    Lang::Ja => "元のファイル",
                    Lang::En => "Files",
                },
                findings_title: match lang {
                    Lang::Ja => "このページの指摘",
                    Lang::En => "Findings on this page",
                },
                sheets,
                findings,
            };
            // askama fails only when a value's Display fails; the model holds strings and integers.
            let html = page.render().expect("the forms view model renders");
            links.push(PageLink {
                href: file.clone(),
                title: title.clone(),
                forms: titles,
                findings: count,
            });
            out.push(Page {
                file,
                person: display.clone(),
                title,
                forms,
                findings: count,
                html,
            });
        }
        persons.push(PersonView {
            name: match lang {
                Lang::Ja if !person.name.is_empty() => format!("{display} 様"),
                _ => display,
            },
            ids: format!(
                "保険者番号 {} ／ 被保険者番号 {}",
                person.key.0, person.key.1
            ),
            pages: links,
        });
    }
    let index = index(set, &placement, persons, options);
    Rendered { pages: out, index }
}

fn index(
    set: &FileSet,
    placement: &pages::Placement,
    persons: Vec<PersonView>,
    options: &ViewOptions,
) -> String {
    let lang = options.lang;
    let ja = lang == Lang::Ja;
    let count = |f: &[Finding], s: Severity| f.iter().filter(|x| x.severity == s).count();
    let files = set
        .files
        .iter()
        .map(|f| FileRow {
            name: f.name.clone(),
            kind: f.kind.clone().unwrap_or_else(|| "?".into()),
            records: f.records.len(),
            errors: count(&f.findings, Severity::Error),
            warnings: count(&f.findings, Severity::Warning),
        })
        .collect();
    let mut other = Vec::new();
    let mut listed = |f: &Finding| {
        other.push(Listed {
            n: other.len() + 1,
            class: severity_class(f.severity),
            place: f.file.clone(),
            message: f.message(lang),
        });
    };
    for &fi in &placement.unplaced {
        set.files[fi].findings.iter().for_each(&mut listed);
    }
    for unit in &set.send_units {
        unit.findings.iter().for_each(&mut listed);
    }
    let summary = if ja {
        format!(
            "{}ファイル・{}人分の帳票。各ページは A4 で印刷できます（指摘は該当欄の横に番号で示し、ページ末尾に一覧します）。",
            set.files.len(),
            persons.len()
        )
    } else {
        format!(
            "Forms of {} files for {} persons. Every page prints on A4; findings are numbered beside their cells and listed at the end of the page.",
            set.files.len(),
            persons.len()
        )
    };
    let page = IndexHtml {
        generator: &options.generator,
        html_lang: if ja { "ja" } else { "en" },
        title: if ja { "帳票一覧" } else { "Forms" },
        summary,
        page_label: if ja { "ページ" } else { "Page" },
        forms_label: if ja { "帳票" } else { "Forms" },
        findings_label: if ja { "指摘" } else { "Findings" },
        files_label: if ja {
            "読み込んだファイル"
        } else {
            "Files read"
        },
        file_label: if ja { "ファイル" } else { "File" },
        kind_label: if ja { "種別" } else { "Kind" },
        records_label: if ja { "件数" } else { "Records" },
        errors_label: if ja { "エラー" } else { "Errors" },
        warnings_label: if ja { "警告" } else { "Warnings" },
        other_label: if ja {
            "帳票に載らない指摘（送信単位・読めないファイル）"
        } else {
            "Findings not on a form (send units, unreadable files)"
        },
        persons,
        files,
        other_findings: other,
    };
    page.render().expect("the index view model renders")
}

/// Writes the rendered pages and `index.html` into `dir` (created if missing), each file
/// atomically.
///
/// # Errors
/// The folder cannot be created or a file cannot be written.
pub fn write_rendered(rendered: &Rendered, dir: &Path) -> io::Result<()> {
    std::fs::create_dir_all(dir)?;
    for page in &rendered.pages {
        write_atomic(&dir.join(&page.file), page.html.as_bytes())?;
    }
    write_atomic(&dir.join("index.html"), rendered.index.as_bytes())
}

fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let tmp = path.with_extension(format!("html.{}.tmp", std::process::id()));
    let result = std::fs::write(&tmp, bytes).and_then(|()| std::fs::rename(&tmp, path));
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}
