//! The comparison's freedoms as a section of docs/rules.md, generated from the spec data (the
//! layouts' `compare:` policies) so that the document cannot drift from what certify does.

use cpcert_spec::{Layout, RecordOrder, Spec};

fn names(layout: &Layout, nos: &[u32]) -> String {
    nos.iter()
        .map(|no| {
            let name = layout.field(*no).map_or("?", |f| f.name.as_str());
            format!("No.{no} {name}")
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

/// The section "Comparison with the expected files" of docs/rules.md.
pub fn freedoms_markdown(spec: &Spec, version: &str) -> String {
    let mut out = String::from(
        "## Comparison with the expected files (freedoms)\n\n\
         Export and re-export outputs are compared with golden/ by decoded value, field by field, \
         under each kind's comparison policy (spec data: `compare:` in spec/<version>/<KIND>.yaml). \
         What the standard leaves to the product is never a difference:\n\n\
         | freedom | how certify treats it | spec place |\n|---|---|---|\n\
         | Byte form: quotes around any field, empty text as `\"\"` or nothing, the two MS932 codes \
         of one character (髙 EEE0 / FBFC), line endings | Values are decoded before comparing; the \
         bytes are judged once, by the rules above with their severities | docs/rules.md policies; \
         edge-cases #5 |\n\
         | The 14-digit 連番 | Files are paired by kind, send unit and the name's other parts; only \
         the order of the 連番 is compared (units kept apart and in order). A field naming an \
         attachment (UPKIHON No.62) is compared with its 連番 masked | 本文 §2.4 / §3.4 ファイル連番 |\n\
         | Extension case (`.CSV` / `.csv`) | Not a name difference; `name-extension-case` warns | \
         policy: File name extension |\n\
         | Another name (service kind, month part) | One file-name difference; the contents are \
         still compared | 別紙 ファイル名規則 |\n\n\
         Per kind (`volatile`: the product's own value, checked by the rules above, never compared \
         with golden/; `keyed`: records matched by the record key, in any order; `fixed`: by \
         position; first line only: an empty value after the group's first line means the group's \
         value):\n\n\
         | kind | order | record key | volatile | first line only | spec place | reasoning |\n\
         |---|---|---|---|---|---|---|\n",
    );
    let mut layouts: Vec<&Layout> = spec.layouts(version).collect();
    layouts.sort_by(|a, b| a.kind.cmp(&b.kind));
    for l in layouts {
        let p = &l.compare;
        let order = match p.order {
            RecordOrder::Keyed => "keyed",
            RecordOrder::Fixed => "fixed",
        };
        let first = p
            .first_line_only
            .iter()
            .map(|f| {
                format!(
                    "{} within {} ({})",
                    names(l, &f.fields),
                    names(l, &f.group),
                    f.spec_place
                )
            })
            .collect::<Vec<_>>()
            .join("; ");
        out.push_str(&format!(
            "| {} | {order} | {} | {} | {} | {} | {} |\n",
            l.kind,
            cell(&names(l, &p.record_key)),
            cell(&names(l, &p.volatile)),
            cell(&first),
            cell(&p.spec_place),
            cell(&p.reasoning)
        ));
    }
    out
}
