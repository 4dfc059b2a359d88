#!/usr/bin/env python3
"""Example cpcert adapter (protocol version 2), standard library only, Python 3.8+.

It drives the reference product's command-line face; to connect your own product, copy this
file and replace the bodies of export(), import_() and reexport() with calls into it.
The protocol is in docs/adapter-protocol.md: one JSON object per line on stdin (requests) and
stdout (replies). Write logs to stderr only: anything else on stdout breaks the session.

The reference product's command line (binary from env CPCERT_BIN, default `cpcert` on PATH):
  cpcert reference export   --role ROLE --scenario FILE.json --out DIR --timestamp TS
        writes the files into DIR, prints their names, one per line
  cpcert reference import   --role ROLE [--sender ROLE] --held --out FILE.json FILES...
        writes what the product now holds to FILE.json: file kind -> records -> field No. -> value
  cpcert reference reexport --role ROLE --out DIR --timestamp TS FILES...
        imports FILES (a provider records its 予定 as performed), exports into DIR, prints names;
        takes `--office NO` / `--sender ROLE` when the request names them
When the vendor description sets `fault`, env CPCERT_FAULT is set and `--fault ID` is passed.

A product that has no place for some fields declares them in `started` ("not_kept", file kind ->
field Nos.) and leaves them out of its import answers. This example plays such a product when
env CPCERT_EXAMPLE_NOT_KEPT holds that declaration as JSON, e.g. '{"UPSIKYU": [30, 31, 32]}'.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

CPCERT = os.environ.get("CPCERT_BIN", "cpcert")
FAULT = os.environ.get("CPCERT_FAULT")
NOT_KEPT = json.loads(os.environ.get("CPCERT_EXAMPLE_NOT_KEPT") or "{}")


class Refused(Exception):
    """The product refused the request: reported as {"type":"error"}, not as a crash."""


def cpcert(sub, *args, files=()):
    cmd = [CPCERT, "reference", sub, *args] + (["--fault", FAULT] if FAULT else []) + list(files)
    # Capture stdout: only protocol messages may appear on ours.
    done = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    sys.stderr.write(done.stderr)
    if done.returncode != 0:
        raise Refused(done.stderr.strip() or "cpcert exited with %d" % done.returncode)
    return [name for name in done.stdout.splitlines() if name.strip()]


def start(msg):
    if shutil.which(CPCERT) is None:
        raise Refused("reference product not found: %s (set CPCERT_BIN)" % CPCERT)
    # The harness sends the newest version it speaks and every one it accepts.
    if 2 not in msg.get("accepts", [msg.get("protocol")]):
        raise Refused("this adapter speaks protocol version 2 only")
    return {"type": "started", "protocol": 2,
            "product": {"name": "cpcert reference via python", "version": "2"},
            "roles": ["planner", "provider", "prevention-planner"],
            "kinds": [], "layout_versions": ["202407"], "not_kept": NOT_KEPT}


def export(msg):
    with tempfile.TemporaryDirectory() as tmp:  # scratch outside the sandbox, removed after
        scenario = os.path.join(tmp, "scenario.json")
        with open(scenario, "w", encoding="utf-8") as f:
            json.dump(msg["scenario"], f, ensure_ascii=False)
        names = cpcert("export", "--role", msg["role"], "--scenario", scenario,
                       "--out", msg["sandbox"], "--timestamp", msg["timestamp"])
    return {"type": "exported", "id": msg["id"], "files": names}


def import_(msg):
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "held.json")
        sender = ["--sender", msg["sender"]] if msg.get("sender") else []
        cpcert("import", "--role", msg["role"], *sender, "--held", "--out", out,
               files=msg["files"])
        with open(out, encoding="utf-8") as f:
            held = json.load(f)
    # What the product holds: {"UPPLAN": [{"1": "202407", "2": "131011", ...}, ...], ...}.
    # Fields it does not keep are simply not there.
    for kind, records in held.items():
        drop = {str(no) for no in NOT_KEPT.get(kind, [])}
        held[kind] = [{no: v for no, v in r.items() if no not in drop} for r in records]
    return {"type": "imported", "id": msg["id"], "held": held}


def reexport(msg):
    office = ["--office", msg["office"]] if msg.get("office") else []
    sender = ["--sender", msg["sender"]] if msg.get("sender") else []
    names = cpcert("reexport", "--role", msg["role"], *office, *sender, "--out", msg["sandbox"],
                   "--timestamp", msg["timestamp"], files=msg["files"])
    return {"type": "exported", "id": msg["id"], "files": names}


HANDLERS = {"start": start, "export": export, "import": import_, "reexport": reexport}


def main():
    for line in sys.stdin:
        if not line.strip():
            continue
        msg = json.loads(line)
        if msg.get("type") == "stop":
            return
        try:
            reply = HANDLERS[msg["type"]](msg)
        except Refused as e:
            reply = {"type": "error", "message": str(e)}
            if "id" in msg:
                reply["id"] = msg["id"]
        sys.stdout.write(json.dumps(reply, ensure_ascii=False) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
