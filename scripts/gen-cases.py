#!/usr/bin/env python3
"""Bootstraps cases/{export,import,roundtrip}/ from cases/scenarios/: one case per scenario and
direction the scenario has files for. Cases are data and are reviewed and edited by hand after
this; re-running overwrites generated case files only (it never deletes a case).

Usage: scripts/gen-cases.py [path/to/cpcert]   (default target/debug/cpcert)
Then:  UPDATE_GOLDEN=1 cargo run -- certify    (writes golden/, review the diff, commit)
"""
import pathlib
import subprocess
import sys
import tempfile

import yaml

ROOT = pathlib.Path(__file__).resolve().parent.parent
CPCERT = sys.argv[1] if len(sys.argv) > 1 else str(ROOT / "target/debug/cpcert")
ROLES = yaml.safe_load((ROOT / "spec/202407/roles.yaml").read_text(encoding="utf-8"))["roles"]
ROLE_JA = {"planner": "居宅介護支援事業所", "provider": "居宅サービス事業所", "prevention-planner": "地域包括支援センター等"}
PLACES = {
    "export": "本文 §2.2/§3.2 出力, §2.4/§3.4 送信単位; 別紙 各レイアウト",
    "import": "本文 §2.2/§3.2 取込, §2.5 取込順; 別紙 各レイアウト",
    "roundtrip": "本文 §2.2 (サービス事業所: 予定の取込 → 実績の出力); 別紙 第6表 実績",
}
# (importer, sender) pairs the standard's flows have.
IMPORTS = [("provider", "planner"), ("provider", "prevention-planner"), ("planner", "provider"),
           ("prevention-planner", "provider"), ("prevention-planner", "prevention-planner")]


def kinds_of(names):
    out = set()
    for n in names:
        if n.upper().startswith("UPKIHON_IMAGE_"):
            continue
        parts = n.split("_")
        k = parts[0] + ("_" + parts[1] if len(parts) > 1 and parts[1] in ("SUB1", "SUB2", "SUB") else "")
        out.add(k)
    return sorted(out)


def export(role, scenario):
    with tempfile.TemporaryDirectory() as tmp:
        done = subprocess.run([CPCERT, "reference", "export", "--role", role, "--scenario", str(scenario),
                               "--out", tmp], capture_output=True, text=True)
        return done.stdout.split() if done.returncode == 0 else []


def need(role, direction, kinds):
    table = ROLES[role]["export" if direction == "export" else "import"]
    return "○" if any(table.get(k) == "○" for k in kinds) else "△"


def write(path, case):
    path.parent.mkdir(parents=True, exist_ok=True)
    text = "# yaml-language-server: $schema=../../schema/case.schema.json\n" + yaml.safe_dump(
        case, allow_unicode=True, sort_keys=False, width=110)
    path.write_text(text, encoding="utf-8")


def main():
    for sc in sorted((ROOT / "cases/scenarios").glob("*.yaml")):
        name = sc.stem
        doc = yaml.safe_load(sc.read_text(encoding="utf-8"))
        desc = doc.get("description", "").split("。")[0]
        files = {r: export(r, sc) for r in ROLE_JA}
        for role, names in files.items():
            if names:
                kinds = kinds_of(names)
                write(ROOT / f"cases/export/{role}/{name}.yaml", {
                    "title": f"{ROLE_JA[role]}の出力（{'・'.join(kinds)}）: {desc}",
                    "spec_place": PLACES["export"], "role": role, "direction": "export",
                    "scenario": name, "required": need(role, "export", kinds)})
        for importer, sender in IMPORTS:
            names = files[sender]
            if not names or importer == sender and importer != "prevention-planner":
                continue
            kinds = kinds_of(names)
            if not any(k in ROLES[importer]["import"] for k in kinds):
                continue
            write(ROOT / f"cases/import/{importer}/{name}-from-{sender}.yaml", {
                "title": f"{ROLE_JA[importer]}の取込（{ROLE_JA[sender]}から: {'・'.join(kinds)}）: {desc}",
                "spec_place": PLACES["import"], "role": importer, "direction": "import",
                "scenario": name, "sender": sender, "required": need(importer, "import", kinds)})
        offices = sorted({e["to"]["office"] for e in doc.get("exchanges", [])
                          if e.get("set") == "month" and e.get("from", {}).get("kind") == "43"})
        for office in offices:
            write(ROOT / f"cases/roundtrip/provider/{name}-{office}.yaml", {
                "title": f"居宅サービス事業所の往復（予定の取込 → 実績の出力, 事業所 {office}）: {desc}",
                "spec_place": PLACES["roundtrip"], "role": "provider", "direction": "roundtrip",
                "scenario": name, "sender": "planner", "office": office, "required": "○"})


if __name__ == "__main__":
    main()
