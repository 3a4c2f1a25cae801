"""The one term analyzer: identifiers as exact terms, stems, stopwords, anaphora."""

from __future__ import annotations

import re

import pytest

from bot.terms import (
    Analyzer,
    content_terms,
    has_anaphora,
    identifier_terms,
    lower_words,
    with_referent,
)


@pytest.mark.parametrize(
    ("variant", "term"),
    [
        ("Executive Order 14257", "eo14257"),
        ("E.O. 14257", "eo14257"),
        ("EO 14257", "eo14257"),
        ("Executive Order No. 14257", "eo14257"),
        ("Proclamation 10896", "proc10896"),
        ("Section 232", "sec232"),
        ("Sec. 301", "sec301"),
        ("§ 232", "sec232"),
        ("90 FR 15625", "90fr15625"),
        ("91 Fed. Reg. 12884", "91fr12884"),
        ("91 *Fed*. *Reg*. 12884", "91fr12884"),  # as Markdown writes it
        ("Pub. L. 115-232", "pl115-232"),
        ("Public Law 115-232", "pl115-232"),
        ("HTS 9903.01.63", "9903.01.63"),
        ("WT/DS597", "ds597"),
        ("DS 597", "ds597"),
    ],
)
def test_identifier_variants_become_one_exact_term(variant: str, term: str) -> None:
    assert term in identifier_terms(f"See {variant}.")
    assert term in Analyzer().tokens(f"See {variant} for details")
    assert term in content_terms(f"What does {variant} do?")


def test_a_dotted_tariff_line_is_one_token_besides_its_parts() -> None:
    tokens = Analyzer().tokens("heading 9903.01.63 of the HTSUS")
    assert "9903.01.63" in tokens
    assert "9903" in tokens  # the heading alone still matches "HTS 9903"
    assert "9903.01.64" not in tokens


def test_plain_numbers_and_words_are_not_identifiers() -> None:
    assert identifier_terms("Tariffs rose 25 percent in 2025 under section two.") == []


@pytest.mark.parametrize(
    "text", ["people aged 18-45", "rates of 10-15%", "the 2024-2025 season", "1–2 percent"]
)
def test_a_range_of_numbers_is_no_identifier_but_its_numbers_are_terms(text: str) -> None:
    # "the leading cause of death for 18-45 year olds" names no document no article mentions.
    assert identifier_terms(text) == []
    numbers = [n for n in re.split(r"[^\d]+", text) if n]
    assert set(numbers) <= content_terms(text)


def test_a_hyphenated_document_number_stays_an_identifier() -> None:
    assert identifier_terms("FR Doc. 2025-00711 and case 2022-11884") == [
        "2025-00711",
        "2022-11884",
    ]


def test_content_terms_stem_and_keep_capitalised_abbreviations() -> None:
    assert content_terms("What did the articles say about the tariffs?") == {"tariff"}
    assert "us" in content_terms("What did the U.S. decide?")
    assert "us" not in content_terms("tell us more")


def test_british_and_american_spellings_are_one_term() -> None:
    assert content_terms("the Labour licence programme for defence centres") == content_terms(
        "the Labor license program for defense centers"
    )
    assert Analyzer().tokens("aluminium utilisation") == Analyzer().tokens("aluminum utilization")


def test_a_latin_noun_is_one_term_with_its_verb() -> None:
    assert content_terms("submissions on the suspension and the exclusions decision") == (
        content_terms("submit on the suspended and the excluded decided")
    )
    assert Analyzer().tokens("evasion") == Analyzer().tokens("evading")
    assert content_terms("wooden products") == content_terms("wood products")
    # A body is not a pledge, nor a clause something provided.
    assert content_terms("the Commission") != content_terms("the commitments")
    assert content_terms("which provision") != content_terms("which provides")


def test_a_rate_is_one_term_however_its_percent_is_written() -> None:
    written = ("a 25% tariff", "a 25 % tariff", "a 25 percent tariff", "a 25 per cent tariff")
    assert {content_terms(text) for text in written} == {frozenset({"25", "percent", "tariff"})}
    assert {tuple(Analyzer().tokens(text)) for text in written} == {("25", "percent", "tariff")}
    assert "percent" not in content_terms("100 cents per dollar")


def test_a_prefix_joined_by_a_hyphen_is_one_word_with_it() -> None:
    for hyphenated, joined in [
        ("anti-dumping duties", "antidumping duties"),
        ("Anti-Dumping Duties", "antidumping duties"),
        ("e-commerce", "ecommerce"),
        ("non-market economy", "nonmarket economy"),
        ("counter-measures", "countermeasures"),
    ]:
        assert content_terms(hyphenated) == content_terms(joined)
        assert Analyzer().tokens(hyphenated) == Analyzer().tokens(joined)
    # An acronym after the prefix stays a term of its own.
    assert {"non", "usmca"} <= content_terms("non-USMCA goods")
    assert "usmca" in Analyzer().tokens("non-USMCA goods")


def test_contractions_typed_without_the_apostrophe_are_framing_words() -> None:
    assert content_terms("whats IEEPA") == content_terms("what is IEEPA") == {"ieepa"}
    assert content_terms("why doesnt the cap cover pharma") == {"cap", "cover", "pharma"}
    chatty = content_terms("hey bot, pls what's the tariff on goods thru Vietnam? thx")
    assert chatty == content_terms("what's the tariff on goods through Vietnam?")


def test_a_framing_verb_is_framing_in_any_form() -> None:
    # "if China gets hit with it": "gets" asks nothing, as "get" does not.
    assert (
        content_terms("if China gets hit")
        == content_terms("if China get hit")
        == {
            "china",
            "hit",
        }
    )
    assert content_terms("what it means, what the order explains") == {"order"}


def test_a_stopword_in_capitals_is_emphasis_not_a_name() -> None:
    assert content_terms("goods NOT subject to ALL the tariffs") == {"good", "subject", "tariff"}
    assert {"us", "it"} <= content_terms("US and IT firms")  # short capitals are names


def test_anaphora_words_mark_a_follow_up() -> None:
    assert has_anaphora(lower_words("How long does that suspension last?"))
    assert not has_anaphora(lower_words("How long does the Morocco suspension last?"))
    assert has_anaphora(lower_words("and after the Feb 2026 deal?"))  # it continues
    assert has_anaphora(lower_words("What about buses and coaches from Mexico?"))
    # A thing named only by its kind is the one the turn before was about ...
    assert has_anaphora(lower_words("when does the deal take effect?"))
    assert has_anaphora(lower_words("what's the HTS code?"))
    # ... unless the question says which.
    assert not has_anaphora(lower_words("when does the Japan deal take effect?"))
    assert not has_anaphora(lower_words("what's the rate on Japanese cars?"))
    assert not has_anaphora(lower_words("Andorra and Monaco: any tariff deals?"))


@pytest.mark.parametrize(
    ("question", "previous", "read_as"),
    [
        (
            "how long can it last?",
            "What is the Section 122 surcharge?",
            "how long can Section 122 surcharge last?",
        ),
        ("why did he do it?", "What tariff did Trump put on Brazil?", None),
        ("and for steel?", "What is the tariff on aluminum?", "and for steel?"),
    ],
)
def test_a_follow_ups_first_pronoun_stands_for_the_previous_topic(
    question: str, previous: str, read_as: str | None
) -> None:
    read = with_referent(question, previous)
    if read_as is not None:
        assert read == read_as
    else:
        assert "Trump" in read and "Brazil" in read and read.count("Trump") == 1
