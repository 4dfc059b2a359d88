//! What the evidence tests share: the repository as the suite, and certifications of the
//! reference product made into bundles.

#![allow(dead_code)] // Each test binary uses a part.

use std::path::{Path, PathBuf};

use cpcert_evidence::bundle::{BundleInput, build};
use cpcert_report::Results;
use cpcert_runner::{Certification, CertifyRequest};

/// The repository, which is the suite.
pub(crate) fn suite() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Certifies the reference product as `request` asks (vendor, suite, output folder, a fixed
/// time and zero durations filled in) into `out`, and returns its results.
pub(crate) fn certify(request: CertifyRequest, out: &Path) -> Results {
    let cert = Certification::prepare(&CertifyRequest {
        vendor: "reference".to_owned(),
        suite: Some(suite()),
        out: out.to_path_buf(),
        now: Some("2026-11-29T00:00:00Z".to_owned()),
        zero_durations: true,
        ..request
    })
    .unwrap();
    cert.run().unwrap()
}

/// [`certify`] in a temporary folder, as its bundle (unsigned, unmasked).
pub(crate) fn bundle(request: CertifyRequest) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let challenge = request.challenge.clone();
    let results = certify(request, &out);
    build(&BundleInput {
        results: &results,
        evidence_dir: &out.join("evidence"),
        suite: &suite(),
        vendor: None,
        mask: false,
        challenge,
        key: None,
    })
    .unwrap()
}
