//! Command-line arguments (clap derive), one struct per subcommand.

use cpcert_scenario::reference::Fault;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// cpcert — ケアプランデータ連携標準仕様 (V4.1, CSVバージョン 202407) conformance harness.
#[derive(Debug, Parser)]
#[command(name = "cpcert", version, about, long_about = None)]
pub struct Cli {
    /// Message language: ja (default) or en.
    #[arg(long, global = true, value_enum, default_value_t = LangArg::Ja)]
    pub lang: LangArg,
    /// Colour on the terminal: auto (when stdout is a terminal and NO_COLOR is unset), always,
    /// never.
    #[arg(long, global = true, value_enum, default_value_t = ColorArg::Auto)]
    pub color: ColorArg,
    /// The subcommand.
    #[command(subcommand)]
    pub command: Command,
}

/// When to colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorArg {
    /// On a terminal, unless NO_COLOR is set.
    Auto,
    /// Always (even into a pipe).
    Always,
    /// Never.
    Never,
}

/// Message language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LangArg {
    /// 日本語.
    Ja,
    /// English.
    En,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate the standard's CSV files (files or folders) against V4.1.
    Validate(ValidateArgs),
    /// Certify a product: run the cases through its adapter and write the reports.
    Certify(CertifyArgs),
    /// Feed each sender's exported files to each receiver's import and write the sender ×
    /// receiver matrix (default: the built-in products both ways).
    Interop(InteropArgs),
    /// Print the rule catalogue (Markdown with --markdown: docs/rules.md), or explain one rule.
    Rules(RulesArgs),
    /// List the suite's cases: id, title, role, direction, ○/△.
    Cases(CasesArgs),
    /// The built-in reference product's command-line face (what a vendor's own tool would be).
    #[command(subcommand)]
    Reference(ReferenceCommand),
    /// Prove the suite can fail: certify the reference and every faulty product in the catalogue.
    Selftest(SelftestArgs),
    /// Make an Ed25519 key pair for signing bundles (KEY and KEY.pub).
    Keygen(KeygenArgs),
    /// Re-judge evidence bundles offline; exit 0 only when every bundle holds.
    Verify(VerifyArgs),
    /// Render files or folders as the standard's forms (帳票) in printable HTML.
    View(ViewArgs),
    /// Join the bundles of one run sharded with --partition into one bundle.
    Merge(MergeArgs),
    /// Verify bundles and write the static pass-list site (index, product pages, listing.json, badges).
    Publish(PublishArgs),
}

/// `cpcert view`.
#[derive(Debug, Args)]
pub struct ViewArgs {
    /// Output folder for index.html and one page per person and plan/month.
    #[arg(long, default_value = "reports/forms")]
    pub out: PathBuf,
    /// Files or folders (folders are searched for the standard's file names).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
}

/// Output format of `validate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Findings grouped by file, then a one-line summary.
    Human,
    /// The JSON contract (docs/validate-json.md).
    Json,
}

/// `cpcert validate`.
#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Threads (default: one per core).
    #[arg(long)]
    pub jobs: Option<usize>,
    /// Files or folders (folders are searched for the standard's file names).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
}

/// `cpcert certify`.
#[derive(Debug, Args)]
pub struct CertifyArgs {
    /// Vendor description (YAML), or `reference` for the built-in reference product.
    #[arg(long, default_value = "reference")]
    pub vendor: String,
    /// Make the reference product misbehave in one way (a fault id from cases/faults/).
    #[arg(long)]
    pub fault: Option<String>,
    /// Make the reference product diverge in one way the standard permits (a variant id from
    /// cases/variants/); it must still pass.
    #[arg(long, conflicts_with = "fault")]
    pub variant: Option<String>,
    /// Only cases for these roles (planner, provider, prevention-planner).
    #[arg(long, value_delimiter = ',')]
    pub role: Vec<String>,
    /// Only cases whose id contains this text (e.g. `export::upplan`).
    #[arg(long)]
    pub filter: Vec<String>,
    /// Run one shard: `hash:M/N` or `count:M/N`.
    #[arg(long)]
    pub partition: Option<String>,
    /// Threads.
    #[arg(long)]
    pub jobs: Option<usize>,
    /// Output folder for index.html, results.json, junit.xml.
    #[arg(long, default_value = "reports/latest")]
    pub out: PathBuf,
    /// Folder holding cases/ and golden/ (default: found from the current folder upwards).
    #[arg(long)]
    pub suite: Option<PathBuf>,
    /// Mask personal fields in the outputs (for publication).
    #[arg(long)]
    pub mask: bool,
    /// Run id written in the reports (default: derived from the inputs, so reports are reproducible).
    #[arg(long)]
    pub run_id: Option<String>,
    /// Date-time written in the reports (RFC 3339; default: CPCERT_NOW or the clock).
    #[arg(long)]
    pub now: Option<String>,
    /// Write 0 ms case durations instead of the measured wall time, so that the same inputs
    /// give byte-identical reports (also CPCERT_ZERO_DURATIONS=1).
    #[arg(long)]
    pub zero_durations: bool,
    /// Run on this certification's own scenario data, derived from SEED (the certifying body
    /// hands one to each applicant); the reference product makes the expected files on the fly.
    #[arg(long, value_name = "SEED")]
    pub challenge: Option<String>,
    /// Sign the evidence bundle with this private key (from `cpcert keygen`).
    #[arg(long, value_name = "KEY")]
    pub sign: Option<PathBuf>,
}

/// Output format of `interop`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InteropFormat {
    /// The sender × receiver matrix and the headline.
    Human,
    /// interop.json (schema: docs/schema/interop.schema.json).
    Json,
}

/// `cpcert interop`.
#[derive(Debug, Args)]
pub struct InteropArgs {
    /// A sender: `reference` (a built-in product), `reference:fault=ID` (an exporter fault),
    /// `reference:variant=ID` (a permitted variant), a
    /// vendor description, or a certification bundle (`bundle.cpcert` or the certify output
    /// folder holding it). Repeatable; default: the built-in products.
    #[arg(long, value_name = "VENDOR|BUNDLE")]
    pub sender: Vec<String>,
    /// A receiver: a built-in product, `reference:fault=ID` (an importer fault), or a vendor
    /// description. Repeatable; default: the built-in products.
    #[arg(long, value_name = "VENDOR")]
    pub receiver: Vec<String>,
    /// Add the reference product with each importer fault of cases/faults/ as a receiver.
    #[arg(long)]
    pub fault_receivers: bool,
    /// Add the reference product writing each permitted variant of cases/variants/ as a sender
    /// (`reference:variant=ID`: the same data written every way the standard allows).
    #[arg(long)]
    pub variant_senders: bool,
    /// Only import cases whose id contains this text.
    #[arg(long)]
    pub filter: Vec<String>,
    /// What to print on stdout.
    #[arg(long, value_enum, default_value_t = InteropFormat::Human)]
    pub format: InteropFormat,
    /// Threads.
    #[arg(long)]
    pub jobs: Option<usize>,
    /// Output folder for index.html (the matrix), interop.json, junit.xml, summary.md.
    #[arg(long, default_value = "reports/interop")]
    pub out: PathBuf,
    /// Folder holding cases/ and golden/ (default: found from the current folder upwards).
    #[arg(long)]
    pub suite: Option<PathBuf>,
    /// Mask personal fields in the outputs (for publication).
    #[arg(long)]
    pub mask: bool,
    /// Run id written in the reports (default: derived from the inputs).
    #[arg(long)]
    pub run_id: Option<String>,
    /// Date-time written in the reports (RFC 3339; default: CPCERT_NOW or the clock).
    #[arg(long)]
    pub now: Option<String>,
}

/// `cpcert keygen`.
#[derive(Debug, Args)]
pub struct KeygenArgs {
    /// Private key file to write (the public key goes to the same path + `.pub`).
    #[arg(long, value_name = "KEY")]
    pub out: PathBuf,
}

/// `cpcert verify`.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// Require every bundle to be signed by this public key (`KEY.pub` from `cpcert keygen`).
    #[arg(long, value_name = "PUBKEY")]
    pub key: Option<PathBuf>,
    /// The suite the bundles must come from (default: the suite found from the current folder,
    /// if any; none: the bundles are checked against their own suite index only).
    #[arg(long)]
    pub suite: Option<PathBuf>,
    /// Bundle files (`bundle.cpcert`, as `certify` prints).
    #[arg(required = true, value_name = "BUNDLE")]
    pub bundles: Vec<PathBuf>,
}

/// `cpcert merge`.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The merged bundle to write.
    #[arg(long)]
    pub out: PathBuf,
    /// Sign the merged bundle with this private key.
    #[arg(long, value_name = "KEY")]
    pub sign: Option<PathBuf>,
    /// The shard bundles.
    #[arg(required = true, value_name = "BUNDLE")]
    pub bundles: Vec<PathBuf>,
}

/// `cpcert publish`.
#[derive(Debug, Args)]
pub struct PublishArgs {
    /// The site folder to write.
    #[arg(long)]
    pub out: PathBuf,
    /// Sign listing.json with this private key (listing.json.sig).
    #[arg(long, value_name = "KEY")]
    pub sign: Option<PathBuf>,
    /// The suite the bundles must come from (default: the suite found from the current folder).
    #[arg(long)]
    pub suite: Option<PathBuf>,
    /// The bundles.
    #[arg(required = true, value_name = "BUNDLE")]
    pub bundles: Vec<PathBuf>,
}

/// `cpcert rules`.
#[derive(Debug, Args)]
pub struct RulesArgs {
    /// Print docs/rules.md.
    #[arg(long, conflicts_with = "id")]
    pub markdown: bool,
    /// Explain one rule (e.g. `field-date`): what it says, where the spec says it, a failing
    /// and a passing example.
    pub id: Option<String>,
}

/// `cpcert cases`.
#[derive(Debug, Args)]
pub struct CasesArgs {
    /// Folder holding cases/ and golden/ (default: found from the current folder upwards).
    #[arg(long)]
    pub suite: Option<PathBuf>,
}

/// `cpcert reference …`.
#[derive(Debug, Subcommand)]
pub enum ReferenceCommand {
    /// Export a scenario (YAML or JSON) to the standard's files for a role.
    Export(RefExportArgs),
    /// Import files and write what the product understood (scenario JSON).
    Import(RefImportArgs),
    /// Import files, record them as performed (provider), export for a role.
    Reexport(RefReexportArgs),
}

/// `cpcert reference export`.
#[derive(Debug, Args)]
pub struct RefExportArgs {
    /// Role.
    #[arg(long)]
    pub role: String,
    /// Scenario file.
    #[arg(long)]
    pub scenario: PathBuf,
    /// Output folder.
    #[arg(long)]
    pub out: PathBuf,
    /// 14-digit 連番.
    #[arg(long)]
    pub timestamp: Option<String>,
    /// Fault id.
    #[arg(long, value_parser = parse_fault)]
    pub fault: Option<Fault>,
}

/// `cpcert reference import`.
#[derive(Debug, Args)]
pub struct RefImportArgs {
    /// Role.
    #[arg(long)]
    pub role: String,
    /// Output JSON file: the understood scenario, or with `--held` the held records.
    #[arg(long)]
    pub out: PathBuf,
    /// Write what the product holds as the standard's records (file kind → records → field
    /// No. → value), the adapter protocol's version 2 import answer.
    #[arg(long)]
    pub held: bool,
    /// Fault id.
    #[arg(long, value_parser = parse_fault)]
    pub fault: Option<Fault>,
    /// Role of the office that wrote the files (default: the importer's counterpart).
    #[arg(long)]
    pub sender: Option<String>,
    /// Files to import.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
}

/// `cpcert reference reexport`.
#[derive(Debug, Args)]
pub struct RefReexportArgs {
    /// Role to export as.
    #[arg(long)]
    pub role: String,
    /// Output folder.
    #[arg(long)]
    pub out: PathBuf,
    /// 14-digit 連番.
    #[arg(long)]
    pub timestamp: Option<String>,
    /// Fault id.
    #[arg(long, value_parser = parse_fault)]
    pub fault: Option<Fault>,
    /// Role of the office that wrote the files (default: the exporter's counterpart).
    #[arg(long)]
    pub sender: Option<String>,
    /// The office that acts (provider: records 予定 as 実績).
    #[arg(long)]
    pub office: Option<String>,
    /// Files to import first.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
}

/// `cpcert selftest`.
#[derive(Debug, Args)]
pub struct SelftestArgs {
    /// Output folder.
    #[arg(long, default_value = "reports/selftest")]
    pub out: PathBuf,
    /// Threads.
    #[arg(long)]
    pub jobs: Option<usize>,
    /// Folder holding cases/ and golden/.
    #[arg(long)]
    pub suite: Option<PathBuf>,
}

/// A fault id of cases/faults/ (clap value parser).
fn parse_fault(id: &str) -> Result<Fault, String> {
    id.parse()
        .map_err(|e: cpcert_scenario::reference::UnknownFault| e.to_string())
}
