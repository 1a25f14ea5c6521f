"""`replycoach packs new`: a team pack that validates and passes its own
tests from the first minute, with schema hints for editors."""
from __future__ import annotations

import os

from .schema import SCHEMA_DIR

# A word a team might ban, and sentences with and without it, per language.
SAMPLES = {
    "en": ("cheap*", "Thank you for staying with us. Our rooms are cheap and clean.",
           "Thank you for staying with us. Our rooms are simple and clean."),
    "ru": ("дешев*", "Спасибо, что остановились у нас. Номера у нас дешёвые и чистые.",
           "Спасибо, что остановились у нас. Номера у нас простые и чистые."),
    "af": ("goedkoop*", "Dankie dat u by ons gebly het. Ons kamers is goedkoop en skoon.",
           "Dankie dat u by ons gebly het. Ons kamers is eenvoudig en skoon."),
    "el": ("φτην*", "Σας ευχαριστούμε που μείνατε μαζί μας. Τα δωμάτιά μας είναι φτηνά και καθαρά.",
           "Σας ευχαριστούμε που μείνατε μαζί μας. Τα δωμάτιά μας είναι απλά και καθαρά."),
    "et": ("odav*", "Aitäh, et peatusite meie juures. Meie toad on odavad ja puhtad.",
           "Aitäh, et peatusite meie juures. Meie toad on lihtsad ja puhtad."),
}


def _hint(folder: str, target: str, kind: str) -> str:
    rel = os.path.relpath(os.path.join(SCHEMA_DIR, f"{kind}.schema.json"), os.path.dirname(target))
    return f"# yaml-language-server: $schema={rel}\n"


def _q(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def create(folder: str, pack_id: str, name: str, languages: list[str], extends: str | None) -> list[str]:
    if os.path.exists(folder) and os.listdir(folder):
        raise FileExistsError(f"{folder} exists and is not empty")
    files: dict[str, tuple[str, str]] = {}
    meta = [f"id: {pack_id}", f"name: {_q(name)}", "version: 0.1.0", "author: ''",
            "description: Our team's additions to the reply guidelines.",
            f"languages: [{', '.join(languages)}]"]
    if extends:
        meta += [f"extends: {extends}",
                 "# settings: {too_long_chars: 900}      # override the base pack's settings",
                 "disabled_rules: []                       # rule ids of the base pack to switch off"]
    meta += ["vocabulary: []                           # brand and place names spelling should accept",
             "contacts: []                             # your own e-mails and phones (never private data)"]
    files["pack.yaml"] = ("pack", "\n".join(meta) + "\n")
    files["rules.yaml"] = ("rules", (
        "rules:\n"
        "  - id: banned-word\n"
        "    severity: warning\n"
        "    sources: [\"our style guide\"]\n"
        "    for_each: banned          # one warning per hit of the list `banned` in lang/<code>.yaml\n"
        "    fix: {kind: delete}\n"))
    for code in languages:
        word, fire, passing = SAMPLES.get(code, SAMPLES["en"])
        files[f"lang/{code}.yaml"] = ("lang", (
            "lists:\n"
            f"  banned: [{_q(word)}]\n"
            "  # jargon:                 # added to the base pack's jargon list\n"
            "  #   - {p: \"PMS\", replace: \"our booking system\"}\n"
            "examples:\n"
            "  banned-word:\n"
            f"    fire:\n      - {{text: {_q(fire)}, language: {code}}}\n"
            f"    pass:\n      - {{text: {_q(passing)}, language: {code}}}\n"))
    files["messages/en.yaml"] = ("messages", (
        "banned-word:\n"
        "  message: \"\\\"{match}\\\" is not a word we use.\"\n"
        "  explanation: \"Say what you mean plainly (source: our style guide).\"\n"))
    written = []
    for rel, (kind, text) in files.items():
        path = os.path.join(folder, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(_hint(folder, path, kind) + text)
        written.append(path)
    return written
