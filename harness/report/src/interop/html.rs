//! The interop matrix as one self-contained HTML page (inline CSS, no scripts), in the shape of a
//! web-platform interop dashboard: sender × receiver, overall, per listing pattern (D1–D7) and
//! per file kind, each cell ○ / × with the count of differing fields / 未実施, linking to the
//! pair's exchanges below. Plain `format!` HTML with one escape function (like the evidence
//! site); the report's stylesheet is shared.

use std::fmt::Write as _;

use cpcert_checks::{Lang, Severity};

use crate::interop::summary::{cell_text, headline};
use crate::interop::{Blame, InteropOutcome, InteropResults, Mark, Party, PartyKind, Slice};

const STYLE: &str = include_str!("../../templates/_style.html");

const EXTRA_STYLE: &str = "<style>\
.imatrix th,.imatrix td{border:1px solid var(--line);padding:5px 10px}\
.scroll{overflow-x:auto;max-width:100%}\
.imatrix thead th{background:var(--head);font-size:12px;font-weight:600;text-align:center;min-width:84px;max-width:130px;overflow-wrap:anywhere;vertical-align:bottom}\
.imatrix thead th .sub{display:block;font-weight:400;color:var(--muted);font-size:10.5px}\
.imatrix th.corner{white-space:nowrap;text-align:left}\
.imatrix th.sender{text-align:left;background:#fafbfc;font-weight:600;white-space:nowrap}\
.imatrix td.mark{text-align:center;min-width:70px;font-size:17px;font-weight:700}\
.imatrix td.mark a{color:inherit;display:block}\
.imatrix .blame{display:block;font-size:10.5px;font-weight:400}\
.slices{display:flex;flex-wrap:wrap;gap:18px}\
.slice{min-width:0;max-width:100%}\
.slice h3{font-size:13.5px}\
.exchange td.mark{text-align:center;font-weight:700}\
.exchange pre.val{white-space:pre-wrap;overflow-wrap:anywhere;margin:4px 0}\
.exchange td.mark-passed,.exchange td.mark-failed,.exchange td.mark-not-run{text-align:center}\
</style>";

/// Renders the page. Pure: the same results give byte-identical HTML. With `evidence`, each
/// exchange links to its files under `evidence/<pair>/<case>/` ([`super::pair_folder`]).
pub fn render(results: &InteropResults, lang: Lang, evidence: bool) -> String {
    let mut sorted = results.clone();
    sorted.sort();
    let r = &sorted;
    let l = Words::of(lang);
    let mut h = String::new();
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n{STYLE}{EXTRA_STYLE}\n</head>\n<body>\n",
        l.html_lang, l.title
    );
    let (pass, fail, not_run, _) = r.counts();
    let overall = if not_run > 0 || pass + fail == 0 {
        "error"
    } else if fail > 0 {
        "fail"
    } else {
        "pass"
    };
    let _ = write!(
        h,
        "<header class=\"doc-head\"><div class=\"doc-kicker\">cpcert {}</div><h1>{}</h1>\
         <p><span class=\"overall overall-{overall}\" id=\"headline\">{}</span></p>\
         <table class=\"kv small\"><tr><th>{}</th><td class=\"mono\">{}</td></tr>\
         <tr><th>{}</th><td>{}</td></tr><tr><th>{}</th><td class=\"mono\">{}</td></tr>\
         <tr><th>{}</th><td>{}</td></tr><tr><th>{}</th><td>○ {pass} · × {fail} · {} {not_run}</td></tr></table></header>\n<main>\n",
        esc(&r.tool.version),
        l.title,
        esc(&headline(r, lang)),
        l.run_id,
        esc(&r.run.id),
        l.started,
        esc(&r.run.started),
        l.suite,
        esc(&r.suite.version),
        l.spec_version,
        esc(&r.spec_version),
        l.counts,
        Mark::NotRun.symbol(lang),
    );
    // The parties.
    let _ = write!(
        h,
        "<h2>{}</h2>\n<table class=\"grid\" id=\"parties\"><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>\n",
        l.parties, l.id, l.product, l.kind, l.roles, l.side
    );
    let mut seen: Vec<&str> = Vec::new();
    for p in r.senders.iter().chain(&r.receivers) {
        if seen.contains(&p.id.as_str()) {
            continue;
        }
        seen.push(&p.id);
        let side = match (
            r.senders.iter().any(|s| s.id == p.id),
            r.receivers.iter().any(|s| s.id == p.id),
        ) {
            (true, true) => l.both,
            (true, false) => l.sender,
            _ => l.receiver,
        };
        let mut what = format!("{} {}", esc(&p.name), esc(&p.version));
        for t in p.fault_title.iter().chain(&p.variant_title) {
            let _ = write!(what, "<br><span class=\"note\">{}</span>", esc(t));
        }
        if let Some(s) = &p.source {
            let _ = write!(what, "<br><span class=\"note mono\">{}</span>", esc(s));
        }
        let roles: Vec<&str> = p.roles.iter().map(|x| x.id()).collect();
        let _ = writeln!(
            h,
            "<tr><td class=\"mono\">{}</td><td>{what}</td><td>{}</td><td>{}</td><td>{side}</td></tr>",
            esc(&p.id),
            l.party_kind(p.kind),
            esc(&roles.join(", "))
        );
    }
    h.push_str("</tbody></table>\n");
    // The matrices.
    let _ = write!(
        h,
        "<h2>{}</h2>\n<p class=\"note\">{}</p>\n",
        l.overall, l.matrix_note
    );
    matrix(&mut h, r, Slice::All, "all", lang, &l);
    pairs(&mut h, r, lang, &l);
    let _ = writeln!(h, "<h2>{}</h2>\n<div class=\"slices\">", l.by_pattern);
    for p in &r.patterns {
        let name = match lang {
            Lang::Ja => &p.name_ja,
            Lang::En => &p.name_en,
        };
        let _ = write!(
            h,
            "<section class=\"slice\"><h3>{} {}</h3>",
            esc(&p.id),
            esc(name)
        );
        matrix(&mut h, r, Slice::Pattern(p), &p.id, lang, &l);
        h.push_str("</section>\n");
    }
    let _ = writeln!(h, "</div>\n<h2>{}</h2>\n<div class=\"slices\">", l.by_kind);
    for k in r.kinds() {
        let _ = write!(h, "<section class=\"slice\"><h3>{}</h3>", esc(&k));
        matrix(&mut h, r, Slice::Kind(&k), &k, lang, &l);
        h.push_str("</section>\n");
    }
    h.push_str("</div>\n");
    // The exchanges of each pair.
    let _ = writeln!(h, "<h2>{}</h2>", l.details);
    for (i, s) in r.senders.iter().enumerate() {
        for (j, rc) in r.receivers.iter().enumerate() {
            let outcomes = r.pair(&s.id, &rc.id);
            if outcomes.is_empty() {
                continue;
            }
            let folder = evidence.then(|| super::pair_folder(&s.id, &rc.id));
            pair_details(
                &mut h,
                (i, s),
                (j, rc),
                &outcomes,
                folder.as_deref(),
                lang,
                &l,
            );
        }
    }
    h.push_str("</main>\n</body>\n</html>\n");
    h
}

/// One row per sender → receiver pair, one column per slice (overall, D1–D7, each file kind):
/// a faulty importer's row shows × only in the patterns and kinds its fault breaks.
fn pairs(h: &mut String, r: &InteropResults, lang: Lang, l: &Words) {
    let kinds = r.kinds();
    let mut slices: Vec<(String, Slice<'_>)> = vec![("all".to_owned(), Slice::All)];
    slices.extend(r.patterns.iter().map(|p| (p.id.clone(), Slice::Pattern(p))));
    slices.extend(kinds.iter().map(|k| (k.clone(), Slice::Kind(k))));
    let _ = write!(
        h,
        "<h2>{}</h2>\n<p class=\"note\">{}</p>\n<div class=\"scroll\"><table class=\"pairs\" id=\"pairs\"><thead><tr><th class=\"corner\">{}</th>",
        l.by_pair, l.pairs_note, l.pair
    );
    for (id, _) in &slices {
        let head = if id == "all" { l.overall } else { id.as_str() };
        let _ = write!(h, "<th>{}</th>", esc(head));
    }
    h.push_str("</tr></thead><tbody>");
    for (i, s) in r.senders.iter().enumerate() {
        for (j, rc) in r.receivers.iter().enumerate() {
            if r.pair(&s.id, &rc.id).is_empty() {
                continue;
            }
            let _ = write!(
                h,
                "<tr><th class=\"sender\">{} → {}</th>",
                esc(&s.id),
                esc(&rc.id)
            );
            for (id, slice) in &slices {
                let cell = r.cell(&s.id, &rc.id, *slice);
                cell_td(h, &cell, (i, s), (j, rc), Some(id), lang, l);
            }
            h.push_str("</tr>");
        }
    }
    h.push_str("</tbody></table></div>\n");
}

/// One cell: its mark and count (a link to the pair's exchanges unless no role is in common),
/// the sender's-error note, and the data a test or a script reads (`data-slice` when the table
/// does not say the slice itself).
fn cell_td(
    h: &mut String,
    cell: &super::Cell,
    (i, s): (usize, &Party),
    (j, rc): (usize, &Party),
    slice: Option<&str>,
    lang: Lang,
    l: &Words,
) {
    let class = match cell.mark {
        Mark::Pass => "mark-passed",
        Mark::Fail => "mark-failed",
        Mark::NotRun => "mark-not-run",
        Mark::NotApplicable => "mark-not-applicable",
    };
    let text = cell_text(cell, lang);
    let blame = if cell.sender_blamed > 0 {
        format!("<span class=\"blame\">{}</span>", l.sender_blamed)
    } else {
        String::new()
    };
    let inner = if cell.mark == Mark::NotApplicable {
        text
    } else {
        format!("<a href=\"#pair-{i}-{j}\">{text}{blame}</a>")
    };
    let slice = slice.map_or(String::new(), |id| format!(" data-slice=\"{}\"", esc(id)));
    let _ = write!(
        h,
        "<td class=\"mark {class}\"{slice} data-sender=\"{}\" data-receiver=\"{}\" data-mark=\"{}\" data-differing=\"{}\" title=\"{}\">{inner}</td>",
        esc(&s.id),
        esc(&rc.id),
        cell.mark.id(),
        cell.differing,
        esc(&l.tip(cell.cases, cell.differing))
    );
}

/// One sender × receiver matrix of a slice; `slice_id` goes into `data-slice`.
fn matrix(
    h: &mut String,
    r: &InteropResults,
    slice: Slice<'_>,
    slice_id: &str,
    lang: Lang,
    l: &Words,
) {
    let _ = write!(
        h,
        "<div class=\"scroll\"><table class=\"imatrix\" data-slice=\"{}\"><thead><tr><th class=\"corner\">{}</th>",
        esc(slice_id),
        l.corner
    );
    for rc in &r.receivers {
        // A faulty reference is headed by its fault, the whole id in the tooltip.
        let head = match &rc.fault {
            Some(f) if rc.kind == PartyKind::Faulty => {
                format!(
                    "<span class=\"sub\">{}</span>{}",
                    l.fault_of_reference,
                    esc(f)
                )
            }
            _ => esc(&rc.id),
        };
        let _ = write!(h, "<th title=\"{}\">{head}</th>", esc(&rc.id));
    }
    h.push_str("</tr></thead><tbody>");
    for (i, s) in r.senders.iter().enumerate() {
        let _ = write!(h, "<tr><th class=\"sender\">{}</th>", esc(&s.id));
        for (j, rc) in r.receivers.iter().enumerate() {
            let cell = r.cell(&s.id, &rc.id, slice);
            cell_td(h, &cell, (i, s), (j, rc), None, lang, l);
        }
        h.push_str("</tr>");
    }
    h.push_str("</tbody></table></div>\n");
}

fn pair_details(
    h: &mut String,
    (i, s): (usize, &Party),
    (j, rc): (usize, &Party),
    outcomes: &[&InteropOutcome],
    evidence: Option<&str>,
    lang: Lang,
    l: &Words,
) {
    let _ = write!(
        h,
        "<section class=\"case\" id=\"pair-{i}-{j}\"><h3>{} → {}</h3>\n<table class=\"grid exchange\"><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>\n",
        esc(&s.id),
        esc(&rc.id),
        l.case,
        l.patterns,
        l.kinds,
        l.mark,
        l.differing,
        l.detail
    );
    for o in outcomes {
        let mark = o.mark();
        let class = match mark {
            Mark::Pass => "mark-passed",
            Mark::Fail => "mark-failed",
            Mark::NotRun => "mark-not-run",
            Mark::NotApplicable => "mark-not-applicable",
        };
        let anchor = format!("x-{i}-{j}-{}", o.outcome.case.replace("::", "-"));
        let _ = write!(
            h,
            "<tr id=\"{}\" data-case=\"{}\" data-mark=\"{}\"><td><span class=\"mono\">{}</span><br><span class=\"note\">{}</span></td><td>{}</td><td class=\"mono\">{}</td><td class=\"mark {class}\">{}</td><td class=\"num\">{}</td><td>",
            esc(&anchor),
            esc(&o.outcome.case),
            mark.id(),
            esc(&o.outcome.case),
            esc(&o.outcome.title),
            esc(&o.patterns.join(" ")),
            esc(&o.outcome.kinds.join(" ")),
            mark.symbol(lang),
            if mark == Mark::Fail {
                o.differing_fields().to_string()
            } else {
                String::new()
            },
        );
        detail(h, o, lang, l);
        if let Some(folder) = evidence.filter(|_| !o.outcome.files.is_empty()) {
            let _ = write!(
                h,
                "<p class=\"note\"><a href=\"evidence/{}/{}/\">{}</a></p>",
                esc(folder),
                esc(&o.outcome.case.replace("::", "/")),
                l.evidence
            );
        }
        h.push_str("</td></tr>\n");
    }
    h.push_str("</tbody></table></section>\n");
}

/// Why a cell is what it is: the blame, the error, the receiver's differences, the sender's
/// error findings and differences.
fn detail(h: &mut String, o: &InteropOutcome, lang: Lang, l: &Words) {
    match o.blame {
        Some(Blame::Sender) => {
            let _ = write!(h, "<p class=\"strong\">{}</p>", l.blame_sender);
        }
        Some(Blame::Receiver) => {
            let _ = write!(h, "<p class=\"strong\">{}</p>", l.blame_receiver);
        }
        None => {}
    }
    if let Some(why) = &o.why {
        let _ = write!(h, "<p class=\"strong why\">{}</p>", esc(&why.text(lang)));
    }
    // The detail (a product's own message), unless it only repeats the reason.
    if let Some(e) = o.outcome.error_in(lang).filter(|e| {
        o.why
            .as_ref()
            .is_none_or(|w| *e != w.text(lang) && *e != w.text(Lang::En))
    }) {
        let _ = write!(h, "<pre class=\"val\">{}</pre>", esc(e));
    }
    if !o.outcome.diffs.is_empty() {
        let _ = write!(
            h,
            "<h4>{}</h4><table class=\"grid\"><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
            l.receiver_diffs, l.kind_or_file, l.record, l.field, l.expected, l.actual
        );
        for d in &o.outcome.diffs {
            let field = match (d.field, &d.field_name) {
                (Some(n), Some(name)) => format!("{n} {name}"),
                (Some(n), None) => n.to_string(),
                _ => d.kind.label(lang).to_owned(),
            };
            let _ = write!(
                h,
                "<tr><td class=\"mono\">{}</td><td class=\"num\">{}</td><td>{}</td><td class=\"val expected\">{}</td><td class=\"val actual\">{}</td></tr>",
                esc(&d.file),
                d.record.map(|r| r.to_string()).unwrap_or_default(),
                esc(&field),
                esc(&d.expected),
                esc(&d.actual)
            );
        }
        h.push_str("</tbody></table>");
    }
    if let Some(check) = &o.sender_check {
        let errors: Vec<_> = check
            .findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .collect();
        if !errors.is_empty() || !check.diffs.is_empty() || check.error.is_some() {
            let _ = write!(h, "<h4>{}</h4><ul>", l.sender_check);
            if let Some(e) = check.error_in(lang) {
                let _ = write!(h, "<li>{}</li>", esc(e.lines().next().unwrap_or("")));
            }
            for f in errors {
                let _ = write!(
                    h,
                    "<li><span class=\"mono\">{}</span> {}: {}</li>",
                    esc(f.rule.as_str()),
                    esc(&f.file),
                    esc(&f.message(lang))
                );
            }
            for d in &check.diffs {
                let _ = write!(
                    h,
                    "<li>{} {} {}: {} → {}</li>",
                    esc(&d.file),
                    d.field.map(|n| n.to_string()).unwrap_or_default(),
                    esc(d.field_name.as_deref().unwrap_or("")),
                    esc(&d.expected),
                    esc(&d.actual)
                );
            }
            h.push_str("</ul>");
        }
    }
}

/// HTML text and attribute escape.
fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Every fixed word of the page, in one language.
struct Words {
    html_lang: &'static str,
    title: &'static str,
    run_id: &'static str,
    started: &'static str,
    suite: &'static str,
    spec_version: &'static str,
    counts: &'static str,
    parties: &'static str,
    id: &'static str,
    product: &'static str,
    kind: &'static str,
    roles: &'static str,
    side: &'static str,
    sender: &'static str,
    receiver: &'static str,
    both: &'static str,
    overall: &'static str,
    matrix_note: &'static str,
    by_pattern: &'static str,
    by_kind: &'static str,
    by_pair: &'static str,
    pairs_note: &'static str,
    pair: &'static str,
    details: &'static str,
    corner: &'static str,
    sender_blamed: &'static str,
    case: &'static str,
    patterns: &'static str,
    kinds: &'static str,
    mark: &'static str,
    differing: &'static str,
    detail: &'static str,
    blame_sender: &'static str,
    blame_receiver: &'static str,
    receiver_diffs: &'static str,
    kind_or_file: &'static str,
    record: &'static str,
    field: &'static str,
    expected: &'static str,
    actual: &'static str,
    sender_check: &'static str,
    fault_of_reference: &'static str,
    evidence: &'static str,
    lang: Lang,
}

impl Words {
    fn of(lang: Lang) -> Words {
        match lang {
            Lang::Ja => Words {
                html_lang: "ja",
                title: "相互運用試験（送信側 × 受信側）",
                run_id: "実行ID",
                started: "開始日時",
                suite: "スイート",
                spec_version: "CSVバージョン",
                counts: "件数",
                parties: "製品",
                id: "ID",
                product: "製品名・版",
                kind: "種類",
                roles: "役割",
                side: "送信／受信",
                sender: "送信側",
                receiver: "受信側",
                both: "送信側・受信側",
                overall: "総合",
                matrix_note: "行は送信側（出力した製品）、列は受信側（取り込んだ製品）。○: 受信側の取込結果が送信側の意図（シナリオ）と一致、×: 異なる（数字は異なる項目の数）、未実施: 試験できなかった組合せ、—: 対象となる役割なし。セルから各ケースの詳細へ移動できます。",
                by_pattern: "パターン別（D1～D7）",
                by_kind: "ファイル種別別",
                by_pair: "組合せ別（総合・パターン・ファイル種別）",
                pairs_note: "1行が1つの組合せ（送信側 → 受信側）、列は総合、パターン D1～D7、ファイル種別。誤りのある受信側の行は、その誤りが壊すパターンと種別だけが×になります。",
                pair: "送信側 → 受信側",
                details: "組合せごとの詳細",
                corner: "送信側＼受信側",
                sender_blamed: "送信側の誤り",
                case: "ケース",
                patterns: "パターン",
                kinds: "ファイル種別",
                mark: "結果",
                differing: "異なる項目",
                detail: "内容",
                blame_sender: "送信側のファイルが標準仕様に反しています（受信側の誤りとはしません）。",
                blame_receiver: "送信側のファイルは正しく、受信側の取込結果が異なります。",
                receiver_diffs: "受信側の取込結果と送信側の意図の違い",
                kind_or_file: "種別",
                record: "レコード",
                field: "項目",
                expected: "送信側の意図",
                actual: "受信側の取込結果",
                sender_check: "送信側ファイルの検査",
                fault_of_reference: "参照製品＋誤り",
                evidence: "送受信したファイル（証拠）",
                lang,
            },
            Lang::En => Words {
                html_lang: "en",
                title: "Interoperability (sender × receiver)",
                run_id: "Run id",
                started: "Started",
                suite: "Suite",
                spec_version: "CSV version",
                counts: "Counts",
                parties: "Products",
                id: "Id",
                product: "Product and version",
                kind: "Kind",
                roles: "Roles",
                side: "Side",
                sender: "sender",
                receiver: "receiver",
                both: "sender and receiver",
                overall: "Overall",
                matrix_note: "Rows are senders (the product that exported), columns receivers (the product that imported). ○: the receiver holds what the sender meant (the scenario); ×: it does not (the number counts differing fields); not run: the exchange could not be tested; —: no role in common. Each cell links to its exchanges.",
                by_pattern: "By listing pattern (D1–D7)",
                by_kind: "By file kind",
                by_pair: "By pair (overall, patterns, file kinds)",
                pairs_note: "One row per pair (sender → receiver); the columns are the overall result, the listing patterns D1–D7 and the file kinds. A faulty receiver's row is × only in the patterns and kinds its fault breaks.",
                pair: "sender → receiver",
                details: "Exchanges of each pair",
                corner: "sender \\ receiver",
                sender_blamed: "sender's error",
                case: "Case",
                patterns: "Patterns",
                kinds: "File kinds",
                mark: "Result",
                differing: "Differing fields",
                detail: "Detail",
                blame_sender: "The sender's files break the standard (not held against the receiver).",
                blame_receiver: "The sender's files are right; the receiver holds them otherwise.",
                receiver_diffs: "What the receiver holds versus what the sender meant",
                kind_or_file: "Kind",
                record: "Record",
                field: "Field",
                expected: "Sender meant",
                actual: "Receiver holds",
                sender_check: "Check of the sender's files",
                fault_of_reference: "reference with fault",
                evidence: "files sent and received (evidence)",
                lang,
            },
        }
    }

    fn party_kind(&self, kind: PartyKind) -> &'static str {
        match (kind, self.lang) {
            (PartyKind::BuiltIn, Lang::Ja) => "内蔵製品",
            (PartyKind::Faulty, Lang::Ja) => "誤りを注入した参照製品",
            (PartyKind::Variant, Lang::Ja) => "仕様が許す書き方の参照製品",
            (PartyKind::Vendor, Lang::Ja) => "ベンダー製品",
            (PartyKind::Bundle, Lang::Ja) => "認証バンドル",
            (PartyKind::BuiltIn, Lang::En) => "built-in product",
            (PartyKind::Faulty, Lang::En) => "reference with a fault",
            (PartyKind::Variant, Lang::En) => "reference writing a permitted variant",
            (PartyKind::Vendor, Lang::En) => "vendor product",
            (PartyKind::Bundle, Lang::En) => "certification bundle",
        }
    }

    fn tip(&self, cases: usize, differing: usize) -> String {
        match self.lang {
            Lang::Ja => format!("{cases} ケース、異なる項目 {differing}"),
            Lang::En => format!("{cases} cases, {differing} differing fields"),
        }
    }
}
