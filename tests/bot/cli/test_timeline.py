"""`tradebot timeline`, invoked as a user would, over steel-tariff articles from 2019 to 2025."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from bot.cli.main import build_cli
from bot.settings import Settings
from tests.support.dated_articles import NEWEST, STEEL_ARTICLES, UNDATED_STEEL_NOTE
from tests.support.fixtures import SeedArticles


@pytest.fixture
def ingested(seed_articles: SeedArticles) -> Settings:
    """The environment's data dir, holding the steel articles and an undated note."""
    return seed_articles([*STEEL_ARTICLES, UNDATED_STEEL_NOTE])


def test_timeline_prints_dated_events_oldest_first_then_undated_and_as_of(
    ingested: Settings,
) -> None:
    result = CliRunner().invoke(build_cli(), ["timeline", "Section 232 steel tariffs"])

    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    dated = [line[:10] for line in lines if line[:4].isdigit()]
    assert dated == sorted(dated) and dated[0] == "2019-05-17" and dated[-1] == NEWEST
    assert "US lifts steel tariffs on Canada and Mexico" in result.stdout
    assert lines.index("Undated:") > max(i for i, line in enumerate(lines) if line[:4].isdigit())
    assert lines[-1] == f"As of {NEWEST}."


def test_timeline_json_honours_since_until_and_limit(ingested: Settings) -> None:
    args = ["timeline", "Section 232 steel tariffs", "--json", "--since", "2021-01-01"]
    result = CliRunner().invoke(build_cli(), [*args, "--until", "2025-12-31", "--limit", "2"])

    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    assert len(found["events"]) == 2
    assert all("2021-01-01" <= e["date"] <= "2025-12-31" for e in found["events"])
    assert found["as_of"] == found["events"][-1]["date"]


@pytest.mark.parametrize(
    "extra",
    [
        ["--since", "2025-13-01"],
        ["--since", "2025-01-01", "--until", "2024-01-01"],
        ["--limit", "0"],
    ],
)
def test_bad_dates_and_limits_exit_2_with_a_message(ingested: Settings, extra: list[str]) -> None:
    result = CliRunner().invoke(build_cli(), ["timeline", "steel", *extra])
    assert result.exit_code == 2
    assert "Invalid value" in result.output
