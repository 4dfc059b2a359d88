//! The receiver's person master. A person is a 被保険者番号; the attributes several kinds carry
//! (氏名, フリガナ, 性別, 生年月日, 郵便番号, 住所, 電話番号) and the 保険者番号 belong to the person,
//! not to one document: the latest document that carries an attribute sets it, and every
//! document of the person is answered with the person's current values (as a product with one
//! person record shows them). Within one document the root's values win over its 補足's (第1表
//! carries the plan's own 郵便番号 and 住所).

use std::collections::HashMap;

/// Person attribute → the (kind, field No.) that carry it. The layouts name these fields
/// differently (利用者氏名 / 利用者名, フリガナ / ﾌﾘｶﾞﾅ), hence a table.
const ATTRIBUTES: [(&str, &[(&str, u32)]); 8] = [
    ("kana", &[("UPHOSOKU", 5), ("UPKIHON", 14)]),
    ("name", &[("UPHOSOKU", 6), ("UPKIHON", 15), ("UPYOBO", 8)]),
    ("sex", &[("UPHOSOKU", 7), ("UPKIHON", 16)]),
    ("birth", &[("UPHOSOKU", 8), ("UPKIHON", 17)]),
    ("postal", &[("UPHOSOKU", 9), ("UP1KYO", 5)]),
    ("address1", &[("UPHOSOKU", 10), ("UP1KYO", 6)]),
    ("address2", &[("UPHOSOKU", 11), ("UP1KYO", 7)]),
    ("phone", &[("UPHOSOKU", 12), ("UPKIHON", 19)]),
];

/// 保険者番号 and 被保険者番号: No.2 and No.3 of every layout.
pub(crate) const INSURER_NO: u32 = 2;
pub(crate) const INSURED_NO: u32 = 3;

fn get(values: &[String], no: u32) -> Option<&String> {
    usize::try_from(no)
        .ok()
        .and_then(|n| n.checked_sub(1))
        .and_then(|i| values.get(i))
}

#[derive(Debug, Default)]
struct Person {
    insurer: String,
    attributes: HashMap<&'static str, String>,
}

/// Every person the receiver knows, by 被保険者番号.
#[derive(Debug, Default)]
pub(crate) struct Persons {
    by_insured: HashMap<String, Person>,
}

impl Persons {
    /// A record of a person arrived (a document's or a deletion's): its 保険者番号 is now the
    /// person's.
    pub(crate) fn touch(&mut self, values: &[String]) {
        self.person(values);
    }

    fn person(&mut self, values: &[String]) -> Option<&mut Person> {
        let insured = get(values, INSURED_NO)?;
        let person = self.by_insured.entry(insured.clone()).or_default();
        if let Some(insurer) = get(values, INSURER_NO) {
            person.insurer.clone_from(insurer);
        }
        Some(person)
    }

    /// A document arrived: `records` by kind, its root kind `root` last.
    pub(crate) fn put<'a>(
        &mut self,
        root: &str,
        records: impl Iterator<Item = (&'a String, &'a Vec<Vec<String>>)> + Clone,
    ) {
        let Some(head) = records
            .clone()
            .find(|(k, _)| k.as_str() == root)
            .and_then(|(_, r)| r.first())
        else {
            return;
        };
        let Some(person) = self.person(head) else {
            return;
        };
        let children = records.clone().filter(|(k, _)| k.as_str() != root);
        let roots = records.filter(|(k, _)| k.as_str() == root);
        for (kind, recs) in children.chain(roots) {
            let Some(first) = recs.first() else { continue };
            for (attribute, carriers) in ATTRIBUTES {
                for (_, no) in carriers.iter().filter(|(k, _)| k == kind) {
                    if let Some(v) = get(first, *no) {
                        person.attributes.insert(attribute, v.clone());
                    }
                }
            }
        }
    }

    /// A held record of `kind` with the person's current 保険者番号 and attributes.
    pub(crate) fn render(&self, kind: &str, values: &mut [String]) {
        let Some(person) = get(values, INSURED_NO).and_then(|i| self.by_insured.get(i)) else {
            return;
        };
        let mut set = |no: u32, v: &str| {
            if let Some(slot) = usize::try_from(no)
                .ok()
                .and_then(|n| n.checked_sub(1))
                .and_then(|i| values.get_mut(i))
            {
                v.clone_into(slot);
            }
        };
        set(INSURER_NO, &person.insurer);
        for (attribute, carriers) in ATTRIBUTES {
            let Some(v) = person.attributes.get(attribute) else {
                continue;
            };
            for (_, no) in carriers.iter().filter(|(k, _)| *k == kind) {
                set(*no, v);
            }
        }
    }
}
