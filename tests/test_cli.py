"""The command line, run as a user runs it (a real subprocess)."""
from __future__ import annotations

import json
import os
import subprocess
import sys

from .conftest import ROOT

EXE = os.path.join(os.path.dirname(sys.executable), "replycoach")


def run(args, stdin=None, home=None):
    env = {**os.environ, "REPLYCOACH_HOME": home or "/tmp/replycoach-cli-test"}
    return subprocess.run([EXE, *args], input=stdin, capture_output=True, text=True, env=env,
                          cwd=ROOT, timeout=120)


def test_check_json_flags_a_canned_russian_reply():
    p = run(["check", "--json", "--review", "Ужасный сервис, ждали заказ два часа, никто не извинился.",
             "--rating", "1", "Уважаемый клиент, ваше мнение очень важно для нас!"])
    result = json.loads(p.stdout)
    rules = {w["rule"] for w in result["warnings"]}
    assert result["language"]["code"] == "ru"
    assert {"canned-phrase", "missing-apology"} <= rules, rules


def test_check_json_flags_an_insulting_english_reply():
    p = run(["check", "--json", "--review", "Terrible food, rude staff.", "--rating", "1",
             "You obviously didn't read the menu, you idiot. People like you always complain."])
    result = json.loads(p.stdout)
    attacks = [w for w in result["warnings"] if w["rule"] == "personal-attack"]
    assert attacks and all(w["severity"] == "error" for w in attacks)
    assert p.returncode == 1   # an error-level warning fails the command


def test_check_reads_stdin_and_prints_human_output():
    p = run(["check", "--language", "en", "-"], stdin="PLEASE read this")
    assert "shouting" in p.stdout and "PLEASE" in p.stdout


def test_jsonl_batch_keeps_order_and_reports_bad_lines():
    lines = [json.dumps({"text": "THANK YOU!!", "language": "en"}), "{broken",
             json.dumps({"text": 5}), json.dumps({"text": "Спасибо за отзыв, Анна!", "language": "ru"})]
    p = run(["check", "--jsonl", "-"], stdin="\n".join(lines) + "\n")
    out = [json.loads(line) for line in p.stdout.splitlines()]
    assert len(out) == 4
    assert "shouting" in {w["rule"] for w in out[0]["warnings"]}
    assert out[1]["error"]["code"] == "bad_json" and out[1]["error"]["line"] == 2
    assert out[2]["error"]["field"] == "text"
    assert out[3]["language"]["code"] == "ru"
    assert p.returncode == 1


def test_packs_validate_and_list():
    p = run(["packs", "validate"])
    assert p.returncode == 0, p.stdout + p.stderr
    assert "ok: reply-guidelines" in p.stdout
    p = run(["packs", "list", "--json"])
    assert "reply-guidelines" in {x["id"] for x in json.loads(p.stdout)}


def test_packs_validate_reports_file_and_line(tmp_path):
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "pack.yaml").write_text("id: bad\nversion: 1.0.0\nlanguages: [en]\n")
    (bad / "rules.yaml").write_text("rules:\n  - id: x\n    severity: maybe\n")
    p = run(["packs", "validate", str(bad)])
    assert p.returncode == 1
    assert "rules.yaml:3" in p.stdout and "severity" in p.stdout
