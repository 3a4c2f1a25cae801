"""The passage index searches deep enough to find the exact nearest passages.

Chroma's HNSW index is approximate: with its default depth (ef_search 100) a question missed
some of its 48 nearest passages, and not the same ones in another process. Random vectors are
the index's hardest case, so they show the difference at a few thousand passages.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np

from bot.settings import Settings
from bot.wiring import open_store
from ingest.store import PassageStore, open_chroma_client

PASSAGES, DIMENSIONS, DEPTH = 3000, 384, 48

# Another process fills a store the way an older tradebot left it: Chroma's default depth.
_OLD_STORE = """
import sys
import numpy as np
from bot.settings import Settings
from bot.wiring import open_store
from tests.ingest.test_store_search_depth import fill
fill(open_store(Settings(data_dir=sys.argv[1], dense_search_ef=100)))
"""


def _unit(rows: int, seed: int) -> np.ndarray:
    vectors = np.random.default_rng(seed).standard_normal((rows, DIMENSIONS)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def fill(store: PassageStore) -> np.ndarray:
    """Add PASSAGES random unit vectors to the store's passage index; return them."""
    vectors = _unit(PASSAGES, 0)
    for start in range(0, PASSAGES, 1000):
        ids = [f"p{i}" for i in range(start, start + 1000)]
        store.passages.add(ids=ids, embeddings=vectors[start : start + 1000])
    return vectors


def _missed(store: PassageStore, vectors: np.ndarray) -> int:
    """Count the true 48 nearest neighbours of 10 queries the passage search did not return."""
    missed = 0
    for query in _unit(10, 1):
        got = store.passages.query(query_embeddings=[query], n_results=DEPTH, include=[])
        exact = {f"p{i}" for i in np.argsort(-(vectors @ query))[:DEPTH]}
        missed += len(exact - set(got["ids"][0]))
    return missed


def test_a_new_store_finds_the_exact_nearest_passages(tmp_path: Path) -> None:
    store = open_store(Settings(data_dir=tmp_path / "data"))
    assert _missed(store, fill(store)) == 0
    shallow = open_store(Settings(data_dir=tmp_path / "shallow", dense_search_ef=100))
    assert _missed(shallow, fill(shallow)) > 0, "Chroma's default depth is approximate"


def test_an_older_store_searches_deep_once_opened(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    root = Path(__file__).resolve().parents[2]
    subprocess.run([sys.executable, "-c", _OLD_STORE, str(data_dir)], cwd=root, check=True)
    settings = Settings(data_dir=data_dir)
    assert _missed(open_store(settings), _unit(PASSAGES, 0)) == 0
    # The depth is kept by the collection: a store opened without the setting reads it.
    plain = PassageStore(open_chroma_client(data_dir, None), settings.collection_prefix)
    assert plain.passages.configuration["hnsw"]["ef_search"] == settings.dense_search_ef
