//! The terminal: colour (respecting `--color`, NO_COLOR and pipes) and progress bars (on
//! stderr, only when it is a terminal).

use std::io::IsTerminal as _;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::args::ColorArg;

/// What the run may draw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Term {
    /// Colour on stdout.
    pub(crate) colour: bool,
}

impl Term {
    /// Decides from `--color`, `NO_COLOR` (any non-empty value turns colour off in `auto`) and
    /// whether stdout is a terminal.
    pub(crate) fn new(arg: ColorArg) -> Self {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let colour = match arg {
            ColorArg::Always => true,
            ColorArg::Never => false,
            ColorArg::Auto => !no_color && std::io::stdout().is_terminal(),
        };
        Term { colour }
    }

    /// `text` in red, bold (errors).
    pub(crate) fn error(self, text: &str) -> String {
        self.paint("1;31", text)
    }

    /// `text` in yellow (warnings).
    pub(crate) fn warning(self, text: &str) -> String {
        self.paint("33", text)
    }

    /// `text` in green (passes).
    pub(crate) fn ok(self, text: &str) -> String {
        self.paint("32", text)
    }

    fn paint(self, code: &str, text: &str) -> String {
        if self.colour && !text.is_empty() {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }
}

/// A progress bar of `len` steps on stderr, drawn only when stderr is a terminal (hidden in
/// pipes, CI logs and tests).
pub(crate) fn progress(len: u64, message: &'static str) -> ProgressBar {
    let target = if std::io::stderr().is_terminal() {
        ProgressDrawTarget::stderr()
    } else {
        ProgressDrawTarget::hidden()
    };
    let bar = ProgressBar::with_draw_target(Some(len), target);
    if let Ok(style) = ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} {elapsed}") {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message(message);
    bar
}
