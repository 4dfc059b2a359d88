//! Record rules (cross-field) and the per-file state some of them need (第7表 totals).
//!
//! Rules find their fields by the layout's field names and kinds, so they apply to every layout
//! that has those fields (UPPLAN and UPJSK share one; 予防 files reuse 第6表/第7表).

use crate::catalogue::RuleId;
use std::collections::BTreeMap;

use cpcert_csv::Record;
use cpcert_spec::{FieldKind, Layout, Spec};

use crate::fields::ServiceKinds;
use crate::sink::{Loc, Sink};
use crate::values::{month_days, valid_date, valid_month, valid_time};

/// Field indices (0-based) the record rules use, resolved once per layout.
pub(crate) struct RecordRules {
    service_date: Option<usize>,
    month: Option<usize>,
    flags31: Vec<usize>,
    time_pairs: Vec<(usize, usize)>,
    date_pairs: Vec<(usize, usize)>,
    service_code: Option<usize>,
    device_codes: Vec<usize>,
    cert_status: Option<usize>,
    care_level: Option<usize>,
    hosoku: Option<(usize, usize)>,
    sikyu: Option<SikyuFields>,
    /// The field whose service kind must be the name's sender kind (files only a service office
    /// sends, one file per office and service kind: 実績 and its deletion).
    sender_kind: Option<SenderKindField>,
}

/// Where a record names its service kind.
#[derive(Clone, Copy)]
enum SenderKindField {
    /// The first two characters of a サービスコード.
    ServiceCode(usize),
    /// A サービス種類コード field.
    ServiceKind(usize),
}

/// What the file name says that record rules compare with.
#[derive(Clone, Copy, Default)]
pub(crate) struct NameFacts<'a> {
    /// The month part (UPHOSOKU: `000000` for a plan set).
    pub(crate) month: Option<&'a str>,
    /// The sender's service kind.
    pub(crate) from_kind: Option<&'a str>,
}

#[derive(Clone, Copy)]
struct SikyuFields {
    office: usize,
    units: usize,
    discount_rate: usize,
    discount_units: usize,
}

/// Per-person state for the 第7表 total/subtotal rules.
///
/// A person's rows are consecutive in practice: the current person's rows are kept out of the
/// map, so that a record of the same person costs no lookup and no allocation; they go back to
/// the map when another person's record comes (and come out of it again if that person returns).
#[derive(Default)]
pub(crate) struct SikyuState {
    persons: BTreeMap<(String, String), PersonRows>,
    /// The current person (保険者番号, 被保険者番号) and their rows; not in `persons`.
    current: Option<((String, String), PersonRows)>,
    truncated: bool,
}

impl SikyuState {
    /// The rows of the person (`insurer`, `insured`), made current; `None` when that person is
    /// new and the person cap is reached.
    fn person(&mut self, insurer: &str, insured: &str, first: Loc) -> Option<&mut PersonRows> {
        let same = self
            .current
            .as_ref()
            .is_some_and(|((a, b), _)| a == insurer && b == insured);
        if !same {
            let key = (insurer.to_owned(), insured.to_owned());
            let next = match self.persons.remove_entry(&key) {
                Some(entry) => entry,
                None if self.persons.len() + usize::from(self.current.is_some())
                    >= SIKYU_PERSON_CAP =>
                {
                    self.truncated = true;
                    return None;
                }
                None => (
                    key,
                    PersonRows {
                        first,
                        ..PersonRows::default()
                    },
                ),
            };
            if let Some((key, rows)) = self.current.replace(next) {
                self.persons.insert(key, rows);
            }
        }
        self.current.as_mut().map(|(_, rows)| rows)
    }
}

#[derive(Default)]
struct PersonRows {
    first: Loc,
    has_total: bool,
    /// Per service kind: its rows other than summaries, and whether it has a subtotal. A
    /// person has few kinds: a short list, sorted at the end.
    kinds: Vec<(String, (u32, bool))>,
}

const SIKYU_PERSON_CAP: usize = 100_000;

fn index(layout: &Layout, pred: impl Fn(&cpcert_spec::Field) -> bool) -> Option<usize> {
    layout.fields.iter().position(pred)
}

fn pairs(layout: &Layout, kinds: &[FieldKind]) -> Vec<(usize, usize)> {
    let f = &layout.fields;
    (0..f.len().saturating_sub(1))
        .filter(|&i| {
            kinds.contains(&f[i].kind)
                && kinds.contains(&f[i + 1].kind)
                && f[i].name.contains("開始")
                && f[i + 1].name.contains("終了")
        })
        .map(|i| (i, i + 1))
        .collect()
}

impl RecordRules {
    pub(crate) fn new(layout: &Layout, spec: &Spec, version: &str) -> Self {
        let named = |name: &str| index(layout, |f| f.name == name);
        let sikyu = (layout.kind == "UPSIKYU").then(|| {
            Some(SikyuFields {
                office: named("サービス事業所コード")?,
                units: named("単位数")?,
                discount_rate: named("割引後率")?,
                discount_units: named("割引後単位数")?,
            })
        });
        let hosoku = layout
            .fields
            .iter()
            .filter(|f| f.sentinel.is_some())
            .map(|f| f.no as usize - 1)
            .collect::<Vec<_>>();
        RecordRules {
            service_date: named("サービス利用日"),
            month: named("対象年月"),
            flags31: layout
                .fields
                .iter()
                .enumerate()
                .filter(|(_, f)| f.kind == FieldKind::Flags31)
                .map(|(i, _)| i)
                .collect(),
            time_pairs: pairs(layout, &[FieldKind::Time, FieldKind::TimeOr9999]),
            date_pairs: pairs(layout, &[FieldKind::Date]),
            service_code: index(layout, |f| f.kind == FieldKind::ServiceCode),
            device_codes: layout
                .fields
                .iter()
                .enumerate()
                .filter(|(_, f)| f.kind == FieldKind::DeviceCode)
                .map(|(i, _)| i)
                .collect(),
            cert_status: named("認定状況区分"),
            care_level: named("要介護状態区分").or_else(|| named("要支援状態区分")),
            hosoku: match hosoku.as_slice() {
                [date, month] => Some((*date, *month)),
                _ => None,
            },
            sikyu: sikyu.flatten(),
            sender_kind: sent_by_service_office(spec, version, &layout.kind)
                .then(|| {
                    index(layout, |f| f.kind == FieldKind::ServiceCode)
                        .map(SenderKindField::ServiceCode)
                        .or_else(|| {
                            index(layout, |f| f.kind == FieldKind::ServiceKind)
                                .map(SenderKindField::ServiceKind)
                        })
                })
                .flatten(),
        }
    }

    /// Checks one record (field count already right).
    pub(crate) fn check(
        &self,
        kinds: &mut ServiceKinds<'_>,
        layout: &Layout,
        rec: &Record,
        name: NameFacts<'_>,
        state: &mut SikyuState,
        sink: &mut Sink,
    ) {
        let text = |i: usize| rec.text(i);
        let at = |i: usize| {
            let f = rec.field(i);
            Loc {
                record: Some(rec.number()),
                line: f.map(|f| f.line),
                byte_offset: f.map(|f| f.byte_offset),
            }
        };
        let fld = |i: usize| layout.fields.get(i);
        let month = self.month.map(text).filter(|m| valid_month(m));
        if let (Some(d), Some(m)) = (self.service_date, month) {
            let date = text(d);
            if valid_date(date) && &date[..6] != m {
                sink.push_with(RuleId::ServiceDateInMonth, at(d), fld(d), false, || {
                    (
                        format!("{m}01–{m}{:02}", month_days(m).unwrap_or(31)),
                        date.to_owned(),
                    )
                });
            }
        }
        if let Some(days) = month.and_then(month_days) {
            for &i in &self.flags31 {
                let flags = text(i);
                if flags.len() == 31 && flags.bytes().skip(days as usize).any(|b| b == b'1') {
                    sink.push_with(RuleId::Flags31DayExists, at(i), fld(i), false, || {
                        (format!("{days}日目まで / days 1–{days}"), flags.to_owned())
                    });
                }
            }
        }
        for &(s, e) in &self.time_pairs {
            let (start, end) = (text(s), text(e));
            match (start == "9999", end == "9999") {
                (true, false) | (false, true) if !start.is_empty() && !end.is_empty() => {
                    sink.push_with(RuleId::Time9999Pair, at(s), fld(s), false, || {
                        ("両方 9999 / both 9999".to_owned(), format!("{start}–{end}"))
                    });
                }
                (false, false) if valid_time(start) && valid_time(end) && end < start => {
                    sink.push_with(RuleId::TimeOrder, at(s), fld(s), false, || {
                        ("開始 ≤ 終了".to_owned(), format!("{start}–{end}"))
                    });
                }
                _ => {}
            }
        }
        for &(s, e) in &self.date_pairs {
            let (start, end) = (text(s), text(e));
            if valid_date(start) && valid_date(end) && end < start {
                sink.push_with(RuleId::DateOrder, at(s), fld(s), false, || {
                    ("開始日 ≤ 終了日".to_owned(), format!("{start}–{end}"))
                });
            }
        }
        if let Some(c) = self.service_code {
            let code = text(c);
            let summary = is_summary_code(code);
            if code.len() == 6 && !summary && !self.device_codes.is_empty() {
                let device = kinds
                    .get(code.get(..2).unwrap_or_default())
                    .is_some_and(|k| k.device);
                let has_code = self.device_codes.iter().any(|&i| !text(i).is_empty());
                if device && !has_code {
                    let i = self.device_codes[0];
                    sink.push_with(RuleId::DeviceCodeRequired, at(i), fld(i), false, || {
                        (
                            "TAISコード / 届出コード".to_owned(),
                            format!("サービスコード {code}"),
                        )
                    });
                } else if !device && has_code {
                    let i = *self
                        .device_codes
                        .iter()
                        .find(|&&i| !text(i).is_empty())
                        .unwrap_or(&self.device_codes[0]);
                    sink.push(
                        RuleId::DeviceCodeUnexpected,
                        at(i),
                        fld(i),
                        "空 / empty",
                        text(i),
                        false,
                    );
                }
            }
            if let Some(sf) = self.sikyu {
                self.check_sikyu(code, summary, sf, rec, &at, layout, state, sink);
            }
        }
        if let (Some(s), Some(l)) = (self.cert_status, self.care_level)
            && text(s) == "2"
            && text(l).is_empty()
        {
            sink.push(
                RuleId::CertifiedWithoutCareLevel,
                at(l),
                fld(l),
                "要介護状態区分あり",
                "",
                false,
            );
        }
        if let Some((d, m)) = self.hosoku {
            let (date, month) = (text(d), text(m));
            let plan = month == "000000" && valid_date(date);
            let sheet = date == "00000000" && valid_month(month);
            let sentinel_used = month == "000000" || date == "00000000";
            if sentinel_used && !(plan || sheet) {
                sink.push_with(RuleId::HosokuSentinel, at(d), fld(d), false, || {
                    (
                        "(作成日, 000000) / (00000000, 対象年月)".to_owned(),
                        format!("({date}, {month})"),
                    )
                });
            }
            // The name's month says which set the file belongs to (rules.md §4, §7): both
            // placeholders are checked against it, whichever one the record carries.
            match name.month {
                Some("000000") if date == "00000000" || month != "000000" => sink.push_with(
                    RuleId::HosokuSet,
                    at(if date == "00000000" { d } else { m }),
                    fld(if date == "00000000" { d } else { m }),
                    false,
                    || {
                        (
                            "名前 000000: (作成日 YYYYMMDD, 000000)".to_owned(),
                            format!("({date}, {month})"),
                        )
                    },
                ),
                Some(nm) if valid_month(nm) && date != "00000000" => {
                    sink.push_with(RuleId::HosokuSet, at(d), fld(d), false, || {
                        (
                            format!("名前 {nm}: (00000000, {nm})"),
                            format!("({date}, {month})"),
                        )
                    })
                }
                _ => {}
            }
        }
        if let (Some(field), Some(from_kind)) = (self.sender_kind, name.from_kind) {
            let (i, kind) = match field {
                SenderKindField::ServiceCode(i) => (i, text(i).get(..2).unwrap_or_default()),
                SenderKindField::ServiceKind(i) => (i, text(i)),
            };
            // Unknown or malformed kinds are the field rules' business.
            if kind.len() == 2 && kinds.get(kind).is_some() && kind != from_kind {
                sink.push_with(RuleId::SenderKindMismatch, at(i), fld(i), false, || {
                    (
                        format!("送信元サービス種類 {from_kind}"),
                        text(i).to_owned(),
                    )
                });
            }
        }
    }

    #[expect(
        clippy::too_many_arguments,
        reason = "one call site; the pieces are all needed"
    )]
    fn check_sikyu(
        &self,
        code: &str,
        summary: bool,
        sf: SikyuFields,
        rec: &Record,
        at: &dyn Fn(usize) -> Loc,
        layout: &Layout,
        state: &mut SikyuState,
        sink: &mut Sink,
    ) {
        let text = |i: usize| rec.text(i);
        if code == "999999" && text(sf.office) != "9999999999" {
            sink.push(
                RuleId::SikyuTotalOffice,
                at(sf.office),
                layout.fields.get(sf.office),
                "9999999999",
                text(sf.office),
                false,
            );
        }
        if summary {
            let units_ok = matches!(text(sf.units), "0" | "");
            let discounts_empty =
                text(sf.discount_rate).is_empty() && text(sf.discount_units).is_empty();
            if !units_ok || !discounts_empty {
                let actual = format!(
                    "単位数={}, 割引後率={}, 割引後単位数={}",
                    text(sf.units),
                    text(sf.discount_rate),
                    text(sf.discount_units)
                );
                sink.push(
                    RuleId::SikyuSummaryValues,
                    at(sf.units),
                    layout.fields.get(sf.units),
                    "単位数=0, 割引後率/割引後単位数=空",
                    &actual,
                    false,
                );
            }
        }
        let Some(rows) = state.person(text(1), text(2), at(0)) else {
            return;
        };
        if code == "999999" {
            rows.has_total = true;
        } else if let Some(kind) = code.get(..2).filter(|_| code.len() == 6) {
            let at = match rows.kinds.iter().position(|(k, _)| k == kind) {
                Some(at) => at,
                None => {
                    rows.kinds.push((kind.to_owned(), (0, false)));
                    rows.kinds.len() - 1
                }
            };
            let entry = &mut rows.kinds[at].1;
            if code.ends_with("AAAA") {
                entry.1 = true;
            } else if !summary {
                entry.0 += 1;
            }
        }
    }
}

/// Whether only the service office (居宅サービス事業所) sends files of `kind` (spec roles.yaml):
/// such a file is made per (office, service kind), so the name's sender kind is the records'.
fn sent_by_service_office(spec: &Spec, version: &str, kind: &str) -> bool {
    let Some(roles) = spec.roles(version) else {
        return false;
    };
    let mut exporters = roles
        .roles
        .iter()
        .filter(|(_, row)| row.export.contains_key(kind))
        .map(|(id, _)| id.as_str());
    exporters.next() == Some(cpcert_spec::Role::Provider.id()) && exporters.next().is_none()
}

/// 第7表 subtotal (`<kind>AAAA`/`EEEE`/`ZZZZ`) and total (`999999`) rows.
pub(crate) fn is_summary_code(code: &str) -> bool {
    code == "999999" || code.len() == 6 && matches!(code.get(2..), Some("AAAA" | "EEEE" | "ZZZZ"))
}

/// End-of-file rules of 第7表: every person has a total, and kinds with several rows a subtotal.
pub(crate) fn finish_sikyu(mut state: SikyuState, sink: &mut Sink) {
    if let Some((key, rows)) = state.current.take() {
        state.persons.insert(key, rows);
    }
    for ((insurer, insured), rows) in state.persons {
        // The person is located by the record of their first row; numbers stay out of the text.
        let _ = (insurer, insured);
        let who = "";
        if !rows.has_total {
            sink.push(
                RuleId::SikyuTotalMissing,
                rows.first,
                None,
                "999999",
                "なし / none",
                false,
            );
        }
        let mut kinds = rows.kinds;
        kinds.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        for (kind, (count, has_subtotal)) in kinds {
            if count > 1 && !has_subtotal {
                sink.push(
                    RuleId::SikyuSubtotalMissing,
                    rows.first,
                    None,
                    &format!("{kind}AAAA"),
                    &format!("{who}{kind} × {count}"),
                    false,
                );
            }
        }
    }
    if state.truncated {
        sink.push(
            RuleId::UnitKeysNotChecked,
            Loc::default(),
            None,
            &format!("≤ {SIKYU_PERSON_CAP}"),
            "> cap",
            false,
        );
    }
}
