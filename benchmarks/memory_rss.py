"""Resident memory over 100,000 in-process checks: it must stay flat.

    .venv/bin/python benchmarks/memory_rss.py [--checks 100000] [--out FILE]
        [--original-dictionaries] [--no-malloc-tuning]

Drafts rotate over five languages and sizes (100-1,000 chars) with and
without reviews; every check carries a fresh name and number, and every
fifth a never-seen misspelled word, so caches keyed on text would show up as
growth. RSS (VmRSS of /proc/self/status) is sampled every 5% of the run.
Target (issue #6): < 150 MB and flat. Results: benchmarks/results/memory.md.

The compact dictionary copies are made first in a child process (a
machine's first start makes them in the background, ~10 s), and the packs
are loaded there once (a restarted server finds them validated and never
loads jsonschema, ~8 MB), so the run measures the steady state. The two flags switch the memory measures off,
for before/after comparisons."""
from __future__ import annotations

import argparse
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "server"))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import corpus  # noqa: E402
from replycoach.config import Config  # noqa: E402
from replycoach.request import parse_check  # noqa: E402
from replycoach.services import build_services  # noqa: E402
from report import write_result  # noqa: E402

_WARM = """
import os, sys
sys.path.insert(0, sys.argv[1])
from replycoach.config import Config
from replycoach.spelling import SpellChecker
sc = SpellChecker(cache_dir=os.path.join(Config().cache_dir, "hunspell"))
sc.preload(["en", "en_GB", "ru", "af", "el", "et"])
sc.wait_compact(300)
# the packs once, as a server's earlier start did: their validation is then known
import tempfile
from replycoach.services import build_services
build_services(Config(home=tempfile.mkdtemp(), spelling=False, history=False))
"""

RESULTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "results")
TEMPLATES = [
    ("Hi {name}, thank you for your review of order {num}. We are sorry the room was not cleaned; "
     "we have spoken to housekeeping. {word}", "en"),
    ("Dear customer, your opinion is very important to us!! Call {num} or write to {name}@mail.example. {word}", "en"),
    ("Здравствуйте, {name}! Спасибо за отзыв о заказе {num}. Нам очень жаль, что номер не убрали. {word}", "ru"),
    ("Baie dankie vir jou resensie, {name}! Bestelling {num} is reggemaak. {word}", "af"),
    ("Ευχαριστούμε, {name}, για την κριτική σας για την παραγγελία {num}. {word}", "el"),
    ("Tere, {name}! Aitäh, et kirjutasite tellimusest {num}. Meil on väga kahju, et tuba ei koristatud. {word}", "et"),
]
REVIEWS = [None, {"text": "Dirty room, rude staff.", "rating": 1, "author": "Anna"},
           {"text": "Lovely stay, great breakfast!", "rating": 5}]


def rss_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--checks", type=int, default=100_000)
    ap.add_argument("--out", default=os.path.join(RESULTS, "memory.md"))
    ap.add_argument("--original-dictionaries", action="store_true", help="no compact copies")
    ap.add_argument("--no-malloc-tuning", action="store_true", help="no arena limit, no periodic trim")
    args = ap.parse_args()
    rnd = random.Random(6)
    config = Config(home=tempfile.mkdtemp(prefix="replycoach-rss-"), preload=True,
                    tune_malloc=not args.no_malloc_tuning)
    if args.original_dictionaries:
        config.cache_dir = None
    else:
        subprocess.run([sys.executable, "-c", _WARM, os.path.join(os.path.dirname(__file__), "..", "server")],
                       check=True)
    # The drafts' sentences, read in a child process: loading the pack here
    # would add its own memory to what is measured.
    here = os.path.dirname(os.path.abspath(__file__))
    out = subprocess.run([sys.executable, "-c", "import sys, json; sys.path.insert(0, sys.argv[1]); import corpus; "
                          "print(json.dumps(corpus.material()))", here], check=True, capture_output=True, text=True)
    corpus._CACHE.update(json.loads(out.stdout))
    before = rss_mb()
    svc = build_services(config)
    loaded = rss_mb()
    samples = [(0, loaded, 0.0)]
    step = max(1, args.checks // 20)
    started = time.perf_counter()
    letters = "bcdfghjklmnpqrstvwxz"
    for i in range(1, args.checks + 1):
        word = "".join(rnd.choice(letters) for _ in range(8)) if i % 5 == 0 else ""
        name = rnd.choice(["Anna", "Pieter", "Mari", "Nikos", "Ivan"]) + str(i % 997)
        num = f"{rnd.randrange(10**6, 10**7)}"
        if i % 2:
            tpl, lang = TEMPLATES[i % len(TEMPLATES)]
            text = tpl.format(name=name, num=num, word=word)
            if i % 7 == 0:
                text = (text + " ") * 6
        else:   # a distinct draft of the pack's sentences, 100-1,000 characters
            lang = corpus.LANGS[(i // 2) % len(corpus.LANGS)]
            text = f"{name}, {corpus.draft(rnd, lang, rnd.randrange(100, 1000))} {num} {word}"
        body = {"text": text[:1000], "ui_language": "en"}
        review = REVIEWS[i % len(REVIEWS)]
        if review:
            body["review"] = review
        svc.checker.check(parse_check(body))
        if i % 2000 == 0:
            time.sleep(0.2)   # a pause, as between a user's drafts: background spelling searches run
        if i % step == 0:
            samples.append((i, rss_mb(), time.perf_counter() - started))
    elapsed = time.perf_counter() - started
    after_first = [r for n, r, _ in samples if n >= args.checks // 10] or [samples[-1][1]]
    lines = ["# RSS over 100k in-process checks (benchmarks/memory_rss.py)", "",
             f"Machine: {platform.platform()}, Python {platform.python_version()}. One process: services built "
             "as the server builds them (build_services with preload=True: packs, the five languages' "
             "dictionaries), then "
             f"{args.checks:,} checks in one thread ({elapsed:.0f} s, {args.checks / elapsed:.0f} checks/s) "
             "rotating over en, ru, af, el and et: half short templates, half distinct drafts of the "
             "pack's sentences (benchmarks/corpus.py, 100-1,000 characters), every one with a new "
             "name and number, every fifth with a never-seen word; a 0.2 s pause every 2,000 checks lets the "
             "background spelling searches run. RSS is VmRSS from /proc/self/status, sampled every 5% of the checks. "
             f"Dictionaries: {'original files' if args.original_dictionaries else 'compact copies (made beforehand)'}; "
             f"malloc tuning (2 arenas, malloc_trim every 10 s): {'off' if args.no_malloc_tuning else 'on'}. "
             "Target: < 150 MB and flat.", "",
             "| measure | MB |", "|---|---|",
             f"| before loading | {before:.1f} |",
             f"| after loading packs and dictionaries | {loaded:.1f} |",
             f"| after 10% of the checks | {after_first[0]:.1f} |",
             f"| after all {args.checks:,} checks | {samples[-1][1]:.1f} |",
             f"| growth over the last 90% | {samples[-1][1] - after_first[0]:+.1f} |", "",
             "| checks | RSS MB | s |", "|---|---|---|"]
    for n, r, t in samples:
        lines.append(f"| {n:,} | {r:.1f} | {t:.0f} |")
    write_result(args.out, lines)
    print("\n".join(lines[:12]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
