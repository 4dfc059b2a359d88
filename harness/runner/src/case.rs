//! Test cases: `cases/**/*.yaml` (id = path), loaded and selected.

use std::path::{Path, PathBuf};

use cpcert_scenario::reference::Variant;
use cpcert_spec::{Direction, Requirement, Role};
use serde::{Deserialize, Serialize};

use crate::RunnerError;

/// What a case exercises: the one [`Direction`] type (the old name is kept for callers).
pub type CaseDirection = Direction;

/// One case file (cases/<…>.yaml). Its id is its path: `cases/export/planner/minimal.yaml` →
/// `export::planner::minimal`.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CaseFile {
    /// Title (Japanese).
    pub title: String,
    /// The spec place the case exercises.
    pub spec_place: String,
    /// The product's role in the case.
    pub role: Role,
    /// What the case exercises: `export`, `import` or `roundtrip` (`interop` cases are run by
    /// `cpcert interop`, between two products).
    pub direction: Direction,
    /// Scenario name: cases/scenarios/<name>.yaml.
    pub scenario: String,
    /// The role whose export is the input (import and roundtrip cases).
    #[serde(default)]
    pub sender: Option<Role>,
    /// The office that acts (roundtrip: the サービス事業所 recording 予定 as 実績).
    #[serde(default)]
    pub office: Option<String>,
    /// A 14-digit 連番 the product is asked to use for every file; empty (the default): each
    /// exchange of the scenario keeps its own 連番, so several send units stay apart.
    #[serde(default)]
    pub timestamp: String,
    /// Free tags for selection.
    #[serde(default)]
    pub tags: Vec<String>,
}

/// A loaded case.
#[derive(Debug, Clone)]
pub struct Case {
    /// `export::planner::minimal`.
    pub id: String,
    /// Path relative to cases/ without `.yaml`: `export/planner/minimal`.
    pub rel: String,
    /// The case file.
    pub file: CaseFile,
    /// File kinds the case covers: the kinds of its expected files under golden/ (known
    /// before it runs, for coverage and for the matrix cells of cases that do not run).
    pub kinds: Vec<String>,
    /// ○/△ from spec/<v>/roles.yaml for the case's role, direction and kinds (△ when any of
    /// its kinds is optional for the role); ○ when none of its kinds is in the matrix.
    pub requirement: Requirement,
    /// A tolerance case ([`crate::tolerance`]): the import case whose input is written with
    /// this permitted variant, made on the fly by the reference product; `None` for a case of
    /// cases/.
    pub tolerance: Option<Variant>,
}

impl Case {
    /// A case from its file and kinds; its ○/△ is read from roles.yaml.
    pub fn new(id: String, rel: String, file: CaseFile, kinds: Vec<String>) -> Case {
        let requirement = requirement_of(file.role, file.direction, &kinds);
        Case {
            id,
            rel,
            file,
            kinds,
            requirement,
            tolerance: None,
        }
    }

    /// The case as a reference without an outcome (coverage, cells not run).
    pub fn case_ref(&self) -> cpcert_report::CaseRef {
        cpcert_report::CaseRef {
            case: self.id.clone(),
            role: self.file.role,
            direction: self.file.direction,
            kinds: self.kinds.clone(),
        }
    }
}

/// ○/△ of a case, from roles.yaml only.
pub(crate) fn requirement_of(role: Role, direction: Direction, kinds: &[String]) -> Requirement {
    cpcert_spec::Spec::embedded()
        .roles(cpcert_spec::CURRENT_LAYOUT_VERSION)
        .and_then(|m| m.case_requirement(role, direction, kinds.iter().map(String::as_str)))
        .unwrap_or(Requirement::Required)
}

/// The kinds of the files under a case's golden folder (and its in/ and out/).
fn golden_kinds(suite: &Path, rel: &str) -> Vec<String> {
    let spec = cpcert_spec::Spec::embedded();
    let base = suite.join("golden").join(rel);
    let mut kinds = Vec::new();
    for dir in [base.clone(), base.join("in"), base.join("out")] {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            kinds.extend(cpcert_checks::file_kind(
                &name,
                spec,
                cpcert_spec::CURRENT_LAYOUT_VERSION,
            ));
        }
    }
    kinds.sort();
    kinds.dedup();
    kinds
}

/// Folders under cases/ that hold data other than cases.
const NOT_CASES: &[&str] = &["scenarios", "vendors", "faults", "variants", "schema"];

/// Loads every case under `suite/cases`, sorted by id.
///
/// # Errors
/// A case file that cannot be read or parsed.
pub fn load_cases(suite: &Path) -> Result<Vec<Case>, RunnerError> {
    let root = suite.join("cases");
    let mut files = Vec::new();
    walk(&root, &root, &mut files)?;
    let mut cases = Vec::new();
    for path in files {
        let rel = path
            .strip_prefix(&root)
            .expect("walked under root")
            .with_extension("");
        let rel = rel.to_string_lossy().replace('\\', "/");
        let text = cpcert_spec::read_text_file(&path, cpcert_spec::MAX_TEXT_FILE_BYTES).map_err(
            |source| RunnerError::Io {
                path: path.clone(),
                source,
            },
        )?;
        let file: CaseFile = serde_saphyr::from_str(&text).map_err(|e| RunnerError::Case {
            path: path.clone(),
            message: e.to_string(),
        })?;
        let kinds = golden_kinds(suite, &rel);
        cases.push(Case::new(rel.replace('/', "::"), rel, file, kinds));
    }
    cases.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(cases)
}

/// Collects the case files under `dir`. Symbolic links to folders are never followed (a link
/// loop would make the walk endless): such a link is an error naming it, so that no case goes
/// missing silently. A link to a file is read like the file.
fn walk(root: &Path, dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), RunnerError> {
    let io = |source| RunnerError::Io {
        path: dir.to_owned(),
        source,
    };
    let mut entries: Vec<(PathBuf, std::fs::FileType)> = std::fs::read_dir(dir)
        .map_err(io)?
        .map(|e| e.and_then(|e| Ok((e.path(), e.file_type()?))))
        .collect::<Result<_, _>>()
        .map_err(io)?;
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    for (path, file_type) in entries {
        let top = path
            .strip_prefix(root)
            .ok()
            .and_then(|p| p.components().next())
            .map(|c| c.as_os_str().to_string_lossy().into_owned());
        let not_cases = top.as_deref().is_some_and(|t| NOT_CASES.contains(&t));
        if file_type.is_symlink() && !path.metadata().is_ok_and(|m| m.is_file()) {
            if not_cases {
                continue;
            }
            return Err(RunnerError::Case {
                path,
                message: "a symbolic link to a folder (or a broken link) is not followed: \
                          cases must be real files and folders"
                    .into(),
            });
        }
        if file_type.is_dir() {
            if not_cases {
                continue;
            }
            walk(root, &path, out)?;
        } else if path.extension().is_some_and(|e| e == "yaml") && path.parent() != Some(root) {
            out.push(path);
        }
    }
    Ok(())
}

/// Case selection: roles, id filters and a partition.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// Keep only these roles (empty: all).
    pub roles: Vec<Role>,
    /// Keep ids containing any of these (empty: all).
    pub filters: Vec<String>,
    /// Keep one shard.
    pub partition: Option<Partition>,
}

/// `hash:M/N` (stable under adding cases) or `count:M/N` (round robin by sorted id).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Partition {
    /// Shard M of N by a stable hash of the case id.
    Hash {
        /// 1-based shard.
        shard: u64,
        /// Number of shards.
        total: u64,
    },
    /// Shard M of N by position.
    Count {
        /// 1-based shard.
        shard: u64,
        /// Number of shards.
        total: u64,
    },
}

impl Partition {
    /// Parses `hash:M/N` or `count:M/N`.
    ///
    /// # Errors
    /// A text that is not of that form, or M outside 1..=N.
    pub fn parse(text: &str) -> Result<Partition, RunnerError> {
        let bad = || {
            RunnerError::Usage(cpcert_checks::Msg::new(
                format!(
                    "分割 `{text}`: hash:M/N または count:M/N（1 ≤ M ≤ N）の形で指定してください"
                ),
                format!("partition `{text}`: expected hash:M/N or count:M/N with 1 ≤ M ≤ N"),
            ))
        };
        let (kind, rest) = text.split_once(':').ok_or_else(bad)?;
        let (m, n) = rest.split_once('/').ok_or_else(bad)?;
        let (shard, total): (u64, u64) =
            (m.parse().map_err(|_| bad())?, n.parse().map_err(|_| bad())?);
        if shard == 0 || total == 0 || shard > total {
            return Err(bad());
        }
        match kind {
            "hash" => Ok(Partition::Hash { shard, total }),
            "count" => Ok(Partition::Count { shard, total }),
            _ => Err(bad()),
        }
    }
}

impl std::fmt::Display for Partition {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Partition::Hash { shard, total } => write!(f, "hash:{shard}/{total}"),
            Partition::Count { shard, total } => write!(f, "count:{shard}/{total}"),
        }
    }
}

/// FNV-1a: stable across platforms and Rust versions (unlike `DefaultHasher`).
fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

impl Selection {
    /// The selection as results.json records it, for a run of `vendor` (with `fault`).
    pub fn record(&self, vendor: &str, fault: Option<&str>) -> cpcert_report::Selection {
        cpcert_report::Selection {
            vendor: vendor.to_owned(),
            filters: self.filters.clone(),
            roles: self.roles.clone(),
            partition: self.partition.map(|p| p.to_string()),
            fault: fault.map(str::to_owned),
            variant: None,
            challenge: None,
        }
    }

    /// The selected cases, in id order.
    pub fn apply(&self, cases: Vec<Case>) -> Vec<Case> {
        let kept: Vec<Case> = cases
            .into_iter()
            .filter(|c| self.roles.is_empty() || self.roles.contains(&c.file.role))
            .filter(|c| {
                self.filters.is_empty() || self.filters.iter().any(|f| c.id.contains(f.as_str()))
            })
            .collect();
        match self.partition {
            None => kept,
            Some(Partition::Hash { shard, total }) => kept
                .into_iter()
                .filter(|c| fnv1a(&c.id) % total == shard - 1)
                .collect(),
            Some(Partition::Count { shard, total }) => kept
                .into_iter()
                .enumerate()
                .filter(|(i, _)| *i as u64 % total == shard - 1)
                .map(|(_, c)| c)
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A suite folder with one case, `cases/export/one/c.yaml`.
    fn suite_with_one_case() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let case = dir.path().join("cases/export/one");
        std::fs::create_dir_all(&case).unwrap();
        std::fs::write(
            case.join("c.yaml"),
            "title: t\nspec_place: p\nrole: planner\ndirection: export\nscenario: s\n",
        )
        .unwrap();
        dir
    }

    #[cfg(unix)]
    #[test]
    fn a_symlinked_folder_in_cases_is_an_error_not_an_endless_walk() {
        let suite = suite_with_one_case();
        assert_eq!(load_cases(suite.path()).unwrap().len(), 1);
        // A link to its own folder: followed, the walk would never end.
        let link = suite.path().join("cases/export/one/loop");
        std::os::unix::fs::symlink("..", &link).unwrap();
        match load_cases(suite.path()) {
            Err(RunnerError::Case { path, message }) => {
                assert_eq!(path, link);
                assert!(message.contains("symbolic link to a folder"), "{message}");
            }
            other => panic!("{other:?}"),
        }
        // Under a folder that holds no cases, such a link is left alone.
        std::fs::remove_file(&link).unwrap();
        std::fs::create_dir_all(suite.path().join("cases/vendors")).unwrap();
        std::os::unix::fs::symlink("..", suite.path().join("cases/vendors/loop")).unwrap();
        assert_eq!(load_cases(suite.path()).unwrap().len(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn a_case_file_that_is_a_fifo_is_an_error_not_a_hang() {
        let suite = suite_with_one_case();
        let fifo = suite.path().join("cases/export/one/d.yaml");
        assert!(
            std::process::Command::new("mkfifo")
                .arg(&fifo)
                .status()
                .unwrap()
                .success()
        );
        match load_cases(suite.path()) {
            Err(RunnerError::Io { path, source }) => {
                assert_eq!(path, fifo);
                assert_eq!(source.to_string(), "not a regular file (a FIFO)");
            }
            other => panic!("{other:?}"),
        }
        // The suite fingerprint skips it too.
        assert!(crate::suite_fingerprint(suite.path()).starts_with("sha256:"));
    }

    #[test]
    fn partitions_cover_every_case_once() {
        let cases: Vec<Case> = (0..50)
            .map(|i| Case {
                id: format!("export::x::c{i}"),
                rel: String::new(),
                kinds: Vec::new(),
                requirement: Requirement::Required,
                tolerance: None,
                file: serde_saphyr::from_str(
                    "title: t\nspec_place: p\nrole: planner\ndirection: export\nscenario: s\n",
                )
                .unwrap(),
            })
            .collect();
        for kind in ["hash", "count"] {
            let mut seen = Vec::new();
            for m in 1..=4 {
                let sel = Selection {
                    partition: Some(Partition::parse(&format!("{kind}:{m}/4")).unwrap()),
                    ..Selection::default()
                };
                seen.extend(sel.apply(cases.clone()).into_iter().map(|c| c.id));
            }
            seen.sort();
            let mut all: Vec<String> = cases.iter().map(|c| c.id.clone()).collect();
            all.sort();
            assert_eq!(seen, all, "{kind}");
        }
        assert!(Partition::parse("hash:0/4").is_err());
        assert!(Partition::parse("hash:5/4").is_err());
        assert!(Partition::parse("mod:1/4").is_err());
    }

    #[test]
    fn every_case_takes_its_requirement_from_roles_yaml() {
        let suite = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let cases = load_cases(&suite).unwrap();
        let matrix = cpcert_spec::Spec::embedded()
            .roles(cpcert_spec::CURRENT_LAYOUT_VERSION)
            .unwrap();
        let mut optional = Vec::new();
        for case in &cases {
            assert!(!case.kinds.is_empty(), "{}: no golden files", case.id);
            let side = case.file.direction.matrix_side().unwrap();
            let marks: Vec<Requirement> = case
                .kinds
                .iter()
                .filter_map(|k| matrix.requirement(case.file.role, side, k))
                .collect();
            assert!(!marks.is_empty(), "{}: no kind in roles.yaml", case.id);
            let expected = if marks.contains(&Requirement::Optional) {
                Requirement::Optional
            } else {
                Requirement::Required
            };
            assert_eq!(case.requirement, expected, "{}", case.id);
            if case.requirement == Requirement::Optional {
                optional.push(case.id.as_str());
            }
        }
        // roles.yaml: DLTJSK is △ for the provider that exports it.
        assert!(
            optional.contains(&"export::provider::deletions"),
            "{optional:?}"
        );
        assert!(!optional.contains(&"export::planner::minimal"));
    }
}
