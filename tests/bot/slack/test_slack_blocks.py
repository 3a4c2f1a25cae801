"""Block Kit rendering of answers: escaping, linked citations, refusals, Slack's size limits."""

from __future__ import annotations

from typing import Any

from bot.models import Answer, Citation, RelatedArticle
from bot.slack.blocks import (
    FEEDBACK_DOWN_ACTION,
    FEEDBACK_UP_ACTION,
    NO_SOURCES_NOTE,
    RELATED_HEADING,
    SECTION_TEXT_LIMIT,
    answer_reply,
    escape_mrkdwn,
    feedback_rating,
    link,
)


def _citation(n: int, **overrides: Any) -> Citation:
    fields: dict[str, Any] = {
        "n": n,
        "doc_id": f"doc-{n}",
        "chunk_id": f"doc-{n}::v::00000",
        "title": f"Article {n}",
        "source": "Trade Wire",
        "url": f"https://news.example.com/{n}",
        "published_at": "2025-04-04",
        "quote": f"Quote number {n}.",
        "start": 0,
        "end": 10,
        "score": 0.8,
    }
    return Citation(**(fields | overrides))


def _texts(blocks: list[dict[str, Any]], kind: str) -> list[str]:
    if kind == "section":
        return [b["text"]["text"] for b in blocks if b["type"] == "section"]
    return [e["text"] for b in blocks if b["type"] == kind for e in b.get("elements", [])]


def test_escape_mrkdwn_escapes_the_three_control_characters_and_keeps_markers() -> None:
    assert escape_mrkdwn("a < b & c > d [1]") == "a &lt; b &amp; c &gt; d [1]"
    assert escape_mrkdwn("<!channel> <@U1>") == "&lt;!channel&gt; &lt;@U1&gt;"


def test_link_escapes_title_and_url_and_refuses_non_web_urls() -> None:
    assert link("https://x.test/a?b=1&c=2", "Duties & <quotas>") == (
        "<https://x.test/a?b=1&amp;c=2|Duties &amp; &lt;quotas&gt;>"
    )
    assert link("https://x.test/a|b", "T") == "<https://x.test/a%7Cb|T>"
    assert link("javascript:alert(1)", "T <x>") == "T &lt;x&gt;"
    assert link(None, "Plain") == "Plain"


def test_grounded_answer_has_text_citation_contexts_and_feedback_buttons() -> None:
    answer = Answer(
        answer="Beijing added seven elements [1]. Licences are needed [2].",
        citations=[_citation(1), _citation(2, url=None, page=3)],
        grounded=True,
        conversation_id="slack:C1:1.2",
    )
    reply = answer_reply(answer, feedback_value="slack:C1:1.2")

    assert _texts(reply.blocks, "section") == [answer.answer]
    contexts = _texts(reply.blocks, "context")
    assert contexts[0] == (
        "*[1]* <https://news.example.com/1|Article 1> · Trade Wire · 2025-04-04\n“Quote number 1.”"
    )
    assert contexts[1].startswith("*[2]* Article 2 · Trade Wire · 2025-04-04 · p. 3\n")
    actions = [b for b in reply.blocks if b["type"] == "actions"]
    assert [e["action_id"] for e in actions[0]["elements"]] == [
        FEEDBACK_UP_ACTION,
        FEEDBACK_DOWN_ACTION,
    ]
    assert {e["value"] for e in actions[0]["elements"]} == {"slack:C1:1.2"}
    assert reply.text == answer.answer
    assert NO_SOURCES_NOTE not in contexts


def test_refusal_says_so_and_lists_no_sources() -> None:
    answer = Answer(answer="The articles I have do not cover this question.", grounded=False)
    reply = answer_reply(answer, feedback_value="c1")
    assert _texts(reply.blocks, "section") == [answer.answer]
    assert _texts(reply.blocks, "context") == [NO_SOURCES_NOTE]
    assert not [b for b in reply.blocks if b["type"] == "divider"]


def test_refusal_lists_related_articles_under_the_note_never_as_sources() -> None:
    related = [
        RelatedArticle(
            doc_id="a", title="Steel & aluminum", published_at="2025-02-11", url="https://x.test/a"
        ),
        RelatedArticle(doc_id="b", title="Undated <memo>"),
    ]
    answer = Answer(
        answer="The newest article I have is from 2026-08-18; ...", grounded=False, related=related
    )
    contexts = _texts(answer_reply(answer, feedback_value="c1").blocks, "context")
    assert contexts == [
        NO_SOURCES_NOTE,
        f"{RELATED_HEADING}\n• <https://x.test/a|Steel &amp; aluminum> · 2025-02-11\n"
        "• Undated &lt;memo&gt;",
    ]
    grounded = Answer(answer="A [1]", citations=[_citation(1)], grounded=True, related=related)
    assert RELATED_HEADING not in " ".join(_texts(answer_reply(grounded, "c").blocks, "context"))


def test_markup_in_answer_and_quotes_is_escaped() -> None:
    answer = Answer(
        answer="Importers pay 25% <!channel> & <script>x</script> [1].",
        citations=[_citation(1, title="Steel <b>&</b>", quote="Quota <@U1> > cap")],
        grounded=True,
    )
    reply = answer_reply(answer, feedback_value="c")
    rendered = " ".join(_texts(reply.blocks, "section") + _texts(reply.blocks, "context"))
    escaped = "Importers pay 25% &lt;!channel&gt; &amp; &lt;script&gt;x&lt;/script&gt; [1]."
    assert escaped in rendered
    assert "|Steel &lt;b&gt;&amp;&lt;/b&gt;>" in rendered
    assert "“Quota &lt;@U1&gt; &gt; cap”" in rendered
    assert "<!channel>" not in rendered and "<@U1>" not in rendered
    assert reply.text == escaped  # the notification fallback too


def test_long_answer_is_split_into_sections_under_slacks_limit() -> None:
    sentence = "Tariffs & duties rose again [1]. "
    answer = Answer(answer=sentence * 400, citations=[_citation(1)], grounded=True)
    sections = _texts(answer_reply(answer, feedback_value="c").blocks, "section")
    assert len(sections) > 1
    assert all(len(text) <= SECTION_TEXT_LIMIT for text in sections)
    # No cut lands inside an entity such as &amp;.
    assert all(text.count("&") == text.count("&amp;") for text in sections)
    assert "".join(sections).replace(" ", "") == escape_mrkdwn(answer.answer).replace(" ", "")


def test_long_quote_is_shortened_with_an_ellipsis() -> None:
    answer = Answer(answer="x [1]", citations=[_citation(1, quote="word " * 2000)], grounded=True)
    context = _texts(answer_reply(answer, feedback_value="c").blocks, "context")[0]
    assert len(context) < 3000
    assert context.endswith("…”")


def test_notice_is_shown_as_context() -> None:
    answer = Answer(answer="A [1]", citations=[_citation(1)], grounded=True, notice="LLM down")
    assert ":information_source: LLM down" in _texts(answer_reply(answer, "c").blocks, "context")


def test_feedback_rating_reads_our_action_ids_only() -> None:
    assert feedback_rating(FEEDBACK_UP_ACTION) == "up"
    assert feedback_rating(FEEDBACK_DOWN_ACTION) == "down"
    assert feedback_rating("someone_else_up") is None
