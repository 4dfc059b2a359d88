//! `cpcert rules`: the rule catalogue.

use cpcert_checks::{Lang, POLICIES, RULES, render_markdown};

use super::anyhow_lite::Result;
use crate::args::RulesArgs;
use crate::exit_codes;

pub(crate) fn exec(args: &RulesArgs) -> Result<u8> {
    if args.markdown {
        print!("{}", render_markdown(POLICIES));
    } else {
        for r in RULES {
            println!("{:<32} {:?}  {}", r.id, r.severity, r.text(Lang::Ja));
        }
    }
    Ok(exit_codes::OK)
}
