"""Filling message and suggestion templates. An unknown value becomes a
visible [...] so the user sees what to fill in; nothing is invented."""
from __future__ import annotations

import re

UNKNOWN = "[...]"
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


def fill(template: str, values: dict) -> str:
    def sub(m):
        v = values.get(m.group(1))
        return str(v) if v not in (None, "") else UNKNOWN
    return _PLACEHOLDER.sub(sub, template)
