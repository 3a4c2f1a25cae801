"""/v1/documents: list, read, add (through the ingest pipeline) and delete articles."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Response, status
from pydantic import BaseModel, Field

from bot.api.deps import IngestorDep, StoreDep
from bot.api.errors import ERROR_RESPONSES, ApiError
from bot.api.schemas import ArticleIn
from ingest.models import StoredArticle

router = APIRouter(prefix="/v1", tags=["documents"], responses=ERROR_RESPONSES)

DocId = Annotated[str, Path(min_length=1, max_length=512, description="The article's doc_id")]
IngestStatus = Literal["added", "updated", "unchanged", "duplicate"]


class DocumentSummary(BaseModel):
    """An article as listed: metadata, no text."""

    doc_id: str
    title: str
    source: str | None = None
    url: str | None = None
    published_at: str | None = None
    passages: int


class Document(DocumentSummary):
    """An article with its full stored text (quotes are offsets into `text`)."""

    text: str
    metadata: dict[str, Any] = Field(default_factory=dict)


class DocumentList(BaseModel):
    """One page of stored articles, ordered by doc_id."""

    total: int
    documents: list[DocumentSummary]


class IngestResult(BaseModel):
    """What the ingest pipeline did with a posted article."""

    doc_id: str | None
    status: IngestStatus
    report: dict[str, Any]


class Deleted(BaseModel):
    """Confirmation that an article and its passages are gone."""

    doc_id: str
    deleted: bool = True


def _summary(article: StoredArticle) -> DocumentSummary:
    return DocumentSummary(
        doc_id=article.doc_id,
        title=article.title,
        source=article.source,
        url=article.url,
        published_at=article.published_at,
        passages=article.passages,
    )


@router.get("/documents", response_model=DocumentList, summary="List stored articles")
def list_documents(
    store: StoreDep,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> DocumentList:
    """List stored articles, one page at a time."""
    articles = store.list_articles()
    page = articles[offset : offset + limit]
    return DocumentList(total=len(articles), documents=[_summary(a) for a in page])


@router.get("/documents/{doc_id:path}", response_model=Document, summary="Read one article")
def get_document(doc_id: DocId, store: StoreDep) -> Document:
    """Return one stored article with its full text."""
    article = store.get_article(doc_id)
    if article is None:
        raise ApiError(404, "document_not_found", f"No document with id {doc_id!r}.")
    return Document(
        **_summary(article).model_dump(), text=article.text, metadata=dict(article.metadata)
    )


@router.post(
    "/documents",
    response_model=IngestResult,
    status_code=status.HTTP_201_CREATED,
    responses={200: {"model": IngestResult, "description": "Already stored (or updated)"}},
    summary="Add or update one article",
)
def add_document(body: ArticleIn, ingestor: IngestorDep, response: Response) -> IngestResult:
    """Ingest one article through the same pipeline as the CLI (201 when new)."""
    from ingest.loaders import article_from_json

    try:
        article = article_from_json(body.model_dump(exclude_none=True))
    except ValueError as exc:
        raise ApiError(422, "invalid_article", str(exc)) from exc
    report = ingestor.ingest_articles([article]).to_json()
    if report.get("failed"):
        reasons = "; ".join(str(e.get("reason", "")) for e in report.get("errors", []))
        raise ApiError(422, "invalid_article", reasons or "The article could not be ingested.")
    outcome = _outcome(report)
    if outcome != "added":
        response.status_code = status.HTTP_200_OK
    return IngestResult(doc_id=article.doc_id, status=outcome, report=report)


@router.delete("/documents/{doc_id:path}", response_model=Deleted, summary="Delete one article")
def delete_document(doc_id: DocId, store: StoreDep) -> Deleted:
    """Delete an article; its passages are never returned again."""
    if store.get_article(doc_id) is None:
        raise ApiError(404, "document_not_found", f"No document with id {doc_id!r}.")
    store.delete_article(doc_id)
    return Deleted(doc_id=doc_id)


def _outcome(report: dict[str, Any]) -> IngestStatus:
    if report.get("added"):
        return "added"
    if report.get("updated"):
        return "updated"
    if report.get("duplicates"):
        return "duplicate"
    return "unchanged"
