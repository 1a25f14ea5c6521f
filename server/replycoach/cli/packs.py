"""replycoach packs list|validate|test"""
from __future__ import annotations

import json
import os

from ..packs.loader import PackError, load_pack
from ..packs.registry import PackRegistry, default_roots, pack_folders
from .common import die, services


def add_parser(sub):
    p = sub.add_parser("packs", help="list, validate and test rule packs")
    psub = p.add_subparsers(dest="packs_command", required=True)
    ls = psub.add_parser("list", help="the packs in use")
    ls.add_argument("folders", nargs="*")
    ls.add_argument("--json", action="store_true")
    ls.set_defaults(run=run_list)
    va = psub.add_parser("validate", help="check pack files; print file:line for every problem")
    va.add_argument("folders", nargs="*", help="pack folders or folders of packs (default: installed)")
    va.set_defaults(run=run_validate)
    te = psub.add_parser("test", help="run the packs' examples")
    te.add_argument("folders", nargs="*")
    te.add_argument("--lang")
    te.add_argument("--rule")
    te.add_argument("--json", action="store_true", help="print per-rule precision/recall as JSON")
    te.add_argument("-q", "--quiet", action="store_true", help="print failures and the summary only")
    te.set_defaults(run=run_test)


def _roots(folders):
    return [os.path.abspath(f) for f in folders] if folders else default_roots()


def run_list(args) -> int:
    registry = PackRegistry(_roots(args.folders))
    packs = [p.summary() for p in registry.current.packs.values()]
    if args.json:
        print(json.dumps(packs, ensure_ascii=False, indent=2))
    else:
        for p in packs:
            print(f"{p['id']} {p['version']}  {p['name']}  [{', '.join(p['languages'])}]  {len(p['rules'])} rules  {p['path']}")
    for folder, problems in registry.current.errors.items():
        for problem in problems:
            print(f"refused: {problem}")
    return 0


def run_validate(args) -> int:
    folders = pack_folders(_roots(args.folders))
    if not folders:
        return die("no pack.yaml found")
    bad = 0
    for folder in folders:
        try:
            pack = load_pack(folder)
            for problem in pack.warnings:
                print(problem)
            print(f"ok: {pack.id} {pack.version} ({folder})")
        except PackError as exc:
            bad += 1
            for problem in exc.problems:
                print(problem)
    return 1 if bad else 0


def run_test(args) -> int:
    from ..packs.testing import run_examples
    svc = services(_roots(args.folders), history=False)
    refused = False
    for folder, problems in svc.registry.current.errors.items():
        for problem in problems:
            print(problem)
            refused = refused or problem.level == "error"
    if refused:
        return 1
    report = run_examples(svc.registry, svc.checker, lang=args.lang, rule=args.rule)
    if args.json:
        rows = {f"{rule}/{lang}": row for (rule, lang), row in sorted(report.per_rule().items())}
        print(json.dumps({"per_rule": rows, "good_replies": report.false_positives(),
                          "failed": len(report.failed), "total": len(report.outcomes)},
                         ensure_ascii=False, indent=2))
    else:
        for o in report.outcomes:
            if not o.ok:
                label = o.example.rule or "good reply"
                print(f"FAIL {o.example.file}:{o.example.line} [{o.lang}] {label} {o.example.expect}: {o.detail}")
            elif not args.quiet:
                print(f"ok   {o.example.file}:{o.example.line} [{o.lang}] {o.example.rule or 'good reply'} {o.example.expect}")
        passed = len(report.outcomes) - len(report.failed)
        print(f"{passed} passed, {len(report.failed)} failed")
    return 1 if report.failed or not report.outcomes else 0
