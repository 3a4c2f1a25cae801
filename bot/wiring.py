"""Turn `Settings` into the objects that answer: the only module that does.

The API's lifespan, the CLI, the evaluation and `bench/` get their store, embedding model,
ingestor, retriever, answerer and engine from here, so a setting (a Chroma timeout, a
fusion weight, an LLM) reaches every channel the same way.
"""

from __future__ import annotations

import functools
import weakref
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from pydantic import SecretStr

from bot.engine import AnswerEngine, AnswerObserver, Rerank
from bot.models import Answerer
from bot.retrieval.event_time import EventDater
from bot.retrieval.query_encoder import QueryEncoder
from bot.retrieval.scoped import TimePolicy
from bot.retrieval.spelling import Speller
from bot.settings import Settings
from bot.state import StateStore
from ingest.embedder import Embedder, RequestedBackend
from ingest.fetch import FetchLimits
from ingest.pipeline import Ingestor, PassageEncoder
from ingest.store import LazyChromaClient, PassageStore, open_chroma_client

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from bot.answering.extractive import ExtractiveAnswerer
    from bot.answering.timeline import TimelineBuilder
    from bot.retrieval.hybrid import HybridRetriever

# One query encoder (and its onnxruntime session) per loaded model, however many engines.
_ENCODERS: weakref.WeakKeyDictionary[Embedder, QueryEncoder] = weakref.WeakKeyDictionary()


def open_store(settings: Settings, *, lazy: bool = True) -> PassageStore:
    """Return the passage store.

    Args:
        settings: where the store lives (data dir or Chroma server) and its timeout.
        lazy: connect on first use and retry until the store answers (a service must start
            while its Chroma server is down); False connects now (the CLI reports at once).

    Raises:
        StoreUnavailableError: with `lazy=False`, the store cannot be reached.
    """
    url, timeout = settings.chroma_url, settings.chroma_timeout_s
    if lazy:
        client: object = LazyChromaClient(settings.data_dir, url, timeout)
    else:
        client = open_chroma_client(settings.data_dir, url, timeout)
    return PassageStore(client, settings.collection_prefix, search_ef=settings.dense_search_ef)


def build_embedder(settings: Settings) -> Embedder:
    """Load the configured embedding model (for batches: passages and sentences)."""
    return Embedder(
        settings.embedding_model,
        batch_size=settings.embed_batch_size,
        backend=settings.embed_backend,
        cache_dir=settings.model_cache_dir,
    )


def query_encoder(settings: Settings, embedder: Embedder | QueryEncoder) -> QueryEncoder:
    """Return the question encoder of `embedder` on the configured backend (one per model)."""
    if isinstance(embedder, QueryEncoder):
        return embedder
    found = _ENCODERS.get(embedder)
    if found is None or found.requested_backend != settings.query_backend:
        found = QueryEncoder(embedder, settings.query_backend, settings.model_cache_dir)
        _ENCODERS[embedder] = found
    return found


@functools.lru_cache(maxsize=2)
def _shared_embedder(
    model: str, batch_size: int, backend: RequestedBackend, cache_dir: Path
) -> Embedder:
    """Load a model once per process (tests run many CLI commands in one process)."""
    return Embedder(model, batch_size=batch_size, backend=backend, cache_dir=cache_dir)


class LazyEmbedder:
    """Load the model on first use, so an ingest with nothing new to embed never loads it."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._embedder: Embedder | None = None

    def _model(self) -> Embedder:
        if self._embedder is None:
            settings = self._settings
            self._embedder = _shared_embedder(
                settings.embedding_model,
                settings.embed_batch_size,
                settings.embed_backend,
                settings.model_cache_dir,
            )
        return self._embedder

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        """Count model tokens in each text."""
        return self._model().count_tokens(texts)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        """Embed texts as a (n, dim) array."""
        return self._model().embed_passages(texts)


def build_ingestor(settings: Settings, store: PassageStore, encoder: PassageEncoder) -> Ingestor:
    """Build the ingest pipeline with the configured passage size."""
    from ingest.chunker import Chunker

    chunker = Chunker(encoder.count_tokens, settings.chunk_tokens, settings.chunk_overlap_tokens)
    # A few model batches per store write: long enough for the model's length sorting to
    # pay off, short enough that a killed run loses little work.
    return Ingestor(store, encoder, chunker, batch_passages=settings.embed_batch_size * 8)


def fetch_limits(settings: Settings) -> FetchLimits:
    """Return the limits of one URL fetch during ingest (size cap, total deadline)."""
    return FetchLimits(
        max_bytes=settings.url_fetch_max_bytes, deadline_s=settings.url_fetch_deadline_s
    )


def build_retriever(
    settings: Settings, store: PassageStore, embedder: Embedder | QueryEncoder
) -> HybridRetriever:
    """Build the hybrid retriever; its BM25 cache lives under the data dir."""
    from bot.retrieval.expansion import load_vocabulary
    from bot.retrieval.hybrid import FusionWeights, HybridRetriever
    from bot.retrieval.lexical_index import LexicalIndex

    lexical = LexicalIndex(store, settings.data_dir / "bm25" / f"{settings.collection_prefix}.npz")
    weights = FusionWeights(
        settings.retrieval_dense_weight,
        settings.retrieval_passage_weight,
        settings.retrieval_article_weight,
    )
    questions = query_encoder(settings, embedder)
    vocabulary = load_vocabulary(settings.vocabulary_path) if settings.vocabulary else None
    exact = None
    if settings.dense_exact_max_passages > 0:
        from bot.retrieval.dense_index import ExactDenseIndex

        exact = ExactDenseIndex(store, settings.dense_exact_max_passages)
    return HybridRetriever(
        store,
        questions,
        lexical,
        weights=weights,
        candidates=settings.retrieval_candidates,
        article_decay=settings.retrieval_article_decay,
        vocabulary=vocabulary,
        exact=exact,
    )


def build_extractive(
    settings: Settings,
    store: PassageStore,
    embedder: Embedder | QueryEncoder,
    retriever: HybridRetriever | None = None,
) -> ExtractiveAnswerer:
    """Build the extractive answerer: it answers (or backs the LLM) and reranks passages."""
    from bot.answering.answerability import AnswerabilityModel
    from bot.answering.extractive import ExtractiveAnswerer

    retriever = retriever or build_retriever(settings, store, embedder)
    return ExtractiveAnswerer(
        query_encoder(settings, embedder),
        AnswerabilityModel.load(
            settings.answerability_path, fallback_threshold=settings.refusal_threshold
        ),
        sentences=store,
        statistics=retriever.lexical,
        vocabulary=retriever.vocabulary,
        undecided_margin=settings.undecided_margin,
    )


def build_answerer(
    settings: Settings,
    store: PassageStore,
    embedder: Embedder | QueryEncoder,
    retriever: HybridRetriever | None = None,
    extractive: ExtractiveAnswerer | None = None,
) -> Answerer:
    """Build the LLM answerer if one is configured (extractive as its fallback), else extractive.

    The extractive answerer weighs question terms with the retriever's BM25 statistics and
    its trade vocabulary (built here when no retriever is given).
    """
    extractive = extractive or build_extractive(settings, store, embedder, retriever)
    if not settings.llm_enabled:
        return extractive
    from bot.answering.llm import LLMAnswerer
    from bot.answering.prompts import PromptLibrary

    return LLMAnswerer(
        build_chat_model(settings),
        PromptLibrary(settings.prompts_dir),
        fallback=extractive,
        timeout_s=settings.llm_timeout_s,
    )


def open_state(settings: Settings) -> StateStore:
    """Open the shared state: conversations, feedback, Slack event ids, rate-limit counts.

    PostgreSQL with `TRADEBOT_DATABASE_URL` (every replica shares it), else SQLite in the data
    dir (the processes of one machine share it). Connections are made lazily: a database that
    is down is no error here; calls raise StateUnavailableError until it answers.
    """
    if settings.database_url is not None:
        from bot.state.postgres import PostgresState  # psycopg only when configured

        return PostgresState(
            settings.database_url.get_secret_value(),
            settings.history_turns,
            timeout_s=settings.database_timeout_s,
            pool_size=settings.database_pool_size,
        )
    from bot.state.sqlite import SqliteState

    return SqliteState(settings.sqlite_path, settings.history_turns, settings.database_timeout_s)


def build_engine(
    settings: Settings,
    store: PassageStore,
    embedder: Embedder | QueryEncoder,
    conversations: StateStore | None = None,
    observer: AnswerObserver | None = None,
    today: Callable[[], date] | None = None,
) -> AnswerEngine:
    """Assemble the engine every channel calls: retriever, answerer, conversations.

    `today` is the clock relative times ("last year") are read against (default: the date).
    """
    clock = today or date.today
    retriever = build_retriever(settings, store, embedder)
    extractive = build_extractive(settings, store, embedder, retriever)
    return AnswerEngine(
        retriever,
        build_answerer(settings, store, embedder, retriever, extractive),
        conversations or open_state(settings),
        settings.history_turns,
        observer,
        time_policy=time_policy(settings),
        related_min_score=settings.related_min_score,
        today=clock,
        timelines=build_timelines(settings, store, embedder, retriever, clock),
        timeline_events=settings.timeline_chat_events,
        speller=build_speller(settings, retriever),
        events=EventDater(retriever, retriever.lexical) if settings.event_times else None,
        ranker=extractive if settings.rerank_weight > 0 else None,
        rerank=Rerank(
            settings.rerank_depth,
            settings.rerank_weight,
            settings.retrieval_article_decay,
            articles=settings.rerank_read_articles,
        ),
    )


def build_speller(settings: Settings, retriever: HybridRetriever) -> Speller | None:
    """Build the query-side speller over the index's terms (None when turned off)."""
    if not settings.spelling:
        return None
    vocabulary = retriever.vocabulary
    return Speller(
        retriever.lexical.known_stems,
        vocabulary.knows if vocabulary else lambda word: False,
        written_as=retriever.lexical.written_as,
        begins=retriever.lexical.begins,
        writes=retriever.lexical.writes,
    )


def build_timelines(
    settings: Settings,
    store: PassageStore,
    embedder: Embedder | QueryEncoder,
    retriever: HybridRetriever,
    today: Callable[[], date],
) -> TimelineBuilder:
    """Build the timeline builder: the same retrieval and sentence evidence as chat answers."""
    from bot.answering.extractive import ExtractiveAnswerer
    from bot.answering.timeline import TimelineBuilder

    scorer = ExtractiveAnswerer(
        query_encoder(settings, embedder), settings.refusal_threshold, sentences=store
    )
    return TimelineBuilder(
        retriever, scorer.score_sentences, settings.refusal_threshold, time_policy(settings), today
    )


def time_policy(settings: Settings) -> TimePolicy:
    """How a question's time shapes retrieval and refusals."""
    return TimePolicy(
        settings.time_window_slack_days,
        settings.future_grace_days,
        settings.latest_depth,
        settings.time_later_mention_weight,
        settings.time_nearest_half_life_days,
        settings.latest_since_depth,
    )


def build_chat_model(settings: Settings) -> BaseChatModel:
    """Build the configured chat model: Ollama, or any OpenAI-compatible server.

    Raises:
        ValueError: the OpenAI-compatible provider is chosen but no base URL is set.
    """
    if settings.llm_provider == "ollama":
        from langchain_ollama import ChatOllama

        return ChatOllama(
            base_url=settings.llm_base_url,
            model=settings.llm_model,
            temperature=settings.llm_temperature,
            num_predict=settings.llm_max_tokens,
            client_kwargs={"timeout": settings.llm_timeout_s},
        )
    if not settings.llm_base_url:
        raise ValueError("TRADEBOT_LLM_BASE_URL is required for an OpenAI-compatible LLM")
    from langchain_openai import ChatOpenAI

    return ChatOpenAI(
        base_url=settings.llm_base_url,
        api_key=settings.llm_api_key or SecretStr("not-needed"),
        model=settings.llm_model,
        temperature=settings.llm_temperature,
        timeout=settings.llm_timeout_s,
        max_retries=0,  # a retry would double the wait before the fallback answers
        use_responses_api=False,  # llama.cpp, vLLM and friends speak Chat Completions only
        # ChatOpenAI renames `max_tokens` to `max_completion_tokens`, which llama.cpp ignores;
        # extra_body goes into the request JSON untouched.
        extra_body={"max_tokens": settings.llm_max_tokens},
    )
