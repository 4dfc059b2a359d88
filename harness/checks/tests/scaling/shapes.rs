//! Hostile input shapes (issue #12): each makes one kind of fault the whole file. Shared by the
//! scaling test and the benchmark (`benches/validate.rs` includes this file).

/// The file name every shape is validated under (a 実績 file, so every field rule applies).
pub(crate) const NAME: &str = "UPJSK_202504_1399100101_11_1399100001_43_20250502100000.CSV";

/// A hostile shape: its name and a generator of exactly `n` bytes.
pub(crate) struct Shape {
    pub(crate) name: &'static str,
    pub(crate) make: fn(usize) -> Vec<u8>,
}

fn repeat(pattern: &[u8], n: usize) -> Vec<u8> {
    pattern.iter().copied().cycle().take(n).collect()
}

/// Every shape of issue #12's inputs, plus long fields and many tiny records.
pub(crate) const SHAPES: [Shape; 7] = [
    // An undecodable byte every 2 bytes (FF is never MS932).
    Shape {
        name: "undecodable-every-2-bytes",
        make: |n| repeat(b"\xFFA", n),
    },
    Shape {
        name: "only-cr",
        make: |n| repeat(b"\r", n),
    },
    Shape {
        name: "only-lf",
        make: |n| repeat(b"\n", n),
    },
    Shape {
        name: "stray-quotes",
        make: |n| repeat(b"a\"", n),
    },
    // One quote opened at the start and never closed: the rest is one field of many lines.
    Shape {
        name: "one-unterminated-quote",
        make: |n| {
            let mut v = repeat(b"ab\r\n", n);
            if let Some(b) = v.first_mut() {
                *b = b'"';
            }
            v
        },
    },
    // Fields of 256 KiB of Japanese text (表, whose trail byte is `\`), unquoted.
    Shape {
        name: "long-fields",
        make: |n| {
            let mut field = b"\x95\x5C".repeat(128 * 1024);
            field.push(b',');
            repeat(&field, n)
        },
    },
    Shape {
        name: "many-tiny-records",
        make: |n| repeat(b"1\r\n", n),
    },
];
