"""The extension as shipped: locales complete, `web-ext lint` clean, and the
store zips built by build.sh well-formed. No browser needed."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import zipfile

import pytest

from .conftest import EXTENSION

LOCALES = ["en", "ru", "af", "el", "et"]
# Strings that are rightly the same as English in a locale (brand names,
# language names spelled alike).
SAME_AS_ENGLISH_OK = {"extName", "lang_af", "packDisabled", "optToken", "author"}


def messages(lang):
    return json.loads((EXTENSION / "_locales" / lang / "messages.json").read_text(encoding="utf-8"))


def used_keys() -> set[str]:
    keys = set()
    for path in list(EXTENSION.glob("src/**/*.js")) + list(EXTENSION.glob("popup/*")) + list(EXTENSION.glob("options/*")):
        src = path.read_text(encoding="utf-8")
        keys |= set(re.findall(r'data-i18n(?:-placeholder)?="([A-Za-z_]+)"', src))
        keys |= set(re.findall(r'\bt\("([A-Za-z]+(?:_[A-Za-z]+)?)"(?! \+)', src))
        if '"severity_" +' in src:  # built from the severity name
            keys |= {"severity_" + s for s in ("error", "warning", "suggestion")}
    keys |= set(re.findall(r"__MSG_([A-Za-z_]+)__", (EXTENSION / "manifest.json").read_text()))
    return keys


def test_every_locale_has_every_string_translated():
    en = messages("en")
    missing = used_keys() - set(en)
    assert not missing, f"keys used in code but missing from en: {missing}"
    for lang in LOCALES[1:]:
        m = messages(lang)
        assert set(m) == set(en), f"{lang}: key sets differ: {set(en) ^ set(m)}"
        for key, entry in m.items():
            assert entry["message"].strip(), f"{lang}.{key} is empty"
            for ph in re.findall(r"\$[A-Z]+\$", en[key]["message"]):
                assert ph in entry["message"], f"{lang}.{key} lost placeholder {ph}"
            assert set(entry.get("placeholders", {})) == set(en[key].get("placeholders", {}))
        same = {k for k in m if m[k]["message"] == en[k]["message"] and k not in SAME_AS_ENGLISH_OK}
        assert not same, f"{lang}: untranslated strings {same}"


def need_node_modules():
    if not (EXTENSION / "node_modules" / ".bin" / "web-ext").exists():
        msg = "extension/node_modules missing: run `npm ci` in extension/ (make extension-deps)"
        if os.environ.get("CI"):
            pytest.fail(msg)
        pytest.skip(msg)


def test_web_ext_lint_has_no_errors():
    need_node_modules()
    proc = subprocess.run(
        [str(EXTENSION / "node_modules" / ".bin" / "web-ext"), "lint", "--source-dir", str(EXTENSION),
         "--output", "json", "--ignore-files", "node_modules/**", "dist/**", "test/**", "package.json",
         "package-lock.json", "build.sh"],
        capture_output=True, text=True, timeout=180)
    report = json.loads(proc.stdout[proc.stdout.index("{"):])
    assert report["errors"] == [], report["errors"]
    # The only accepted warning: Firefox ignores the Chromium service_worker key.
    other = [w for w in report["warnings"] if "service_worker" not in w.get("dataPath", "") + w.get("message", "")]
    assert other == [], other


def test_build_script_makes_a_zip_per_store(tmp_path):
    if not shutil.which("python3"):
        pytest.skip("build.sh needs python3")
    proc = subprocess.run(["bash", str(EXTENSION / "build.sh")], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    version = json.loads((EXTENSION / "manifest.json").read_text())["version"]
    for target in ("chromium", "firefox"):
        path = EXTENSION / "dist" / f"replycoach-{target}-{version}.zip"
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
            manifest = json.loads(z.read("manifest.json"))
        assert not any(n.startswith(("node_modules/", "dist/", "test/")) or n in ("package.json", "build.sh") for n in names)
        referenced = set(manifest["background"].get("scripts", []))
        referenced |= {manifest["background"]["service_worker"]} if "service_worker" in manifest["background"] else set()
        for cs in manifest["content_scripts"]:
            referenced |= set(cs["js"]) | set(cs.get("css", []))
        referenced |= set(manifest["icons"].values()) | {manifest["action"]["default_popup"], manifest["options_ui"]["page"]}
        assert referenced <= names, referenced - names
        assert {f"_locales/{lang}/messages.json" for lang in LOCALES} <= names
        if target == "chromium":
            assert set(manifest["background"]) == {"service_worker"}
        else:
            assert set(manifest["background"]) == {"scripts"}
            assert manifest["browser_specific_settings"]["gecko"]["id"]


def test_js_unit_tests_pass():
    """The DOM-free helpers (rating/date parsing, diffs, settings) under node --test."""
    node = shutil.which("node")
    if not node:
        pytest.fail("node is required (node 20)") if os.environ.get("CI") else pytest.skip("node missing")
    proc = subprocess.run([node, "--test", "test/"], cwd=EXTENSION, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    assert "# fail 0" in proc.stdout and "# pass 0" not in proc.stdout
