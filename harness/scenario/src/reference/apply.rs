//! The receiver's semantics, shared by import and by the round-trip normalisation: a send
//! unit becomes a list of [`Item`]s (one per person and document), applied in 連番 order.
//! Newer replaces older under the same key; deletions cascade; a document a later unit deleted
//! is gone, and so is an exchange whose documents are all gone.

use super::Fault;
use cpcert_spec::Role;

use crate::model::{
    BasicInfoDoc, CarePlan, Exchange, Person, ResultSheet, Scenario, SendSet, ServiceMonth,
    Subject, SupplementDoc, SupportPlanDoc,
};
use crate::text::ms932_round_trip;

/// The identity fields a file carries about a person (`None` = not carried).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Identity {
    pub(crate) kana: Option<String>,
    pub(crate) name: Option<String>,
    pub(crate) sex: Option<String>,
    pub(crate) birth_date: Option<String>,
    pub(crate) postal: Option<String>,
    pub(crate) address1: Option<String>,
    pub(crate) address2: Option<String>,
    pub(crate) phone: Option<String>,
}

impl Identity {
    /// What 利用者補足情報 carries (No.5–12).
    pub(crate) fn supplement(p: &Person) -> Self {
        Identity {
            kana: Some(p.kana.clone()),
            name: Some(p.name.clone()),
            sex: Some(p.sex.clone()),
            birth_date: Some(p.birth_date.clone()),
            postal: Some(p.postal.clone()),
            address1: Some(p.address1.clone()),
            address2: Some(p.address2.clone()),
            phone: Some(p.phone.clone()),
        }
    }

    /// What 利用者基本情報 carries (No.14–17, 19).
    pub(crate) fn basic_info(p: &Person) -> Self {
        Identity {
            kana: Some(p.kana.clone()),
            name: Some(p.name.clone()),
            sex: Some(p.sex.clone()),
            birth_date: Some(p.birth_date.clone()),
            phone: Some(p.phone.clone()),
            ..Identity::default()
        }
    }

    /// What 支援計画書 carries (No.8).
    pub(crate) fn name_only(p: &Person) -> Self {
        Identity {
            name: Some(p.name.clone()),
            ..Identity::default()
        }
    }

    fn apply_to(&self, p: &mut Person) {
        let set = |slot: &mut String, v: &Option<String>| {
            if let Some(v) = v {
                slot.clone_from(v);
            }
        };
        set(&mut p.kana, &self.kana);
        set(&mut p.name, &self.name);
        set(&mut p.sex, &self.sex);
        set(&mut p.birth_date, &self.birth_date);
        set(&mut p.postal, &self.postal);
        set(&mut p.address1, &self.address1);
        set(&mut p.address2, &self.address2);
        set(&mut p.phone, &self.phone);
    }

    fn normalise(&mut self) {
        for v in [
            &mut self.kana,
            &mut self.name,
            &mut self.sex,
            &mut self.birth_date,
            &mut self.postal,
            &mut self.address1,
            &mut self.address2,
            &mut self.phone,
        ]
        .into_iter()
        .flatten()
        {
            *v = ms932_round_trip(v);
        }
    }
}

/// What one record group does to the receiver's database.
#[derive(Debug, Clone, PartialEq, Eq)]
// Items live only while one send unit is applied; boxing every variant buys nothing.
#[allow(clippy::large_enum_variant)]
pub(crate) enum Op {
    PutPlan(CarePlan),
    PutMonth(ServiceMonth),
    PutResults(ResultSheet),
    PutBasicInfo(Box<BasicInfoDoc>),
    PutSupportPlan(Box<SupportPlanDoc>),
    DeletePlan(String),
    DeleteMonth(String),
    DeleteResults {
        month: String,
        office: String,
        kind: String,
    },
    DeleteBasicInfo(String),
    DeleteSupportPlan(String),
}

impl Op {
    fn is_delete(&self) -> bool {
        matches!(
            self,
            Op::DeletePlan(_)
                | Op::DeleteMonth(_)
                | Op::DeleteResults { .. }
                | Op::DeleteBasicInfo(_)
                | Op::DeleteSupportPlan(_)
        )
    }
}

/// One person's part of a send unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Item {
    pub(crate) insurer_no: String,
    pub(crate) insured_no: String,
    pub(crate) identity: Identity,
    pub(crate) op: Op,
}

impl Item {
    fn subject(&self) -> Subject {
        let date = match &self.op {
            Op::PutPlan(p) => p.plan_date.clone(),
            Op::PutBasicInfo(b) => b.consult_date.clone(),
            Op::PutSupportPlan(y) => y.plan_date.clone(),
            Op::DeletePlan(d) | Op::DeleteBasicInfo(d) | Op::DeleteSupportPlan(d) => d.clone(),
            Op::PutMonth(_) | Op::PutResults(_) | Op::DeleteMonth(_) | Op::DeleteResults { .. } => {
                String::new()
            }
        };
        Subject {
            insured_no: self.insured_no.clone(),
            date,
        }
    }
}

/// Applies one exchange's items to `state` and records the exchange.
pub(crate) fn apply_unit(
    state: &mut Scenario,
    exchange: &Exchange,
    items: Vec<Item>,
    fault: Option<Fault>,
) {
    let mut subjects: Vec<Subject> = Vec::new();
    for mut item in items {
        if fault == Some(Fault::DropHNumber) && item.insured_no.starts_with('H') {
            continue;
        }
        if fault == Some(Fault::IgnoreDeletions) && item.op.is_delete() {
            continue;
        }
        if let Op::PutMonth(month) = &mut item.op {
            for row in &mut month.plan_rows {
                match fault {
                    // Other providers' rows are taken as the receiver's own.
                    Some(Fault::OtherProviderRowsAsOwn) => {
                        row.office_no.clone_from(&exchange.to.office)
                    }
                    // Times are not imported.
                    Some(Fault::ActualTimesDropped) => {
                        row.start.clear();
                        row.end.clear();
                    }
                    // The サテライト 枝番 is not kept.
                    Some(Fault::SatelliteDropped) => row.satellite.clear(),
                    // The 日割対象日 mask is not kept.
                    Some(Fault::ProRataDropped) => row.pro_rata_days.clear(),
                    // TAIS / 届出 codes are not kept.
                    Some(Fault::DeviceCodesDropped) => {
                        row.tais_code.clear();
                        row.notified_code.clear();
                    }
                    _ => {}
                }
            }
        }
        let subject = item.subject();
        if !subjects.contains(&subject) {
            subjects.push(subject);
        }
        let idx = match state
            .persons
            .iter()
            .position(|p| p.insured_no == item.insured_no)
        {
            Some(i) => i,
            None => {
                state.persons.push(Person {
                    insured_no: item.insured_no.clone(),
                    ..Person::default()
                });
                state.persons.len() - 1
            }
        };
        let Some(person) = state.persons.get_mut(idx) else {
            continue;
        };
        person.insurer_no.clone_from(&item.insurer_no);
        item.identity.apply_to(person);
        match item.op {
            Op::PutPlan(plan) => {
                person.plans.retain(|p| p.plan_date != plan.plan_date);
                person.plans.push(plan);
            }
            Op::PutMonth(month) => {
                person.months.retain(|m| m.month != month.month);
                person.months.push(month);
            }
            Op::PutResults(sheet) => {
                person.results.retain(|r| {
                    !(r.month == sheet.month && r.office == sheet.office && r.kind == sheet.kind)
                });
                person.results.push(sheet);
            }
            Op::PutBasicInfo(doc) => {
                person
                    .basic_infos
                    .retain(|b| b.consult_date != doc.consult_date);
                person.basic_infos.push(*doc);
            }
            Op::PutSupportPlan(doc) => {
                person
                    .support_plans
                    .retain(|y| y.plan_date != doc.plan_date);
                person.support_plans.push(*doc);
            }
            // DLT1KYO: the 1表 and with it its 2表, 3表 and 補足 (all in the CarePlan).
            Op::DeletePlan(date) if fault == Some(Fault::NoDeleteCascade) => {
                // Deletes the 1表 only; the 2表/3表 stay.
                for plan in person.plans.iter_mut().filter(|p| p.plan_date == date) {
                    plan.table1 = Default::default();
                }
            }
            Op::DeletePlan(date) => person.plans.retain(|p| p.plan_date != date),
            // DLTPLAN: 6表 予定 and with it 7表 and the month's 補足.
            Op::DeleteMonth(month) => person.months.retain(|m| m.month != month),
            // DLTJSK: one office's 実績 of one service kind.
            Op::DeleteResults {
                month,
                office,
                kind,
            } => person
                .results
                .retain(|r| !(r.month == month && r.office == office && r.kind == kind)),
            // DLTKIHON: 基本情報 with 別表1, 別表2 and the picture.
            Op::DeleteBasicInfo(date) => person.basic_infos.retain(|b| b.consult_date != date),
            // DLTYOBO: 支援計画書 with its 別表.
            Op::DeleteSupportPlan(date) => person.support_plans.retain(|y| y.plan_date != date),
        }
    }
    let mut exchange = exchange.clone();
    exchange.subjects = subjects;
    state.exchanges.push(exchange);
}

/// Drops the subjects (and then exchanges) whose documents are gone, and sorts.
pub(crate) fn finish(state: &mut Scenario) {
    let persons = state.persons.clone();
    for ex in &mut state.exchanges {
        ex.subjects.retain(|s| {
            let Some(p) = persons.iter().find(|p| p.insured_no == s.insured_no) else {
                return false;
            };
            match ex.set {
                SendSet::Plan => p.plans.iter().any(|x| x.plan_date == s.date),
                SendSet::Month => p.months.iter().any(|m| m.month == ex.month),
                SendSet::Results => p.results.iter().any(|r| {
                    r.month == ex.month && r.office == ex.from.office && r.kind == ex.from.kind
                }),
                SendSet::BasicInfo => p.basic_infos.iter().any(|b| b.consult_date == s.date),
                SendSet::SupportPlan => p.support_plans.iter().any(|y| y.plan_date == s.date),
                SendSet::DeletePlan
                | SendSet::DeleteMonth
                | SendSet::DeleteResults
                | SendSet::DeleteBasicInfo
                | SendSet::DeleteSupportPlan => true,
            }
        });
    }
    state.exchanges.retain(|e| !e.subjects.is_empty());
    sort_scenario(state);
}

/// The canonical order: persons by (保険者番号, 被保険者番号), documents by key, exchanges by
/// (連番, 送信元, 送信先, set, month). Rows keep their order (it is the print order).
pub(crate) fn sort_scenario(s: &mut Scenario) {
    s.persons
        .sort_by(|a, b| (&a.insurer_no, &a.insured_no).cmp(&(&b.insurer_no, &b.insured_no)));
    for p in &mut s.persons {
        p.plans.sort_by(|a, b| a.plan_date.cmp(&b.plan_date));
        p.months.sort_by(|a, b| a.month.cmp(&b.month));
        p.results
            .sort_by(|a, b| (&a.month, &a.office, &a.kind).cmp(&(&b.month, &b.office, &b.kind)));
        p.basic_infos
            .sort_by(|a, b| a.consult_date.cmp(&b.consult_date));
        p.support_plans
            .sort_by(|a, b| a.plan_date.cmp(&b.plan_date));
    }
    s.exchanges
        .sort_by(|a, b| exchange_order(a).cmp(&exchange_order(b)));
}

pub(crate) fn exchange_order(e: &Exchange) -> impl Ord + '_ {
    (&e.sequence, &e.from, &e.to, e.set, &e.month)
}

/// The exchanges `role` sends, in processing order.
pub(crate) fn exchanges_of(s: &Scenario, role: Role) -> Vec<&Exchange> {
    let mut out: Vec<&Exchange> = s
        .exchanges
        .iter()
        .filter(|e| e.sender_role() == role && e.set.sent_by(role))
        .collect();
    out.sort_by(|a, b| exchange_order(a).cmp(&exchange_order(b)));
    out
}

/// The exchange as the files give it back: the role only where the default does not hold,
/// the month only for monthly sets.
pub(crate) fn normalise_exchange(e: &Exchange) -> Exchange {
    let mut e = e.clone();
    if e.role == Some(e.set.default_role()) {
        e.role = None;
    }
    if !e.set.is_monthly() {
        e.month.clear();
    }
    for s in &mut e.subjects {
        if e.set.is_monthly() {
            s.date.clear();
        }
    }
    e
}

fn supplement_normalised(d: &SupplementDoc) -> SupplementDoc {
    let mut d = d.clone();
    d.fields.map_values(&ms932_round_trip);
    for t in &mut d.type_limits {
        for v in [&mut t.kind, &mut t.limit, &mut t.total, &mut t.over] {
            *v = ms932_round_trip(v);
        }
    }
    while d.type_limits.last().is_some_and(|t| {
        t.kind.is_empty() && t.limit.is_empty() && t.total.is_empty() && t.over.is_empty()
    }) {
        d.type_limits.pop();
    }
    d
}

fn rt(v: &str) -> String {
    ms932_round_trip(v)
}

/// The items a receiver would get from the files of `ex`, built from the scenario's own
/// documents; subjects whose person or document is missing are skipped.
pub(crate) fn items_from_scenario(s: &Scenario, ex: &Exchange) -> Vec<Item> {
    let mut items = Vec::new();
    for subject in &ex.subjects {
        let Some(p) = s.person(&subject.insured_no) else {
            continue;
        };
        let mut item = |identity: Identity, op: Op| {
            let mut identity = identity;
            identity.normalise();
            items.push(Item {
                insurer_no: rt(&p.insurer_no),
                insured_no: rt(&p.insured_no),
                identity,
                op,
            });
        };
        match ex.set {
            SendSet::Plan => {
                if let Some(plan) = p.plans.iter().find(|x| x.plan_date == subject.date) {
                    let mut plan = plan.clone();
                    plan.plan_date = rt(&plan.plan_date);
                    plan.created = rt(&plan.created);
                    plan.table1.map_values(&rt);
                    plan.table2.iter_mut().for_each(|r| r.map_values(&rt));
                    plan.table3.iter_mut().for_each(|r| r.map_values(&rt));
                    plan.supplement = supplement_normalised(&plan.supplement);
                    item(Identity::supplement(p), Op::PutPlan(plan));
                }
            }
            SendSet::Month => {
                if let Some(m) = p.months.iter().find(|m| m.month == ex.month) {
                    let mut m = m.clone();
                    for v in [
                        &mut m.month,
                        &mut m.created,
                        &mut m.planner_office,
                        &mut m.planner_name,
                    ] {
                        *v = rt(v);
                    }
                    m.plan_rows.iter_mut().for_each(|r| r.map_values(&rt));
                    m.summary_rows.iter_mut().for_each(|r| r.map_values(&rt));
                    m.supplement = supplement_normalised(&m.supplement);
                    item(Identity::supplement(p), Op::PutMonth(m));
                }
            }
            SendSet::Results => {
                if let Some(r) = p.results.iter().find(|r| {
                    r.month == ex.month && r.office == ex.from.office && r.kind == ex.from.kind
                }) {
                    let mut r = r.clone();
                    for v in [
                        &mut r.month,
                        &mut r.office,
                        &mut r.kind,
                        &mut r.created,
                        &mut r.planner_office,
                        &mut r.planner_name,
                    ] {
                        *v = rt(v);
                    }
                    r.rows.iter_mut().for_each(|x| x.map_values(&rt));
                    item(Identity::default(), Op::PutResults(r));
                }
            }
            SendSet::BasicInfo => {
                if let Some(b) = p
                    .basic_infos
                    .iter()
                    .find(|b| b.consult_date == subject.date)
                {
                    let mut b = b.clone();
                    b.consult_date = rt(&b.consult_date);
                    b.fields.map_values(&rt);
                    b.daily_life_rows.iter_mut().for_each(|x| x.map_values(&rt));
                    b.medical_history.iter_mut().for_each(|x| x.map_values(&rt));
                    if let Some(pic) = &mut b.picture {
                        // The picture travels as bytes: canonical base64.
                        if let Some(bytes) = crate::text::base64_decode(&pic.jpeg_base64) {
                            pic.jpeg_base64 = crate::text::base64_encode(&bytes);
                        }
                    }
                    item(Identity::basic_info(p), Op::PutBasicInfo(Box::new(b)));
                }
            }
            SendSet::SupportPlan => {
                if let Some(y) = p.support_plans.iter().find(|y| y.plan_date == subject.date) {
                    let mut y = y.clone();
                    y.plan_date = rt(&y.plan_date);
                    y.fields.map_values(&rt);
                    y.rows.iter_mut().for_each(|x| x.map_values(&rt));
                    item(Identity::name_only(p), Op::PutSupportPlan(Box::new(y)));
                }
            }
            SendSet::DeletePlan => item(Identity::default(), Op::DeletePlan(rt(&subject.date))),
            SendSet::DeleteMonth => item(Identity::default(), Op::DeleteMonth(rt(&ex.month))),
            SendSet::DeleteResults => item(
                Identity::default(),
                Op::DeleteResults {
                    month: rt(&ex.month),
                    office: rt(&ex.from.office),
                    kind: rt(&ex.from.kind),
                },
            ),
            SendSet::DeleteBasicInfo => {
                item(Identity::default(), Op::DeleteBasicInfo(rt(&subject.date)))
            }
            SendSet::DeleteSupportPlan => item(
                Identity::default(),
                Op::DeleteSupportPlan(rt(&subject.date)),
            ),
        }
    }
    items
}

/// An empty receiver database that keeps the scenario's layout version.
pub(crate) fn empty_state(csv_version: &str) -> Scenario {
    Scenario {
        csv_version: if csv_version.is_empty() {
            "202407".to_owned()
        } else {
            csv_version.to_owned()
        },
        ..Scenario::default()
    }
}

/// The round-trip normalisation: what the files `role` sends for `s` carry, in the form
/// [`super::import`] returns it.
///
/// - Only the exchanges `role` sends, applied in 連番 order with the receiver's semantics
///   (replace by key, cascading deletions); exchanges whose documents a later unit deleted
///   are dropped, as are subjects whose person or document the scenario lacks.
/// - Scenario metadata the files do not carry is empty: id, description, insurers, offices,
///   住所地特例; so are person fields no sent file carries (e.g. a Provider's files carry no
///   names), and documents of other roles.
/// - Text as MS932 gives it back ([`crate::text::ms932_round_trip`]: 〜→～ …); trailing empty
///   種類支給限度 slots dropped; an exchange's role only where it differs from the set's
///   default, its month only for monthly sets; canonical order ([`Scenario`] docs).
pub fn project(s: &Scenario, role: Role) -> Scenario {
    let mut state = empty_state(&s.csv_version);
    for ex in exchanges_of(s, role) {
        let items = items_from_scenario(s, ex);
        if items.is_empty() {
            continue;
        }
        apply_unit(&mut state, &normalise_exchange(ex), items, None);
    }
    finish(&mut state);
    state
}
