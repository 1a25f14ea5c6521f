"""Turns one request into engine facts: a context fact per pack (sizes,
review, history, counts of every list) and a hit fact per finding."""
from __future__ import annotations

from dataclasses import dataclass, field

import regex
from datetime import datetime

from .detectors import private_data, punctuation, shouting
from .matching import Match, Matcher, WordIndex
from .packs.model import Pack
from .request import CheckRequest
from .textutil import Normalized, Sentence, normalize, sentence_index, word_count

# Lists that describe something other than the draft itself.
NOT_DRAFT_LISTS = {"negative_review", "stopwords", "acronyms"}
DETAILED_REVIEW_WORDS = 25
CONFIDENT = 0.9


@dataclass
class Analysis:
    """What is known about the draft and the review, shared by all packs."""
    text: str
    norm: Normalized
    sents: list[Sentence]
    word_count: int
    lang: object                 # LanguageResult
    review_lang: object | None   # LanguageResult
    now: datetime
    repeat: object | None = None  # history.Similar


@dataclass
class Facts:
    contexts: list[dict]
    hits: list[dict]                       # engine facts, index = hit id
    matches: list[tuple[str, Match]]       # (pack id, match) by hit id
    greeting_end: dict[str, int] = field(default_factory=dict)   # pack id -> offset


_CONTENT_WORD = regex.compile(r"[\p{L}\p{N}]{4,}")
_MARK = regex.compile(r"\p{M}")


def _stems(normalized: str, stop: set[str]) -> set[str]:
    """Crude stems: the word less its last two letters, kept between 4 and 7
    letters, so "room"/"rooms", "номер"/"номере", "dirty"/"dirt" meet."""
    return _stem_set(_CONTENT_WORD.findall(normalized), stop)


def _index_stems(index: WordIndex, stop: set[str]) -> set[str]:
    """_stems of the index's text, from the words it already holds: runs of
    letters, marks and digits, so those of 4+ characters when it has no mark."""
    if _MARK.search(index.text):
        return _stems(index.text, stop)
    return _stem_set([w for w in index.positions if len(w) >= 4], stop)


def _stem_set(found, stop: set[str]) -> set[str]:
    out = set()
    for w in found:
        if w in stop or w.isdigit():
            continue
        out.add(w if len(w) <= 4 else w[:min(7, max(4, len(w) - 2))])
    return out


def _list_words(pack: Pack, lang: str | None, name: str) -> set[str]:
    language = pack.langs.get(lang or "")
    if not language or name not in language.lists:
        return set()
    return language.lists[name].plain_words()


# After the greeting word: ", Anna!" / " Anna," / " dear Mr Smith," - up to
# three capitalised words, then the mark that closes the salutation.
_SALUTATION_TAIL = regex.compile(r"[ \t]*,?[ \t]*(?:\p{Lu}[\p{L}'’.-]*[ \t]*){0,3}[,!:]?")


def _greeting_end(text: str, sents: list[Sentence], greeting: list[Match]) -> int:
    """Offset just after an opening salutation ("Hi Anna,", "Здравствуйте,
    Анна!"), else 0."""
    if not greeting or not sents or greeting[0].start > sents[0].start + 3:
        return 0
    g = greeting[0]
    m = _SALUTATION_TAIL.match(text, g.end)
    end = m.end() if m else g.end
    if end < len(text) and text[end - 1:end] not in (",", "!", ":") and text[end:end + 1] not in ("\n", "\r"):
        # "Hi there team, ..." : fall back to the first comma or "!" nearby
        for i in range(g.end, min(len(text), g.end + 40)):
            if text[i] in ",!\n":
                return i + 1 if text[i] != "\n" else i
            if text[i] in ".?":
                return 0
        return 0
    return end


def build(packs: list[Pack], a: Analysis, req: CheckRequest, spell=None) -> Facts:
    review = req.review
    names = [n for n in (review.author or "").split() if n]
    facts = Facts([], [], [])
    detector_cache: dict[tuple, list[Match]] = {}
    index = WordIndex(a.norm.text)
    ends = [s.end for s in a.sents]   # for each hit's sentence
    for pack in packs:
        found: list[Match] = []
        for hits in _matcher(pack, a.lang.code).find(a.norm, a.text, index).values():
            found.extend(hits)
        acronyms = _list_words(pack, a.lang.code, "acronyms")
        key = ("shout", id(acronyms))
        if key not in detector_cache:
            detector_cache[key] = shouting.find(a.text, a.sents, acronyms)
        found.extend(detector_cache[key])
        if ("punct",) not in detector_cache:
            detector_cache[("punct",)] = punctuation.find(a.text, a.sents)
        found.extend(detector_cache[("punct",)])
        found.extend(private_data.find(a.text, pack.contacts, names))
        if spell is not None and a.lang.code and spell.available(a.lang.code):
            accept = set(pack.vocabulary) | set(names) | set((req.business or "").split())
            for m in spell.check(a.text, a.lang.code, accept=accept):
                # A dictionary may offer a swear word ("tiket" -> "tiet").
                sugg = tuple(x for x in m.suggestions if not _is_profane(pack, x))
                found.append(Match("spelling", m.start, m.end, m.word, sugg[0] if sugg else None, sugg[1:]))

        counts = dict(_zero_counts(pack))
        for m in found:
            counts[f"n_{m.list}"] = counts.get(f"n_{m.list}", 0) + 1
        greetings = sorted((m for m in found if m.list == "greeting"), key=lambda m: m.start)
        facts.greeting_end[pack.id] = _greeting_end(a.text, a.sents, greetings)
        facts.contexts.append({"pack": pack.id, **_context(pack, a, req, index), **counts})
        for m in found:
            facts.hits.append({"pack": pack.id, "list": m.list, "text": m.text, "start": m.start,
                               "end": m.end, "sentence": sentence_index(ends, m.start)})
            facts.matches.append((pack.id, m))
    return facts


def _zero_counts(pack: Pack) -> dict[str, int]:
    """n_<list>: 0 for every list of the pack and every detector, so a rule
    can test any count; built once per pack version."""
    zero = pack.__dict__.get("_zero_counts")
    if zero is None:
        names = sorted(set(pack.all_languages_lists) | {n for lg in pack.langs.values() for n in lg.lists})
        names += ["shouting", "punctuation", "private_data", "spelling"]
        zero = pack.__dict__["_zero_counts"] = {f"n_{name}": 0 for name in names}
    return zero


def _stop_words(pack: Pack, review_lang: str | None, draft_lang: str | None) -> set[str]:
    """The stop words of the review's and the draft's languages, together;
    once per pack version and pair of languages."""
    cache = pack.__dict__.setdefault("_stop_words", {})
    key = (review_lang, draft_lang)
    stop = cache.get(key)
    if stop is None:
        stop = cache[key] = _list_words(pack, review_lang, "stopwords") | _list_words(pack, draft_lang, "stopwords")
    return stop


def _matcher(pack: Pack, code: str | None) -> Matcher:
    """All lists a draft in `code` is matched against, in one Matcher: the
    language's own (not those describing the review) and the lists every
    language shares, such as profanity. Built once per pack version."""
    cache = pack.__dict__.setdefault("_matchers", {})
    m = cache.get(code)
    if m is None:
        lists = []
        lang = pack.langs.get(code) if code else None
        if lang:
            lists += [pl for name, pl in lang.lists.items()
                      if name not in NOT_DRAFT_LISTS and name not in pack.all_languages_lists]
        for name in pack.all_languages_lists:
            lists += [other.lists[name] for other in pack.langs.values() if name in other.lists]
        m = cache[code] = Matcher(lists)
    return m


def _is_profane(pack: Pack, word: str) -> bool:
    cache = pack.__dict__.setdefault("_profane", {})
    hit = cache.get(word)
    if hit is None:
        m = pack.__dict__.get("_profanity_matcher")
        if m is None:
            m = pack.__dict__["_profanity_matcher"] = Matcher(
                [lang.lists["profanity"] for lang in pack.langs.values() if "profanity" in lang.lists])
        hit = bool(m.find(normalize(word), word))
        if len(cache) >= 4096:
            cache.clear()
        cache[word] = hit
    return hit


def _review_facts(pack: Pack, lang: str | None, draft_lang: str | None, text: str, stop: set[str]):
    """What the review says, once per review and pack version: as the user
    types the reply, the review stays the same."""
    cache = pack.__dict__.setdefault("_review_cache", {})
    key = (lang, draft_lang, text)
    hit = cache.get(key)
    if hit is None:
        language = pack.langs.get(lang or "")
        rnorm = normalize(text)
        negative = bool(language and "negative_review" in language.lists
                        and language.lists["negative_review"].find(rnorm, text))
        hit = (negative, frozenset(_stems(rnorm.text, stop)), word_count(text) >= DETAILED_REVIEW_WORDS)
        if len(cache) >= 256:
            cache.clear()
        cache[key] = hit
    return hit


def _context(pack: Pack, a: Analysis, req: CheckRequest, index: WordIndex) -> dict:
    review = req.review
    rl = a.review_lang
    review_lang = rl.code if rl and rl.code else ""
    rating = review.rating5
    negative_text = False
    overlap = 0
    detailed = False
    if review.text:
        lang_for_review = review_lang if review_lang in pack.langs else a.lang.code
        stop = _stop_words(pack, lang_for_review, a.lang.code)
        negative_text, review_stems, detailed = _review_facts(pack, lang_for_review, a.lang.code, review.text, stop)
        overlap = len(review_stems & _index_stems(index, stop))
    if rating is not None:
        negative = rating <= 2
    else:
        negative = negative_text
    age = -1.0
    if review.date is not None:
        age = max(0.0, (a.now - review.date).total_seconds() / 3600)
    mismatch = bool(
        rl and rl.code and a.lang.code and rl.code != a.lang.code
        and (rl.source == "given" or rl.confidence >= CONFIDENT)
        and a.lang.confidence >= 0.8 and a.word_count >= 3)
    repeat = a.repeat
    return {
        "lang": a.lang.code or "", "lang_supported": a.lang.code in pack.langs,
        "chars": len(a.text.strip()), "words": a.word_count, "sentences": len(a.sents),
        "review_known": review.known, "review_text_known": bool(review.text and review.text.strip()),
        "review_rating": rating if rating is not None else -1.0,
        "review_text_negative": negative_text, "review_negative": negative,
        "review_detailed": detailed, "review_overlap": overlap, "review_age_hours": age,
        "review_lang": review_lang, "lang_mismatch": mismatch,
        "author_known": bool(review.author),
        "repeat_similarity": repeat.similarity if repeat else 0.0,
        "repeat_count": repeat.count if repeat else 0,
    }
