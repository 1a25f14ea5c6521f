"""replycoach packs list|validate|test|new|export|install"""
from __future__ import annotations

import json
import os
import re
import shutil

from ..packs.loader import PackError, Problem, load_pack
from ..packs.registry import PackRegistry, compose, default_roots, installed_dir, load_pack_cached, pack_folders
from .common import die, services


def add_parser(sub):
    p = sub.add_parser("packs", help="list, validate, test, create, export and install rule packs")
    psub = p.add_subparsers(dest="packs_command", required=True)
    ls = psub.add_parser("list", help="the packs in use")
    ls.add_argument("folders", nargs="*")
    ls.add_argument("--json", action="store_true")
    ls.set_defaults(run=run_list)
    va = psub.add_parser("validate", help="check pack files; print file:line for every problem")
    va.add_argument("folders", nargs="*", help="pack folders or folders of packs (default: installed)")
    va.set_defaults(run=run_validate)
    te = psub.add_parser("test", help="run the packs' examples")
    te.add_argument("folders", nargs="*", help="test only the packs in these folders (team packs run on their base)")
    te.add_argument("--lang")
    te.add_argument("--rule")
    te.add_argument("--json", action="store_true", help="print per-rule precision/recall as JSON")
    te.add_argument("-q", "--quiet", action="store_true", help="print failures and the summary only")
    te.set_defaults(run=run_test)
    new = psub.add_parser("new", help="create a team pack that validates and passes its tests")
    new.add_argument("folder", help="the new pack's folder (its name becomes the id)")
    new.add_argument("--id", help="pack id (default: the folder name)")
    new.add_argument("--name")
    new.add_argument("--languages", default="en,ru,af,el,et", help="comma-separated (default: en,ru,af,el,et)")
    new.add_argument("--extends", default="reply-guidelines",
                     help="the pack it layers onto (default reply-guidelines; '' for a standalone pack)")
    new.set_defaults(run=run_new)
    ex = psub.add_parser("export", help="write a pack as one versioned archive (manifest + checksums)")
    ex.add_argument("folder")
    ex.add_argument("-o", "--output", default=".", help="folder to write <id>-<version>.zip to")
    ex.add_argument("--no-test", action="store_true", help="skip running the pack's examples first")
    ex.set_defaults(run=run_export)
    ins = psub.add_parser("install", help="install a pack archive (refused if its checks or examples fail)")
    ins.add_argument("archive", help="a .zip made by `replycoach packs export`, or a pack folder")
    ins.add_argument("--target", help=f"where packs are installed (default {installed_dir()})")
    ins.set_defaults(run=run_install)


def _roots(folders):
    return [os.path.abspath(f) for f in folders] if folders else default_roots()


def _with_bases(folders) -> list[str]:
    """The given folders after the default roots, so team packs find their base."""
    given = [os.path.abspath(f) for f in folders]
    return [r for r in default_roots() if os.path.abspath(r) not in given] + given


def _print_problems(problems, prefix: str = "") -> bool:
    refused = False
    for problem in problems:
        print(f"{prefix}{problem}")
        refused = refused or problem.level == "error"
    return refused


def run_list(args) -> int:
    registry = PackRegistry(_roots(args.folders))
    packs = [p.summary() for p in registry.current.packs.values()]
    if args.json:
        print(json.dumps(packs, ensure_ascii=False, indent=2))
    else:
        for p in packs:
            extra = f"  extends {p['extends']}" if p["extends"] else ""
            print(f"{p['id']} {p['version']}  {p['name']}  [{', '.join(p['languages'])}]  "
                  f"{len(p['rules'])} rules{extra}  {p['path']}")
    for folder, problems in registry.current.errors.items():
        for problem in problems:
            print(f"{'refused' if problem.level == 'error' else 'note'}: {problem}")
    return 0


def _validate_folders(folders: list[str]) -> tuple[int, list]:
    """(number refused, loaded packs). Team packs are also merged onto their base."""
    bad = 0
    loaded = []
    for folder in folders:
        try:
            pack = load_pack(folder)
        except PackError as exc:
            bad += 1
            _print_problems(exc.problems)
            continue
        problems = list(pack.warnings)
        if pack.extends:
            base = _find_base(pack.extends, exclude=folder)
            if base is None:
                problems.append(Problem(os.path.join(folder, "pack.yaml"), 1,
                                        f"extends {pack.extends!r}, which is not installed"))
            else:
                _, found = compose([base, pack])
                problems += found.get(pack.path, [])
        if _print_problems(problems):
            bad += 1
        else:
            print(f"ok: {pack.id} {pack.version} ({folder})")
            loaded.append(pack)
    return bad, loaded


def _find_base(pack_id: str, exclude: str | None = None):
    for folder in reversed(pack_folders(default_roots())):
        if folder == exclude:
            continue
        try:
            pack = load_pack_cached(folder)
        except PackError:
            continue
        if pack.id == pack_id and not pack.extends:
            return pack
    return None


def run_validate(args) -> int:
    folders = pack_folders(_roots(args.folders))
    if not folders:
        return die("no pack.yaml found")
    bad, _ = _validate_folders(folders)
    return 1 if bad else 0


def _test(folders: list[str] | None, lang=None, rule=None, quiet=False, as_json=False) -> int:
    from ..packs.testing import run_examples
    if folders:
        wanted = pack_folders([os.path.abspath(f) for f in folders])
        if not wanted:
            return die("no pack.yaml found")
        svc = services(_with_bases(folders), history=False)
    else:
        wanted = None
        svc = services(None, history=False)
    snap = svc.registry.current
    refused = False
    for folder, problems in snap.errors.items():
        if wanted is None or folder in wanted:
            refused = _print_problems(problems) or refused
    if refused:
        return 1
    pack_ids = None
    if wanted is not None:
        pack_ids = [p.id for p in snap.packs.values() if p.path in wanted]
        if not pack_ids:
            return die("none of these packs could be loaded")
    report = run_examples(svc.registry, svc.checker, pack_ids=pack_ids, lang=lang, rule=rule)
    if as_json:
        rows = {f"{r}/{lg}": row for (r, lg), row in sorted(report.per_rule().items())}
        print(json.dumps({"per_rule": rows, "good_replies": report.false_positives(),
                          "failed": len(report.failed), "total": len(report.outcomes)},
                         ensure_ascii=False, indent=2))
    else:
        for o in report.outcomes:
            if not o.ok:
                label = o.example.rule or "good reply"
                print(f"FAIL {o.example.file}:{o.example.line} [{o.lang}] {label} {o.example.expect}: {o.detail}")
            elif not quiet:
                print(f"ok   {o.example.file}:{o.example.line} [{o.lang}] {o.example.rule or 'good reply'} {o.example.expect}")
        passed = len(report.outcomes) - len(report.failed)
        print(f"{passed} passed, {len(report.failed)} failed")
    return 1 if report.failed or not report.outcomes else 0


def run_test(args) -> int:
    return _test(args.folders or None, args.lang, args.rule, args.quiet, args.json)


def run_new(args) -> int:
    from ..packs import scaffold
    folder = os.path.abspath(args.folder)
    pack_id = args.id or os.path.basename(folder.rstrip(os.sep)).lower()
    if not re.match(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$", pack_id):
        return die(f"{pack_id!r} is not a pack id (lower-case letters, digits and dashes); use --id")
    languages = [c.strip() for c in args.languages.split(",") if c.strip()]
    try:
        written = scaffold.create(folder, pack_id, args.name or pack_id.replace("-", " ").capitalize(),
                                  languages, args.extends or None)
    except FileExistsError as exc:
        return die(str(exc))
    for path in written:
        print(f"created {path}")
    print(f"next: edit the files, then `replycoach packs test {args.folder}`")
    return 0


def run_export(args) -> int:
    from ..packs import archive
    folder = os.path.abspath(args.folder)
    if not os.path.exists(os.path.join(folder, "pack.yaml")):
        return die(f"{args.folder}: no pack.yaml")
    bad, loaded = _validate_folders([folder])
    if bad:
        return die("not exported: fix the problems above", 1)
    if not args.no_test and _test([folder], quiet=True):
        return die("not exported: the pack's examples fail", 1)
    path = archive.export(folder, loaded[0], args.output)
    print(f"wrote {path}")
    return 0


def run_install(args) -> int:
    from ..packs import archive
    target = os.path.abspath(args.target or installed_dir())
    tmp = None
    try:
        if os.path.isdir(args.archive):
            folder = os.path.abspath(args.archive)
        else:
            try:
                folder, manifest = archive.unpack(args.archive)
            except archive.ArchiveError as exc:
                return die(f"not installed: {exc}", 1)
            tmp = os.path.dirname(folder)
            print(f"archive ok: {manifest['id']} {manifest['version']} ({len(manifest['files'])} files, checksums match)")
        bad, loaded = _validate_folders([folder])
        if bad:
            return die("not installed: the pack has errors", 1)
        if _test([folder], quiet=True):
            return die("not installed: the pack's examples fail", 1)
        pack = loaded[0]
        dest = os.path.join(target, pack.id)
        os.makedirs(target, exist_ok=True)
        previous = None
        if os.path.exists(os.path.join(dest, "pack.yaml")):
            try:
                previous = load_pack(dest).version
            except PackError:
                previous = "broken"
        staging = dest + ".installing"
        shutil.rmtree(staging, ignore_errors=True)
        shutil.copytree(folder, staging)
        shutil.rmtree(dest, ignore_errors=True)
        os.replace(staging, dest)
        print(f"installed {pack.id} {pack.version}" + (f" (was {previous})" if previous else "") + f" in {dest}")
        return 0
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)
