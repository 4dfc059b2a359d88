//! Whatever the bytes or names, the reader answers or refuses: it never panics. Random edits of
//! a golden send set (bytes overwritten, inserted, cut; names changed; files dropped or doubled).

use cpcert_alternate::{File, import};
use proptest::prelude::*;

mod common;
use common::golden;

#[derive(Debug, Clone)]
enum Edit {
    Overwrite {
        file: usize,
        at: usize,
        byte: u8,
    },
    Insert {
        file: usize,
        at: usize,
        bytes: Vec<u8>,
    },
    Cut {
        file: usize,
        at: usize,
        len: usize,
    },
    Rename {
        file: usize,
        at: usize,
        ch: char,
    },
    Drop {
        file: usize,
    },
    Double {
        file: usize,
    },
}

fn edit() -> impl Strategy<Value = Edit> {
    let special = prop::sample::select(vec![
        b',', b'"', b'\r', b'\n', 0x81, 0xFB, 0xEE, 0xF0, 0x00, b'_',
    ]);
    prop_oneof![
        (
            any::<usize>(),
            any::<usize>(),
            prop_oneof![any::<u8>(), special.clone()]
        )
            .prop_map(|(file, at, byte)| Edit::Overwrite { file, at, byte }),
        (
            any::<usize>(),
            any::<usize>(),
            prop::collection::vec(prop_oneof![any::<u8>(), special], 1..8)
        )
            .prop_map(|(file, at, bytes)| Edit::Insert { file, at, bytes }),
        (any::<usize>(), any::<usize>(), 1usize..200).prop_map(|(file, at, len)| Edit::Cut {
            file,
            at,
            len
        }),
        (
            any::<usize>(),
            any::<usize>(),
            prop::sample::select(vec!['_', '.', '0', 'X', 'é', '9'])
        )
            .prop_map(|(file, at, ch)| Edit::Rename { file, at, ch }),
        any::<usize>().prop_map(|file| Edit::Drop { file }),
        any::<usize>().prop_map(|file| Edit::Double { file }),
    ]
}

fn apply(files: &mut Vec<File>, edit: &Edit) {
    if files.is_empty() {
        return;
    }
    let n = files.len();
    match edit {
        Edit::Overwrite { file, at, byte } => {
            let f = &mut files[file % n];
            if !f.bytes.is_empty() {
                let at = at % f.bytes.len();
                f.bytes[at] = *byte;
            }
        }
        Edit::Insert { file, at, bytes } => {
            let f = &mut files[file % n];
            let at = at % (f.bytes.len() + 1);
            f.bytes.splice(at..at, bytes.iter().copied());
        }
        Edit::Cut { file, at, len } => {
            let f = &mut files[file % n];
            let at = at % (f.bytes.len() + 1);
            let end = (at + len).min(f.bytes.len());
            f.bytes.drain(at..end);
        }
        Edit::Rename { file, at, ch } => {
            let f = &mut files[file % n];
            let mut chars: Vec<char> = f.name.chars().collect();
            let at = at % chars.len().max(1);
            if let Some(c) = chars.get_mut(at) {
                *c = *ch;
            }
            f.name = chars.into_iter().collect();
        }
        Edit::Drop { file } => {
            files.remove(file % n);
        }
        Edit::Double { file } => {
            let f = files[file % n].clone();
            files.push(f);
        }
    }
}

const CASES: [&str; 4] = [
    "provider/minimal-from-planner",
    "provider/free-text-multiline-from-planner",
    "planner/deletions-from-provider",
    "prevention-planner/prevention-plans-from-prevention-planner",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn edited_sets_are_answered_or_refused(case in 0usize..CASES.len(), edits in prop::collection::vec(edit(), 1..6)) {
        let mut files = golden(CASES[case]);
        for e in &edits {
            apply(&mut files, e);
        }
        match import(&files) {
            Ok(_) => {}
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
    }
}
