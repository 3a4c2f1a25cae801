"""Dated quotes, `as_of`, related articles and the refusal that names the newest date."""

from __future__ import annotations

from datetime import date

from bot.answering.dating import (
    as_of,
    date_sentences,
    dated_parts,
    future_refusal,
    related_articles,
)
from bot.models import Citation
from ingest.models import Passage
from tests.support.passages import whole_article


def _passage(doc_id: str, published_at: str | None, score: float = 0.5) -> Passage:
    return whole_article(
        "Tariffs rose.",
        doc_id,
        title=f"Title of {doc_id}",
        published_at=published_at,
        source="The White House (whitehouse.gov)",
        url=f"https://example.gov/{doc_id}",
        score=score,
    )


def _citation(n: int, doc_id: str, published_at: str | None) -> Citation:
    return Citation.quoting(n, _passage(doc_id, published_at), 0, 13)


def test_dated_parts_introduce_each_article_once_and_mark_earlier_words() -> None:
    new, old, undated = _passage("a", "2026-04-23"), _passage("b", "2025-07-30"), _passage("c", "")
    parts = dated_parts([("One.", new), ("Two.", new), ("Three.", old)], earlier_from=2)
    assert parts == [
        "On 2026-04-23 (The White House): One. [1]",
        "Two. [2]",
        "Earlier (2025-07-30): Three. [3]",
    ]
    assert dated_parts([("Four.", undated)]) == ["Undated (The White House): Four. [1]"]


def test_date_sentences_adds_dates_to_generated_sentences_it_cites() -> None:
    citations = [_citation(1, "a", "2025-02-11"), _citation(2, "b", "2019-03-01")]
    text = "Steel tariffs were restored [1]. Talks began with Japan. [2] Both matter [1]."
    dated = date_sentences(text, citations)
    assert dated == (
        "On 2025-02-11 (The White House): Steel tariffs were restored [1]. "
        "On 2019-03-01 (The White House): Talks began with Japan. [2] "
        "On 2025-02-11 (The White House): Both matter [1]."
    )


def test_date_sentences_leaves_sentences_that_already_say_their_date() -> None:
    citations = [_citation(1, "a", "2025-02-11")]
    text = "On 2025-02-11 the White House restored steel tariffs [1]. Uncited sentence."
    assert date_sentences(text, citations) == text


def test_as_of_is_the_newest_cited_date() -> None:
    cited = [_citation(1, "a", "2024-01-02"), _citation(2, "b", "2025-06-30T12:00:00")]
    assert as_of(cited) == "2025-06-30"
    assert as_of([_citation(1, "c", None)]) is None
    assert as_of([]) is None


def test_related_articles_are_distinct_scored_and_at_most_three() -> None:
    passages = [
        _passage("a", "2025-01-01", 0.6),
        _passage("a", "2025-01-01", 0.55),
        _passage("b", None, 0.5),
        _passage("weak", "2025-01-01", 0.1),
        _passage("c", "2024-01-01", 0.45),
        _passage("d", "2024-01-01", 0.44),
    ]
    related = related_articles(passages, min_score=0.3)
    assert [r.doc_id for r in related] == ["a", "b", "c"]
    assert related[0].title == "Title of a" and related[0].url == "https://example.gov/a"
    assert related[1].published_at is None


def test_future_refusal_names_the_newest_date_and_says_it_does_not_cover() -> None:
    text = future_refusal(date(2026, 8, 18))
    assert text.startswith("The newest article I have is from 2026-08-18;")
    assert "do not cover" in text
