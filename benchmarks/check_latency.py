"""In-process check latency (p50/p99) for 100, 1,000 and 5,000-character
drafts in each core language, each answering a review.

Usage: python benchmarks/check_latency.py [--drafts N] [--out FILE]
Targets (issue #6): p50 < 3 ms and p99 < 15 ms at 1,000 characters.

Drafts come from benchmarks/corpus.py: every one is different. The process
is warmed up first on other drafts, as a server is after a few minutes of
use (patterns compiled, the words of the five languages seen). Two cases:

- new draft: before every check the caches keyed on text (chunks of the
  draft, whole texts' languages) are emptied, so nothing of the draft is
  known; what is known of the review being answered and the caches keyed on
  single words stay, as they would in use (a third table has the first
  check of a review, with the review unknown too);
- typing: a draft checked as it grows, 7 characters at a time (the
  extension's pattern), caches kept; reported for the checks made while the
  draft was 900-1,000 characters long, and over all lengths."""
from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "server"))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import corpus  # noqa: E402
from replycoach.config import Config  # noqa: E402
from replycoach.language import _sample  # noqa: E402
from replycoach.matching import clear_caches  # noqa: E402
from replycoach.request import parse_check  # noqa: E402
from replycoach.services import build_services  # noqa: E402
from report import write_result  # noqa: E402

SIZES = (100, 1000, 5000)


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def forget_texts(checker, keep_review: str | None = None) -> None:
    """Empty the caches keyed on text; with `keep_review`, what is known of
    that review stays (the user is answering it)."""
    clear_caches()
    det = checker.detector
    keep = _sample(keep_review) if keep_review else None
    with det._cache_lock:
        for key in list(det._cache):
            if key[0] != keep:
                del det._cache[key]
    if keep is None:
        for pack in checker.registry.current.packs.values():
            pack.__dict__.pop("_review_cache", None)


def timed(checker, body: dict) -> float:
    req = parse_check(body)
    t = time.perf_counter()
    checker.check(req)
    return (time.perf_counter() - t) * 1000


def stage_times(checker, drafts: int) -> list[tuple[str, float]]:
    """Mean ms per check of each stage of the pipeline, on new 1,000-char
    drafts. Wraps the stage functions for the rest of the process: run last."""
    from replycoach import checker as checkmod, engine, facts, rewrite, warnings
    from replycoach.detectors import private_data, punctuation, shouting
    spent: dict[str, float] = {}
    timing = [False]

    def wrap(owner, attr: str, stage: str) -> None:
        inner = getattr(owner, attr)

        def timed_stage(*a, **k):
            if not timing[0]:
                return inner(*a, **k)
            t = time.perf_counter()
            try:
                return inner(*a, **k)
            finally:
                spent[stage] = spent.get(stage, 0.0) + time.perf_counter() - t
        setattr(owner, attr, timed_stage)

    wrap(checkmod.Checker, "detect_languages", "language detection")
    wrap(checkmod, "normalize", "normalisation")
    wrap(checkmod, "sentences", "sentences")
    wrap(facts, "WordIndex", "word index")
    wrap(facts.Matcher, "find", "phrase lists (matching)")
    wrap(shouting, "find", "detector: shouting")
    wrap(punctuation, "find", "detector: punctuation")
    wrap(private_data, "find", "detector: private data")
    wrap(facts, "_context", "context fact")
    wrap(engine.Ruleset, "evaluate", "rules engine")
    wrap(warnings, "build", "warnings")
    wrap(rewrite, "plan", "rewrite")
    wrap(rewrite, "apply", "rewrite")
    if checker.spell is not None:
        wrap(type(checker.spell), "check", "spelling")
    total = 0.0
    n = 0
    for lang in corpus.LANGS:
        for body in corpus.requests(lang, 1000, drafts, seed=2):
            review = body.get("review", {}).get("text")
            checker.check(parse_check({**body, "text": "Hello."}))
            forget_texts(checker, keep_review=review)
            req = parse_check(body)
            timing[0] = True
            t = time.perf_counter()
            checker.check(req)
            total += time.perf_counter() - t
            timing[0] = False
            n += 1
    rows = sorted(((name, sec * 1000 / n) for name, sec in spent.items()), key=lambda r: -r[1])
    rows.append(("everything else", (total - sum(spent.values())) * 1000 / n))
    rows.append(("total (with timers)", total * 1000 / n))
    return rows


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--drafts", type=int, default=100, help="new drafts per language and size")
    ap.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "results", "check_latency.md"))
    args = ap.parse_args()
    svc = build_services(Config(home=tempfile.mkdtemp(prefix="replycoach-lat-")))
    checker = svc.checker
    for lang in corpus.LANGS:                       # warm-up on other drafts
        for body in corpus.requests(lang, 1000, 300, seed=1):
            checker.check(parse_check(body))
    rows = []
    for size in SIZES:
        every: list[float] = []
        for lang in corpus.LANGS:
            ms = []
            for body in corpus.requests(lang, size, args.drafts, seed=2):
                review = body.get("review", {}).get("text")
                checker.check(parse_check({**body, "text": "Hello."}))   # the review, seen
                forget_texts(checker, keep_review=review)
                ms.append(timed(checker, body))
            every += ms
            rows.append((size, lang, statistics.median(ms), pct(ms, 99)))
        rows.append((size, "all", statistics.median(every), pct(every, 99)))
    first: list[float] = []
    for lang in corpus.LANGS:
        for body in corpus.requests(lang, 1000, args.drafts, seed=4):
            forget_texts(checker)
            first.append(timed(checker, body))
    late: list[float] = []
    typing: list[float] = []
    for lang in corpus.LANGS:
        for body in corpus.requests(lang, 1000, 4, seed=3):
            forget_texts(checker)
            text = body["text"]
            for end in range(7, len(text) + 7, 7):
                ms = timed(checker, {**body, "text": text[:end]})
                typing.append(ms)
                if end >= 900:
                    late.append(ms)
    lines = ["# Check latency (in process)", "",
             f"Machine: {platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}. "
             "Drafts: benchmarks/corpus.py (sentences of the pack's examples, shuffled; every draft different), "
             "each answering a review; spelling on. Warm-up: 1,500 other drafts.", "",
             f"New draft: {args.drafts} drafts per language and size; before each check the caches keyed on "
             "text are emptied: nothing of the draft is known (the review being answered and per-word "
             "caches stay).", "",
             "| chars | language | p50 ms | p99 ms |", "|---:|---|---:|---:|"]
    lines += [f"| {s:,} | {lang} | {p50:.2f} | {p99:.2f} |" for s, lang, p50, p99 in rows]
    lines += ["", "First check of a review: the review is new too (its language and facts computed), "
              "1,000-character drafts, all languages.", "",
              "| checks | p50 ms | p99 ms |", "|---|---:|---:|",
              f"| {len(first):,} | {statistics.median(first):.2f} | {pct(first, 99):.2f} |"]
    lines += ["", "Typing: 20 drafts of 1,000 characters (4 per language), each checked as it grows "
              "7 characters at a time, starting with empty text caches.", "",
              "| checks | p50 ms | p99 ms |", "|---|---:|---:|",
              f"| {len(late):,} made at 900-1,000 characters | {statistics.median(late):.2f} | {pct(late, 99):.2f} |",
              f"| {len(typing):,} made at any length | {statistics.median(typing):.2f} | {pct(typing, 99):.2f} |"]
    stages = stage_times(checker, args.drafts)
    lines += ["", "Where a new 1,000-character draft's time goes: the same kind of drafts, with a "
              "timer around each stage (the timers add to the total). As above, emptying the "
              "caches before each check walks every Python object, so each stage runs with cold "
              "CPU caches, slower than it would alone.", "",
              "| stage | mean ms |", "|---|---:|"]
    lines += [f"| {name} | {ms:.3f} |" for name, ms in stages]
    print("\n".join(lines))
    write_result(args.out, lines)
    return 0


if __name__ == "__main__":
    sys.exit(main())
