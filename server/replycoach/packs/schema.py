"""JSON Schema validation of pack files, with every error mapped back to
the YAML line it is about (editors use the same schemas for autocomplete:
see docs/pack-format.md)."""
from __future__ import annotations

import functools
import json
import os
import re

import threading
import zlib

from .yamlsource import line_of

SCHEMA_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "schema")
KINDS = ("pack", "rules", "lang", "messages")


@functools.lru_cache(maxsize=None)
def validator(kind: str):
    # jsonschema (with attrs, referencing, the metaschemas) costs ~8 MB of
    # memory: imported only when a file has to be validated (see validate).
    from jsonschema import Draft202012Validator
    with open(os.path.join(SCHEMA_DIR, f"{kind}.schema.json"), encoding="utf-8") as fh:
        schema = json.load(fh)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


# Files known to pass (kind, a checksum of their data and of the schema),
# one per line in a file of the cache folder: a server restarted on the same
# packs validates nothing and never loads jsonschema. Only passes are kept;
# a file with errors is validated every time, so its messages are fresh.
VALID_CACHE_NAME = "packs-valid.txt"
VALID_CACHE_MAX = 1024
_valid_file: str | None = None
_valid: set[str] | None = None
_valid_lock = threading.Lock()


def use_cache_folder(folder: str | None) -> None:
    global _valid_file, _valid
    with _valid_lock:
        _valid_file = os.path.join(folder, VALID_CACHE_NAME) if folder else None
        _valid = None


@functools.lru_cache(maxsize=None)
def _schema_sum(kind: str) -> str:
    with open(schema_path(kind), "rb") as fh:
        raw = fh.read()
    return f"{zlib.crc32(raw):08x}{zlib.adler32(raw):08x}"


def _key(kind: str, data) -> str:
    raw = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str).encode()
    # not hashlib: loading OpenSSL costs ~4 MB; two checksums and the length
    # of the data cannot all match by accident
    return f"{kind} {_schema_sum(kind)} {zlib.crc32(raw):08x}{zlib.adler32(raw):08x}{len(raw):x}"


def _known_valid(key: str) -> bool:
    global _valid
    with _valid_lock:
        if _valid_file is None:
            return False
        if _valid is None:
            try:
                with open(_valid_file, encoding="utf-8") as fh:
                    _valid = set(fh.read().splitlines()[-VALID_CACHE_MAX:])
            except OSError:
                _valid = set()
        return key in _valid


def _remember_valid(key: str) -> None:
    global _valid
    with _valid_lock:
        if _valid_file is None or _valid is None or key in _valid:
            return
        _valid.add(key)
        try:
            os.makedirs(os.path.dirname(_valid_file), exist_ok=True)
            if len(_valid) > VALID_CACHE_MAX:   # rewrite with the newest only
                _valid = set(list(_valid)[-VALID_CACHE_MAX // 2:]) | {key}
                tmp = f"{_valid_file}.{os.getpid()}.tmp"
                with open(tmp, "w", encoding="utf-8") as fh:
                    fh.write("".join(k + "\n" for k in _valid))
                os.replace(tmp, _valid_file)
            else:
                with open(_valid_file, "a", encoding="utf-8") as fh:
                    fh.write(key + "\n")   # one short append: atomic next to other workers'
        except OSError:
            pass   # no cache: validated again next time


def schema_path(kind: str) -> str:
    return os.path.join(SCHEMA_DIR, f"{kind}.schema.json")


def _where(path) -> str:
    out = ""
    for step in path:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else str(step))
    return out


def _line(root, path) -> int:
    """The line of the node at `path` (of its key, for mapping entries)."""
    node, line = root, line_of(root, default=1)
    for step in path:
        line = line_of(node, step, line)
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            break
    return line or 1


def _short(value) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 60 else text[:57] + "..."


def _message(error) -> str:
    v = error.validator
    if v == "enum":
        return f"{_short(error.instance)} is not one of {', '.join(map(str, error.validator_value))}"
    if v == "pattern":
        return f"{_short(error.instance)} does not match {error.validator_value}"
    if v == "type":
        want = error.validator_value
        want = " or ".join(want) if isinstance(want, list) else want
        return f"expected {want}, got {_short(error.instance)}"
    if v in ("anyOf", "oneOf"):
        return f"{_short(error.instance)} is not valid here"
    return error.message


def validate(kind: str, data) -> list[tuple[int, str, str]]:
    """(line, message, key at fault) for every schema violation, in file order."""
    key = _key(kind, data) if _valid_file is not None else None
    if key is not None and _known_valid(key):
        return []
    out: list[tuple[int, str]] = []
    for error in validator(kind).iter_errors(data):
        _report(data, error, out)
    out.sort(key=lambda x: x[0])
    if key is not None and not out:
        _remember_valid(key)
    return out


def _report(data, error, out: list):
    if error.validator in ("anyOf", "oneOf") and error.context:
        # Explain the alternative that came closest (an example mapping with
        # a misspelt key, rather than "not a string or a mapping").
        # Alternatives of the wrong type at this very node are no explanation.
        close = [e for e in error.context
                 if not (e.validator == "type" and not e.relative_path)] or list(error.context)
        from jsonschema.exceptions import best_match
        _report(data, best_match(close), out)
        return
    path = list(error.absolute_path)
    where = _where(path)
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        known = set(error.schema.get("properties", {}))
        for key in error.instance:
            if key not in known and not any(
                    re.search(p, str(key)) for p in error.schema.get("patternProperties", {})):
                out.append((_line(data, path + [key]),
                            f"{where + '.' if where else ''}{key}: unknown key"
                            + (f" (expected one of: {', '.join(sorted(known))})" if known else ""), str(key)))
        return
    if error.validator == "propertyNames":
        # The offending key itself is the instance.
        line = line_of(_node(data, path), error.instance, _line(data, path))
        out.append((line, f"{where + '.' if where else ''}{error.instance}: unknown name", str(error.instance)))
        return
    if error.validator == "required":
        out.append((_line(data, path), f"{where or 'file'}: {error.message}", _last_key(path)))
        return
    out.append((_line(data, path), f"{where or 'file'}: {_message(error)}", _last_key(path)))


def _last_key(path) -> str:
    for step in reversed(path):
        if isinstance(step, str):
            return step
    return ""


def _node(root, path):
    node = root
    for step in path:
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            return None
    return node
