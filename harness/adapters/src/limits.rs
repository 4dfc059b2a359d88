//! [`Limits`]: how much an adapter may send the harness per request (the vendor description's
//! `limits:`), and [`Limit`], the name of the one that was exceeded.
//!
//! Every value has a default and a hard ceiling: a vendor description is vendor-supplied input
//! and must not be able to make the harness itself use unbounded memory or time.

use std::fmt;

use serde::Deserialize;

/// The longest time limit a description may ask for (one week); longer would overflow nothing,
/// but means no limit at all.
pub const MAX_TIMEOUT_SECONDS: u64 = 7 * 24 * 60 * 60;

const KIB: u64 = 1024;
const MIB: u64 = 1024 * KIB;
const GIB: u64 = 1024 * MIB;

/// Per-request bounds on what comes back from an adapter. Past any of them the request is an
/// infrastructure error naming the limit ([`crate::AdapterError::LimitExceeded`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Limits {
    /// The longest stdout line, in bytes (default 64 MiB, at most 1 GiB).
    pub line_bytes: u64,
    /// Stdout lines per request, blank lines included (default 1000, at most 1,000,000). A reply
    /// is one line; the rest is tolerance for blank lines.
    pub lines: u64,
    /// How much of the end of stderr is kept for the report, in bytes (default 8 KiB, at most
    /// 1 MiB).
    pub stderr_bytes: u64,
    /// Files one reply may return (default 1000, at most 100,000).
    pub files: u64,
    /// Bytes of one returned file (default 256 MiB, at most 4 GiB).
    pub file_bytes: u64,
    /// Bytes of all files of one reply together (default 512 MiB, at most 4 GiB).
    pub total_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            line_bytes: 64 * MIB,
            lines: 1000,
            stderr_bytes: 8 * KIB,
            files: 1000,
            file_bytes: 256 * MIB,
            total_bytes: 512 * MIB,
        }
    }
}

impl Limits {
    /// Checks every value against `1..=ceiling`; the error names the key and the allowed range.
    ///
    /// # Errors
    ///
    /// A message such as ``"`limits.files` must be between 1 and 100000 (got 0)"``.
    pub fn check(&self) -> Result<(), cpcert_checks::Msg> {
        for limit in Limit::ALL {
            let value = self.get(limit);
            let ceiling = limit.ceiling();
            if value == 0 || value > ceiling {
                return Err(cpcert_checks::Msg::new(
                    format!("`{limit}` は 1 以上 {ceiling} 以下にしてください（値: {value}）"),
                    format!("`{limit}` must be between 1 and {ceiling} (got {value})"),
                ));
            }
        }
        Ok(())
    }

    /// The configured value of one limit.
    pub fn get(&self, limit: Limit) -> u64 {
        match limit {
            Limit::LineBytes => self.line_bytes,
            Limit::Lines => self.lines,
            Limit::StderrBytes => self.stderr_bytes,
            Limit::Files => self.files,
            Limit::FileBytes => self.file_bytes,
            Limit::TotalBytes => self.total_bytes,
        }
    }

    /// The stderr tail size as a `usize` (checked values always fit).
    pub(crate) fn stderr_tail(&self) -> usize {
        usize::try_from(self.stderr_bytes).unwrap_or(usize::MAX)
    }
}

/// One of the [`Limits`], named as in the vendor description.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// `limits.line_bytes`
    LineBytes,
    /// `limits.lines`
    Lines,
    /// `limits.stderr_bytes`
    StderrBytes,
    /// `limits.files`
    Files,
    /// `limits.file_bytes`
    FileBytes,
    /// `limits.total_bytes`
    TotalBytes,
}

impl Limit {
    /// Every limit, in the order of the description's documentation.
    pub const ALL: [Limit; 6] = [
        Limit::LineBytes,
        Limit::Lines,
        Limit::StderrBytes,
        Limit::Files,
        Limit::FileBytes,
        Limit::TotalBytes,
    ];

    /// The key in the vendor description.
    pub fn key(self) -> &'static str {
        match self {
            Limit::LineBytes => "limits.line_bytes",
            Limit::Lines => "limits.lines",
            Limit::StderrBytes => "limits.stderr_bytes",
            Limit::Files => "limits.files",
            Limit::FileBytes => "limits.file_bytes",
            Limit::TotalBytes => "limits.total_bytes",
        }
    }

    /// The largest value a description may set.
    pub fn ceiling(self) -> u64 {
        match self {
            Limit::LineBytes => GIB,
            Limit::Lines => 1_000_000,
            Limit::StderrBytes => MIB,
            Limit::Files => 100_000,
            Limit::FileBytes | Limit::TotalBytes => 4 * GIB,
        }
    }
}

impl fmt::Display for Limit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_pass_their_own_check() {
        assert_eq!(Limits::default().check(), Ok(()));
    }

    #[test]
    fn zero_and_huge_values_are_refused_by_name() {
        let zero = Limits {
            files: 0,
            ..Limits::default()
        };
        let err = zero.check().unwrap_err();
        assert!(err.en.contains("`limits.files`") && err.ja.contains("`limits.files`"));
        let huge = Limits {
            file_bytes: u64::MAX,
            ..Limits::default()
        };
        let err = huge.check().unwrap_err();
        assert!(err.en.contains("`limits.file_bytes`") && err.en.contains("18446744073709551615"));
        assert!(err.ja.contains("`limits.file_bytes`") && err.ja.contains("18446744073709551615"));
    }
}
