//! The askama templates (`templates/forms/`): one page per person and plan/month, and the index.

use askama::Template;

use crate::model::{Block, Listed, Sheet};

#[derive(Template)]
#[template(path = "forms/page.html")]
pub(crate) struct PageHtml<'a> {
    pub(crate) generator: &'a str,
    pub(crate) title: String,
    pub(crate) person: String,
    pub(crate) back: &'static str,
    pub(crate) source_label: &'static str,
    pub(crate) findings_title: &'static str,
    pub(crate) sheets: Vec<Sheet>,
    pub(crate) findings: Vec<Listed>,
}

/// A link to a page in the index.
pub(crate) struct PageLink {
    pub(crate) href: String,
    pub(crate) title: String,
    pub(crate) forms: Vec<String>,
    pub(crate) findings: usize,
}

/// A person in the index.
pub(crate) struct PersonView {
    pub(crate) name: String,
    pub(crate) ids: String,
    pub(crate) pages: Vec<PageLink>,
}

/// A file in the index.
pub(crate) struct FileRow {
    pub(crate) name: String,
    pub(crate) kind: String,
    pub(crate) records: usize,
    pub(crate) errors: usize,
    pub(crate) warnings: usize,
}

#[derive(Template)]
#[template(path = "forms/index.html")]
pub(crate) struct IndexHtml<'a> {
    pub(crate) generator: &'a str,
    pub(crate) html_lang: &'static str,
    pub(crate) title: &'static str,
    pub(crate) summary: String,
    pub(crate) page_label: &'static str,
    pub(crate) forms_label: &'static str,
    pub(crate) findings_label: &'static str,
    pub(crate) files_label: &'static str,
    pub(crate) file_label: &'static str,
    pub(crate) kind_label: &'static str,
    pub(crate) records_label: &'static str,
    pub(crate) errors_label: &'static str,
    pub(crate) warnings_label: &'static str,
    pub(crate) other_label: &'static str,
    pub(crate) persons: Vec<PersonView>,
    pub(crate) files: Vec<FileRow>,
    pub(crate) other_findings: Vec<Listed>,
}
