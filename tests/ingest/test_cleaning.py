"""Cleaning raw article text: repeated lines, headline, whitespace, hard wraps, pages."""

from __future__ import annotations

from ingest.cleaning import clean_pages, clean_text, fallback_title, find_headline

HEADLINE = "US and China Reach Trade Framework Ahead of Presidential Approval"
SEED_LIKE = (
    "Officials from Beijing and Washington convened in London to draft a framework.\n"
    f"{HEADLINE}\n"
    "\n"
    f"{HEADLINE}\n"
    "A potential breakthrough in US-China trade relations as officials agree on plans.\n"
    "Top officials from the United States and China have made strides in improving their "
    "strained trade relations, concluding two days of negotiations in London.  "
)


def test_seed_style_text_keeps_one_headline_line_and_finds_it() -> None:
    cleaned = clean_text(SEED_LIKE)
    assert cleaned.headline == HEADLINE
    assert cleaned.text.count(HEADLINE) == 1
    assert cleaned.text.startswith("Officials from Beijing")
    assert cleaned.text.endswith("negotiations in London.")


def test_summary_sentence_is_not_taken_for_the_headline() -> None:
    text = "Beijing approved more rare earth export licences on Monday.\nLicences Approved\nBody."
    assert clean_text(text).headline == "Licences Approved"


def test_markdown_heading_is_the_headline() -> None:
    assert find_headline(["", "# Steel Tariffs Rise", "", "Body."]) == "Steel Tariffs Rise"


def test_no_title_like_line_gives_no_headline() -> None:
    assert clean_text("Tariffs rose. Exporters complained.\nMore text follows.").headline is None


def test_whitespace_is_normalised() -> None:
    raw = "Tariffs\u00a0rose\t\tsharply.\r\n\r\n\r\n\r\nExporters\u200b  complained.   \n\n"
    assert clean_text(raw).text == "Tariffs rose sharply.\n\nExporters complained."


def test_a_closing_disclaimer_is_dropped_but_a_disclaimer_in_the_body_kept() -> None:
    raw = (
        "Copper is used in wiring and plumbing.\n\n   Disclaimer:  \n These documents were "
        "prepared by the Congressional Research Service (CRS). Any CRS Report may be "
        "reproduced without permission."
    )
    assert clean_text(raw).text == "Copper is used in wiring and plumbing."
    # A heading followed by the body's matter is no closing disclaimer.
    long = "Disclaimer\n" + "The tariff rose to 25 percent in March. " * 100
    assert clean_text(f"Intro.\n\n{long}").text.startswith("Intro.\n\nDisclaimer")
    # Nor is a document that is nothing but one.
    assert clean_text("Disclaimer:\nNot legal advice.").text == "Disclaimer:\nNot legal advice."


def test_repeated_table_rows_and_separators_are_kept() -> None:
    raw = "Rates\n| HTS | Rate |\n| 7208 | 25% |\n| 7208 | 25% |\n***\nMore\n***"
    text = clean_text(raw).text
    assert text.count("| 7208 | 25% |") == 2
    assert text.count("***") == 2


def test_a_clause_repeated_word_for_word_is_kept_where_a_wrap_repeats_a_line() -> None:
    # The formula comes twice and the wrap cuts the same line out of both: dropping the
    # second copy cut a sentence's middle out ("constitutes an foreign policy of ...").
    raw = (
        "I find that the policies of the Government of Cuba constitute an\n"
        "unusual and extraordinary threat, which has its source in whole or\n"
        "substantial part outside the United States, to the national security.\n"
        "\n"
        "NOW, THEREFORE, I find that the situation with respect to Cuba constitutes an\n"
        "unusual and extraordinary threat, which has its source in whole or\n"
        "substantial part outside the United States, to the national security and\n"
        "foreign policy of the United States and hereby declare a national emergency.\n"
    )
    text = clean_text(raw).text
    assert text.count("unusual and extraordinary threat") == 2
    assert "Cuba constitutes an unusual and extraordinary threat, which" in text


def test_a_statement_repeated_in_two_sections_is_kept() -> None:
    clause = "(b) The Secretary of Commerce shall monitor imports and report to the President."
    raw = f"Sec. 3. Aerospace.\n{clause}\nSec. 4. Automobiles.\n{clause}"
    assert clean_text(raw).text.count(clause) == 2


def test_hard_wrapped_paragraphs_are_joined_but_bullets_and_tables_kept() -> None:
    sentence = "the duties apply to steel and aluminum imports from all trading partners"
    words = sentence.split()
    lines, line = [], ""
    for word in words * 4:
        if len(line) + 1 + len(word) > 60:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    raw = "\n".join([*lines, "", "- first bullet item", "- second bullet item", "| a | b |"])
    text = clean_text(raw).text
    paragraph, rest = text.split("\n\n")
    assert paragraph == " ".join(words * 4)
    assert rest == "- first bullet item\n- second bullet item\n| a | b |"


def test_short_lines_in_unwrapped_text_are_not_joined() -> None:
    raw = "Section 1\nPurpose.\nThe order imposes duties on imports of steel products today."
    assert clean_text(raw).text == raw


def test_pages_map_offsets_and_drop_running_headers() -> None:
    pages = [
        "Trade Monitor Weekly\nRare earth licences were approved.",
        "Trade Monitor Weekly\nSteel duties rose to fifty percent.",
    ]
    cleaned = clean_pages(pages)
    assert cleaned.text.count("Trade Monitor Weekly") == 1
    assert len(cleaned.pages) == 2
    (s1, e1, p1), (s2, e2, p2) = cleaned.pages
    assert (p1, p2) == (1, 2)
    assert cleaned.text[s1:e1].endswith("Rare earth licences were approved.")
    assert cleaned.text[s2:e2] == "Steel duties rose to fifty percent."


def test_fallback_title_cuts_long_first_line_at_a_word() -> None:
    title = fallback_title("word " * 60)
    assert title.endswith("…")
    assert len(title) <= 101
    assert fallback_title("Short line\nmore") == "Short line"
