//! A fresh challenge: a certification's own scenario data, derived from a seed the certifying
//! body hands to the applicant (`certify --challenge SEED`), so that evidence from another
//! certification, another vendor or an old run cannot be reused.
//!
//! [`Challenge::scenario`] is a deterministic transformation of a suite scenario that keeps its
//! edge-case shape:
//! - persons get names and kana from synthetic lists, birth dates another month and day of the
//!   same year; 被保険者番号 keep their length, letters and leading zeros;
//! - 保険者番号 keep the prefecture digits and get a valid 検証番号; 事業所番号 keep their first
//!   four digits; every occurrence of a number (case file `office` too: [`Challenge::office`])
//!   is mapped the same way, without collisions;
//! - free text (and office names) is rewritten character by character from synthetic care-plan
//!   sentences: the byte length, line breaks, ASCII, punctuation and every "special" character
//!   the scenario exists for (NEC/IBM extensions, trail byte 0x5C, the wave-dash family,
//!   half-width kana, quotes, commas) stay where they are;
//! - service times of a person move together by whole half hours within their time-of-day band
//!   (深夜/早朝/日中/夜間), so durations, order and time premiums hold;
//! - service dates, months, plan dates and 連番 stay: they carry the calendar shapes
//!   (February pro rata, 31-day months, over-30-day short stays) and the file names.
//!
//! The PRNG is SplitMix64 over an FNV-1a hash of (seed, purpose, original value): a dozen
//! lines, stable across platforms and Rust versions, and the same value maps the same way
//! wherever it appears. Nothing here needs cryptographic strength: the seed is not a secret,
//! it only makes each certification's data its own.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::model::Scenario;

/// One certification's challenge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Challenge {
    seed: String,
}

/// Synthetic family names with their kana (no character of them is "special").
const FAMILY: &[(&str, &str)] = &[
    ("佐藤", "サトウ"),
    ("鈴木", "スズキ"),
    ("高橋", "タカハシ"),
    ("田中", "タナカ"),
    ("伊藤", "イトウ"),
    ("渡辺", "ワタナベ"),
    ("山本", "ヤマモト"),
    ("中村", "ナカムラ"),
    ("小林", "コバヤシ"),
    ("加藤", "カトウ"),
    ("吉田", "ヨシダ"),
    ("山田", "ヤマダ"),
    ("佐々木", "ササキ"),
    ("山口", "ヤマグチ"),
    ("松本", "マツモト"),
    ("井上", "イノウエ"),
    ("木村", "キムラ"),
    ("林", "ハヤシ"),
    ("清水", "シミズ"),
    ("山崎", "ヤマザキ"),
    ("森", "モリ"),
    ("池田", "イケダ"),
    ("橋本", "ハシモト"),
    ("阿部", "アベ"),
    ("石川", "イシカワ"),
    ("前田", "マエダ"),
    ("藤田", "フジタ"),
    ("小川", "オガワ"),
    ("岡田", "オカダ"),
    ("長谷川", "ハセガワ"),
];

/// Synthetic given names with their kana.
const GIVEN: &[(&str, &str)] = &[
    ("太郎", "タロウ"),
    ("花子", "ハナコ"),
    ("一郎", "イチロウ"),
    ("和子", "カズコ"),
    ("幸子", "サチコ"),
    ("節子", "セツコ"),
    ("清", "キヨシ"),
    ("茂", "シゲル"),
    ("博", "ヒロシ"),
    ("正子", "マサコ"),
    ("勝", "マサル"),
    ("文子", "フミコ"),
    ("久子", "ヒサコ"),
    ("光子", "ミツコ"),
    ("昭", "アキラ"),
    ("美代子", "ミヨコ"),
    ("進", "ススム"),
    ("勇", "イサム"),
    ("京子", "キョウコ"),
    ("弘子", "ヒロコ"),
    ("健一", "ケンイチ"),
    ("恵子", "ケイコ"),
    ("隆", "タカシ"),
    ("洋子", "ヨウコ"),
];

/// Synthetic care-plan sentences: the characters free text is rewritten from.
const SENTENCES: &[&str] = &[
    "自宅の浴室で安全に入浴できるようになる",
    "週に二回の通所で体力と筋力を保つ",
    "家族の介護負担を軽くしたいとの希望がある",
    "服薬を忘れずに続けられるよう声かけをする",
    "転倒せずに屋内を歩いて移動できる",
    "買い物と調理の一部を手伝ってもらう",
    "地域の集いに月に一回は参加したい",
    "食事をしっかり取り体重を維持する",
    "夜間のトイレ移動を安心して行える",
    "日中は居間で過ごし趣味の園芸を楽しむ",
    "通院に付き添いが必要な状態である",
    "長女が週末に様子を見に来ている",
    "膝の痛みがあり階段の上り下りが難しい",
    "朝の着替えに時間がかかるため見守る",
    "近所の友人と電話で話すことが楽しみ",
];

/// Synthetic place names: what office names and addresses are rewritten from.
const PLACES: &[&str] = &[
    "青葉台",
    "桜川",
    "緑町",
    "松原",
    "東山",
    "西岡",
    "南野",
    "北村",
    "若葉",
    "中央",
    "本町",
    "旭丘",
    "朝日",
    "富士見",
    "泉川",
    "柳町",
    "梅田",
    "竹下",
    "杉並木",
    "星野",
];

/// Keys whose values are names of offices or places (rewritten from [`PLACES`]: kanji and kana
/// replaced, so ケアプランセンター-like katakana stay readable only where they are not kana).
const PLACE_KEYS: &[&str] = &[
    "address",
    "address1",
    "address2",
    "author_office_address",
    "author_office_name",
    "center_name",
    "contact1_address",
    "contact2_address",
    "contact3_address",
    "contact4_address",
    "office_name",
    "support_office_address1",
    "support_office_address2",
    "support_office_name",
    "visitor_address",
];

/// Keys whose values are free text (layout フリーテキスト fields that are prose, not keys).
const TEXT_KEYS: &[&str] = &[
    "assessment_result",
    "board_opinion",
    "care_service",
    "center_opinion",
    "consult_method_other",
    "current_status_note",
    "daily_activity",
    "daily_life",
    "disability_note",
    "disease",
    "economic_note",
    "equipment_name",
    "family_activity",
    "family_situation",
    "friends_community",
    "goal",
    "goal_day",
    "goal_proposal",
    "goal_year",
    "health_issue",
    "health_notes",
    "health_status",
    "health_wish",
    "hobbies",
    "home_life_issue",
    "home_life_status",
    "home_life_wish",
    "institution_doctor",
    "insurance_service",
    "intention",
    "issue",
    "life_history",
    "long_term_goal",
    "mobility_issue",
    "mobility_status",
    "mobility_wish",
    "non_weekly_service",
    "other_reason",
    "overall_issue",
    "overall_policy",
    "person_activity",
    "private_services",
    "provider",
    "public_services",
    "self_care_informal",
    "service_content",
    "short_term_goal",
    "social_issue",
    "social_status",
    "social_wish",
    "support_point",
    "support_policy",
    "treatment",
];

/// Keys whose values are a person's name.
const NAME_KEYS: &[&str] = &[
    "author",
    "author_name",
    "care_manager_name",
    "center_staff_name",
    "consenter",
    "contact1_name",
    "contact2_name",
    "contact3_name",
    "contact4_name",
    "planner_name",
    "visitor_name",
];

/// Keys whose values are HHMM times of a service.
const TIME_KEYS: &[&str] = &["start", "end", "activity_start", "activity_end"];

impl Challenge {
    /// The challenge of `seed` (any text the certifying body chooses).
    pub fn new(seed: impl Into<String>) -> Challenge {
        Challenge { seed: seed.into() }
    }

    /// The seed.
    pub fn seed(&self) -> &str {
        &self.seed
    }

    /// `scenario` with this challenge's own persons, numbers, times and free text.
    pub fn scenario(&self, scenario: &Scenario) -> Scenario {
        let mut value = serde_json::to_value(scenario).unwrap_or(Value::Null);
        let maps = self.maps(&value);
        if let Some(offices) = value.get_mut("offices").and_then(Value::as_array_mut) {
            for office in offices {
                self.place_at(office, "name");
                if let Some(sats) = office.get_mut("satellites").and_then(Value::as_array_mut) {
                    for sat in sats {
                        self.place_at(sat, "name");
                    }
                }
            }
        }
        if let Some(persons) = value.get_mut("persons").and_then(Value::as_array_mut) {
            for person in persons {
                self.person(person);
            }
        }
        replace_numbers(&mut value, &maps);
        self.walk(&mut value, None);
        // The transformation keeps the model's shape, so the value always reads back; should it
        // not, the scenario is returned unchanged rather than a half-changed one.
        serde_json::from_value(value).unwrap_or_else(|_| scenario.clone())
    }

    /// The number an office of `scenario` has in this challenge (for a case file's `office`).
    pub fn office(&self, scenario: &Scenario, number: &str) -> String {
        let value = serde_json::to_value(scenario).unwrap_or(Value::Null);
        self.maps(&value)
            .get(number)
            .cloned()
            .unwrap_or_else(|| number.to_owned())
    }

    fn rng(&self, purpose: &str, value: &str) -> Rng {
        Rng::new(&[self.seed.as_str(), purpose, value])
    }

    /// Old → new for every office, insurer and insured number of the scenario.
    fn maps(&self, value: &Value) -> BTreeMap<String, String> {
        let strings = |path: &[&str]| -> BTreeSet<String> {
            let mut out = BTreeSet::new();
            collect(value, path, &mut out);
            out
        };
        let mut map = BTreeMap::new();
        let mut used: BTreeSet<String> = BTreeSet::new();
        let offices = strings(&["offices", "*", "number"]);
        let mut insurers = strings(&["insurers", "*", "number"]);
        insurers.extend(strings(&["persons", "*", "insurer_no"]));
        insurers.extend(strings(&[
            "persons",
            "*",
            "special_address",
            "facility_insurer_no",
        ]));
        let insured = strings(&["persons", "*", "insured_no"]);
        used.extend(offices.iter().chain(&insurers).chain(&insured).cloned());
        for (set, purpose) in [
            (&offices, "office"),
            (&insurers, "insurer"),
            (&insured, "insured"),
        ] {
            for old in set {
                let mut rng = self.rng(purpose, old);
                let new = (0..1000)
                    .map(|_| match purpose {
                        "office" => office_number(old, &mut rng),
                        "insurer" => insurer_number(old, &mut rng),
                        _ => insured_number(old, &mut rng),
                    })
                    .find(|candidate| !used.contains(candidate))
                    .unwrap_or_else(|| old.clone());
                used.insert(new.clone());
                map.insert(old.clone(), new);
            }
        }
        map
    }

    fn person(&self, person: &mut Value) {
        let name = str_at(person, "name");
        let kana = str_at(person, "kana");
        if plain(&name) && plain(&kana) && !name.is_empty() {
            let mut rng = self.rng("person", &format!("{name}|{kana}"));
            let (f, fk) = FAMILY[rng.below(FAMILY.len())];
            let (g, gk) = GIVEN[rng.below(GIVEN.len())];
            let sep = if name.contains('　') { "　" } else { " " };
            let ksep = if kana.contains('　') { "　" } else { " " };
            set(person, "name", format!("{f}{sep}{g}"));
            if !kana.is_empty() {
                set(person, "kana", format!("{fk}{ksep}{gk}"));
            }
        }
        let birth = str_at(person, "birth_date");
        if birth.len() == 8 && birth.bytes().all(|b| b.is_ascii_digit()) {
            let mut rng = self.rng("birth", &birth);
            let month = 1 + rng.below(12);
            let day = 1 + rng.below(28);
            set(
                person,
                "birth_date",
                format!("{}{month:02}{day:02}", &birth[..4]),
            );
        }
        let phone = str_at(person, "phone");
        if !phone.is_empty() {
            let mut rng = self.rng("phone", &phone);
            let mut seen_group = false;
            let new: String = phone
                .chars()
                .map(|c| {
                    if c == '-' {
                        seen_group = true;
                        c
                    } else if seen_group && c.is_ascii_digit() {
                        char::from(b'0' + rng.below(10) as u8)
                    } else {
                        c
                    }
                })
                .collect();
            set(person, "phone", new);
        }
        // Every time of the person moves by one offset that keeps each in its band.
        let mut times = Vec::new();
        collect_keys(person, TIME_KEYS, &mut times);
        let minutes: Option<Vec<u32>> = times
            .iter()
            .filter(|t| !t.is_empty())
            .map(|t| hhmm(t))
            .collect();
        let offset = minutes
            .and_then(|ms| {
                let mut rng = self.rng("time", &str_at(person, "insured_no"));
                let mut candidates: Vec<i32> = (-4..=6).map(|k| k * 30).collect();
                rng.shuffle(&mut candidates);
                candidates.into_iter().find(|&off| {
                    ms.iter().all(|&m| {
                        let moved = m as i32 + off;
                        (0..24 * 60).contains(&moved) && band(m) == band(moved as u32)
                    })
                })
            })
            .unwrap_or(0);
        if offset != 0 {
            shift_times(person, offset);
        }
        for key in NAME_KEYS {
            self.name_everywhere(person, key);
        }
    }

    fn name_everywhere(&self, value: &mut Value, key: &str) {
        match value {
            Value::Object(map) => {
                for (k, v) in map.iter_mut() {
                    if k == key
                        && let Value::String(s) = v
                        && plain(s)
                        && !s.is_empty()
                    {
                        let mut rng = self.rng("name", s);
                        let (f, _) = FAMILY[rng.below(FAMILY.len())];
                        let (g, _) = GIVEN[rng.below(GIVEN.len())];
                        let sep = if s.contains('　') { "　" } else { " " };
                        *s = if s.contains([' ', '　']) {
                            format!("{f}{sep}{g}")
                        } else {
                            format!("{f}{g}")
                        };
                    } else {
                        self.name_everywhere(v, key);
                    }
                }
            }
            Value::Array(items) => {
                for v in items {
                    self.name_everywhere(v, key);
                }
            }
            _ => {}
        }
    }

    fn place_at(&self, value: &mut Value, key: &str) {
        if let Some(Value::String(s)) = value.get_mut(key) {
            *s = self.place(s);
        }
    }

    /// Free text rewritten character by character (see the module documentation).
    pub fn text(&self, original: &str) -> String {
        self.rewrite("text", original, SENTENCES, replaceable)
    }

    /// An office name or address: its kanji rewritten from synthetic place names (katakana such
    /// as ケアプランセンター and ASCII such as 1-1-1 stay, so it still reads as one).
    pub fn place(&self, original: &str) -> String {
        self.rewrite("place", original, PLACES, |c| {
            replaceable(c) && !matches!(c, '\u{30A1}'..='\u{30FC}')
        })
    }

    fn rewrite(
        &self,
        purpose: &str,
        original: &str,
        words: &[&str],
        replace: impl Fn(char) -> bool,
    ) -> String {
        let mut rng = self.rng(purpose, original);
        let stream: Vec<char> = {
            let mut order: Vec<usize> = (0..words.len()).collect();
            rng.shuffle(&mut order);
            order.into_iter().flat_map(|i| words[i].chars()).collect()
        };
        let mut at = if purpose == "place" {
            0
        } else {
            rng.below(stream.len())
        };
        original
            .chars()
            .map(|c| {
                if replace(c) {
                    let new = stream[at % stream.len()];
                    at += 1;
                    new
                } else {
                    c
                }
            })
            .collect()
    }

    fn walk(&self, value: &mut Value, key: Option<&str>) {
        match value {
            Value::Object(map) => {
                for (k, v) in map.iter_mut() {
                    self.walk(v, Some(k.as_str()));
                }
            }
            Value::Array(items) => {
                for v in items {
                    self.walk(v, key);
                }
            }
            Value::String(s) if key.is_some_and(|k| TEXT_KEYS.contains(&k)) => {
                *s = self.text(s);
            }
            Value::String(s) if key.is_some_and(|k| PLACE_KEYS.contains(&k)) => {
                *s = self.place(s);
            }
            _ => {}
        }
    }
}

/// A character free text rewriting replaces: plain hiragana, katakana and kanji.
fn replaceable(c: char) -> bool {
    matches!(c, '\u{3041}'..='\u{3096}' | '\u{30A1}'..='\u{30FA}' | '\u{30FC}' | '\u{4E00}'..='\u{9FFF}')
        && !special(c)
}

/// Characters a scenario may exist for: outside plain JIS X 0208 (NEC/IBM extensions, the
/// wave-dash family), with trail byte 0x5C, half-width kana, unencodable; and CSV syntax.
pub fn special(c: char) -> bool {
    if matches!(
        c,
        '"' | ','
            | '\r'
            | '\n'
            | '\u{301C}'
            | '\u{FF5E}'
            | '\u{2016}'
            | '\u{2225}'
            | '\u{2212}'
            | '\u{FF0D}'
            | '\u{00A2}'
            | '\u{00A3}'
            | '\u{00AC}'
            | '\u{FFE0}'..='\u{FFE2}'
            | '\u{FF61}'..='\u{FF9F}'
    ) {
        return true;
    }
    if c.is_ascii() {
        return false;
    }
    let mut buf = [0u8; 4];
    match cpcert_csv::encode_ms932(c.encode_utf8(&mut buf)) {
        Ok(bytes) => match bytes.as_slice() {
            [lead, trail] => *trail == 0x5C || matches!(lead, 0x87 | 0xED | 0xEE | 0xFA..=0xFC),
            _ => true,
        },
        Err(_) => true,
    }
}

/// No special character in `text`.
fn plain(text: &str) -> bool {
    !text.chars().any(special)
}

fn str_at(value: &Value, key: &str) -> String {
    value
        .get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}

fn set(value: &mut Value, key: &str, text: String) {
    if let Some(slot) = value.get_mut(key) {
        *slot = Value::String(text);
    }
}

/// Strings at `path` (`*` = every array item).
fn collect(value: &Value, path: &[&str], out: &mut BTreeSet<String>) {
    match path.split_first() {
        None => {
            if let Some(s) = value.as_str().filter(|s| !s.is_empty()) {
                out.insert(s.to_owned());
            }
        }
        Some((&"*", rest)) => {
            for item in value.as_array().into_iter().flatten() {
                collect(item, rest, out);
            }
        }
        Some((key, rest)) => {
            if let Some(v) = value.get(key) {
                collect(v, rest, out);
            }
        }
    }
}

fn collect_keys(value: &Value, keys: &[&str], out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                match v {
                    Value::String(s) if keys.contains(&k.as_str()) => out.push(s.clone()),
                    _ => collect_keys(v, keys, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect_keys(v, keys, out)),
        _ => {}
    }
}

fn shift_times(value: &mut Value, offset: i32) {
    match value {
        Value::Object(map) => {
            for (k, v) in map.iter_mut() {
                match v {
                    Value::String(s) if TIME_KEYS.contains(&k.as_str()) => {
                        if let Some(m) = hhmm(s) {
                            let moved = (m as i32 + offset) as u32;
                            *s = format!("{:02}{:02}", moved / 60, moved % 60);
                        }
                    }
                    _ => shift_times(v, offset),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| shift_times(v, offset)),
        _ => {}
    }
}

/// Minutes of a valid `HHMM` (00:00–23:59).
fn hhmm(text: &str) -> Option<u32> {
    if text.len() != 4 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (h, m) = (
        text[..2].parse::<u32>().ok()?,
        text[2..].parse::<u32>().ok()?,
    );
    (h < 24 && m < 60).then_some(h * 60 + m)
}

/// Time-of-day band of the 介護報酬 premiums: 深夜 (22–6), 早朝 (6–8), 日中 (8–18), 夜間 (18–22).
fn band(minutes: u32) -> u8 {
    match minutes / 60 {
        0..=5 | 22..=23 => 0,
        6..=7 => 1,
        8..=17 => 2,
        _ => 3,
    }
}

/// Every string equal to a mapped number becomes its new number.
fn replace_numbers(value: &mut Value, map: &BTreeMap<String, String>) {
    match value {
        Value::String(s) => {
            if let Some(new) = map.get(s.as_str()) {
                *s = new.clone();
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| replace_numbers(v, map)),
        Value::Object(fields) => fields.values_mut().for_each(|v| replace_numbers(v, map)),
        _ => {}
    }
}

/// 事業所番号: the first four digits kept, the rest drawn; other shapes kept as they are.
fn office_number(old: &str, rng: &mut Rng) -> String {
    if old.len() != 10 || !old.bytes().all(|b| b.is_ascii_digit()) {
        return old.to_owned();
    }
    let tail: String = (0..6)
        .map(|_| char::from(b'0' + rng.below(10) as u8))
        .collect();
    format!("{}{tail}", &old[..4])
}

/// 保険者番号: the prefecture kept, a fictional 9xx municipality drawn, the 検証番号 computed.
fn insurer_number(old: &str, rng: &mut Rng) -> String {
    if old.len() != 6 || !old.bytes().all(|b| b.is_ascii_digit()) {
        return old.to_owned();
    }
    let first5 = format!("{}9{:02}", &old[..2], rng.below(100));
    format!("{first5}{}", insurer_check_digit(&first5))
}

/// The 検証番号 of a 保険者番号's first five digits (weights 2,1,2,1,2 from the right, digit
/// sums, then (10 − sum mod 10) mod 10).
pub fn insurer_check_digit(first5: &str) -> u32 {
    let sum: u32 = first5
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let p = u32::from(b.wrapping_sub(b'0')) * if i % 2 == 0 { 2 } else { 1 };
            p / 10 + p % 10
        })
        .sum();
    (10 - sum % 10) % 10
}

/// 被保険者番号: length, letters and leading zeros kept; the other digits drawn (the first drawn
/// one not zero, so the count of leading zeros holds).
fn insured_number(old: &str, rng: &mut Rng) -> String {
    let zeros = old.bytes().take_while(|&b| b == b'0').count();
    let mut first = true;
    old.bytes()
        .enumerate()
        .map(|(i, b)| {
            if i < zeros || !b.is_ascii_digit() {
                char::from(b)
            } else if first {
                first = false;
                char::from(b'1' + rng.below(9) as u8)
            } else {
                char::from(b'0' + rng.below(10) as u8)
            }
        })
        .collect()
}

/// SplitMix64 seeded with FNV-1a of the parts.
struct Rng(u64);

impl Rng {
    fn new(parts: &[&str]) -> Rng {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for part in parts {
            for b in part.bytes().chain([0xFF]) {
                h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
            }
        }
        Rng(h)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i + 1);
            items.swap(i, j);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vocabulary_is_plain() {
        for (a, b) in FAMILY.iter().chain(GIVEN) {
            assert!(plain(a) && plain(b), "{a} {b}");
        }
        for s in SENTENCES.iter().chain(PLACES) {
            assert!(s.chars().all(replaceable), "{s}");
        }
        assert!(special('ソ') && special('表') && special('髙') && special('～'));
        assert!(special('ｱ') && !special('ア') && !special('山'));
    }

    #[test]
    fn numbers_keep_their_shape() {
        let mut rng = Rng::new(&["t"]);
        for _ in 0..100 {
            let n = insurer_number("139998", &mut rng);
            assert_eq!(&n[..3], "139");
            assert_eq!(
                u32::from(n.as_bytes()[5] - b'0'),
                insurer_check_digit(&n[..5])
            );
            let i = insured_number("0000000001", &mut rng);
            assert_eq!(i.len(), 10);
            assert!(i.starts_with("000000000") && !i.ends_with('0'));
            let h = insured_number("H123456789", &mut rng);
            assert!(h.starts_with('H') && h.len() == 10);
        }
        assert_eq!(insurer_check_digit("13101"), 1);
        assert_eq!(insurer_check_digit("01100"), 7);
    }

    #[test]
    fn text_keeps_length_lines_and_special_characters() {
        let c = Challenge::new("seed");
        let original = "表示ソフト、～を\r\n\"引用\",ｱｲｳ 12時に入浴する";
        let text = c.text(original);
        assert_ne!(text, original);
        assert_eq!(text.chars().count(), original.chars().count());
        for (a, b) in original.chars().zip(text.chars()) {
            if !replaceable(a) {
                assert_eq!(a, b, "{original} → {text}");
            }
        }
        assert_eq!(c.text(original), text, "deterministic");
        // Another seed, another text (two of three seeds may start at the same place).
        assert!(
            ["other", "x", "y"]
                .iter()
                .any(|seed| Challenge::new(*seed).text(original) != text)
        );
    }

    #[test]
    fn times_stay_in_their_band() {
        assert_eq!(band(hhmm("0559").unwrap()), 0);
        assert_eq!(band(hhmm("0600").unwrap()), 1);
        assert_eq!(band(hhmm("1759").unwrap()), 2);
        assert_eq!(band(hhmm("2200").unwrap()), 0);
        assert_eq!(hhmm("2400"), None);
    }
}
