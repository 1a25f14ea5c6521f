"""The whole check pipeline: request -> facts -> engine -> warnings ->
rewrite -> response."""
from __future__ import annotations

import time
from datetime import datetime, timezone

from . import facts as factmod
from . import rewrite as rewritemod
from . import warnings as warnmod
from .language import LanguageDetector, LanguageResult
from .packs.registry import PackRegistry
from .request import CheckRequest
from .textutil import normalize, sentences, utf16_offsets, word_count


class Checker:
    def __init__(self, registry: PackRegistry, *, detector: LanguageDetector | None = None,
                 spell=None, history=None, clock=None):
        self.registry = registry
        self.detector = detector or LanguageDetector(
            supported=self._languages(), lexicon=spell.known if spell is not None else None)
        self.spell = spell
        self.history = history
        self.clock = clock or (lambda: datetime.now(timezone.utc))

    def _languages(self) -> tuple[str, ...]:
        langs: list[str] = []
        for pack in self.registry.current.packs.values():
            for code in pack.languages:
                if code not in langs:
                    langs.append(code)
        return tuple(langs) or ("en",)

    def detect_languages(self, req: CheckRequest) -> tuple[LanguageResult, LanguageResult | None]:
        review = req.review
        review_lang = None
        if review.language:
            review_lang = self.detector.detect(review.text or "", hint=review.language)
        elif review.text and review.text.strip():
            review_lang = self.detector.detect(review.text)
        prior = review_lang.code if review_lang and review_lang.code else None
        lang = self.detector.detect(req.text, hint=req.language, prior=prior)
        return lang, review_lang

    def check(self, req: CheckRequest) -> dict:
        started = time.perf_counter()
        packset = self.registry.packset_for(req.packs)
        packs = [p for p in packset.packs.values() if req.packs is None or p.id in req.packs]
        lang, review_lang = self.detect_languages(req)
        text = req.text
        warnings: list[warnmod.Warning] = []
        chosen: list = []
        applied: list[str] = []
        if text.strip():
            names = (req.review.author or "").split()
            repeat = None
            if self.history is not None and self.history.enabled:
                repeat = self.history.similar(text, names=names)
            sents = sentences(text)
            analysis = factmod.Analysis(text, normalize(text), sents, word_count(text), lang,
                                        review_lang, req.now or self.clock(), repeat)
            f = factmod.build(packs, analysis, req, self.spell)
            firings = packset.ruleset.evaluate(f.contexts, f.hits)
            disabled = set(req.disabled_rules)
            for p in packs:
                disabled.update(p.disabled_rules)
            warnings = warnmod.build(firings, packset.ruleset.rules, {p.id: p for p in packs},
                                     f, analysis, req, disabled)
            chosen, applied = rewritemod.plan(warnings)
        rewritten = rewritemod.apply(text, chosen)
        u16 = utf16_offsets(text)
        return {
            "language": lang.to_dict(),
            "review_language": review_lang.to_dict() if review_lang else None,
            "warnings": [_warning_json(w, u16) for w in warnings],
            "rewrite": {"text": rewritten, "applied": applied},
            "packs": [{"id": p.id, "version": p.version} for p in packs],
            "elapsed_ms": round((time.perf_counter() - started) * 1000, 3),
        }


def _warning_json(w: warnmod.Warning, u16) -> dict:
    out = {
        "rule": w.rule, "pack": w.pack, "severity": w.severity,
        "message": w.message, "explanation": w.explanation, "sources": w.sources,
        "span": {"start": u16(w.span[0]), "end": u16(w.span[1])} if w.span else None,
        "suggestions": [{"kind": s.kind, "start": u16(s.start), "end": u16(s.end), "text": s.text}
                        for s in w.suggestions],
    }
    if w.data:
        out["data"] = w.data
    return out
