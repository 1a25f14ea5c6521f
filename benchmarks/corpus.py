"""Distinct, realistic drafts for the benchmarks.

A draft repeated over and over would measure the caches, not the checker.
These are built from the sentences of the built-in pack's own examples (good
replies and faulty ones, in each core language), shuffled with a fixed seed,
so every draft is different but reads like a reply. Each comes with one of
the reviews the examples answer, in the same language."""
from __future__ import annotations

import os
import random
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "server"))

from replycoach.packs.registry import PackRegistry  # noqa: E402
from replycoach.textutil import sentences  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
LANGS = ("en", "ru", "af", "el", "et")


def _material() -> dict[str, tuple[list[str], list[dict]]]:
    pack = PackRegistry([os.path.join(ROOT, "rules")]).current.packs["reply-guidelines"]
    out = {}
    for code in LANGS:
        sents, reviews = [], []
        for ex in pack.langs[code].examples:
            text = ex.request["text"]
            sents += [text[s.start:s.end] for s in sentences(text) if s.end - s.start >= 8]
            review = ex.request.get("review")
            if isinstance(review, dict) and review.get("text") and review not in reviews:
                reviews.append(review)
        out[code] = (sorted(set(sents)), reviews)
    return out


_CACHE: dict = {}


def material():
    if not _CACHE:
        _CACHE.update(_material())
    return _CACHE


def draft(rnd: random.Random, lang: str, size: int) -> str:
    """About `size` characters of shuffled sentences, cut at a word."""
    sents = material()[lang][0]
    parts: list[str] = []
    length = 0
    while length < size:
        s = rnd.choice(sents)
        parts.append(s)
        length += len(s) + 1
    text = " ".join(parts)
    if len(text) > size:
        text = text[:size].rsplit(" ", 1)[0]
    return text


def requests(lang: str, size: int, count: int, seed: int = 6, reviews: int = 5) -> list[dict]:
    """`count` check bodies with distinct drafts; the reviews come from a
    pool of `reviews` (a manager answers one review over many keystrokes)."""
    rnd = random.Random(f"{seed}-{lang}-{size}")
    pool = material()[lang][1][:reviews] or [None]
    out, seen = [], set()
    while len(out) < count:
        text = draft(rnd, lang, size)
        if text in seen:
            continue
        seen.add(text)
        body = {"text": text, "ui_language": "en"}
        review = rnd.choice(pool)
        if review:
            body["review"] = review
        out.append(body)
    return out
