//! Running the exchanges: the senders' files made once per (sender, case), then imported by
//! every receiver and judged.

use std::collections::BTreeMap;
use std::path::Path;

use cpcert_adapters::{Adapter, ExportRequest, ImportAnswer, ProductInfo};
use cpcert_checks::{Lang, Msg};
use cpcert_report::interop::{
    Blame, INTEROP_SCHEMA_VERSION, InteropOutcome, InteropResults, Party, PatternRef, Why,
};
use cpcert_report::results::sha256_hex;
use cpcert_report::{Outcome, Run, Suite, Tool, Verdict};
use cpcert_runner::{
    Case, CaseFile, CaseFiles, Stop, adapter_msg, error_outcome, expected_answer, import_answer,
    judge, not_applicable, reference_files, suite_msg,
};
use cpcert_scenario::Scenario;
use cpcert_scenario::reference::ExportedFile;
use cpcert_spec::{Direction, NotKept, Role, Spec};
use rayon::prelude::*;

use crate::Interop;
use crate::party::{Described, SenderSource};

/// A party once started: what it said of itself, or why it could not start.
struct Started {
    party: Party,
    info: Result<ProductInfo, Msg>,
}

fn start(about: &Described, adapter: &dyn Adapter) -> Started {
    let info = adapter.start().map_err(|e| adapter_msg(&e));
    let (name, version, roles) = match &info {
        Ok(i) => (i.name.clone(), i.version.clone(), i.roles.clone()),
        Err(_) => ("(not started)".to_owned(), String::new(), Vec::new()),
    };
    Started {
        party: party(about, name, version, roles),
        info,
    }
}

fn party(about: &Described, name: String, version: String, roles: Vec<Role>) -> Party {
    Party {
        id: about.id.clone(),
        kind: about.kind,
        name,
        version,
        roles,
        fault: about.fault.clone(),
        fault_title: about.fault_title.clone(),
        variant: about.variant.clone(),
        variant_title: about.variant_title.clone(),
        source: about.source.clone(),
    }
}

/// What a sender made of one import case's scenario.
enum Sent {
    /// The sender does not claim the case's sender role.
    NotClaimed,
    /// The files could not be had (infrastructure, a bundle without them, a broken suite): why,
    /// and the detail (a product's or the suite's own message).
    NotRun(Why, Option<Msg>),
    /// The sender product refused to export: its failure.
    Refused { text: Msg, check: Outcome },
    /// The files, the sender check, and what the receiver should hold.
    Files {
        files: Vec<ExportedFile>,
        check: Outcome,
        expected: Vec<ExportedFile>,
    },
}

/// The scenarios of the selected cases: parsed, with their bytes (a bundle's must be the same).
type Scenarios = BTreeMap<String, Result<(Scenario, Vec<u8>), String>>;

fn load_scenarios(i: &Interop) -> Scenarios {
    let mut out = Scenarios::new();
    for c in &i.cases {
        out.entry(c.file.scenario.clone()).or_insert_with(|| {
            let path = i
                .suite
                .join("cases/scenarios")
                .join(format!("{}.yaml", c.file.scenario));
            let bytes = cpcert_spec::read_regular_file(&path, cpcert_spec::MAX_TEXT_FILE_BYTES)
                .map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
            let scenario = cpcert_scenario::load_scenario(&path).map_err(|e| e.to_string())?;
            Ok((scenario, bytes))
        });
    }
    out
}

fn sender_role(c: &Case) -> Role {
    c.file.sender.unwrap_or(c.file.role.default_sender())
}

/// The suite's export case of the import case's scenario in the sender's role (what certify
/// judges that export by); one made to the same effect when the suite has none.
fn export_case(all: &[Case], c: &Case) -> Case {
    let role = sender_role(c);
    if let Some(e) = all.iter().find(|e| {
        e.file.direction == Direction::Export
            && e.file.role == role
            && e.file.scenario == c.file.scenario
    }) {
        return e.clone();
    }
    let rel = format!("export/{}/{}", role.id(), c.file.scenario);
    Case::new(
        rel.replace('/', "::"),
        rel,
        CaseFile {
            title: format!("{} ({})", c.file.scenario, role.id()),
            spec_place: "本文 §2.2/§3.2 出力".to_owned(),
            role,
            direction: Direction::Export,
            scenario: c.file.scenario.clone(),
            sender: None,
            office: None,
            timestamp: c.file.timestamp.clone(),
            tags: Vec::new(),
        },
        Vec::new(),
    )
}

/// The sender's files for case `c`, judged as its export.
fn send(
    i: &Interop,
    spec: &Spec,
    source: &SenderSource,
    started: &Started,
    c: &Case,
    scenarios: &Scenarios,
) -> Sent {
    let role = sender_role(c);
    let roles = match (source, &started.info) {
        (_, Err(e)) => return Sent::NotRun(Why::SenderNotStarted, Some(e.clone())),
        (_, Ok(info)) => &info.roles,
    };
    if !roles.contains(&role) {
        return Sent::NotClaimed;
    }
    let (scenario, bytes) = match scenarios.get(&c.file.scenario) {
        Some(Ok(s)) => s,
        Some(Err(e)) => return Sent::NotRun(Why::Suite, Some(suite_msg(e.clone()))),
        None => {
            let text = format!("scenario `{}` not loaded", c.file.scenario);
            return Sent::NotRun(Why::Suite, Some(suite_msg(text)));
        }
    };
    let export = export_case(&i.all, c);
    // A challenged certification exported the seed's own data: that is what it meant.
    let meant = match source {
        SenderSource::Bundle(b) => match b.challenge() {
            Some(seed) => cpcert_scenario::challenge::Challenge::new(seed).scenario(scenario),
            None => scenario.clone(),
        },
        SenderSource::Product(_) => scenario.clone(),
    };
    let expected = match reference_files(c, &meant, c.file.office.as_deref()) {
        Ok(f) => f.expected,
        Err(e) => return Sent::NotRun(Why::Suite, Some(suite_msg(e))),
    };
    let canonical = match reference_files(&export, &meant, None) {
        Ok(f) => f.expected,
        Err(e) => return Sent::NotRun(Why::Suite, Some(suite_msg(e))),
    };
    let files = match source {
        SenderSource::Bundle(b) => match b.files(&export, bytes) {
            Ok(files) => files,
            Err(why) => return Sent::NotRun(why, None),
        },
        SenderSource::Product(adapter) => match export_through(adapter.as_ref(), scenario, role, c)
        {
            Ok(files) => files,
            Err(Stop::Product(text)) => {
                let mut check = judge(
                    &export,
                    spec,
                    &CaseFiles {
                        expected: canonical,
                        ..CaseFiles::default()
                    },
                );
                check.verdict = Verdict::Fail;
                check.set_error(&text);
                return Sent::Refused { text, check };
            }
            Err(other) => {
                return Sent::NotRun(Why::SenderCouldNotExport, Some(other.msg().clone()));
            }
        },
    };
    let check = judge(
        &export,
        spec,
        &CaseFiles {
            sent: Vec::new(),
            received: files.clone(),
            expected: canonical,
        },
    );
    let expected = if check.verdict == Verdict::Pass {
        meant_answer(spec, c, expected, &files)
    } else {
        expected
    };
    Sent::Files {
        files,
        check,
        expected,
    }
}

/// What the receiver should hold of files whose sender check passed. The comparison policy's
/// volatile fields (作成年月日: the day the sender made the file) are the writer's own, so what
/// the sender meant by them is what it wrote, not the canonical input's value: the expected
/// answer is then the reference's reading of the sender's own files — provided that reading is
/// the canonical answer in every other field (`compare_held` with only the volatile fields left
/// out). Otherwise the canonical answer stays, and its differences show.
fn meant_answer(
    spec: &Spec,
    c: &Case,
    canonical: Vec<ExportedFile>,
    files: &[ExportedFile],
) -> Vec<ExportedFile> {
    let version = cpcert_spec::CURRENT_LAYOUT_VERSION;
    let parse = |f: &ExportedFile| serde_json::from_slice::<ImportAnswer>(&f.bytes).ok();
    let (Some(canon), Ok(own)) = (canonical.first().and_then(parse), expected_answer(c, files))
    else {
        return canonical;
    };
    let Some(read) = parse(&own) else {
        return canonical;
    };
    let mut volatile = NotKept::default();
    for kind in canon.held.0.keys().chain(read.held.0.keys()) {
        if let Some(layout) = spec.layout(version, kind) {
            let fields = &layout.compare.volatile;
            if !fields.is_empty() {
                volatile.0.insert(kind.clone(), fields.clone());
            }
        }
    }
    if cpcert_checks::compare_held(spec, version, &canon.held, &read.held, &volatile).passed() {
        vec![own]
    } else {
        canonical
    }
}

/// A product's export of the case's scenario in the sender's role, as certify asks for it.
fn export_through(
    adapter: &dyn Adapter,
    scenario: &Scenario,
    role: Role,
    c: &Case,
) -> Result<Vec<ExportedFile>, Stop> {
    let work = adapter
        .case_dir()
        .map_err(|e| Stop::Infra(adapter_msg(&e)))?;
    let req = ExportRequest {
        scenario: scenario.clone(),
        role,
        sandbox: work.sandbox().to_path_buf(),
        timestamp: c.file.timestamp.clone(),
    };
    let result = adapter.export(&req).map_err(|e| {
        if e.is_infrastructure() {
            Stop::Infra(adapter_msg(&e))
        } else {
            Stop::Product(adapter_msg(&e))
        }
    })?;
    let mut files: Vec<ExportedFile> = result
        .files
        .into_iter()
        .map(|f| ExportedFile {
            name: f.name,
            bytes: f.bytes,
        })
        .collect();
    files.sort();
    Ok(files)
}

/// An exchange judged.
struct Judged {
    outcome: Outcome,
    check: Option<Outcome>,
    blame: Option<Blame>,
    why: Option<Why>,
    /// What the verdict rests on (kept as evidence).
    files: CaseFiles,
}

impl Judged {
    fn plain(outcome: Outcome) -> Judged {
        Judged {
            outcome,
            check: None,
            blame: None,
            why: None,
            files: CaseFiles::default(),
        }
    }

    /// Not run: `error` is the detail, or the reason.
    fn not_run(c: &Case, why: Why, detail: Option<&Msg>) -> Judged {
        let msg = detail
            .cloned()
            .unwrap_or_else(|| Msg::new(why.text(Lang::Ja), why.text(Lang::En)));
        Judged {
            why: Some(why),
            ..Judged::plain(error_outcome(c, &msg))
        }
    }
}

/// One exchange: the receiver imports what the sender sent, judged against what it meant.
fn exchange(
    spec: &Spec,
    c: &Case,
    sent: &Sent,
    adapter: &dyn Adapter,
    receiver: &Started,
) -> Judged {
    let info = match &receiver.info {
        Err(e) => return Judged::not_run(c, Why::ReceiverNotStarted, Some(e)),
        Ok(info) => info,
    };
    if !info.roles.contains(&c.file.role) {
        return Judged::plain(not_applicable(c));
    }
    let (files, check, expected) = match sent {
        Sent::NotClaimed => return Judged::plain(not_applicable(c)),
        Sent::NotRun(why, detail) => return Judged::not_run(c, why.clone(), detail.as_ref()),
        Sent::Refused { text, check } => {
            let mut outcome = error_outcome(c, text);
            outcome.verdict = Verdict::Fail;
            return Judged {
                outcome,
                check: Some(check.clone()),
                blame: Some(Blame::Sender),
                why: Some(Why::SenderRefused),
                files: CaseFiles::default(),
            };
        }
        Sent::Files {
            files,
            check,
            expected,
        } => (files, check, expected),
    };
    let received = receiver_answer(adapter, info, c, files);
    let (mut outcome, evidence) =
        judge_import(spec, c, files, received.as_ref().ok().cloned(), expected);
    let why = match received {
        Ok(_) => None,
        Err(Stop::Product(text)) => {
            outcome.verdict = Verdict::Fail;
            outcome.set_error(&text);
            Some(Why::ReceiverRefused)
        }
        Err(other) => {
            outcome.verdict = Verdict::Error;
            outcome.set_error(other.msg());
            Some(Why::ReceiverCouldNotImport)
        }
    };
    let sender_failed = check.verdict == Verdict::Fail;
    let blame = match outcome.verdict {
        Verdict::Error | Verdict::NotApplicable => None,
        _ if sender_failed => {
            outcome.verdict = Verdict::Fail;
            Some(Blame::Sender)
        }
        Verdict::Fail => Some(Blame::Receiver),
        Verdict::Pass => None,
    };
    Judged {
        outcome,
        check: Some(check.clone()),
        blame,
        why,
        files: evidence,
    }
}

fn judge_import(
    spec: &Spec,
    c: &Case,
    sent: &[ExportedFile],
    answer: Option<ExportedFile>,
    expected: &[ExportedFile],
) -> (Outcome, CaseFiles) {
    let files = CaseFiles {
        sent: sent.to_vec(),
        received: answer.into_iter().collect(),
        expected: expected.to_vec(),
    };
    (cpcert_runner::judge(c, spec, &files), files)
}

fn receiver_answer(
    adapter: &dyn Adapter,
    info: &ProductInfo,
    c: &Case,
    files: &[ExportedFile],
) -> Result<ExportedFile, Stop> {
    let work = adapter
        .case_dir()
        .map_err(|e| Stop::Infra(adapter_msg(&e)))?;
    import_answer(adapter, info, work.sandbox(), c, sender_role(c), files)
}

/// The listing patterns as the matrix shows them, and which of them each case belongs to.
fn pattern_refs() -> (
    Vec<PatternRef>,
    Vec<cpcert_evidence::publish::patterns::Pattern>,
) {
    let patterns = cpcert_evidence::publish::patterns::patterns().unwrap_or_default();
    let refs = patterns
        .iter()
        .map(|p| {
            let mut kinds: Vec<String> = p
                .rows
                .iter()
                .flat_map(|r| r.kinds.iter().cloned())
                .collect();
            kinds.sort();
            kinds.dedup();
            PatternRef {
                id: p.id.clone(),
                name_ja: p.name_ja.clone(),
                name_en: p.name_en.clone(),
                kinds,
            }
        })
        .collect();
    (refs, patterns)
}

fn patterns_of(c: &Case, patterns: &[cpcert_evidence::publish::patterns::Pattern]) -> Vec<String> {
    patterns
        .iter()
        .filter(|p| {
            p.rows.iter().any(|r| {
                r.direction == Direction::Import
                    && r.role == c.file.role
                    && r.sender.is_none_or(|s| s == sender_role(c))
                    && c.kinds.iter().any(|k| r.kinds.contains(k))
            })
        })
        .map(|p| p.id.clone())
        .collect()
}

pub(crate) fn run(
    i: &Interop,
    on_done: &(dyn Fn() + Sync),
    evidence: Option<&Path>,
) -> InteropResults {
    let spec = Spec::embedded();
    let (pattern_list, patterns) = pattern_refs();
    let senders: Vec<Started> = i
        .senders
        .iter()
        .map(|s| match &s.source {
            SenderSource::Product(a) => start(&s.about, a.as_ref()),
            SenderSource::Bundle(b) => {
                let p = &b.results().product;
                let info = ProductInfo {
                    name: p.name.clone(),
                    version: p.version.clone(),
                    roles: p.roles.clone(),
                    kinds: Vec::new(),
                    layout_versions: Vec::new(),
                    not_kept: Default::default(),
                };
                Started {
                    party: party(
                        &s.about,
                        info.name.clone(),
                        info.version.clone(),
                        info.roles.clone(),
                    ),
                    info: Ok(info),
                }
            }
        })
        .collect();
    let receivers: Vec<Started> = i
        .receivers
        .iter()
        .map(|r| start(&r.about, r.adapter.as_ref()))
        .collect();
    let scenarios = load_scenarios(i);
    // The evidence folder itself is the caller's (a fresh staging folder), created as given;
    // below it no link is followed.
    let evidence = evidence.filter(|root| std::fs::create_dir_all(root).is_ok());
    // The senders' files, once per (sender, case).
    let jobs: Vec<(usize, usize)> = (0..i.senders.len())
        .flat_map(|s| (0..i.cases.len()).map(move |c| (s, c)))
        .collect();
    let sent: Vec<Sent> = jobs
        .par_iter()
        .map(|&(s, c)| {
            send(
                i,
                spec,
                &i.senders[s].source,
                &senders[s],
                &i.cases[c],
                &scenarios,
            )
        })
        .collect();
    let case_patterns: Vec<Vec<String>> =
        i.cases.iter().map(|c| patterns_of(c, &patterns)).collect();
    let exchanges: Vec<(usize, usize, usize)> = (0..i.senders.len())
        .flat_map(|s| {
            (0..i.receivers.len()).flat_map(move |r| (0..i.cases.len()).map(move |c| (s, r, c)))
        })
        .collect();
    let ncases = i.cases.len();
    let outcomes: Vec<InteropOutcome> = exchanges
        .par_iter()
        .map(|&(s, r, c)| {
            let case = &i.cases[c];
            let judged = exchange(
                spec,
                case,
                &sent[s * ncases + c],
                i.receivers[r].adapter.as_ref(),
                &receivers[r],
            );
            if let Some(root) = evidence {
                let pair = cpcert_report::interop::pair_folder(
                    &i.senders[s].about.id,
                    &i.receivers[r].about.id,
                );
                judged.files.keep(root, &Path::new(&pair).join(&case.rel));
            }
            on_done();
            InteropOutcome {
                sender: i.senders[s].about.id.clone(),
                receiver: i.receivers[r].about.id.clone(),
                sender_role: sender_role(case),
                patterns: case_patterns[c].clone(),
                blame: judged.blame,
                why: judged.why,
                outcome: judged.outcome,
                sender_check: judged.check,
            }
        })
        .collect();
    for s in &i.senders {
        if let SenderSource::Product(a) = &s.source {
            a.stop();
        }
    }
    for r in &i.receivers {
        r.adapter.stop();
    }
    let suite_version = cpcert_runner::suite_fingerprint(&i.suite);
    let run_id = i.run_id.clone().unwrap_or_else(|| {
        let ids = |list: &[Started]| {
            list.iter()
                .map(|p| p.party.id.as_str())
                .collect::<Vec<_>>()
                .join(",")
        };
        let cases: Vec<&str> = i.cases.iter().map(|c| c.id.as_str()).collect();
        let seed = format!(
            "interop|{suite_version}|{}|{}|{}",
            ids(&senders),
            ids(&receivers),
            cases.join(",")
        );
        sha256_hex(seed.as_bytes())[..12].to_owned()
    });
    let mut results = InteropResults {
        schema_version: INTEROP_SCHEMA_VERSION,
        tool: Tool {
            name: "cpcert".to_owned(),
            version: env!("CARGO_PKG_VERSION").to_owned(),
        },
        suite: Suite {
            name: "cpcert-suite".to_owned(),
            version: suite_version,
        },
        spec_version: cpcert_spec::CURRENT_LAYOUT_VERSION.to_owned(),
        run: Run {
            id: run_id,
            started: i.started.clone(),
        },
        selection: i.selection.clone(),
        senders: senders.into_iter().map(|s| s.party).collect(),
        receivers: receivers.into_iter().map(|r| r.party).collect(),
        patterns: pattern_list,
        outcomes,
    };
    results.sort();
    results
}
