//! Export: scenario → file names and MS932 bytes.

use cpcert_spec::Role;

use super::{ExportError, ExportOptions, ExportedFile};
use crate::model::Scenario;

pub(super) fn export(
    _s: &Scenario,
    _role: Role,
    _opts: &ExportOptions,
) -> Result<Vec<ExportedFile>, ExportError> {
    Err(ExportError::Invalid("export is being written".to_owned()))
}
