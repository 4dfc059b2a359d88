//! What a receiving product holds after an import, in the standard's own terms: file kind →
//! records → field No. → value. This is the vocabulary every vendor's importer already uses
//! (the layouts' records and field numbers), so a product answers an import with it instead of
//! cpcert's scenario model; and what the standard requires a receiver to keep
//! (`spec/<version>/receiver.yaml`).

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// One record a product holds: field No. (1-based, as in the layout) → value (decoded text).
///
/// A field that is absent is empty. A field the product declared as not kept may be absent or
/// hold anything: it is not compared.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, JsonSchema)]
#[serde(transparent)]
pub struct HeldRecord(pub BTreeMap<u32, String>);

// By hand: JSON object keys are strings, and serde's buffering (an internally tagged protocol
// message) does not turn "12" into a number on its own.
impl<'de> Deserialize<'de> for HeldRecord {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = BTreeMap::<String, String>::deserialize(d)?;
        raw.into_iter()
            .map(|(k, v)| match k.parse::<u32>() {
                Ok(no) if no > 0 && k.bytes().all(|b| b.is_ascii_digit()) => Ok((no, v)),
                _ => Err(serde::de::Error::custom(format!(
                    "record key {k:?} is not a field No. (1, 2, …)"
                ))),
            })
            .collect::<Result<_, _>>()
            .map(HeldRecord)
    }
}

impl HeldRecord {
    /// A record from its values in column order (No.1 first); empty values are left out.
    pub fn from_values<S: AsRef<str>>(values: &[S]) -> HeldRecord {
        HeldRecord(
            values
                .iter()
                .enumerate()
                .filter(|(_, v)| !v.as_ref().is_empty())
                .map(|(i, v)| (i as u32 + 1, v.as_ref().to_owned()))
                .collect(),
        )
    }

    /// The value of field `no` (empty when absent).
    pub fn get(&self, no: u32) -> &str {
        self.0.get(&no).map_or("", String::as_str)
    }

    /// The values of fields 1..=`count` in column order (absent fields empty).
    pub fn to_values(&self, count: u32) -> Vec<String> {
        (1..=count).map(|no| self.get(no).to_owned()).collect()
    }
}

/// Everything a product holds after an import: file kind (e.g. `UPPLAN`) → its records.
///
/// Only the kinds that carry documents appear: deletion kinds (`DLT…`) never do; a document a
/// later send unit deleted is simply absent. A kind with no records may be absent or empty.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(transparent)]
pub struct HeldRecords(pub BTreeMap<String, Vec<HeldRecord>>);

impl HeldRecords {
    /// The records of `kind` (empty when the kind is absent).
    pub fn records(&self, kind: &str) -> &[HeldRecord] {
        self.0.get(kind).map_or(&[], Vec::as_slice)
    }

    /// Appends a record to `kind`.
    pub fn push(&mut self, kind: &str, record: HeldRecord) {
        self.0.entry(kind.to_owned()).or_default().push(record);
    }

    /// Every kind with at least one record.
    pub fn kinds(&self) -> impl Iterator<Item = &str> {
        self.0
            .iter()
            .filter(|(_, r)| !r.is_empty())
            .map(|(k, _)| k.as_str())
    }

    /// The number of records over every kind.
    pub fn len(&self) -> usize {
        self.0.values().map(Vec::len).sum()
    }

    /// Holds no record at all.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The fields a product declares it does not keep when it imports: file kind → field Nos.
/// Declared once, in `started`; the report lists them per kind.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(transparent)]
pub struct NotKept(pub BTreeMap<String, Vec<u32>>);

impl NotKept {
    /// Whether field `no` of `kind` is declared as not kept.
    pub fn contains(&self, kind: &str, no: u32) -> bool {
        self.0.get(kind).is_some_and(|f| f.contains(&no))
    }

    /// The declared field Nos. of `kind`, sorted, without repeats.
    pub fn fields(&self, kind: &str) -> Vec<u32> {
        let mut out = self.0.get(kind).cloned().unwrap_or_default();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Nothing declared.
    pub fn is_empty(&self) -> bool {
        self.0.values().all(Vec::is_empty)
    }
}

/// A group of fields a receiver must keep, with the reason (spec/<version>/receiver.yaml).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MustKeep {
    /// Field Nos. of the kind.
    pub fields: Vec<u32>,
    /// Why a receiver cannot work without them, in Japanese.
    pub reason_ja: String,
    /// The same in English.
    pub reason_en: String,
    /// Where the standard says so.
    pub spec_place: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_travel_as_field_numbers() {
        let rec = HeldRecord::from_values(&["202407", "", "0000000001"]);
        let mut held = HeldRecords::default();
        held.push("DLTPLAN", rec.clone());
        let json = serde_json::to_string(&held).expect("serialises");
        assert_eq!(json, r#"{"DLTPLAN":[{"1":"202407","3":"0000000001"}]}"#);
        let back: HeldRecords = serde_json::from_str(&json).expect("parses");
        assert_eq!(back, held);
        let bad = serde_json::from_str::<HeldRecords>(r#"{"UPPLAN":[{"No.1":"x"}]}"#);
        assert!(bad.unwrap_err().to_string().contains("not a field No."));
        assert_eq!(rec.to_values(4), ["202407", "", "0000000001", ""]);
        assert_eq!(held.len(), 1);
    }

    #[test]
    fn not_kept_lookup() {
        let nk: NotKept = serde_json::from_str(r#"{"UPSIKYU":[31,30,30]}"#).expect("parses");
        assert!(nk.contains("UPSIKYU", 30));
        assert!(!nk.contains("UPPLAN", 30));
        assert_eq!(nk.fields("UPSIKYU"), [30, 31]);
    }
}
