"""Finds the packs, loads them, layers team packs onto their base, compiles
everything into one engine ruleset, and keeps the last good version of each
pack when a new one fails (to load, to validate against the schema, to merge
or, once a checker is attached, to pass its own examples).

Where packs are found, in order of precedence (later wins for settings and
for a pack id found twice):
  1. the built-in rules/ folder (each rules/<pack>/pack.yaml; rules/examples/
     holds example packs that are NOT active unless put on the path);
  2. installed packs: $REPLYCOACH_HOME/packs (`replycoach packs install`);
  3. the folders on REPLYCOACH_PACKS_PATH, in order.
Each root may itself be a pack folder or hold pack folders one level down.
"""
from __future__ import annotations

import hashlib
import logging
import os
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

from ..conditions import HIT_FIELDS, ConditionError, compile_conditions
from ..engine import CompiledRule, Ruleset
from . import overlay as overlaymod
from .loader import PackError, Problem, load_pack
from .model import Pack

BUILTIN_RULES_DIR = str(Path(__file__).resolve().parents[3] / "rules")
log = logging.getLogger("replycoach.packs")


def pack_folders(roots: list[str]) -> list[str]:
    """Every folder with a pack.yaml directly in a root or one level below."""
    out: list[str] = []
    for root in roots:
        if not os.path.isdir(root):
            continue
        if os.path.exists(os.path.join(root, "pack.yaml")):
            out.append(os.path.abspath(root))
            continue
        for name in sorted(os.listdir(root)):
            folder = os.path.join(root, name)
            if os.path.exists(os.path.join(folder, "pack.yaml")):
                out.append(os.path.abspath(folder))
    return out


def installed_dir(home: str | None = None) -> str:
    home = home or os.environ.get("REPLYCOACH_HOME") or str(Path.home() / ".replycoach")
    return os.path.join(home, "packs")


def default_roots() -> list[str]:
    """Built-in rules first, then installed packs, then REPLYCOACH_PACKS_PATH (later wins)."""
    roots = [os.environ.get("REPLYCOACH_RULES_DIR") or BUILTIN_RULES_DIR, installed_dir()]
    extra = os.environ.get("REPLYCOACH_PACKS_PATH", "")
    roots += [p for p in extra.split(os.pathsep) if p]
    return roots


def fingerprint(folder: str) -> tuple:
    """(file, mtime, size) of every YAML file of a pack: what the watcher compares."""
    out = []
    for dirpath, dirnames, filenames in os.walk(folder):
        depth = os.path.relpath(dirpath, folder).count(os.sep)
        if depth >= 1:
            dirnames[:] = []
        for name in filenames:
            if name.endswith((".yaml", ".yml")):
                path = os.path.join(dirpath, name)
                try:
                    st = os.stat(path)
                except OSError:
                    continue
                out.append((os.path.relpath(path, folder), st.st_mtime_ns, st.st_size))
    return tuple(sorted(out))


def content_key(folder: str) -> str:
    """A digest of every YAML file of a pack (names and bytes)."""
    h = hashlib.sha256(os.getcwd().encode())   # problems name files relative to the working folder
    for rel, _, _ in fingerprint(folder):
        h.update(rel.encode() + b"\0")
        try:
            with open(os.path.join(folder, rel), "rb") as fh:
                h.update(hashlib.sha256(fh.read()).digest())
        except OSError:
            h.update(b"missing")
    return h.hexdigest()


_cache_lock = threading.Lock()
_cache: OrderedDict = OrderedDict()   # (folder, content key) -> Pack or PackError


def load_pack_cached(folder: str) -> Pack:
    """load_pack, reusing the result while the files' bytes are the same
    (compiling the built-in pack's patterns takes seconds)."""
    key = (os.path.abspath(folder), content_key(folder))
    with _cache_lock:
        hit = _cache.get(key)
        if hit is not None:
            _cache.move_to_end(key)
    if hit is None:
        try:
            hit = load_pack(folder)
        except PackError as exc:
            hit = exc
        with _cache_lock:
            _cache[key] = hit
            while len(_cache) > 32:
                _cache.popitem(last=False)
    if isinstance(hit, PackError):
        raise hit
    return hit


def compile_pack(pack: Pack) -> list[CompiledRule]:
    out = []
    for rule in pack.rules:
        out.append(CompiledRule(
            key=f"{pack.id}/{rule.id}#{rule.clause}", pack=pack.id, rule_id=rule.id,
            ctx_terms=tuple(compile_conditions(rule.when, pack.settings)),
            for_each=rule.for_each,
            hit_terms=tuple(compile_conditions(rule.where, pack.settings, HIT_FIELDS))))
    return out


@dataclass
class PackSet:
    """An immutable snapshot: what one request is checked against."""
    packs: dict[str, Pack]
    ruleset: Ruleset
    errors: dict[str, list[Problem]] = field(default_factory=dict)   # folder -> problems
    stale: set[str] = field(default_factory=set)   # pack ids kept from an earlier load
    generation: int = 0


class SnapshotView:
    """Registry-shaped wrapper around one PackSet (for a Checker)."""

    def __init__(self, packset: PackSet):
        self.current = packset

    def packset_for(self, pack_ids) -> PackSet:
        return self.current


@dataclass
class _Good:
    pack: Pack
    fingerprint: tuple
    verified: bool


def _compile_problems(pack: Pack) -> list[Problem]:
    try:
        compile_pack(pack)
        return []
    except ConditionError as exc:
        rule_file = pack.rules[0].file if pack.rules else os.path.join(pack.path, "rules.yaml")
        for rule in pack.rules:
            try:
                compile_conditions(rule.when, pack.settings)
                compile_conditions(rule.where, pack.settings, HIT_FIELDS)
            except ConditionError as e:
                return [Problem(rule.file, rule.line, f"rule {rule.id}: {e}")]
        return [Problem(rule_file, 0, str(exc))]


def compose(raw: list[Pack]) -> tuple[dict[str, Pack], dict[str, list[Problem]]]:
    """Effective packs (bases with their overlays merged, then each overlay's
    view), and problems by folder. An overlay with an error is left out."""
    problems: dict[str, list[Problem]] = {}
    bases = {p.id: p for p in raw if not p.extends}
    accepted: dict[str, list[Pack]] = {}
    for o in raw:
        if not o.extends:
            continue
        base = bases.get(o.extends)
        if base is None:
            kind = "a team pack itself" if any(p.id == o.extends for p in raw) else "not loaded"
            problems.setdefault(o.path, []).append(Problem(
                os.path.join(o.path, "pack.yaml"), 1,
                f"extends {o.extends!r}, which is {kind}; a team pack extends a base pack"))
            continue
        found = overlaymod.check_overlay(o, base)
        trial = overlaymod.merge(base, [o])
        found += _compile_problems(overlaymod.view(o, trial))
        if found:
            problems.setdefault(o.path, []).extend(found)
        if any(p.level == "error" for p in found):
            continue
        accepted.setdefault(base.id, []).append(o)
    out: dict[str, Pack] = {}
    for p in raw:
        if not p.extends:
            out[p.id] = overlaymod.merge(p, accepted[p.id]) if p.id in accepted else p
    for base_id, overlays in accepted.items():
        for o in overlays:
            out[o.id] = overlaymod.view(o, out[base_id])
    # Keep the path order (base before its overlays).
    order = [p.id for p in raw if p.id in out]
    return {pid: out[pid] for pid in order}, problems


class PackRegistry:
    def __init__(self, roots: list[str] | None = None):
        self.roots = roots if roots is not None else default_roots()
        self._lock = threading.RLock()
        self._good: dict[str, _Good] = {}   # folder -> last good raw pack
        self._raw: list[Pack] = []          # raw packs of the current snapshot, in order
        self._variants: OrderedDict = OrderedDict()
        self._variants_lock = threading.Lock()   # never waits for a reload in progress
        self._state: tuple = (None, [], 0)       # (current, raw packs, generation), swapped at once
        self._generation = 0
        self._checker = None                # (detector, spell) once attached
        self._failed: dict[str, tuple] = {}  # folder -> (fingerprint, problems) of the last refusal
        self._watcher: PackWatcher | None = None
        self.current: PackSet | None = None
        self.reload()

    # -- examples as a gate -------------------------------------------------

    def attach_checker(self, checker, verify_now: bool = True) -> None:
        """From now on a new or changed pack must also pass its own examples
        (checked with this checker's language detector and spell checker).
        Packs outside the built-in folder are verified at once."""
        with self._lock:
            self._checker = (checker.detector, checker.spell)
            builtin = os.path.abspath(BUILTIN_RULES_DIR) + os.sep
            for folder, good in self._good.items():
                # The built-in pack is tested by `make test`, not at every start.
                good.verified = folder.startswith(builtin) or not verify_now
            if verify_now:
                self.reload(changed_only=True)

    def _example_problems(self, raw: list[Pack], pack: Pack) -> list[Problem]:
        from ..checker import Checker
        from .testing import run_examples
        if pack.extends:
            base = next((p for p in raw if p.id == pack.extends and not p.extends), None)
            isolated = [base, pack] if base else [pack]
        else:
            isolated = [pack]
        packs, _ = compose(isolated)
        if pack.id not in packs:
            return []   # refused by compose; reported there
        snap = SnapshotView(PackSet(packs, Ruleset([r for p in packs.values() for r in compile_pack(p)])))
        detector, spell = self._checker
        checker = Checker(snap, detector=detector, spell=spell)
        report = run_examples(snap, checker, pack_ids=[pack.id], isolate=False)
        out = []
        for o in report.failed:
            label = o.example.rule or "good reply"
            out.append(Problem(o.example.file, o.example.line,
                               f"example [{o.lang}] {label} {o.example.expect}: {o.detail}"))
        return out

    # -- loading ------------------------------------------------------------

    def reload(self, changed_only: bool = False) -> PackSet:
        """Load every pack again (or, with `changed_only`, only the folders
        whose files changed since the last load: what the watcher does, so a
        team pack's edit does not recompile the large built-in pack)."""
        with self._lock:
            errors: dict[str, list[Problem]] = {}
            stale: set[str] = set()
            chosen: OrderedDict[str, tuple[str, Pack, bool]] = OrderedDict()   # folder -> (id, pack, fresh)
            fresh_fp: dict[str, tuple] = {}
            fresh: dict[str, Pack] = {}        # folder -> the pack just loaded from it
            all_fp: dict[str, tuple] = {}
            for folder in pack_folders(self.roots):
                fp = fingerprint(folder)
                all_fp[folder] = fp
                good = self._good.get(folder)
                if changed_only and good is not None and good.fingerprint == fp and folder not in self._failed:
                    chosen[folder] = (good.pack.id, good.pack, not good.verified and self._checker is not None)
                    if good.pack.warnings:
                        errors[folder] = list(good.pack.warnings)
                    continue
                failed = self._failed.get(folder)
                if changed_only and failed is not None and failed[0] == fp:
                    errors[folder] = list(failed[1])
                    if good is not None:
                        chosen[folder] = (good.pack.id, good.pack, False)
                        stale.add(good.pack.id)
                    continue
                try:
                    pack = load_pack_cached(folder)
                    if not pack.extends:
                        compile_pack(pack)  # a pack that cannot compile is not good (overlays: in compose)
                    if pack.warnings:
                        errors[folder] = list(pack.warnings)
                    needs_check = good is None or good.fingerprint != fp or not good.verified
                    chosen[folder] = (pack.id, pack, needs_check)
                    fresh_fp[folder] = fp
                    fresh[folder] = pack
                except PackError as exc:
                    errors[folder] = list(exc.problems)
                    if good is not None:
                        chosen[folder] = (good.pack.id, good.pack, False)
                        stale.add(good.pack.id)
                except Exception as exc:  # never let one pack take the server down
                    errors[folder] = [Problem(folder, 0, f"cannot load: {exc}")]
                    if good is not None:
                        chosen[folder] = (good.pack.id, good.pack, False)
                        stale.add(good.pack.id)

            def fall_back(folder: str, problems: list[Problem]):
                errors.setdefault(folder, []).extend(problems)
                good = self._good.get(folder)
                if (good is not None and good.pack is not chosen[folder][1]
                        and (good.verified or self._checker is None)):
                    chosen[folder] = (good.pack.id, good.pack, False)
                    stale.add(good.pack.id)
                else:
                    del chosen[folder]

            raw = self._dedupe(chosen, None)
            packs, merge_problems = compose(raw)
            for folder, problems in merge_problems.items():
                if any(p.level == "error" for p in problems) and folder in chosen:
                    fall_back(folder, problems)
                else:
                    errors.setdefault(folder, []).extend(problems)
            if self._checker is not None:
                raw = self._dedupe(chosen, None)
                for folder, (pid, pack, needs_check) in list(chosen.items()):
                    if needs_check and any(p is pack for p in raw):
                        failed = self._example_problems(raw, pack)
                        if failed:
                            fall_back(folder, failed)
            raw = self._dedupe(chosen, errors)
            packs, late = compose(raw)   # a stale team pack may no longer fit a changed base
            for folder, problems in late.items():
                bucket = errors.setdefault(folder, [])
                bucket.extend(p for p in problems if str(p) not in {str(q) for q in bucket})
            for folder, (pid, pack, _) in chosen.items():
                good = self._good.get(folder)
                if good is None or good.pack is not pack:
                    self._good[folder] = _Good(pack, fresh_fp.get(folder, ()), self._checker is not None)
                elif self._checker is not None:
                    good.verified = True
            self._failed = {}
            for folder, problems in errors.items():
                refused = any(p.level == "error" for p in problems)
                if refused and folder in all_fp and (folder not in chosen or chosen[folder][1] is not fresh.get(folder)):
                    self._failed[folder] = (all_fp[folder], list(problems))
            self._raw = raw
            self._generation += 1
            rules = [r for p in packs.values() for r in compile_pack(p)]
            self.current = PackSet(packs, Ruleset(rules), errors, stale, self._generation)
            self._state = (self.current, raw, self._generation)
            with self._variants_lock:
                self._variants.clear()
            return self.current

    @staticmethod
    def _dedupe(chosen, errors: dict | None) -> list[Pack]:
        """One pack per id, the later folder winning (reported in `errors`)."""
        by_id: OrderedDict[str, tuple[str, Pack]] = OrderedDict()
        for folder, (pid, pack, _) in chosen.items():
            if pid in by_id:
                if errors is not None:
                    msg = f"pack id {pid!r} is already used by {by_id[pid][1].path}; this one wins"
                    bucket = errors.setdefault(folder, [])
                    if not any(p.message == msg for p in bucket):
                        bucket.append(Problem(os.path.join(folder, "pack.yaml"), 1, msg))
                del by_id[pid]
            by_id[pid] = (folder, pack)
        return [pack for _, pack in by_id.values()]

    # -- variants -----------------------------------------------------------

    def packset_for(self, pack_ids) -> PackSet:
        """The snapshot with only the listed team packs applied (a request's
        `packs`), so switching a team pack off also undoes its merged lists
        and settings. None or every team pack: the current snapshot."""
        current, all_raw, generation = self._state
        if pack_ids is None:
            return current
        wanted = set(pack_ids)
        overlays = [p for p in all_raw if p.extends]
        keep = frozenset(p.id for p in overlays if p.id in wanted)
        if len(keep) == len(overlays):
            return current
        key = (generation, keep)
        with self._variants_lock:
            snap = self._variants.get(key)
            if snap is None:
                raw = [p for p in all_raw if not p.extends or p.id in keep]
                packs, _ = compose(raw)
                rules = [r for p in packs.values() for r in compile_pack(p)]
                snap = PackSet(packs, Ruleset(rules), current.errors, current.stale, current.generation)
                self._variants[key] = snap
                while len(self._variants) > 16:
                    self._variants.popitem(last=False)
            return snap

    def isolated(self, pack_id: str) -> PackSet:
        """A snapshot with this pack alone (a base without its team packs; a
        team pack on its base): what the pack's own examples run against."""
        _, all_raw, generation = self._state
        with self._variants_lock:
            key = (generation, "isolated", pack_id)
            snap = self._variants.get(key)
            if snap is None:
                pack = next((p for p in all_raw if p.id == pack_id), None)
                if pack is None:
                    raise KeyError(pack_id)
                raw = [pack]
                if pack.extends:
                    raw = [p for p in all_raw if p.id == pack.extends and not p.extends] + [pack]
                packs, _ = compose(raw)
                rules = [r for p in packs.values() for r in compile_pack(p)]
                snap = PackSet(packs, Ruleset(rules), {}, set(), generation)
                self._variants[key] = snap
                while len(self._variants) > 32:
                    self._variants.popitem(last=False)
            return snap

    # -- hot reload ---------------------------------------------------------

    def start_watching(self, interval: float = 1.0) -> "PackWatcher":
        with self._lock:
            if self._watcher is None or not self._watcher.is_alive():
                self._watcher = PackWatcher(self, interval)
                self._watcher.start()
            return self._watcher

    def stop_watching(self) -> None:
        watcher = self._watcher
        if watcher is not None:
            watcher.stop()
            self._watcher = None


def roots_fingerprint(roots: list[str]) -> tuple:
    return tuple((folder, fingerprint(folder)) for folder in pack_folders(roots))


class PackWatcher(threading.Thread):
    """Polls the pack files' mtimes and reloads the registry when one
    changes (portable, no dependency; about one stat per file per second)."""

    def __init__(self, registry: PackRegistry, interval: float = 1.0):
        super().__init__(name="replycoach-pack-watcher", daemon=True)
        self.registry = registry
        self.interval = interval
        self._stop_event = threading.Event()
        self.reloads = 0
        self._last = roots_fingerprint(registry.roots)

    def poll(self) -> bool:
        """One check; True when it reloaded."""
        now = roots_fingerprint(self.registry.roots)
        if now == self._last:
            return False
        self._last = now
        snap = self.registry.reload(changed_only=True)
        self.reloads += 1
        refused = {f: [str(p) for p in ps if p.level == "error"] for f, ps in snap.errors.items()}
        log.info("packs reloaded: %s", ", ".join(f"{p.id} {p.version}" for p in snap.packs.values()))
        for folder, problems in refused.items():
            for problem in problems:
                log.warning("pack refused: %s", problem)
        return True

    def run(self):
        while not self._stop_event.wait(self.interval):
            try:
                self.poll()
            except Exception:   # keep watching whatever happens
                log.exception("pack reload failed")

    def stop(self):
        self._stop_event.set()
