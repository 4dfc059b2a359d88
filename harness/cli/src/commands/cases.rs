//! `cpcert cases`: the suite's cases, one per line.

use cpcert_checks::Lang;
use cpcert_runner::{resolve_suite, suite_cases};

use super::anyhow_lite::Result;
use crate::args::CasesArgs;
use crate::exit_codes;

pub(crate) fn exec(args: &CasesArgs, lang: Lang) -> Result<u8> {
    let suite = resolve_suite(args.suite.as_deref())?;
    let cases = suite_cases(&suite)?;
    for c in &cases {
        let role = match lang {
            Lang::Ja => c.file.role.name_ja(),
            Lang::En => c.file.role.name_en(),
        };
        println!(
            "{}\t{}\t{}\t{}\t{}",
            c.id,
            c.requirement.mark(),
            c.file.direction,
            role,
            c.file.title
        );
    }
    match lang {
        Lang::Ja => eprintln!("{} ケース", cases.len()),
        Lang::En => eprintln!("{} cases", cases.len()),
    }
    Ok(exit_codes::OK)
}
