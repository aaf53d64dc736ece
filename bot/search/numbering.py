"""Numbering a corpus's words in worker processes, and mapping those numbers to term ids.

A worker numbers the surface words of every chunk it reads in one ``Numbering``, so a chunk carries
only the words its worker had not seen; the builder's ``WordTerms`` for that numbering turns each new
word into a term id once. A corpus repeats most of its words, so each is mapped once per worker
instead of once per chunk (bench/RESULTS.md, "Why the build's tricks stay").
"""

from __future__ import annotations

import os
from array import array
from itertools import islice

import numpy as np

from bot.text import ascii_folded, words

from .vocabulary import Vocabulary


class PyWordTable:
    """Words numbered in the order first seen: ``tokenizer.words`` and a dict.

    The reference for ``_wordids.WordTable`` (C, built at install when a compiler is there), which
    gives the same numbers faster (bench/RESULTS.md); this one numbers words where it is missing.
    """

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self._sent = 0

    def number(self, text: str | bytes, out: bytearray, repeat: int = 1) -> int:
        """Append the numbers of the words of ``text`` (ASCII, already folded) to ``out`` as int32,
        the whole run ``repeat`` times; return the word count."""
        ws = words(text if isinstance(text, str) else text.decode("ascii"))
        ids = list(map(self.ids.get, ws))
        if None in ids:
            local = self.ids
            ids = [local.setdefault(w, len(local)) if i is None else i for i, w in zip(ids, ws, strict=True)]
        out += array("i", ids).tobytes() * repeat  # "i" is a 32-bit C int on every platform numpy runs on
        return len(ids)

    def fresh(self) -> list[str]:
        new = list(islice(self.ids, self._sent, None))
        self._sent = len(self.ids)
        return new

    def __len__(self) -> int:
        return len(self.ids)


try:
    from ._wordids import WordTable
except ImportError:  # built without a C compiler
    WordTable = PyWordTable  # type: ignore[assignment,misc]


class Numbering:
    """Surface words numbered as first seen by one process, kept across the chunks it reads.

    A chunk then carries only the words its process had not seen (``fresh``), and the builder maps
    each word to a term id once per process instead of once per chunk: a corpus repeats most of
    its words. Keyed by (builder, process), so forked workers each number on their own.
    """

    def __init__(self, key: tuple[int, int]) -> None:
        self.key = key
        self.table = WordTable()

    def number(self, text: str, out: bytearray, repeat: int = 1) -> int:
        """Append the numbers of ``tokenizer.words(text)`` to ``out`` (int32), ``repeat`` times; return how many words."""
        return self.table.number(text if text.isascii() else ascii_folded(text), out, repeat)

    def fresh(self) -> list[str]:
        """The words numbered since the last call, in number order."""
        return self.table.fresh()


_NUMBERINGS: dict[tuple[int, int], Numbering] = {}


def numbering(builder: int) -> Numbering:
    """This process's numbering for a builder (made on first use)."""
    key = (builder, os.getpid())
    found = _NUMBERINGS.get(key)
    if found is None:
        found = _NUMBERINGS[key] = Numbering(key)
    return found


def release(builder: int) -> None:
    """Drop the numberings made in this process for a builder (finished or not)."""
    for key in [k for k in _NUMBERINGS if k[0] == builder]:
        del _NUMBERINGS[key]


UNRESOLVED = -2  # a word numbered by a worker whose term id is not known yet


class WordTerms:
    """Term ids of the words of one ``Numbering``, filled in as its chunks are added.

    A chunk's new words are resolved (``Vocabulary.raw_ids``) in number order, which is the order the
    corpus first uses them: term ids come out as one pass over the records would give them. Words
    of a skipped chunk (its records turned out to be duplicates) stay unresolved; a later chunk that
    uses one has all its words resolved in its own order of first use.
    """

    def __init__(self) -> None:
        self.words: list[str] = []  # by number
        self.lut = np.zeros(0, dtype=np.int64)  # term id by number (-1: no term)
        self.unresolved = False

    def add(self, surface: list[str], ids: np.ndarray, vocab: Vocabulary) -> np.ndarray:
        """The lookup table for a chunk's ``ids``, after resolving what they need (``surface``: its new words)."""
        self.words.extend(surface)
        if not self.unresolved:
            self.lut = np.concatenate([self.lut, np.asarray(vocab.raw_ids(surface), dtype=np.int64)])
            return self.lut
        self.lut = np.concatenate([self.lut, np.full(len(surface), UNRESOLVED, dtype=np.int64)])
        numbers, first = np.unique(ids, return_index=True)
        used = numbers[np.argsort(first)]
        if (self.lut[used] == UNRESOLVED).any():
            self.lut[used] = vocab.raw_ids([self.words[i] for i in used.tolist()])
            self.unresolved = bool((self.lut == UNRESOLVED).any())
        return self.lut

    def skip(self, surface: list[str]) -> None:
        """A chunk's new words, from a chunk that is not added."""
        self.words.extend(surface)
        self.lut = np.concatenate([self.lut, np.full(len(surface), UNRESOLVED, dtype=np.int64)])
        self.unresolved = self.unresolved or bool(surface)
