"""Lucene BM25 weights for the lexical index (its terms come from `bot.terms`)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


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
        self.df = df  # how many rows hold each term

    def scores(
        self,
        term_ids: Sequence[int],
        mask: np.ndarray | None = None,
        weights: Sequence[float] | None = None,
    ) -> np.ndarray:
        """Score every row against the query terms (repeats count twice), in [0, 1].

        `weights` (one per term, default 1) lets expansion terms count less than the
        question's own; the ceiling weighs them alike.
        """
        given = weights if weights is not None else [1.0] * len(term_ids)
        pairs = [(t, w) for t, w in zip(term_ids, given, strict=True) if 0 <= t < len(self.idf)]
        known = [t for t, _ in pairs]
        factor = np.array([w for _, w in pairs], dtype=np.float64)
        ceiling = float((self.idf[known] * factor).sum()) if known else 0.0
        if ceiling <= 0.0:
            return np.zeros(self.size, dtype=np.float32)
        rows = np.concatenate([self._rows[self._starts[t] : self._starts[t + 1]] for t in known])
        data = np.concatenate(
            [self._data[self._starts[t] : self._starts[t + 1]] * w for t, w in pairs]
        )
        out = np.bincount(rows, weights=data, minlength=self.size).astype(np.float32)
        if mask is not None:
            out *= mask
        return out / np.float32(ceiling)

    def holding(
        self, term_ids: Sequence[int], weights: Sequence[float], idf: np.ndarray
    ) -> np.ndarray:
        """Score every row by the `idf` (another collection's) of the query terms it holds,
        saturated, divided by that idf's ceiling for the query: in [0, 1]."""
        pairs = [(t, w) for t, w in zip(term_ids, weights, strict=True) if 0 <= t < len(idf)]
        ceiling = float(sum(idf[t] * w for t, w in pairs))
        out = np.zeros(self.size, dtype=np.float32)
        if ceiling <= 0.0:
            return out
        for t, w in pairs:
            if t < len(self.idf):
                out[self._rows[self._starts[t] : self._starts[t + 1]]] += np.float32(idf[t] * w)
        return out / np.float32(ceiling)

    def rows_with(self, term_id: int) -> np.ndarray:
        """Return the rows holding a term, in row order."""
        if not 0 <= term_id < len(self.idf):
            return np.zeros(0, dtype=np.int64)
        return self._rows[self._starts[term_id] : self._starts[term_id + 1]]

    def held(self, term_ids: Sequence[int]) -> np.ndarray:
        """Count, for every row, how many of the distinct `term_ids` it holds."""
        out = np.zeros(self.size, dtype=np.int64)
        for t in set(term_ids):
            if 0 <= t < len(self.idf):
                out[self._rows[self._starts[t] : self._starts[t + 1]]] += 1
        return out
