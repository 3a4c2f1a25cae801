"""AnswerEngine over the real store, retriever and answerers: ids, turns, streams, follow-ups."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.engine import AnswerEngine, Rerank, StreamEvent
from bot.models import Answer, Turn
from bot.retrieval.follow_up import follow_up_query, leaned_on
from bot.settings import Settings
from bot.wiring import build_engine, open_store
from ingest.embedder import Embedder
from ingest.loaders import article_from_json
from ingest.models import Passage, SearchFilters
from ingest.store import StoreUnavailableError

ARTICLE = {
    "id": "framework",
    "title": "US and China agree a trade framework in London",
    "text": (
        "US Commerce Secretary Howard Lutnick announced a framework to ease disputes over rare "
        "earth magnets. The framework will now be presented to Presidents Donald Trump and Xi "
        "Jinping for final approval. He emphasized that the next steps depend on presidential "
        "approval before moving to implementation."
    ),
    "published_at": "2025-06-11",
    "source": "Harbour Times",
}
LAST_TURN = Turn(
    question="Who announced the framework?",
    answer="US Commerce Secretary Howard Lutnick announced a framework to ease disputes. [1]",
    cited_titles=("US and China agree a trade framework in London",),
)


@pytest.fixture
def engine(settings: Settings, embedder: Embedder) -> AnswerEngine:
    """An extractive engine over a store holding one article."""
    from bot.wiring import build_ingestor

    store = open_store(settings)
    build_ingestor(settings, store, embedder).ingest_articles([article_from_json(ARTICLE)])
    return build_engine(settings, store, embedder)


def test_follow_up_query_joins_the_last_turn_to_dependent_questions() -> None:
    query = follow_up_query("What did he say the next steps depend on?", [LAST_TURN])
    assert query.startswith("What did he say the next steps depend on?")
    assert "Who announced the framework?" in query
    assert "Howard Lutnick" in query and "US Commerce Secretary Howard Lutnick" in query
    assert "US and China agree a trade framework in London" in query
    assert "[1]" not in query
    short = follow_up_query("And Japan?", [LAST_TURN])
    assert "Who announced the framework?" in short


def test_a_chain_of_follow_ups_reaches_back_to_the_question_it_leans_on() -> None:
    first = Turn("What did Thai officials offer on corn?", "They offered lower duties. [1]")
    refused = Turn("and on rice?", "The articles I have do not cover this question.")
    query = follow_up_query("how many tons?", [LAST_TURN, first, refused])

    assert "and on rice?" in query and "What did Thai officials offer on corn?" in query
    assert "Who announced the framework?" not in query  # a standalone question ends the chain
    assert leaned_on([first, refused]) == "What did Thai officials offer on corn? and on rice?"
    assert leaned_on([refused, first]) == "What did Thai officials offer on corn?"
    assert leaned_on([]) is None


def test_a_follow_up_turning_to_another_subject_leaves_the_last_answers_names_behind() -> None:
    # "what about buses?" after trucks: the last answer's names and titles are about trucks.
    trucks = Turn(
        question="Did the US put Section 232 tariffs on medium and heavy-duty trucks?",
        answer="The Proclamation imposes a 25% tariff on Medium and Heavy-Duty Trucks. [1]",
        cited_titles=("Fact Sheet: Tariffs on Trucks",),
    )
    turned = follow_up_query("what about buses - what rate do they get?", [trucks])
    same = follow_up_query("and how long does it last?", [trucks])

    assert turned == f"what about buses - what rate do they get? {trucks.question}"
    assert "Heavy-Duty Trucks" in same and "Fact Sheet: Tariffs on Trucks" in same
    assert "Fact Sheet" in follow_up_query("what about that deal?", [trucks])
    # A filler before the opening turns as well ("and what about buses?", "ok, how about ...").
    for filler in ("and", "ok,"):
        again = follow_up_query(f"{filler} what about buses?", [trucks])
        assert again == f"{filler} what about buses? {trucks.question}"
    on_rice = follow_up_query("and on rice?", [trucks])
    assert on_rice.endswith(trucks.question) and "Fact Sheet" not in on_rice


def test_follow_up_query_leaves_standalone_questions_alone() -> None:
    standalone = "Which semiconductor tools did Japan add to its export control list?"
    assert follow_up_query(standalone, [LAST_TURN]) == standalone
    assert follow_up_query("What did he say?", []) == "What did he say?"


def test_answer_records_the_turn_under_a_fresh_id(engine: AnswerEngine) -> None:
    answer = engine.answer("What is pending presidential approval?")
    assert answer.grounded and answer.citations
    assert answer.conversation_id is not None and len(answer.conversation_id) == 32
    history = engine.history(answer.conversation_id)
    assert [(t.question, t.answer) for t in history] == [
        ("What is pending presidential approval?", answer.answer)
    ]
    assert history[0].cited_titles == ("US and China agree a trade framework in London",)
    other = engine.answer("What is pending presidential approval?")
    assert other.conversation_id != answer.conversation_id


def test_follow_up_uses_the_conversation(engine: AnswerEngine) -> None:
    first = engine.answer("Who announced the framework?", conversation_id="thread-1")
    assert first.conversation_id == "thread-1"
    follow_up = engine.answer("What did he say the next steps depend on?", "thread-1")
    assert "next steps depend on presidential approval" in follow_up.answer
    assert len(engine.history("thread-1")) == 2


def test_stream_retrieves_lazily_then_yields_in_order(engine: AnswerEngine) -> None:
    events = engine.stream("What is pending presidential approval?", top_k=2)
    first = next(events)
    assert first.kind == "citations" and isinstance(first.data, list)
    assert first.data and first.data[0]["doc_id"] == "framework"
    rest: list[StreamEvent] = list(events)
    assert [e.kind for e in rest][-1] == "done"
    assert {e.kind for e in rest[:-1]} == {"delta"}
    final = rest[-1].data
    assert isinstance(final, Answer) and final.conversation_id
    assert engine.history(final.conversation_id)[0].answer == final.answer


def test_filters_reach_retrieval(engine: AnswerEngine) -> None:
    elsewhere = SearchFilters(sources=("Pacific Ledger",))
    assert engine.search("framework approval", 5, elsewhere) == []
    refused = engine.answer("What is pending presidential approval?", filters=elsewhere)
    assert refused.grounded is False and refused.citations == []
    assert engine.search("framework approval", 5, SearchFilters())[0].doc_id == "framework"


def test_unreachable_llm_falls_back_and_keeps_context(
    tmp_path: Path, settings: Settings, embedder: Embedder, engine: AnswerEngine
) -> None:
    llm_settings = Settings(data_dir=settings.data_dir, llm_base_url="http://127.0.0.1:9/v1")
    llm_engine = build_engine(llm_settings, open_store(llm_settings), embedder)
    assert llm_engine.mode == "llm"
    first = llm_engine.answer("Who announced the framework?", conversation_id="llm-thread")
    assert first.notice and "could not be reached" in first.notice
    follow_up = llm_engine.answer("What did he say the next steps depend on?", "llm-thread")
    assert follow_up.grounded and "next steps depend" in follow_up.answer


def test_store_failure_surfaces_as_store_unavailable(tmp_path: Path, embedder: Embedder) -> None:
    settings = Settings(data_dir=tmp_path / "down", chroma_url="http://127.0.0.1:9")
    engine = build_engine(settings, open_store(settings), embedder)
    with pytest.raises(StoreUnavailableError):
        engine.answer("Who announced the framework?")
    with pytest.raises(StoreUnavailableError):
        next(engine.stream("Who announced the framework?"))


def test_a_mistyped_question_is_answered_as_read_and_recorded_as_typed(
    engine: AnswerEngine,
) -> None:
    answer = engine.answer("Who announced the framwork on rare earth magnets?")

    assert answer.grounded
    assert answer.notice == "Read “framwork” as “framework”."
    assert answer.conversation_id is not None
    turn = engine.history(answer.conversation_id)[-1]
    assert turn.question == "Who announced the framwork on rare earth magnets?"


def _scored(chunk_id: str, doc_id: str, score: float) -> Passage:
    return Passage(chunk_id, doc_id, "text", 0, 4, "title", None, None, None, score=score)


def test_rerank_orders_by_best_sentence_and_spreads_articles() -> None:
    a1, a2, b1, c1 = (
        _scored("a::1", "a", 0.60),
        _scored("a::2", "a", 0.55),
        _scored("b::1", "b", 0.50),
        _scored("c::1", "c", 0.40),
    )
    best = {"a::2": 0.5, "c::1": 0.3}  # a's second passage and c's hold likely answers
    rerank = Rerank(depth=20, weight=2.0, decay=0.85)

    # a::2 = 0.55 + 1.0; c::1 = 0.40 + 0.6; a::1 (a's second pick) = 0.60 * 0.85; b::1 = 0.5.
    assert [p.chunk_id for p in rerank.order([a1, a2, b1, c1], best, 3)] == ["a::2", "c::1", "a::1"]
    assert [p.chunk_id for p in Rerank(weight=0.0).order([a1, a2, b1, c1], best, 2)] == [
        "a::1",
        "b::1",  # a's second passage competes at 0.55 * 0.85
    ]


def test_search_and_chat_rerank_a_deeper_list_unless_turned_off(
    settings: Settings, embedder: Embedder
) -> None:
    from bot.wiring import build_ingestor

    store = open_store(settings)
    articles = [ARTICLE, *({**ARTICLE, "id": f"copy-{n}", "text": t} for n, t in enumerate(TEXTS))]
    build_ingestor(settings, store, embedder).ingest_articles(
        [article_from_json(a) for a in articles]
    )
    engine = build_engine(settings, store, embedder)  # reranking is on by default
    plain = build_engine(settings.model_copy(update={"rerank_weight": 0.0}), store, embedder)
    question = "What depends on presidential approval?"

    assert engine.ranker is not None and plain.ranker is None
    deep = engine.retriever.search(question, engine.rerank.depth)
    best = engine.ranker.passage_evidence(question, deep)
    assert [p.chunk_id for p in engine.search(question, 2)] == [
        p.chunk_id for p in engine.rerank.order(deep, best, 2)
    ]
    assert [p.chunk_id for p in plain.search(question, 2)] == [
        p.chunk_id for p in engine.retriever.search(question, 2)
    ]
    answer = engine.answer(question)
    assert answer.grounded, answer.answer
    assert any("depend on presidential approval" in c.quote for c in answer.citations)


TEXTS = (
    "Tariffs on rare earth magnets were discussed at length in London by both delegations.",
    "Presidents Donald Trump and Xi Jinping spoke by phone about trade before the talks.",
    "The approval of export licences for rare earths was slow, officials in Washington said.",
)
