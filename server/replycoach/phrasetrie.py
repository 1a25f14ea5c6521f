"""Every word-by-word phrase of a matcher in one trie of words.

A phrase without wildcards inside words is expanded once into the word
sequences ("forms") its regex matches (matching._word_forms). Walking the
draft's words down one trie finds, at a place, every form of every phrase
that stands there in a few dict look-ups, however many phrases the pack
has; trying phrases one by one cost a look-up and a comparison each.

A form's words are items (matching._items): "apologise" follows white
space, "'t" follows exactly "'" ("don't"), "apolog*" is a word start that
runs on through "'" and "-" and the words they join. Among the forms of one
phrase that stand at a place, the one the regex tries first (lowest rank)
is the regex's match there."""
from __future__ import annotations

import sys

# What regex's \s matches (Unicode White_Space): the gap before a plain item.
WHITE = frozenset("\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
                  "\u2009\u200a\u2028\u2029\u202f\u205f\u3000")

# A node is a dict, with two keys no item can be (an item holds a letter
# or digit):
_ENDS = ""     # the forms ending here: an end, or a tuple of ends
_WILD = "*"    # ((word start, node), ...) for the items ending in a wildcard
# An end is phrase << RANK_BITS | rank. Most nodes are smaller than a dict
# (~200 bytes each, and a language's trie has ~15,000 nodes):
# - a node with only ends is just its end (an int) or tuple of ends;
# - a node with one word after it and nothing else is (word, node).
RANK_BITS = 9
RANK_MASK = (1 << RANK_BITS) - 1


FIRSTS_MAX = 4096   # words whose first nodes a trie remembers


def listed(word: str, whole: dict, starts: dict, lengths: list[int]) -> list:
    """What `word` is listed under in `whole` (by the whole word) and in
    `starts` (by each of its starts; `lengths`: their lengths, sorted)."""
    found = [whole[word]] if word in whole else []
    for size in lengths:
        if size > len(word):
            break
        value = starts.get(word[:size])
        if value is not None:
            found.append(value)
    return found


class PhraseTrie:
    def __init__(self):
        self.root: dict = {}          # first word -> node
        self.wild: dict = {}          # first word's start ("apolog*") -> node
        self.lengths: tuple = ()      # the lengths of those starts
        self.phrases = 0
        # word -> ((node, wildcard?), ...): drafts reuse a few thousand
        # words, and most start no phrase at all.
        self._firsts: dict[str, tuple] = {}
        # word -> the items that can follow it, when it starts phrases only
        # as a whole word and ends none ("we"): most places it stands lead
        # nowhere, and the walker sees that from the next word (see gate).
        self.gates: dict[str, dict | tuple] = {}

    def add(self, phrase: int, forms: tuple[tuple[str, ...], ...]) -> None:
        """Add the forms of `phrase` (an id), best first."""
        if len(forms) > RANK_MASK + 1:
            raise ValueError(f"at most {RANK_MASK + 1} forms a phrase")
        self.phrases += 1
        for rank, items in enumerate(forms):
            items = tuple(map(sys.intern, items))   # one copy of each word across nodes
            first = items[0]
            if first.endswith("*"):
                node = self.wild.setdefault(first[:-1], {})
            else:
                node = self.root.setdefault(first, {})
            for item in items[1:]:
                if item.endswith("*"):
                    wild = node.setdefault(_WILD, [])
                    for start, child in wild:
                        if start == item[:-1]:
                            node = child
                            break
                    else:
                        child = {}
                        wild.append((item[:-1], child))
                        node = child
                else:
                    node = node.setdefault(item, {})
            node.setdefault(_ENDS, []).append(phrase << RANK_BITS | rank)
        self.lengths = tuple(sorted({len(w) for w in self.wild}))

    def freeze(self) -> None:
        """Compact the built trie: tuples for lists, leaves as their ends."""
        def fix(node: dict):
            for key, value in node.items():
                if key == _ENDS:
                    node[key] = value[0] if len(value) == 1 else tuple(value)
                elif key == _WILD:
                    node[key] = tuple((start, fix(child)) for start, child in value)
                else:
                    node[key] = fix(value)
            if len(node) == 1:
                (key, value), = node.items()
                if key == _ENDS:
                    return value
                if key != _WILD:
                    return (key, value)
            return node

        for table in (self.root, self.wild):
            for key in list(table):
                table[key] = fix(table[key])

    def firsts(self, word: str) -> tuple:
        """The nodes a form starting with `word` begins at, as (node,
        wildcard?); cached."""
        hit = self._firsts.get(word)
        if hit is None:
            node = self.root.get(word)
            # Its whole-word node, then those of its starts ("apolog*").
            hit = tuple(([] if node is None else [(node, False)]) +
                        [(child, True) for child in listed(word, {}, self.wild, self.lengths)])
            if len(self._firsts) >= FIRSTS_MAX:
                self._firsts.clear()   # cheap bound; refills with current words
                self.gates.clear()
            self._firsts[word] = hit
            gate = _gate(hit)
            if gate is not None:
                self.gates[word] = gate
        return hit

    def at(self, text: str, tokens: list[str], starts: list[int], i: int,
           firsts: tuple) -> dict[int, tuple[int, int]]:
        """The phrases with a form starting at word `i` of `text`, given the
        word's `firsts`: {phrase: (rank, end)} for the best-ranked form of
        each."""
        todo = [(node, *run_on(text, tokens, starts, i)) if wild else (node, i, starts[i] + len(tokens[i]))
                for node, wild in firsts]
        best: dict[int, tuple[int, int]] = {}
        last = len(tokens) - 1
        while todo:
            node, k, end = todo.pop()
            kind = type(node)
            if kind is int:
                ends, node = (node,), None
            elif kind is tuple:
                if type(node[0]) is int:
                    ends, node = node, None
                else:
                    ends = ()
            else:
                ends = node.get(_ENDS, ())
                if type(ends) is int:
                    ends = (ends,)
            for e in ends:
                phrase, rank = e >> RANK_BITS, e & RANK_MASK
                got = best.get(phrase)
                if got is None or rank < got[0]:
                    best[phrase] = (rank, end)
            if node is None or k >= last:
                continue
            k += 1
            tok, at = tokens[k], starts[k]
            between = text[end:at]
            # After white space the key is the word; after punctuation the
            # punctuation is part of the item ("'t").
            key = tok if between and WHITE.issuperset(between) else between + tok
            if kind is tuple:               # (word, node)
                if node[0] == key:
                    todo.append((node[1], k, at + len(tok)))
                continue
            child = node.get(key)
            if child is not None:
                todo.append((child, k, at + len(tok)))
            wild = node.get(_WILD)
            if wild:
                for start, child in wild:
                    if key.startswith(start):
                        todo.append((child, *run_on(text, tokens, starts, k)))
        return best


def _gate(first: tuple) -> dict | tuple | None:
    """The items that may follow a word whose only start is `first`'s one
    plain node with no end (a dict's keys, or a one-word node's word);
    None when a walk must decide."""
    if len(first) != 1 or first[0][1]:
        return None
    node = first[0][0]
    if type(node) is tuple and type(node[0]) is str:
        return node[:1]   # a 1-tuple: 48 bytes, a frozenset 216
    if type(node) is dict and _ENDS not in node and _WILD not in node:
        return node
    return None


def run_on(text: str, tokens: list[str], starts: list[int], k: int) -> tuple[int, int]:
    """Where a wildcard item on word `k` ends ([\\p{L}\\p{M}\\p{N}'-]*: on
    through "'" and "-" and the words they join): (last word, end)."""
    end = starts[k] + len(tokens[k])
    n = len(text)
    while True:
        e = end
        while e < n and text[e] in "'-":
            e += 1
        if e == end:
            return k, end
        if k + 1 < len(tokens) and starts[k + 1] == e:
            k += 1
            end = e + len(tokens[k])
        else:
            return k, e
