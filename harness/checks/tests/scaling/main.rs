//! Bounded work on any input (issue #12): for each hostile shape, doubling the input at most
//! doubles the work (checked over two doublings), and neither memory nor the findings grow with it.
//!
//! Work is measured three ways: heap bytes at peak and findings' serialized size (both exact,
//! from a counting allocator and serde), and the thread's CPU time as the best of several runs with a
//! generous ratio (a quadratic step quadruples; noise on a shared machine stays well under 1.5×).
//! One test, so that no other test's allocations share the counters.

#![allow(unsafe_code)] // the counting global allocator below

mod shapes;

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::time::Duration;

use cpcert_checks::{ValidateOptions, validate_bytes};
use cpcert_spec::Spec;

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: forwards every call to the system allocator unchanged; only counts sizes.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract is passed on unchanged.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let live = LIVE.fetch_add(layout.size(), Relaxed) + layout.size();
            PEAK.fetch_max(live, Relaxed);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: as above.
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: as above.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            LIVE.fetch_sub(layout.size(), Relaxed);
            let live = LIVE.fetch_add(new_size, Relaxed) + new_size;
            PEAK.fetch_max(live, Relaxed);
        }
        p
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

/// CPU time of this thread (other processes on a shared machine do not count).
fn cpu_time() -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec; the clock id is a constant Linux knows.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    assert_eq!(rc, 0, "clock_gettime(CLOCK_THREAD_CPUTIME_ID)");
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

/// What validating `bytes` cost: (best CPU time, peak heap above the start, findings JSON size).
fn work(bytes: &[u8], spec: &Spec, opts: &ValidateOptions) -> (Duration, usize, usize) {
    let mut best = Duration::MAX;
    let mut peak = 0;
    let mut out = 0;
    for _ in 0..5 {
        let base = LIVE.load(Relaxed);
        PEAK.store(base, Relaxed);
        let t = cpu_time();
        let report = validate_bytes(shapes::NAME, bytes, spec, opts);
        best = best.min(cpu_time().saturating_sub(t));
        peak = PEAK.load(Relaxed) - base;
        out = serde_json::to_vec(&report.findings)
            .expect("findings serialize")
            .len();
    }
    (best, peak, out)
}

#[test]
fn doubling_any_hostile_input_at_most_doubles_the_work() {
    let spec = Spec::embedded();
    // A record limit above both sizes, so that every byte of the larger input is read and
    // checked (an over-limit record is only scanned, which would hide a slow check).
    let opts = ValidateOptions {
        max_record_bytes: 2 << 20,
        ..ValidateOptions::default()
    };
    // Two doublings: linear work grows ×4, quadratic ×16.
    let n = 256 * 1024;
    let mut failures = Vec::new();
    for shape in &shapes::SHAPES {
        let small = (shape.make)(n);
        let large = (shape.make)(4 * n);
        assert_eq!((small.len(), large.len()), (n, 4 * n), "{}", shape.name);
        let (t1, m1, o1) = work(&small, spec, &opts);
        let (t2, m2, o2) = work(&large, spec, &opts);
        let ratio = t2.as_secs_f64() / t1.as_secs_f64().max(1e-6);
        eprintln!(
            "{:<28} time {t1:>10.2?} → {t2:>10.2?} (×{ratio:.2}); peak heap {m1} → {m2} B; \
             findings {o1} → {o2} B",
            shape.name
        );
        // Memory: at most the current record's worth, which grows with the record, never faster.
        if m2 > 4 * m1 + (64 << 10) {
            failures.push(format!("{}: peak heap {m1} → {m2} B", shape.name));
        }
        // Output: findings are capped per rule and quote values cut short, so it stays flat.
        if o2 > o1 + 1024 {
            failures.push(format!("{}: findings {o1} → {o2} B", shape.name));
        }
        // Time: ×4 expected; ×6 leaves room for noise and still fails anything quadratic.
        if ratio > 6.0 {
            failures.push(format!(
                "{}: time {t1:?} → {t2:?} (×{ratio:.2})",
                shape.name
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "work grew faster than the input: {failures:#?}"
    );
}
