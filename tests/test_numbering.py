"""Word numbering for index builds: the C table (``_wordids``) numbers every text as the Python one does."""

from __future__ import annotations

import shutil
import sysconfig
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.search.numbering import Numbering, PyWordTable, WordTable
from bot.text import words

C_BUILT = WordTable is not PyWordTable
TEXT = st.text(st.sampled_from(list("abcXYZ019 -.,_\t\n/é…βΣ€ﬁ😀Ⅻ\u00a0\u2028")), max_size=60) | st.text(max_size=40)


def numbered(texts: list[str], table: object, repeat: int = 1) -> tuple[list[list[int]], list[list[str]]]:
    """Each text's word numbers and, after each, the words numbered fresh."""
    numbering = Numbering((0, 0))
    numbering.table = table
    ids, fresh = [], []
    for text in texts:
        out = bytearray()
        count = numbering.number(text, out, repeat)
        got = np.frombuffer(out, dtype=np.int32).tolist()
        assert len(got) == count * repeat
        ids.append(got)
        fresh.append(numbering.fresh())
    return ids, fresh


@given(st.lists(TEXT, max_size=8), st.integers(0, 3))
@settings(max_examples=300, deadline=None)
def test_words_are_numbered_in_order_first_seen(texts: list[str], repeat: int) -> None:
    ids, fresh = numbered(texts, PyWordTable(), repeat)
    seen: dict[str, int] = {}
    for text, got, new in zip(texts, ids, fresh, strict=True):
        before = len(seen)
        expected = [seen.setdefault(w, len(seen)) for w in words(text)]
        assert got == expected * repeat
        assert new == list(seen)[before:]


@pytest.mark.skipif(not C_BUILT, reason="bot.search._wordids was not built (no C compiler at install)")
@given(st.lists(TEXT, max_size=8), st.integers(0, 3))
@settings(max_examples=300, deadline=None)
def test_c_table_numbers_as_python_does(texts: list[str], repeat: int) -> None:
    assert numbered(texts, WordTable(), repeat) == numbered(texts, PyWordTable(), repeat)


@pytest.mark.skipif(not C_BUILT, reason="bot.search._wordids was not built (no C compiler at install)")
def test_c_table_grows_and_keeps_long_words() -> None:
    texts = [" ".join(f"w{i}x{j}" for j in range(500)) for i in range(300)] + ["y" * 5000 + " w0x0 " + "Z" * 70]
    assert numbered(texts, WordTable()) == numbered(texts, PyWordTable())
    assert len(WordTable()) == 0


def test_c_table_is_built_where_it_can_be() -> None:
    """Installing on a machine with a C compiler and Python's headers builds the fast table."""
    can_build = shutil.which("cc") is not None and (Path(sysconfig.get_paths()["include"]) / "Python.h").exists()
    assert C_BUILT or not can_build
