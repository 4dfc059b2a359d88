//! `cpcert verify`: re-judge a bundle offline and report every disagreement.

use std::collections::{BTreeMap, BTreeSet};

use cpcert_checks::Lang;
use cpcert_report::results::sha256_hex;
use cpcert_report::{Outcome, Results, Verdict};
use cpcert_runner::{Case, CaseFile, CaseFiles, judge, not_applicable};
use cpcert_scenario::reference::ExportedFile;
use cpcert_spec::{Role, Spec};

use crate::bundle::{Bundle, case_path, case_rel, evidence_path};
use crate::keys::PublicKey;
use crate::manifest::{MANIFEST, SIGNATURE, SuiteIndex, embedded_spec_sha256};

/// How to verify.
#[derive(Default)]
pub struct VerifyOptions<'a> {
    /// Require a signature by this key.
    pub key: Option<&'a PublicKey>,
    /// The local suite's index: the bundle must come from the same suite.
    pub suite: Option<&'a SuiteIndex>,
}

/// One disagreement between a bundle and what its evidence supports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// The bundle cannot be read at all.
    Unreadable(String),
    /// An entry's bytes do not have the hash the manifest gives them.
    Changed(String),
    /// The manifest lists an entry the bundle does not hold.
    Missing(String),
    /// The bundle holds an entry the manifest does not list.
    Unlisted(String),
    /// The signature does not match the manifest.
    BadSignature,
    /// Signed, but by another key than the one asked for.
    WrongSigner {
        /// The key asked for.
        expected: String,
        /// The key that signed.
        found: String,
    },
    /// `--key` was given and the bundle is not signed.
    Unsigned,
    /// The bundle was judged against another spec version or other spec data.
    OtherSpec {
        /// What the bundle says.
        bundle: String,
        /// What this cpcert judges by.
        tool: String,
    },
    /// The bundle's suite index does not add up, or it is another suite than the local one.
    OtherSuite(String),
    /// results.json and the manifest disagree (product, run, versions).
    Inconsistent(String),
    /// A case definition, scenario or expected file is not the suite's.
    NotFromSuite(String),
    /// A verdict the evidence does not support.
    Verdict {
        /// Case id.
        case: String,
        /// What results.json says.
        stated: Verdict,
        /// What the evidence gives.
        evidence: Verdict,
    },
    /// A file sent or expected is not what the recorded challenge seed gives (the reference
    /// product regenerates them from the seed), or one it gives is not in the bundle.
    Challenge {
        /// The seed recorded in the manifest.
        seed: String,
        /// The bundle path of the file.
        file: String,
    },
    /// Same verdict, but results.json's findings, differences or file list are not what the
    /// evidence gives.
    Outcome {
        /// Case id.
        case: String,
        /// Which part differs.
        what: String,
    },
}

impl Problem {
    /// The problem in one line, in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        let ja = lang == Lang::Ja;
        match self {
            Problem::Unreadable(e) => {
                if ja {
                    format!("バンドルを読めません: {e}")
                } else {
                    format!("cannot read the bundle: {e}")
                }
            }
            Problem::Changed(p) => {
                if ja {
                    format!("{p}: 内容が改変されています（SHA-256 がマニフェストと一致しません）")
                } else {
                    format!("{p}: changed (its SHA-256 is not the manifest's)")
                }
            }
            Problem::Missing(p) => {
                if ja {
                    format!("{p}: マニフェストにあるファイルがバンドルにありません")
                } else {
                    format!("{p}: listed in the manifest but not in the bundle")
                }
            }
            Problem::Unlisted(p) => {
                if ja {
                    format!("{p}: マニフェストにないファイルがバンドルにあります")
                } else {
                    format!("{p}: in the bundle but not listed in the manifest")
                }
            }
            Problem::BadSignature => {
                if ja {
                    format!("{SIGNATURE}: 署名が {MANIFEST} と一致しません")
                } else {
                    format!("{SIGNATURE}: the signature does not match {MANIFEST}")
                }
            }
            Problem::WrongSigner { expected, found } => {
                if ja {
                    format!("署名者が違います: 期待 {expected}、実際 {found}")
                } else {
                    format!("signed by another key: expected {expected}, found {found}")
                }
            }
            Problem::Unsigned => {
                if ja {
                    "--key が指定されましたが、バンドルに署名がありません".to_owned()
                } else {
                    "--key was given but the bundle is not signed".to_owned()
                }
            }
            Problem::OtherSpec { bundle, tool } => {
                if ja {
                    format!("別の仕様で判定されています: バンドル {bundle}、この cpcert {tool}")
                } else {
                    format!("judged against another spec: bundle {bundle}, this cpcert {tool}")
                }
            }
            Problem::OtherSuite(t) => {
                if ja {
                    format!("ケース集が一致しません: {t}")
                } else {
                    format!("another suite: {t}")
                }
            }
            Problem::Inconsistent(t) => {
                if ja {
                    format!("results.json とマニフェストが食い違います: {t}")
                } else {
                    format!("results.json and the manifest disagree: {t}")
                }
            }
            Problem::NotFromSuite(p) => {
                if ja {
                    format!("{p}: 記録されたケース集のファイルと一致しません")
                } else {
                    format!("{p}: not the file of the recorded suite")
                }
            }
            Problem::Challenge { seed, file } => {
                if ja {
                    format!("{file}: チャレンジ `{seed}` から作り直したファイルと一致しません")
                } else {
                    format!("{file}: not the file challenge `{seed}` gives")
                }
            }
            Problem::Verdict {
                case,
                stated,
                evidence,
            } => {
                if ja {
                    format!(
                        "{case}: results.json の判定 {stated} を証拠が支持しません（再判定 {evidence}）"
                    )
                } else {
                    format!("{case}: results.json says {stated}, the evidence gives {evidence}")
                }
            }
            Problem::Outcome { case, what } => {
                if ja {
                    format!("{case}: results.json の {what} が証拠からの再判定と一致しません")
                } else {
                    format!("{case}: results.json's {what} are not what the evidence gives")
                }
            }
        }
    }
}

/// What verifying one bundle found.
#[derive(Debug, Default)]
pub struct Verification {
    /// Every disagreement; the bundle holds when there is none.
    pub problems: Vec<Problem>,
    /// Cases in results.json.
    pub cases: usize,
    /// Cases re-judged from the evidence.
    pub rejudged: usize,
    /// Cases whose evidence is masked (declared by hash, not re-judged).
    pub masked: usize,
    /// The signer's public key (hex), when signed and the signature holds.
    pub signer: Option<String>,
    /// results.json, when it parses.
    pub results: Option<Results>,
    /// suite.json, when it parses.
    pub suite: Option<SuiteIndex>,
}

impl Verification {
    /// Whether the bundle holds.
    pub fn holds(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Verifies a bundle's bytes.
pub fn verify_bytes(bytes: &[u8], opts: &VerifyOptions<'_>) -> Verification {
    match Bundle::read(bytes) {
        Ok(bundle) => verify(&bundle, opts),
        Err(e) => Verification {
            problems: vec![Problem::Unreadable(e.to_string())],
            ..Verification::default()
        },
    }
}

/// Verifies a bundle: hashes, signature, versions, suite, and every verdict re-judged.
pub fn verify(bundle: &Bundle, opts: &VerifyOptions<'_>) -> Verification {
    let mut v = Verification::default();
    let m = &bundle.manifest;
    // 1. Every entry is the manifest's, byte for byte.
    let listed: BTreeMap<&str, &crate::manifest::ManifestFile> =
        m.files.iter().map(|f| (f.path.as_str(), f)).collect();
    for f in &m.files {
        match bundle.entries.get(&f.path) {
            Some(bytes) if f.masked.is_some() => {
                // A masked file must not be there: its bytes would be unmasked personal data.
                let _ = bytes;
                v.problems.push(Problem::Unlisted(f.path.clone()));
            }
            Some(bytes) => {
                if sha256_hex(bytes) != f.sha256 {
                    v.problems.push(Problem::Changed(f.path.clone()));
                }
            }
            None if f.masked.is_some() => {}
            None => v.problems.push(Problem::Missing(f.path.clone())),
        }
    }
    for path in bundle.entries.keys() {
        if path != MANIFEST && path != SIGNATURE && !listed.contains_key(path.as_str()) {
            v.problems.push(Problem::Unlisted(path.clone()));
        }
    }
    // 2. The signature.
    match (&bundle.signature, opts.key) {
        (Some(sig), key) => match PublicKey::from_hex(&sig.public_key) {
            Ok(signer) if signer.check(bundle.manifest_bytes(), sig) => {
                if let Some(key) = key.filter(|k| **k != signer) {
                    v.problems.push(Problem::WrongSigner {
                        expected: key.to_hex(),
                        found: signer.to_hex(),
                    });
                }
                v.signer = Some(signer.to_hex());
            }
            _ => v.problems.push(Problem::BadSignature),
        },
        (None, Some(_)) => v.problems.push(Problem::Unsigned),
        (None, None) => {}
    }
    // 3. Spec and suite.
    let tool_spec = embedded_spec_sha256();
    if m.spec_version != cpcert_spec::CURRENT_LAYOUT_VERSION || m.spec_sha256 != tool_spec {
        v.problems.push(Problem::OtherSpec {
            bundle: format!("{} ({})", m.spec_version, short(&m.spec_sha256)),
            tool: format!(
                "{} ({})",
                cpcert_spec::CURRENT_LAYOUT_VERSION,
                short(&tool_spec)
            ),
        });
    }
    let suite = match bundle.suite() {
        Ok(s) => s,
        Err(e) => {
            v.problems.push(Problem::Unreadable(e.to_string()));
            return v;
        }
    };
    let parts = [
        ("cases", &suite.cases),
        ("scenarios", &suite.scenarios),
        ("golden", &suite.golden),
        ("spec", &suite.spec),
        ("vendor", &suite.vendor),
    ];
    for (name, part) in parts {
        if !part.holds() {
            v.problems.push(Problem::OtherSuite(format!(
                "suite.json: the {name} hash does not add up"
            )));
        }
    }
    if suite.combined_hash() != suite.combined || suite.combined != m.suite_sha256 {
        v.problems.push(Problem::OtherSuite(
            "suite.json: the combined hash is not the manifest's".to_owned(),
        ));
    }
    if suite.spec.sha256 != m.spec_sha256 {
        v.problems.push(Problem::OtherSuite(
            "suite.json: the spec hash is not the manifest's".to_owned(),
        ));
    }
    if let Some(local) = opts.suite {
        for (name, mine, theirs) in [
            ("cases", &local.cases.sha256, &suite.cases.sha256),
            (
                "scenarios",
                &local.scenarios.sha256,
                &suite.scenarios.sha256,
            ),
            ("golden", &local.golden.sha256, &suite.golden.sha256),
        ] {
            if mine != theirs {
                v.problems.push(Problem::OtherSuite(format!(
                    "{name}: bundle {}, local suite {}",
                    short(theirs),
                    short(mine)
                )));
            }
        }
    }
    // 4. results.json against the manifest, then every verdict re-judged.
    let results = match bundle.results() {
        Ok(r) => r,
        Err(e) => {
            v.problems.push(Problem::Unreadable(e.to_string()));
            v.suite = Some(suite);
            return v;
        }
    };
    for (what, stated, manifest) in [
        (
            "product",
            format!("{} {}", results.product.name, results.product.version),
            m.product.clone(),
        ),
        ("run id", results.run.id.clone(), m.run_id.clone()),
        (
            "tool",
            format!("{} {}", results.tool.name, results.tool.version),
            m.tool.clone(),
        ),
        (
            "spec version",
            results.spec_version.clone(),
            m.spec_version.clone(),
        ),
        (
            "suite version",
            results.suite.version.clone(),
            m.suite_version.clone(),
        ),
    ] {
        if stated != manifest {
            v.problems.push(Problem::Inconsistent(format!(
                "{what}: results.json `{stated}`, manifest `{manifest}`"
            )));
        }
    }
    check_scope(&suite, &results, m.challenge.as_deref(), &mut v);
    rejudge_all(bundle, &suite, &results, &listed, &mut v);
    v.results = Some(results);
    v.suite = Some(suite);
    v
}

/// The suite's case list is the case files of its cases part; results.json's coverage and
/// challenge agree with the suite and the manifest (a run cannot claim to be complete, or to
/// answer another challenge, by editing results.json or suite.json alone).
fn check_scope(
    suite: &SuiteIndex,
    results: &Results,
    challenge: Option<&str>,
    v: &mut Verification,
) {
    const DIRECTIONS: [&str; 4] = ["export/", "import/", "roundtrip/", "interop/"];
    let from_files: BTreeSet<String> = suite
        .cases
        .files
        .keys()
        .filter_map(|p| p.strip_prefix("cases/")?.strip_suffix(".yaml"))
        .filter(|p| DIRECTIONS.iter().any(|d| p.starts_with(d)))
        .map(|p| p.replace('/', "::"))
        .collect();
    let listed: BTreeSet<String> = suite.case_ids.iter().cloned().collect();
    // Besides the case files: the tolerance cases of its import cases (made on the fly).
    let derived = |id: &String| {
        cpcert_runner::tolerance::parse_id(id).is_some_and(|(base, _)| from_files.contains(&base))
    };
    let files_listed: BTreeSet<String> = listed.iter().filter(|id| !derived(id)).cloned().collect();
    if from_files != files_listed || listed.len() != suite.case_ids.len() {
        v.problems.push(Problem::OtherSuite(
            "suite.json: the case list is not the case files of its cases part".to_owned(),
        ));
    }
    if let Some(c) = &results.coverage {
        let ran = results.outcomes.len();
        if c.suite_cases != suite.case_ids.len() || c.cases_run != ran {
            v.problems.push(Problem::Inconsistent(format!(
                "coverage: results.json says {} of {} cases, the bundle holds {ran} of {}",
                c.cases_run,
                c.suite_cases,
                suite.case_ids.len()
            )));
        }
    }
    let stated = results
        .selection
        .as_ref()
        .and_then(|s| s.challenge.as_deref());
    if stated != challenge {
        v.problems.push(Problem::Inconsistent(format!(
            "challenge: results.json `{}`, manifest `{}`",
            stated.unwrap_or("-"),
            challenge.unwrap_or("-")
        )));
    }
}

fn short(sha: &str) -> &str {
    sha.get(..12).unwrap_or(sha)
}

fn rejudge_all(
    bundle: &Bundle,
    suite: &SuiteIndex,
    results: &Results,
    listed: &BTreeMap<&str, &crate::manifest::ManifestFile>,
    v: &mut Verification,
) {
    let spec = Spec::embedded();
    let roles: Vec<Role> = results.product.roles.clone();
    let mut seen = BTreeSet::new();
    let mut used: BTreeSet<String> = BTreeSet::new();
    for stated in &results.outcomes {
        v.cases += 1;
        if !seen.insert(stated.case.clone()) {
            v.problems.push(Problem::Outcome {
                case: stated.case.clone(),
                what: "outcomes (the case appears twice)".to_owned(),
            });
            continue;
        }
        let path = case_path(&stated.case);
        used.insert(path.clone());
        let Some(case) = load_case(bundle, suite, &stated.case, &path, v) else {
            continue;
        };
        // The evidence files, checked against the suite where the suite fixes them.
        let mut files = CaseFiles::default();
        let mut masked = false;
        for f in &stated.files {
            let bundle_path = evidence_path(&stated.case, &f.path);
            used.insert(bundle_path.clone());
            let Some(entry) = listed.get(bundle_path.as_str()) else {
                v.problems.push(Problem::Missing(bundle_path));
                continue;
            };
            if entry.sha256 != f.sha256 {
                v.problems.push(Problem::Outcome {
                    case: stated.case.clone(),
                    what: format!("file hash of {}", f.path),
                });
            }
            if entry.masked.is_some() {
                masked = true;
                continue;
            }
            let Some(bytes) = bundle.entries.get(&bundle_path) else {
                continue;
            };
            let (side, name) = f.path.split_once('/').unwrap_or(("", f.path.as_str()));
            let file = ExportedFile {
                name: name.to_owned(),
                bytes: bytes.clone(),
            };
            match side {
                "sent" => files.sent.push(file),
                "received" => files.received.push(file),
                "expected" => files.expected.push(file),
                _ => v.problems.push(Problem::Outcome {
                    case: stated.case.clone(),
                    what: format!("file {} (neither sent, received nor expected)", f.path),
                }),
            }
        }
        if masked {
            v.masked += 1;
            continue;
        }
        match bundle.manifest.challenge.as_deref() {
            Some(seed) => check_against_challenge(
                bundle,
                suite,
                seed,
                &case,
                &files,
                stated.error.is_none(),
                v,
            ),
            None => check_against_suite(bundle, suite, &case, &files, stated.error.is_none(), v),
        }
        let mut again = if roles.contains(&case.file.role) {
            judge(&case, spec, &files)
        } else {
            not_applicable(&case)
        };
        again.duration_ms = stated.duration_ms;
        if stated.error.is_some() && again.verdict != Verdict::NotApplicable {
            // The product refused, failed or could not be run: nothing to re-judge, and a stated
            // failure is never in the submitter's interest. A stated pass is not believed.
            if stated.verdict == Verdict::Pass {
                v.problems.push(Problem::Verdict {
                    case: stated.case.clone(),
                    stated: stated.verdict,
                    evidence: Verdict::Error,
                });
            }
            v.rejudged += 1;
            continue;
        }
        v.rejudged += 1;
        compare_outcome(stated, again, bundle.manifest.masked, results, v);
    }
    for path in bundle.entries.keys() {
        if path.starts_with("evidence/") && !used.contains(path) {
            v.problems
                .push(Problem::Unlisted(format!("{path} (in no outcome's files)")));
        }
    }
}

fn load_case(
    bundle: &Bundle,
    suite: &SuiteIndex,
    id: &str,
    path: &str,
    v: &mut Verification,
) -> Option<Case> {
    let Some(bytes) = bundle.entries.get(path) else {
        v.problems.push(Problem::Missing(path.to_owned()));
        return None;
    };
    if suite.file(path) != Some(sha256_hex(bytes).as_str()) {
        v.problems.push(Problem::NotFromSuite(path.to_owned()));
    }
    let parsed = std::str::from_utf8(bytes)
        .map_err(|e| e.to_string())
        .and_then(|t| serde_saphyr::from_str::<CaseFile>(t).map_err(|e| e.to_string()));
    // A tolerance case is its base import case with the variant its input is written with.
    let tolerance = cpcert_runner::tolerance::parse_id(id);
    let base = tolerance.as_ref().map_or(id, |(base, _)| base.as_str());
    match parsed {
        Ok(file) => {
            let case = Case::new(
                base.to_owned(),
                case_rel(base),
                file,
                golden_kinds(suite, &case_rel(base)),
            );
            Some(match tolerance {
                Some((_, variant)) => cpcert_runner::tolerance::case_of(&case, variant),
                None => case,
            })
        }
        Err(e) => {
            v.problems.push(Problem::Unreadable(format!("{path}: {e}")));
            None
        }
    }
}

/// The kinds of the suite's golden files of a case (as the runner's case loader finds them).
fn golden_kinds(suite: &SuiteIndex, rel: &str) -> Vec<String> {
    let base = format!("golden/{rel}/");
    let spec = Spec::embedded();
    let mut kinds: Vec<String> = suite
        .golden
        .files
        .keys()
        .filter_map(|p| p.strip_prefix(&base))
        .filter_map(|rest| {
            let name = rest
                .strip_prefix("in/")
                .or_else(|| rest.strip_prefix("out/"))
                .unwrap_or(rest);
            (!name.contains('/')).then_some(name)
        })
        .filter_map(|name| {
            cpcert_checks::file_kind(name, spec, cpcert_spec::CURRENT_LAYOUT_VERSION)
        })
        .collect();
    kinds.sort();
    kinds.dedup();
    kinds
}

/// Sent files are the suite's golden inputs; expected files are its golden outputs (or the
/// answer the suite's scenario gives).
fn check_against_suite(
    bundle: &Bundle,
    suite: &SuiteIndex,
    case: &Case,
    files: &CaseFiles,
    complete: bool,
    v: &mut Verification,
) {
    if case.tolerance.is_some() {
        // Made on the fly from the suite's scenario and the variant, like a challenge's.
        let Some(scenario) = suite_scenario(bundle, suite, case, v) else {
            return;
        };
        match cpcert_runner::reference_files(case, &scenario, case.file.office.as_deref()) {
            Ok(made) => check_regenerated(case, files, &made, complete, v, &|file| {
                Problem::NotFromSuite(file)
            }),
            Err(e) => v
                .problems
                .push(Problem::Unreadable(format!("{}: {e}", case.id))),
        }
        return;
    }
    let golden = format!("golden/{}", case.rel);
    let outputs = match case.file.direction {
        cpcert_runner::CaseDirection::Roundtrip => format!("{golden}/out"),
        _ => golden.clone(),
    };
    let check = |dir: &str, f: &ExportedFile, v: &mut Verification, side: &str| {
        let path = format!("{dir}/{}", f.name);
        if suite.file(&path) != Some(sha256_hex(&f.bytes).as_str()) {
            v.problems.push(Problem::NotFromSuite(evidence_path(
                &case.id,
                &format!("{side}/{}", f.name),
            )));
        }
    };
    for f in &files.sent {
        check(&format!("{golden}/in"), f, v, "sent");
    }
    if case.file.direction == cpcert_runner::CaseDirection::Import {
        if suite_scenario(bundle, suite, case, v).is_none() {
            return;
        }
        // What the reference holds after importing the (suite-checked) input files.
        let expected = cpcert_runner::expected_answer(case, &files.sent);
        for f in &files.expected {
            if expected.as_ref().map(|e| &e.bytes) != Ok(&f.bytes) {
                v.problems.push(Problem::NotFromSuite(evidence_path(
                    &case.id,
                    &format!("expected/{}", f.name),
                )));
            }
        }
    } else {
        for f in &files.expected {
            check(&outputs, f, v, "expected");
        }
    }
}

/// The case's scenario as the bundle holds it, when it is the suite's (else a problem).
fn suite_scenario(
    bundle: &Bundle,
    suite: &SuiteIndex,
    case: &Case,
    v: &mut Verification,
) -> Option<cpcert_scenario::Scenario> {
    let path = format!("cases/scenarios/{}.yaml", case.file.scenario);
    let scenario = bundle.entries.get(&path).and_then(|bytes| {
        if suite.file(&path) != Some(sha256_hex(bytes).as_str()) {
            return None;
        }
        let text = std::str::from_utf8(bytes).ok()?;
        cpcert_scenario::parse_scenario(text, &path).ok()
    });
    if scenario.is_none() {
        v.problems.push(Problem::NotFromSuite(path));
    }
    scenario
}

/// Under a challenge the files sent and expected are not golden/'s: the reference product
/// regenerates them from the seed and the suite's scenario, and the bundle's must be those
/// (each one present; all of them when the case ran to the end).
fn check_against_challenge(
    bundle: &Bundle,
    suite: &SuiteIndex,
    seed: &str,
    case: &Case,
    files: &CaseFiles,
    complete: bool,
    v: &mut Verification,
) {
    let Some(scenario) = suite_scenario(bundle, suite, case, v) else {
        return;
    };
    let made = match cpcert_runner::challenge::expected_for(seed, case, &scenario) {
        Ok(made) => made,
        Err(e) => {
            v.problems
                .push(Problem::Unreadable(format!("{}: {e}", case.id)));
            return;
        }
    };
    check_regenerated(case, files, &made, complete, v, &|file| {
        Problem::Challenge {
            seed: seed.to_owned(),
            file,
        }
    });
}

/// The bundle's files sent and expected are the regenerated ones (`made`): each one given is
/// among them, and every one of them is given when the case ran to the end; `problem` names a
/// file (its bundle path) that is not.
fn check_regenerated(
    case: &Case,
    files: &CaseFiles,
    made: &CaseFiles,
    complete: bool,
    v: &mut Verification,
    problem: &dyn Fn(String) -> Problem,
) {
    for (side, given, regenerated) in [
        ("sent", &files.sent, &made.sent),
        ("expected", &files.expected, &made.expected),
    ] {
        let path = |name: &str| evidence_path(&case.id, &format!("{side}/{name}"));
        for f in given {
            if !regenerated
                .iter()
                .any(|r| r.name == f.name && r.bytes == f.bytes)
            {
                v.problems.push(problem(path(&f.name)));
            }
        }
        if complete {
            for r in regenerated {
                if !given.iter().any(|f| f.name == r.name) {
                    v.problems.push(problem(path(&r.name)));
                }
            }
        }
    }
}

fn compare_outcome(
    stated: &Outcome,
    again: Outcome,
    masked: bool,
    results: &Results,
    v: &mut Verification,
) {
    // Under --mask results.json holds masked findings and differences: mask the re-judged ones
    // the same way before comparing.
    let again = if masked {
        let mut one = results.clone();
        one.outcomes = vec![again];
        one.masked().outcomes.remove(0)
    } else {
        again
    };
    if stated.verdict != again.verdict {
        v.problems.push(Problem::Verdict {
            case: stated.case.clone(),
            stated: stated.verdict,
            evidence: again.verdict,
        });
        return;
    }
    let parts: [(&str, bool); 6] = [
        ("findings", stated.findings == again.findings),
        ("differences", stated.diffs == again.diffs),
        ("files", stated.files == again.files),
        ("kinds", stated.kinds == again.kinds),
        (
            "case facts (title, role, direction, ○/△)",
            stated.title == again.title
                && stated.role == again.role
                && stated.direction == again.direction
                && stated.required == again.required
                && stated.spec_place == again.spec_place,
        ),
        ("decoded diffs", stated.text_diffs == again.text_diffs),
    ];
    for (what, same) in parts {
        if !same {
            v.problems.push(Problem::Outcome {
                case: stated.case.clone(),
                what: what.to_owned(),
            });
        }
    }
}
