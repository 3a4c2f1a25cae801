"""Compare two `bench/qa.py` runs item by item: which answers, citations and top hits changed.

    python bench/compare_answers.py BEFORE.json AFTER.json [--out FILE]

Used to check that a change meant to keep answers (a faster embedding backend, say) keeps
them: each item's answer text, cited spans, grounded flag and top-5 search hits are compared,
and the per-kind table of both runs is printed side by side. Writes the differences to --out
(default bench/results/answers_compared.json).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FIELDS = ("answer", "cited", "grounded", "answered_with_evidence")


def differences(before: dict[str, Any], after: dict[str, Any]) -> list[dict[str, Any]]:
    """Return one record per item whose answer, citations or top-5 hits differ."""
    old = {item["id"]: item for item in before["items"]}
    out = []
    for item in after["items"]:
        was = old.get(item["id"])
        if was is None:
            out.append({"id": item["id"], "changed": ["missing before"]})
            continue
        changed = [f for f in FIELDS if was.get(f) != item.get(f)]
        if (was.get("top_hits") or [])[:5] != (item.get("top_hits") or [])[:5]:
            changed.append("top_hits")
        if changed:
            out.append(
                {
                    "id": item["id"],
                    "changed": changed,
                    "before": {f: was.get(f) for f in ("cited", "grounded")},
                    "after": {f: item.get(f) for f in ("cited", "grounded")},
                }
            )
    return out


def main() -> None:
    """Compare, print, save."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    parser.add_argument("--out", type=Path, default=ROOT / "bench/results/answers_compared.json")
    args = parser.parse_args()
    before, after = (json.loads(p.read_text(encoding="utf-8")) for p in (args.before, args.after))
    changed = differences(before, after)
    same_answer = sum("answer" not in c["changed"] and "cited" not in c["changed"] for c in changed)
    result = {
        "before": str(args.before),
        "after": str(args.after),
        "items": len(after["items"]),
        "items_changed": len(changed),
        "answers_or_citations_changed": len(changed) - same_answer,
        "tables": {
            kind: {"before": before["table"].get(kind), "after": row}
            for kind, row in after["table"].items()
        },
        "changed": changed,
    }
    for kind, row in after["table"].items():
        print(f"{kind:18} before {before['table'].get(kind)}\n{'':18} after  {row}")
    for c in changed:
        print(c["id"], ", ".join(c["changed"]))
    print(f"{len(changed)} of {len(after['items'])} items differ")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
