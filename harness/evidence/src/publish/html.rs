//! The site's pages: the listing (index.html) and one page per product. Plain HTML and one CSS
//! file, no script, no external URL; readable on a phone (the tables scroll sideways in their
//! own box, the text wraps).

use cpcert_checks::Lang;
use cpcert_report::Verdict;
use cpcert_spec::Role;

use super::listing::{ListedProduct, Listing};
use super::patterns::PatternResult;

/// HTML-escapes text.
pub fn escape(text: &str) -> String {
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

/// The stylesheet (style.css).
pub const CSS: &str = "\
*{box-sizing:border-box}
body{font-family:'Noto Sans CJK JP','Noto Sans JP',sans-serif;margin:0;padding:1rem;line-height:1.5;color:#222;background:#fff}
h1{font-size:1.4rem;margin:0 0 .5rem}
h2{font-size:1.15rem;margin:1.5rem 0 .5rem}
.note{color:#555;font-size:.9rem}
.wrap{overflow-x:auto;-webkit-overflow-scrolling:touch;max-width:100%}
table{border-collapse:collapse;font-size:.9rem}
th,td{border:1px solid #bbb;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#eef2f6}
td.mark{text-align:center;font-weight:bold}
td.done{color:#1b5e20;background:#e8f5e9}
td.not-done{color:#999}
td.pass{color:#1b5e20}
td.fail,td.error{color:#b71c1c;font-weight:bold}
.mono{font-family:monospace;font-size:.8rem;word-break:break-all}
nav{margin-bottom:1rem}
@media (max-width:600px){body{padding:.5rem}th,td{padding:.2rem .3rem;font-size:.8rem}h1{font-size:1.2rem}}
";

struct Words {
    title: &'static str,
    lead: &'static str,
    vendor: &'static str,
    product: &'static str,
    version: &'static str,
    office_types: &'static str,
    spec: &'static str,
    suite: &'static str,
    date: &'static str,
    done: &'static str,
    not_done: &'static str,
    rejected: &'static str,
    patterns: &'static str,
    cases: &'static str,
    evidence: &'static str,
    history: &'static str,
    back: &'static str,
    signer: &'static str,
    unsigned: &'static str,
    partial: &'static str,
    masked: &'static str,
    case: &'static str,
    verdict: &'static str,
    counted: &'static str,
    file: &'static str,
    bundle: &'static str,
    no_case: &'static str,
}

const JA: Words = Words {
    title: "ケアプランデータ連携 ベンダー試験 合格製品一覧",
    lead: "cpcert が証拠バンドルを再判定して確認した製品の一覧です。○ はパターンを完了、－ は未完了を表します。",
    vendor: "ベンダー",
    product: "製品",
    version: "バージョン",
    office_types: "事業所種別",
    spec: "仕様",
    suite: "ケース集",
    date: "日付",
    done: "○",
    not_done: "－",
    rejected: "掲載しなかったバンドル",
    patterns: "パターン",
    cases: "ケース",
    evidence: "証拠ファイル",
    history: "バージョン履歴",
    back: "一覧へ戻る",
    signer: "署名者（公開鍵）",
    unsigned: "署名なし",
    partial: "部分実行のため、どのパターンも完了していません。",
    masked: "証拠がマスクされているため再判定できず、どのパターンも完了していません。",
    case: "ケース",
    verdict: "判定",
    counted: "パターンを妨げる",
    file: "ファイル",
    bundle: "証拠バンドル",
    no_case: "このパターンを判定するケースがありません",
};

const EN: Words = Words {
    title: "Care plan data exchange vendor test: certified products",
    lead: "Products whose evidence bundles cpcert re-judged. ○ means the pattern is completed, － that it is not.",
    vendor: "Vendor",
    product: "Product",
    version: "Version",
    office_types: "Office types",
    spec: "Spec",
    suite: "Suite",
    date: "Date",
    done: "○",
    not_done: "－",
    rejected: "Bundles not published",
    patterns: "Patterns",
    cases: "Cases",
    evidence: "Evidence files",
    history: "Version history",
    back: "Back to the list",
    signer: "Signer (public key)",
    unsigned: "not signed",
    partial: "A partial run: no pattern is completed.",
    masked: "The evidence is masked and could not be re-judged: no pattern is completed.",
    case: "Case",
    verdict: "Verdict",
    counted: "Blocks the pattern",
    file: "File",
    bundle: "Evidence bundle",
    no_case: "no case decides this pattern",
};

fn words(lang: Lang) -> &'static Words {
    match lang {
        Lang::Ja => &JA,
        Lang::En => &EN,
    }
}

/// The listing's office type label.
pub fn office_type(role: Role, lang: Lang) -> &'static str {
    match (role, lang) {
        (Role::Planner, Lang::Ja) => "居宅介護支援",
        (Role::Provider, Lang::Ja) => "居宅サービス",
        (Role::PreventionPlanner, Lang::Ja) => "介護予防支援",
        (Role::Planner, Lang::En) => "care planning",
        (Role::Provider, Lang::En) => "home services",
        (Role::PreventionPlanner, Lang::En) => "prevention support",
    }
}

fn verdict(v: Verdict, lang: Lang) -> &'static str {
    match (v, lang) {
        (Verdict::Pass, Lang::Ja) => "合格",
        (Verdict::Fail, Lang::Ja) => "不合格",
        (Verdict::Error, Lang::Ja) => "実行エラー",
        (Verdict::NotApplicable, Lang::Ja) => "対象外",
        (Verdict::Pass, Lang::En) => "pass",
        (Verdict::Fail, Lang::En) => "fail",
        (Verdict::Error, Lang::En) => "error",
        (Verdict::NotApplicable, Lang::En) => "not applicable",
    }
}

fn page(lang: Lang, title: &str, css: &str, body: &str) -> String {
    let code = match lang {
        Lang::Ja => "ja",
        Lang::En => "en",
    };
    format!(
        "<!DOCTYPE html>\n<html lang=\"{code}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<link rel=\"stylesheet\" href=\"{css}\">\n</head>\n<body>\n{body}</body>\n</html>\n",
        escape(title)
    )
}

fn pattern_name(listing: &Listing, id: &str, lang: Lang) -> String {
    listing
        .patterns
        .iter()
        .find(|p| p.id == id)
        .map(|p| match lang {
            Lang::Ja => p.name_ja.clone(),
            Lang::En => p.name_en.clone(),
        })
        .unwrap_or_default()
}

/// index.html: one row per product and version.
pub fn index(listing: &Listing, lang: Lang) -> String {
    let w = words(lang);
    let mut b = format!("<h1>{}</h1>\n<p class=\"note\">{}</p>\n", w.title, w.lead);
    b.push_str("<div class=\"wrap\"><table id=\"listing\">\n<thead>\n<tr>");
    for h in [w.vendor, w.product, w.version] {
        b.push_str(&format!("<th rowspan=\"2\">{h}</th>"));
    }
    b.push_str(&format!("<th colspan=\"3\">{}</th>", w.office_types));
    for role in [Role::Planner, Role::PreventionPlanner] {
        let n = listing
            .patterns
            .iter()
            .filter(|p| p.office_type == role)
            .count();
        b.push_str(&format!(
            "<th colspan=\"{n}\">{}</th>",
            office_type(role, lang)
        ));
    }
    for h in [w.spec, w.suite, w.date] {
        b.push_str(&format!("<th rowspan=\"2\">{h}</th>"));
    }
    b.push_str("</tr>\n<tr>");
    for role in Role::ALL {
        b.push_str(&format!("<th>{}</th>", office_type(role, lang)));
    }
    for role in [Role::Planner, Role::PreventionPlanner] {
        for p in listing.patterns.iter().filter(|p| p.office_type == role) {
            b.push_str(&format!(
                "<th title=\"{}\">{} {}</th>",
                escape(&pattern_name(listing, &p.id, lang)),
                escape(&p.id),
                escape(&pattern_name(listing, &p.id, lang))
            ));
        }
    }
    b.push_str("</tr>\n</thead>\n<tbody>\n");
    for p in &listing.products {
        b.push_str(&format!(
            "<tr data-product=\"{}\"><td>{}</td><td><a href=\"{}\">{}</a><br><img src=\"{}\" alt=\"\" height=\"20\"></td><td>{}</td>",
            escape(&p.id),
            escape(&p.vendor),
            escape(&p.page),
            escape(&p.product),
            escape(&p.badge),
            escape(&p.version)
        ));
        for role in Role::ALL {
            let has = p.office_types.contains(&role);
            b.push_str(&format!(
                "<td class=\"mark {}\" data-office-type=\"{}\">{}</td>",
                if has { "done" } else { "not-done" },
                role.id(),
                if has { "●" } else { w.not_done }
            ));
        }
        for role in [Role::Planner, Role::PreventionPlanner] {
            for pat in listing.patterns.iter().filter(|x| x.office_type == role) {
                let done = p.patterns.contains(&pat.id);
                b.push_str(&format!(
                    "<td class=\"mark {}\" data-pattern=\"{}\">{}</td>",
                    if done { "done" } else { "not-done" },
                    escape(&pat.id),
                    if done { w.done } else { w.not_done }
                ));
            }
        }
        b.push_str(&format!(
            "<td>{}</td><td class=\"mono\">{}</td><td>{}</td></tr>\n",
            escape(&p.spec_version),
            escape(&p.suite_version),
            escape(&p.date)
        ));
    }
    b.push_str("</tbody>\n</table></div>\n");
    if !listing.rejected.is_empty() {
        b.push_str(&format!("<h2>{}</h2>\n<ul id=\"rejected\">\n", w.rejected));
        for r in &listing.rejected {
            b.push_str(&format!(
                "<li><span class=\"mono\">{}</span>: {}</li>\n",
                escape(&r.bundle),
                escape(&r.reasons.join(" / "))
            ));
        }
        b.push_str("</ul>\n");
    }
    b.push_str("<p class=\"note\"><a href=\"listing.json\">listing.json</a></p>\n");
    page(lang, w.title, "style.css", &b)
}

/// What a product page shows besides its listing row.
pub struct ProductPage<'a> {
    /// The row.
    pub row: &'a ListedProduct,
    /// How each pattern fared.
    pub patterns: &'a [PatternResult],
    /// (case id, role, direction, ○/△, verdict).
    pub cases: Vec<(String, String, String, String, Verdict)>,
    /// (path in the bundle, sha256, masked).
    pub files: Vec<(String, String, bool)>,
    /// Other versions of the same vendor and product.
    pub history: Vec<&'a ListedProduct>,
}

/// products/<id>.html: the certification report and its evidence list.
pub fn product(listing: &Listing, p: &ProductPage<'_>, lang: Lang) -> String {
    let w = words(lang);
    let r = p.row;
    let title = format!("{} {} — {}", r.product, r.version, r.vendor);
    let mut b = format!(
        "<nav><a href=\"../index.html\">{}</a></nav>\n<h1>{}</h1>\n<p><img src=\"../{}\" alt=\"\" height=\"20\"></p>\n",
        w.back,
        escape(&title),
        escape(&r.badge)
    );
    b.push_str("<div class=\"wrap\"><table id=\"facts\">\n");
    let offices: Vec<&str> = r
        .office_types
        .iter()
        .map(|o| office_type(*o, lang))
        .collect();
    for (k, v) in [
        (w.vendor, r.vendor.clone()),
        (w.product, r.product.clone()),
        (w.version, r.version.clone()),
        (w.office_types, offices.join("、")),
        (w.spec, r.spec_version.clone()),
        (
            w.suite,
            format!(
                "{} ({})",
                r.suite_version,
                &r.suite_sha256[..12.min(r.suite_sha256.len())]
            ),
        ),
        (w.date, r.date.clone()),
        (w.bundle, format!("{} sha256:{}", r.bundle, r.bundle_sha256)),
        (
            w.signer,
            r.signer.clone().unwrap_or_else(|| w.unsigned.to_owned()),
        ),
    ] {
        b.push_str(&format!(
            "<tr><th>{k}</th><td class=\"mono\">{}</td></tr>\n",
            escape(&v)
        ));
    }
    b.push_str("</table></div>\n");
    if !r.complete {
        b.push_str(&format!("<p class=\"note\">{}</p>\n", w.partial));
    }
    if r.masked {
        b.push_str(&format!("<p class=\"note\">{}</p>\n", w.masked));
    }
    b.push_str(&format!(
        "<h2>{}</h2>\n<p class=\"note\">✗: {}</p>\n<div class=\"wrap\"><table id=\"patterns\">\n<tr><th>{}</th><th></th><th>{}</th></tr>\n",
        w.patterns, w.counted, w.patterns, w.cases
    ));
    for pr in p.patterns {
        let cases = if pr.cases.is_empty() {
            w.no_case.to_owned()
        } else {
            pr.cases
                .iter()
                .map(|(c, v, against)| {
                    format!(
                        "<span class=\"mono\">{}</span> {}{}",
                        escape(c),
                        verdict(*v, lang),
                        if *against { " ✗" } else { "" }
                    )
                })
                .collect::<Vec<_>>()
                .join("<br>")
        };
        b.push_str(&format!(
            "<tr data-pattern=\"{id}\"><td>{id} {}</td><td class=\"mark {}\">{}</td><td>{cases}</td></tr>\n",
            escape(&pattern_name(listing, &pr.id, lang)),
            if pr.completed { "done" } else { "not-done" },
            if pr.completed { w.done } else { w.not_done },
            id = escape(&pr.id),
        ));
    }
    b.push_str("</table></div>\n");
    b.push_str(&format!(
        "<h2>{}</h2>\n<div class=\"wrap\"><table id=\"cases\">\n<tr><th>{}</th><th></th><th></th><th></th><th>{}</th></tr>\n",
        w.cases, w.case, w.verdict
    ));
    for (id, role, dir, req, v) in &p.cases {
        b.push_str(&format!(
            "<tr><td class=\"mono\">{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"{}\">{}</td></tr>\n",
            escape(id),
            escape(role),
            escape(dir),
            escape(req),
            v.id(),
            verdict(*v, lang)
        ));
    }
    b.push_str("</table></div>\n");
    b.push_str(&format!(
        "<h2>{}</h2>\n<div class=\"wrap\"><table id=\"evidence\">\n<tr><th>{}</th><th>SHA-256</th></tr>\n",
        w.evidence, w.file
    ));
    for (path, sha, masked) in &p.files {
        b.push_str(&format!(
            "<tr><td class=\"mono\">{}{}</td><td class=\"mono\">{}</td></tr>\n",
            escape(path),
            if *masked { " (masked)" } else { "" },
            escape(sha)
        ));
    }
    b.push_str("</table></div>\n");
    if !p.history.is_empty() {
        b.push_str(&format!("<h2>{}</h2>\n<ul id=\"history\">\n", w.history));
        for h in &p.history {
            b.push_str(&format!(
                "<li><a href=\"../{}\">{} {}</a> ({}): {}</li>\n",
                escape(&h.page),
                escape(&h.product),
                escape(&h.version),
                escape(&h.date),
                if h.patterns.is_empty() {
                    w.not_done.to_owned()
                } else {
                    escape(&h.patterns.join(" "))
                }
            ));
        }
        b.push_str("</ul>\n");
    }
    page(lang, &title, "../style.css", &b)
}
