//! 第6表 サービス利用票 (the month grid, 予定 and 実績 rows), 第7表 サービス利用票別表, 利用者補足情報.

use std::collections::BTreeMap;

use crate::model::{Block, Cell, Ctx, Paper, Sheet, TableView, Td, Th, Tr, lbox, row, th, th_span};
use crate::text;

use super::{Entry, name_cell, recs};

/// One grid line: a service at a time from an office.
type LineKey = (u32, String, String, String, String, String, String);

#[derive(Default)]
struct Line<'a> {
    /// Per day (index 0 = day 1): the 予定 and 実績 records.
    plan: Vec<Vec<Entry<'a>>>,
    done: Vec<Vec<Entry<'a>>>,
    first: Option<Entry<'a>>,
}

fn service_name(ctx: &Ctx<'_>, code: &str) -> String {
    code.get(..2)
        .and_then(|k| ctx.spec.service_kind(ctx.version, k))
        .map(|k| k.name.clone())
        .unwrap_or_default()
}

fn day_cell(ctx: &mut Ctx<'_>, entries: &[Entry<'_>], class: &str, data: String) -> Td {
    let mut cell = Cell::default();
    if !entries.is_empty() {
        let mut total = 0u64;
        let mut unreadable = Vec::new();
        for &(fi, rec) in entries {
            match rec.get(14).parse::<u64>() {
                Ok(n) => total += n,
                Err(_) => unreadable.push(rec.get(14).to_owned()),
            }
            let marks = ctx.record_marks(fi, rec);
            cell = cell.join(
                "",
                Cell {
                    text: String::new(),
                    marks,
                },
            );
        }
        cell.text = if unreadable.is_empty() {
            total.to_string()
        } else {
            format!("{total}?{}", unreadable.join(","))
        };
    }
    let class = if cell.text.is_empty() {
        format!("d {class}")
    } else {
        format!("d on {class}")
    };
    Td {
        data,
        ..Td::new(cell, &class)
    }
}

fn count(entries: &[Vec<Entry<'_>>]) -> u64 {
    entries
        .iter()
        .flatten()
        .filter_map(|(_, r)| r.get(14).parse::<u64>().ok())
        .sum()
}

/// 第6表: the month grid of services × days with 予定 (UPPLAN) and 実績 (UPJSK) rows.
pub(crate) fn sheet6(
    ctx: &mut Ctx<'_>,
    month: &str,
    plan: &[(usize, usize)],
    done: &[(usize, usize)],
    hosoku: Option<Entry<'_>>,
) -> Sheet {
    let set = ctx.set;
    let (year, mon) = text::year_month(month).unwrap_or((0, 0));
    let days = text::days_in_month(year, mon) as usize;
    let day_class: Vec<&str> = (1..=days as u32)
        .map(|d| match text::weekday(year, mon, d) {
            0 => "sun",
            6 => "sat",
            _ => "",
        })
        .collect();
    let mut lines: BTreeMap<LineKey, Line<'_>> = BTreeMap::new();
    let mut stray: Vec<Entry<'_>> = Vec::new();
    for (is_plan, list) in [(true, plan), (false, done)] {
        for (fi, rec) in recs(set, list) {
            ctx.use_file(fi);
            let day = text::ymd(rec.get(10))
                .filter(|&(y, m, _)| (y, m) == (year, mon))
                .map(|(_, _, d)| d as usize);
            let Some(day) = day else {
                stray.push((fi, rec));
                continue;
            };
            let key: LineKey = (
                text::minutes(rec.get(12)).unwrap_or(u32::MAX),
                rec.get(12).into(),
                rec.get(13).into(),
                rec.get(15).into(),
                rec.get(20).into(),
                rec.get(22).into(),
                format!("{}{}", rec.get(16), rec.get(17)),
            );
            let line = lines.entry(key).or_insert_with(|| Line {
                plan: vec![Vec::new(); days],
                done: vec![Vec::new(); days],
                first: None,
            });
            line.first.get_or_insert((fi, rec));
            let slot = if is_plan {
                &mut line.plan
            } else {
                &mut line.done
            };
            slot[day - 1].push((fi, rec));
        }
    }
    let mut head1 = vec![
        th_span("提供時間帯", 1, 2),
        th_span("サービス内容", 1, 2),
        th_span("サービス事業者 事業所名", 1, 2),
        th_span("", 1, 2),
    ];
    let mut head2 = Vec::new();
    for d in 1..=days {
        head1.push(Th {
            class: day_class[d - 1],
            ..th(&d.to_string())
        });
        head2.push(Th {
            class: day_class[d - 1],
            ..th(text::WEEKDAYS[text::weekday(year, mon, d as u32) as usize])
        });
    }
    head1.push(th_span("合計回数", 1, 2));
    let mut table = TableView {
        class: "grid6".into(),
        caption: String::new(),
        cols: Vec::new(),
        head: vec![head1, head2],
        body: Vec::new(),
    };
    for line in lines.values() {
        let Some((fi, rec)) = line.first else {
            continue;
        };
        let code = rec.get(15);
        let service = Cell::plain(service_name(ctx, code))
            .join(" ", ctx.cell(fi, rec, 15))
            .join(" ", ctx.cell(fi, rec, 18))
            .join(" TAIS ", ctx.cell(fi, rec, 16))
            .join(" 届出 ", ctx.cell(fi, rec, 17));
        let office = ctx
            .cell(fi, rec, 21)
            .join(" ", ctx.cell(fi, rec, 20))
            .join(" 枝番", ctx.cell(fi, rec, 22));
        let mut top = Tr {
            class: "plan".into(),
            cells: Vec::new(),
        };
        for (cell, class) in [
            (Cell::plain(text::span(rec.get(12), rec.get(13))), "time"),
            (service, "svc"),
            (office, "office"),
        ] {
            let mut td = Td::new(cell, class);
            td.rowspan = 2;
            top.cells.push(td);
        }
        top.cells.push(Td::new(Cell::plain("予定"), "pk"));
        for (d, class) in day_class.iter().enumerate() {
            top.cells.push(day_cell(
                ctx,
                &line.plan[d],
                class,
                format!("plan-{}", d + 1),
            ));
        }
        top.cells
            .push(Td::new(Cell::plain(count(&line.plan).to_string()), "sum"));
        let mut bottom = Tr {
            class: "done".into(),
            cells: vec![Td::new(Cell::plain("実績"), "pk")],
        };
        for (d, class) in day_class.iter().enumerate() {
            bottom.cells.push(day_cell(
                ctx,
                &line.done[d],
                class,
                format!("done-{}", d + 1),
            ));
        }
        let done_total = if line.done.iter().all(Vec::is_empty) {
            String::new()
        } else {
            count(&line.done).to_string()
        };
        bottom.cells.push(Td::new(Cell::plain(done_total), "sum"));
        table.body.push(top);
        table.body.push(bottom);
    }

    let first = recs(set, plan)
        .first()
        .copied()
        .or_else(|| recs(set, done).first().copied());
    let mut head = Vec::new();
    if let Some((fi, rec)) = first {
        let mut person = Cell::default();
        let mut care = lbox("要介護状態区分", Cell::default(), 3);
        let mut limit = lbox("区分支給限度基準額", Cell::default(), 3);
        let mut period = lbox("限度額適用期間", Cell::default(), 3);
        let mut birth = lbox("生年月日", Cell::default(), 2);
        let mut sex = lbox("性別", Cell::default(), 1);
        if let Some((hf, h)) = hosoku {
            person = ctx
                .cell(hf, h, 5)
                .join("\n", name_cell(ctx, hosoku, 6, " 殿"));
            care.cell = ctx
                .code(hf, h, 18)
                .join(" 変更日 ", ctx.cell_with(hf, h, 17, text::date));
            limit.cell = ctx.cell_with(hf, h, 19, text::number);
            if !limit.cell.text.is_empty() {
                limit.cell.text.push_str(" 単位/月");
            }
            period.cell = ctx
                .cell_with(hf, h, 14, text::date)
                .join(" ～ ", ctx.cell_with(hf, h, 15, text::date));
            birth.cell = ctx.cell_with(hf, h, 8, text::date);
            sex.cell = ctx.code(hf, h, 7);
        }
        head.push(row(vec![
            lbox("保険者番号", ctx.cell(fi, rec, 2), 2),
            lbox("被保険者番号", ctx.cell(fi, rec, 3), 2),
            lbox("フリガナ／被保険者氏名", person, 5),
            birth,
            sex,
        ]));
        head.push(row(vec![
            care,
            limit,
            period,
            lbox("前月までの短期入所利用日数", ctx.cell(fi, rec, 9), 3),
        ]));
        head.push(row(vec![
            lbox("居宅介護支援事業者（事業所番号）", ctx.cell(fi, rec, 6), 4),
            lbox("担当者名", ctx.cell(fi, rec, 7), 4),
            lbox("作成年月日", ctx.cell_with(fi, rec, 4, text::date), 4),
        ]));
    }
    let mut blocks = vec![Block::Table(table)];
    if !stray.is_empty() {
        let mut c = Cell::default();
        for (fi, rec) in stray {
            let item = ctx
                .cell(fi, rec, 10)
                .join(" ", ctx.cell(fi, rec, 15))
                .join(" ", ctx.cell(fi, rec, 21));
            c = c.join("\n", item);
        }
        blocks.push(Block::Boxes(vec![row(vec![lbox(
            "サービス利用日が対象年月の日付でない記録（表に置けません）",
            c,
            12,
        )])]));
    }
    let title = if plan.is_empty() {
        "サービス提供票 実績（第6表 実績情報）"
    } else {
        "第6表 サービス利用票（兼居宅（介護予防）サービス計画）"
    };
    let mut all = plan.to_vec();
    all.extend_from_slice(done);
    Sheet {
        form: "sheet6",
        title: title.into(),
        aside: format!("{}分", text::month(month)),
        paper: Paper::A4Landscape,
        head,
        blocks,
        sources: super::sources(ctx, &all),
    }
}

/// Columns of 第7表: (heading, field No.).
const COLUMNS7: [(&str, u32); 17] = [
    ("単位数", 13),
    ("割引後 率（％）", 14),
    ("割引後 単位数", 15),
    ("回数", 16),
    ("サービス単位／金額", 17),
    ("給付管理単位数", 18),
    ("種類支給限度基準を超える単位数", 19),
    ("種類支給限度基準内単位数", 20),
    ("区分支給限度基準を超える単位数", 21),
    ("区分支給限度基準内単位数", 22),
    ("単位数単価", 23),
    ("費用総額（保険／事業対象分）", 24),
    ("給付率（％）", 25),
    ("保険／事業費請求額", 26),
    ("定額利用者負担単価金額", 27),
    ("利用者負担（保険／事業対象分）", 28),
    ("利用者負担（全額負担分）", 29),
];

/// 第7表: 区分支給限度管理・利用者負担計算 rows as sent, with the subtotal (<種類>AAAA/EEEE/ZZZZ)
/// and total (999999) rows set apart, then 種類別支給限度管理 from 利用者補足情報.
pub(crate) fn sheet7(
    ctx: &mut Ctx<'_>,
    month: &str,
    entries: &[(usize, usize)],
    hosoku: Option<Entry<'_>>,
) -> Sheet {
    let set = ctx.set;
    let rows = recs(set, entries);
    let mut head1 = vec![
        th_span("事業所名", 1, 2),
        th_span("事業所番号", 1, 2),
        th_span("サービス内容／種類", 1, 2),
        th_span("サービスコード", 1, 2),
    ];
    head1.push(th_span(
        "区分支給限度管理・利用者負担計算",
        COLUMNS7.len(),
        1,
    ));
    let head2 = COLUMNS7.iter().map(|(h, _)| th(h)).collect();
    let mut table = TableView {
        class: "t7".into(),
        caption: String::new(),
        cols: Vec::new(),
        head: vec![head1, head2],
        body: Vec::new(),
    };
    let mut has_total = false;
    for &(fi, rec) in &rows {
        let code = rec.get(9);
        let kind = service_name(ctx, code);
        let (class, what) = if code == "999999" || rec.get(7) == "9999999999" {
            has_total = true;
            ("total", "合計".to_owned())
        } else if code.ends_with("AAAA") {
            ("sub", format!("{kind}計（区分支給限度内）"))
        } else if code.ends_with("EEEE") {
            ("sub", format!("{kind}計（区分支給限度外）"))
        } else if code.ends_with("ZZZZ") {
            ("sub", format!("{kind}計（30日超）"))
        } else {
            ("", kind)
        };
        let mut service = Cell::plain(what).join(" ", ctx.cell(fi, rec, 12));
        service.marks.extend(ctx.record_marks(fi, rec));
        let office = ctx.cell(fi, rec, 7).join(" 枝番", ctx.cell(fi, rec, 8));
        let mut tr = Tr {
            class: class.into(),
            cells: vec![
                Td::new(ctx.cell(fi, rec, 6), "text"),
                Td::new(office, "c"),
                Td::new(service, "text"),
                Td::new(
                    ctx.cell(fi, rec, 9)
                        .join(" ", ctx.cell(fi, rec, 10))
                        .join(" ", ctx.cell(fi, rec, 11)),
                    "c",
                ),
            ],
        };
        for &(_, no) in &COLUMNS7 {
            tr.cells
                .push(Td::new(ctx.cell_with(fi, rec, no, text::number), "n"));
        }
        table.body.push(tr);
    }
    let mut blocks = vec![Block::Table(table)];
    if !has_total {
        blocks.push(Block::Note(
            "合計行（事業所番号 9999999999・サービスコード 999999）がありません。".into(),
        ));
    }
    // 短期入所: the first row that carries the day counts.
    if let Some(&(fi, rec)) = rows
        .iter()
        .find(|(_, r)| [30, 31, 32].iter().any(|&n| !r.get(n).is_empty()))
    {
        blocks.push(Block::Boxes(vec![row(vec![
            lbox("前月までの利用日数", ctx.cell(fi, rec, 30), 4),
            lbox("当月の計画利用日数", ctx.cell(fi, rec, 31), 4),
            lbox("累積利用日数", ctx.cell(fi, rec, 32), 4),
        ])]));
    }
    let mut head = Vec::new();
    if let Some((hf, h)) = hosoku {
        blocks.push(Block::Table(limits(ctx, hf, h)));
        head.push(row(vec![
            lbox("被保険者氏名", name_cell(ctx, hosoku, 6, " 殿"), 4),
            lbox(
                "区分支給限度基準額（単位）",
                ctx.cell_with(hf, h, 19, text::number),
                4,
            ),
            lbox(
                "合計限度超単位数",
                ctx.cell_with(hf, h, 56, text::number),
                4,
            ),
        ]));
    } else if let Some(&(fi, rec)) = rows.first() {
        head.push(row(vec![
            lbox("保険者番号", ctx.cell(fi, rec, 2), 4),
            lbox("被保険者番号", ctx.cell(fi, rec, 3), 4),
            lbox("作成年月日", ctx.cell_with(fi, rec, 4, text::date), 4),
        ]));
    }
    Sheet {
        form: "sheet7",
        title: "第7表 サービス利用票別表".into(),
        aside: format!("{}分", text::month(month)),
        paper: Paper::A4Landscape,
        head,
        blocks,
        sources: super::sources(ctx, entries),
    }
}

/// 種類別支給限度管理: the nine slots of 利用者補足情報 (No.20–55) and 合計 (No.56).
fn limits(ctx: &mut Ctx<'_>, fi: usize, rec: &crate::read::Rec) -> TableView {
    let mut table = TableView {
        class: "limits".into(),
        caption: "種類別支給限度管理".into(),
        cols: Vec::new(),
        head: vec![vec![
            th("サービス種類"),
            th("種類支給限度基準額（単位）"),
            th("合計単位数"),
            th("種類支給限度基準を超える単位数"),
        ]],
        body: Vec::new(),
    };
    for slot in 0..9u32 {
        let base = 20 + slot * 4;
        if (base..base + 4).all(|n| rec.get(n).is_empty()) {
            continue;
        }
        let kind = rec.get(base);
        let name = ctx
            .spec
            .service_kind(ctx.version, kind)
            .map(|k| k.name.clone())
            .unwrap_or_default();
        table.body.push(Tr {
            class: String::new(),
            cells: vec![
                Td::new(Cell::plain(name).join(" ", ctx.cell(fi, rec, base)), "text"),
                Td::new(ctx.cell_with(fi, rec, base + 1, text::number), "n"),
                Td::new(ctx.cell_with(fi, rec, base + 2, text::number), "n"),
                Td::new(ctx.cell_with(fi, rec, base + 3, text::number), "n"),
            ],
        });
    }
    let mut total = Td::new(ctx.cell_with(fi, rec, 56, text::number), "n");
    total.colspan = 3;
    table.body.push(Tr {
        class: "total".into(),
        cells: vec![Td::new(Cell::plain("合計"), "text"), total],
    });
    table
}

/// 利用者補足情報 as a sheet of its own (every field but the slots, then the slots).
pub(crate) fn hosoku(ctx: &mut Ctx<'_>, (fi, rec): Entry<'_>) -> Sheet {
    let mut nos: Vec<u32> = (2..=19).collect();
    nos.extend(57..=63);
    let rows = ctx.field_rows(fi, rec, &nos, 4);
    let record = Cell {
        marks: ctx.record_marks(fi, rec),
        ..Cell::default()
    };
    let mut blocks = vec![Block::Boxes(rows), Block::Table(limits(ctx, fi, rec))];
    if !record.marks.is_empty() {
        blocks.push(Block::Boxes(vec![row(vec![lbox(
            "この記録のその他の指摘",
            record,
            12,
        )])]));
    }
    let month = rec.get(63);
    Sheet {
        form: "hosoku",
        title: "利用者補足情報".into(),
        aside: if month.is_empty() || month == "000000" {
            String::new()
        } else {
            format!("{}分", text::month(month))
        },
        paper: Paper::A4Landscape,
        head: Vec::new(),
        blocks,
        sources: vec![ctx.file(fi).name.clone()],
    }
}
