"""Writing a benchmark's result file (Markdown lines) under results/."""
from __future__ import annotations

import os


def write_result(path: str, lines: list[str]) -> None:
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")
