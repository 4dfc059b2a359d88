//! Exit codes: the one table lives in `cpcert_report::exit` (results decide them too).

pub use cpcert_report::exit::{FAILED, INFRA, OK, USAGE};
