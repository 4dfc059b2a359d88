//! The `alternate` adapter: the second built-in product (`cpcert_alternate`), in process — a
//! layout-driven importer and a writer of its own, so that the suite and `cpcert interop` have
//! two independent conformant products.

use std::path::Path;

use cpcert_alternate::{File, WriteOptions};
use cpcert_scenario::Scenario;
use cpcert_scenario::reference;
use cpcert_spec::{CURRENT_LAYOUT_VERSION, Role, Spec};

use crate::reference::{read_files, refused, sole_receiver, write_into};
use crate::{
    Adapter, AdapterError, ExportRequest, ExportResult, ImportAnswer, ImportRequest, ProductInfo,
    ReexportRequest,
};

/// The alternate product, called in process.
#[derive(Debug, Clone)]
pub struct AlternateAdapter {
    run_started: String,
}

impl AlternateAdapter {
    /// The alternate product whose clock reads `run_started` (RFC 3339, injectable: its day is
    /// the 作成年月日 it writes, and its 連番 start at it). `None`: `CPCERT_NOW`, then the system
    /// clock (UTC).
    pub fn new(run_started: Option<&str>) -> AlternateAdapter {
        let run_started = run_started
            .map(str::to_owned)
            .or_else(|| std::env::var("CPCERT_NOW").ok())
            .unwrap_or_else(cpcert_alternate::utc_now);
        AlternateAdapter { run_started }
    }

    fn write(
        &self,
        operation: &'static str,
        scenario: &Scenario,
        role: Role,
        sandbox: &Path,
        timestamp: &str,
    ) -> Result<ExportResult, AdapterError> {
        let opts = WriteOptions {
            run_started: self.run_started.clone(),
            timestamp: timestamp.to_owned(),
        };
        let files = cpcert_alternate::export(scenario, role, &opts)
            .map_err(|e| refused(operation, e.to_string()))?;
        write_into(
            operation,
            sandbox,
            files.into_iter().map(|f| (f.name, f.bytes)),
        )
    }
}

impl Adapter for AlternateAdapter {
    fn start(&self) -> Result<ProductInfo, AdapterError> {
        let spec = Spec::embedded();
        Ok(ProductInfo {
            name: cpcert_alternate::PRODUCT_NAME.into(),
            version: env!("CARGO_PKG_VERSION").into(),
            roles: Role::ALL.to_vec(),
            kinds: spec
                .layouts(CURRENT_LAYOUT_VERSION)
                .map(|l| l.kind.clone())
                .collect(),
            layout_versions: vec![CURRENT_LAYOUT_VERSION.into()],
            // Every field but those the layouts mark unused (※使用しない).
            not_kept: cpcert_alternate::not_kept(),
        })
    }

    fn export(&self, req: &ExportRequest) -> Result<ExportResult, AdapterError> {
        self.write(
            "export",
            &req.scenario,
            req.role,
            &req.sandbox,
            &req.timestamp,
        )
    }

    fn import(&self, req: &ImportRequest) -> Result<ImportAnswer, AdapterError> {
        let files = read_files(&req.files)?
            .into_iter()
            .map(|f| File {
                name: f.name,
                bytes: f.bytes,
            })
            .collect::<Vec<_>>();
        let held =
            cpcert_alternate::import(&files).map_err(|e| refused("import", e.to_string()))?;
        Ok(held.into())
    }

    /// The values of a re-export come from the reference's business step (import, and for a
    /// provider: record its own 予定 as 実績); this product serialises them.
    fn reexport(&self, req: &ReexportRequest) -> Result<ExportResult, AdapterError> {
        let files = read_files(&req.files)?;
        let sender = req.sender.unwrap_or(req.role.default_sender());
        let mut scenario =
            reference::import(&files, sender).map_err(|e| refused("reexport", e.to_string()))?;
        if req.role == Role::Provider {
            let office = match &req.office {
                Some(office) => office.clone(),
                None => sole_receiver(&scenario)?,
            };
            scenario = reference::perform(&scenario, &office);
        }
        self.write(
            "reexport",
            &scenario,
            req.role,
            &req.sandbox,
            &req.timestamp,
        )
    }

    fn stop(&self) {}
}
