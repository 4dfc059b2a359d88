//! An interop run in words: the headline, the terminal matrix and the Markdown summary for a CI
//! job page (summary.md, `$GITHUB_STEP_SUMMARY`). Pure and deterministic.

use std::fmt::Write as _;

use cpcert_checks::Lang;

use crate::interop::{Blame, Cell, InteropResults, Mark, Slice};

/// The headline: ○ everywhere, ×, or cells not run.
pub fn headline(results: &InteropResults, lang: Lang) -> String {
    let (pass, fail, not_run, _) = results.counts();
    let (s, r) = (results.senders.len(), results.receivers.len());
    match (lang, not_run > 0 || pass + fail == 0, fail > 0) {
        (Lang::Ja, true, _) => {
            format!("未実施の組合せあり（{not_run} 件）：相互運用試験は完了していません")
        }
        (Lang::Ja, false, true) => format!("×の組合せあり（{fail} 件）"),
        (Lang::Ja, false, false) => {
            format!("すべての組合せで○（送信側 {s} × 受信側 {r}、{pass} 件）")
        }
        (Lang::En, true, _) => format!(
            "{} not run: the interop run is incomplete",
            plural(not_run, "exchange")
        ),
        (Lang::En, false, true) => format!("{} failed (×)", plural(fail, "exchange")),
        (Lang::En, false, false) => format!(
            "○ for every pair ({} × {}, {})",
            plural(s, "sender"),
            plural(r, "receiver"),
            plural(pass, "exchange")
        ),
    }
}

/// A cell as text: `○`, `×3` (differing fields), `×` (a refusal), `未実施`, `—`.
pub fn cell_text(cell: &Cell, lang: Lang) -> String {
    match cell.mark {
        Mark::Fail if cell.differing > 0 => format!("×{}", cell.differing),
        m => m.symbol(lang).to_owned(),
    }
}

/// The terminal summary: the sender × receiver matrix, then the headline; `paint` colours a
/// cell's text by its mark (the CLI's colours, or none).
pub fn terminal(
    results: &InteropResults,
    lang: Lang,
    paint: &dyn Fn(Mark, &str) -> String,
) -> String {
    let mut out = String::new();
    let corner = match lang {
        Lang::Ja => "送信側＼受信側",
        Lang::En => "sender \\ receiver",
    };
    let _ = writeln!(out, "{corner}");
    for s in &results.senders {
        let _ = writeln!(out, "  {}", s.id);
        for r in &results.receivers {
            let cell = results.cell(&s.id, &r.id, Slice::All);
            let _ = writeln!(
                out,
                "    → {:<40} {}",
                r.id,
                paint(cell.mark, &cell_text(&cell, lang))
            );
        }
    }
    let (_, fail, not_run, _) = results.counts();
    let mark = if not_run > 0 {
        Mark::NotRun
    } else if fail > 0 {
        Mark::Fail
    } else {
        Mark::Pass
    };
    let _ = write!(out, "{}", paint(mark, &headline(results, lang)));
    out
}

/// The Markdown summary: headline, the matrix, the × and not-run exchanges.
pub fn markdown(results: &InteropResults, lang: Lang) -> String {
    let ja = lang == Lang::Ja;
    let mut md = String::new();
    let _ = writeln!(
        md,
        "## cpcert {}\n",
        if ja { "相互運用試験" } else { "interop" }
    );
    let _ = writeln!(md, "**{}**\n", headline(results, lang));
    let _ = write!(
        md,
        "| {} |",
        if ja {
            "送信側＼受信側"
        } else {
            "sender \\ receiver"
        }
    );
    for r in &results.receivers {
        let _ = write!(md, " {} |", md_cell(&r.id));
    }
    let _ = write!(md, "\n|---|");
    for _ in &results.receivers {
        let _ = write!(md, "---|");
    }
    md.push('\n');
    for s in &results.senders {
        let _ = write!(md, "| {} |", md_cell(&s.id));
        for r in &results.receivers {
            let _ = write!(
                md,
                " {} |",
                cell_text(&results.cell(&s.id, &r.id, Slice::All), lang)
            );
        }
        md.push('\n');
    }
    let bad: Vec<_> = results
        .outcomes
        .iter()
        .filter(|o| matches!(o.mark(), Mark::Fail | Mark::NotRun))
        .collect();
    if !bad.is_empty() {
        let _ = writeln!(
            md,
            "\n### {}\n",
            if ja {
                "×・未実施の組合せ"
            } else {
                "Failed or not run"
            }
        );
        for o in bad {
            let reason = o.why.as_ref().map_or_else(
                || first_line(o.outcome.error_in(lang).unwrap_or("")).to_owned(),
                |w| w.text(lang),
            );
            let what = match (o.mark(), o.blame, ja) {
                (Mark::NotRun, _, true) => format!("未実施: {reason}"),
                (Mark::NotRun, _, false) => format!("not run: {reason}"),
                (_, _, _) if o.why.is_some() => format!("× {reason}"),
                (_, Some(Blame::Sender), true) => {
                    "× 送信側のファイルが標準仕様に反しています".to_owned()
                }
                (_, Some(Blame::Sender), false) => {
                    "× the sender's files break the standard".to_owned()
                }
                (_, _, true) => format!(
                    "× 受信側の取込結果が {} 項目で異なります",
                    o.differing_fields()
                ),
                (_, _, false) => format!(
                    "× the receiver holds {} fields otherwise",
                    o.differing_fields()
                ),
            };
            let _ = writeln!(
                md,
                "- `{}` → `{}` `{}`: {}",
                o.sender,
                o.receiver,
                o.outcome.case,
                md_cell(&what)
            );
        }
    }
    md
}

/// `1 sender`, `2 senders`.
fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or("")
}

/// Table-safe text: `|` and line breaks would break the Markdown table.
fn md_cell(text: &str) -> String {
    text.replace('|', "\\|").replace(['\n', '\r'], " ")
}
