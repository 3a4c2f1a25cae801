"""The kind of answer a question asks for, and whether a sentence holds one.

who -> a person or a body, when -> a date, a season or a condition ("upon completion of"),
how much / what rate -> a number or percent, how long -> a span or its end, which HTS line /
EO / proclamation -> an identifier, which countries -> a country (ISO names, via pycountry),
how many X -> a count of X, what legal authority -> a statute ("section 338", "IEEPA"),
what did <a person> say -> words said ("said", "stated", a quotation), how did <a party>
react -> words said or a response ("retaliated", "in response"), what did the panel rule /
did the court side with -> a ruling ("found", "held", "ruled").
A question of none of these kinds ("what did the deal cover") accepts any sentence.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Literal

import pycountry

from bot.terms import content_terms, english_frequency, identifier_terms, without_identifiers

AnswerType = Literal[
    "number",
    "money",
    "rate",
    "date",
    "past_date",
    "duration",
    "who",
    "organization",
    "identifier",
    "place",
    "location",
    "authority",
    "statement",
    "reaction",
    "ruling",
    "exception",
    "consequence",
    "frequency",
    "definition",
    "any",
]

# Word lists several patterns share.
# Month names as the documents spell them, and as questions shorten them (regex alternations).
MONTHS = r"January|February|March|April|May|June|July|August|September|October|November|December"
MONTH_ABBREVIATIONS = r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
_WEEKDAYS = r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
# A time of day and its zone ("from 9:30 AM to 4:00 PM EST"): when, not who.
_CLOCK = r"AM|PM|EST|EDT|ET|CST|CDT|MST|MDT|PST|PDT|GMT|UTC"
_YEAR = r"\b(?:1[89]|20)\d\d\b"
_NUMBER_WORDS = (
    r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|eighteen|twenty|thirty"
    r"|forty|fifty|sixty|ninety|dozen|hundred|thousand|million|billion|trillion"
)
# The words between "which/what" and the noun that names what is asked are no verb: "what
# does the article say" asks no article number, "what happened to the tariff" no rate.
_AUXILIARIES = r"does|did|do|is|was|are|were|has|have|had"
_WANTS_IDENTIFIER = re.compile(
    rf"\b(?:which|what)\s+(?:(?!(?:{_AUXILIARIES})\b)[\w.'’-]+\s+){{0,5}}?"
    r"(?:hts|htsus|heading|subheading|tariff line|executive\s+order|eo|proclamation|procl?"
    r"|docket"
    r"|case number|citation|public law|statute|bill|article|statutory provision"
    r"|section|document symbol|dispute number)\b(?!\s*\d)"  # "what Section 232 rate": named
    # "proclamation # for ...": chat's sign for a number.
    r"|(?:\b(?:number|citation|symbol)|\bno\.|#)\s+(?:of|for)\b"
    # "EO # that launched the copper probe?", "the EO number the Iran order builds on": an
    # order's number, whatever clause says which order.
    r"|\b(?:executive\s+order|eo|proclamation|procl?)\s+(?:number|no\.?|#)"
    r"(?=\s+(?:that|which|the|it|they|used|behind|under)\b)"
    # "what is the HTS heading for ...?", "whats the new heading for ...": the code asked for.
    r"|\bwhat(?:\s+(?:is|was|are|were)|['’]s|s)\s+(?:the\s+)?(?:[\w.'’-]+\s+){0,3}?"
    r"(?:hts(?:us)?(?:\s+(?:code|line|heading|subheading)s?)?|(?:sub)?headings?|tariff lines?"
    r"|eo|executive order|proclamation|docket|public law|document symbol|dispute number)"
    r"(?:\s+(?:number|no\.?|#))?(?=\s+(?:for|of|on|under|that|which|covering|used)\b|\s*[?.!]|\s*$)",
    re.IGNORECASE,
)
# "What's the Jan 2026 executive order on Cuba about?": what the order is about, not its
# number (an "about" ending the clause asks for the matter).
_ASKS_SUBJECT = re.compile(
    r"\bwhat(?:['’]s|s|\s+is|\s+was|\s+are|\s+were)\s[^?;:\u2014\u2013]*?\babout\s*"
    r"(?:[?;:\u2014\u2013]|\s-\s|$)",
    re.IGNORECASE,
)
# The level a measure reached: "what did the tariff go up to?", "what was it cut to in May?",
# "what did the rate go from/to?";
# "what did Trump raise the fentanyl tariff on China to?" (the thing raised in between).
_WANTS_LEVEL = (
    r"\b(?:go|goes|went|gone|rise|rises|rose|risen|climb(?:s|ed)?|jump(?:s|ed)?|increased?"
    r"|raised?|hiked?|bump(?:s|ed)?|cut|drop(?:s|ped)?|fall|falls|fell|fallen|lower(?:s|ed)?"
    r"|reduced?|set|sets)(?:\s+(?:up|down|back))?\s+(?:from\s*(?:/|and|or)\s*)?to(?=\s*(?:[?.!,]|$|(?:in|on|by|after"
    r"|before|from|under|for|when|once)\b))"
    r"|\b(?:raised?|rais(?:es|ing)|hiked?|bump(?:s|ed)?|increased?|cut|lower(?:s|ed)?|reduced?"
    r"|drop(?:s|ped)?)\s+(?:[\w%.-]+\s+){1,6}?to\s*[?.!]*\s*$"
    # "what % tariff did Mexico put on steel?": a percent sign asks for one.
    r"|\bwhat\s*%"
)
_WANTS_NUMBER = re.compile(
    r"\bhow (?:much|many|long|high|large|big|low|steep|dependent|reliant|costly|expensive)\b"
    # "what rate", "what Section 232 tariff rate", "what annual GDP growth target"; not "what
    # happened to the tariff", "what does the order target".
    rf"|\bwhat (?:(?!(?:{_AUXILIARIES}|happened|happens|to|the|a|an|of|for|on|in|about|with)\b)"
    r"[\w-]+ ){0,3}?(?:rate|percent|percentage|share|amount|value"
    r"|level|size|number|duty|volumes?|quantit(?:y|ies)|tonnage"
    r"|tariff|quota|threshold|cap|margins?|limits?|targets?)\b"
    r"|\b(?:to|from) what(?: level| rate)?\W*$"
    # "what is the tariff rate on cars?", "what was the in-quota cap for solar cells?": the
    # measure is the head of what is asked (a preposition, a pause or the end follows it).
    r"|\bwhat(?:\s+(?:is|was|are|were)|['’]?s)\s+(?:the\s+)?(?:[\w-]+\s+){0,3}?(?:rates?"
    r"|percent(?:age)?|share|amount|value|level|duty|duties|tariffs?|quotas?|threshold|cap"
    r"|size|volumes?|quantit(?:y|ies)|tonnage|figures?|totals?|add-?ons?|surcharges?|lev(?:y|ies)"
    r"|ceiling|margins?|limits?)(?=\s+(?:on|for|of|in|under|at|that|from|now|today|after"
    r"|before|when|once)\b|\s*[?.!,;:]|\s*$)"
    r"|" + _WANTS_LEVEL,
    re.IGNORECASE,
)
# A tariff's or a rate's level: a percentage or an amount of money, not any number.
_WANTS_RATE = re.compile(
    r"\b(?:tariffs?|dut(?:y|ies)|rates?|levy|levies|fees?|surcharges?|penalty|taxe?s?"
    r"|add-?ons?)\b[^?]*?" + _WANTS_LEVEL + r"|\bwhat\s*%"
    # "what did imported kitchen cabinets pay?", "what are Swiss watches paying now?", "what
    # did postal parcels from China under $800 owe?"
    r"|\bwhat\s+(?:do|does|did|will|would|are|were|is|was)\s+(?:[\w'’.$,-]+\s+){1,6}?"
    r"(?:pay(?:ing)?\b(?!\s+(?:for|back|off|out)\b)|ow(?:e|es|ed|ing)\b)"
    # "what tariffs did Trump put on Brazil?", "what duties apply to Swiss watches now?": the
    # level of those put on someone; not "what tariffs did the Court strike down?", nor "what
    # tariff lines", "what duty exclusions".
    r"|\bwhat\s+(?:(?:new|extra|additional|higher|retaliatory|reciprocal)\s+)?"
    r"(?:tariffs|duties)\b(?!\s+(?:actions?|measures?|lines?|codes?|schedules?|headings?"
    r"|classifications?|regimes?|programs?|exclusions?|were|are|have|has)\b)"
    r"(?=[^?]*\b(?:impos\w*|put|puts|putting|appl(?:y|ies|ied)|charg\w*|lev(?:y|ies|ied)"
    r"|fac(?:e|es|ed|ing)|pa(?:y|ys|id|ying)|slap\w*|keep|keeps|kept|set|sets)\b)",
    re.IGNORECASE,
)
# "what does 'oil' mean?", "what does the EO mean by timber?", "how does it define timber?",
# "what counts as 'country of most recent cast'?": the answer defines the term, in the words
# orders define theirs ("The term “oil” means ...", "“Country of most recent cast” refers to
# ..."). Not "what does the deal mean for farmers?": that asks what follows from it.
_DEFINED_TERM = (
    re.compile(r"\bmean[st]?\s+by\s+(?P<term>[^?,;:.]+)", re.IGNORECASE),
    re.compile(
        r"\bwhat\s+(?:does|do|did)\s+(?P<term>[^?]+?)\s+(?:really\s+|actually\s+)?mean"
        r"(?=\s*(?:here|there|in\b[^?]*|exactly|legally)?\s*[?.!]*\s*$)",
        re.IGNORECASE,
    ),
    re.compile(r"\bhow\s+(?:is|are|was|were)\s+(?P<term>[^?,;]+?)\s+defined\b", re.IGNORECASE),
    re.compile(r"\bdefin(?:e|es|ed|ing)\s+(?P<term>[^?,;:.]+)", re.IGNORECASE),
    re.compile(r"\bdefinition\s+of\s+(?P<term>[^?,;:.]+)", re.IGNORECASE),
    re.compile(
        r"\b(?:counts?|counted|qualif(?:y|ies|ied))\s+as\s+(?P<term>[^?,;:.]+)", re.IGNORECASE
    ),
    # "does 'oil' mean only crude?"
    re.compile(
        r"(?P<term>[\"“'‘][^\"“”'‘’]{2,60}[\"”'’])\s+(?:really\s+|only\s+|just\s+)?mean\b",
        re.IGNORECASE,
    ),
)
# Where the term asked about stops: the words that follow it ("timber in the order", "'oil'
# under the Cuba order") place it, they are not part of it.
_TERM_END = re.compile(
    r"\s+(?:in|under|for|of the|per|according to|within|as used|here|there|exactly)\b.*$",
    re.IGNORECASE,
)
_QUOTED = re.compile(r"[\"“”'‘’]([^\"“”'‘’]{2,60})[\"“”'‘’]")
# A sentence that defines a term: "The term “oil” means ...", "“Lumber” refers to ...",
# "... is defined as ...", "shall have the meaning ...".
_DEFINING = re.compile(
    r"\b(?:means|mean|refers?\s+to|(?:is|are)\s+defined\s+as|shall\s+(?:mean|include)"
    r"|has\s+the\s+meaning|have\s+the\s+meaning|includes|is\s+understood\s+as"
    # "Trade Agreement Partners, composed of the United Kingdom, the European Union, ..."
    r"|composed\s+of|consist(?:s|ing)?\s+of|compris(?:e|es|ing))\b",
    re.IGNORECASE,
)
# A short form an expansion introduces: "Outsourced Semiconductor Assembly and Test
# (“OSATs”)", "the Export Administration Regulations (EAR)".
_SHORT_FORM = re.compile(r"\(\W*[A-Z][\w-]*\W*\)")
# How far before its defining verb the term stands ("The term “country of most recent
# cast” refers to").
_DEFINED_WITHIN = 80


def defined_term(question: str) -> str | None:
    """Return the term a question asks the definition of ("timber" of "what does the EO mean
    by timber?"), or None when it asks for no definition. A quoted term is the term."""
    for pattern in _DEFINED_TERM:
        match = pattern.search(question)
        if match is None:
            continue
        span = match.group("term")
        quoted = _QUOTED.search(span)
        term = quoted.group(1) if quoted else _TERM_END.sub("", span)
        term = re.sub(r"^(?:an?|the)\s+|[\"“”'‘’?!.\s]+$|^[\"“”'‘’\s]+", "", term.strip())
        if term and len(term.split()) <= 6:
            return term
    return None


def defines(term: str, sentence: str) -> bool:
    """Say whether `sentence` defines `term`: its words stand just before a defining verb
    ("The term “timber” refers to wood that ..."), or it is the short form an expansion
    introduces ("Outsourced Semiconductor Assembly and Test (“OSATs”)")."""
    terms = content_terms(term)
    if not terms:
        return False
    for match in _DEFINING.finditer(sentence):
        before = sentence[max(0, match.start() - _DEFINED_WITHIN) : match.start()]
        if terms <= content_terms(before):
            return True
    short = re.escape(term)
    return bool(re.search(rf"\(\W*{short}s?\W*\)", sentence, re.IGNORECASE))


# "what's carved out?", "which Canadian goods are exempt?", "which product groups were left
# out?": what a measure spares, told by a sentence saying it does not apply to them.
_WANTS_EXCEPTION = re.compile(
    r"\b(?:what|which)(?:['’]?s|\s+(?:[\w-]+\s+){0,3}?(?:is|are|was|were|got|get|gets"
    r"|remains?|stays?))?\s+(?:still\s+)?(?:carved\s+out|exempt(?:ed)?|excluded|left\s+out"
    r"|spared|excepted)\b",
    re.IGNORECASE,
)
_EXCEPTION = re.compile(
    r"\b(?:not\s+(?:be\s+)?(?:apply|applied|subject|covered|include[ds]?)|exempt\w*|exclu\w+"
    r"|except\w*|carve[ds]?[- ]?outs?|carved\s+out|outside\s+(?:of\s+)?(?:the\s+)?scope"
    r"|other\s+than|spared|no\s+longer\s+subject)\b",
    re.IGNORECASE,
)
# "what happens if China doesn't follow through?": what an order provides for that case ("Should
# the PRC fail to implement its commitments ..., I may modify this order"; "If ... then ...").
_WANTS_CONSEQUENCE = re.compile(
    r"\bwhat\s+(?:happens|would\s+happen|will\s+happen|happened|could\s+happen)\s+if\b"
    r"|\bwhat\s+if\b|\bwhat\s+(?:are|were|is)\s+the\s+consequences?\b",
    re.IGNORECASE,
)
_CONSEQUENCE = re.compile(
    r"\b(?:if|unless|in\s+the\s+event|in\s+(?:the\s+)?case\s+(?:of|that))\b"
    # The legal conditional: "articles ... determined by U.S. Customs and Border Protection
    # (CBP) to have been transshipped to evade applicable duties ... shall be subject to ...".
    r"|\b(?:determined|found)\s+(?:by\s+[^,;]{1,80}?\s+)?to\s+(?:have\s+been|be)\b"
    # "Should any trading partner retaliate ..., I may ...": an inverted condition.
    r"|(?:^|[,;:]\s*|\)\s*)[*_\s]*should\b",
    re.IGNORECASE,
)
# "which countries", "what economies", "which EU member states": the answer names a country.
_WANTS_PLACE = re.compile(
    # Not "what did countries left off the annex pay?", "what rate did countries ...": a verb
    # between "what" and the kind asks what they did or got.
    r"\b(?:which|what)\s+(?:(?!(?:does|did|do|is|was|are|were|has|have|had|will|would|can"
    r"|could|should)\b)[\w-]+\s+){0,2}?(?:countries|nations|economies|member states"
    r"|trading partners|jurisdictions|destinations)\b|\bby country\b"
    # "list the countries with 15% rates": asked as an order.
    r"|^\s*(?:pls\s+|please\s+)?(?:name|list)\s+(?:(?:all|the|every)\s+)*(?:[\w-]+\s+)?"
    r"(?:countries|nations|economies|trading partners)\b"
    # "which country was added?": one country asked for, not "what country-of-origin rules".
    r"|\bwhich\s+(?:[\w-]+\s+){0,2}?(?:country|nation|economy|member state"
    r"|trading partner|jurisdiction)\b(?![\w-])"
    r"|\bwhat\s+(?:(?!(?:does|did|do|is|was|are|were|has|have|had|will|would|can|could"
    r"|should)\b)[\w-]+\s+){0,1}(?:country|nation|economy|member state|trading partner"
    r"|jurisdiction)\b(?![\w-])",
    re.IGNORECASE,
)
# Names the ISO list writes formally or not at all, by ISO code ("Russian Federation": RU).
# "where was the US-Japan framework signed?", "where'd Trump and Xi sit down?", "in which
# city ...": a city, a venue or an address. Not "where did the 301 end up?", "where does it
# stand?", nor a relative "where" ("windows where industry asks").
_WANTS_LOCATION = re.compile(
    r"(?:^|[:;,?\u2014\u2013]|\s-\s)\s*(?:and\s+|so\s+|but\s+)?where(?:['’]d\s|['’]s\s|\s+"
    r"(?:was|were|is|are|did|does|do|will|would|had|has|have|exactly|physically)\b)"
    # where an event took place: not "where does the steel have to be melted?", "where do
    # comments go?" (a requirement, a recipient)
    r"(?=[^?]*\b(?:held|hold|holding|signed|sign|meet|met|meeting|sit down|sat down|take place"
    r"|took place|taking place|convene|convened|hosted|host|summit|talks|hearing|located|based"
    r"|headquartered|gather|gathered)\b)"
    r"|\b(?:in\s+)?(?:which|what)\s+(?:city|town|venue)\b",
    re.IGNORECASE,
)
# A place a sentence says something happened in: "Signed in Tokyo", "met ... in Woodside,
# California", "at the USTR Annex Building", "1724 F Street NW".
_LOCATION = re.compile(
    r"\b(?:in|at|near)\s+(?:the\s+)?(?P<place>(?!(?:" + MONTHS + r"|Annex|Section|Sec|Article"
    r"|Part|Chapter|Appendix|Title|Schedule|Executive|Proclamation|Order|Federal|Note|Clause"
    r"|Table|Column|Heading|Subheading|Subchapter|Paragraph|Box)\b)[A-Z][a-z][\w'’-]*"
    r"(?:\s+[A-Z][\w'’-]*){0,3})"
    r"|(?P<street>\b\d{1,5}\s+(?:[A-Z0-9][\w.]*\s+){1,3}(?:Street|St\.|Avenue|Ave\.|Road|Boulevard)"
    r"\b)"
    # "submitted through www.regulations.gov": where comments go.
    r"|(?P<site>\b(?:www\.)?[a-z0-9-]+\.(?:gov|com|org|int)\b)"
)
_MORE_PLACES = {
    "Russia": "RU", "Burma": "MM", "Turkey": "TR", "Taiwan": "TW", "Hong Kong": "HK",
    "Macau": "MO", "Kosovo": "XK", "European Union": "EU", "EU": "EU", "E.U.": "EU",
    "Britain": "GB", "Great Britain": "GB", "UK": "GB", "U.K.": "GB", "US": "US", "U.S.": "US",
    "USA": "US", "America": "US",
}  # fmt: skip
# "What's the legal authority for ...", "under what statute": the answer names a law.
_WANTS_AUTHORITY = re.compile(
    r"\b(?:legal|statutory)\s+(?:authority|authorities|basis|grounds?)\b"
    r"|\bunder\s+(?:what|which)\s+(?:legal\s+)?(?:authority|law|statute|act)\b",
    re.IGNORECASE,
)
# A law: a section of an act, an act, the U.S. Code, an acronym of one ("IEEPA").
_AUTHORITY = re.compile(
    r"\b[Ss]ections?\s+\d|§\s*\d|\b[A-Z][a-z]+\s+Act\b|\bU\.?S\.?C\.?\b|\bIEEPA\b"
    r"|\bauthority\s+under\b"
)
# "how long", "how much more time": a span ("150 days", "an additional 6 months", "1 year",
# "a 90-day pause") or its end or start ("until November 10, 2026", "since 2016").
_WANTS_DURATION = re.compile(
    r"\bhow long\b|\bhow much (?:more |longer |extra |additional )?time\b", re.IGNORECASE
)
_DURATION = re.compile(
    rf"\b(?:\d[\d,.]*|{_NUMBER_WORDS}|a|an|several|few|many)\s+(?:(?:additional|more|full|further"
    r"|extra|calendar|business)\s+)?(?:days?|weeks?|months?|years?|quarters?)\b"
    r"|\b\d+-(?:day|week|month|year)\b|\b(?:until|through|till|since|expires?|expired)\b"
    r"|\b(?:indefinitely|permanent(?:ly)?|temporar(?:y|ily)|annual(?:ly)?|biennial|year-long)\b",
    re.IGNORECASE,
)
# "how often do the two sides meet under the MOU?": a frequency ("on a quarterly basis",
# "annually", "every six months", "twice a year"), not a count.
_WANTS_FREQUENCY = re.compile(
    r"\bhow (?:often|frequently|regularly)\b|\bat what (?:intervals?|frequency)\b"
    r"|\bhow many times (?:a|per|each|every) (?:day|week|month|quarter|year)\b",
    re.IGNORECASE,
)
_FREQUENCY = re.compile(
    r"\b(?:annual(?:ly)?|yearly|quarterly|monthly|weekly|daily|bi-?annual(?:ly)?"
    r"|semi-?annual(?:ly)?|biennial(?:ly)?|periodic(?:al(?:ly)?)?|regular(?:ly)?|routinely)\b"
    rf"|\bevery\s+(?:(?:\d+|{_NUMBER_WORDS}|other)\s+)?(?:days?|weeks?|months?|quarters?|years?)\b"
    r"|\b(?:once|twice|\w+ times)\s+(?:a|per|each|every)\s+(?:day|week|month|quarter|year)\b"
    r"|\b(?:per|each)\s+(?:day|week|month|quarter|year)\b|\bon an?\s+(?:\w+\s+)?basis\b",
    re.IGNORECASE,
)
_WANTS_COUNT = re.compile(r"\bhow (?:much|many)\b", re.IGNORECASE)
# "how much is Rio Tinto investing?", "how much did Cadence pay to settle?", "how much project
# financing?": a sum of money, which a currency writes ("$200 billion", "billions of dollars",
# "EUR 5 million"), not any amount ("4 million tons of new steelmaking capacity").
_WANTS_MONEY = re.compile(
    r"\bhow much\b(?=[^?]*\b(?:invest(?:s|ed|ing|ments?)?|fund(?:s|ed|ing)?|financ(?:e|es|ed|ing)"
    r"|money|spend(?:s|ing)?|spent|costs?|costing|worth|revenues?|fined?|settle(?:d|ment)?"
    r"|refund(?:s|ed|ing)?|subsid(?:y|ies|ize|ized)|loans?|grants?|capital"
    r"|put(?:s|ting)?\s+into)\b)",
    re.IGNORECASE,
)
# A sum: a currency with a figure ("$200 billion", "USD70 billion", "140 million dollars"),
# not "billions of dollars".
_MONEY = re.compile(
    r"[$€£¥]\s?\d|\b(?:USD|EUR|RMB)\s?\d"
    r"|\d(?:[\d,.]*\d)?\s+(?:(?:thousand|million|billion|trillion)\s+)?"
    r"(?:dollars?|euros?|yen|pounds sterling|renminbi|yuan)\b"
)
# "the number of entities added", "# of tariff lines": a count of things named in the plural,
# not the number an order is known by ("number of Biden's proclamation", "number of the EO").
_COUNT_OF = re.compile(
    r"(?:\b[Nn]umber|#)\s+of\s+(?!(?:the|a|an|this|that|its|his|her|their)\b)"
    r"((?:[a-z][\w-]*\s+){0,2}?(?!(?:this|its|his|was|is|has|does)\b)"
    # ... or in a plural without its "s": "the number of aircraft Malaysia Airlines is buying"
    r"(?:[a-z][\w-]*[a-rt-z]s|aircraft|people|personnel|staff|cattle|livestock|equipment))\b"
    r"(?!['’])"
)
_WANTS_DATE = re.compile(
    r"\bwhen\b|\b(?:what|which) (?:(?:new|revised|exact|final|specific|effective|start|end)\s+)?"
    r"(?:years?|dates?|days?|months?)\b|\bby when\b|\bhow soon\b"
    r"|\bwhat time-?line\b"
    # "what's the new hearing date?", "what is the effective date now?"
    r"|\bwhat(?:\s+(?:is|was|are|were)|['’]?s)\s+(?:the\s+)?(?:[\w-]+\s+){0,3}?dates?\b"
    r"|\bdeadlines?\b|\b(?:start|effective|end|expiry|expiration|entry.into.force) dates?\b",
    re.IGNORECASE,
)
# Analysts' shorthand names what it wants as the head of a clause with no verb: "Start date
# for the baseline tariff?", "FR cite for the initiation?", "duty on Chinese cranes?",
# "hts subheadings covered by the safeguard". The clause starts the question or follows a
# colon or a dash; a verb in it ("duties on steel still in place?") makes it a real question.
_CLAUSE = re.compile(r"(?:^|[:;?\u2014\u2013]|\s-\s)\s*((?:(?!\s-\s)[^:;?\u2014\u2013])+)")
_VERB = re.compile(
    r"\b(?:is|are|was|were|be|been|being|do|does|did|has|have|had|can|could|will|would"
    r"|should|may|might|must|still|get|gets|got|say|says|said)\b",
    re.IGNORECASE,
)
_HEAD_NOUNS: tuple[tuple[AnswerType, str], ...] = (
    (
        "identifier",
        r"hts(?:us)?(?: codes?| lines?)?|(?:sub)?headings?|cites?|citations?|docket"
        r"|symbols?|(?:eo|proclamation|case|dispute) numbers?|public law(?: number| no\.?| #)?",
    ),
    ("date", r"dates?|deadlines?"),
    (
        "number",
        r"rates?|duty|tariff|margins?|caps?|thresholds?|percentages?|shares?"
        # "size of the EU steel TRQ in the Dec 2021 arrangement?": "totaling 3.3 million
        # metric tons".
        r"|amounts?|quotas?|values?|size|volumes?|quantit(?:y|ies)|tonnage",
    ),
)
_HEADS = tuple(
    (
        kind,
        re.compile(
            rf"^(?:the\s+)?(?:[\w'./%-]+\s+){{0,3}}?(?:{nouns})\s+"
            r"(?:for|of|on|under|covered|in|to|applied|applying|at)\b",
            re.IGNORECASE,
        ),
    )
    for kind, nouns in _HEAD_NOUNS
)
_WANTS_WHO = re.compile(
    # "who's authorized to ...": who is.
    r"^\s*who\b|\bwho(?:'|’)s\b"
    r"|\bwho (?:is|was|were|are|signed|announced|said|leads|led|heads|runs|decides"
    r"|decided|issued|will|did|does|do|has|have|had)\b|\b(?:which|what) (?:agency|body|department"
    r"|court|office|ministry)\b(?!-)"
    # "which Brazilian judge", "which Chinese vice premier": a person, by office.
    r"|\bwhich (?:[\w-]+ ){0,2}?(?:officials?|secretar(?:y|ies)|ministers?|persons?|people"
    r"|judges?|justices?|premiers?|presidents?|leaders?|lawmakers?|senators?|negotiators?"
    r"|envoys?|ambassadors?|spokes(?:person|man|woman))\b",
    re.IGNORECASE,
)
# "Which Malaysian airline ...?", "which Thai companies ...?", "the name of the Pakistani
# company": a business, asked for by its kind a word or two after "which", wants its name.
_BUSINESS_KINDS = (
    r"(?:compan(?:y|ies)|firms?|airlines?|carriers?|drugmakers?|automakers?"
    r"|carmakers?|chipmakers?|designers?|manufacturers?|producers?|exporters?|importers?"
    r"|banks?|associations?|unions?|shipbuilders?|shipyards?|steelmakers?|refiners?"
    r"|suppliers?|retailers?|corporations?|conglomerates?|businesses)\b(?!-)"
)
_BUSINESS = r"(?:[\w-]+ ){0,2}" + _BUSINESS_KINDS
# "what firms got exclusions?", "what Chinese companies", not "what did carmakers warn
# about?" nor "what duty do importers pay?": no verb comes before the kind.
_NO_VERB = rf"(?!(?:{_AUXILIARIES}|will|would|can|could|should|may|might|must)\b)"
_WANTS_ORGANIZATION = re.compile(
    rf"\bwhich {_BUSINESS}|\bwhat (?:{_NO_VERB}[\w-]+ ){{0,1}}{_NO_VERB}{_BUSINESS_KINDS}"
    # "the name of the Pakistani company", typed tersely "name of pakistani company".
    rf"|\bname of (?:(?:the|that|this|a) )?{_BUSINESS}"
    # "name the companies on the list", "list all the firms": asked as an order.
    rf"|^\s*(?:pls\s+|please\s+)?(?:name|list)\s+(?:(?:all|the|every)\s+)*{_BUSINESS}",
    re.IGNORECASE,
)
# A person named with a title ("President Trump", "Prime Minister Anutin Charnvirakul") is no
# business; nor are the governments' own bodies, documents and measures.
_TITLED = re.compile(
    r"\b(?:(?:Vice |Deputy )?(?:President|Prime Minister|Minister|Secretary|Ambassador"
    r"|Chancellor|Premier|Governor|Senator|Commissioner|Director|Chairman|Chair|King|Queen)"
    r"|Mr\.|Ms\.|Mrs\.|Dr\.)(?:\s+(?:of\s+)?[A-Z][\w.'’-]*)+"
)
_ACRONYM_MAX = 5
_ROMAN = re.compile(r"[IVXLC]+")
_PARENTHESES = re.compile(r"\(([^()]{20,300})\)")
# An acronym introduced in parentheses after the lower-case words it stands for.
_PLAIN_SHORT_FORM = re.compile(r"\b[a-z][\w-]*(?:\s+[a-z][\w-]*){0,5}\s+\(([A-Z]{2,6})\)")
# A kind of business named with its short form in the plural: "Outsourced Semiconductor Assembly
# and Test ("OSATs") companies", "SOEs": many firms of a kind, none of them by name.
_KIND_OF_BUSINESS = re.compile(
    r"(?:\b[A-Z][\w-]*\s+(?:(?:and|of|for|the)\s+)?){1,6}\(\s*[\"“]?[A-Z]{2,6}s[\"”]?\s*\)"
    r"|\b[A-Z]{2,6}s\b"
)
# What opens a list item before its first word: a bullet, a number ("3.", "(5)", or "\\(5\\)"
# as markdown escapes it).
_OPENING = re.compile(r"^[\s\-•>]*(?:\*\s+)?(?:\\?\(\w{1,4}\\?\)\s*|\d{1,3}\.\s+)?")
# A label in emphasis opening a list item, with its colon: "*Specialty products*:", "**Note:**".
_LABEL = re.compile(r"^\*{1,2}[^*\n]{1,80}(?::\*{1,2}|\*{1,2}\s*:)")
# A capitalised word English uses this often (wordfreq Zipf) is a title's, not a business's
# name: "Investigation" 4.8, "Industries" 4.4; "Intel" 4.1, "Boeing" 3.8, "Novartis" 2.6.
_COMMON_ZIPF = 4.4
# A sentence of at least this many words of four letters or more, every one capitalised, is
# a title (a list of businesses says something of them in lower case: "... and others").
_TITLE_WORDS = 6
_PUBLIC_WORDS = frozenset(
    re.findall(
        r"[\w']+",
        "act administration agreement america american americans annex article board border "
        "bureau chapter commerce commission congress council court customs department duties duty "
        "ear economic entity european executive fact federal framework general government "
        "governments harmonized heading house hts international itc joint kingdom list memorandum "
        "mou national note notice office order part participants parties party people people's "
        "proclamation protection reciprocal register regulations representative republic rule "
        "schedule section security senate sheet state statement states summary supplement supreme "
        "tariff the trade treasury understanding union united us usa usitc ustr white bis cbp "
        "this these that in on under for and of with by to a an export exports import imports "
        "industry administration bureau "
        # Acronyms of goods, measures, programs and bodies, no business's.
        "lng gdp ai sme fta mfn trq ieepa usmca wto eu un g7 g20 apec asean ipef dst ad cvd gsp "
        "agoa ic ics ifr doe dhs doj usda usg prc rok dprk uae uk nato covid uas ev evs ppe "
        # The departments' own names ("the U.S. Department of Agriculture").
        "agriculture interior defense justice labor energy homeland transportation",
    )
)


_NUMBER = re.compile(
    rf"\d|\b(?:{_NUMBER_WORDS})s?\b|\b(?:half|double|twice|triple|percent)\b",
    re.IGNORECASE,
)
# An ordinal: "the 21st century", "its 15th Five-Year Plan", "the 119th Congress": no amount.
_ORDINAL = re.compile(r"\b\d+(?:st|nd|rd|th)\b", re.IGNORECASE)
# A number word opening a name: "China's Five-Year Plan", "the Section 301 Four-Year Review".
_NAMED_NUMBER = re.compile(rf"\b(?=[A-Z])(?i:{_NUMBER_WORDS})-[A-Z][a-z]+")
# The number of a part of a document: "section 3", "sec. 2(a)", "clause (6)", "paragraph 9".
_PART_NUMBER = re.compile(
    r"\b(?:sections?|secs?\.|subsections?|clauses?|paragraphs?|subparagraphs?|subdivisions?"
    r"|parts?|chapters?|subchapters?|titles?|annex(?:es)?|notes?|items?|columns?)"
    r"\s+(?:\(?[\dIVXivx]+\)?[\w()]*(?:\s*(?:,|and|or|through|-)\s*)?)+",
    re.IGNORECASE,
)
# A subdivision's designators glued to their section's number: "1702(a)(1)(B)", "2(d)".
_SUBDIVISION = re.compile(r"(?<=[\w)])\(\w{1,4}\)")
# A level a rate is told in without a percent sign: "15 cents per kilogram", "duty-free",
# "zero", "doubled".
_RATE_WORDS = re.compile(
    r"\b\d+(?:\.\d+)?\s*cents?\b|\bper\s+(?:kilogram|kg|ton|tonne|unit|net ton|liter|litre)\b"
    r"|\b(?:duty|tariff)[- ]free\b|\bfree of (?:duty|duties)\b|\bzero\b"
    r"|\b(?:doubl|tripl)(?:e|ed|es|ing)\b",
    re.IGNORECASE,
)
# A decimal amount ("12.5 GW", "27.5 per cent"), not a dotted code ("9903.01.63", "8541.42").
_DECIMAL = re.compile(r"(?<![\w.])\d{1,3}\.\d{1,2}(?![\w.]|\.\d)")
# A list item's number opening a sentence: "(14) The Secretary shall continue to monitor ...",
# "3. Duty rates for postal shipments." (not "25% of the value ...").
_ENUMERATOR = re.compile(r"^[\s*_>\-•]*(?:\(\d{1,3}\)|\d{1,3}\.(?!\d))\s+")
# A calendar date: a year, a month, a weekday, "today" in a dated article, "5/2". The month
# "May" only as written in capitals: "as may be necessary to implement this order" names no time.
_CALENDAR_TEXT = (
    rf"{_YEAR}|\b(?:{MONTHS.replace('May', '(?-i:May|MAY)')}|{MONTH_ABBREVIATIONS}|{_WEEKDAYS}"
    r"|today|yesterday)\b"
    r"|\d{1,2}/\d{1,2}"
)
# Any answer to "when": a calendar date, a span or season ("next week", "this fall"), a
# condition ("upon completion of").
_DATE = re.compile(
    rf"{_CALENDAR_TEXT}|\b(?:tomorrow|weeks?|months?|years?|days?|spring|summer|fall|autumn"
    r"|winter|quarters?)\b|\bupon\b",
    re.IGNORECASE,
)
# A Federal Register document number ("document number 2025-19488", "FR Doc. 2025-13365")
# opens on a year but names no time.
_DOCUMENT_NUMBER = re.compile(
    r"\b(?:document\s+(?:number|no\.?)|FR\s+Doc\.?)\s+(?:19|20)\d\d-\d{4,6}\b", re.IGNORECASE
)
# "When did it start?" asks when something happened: a calendar date answers ("on May 2,
# 2025", "in 1990", "today" in a dated article), a plan does not ("will commence upon
# completion of the interconnector", "within 180 days").
_WANTS_PAST_DATE = re.compile(r"\bwhen (?:did|was|were|had)\b", re.IGNORECASE)
_CALENDAR = re.compile(_CALENDAR_TEXT, re.IGNORECASE)
# A document doing what it tells, on its own date: "The U.S. Trade Representative has
# determined that ... is actionable", "BIS is removing one entity", "This notice announces
# ...": asked "when did USTR find it actionable?", the article's date (which introduces the
# quote) is the answer.
_DONE_BY_THE_DOCUMENT = re.compile(
    r"\b(?:has|have)\s+(?:\w+ly\s+)?(?:determined|decided|found|concluded|initiated|launched"
    r"|imposed|issued|adopted|established|terminated|revoked|suspended|extended)\b"
    r"|\b(?:is|are)\s+(?:hereby\s+)?(?:removing|adding|extending|imposing|initiating|revising"
    r"|amending|establishing|terminating|suspending|modifying|announcing|issuing)\b"
    r"|\bthis\s+(?:notice|rule|proclamation|order|memorandum|action)\s+(?:announces|extends"
    r"|adds|removes|imposes|establishes|amends|revises|terminates|suspends|modifies|initiates)\b",
    re.IGNORECASE,
)
# The numbers of a date or a time: "August 13, 2025", "13 August", "in 1962", "12:01 a.m.".
_DATE_NUMBERS = re.compile(
    rf"\b(?:{MONTHS}|{MONTH_ABBREVIATIONS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?\b"
    rf"|\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{MONTHS})\b|{_YEAR}|\b\d{{1,2}}:\d\d\b"
    r"|\b\d{1,2}/\d{1,2}(?:/\d{2,4})?\b",
    re.IGNORECASE,
)
# A code of three digits or more that is not a year ("heading 8703", "No. 4512").
_CODE = re.compile(r"(?<![\d.,])(?!(?:19|20)\d\d\b)\d{3,}")
# "What did Kim Darroch say at the signing?", "what did Lighthizer tell Congress": what a
# person said is asked for, so the answer is a sentence in which someone speaks (a speech
# verb or a quotation). The speaker is a name (a capitalised word in lower case after its
# first letter): a document's own voice ("what did the WH say", "what did the order say")
# is any of its sentences, and "what did Lighthizer say the talks need" asks for the talks'.
_WANTS_STATEMENT = re.compile(
    r"\bwhat (?:did|does|has|have) (?:[\w'.\u2019-]+\s+){0,4}?(?P<name>[^\W\d_][\w'-]*)"
    r"\s+(?:say|said|tell|told)\b"
    r"(?!\s+(?:the|that|it|they|he|she|\w+\s+(?:was|were|is|are|would|will|could|can|must"
    r"|should|had|has|have|need|needs)\b))",
    re.IGNORECASE,
)
# "How did Iran's foreign ministry react to ...?", "What was Claudia Sheinbaum's reaction?",
# "What did Macau's government say about ...?": another party's response to something, which
# only a sentence in which someone speaks or responds tells (not one telling the measure).
_REACTION_ASKED = re.compile(
    r"\bhow did (?P<a>(?:[\w'.\u2019-]+\s+){1,4}?)(?:react|respond)\b"
    r"|\bwhat (?:was|were|is|are) (?P<b>(?:[\w'.\u2019-]+\s+){1,4}?)(?:reaction|response)s?\b"
    r"|\bwhat did (?P<c>(?:[\w'.\u2019-]+\s+){1,4}?)say in response\b"
    r"|\bwhat did (?P<d>(?:the\s+)?[\w.-]+['\u2019]s\s+(?:[\w-]+\s+){1,2})(?:say|said)\b",
    re.IGNORECASE,
)
# The home side, whose response the documents themselves tell in any words ("how did the US
# respond to China's export controls?" is answered by the measures it took).
_HOME_SIDE = frozenset(
    re.findall(
        r"[\w.]+",
        "us u.s united states america american americans washington trump biden president "
        "administration ustr bis cbp white house congress",
    )
)
# Someone responding: speech, or a response told as such.
_RESPONSE = re.compile(
    r"\b(?:respond(?:s|ed|ing)?|react(?:s|ed|ing)?|in response|retaliat\w*|countermeasures?)\b",
    re.IGNORECASE,
)
# The voice the documents speak in (White House releases): any of their sentences is its word.
_OWN_VOICES = frozenset({"House", "Administration", "President", "Trump", "Biden"})
# Someone speaking: a quotation of three words or more (a term defined in quotation marks,
# "U.S. persons", says nothing) or a speech verb (in lower case: "United States" says nothing).
_SPEECH = re.compile(
    r"(?<![\w.,;:!?])[\"\u201c](?=\S)(?:[^\"\u201c\u201d\s]+\s+){2,}[^\"\u201c\u201d]*[\"\u201d]"
    r"|\b(?:said|says|stated|told|tells|noted|remarked|explained"
    r"|emphasi[sz]ed|stressed|underscored|argued|warned|urged|called for|commented|expressed"
    r"|believes?|praised|welcomed|reiterated|affirmed|highlighted|testified|declared|insisted"
    r"|acknowledged|according to)\b"
)
# "Did the WTO panel side with Hong Kong?", "what did SCOTUS hold?", "which crops did the
# panel say got too much support?": what a panel or court decided, which only a sentence
# telling a decision answers (a request for consultations, a panel's establishment do not).
_ADJUDICATOR = (
    r"(?:(?:wto|usmca|nafta|dispute(?:\s+settlement)?|binational)\s+)?panel|appellate body"
    r"|(?:supreme |federal |appeals |trade )?court|scotus|justices|arbitrators?|tribunal"
    r"|cit|federal circuit"
)
_WANTS_RULING = re.compile(
    rf"\b(?:what|how|which\s+\w+)\s+(?:did|does|has|have)\s+(?:the\s+)?(?:{_ADJUDICATOR})\s+"
    # "how did the WTO panel end up ruling ...?", "what did the court finally decide?"
    r"(?:(?:end(?:ed)?\s+up|ultimately|finally|eventually|actually)\s+)?"
    r"(?:hold|held|holding|conclude|rule|ruled|ruling|find|found|finding|decide|decided"
    r"|deciding|say|said|determine)\b"
    rf"|\b(?:did|does|has|have)\s+(?:the\s+)?(?:{_ADJUDICATOR})\s+"
    r"(?:side|rule|find|agree|uphold|strike|back|reject|throw)\b",
    re.IGNORECASE,
)
_ADJUDICATOR_NAMED = re.compile(rf"\b(?:{_ADJUDICATOR}|judges?)\b", re.IGNORECASE)
_RULING = re.compile(
    r"\b(?:found|finds?|findings?|ruled|rules|ruling|concluded|concludes|conclusions?|held"
    r"|holds|holding|agreed|agrees|rejected|rejects|upheld|upholds|sided|decided|decides"
    r"|decision|struck|strikes|affirmed|affirms|reversed|reverses|opinion|judgment)\b",
    re.IGNORECASE,
)
# Amounts, which look like dotted codes ("from 16.88 to 25.50 percent", "$1.5 billion").
_AMOUNT = re.compile(
    r"\d+(?:\.\d+)?(?:\s*(?:to|and|-|–)\s*\d+(?:\.\d+)?)?\s*(?:%|percent)|\$\s?\d[\d,.]*"
)
# A capitalised word after the sentence's first word: a name, an agency, a country.
_NAME = re.compile(
    rf"(?<=\s)(?!(?:{MONTHS}|{_WEEKDAYS}|{_CLOCK})\b)"
    r"(?:[A-Z][a-z]+|[A-Z]{2,})\b"
)

# "how long", "how big": the word after "how" asks for a measure; the answer holds the
# measure ("for up to 150 days", "a 10% tariff"), rarely the word.
_ASKING_DEGREE = re.compile(
    r"\bhow\s+(long|big|large|high|low|steep|often|soon|far|old|wide)\b", re.IGNORECASE
)


# "how many barrels a day", "how many UK-built cars": what is counted. The answer counts it:
# "60 minerals", "a dozen initial partners", "140,000 workers", not any number at all. Up to
# four words, so the head noun of "how many China 301 product exclusions" is among them.
_COUNTED = re.compile(
    r"\bhow many\s+(?:(?:more|new|total|additional|different|separate|individual)\s+)?"
    r"((?:(?!(?:of|did|does|do|is|are|was|were|can|could|will|would|has|have|had|get|got|gets"
    r"|a|an|per|in|on|for|under|from|to|at|by|the|that|this|with|did|were|times)\b)"
    # A name in quotes is counted as typed without them: "how many "Entity List" parties".
    r"[\"“”‘]?[\w'’-]+[\"“”]?\s*){1,4})",
    re.IGNORECASE,
)


# A count: a number that is not a year ("60 minerals", "140,000 workers", "a dozen partners";
# not "its 2025 list").
_COUNT = re.compile(
    rf"(?<![\d.,])(?!(?:19|20)\d\d\b)\d|\b(?:{_NUMBER_WORDS})s?\b"
    r"|\b(?:half|double|twice|triple|single|both|all)\b",
    re.IGNORECASE,
)


# A span of time ("the 60-day window", "within 90 days", "the four-year review"): no count of
# the things a "how many" question counts, unless it counts days. A numbered list or annex
# ("the List 1 action", "Annex 2") names no count either.
_SPAN_OF_TIME = re.compile(
    rf"\b(?:\d+|{_NUMBER_WORDS})(?:-|\s+)(?:calendar\s+|business\s+)?"
    r"(?:days?|weeks?|months?|years?)\b",
    re.IGNORECASE,
)
_NUMBERED_LIST = re.compile(r"\b(?:List|Annex|Tranche|Phase|Round)\s+\d+\b")


def names_span_of_time(sentence: str) -> bool:
    """Say whether `sentence` names a counted span of time ("within 90 days", "a 24-month
    bridge")."""
    return bool(_SPAN_OF_TIME.search(sentence))


# "one or more requests", "at least one": no count.
_VAGUE_COUNT = re.compile(r"\b(?:one|1)\s+or\s+more\b|\bat least (?:one|1)\b", re.IGNORECASE)
# The words after a count that name what it counts, up to five and up to a preposition or a
# verb: "13 entities under 13 entries", "a dozen initial partners", "32 Chinese and Russian
# entities"; not "two time windows for requests".
_COUNTED_WORDS = re.compile(
    r"^[\s,-]*((?:(?!(?:for|of|to|from|in|on|with|under|by|at|that|which|who|as|per|into"
    r"|over|after|before|since|during|through|is|are|was|were|will|would|has|have|had)\b)"
    r"[\"“”‘]?[\w'’-]+[\"“”]?\s*){1,5})",
    re.IGNORECASE,
)


def what_counts_count(sentence: str, of_time: bool = False) -> list[str]:
    """Return the words following each count in `sentence` ("13 entities under 13 entries" ->
    "entities under 13 entries", "entries"): a number that is no year, no day of a date ("May
    7, 2022"), no part or identifier ("section 3", "Proclamation 10896"), not "one or more",
    and unless `of_time` (the question counts days or years) no span of time ("the 60-day
    window"). An amount of money or a decimal ("$17 billion", "12.5 GW") counts whatever it
    is beside: the whole sentence is returned for it."""
    if _AMOUNT.search(sentence) or _DECIMAL.search(sentence):
        return [sentence]
    plain = _PART_NUMBER.sub(" ", without_identifiers(_ENUMERATOR.sub(" ", sentence)))
    plain = _NUMBERED_LIST.sub(" ", _DATE_NUMBERS.sub(" ", plain))
    plain = _VAGUE_COUNT.sub(" ", plain)
    if not of_time:
        plain = _SPAN_OF_TIME.sub(" ", plain)
    words = []
    for count in _COUNT.finditer(plain):
        end = count.end()
        while end < len(plain) and (plain[end].isalnum() or plain[end] in ",."):
            end += 1  # the rest of the number: "140,000", "1.5"
        following = _COUNTED_WORDS.match(plain[end:])
        if following:
            words.append(following.group(1))
    return words


def counted_terms(question: str) -> frozenset[str]:
    """Return the terms of what a "how many" question counts ("barrels" of "how many barrels
    a day", "entities" of "the number of entities added"), empty when it asks no count or
    counts times ("how many times")."""
    match = _COUNTED.search(question) or _COUNT_OF.search(question)
    return content_terms(match.group(1)) if match else frozenset()


# "How much is Roche putting into the US?": the name right after "how much is / did", whose
# money is asked about.
_PAYER = re.compile(
    r"\b(?i:how much)\s+(?:money\s+)?(?:is|are|was|were|did|does|do|has|have|will|would)\s+"
    r"(?:the\s+)?((?:[A-Z][\w&'’.-]*\s+){1,3})"
)


def payer_terms(question: str) -> frozenset[str]:
    """Return the terms of the business or body whose money a "how much" question asks
    about ("Roche" of "How much is Roche putting into the US?"), not a country's ("how much
    is Japan investing?": an agreement names the country in its passage, not every sentence),
    empty when none is named."""
    match = _PAYER.search(question)
    if not match:
        return frozenset()
    named = match.group(1)
    if countries_named(named):
        return frozenset()
    return content_terms(named) - home_terms()


@lru_cache(maxsize=1)
def home_terms() -> frozenset[str]:
    """The terms of the home country's names (see the vocabulary's `United States` aliases)."""
    return content_terms("United States U.S. US USA America American Americans")


# "in dollars", "what percentage", "how many dollars": the unit the answer comes in, which it
# writes as a sign ("$800 or less", "25%"), not as the word.
_ASKING_UNIT = re.compile(
    r"\b(?:in|of|how many|what|which)\s+(dollars|percent|percentage|per cent|percentage points)\b",
    re.IGNORECASE,
)


# The words that ask for a definition, which the defining sentence rarely repeats.
_ASKING_DEFINITION = re.compile(
    r"\b(?:mean[st]?|defin(?:e|es|ed|ing|ition)|counts?|counted|qualif(?:y|ies|ied))\b",
    re.IGNORECASE,
)


# "In which city did Biden launch IPEF?": the answer names the city ("Today in Tokyo, Japan"),
# rarely the word.
_ASKING_PLACE = re.compile(
    r"\b(?:which|what)\s+(city|cities|town|venue|location|capital)\b", re.IGNORECASE
)


def asking_terms(question: str) -> frozenset[str]:
    """Return the terms of `question` that only ask for a measure ("long" of "how long"), a
    unit ("dollars" of "what's the threshold in dollars?") or a kind of place ("city" of "in
    which city ...?")."""
    asked = [m.group(1) for m in _ASKING_DEGREE.finditer(question)]
    asked += [m.group(1) for m in _ASKING_UNIT.finditer(question)]
    asked += [m.group(1) for m in _ASKING_PLACE.finditer(question)]
    if defined_term(question) is not None:  # "mean" of "what does 'oil' mean?"
        asked += _ASKING_DEFINITION.findall(question)
    return content_terms(" ".join(asked))


# The kind of identifier a question names as what it wants ("EO number for ...", "which
# proclamation ...", "FR cite for ...", "what new HTSUS heading ..."), by the prefix or shape
# of the terms `bot.terms.identifier_terms` makes of it.
_IDENTIFIER_KINDS: tuple[tuple[str, re.Pattern[str], re.Pattern[str]], ...] = (
    ("eo", re.compile(r"\b(?:executive\s+orders?|eos?)\b", re.I), re.compile(r"eo\d+")),
    # "proc number for ...": chat shortens the word.
    (
        "proclamation",
        re.compile(r"\b(?:proclamations?|procs?|procl)\b", re.I),
        re.compile(r"proc\d+"),
    ),
    # A citation ("90 FR 15625") or a document number ("FR Doc. 2025-13365").
    (
        "fr",
        re.compile(r"\b(?:fr|federal\s+register)\b", re.I),
        re.compile(r"\d+fr\d+|(?:19|20)\d\d-\d{4,6}"),
    ),
    (
        "hts",
        re.compile(r"\b(?:hts(?:us)?|(?:sub)?headings?|tariff\s+lines?)\b", re.I),
        re.compile(r"\d{4}(?:\.\d{2,4})+"),
    ),
    ("public law", re.compile(r"\bpublic\s+law\b", re.I), re.compile(r"pl\d+-\d+")),
    # "WTO DS number for ...", "dispute number for the olives case": a WTO dispute's.
    ("ds", re.compile(r"\b(?:ds|dispute)\b", re.I), re.compile(r"ds\d+")),
)
_LAST_WORDS = re.compile(r"(?:[\w./-]+\s+){1,2}$")
# "heading 8703", "subheading 6810": an HTS line written without its dots.
_HTS_LINE = re.compile(r"\b(?:sub)?headings?\s+\d{4}", re.IGNORECASE)


def identifier_kind(question: str) -> str | None:
    """Return the kind of identifier `question` asks for ("eo" for "EO number for ..."), None
    when it asks for none or for any kind ("docket number for ...")."""
    asked = _WANTS_IDENTIFIER.search(question)
    if asked is None:
        kind, head = _terse_head(question)
        span = head if kind == "identifier" else ""
    else:  # with the words before "number for" ("EO number for")
        before = _LAST_WORDS.search(question[: asked.start()])
        span = (before.group(0) if before else "") + asked.group(0)
    return next((kind for kind, named, _ in _IDENTIFIER_KINDS if named.search(span)), None)


# An order cited with the day it was signed: "Proclamation 9705 of March 8, 2018",
# "Executive Order 14257 of April 2, 2025".
_SIGNED_ORDER = re.compile(
    rf"\b(Executive\s+Order|Proclamation)\s+(?:No\.\s*)?(\d{{4,5}})\s+of\s+({MONTHS})"
    r"\s+(\d{1,2}),\s+(\d{4})\b"
)


def signed_days(sentence: str) -> dict[str, str]:
    """Return the orders `sentence` cites with the day each was signed (ISO), as
    `identifier_terms` names them: {"proc9705": "2018-03-08"}."""
    return {
        ("eo" if kind.startswith("Executive") else "proc") + number: (
            f"{year}-{MONTHS.split('|').index(month) + 1:02d}-{int(day):02d}"
        )
        for kind, number, month, day, year in _SIGNED_ORDER.findall(sentence)
    }


def new_identifiers(kind: str | None, sentence: str, known: frozenset[str]) -> frozenset[str]:
    """Return the identifiers of `kind` (any kind when None) that `sentence` holds and
    `known` (the question's own) does not: "which proclamation revoked Proclamation 9704?"
    is not answered by a sentence naming only Proclamation 9704."""
    terms = frozenset(identifier_terms(_AMOUNT.sub(" ", sentence))) - known
    if kind is None:
        return terms
    shape = next(shape for name, _, shape in _IDENTIFIER_KINDS if name == kind)
    found = frozenset(t for t in terms if shape.fullmatch(t))
    if kind == "hts":
        found |= frozenset(m.group(0) for m in _HTS_LINE.finditer(sentence)) - known
    return found


# "When Washington and Brussels settled the steel fight, what was the first step?": a clause
# of time leading into the question sets its scene and asks no date.
_SCENE = re.compile(
    r"^\s*when\b[^,?]{3,},\s*(?=(?:what|which|who|whom|whose|how|where|why|did|does|do|is|are"
    r"|was|were|has|have|had|can|could|will|would)\b)",
    re.IGNORECASE,
)


# "what did Trump accuse Mexico's government of when it comes to the cartels?", "what rate
# applies to cars when they come from Japan?": a "when" inside a clause another question word
# opens sets a condition and asks no date ("the date when ..." still asks one).
_SUBORDINATE_WHEN = re.compile(
    r"\bwhen it comes to\b|(\b(?:what|which|who|whom|whose|why|where)\b"
    r"[^,;:?!]*?)(?<!\bdate\s)(?<!\bday\s)(?<!\btime\s)\bwhen\b"
    # ... with the clause it opens: "what was the copper tariff when it first took effect?"
    # asks for the tariff ("the date when ..." keeps its "when" and asks a date).
    r"[^,;:?!]*",
    re.IGNORECASE,
)


# "back in April 2025, when Trump first ended de minimis, what duty did parcels get?", "when the
# IEEPA duties got scrapped did that also wipe out the 232s?": a "when" opening a clause (a
# subject follows it, not "did" or "will") before the question proper sets the scene.
_SCENE_WHEN = re.compile(
    r"\bwhen\s+(?!(?:did|does|do|is|was|were|are|will|would|can|could|has|have|had|should"
    r"|shall|may|might|must|exactly|roughly|approximately|in|during|on|at|around|and|or)\b)"
    r"[^?]*?"
    r"(?=[,;:]\s*\b(?:what|which|who|whom|how|did|does|do|is|are|was|were|can|could|will"
    r"|would|has|have|had)\b|\s+(?:what|which|who|whom|how|did|does|do|can|could|will|would)\b)",
    re.IGNORECASE,
)


# "Why did Commerce push back the comment deadline?" asks for a reason, whatever the clause
# names ("deadline" is no date asked); another clause may still ask for one ("Why did Trump
# scrap the carve-out - who was benefiting?").
_WHY_CLAUSE = re.compile(
    r"\b(?:why|how come)\b[^?;:\u2014\u2013]*?"
    r"(?=\s-\s|[?;:\u2014\u2013]|\s+and\s+(?:to\s+)?(?:when|what|which|who|how)\b|$)",
    re.IGNORECASE,
)


def expected_type(question: str) -> AnswerType:
    """Return the kind of answer `question` asks for ("any" when it names none)."""
    question = _WHY_CLAUSE.sub(lambda m: " " * len(m.group(0)), question)
    question = _SUBORDINATE_WHEN.sub(_without_when, _SCENE.sub("", question))
    question = _SCENE_WHEN.sub(lambda m: " " * len(m.group(0)), question)
    if defined_term(question) is not None:
        return "definition"
    if _WANTS_AUTHORITY.search(question):
        return "authority"
    if _COUNT_OF.search(question):
        return "number"
    if _WANTS_IDENTIFIER.search(question) and not _ASKS_SUBJECT.search(question):
        return "identifier"
    if _WANTS_PLACE.search(question):
        return "place"
    if _WANTS_LOCATION.search(question):
        return "location"
    if _WANTS_ORGANIZATION.search(question):
        return "organization"
    if _WANTS_WHO.search(question):
        return "who"
    if _WANTS_EXCEPTION.search(question):
        return "exception"
    if _WANTS_CONSEQUENCE.search(question):
        return "consequence"
    if _WANTS_FREQUENCY.search(question):
        return "frequency"
    if _WANTS_DURATION.search(question):
        return "duration"
    if _WANTS_MONEY.search(question):
        return "money"
    if _WANTS_COUNT.search(question):  # "When IPEF launched, how many partners joined?"
        return "number"
    if _WANTS_PAST_DATE.search(question):
        return "past_date"
    if _WANTS_DATE.search(question):
        return "date"
    if _WANTS_RATE.search(question):
        return "rate"
    if _WANTS_NUMBER.search(question):
        return "number"
    if _WANTS_RULING.search(question):
        return "ruling"
    statement = _WANTS_STATEMENT.search(question)
    if statement and _is_a_name(statement.group("name")):
        return "statement"
    if _asks_reaction(question):
        return "reaction"
    return _terse_head(question)[0]


def speaker_terms(question: str) -> frozenset[str]:
    """Return the terms of the party whose words or response `question` asks for ("Xi" of
    "how did Xi respond on Taiwan?", "Goyal" of "what did Piyush Goyal say?"), or none when it
    asks for no one's words, or for the home side's (whose response the documents tell in any
    words)."""
    reaction = _REACTION_ASKED.search(question)
    if reaction is not None:
        party = next(group for group in reaction.groups() if group)
        words = {
            w.lower().removesuffix("'s").removesuffix("\u2019s").strip(".,") for w in party.split()
        }
        if words & _HOME_SIDE:
            return frozenset()
        return content_terms(" ".join(w for w in party.split() if w[:1].isupper()))
    statement = _WANTS_STATEMENT.search(question)
    if statement is not None and _is_a_name(statement.group("name")):
        return content_terms(statement.group("name"))
    return frozenset()


def _asks_reaction(question: str) -> bool:
    """Say whether `question` asks how a party other than the home side responded."""
    match = _REACTION_ASKED.search(question)
    if match is None:
        return False
    party = next(group for group in match.groups() if group)
    words = {
        w.lower().removesuffix("'s").removesuffix("\u2019s").strip(".,") for w in party.split()
    }
    return not words & _HOME_SIDE


def _without_when(match: re.Match[str]) -> str:
    """Blank a subordinate "when" and its clause (or "when it comes to"), keeping what
    precedes it."""
    kept = match.group(1)
    return " " * len(match.group(0)) if kept is None else kept + "    "


def _is_a_name(word: str) -> bool:
    """Say whether `word` names a speaker: capitalised, not an acronym, a country or the
    documents' own voice."""
    return (
        word[0].isupper()
        and not word.isupper()
        and word not in _OWN_VOICES
        and not countries_in(word)
    )


def _terse_head(question: str) -> tuple[AnswerType, str]:
    """Return the kind a verbless clause's head noun names ("FR cite for ...") and the words
    naming it, else ("any", "")."""
    for clause in _CLAUSE.finditer(question):
        text = clause.group(1).strip()
        if _VERB.search(text):
            continue
        for kind, head in _HEADS:
            match = head.search(text)
            if match:
                return kind, match.group(0)
    return "any", ""


# A day of a month as written: "October 7", "Oct. 7th", "7 October".
_MONTH_DAY = re.compile(
    rf"\b(?P<month>{MONTHS}|{MONTH_ABBREVIATIONS})\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\b"
    rf"|\b(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<month2>{MONTHS})\b",
    re.IGNORECASE,
)
# A number as written, with its unit of percent when it has one: "25%", "25 percent", "2025".
# A number led by one the question writes may be a document's number or a date in figures,
# all of it taken: "2021-01174" and "2025-10-07" after "in 2021", "in Oct 2025"; not a part
# of a dotted code ("9903.01.63").
_FIGURE = re.compile(
    r"(?<![\w./-])\d+(?:\.\d+)?(?:[-/]\d+)*(?:\s*(?:%|percent\b))?(?![\w/-]|\.\d)",
    re.IGNORECASE,
)
_FIGURE_VALUE = re.compile(r"\d+(?:\.\d+)?")


def days_named(text: str) -> frozenset[tuple[str, int]]:
    """Return the days of a month `text` writes, as (month's first three letters, day)."""
    return frozenset(
        (
            (match.group("month") or match.group("month2"))[:3].lower(),
            int(match.group("day") or match.group("day2")),
        )
        for match in _MONTH_DAY.finditer(text)
    )


def figures_named(text: str) -> frozenset[str]:
    """Return the numbers `text` writes ("25" of "the 25% penalty", "2025")."""
    return frozenset(_FIGURE_VALUE.findall(text))


def without_values(sentence: str, days: frozenset[tuple[str, int]], figures: frozenset[str]) -> str:
    """Return `sentence` without the days and numbers a question writes itself: "what's the
    new hearing date?" after "USTR postponed the Oct 7 2025 hearing" is not answered by
    "the hearing scheduled for October 7, 2025", nor "how much revenue did the 25% penalty
    bring in?" by "a 25% tariff"."""
    if days:
        sentence = _MONTH_DAY.sub(
            lambda m: " " if next(iter(days_named(m.group(0)))) in days else m.group(0), sentence
        )
    if figures:
        sentence = _FIGURE.sub(
            lambda m: " " if _FIGURE_VALUE.findall(m.group(0))[0] in figures else m.group(0),
            sentence,
        )
    return sentence


def fits(kind: AnswerType, sentence: str) -> bool:
    """Say whether `sentence` holds an answer of the kind asked for."""
    if kind == "number":
        # An identifier's number ("Section 232", "Proclamation 10896"), a date's or a part's
        # ("section 3 of", "clause (2)", "paragraph 9") is no amount.
        if _AMOUNT.search(sentence) or _DECIMAL.search(sentence):
            return True  # "12.5%", "$1.5 billion", "12.5 GW": no dotted code
        plain = _SUBDIVISION.sub("", _ENUMERATOR.sub(" ", sentence))
        plain = _PART_NUMBER.sub(" ", without_identifiers(_NAMED_NUMBER.sub(" ", plain)))
        return bool(_NUMBER.search(_ORDINAL.sub(" ", _DATE_NUMBERS.sub(" ", plain))))
    if kind == "money":
        return bool(_MONEY.search(sentence))
    if kind == "rate":  # "25 percent", "$0.50 per kilogram", "12.5%", "duty-free"
        return bool(_AMOUNT.search(sentence) or _RATE_WORDS.search(sentence))
    if kind == "date":
        return bool(_DATE.search(_DOCUMENT_NUMBER.sub(" ", sentence)))
    if kind == "past_date":
        sentence = _DOCUMENT_NUMBER.sub(" ", sentence)
        return bool(_CALENDAR.search(sentence) or _DONE_BY_THE_DOCUMENT.search(sentence))
    if kind == "duration":
        return bool(_DURATION.search(sentence))
    if kind == "identifier":
        codes = _AMOUNT.sub(" ", sentence)
        return bool(identifier_terms(codes)) or bool(_CODE.search(codes))
    if kind == "who":
        return bool(_NAME.search(sentence))
    if kind == "organization":
        return bool(organization_terms(sentence))
    if kind == "place":
        return bool(countries_in(sentence))
    if kind == "location":
        return bool(_LOCATION.search(sentence))
    if kind == "authority":
        return bool(_AUTHORITY.search(sentence))
    if kind == "statement":
        return bool(_SPEECH.search(sentence))
    if kind == "reaction":
        return bool(_SPEECH.search(sentence) or _RESPONSE.search(sentence))
    if kind == "frequency":
        return bool(_FREQUENCY.search(sentence))
    if kind == "consequence":
        return bool(_CONSEQUENCE.search(sentence))
    if kind == "exception":
        return bool(_EXCEPTION.search(sentence))
    if kind == "definition":
        return bool(_DEFINING.search(sentence) or _SHORT_FORM.search(sentence))
    if kind == "ruling":  # the panel's or court's own: "the panel found", "the Court held"
        return bool(_RULING.search(sentence)) and bool(_ADJUDICATOR_NAMED.search(sentence))
    return True


def location_terms(sentence: str) -> frozenset[str]:
    """Return the terms of the places a sentence says something happened in or at."""
    return content_terms(
        " ".join(
            m.group("place") or m.group("street") or m.group("site")
            for m in _LOCATION.finditer(sentence)
        )
    )


def name_terms(sentence: str) -> frozenset[str]:
    """Return the terms of the names a sentence holds (capitalised words past the first)."""
    return content_terms(" ".join(_NAME.findall(sentence)))


def someone_terms(sentence: str) -> frozenset[str]:
    """Return the terms of the names in a sentence that may be someone's (a person's, a
    body's): capitalised words past the first, but none of a title ("Notice of Action and
    Proposed Action in Section 301 Investigation of China's Targeting ...") nor a country's
    ("Chinese-built ships" names no one who testified)."""
    if _in_title_case(sentence):
        return frozenset()
    countries, _ = _countries()
    return name_terms(countries.sub(" ", sentence))


def organization_terms(sentence: str) -> frozenset[str]:
    """Return the terms of the names in a sentence that may be a business's: capitalised words
    past the first, but no titled person's, country's, or the governments' own words (its
    departments' among them), and none of a title's."""
    if _in_title_case(sentence):
        return frozenset()
    # A list item's first word is its first: "- Purchase of 30 Boeing aircraft", "(5) Generic
    # pharmaceuticals" (its parentheses escaped or not); so is the first after its label,
    # "- *Specialty products*: Orphan drugs".
    countries, _ = _countries()
    # A short form of common words names no business: "12 million metric tons (MMT)", "25 MMT".
    units = {m.group(1) for m in _PLAIN_SHORT_FORM.finditer(sentence)}
    sentence = _KIND_OF_BUSINESS.sub(lambda m: " " * len(m.group(0)), sentence)
    # An order's title in parentheses names no business either: "Executive Order 14228 of
    # March 3, 2025 (Further Amendment to Duties Addressing the Synthetic Opioid Supply Chain
    # in the People's Republic of China)".
    sentence = _PARENTHESES.sub(
        lambda m: " " * len(m.group(0)) if _in_title_case(m.group(1)) else m.group(0), sentence
    )
    item = _OPENING.sub("", sentence, count=1)
    label = _LABEL.match(item)
    parts = (item[: label.end()], item[label.end() :]) if label else (item,)
    words = []
    for part in parts:
        text = " " + countries.sub(" ", _TITLED.sub(" ", part.lstrip()))
        words += [m.group(0) for m in _NAME.finditer(text) if m.start() > 1]
    return content_terms(" ".join(w for w in words if w not in units and _may_name_a_business(w)))


def _in_title_case(sentence: str) -> bool:
    """Say whether a sentence is a title: all of its words of four letters or more, at least
    `_TITLE_WORDS`, are capitalised ("Section 301 Petition on Mexico's Acts, Policies, and
    Practices Concerning Seasonal and Perishable Agricultural Products"), so none of them
    names a business."""
    words = [w for w in re.findall(r"[A-Za-z][\w'’-]*", sentence) if len(w) >= 4]
    if len(words) < _TITLE_WORDS:
        return False
    return all(w[0].isupper() for w in words)


def _may_name_a_business(word: str) -> bool:
    """An acronym ("ABB", "SMIC") or a word English rarely uses ("Boeing", "Petronas"), not
    one of a title in capitals ("Economic Impact of Section 232 ... on U.S. Industries") nor
    a heading's ("MEMORANDUM OF UNDERSTANDING BETWEEN ..."), nor the governments' own."""
    if word.lower() in _PUBLIC_WORDS:
        return False
    if word.isupper():  # a Roman numeral numbers a part: "Annex IV", "Title II"
        return len(word) <= _ACRONYM_MAX and not _ROMAN.fullmatch(word)
    return english_frequency(word.lower()) < _COMMON_ZIPF


def countries_in(text: str) -> frozenset[str]:
    """Return the countries (and blocs) `text` names, as ISO codes ("Viet Nam" -> "VN")."""
    pattern, code = _countries()
    return frozenset(code[m.group(0)] for m in pattern.finditer(text))


@lru_cache(maxsize=1)
def _countries() -> tuple[re.Pattern[str], dict[str, str]]:
    """Every country's ISO name, common and official name (the part before a comma:
    "Korea, Republic of" -> "Korea"), and a few the list lacks, each with its code;
    matched as capitalised whole words."""
    code = dict(_MORE_PLACES)
    for country in pycountry.countries:
        for field in ("name", "common_name", "official_name"):
            value = getattr(country, field, None)
            if value:
                code.setdefault(value.split(",")[0].strip(), country.alpha_2)
    alternation = "|".join(re.escape(n) for n in sorted(code, key=len, reverse=True))
    return re.compile(rf"(?<![\w.])(?:{alternation})(?![\w])"), code


# Adjectives of countries that no rule below derives from the name.
_IRREGULAR_ADJECTIVES = {
    "Thai": "TH", "Swiss": "CH", "Dutch": "NL", "French": "FR", "British": "GB",
    "Filipino": "PH", "Philippine": "PH", "Greek": "GR", "Danish": "DK", "Swedish": "SE",
    "Finnish": "FI", "Norwegian": "NO", "Peruvian": "PE", "Argentine": "AR", "Emirati": "AE",
    "Saudi": "SA", "Irish": "IE", "Polish": "PL", "Spanish": "ES", "Portuguese": "PT",
    "Vietnamese": "VN", "Lao": "LA", "Laotian": "LA", "Czech": "CZ", "Slovak": "SK",
    "Turkish": "TR", "Salvadoran": "SV", "Ecuadorian": "EC", "Malagasy": "MG",
    "Burmese": "MM", "Taiwanese": "TW", "Korean": "KR", "European": "EU", "American": "US",
    "German": "DE",
}  # fmt: skip
# The endings a country's adjective adds to its name, whole ("Iran" -> "Iranian", "Korea" ->
# "Korean", "Israel" -> "Israeli") or without its last vowel ("Canada" -> "Canadian",
# "Mexico" -> "Mexican", "Japan" + "ese").
_ADJECTIVE_ENDINGS = ("ian", "n", "an", "ese", "i", "ish")
_ADJECTIVE_MIN = 5


def countries_named(text: str) -> frozenset[str]:
    """Return the countries `text` names, by name ("Iran") or by adjective ("Iranian goods",
    "Canadian potash", "Swiss watches"), as ISO codes."""
    adjectives = _country_adjectives()
    named = {adjectives[w] for w in re.findall(r"\b[A-Z][a-z]+\b", text) if w in adjectives}
    return countries_in(text) | named


@lru_cache(maxsize=1)
def _country_adjectives() -> dict[str, str]:
    """Each one-word country name's adjectives by the regular endings, and the irregular
    ones; a longer name wins a shared form ("Nigerian": Nigeria, not Niger)."""
    _, code = _countries()
    adjectives = dict(_IRREGULAR_ADJECTIVES)
    for name in sorted(code, key=len, reverse=True):
        if not re.fullmatch(r"[A-Z][a-z]+", name):
            continue
        stems = {name, name[:-1]} if name[-1] in "aeiouy" else {name}
        for stem in stems:
            for ending in _ADJECTIVE_ENDINGS:
                form = stem + ending
                if len(form) >= _ADJECTIVE_MIN and form not in code:
                    adjectives.setdefault(form, code[name])
    return adjectives
