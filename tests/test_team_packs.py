"""Team packs: JSON Schema validation with file:line, overlays onto a base
pack (settings, disabled rules, extra list entries, vocabulary, contacts,
own rules), precedence, hot reload keeping the last good version, packs
refused for failing their own examples, and the packs CLI (new, validate,
test, export, install)."""
from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path

import pytest

from replycoach.checker import Checker
from replycoach.cli import main as cli_main
from replycoach.conditions import CTX_FIELDS
from replycoach.packs import schema as schemamod
from replycoach.packs.loader import PackError, load_pack
from replycoach.packs.registry import PackRegistry, PackWatcher, pack_folders
from replycoach.packs.testing import run_examples
from replycoach.request import parse_check

from .conftest import ROOT

BASE = {
    "pack.yaml": ("id: base\nname: Base\nversion: 1.0.0\nlanguages: [en]\n"
                  "settings: {too_long: 60}\ncontacts: [desk@base.example]\n"),
    "rules.yaml": ("rules:\n"
                   "  - id: missing-thanks\n    severity: warning\n    when: {lang_supported: true, n_thanks: 0}\n"
                   "  - id: jargon\n    severity: suggestion\n    for_each: jargon\n    fix: {kind: replace}\n"
                   "  - id: too-long\n    severity: suggestion\n    when: {chars: {gt: $too_long}}\n"
                   "  - id: private-data\n    severity: error\n    for_each: private_data\n    fix: {kind: delete}\n"),
    "lang/en.yaml": ("lists:\n  thanks: [thank*]\n  jargon:\n    - {p: SLA, replace: the time we promised}\n"
                     "examples:\n  jargon:\n    fire: [\"Thanks, we missed our SLA.\"]\n    pass: [Thanks for waiting.]\n"),
    "messages/en.yaml": "jargon:\n  message: \"Jargon: {match}\"\n  explanation: plain words\n",
}

TEAM = {
    "pack.yaml": ("id: team\nname: Team\nversion: 0.1.0\nlanguages: [en]\nextends: base\n"
                  "settings: {too_long: 500}\ndisabled_rules: [missing-thanks]\n"
                  "vocabulary: [Aurora]\ncontacts: [help@team.example]\n"),
    "rules.yaml": ("rules:\n"
                   "  - id: banned-word\n    severity: error\n    for_each: banned\n    fix: {kind: delete}\n"
                   "  - id: sign-off\n    severity: warning\n    when: {chars: {lt: $too_long}, n_signoff: 0}\n"),
    "lang/en.yaml": ("lists:\n  jargon:\n    - {p: PMS, replace: our booking system}\n"
                     "  banned: [cheap*]\n  signoff: [the aurora team]\n"
                     "examples:\n"
                     "  banned-word:\n    fire: [\"Our rooms are cheap. The Aurora team\"]\n"
                     "    pass: [\"Our rooms are simple. The Aurora team\"]\n"
                     "  jargon:\n    fire: [\"The PMS lost it. The Aurora team\"]\n"
                     "    pass: [\"Our booking system lost it. The Aurora team\"]\n"),
    "messages/en.yaml": "banned-word:\n  message: \"Not our word: {match}\"\n  explanation: brand book 2.4\n",
}


def write(root: Path, name: str, files: dict[str, str]) -> Path:
    folder = root / name
    for rel, text in files.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture()
def roots(tmp_path):
    base_root, team_root = tmp_path / "builtin", tmp_path / "team"
    write(base_root, "base", BASE)
    write(team_root, "team", TEAM)
    return base_root, team_root


def check(registry, text, **kw):
    checker = Checker(registry, spell=None)
    return checker.check(parse_check({"text": text, "language": "en", **kw}))


def fired(result, pack=None):
    return sorted({w["rule"] for w in result["warnings"] if pack is None or w["pack"] == pack})


# -- schema -----------------------------------------------------------------

@pytest.mark.parametrize("kind", schemamod.KINDS)
def test_schemas_are_valid_json_schema(kind):
    schema = json.loads(Path(schemamod.schema_path(kind)).read_text(encoding="utf-8"))
    assert schema["$schema"].endswith("2020-12/schema")
    schemamod.validator(kind)   # check_schema raises on a bad schema


def test_rules_schema_knows_every_context_field():
    schema = json.loads(Path(schemamod.schema_path("rules")).read_text(encoding="utf-8"))
    names = schema["$defs"]["when"]["propertyNames"]["anyOf"][0]["enum"]
    assert set(CTX_FIELDS) | {"any"} == set(names), "regenerate: python -m replycoach.packs.schema_gen"


def test_shipped_packs_pass_the_schema():
    for folder in [f"{ROOT}/rules/examples/hotel-chain"]:
        pack = load_pack(folder)
        assert not [p for p in pack.warnings if "schema" in p.message]


@pytest.mark.parametrize("rel,text,where,words", [
    ("pack.yaml", "id: base\nversion: 1.0.0\nlanguages: [en]\ncolour: red\n", "pack.yaml:4", "colour: unknown key"),
    ("rules.yaml", "rules:\n  - id: x\n    severity: error\n    severty: error\n", "rules.yaml:4", "severty: unknown key"),
    ("lang/en.yaml", "lists:\n  thanks: [thank*]\nexamples:\n  x:\n    fire:\n      - {text: hi, reveiw: {rating: 1}}\n",
     "en.yaml:6", "reveiw: unknown key"),
    ("lang/en.yaml", "lists:\n  thanks: [thank*]\nexamples:\n  x:\n    fire:\n      - {text: hi, review: {rating: five}}\n",
     "en.yaml:6", "expected number"),
    ("messages/en.yaml", "x:\n  mesage: hi\n", "en.yaml:2", "mesage: unknown key"),
])
def test_schema_problems_name_file_and_line(tmp_path, rel, text, where, words):
    folder = write(tmp_path, "base", {**BASE, rel: text})
    with pytest.raises(PackError) as exc:
        load_pack(str(folder))
    problems = [str(p) for p in exc.value.problems]
    assert any(where in p and words in p for p in problems), problems


# -- overlays -----------------------------------------------------------------

def test_team_pack_layers_onto_its_base(roots):
    base_root, team_root = roots
    registry = PackRegistry([str(base_root), str(team_root)])
    snap = registry.current
    assert not [p for ps in snap.errors.values() for p in ps if p.level == "error"], snap.errors
    base, team = snap.packs["base"], snap.packs["team"]
    assert base.overlays == ["team"] and team.extends == "base"
    assert base.settings["too_long"] == 500                       # setting overridden
    assert "missing-thanks" not in base.rule_ids()                 # rule disabled
    assert team.rule_ids() == ["banned-word", "sign-off"]          # own rules stay in the team pack
    assert "Aurora" in base.vocabulary
    assert set(base.contacts) == {"desk@base.example", "help@team.example"}

    result = check(registry, "Our rooms are cheap. The PMS lost your SLA booking. Write to help@team.example")
    by_rule = {w["rule"]: w for w in result["warnings"]}
    assert by_rule["banned-word"]["pack"] == "team"                # warning names the defining pack
    assert by_rule["banned-word"]["message"] == "Not our word: cheap"
    jargon = [w for w in result["warnings"] if w["rule"] == "jargon"]
    assert {w["pack"] for w in jargon} == {"base"}
    assert {w["suggestions"][0]["text"] for w in jargon} == {"our booking system", "the time we promised"}
    assert "private-data" not in by_rule                           # the team's own contact
    assert "missing-thanks" not in by_rule                         # disabled by the team pack
    assert "too-long" not in by_rule                               # 80 chars < the team's 500
    assert "sign-off" in by_rule                                   # no "the aurora team"

    other = check(registry, "Write to someone@else.example")
    assert "private-data" in fired(other)


def test_without_the_team_pack_the_base_is_unchanged(roots):
    base_root, _ = roots
    registry = PackRegistry([str(base_root)])
    result = check(registry, "Our rooms are cheap. The PMS lost your booking, sorry about that.")
    assert fired(result) == ["missing-thanks", "too-long"]


def test_switching_a_team_pack_off_for_one_request(roots):
    base_root, team_root = roots
    registry = PackRegistry([str(base_root), str(team_root)])
    plain = registry.packset_for(["base"])
    assert plain is not registry.current
    assert "team" not in plain.packs and "missing-thanks" in plain.packs["base"].rule_ids()
    assert plain.packs["base"].settings["too_long"] == 60
    assert registry.packset_for(None) is registry.current
    assert registry.packset_for(["base", "team"]) is registry.current


def test_a_team_pack_may_redefine_a_base_rule(tmp_path, roots):
    base_root, team_root = roots
    write(team_root, "team", {"rules.yaml": "rules:\n  - id: too-long\n    severity: warning\n    when: {chars: {gt: 10}}\n",
                              "lang/en.yaml": "lists:\n  signoff: [x]\n"})
    registry = PackRegistry([str(base_root), str(team_root)])
    result = check(registry, "Thanks a lot for the lovely review.")
    too_long = [w for w in result["warnings"] if w["rule"] == "too-long"]
    assert [(w["pack"], w["severity"]) for w in too_long] == [("team", "warning")]


def test_later_paths_win_for_settings(roots, tmp_path):
    base_root, team_root = roots
    second = tmp_path / "second"
    write(second, "team2", {"pack.yaml": "id: team2\nversion: 1.0.0\nlanguages: [en]\nextends: base\nsettings: {too_long: 20}\n"})
    registry = PackRegistry([str(base_root), str(team_root), str(second)])
    assert registry.current.packs["base"].settings["too_long"] == 20
    assert registry.current.packs["base"].overlays == ["team", "team2"]
    registry = PackRegistry([str(base_root), str(second), str(team_root)])
    assert registry.current.packs["base"].settings["too_long"] == 500


@pytest.mark.parametrize("change,where,words", [
    ({"pack.yaml": "id: team\nversion: 0.1.0\nlanguages: [en]\nextends: nowhere\n"}, "pack.yaml:1", "'nowhere'"),
    ({"rules.yaml": "rules:\n  - id: y\n    severity: error\n    when: {chars: {gt: $nope}}\n"}, "rules.yaml:2", "unknown setting"),
    ({"lang/en.yaml": "examples:\n  no-such-rule:\n    fire: [hi]\n"}, "en.yaml:3", "unknown rule"),
])
def test_a_team_pack_that_does_not_fit_its_base_is_refused(roots, change, where, words):
    base_root, team_root = roots
    folder = write(team_root, "team", change)
    registry = PackRegistry([str(base_root), str(team_root)])
    assert "team" not in registry.current.packs
    assert "missing-thanks" in registry.current.packs["base"].rule_ids()
    problems = [str(p) for p in registry.current.errors[str(folder)]]
    assert any(where in p and words in p for p in problems), problems


def test_example_packs_are_not_active_by_default():
    folders = pack_folders([f"{ROOT}/rules"])
    assert not any("examples" in f for f in folders)
    assert [os.path.basename(f) for f in pack_folders([f"{ROOT}/rules/examples"])] == ["hotel-chain"]


# -- reload -------------------------------------------------------------------

def test_watcher_reloads_changed_packs_and_keeps_the_last_good_version(roots):
    base_root, team_root = roots
    registry = PackRegistry([str(base_root), str(team_root)])
    watcher = PackWatcher(registry)          # polled by hand: no timing in the test
    assert watcher.poll() is False
    rules = team_root / "team" / "rules.yaml"
    rules.write_text(TEAM["rules.yaml"] + "  - id: shout\n    severity: warning\n    for_each: shouting\n", encoding="utf-8")
    assert watcher.poll() is True
    assert "shout" in registry.current.packs["team"].rule_ids()

    rules.write_text("rules:\n  - id: broken\n    severity: loud\n", encoding="utf-8")
    assert watcher.poll() is True
    snap = registry.current
    assert "shout" in snap.packs["team"].rule_ids()               # last good version still active
    assert "team" in snap.stale
    assert any("rules.yaml:3" in str(p) for p in snap.errors[str(team_root / "team")])
    assert "missing-thanks" not in snap.packs["base"].rule_ids()  # its overlay still applies

    rules.write_text(TEAM["rules.yaml"], encoding="utf-8")
    assert watcher.poll() is True
    assert not registry.current.stale and registry.current.packs["team"].rule_ids() == ["banned-word", "sign-off"]


def test_a_pack_failing_its_own_examples_is_refused(roots):
    base_root, team_root = roots
    registry = PackRegistry([str(base_root), str(team_root)])
    registry.attach_checker(Checker(registry, spell=None))
    assert "team" in registry.current.packs and not registry.current.stale
    lang = team_root / "team" / "lang" / "en.yaml"
    # The list no longer holds "cheap*", so the fire example fails.
    lang.write_text(TEAM["lang/en.yaml"].replace("banned: [cheap*]", "banned: [pricey]"), encoding="utf-8")
    snap = registry.reload(changed_only=True)
    assert "team" in snap.stale
    assert snap.packs["team"].langs["en"].lists["banned"].patterns[0].source == "cheap*"
    problems = [str(p) for p in snap.errors[str(team_root / "team")]]
    assert any("en.yaml:" in p and "banned-word fire" in p for p in problems), problems


def test_a_new_pack_failing_its_examples_is_not_loaded(roots):
    base_root, team_root = roots
    write(team_root, "team", {"lang/en.yaml": TEAM["lang/en.yaml"].replace("banned: [cheap*]", "banned: [pricey]")})
    registry = PackRegistry([str(base_root), str(team_root)])
    registry.attach_checker(Checker(registry, spell=None))
    assert "team" not in registry.current.packs
    assert "missing-thanks" in registry.current.packs["base"].rule_ids()


# -- the example hotel pack on the real base ------------------------------------

@pytest.fixture(scope="module")
def hotel_registry():
    return PackRegistry([f"{ROOT}/rules", f"{ROOT}/rules/examples"])


def test_hotel_pack_examples_pass(hotel_registry, checker):
    assert "hotel-chain" in hotel_registry.current.packs, hotel_registry.current.errors
    report = run_examples(hotel_registry, checker, pack_ids=["hotel-chain"])
    assert len(report.outcomes) >= 40
    assert {o.lang for o in report.outcomes} >= {"en", "af", "el", "et"}
    assert not report.failed, [f"{o.example.file}:{o.example.line} {o.detail}" for o in report.failed]


def test_hotel_pack_messages_in_english_and_russian(hotel_registry):
    team = hotel_registry.current.packs["hotel-chain"]
    for ui in ("en", "ru"):
        for rule in team.rule_ids():
            assert team.messages[ui][rule]["message"], (ui, rule)


def test_hotel_pack_in_a_real_check(hotel_registry, checker):
    real = Checker(hotel_registry, detector=checker.detector, spell=checker.spell)
    result = real.check(parse_check({
        "text": "Thanks guys! Our GRA will leave a VIP amenity. Write to guestcare@aurora-hotels.example",
        "language": "en", "ui_language": "ru"}))
    rules = {(w["rule"], w["pack"]) for w in result["warnings"]}
    assert ("banned-word", "hotel-chain") in rules and ("sign-off", "hotel-chain") in rules
    assert ("jargon", "reply-guidelines") in rules
    assert not any(w["rule"] == "private-data" for w in result["warnings"])
    sign = next(w for w in result["warnings"] if w["rule"] == "sign-off")
    assert sign["message"].startswith("Закончите нашей подписью")
    assert sign["suggestions"][0]["text"].strip() == "Warm regards, the Aurora Hotels team"


# -- CLI ----------------------------------------------------------------------

@pytest.fixture()
def cli_env(tmp_path, monkeypatch):
    monkeypatch.setenv("REPLYCOACH_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("REPLYCOACH_PACKS_PATH", raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_cli_new_validate_test_export_install(cli_env, capsys):
    assert cli_main(["packs", "new", "my-team", "--languages", "en,ru"]) == 0
    assert cli_main(["packs", "validate", "my-team"]) == 0
    assert cli_main(["packs", "test", "my-team"]) == 0
    out = capsys.readouterr().out
    assert "ok: my-team 0.1.0" in out and "4 passed, 0 failed" in out
    assert cli_main(["packs", "export", "my-team", "-o", "dist"]) == 0
    archive = cli_env / "dist" / "my-team-0.1.0.zip"
    with zipfile.ZipFile(archive) as zf:
        manifest = json.loads(zf.read("manifest.json"))
    assert manifest["id"] == "my-team" and manifest["version"] == "0.1.0" and manifest["extends"] == "reply-guidelines"
    assert "pack/rules.yaml" in zipfile.ZipFile(archive).namelist() and "rules.yaml" in manifest["files"]
    assert cli_main(["packs", "install", str(archive)]) == 0
    installed = cli_env / "home" / "packs" / "my-team"
    assert (installed / "pack.yaml").exists()
    registry = PackRegistry()     # default roots include installed packs
    assert "my-team" in registry.current.packs


def test_cli_install_refuses_a_tampered_archive(cli_env, capsys):
    cli_main(["packs", "new", "my-team", "--languages", "en"])
    cli_main(["packs", "export", "my-team", "-o", "dist", "--no-test"])
    good = cli_env / "dist" / "my-team-0.1.0.zip"
    bad = cli_env / "bad.zip"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bad, "w") as dst:
        for name in src.namelist():
            data = src.read(name)
            if name == "pack/rules.yaml":
                data = data.replace(b"severity: warning", b"severity: error")
            dst.writestr(name, data)
    capsys.readouterr()
    assert cli_main(["packs", "install", str(bad)]) == 1
    assert "checksum mismatch for rules.yaml" in capsys.readouterr().err
    assert not (cli_env / "home" / "packs" / "my-team").exists()


def test_cli_install_refuses_a_pack_whose_tests_fail(cli_env, capsys):
    cli_main(["packs", "new", "my-team", "--languages", "en"])
    lang = cli_env / "my-team" / "lang" / "en.yaml"
    lang.write_text(lang.read_text(encoding="utf-8").replace('banned: ["cheap*"]', 'banned: ["pricey"]'), encoding="utf-8")
    assert cli_main(["packs", "export", "my-team", "-o", "dist"]) == 1        # export runs the tests too
    cli_main(["packs", "export", "my-team", "-o", "dist", "--no-test"])
    capsys.readouterr()
    assert cli_main(["packs", "install", str(cli_env / "dist" / "my-team-0.1.0.zip")]) == 1
    captured = capsys.readouterr()
    assert "FAIL" in captured.out and "banned-word fire" in captured.out
    assert "examples fail" in captured.err
    assert not (cli_env / "home" / "packs" / "my-team").exists()


def test_cli_validate_reports_file_and_line(cli_env, capsys):
    cli_main(["packs", "new", "my-team", "--languages", "en"])
    rules = cli_env / "my-team" / "rules.yaml"
    rules.write_text(rules.read_text(encoding="utf-8").replace("severity: warning", "severity: warning\n    colour: red"), encoding="utf-8")
    capsys.readouterr()
    assert cli_main(["packs", "validate", "my-team"]) == 1
    out = capsys.readouterr().out
    assert "my-team/rules.yaml:5: schema: rules[0].colour: unknown key" in out


# -- HTTP -----------------------------------------------------------------------

def test_schemas_are_served_for_editors(client):
    resp = client.get("/schema/rules.schema.json")
    assert resp.status_code == 200 and resp.get_json()["title"] == "Reply Coach rules.yaml"
    assert client.get("/schema/nope.schema.json").status_code == 404


def test_api_lists_refused_packs_and_reload_needs_the_token(roots, tmp_path):
    from replycoach.app import create_app
    from replycoach.config import Config
    from replycoach.services import build_services
    base_root, team_root = roots
    write(team_root, "broken", {"pack.yaml": "id: broken\nversion: 1.0.0\nlanguages: [en]\nextends: base\n",
                                "rules.yaml": "rules:\n  - id: z\n    severity: loud\n"})
    config = Config(home=str(tmp_path / "home"), pack_roots=[str(base_root), str(team_root)],
                    spelling=False, history=False)
    services = build_services(config)
    client = create_app(config, services).test_client()
    data = client.get("/api/v1/packs").get_json()
    assert [p["id"] for p in data["packs"]] == ["base", "team"]
    assert data["packs"][0]["overlays"] == ["team"] and data["packs"][1]["extends"] == "base"
    refused = {r["path"]: r["errors"] for r in data["refused"]}
    errors = refused[str(team_root / "broken")]
    assert any(e["line"] == 3 and e["file"].endswith("rules.yaml") and "severity" in e["message"] for e in errors)

    assert client.post("/api/v1/packs/reload").status_code == 401
    (team_root / "broken" / "rules.yaml").write_text("rules:\n  - id: z\n    severity: error\n    for_each: banned\n",
                                                     encoding="utf-8")
    resp = client.post("/api/v1/packs/reload", headers={"X-ReplyCoach-Token": services.token})
    assert resp.status_code == 200
    assert "broken" in [p["id"] for p in resp.get_json()["packs"]]
