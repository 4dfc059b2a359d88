//! The `manual` adapter: a GUI-only product driven by an operator through a folder.
//!
//! Each request gets a folder `<dir>/<NNNN>-<operation>-<role>/` holding `instructions.txt`
//! (Japanese, then English) and the inputs; the harness then polls until the operator has
//! finished:
//!
//! | request  | harness writes                          | operator writes                         |
//! |----------|-----------------------------------------|-----------------------------------------|
//! | export   | `scenario.json`, `forms/` (what to enter, as the standard's forms), `out/` | exported files in `out/`, then `done` |
//! | import   | the files in `in/`, `forms/` (their forms), `checklist.html` + `checklist.json` | `answer.json` (the checklist saved) or `held.json`, then `done` |
//! | reexport | the files in `in/`, `out/`              | exported files in `out/`, then `done`   |
//!
//! A `refused` file (its text = the product's message) reports that the product refused.
//! `request.txt`, written last, identifies the request: a session started again after an
//! interruption reuses the folder of the same request with the operator's work in it.
//! `answer.json` (kept / not kept / different per field) becomes held records and not-kept
//! fields through [`checklist::held_from_checklist`](crate::checklist::held_from_checklist).
//!
//! `held.json` is an [`ImportAnswer`]: `{"held": {KIND: [{"<field No.>": "<value>", …}, …]},
//! "not_kept": {KIND: [<field No.>, …]}}` — the records the product shows after the import, in
//! the layouts' field numbers, and the fields it has no place for. The older `understood.json`
//! (a scenario document) is still read and converted with the reference writer's mapping.

use crate::error::IoContext;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use cpcert_spec::Role;

use crate::checklist;
use crate::sandbox::Sandbox;
use crate::{
    Adapter, AdapterError, ExportRequest, ExportResult, ImportAnswer, ImportRequest, Limit, Limits,
    ProductInfo, ReexportRequest, Scenario, StderrTail,
};

/// The marker an operator creates when the exported files are complete.
pub const DONE: &str = "done";
/// The file an operator creates (with the product's message) when the product refuses.
pub const REFUSED: &str = "refused";
/// What identifies the request a folder was made for (see [`ManualAdapter`]'s resume).
pub const REQUEST: &str = "request.txt";
/// The operator's import answer: what the product holds ([`ImportAnswer`] as JSON).
pub const HELD: &str = "held.json";
/// The older import answer, a scenario document (converted to held records).
pub const UNDERSTOOD: &str = "understood.json";

/// Drives a product by hand; see the module docs.
#[derive(Debug)]
pub struct ManualAdapter {
    name: String,
    dir: PathBuf,
    timeout: Duration,
    poll: Duration,
    limits: Limits,
    next: AtomicU64,
}

impl ManualAdapter {
    /// An adapter that creates request folders under `dir` and waits up to `timeout` for the
    /// operator on each request.
    pub fn new(name: &str, dir: PathBuf, timeout: Duration) -> ManualAdapter {
        ManualAdapter {
            name: name.into(),
            dir,
            timeout,
            poll: Duration::from_secs(1),
            limits: Limits::default(),
            next: AtomicU64::new(1),
        }
    }

    /// Bounds on the files the operator leaves in `out/` (count and bytes).
    #[must_use]
    pub fn with_limits(mut self, limits: Limits) -> ManualAdapter {
        self.limits = limits;
        self
    }

    /// How often to look for the operator's files (default one second).
    #[must_use]
    pub fn with_poll_interval(mut self, poll: Duration) -> ManualAdapter {
        self.poll = poll;
        self
    }

    /// The folder holding the request folders.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Creates the next free request folder, or finds the folder an interrupted session left
    /// for this very request (its `request.txt` equals `fingerprint`): then `true`, and the
    /// operator's work in it (answers, `out/`, `done`) is used as it is.
    fn request_dir(
        &self,
        operation: &str,
        role: Role,
        fingerprint: &str,
    ) -> Result<(PathBuf, bool), AdapterError> {
        fs::create_dir_all(&self.dir)
            .map_err(|e| AdapterError::io(IoContext::CreateFolder, &self.dir, e))?;
        loop {
            let n = self.next.fetch_add(1, Ordering::Relaxed);
            let dir = self.dir.join(format!("{n:04}-{operation}-{role}"));
            // create_dir (not _all) fails on an existing folder, so a folder left by an earlier
            // run for another request is skipped rather than mixed with this one.
            match fs::create_dir(&dir) {
                Ok(()) => return Ok((dir, false)),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    if fs::read_to_string(dir.join(REQUEST)).is_ok_and(|t| t == fingerprint) {
                        return Ok((dir, true));
                    }
                }
                Err(e) => return Err(AdapterError::io(IoContext::CreateFolder, &dir, e)),
            }
        }
    }

    /// Polls until `ready` says the operator is done, the operator refuses, or time runs out.
    fn wait<T>(
        &self,
        operation: &'static str,
        dir: &Path,
        mut ready: impl FnMut() -> Option<Result<T, AdapterError>>,
    ) -> Result<T, AdapterError> {
        let deadline = Instant::now() + self.timeout;
        loop {
            if let Ok(message) = fs::read_to_string(dir.join(REFUSED)) {
                return Err(AdapterError::Refused {
                    operation,
                    message: message.trim().to_string(),
                    stderr: StderrTail::default(),
                });
            }
            if let Some(result) = ready() {
                return result;
            }
            if Instant::now() >= deadline {
                return Err(AdapterError::OperatorTimeout {
                    folder: dir.to_path_buf(),
                    seconds: self.timeout.as_secs(),
                });
            }
            thread::sleep(self.poll);
        }
    }

    /// Waits for `out/` + `done`, then copies the files into the sandbox.
    fn collect(
        &self,
        operation: &'static str,
        dir: &Path,
        sandbox: &Path,
    ) -> Result<ExportResult, AdapterError> {
        let sandbox = Sandbox::open(sandbox)?;
        self.wait(operation, dir, || {
            dir.join(DONE)
                .exists()
                .then(|| copy_out(operation, dir, &sandbox, &self.limits))
        })
    }
}

impl Adapter for ManualAdapter {
    fn start(&self) -> Result<ProductInfo, AdapterError> {
        fs::create_dir_all(&self.dir)
            .map_err(|e| AdapterError::io(IoContext::CreateFolder, &self.dir, e))?;
        Ok(ProductInfo {
            name: self.name.clone(),
            version: "manual".into(),
            roles: Role::ALL.to_vec(),
            kinds: Vec::new(),
            layout_versions: vec!["202407".into()],
            not_kept: cpcert_spec::NotKept::default(),
        })
    }

    fn export(&self, req: &ExportRequest) -> Result<ExportResult, AdapterError> {
        let json = serde_json::to_string_pretty(&req.scenario).map_err(|e| {
            AdapterError::io(IoContext::Write, self.dir.join("scenario.json"), e.into())
        })?;
        let fingerprint = fingerprint("export", req.role, &req.timestamp, &[json.as_bytes()]);
        let (dir, resumed) = self.request_dir("export", req.role, &fingerprint)?;
        if !resumed {
            write(&dir.join("scenario.json"), &json)?;
            make_dir(&dir.join("out"))?;
            let forms = checklist::export_forms(&dir, &req.scenario, req.role, &req.timestamp)?;
            write(
                &dir.join("instructions.txt"),
                &instructions::export(req.role, &req.timestamp, forms),
            )?;
            write(&dir.join(REQUEST), &fingerprint)?;
        }
        self.collect("export", &dir, &req.sandbox)
    }

    fn import(&self, req: &ImportRequest) -> Result<ImportAnswer, AdapterError> {
        let inputs = read_inputs(&req.files)?;
        let parts: Vec<&[u8]> = inputs.iter().map(Vec::as_slice).collect();
        let fingerprint = fingerprint("import", req.role, "", &parts);
        let (dir, resumed) = self.request_dir("import", req.role, &fingerprint)?;
        if !resumed {
            copy_in(&dir, &req.files)?;
            checklist::write_import_checklist(&dir, &req.files)?;
            write(
                &dir.join("instructions.txt"),
                &instructions::import(req.role),
            )?;
            write(&dir.join(REQUEST), &fingerprint)?;
        }
        let (held, understood) = (dir.join(HELD), dir.join(UNDERSTOOD));
        let checked = dir.join(checklist::ANSWER);
        self.wait("import", &dir, || {
            // The operator may still be saving the file; judge it only once `done` exists.
            let done = dir.join(DONE).exists();
            if let Ok(text) = fs::read_to_string(&checked) {
                return match checklist::import_answer(&dir, &text) {
                    Ok(answer) => Some(Ok(answer)),
                    Err(_) if !done => None,
                    Err(detail) => Some(Err(AdapterError::InvalidAnswer {
                        operation: "import",
                        detail: format!("{}: {detail}", checklist::ANSWER),
                        stderr: StderrTail::default(),
                    })),
                };
            }
            if let Ok(text) = fs::read_to_string(&held) {
                return match serde_json::from_str::<ImportAnswer>(&text) {
                    Ok(answer) => Some(Ok(answer)),
                    Err(_) if !done => None,
                    Err(e) => Some(Err(AdapterError::InvalidAnswer {
                        operation: "import",
                        detail: format!("{HELD}: {e}"),
                        stderr: StderrTail::default(),
                    })),
                };
            }
            let text = fs::read_to_string(&understood).ok()?;
            match serde_json::from_str::<Scenario>(&text) {
                Ok(scenario) => Some(
                    crate::held_from_scenario(&scenario)
                        .map(ImportAnswer::from)
                        .map_err(|detail| AdapterError::InvalidAnswer {
                            operation: "import",
                            detail: format!("{UNDERSTOOD}: {detail}"),
                            stderr: StderrTail::default(),
                        }),
                ),
                Err(_) if !done => None,
                Err(source) => Some(Err(AdapterError::InvalidScenario {
                    operation: "import",
                    source,
                    stderr: StderrTail::default(),
                })),
            }
        })
    }

    fn reexport(&self, req: &ReexportRequest) -> Result<ExportResult, AdapterError> {
        let inputs = read_inputs(&req.files)?;
        let mut parts: Vec<&[u8]> = inputs.iter().map(Vec::as_slice).collect();
        let office = req.office.clone().unwrap_or_default();
        parts.push(office.as_bytes());
        let fingerprint = fingerprint("reexport", req.role, &req.timestamp, &parts);
        let (dir, resumed) = self.request_dir("reexport", req.role, &fingerprint)?;
        if !resumed {
            copy_in(&dir, &req.files)?;
            make_dir(&dir.join("out"))?;
            let text = instructions::reexport(req.role, req.office.as_deref(), &req.timestamp);
            write(&dir.join("instructions.txt"), &text)?;
            write(&dir.join(REQUEST), &fingerprint)?;
        }
        self.collect("reexport", &dir, &req.sandbox)
    }

    fn stop(&self) {}
}

/// What identifies a request, written last into its folder as `request.txt`: the operation,
/// role, 連番 and an FNV-1a hash and length of each input (the scenario, the files).
fn fingerprint(operation: &str, role: Role, timestamp: &str, inputs: &[&[u8]]) -> String {
    let mut out = format!("{operation} {role} {timestamp}\n");
    for bytes in inputs {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for &b in *bytes {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        out.push_str(&format!("{} {h:016x}\n", bytes.len()));
    }
    out
}

/// The inputs' bytes (for the fingerprint).
fn read_inputs(files: &[PathBuf]) -> Result<Vec<Vec<u8>>, AdapterError> {
    files
        .iter()
        .map(|f| fs::read(f).map_err(|e| AdapterError::io(IoContext::Read, f, e)))
        .collect()
}

fn write(path: &Path, text: &str) -> Result<(), AdapterError> {
    fs::write(path, text).map_err(|e| AdapterError::io(IoContext::Write, path, e))
}

fn make_dir(path: &Path) -> Result<(), AdapterError> {
    fs::create_dir_all(path).map_err(|e| AdapterError::io(IoContext::CreateFolder, path, e))
}

fn copy_in(dir: &Path, files: &[PathBuf]) -> Result<(), AdapterError> {
    let inbox = dir.join("in");
    make_dir(&inbox)?;
    for file in files {
        let Some(name) = file.file_name() else {
            return Err(AdapterError::io(
                IoContext::Copy,
                file,
                std::io::ErrorKind::InvalidInput.into(),
            ));
        };
        fs::copy(file, inbox.join(name)).map_err(|e| AdapterError::io(IoContext::Copy, file, e))?;
    }
    Ok(())
}

/// Reads the regular files of `<dir>/out/` (sorted by name; links and other entries are not
/// followed) once, within `limits`, and keeps a copy of each in the sandbox.
fn copy_out(
    operation: &'static str,
    dir: &Path,
    sandbox: &Sandbox,
    limits: &Limits,
) -> Result<ExportResult, AdapterError> {
    let out = dir.join("out");
    let entries = fs::read_dir(&out).map_err(|e| AdapterError::io(IoContext::Read, &out, e))?;
    let mut names: Vec<String> = Vec::new();
    for entry in entries.flatten() {
        if !entry.file_type().is_ok_and(|t| t.is_file()) {
            continue;
        }
        if names.len() as u64 >= limits.files {
            return Err(AdapterError::LimitExceeded {
                operation,
                limit: Limit::Files,
                allowed: limits.files,
                detail: format!("more than {} files in `{}`", limits.files, out.display()),
                stderr: StderrTail::default(),
            });
        }
        names.push(entry.file_name().to_string_lossy().into_owned());
    }
    names.sort();
    let mut files = Sandbox::open(&out)?.read_all(operation, &names, limits, None)?;
    for file in &mut files {
        let target = sandbox.root().join(&file.name);
        fs::write(&target, &file.bytes)
            .map_err(|e| AdapterError::io(IoContext::Copy, &target, e))?;
        file.path = target;
    }
    Ok(ExportResult { files })
}

/// The printed instructions, Japanese first (the operators are), then English.
mod instructions {
    use cpcert_spec::Role;

    const FOOTER: &str = "\
製品が処理を拒否した場合は、このフォルダーに `refused` ファイルを作り、製品のメッセージを書いてください。
If the product refuses, create a file `refused` in this folder containing the product's message.
";

    pub(super) fn export(role: Role, timestamp: &str, forms: Result<usize, String>) -> String {
        let (forms_ja, forms_en) = match forms {
            Ok(_) => (
                "入力する内容は forms/index.html（帳票：利用者基本情報・計画書・第1〜3表・第6表・第7表）で、ケアマネジャーが入力する順に見られます。".to_owned(),
                "What to enter is shown as the standard's forms in forms/index.html, in the order a care manager enters it.".to_owned(),
            ),
            Err(why) => (
                format!("（このシナリオは帳票にできませんでした: {why}）"),
                format!("(No forms for this scenario: {why})"),
            ),
        };
        format!(
            "\
【出力】{ja} として操作してください。
{forms_ja}
1. 帳票（または scenario.json）の内容（事業所・利用者・計画・予定）を製品に入力してください。
2. 製品から標準仕様CSVを出力してください。ファイル名の連番（タイムスタンプ）は {timestamp} にしてください。
3. 出力したファイルをすべて out/ フォルダーに置いてください。
4. 最後にこのフォルダーに空の `done` ファイルを作ってください。

[Export] Act as the {en}.
{forms_en}
1. Enter the contents of the forms (or scenario.json: offices, persons, plans, monthly sheets) into the product.
2. Export the standard CSV files. Use {timestamp} as the file-name timestamp.
3. Put every exported file into the out/ folder.
4. Finally create an empty file `done` in this folder.

{FOOTER}",
            ja = role.name_ja(),
            en = role.name_en(),
        )
    }

    pub(super) fn import(role: Role) -> String {
        format!(
            "\
【取込】{ja} として操作してください。
1. in/ フォルダーのファイルを製品に取り込んでください。送った内容は forms/index.html（帳票）で見られます。
2. checklist.html をブラウザーで開き（このフォルダーのファイルを開くだけで、サーバーは要りません）、
   製品の画面と見比べて、項目ごとに「保持」「保持しない」「異なる（画面の値を入力）」を選んでください。
3. すべて選んだら「回答を保存」を押し、ダウンロードされた answer.json をこのフォルダーに置いてください。
   （標準仕様のレコードと項目No.で held.json を直接書いても構いません：
   {{\"held\": {{ファイル種別: [{{\"項目No\": \"値\", …}}, …]}}, \"not_kept\": {{ファイル種別: [項目No, …]}}}}）
4. 置いたら空の `done` ファイルを作ってください（内容の誤りの判定に使います）。

[Import] Act as the {en}.
1. Import the files in the in/ folder into the product. What was sent is shown as forms in forms/index.html.
2. Open checklist.html in a browser (straight from this folder; no server), compare it with the
   product's screens and mark each item kept / not kept / different (typing the value seen).
3. When every item is marked, press 保存 and put the downloaded answer.json into this folder
   (or write held.json yourself: {{\"held\": {{KIND: [{{\"field No.\": \"value\", …}}, …]}}, \"not_kept\": {{KIND: [field No., …]}}}}).
4. Then create an empty file `done` (so a malformed file is reported, not waited on).

{FOOTER}",
            ja = role.name_ja(),
            en = role.name_en(),
        )
    }

    pub(super) fn reexport(role: Role, office: Option<&str>, timestamp: &str) -> String {
        let office = office.unwrap_or("-");
        format!(
            "\
【取込→出力】{ja}（事業所番号 {office}）として操作してください。
1. in/ フォルダーのファイルを製品に取り込んでください。
2. サービス事業所の場合は、自事業所の予定をすべて実績として記録してください。
3. 製品から標準仕様CSVを出力してください（サービス事業所は実績 UPJSK）。連番は {timestamp} にしてください。
4. 出力したファイルをすべて out/ フォルダーに置き、最後に空の `done` ファイルを作ってください。

[Import, then export] Act as the {en} (office number {office}).
1. Import the files in the in/ folder into the product.
2. As a service provider, record every planned service of your office as performed.
3. Export the standard CSV files (a provider exports 実績 UPJSK). Use {timestamp} as the timestamp.
4. Put every exported file into out/, then create an empty file `done` in this folder.

{FOOTER}",
            ja = role.name_ja(),
            en = role.name_en(),
        )
    }
}
