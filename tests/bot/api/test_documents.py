"""/v1/documents and /v1/search: read, add through the pipeline, delete for good."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

ErrorOf = Callable[..., dict[str, Any]]

NEW_ARTICLE = {
    "id": "korea-steel-quota",
    "title": "South Korea accepts a steel export quota",
    "text": (
        "South Korea agreed to cap its steel exports to the United States at 70 percent of "
        "recent volumes in exchange for an exemption from the steel tariffs. Seoul's trade "
        "minister said the quota protects jobs at Korean mills."
    ),
    "published_at": "2018-03-28",
    "source": "Harbour Times",
}


def test_list_and_read_documents(client: TestClient) -> None:
    listing = client.get("/v1/documents").json()
    assert listing["total"] == 3
    ids = [d["doc_id"] for d in listing["documents"]]
    assert ids == sorted(ids) and "london-framework" in ids
    assert all(d["passages"] >= 1 and "text" not in d for d in listing["documents"])
    page = client.get("/v1/documents", params={"limit": 1, "offset": 1}).json()
    assert [d["doc_id"] for d in page["documents"]] == ids[1:2]
    doc = client.get("/v1/documents/london-framework").json()
    assert doc["title"].startswith("US and China Reach Trade Framework")
    assert doc["published_at"] == "2025-06-11" and doc["source"] == "Harbour Times"
    assert doc["url"] == "https://news.example/london-framework"
    assert "Howard Lutnick" in doc["text"]


def test_search_returns_ranked_passages_that_are_article_slices(client: TestClient) -> None:
    found = client.get("/v1/search", params={"q": "gallium germanium licence", "k": 2}).json()
    results = found["results"]
    assert found["query"] == "gallium germanium licence"
    assert 1 <= len(results) <= 2 and [r["rank"] for r in results] == [1, 2][: len(results)]
    assert results[0]["doc_id"] == "gallium-licences"
    assert [r["score"] for r in results] == sorted((r["score"] for r in results), reverse=True)
    for hit in results:
        text = client.get(f"/v1/documents/{hit['doc_id']}").json()["text"]
        assert text[hit["start"] : hit["end"]] == hit["text"]


def test_search_filters(client: TestClient) -> None:
    params: dict[str, Any] = {"q": "export licence", "sources": ["Pacific Ledger"]}
    results = client.get("/v1/search", params=params).json()["results"]
    assert results and {r["source"] for r in results} == {"Pacific Ledger"}
    params = {"q": "export licence", "published_before": "2023-06-30"}
    results = client.get("/v1/search", params=params).json()["results"]
    assert results and {r["doc_id"] for r in results} == {"japan-chip-controls"}


def test_post_document_ingests_it_then_reports_unchanged(client: TestClient) -> None:
    created = client.post("/v1/documents", json=NEW_ARTICLE)
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["doc_id"] == "korea-steel-quota" and body["status"] == "added"
    assert body["report"]["added"] == 1 and body["report"]["passages_embedded"] >= 1
    again = client.post("/v1/documents", json=NEW_ARTICLE)
    assert again.status_code == 200 and again.json()["status"] == "unchanged"
    answer = client.post("/v1/chat", json={"question": "What steel quota did South Korea accept?"})
    assert answer.json()["citations"][0]["doc_id"] == "korea-steel-quota"


def test_post_document_rejects_bad_articles(client: TestClient, error_of: ErrorOf) -> None:
    error_of(client.post("/v1/documents", json={"title": "no text"}), 422, "invalid_request")
    error_of(client.post("/v1/documents", json={"text": "   "}), 422, "invalid_article")
    bad_date = {**NEW_ARTICLE, "published_at": "next tuesday"}
    error_of(client.post("/v1/documents", json=bad_date), 422, "invalid_article")
    assert client.get("/v1/documents").json()["total"] == 3


def test_deleted_document_is_never_returned_again(client: TestClient, error_of: ErrorOf) -> None:
    question = "When do gallium exporters need a licence?"
    before = client.post("/v1/chat", json={"question": question}).json()
    assert before["citations"][0]["doc_id"] == "gallium-licences"
    deleted = client.delete("/v1/documents/gallium-licences")
    assert deleted.status_code == 200 and deleted.json() == {
        "doc_id": "gallium-licences",
        "deleted": True,
    }
    error_of(client.get("/v1/documents/gallium-licences"), 404, "document_not_found")
    error_of(client.delete("/v1/documents/gallium-licences"), 404, "document_not_found")
    hits = client.get("/v1/search", params={"q": "gallium germanium", "k": 20}).json()["results"]
    assert all(h["doc_id"] != "gallium-licences" for h in hits)
    after = client.post("/v1/chat", json={"question": question}).json()
    assert all(c["doc_id"] != "gallium-licences" for c in after["citations"])
    assert client.get("/v1/documents").json()["total"] == 2
