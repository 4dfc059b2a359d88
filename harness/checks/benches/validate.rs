//! Validation benchmark (not a test): `scripts/bench [--quick] [--runs N] [--no-rss]`
//! (`--generate PATH MB` writes the file only, `--rss-child PATH` validates one file: for profiling).
//!
//! Generates a realistic MS932 UPPLAN file (many persons, free text with Japanese and commas)
//! into a temp dir and reports, in one run:
//! - validate throughput (`validate_file`, one thread, best of N),
//! - the floor: the same bytes read, decoded with encoding_rs and parsed by the `csv` crate,
//! - their ratio (target ≥ 0.5),
//! - two files on two threads versus one (target ≥ 1.7×),
//! - peak RSS above baseline while validating a ~1 GB file, measured in a child process
//!   (this binary re-executed with `--rss-child <file>`; target ≤ 64 MB).

use std::fs::File;
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use cpcert_checks::{ValidateOptions, validate_file};
use cpcert_csv::{Cell, Ms932Writer};
use cpcert_spec::Spec;

const MB: u64 = 1_000_000;

struct Args {
    quick: bool,
    runs: usize,
    rss: bool,
    rss_child: Option<PathBuf>,
    generate: Option<(PathBuf, u64)>,
}

fn args() -> Args {
    let mut a = Args {
        quick: false,
        runs: 0,
        rss: true,
        rss_child: None,
        generate: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--quick" => a.quick = true,
            "--no-rss" => a.rss = false,
            "--runs" => a.runs = it.next().and_then(|n| n.parse().ok()).unwrap_or(3),
            "--rss-child" => a.rss_child = it.next().map(PathBuf::from),
            // For profiling: write a file of N MB and exit.
            "--generate" => {
                let path = it.next().map(PathBuf::from);
                let mb = it.next().and_then(|n| n.parse().ok()).unwrap_or(100);
                a.generate = path.map(|p| (p, mb));
            }
            _ => {} // cargo bench passes `--bench`
        }
    }
    if a.runs == 0 {
        a.runs = if a.quick { 2 } else { 3 };
    }
    a
}

fn name(ts: &str) -> String {
    format!("UPPLAN_202504_1310000001_43_1310000002_11_{ts}.CSV")
}

const OFFICES: [&str; 4] = [
    "ひまわり訪問介護ステーション",
    "さくら,デイサービス",
    "介護ショップ「あおば」",
    "訪問看護ステーション 港南",
];
const PLANNERS: [&str; 3] = ["山田　花子", "佐藤,一郎", "髙橋　\"ケア\"　美咲"];
const DEVICES: [&str; 3] = ["", "車いす（自走式）,背もたれ付き", "特殊寝台　3モーター"];

/// Writes valid UPPLAN records until the file holds at least `bytes` bytes; returns the size.
fn generate(path: &Path, bytes: u64) -> u64 {
    let file = File::create(path).expect("create bench file");
    let written = std::rc::Rc::new(std::cell::Cell::new(0u64));
    let counting = Counting {
        inner: BufWriter::with_capacity(1 << 20, file),
        n: written.clone(),
    };
    let mut w = Ms932Writer::new(counting);
    let mut i = 0u64;
    while written.get() < bytes {
        let person = i / 20;
        let row = i % 20;
        let insured = format!("{:010}", person % 10_000_000_000);
        let day = format!("202504{:02}", row % 30 + 1);
        let mut flags = [b'0'; 31];
        flags[(row % 30) as usize] = b'1';
        let flags = std::str::from_utf8(&flags).unwrap_or_default().to_owned();
        let (start, end) = if row % 7 == 6 {
            ("9999", "9999")
        } else {
            ("0900", "1030")
        };
        let device = row % 10 == 9;
        let code = if device {
            "171001"
        } else {
            ["111111", "112211", "131111", "151111"][(row % 4) as usize]
        };
        let tais = if device { "00170-000123" } else { "" };
        let device_name = if device {
            DEVICES[(row % 3) as usize]
        } else {
            ""
        };
        let office = OFFICES[(person % 4) as usize];
        let planner = PLANNERS[(person % 3) as usize];
        let cells = [
            Cell::Plain("202407"),
            Cell::Plain("131011"),
            Cell::Plain(&insured),
            Cell::Plain("20250325"),
            Cell::Plain("202504"),
            Cell::Plain("1310000001"),
            Cell::Text(planner),
            Cell::Plain("1200"),
            Cell::Plain(""),
            Cell::Plain(&day),
            Cell::Plain(&flags),
            Cell::Plain(start),
            Cell::Plain(end),
            Cell::Plain("1"),
            Cell::Plain(code),
            Cell::Plain(tais),
            Cell::Plain(""),
            Cell::Text(device_name),
            Cell::Plain(""),
            Cell::Plain("1310000002"),
            Cell::Text(office),
            Cell::Plain(""),
            Cell::Plain("0"),
            Cell::Plain("1310000003"),
            Cell::Plain(""),
        ];
        w.write_record(&cells).expect("write bench record");
        i += 1;
    }
    w.into_inner().expect("flush bench file");
    written.get()
}

/// Counts the bytes written through it.
struct Counting<W> {
    inner: W,
    n: std::rc::Rc<std::cell::Cell<u64>>,
}

impl<W: Write> Write for Counting<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let k = self.inner.write(buf)?;
        self.n.set(self.n.get() + k as u64);
        Ok(k)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

fn best<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut out = None;
    let mut best = Duration::MAX;
    for _ in 0..runs {
        let t = Instant::now();
        let v = f();
        best = best.min(t.elapsed());
        out = Some(v);
    }
    (best, out.expect("at least one run"))
}

fn mbps(bytes: u64, d: Duration) -> f64 {
    bytes as f64 / MB as f64 / d.as_secs_f64()
}

/// The floor: read, decode as MS932 (encoding_rs) and split into records (csv crate).
fn floor(path: &Path) -> u64 {
    let mut bytes = Vec::new();
    File::open(path)
        .and_then(|mut f| f.read_to_end(&mut bytes))
        .expect("read bench file");
    let (text, _) = encoding_rs::SHIFT_JIS.decode_without_bom_handling(&bytes);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rec = csv::ByteRecord::new();
    let mut fields = 0u64;
    while reader.read_byte_record(&mut rec).expect("csv parse") {
        fields += rec.len() as u64;
    }
    fields
}

fn validate(path: &Path) -> (u64, usize) {
    let report =
        validate_file(path, Spec::embedded(), &ValidateOptions::default()).expect("validate");
    (report.records, report.findings.len())
}

fn vm_hwm_kb() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

/// Child: validate one file and print `baseline_kb peak_kb records findings`.
fn rss_child(path: &Path) {
    let _ = Spec::embedded();
    let baseline = vm_hwm_kb();
    let (records, findings) = validate(path);
    let peak = vm_hwm_kb();
    println!("{baseline} {peak} {records} {findings}");
}

fn row(what: &str, value: String, target: &str, ok: Option<bool>) {
    let mark = match ok {
        Some(true) => "ok",
        Some(false) => "BELOW TARGET",
        None => "",
    };
    println!("| {what:<42} | {value:>16} | {target:>10} | {mark:<12} |");
}

fn main() {
    let a = args();
    if let Some((path, mb)) = &a.generate {
        generate(path, mb * MB);
        return;
    }
    if let Some(path) = &a.rss_child {
        rss_child(path);
        return;
    }
    let dir = std::env::temp_dir().join(format!("cpcert-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let size = if a.quick { 10 * MB } else { 100 * MB };
    let one = dir.join(name("20250401093000"));
    let two = dir.join(name("20250401093001"));
    let t = Instant::now();
    let bytes = generate(&one, size);
    std::fs::copy(&one, &two).expect("copy bench file");
    let actual = std::fs::metadata(&one).map(|m| m.len()).unwrap_or(bytes);
    eprintln!(
        "generated {:.1} MB in {:.1?} ({})",
        actual as f64 / MB as f64,
        t.elapsed(),
        one.display()
    );
    let _ = Spec::embedded();

    let (t_val, (records, findings)) = best(a.runs, || validate(&one));
    let (t_floor, _) = best(a.runs, || floor(&one));
    let (t_two, _) = best(a.runs, || {
        std::thread::scope(|s| {
            let h = s.spawn(|| validate(&two));
            let r = validate(&one);
            (r, h.join().expect("thread"))
        })
    });
    let v = mbps(actual, t_val);
    let f = mbps(actual, t_floor);
    let scaling = 2.0 * t_val.as_secs_f64() / t_two.as_secs_f64();

    let rss = if a.rss {
        let rss_size = if a.quick { 100 * MB } else { 1000 * MB };
        let big = dir.join(name("20250401093002"));
        let t = Instant::now();
        generate(&big, rss_size);
        let big_size = std::fs::metadata(&big).map(|m| m.len()).unwrap_or(0);
        eprintln!(
            "generated {:.0} MB in {:.1?} for the RSS run",
            big_size as f64 / MB as f64,
            t.elapsed()
        );
        let t = Instant::now();
        let out = Command::new(std::env::current_exe().expect("current exe"))
            .arg("--rss-child")
            .arg(&big)
            .output()
            .expect("run RSS child");
        let took = t.elapsed();
        let _ = std::fs::remove_file(&big);
        let text = String::from_utf8_lossy(&out.stdout);
        let nums: Vec<u64> = text
            .split_whitespace()
            .filter_map(|n| n.parse().ok())
            .collect();
        match nums.as_slice() {
            [base, peak, recs, finds] => Some((big_size, *base, *peak, *recs, *finds, took)),
            _ => {
                eprintln!(
                    "RSS child failed: {text} {}",
                    String::from_utf8_lossy(&out.stderr)
                );
                None
            }
        }
    } else {
        None
    };
    let _ = std::fs::remove_dir_all(&dir);

    println!();
    println!(
        "cpcert-checks validate benchmark ({} runs, best of; UPPLAN, {records} records, {findings} findings)",
        a.runs
    );
    println!(
        "| {:<42} | {:>16} | {:>10} | {:<12} |",
        "measure", "value", "target", ""
    );
    println!(
        "|{}|{}|{}|{}|",
        "-".repeat(44),
        "-".repeat(18),
        "-".repeat(12),
        "-".repeat(14)
    );
    row(
        &format!("file size ({records} records)"),
        format!("{:.1} MB", actual as f64 / MB as f64),
        "",
        None,
    );
    row("validate_file, 1 thread", format!("{v:.1} MB/s"), "", None);
    row(
        "floor: read + encoding_rs decode + csv parse",
        format!("{f:.1} MB/s"),
        "",
        None,
    );
    row(
        "ratio validate / floor",
        format!("{:.2}", v / f),
        "≥ 0.5",
        Some(v / f >= 0.5),
    );
    row(
        "2 files on 2 threads vs 1 (throughput)",
        format!("{scaling:.2}×"),
        "≥ 1.7×",
        Some(scaling >= 1.7),
    );
    if let Some((big, base, peak, recs, finds, took)) = rss {
        let extra_mb = peak.saturating_sub(base) as f64 / 1024.0;
        row(
            &format!(
                "validate {:.0} MB file ({recs} rec, {finds} findings)",
                big as f64 / MB as f64
            ),
            format!("{:.1} MB/s", mbps(big, took)),
            "",
            None,
        );
        row(
            "peak RSS above baseline (VmHWM)",
            format!("{extra_mb:.1} MB"),
            "≤ 64 MB",
            Some(extra_mb <= 64.0),
        );
        row(
            "  baseline / peak VmHWM",
            format!(
                "{:.1} / {:.1} MB",
                base as f64 / 1024.0,
                peak as f64 / 1024.0
            ),
            "",
            None,
        );
    }
    if findings != 0 {
        println!("note: the generated file should be valid but has {findings} findings");
    }
}
