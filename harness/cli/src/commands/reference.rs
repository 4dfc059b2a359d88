//! `cpcert reference export|import|reexport`: the reference product's command-line face, what
//! a vendor's own tool would be. The Python example adapter (examples/adapters/) drives it;
//! `import --held` writes what the product holds as records (the protocol's import answer).

use std::io::Write as _;
use std::path::{Path, PathBuf};

use cpcert_scenario::Scenario;
use cpcert_scenario::reference::{self, ExportOptions, ExportedFile, ImportOptions};
use cpcert_spec::Role;

use super::anyhow_lite::Result;
use crate::args::ReferenceCommand;
use crate::exit_codes;

fn role(id: &str) -> Result<Role> {
    Role::from_id(id).ok_or_else(|| {
        format!("unknown role `{id}` (planner, provider, prevention-planner)").into()
    })
}

fn load(path: &Path) -> Result<Scenario> {
    let text = cpcert_spec::read_text_file(path, cpcert_spec::MAX_TEXT_FILE_BYTES)
        .map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
    if path.extension().is_some_and(|e| e == "json") {
        Ok(serde_json::from_str(&text).map_err(|e| format!("`{}`: {e}", path.display()))?)
    } else {
        Ok(cpcert_scenario::parse_scenario(
            &text,
            &path.display().to_string(),
        )?)
    }
}

fn read_inputs(files: &[PathBuf]) -> Result<Vec<ExportedFile>> {
    files
        .iter()
        .map(|p| {
            let bytes =
                std::fs::read(p).map_err(|e| format!("cannot read `{}`: {e}", p.display()))?;
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            Ok(ExportedFile { name, bytes })
        })
        .collect()
}

fn write_out(dir: &Path, files: &[ExportedFile]) -> Result<()> {
    std::fs::create_dir_all(dir)?;
    let mut stdout = std::io::stdout().lock();
    for f in files {
        cpcert_report::write_atomic(dir.join(&f.name), &f.bytes)?;
        // The caller reads the names; a closed pipe is its business, not a crash.
        let _ = writeln!(stdout, "{}", f.name);
    }
    Ok(())
}

pub(crate) fn exec(cmd: ReferenceCommand) -> Result<u8> {
    match cmd {
        ReferenceCommand::Export(a) => {
            let s = load(&a.scenario)?;
            let opts = ExportOptions {
                fault: a.fault.filter(|f| f.is_export()),
                ..ExportOptions::with_timestamp(a.timestamp.as_deref().unwrap_or_default())
            };
            let files = reference::export(&s, role(&a.role)?, &opts)?;
            write_out(&a.out, &files)?;
        }
        ReferenceCommand::Import(a) => {
            let importer = role(&a.role)?;
            let sender = a
                .sender
                .as_deref()
                .map(role)
                .transpose()?
                .unwrap_or(importer.default_sender());
            let files = read_inputs(&a.files)?;
            let s = reference::import_with(
                &files,
                sender,
                &ImportOptions {
                    fault: a.fault.filter(|f| f.is_import()),
                },
            )?;
            let json = if a.held {
                serde_json::to_string_pretty(&reference::held(&s)?)?
            } else {
                serde_json::to_string_pretty(&s)?
            };
            cpcert_report::write_atomic(&a.out, json.as_bytes())?;
        }
        ReferenceCommand::Reexport(a) => {
            let exporter = role(&a.role)?;
            let sender = a
                .sender
                .as_deref()
                .map(role)
                .transpose()?
                .unwrap_or(exporter.default_sender());
            let files = read_inputs(&a.files)?;
            let understood = reference::import_with(
                &files,
                sender,
                &ImportOptions {
                    fault: a.fault.filter(|f| f.is_import()),
                },
            )?;
            let acted =
                match (&a.office, exporter) {
                    (Some(office), Role::Provider) => reference::perform(&understood, office),
                    (None, Role::Provider) => return Err(
                        "reexport as provider needs --office (the office recording 予定 as 実績)"
                            .into(),
                    ),
                    _ => understood,
                };
            let opts = ExportOptions {
                fault: a.fault.filter(|f| f.is_export()),
                ..ExportOptions::with_timestamp(a.timestamp.as_deref().unwrap_or_default())
            };
            write_out(&a.out, &reference::export(&acted, exporter, &opts)?)?;
        }
    }
    Ok(exit_codes::OK)
}
