//! Office roles (who exports and imports what).

use std::fmt;

use serde::{Deserialize, Serialize};

/// The office role a product plays in the exchange.
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
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// 居宅介護支援事業所: writes plans (1–3表), monthly sheets (6表予定, 7表), imports 実績.
    Planner,
    /// 居宅サービス事業所 (and 介護予防・総合事業サービス事業所): imports plans and sheets, exports 実績.
    Provider,
    /// 地域包括支援センター等: 介護予防 plans (UPKIHON, UPYOBO) and the 予防 利用票.
    PreventionPlanner,
}

impl Role {
    /// Every role, in display order.
    pub const ALL: [Role; 3] = [Role::Planner, Role::Provider, Role::PreventionPlanner];

    /// The kebab-case id used in YAML, JSON and on the command line.
    pub fn id(self) -> &'static str {
        match self {
            Role::Planner => "planner",
            Role::Provider => "provider",
            Role::PreventionPlanner => "prevention-planner",
        }
    }

    /// The Japanese name used in reports.
    pub fn name_ja(self) -> &'static str {
        match self {
            Role::Planner => "居宅介護支援事業所",
            Role::Provider => "居宅サービス事業所",
            Role::PreventionPlanner => "地域包括支援センター等",
        }
    }

    /// The English name used with `--lang en`.
    pub fn name_en(self) -> &'static str {
        match self {
            Role::Planner => "care planner office",
            Role::Provider => "service provider office",
            Role::PreventionPlanner => "prevention planner (community support centre)",
        }
    }

    /// Who wrote the files a product in this role imports, when nobody says: providers import
    /// the planner's 予定, planners and prevention planners import the provider's 実績.
    pub fn default_sender(self) -> Role {
        match self {
            Role::Provider => Role::Planner,
            Role::Planner | Role::PreventionPlanner => Role::Provider,
        }
    }

    /// Parses the kebab-case id.
    pub fn from_id(id: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.id() == id)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// What a case asks of a product, one type from the case file to the report: export a
/// scenario, import files, import and re-export them, or (between two products) interoperate.
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
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// 出力: the product exports the scenario; files are validated and compared with what is
    /// expected.
    Export,
    /// 取込: the product imports files; what it now holds is compared with what was sent.
    Import,
    /// 取込→再出力: the product imports files, acts on them (サービス事業所: records 予定 as
    /// 実績) and exports again; the result is validated and compared.
    Roundtrip,
    /// Product A exports, product B imports and re-exports (`cpcert interop`).
    Interop,
}

impl Direction {
    /// The serialised id (`export`, `import`, `roundtrip`, `interop`).
    pub fn id(self) -> &'static str {
        match self {
            Direction::Export => "export",
            Direction::Import => "import",
            Direction::Roundtrip => "roundtrip",
            Direction::Interop => "interop",
        }
    }

    /// Which side of the role matrix (roles.yaml) the direction proves: a round trip proves
    /// import (the re-export is how the import is observed); interop belongs to neither.
    pub fn matrix_side(self) -> Option<MatrixSide> {
        match self {
            Direction::Export => Some(MatrixSide::Export),
            Direction::Import | Direction::Roundtrip => Some(MatrixSide::Import),
            Direction::Interop => None,
        }
    }
}

impl fmt::Display for Direction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// A side of the role matrix: 出力 or 取込.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MatrixSide {
    /// 出力.
    Export,
    /// 取込.
    Import,
}
