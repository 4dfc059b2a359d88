//! `cpcert`: the conformance harness and vendor certification suite for ケアプランデータ連携標準仕様.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = cpcert::args::Cli::parse();
    match cpcert::run(args) {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            eprintln!("cpcert: {err:#}");
            ExitCode::from(cpcert::exit_codes::USAGE)
        }
    }
}
