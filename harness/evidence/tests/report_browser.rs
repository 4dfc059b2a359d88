//! What a person sees of the tolerance cases in the certification report, in real headless
//! Chromium: their own section with their own count, one row per case naming its import case
//! and the permitted writing of its input, each linked to its detail section; the main case
//! table without them. Japanese by default, English with `--lang en`.
//!
//! Skips with a loud message when Chromium is absent, unless `CPCERT_REQUIRE_CHROMIUM=1`.

mod common;

use cpcert_browser::Chromium;
use cpcert_checks::Lang;

#[test]
fn a_person_sees_the_tolerance_cases_as_their_own_group() {
    let Some(chromium) = Chromium::find("the tolerance section browser test") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let results = common::certify(
        cpcert_runner::CertifyRequest {
            filters: vec!["provider::minimal-from-planner".to_owned()],
            ..cpcert_runner::CertifyRequest::default()
        },
        &out,
    );
    let tolerance: Vec<_> = results
        .outcomes
        .iter()
        .filter(|o| o.is_tolerance())
        .collect();
    assert!(tolerance.len() >= 5, "{}", tolerance.len());
    for (lang, heading, count) in [
        (Lang::Ja, "許容される書き方の取込（tolerance）", "合格"),
        (
            Lang::En,
            "Tolerance: inputs written in a permitted way",
            "pass",
        ),
    ] {
        let page = dir.path().join(format!("{lang:?}"));
        cpcert_runner::write_reports(&page, &results, lang, false).unwrap();
        let dom = chromium.dump_dom(&page.join("index.html"), &[]);
        let section = dom
            .split("<section id=\"tolerance\">")
            .nth(1)
            .expect("the tolerance section is in the page");
        let section = &section[..section.find("</section>").unwrap()];
        assert!(section.contains(heading), "{section}");
        assert!(section.contains(count), "{section}");
        for o in &tolerance {
            let variant = o.tolerance.as_deref().unwrap();
            let row = section
                .split("<tr>")
                .find(|r| r.contains(&format!("href=\"#{}\"", o.case)))
                .unwrap_or_else(|| panic!("{}: no row", o.case));
            assert!(
                row.contains("import::provider::minimal-from-planner"),
                "{row}"
            );
            assert!(row.contains(&format!(">{variant}<")), "{row}");
            // The link leads to the case's own section.
            assert!(dom.contains(&format!("id=\"{}\"", o.case)), "{}", o.case);
        }
        let main = dom.split("<table class=\"grid cases\">").nth(1).unwrap();
        let main = &main[..main.find("</table>").unwrap()];
        assert!(main.contains("import::provider::minimal-from-planner"));
        assert!(!main.contains("tolerance::"), "{main}");
    }
}
