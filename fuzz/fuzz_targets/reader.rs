#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| cpcert_fuzzing::reader(data));
