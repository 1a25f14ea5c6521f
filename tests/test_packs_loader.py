"""Bad packs are refused with file:line messages; the last good version
stays in use."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from replycoach.packs.loader import PackError, load_pack
from replycoach.packs.registry import PackRegistry

MINI = {
    "pack.yaml": "id: mini\nname: Mini\nversion: 0.1.0\nlanguages: [en]\nsettings: {limit: 3}\n",
    "rules.yaml": ("rules:\n"
                   "  - id: no-thanks\n    severity: warning\n    when: {lang_supported: true, n_thanks: 0}\n"
                   "  - id: canned\n    severity: warning\n    for_each: canned\n"),
    "lang/en.yaml": ("lists:\n  thanks: [thank*]\n  canned: [dear customer]\n"
                     "examples:\n  canned:\n    fire: [\"Dear customer, thanks.\"]\n    pass: [Thanks Anna.]\n"),
}


def write_pack(root: Path, files: dict[str, str]) -> Path:
    folder = root / "mini"
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def problems_of(folder) -> list[str]:
    with pytest.raises(PackError) as exc:
        load_pack(str(folder))
    return [str(p) for p in exc.value.problems]


def test_a_good_pack_loads(tmp_path):
    pack = load_pack(str(write_pack(tmp_path, MINI)))
    assert pack.id == "mini" and pack.rule_ids() == ["no-thanks", "canned"]
    assert len(pack.langs["en"].examples) == 2


@pytest.mark.parametrize("file,text,where,words", [
    ("rules.yaml", "rules:\n  - id: x\n    severity: loud\n", "rules.yaml:3", "severity"),
    ("rules.yaml", "rules:\n  - id: x\n    severity: error\n    when: {nope: 1}\n", "rules.yaml:4", "unknown field 'nope'"),
    ("rules.yaml", "rules:\n  - id: x\n    severity: error\n    when: {chars: {gt: $missing}}\n", "rules.yaml:4", "unknown setting"),
    ("rules.yaml", "rules:\n  - id: x\n    severity: error\n    when: {chars: yes}\n", "rules.yaml:4", "expected int"),
    ("lang/en.yaml", "lists:\n  thanks:\n    - thank*\n    - 're:(broken'\n", "en.yaml:4", "bad pattern"),
    ("lang/en.yaml", "lists:\n  thanks: [a\n", "en.yaml:", "YAML syntax"),
    ("pack.yaml", "id: Not An Id\nversion: 1\nlanguages: [en]\n", "pack.yaml:1", "'id'"),
])
def test_problems_name_file_and_line(tmp_path, file, text, where, words):
    folder = write_pack(tmp_path, {**MINI, file: text})
    problems = problems_of(folder)
    assert any(where in p and words in p for p in problems), problems


def test_registry_keeps_the_last_good_version(tmp_path):
    folder = write_pack(tmp_path, MINI)
    registry = PackRegistry([str(tmp_path)])
    assert "mini" in registry.current.packs and not registry.current.errors
    (folder / "rules.yaml").write_text("rules:\n  - id: x\n    severity: nope\n", encoding="utf-8")
    snap = registry.reload()
    assert snap.packs["mini"].rule_ids() == ["no-thanks", "canned"]   # old version still used
    assert "mini" in snap.stale
    assert any("rules.yaml:3" in str(p) for p in snap.errors[str(folder)])
    shutil.rmtree(folder / "lang")
    write_pack(tmp_path, MINI)
    snap = registry.reload()
    assert not snap.errors and not snap.stale


def test_a_broken_pack_never_hides_the_others(tmp_path):
    write_pack(tmp_path, MINI)
    other = tmp_path / "other"
    other.mkdir()
    (other / "pack.yaml").write_text("id: other\nversion: x\n", encoding="utf-8")
    registry = PackRegistry([str(tmp_path)])
    assert list(registry.current.packs) == ["mini"]
    assert str(other) in registry.current.errors


_LOAD = r"""
import json, sys
sys.path.insert(0, sys.argv[1])
from replycoach.config import Config
from replycoach.services import build_services
svc = build_services(Config(home=sys.argv[2], spelling=False, history=False, pack_roots=[sys.argv[3]]))
current = svc.registry.current
print(json.dumps({"jsonschema": "jsonschema" in sys.modules, "packs": sorted(current.packs),
                  "errors": sorted(str(p) for e in current.errors.values() for p in e)}))
"""


def test_packs_validated_before_are_not_validated_again(tmp_path):
    # A server restarted on the same packs skips schema validation (and the
    # ~8 MB of jsonschema); a changed or broken file is validated afresh, and
    # its problems are reported every time.
    import json
    import os
    import subprocess
    import sys
    server = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "server")
    roots = tmp_path / "packs"
    write_pack(roots, MINI)
    home = tmp_path / "home"

    def start():
        out = subprocess.run([sys.executable, "-c", _LOAD, server, str(home), str(roots)],
                             capture_output=True, text=True, timeout=120, env={**os.environ, "REPLYCOACH_CACHE": str(tmp_path / "cache")})
        assert out.returncode == 0, out.stderr[-2000:]
        return json.loads(out.stdout.splitlines()[-1])

    first, second = start(), start()
    assert first["jsonschema"] and not first["errors"] and "mini" in first["packs"]
    assert not second["jsonschema"] and second["packs"] == first["packs"] and not second["errors"]
    (roots / "mini" / "rules.yaml").write_text("rules:\n  - id: x\n    severity: loud\n", encoding="utf-8")
    for run in (start(), start()):
        assert run["jsonschema"] and any("rules.yaml:3" in e and "severity" in e for e in run["errors"]), run
