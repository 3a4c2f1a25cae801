"""Browser tier: the real app under uvicorn, embed pages on two other origins, headless Chromium."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from tests.support.servers import free_port
from tests.support.widget import (
    CHROMIUM,
    CHROMIUM_ARGS,
    SCREENSHOTS,
    Served,
    ingest_articles,
    server_env,
    static_site,
    wait_ready,
    write_sites,
)


@pytest.fixture(scope="session")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """Run the real app under uvicorn with the fixture articles, plus two embedding sites."""
    root = tmp_path_factory.mktemp("widget")
    port, dead_port = free_port(), free_port()
    api, dead_api = f"http://127.0.0.1:{port}", f"http://127.0.0.1:{dead_port}"
    write_sites(root / "site", api, dead_api)
    allowed_server, allowed_site = static_site(root / "site")
    other_server, other_site = static_site(root / "site")
    log_path = root / "uvicorn.log"
    command = [sys.executable, "-m", "uvicorn", "--factory", "bot.api.app:create_app_from_env"]
    command += ["--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command, env=server_env(root / "data", allowed_site), stdout=log, stderr=log
        )
    try:
        wait_ready(process, api, log_path)
        ingest_articles(api)
        yield Served(api, root / "data", allowed_site, other_site, dead_api)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        allowed_server.shutdown()
        other_server.shutdown()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless, driven by Playwright."""
    if not CHROMIUM.exists():
        pytest.fail("install Chromium first: apt-get update && apt-get install -y chromium")
    expect.set_options(timeout=30_000)  # the first answers also build the BM25 index
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh browser context (own sessionStorage) whose page must raise no script errors."""
    context = browser.new_context(viewport={"width": 1100, "height": 800})
    context.set_default_timeout(30_000)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    yield tab
    context.close()
    assert errors == [], f"script errors on the page: {errors}"


@pytest.fixture
def shot(tmp_path: Path) -> Callable[[Page, str], Path]:
    """Save a screenshot (to docs/screenshots too when UPDATE_SCREENSHOTS=1)."""

    def save(tab: Page, name: str) -> Path:
        path = tmp_path / f"{name}.png"
        tab.screenshot(path=str(path))
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        if os.environ.get("UPDATE_SCREENSHOTS") == "1":
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, SCREENSHOTS / path.name)
        return path

    return save


@pytest.fixture
def ask() -> Callable[[Page, str], None]:
    """Open the widget if needed, type a question and press Enter."""

    def send(tab: Page, question: str) -> None:
        launcher = tab.get_by_role("button", name="Open trade chat")
        if launcher.is_visible():
            launcher.click()
        box = tab.get_by_label("Ask a question")
        expect(box).to_be_focused()
        box.fill(question)
        box.press("Enter")

    return send
