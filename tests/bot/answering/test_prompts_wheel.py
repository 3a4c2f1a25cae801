"""The built wheel carries the prompts: LLM mode works from a plain, non-editable install."""

from __future__ import annotations

import json
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
PIP = (sys.executable, "-m", "pip")

# Runs inside the fresh virtualenv: find every shipped prompt and render it.
RENDER_ALL = """
import json, bot
from bot.answering.prompts import PromptLibrary
library = PromptLibrary()
variables = {name: sorted(library.variables(name)) for name in library.names()}
rendered = {
    name: library.render(name, **{v: f"<<{v}>>" for v in names})
    for name, names in variables.items()
}
print(json.dumps({"bot": bot.__file__, "dir": str(library.directory), "rendered": rendered,
                  "variables": variables}))
"""


def _build_wheel(out: Path) -> Path:
    out.mkdir()
    subprocess.run(
        [*PIP, "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out), str(REPO)],
        check=True,
        capture_output=True,
        cwd=out,
    )
    (wheel,) = out.glob("tradebot-*.whl")
    return wheel


def _fresh_venv(root: Path, wheel: Path) -> Path:
    """Install only the wheel; reach third-party packages without this checkout's editable hook."""
    venv.create(root, with_pip=False)
    python = root / "bin" / "python"
    subprocess.run(
        [*PIP, "--python", str(python), "install", "--no-deps", "-q", str(wheel)],
        check=True,
        capture_output=True,
    )
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    # A path added by a .pth file is not scanned for .pth files itself, so the outer
    # environment's editable finder for this checkout is never activated.
    (Path(site) / "outer.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return python


def test_every_prompt_renders_from_an_installed_wheel(tmp_path: Path) -> None:
    wheel = _build_wheel(tmp_path / "dist")
    python = _fresh_venv(tmp_path / "venv", wheel)

    run = subprocess.run(
        [str(python), "-I", "-c", RENDER_ALL],
        check=True,
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    found = json.loads(run.stdout)

    assert found["bot"].startswith(str(tmp_path / "venv"))  # the wheel, not this checkout
    assert found["dir"].startswith(str(tmp_path / "venv"))
    shipped = sorted(p.stem for p in (REPO / "prompts").glob("*.md"))
    assert sorted(found["rendered"]) == shipped
    assert any(found["variables"].values())  # the templates do take variables
    for name, text in found["rendered"].items():
        for variable in found["variables"][name]:
            assert f"<<{variable}>>" in text, (name, variable)
