"""Text analysis and Lucene BM25 weights for the lexical index."""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

_WORD = re.compile(r"(?u)\b\w\w+\b")


class Analyzer:
    """Lower-case, split into words, drop English stopwords, stem (Snowball English)."""

    name = "words-en-stop-snowball-v1"

    def __init__(self) -> None:
        import Stemmer
        from bm25s.stopwords import STOPWORDS_EN

        self._stem = Stemmer.Stemmer("english").stemWords
        self._stopwords = frozenset(STOPWORDS_EN)

    def tokens(self, text: str) -> list[str]:
        """Return the stemmed index terms of `text`."""
        words = [w for w in _WORD.findall(text.lower()) if w not in self._stopwords]
        return list(self._stem(words)) if words else []


class Bm25Matrix:
    """Lucene BM25 term weights of many rows, as bm25s computes them, built with numpy.

    bm25s builds its index in a Python loop per row (about 20 s for SciFact's 11k passages
    here), too slow to redo on every store change; this vectorised build of the same weights
    takes a fraction of a second. Scores are divided by the query's ceiling (every query
    term present and saturated), so they lie in [0, 1] and compare across queries.
    """

    def __init__(self, rows: Sequence[np.ndarray], k1: float = 1.2, b: float = 0.75) -> None:
        n = len(rows)
        lengths = np.array([len(r) for r in rows], dtype=np.int64)
        flat = np.concatenate(rows).astype(np.int64) if n else np.zeros(0, dtype=np.int64)
        n_terms = int(flat.max()) + 1 if flat.size else 0
        pairs, tf = np.unique(flat * n + np.repeat(np.arange(n), lengths), return_counts=True)
        term, row = pairs // max(n, 1), pairs % max(n, 1)  # sorted by term, then row
        df = np.bincount(term, minlength=n_terms)
        self.idf = np.where(df > 0, np.log1p((n - df + 0.5) / (df + 0.5)), 0.0)
        avg = float(lengths.mean()) if n and lengths.any() else 1.0
        norm = k1 * (1.0 - b + b * lengths[row] / avg)
        self._data = (self.idf[term] * tf / (tf + norm)).astype(np.float32)
        self._rows = row
        self._starts = np.concatenate([[0], np.cumsum(df)]).astype(np.int64)
        self.size = n

    def scores(self, term_ids: Sequence[int], mask: np.ndarray | None = None) -> np.ndarray:
        """Score every row against the query terms (repeats count twice), in [0, 1]."""
        known = [t for t in term_ids if 0 <= t < len(self.idf)]
        ceiling = float(self.idf[known].sum()) if known else 0.0
        if ceiling <= 0.0:
            return np.zeros(self.size, dtype=np.float32)
        rows = np.concatenate([self._rows[self._starts[t] : self._starts[t + 1]] for t in known])
        data = np.concatenate([self._data[self._starts[t] : self._starts[t + 1]] for t in known])
        out = np.bincount(rows, weights=data, minlength=self.size).astype(np.float32)
        if mask is not None:
            out *= mask
        return out / np.float32(ceiling)
