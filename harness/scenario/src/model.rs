//! The scenario model: offices, persons and their documents, and the exchanges (送信単位) that
//! carry them. Values are kept as the strings the files carry (`0012345678` keeps its zeros);
//! the checks crate validates them. Empty string = Null (空).

use cpcert_spec::Role;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub use crate::records::{
    BasicInfo, DailyLifeRow, MedicalHistoryRow, ServiceRow, SummaryRow, Supplement, SupportPlan,
    SupportPlanRow, Table1, Table2Row, Table3Row,
};

/// A test scenario: the care-plan data one or more products exchange.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Scenario {
    /// Short id (kebab-case, like the file name).
    pub id: String,
    /// What the scenario covers, for people.
    pub description: String,
    /// CSVバージョン written in field 1 of every record (V4.1: `202407`).
    pub csv_version: String,
    /// Fictitious insurers (保険者) the persons belong to. Not carried by the files.
    pub insurers: Vec<Insurer>,
    /// The offices (事業所) taking part. Not carried by the files as such: rows carry their own
    /// office numbers and names.
    pub offices: Vec<Office>,
    /// Synthetic persons (利用者) and their documents.
    pub persons: Vec<Person>,
    /// Who sends which set to whom, in any order (processed by 連番).
    pub exchanges: Vec<Exchange>,
}

/// A fictitious insurer (保険者, a municipality).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Insurer {
    /// 保険者番号 (6 digits).
    pub number: String,
    /// Name, e.g. 架空市.
    pub name: String,
}

/// An office (事業所) offering one service kind. An office number with several kinds has one
/// entry per kind.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Office {
    /// 事業所番号 (10 digits).
    pub number: String,
    /// サービス種類コード (2 characters: `43`, `11`, `17`, `A2` …).
    pub kind: String,
    /// 事業所名.
    pub name: String,
    /// The role this office plays, when it sends files.
    pub role: Option<Role>,
    /// 郵便番号.
    pub postal: String,
    /// 住所.
    pub address: String,
    /// Satellites (サテライト) sharing the number and kind.
    pub satellites: Vec<Satellite>,
}

/// A satellite site of an office.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Satellite {
    /// サテライト枝番 (`1`, `2` … or the office's own number).
    pub branch: String,
    /// The site's name.
    pub name: String,
}

/// A synthetic person (利用者) with everything the files carry about them.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Person {
    /// 保険者番号 (6 digits), the insurer written in the files (証記載保険者).
    pub insurer_no: String,
    /// 被保険者番号 (10 characters; 生保単独: `H` + 9 digits). Unique within a scenario.
    pub insured_no: String,
    /// 利用者氏名フリガナ.
    pub kana: String,
    /// 利用者氏名.
    pub name: String,
    /// 利用者性別 (`1` male, `2` female).
    pub sex: String,
    /// 利用者生年月日 (YYYYMMDD).
    pub birth_date: String,
    /// 利用者郵便番号 (`123-4567`).
    pub postal: String,
    /// 利用者住所１.
    pub address1: String,
    /// 利用者住所２.
    pub address2: String,
    /// 利用者電話番号.
    pub phone: String,
    /// 住所地特例: the person lives in a facility in another municipality. Not carried by the
    /// files (the receiver corrects 保険者番号 by hand); kept for cases and checks.
    pub special_address: Option<SpecialAddress>,
    /// 居宅サービス計画 (1–3表 + 利用者補足), one per 居宅サービス計画作成（変更）日.
    pub plans: Vec<CarePlan>,
    /// サービス利用票 per service month: 第6表 予定 + 第7表 + 利用者補足.
    pub months: Vec<ServiceMonth>,
    /// 実績 per (service month, provider office, service kind).
    pub results: Vec<ResultSheet>,
    /// 利用者基本情報 (介護予防), one per 相談日.
    pub basic_infos: Vec<BasicInfoDoc>,
    /// 介護予防サービス・支援計画書, one per 計画作成(変更)日.
    pub support_plans: Vec<SupportPlanDoc>,
}

/// 住所地特例: the insurer of the facility's municipality (施設所在保険者).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct SpecialAddress {
    /// 施設所在保険者番号 (6 digits).
    pub facility_insurer_no: String,
}

/// A 居宅サービス計画: 第1表, 第2表 rows, 第3表 rows and the 利用者補足情報 that goes with them
/// (対象年月 `000000`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct CarePlan {
    /// 居宅サービス計画作成（変更）日 (YYYYMMDD), the key of 1–3表 and 補足.
    pub plan_date: String,
    /// 作成年月日 (UP1KYO No.4); also 居宅計画書作成年月日 (UP2KYO No.4) and
    /// 週間サービス計画表作成年月日 (UP3KYO No.4).
    pub created: String,
    /// 第1表.
    pub table1: Table1,
    /// 第2表 rows, in print order.
    pub table2: Vec<Table2Row>,
    /// 第3表 rows.
    pub table3: Vec<Table3Row>,
    /// 利用者補足情報 of the plan set.
    pub supplement: SupplementDoc,
}

/// 利用者補足情報 (UPHOSOKU) content other than the person's identity.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(default)]
pub struct SupplementDoc {
    /// 認定・限度額 fields.
    #[serde(flatten)]
    pub fields: Supplement,
    /// 種類支給限度 slots 1–9 (No.20–55), filled from slot 1 upward. At most 9.
    pub type_limits: Vec<TypeLimit>,
}

/// One 種類支給限度 slot of 利用者補足情報.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct TypeLimit {
    /// サービス種類コード (短期入所療養介護: `22`).
    pub kind: String,
    /// 支給限度基準額.
    pub limit: String,
    /// 合計単位数.
    pub total: String,
    /// 限度超単位数.
    pub over: String,
}

/// A サービス利用票 for one service month: 第6表 予定 rows of every office involved, 第7表 rows
/// and the 利用者補足情報 (作成日 `00000000`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct ServiceMonth {
    /// 対象年月 (YYYYMM).
    pub month: String,
    /// 作成年月日 (UPPLAN/UPSIKYU No.4).
    pub created: String,
    /// プラン担当業者コード (UPPLAN No.6): the planner office.
    pub planner_office: String,
    /// プラン担当者名 (UPPLAN No.7).
    pub planner_name: String,
    /// 第6表 予定 rows, all offices.
    pub plan_rows: Vec<ServiceRow>,
    /// 第7表 rows, including subtotals and the total.
    pub summary_rows: Vec<SummaryRow>,
    /// 利用者補足情報 of the month set.
    pub supplement: SupplementDoc,
}

/// 実績 (UPJSK) of one provider office and service kind for one month.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct ResultSheet {
    /// 対象年月.
    pub month: String,
    /// The provider's 事業所番号 (sender of the UPJSK file).
    pub office: String,
    /// The provider's サービス種類コード.
    pub kind: String,
    /// 作成年月日 (No.4).
    pub created: String,
    /// プラン担当業者コード (No.6).
    pub planner_office: String,
    /// プラン担当者名 (No.7).
    pub planner_name: String,
    /// 実績 rows (satellites included).
    pub rows: Vec<ServiceRow>,
}

/// 利用者基本情報 (UPKIHON) with 別表1, 別表2 and the family picture.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(default)]
pub struct BasicInfoDoc {
    /// 相談日 (YYYYMMDD), the key.
    pub consult_date: String,
    /// The record's own fields.
    #[serde(flatten)]
    pub fields: BasicInfo,
    /// 別表1 rows: １日の生活・すごし方.
    pub daily_life_rows: Vec<DailyLifeRow>,
    /// 別表2 rows: 現病歴・既往歴.
    pub medical_history: Vec<MedicalHistoryRow>,
    /// 家族構成 picture (UPKIHON_IMAGE); its file name goes in No.62.
    pub picture: Option<Picture>,
}

/// The family picture (家族構成, JPEG).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Picture {
    /// 4-digit branch number in the file name.
    pub branch: String,
    /// The JPEG bytes, base64 (standard alphabet, padded).
    pub jpeg_base64: String,
}

/// 介護予防サービス・支援計画書 (UPYOBO) with its 別表 rows.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(default)]
pub struct SupportPlanDoc {
    /// 計画作成(変更)日 (YYYYMMDD), the key.
    pub plan_date: String,
    /// The record's own fields.
    #[serde(flatten)]
    pub fields: SupportPlan,
    /// 別表 rows: 支援計画.
    pub rows: Vec<SupportPlanRow>,
}

/// One end of an exchange: an office number and the service kind it acts as.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize, JsonSchema,
)]
#[serde(default, deny_unknown_fields)]
pub struct Endpoint {
    /// 事業所番号 (10 digits).
    pub office: String,
    /// サービス種類コード (2 characters).
    pub kind: String,
}

/// The kind of set a send unit carries (送信単位の組合せ, rules.md §6).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Default,
    Serialize,
    Deserialize,
    JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum SendSet {
    /// ① 1表 + 2表 + 3表 + 利用者補足 (000000).
    #[default]
    Plan,
    /// ② 6表予定 + 7表 + 利用者補足 (with month).
    Month,
    /// ③ 1表_削除.
    DeletePlan,
    /// ④ 6表_削除.
    DeleteMonth,
    /// 実績.
    Results,
    /// 実績_削除.
    DeleteResults,
    /// 利用者基本情報 + 別表1 + 別表2 + picture.
    BasicInfo,
    /// 支援計画書 + 別表.
    SupportPlan,
    /// 利用者基本情報_削除.
    DeleteBasicInfo,
    /// 支援計画書_削除.
    DeleteSupportPlan,
}

impl SendSet {
    /// The role that sends this set unless the exchange says otherwise (a 予防 利用票 is a
    /// [`SendSet::Month`] sent by a [`Role::PreventionPlanner`]).
    pub fn default_role(self) -> Role {
        match self {
            SendSet::Plan | SendSet::Month | SendSet::DeletePlan | SendSet::DeleteMonth => {
                Role::Planner
            }
            SendSet::Results | SendSet::DeleteResults => Role::Provider,
            SendSet::BasicInfo
            | SendSet::SupportPlan
            | SendSet::DeleteBasicInfo
            | SendSet::DeleteSupportPlan => Role::PreventionPlanner,
        }
    }

    /// Whether the set is keyed by a service month (`Exchange::month`).
    pub fn is_monthly(self) -> bool {
        matches!(
            self,
            SendSet::Month | SendSet::DeleteMonth | SendSet::Results | SendSet::DeleteResults
        )
    }

    /// Whether a role may send this set.
    pub fn sent_by(self, role: Role) -> bool {
        self.default_role() == role
            || (role == Role::PreventionPlanner
                && matches!(self, SendSet::Month | SendSet::DeleteMonth))
    }
}

/// One send unit's set from one office to another: the files share one 14-digit 連番.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Exchange {
    /// 14-digit file sequence number (YYYYMMDDHHMMSS); the receiver applies units in
    /// ascending order.
    pub sequence: String,
    /// The role of the sender; when absent, [`SendSet::default_role`].
    pub role: Option<Role>,
    /// 送信元.
    pub from: Endpoint,
    /// 送信先.
    pub to: Endpoint,
    /// What is sent.
    pub set: SendSet,
    /// 対象年月 for monthly sets.
    pub month: String,
    /// The persons in the files, in record order.
    pub subjects: Vec<Subject>,
}

impl Exchange {
    /// The sender's role.
    pub fn sender_role(&self) -> Role {
        self.role.unwrap_or(self.set.default_role())
    }
}

/// A person in an exchange and, for sets keyed by a date, the document's date.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Subject {
    /// 被保険者番号.
    pub insured_no: String,
    /// 居宅サービス計画作成（変更）日 (Plan, DeletePlan), 相談日 (BasicInfo, DeleteBasicInfo) or
    /// 計画作成(変更)日 (SupportPlan, DeleteSupportPlan); empty for monthly sets.
    pub date: String,
}

impl Scenario {
    /// The person with this 被保険者番号.
    pub fn person(&self, insured_no: &str) -> Option<&Person> {
        self.persons.iter().find(|p| p.insured_no == insured_no)
    }
}
