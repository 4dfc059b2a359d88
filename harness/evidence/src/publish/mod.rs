//! `cpcert publish`: verify bundles, then write a static site in the shape of the public listing
//! (index.html, a page and an SVG badge per product, listing.json, publish.log).

pub mod badge;
pub mod html;
pub mod listing;
pub mod patterns;

use std::collections::BTreeMap;

use cpcert_checks::Lang;
use cpcert_report::Verdict;
use cpcert_report::results::sha256_hex;

use crate::EvidenceError;
use crate::bundle::{Bundle, case_path, evidence_path, json_bytes};
use crate::keys::PrivateKey;
use crate::manifest::SuiteIndex;
use crate::verify::{VerifyOptions, verify};
use listing::{Counts, ListedPattern, ListedProduct, Listing, Rejected};
use patterns::{JudgedCase, PatternResult, judge_patterns};

/// What to publish.
pub struct PublishInput<'a> {
    /// (file name, bytes) of each bundle.
    pub bundles: Vec<(String, Vec<u8>)>,
    /// The site's language.
    pub lang: Lang,
    /// Sign listing.json (listing.json.sig).
    pub key: Option<&'a PrivateKey>,
    /// The local suite, when bundles must come from it.
    pub suite: Option<&'a SuiteIndex>,
}

/// The site: relative path → bytes, the listing, and the log lines (also in publish.log).
pub struct Site {
    /// Files to write under the output folder.
    pub files: BTreeMap<String, Vec<u8>>,
    /// listing.json's content.
    pub listing: Listing,
    /// One line per bundle: published or not, and why.
    pub log: Vec<String>,
}

struct Accepted {
    row: ListedProduct,
    patterns: Vec<PatternResult>,
    cases: Vec<(String, String, String, String, Verdict)>,
    files: Vec<(String, String, bool)>,
}

/// Builds the site.
///
/// # Errors
/// The spec's pattern data cannot be read, or a page cannot be serialised.
pub fn publish(input: &PublishInput<'_>) -> Result<Site, EvidenceError> {
    let lang = input.lang;
    let pats = patterns::patterns()?;
    let mut accepted: BTreeMap<String, Accepted> = BTreeMap::new();
    let mut rejected = Vec::new();
    let mut log = Vec::new();
    for (name, bytes) in &input.bundles {
        let opts = VerifyOptions {
            key: None,
            suite: input.suite,
        };
        let bundle = Bundle::read(bytes);
        let (bundle, v) = match bundle {
            Ok(b) => {
                let v = verify(&b, &opts);
                (Some(b), v)
            }
            Err(e) => (
                None,
                crate::verify::Verification {
                    problems: vec![crate::verify::Problem::Unreadable(e.to_string())],
                    ..Default::default()
                },
            ),
        };
        let (Some(bundle), true, Some(results), Some(suite)) =
            (bundle, v.holds(), v.results.clone(), v.suite.clone())
        else {
            let reasons: Vec<String> = v.problems.iter().map(|p| p.text(lang)).collect();
            log.push(match lang {
                Lang::Ja => format!("不掲載 {name}: {}", reasons.join(" / ")),
                Lang::En => format!("not published {name}: {}", reasons.join(" / ")),
            });
            rejected.push(Rejected {
                bundle: name.clone(),
                reasons,
            });
            continue;
        };
        let a = accept(name, bytes, &bundle, &results, &suite, &v, &pats);
        log.push(match lang {
            Lang::Ja => format!(
                "掲載 {name}: {} {} {}",
                a.row.product,
                a.row.version,
                a.row.patterns.join(" ")
            ),
            Lang::En => format!(
                "published {name}: {} {} {}",
                a.row.product,
                a.row.version,
                a.row.patterns.join(" ")
            ),
        });
        // The same product and version twice: the later run stands.
        match accepted.get(&a.row.id) {
            Some(old)
                if old.row.date > a.row.date
                    || (old.row.date == a.row.date && old.row.run_id >= a.row.run_id) => {}
            _ => {
                accepted.insert(a.row.id.clone(), a);
            }
        }
    }
    let mut rows: Vec<&Accepted> = accepted.values().collect();
    rows.sort_by(|a, b| {
        (&a.row.vendor, &a.row.product, &a.row.version).cmp(&(
            &b.row.vendor,
            &b.row.product,
            &b.row.version,
        ))
    });
    let listing = Listing {
        schema_version: listing::LISTING_SCHEMA_VERSION,
        spec_version: cpcert_spec::CURRENT_LAYOUT_VERSION.to_owned(),
        patterns: pats
            .iter()
            .map(|p| ListedPattern {
                id: p.id.clone(),
                office_type: p.office_type,
                name_ja: p.name_ja.clone(),
                name_en: p.name_en.clone(),
            })
            .collect(),
        products: rows.iter().map(|a| a.row.clone()).collect(),
        rejected,
    };
    let mut files = BTreeMap::new();
    let listing_bytes = json_bytes(&listing)?;
    if let Some(key) = input.key {
        files.insert(
            "listing.json.sig".to_owned(),
            json_bytes(&key.sign_named(&listing_bytes, "listing.json"))?,
        );
    }
    files.insert("listing.json".to_owned(), listing_bytes);
    files.insert("style.css".to_owned(), html::CSS.as_bytes().to_vec());
    files.insert(
        "index.html".to_owned(),
        html::index(&listing, lang).into_bytes(),
    );
    for a in &rows {
        let history: Vec<&ListedProduct> = listing
            .products
            .iter()
            .filter(|p| p.vendor == a.row.vendor && p.product == a.row.product && p.id != a.row.id)
            .collect();
        let page = html::ProductPage {
            row: &a.row,
            patterns: &a.patterns,
            cases: a.cases.clone(),
            files: a.files.clone(),
            history,
        };
        files.insert(
            a.row.page.clone(),
            html::product(&listing, &page, lang).into_bytes(),
        );
        files.insert(
            a.row.badge.clone(),
            badge::badge(&a.row.spec_version, &a.row.patterns, pats.len()).into_bytes(),
        );
    }
    let mut log_text = log.join("\n");
    log_text.push('\n');
    files.insert("publish.log".to_owned(), log_text.into_bytes());
    Ok(Site {
        files,
        listing,
        log,
    })
}

fn accept(
    name: &str,
    bytes: &[u8],
    bundle: &Bundle,
    results: &cpcert_report::Results,
    suite: &SuiteIndex,
    v: &crate::verify::Verification,
    pats: &[patterns::Pattern],
) -> Accepted {
    let selection = results.selection.clone().unwrap_or_default();
    let vendor = if selection.vendor.is_empty() {
        "reference".to_owned()
    } else {
        selection.vendor.clone()
    };
    let mut product = results.product.name.clone();
    if let Some(fault) = &selection.fault {
        product.push_str(&format!(" [fault: {fault}]"));
    }
    let version = results.product.version.clone();
    let id = format!(
        "p-{}",
        &sha256_hex(format!("{vendor}\n{product}\n{version}").as_bytes())[..12]
    );
    let ran: std::collections::BTreeSet<&str> =
        results.outcomes.iter().map(|o| o.case.as_str()).collect();
    let complete = !suite.case_ids.is_empty()
        && suite.case_ids.iter().all(|c| ran.contains(c.as_str()))
        && results
            .coverage
            .as_ref()
            .is_none_or(|c| c.cases_run == c.suite_cases);
    let masked = bundle.manifest.masked;
    let judged: Vec<JudgedCase<'_>> = results
        .outcomes
        .iter()
        .map(|o| {
            let file = bundle.entries.get(&case_path(&o.case)).and_then(|b| {
                serde_saphyr::from_str::<cpcert_runner::CaseFile>(std::str::from_utf8(b).ok()?).ok()
            });
            let sender = file.map(|f| f.sender.unwrap_or(f.role.default_sender()));
            JudgedCase {
                outcome: o,
                sender,
                rejudged: !masked,
            }
        })
        .collect();
    let pattern_results = judge_patterns(pats, results, &judged, complete);
    let count = |x: Verdict| results.outcomes.iter().filter(|o| o.verdict == x).count();
    let row = ListedProduct {
        page: format!("products/{id}.html"),
        badge: format!("badges/{id}.svg"),
        id,
        vendor,
        product,
        version,
        office_types: results.product.roles.clone(),
        patterns: pattern_results
            .iter()
            .filter(|p| p.completed)
            .map(|p| p.id.clone())
            .collect(),
        complete,
        spec_version: results.spec_version.clone(),
        suite_version: results.suite.version.clone(),
        suite_sha256: bundle.manifest.suite_sha256.clone(),
        tool: bundle.manifest.tool.clone(),
        date: results.run.started.chars().take(10).collect(),
        run_id: results.run.id.clone(),
        bundle: name.to_owned(),
        bundle_sha256: sha256_hex(bytes),
        signer: v.signer.clone(),
        masked,
        counts: Counts {
            pass: count(Verdict::Pass),
            fail: count(Verdict::Fail),
            error: count(Verdict::Error),
            not_applicable: count(Verdict::NotApplicable),
        },
    };
    let cases = results
        .outcomes
        .iter()
        .map(|o| {
            (
                o.case.clone(),
                o.role.id().to_owned(),
                o.direction.id().to_owned(),
                o.required.mark().to_owned(),
                o.verdict,
            )
        })
        .collect();
    let files = results
        .outcomes
        .iter()
        .flat_map(|o| {
            o.files.iter().map(|f| {
                let path = evidence_path(&o.case, &f.path);
                (path, f.sha256.clone(), masked)
            })
        })
        .collect();
    Accepted {
        row,
        patterns: pattern_results,
        cases,
        files,
    }
}
