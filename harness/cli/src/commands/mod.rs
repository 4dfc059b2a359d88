//! One module per subcommand; `run` dispatches.

mod cases;
mod certify;
mod evidence;
mod interop;
mod reference;
mod rules;
mod selftest;
mod validate;
mod view;

use anyhow_lite::Result;
use cpcert_checks::Lang;

use crate::args::{Cli, Command, LangArg};

pub(crate) mod anyhow_lite {
    //! A boxed error with context, so subcommands can `?` any error into a usage error.
    /// The CLI's error type.
    pub(crate) type Error = Box<dyn std::error::Error + Send + Sync>;
    /// The CLI's result type.
    pub(crate) type Result<T> = std::result::Result<T, Error>;

    /// An error whose first line is in the run's language and whose cause is kept as
    /// [`std::error::Error::source`] (main prints the chain).
    #[derive(Debug)]
    pub(crate) struct Localized {
        /// The first line.
        pub(crate) message: String,
        /// Why.
        pub(crate) source: Option<Error>,
    }

    impl std::fmt::Display for Localized {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str(&self.message)
        }
    }

    impl std::error::Error for Localized {
        fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
            self.source
                .as_deref()
                .map(|e| e as &(dyn std::error::Error + 'static))
        }
    }
}

/// Runs the parsed command line; returns the process exit code.
///
/// # Errors
/// A usage, configuration or spec error (exit code 2).
pub fn run(cli: Cli) -> Result<u8> {
    let lang = match cli.lang {
        LangArg::Ja => Lang::Ja,
        LangArg::En => Lang::En,
    };
    dispatch(cli.command, lang, cli.color).map_err(|e| localize(e, lang))
}

fn dispatch(command: Command, lang: Lang, color: crate::args::ColorArg) -> Result<u8> {
    match command {
        Command::Validate(args) => validate::exec(&args, lang, crate::term::Term::new(color)),
        Command::Rules(args) => rules::exec(&args, lang),
        Command::Cases(args) => cases::exec(&args, lang),
        Command::Certify(args) => certify::exec(&args, lang),
        Command::Interop(args) => interop::exec(&args, lang, crate::term::Term::new(color)),
        Command::Reference(cmd) => reference::exec(cmd),
        Command::Selftest(args) => selftest::exec(&args, lang),
        Command::Keygen(args) => evidence::keygen(&args, lang),
        Command::Verify(args) => evidence::verify(&args, lang),
        Command::View(args) => view::exec(&args, lang),
        Command::Merge(args) => evidence::merge(&args, lang),
        Command::Publish(args) => evidence::publish(&args, lang),
    }
}

/// The libraries' errors said in the run's language: a runner or adapter error becomes its
/// localized first line, with the operating system's or parser's error kept as the cause (main
/// prints the chain). Errors the commands built themselves are already localized.
fn localize(err: anyhow_lite::Error, lang: Lang) -> anyhow_lite::Error {
    let said = |message: String, cause: Option<&(dyn std::error::Error + 'static)>| {
        let source = cause.map(|c| -> anyhow_lite::Error { c.to_string().into() });
        Box::new(anyhow_lite::Localized { message, source }) as anyhow_lite::Error
    };
    let err = match err.downcast::<cpcert_interop::InteropError>() {
        Ok(e) => return said(e.localized(lang), e.cause()),
        Err(err) => err,
    };
    let err = match err.downcast::<cpcert_runner::RunnerError>() {
        Ok(e) => return said(e.localized(lang), e.cause()),
        Err(err) => err,
    };
    match err.downcast::<cpcert_adapters::AdapterError>() {
        Ok(e) => said(e.localized(lang), std::error::Error::source(&*e)),
        Err(err) => err,
    }
}

/// Sizes the global rayon pool (once).
pub(crate) fn set_jobs(jobs: Option<usize>) {
    if let Some(n) = jobs {
        // A second call (tests) keeps the first pool: that is fine.
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(n.max(1))
            .build_global();
    }
}
