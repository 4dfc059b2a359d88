//! `cpcert merge`: join the bundles of one run sharded with `--partition` into one bundle.

use std::collections::BTreeMap;

use cpcert_report::results::sha256_hex;
use cpcert_report::{CaseRef, Coverage, CoverageInput, Results};

use crate::EvidenceError;
use crate::bundle::{Bundle, seal};
use crate::keys::PrivateKey;
use crate::manifest::{MANIFEST, ManifestFile, RESULTS, SIGNATURE, SUITE};
use crate::verify::{VerifyOptions, verify};

/// Joins verified shard bundles: same suite, spec, tool, product and selection (but for the
/// partition), no case twice; the outcomes are joined, the coverage recounted over the suite.
///
/// # Errors
/// [`EvidenceError::Merge`] naming the shard and why it does not join (including a shard that
/// does not verify).
pub fn merge(
    bundles: &[(String, Bundle)],
    key: Option<&PrivateKey>,
) -> Result<Vec<u8>, EvidenceError> {
    let bad = |name: &str, why: String| EvidenceError::Merge(format!("{name}: {why}"));
    let Some((first_name, first)) = bundles.first() else {
        return Err(EvidenceError::Merge("no bundle to merge".to_owned()));
    };
    let mut shards = Vec::new();
    for (name, bundle) in bundles {
        let v = verify(bundle, &VerifyOptions::default());
        if let Some(p) = v.problems.first() {
            return Err(bad(
                name,
                format!("does not verify: {}", p.text(cpcert_checks::Lang::En)),
            ));
        }
        let results = v
            .results
            .ok_or_else(|| bad(name, "no results".to_owned()))?;
        shards.push((name.as_str(), bundle, results));
    }
    let base = &shards[0].2;
    let suite_bytes = first.entries.get(SUITE).cloned().unwrap_or_default();
    let mut outcomes = Vec::new();
    let mut seen: BTreeMap<String, &str> = BTreeMap::new();
    let mut partitions = Vec::new();
    let mut refs: BTreeMap<String, CaseRef> = BTreeMap::new();
    for (name, bundle, results) in &shards {
        let m = &bundle.manifest;
        let same = [
            ("suite", &m.suite_sha256, &first.manifest.suite_sha256),
            ("spec", &m.spec_sha256, &first.manifest.spec_sha256),
            ("tool", &m.tool, &first.manifest.tool),
            ("product", &m.product, &first.manifest.product),
        ];
        for (what, mine, theirs) in same {
            if mine != theirs {
                return Err(bad(
                    name,
                    format!("another {what} than {first_name}: `{mine}` vs `{theirs}`"),
                ));
            }
        }
        if m.masked != first.manifest.masked || m.challenge != first.manifest.challenge {
            return Err(bad(
                name,
                format!("masking or challenge differs from {first_name}"),
            ));
        }
        if bundle.entries.get(SUITE) != Some(&suite_bytes) || results.product != base.product {
            return Err(bad(
                name,
                format!("another suite index or product than {first_name}"),
            ));
        }
        let mut selection = results.selection.clone().unwrap_or_default();
        let mut base_selection = base.selection.clone().unwrap_or_default();
        partitions.extend(selection.partition.take());
        base_selection.partition = None;
        if selection != base_selection {
            return Err(bad(
                name,
                format!("another selection (vendor, filters, roles, fault) than {first_name}"),
            ));
        }
        for o in &results.outcomes {
            if let Some(other) = seen.insert(o.case.clone(), name) {
                return Err(bad(name, format!("case {} is also in {other}", o.case)));
            }
            outcomes.push(o.clone());
        }
        for r in results.coverage.iter().flat_map(|c| &c.not_run) {
            refs.insert(r.case.clone(), r.clone());
        }
    }
    for o in &outcomes {
        refs.entry(o.case.clone()).or_insert_with(|| CaseRef {
            case: o.case.clone(),
            role: o.role,
            direction: o.direction,
            kinds: o.kinds.clone(),
        });
    }
    outcomes.sort_by(|a, b| a.case.cmp(&b.case));
    let mut merged: Results = base.clone();
    merged.outcomes = outcomes;
    partitions.sort();
    if let Some(sel) = merged.selection.as_mut() {
        sel.partition = (!partitions.is_empty()).then(|| partitions.join("+"));
    }
    if base.coverage.is_some() {
        merged.coverage = Some(Coverage::of(refs.values().map(|case| CoverageInput {
            case,
            selected: seen.contains_key(&case.case),
        })));
    }
    let mut ids: Vec<&str> = shards.iter().map(|s| s.2.run.id.as_str()).collect();
    ids.sort_unstable();
    merged.run.id = sha256_hex(ids.join("+").as_bytes())[..12].to_owned();
    merged.run.started = shards
        .iter()
        .map(|s| s.2.run.started.clone())
        .min()
        .unwrap_or_default();
    // Every shard's entries (they hold each case once, so paths do not collide but for the
    // shared case scenarios, which are the same suite's bytes).
    let mut entries: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    let mut masked: Vec<ManifestFile> = Vec::new();
    for (_, bundle, _) in &shards {
        for (path, bytes) in &bundle.entries {
            if ![MANIFEST, SIGNATURE, RESULTS].contains(&path.as_str()) {
                entries.insert(path.clone(), bytes.clone());
            }
        }
        masked.extend(
            bundle
                .manifest
                .files
                .iter()
                .filter(|f| f.masked.is_some())
                .cloned(),
        );
    }
    entries.insert(RESULTS.to_owned(), json_results(&merged));
    let index = first.suite()?;
    seal(
        entries,
        masked,
        &merged,
        &index,
        first.manifest.challenge.clone(),
        first.manifest.masked,
        key,
    )
}

fn json_results(results: &Results) -> Vec<u8> {
    cpcert_report::json::render(results).into_bytes()
}
