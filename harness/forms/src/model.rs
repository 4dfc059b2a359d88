//! The view model the templates print: sheets made of boxes, tables and the week timetable, whose
//! cells carry the numbers of the findings that concern them. Plain strings only; askama escapes.

use std::collections::{BTreeMap, BTreeSet};

use cpcert_checks::{Finding, Lang, Severity};
use cpcert_spec::{FieldKind, Spec};

use crate::read::{FileSet, Rec, SheetFile};
use crate::text;

/// One printed value with the numbers of its findings.
#[derive(Debug, Clone, Default)]
pub(crate) struct Cell {
    pub(crate) text: String,
    pub(crate) marks: Vec<Mark>,
}

impl Cell {
    pub(crate) fn plain(text: impl Into<String>) -> Cell {
        Cell {
            text: text.into(),
            marks: Vec::new(),
        }
    }

    /// Appends another cell's text (with `sep` when both are non-empty) and its marks.
    pub(crate) fn join(mut self, sep: &str, other: Cell) -> Cell {
        if !self.text.is_empty() && !other.text.is_empty() {
            self.text.push_str(sep);
        }
        self.text.push_str(&other.text);
        for m in other.marks {
            if !self.marks.iter().any(|x| x.n == m.n) {
                self.marks.push(m);
            }
        }
        self
    }
}

/// A finding's number beside a cell.
#[derive(Debug, Clone)]
pub(crate) struct Mark {
    pub(crate) n: usize,
    pub(crate) class: &'static str,
    pub(crate) title: String,
}

/// A label and its value in a box of a form's header or body.
#[derive(Debug, Clone)]
pub(crate) struct LabeledBox {
    pub(crate) label: String,
    pub(crate) cell: Cell,
    /// Grid columns the box spans (of 12).
    pub(crate) span: u8,
    /// A tall box for free text.
    pub(crate) tall: bool,
    /// A section heading (a label only).
    pub(crate) section: bool,
}

/// A row of boxes.
#[derive(Debug, Clone, Default)]
pub(crate) struct BoxRow {
    pub(crate) boxes: Vec<LabeledBox>,
}

/// A table heading cell.
#[derive(Debug, Clone)]
pub(crate) struct Th {
    pub(crate) text: String,
    pub(crate) colspan: usize,
    pub(crate) rowspan: usize,
    pub(crate) class: &'static str,
}

/// A table body cell.
#[derive(Debug, Clone)]
pub(crate) struct Td {
    pub(crate) cell: Cell,
    pub(crate) colspan: usize,
    pub(crate) rowspan: usize,
    pub(crate) class: String,
    /// `data-cell` (the 第6表 day cells: `plan-5`, `done-5`), for readers and tests.
    pub(crate) data: String,
}

impl Td {
    pub(crate) fn new(cell: Cell, class: &str) -> Td {
        Td {
            cell,
            colspan: 1,
            rowspan: 1,
            class: class.into(),
            data: String::new(),
        }
    }
}

/// A table row.
#[derive(Debug, Clone, Default)]
pub(crate) struct Tr {
    pub(crate) class: String,
    pub(crate) cells: Vec<Td>,
}

/// A table with spanning headings and cells.
#[derive(Debug, Clone, Default)]
pub(crate) struct TableView {
    pub(crate) class: String,
    pub(crate) caption: String,
    /// Column widths in percent (empty: automatic).
    pub(crate) cols: Vec<String>,
    pub(crate) head: Vec<Vec<Th>>,
    pub(crate) body: Vec<Tr>,
}

/// One item placed on the week timetable.
#[derive(Debug, Clone)]
pub(crate) struct WeekItem {
    pub(crate) top: String,
    pub(crate) height: String,
    pub(crate) time: String,
    pub(crate) cell: Cell,
}

/// One column of the week timetable.
#[derive(Debug, Clone)]
pub(crate) struct WeekColumn {
    pub(crate) name: String,
    pub(crate) class: &'static str,
    pub(crate) items: Vec<WeekItem>,
}

/// An hour line of the week timetable.
#[derive(Debug, Clone)]
pub(crate) struct HourLine {
    pub(crate) top: String,
    pub(crate) label: String,
}

/// 第3表's timetable: hour lines, seven days and the daily activities.
#[derive(Debug, Clone)]
pub(crate) struct WeekView {
    pub(crate) hours: Vec<HourLine>,
    pub(crate) columns: Vec<WeekColumn>,
    pub(crate) other: Cell,
}

/// A part of a sheet.
#[derive(Debug, Clone)]
pub(crate) enum Block {
    Boxes(Vec<BoxRow>),
    Table(TableView),
    Week(WeekView),
    Image { alt: String, src: String },
    Note(String),
}

/// Paper size and orientation of a sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Paper {
    A4Landscape,
    A4Portrait,
}

impl Paper {
    pub(crate) fn class(self) -> &'static str {
        match self {
            Paper::A4Landscape => "a4l",
            Paper::A4Portrait => "a4p",
        }
    }
}

/// One printed sheet (one form).
#[derive(Debug, Clone)]
pub(crate) struct Sheet {
    /// A stable id of the form (`plan1`, `plan2`, `plan3`, `sheet6`, `sheet7`, …) for links and tests.
    pub(crate) form: &'static str,
    pub(crate) title: String,
    /// Right-hand heading (作成年月日, 対象年月, …).
    pub(crate) aside: String,
    pub(crate) paper: Paper,
    pub(crate) head: Vec<BoxRow>,
    pub(crate) blocks: Vec<Block>,
    /// The files it was drawn from.
    pub(crate) sources: Vec<String>,
}

/// A finding in a page's list.
#[derive(Debug, Clone)]
pub(crate) struct Listed {
    pub(crate) n: usize,
    pub(crate) class: &'static str,
    pub(crate) place: String,
    pub(crate) message: String,
}

/// Hands out finding numbers for one page and remembers which files the page used.
pub(crate) struct Ctx<'a> {
    pub(crate) set: &'a FileSet,
    pub(crate) spec: &'a Spec,
    pub(crate) version: &'a str,
    pub(crate) lang: Lang,
    /// (file, record, field) → finding indexes in the file.
    index: BTreeMap<(usize, Option<u64>, Option<u32>), Vec<usize>>,
    /// (file, finding index) → number on this page.
    numbers: BTreeMap<(usize, usize), usize>,
    listed: Vec<Listed>,
    files: BTreeSet<usize>,
}

impl<'a> Ctx<'a> {
    pub(crate) fn new(set: &'a FileSet, spec: &'a Spec, version: &'a str, lang: Lang) -> Self {
        let mut index: BTreeMap<_, Vec<usize>> = BTreeMap::new();
        for (fi, file) in set.files.iter().enumerate() {
            for (i, f) in file.findings.iter().enumerate() {
                index.entry((fi, f.record, f.field)).or_default().push(i);
            }
        }
        Ctx {
            set,
            spec,
            version,
            lang,
            index,
            numbers: BTreeMap::new(),
            listed: Vec::new(),
            files: BTreeSet::new(),
        }
    }

    pub(crate) fn file(&self, fi: usize) -> &'a SheetFile {
        &self.set.files[fi]
    }

    /// Notes that the page shows file `fi` (its findings are listed even when no cell has them).
    pub(crate) fn use_file(&mut self, fi: usize) {
        self.files.insert(fi);
    }

    fn mark(&mut self, fi: usize, i: usize) -> Mark {
        let f: &Finding = &self.set.files[fi].findings[i];
        let class = severity_class(f.severity);
        let title = f.message(self.lang);
        let n = match self.numbers.get(&(fi, i)) {
            Some(&n) => n,
            None => {
                let n = self.listed.len() + 1;
                self.numbers.insert((fi, i), n);
                self.listed
                    .push(listed(n, &self.set.files[fi], f, self.lang));
                n
            }
        };
        Mark { n, class, title }
    }

    fn marks_for(&mut self, fi: usize, record: Option<u64>, field: Option<u32>) -> Vec<Mark> {
        let found = self
            .index
            .get(&(fi, record, field))
            .cloned()
            .unwrap_or_default();
        found.into_iter().map(|i| self.mark(fi, i)).collect()
    }

    /// Field `no` of a record, with its findings.
    pub(crate) fn cell(&mut self, fi: usize, rec: &Rec, no: u32) -> Cell {
        self.use_file(fi);
        Cell {
            text: rec.get(no).to_owned(),
            marks: self.marks_for(fi, Some(rec.number), Some(no)),
        }
    }

    /// A cell whose text is derived from field `no` (a date, a time) with the field's findings.
    pub(crate) fn cell_with(
        &mut self,
        fi: usize,
        rec: &Rec,
        no: u32,
        show: impl Fn(&str) -> String,
    ) -> Cell {
        let mut c = self.cell(fi, rec, no);
        c.text = show(&c.text);
        c
    }

    /// A code field shown as `code:meaning` from the layout's values.
    pub(crate) fn code(&mut self, fi: usize, rec: &Rec, no: u32) -> Cell {
        let kind = self.set.files[fi].kind.clone().unwrap_or_default();
        let label = self
            .spec
            .layout(self.version, &kind)
            .and_then(|l| l.field(no))
            .and_then(|f| f.values.as_ref())
            .and_then(|v| v.get(rec.get(no)).cloned());
        self.cell_with(fi, rec, no, |v| match &label {
            Some(l) => format!("{l}（{v}）"),
            None => v.to_owned(),
        })
    }

    /// The findings about a whole record (no field) or about fields the page does not show,
    /// as marks for one cell.
    pub(crate) fn record_marks(&mut self, fi: usize, rec: &Rec) -> Vec<Mark> {
        self.use_file(fi);
        let keys: Vec<_> = self
            .index
            .range((fi, Some(rec.number), None)..=(fi, Some(rec.number), Some(u32::MAX)))
            .map(|(k, _)| *k)
            .collect();
        let mut out = Vec::new();
        for (_, r, f) in keys {
            out.extend(self.marks_for(fi, r, f));
        }
        out
    }

    /// Field `no` printed as its kind says: dates in the era, code values with their meaning,
    /// times as HH:MM, integers with separators.
    pub(crate) fn auto(&mut self, fi: usize, rec: &Rec, no: u32) -> Cell {
        let kind = self.set.files[fi].kind.clone().unwrap_or_default();
        let field_kind = self
            .spec
            .layout(self.version, &kind)
            .and_then(|l| l.field(no))
            .map(|f| f.kind);
        match field_kind {
            Some(FieldKind::Date) => self.cell_with(fi, rec, no, text::date),
            Some(FieldKind::Month) => self.cell_with(fi, rec, no, text::month),
            Some(FieldKind::Time | FieldKind::TimeOr9999) => {
                self.cell_with(fi, rec, no, text::time)
            }
            Some(FieldKind::Integer) => self.cell_with(fi, rec, no, text::number),
            Some(FieldKind::Code) => self.code(fi, rec, no),
            _ => self.cell(fi, rec, no),
        }
    }

    /// A box labelled with the field's name holding [`Self::auto`].
    pub(crate) fn field_box(&mut self, fi: usize, rec: &Rec, no: u32, span: u8) -> LabeledBox {
        let kind = self.set.files[fi].kind.clone().unwrap_or_default();
        let label = self.field_name(&kind, no);
        lbox(&label, self.auto(fi, rec, no), span)
    }

    /// Rows of field boxes, `per_row` to a row (12 / per_row columns each); free-text fields
    /// with long values get a tall box of their own.
    pub(crate) fn field_rows(
        &mut self,
        fi: usize,
        rec: &Rec,
        nos: &[u32],
        per_row: u8,
    ) -> Vec<BoxRow> {
        let span = 12 / per_row.max(1);
        let mut rows = Vec::new();
        let mut current = Vec::new();
        for &no in nos {
            let b = self.field_box(fi, rec, no, span);
            if b.cell.text.contains('\n') || b.cell.text.chars().count() > 60 {
                if !current.is_empty() {
                    rows.push(row(std::mem::take(&mut current)));
                }
                rows.push(row(vec![LabeledBox {
                    span: 12,
                    tall: true,
                    ..b
                }]));
                continue;
            }
            current.push(b);
            if current.len() == usize::from(per_row) {
                rows.push(row(std::mem::take(&mut current)));
            }
        }
        if !current.is_empty() {
            rows.push(row(current));
        }
        rows
    }

    /// The field name of a kind's field No.
    pub(crate) fn field_name(&self, kind: &str, no: u32) -> String {
        self.spec
            .layout(self.version, kind)
            .and_then(|l| l.field(no))
            .map_or_else(|| format!("No.{no}"), |f| f.name.clone())
    }

    /// The page's finding list: numbered ones first, then every other finding of the files used.
    pub(crate) fn finish(mut self) -> Vec<Listed> {
        let files: Vec<usize> = self.files.iter().copied().collect();
        for fi in files {
            for i in 0..self.set.files[fi].findings.len() {
                self.mark(fi, i);
            }
        }
        self.listed
    }
}

pub(crate) fn severity_class(s: Severity) -> &'static str {
    match s {
        Severity::Error => "err",
        Severity::Warning => "warn",
    }
}

fn listed(n: usize, file: &SheetFile, f: &Finding, lang: Lang) -> Listed {
    let mut place = file.name.clone();
    if let Some(r) = f.record {
        place.push_str(&match lang {
            Lang::Ja => format!(" {r}件目"),
            Lang::En => format!(" record {r}"),
        });
    }
    if let Some(line) = f.line {
        place.push_str(&match lang {
            Lang::Ja => format!("（{line}行）"),
            Lang::En => format!(" (line {line})"),
        });
    }
    if let Some(no) = f.field {
        place.push_str(&format!(" No.{no}"));
        if let Some(name) = &f.field_name {
            place.push(' ');
            place.push_str(name);
        }
    }
    Listed {
        n,
        class: severity_class(f.severity),
        place,
        message: f.message(lang),
    }
}

/// A box with a label.
pub(crate) fn lbox(label: &str, cell: Cell, span: u8) -> LabeledBox {
    LabeledBox {
        label: label.into(),
        cell,
        span,
        tall: false,
        section: false,
    }
}

/// A section heading across the row.
pub(crate) fn section(label: &str) -> BoxRow {
    row(vec![LabeledBox {
        section: true,
        ..lbox(label, Cell::default(), 12)
    }])
}

/// A tall free-text box.
pub(crate) fn tall(label: &str, cell: Cell, span: u8) -> LabeledBox {
    LabeledBox {
        label: label.into(),
        cell,
        span,
        tall: true,
        section: false,
    }
}

/// A row of boxes.
pub(crate) fn row(boxes: Vec<LabeledBox>) -> BoxRow {
    BoxRow { boxes }
}

/// A heading cell.
pub(crate) fn th(text: &str) -> Th {
    Th {
        text: text.into(),
        colspan: 1,
        rowspan: 1,
        class: "",
    }
}

/// A heading cell spanning columns/rows.
pub(crate) fn th_span(text: &str, colspan: usize, rowspan: usize) -> Th {
    Th {
        text: text.into(),
        colspan,
        rowspan,
        class: "",
    }
}
