//! `listing.json`: the published list as a versioned contract (JSON Schema:
//! `docs/schema/listing.schema.json`, kept current by a test).

use cpcert_spec::Role;
use serde::{Deserialize, Serialize};

/// The `schema_version` written by this crate. Fields may be added; never removed or renamed.
pub const LISTING_SCHEMA_VERSION: u32 = 1;

/// The whole listing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Listing {
    /// [`LISTING_SCHEMA_VERSION`].
    pub schema_version: u32,
    /// CSVバージョン the products were judged against.
    pub spec_version: String,
    /// The patterns of the listing, in column order.
    pub patterns: Vec<ListedPattern>,
    /// One row per product and version, by vendor, product, then version.
    pub products: Vec<ListedProduct>,
    /// Bundles that did not verify and were not published, with why.
    pub rejected: Vec<Rejected>,
}

/// A pattern column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ListedPattern {
    /// `D1` … `D7`.
    pub id: String,
    /// The office type whose column group holds it.
    pub office_type: Role,
    /// Japanese name.
    pub name_ja: String,
    /// English name.
    pub name_en: String,
}

/// One product and version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ListedProduct {
    /// Stable id (page and badge names): `p-` + 12 hex of the vendor, product and version.
    pub id: String,
    /// Who submitted: the vendor description's name (`reference` for the built-in product).
    pub vendor: String,
    /// Product name as the product declared it (with `[fault: …]` for a fault-injected run).
    pub product: String,
    /// Product version.
    pub version: String,
    /// Office types the product claims.
    pub office_types: Vec<Role>,
    /// Patterns completed, in column order.
    pub patterns: Vec<String>,
    /// Whether the run executed every case of its suite (a partial run completes no pattern).
    pub complete: bool,
    /// CSVバージョン judged against.
    pub spec_version: String,
    /// results.json's suite version.
    pub suite_version: String,
    /// The bundle's combined suite fingerprint (SHA-256).
    pub suite_sha256: String,
    /// The cpcert that judged (`cpcert 0.1.0`).
    pub tool: String,
    /// Date of the run (YYYY-MM-DD).
    pub date: String,
    /// Run id.
    pub run_id: String,
    /// The bundle file name.
    pub bundle: String,
    /// SHA-256 of the bundle file.
    pub bundle_sha256: String,
    /// The signer's Ed25519 public key (hex), when the bundle was signed.
    pub signer: Option<String>,
    /// Whether the bundle's evidence was masked (declared by hash; completes no pattern).
    pub masked: bool,
    /// Case counts.
    pub counts: Counts,
    /// The product page, relative to the site.
    pub page: String,
    /// The SVG badge, relative to the site.
    pub badge: String,
}

/// Case counts of a run.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema,
)]
pub struct Counts {
    /// Passed.
    pub pass: usize,
    /// Failed.
    pub fail: usize,
    /// Could not run.
    pub error: usize,
    /// Not applicable.
    pub not_applicable: usize,
}

/// A bundle that was not published.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Rejected {
    /// The bundle file name.
    pub bundle: String,
    /// Each reason, in the site's language.
    pub reasons: Vec<String>,
}

/// The JSON Schema of `listing.json`, pretty-printed with a final newline.
pub fn schema_json() -> String {
    let schema = schemars::schema_for!(Listing);
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}
