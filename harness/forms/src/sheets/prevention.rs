//! 利用者基本情報 (+ 別表1 タイムスケジュール, 別表2 現病歴・既往歴, 家族構成の画像) and
//! 介護予防サービス・支援計画書 (+ 別表 支援計画).

use crate::model::{
    Block, BoxRow, Cell, Ctx, Paper, Sheet, TableView, Td, Tr, lbox, row, section, th, th_span,
};
use crate::text;

use super::{Entry, recs, sort_key};

fn data_uri(bytes: &[u8]) -> String {
    const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len() * 4 / 3 + 32);
    out.push_str("data:image/jpeg;base64,");
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(B64[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// 緊急連絡先 1–4 (No.46–61) as a table.
fn contacts(ctx: &mut Ctx<'_>, fi: usize, rec: &crate::read::Rec) -> TableView {
    let mut t = TableView {
        class: "list".into(),
        caption: "緊急連絡先".into(),
        cols: ["4%", "22%", "12%", "40%", "22%"]
            .map(String::from)
            .to_vec(),
        head: vec![vec![
            th(""),
            th("氏名"),
            th("続柄"),
            th("住所"),
            th("電話番号"),
        ]],
        body: Vec::new(),
    };
    for i in 0..4u32 {
        let base = 46 + 4 * i;
        let mut tr = Tr {
            class: String::new(),
            cells: vec![Td::new(Cell::plain((i + 1).to_string()), "c")],
        };
        for no in base..base + 4 {
            tr.cells.push(Td::new(ctx.cell(fi, rec, no), "text"));
        }
        t.body.push(tr);
    }
    t
}

/// 利用者基本情報 from one UPKIHON record; `images` are the family pictures it names.
pub(crate) fn kihon(ctx: &mut Ctx<'_>, (fi, rec): Entry<'_>, images: &[usize]) -> Sheet {
    let mut body = Vec::new();
    let groups: [(&str, &[u32], u8); 11] = [
        ("基本", &[4, 5, 6, 7, 8, 9, 10, 11], 4),
        ("本人の現況", &[12, 13], 2),
        ("本人", &[14, 15, 16, 17, 18, 19, 20], 4),
        ("日常生活自立度・認定情報", &[21, 22, 23, 24, 25, 26], 3),
        ("基本チェックリスト", &[27, 28], 2),
        ("障害等認定", &[29, 30, 31, 32, 33], 4),
        (
            "本人の住居環境・経済状況",
            &[34, 35, 36, 37, 38, 39, 40, 41],
            4,
        ),
        ("来所者（相談者）", &[42, 43, 44, 45], 4),
        ("家族構成", &[62, 63], 2),
        ("今までの生活・現在の生活状況", &[64, 65, 66, 67], 2),
        ("現在利用している支援や社会資源・同意", &[68, 69, 70, 71], 2),
    ];
    let mut blocks = Vec::new();
    for (title, nos, per_row) in groups {
        body.push(section(title));
        body.extend(ctx.field_rows(fi, rec, nos, per_row));
        if title == "来所者（相談者）" {
            blocks.push(Block::Boxes(std::mem::take(&mut body)));
            blocks.push(Block::Table(contacts(ctx, fi, rec)));
        }
    }
    blocks.push(Block::Boxes(body));
    for &img in images {
        let file = ctx.file(img);
        if let Some(bytes) = &file.image {
            blocks.push(Block::Image {
                alt: format!("家族構成 {}", file.name),
                src: data_uri(bytes),
            });
        }
        ctx.use_file(img);
    }
    let record = Cell {
        marks: ctx.record_marks(fi, rec),
        ..Cell::default()
    };
    if !record.marks.is_empty() {
        blocks.push(Block::Boxes(vec![row(vec![lbox(
            "この記録のその他の指摘",
            record,
            12,
        )])]));
    }
    Sheet {
        form: "kihon",
        title: "利用者基本情報".into(),
        aside: format!("相談日 {}", text::date(rec.get(4))),
        paper: Paper::A4Portrait,
        head: Vec::new(),
        blocks,
        sources: vec![ctx.file(fi).name.clone()],
    }
}

/// `7:00` / `13:30` as minutes (so that the タイムスケジュール runs through the day); other
/// values after them.
fn time_key(s: &str) -> u32 {
    let (h, m) = s.split_once([':', '：']).unwrap_or((s, "0"));
    match (h.trim().parse::<u32>(), m.trim().parse::<u32>()) {
        (Ok(h), Ok(m)) => h * 60 + m,
        _ => u32::MAX,
    }
}

fn table(
    ctx: &mut Ctx<'_>,
    caption: &str,
    rows: &[Entry<'_>],
    columns: &[(&str, u32)],
    order: u32,
) -> TableView {
    let mut rows = rows.to_vec();
    rows.sort_by_key(|&(fi, r)| (time_key(r.get(order)), sort_key(r.get(order)), fi, r.number));
    let mut t = TableView {
        class: "list".into(),
        caption: caption.into(),
        cols: Vec::new(),
        head: vec![columns.iter().map(|(h, _)| th(h)).collect()],
        body: Vec::new(),
    };
    for (fi, rec) in rows {
        let mut tr = Tr::default();
        for (i, &(_, no)) in columns.iter().enumerate() {
            let mut c = ctx.auto(fi, rec, no);
            if i == 0 {
                c.marks.extend(ctx.record_marks(fi, rec));
            }
            tr.cells.push(Td::new(c, "text"));
        }
        t.body.push(tr);
    }
    t
}

/// 利用者基本情報 別表1 (１日の生活・すごし方) and 別表2 (現病歴・既往歴).
pub(crate) fn kihon_sub(
    ctx: &mut Ctx<'_>,
    sub1: &[(usize, usize)],
    sub2: &[(usize, usize)],
) -> Sheet {
    let set = ctx.set;
    let mut blocks = Vec::new();
    if !sub1.is_empty() {
        blocks.push(Block::Table(table(
            ctx,
            "１日の生活・すごし方（タイムスケジュール）",
            &recs(set, sub1),
            &[
                ("時間", 5),
                ("本人の生活状況", 6),
                ("介護者・家族の生活状況", 7),
            ],
            5,
        )));
    }
    if !sub2.is_empty() {
        blocks.push(Block::Table(table(
            ctx,
            "現病歴・既往歴と経過",
            &recs(set, sub2),
            &[
                ("年月日", 5),
                ("病名", 6),
                ("医療機関・医師名", 7),
                ("主治医・意見作成者", 8),
                ("電話番号", 9),
                ("経過", 10),
                ("治療中の内容", 11),
            ],
            5,
        )));
    }
    let mut all = sub1.to_vec();
    all.extend_from_slice(sub2);
    Sheet {
        form: "kihon-sub",
        title: "利用者基本情報（別表）".into(),
        aside: String::new(),
        paper: Paper::A4Portrait,
        head: Vec::new(),
        blocks,
        sources: super::sources(ctx, &all),
    }
}

/// 支援計画 (UPYOBO_SUB), grouped by 課題ＮＯ.
fn plan_table(ctx: &mut Ctx<'_>, subs: &[(usize, usize)]) -> TableView {
    let set = ctx.set;
    let mut rows = recs(set, subs);
    rows.sort_by_key(|&(fi, r)| {
        (
            sort_key(r.get(5)),
            sort_key(r.get(10)),
            sort_key(r.get(14)),
            fi,
            r.number,
        )
    });
    let mut t = TableView {
        class: "t2".into(),
        caption: "支援計画".into(),
        cols: Vec::new(),
        head: vec![
            vec![
                th_span("総合的課題", 1, 2),
                th_span("課題に対する目標と具体策の提案", 1, 2),
                th_span("具体策についての意向 本人・家族", 1, 2),
                th_span("目標", 1, 2),
                th_span("支援計画", 3, 1),
                th_span("利用サービス", 3, 1),
            ],
            vec![
                th("目標についての支援のポイント"),
                th("本人等のセルフケアや家族の支援、インフォーマルサービス"),
                th("介護保険サービス又は地域支援事業"),
                th("サービス種別"),
                th("事業所（利用先）"),
                th("期間"),
            ],
        ],
        body: Vec::new(),
    };
    let mut i = 0;
    while i < rows.len() {
        let issue = sort_key(rows[i].1.get(5));
        let end = rows[i..]
            .iter()
            .position(|(_, r)| sort_key(r.get(5)) != issue)
            .map_or(rows.len(), |p| i + p);
        for (j, &(fi, rec)) in rows[i..end].iter().enumerate() {
            let mut tr = Tr::default();
            if j == 0 {
                for no in [6, 7, 8, 9] {
                    let mut c = Cell::default();
                    for &(gf, g) in &rows[i..end] {
                        let x = ctx.cell(gf, g, no);
                        if c.text.split('\n').any(|t| t == x.text) {
                            c = c.join(
                                "",
                                Cell {
                                    text: String::new(),
                                    marks: x.marks,
                                },
                            );
                        } else {
                            c = c.join("\n", x);
                        }
                    }
                    let mut td = Td::new(c, "text");
                    td.rowspan = end - i;
                    tr.cells.push(td);
                }
            }
            let mut point = ctx.cell(fi, rec, 11);
            point.marks.extend(ctx.record_marks(fi, rec));
            for c in [
                point,
                ctx.cell(fi, rec, 12),
                ctx.cell(fi, rec, 13),
                ctx.cell(fi, rec, 15),
                ctx.cell(fi, rec, 16),
                ctx.cell(fi, rec, 17),
            ] {
                tr.cells.push(Td::new(c, "text"));
            }
            t.body.push(tr);
        }
        i = end;
    }
    t
}

/// 介護予防サービス・支援計画書 from one UPYOBO record and the 別表 (支援計画) rows of its date.
pub(crate) fn yobo(ctx: &mut Ctx<'_>, (fi, rec): Entry<'_>, subs: &[(usize, usize)]) -> Sheet {
    let head = ctx.field_rows(fi, rec, &[5, 6, 7, 8, 9, 10, 11, 12, 13, 14], 5);
    let mut body: Vec<BoxRow> = ctx.field_rows(fi, rec, &[15, 16, 17, 18, 19, 20, 21], 4);
    body.extend(ctx.field_rows(fi, rec, &[22, 23], 2));
    let mut areas = TableView {
        class: "list".into(),
        caption: "アセスメント領域と現在の状況".into(),
        cols: Vec::new(),
        head: vec![vec![
            th("アセスメント領域"),
            th("現在の状況"),
            th("本人・家族の意欲・意向"),
            th("領域における課題"),
            th("課題（背景・原因）"),
        ]],
        body: Vec::new(),
    };
    for (k, name) in [
        "運動・移動",
        "日常生活（家庭生活）",
        "社会参加、対人関係・コミュニケーション",
        "健康管理",
    ]
    .iter()
    .enumerate()
    {
        let base = 24 + 4 * k as u32;
        let mut tr = Tr {
            class: String::new(),
            cells: vec![Td::new(Cell::plain(*name), "text")],
        };
        for no in base..base + 4 {
            tr.cells.push(Td::new(ctx.auto(fi, rec, no), "text"));
        }
        areas.body.push(tr);
    }
    let mut check = TableView {
        class: "list".into(),
        caption: "基本チェックリストの該当数と事業プログラムの要否".into(),
        cols: Vec::new(),
        head: vec![vec![
            th(""),
            th("運動不足"),
            th("栄養改善"),
            th("口腔内ケア"),
            th("閉じこもり予防"),
            th("物忘れ予防"),
            th("うつ予防"),
        ]],
        body: Vec::new(),
    };
    for (label, base) in [("該当数", 43), ("要否", 49)] {
        let mut tr = Tr {
            class: String::new(),
            cells: vec![Td::new(Cell::plain(label), "text")],
        };
        for no in base..base + 6 {
            tr.cells.push(Td::new(ctx.auto(fi, rec, no), "c"));
        }
        check.body.push(tr);
    }
    let mut blocks = vec![Block::Boxes(body), Block::Table(areas)];
    if !subs.is_empty() {
        blocks.push(Block::Table(plan_table(ctx, subs)));
    }
    blocks.push(Block::Boxes(ctx.field_rows(fi, rec, &[40, 41, 42], 1)));
    blocks.push(Block::Table(check));
    blocks.push(Block::Boxes(ctx.field_rows(fi, rec, &[55, 56, 57], 3)));
    let record = Cell {
        marks: ctx.record_marks(fi, rec),
        ..Cell::default()
    };
    if !record.marks.is_empty() {
        blocks.push(Block::Boxes(vec![row(vec![lbox(
            "この記録のその他の指摘",
            record,
            12,
        )])]));
    }
    let mut sources = super::sources(ctx, subs);
    sources.insert(0, ctx.file(fi).name.clone());
    sources.dedup();
    Sheet {
        form: "yobo",
        title: "介護予防サービス・支援計画書".into(),
        aside: format!("計画作成（変更）日 {}", text::date(rec.get(4))),
        paper: Paper::A4Landscape,
        head,
        blocks,
        sources,
    }
}

/// 支援計画 rows whose 介護予防サービス・支援計画書 is not in the set.
pub(crate) fn yobo_sub_only(ctx: &mut Ctx<'_>, subs: &[(usize, usize)]) -> Sheet {
    let table = plan_table(ctx, subs);
    Sheet {
        form: "yobo",
        title: "介護予防サービス・支援計画書（別表）".into(),
        aside: String::new(),
        paper: Paper::A4Landscape,
        head: Vec::new(),
        blocks: vec![Block::Table(table)],
        sources: super::sources(ctx, subs),
    }
}
