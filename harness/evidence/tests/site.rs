//! `cpcert publish` over the reference's bundle and a faulty product's bundle: listing.json shows
//! the reference with all seven patterns and the faulty product without the one its fault breaks;
//! a bundle that does not verify is not published; the site, loaded in headless Chromium, shows
//! those rows and marks. listing.json's JSON Schema (docs/schema/listing.schema.json) is current.

use std::path::{Path, PathBuf};

use cpcert_browser::Chromium;
use cpcert_checks::Lang;
use cpcert_evidence::publish::listing::{Listing, schema_json};
use cpcert_evidence::publish::{PublishInput, publish};

mod common;
use common::suite;

/// A complete certification of the reference product (with a fault), as a bundle.
fn bundle(fault: Option<&str>) -> Vec<u8> {
    common::bundle(cpcert_runner::CertifyRequest {
        fault: fault.map(str::to_owned),
        ..cpcert_runner::CertifyRequest::default()
    })
}

fn site(lang: Lang) -> (tempfile::TempDir, Listing) {
    static BUNDLES: std::sync::OnceLock<(Vec<u8>, Vec<u8>)> = std::sync::OnceLock::new();
    let (good, faulty) = BUNDLES.get_or_init(|| (bundle(None), bundle(Some("date-invalid"))));
    let (good, faulty) = (good.clone(), faulty.clone());
    let mut broken = good.clone();
    let at = broken.len() / 3;
    broken[at] ^= 0x20;
    let site = publish(&PublishInput {
        bundles: vec![
            ("reference.cpcert".to_owned(), good),
            ("date-invalid.cpcert".to_owned(), faulty),
            ("tampered.cpcert".to_owned(), broken),
        ],
        lang,
        key: None,
        suite: None,
    })
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    for (rel, bytes) in &site.files {
        let path = dir.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
    (dir, site.listing)
}

#[test]
fn the_listing_shows_what_each_product_completed() {
    let (dir, listing) = site(Lang::Ja);
    let by = |p: &str| {
        listing
            .products
            .iter()
            .find(|x| x.product == p)
            .unwrap_or_else(|| panic!("{p} listed: {listing:?}"))
    };
    let all = ["D1", "D2", "D3", "D4", "D5", "D6", "D7"];
    assert_eq!(by("cpcert reference").patterns, all);
    assert!(by("cpcert reference").complete);
    // date-invalid writes a wrong 作成年月日 in UP1KYO: the 計画書 pattern, and only it, breaks.
    assert_eq!(
        by("cpcert reference [fault: date-invalid]").patterns,
        all[1..]
    );
    assert_eq!(listing.products.len(), 2);
    assert_eq!(listing.rejected.len(), 1);
    assert_eq!(listing.rejected[0].bundle, "tampered.cpcert");
    let (en, _) = site(Lang::En);
    let index = std::fs::read_to_string(en.path().join("index.html")).unwrap();
    assert!(index.contains("certified products") && !index.contains("合格製品一覧"));
    let log = std::fs::read_to_string(dir.path().join("publish.log")).unwrap();
    assert!(log.contains("不掲載 tampered.cpcert"), "{log}");
    // Offline: no external URL anywhere in the site.
    for entry in walk(dir.path()) {
        // The SVG namespace is a name, not a fetched address.
        let text = std::fs::read_to_string(&entry)
            .unwrap_or_default()
            .replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
        assert!(
            !text.contains("https://") && !text.contains("http://"),
            "{}",
            entry.display()
        );
    }
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        if e.path().is_dir() {
            out.extend(walk(&e.path()));
        } else {
            out.push(e.path());
        }
    }
    out
}

#[test]
fn listing_schema_is_current() {
    check("listing.schema.json", schema_json());
}

#[test]
fn bundle_schemas_are_current() {
    let pretty = |s: schemars::Schema| format!("{}\n", serde_json::to_string_pretty(&s).unwrap());
    use cpcert_evidence::keys::SignatureFile;
    use cpcert_evidence::manifest::{Manifest, SuiteIndex};
    check(
        "bundle-manifest.schema.json",
        pretty(schemars::schema_for!(Manifest)),
    );
    check(
        "bundle-suite.schema.json",
        pretty(schemars::schema_for!(SuiteIndex)),
    );
    check(
        "bundle-signature.schema.json",
        pretty(schemars::schema_for!(SignatureFile)),
    );
}

/// Compares a committed schema under docs/schema/ (`UPDATE_SCHEMA=1` rewrites it).
fn check(name: &str, text: String) {
    let path = suite().join("docs/schema").join(name);
    if std::env::var("UPDATE_SCHEMA").as_deref() == Ok("1") {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &text).unwrap();
        return;
    }
    assert!(
        std::fs::read_to_string(&path).unwrap_or_default() == text,
        "{} is stale: run `UPDATE_SCHEMA=1 cargo test -p cpcert-evidence --test site schema`",
        path.display()
    );
}

/// Chromium with the team's flags and a fresh profile (`cpcert-browser`); `url` last.
fn browse(chromium: &Chromium, args: &[&str], url: &str) -> String {
    let mut all = args.to_vec();
    all.push(url);
    chromium.run(&all)
}

/// The rows of the listing table as a person sees them: (product, [(pattern, mark)]).
fn rows(dom: &str) -> Vec<(String, Vec<(String, String)>)> {
    let body = &dom[dom.find("<tbody>").expect("listing body")..];
    body.split("<tr data-product=")
        .skip(1)
        .map(|row| {
            let product = row
                .split("<a href=")
                .nth(1)
                .and_then(|a| a.split('>').nth(1))
                .and_then(|t| t.split('<').next())
                .unwrap_or_default()
                .to_owned();
            let marks = row
                .split("data-pattern=\"")
                .skip(1)
                .map(|c| {
                    let id = c[..c.find('"').unwrap()].to_owned();
                    let mark = c[c.find('>').unwrap() + 1..c.find('<').unwrap()].to_owned();
                    (id, mark)
                })
                .collect();
            (product, marks)
        })
        .collect()
}

#[test]
fn a_person_sees_the_rows_and_marks_in_a_browser() {
    let Some(chromium) = Chromium::find("the site browser test") else {
        return;
    };
    let (dir, listing) = site(Lang::Ja);
    let index = format!("file://{}/index.html", dir.path().display());
    let dom = browse(&chromium, &["--dump-dom"], &index);
    assert!(dom.contains("合格製品一覧"), "{dom}");
    let rows = rows(&dom);
    assert_eq!(rows.len(), 2, "{rows:?}");
    let (reference, faulty) = (&rows[0], &rows[1]);
    assert_eq!(reference.0, "cpcert reference");
    assert!(reference.1.iter().all(|(_, m)| m == "○"), "{reference:?}");
    assert_eq!(reference.1.len(), 7);
    assert_eq!(faulty.0, "cpcert reference [fault: date-invalid]");
    assert_eq!(faulty.1[0], ("D1".to_owned(), "－".to_owned()));
    assert!(faulty.1[1..].iter().all(|(_, m)| m == "○"), "{faulty:?}");
    // The faulty product's page names the cases that block D1.
    let page = &listing.products[1].page;
    let dom = browse(
        &chromium,
        &["--dump-dom"],
        &format!("file://{}/{page}", dir.path().display()),
    );
    let d1 = &dom[dom.find("<tr data-pattern=\"D1\"").expect("D1 row")..];
    let d1 = &d1[..d1.find("</tr>").unwrap()];
    assert!(
        d1.contains("not-done") && d1.contains("export::planner::minimal"),
        "{d1}"
    );
    // Screenshots for a person to look at (target/tmp), on a desktop and a phone width.
    let shots = Path::new(env!("CARGO_TARGET_TMPDIR"));
    for (name, url, size) in [
        ("site-index.png", index.clone(), "1400,700"),
        (
            "site-product-phone.png",
            format!("file://{}/{page}", dir.path().display()),
            "390,844",
        ),
    ] {
        let shot = shots.join(name);
        let _ = std::fs::remove_file(&shot);
        browse(
            &chromium,
            &[
                &format!("--screenshot={}", shot.display()),
                &format!("--window-size={size}"),
            ],
            &url,
        );
        let png = std::fs::read(&shot).expect("a screenshot");
        assert!(png.starts_with(b"\x89PNG") && png.len() > 10_000, "{name}");
    }
}
