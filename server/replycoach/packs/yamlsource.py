"""YAML loading that remembers line numbers, so pack errors can say file:line."""
from __future__ import annotations

import re

import yaml


class LineDict(dict):
    line = 0
    key_lines: dict


class LineList(list):
    line = 0
    item_lines: list


class _Loader(yaml.SafeLoader):
    pass


def _mapping(loader, node):
    loader.flatten_mapping(node)
    d = LineDict()
    d.line = node.start_mark.line + 1
    d.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError:
            raise yaml.constructor.ConstructorError(
                None, None, "unhashable key", key_node.start_mark) from None
        d[key] = loader.construct_object(value_node, deep=True)
        d.key_lines[key] = value_node.start_mark.line + 1
    return d


def _sequence(loader, node):
    items = LineList(loader.construct_object(n, deep=True) for n in node.value)
    items.line = node.start_mark.line + 1
    items.item_lines = [n.start_mark.line + 1 for n in node.value]
    return items


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _sequence)
# Dates stay strings (a review date is parsed by the checker), and only
# true/false are booleans, as in YAML 1.2: "on" is an Estonian word and "no"
# an English one, not booleans.
_Loader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                              list("tTfF"))


class YamlError(Exception):
    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


def load_yaml(text: str):
    try:
        return yaml.load(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        raise YamlError(line, f"{exc.problem or exc.context}") from None
    except yaml.YAMLError as exc:
        raise YamlError(0, str(exc)) from None


def line_of(node, key=None, default: int = 0) -> int:
    if key is not None and isinstance(node, LineDict):
        return node.key_lines.get(key, node.line)
    if isinstance(key, int) and isinstance(node, LineList) and key < len(node.item_lines):
        return node.item_lines[key]
    return getattr(node, "line", default) or default
