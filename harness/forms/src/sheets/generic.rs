//! Kinds without a form of their own (deletions, unknown kinds): every field of every record,
//! one column per record, field names from the layout.

use crate::model::Block;
use crate::model::{Cell, Ctx, Paper, Sheet, TableView, Td, Tr, th};

use super::recs;

/// Records per sheet column block (more records make more tables).
const PER_TABLE: usize = 6;

/// A table of fields × records.
pub(crate) fn records(ctx: &mut Ctx<'_>, kind: Option<&str>, entries: &[(usize, usize)]) -> Sheet {
    let set = ctx.set;
    let rows = recs(set, entries);
    let layout = kind.and_then(|k| ctx.spec.layout(ctx.version, k));
    let width = rows.iter().map(|(_, r)| r.fields.len()).max().unwrap_or(0);
    let count = layout.map_or(width, |l| (l.field_count as usize).max(width));
    let mut blocks = Vec::new();
    for chunk in rows.chunks(PER_TABLE) {
        let mut head = vec![th("No."), th("項目")];
        for (fi, rec) in chunk {
            head.push(th(&format!("{} {}件目", ctx.file(*fi).name, rec.number)));
        }
        let mut table = TableView {
            class: "list".into(),
            caption: String::new(),
            cols: Vec::new(),
            head: vec![head],
            body: Vec::new(),
        };
        for no in 1..=count as u32 {
            let name = layout
                .and_then(|l| l.field(no))
                .map_or_else(String::new, |f| f.name.clone());
            let mut tr = Tr {
                class: String::new(),
                cells: vec![
                    Td::new(Cell::plain(no.to_string()), "c"),
                    Td::new(Cell::plain(name), "text"),
                ],
            };
            for &(fi, rec) in chunk {
                let mut c = ctx.auto(fi, rec, no);
                if no == 1 {
                    c.marks.extend(ctx.record_marks(fi, rec));
                }
                tr.cells.push(Td::new(c, "text"));
            }
            table.body.push(tr);
        }
        blocks.push(Block::Table(table));
    }
    let title = match (kind, layout) {
        (_, Some(l)) => format!("{}（{}）", l.title_ja, l.kind),
        (Some(k), None) => k.to_owned(),
        (None, None) => "種別の分からないファイル".into(),
    };
    Sheet {
        form: "records",
        title,
        aside: String::new(),
        paper: Paper::A4Portrait,
        head: Vec::new(),
        blocks,
        sources: super::sources(ctx, entries),
    }
}
