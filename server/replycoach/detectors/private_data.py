"""Personal data in a public reply: a customer's e-mail, phone, card or
account number, street address, or an order number next to their name.
The business's own contacts (pack `contacts`) are allowed."""
from __future__ import annotations

import regex

from ..matching import Match, drop_overlaps

_EMAIL = regex.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = regex.compile(r"(?<![\w+])\+?\(?\d[\d\s().-]{5,}\d(?![\w])")
_CARD = regex.compile(r"(?<!\d)(?:\d[ -]?){12,18}\d(?!\d)")
_IBAN = regex.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b")
_ANY_DIGIT = regex.compile(r"\d")
_DATE = regex.compile(r"^\d{1,4}[./-]\d{1,2}[./-]\d{1,4}$")
# Words for "order" and "street" in the core languages, for the two
# patterns that only mean personal data in context.
_ORDER = regex.compile(
    r"(?i)(?:order|booking|reservation|заказ\w*|бронировани\w*|bestelling|bespreking|"
    r"παραγγελ\w*|κράτηση\w*|tellimus\w*|broneering\w*)\s*(?:no\.?|nr\.?|№|#|number|номер)?\s*[:#№]?\s*([A-Z0-9-]*\d[A-Z0-9-]{3,})")
_STREET_PARTS = (
    r"(?i)\b\d{1,4}[a-z]?\s+(?:[\p{Lu}][\p{L}-]+\s+){1,3}(?:street|st\.|road|rd\.|avenue|ave\.|lane|straat|weg|laan|tänav|mnt\.?|maantee)"
    r"|(?:ул\.|улиц[аеуы]|проспект|пр-т|οδός|οδ\.|οδού|tn\.)\s*[\p{Lu}][\p{L}-]+(?:\s+[\p{Lu}][\p{L}-]+)?,?\s*(?:д\.\s*)?\d{1,4}",
    r"|[\p{Lu}][\p{L}-]+\s+(?:tänav|tn\.?|mnt\.?|straat|weg|laan)\s+\d{1,4}")
_STREET = regex.compile("".join(_STREET_PARTS))
# The last form is tried at every letter (~130 us a draft): only when its
# street word and number occur. Without them it cannot match, and the rest
# of the alternation finds the same.
_STREET_LAST = regex.compile(r"(?i)(?:tänav|tn\.?|mnt\.?|straat|weg|laan)\s+\d")
_STREET_FIRST = regex.compile(_STREET_PARTS[0])
# Words every match of _STREET, or of _ORDER, holds one of, case-folded:
# most drafts have none, and each scan costs 25-40 us.
_STREET_WORDS = tuple(w.casefold() for w in (
    "street", "st.", "road", "rd.", "avenue", "ave.", "lane", "straat", "weg", "laan", "tänav", "mnt", "maantee",
    "tn", "ул.", "улиц", "проспект", "пр-т", "οδός", "οδ.", "οδού"))
_ORDER_WORDS = tuple(w.casefold() for w in (
    "order", "booking", "reservation", "заказ", "бронировани", "bestelling", "bespreking", "παραγγελ", "κράτηση",
    "tellimus", "broneering"))


def _digits(s: str) -> str:
    return "".join(c for c in s if c.isdigit())


def _luhn(number: str) -> bool:
    total, alt = 0, False
    for d in reversed(number):
        n = int(d)
        if alt:
            n *= 2
            if n > 9:
                n -= 9
        total += n
        alt = not alt
    return total % 10 == 0


def find(text: str, contacts: list[str], names: list[str]) -> list[Match]:
    own_emails = {c.casefold() for c in contacts if "@" in c}
    own_phones = {_digits(c) for c in contacts if "@" not in c and len(_digits(c)) >= 5}
    found: list[Match] = []
    if "@" in text:
        for m in _EMAIL.finditer(text):
            if m.group().casefold() not in own_emails:
                found.append(Match("private_data", m.start(), m.end(), m.group(), None))
    if not _ANY_DIGIT.search(text):
        return drop_overlaps(found)   # every other kind has a digit in it
    for m in _CARD.finditer(text):
        d = _digits(m.group())
        if 13 <= len(d) <= 19 and _luhn(d):
            found.append(Match("private_data", m.start(), m.end(), m.group(), None))
    for m in _IBAN.finditer(text):
        found.append(Match("private_data", m.start(), m.end(), m.group(), None))
    for m in _PHONE.finditer(text):
        raw = m.group().strip()
        d = _digits(raw)
        if not (7 <= len(d) <= 15) or _DATE.match(raw) or d in own_phones:
            continue
        if any(d.endswith(own) or own.endswith(d) for own in own_phones):
            continue  # the same number written with or without the country code
        found.append(Match("private_data", m.start(), m.start() + len(raw), raw, None))
    folded = text.casefold()
    if any(w in folded for w in _STREET_WORDS):
        for m in (_STREET if _STREET_LAST.search(text) else _STREET_FIRST).finditer(text):
            found.append(Match("private_data", m.start(), m.end(), m.group(), None))
    if names and any(n.casefold() in folded for n in names if len(n) >= 2) and \
            any(w in folded for w in _ORDER_WORDS):
        for m in _ORDER.finditer(text):
            found.append(Match("private_data", m.start(1), m.end(1), m.group(1), None))
    return drop_overlaps(found)
