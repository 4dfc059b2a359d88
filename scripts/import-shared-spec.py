#!/usr/bin/env python3
"""One-off importer: ../shared/spec/*.yaml (the research transcription) -> spec/202407/*.yaml.

The project's spec/ is its own data from here on and may be corrected by hand (record the evidence
in spec/CHANGES.md). Re-running this script overwrites spec/202407/<KIND>.yaml from the transcription,
so only do that to pick up corrections made upstream. Needs PyYAML.
"""
import pathlib
import re
import sys

import yaml

HERE = pathlib.Path(__file__).resolve().parent.parent
SRC = HERE.parent / "shared" / "spec"
DST = HERE / "spec" / "202407"

KIND_MAP = {
    "version_yyyymm": "version", "date_yyyymmdd": "date", "yyyymm": "month", "time_hhmm": "time",
    "code": "code", "integer": "integer", "digits": "digits", "free_text": "text",
    "insurer_no": "insurer-no", "insured_no": "insured-no", "office_no": "office-no",
    "postal": "postal", "phone": "phone", "flags31": "flags31", "other": "other",
}
TITLES_EN = {
    "UPHOSOKU": "user supplementary information", "UP1KYO": "care plan table 1",
    "DLT1KYO": "care plan table 1, deletion", "UP2KYO": "care plan table 2",
    "UP3KYO": "care plan table 3 (weekly schedule)", "UPPLAN": "table 6 service sheet, planned",
    "UPJSK": "table 6, actual (実績)", "DLTPLAN": "table 6 planned, deletion",
    "DLTJSK": "table 6 actual, deletion", "UPSIKYU": "table 7 (service sheet annex)",
    "UPKIHON": "prevention: basic user information", "UPKIHON_SUB1": "basic user information annex 1 (daily schedule)",
    "UPKIHON_SUB2": "basic user information annex 2 (medical history)", "DLTKIHON": "basic user information, deletion",
    "UPYOBO": "prevention: service and support plan", "UPYOBO_SUB": "support plan annex",
    "DLTYOBO": "support plan, deletion",
}
# Join keys (rules.md §7) and the field that holds the service month (one month per file).
KEYS = {
    "UP1KYO": [2, 3, 14], "UP2KYO": [2, 3, 5], "UP3KYO": [2, 3, 5], "UPHOSOKU": [2, 3, 4, 63],
    "DLT1KYO": [2, 3, 4], "UPPLAN": [2, 3, 5], "UPJSK": [2, 3, 5], "UPSIKYU": [2, 3, 5],
    "DLTPLAN": [2, 3, 4], "DLTJSK": [2, 3, 4, 5, 6], "UPKIHON": [2, 3, 4], "UPKIHON_SUB1": [2, 3, 4],
    "UPKIHON_SUB2": [2, 3, 4], "DLTKIHON": [2, 3, 4], "UPYOBO": [2, 3, 4], "UPYOBO_SUB": [2, 3, 4],
    "DLTYOBO": [2, 3, 4],
}
MONTH_FIELD = {"UPPLAN": 5, "UPJSK": 5, "UPSIKYU": 5, "UPHOSOKU": 63, "DLTPLAN": 4, "DLTJSK": 4}
COMPANION_OF = {"UPKIHON_SUB1": "UPKIHON", "UPKIHON_SUB2": "UPKIHON", "UPYOBO_SUB": "UPYOBO"}
PLACE = {
    "UPHOSOKU": "別紙 利用者補足情報", "UP1KYO": "別紙 居宅サービス計画書1表", "DLT1KYO": "別紙 1表_削除",
    "UP2KYO": "別紙 居宅サービス計画書2表", "UP3KYO": "別紙 居宅サービス計画書3表",
    "UPPLAN": "別紙 第6表（サービス利用票）", "UPJSK": "別紙 第6表 実績情報", "DLTPLAN": "別紙 第6表 予定_削除",
    "DLTJSK": "別紙 第6表 実績_削除", "UPSIKYU": "別紙 第7表（サービス利用票別表）",
    "UPKIHON": "別紙 利用者基本情報", "UPKIHON_SUB1": "別紙 利用者基本情報（別表1）",
    "UPKIHON_SUB2": "別紙 利用者基本情報（別表2）", "DLTKIHON": "別紙 利用者基本情報_削除",
    "UPYOBO": "別紙 介護予防サービス・支援計画書", "UPYOBO_SUB": "別紙 支援計画書（別表）",
    "DLTYOBO": "別紙 支援計画書_削除",
}
PERSONAL = re.compile(r"氏名|利用者名|フリガナ|ﾌﾘｶﾞﾅ|生年月日|被保険者番号|担当者名|作成担当者|緊急連絡先|来所者|同意者|"
                      r"利用者住所|利用者電話|利用者Fax|利用者郵便|家族|画像ファイル名")


def confidence_level(text):
    m = re.match(r"\s*(low|medium|high)", text or "")
    return m.group(1) if m else "medium"


def convert(d):
    kind = d["prefix"]
    out = {
        "kind": kind,
        "layout_version": "202407",
        "title_ja": d["title_ja"],
        "title_en": TITLES_EN[kind],
        "spec_place": PLACE[kind],
        "direction": d["direction"],
        "name": {
            "month_part": "{" in d["filename"]["pattern"].split("_{送信元")[0],
            **({"companion_of": COMPANION_OF[kind]} if kind in COMPANION_OF else {}),
        },
        "field_count": d["field_count"],
        "keys": KEYS[kind],
    }
    if kind in MONTH_FIELD:
        out["month_field"] = MONTH_FIELD[kind]
    fields = []
    for f in d["fields"]:
        g = {"no": f["no"], "name": f["name"], "kind": KIND_MAP[f["kind"]]}
        if f.get("service_code"):
            g["kind"] = "service-code"
        if kind in ("UPPLAN", "UPJSK") and f["no"] in (16, 17) or kind == "UPSIKYU" and f["no"] in (10, 11):
            g["kind"] = "device-code"
        if kind in ("UPPLAN", "UPJSK") and f["no"] in (12, 13):
            g["kind"] = "time-or-9999"
        if kind == "UPSIKYU" and f["no"] == 23:
            g["kind"] = "unit-price"
        if f.get("values_ref") and "サービス種類" in f["values_ref"]:
            g["kind"] = "service-kind"
        if f.get("unused"):
            g["kind"] = "unused"
        if kind == "UPHOSOKU" and f["no"] in (4, 63):
            # 000000 / 00000000 mark the file's link to a plan or a sheet (rules.md §7, §9).
            g["sentinel"] = "00000000" if f["no"] == 4 else "000000"
        if f["length"] is not None:
            g["length"] = f["length"]
        if f.get("length_alt"):
            g["length_alt"] = f["length_alt"]
        req = f["required"]
        g["required"] = req if isinstance(req, bool) else "conditional"
        if f.get("required_condition"):
            g["condition"] = f["required_condition"]
        conf = {}
        if f.get("required_confidence"):
            conf["required"] = confidence_level(f["required_confidence"])
        # UPKIHON/UPYOBO carry two mark columns (必須/必要) whose meaning the spec does not state:
        # beyond the join keys a mark may mean "needed" rather than "mandatory" (sources.md).
        if kind in ("UPKIHON", "UPYOBO") and req is True and f["no"] > 4:
            conf.setdefault("required", "medium")
        if f.get("length_note") or f.get("length_alt"):
            conf["length"] = "low"
        if f.get("note_confidence"):
            conf["values"] = confidence_level(f["note_confidence"])
        if conf:
            g["confidence"] = conf
            notes = [f.get(k) for k in ("required_confidence", "length_note", "note_confidence") if f.get(k)]
            if kind in ("UPKIHON", "UPYOBO") and "required_confidence" not in f and "required" in conf:
                notes.append("medium: two required-mark columns (必須/必要) of unstated meaning (sources.md)")
            g["confidence_note"] = " / ".join(notes)
        if f.get("values"):
            g["values"] = {str(k): v for k, v in f["values"].items()}
        if f.get("slot"):
            g["slot"] = f["slot"]
        if PERSONAL.search(f["name"]) and "事業" not in f["name"] or f["kind"] == "free_text" and kind != "UPSIKYU":
            g["sensitive"] = True
        if f.get("spec_note"):
            g["spec_note"] = f["spec_note"]
        g["notes"] = f["format_notes"]
        fields.append(g)
    out["fields"] = fields
    if kind == "UPKIHON":
        # The family picture (rules.md §4, §10): the only attachment the standard defines.
        out["attachments"] = [{
            "kind": "UPKIHON_IMAGE", "title_ja": "家族構成（画像）", "format": "jpeg", "magic": "FFD8FF",
            "extensions": ["jpg", "JPG"], "branch_digits": 4, "named_by": 62,
            "note": "One picture per UPKIHON record in principle; named UPKIHON_IMAGE_<the UPKIHON file's five "
                    "trailing parts>_<4-digit branch>. The layout rule writes .jpg, the 補足 example .JPG "
                    "(rules.md §4, §10).",
        }]
    if d.get("uncertainties"):
        out["uncertainties"] = d["uncertainties"]
    return out


def main():
    DST.mkdir(parents=True, exist_ok=True)
    for src in sorted(SRC.glob("*.yaml")):
        d = yaml.safe_load(src.read_text(encoding="utf-8"))
        out = convert(d)
        header = (f"# {out['kind']} — {out['title_ja']} (CSVバージョン 202407)\n"
                  "# Project copy of the layout, imported from ../shared/spec by scripts/import-shared-spec.py;\n"
                  "# corrections are made here and recorded in spec/CHANGES.md. Schema: spec/README.md.\n")
        text = yaml.safe_dump(out, allow_unicode=True, sort_keys=False, width=110)
        (DST / src.name).write_text(header + text, encoding="utf-8")
        print(src.name, len(out["fields"]))


if __name__ == "__main__":
    sys.exit(main())
