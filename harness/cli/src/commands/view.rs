//! `cpcert view`: the standard's forms (帳票) of a file set, as printable HTML.

use cpcert_checks::Lang;
use cpcert_forms::{ViewOptions, read_paths, render, write_rendered};
use cpcert_spec::Spec;

use super::anyhow_lite::Result;
use crate::args::ViewArgs;
use crate::exit_codes;

pub(crate) fn exec(args: &ViewArgs, lang: Lang) -> Result<u8> {
    let spec = Spec::embedded();
    let set = read_paths(&args.paths, spec)?;
    let options = ViewOptions {
        lang,
        ..ViewOptions::default()
    };
    let rendered = render(&set, spec, &options);
    write_rendered(&rendered, &args.out)
        .map_err(|e| format!("cannot write `{}`: {e}", args.out.display()))?;
    let index = args.out.join("index.html");
    match lang {
        Lang::Ja => println!(
            "{}ファイル → {}ページ: {}",
            set.files.len(),
            rendered.pages.len(),
            index.display()
        ),
        Lang::En => println!(
            "{} files → {} pages: {}",
            set.files.len(),
            rendered.pages.len(),
            index.display()
        ),
    }
    Ok(exit_codes::OK)
}
