//! `cpcert`: the conformance harness and vendor certification suite for ケアプランデータ連携標準仕様.

use std::process::ExitCode;

fn main() -> ExitCode {
    // Help and parse errors in the run's language (clap's own are English).
    let args = cpcert::help::parse(std::env::args_os().collect()).unwrap_or_else(|e| e.exit());
    match cpcert::run(args) {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            // One message: the error and its causes, outermost first.
            let mut text = err.to_string();
            let mut cause = err.source();
            while let Some(c) = cause {
                let line = c.to_string();
                if !text.contains(&line) {
                    text.push_str(": ");
                    text.push_str(&line);
                }
                cause = c.source();
            }
            eprintln!("cpcert: {text}");
            ExitCode::from(cpcert::exit_codes::USAGE)
        }
    }
}
