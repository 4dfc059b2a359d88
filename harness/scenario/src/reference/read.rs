//! Import: file names and MS932 bytes → send units → items → the receiver's database.

use cpcert_spec::Role;

use super::{ExportedFile, ImportError};
use crate::model::Scenario;

pub(super) fn import(_files: &[ExportedFile], _role: Role) -> Result<Scenario, ImportError> {
    Err(ImportError::Unit {
        file: String::new(),
        message: "import is being written".to_owned(),
    })
}
