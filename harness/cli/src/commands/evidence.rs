//! `cpcert keygen`, `cpcert verify` and the bundle `certify` writes.

use std::path::{Path, PathBuf};

use cpcert_checks::Lang;
use cpcert_evidence::bundle::{BUNDLE_FILE, BundleInput, build};
use cpcert_evidence::keys::{PrivateKey, PublicKey};
use cpcert_evidence::manifest::SuiteIndex;
use cpcert_evidence::verify::{VerifyOptions, verify_bytes};
use cpcert_report::{Results, write_atomic};
use cpcert_runner::Certification;

use super::anyhow_lite::Result;
use crate::args::{KeygenArgs, MergeArgs, PublishArgs, VerifyArgs};
use crate::exit_codes;

pub(crate) fn read_private_key(path: &Path) -> Result<PrivateKey> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read key `{}`: {e}", path.display()))?;
    Ok(PrivateKey::from_text(&text).map_err(|e| format!("`{}`: {e}", path.display()))?)
}

pub(crate) fn read_public_key(path: &Path) -> Result<PublicKey> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read key `{}`: {e}", path.display()))?;
    Ok(PublicKey::from_text(&text).map_err(|e| format!("`{}`: {e}", path.display()))?)
}

/// Writes `<out>/bundle.cpcert` from the run's results and evidence folder; returns its path.
pub(crate) fn write_bundle(
    certification: &Certification,
    out: &Path,
    results: &Results,
    mask: bool,
    key: Option<&PrivateKey>,
) -> Result<PathBuf> {
    let vendor = match certification.vendor_file() {
        None => None,
        Some(path) => {
            let bytes = std::fs::read(path)
                .map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            Some((name, bytes))
        }
    };
    let masked;
    let results = if mask {
        masked = results.masked();
        &masked
    } else {
        results
    };
    let bytes = build(&BundleInput {
        results,
        evidence_dir: &out.join("evidence"),
        suite: certification.suite(),
        vendor: vendor.as_ref().map(|(n, b)| (n.as_str(), b.as_slice())),
        mask,
        challenge: results.selection.as_ref().and_then(|s| s.challenge.clone()),
        key,
    })?;
    let path = out.join(BUNDLE_FILE);
    write_atomic(&path, &bytes)?;
    Ok(path)
}

pub(crate) fn keygen(args: &KeygenArgs, lang: Lang) -> Result<u8> {
    let public_path = PathBuf::from(format!("{}.pub", args.out.display()));
    for p in [&args.out, &public_path] {
        if p.exists() {
            return Err(format!("`{}` exists: keygen never overwrites a key", p.display()).into());
        }
    }
    let key = PrivateKey::generate()?;
    write_private(&args.out, key.to_text().as_bytes())?;
    write_atomic(&public_path, key.public().to_text().as_bytes())?;
    match lang {
        Lang::Ja => println!(
            "秘密鍵: {}\n公開鍵: {}（認定機関に渡すのはこちら）",
            args.out.display(),
            public_path.display()
        ),
        Lang::En => println!(
            "private key: {}\npublic key: {} (the one to give the certifying body)",
            args.out.display(),
            public_path.display()
        ),
    }
    Ok(exit_codes::OK)
}

#[cfg(unix)]
fn write_private(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write as _;
    use std::os::unix::fs::OpenOptionsExt as _;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .map_err(|e| format!("cannot create `{}`: {e}", path.display()))?;
    f.write_all(bytes)?;
    Ok(())
}

#[cfg(not(unix))]
fn write_private(path: &Path, bytes: &[u8]) -> Result<()> {
    write_atomic(path, bytes)?;
    Ok(())
}

/// The suite bundles are checked against: the one given, else the one found from the current
/// folder, else none.
fn local_suite(given: Option<&Path>) -> Option<SuiteIndex> {
    let dir = match given {
        Some(p) => Some(p.to_owned()),
        None => std::env::current_dir()
            .ok()
            .and_then(|cwd| cpcert_runner::find_suite(&cwd)),
    };
    dir.map(|dir| {
        let ids = cpcert_runner::suite_cases(&dir)
            .map(|cs| cs.into_iter().map(|c| c.id).collect())
            .unwrap_or_default();
        SuiteIndex::of(&dir, None, ids)
    })
}

pub(crate) fn verify(args: &VerifyArgs, lang: Lang) -> Result<u8> {
    let key = args.key.as_deref().map(read_public_key).transpose()?;
    let suite = local_suite(args.suite.as_deref());
    let opts = VerifyOptions {
        key: key.as_ref(),
        suite: suite.as_ref(),
    };
    let mut all_hold = true;
    for path in &args.bundles {
        let v = match std::fs::read(path) {
            Ok(bytes) => verify_bytes(&bytes, &opts),
            Err(e) => {
                return Err(format!("cannot read `{}`: {e}", path.display()).into());
            }
        };
        all_hold &= v.holds();
        print_verification(path, &v, lang);
    }
    Ok(if all_hold {
        exit_codes::OK
    } else {
        exit_codes::FAILED
    })
}

fn print_verification(path: &Path, v: &cpcert_evidence::verify::Verification, lang: Lang) {
    let name = path.display();
    let signer = v.signer.as_deref().map(|s| &s[..16]);
    if v.holds() {
        match lang {
            Lang::Ja => {
                println!(
                    "{name}: 検証成功 — {} ケース中 {} ケースを証拠から再判定、結果と一致{}{}",
                    v.cases,
                    v.rejudged,
                    if v.masked > 0 {
                        format!("（マスク済みで再判定できないもの {} ケース）", v.masked)
                    } else {
                        String::new()
                    },
                    signer.map(|s| format!("、署名者 {s}…")).unwrap_or_default()
                );
            }
            Lang::En => {
                println!(
                    "{name}: holds — {} of {} cases re-judged from the evidence, all agree{}{}",
                    v.rejudged,
                    v.cases,
                    if v.masked > 0 {
                        format!(
                            " ({} masked cases declared by hash, not re-judged)",
                            v.masked
                        )
                    } else {
                        String::new()
                    },
                    signer
                        .map(|s| format!("; signed by {s}…"))
                        .unwrap_or_default()
                );
            }
        }
    } else {
        match lang {
            Lang::Ja => println!("{name}: 検証失敗 — {} 件の不一致", v.problems.len()),
            Lang::En => println!("{name}: does not hold — {} disagreements", v.problems.len()),
        }
        for p in &v.problems {
            println!("  {}", p.text(lang));
        }
    }
}

pub(crate) fn merge(args: &MergeArgs, lang: Lang) -> Result<u8> {
    let key = args.sign.as_deref().map(read_private_key).transpose()?;
    let mut bundles = Vec::new();
    for path in &args.bundles {
        let bundle = cpcert_evidence::bundle::Bundle::open(path)
            .map_err(|e| format!("`{}`: {e}", path.display()))?;
        bundles.push((path.display().to_string(), bundle));
    }
    let bytes = cpcert_evidence::merge::merge(&bundles, key.as_ref())?;
    write_atomic(&args.out, &bytes)?;
    match lang {
        Lang::Ja => println!(
            "{} 個のバンドルを結合しました: {}",
            bundles.len(),
            args.out.display()
        ),
        Lang::En => println!("merged {} bundles: {}", bundles.len(), args.out.display()),
    }
    Ok(exit_codes::OK)
}

pub(crate) fn publish(args: &PublishArgs, lang: Lang) -> Result<u8> {
    use cpcert_evidence::publish::{PublishInput, publish};
    let key = args.sign.as_deref().map(read_private_key).transpose()?;
    let suite = local_suite(args.suite.as_deref());
    let mut bundles = Vec::new();
    for path in &args.bundles {
        let bytes =
            std::fs::read(path).map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
        bundles.push((path.display().to_string(), bytes));
    }
    let site = publish(&PublishInput {
        bundles,
        lang,
        key: key.as_ref(),
        suite: suite.as_ref(),
    })?;
    for (rel, bytes) in &site.files {
        let path = args.out.join(rel);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|e| format!("cannot create `{}`: {e}", dir.display()))?;
        }
        write_atomic(&path, bytes)?;
    }
    for r in &site.listing.rejected {
        match lang {
            Lang::Ja => eprintln!("不掲載: {} — {}", r.bundle, r.reasons.join(" / ")),
            Lang::En => eprintln!("not published: {} — {}", r.bundle, r.reasons.join(" / ")),
        }
    }
    match lang {
        Lang::Ja => println!(
            "サイト: {}（掲載 {} 製品、不掲載 {} バンドル）",
            args.out.join("index.html").display(),
            site.listing.products.len(),
            site.listing.rejected.len()
        ),
        Lang::En => println!(
            "site: {} ({} products published, {} bundles not published)",
            args.out.join("index.html").display(),
            site.listing.products.len(),
            site.listing.rejected.len()
        ),
    }
    Ok(if site.listing.rejected.is_empty() {
        exit_codes::OK
    } else {
        exit_codes::FAILED
    })
}
