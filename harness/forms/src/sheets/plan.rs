//! 第1表 居宅サービス計画書（1）, 第2表 居宅サービス計画書（2）, 第3表 週間サービス計画表.

use crate::model::{
    Block, BoxRow, Cell, Ctx, HourLine, Paper, Sheet, TableView, Td, Tr, WeekColumn, WeekItem,
    WeekView, lbox, row, tall, th, th_span,
};
use crate::read::Rec;
use crate::text;

use super::{Entry, name_cell, recs, sort_key};

/// 第1表 from one UP1KYO record; `hosoku` gives the name and birth date.
pub(crate) fn plan1(ctx: &mut Ctx<'_>, (fi, rec): Entry<'_>, hosoku: Option<Entry<'_>>) -> Sheet {
    let name = name_cell(ctx, hosoku, 6, " 殿");
    let birth = match hosoku {
        Some((hf, h)) => ctx.cell_with(hf, h, 8, text::date),
        None => Cell::default(),
    };
    let address = Cell::plain("〒")
        .join("", ctx.cell(fi, rec, 5))
        .join(" ", ctx.cell(fi, rec, 6))
        .join(" ", ctx.cell(fi, rec, 7));
    let office = ctx
        .cell(fi, rec, 9)
        .join(" 〒", ctx.cell(fi, rec, 10))
        .join(" ", ctx.cell(fi, rec, 11))
        .join(" ", ctx.cell(fi, rec, 12))
        .join(" 事業所番号 ", ctx.cell(fi, rec, 13));
    let period = ctx
        .cell_with(fi, rec, 19, text::date)
        .join(" ～ ", ctx.cell_with(fi, rec, 20, text::date));
    let reason = ctx.code(fi, rec, 25).join(" ", ctx.cell(fi, rec, 26));
    let head = vec![row(vec![
        lbox("作成年月日", ctx.cell_with(fi, rec, 4, text::date), 4),
        lbox("初回・紹介・継続", ctx.code(fi, rec, 16), 4),
        lbox("認定済・申請中", ctx.code(fi, rec, 17), 4),
    ])];
    let body: Vec<BoxRow> = vec![
        row(vec![
            lbox("利用者名", name, 4),
            lbox("生年月日", birth, 3),
            lbox("住所", address, 5),
        ]),
        row(vec![
            lbox("居宅サービス計画作成者氏名", ctx.cell(fi, rec, 8), 4),
            lbox("居宅介護支援事業者・事業所名及び所在地", office, 8),
        ]),
        row(vec![
            lbox(
                "居宅サービス計画作成（変更）日",
                ctx.cell_with(fi, rec, 14, text::date),
                4,
            ),
            lbox(
                "初回居宅サービス計画作成日",
                ctx.cell_with(fi, rec, 15, text::date),
                4,
            ),
            lbox("認定日", ctx.cell_with(fi, rec, 18, text::date), 4),
        ]),
        row(vec![
            lbox("認定の有効期間", period, 6),
            lbox("要介護状態区分", ctx.code(fi, rec, 21), 6),
        ]),
        row(vec![tall(
            "利用者及び家族の生活に対する意向を踏まえた課題分析の結果",
            ctx.cell(fi, rec, 22),
            12,
        )]),
        row(vec![tall(
            "介護認定審査会の意見及びサービスの種類の指定",
            ctx.cell(fi, rec, 23),
            12,
        )]),
        row(vec![tall("総合的な援助の方針", ctx.cell(fi, rec, 24), 12)]),
        row(vec![lbox("生活援助中心型の算定理由", reason, 12)]),
    ];
    let record = Cell {
        marks: ctx.record_marks(fi, rec),
        ..Cell::default()
    };
    let mut blocks = vec![Block::Boxes(body)];
    if !record.marks.is_empty() {
        blocks.push(Block::Boxes(vec![row(vec![lbox(
            "この記録のその他の指摘",
            record,
            12,
        )])]));
    }
    Sheet {
        form: "plan1",
        title: "第1表 居宅サービス計画書（1）".into(),
        aside: String::new(),
        paper: Paper::A4Landscape,
        head,
        blocks,
        sources: vec![ctx.file(fi).name.clone()],
    }
}

/// One merged cell over a group of rows: the distinct non-empty values, with every row's marks.
fn merged(ctx: &mut Ctx<'_>, rows: &[Entry<'_>], no: u32) -> Cell {
    let mut out = Cell::default();
    for &(fi, rec) in rows {
        let c = ctx.cell(fi, rec, no);
        if out.text.split('\n').any(|t| t == c.text) {
            let marks = Cell {
                text: String::new(),
                marks: c.marks,
            };
            out = out.join("", marks);
        } else {
            out = out.join("\n", c);
        }
    }
    out
}

/// Splits sorted rows into runs of equal `key`.
fn runs<'r, 'a, K: PartialEq>(
    rows: &'r [Entry<'a>],
    key: impl Fn(&Rec) -> K,
) -> Vec<&'r [Entry<'a>]> {
    let mut out = Vec::new();
    let mut start = 0;
    for i in 1..=rows.len() {
        if i == rows.len() || key(rows[i].1) != key(rows[start].1) {
            out.push(&rows[start..i]);
            start = i;
        }
    }
    out
}

/// 第2表 from the UP2KYO records of one plan, rows grouped by 課題ＮＯ and 援助目標ＮＯ (the
/// standard orders them by 課題ＮＯ/援助目標ＮＯ/援助内容ＮＯ, not by position).
pub(crate) fn plan2(
    ctx: &mut Ctx<'_>,
    entries: &[(usize, usize)],
    hosoku: Option<Entry<'_>>,
) -> Sheet {
    let set = ctx.set;
    let mut rows = recs(set, entries);
    rows.sort_by_key(|&(fi, r)| {
        (
            sort_key(r.get(6)),
            sort_key(r.get(8)),
            sort_key(r.get(13)),
            fi,
            r.number,
        )
    });
    let mut table = TableView {
        class: "t2".into(),
        caption: String::new(),
        cols: ["14", "12", "7", "12", "7", "14", "4", "9", "10", "5", "6"]
            .map(|w| format!("{w}%"))
            .to_vec(),
        head: vec![
            vec![
                th_span("生活全般の解決すべき課題（ニーズ）", 1, 2),
                th_span("目標", 4, 1),
                th_span("援助内容", 6, 1),
            ],
            vec![
                th("長期目標"),
                th("（期間）"),
                th("短期目標"),
                th("（期間）"),
                th("サービス内容"),
                th("※1"),
                th("サービス種別"),
                th("※2"),
                th("頻度"),
                th("期間"),
            ],
        ],
        body: Vec::new(),
    };
    for issue in runs(&rows, |r| sort_key(r.get(6))) {
        let mut first_issue = true;
        for goal in runs(issue, |r| sort_key(r.get(8))) {
            let mut first_goal = true;
            for &(fi, rec) in goal {
                let mut tr = Tr::default();
                if first_issue {
                    let mut td = Td::new(merged(ctx, issue, 7), "text");
                    td.rowspan = issue.len();
                    tr.cells.push(td);
                    first_issue = false;
                }
                if first_goal {
                    for (no, class) in [(9, "text"), (11, "period"), (10, "text"), (12, "period")] {
                        let mut td = Td::new(merged(ctx, goal, no), class);
                        td.rowspan = goal.len();
                        tr.cells.push(td);
                    }
                    first_goal = false;
                }
                let office = ctx.cell(fi, rec, 18).join(" ", ctx.cell(fi, rec, 17));
                let mut content = ctx.cell(fi, rec, 14);
                content.marks.extend(ctx.record_marks(fi, rec));
                tr.cells.extend([
                    Td::new(content, "text"),
                    Td::new(ctx.cell(fi, rec, 15), "c"),
                    Td::new(ctx.cell(fi, rec, 16), "text"),
                    Td::new(office, "text"),
                    Td::new(ctx.cell(fi, rec, 19), "text"),
                    Td::new(ctx.cell(fi, rec, 20), "period"),
                ]);
                table.body.push(tr);
            }
        }
    }
    let first = rows.first().copied();
    let head = vec![row(vec![
        lbox("利用者名", name_cell(ctx, hosoku, 6, " 殿"), 6),
        lbox(
            "作成年月日",
            first.map_or_else(Cell::default, |(fi, r)| ctx.cell_with(fi, r, 4, text::date)),
            6,
        ),
    ])];
    Sheet {
        form: "plan2",
        title: "第2表 居宅サービス計画書（2）".into(),
        aside: String::new(),
        paper: Paper::A4Landscape,
        head,
        blocks: vec![
            Block::Table(table),
            Block::Note(
                "※1 「保険給付の対象となるかどうかの区分」について、保険給付対象内サービスについては○印（Y）を付す。※2 「当該サービス提供を行う事業所」について記入する。"
                    .into(),
            ),
        ],
        sources: super::sources(ctx, entries),
    }
}

const DAY_NAMES: [(&str, &str); 7] = [
    ("1", "月"),
    ("2", "火"),
    ("3", "水"),
    ("4", "木"),
    ("5", "金"),
    ("6", "土"),
    ("7", "日"),
];

fn placed(
    ctx: &mut Ctx<'_>,
    (fi, rec): Entry<'_>,
    text_no: u32,
    start: u32,
    end: u32,
) -> Option<WeekItem> {
    let (a, b) = (text::minutes(rec.get(start))?, text::minutes(rec.get(end))?);
    let b = if b > a { b } else { a + 30 }.min(24 * 60);
    let cell = ctx
        .cell(fi, rec, text_no)
        .join(
            "",
            Cell {
                text: String::new(),
                marks: ctx.cell(fi, rec, start).marks,
            },
        )
        .join(
            "",
            Cell {
                text: String::new(),
                marks: ctx.cell(fi, rec, end).marks,
            },
        );
    Some(WeekItem {
        top: format!("{:.3}", f64::from(a) * 100.0 / 1440.0),
        height: format!("{:.3}", f64::from(b - a) * 100.0 / 1440.0),
        time: text::span(rec.get(start), rec.get(end)),
        cell,
    })
}

/// 第3表 週間サービス計画表 from the UP3KYO records of one plan.
pub(crate) fn plan3(
    ctx: &mut Ctx<'_>,
    entries: &[(usize, usize)],
    hosoku: Option<Entry<'_>>,
) -> Sheet {
    let set = ctx.set;
    let rows = recs(set, entries);
    let mut columns: Vec<WeekColumn> = DAY_NAMES
        .iter()
        .map(|(_, n)| WeekColumn {
            name: (*n).into(),
            class: match *n {
                "土" => "sat",
                "日" => "sun",
                _ => "",
            },
            items: Vec::new(),
        })
        .collect();
    let mut activities = WeekColumn {
        name: "主な日常生活上の活動".into(),
        class: "act",
        items: Vec::new(),
    };
    let mut unplaced: Vec<Cell> = Vec::new();
    let mut other = Cell::default();
    for &(fi, rec) in &rows {
        ctx.use_file(fi);
        if !rec.get(6).is_empty() {
            let day = DAY_NAMES.iter().position(|(code, _)| *code == rec.get(7));
            match (day, placed(ctx, (fi, rec), 6, 8, 9)) {
                (Some(d), Some(item)) => columns[d].items.push(item),
                _ => {
                    let c = ctx
                        .cell(fi, rec, 6)
                        .join(" 曜日:", ctx.cell(fi, rec, 7))
                        .join(" ", ctx.cell(fi, rec, 8))
                        .join("～", ctx.cell(fi, rec, 9));
                    unplaced.push(c);
                }
            }
        }
        if !rec.get(10).is_empty() {
            let seen = activities.items.iter().any(|i| {
                i.cell.text == rec.get(10) && i.time == text::span(rec.get(11), rec.get(12))
            });
            if !seen {
                match placed(ctx, (fi, rec), 10, 11, 12) {
                    Some(item) => activities.items.push(item),
                    None => unplaced.push(
                        ctx.cell(fi, rec, 10)
                            .join(" ", ctx.cell(fi, rec, 11))
                            .join("～", ctx.cell(fi, rec, 12)),
                    ),
                }
            }
        }
        let o = ctx.cell(fi, rec, 13);
        if !o.text.is_empty() && !other.text.split('\n').any(|t| t == o.text) {
            other = other.join("\n", o);
        }
    }
    columns.push(activities);
    let hours = (0..=24)
        .step_by(2)
        .map(|h| HourLine {
            top: format!("{:.3}", f64::from(h) * 100.0 / 24.0),
            label: format!("{h}:00"),
        })
        .collect();
    let first = rows.first().copied();
    let head = vec![row(vec![
        lbox("利用者名", name_cell(ctx, hosoku, 6, " 殿"), 6),
        lbox(
            "作成年月日",
            first.map_or_else(Cell::default, |(fi, r)| ctx.cell_with(fi, r, 4, text::date)),
            6,
        ),
    ])];
    let mut blocks = vec![Block::Week(WeekView {
        hours,
        columns,
        other,
    })];
    if !unplaced.is_empty() {
        let mut c = Cell::default();
        for u in unplaced {
            c = c.join("\n", u);
        }
        blocks.push(Block::Boxes(vec![row(vec![lbox(
            "時刻または曜日が読めず表に置けない記録",
            c,
            12,
        )])]));
    }
    Sheet {
        form: "plan3",
        title: "第3表 週間サービス計画表".into(),
        aside: String::new(),
        paper: Paper::A4Landscape,
        head,
        blocks,
        sources: super::sources(ctx, entries),
    }
}
