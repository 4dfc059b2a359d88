//! The adapter protocol's messages (version [`PROTOCOL_VERSION`]), one JSON object per line.
//!
//! These types are the protocol's single source of truth: `docs/adapter-protocol.schema.json`
//! is generated from them by [`protocol_schema`], and a test fails when the committed file is
//! stale. Unknown fields are ignored in both directions so that later minor additions do not
//! break existing adapters.

use cpcert_spec::{HeldRecords, NotKept, Role};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The protocol version this harness speaks (and sends in `start`).
pub const PROTOCOL_VERSION: u32 = 2;

/// The versions an adapter may answer `started` with: 2 (imports answered with held records)
/// and 1 (imports answered with a scenario document, converted to held records with the
/// reference writer's mapping).
pub const ACCEPTED_VERSIONS: &[u32] = &[1, 2];

/// The `harness` string sent in `start`, e.g. `cpcert 0.1.0`.
pub const HARNESS: &str = concat!("cpcert ", env!("CARGO_PKG_VERSION"));

/// A message from the harness to the adapter (on the adapter's stdin).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum HarnessMessage {
    /// The first message: the adapter answers `started` (or `error`).
    Start {
        /// The newest protocol version the harness speaks.
        protocol: u32,
        /// Every version the harness accepts in `started` (`[1, 2]`).
        #[serde(default)]
        accepts: Vec<u32>,
        /// The harness name and version, for the adapter's logs.
        harness: String,
    },
    /// Export a scenario: answered by `exported` or `error`.
    Export {
        /// Request id, echoed in the reply.
        id: u64,
        /// The office role the product plays.
        role: Role,
        /// The scenario document to enter into the product.
        #[schemars(with = "ScenarioDocument")]
        scenario: serde_json::Value,
        /// Absolute path of a fresh, empty folder; write every file inside it.
        sandbox: String,
        /// The 14-digit send-unit timestamp (YYYYMMDDHHMMSS) for the file names.
        timestamp: String,
    },
    /// Import files: answered by `imported` or `error`.
    Import {
        /// Request id, echoed in the reply.
        id: u64,
        /// The office role the product plays.
        role: Role,
        /// The role of the office that wrote the files, when the harness knows it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        sender: Option<Role>,
        /// Absolute paths of the files to import.
        files: Vec<String>,
        /// Absolute path of a fresh, empty folder the adapter may use as scratch space.
        sandbox: String,
    },
    /// Import files, then export for the role: answered by `exported` or `error`.
    Reexport {
        /// Request id, echoed in the reply.
        id: u64,
        /// The office role the product plays for both steps.
        role: Role,
        /// The role of the office that wrote the files, when the harness knows it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        sender: Option<Role>,
        /// Absolute paths of the files to import.
        files: Vec<String>,
        /// The office (事業所番号) the product plays, when the files concern several.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        office: Option<String>,
        /// Absolute path of a fresh, empty folder; write every exported file inside it.
        sandbox: String,
        /// The 14-digit send-unit timestamp for the exported files.
        timestamp: String,
    },
    /// End of session: the adapter exits (status 0) without answering.
    Stop {},
}

/// A message from the adapter to the harness (on the adapter's stdout).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum AdapterMessage {
    /// Reply to `start`.
    Started {
        /// The protocol version the adapter speaks.
        protocol: u32,
        /// The product behind the adapter.
        product: Product,
        /// The office roles the product can play.
        roles: Vec<Role>,
        /// File kinds (ファイル種別) the product handles, e.g. `UPPLAN`.
        #[serde(default)]
        kinds: Vec<String>,
        /// Layout versions (CSVバージョン) the product supports, e.g. `202407`.
        #[serde(default)]
        layout_versions: Vec<String>,
        /// Fields the product does not keep when it imports: file kind → field Nos., e.g.
        /// `{"UPSIKYU": [30, 31, 32]}`. They are not compared and the report lists them; a
        /// field a receiver must keep (spec/202407/receiver.yaml) fails the import cases of
        /// its kind.
        #[serde(default, skip_serializing_if = "NotKept::is_empty")]
        not_kept: NotKept,
    },
    /// Reply to `export` and `reexport`.
    Exported {
        /// The request id.
        id: u64,
        /// The written files: absolute, or relative to the sandbox; all inside the sandbox.
        files: Vec<String>,
    },
    /// Reply to `import`.
    Imported {
        /// The request id.
        id: u64,
        /// Version 2: what the product now holds, as the standard's records: file kind →
        /// list of records → field No. → value (decoded text). Deletion kinds never appear.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        held: Option<HeldRecords>,
        /// Version 1: what the product understood, as a scenario document.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[schemars(with = "Option<ScenarioDocument>")]
        scenario: Option<serde_json::Value>,
    },
    /// The product refused or failed the request (a product failure, not an infrastructure one).
    Error {
        /// The request id; absent when answering `start`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        id: Option<u64>,
        /// Why, in the product's words.
        message: String,
    },
}

/// Name and version of the product behind an adapter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Product {
    /// Product name.
    pub name: String,
    /// Product version.
    pub version: String,
}

/// Stand-in for the scenario document in the schema: the protocol carries it as opaque JSON
/// here, and the harness validates it against the scenario types on arrival.
#[derive(JsonSchema)]
#[schemars(description = "A scenario document (see cpcert-scenario); validated by the harness.")]
#[expect(
    dead_code,
    reason = "exists only to name the scenario in the generated schema"
)]
struct ScenarioDocument(serde_json::Map<String, serde_json::Value>);

/// The JSON Schema of every protocol message, as committed in `docs/adapter-protocol.schema.json`.
pub fn protocol_schema() -> serde_json::Value {
    let mut generator = schemars::generate::SchemaSettings::draft2020_12().into_generator();
    let harness = generator.subschema_for::<HarnessMessage>();
    let adapter = generator.subschema_for::<AdapterMessage>();
    let defs = generator.take_definitions(true);
    serde_json::json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://example.invalid/cpcert/adapter-protocol.schema.json",
        "title": format!("cpcert adapter protocol, version {PROTOCOL_VERSION}"),
        "description": "One JSON object per line. HarnessMessage goes to the adapter's stdin, \
            AdapterMessage comes back on its stdout. See docs/adapter-protocol.md.",
        "oneOf": [harness, adapter],
        "$defs": defs,
    })
}
