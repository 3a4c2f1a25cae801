"""Split an article into sentence-aware passages that keep their character offsets."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ingest.models import Article, Chunk
from ingest.text import opens_with_connective, sentence_spans

TokenCounter = Callable[[Sequence[str]], list[int]]


class Chunker:
    """Pack whole sentences into passages of about `max_tokens`, overlapping a little.

    A passage does not open on a sentence that carries on from the one before ("Accordingly,
    I have decided to terminate the designation of Ethiopia, Guinea, and Mali ..."): the
    overlap reaches back one sentence more, when that one takes at most half the budget, so a
    passage that answers holds what the sentence rests on ("... I have determined that
    Ethiopia, Guinea, and Mali do not meet the requirements").
    """

    def __init__(
        self, count_tokens: TokenCounter, max_tokens: int = 200, overlap_tokens: int = 30
    ) -> None:
        self._count = count_tokens
        self.max_tokens = max_tokens
        self.overlap_tokens = overlap_tokens

    def split(self, article: Article) -> list[Chunk]:
        """Return the article's passages; `article.text[c.start:c.end] == c.text` for each."""
        spans = self._bounded_spans(article.text)
        if not spans:
            return []
        sizes = self._count([article.text[s:e] for s, e in spans])
        version = article.content_hash
        leans = [opens_with_connective(article.text[s:e]) for s, e in spans]
        groups = self._group(sizes, leans)
        chunks: list[Chunk] = []
        for index, (first, last) in enumerate(groups):
            start, end = spans[first][0], spans[last][1]
            chunks.append(
                Chunk(
                    doc_id=article.doc_id,
                    version=version,
                    index=index,
                    start=start,
                    end=end,
                    text=article.text[start:end],
                    page=article.page_at(start),
                )
            )
        return chunks

    def _bounded_spans(self, text: str) -> list[tuple[int, int]]:
        """Sentences, with any sentence longer than the budget cut at word boundaries."""
        out: list[tuple[int, int]] = []
        budget_chars = self.max_tokens * 4
        for start, end in sentence_spans(text):
            while end - start > budget_chars:
                cut = text.rfind(" ", start, start + budget_chars)
                cut = cut if cut > start else start + budget_chars
                out.append((start, cut))
                start = cut
                while start < end and text[start].isspace():
                    start += 1
            if end > start:
                out.append((start, end))
        return out

    def _group(self, sizes: list[int], leans: list[bool]) -> list[tuple[int, int]]:
        """Choose inclusive sentence ranges: fill to the budget, then back up for overlap (and
        over the sentence a connective opening the next range leans on)."""
        groups: list[tuple[int, int]] = []
        first = 0
        while first < len(sizes):
            total, last = sizes[first], first
            while last + 1 < len(sizes) and total + sizes[last + 1] <= self.max_tokens:
                last += 1
                total += sizes[last]
            groups.append((first, last))
            if last + 1 >= len(sizes):
                break
            nxt, carried = last + 1, 0
            while nxt - 1 > first and carried + sizes[nxt - 1] <= self.overlap_tokens:
                nxt -= 1
                carried += sizes[nxt]
            if nxt - 1 > first and leans[nxt] and sizes[nxt - 1] <= self.max_tokens // 2:
                nxt -= 1
            first = nxt
        return groups
