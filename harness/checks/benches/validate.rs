//! Validation benchmark (not a test):
//! `scripts/bench [--quick] [--runs N] [--no-rss] [--only-kinds] [--kinds A,B]`
//! (`--generate PATH MB` writes the file only, `--generate-kind KIND DIR MB` writes one kind's
//! per-kind file into DIR and prints its path, `--rss-child PATH` validates one file,
//! `--floor-child PATH` runs the floor on one file: for profiling).
//!
//! Generates a realistic MS932 UPPLAN file (many persons, free text with Japanese and commas)
//! into a temp dir and reports, in one run:
//! - validate throughput (`validate_file`, one thread, best of N),
//! - the floor: the same bytes read, decoded with encoding_rs and parsed by the `csv` crate,
//! - their ratio (target ≥ 0.5),
//! - two files on two threads versus one (target ≥ 1.7×),
//! - peak RSS above baseline while validating a ~1 GB file, measured in a child process
//!   (this binary re-executed with `--rss-child <file>`; target ≤ 64 MB),
//! - per kind (every layout): ~20 MB of that kind's golden records repeated as new persons (each
//!   with personal free text of its own),
//!   validate / floor on the same bytes (target ≥ 0.7),
//! - the hostile shapes of the scaling test (tests/scaling/shapes.rs), 16 MB each: seconds per MB.

use std::fs::File;
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use cpcert_checks::{ValidateOptions, file_kind, validate_file};
use cpcert_csv::{Cell, Ms932Reader, Ms932Writer, Record};
use cpcert_spec::{CURRENT_LAYOUT_VERSION, FieldKind, Layout, Spec};

#[path = "../tests/scaling/shapes.rs"]
mod shapes;

const MB: u64 = 1_000_000;

struct Args {
    quick: bool,
    runs: usize,
    rss: bool,
    rss_child: Option<PathBuf>,
    /// `--floor-child PATH`: run the floor on one file (for profiling).
    floor_child: Option<PathBuf>,
    /// `--probe PATH`: floor, reader alone and validate on one file, best of N each.
    probe: Option<PathBuf>,
    /// `--read-child PATH`: the reader alone on one file (for profiling).
    read_child: Option<PathBuf>,
    generate: Option<(PathBuf, u64)>,
    /// `--generate-kind KIND DIR MB`: write that kind's per-kind file into DIR and exit.
    generate_kind: Option<(String, PathBuf, u64)>,
    /// Skip the UPPLAN throughput, scaling and RSS part.
    only_kinds: bool,
    /// `--kinds A,B`: measure only these kinds in the per-kind part.
    kinds: Option<Vec<String>>,
    /// Size of each per-kind file, in MB.
    per_kind_mb: u64,
}

fn args() -> Args {
    let mut a = Args {
        quick: false,
        runs: 0,
        rss: true,
        rss_child: None,
        floor_child: None,
        probe: None,
        read_child: None,
        generate: None,
        generate_kind: None,
        per_kind_mb: 0,
        only_kinds: false,
        kinds: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--quick" => a.quick = true,
            "--no-rss" => a.rss = false,
            "--only-kinds" => a.only_kinds = true,
            "--kinds" => {
                a.kinds = it.next().map(|k| k.split(',').map(str::to_owned).collect());
            }
            "--runs" => a.runs = it.next().and_then(|n| n.parse().ok()).unwrap_or(3),
            "--rss-child" => a.rss_child = it.next().map(PathBuf::from),
            "--floor-child" => a.floor_child = it.next().map(PathBuf::from),
            "--probe" => a.probe = it.next().map(PathBuf::from),
            "--read-child" => a.read_child = it.next().map(PathBuf::from),
            // For profiling: write a file of N MB and exit.
            "--generate" => {
                let path = it.next().map(PathBuf::from);
                let mb = it.next().and_then(|n| n.parse().ok()).unwrap_or(100);
                a.generate = path.map(|p| (p, mb));
            }
            "--generate-kind" => {
                let kind = it.next();
                let dir = it.next().map(PathBuf::from);
                let mb = it.next().and_then(|n| n.parse().ok()).unwrap_or(20);
                a.generate_kind = kind.zip(dir).map(|(k, d)| (k, d, mb));
            }
            _ => {} // cargo bench passes `--bench`
        }
    }
    if a.runs == 0 {
        a.runs = if a.quick { 2 } else { 3 };
    }
    a.per_kind_mb = if a.quick { 4 } else { 20 };
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

/// Runs `f` and `g` alternately `runs` times each and keeps the best time of each: on a shared
/// machine a burst of load then slows both alike, rather than only the one measured during it.
fn best_pair<T, U>(
    runs: usize,
    mut f: impl FnMut() -> T,
    mut g: impl FnMut() -> U,
) -> ((Duration, T), (Duration, U)) {
    let (mut best_f, mut best_g) = (Duration::MAX, Duration::MAX);
    let (mut out_f, mut out_g) = (None, None);
    for _ in 0..runs {
        let t = Instant::now();
        out_f = Some(f());
        best_f = best_f.min(t.elapsed());
        let t = Instant::now();
        out_g = Some(g());
        best_g = best_g.min(t.elapsed());
    }
    (
        (best_f, out_f.expect("at least one run")),
        (best_g, out_g.expect("at least one run")),
    )
}

fn mbps(bytes: u64, d: Duration) -> f64 {
    bytes as f64 / MB as f64 / d.as_secs_f64()
}

/// The floor: read, decode as MS932 (encoding_rs) and split into records (csv crate).
#[inline(never)]
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

/// The cpcert-csv reader alone over the file (for profiling): records, fields.
#[inline(never)]
fn read_only(path: &Path) -> (u64, u64) {
    let file = File::open(path).expect("open bench file");
    let mut reader = Ms932Reader::new(file);
    let (mut rec, mut issues) = (Record::default(), Vec::new());
    let (mut records, mut fields) = (0, 0);
    while reader.read_record(&mut rec, &mut issues).expect("read") {
        records += 1;
        fields += rec.len() as u64;
        issues.clear();
    }
    (records, fields)
}

#[inline(never)]
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

/// One golden record: each field's text and whether it was quoted.
type GoldenRecord = Vec<(String, bool)>;

/// Every record of every golden file of each kind (text and quoting per field), and one golden
/// file name per kind: realistic data written independently of this benchmark (free text with
/// commas, quotes and line breaks, empty fields, Japanese, 2表 rows), for every layout.
fn golden_records(spec: &Spec) -> std::collections::BTreeMap<String, (String, Vec<GoldenRecord>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../golden");
    let mut files = Vec::new();
    let mut stack = vec![root];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let p = e.path();
            if e.file_type().is_ok_and(|t| t.is_dir()) {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x.eq_ignore_ascii_case("csv")) {
                files.push(p);
            }
        }
    }
    files.sort();
    let mut out = std::collections::BTreeMap::new();
    for path in files {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_owned();
        let Some(kind) = file_kind(&name, spec, CURRENT_LAYOUT_VERSION) else {
            continue;
        };
        let bytes = std::fs::read(&path).expect("read golden file");
        let entry = out.entry(kind).or_insert_with(|| (name, Vec::new()));
        let mut reader = Ms932Reader::new(&bytes[..]);
        let (mut rec, mut issues) = (Record::default(), Vec::new());
        while reader
            .read_record(&mut rec, &mut issues)
            .expect("read golden")
        {
            entry
                .1
                .push(rec.iter().map(|f| (f.text.to_owned(), f.quoted)).collect());
        }
    }
    out
}

/// Kanji of JIS level 1 (MS932 889F–9872), one per person and field: what makes each person's
/// personal text its own.
fn level1_kanji() -> Vec<char> {
    let mut out = Vec::new();
    for lead in 0x88..=0x98u8 {
        for trail in (0x40..=0x7Eu8).chain(0x80..=0xFC) {
            if let Some(text) = encoding_rs::SHIFT_JIS
                .decode_without_bom_handling_and_without_replacement(&[lead, trail])
                && let Some(c) = text.chars().next()
                && ('\u{4E00}'..='\u{9FFF}').contains(&c)
            {
                out.push(c);
            }
        }
    }
    out
}

/// `text` with its last kanji or kana (two bytes in MS932) replaced by `by`, or as it is.
fn personalise(text: &str, by: char) -> std::borrow::Cow<'_, str> {
    let is_wide =
        |c: char| ('\u{3040}'..='\u{30FF}').contains(&c) || ('\u{4E00}'..='\u{9FFF}').contains(&c);
    match text.char_indices().rev().find(|(_, c)| is_wide(*c)) {
        Some((at, c)) => {
            let mut out = String::with_capacity(text.len());
            out.push_str(&text[..at]);
            out.push(by);
            out.push_str(&text[at + c.len_utf8()..]);
            std::borrow::Cow::Owned(out)
        }
        None => std::borrow::Cow::Borrowed(text),
    }
}

/// Writes the golden records of one kind over and over, each pass as a new person: field 3
/// (被保険者番号) renumbered, and the last kanji or kana of each personal text field (the layout's
/// `sensitive` free text: names, addresses, the person's plan texts) replaced by a kanji of that
/// person's own, so that no two persons share such a value (a name, an address or a 援助内容 is
/// a person's own; codes, dates and the golden file's other values repeat as they would). Byte
/// lengths stay as they were, and so do the findings.
fn generate_kind(path: &Path, layout: &Layout, records: &[GoldenRecord], bytes: u64) -> u64 {
    let personal: Vec<bool> = layout
        .fields
        .iter()
        .map(|f| f.sensitive && f.kind == FieldKind::Text)
        .collect();
    let kanji = level1_kanji();
    let mut out = BufWriter::with_capacity(1 << 20, File::create(path).expect("create bench file"));
    let mut written = 0u64;
    let mut pass = 0u64;
    while written < bytes && !records.is_empty() {
        pass += 1;
        let insured = format!("{:010}", pass % 10_000_000_000);
        let mut w = Ms932Writer::new(Vec::new());
        for rec in records {
            let texts: Vec<std::borrow::Cow<'_, str>> = rec
                .iter()
                .enumerate()
                .map(|(i, (text, _))| {
                    if i == 2 {
                        std::borrow::Cow::Borrowed(insured.as_str())
                    } else if personal.get(i).copied().unwrap_or(false) {
                        let by = kanji[(pass as usize * 31 + i) % kanji.len()];
                        personalise(text, by)
                    } else {
                        std::borrow::Cow::Borrowed(text.as_str())
                    }
                })
                .collect();
            let cells: Vec<Cell<'_>> = rec
                .iter()
                .zip(&texts)
                .enumerate()
                .map(|(i, ((_, quoted), text))| {
                    // 被保険者番号 is written plain, whatever the golden file did.
                    if *quoted && i != 2 {
                        Cell::Text(text)
                    } else {
                        Cell::Plain(text)
                    }
                })
                .collect();
            w.write_record(&cells).expect("encode golden record");
        }
        let chunk = w.into_inner().expect("in memory");
        out.write_all(&chunk).expect("write bench file");
        written += chunk.len() as u64;
    }
    out.flush().expect("flush bench file");
    written
}

/// Per kind: validate / floor on the same bytes; then the hostile shapes' seconds per MB.
fn per_kind(a: &Args, dir: &Path) {
    let spec = Spec::embedded();
    let golden = golden_records(spec);
    println!();
    println!(
        "per kind: ~{} MB of golden records each, as many persons (best of {} runs)",
        a.per_kind_mb, a.runs
    );
    println!("| kind | records | findings | MB | validate MB/s | floor MB/s | ratio | target |");
    println!("|---|---:|---:|---:|---:|---:|---:|---|");
    let mut worst: Option<(String, f64)> = None;
    for layout in spec.layouts(CURRENT_LAYOUT_VERSION) {
        if a.kinds.as_ref().is_some_and(|k| !k.contains(&layout.kind)) {
            continue;
        }
        let Some((name, records)) = golden.get(&layout.kind) else {
            println!(
                "| {} | no golden file of this kind | | | | | |",
                layout.kind
            );
            continue;
        };
        let path = dir.join(name);
        let size = generate_kind(&path, layout, records, a.per_kind_mb * MB);
        let ((t_val, (recs, findings)), (t_floor, _)) =
            best_pair(a.runs, || validate(&path), || floor(&path));
        let (v, f) = (mbps(size, t_val), mbps(size, t_floor));
        let ratio = v / f;
        if worst.as_ref().is_none_or(|(_, r)| ratio < *r) {
            worst = Some((layout.kind.clone(), ratio));
        }
        println!(
            "| {} | {recs} | {findings} | {:.1} | {v:.1} | {f:.1} | {ratio:.2} | ≥ 0.7 {} |",
            layout.kind,
            size as f64 / MB as f64,
            if ratio >= 0.7 { "ok" } else { "BELOW TARGET" }
        );
        let _ = std::fs::remove_file(&path);
    }
    if let Some((kind, ratio)) = worst {
        println!("lowest ratio: {kind} {ratio:.2}");
    }
    println!();
    let mb = if a.quick { 4 } else { 16 };
    println!(
        "hostile shapes, {mb} MB each (validate_file, best of {} runs)",
        a.runs
    );
    println!("| shape | s | s/MB | findings |");
    println!("|---|---:|---:|---:|");
    let mut worst: Option<(&str, f64)> = None;
    for shape in &shapes::SHAPES {
        let path = dir.join(shapes::NAME);
        std::fs::write(&path, (shape.make)((mb * MB) as usize)).expect("write shape");
        let (t, (_, findings)) = best(a.runs, || validate(&path));
        let per_mb = t.as_secs_f64() / mb as f64;
        if worst.is_none_or(|(_, w)| per_mb > w) {
            worst = Some((shape.name, per_mb));
        }
        println!(
            "| {} | {:.2} | {per_mb:.3} | {findings} |",
            shape.name,
            t.as_secs_f64()
        );
        let _ = std::fs::remove_file(&path);
    }
    if let Some((name, per_mb)) = worst {
        println!("worst hostile shape: {name}, {per_mb:.3} s/MB");
    }
}

fn main() {
    let a = args();
    if let Some((path, mb)) = &a.generate {
        generate(path, mb * MB);
        return;
    }
    if let Some((kind, dir, mb)) = &a.generate_kind {
        let golden = golden_records(Spec::embedded());
        let Some((name, records)) = golden.get(kind) else {
            eprintln!("no golden file of kind {kind}");
            std::process::exit(2);
        };
        let path = dir.join(name);
        let Some(layout) = Spec::embedded().layout(CURRENT_LAYOUT_VERSION, kind) else {
            eprintln!("no layout of kind {kind}");
            std::process::exit(2);
        };
        generate_kind(&path, layout, records, mb * MB);
        println!("{}", path.display());
        return;
    }
    if let Some(path) = &a.probe {
        let _ = Spec::embedded();
        let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
        let (mut t_floor, mut t_read, mut t_val) = (Duration::MAX, Duration::MAX, Duration::MAX);
        for _ in 0..a.runs {
            t_floor = t_floor.min(best(1, || floor(path)).0);
            t_read = t_read.min(best(1, || read_only(path)).0);
            t_val = t_val.min(best(1, || validate(path)).0);
        }
        let (f, r, v) = (mbps(size, t_floor), mbps(size, t_read), mbps(size, t_val));
        println!(
            "floor {f:.0} MB/s, reader {r:.0} MB/s ({:.2}), validate {v:.0} MB/s ({:.2})",
            r / f,
            v / f
        );
        return;
    }
    if let Some(path) = &a.read_child {
        println!("{:?} records, fields", read_only(path));
        return;
    }
    if let Some(path) = &a.floor_child {
        println!("{} fields", floor(path));
        return;
    }
    if let Some(path) = &a.rss_child {
        rss_child(path);
        return;
    }
    let dir = std::env::temp_dir().join(format!("cpcert-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    if a.only_kinds {
        per_kind(&a, &dir);
        let _ = std::fs::remove_dir_all(&dir);
        return;
    }
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

    let ((t_val, (records, findings)), (t_floor, _)) =
        best_pair(a.runs, || validate(&one), || floor(&one));
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
    per_kind(&a, &dir);
    let _ = std::fs::remove_dir_all(&dir);
}
