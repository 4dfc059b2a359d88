//! `cpcert rules [ID]`: the rule catalogue, or one rule explained.

use cpcert_checks::{Lang, POLICIES, RULES, RuleId, Severity, example, render_markdown};

use super::anyhow_lite::{Localized, Result};
use crate::args::RulesArgs;
use crate::exit_codes;

fn severity(s: Severity, lang: Lang) -> &'static str {
    match (s, lang) {
        (Severity::Error, Lang::Ja) => "エラー",
        (Severity::Warning, Lang::Ja) => "警告",
        (Severity::Error, Lang::En) => "error",
        (Severity::Warning, Lang::En) => "warning",
    }
}

pub(crate) fn exec(args: &RulesArgs, lang: Lang) -> Result<u8> {
    if args.markdown {
        print!("{}", render_markdown(POLICIES));
        return Ok(exit_codes::OK);
    }
    let Some(id) = &args.id else {
        for r in RULES {
            println!(
                "{:<32} {:<8} {}",
                r.id,
                severity(r.severity, lang),
                r.text(lang)
            );
        }
        return Ok(exit_codes::OK);
    };
    let id: RuleId = id.parse().map_err(|e| Localized {
        message: match lang {
            Lang::Ja => format!("規則 `{id}` はありません（一覧: cpcert rules）"),
            Lang::En => format!("no rule `{id}` (list: cpcert rules)"),
        },
        source: Some(Box::new(e)),
    })?;
    let r = id.rule();
    let ex = example(id);
    let labels = match lang {
        Lang::Ja => [
            "重大度",
            "段階",
            "仕様の箇所",
            "違反の例",
            "適合の例",
            "方針",
        ],
        Lang::En => [
            "severity",
            "level",
            "spec place",
            "fails",
            "passes",
            "policies",
        ],
    };
    println!("{}  {}", r.id, r.text(lang));
    println!("  {}: {}", labels[0], severity(r.severity, lang));
    println!("  {}: {}", labels[1], r.level.heading());
    println!("  {}: {}", labels[2], r.place);
    println!("  {}: {}", labels[3], ex.fails);
    println!("  {}: {}", labels[4], ex.passes);
    println!("  {}: docs/rules.md", labels[5]);
    Ok(exit_codes::OK)
}
