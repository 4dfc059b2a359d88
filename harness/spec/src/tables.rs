//! The cross-cutting tables: CSVバージョン values, the role matrix, send units, service kinds.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::layout::Confidence;

/// What the standard says of a CSVバージョン value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum VersionStatus {
    /// The layout is shipped and files are validated with it.
    Current,
    /// A real earlier value whose layout is not shipped.
    Superseded,
    /// Defined once, then replaced (202504 → 202407).
    Withdrawn,
    /// Not defined by the standard.
    Unknown,
}

/// One known CSVバージョン value (spec/versions.yaml).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VersionInfo {
    /// The YYYYMM value.
    pub value: String,
    /// The spec edition that defined it.
    pub edition: String,
    /// First service month it applies to.
    #[serde(default)]
    pub applies_from: Option<String>,
    /// Its status.
    pub status: VersionStatus,
    /// Explanation in Japanese.
    pub note_ja: String,
    /// Explanation in English.
    pub note_en: String,
}

/// ○ required or △ optional (rules.md §8): read from roles.yaml only, and the one type every
/// crate uses for the mark, from the role matrix to a case's outcome and the report.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
pub enum Requirement {
    /// ○: a product of this role must handle the file.
    #[serde(rename = "○")]
    Required,
    /// △: optional.
    #[serde(rename = "△")]
    Optional,
}

impl Requirement {
    /// The mark used in listings, roles.yaml and results.json: `○` or `△`.
    pub fn mark(self) -> &'static str {
        match self {
            Requirement::Required => "○",
            Requirement::Optional => "△",
        }
    }
}

/// One role's row of the matrix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleRow {
    /// Japanese name.
    pub name_ja: String,
    /// How sure the transcription is of this row.
    #[serde(default)]
    pub confidence: Confidence,
    /// Kinds this role exports (出力).
    #[serde(default)]
    pub export: BTreeMap<String, Requirement>,
    /// Kinds this role imports (取込).
    #[serde(default)]
    pub import: BTreeMap<String, Requirement>,
}

/// Who must export and import what (spec/<v>/roles.yaml).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleMatrix {
    /// Rows by role id.
    pub roles: BTreeMap<String, RoleRow>,
}

impl RoleMatrix {
    /// ○/△ of one cell; `None` for "－" (the role never exchanges the kind that way).
    pub fn requirement(
        &self,
        role: crate::Role,
        side: crate::MatrixSide,
        kind: &str,
    ) -> Option<Requirement> {
        let row = self.roles.get(role.id())?;
        let kinds = match side {
            crate::MatrixSide::Export => &row.export,
            crate::MatrixSide::Import => &row.import,
        };
        kinds.get(kind).copied()
    }

    /// ○/△ of a case of `role` and `direction` covering `kinds`: △ when any of its kinds is
    /// optional for the role (the case exercises an optional capability, e.g. DLTJSK), ○ when
    /// they are all required; `None` when none of them is in the matrix (or the direction has
    /// no side in it).
    pub fn case_requirement<'a>(
        &self,
        role: crate::Role,
        direction: crate::Direction,
        kinds: impl IntoIterator<Item = &'a str>,
    ) -> Option<Requirement> {
        let side = direction.matrix_side()?;
        kinds
            .into_iter()
            .filter_map(|k| self.requirement(role, side, k))
            .max()
    }
}

/// A permitted combination of files sharing one 連番 (spec/<v>/send-units.yaml).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SendUnit {
    /// Stable id.
    pub id: String,
    /// Japanese name.
    pub name_ja: String,
    /// Kinds that must all be present.
    pub required: Vec<String>,
    /// Kinds that may be present too.
    #[serde(default)]
    pub optional: Vec<String>,
    /// Kinds that should be present; their absence only warns (the spec is unsettled).
    #[serde(default)]
    pub expected: Vec<String>,
    /// UPHOSOKU month part in this unit: `000000` or `service` (the sheet's month).
    #[serde(default)]
    pub hosoku_month: Option<String>,
    /// How sure the transcription is.
    #[serde(default)]
    pub confidence: Confidence,
    /// Join-key links between the unit's files (rules.md §7).
    #[serde(default)]
    pub links: Vec<Link>,
}

/// A child file's key fields must name a key of its parent file in the same send unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Link {
    /// Child kind.
    pub child: String,
    /// Child key field Nos.
    pub fields: Vec<u32>,
    /// Parent kind.
    pub parent: String,
    /// Parent key field Nos., in the same order.
    pub parent_fields: Vec<u32>,
    /// Both ways: every parent key must also appear in the child.
    #[serde(default)]
    pub equal: bool,
}

/// Where a service kind stands in the linkage scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ServiceScope {
    /// Inside the linkage scope.
    In,
    /// A real code outside the scope: no records are exchanged for it.
    Out,
    /// A plan maker's own code (居宅介護支援 43, …).
    CareManagement,
}

/// One サービス種類コード.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceKind {
    /// Japanese name.
    pub name: String,
    /// Scope.
    pub scope: ServiceScope,
    /// 福祉用具貸与: TAIS/届出 code required.
    #[serde(default)]
    pub device: bool,
    /// How sure the transcription is.
    #[serde(default)]
    pub confidence: Confidence,
}
