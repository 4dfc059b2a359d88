//! [`AdapterError`]: why an adapter call did not produce a result.

use std::io;
use std::path::PathBuf;

use crate::Limit;

/// Who is to blame for an [`AdapterError`], which decides the exit code and the verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Blame {
    /// The product ran and refused or failed the request: a certification failure (exit code 1).
    Product,
    /// The product could not be driven at all: "we could not test" (exit code 3).
    Infrastructure,
    /// The vendor description is wrong: a configuration error (exit code 2).
    Config,
}

/// The last bytes an adapter process wrote to stderr, kept for the report.
///
/// Empty for in-process adapters and for failures before the process started.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StderrTail(pub String);

impl StderrTail {
    /// The captured text (lossily decoded, at most about 8 KiB).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether nothing was captured.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// An adapter call that did not produce a result.
///
/// Every variant but [`AdapterError::Refused`] and the configuration variants means the harness
/// could not drive the product; see [`AdapterError::blame`]. Variants that concern a running
/// adapter process carry its stderr tail.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AdapterError {
    /// The product answered the request with an error (`{"type":"error",…}`), or the operator
    /// of a manual adapter reported one.
    #[error("the product refused to {operation}: {message}")]
    Refused {
        /// `export`, `import` or `reexport`.
        operation: &'static str,
        /// The product's own message.
        message: String,
        /// Stderr of the adapter process.
        stderr: StderrTail,
    },

    /// The vendor description file could not be read or is invalid.
    #[error("invalid vendor description `{path}`: {reason}")]
    Config {
        /// The vendor description file.
        path: PathBuf,
        /// What is wrong with it.
        reason: cpcert_checks::Msg,
    },

    /// The adapter process could not be started.
    #[error("failed to start adapter `{command}`")]
    Spawn {
        /// The program that was run.
        command: String,
        /// The operating-system error.
        #[source]
        source: io::Error,
    },

    /// The adapter answered `start` with an error: the product is not usable.
    #[error("the adapter could not start the product: {message}")]
    StartFailed {
        /// The adapter's message.
        message: String,
        /// Stderr of the adapter process.
        stderr: StderrTail,
    },

    /// The adapter process exited (or closed stdout) while a reply was expected.
    #[error("adapter exited during {operation} ({status})")]
    Exited {
        /// The request that was waiting for a reply.
        operation: &'static str,
        /// The exit status, as far as known.
        status: String,
        /// Stderr of the adapter process.
        stderr: StderrTail,
    },

    /// No reply arrived in time; the adapter's process group was killed.
    #[error("adapter did not answer {operation} within {seconds} s")]
    Timeout {
        /// The request that timed out.
        operation: &'static str,
        /// The time limit.
        seconds: u64,
        /// Stderr of the adapter process.
        stderr: StderrTail,
    },

    /// A line on stdout was not a protocol message, or not the expected one.
    #[error("adapter broke the protocol during {operation}: {detail}")]
    Protocol {
        /// The request being answered.
        operation: &'static str,
        /// What was wrong, with the start of the offending line.
        detail: String,
        /// Stderr of the adapter process.
        stderr: StderrTail,
    },

    /// The adapter speaks another protocol version.
    #[error("adapter speaks protocol version {got}, the harness speaks versions 1 to {expected}")]
    ProtocolVersion {
        /// The version the harness speaks.
        expected: u32,
        /// The version the adapter announced.
        got: u32,
        /// Stderr of the adapter process.
        stderr: StderrTail,
    },

    /// A returned path leaves the sandbox (absolute elsewhere, or a symlink pointing out).
    #[error("adapter returned `{path}`, which is outside the sandbox")]
    OutsideSandbox {
        /// The path as returned.
        path: PathBuf,
        /// Stderr of the adapter process.
        stderr: StderrTail,
    },

    /// A returned path contains a `..` component.
    #[error("adapter returned `{path}`, which contains `..`")]
    ParentComponent {
        /// The path as returned.
        path: PathBuf,
        /// Stderr of the adapter process.
        stderr: StderrTail,
    },

    /// A returned path does not exist or is not a regular file.
    #[error("adapter returned `{path}`, which is not an existing file")]
    MissingFile {
        /// The path as returned.
        path: PathBuf,
        /// Stderr of the adapter process.
        stderr: StderrTail,
    },

    /// A returned path names something other than a regular file (a symbolic link, a FIFO, a
    /// folder, a device): it is never followed or read.
    #[error("adapter returned `{path}`, which is {found}, not a regular file")]
    NotRegularFile {
        /// The path as returned.
        path: PathBuf,
        /// What it is.
        found: Found,
        /// Stderr of the adapter process.
        stderr: StderrTail,
    },

    /// The adapter sent more than one of the vendor description's `limits` allows.
    #[error("adapter exceeded `{limit}` ({allowed}) during {operation}: {detail}")]
    LimitExceeded {
        /// The request being answered.
        operation: &'static str,
        /// Which limit.
        limit: Limit,
        /// Its configured value.
        allowed: u64,
        /// What the adapter sent.
        detail: String,
        /// Stderr of the adapter process.
        stderr: StderrTail,
    },

    /// Processes the adapter started left its process tree during the call (a double fork, a
    /// `setsid` daemon); the harness, their subreaper, killed them.
    #[error(
        "adapter left {count} detached process(es) running after {operation}; they were killed"
    )]
    LeftProcesses {
        /// The request during which they were found.
        operation: &'static str,
        /// How many.
        count: usize,
        /// Stderr of the adapter process.
        stderr: StderrTail,
    },

    /// Something changed next to the sandbox during the call.
    #[error("adapter wrote `{path}`, outside the sandbox")]
    WroteOutsideSandbox {
        /// The entry that appeared or changed.
        path: PathBuf,
        /// Stderr of the adapter process.
        stderr: StderrTail,
    },

    /// The product's understanding of the imported files is not a valid scenario document.
    #[error("adapter returned an invalid scenario during {operation}")]
    InvalidScenario {
        /// The request being answered.
        operation: &'static str,
        /// Why the document was rejected.
        #[source]
        source: serde_json::Error,
        /// Stderr of the adapter process.
        stderr: StderrTail,
    },

    /// An import answer that cannot be judged: neither held records nor a scenario document, or
    /// a (protocol version 1) scenario document whose documents cannot be written as records.
    #[error("adapter returned an unusable import answer during {operation}: {detail}")]
    InvalidAnswer {
        /// The request being answered.
        operation: &'static str,
        /// What is wrong.
        detail: String,
        /// Stderr of the adapter process.
        stderr: StderrTail,
    },

    /// A manual adapter's operator did not finish in time.
    #[error("operator did not finish `{folder}` within {seconds} s")]
    OperatorTimeout {
        /// The request folder the operator was asked to work in.
        folder: PathBuf,
        /// The time limit.
        seconds: u64,
    },

    /// The harness itself failed to read or write a file.
    #[error("{context} `{path}`")]
    Io {
        /// What the harness was doing.
        context: IoContext,
        /// The file or folder.
        path: PathBuf,
        /// The operating-system error.
        #[source]
        source: io::Error,
    },
}

impl AdapterError {
    /// Who is to blame: the product, the infrastructure or the configuration.
    pub fn blame(&self) -> Blame {
        match self {
            AdapterError::Refused { .. } => Blame::Product,
            AdapterError::Config { .. } => Blame::Config,
            _ => Blame::Infrastructure,
        }
    }

    /// The message in `lang` (the first line; [`std::error::Error::source`] is the cause). The
    /// product's and the operating system's own words (`message`, `detail`, OS errors) are
    /// quoted as they are.
    pub fn localized(&self, lang: cpcert_checks::Lang) -> String {
        use cpcert_checks::Lang::{En, Ja};
        let op = |operation: &str| match (lang, operation) {
            (Ja, "export") => "出力",
            (Ja, "import") => "取込",
            (Ja, "reexport") => "再出力",
            (Ja, "start") => "開始",
            (Ja, _) => "処理",
            (En, o) => match o {
                "export" => "export",
                "import" => "import",
                "reexport" => "reexport",
                "start" => "start",
                _ => "the request",
            },
        };
        match (self, lang) {
            (_, En) => self.to_string(),
            (
                AdapterError::Refused {
                    operation, message, ..
                },
                Ja,
            ) => format!("製品が{}を拒否しました: {message}", op(operation)),
            (AdapterError::Config { path, reason }, Ja) => format!(
                "ベンダー記述 `{}` が正しくありません: {}",
                path.display(),
                reason.get(lang)
            ),
            (AdapterError::Spawn { command, .. }, Ja) => {
                format!("アダプタ `{command}` を起動できません")
            }
            (AdapterError::StartFailed { message, .. }, Ja) => {
                format!("アダプタが製品を開始できませんでした: {message}")
            }
            (
                AdapterError::Exited {
                    operation, status, ..
                },
                Ja,
            ) => format!(
                "アダプタが{}の途中で終了しました（{status}）",
                op(operation)
            ),
            (
                AdapterError::Timeout {
                    operation, seconds, ..
                },
                Ja,
            ) => format!(
                "アダプタが{seconds}秒以内に{}に応答しませんでした",
                op(operation)
            ),
            (
                AdapterError::Protocol {
                    operation, detail, ..
                },
                Ja,
            ) => format!(
                "アダプタが{}の途中でプロトコルに反しました: {detail}",
                op(operation)
            ),
            (AdapterError::ProtocolVersion { expected, got, .. }, Ja) => {
                format!("アダプタのプロトコル版 {got} は扱えません（cpcert は版 1〜{expected}）")
            }
            (AdapterError::OutsideSandbox { path, .. }, Ja) => format!(
                "アダプタが作業フォルダの外の `{}` を返しました",
                path.display()
            ),
            (AdapterError::ParentComponent { path, .. }, Ja) => {
                format!("アダプタが `..` を含む `{}` を返しました", path.display())
            }
            (AdapterError::MissingFile { path, .. }, Ja) => format!(
                "アダプタが返した `{}` は存在するファイルではありません",
                path.display()
            ),
            (AdapterError::NotRegularFile { path, found, .. }, Ja) => format!(
                "アダプタが返した `{}` は通常のファイルではありません（{}）",
                path.display(),
                found.text(lang)
            ),
            (
                AdapterError::LimitExceeded {
                    operation,
                    limit,
                    allowed,
                    detail,
                    ..
                },
                Ja,
            ) => format!(
                "アダプタが{}の途中で上限 `{limit}`（{allowed}）を超えました: {detail}",
                op(operation)
            ),
            (
                AdapterError::LeftProcesses {
                    operation, count, ..
                },
                Ja,
            ) => format!(
                "アダプタが{}の後に切り離したプロセス {count} 個を残したため、終了させました",
                op(operation)
            ),
            (AdapterError::WroteOutsideSandbox { path, .. }, Ja) => format!(
                "アダプタが作業フォルダの外の `{}` に書き込みました",
                path.display()
            ),
            (AdapterError::InvalidScenario { operation, .. }, Ja) => format!(
                "アダプタが{}で不正なシナリオ文書を返しました",
                op(operation)
            ),
            (
                AdapterError::InvalidAnswer {
                    operation, detail, ..
                },
                Ja,
            ) => format!(
                "アダプタが{}で使えない取込結果を返しました: {detail}",
                op(operation)
            ),
            (AdapterError::OperatorTimeout { folder, seconds }, Ja) => format!(
                "操作者が `{}` の作業を{seconds}秒以内に終えませんでした",
                folder.display()
            ),
            (AdapterError::Io { context, path, .. }, Ja) => {
                format!("{} `{}`", context.ja(), path.display())
            }
        }
    }

    /// Whether the harness could not drive the product (exit code 3 rather than a verdict).
    pub fn is_infrastructure(&self) -> bool {
        self.blame() == Blame::Infrastructure
    }

    /// The adapter's stderr tail, when a process was involved and wrote something.
    pub fn stderr_tail(&self) -> Option<&str> {
        let tail = match self {
            AdapterError::Refused { stderr, .. }
            | AdapterError::StartFailed { stderr, .. }
            | AdapterError::Exited { stderr, .. }
            | AdapterError::Timeout { stderr, .. }
            | AdapterError::Protocol { stderr, .. }
            | AdapterError::ProtocolVersion { stderr, .. }
            | AdapterError::OutsideSandbox { stderr, .. }
            | AdapterError::ParentComponent { stderr, .. }
            | AdapterError::MissingFile { stderr, .. }
            | AdapterError::WroteOutsideSandbox { stderr, .. }
            | AdapterError::NotRegularFile { stderr, .. }
            | AdapterError::LimitExceeded { stderr, .. }
            | AdapterError::LeftProcesses { stderr, .. }
            | AdapterError::InvalidScenario { stderr, .. }
            | AdapterError::InvalidAnswer { stderr, .. } => stderr,
            AdapterError::Config { .. }
            | AdapterError::Spawn { .. }
            | AdapterError::OperatorTimeout { .. }
            | AdapterError::Io { .. } => return None,
        };
        (!tail.is_empty()).then(|| tail.as_str())
    }

    /// Attaches a stderr tail to a variant that carries one (used once the tail is known).
    pub(crate) fn with_stderr(mut self, tail: StderrTail) -> Self {
        match &mut self {
            AdapterError::Refused { stderr, .. }
            | AdapterError::StartFailed { stderr, .. }
            | AdapterError::Exited { stderr, .. }
            | AdapterError::Timeout { stderr, .. }
            | AdapterError::Protocol { stderr, .. }
            | AdapterError::ProtocolVersion { stderr, .. }
            | AdapterError::OutsideSandbox { stderr, .. }
            | AdapterError::ParentComponent { stderr, .. }
            | AdapterError::MissingFile { stderr, .. }
            | AdapterError::WroteOutsideSandbox { stderr, .. }
            | AdapterError::NotRegularFile { stderr, .. }
            | AdapterError::LimitExceeded { stderr, .. }
            | AdapterError::LeftProcesses { stderr, .. }
            | AdapterError::InvalidScenario { stderr, .. }
            | AdapterError::InvalidAnswer { stderr, .. } => *stderr = tail,
            _ => {}
        }
        self
    }

    pub(crate) fn io(context: IoContext, path: impl Into<PathBuf>, source: io::Error) -> Self {
        AdapterError::Io {
            context,
            path: path.into(),
            source,
        }
    }
}

/// What a returned path named instead of a regular file ([`AdapterError::NotRegularFile`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Found {
    /// The sandbox itself (an empty path).
    Sandbox,
    /// A folder.
    Folder,
    /// A symbolic link (never followed).
    SymbolicLink,
    /// A FIFO (never opened for a blocking read).
    Fifo,
    /// A socket.
    Socket,
    /// A character or block device.
    Device,
    /// Something the operating system names no type for.
    Unknown,
}

impl Found {
    /// What it is, in `lang`.
    pub fn text(self, lang: cpcert_checks::Lang) -> &'static str {
        use cpcert_checks::Lang::{En, Ja};
        match (self, lang) {
            (Found::Sandbox, En) => "the sandbox",
            (Found::Sandbox, Ja) => "作業フォルダそのもの",
            (Found::Folder, En) => "a folder",
            (Found::Folder, Ja) => "フォルダ",
            (Found::SymbolicLink, En) => "a symbolic link",
            (Found::SymbolicLink, Ja) => "シンボリックリンク",
            (Found::Fifo, En) => "a FIFO",
            (Found::Fifo, Ja) => "FIFO",
            (Found::Socket, En) => "a socket",
            (Found::Socket, Ja) => "ソケット",
            (Found::Device, En) => "a device",
            (Found::Device, Ja) => "デバイス",
            (Found::Unknown, En) => "of an unknown type",
            (Found::Unknown, Ja) => "種類の分からないもの",
        }
    }
}

impl std::fmt::Display for Found {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.text(cpcert_checks::Lang::En))
    }
}

/// What the harness was doing when an I/O error struck.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IoContext {
    /// Reading a file.
    Read,
    /// Writing a file.
    Write,
    /// Copying a file.
    Copy,
    /// Creating a folder.
    CreateFolder,
    /// Creating a case's sandbox.
    CreateSandbox,
    /// Creating the adapter's private workspace.
    CreateWorkspace,
    /// Opening the sandbox folder.
    OpenSandbox,
    /// Opening a file the adapter returned.
    OpenReturned,
    /// Reading a file the adapter returned.
    ReadReturned,
}

impl IoContext {
    /// English, as in the error's `Display`.
    pub fn en(self) -> &'static str {
        match self {
            IoContext::Read => "failed to read",
            IoContext::Write => "failed to write",
            IoContext::Copy => "failed to copy",
            IoContext::CreateFolder => "failed to create folder",
            IoContext::CreateSandbox => "failed to create a sandbox",
            IoContext::CreateWorkspace => "failed to create a workspace",
            IoContext::OpenSandbox => "failed to open sandbox",
            IoContext::OpenReturned => "failed to open returned file",
            IoContext::ReadReturned => "failed to read returned file",
        }
    }

    /// Japanese.
    pub fn ja(self) -> &'static str {
        match self {
            IoContext::Read => "読めません:",
            IoContext::Write => "書き込めません:",
            IoContext::Copy => "複写できません:",
            IoContext::CreateFolder => "フォルダを作成できません:",
            IoContext::CreateSandbox => "作業フォルダを作成できません:",
            IoContext::CreateWorkspace => "作業領域を作成できません:",
            IoContext::OpenSandbox => "作業フォルダを開けません:",
            IoContext::OpenReturned => "返されたファイルを開けません:",
            IoContext::ReadReturned => "返されたファイルを読めません:",
        }
    }
}

impl std::fmt::Display for IoContext {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.en())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cpcert_checks::Lang;

    #[test]
    fn what_a_returned_path_named_is_said_in_each_language() {
        let err = |found| AdapterError::NotRegularFile {
            path: PathBuf::from(""),
            found,
            stderr: StderrTail::default(),
        };
        let sandbox = err(Found::Sandbox);
        assert!(
            sandbox.to_string().contains("which is the sandbox"),
            "{sandbox}"
        );
        assert!(sandbox.localized(Lang::Ja).contains("作業フォルダそのもの"));
        for found in [
            Found::Folder,
            Found::SymbolicLink,
            Found::Fifo,
            Found::Socket,
            Found::Device,
            Found::Unknown,
        ] {
            let ja = err(found).localized(Lang::Ja);
            assert!(ja.contains(found.text(Lang::Ja)), "{ja}");
            assert!(!found.text(Lang::En).is_empty());
        }
    }
}
