"""Retrieval: the tokenizer, and BM25 scores equal to rank_bm25.BM25Plus for every document."""

from __future__ import annotations

import numpy as np
from hypothesis import example, given, settings
from hypothesis import strategies as st
from rank_bm25 import BM25Okapi, BM25Plus

from bot.records import Paper
from bot.search.bm25 import BM25Matrix, BM25Params
from bot.search.index import PaperIndex
from bot.search.postings import Postings, count_postings, row_segments, segments, transpose
from bot.search.tokenizer import tokenize

VOCAB = [f"w{i}" for i in range(12)]


def test_tokenizer_folds_splits_stems():
    assert tokenize("β-VAEs") == ["beta", "vae"]
    assert tokenize("Représentations DÉBRUITÉES") == tokenize("representations debruitees")
    assert tokenize("text-to-3D and the CAT3D models") == ["text", "3d", "cat3d", "model"]


def test_british_and_american_spellings_share_a_term():
    assert tokenize("optimisers, normalising, analysed, behaviour") == tokenize("optimizers, normalizing, analyzed, behavior")
    assert tokenize("our four hours") == tokenize("four hours")  # "our" stays a stopword, "four" is no "for"


def _matrix(arrays: list[np.ndarray], params: BM25Params, split: int = 0) -> BM25Matrix:
    """A scorer over the documents; with 0 < split < len, their postings sit in two segments, as after
    records were appended to a built index."""
    matrix = BM25Matrix.build(arrays, len(VOCAB), params)
    if not 0 < split < len(arrays):
        return matrix
    head = BM25Matrix.build(arrays[:split], len(VOCAB), params).postings
    tail = BM25Matrix.build(arrays[split:], len(VOCAB), params).postings
    shifted = Postings(tail.indptr, (tail.doc_ids + split).astype(np.int32), tail.tfs)
    return BM25Matrix(segments(head, shifted), matrix.doc_len, params)


@settings(max_examples=60, deadline=None)
@given(
    docs=st.lists(st.lists(st.sampled_from(VOCAB), min_size=0, max_size=15), min_size=1, max_size=25),
    query=st.lists(st.sampled_from([*VOCAB, "unseen"]), min_size=1, max_size=5),
    k1=st.floats(0.5, 2.0),
    b=st.floats(0.0, 1.0),
    delta=st.floats(0.0, 1.5),
    split=st.integers(0, 25),
)
@example(docs=[["w0"], ["w1", "w0"], ["w2"]], query=["w0"], k1=1.2, b=0.75, delta=1.0, split=1)
def test_scores_equal_rank_bm25_plus(docs, query, k1, b, delta, split):
    """Also when the documents sit in two segments (records appended after the index was built)."""
    vocab = {w: i for i, w in enumerate(VOCAB)}
    arrays = [np.array([vocab[w] for w in d], dtype=np.int64) for d in docs]
    matrix = _matrix(arrays, BM25Params(k1, b, delta), split)
    weights: dict[int, float] = {}
    for w in query:
        if w in vocab:
            weights[vocab[w]] = weights.get(vocab[w], 0.0) + 1.0
    if sum(len(d) for d in docs) == 0:
        return  # rank_bm25 divides by zero on an empty corpus
    with np.errstate(invalid="ignore", divide="ignore"):
        reference = BM25Plus(docs, k1=k1, b=b, delta=delta).get_scores(query)
    ours = matrix.full_scores(weights)
    assert np.isfinite(ours).all()
    defined = np.isfinite(reference)  # rank_bm25 gives 0/0 for an empty document when b == 1
    np.testing.assert_allclose(ours[defined], reference[defined], rtol=0, atol=1e-6)


@settings(max_examples=60, deadline=None)
@given(
    docs=st.lists(st.lists(st.sampled_from(VOCAB), min_size=0, max_size=15), min_size=1, max_size=25),
    query=st.lists(st.tuples(st.sampled_from([*VOCAB, "unseen"]), st.floats(0.01, 3.0)), min_size=1, max_size=8),
    picked=st.lists(st.integers(0, 24), min_size=0, max_size=10),
    split=st.integers(0, 25),
)
def test_rescoring_from_rows_equals_full_scores(docs, query, picked, split):
    """Feedback re-scores a few documents from their rows, for a weighted query whose terms may
    repeat: the scores must be the full BM25 scores of the same query (weights of a repeated term
    added), also with rows in two segments."""
    vocab = {w: i for i, w in enumerate(VOCAB)}
    arrays = [np.array([vocab[w] for w in d], dtype=np.int64) for d in docs]
    if sum(a.size for a in arrays) == 0:
        return
    matrix = BM25Matrix.build(arrays, len(VOCAB), BM25Params())

    def rows_of(part: list[np.ndarray]):
        ids = np.concatenate([np.zeros(0, np.int64), *part])
        owners = np.repeat(np.arange(len(part)), [a.size for a in part])
        return transpose(count_postings(ids, owners, len(part), 0, len(VOCAB))[0], 0, len(part))

    cut = min(split, len(docs))
    rows = row_segments(rows_of(arrays[:cut]), rows_of(arrays[cut:])) if 0 < cut < len(docs) else rows_of(arrays)
    terms = np.array([vocab.get(w, -1) for w, _ in query], dtype=np.int64)
    weights = np.array([x for _, x in query])
    merged: dict[int, float] = {}
    for t, x in zip(terms.tolist(), weights.tolist(), strict=True):
        if t >= 0:
            merged[t] = merged.get(t, 0.0) + x
    chosen = np.array(sorted({p % len(docs) for p in picked}), dtype=np.int64)
    np.random.default_rng(len(docs)).shuffle(chosen)  # the head arrives in rank order, not by id
    expected = matrix.full_scores(merged)[chosen]
    np.testing.assert_allclose(matrix.rescore(chosen, rows.entries(chosen), terms, weights), expected, rtol=0, atol=1e-9)


@settings(max_examples=60, deadline=None)
@given(
    docs=st.lists(st.lists(st.sampled_from(VOCAB), min_size=0, max_size=15), min_size=1, max_size=30),
    query=st.lists(st.sampled_from(VOCAB), min_size=1, max_size=5),
    picked=st.sets(st.integers(0, 29), max_size=30),
    way=st.sampled_from(["kept column", "one kept column", "capped column", "spread", "binary search"]),
)
def test_probing_documents_gives_their_full_scores(docs, query, picked, way):
    """Probing chosen documents (through kept tf columns, also when only one fits and they replace each
    other or when a tf overflows the column's byte, postings spread into a dense array, or a binary
    search) gives the same scores as scoring every document."""
    import bot.search.bm25 as bm25

    vocab = {w: i for i, w in enumerate(VOCAB)}
    arrays = [np.array([vocab[w] for w in d], dtype=np.int64) for d in docs]
    if sum(a.size for a in arrays) == 0:
        return
    matrix = BM25Matrix.build(arrays, len(VOCAB), BM25Params())
    weights = {vocab[w]: float(query.count(w)) for w in query}
    chosen = np.unique(np.array(sorted(p % len(docs) for p in picked), dtype=np.int64))
    saved = bm25.COLUMN_FROM, bm25.DENSE_PROBE, bm25.COLUMN_BYTES, bm25.CAPPED
    bm25.COLUMN_FROM, bm25.DENSE_PROBE = {"spread": (0, 10**9), "binary search": (0, 0)}.get(way, (10**9, 0))
    bm25.COLUMN_BYTES = 1 if way == "one kept column" else saved[2]
    bm25.CAPPED = 2 if way == "capped column" else saved[3]  # tfs of 2 and more read from the postings
    try:
        probed = [matrix.score_docs(chosen, weights) for _ in range(2)]  # the second probe reads kept columns
        assert len(matrix._columns) <= (1 if way == "one kept column" else len(VOCAB))
    finally:
        bm25.COLUMN_FROM, bm25.DENSE_PROBE, bm25.COLUMN_BYTES, bm25.CAPPED = saved
    expected = matrix.full_scores(weights)[chosen] - matrix.constant(weights)
    for scores in probed:
        np.testing.assert_allclose(scores, expected, rtol=0, atol=1e-9)


@settings(max_examples=40, deadline=None)
@given(
    docs=st.lists(st.lists(st.sampled_from(VOCAB), min_size=0, max_size=15), min_size=1, max_size=25),
    offset=st.integers(0, 100_000),
    wide=st.booleans(),
)
def test_rows_list_each_documents_terms_and_counts(docs, offset, wide):
    """Rows (the postings by document) hold each document's distinct terms ascending with their counts,
    whether the run's documents fit 16-bit sort keys or not."""
    vocab = {w: i for i, w in enumerate(VOCAB)}
    ids = np.array([vocab[w] for d in docs for w in d], dtype=np.int64)
    owner = np.repeat(np.arange(len(docs)), [len(d) for d in docs])
    n_docs = len(docs) + (70_000 if wide else 0)
    rows = transpose(count_postings(ids, owner, n_docs, offset, len(VOCAB))[0], offset, n_docs)
    for i, d in enumerate(docs):
        start, end = rows.indptr[i], rows.indptr[i + 1]
        expected = sorted({vocab[w]: d.count(w) for w in d}.items())
        assert list(zip(rows.terms[start:end].tolist(), rows.tfs[start:end].tolist(), strict=True)) == expected
    assert rows.indptr[-1] == rows.indptr[len(docs)]  # documents past the run hold nothing


def _paper(i: int, text: str) -> Paper:
    import datetime as dt

    return Paper(id=str(i), title="", authors=("A B",), date=dt.date(2020, 1, 1), abstract=text)


def test_term_in_half_the_documents_still_matches():
    """BM25Okapi gives a term in exactly half of 4 documents idf 0; ours scores it above zero."""
    texts = ["diffusion models", "diffusion of heat", "optimizers learn", "radiance fields"]
    okapi = BM25Okapi([t.split() for t in texts]).get_scores(["diffusion"])
    assert okapi[0] == 0.0  # the rank_bm25 pitfall this index avoids
    index = PaperIndex([_paper(i, t) for i, t in enumerate(texts)])
    hits = index.search(tokenize("diffusion"))
    assert [h.doc for h in hits] == [0, 1] or [h.doc for h in hits] == [1, 0]
    assert all(h.score > 0 for h in hits)


def test_term_in_every_document_still_ranks_by_frequency():
    texts = ["model model model", "model", "model of models", "a model here"]
    index = PaperIndex([_paper(i, t) for i, t in enumerate(texts)])
    hits = index.search(tokenize("model"))
    assert len(hits) == 4 and hits[0].doc in (0, 2) and all(h.score > 0 for h in hits)


def test_non_matching_documents_do_not_match():
    index = PaperIndex([_paper(0, "alpha beta"), _paper(1, "gamma")])
    assert [h.doc for h in index.search(tokenize("gamma"))] == [1]
    assert index.search(tokenize("delta")) == []


def test_title_counts_more_than_abstract():
    import datetime as dt

    papers = [
        Paper(id="a", title="Optimizers", authors=("A B",), date=dt.date(2020, 1, 1), abstract="we study things"),
        Paper(id="b", title="Things", authors=("A B",), date=dt.date(2020, 1, 1), abstract="we study optimizers"),
    ]
    assert PaperIndex(papers).search(tokenize("optimizers"))[0].doc == 0


@settings(max_examples=80, deadline=None)
@given(
    docs=st.lists(st.lists(st.sampled_from(VOCAB), min_size=1, max_size=12), min_size=2, max_size=40),
    query=st.lists(st.sampled_from(VOCAB), min_size=2, max_size=8),
    k=st.integers(1, 10),
    masked=st.booleans(),
    drop_seeds=st.booleans(),
    split=st.integers(0, 40),
)
def test_pruned_top_k_equals_the_exhaustive_top_k(docs, query, k, masked, drop_seeds, split):
    """top_matches may skip postings, never a document that belongs in the top k (whether the bar's
    seeds are all scored or dropped as they fall behind, and when records were appended as a second
    segment)."""
    import bot.search.bm25 as bm25

    vocab = {w: i for i, w in enumerate(VOCAB)}
    arrays = [np.array([vocab[w] for w in d], dtype=np.int64) for d in docs]
    matrix = _matrix(arrays, BM25Params(), split)
    weights: dict[int, float] = {}
    for w in query:
        weights[vocab[w]] = weights.get(vocab[w], 0.0) + 1.0
    mask = (np.arange(len(docs)) % 3 != 0) if masked else None
    saved = bm25.PRUNE_FROM, bm25.FEW_SEEDS
    bm25.PRUNE_FROM, bm25.FEW_SEEDS = 0, (0 if drop_seeds else saved[1])
    try:
        pruned = matrix.top_matches(weights, k, mask)
    finally:
        bm25.PRUNE_FROM, bm25.FEW_SEEDS = saved
    full = BM25Matrix.masked(matrix.match(weights), mask)
    best = np.sort(full.scores)[::-1][:k]
    got = dict(zip(pruned.docs.tolist(), pruned.scores.tolist(), strict=True))
    exact = dict(zip(full.docs.tolist(), full.scores.tolist(), strict=True))
    assert all(abs(got[d] - exact[d]) < 1e-9 for d in got)  # candidates carry exact scores
    if best.size:
        for doc, score in exact.items():  # every document scoring at least the k-th best is a candidate
            if score >= best[-1]:
                assert doc in got


def test_pruning_skips_documents_holding_only_common_words(monkeypatch):
    import bot.search.bm25 as bm25

    monkeypatch.setattr(bm25, "PRUNE_FROM", 0)
    docs = [["w0", "w1", "w2"]] + [["w0"]] * 300 + [["w3"]] * 5  # w0 is everywhere, w2 and w3 are rare
    vocab = {w: i for i, w in enumerate(VOCAB)}
    matrix = BM25Matrix.build([np.array([vocab[w] for w in d], dtype=np.int64) for d in docs], len(VOCAB), BM25Params())
    query = {vocab["w2"]: 1.0, vocab["w3"]: 1.0, vocab["w0"]: 1.0}
    pruned = matrix.top_matches(query, 3)
    full = matrix.match(query)
    assert pruned.docs.size < full.docs.size  # the 300 documents holding only w0 were never scored
    np.testing.assert_allclose(np.sort(pruned.scores)[::-1][:3], np.sort(full.scores)[::-1][:3], atol=1e-12)
