//! The `cpcert` command line: thin glue over the harness crates. Only this crate prints.

pub mod args;
mod commands;
pub mod exit_codes;
pub mod help;
mod human;
mod term;

pub use commands::run;
