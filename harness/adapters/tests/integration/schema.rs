//! The committed protocol schema matches the message types (`UPDATE_SCHEMA=1` rewrites it).

use std::path::Path;

#[test]
fn committed_protocol_schema_is_current() {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/adapter-protocol.schema.json");
    let mut expected = serde_json::to_string_pretty(&cpcert_adapters::protocol_schema()).unwrap();
    expected.push('\n');
    match std::env::var("UPDATE_SCHEMA").as_deref() {
        Ok("1") => std::fs::write(&path, &expected).unwrap(),
        Ok(other) => panic!("UPDATE_SCHEMA must be 1 or unset, not {other:?}"),
        Err(_) => {
            let committed = std::fs::read_to_string(&path).unwrap_or_default();
            assert!(
                committed == expected,
                "{} is stale: run `UPDATE_SCHEMA=1 cargo test -p cpcert-adapters --test integration schema`",
                path.display()
            );
        }
    }
}

#[test]
fn messages_round_trip_as_documented() {
    use cpcert_adapters::message::{AdapterMessage, HarnessMessage};
    let stop: HarnessMessage = serde_json::from_str(r#"{"type":"stop"}"#).unwrap();
    assert_eq!(serde_json::to_string(&stop).unwrap(), r#"{"type":"stop"}"#);
    let started: AdapterMessage = serde_json::from_str(
        r#"{"type":"started","protocol":1,"product":{"name":"p","version":"1"},
            "roles":["prevention-planner"],"future_field":true}"#,
    )
    .unwrap();
    assert!(matches!(
        started,
        AdapterMessage::Started { protocol: 1, .. }
    ));
    let error: AdapterMessage =
        serde_json::from_str(r#"{"type":"error","id":3,"message":"no"}"#).unwrap();
    assert_eq!(
        error,
        AdapterMessage::Error {
            id: Some(3),
            message: "no".into()
        }
    );
}
