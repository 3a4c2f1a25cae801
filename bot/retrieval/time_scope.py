"""Read the time a question is about: explicit dates, relative ones, "latest", the future.

`parse_time_scope("back in May 2025, what ...", today)` returns a `TimeScope` whose `start`
and `end` bound the publication dates worth searching (inclusive; None is open), plus two
signals the engine resolves against the newest stored article: `latest` ("current", "still",
"now", "so far", "when is the next ...") and `undecided` ("will", "going to", "upcoming",
"expected to", "once it is signed"). Regular expressions only: about 0.3 ms a question here,
where dateparser's `search_dates` takes about 5 ms (measured on the dev questions).
"""

from __future__ import annotations

import calendar
import dataclasses
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

_MONTH_NAMES = (
    "jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    "|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_M = rf"(?:{_MONTH_NAMES})\.?"
_Y = r"(?:19[89]\d|20\d\d)"
# A year as chat writes it after a month or a season: "Oct '25", "summer ’24".
_YY = r"(?:19[89]\d|20\d\d|['’‘][0-9]\d)"
_SEASONS = {"spring": 3, "summer": 6, "fall": 9, "autumn": 9, "winter": 12}
_ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3}
_ORDINALS |= {"fourth": 4, "4th": 4, "last": 4}
_PARTS = {"early": (1, 4), "mid": (5, 8), "late": (9, 12)}  # months of a year
# Days of a month its parts span, overlapping as loosely as people use them: "early March"
# (March 2 or 6), "mid-Nov" (Nov 14, not Nov 4), "late Oct", "the end of July" (July 31).
# Its weeks and halves: "the first week of April 2025", "the last week of July 2025" (its last
# seven days), "the second half of Oct 2025".
_MONTH_PARTS = {"early": (1, 15), "mid": (6, 25), "late": (16, 31)}
_MONTH_PARTS |= {"first week": (1, 7), "second week": (8, 14), "third week": (15, 21)}
_MONTH_PARTS |= {"fourth week": (22, 28), "first half": (1, 15), "second half": (16, 31)}
# "the week of April 7, 2025": the text before the day's "of".
_WEEK_OF = re.compile(r"\bweek\s*$", re.IGNORECASE)
# "before the end of 2026": the whole of 2026, not the time before its last months.
_END_PART = re.compile(r"^\s*(?:before|prior to|ahead of)\s+(?:the\s+)?end\s+of\b", re.IGNORECASE)
_MONTH_PART_WORDS = {"start": "early", "beginning": "early", "middle": "mid", "end": "late"}
_MONTH_PART_WORDS |= {"1st": "first", "2nd": "second", "3rd": "third", "4th": "fourth"}
_MONTH_PART_WORDS |= {"latter": "second"}
_YEAR_PART_SHORTHAND = {"end": "late", "yearend": "late", "theyearend": "late", "midyear": "mid"}
_UNITS = {"day": 1, "week": 7, "month": 31, "year": 366}
_TURN_DAYS = 92  # "going into 2022": a quarter either side of the turn
_SOON_AFTER_DAYS = 31  # "right after April 2, 2025": the weeks that followed
_NUMBERS = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "a few": 3}

# Each atom is one time expression; a leading preposition says how it bounds the scope.
_PREPOSITION = (
    r"\b(?:(?P<prep>since|before|prior to|ahead of|(?:(?:right|just|shortly|immediately|soon)\s+)?"
    r"after|past|until|till|through|as of|by|"
    r"going into|heading into|entering|into|in|during|throughout|on|from|of|back in"
    r"|around)\s+"
    # Analysts' shorthand: "pre-2025" is before 2025, "post-Feb 2025" after February 2025.
    r"|(?P<hyphen>pre|post)-)?"
)
_ATOMS = re.compile(
    _PREPOSITION
    + r"(?:"
    + rf"(?P<iso>{_Y})-(?P<iso_m>\d\d)-(?P<iso_d>\d\d)\b"
    + rf"|(?P<md_m>{_M})\s+(?P<md_d>\d{{1,2}})(?:st|nd|rd|th)?"
    # A run of days: "July 20-22, 2022".
    + r"(?:\s*[-\u2013]\s*(?P<md_d2>\d{1,2})(?:st|nd|rd|th)?)?"
    + rf",?\s+(?P<md_y>{_YY})\b"
    + rf"|(?P<dm_d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<dm_m>{_M}),?\s+(?P<dm_y>{_YY})\b"
    # A date in figures as US desks type it: "4/2/2025", "4/2/25" (not "10/20/30 percent").
    + r"|(?<![\w./-])(?P<num_m>1[0-2]|0?[1-9])/(?P<num_d>3[01]|[12]\d|0?[1-9])"
    + rf"/(?P<num_y>{_Y}|\d\d)"
    + r"(?![\w./-]|\s*(?:%|(?:percent|per\s*cent|pct)\b))"
    # "the first half of 2025", "H2 2024".
    + rf"|(?:the\s+)?(?P<half>first|second|1st|2nd|latter)\s+half\s+(?:of\s+)?(?P<half_y>{_YY})\b"
    # Desk shorthand for a half: "H2 2024", "H1'25", "1H 2025", "2H25".
    + rf"|\bh(?P<h>[12])\s*(?P<h_y>{_YY})\b"
    + rf"|\b(?P<h2>[12])h(?:\s*(?P<h2_y>{_Y})|(?P<h2_yy>['’‘]?\d\d))\b"
    + r"|(?:(?P<my_part>early|mid|late|(?:the\s+)?(?:start|beginning|middle|end"
    + r"|(?:first|second|third|fourth|last|1st|2nd|3rd|4th)\s+week"
    + r"|(?:first|second|latter|1st|2nd)\s+half)\s+of)[\s-]+)?"
    + rf"(?P<my_m>{_M}),?\s+(?:of\s+)?(?P<my_y>{_YY})\b"
    # The federal fiscal year, October to September: "FY2025", "FY 25", "fiscal year 2024".
    + rf"|\b(?:fy\s*|fiscal\s+(?:year\s+)?)(?P<fy>{_Y}|['’]?\d\d)\b"
    # A quarter: "Q3 2025", "Q3'25", "3Q 2025", "3Q25".
    + rf"|q(?P<q>[1-4])\s*(?:of\s+)?(?P<q_y>{_YY})\b"
    + rf"|\b(?P<q2>[1-4])q(?:\s*(?P<q2_y>{_Y})|(?P<q2_yy>['’‘]?\d\d))\b"
    # The year first, as data desks write it: "2025Q3", "2025-Q3", "2025 H1".
    + rf"|\b(?P<yq_y>{_Y})\s?-?\s?(?:q(?P<yq>[1-4])|h(?P<yh>[12]))\b"
    # The calendar year, against a fiscal one: "CY2025", "CY25".
    + rf"|\bcy\s*(?P<cy>{_Y}|['’]?\d\d)\b"
    + r"|(?:the\s+)?(?P<qo>first|second|third|fourth|1st|2nd|3rd|4th|last)\s+quarter\s+"
    + rf"(?:of\s+)?(?P<qo_y>{_Y})\b"
    + rf"|(?P<season>spring|summer|fall|autumn|winter)\s+(?:of\s+)?(?P<season_y>{_YY})\b"
    + r"|(?P<part>early|mid|late|(?:the\s+)?(?:start|beginning|middle|end|first\s+week"
    + r"|last\s+week)\s+of(?:\s+the\s+year)?"
    # Desk shorthand: "end-2025", "year-end 2025", "mid-year 2025".
    + r"|end(?=-)|(?:the\s+)?year[\s-]?end|mid[\s-]?year)"
    + rf"[\s-]+(?P<part_y>{_YY})\b"
    + r"|(?:(?P<rel_part>early|mid|late|earlier)[\s-]+)?(?P<rel>this|last|next|past|previous"
    + r"|coming)\s+"
    + r"(?P<rel_unit>year|month|week|quarter|spring|summer|fall|autumn|winter"
    # "signed in KL last October": a month named by a time word (not "last may", a verb).
    + r"|january|february|march|april|(?-i:May)|june|july|august|september|october|november"
    + r"|december|jan|feb|apr|jun|jul|aug|sept?|oct|nov|dec)\b"
    + r"|(?P<ago_n>\d+|a|one|two|three|four|five|six)\s+(?P<ago_unit>year|month|week|day)s?\s+ago\b"
    + r"|(?:the\s+)?(?:past|last)\s+(?P<span_n>\d+|two|three|four|five|six|a few)\s+"
    + r"(?P<span_unit>year|month|week|day)s\b"
    + r"|(?P<yesterday>yesterday)\b"
    + rf"|(?:(?<=\bpre-)|(?<=\bpost-)|(?<![\w.§/-]))(?P<year>{_YY})(?![\w.%/-])"
    + r")",
    re.IGNORECASE,
)
# A bare year names a time only after a temporal word or at the end of a clause; "the Trade
# Act of 1974" and "the 2018 tariffs" name a statute and a measure, not the question's time.
_YEAR_MODIFIER = re.compile(r"(?<![\w.§/$-])((?:19|20)\d\d)(?![\w.%/-])")
_CLAUSE_END = re.compile(r"\s*(?:[?!.,;:)]|$)")
# "after Nov 1, 2025 deal with Xi", "as of Nov 2025 framework", "after march 6 2025 change":
# a time typed without its article before the thing it dates names that thing's time, as
# "after the Nov 1, 2025 deal" does; not "after May 2025, what ...", "after May 2025 did ...",
# nor a clause's subject ("after April 2 Trump raised ...").
_MODIFIED_NOUN = re.compile(
    r"\s+(?:\d[\w.-]*\s+)?(?!(?:what|which|who|whom|whose|when|where|why|how|did|does|do|is|was"
    r"|are|were|has|have|had|will|would|can|could|should|may|might|must|it|its|they|their|he"
    r"|she|we|i|you|this|that|these|those|there|then|so|and|or|but|nor|for|to|in|on|at|of|by"
    r"|with|from|under|after|before|since|until|through|into|over|still|now|only|already"
    r"|also|just|even|again|yet|ago|onward|onwards|or|vs|versus|than|if|while|as)\b)"
    r"[a-z][a-z-]*\b"
)
_DATED_BY = ("after", "before", "prior to", "ahead of", "as of")
_BETWEEN = re.compile(
    rf"\b(?:between|from)\s+(?P<a>{_M}|{_Y})\s+(?:and|to|through|until|-)\s+"
    rf"(?P<b>{_M}\s+{_Y}|{_M},?\s+{_Y}|{_Y})\b"
    # "Jan-Mar 2025", "Oct–Dec 2024": a run of months of one year.
    rf"|\b(?P<a2>{_M})\s*[-\u2013]\s*(?P<b2>{_M},?\s+{_Y})\b",
    re.IGNORECASE,
)
# A past presidency names a time: "at the end of the first Trump term", "under Trump 1.0",
# "during the Biden administration" (the current one, "Trump 2.0", is no window: it is now).
# Inaugurations on January 20.
_PRESIDENCIES = {
    ("obama", 1): (date(2009, 1, 20), date(2013, 1, 19)),
    ("obama", 2): (date(2013, 1, 20), date(2017, 1, 19)),
    ("obama", 0): (date(2009, 1, 20), date(2017, 1, 19)),
    ("trump", 1): (date(2017, 1, 20), date(2021, 1, 19)),
    ("biden", 0): (date(2021, 1, 20), date(2025, 1, 19)),
    ("biden", 1): (date(2021, 1, 20), date(2025, 1, 19)),
}
# Who held the office when (the last term open): a White House document of those days is the
# president's own, whether or not its text names him ("what did Trump raise the tariff to?").
_IN_OFFICE = (
    ("Obama", date(2009, 1, 20), date(2017, 1, 19)),
    ("Trump", date(2017, 1, 20), date(2021, 1, 19)),
    ("Biden", date(2021, 1, 20), date(2025, 1, 19)),
    ("Trump", date(2025, 1, 20), date.max),
)


def president_on(day: date) -> str | None:
    """Return the surname of the US president in office on `day` (None before 2009)."""
    return next((name for name, start, end in _IN_OFFICE if start <= day <= end), None)


_TERM_ORDINALS = {"first": 1, "1st": 1, "1.0": 1, "second": 2, "2nd": 2, "2.0": 2}
_TERM_WORDS = r"(?:term|administration|presidency|years|era|white house)"
_PRESIDENCY = re.compile(
    r"\b(?:(?P<part>start|beginning|end|close|final months|last months|early|late)\s+of\s+)?"
    r"(?:(?:the|his|her)\s+)?(?:"
    rf"(?P<ord>first|second|1st|2nd)\s+(?P<who>trump|obama)\s+{_TERM_WORDS}"
    rf"|(?P<who2>trump|obama)(?:'s|\u2019s)\s+(?P<ord2>first|second|1st|2nd)\s+{_TERM_WORDS}"
    r"|(?P<who3>trump)\s+(?P<ord3>1\.0|2\.0)"
    rf"|(?P<who4>biden|obama)(?:-harris)?(?:'s|\u2019s)?\s+{_TERM_WORDS}"
    # "under Biden": his presidency (not "under Trump", today's).
    r"|(?<=under\s)(?P<who5>biden|obama)(?!['\u2019-])"
    r")\b",
    re.IGNORECASE,
)
# "the end of" a presidency: its last quarter; "the start of": its first.
_TERM_PART_DAYS = 92

_LATEST = re.compile(
    r"\b(?:latest|current(?:ly)?|still|now|nowadays|so far|to date|as of (?:today|now)|"
    r"as it stands|as things stand|at the moment|at present|at this point|these days|today|"
    r"thus far|up to now|any ?more|any longer|yet(?=\s*[?.!]*\s*$)|most recent|newest|"
    # "where do the talks stand?", "where did the pharma 232 end up?": where it stands now (the
    # words between are the matter asked about: terms to cover, not framing).
    r"where(?= (?:do|does|did) .{1,60}? stand\b)|"
    r"where(?= (?:did|has|have) .{1,60}? (?:end(?:ed)? up|landed|settled)\b)|"
    # "did the duties actually take effect on Aug 19?": whether a plan came about is the
    # newest word on it (a suspension the day before), not what the plan said.
    r"actually\s+(?:take|taken|took|go|gone|went|come|came|kick(?:ed)?|start(?:ed)?|begin"
    r"|begun|began|happen(?:ed)?|appl(?:y|ied)|get|got|been)|"
    # "when is the next meeting?", "what's next for it?": the newest word on a plan, not a
    # past "what did he say the next steps depend on?"
    r"(?:is|are|'s|’s)\s+(?:the\s+)?next|"
    # "are the Cuba tariffs in force?", "is the suspension no longer in place?", "what's the
    # up-to-date rate?": how things stand now.
    # "is the drone tariff live?", "is the pause over?", "is the truce holding?" too.
    r"(?:is|are)(?= (?:[\w%$.'’/-]+ ){1,8}?(?:in (?:effect|force|place)|live|active|over"
    r"|holding|on hold)\s*[?.!]*\s*$)|"
    r"no longer|up[- ]to[- ]date|"
    # "any update on the chip 232?", "what's new with the Swiss deal?", "where are we on the
    # pharma 232?", "where things stand on it", "where's it at?", "state of play on the
    # talks", "what's the status of the review?": a desk asking how things stand now.
    r"any\s+(?:updates?|news|word|movement|progress)(?=\s+(?:on|re|about|with|from|for)\b)|"
    r"(?:what(?:'s|’s|s|\s+is)\s+)new(?=\s+(?:on|with|re|about|for)\b)|"
    r"where\s+are\s+(?:we|things)(?=\s+(?:on|with|re)\b)|where\s+things\s+stand|"
    r"where(?:'s|’s|\s+is)\s+(?:[\w-]+\s+){1,6}?at(?=\s*[?.!]*\s*$)|state\s+of\s+play|"
    r"(?:what(?:'s|’s|s|\s+is)\s+the\s+)status(?=\s+(?:of|on|with)\b)|status\s+(?:update|check)|"
    # "The EU said in May 2025 it would retaliate. Has it done so since?": the newest word
    # after the time named.
    r"since\s+(?:then|that\s+(?:time|point))|ever\s+since|since(?=\s*[?.!]*\s*$)|"
    # "has the surcharge expired?", "have the Cuba tariffs been lifted?": up to now.
    r"^\s*(?:has|have)(?= [^?]{1,80}?\b(?:expired|lapsed|ended|been|dropped|lifted|removed"
    r"|scrapped|revoked|terminated|suspended|extended|paused|gone|kicked in|taken effect|started"
    r"|begun|come into (?:force|effect)|gone into effect)\b))\b",
    re.IGNORECASE,
)
# "latest from BIS on the Oct '23 IFRs - anything after the comment extension?", "what's the
# latest on the April 2026 order?": the newest word on what the dated document began (not
# "the latest date" it set).
_LATEST_ON = re.compile(
    r"(?:^|[:;,.?!-]\s*|\bwhat(?:'s|’s|\s+is)\s+the\s+)(?:the\s+)?(?:latest|newest|most\s+recent)"
    r"(?:\s+(?:word|news|update|development)s?)?\s+(?:on|from|about|with|re)\b",
    re.IGNORECASE,
)
_CONSEQUENT_NOW = re.compile(r"\b(?:so|which|that|who|thus|hence)\s+now\b", re.IGNORECASE)
# What became of something ("did it end up ...", "what came out of ...", "once it was
# signed"): an outcome the articles may not record yet.
_OUTCOME = (
    r"(?:did|does|do|will|would)\s+(?:(?!say\b|said\b|need|want)[\w'’-]+\s+){1,8}"
    r"(?:turn|end) (?:out|up)|turned out|ended up|"
    r"eventually|(?:came|comes|come) out of|got approved|"
    r"once (?:it|they|the|that|this|\w+)\b.{0,40}\b(?:is|are|was|were|gets?|got|'s|signed|"
    r"ran|run|runs|set|takes?|took|expires?|expired|ends?|finali[sz]ed|closed|closes|"
    r"wrapped up|wraps up|concluded|completed|lapsed|over)"
)
_UNDECIDED = re.compile(
    # "is Trump going ahead with the 15% tariff on refined copper from Jan 1 2027?"
    # (not "is the hearing still going ahead?": the plan's standing now, as "still on?" asks)
    r"\b(?:(?<!\bstill )(?:going|moving) (?:ahead|forward)|"
    r"will|won['’]?t|going to|gonna|upcoming|expected to|expect(?:s|ed)? .{1,40} to|"
    # "is the EU likely to retaliate?", "any chance the pause gets extended?", "what's the
    # outlook for the review?", "is a deal with Switzerland in the works?": a guess at what is
    # not decided.
    r"(?:un)?likely to|any chance|chances? (?:of|that)|odds (?:of|that|are)|prospects? (?:of|for)"
    r"|outlook (?:for|on)|in the (?:works|pipeline)"
    r"|on the horizon|"
    rf"in the (?:future|coming)|{_OUTCOME})\b",
    re.IGNORECASE,
)
_OUTCOME_ASKED = re.compile(rf"\b(?:{_OUTCOME})\b", re.IGNORECASE)
# "Has Commerce approved any plans yet?", "did Turkey ever get GSP back?", "what did the
# purchases actually add up to?": whether something came about, which a plan does not tell.
_CAME_ABOUT = re.compile(
    r"\b(?:did|does|do|has|have|had|was|were|is|are)\b[^?.!]{0,120}?\b(?:actually|ever)\b"
    r"|\b(?:has|have|had)\b[^?.!]{0,120}?\byet\s*[?.!]*\s*$"
    # "Which projects has Commerce approved so far?": what has come of it up to now.
    r"|\b(?:has|have)\b[^?.!]{0,120}?\b(?:so far|to date|thus far)\b"
    # "did Trump go ahead with the 15% refined copper duty?", "did China follow through on it?":
    # whether the plan was carried out.
    r"|\b(?:did|has|have|had)\b[^?.!]{0,80}?\b(?:go|gone|went)\s+(?:ahead|forward|through)"
    r"\s+with\b|\b(?:did|has|have|had)\b[^?.!]{0,80}?\bfollow(?:ed)?\s+through\b"
    # "When did the US-Jordan reciprocal trade agreement enter into force?": that it did, which
    # an announcement that the agreement "will build upon" an older one does not tell.
    r"|\bwhen did\b[^?.!]{0,120}?\b(?:enter|come|go)\s+into\s+(?:force|effect)\b"
    # "What did Commerce's 120-day update on the drone market say?": a document's findings
    # exist only once it was issued, which the order requiring it does not tell.
    r"|\bwhat (?:did|does|has|have)\b[^?.!]{0,80}?\b(?:reports?|updates?|reviews?|stud(?:y|ies)"
    r"|assessments?|analys[ie]s|surveys?|findings)\b[^?.!]{0,60}?\b(?:say|conclude|find|show"
    r"|recommend|report|determine|state)\b",
    re.IGNORECASE,
)


# "Is Skopje actually committing to buy American LNG?", "did Brussels ever promise anything on
# network fees?": what came about is the commitment itself, which a sentence of what a side
# "will" do tells. Verbs only: "did China ever deliver on its purchase commitments?" asks
# what came of them.
_ASKS_COMMITMENT = re.compile(
    r"\b(?:commit(?:s|ted|ting)?\s+to|(?:promis|pledg)(?:ed|ing)|vow(?:s|ed|ing)?\s+to"
    r"|(?:promise|pledge)\s+(?:to|that|anything|something))\b",
    re.IGNORECASE,
)

# A document the question names by its time ("the April 2026 metals proclamation", "the fact
# sheet, Feb 2025", "the Aug 2025 USGS minerals list"): the time labels what that document
# says, like "per the ...".
_DOCUMENT = (
    r"(?:proclamation|(?<!\bin\s)order|EO|fact\s+sheet|memo(?:randum)?|notice|rule|"
    r"IFR|(?:joint\s+)?statement|report|readout|testimony|remarks|letter|determination|"
    r"list)s?"
)
_DOCUMENT_AFTER = re.compile(rf"^(?:\s*[\w%$.'’-]+){{0,5}}?\s+{_DOCUMENT}\b", re.IGNORECASE)
_DOCUMENT_BEFORE = re.compile(rf"\b{_DOCUMENT}\s*[,(]\s*$", re.IGNORECASE)
# A question that names its source asks what a recorded document says, not what happened
# later: "which chips will India import more of per the interim deal?".
_ATTRIBUTED = re.compile(
    r"\b(?:per|according to|as (?:set out|laid out|stated|described|written) in)\s+"
    # ... or a document named by its time, typed without its article: "per Feb 2025 copper
    # fact sheet".
    rf"(?:(?:the|its|their|this|that|his|her)\b|(?:{_M}\s+(?:\d{{1,2}},?\s+)?)?{_Y}\s+"
    r"(?:[\w-]+\s+){0,4}?" + _DOCUMENT + r"\b)",
    re.IGNORECASE,
)
# "the July 2025 order: is it still in force?" asks after the document's standing: the newest.
_STANDING = re.compile(
    r"\b(?:still|now|currently)\s+(?:be\s+)?(?:in\s+(?:force|place|effect)|around|active|valid|"
    r"on|pending|apply|applies|applied|there|standing|live)\b",
    re.IGNORECASE,
)
# "are chips still carved out like under the April 2025 order, or do they pay something now?",
# "what's the current deadline, still the one of the April 2025 order?": a time that labels the
# earlier word, asked against the newest ("still" alone asks what that document says, and
# "latest" or "most recent" often qualifies a noun: "the latest date", "most recent cast").
_NOW = re.compile(
    r"\b(?:current(?:ly)?|now|nowadays|these days|at present|at the moment|"
    r"as (?:it|things) stands?)\b",
    re.IGNORECASE,
)
# "was Russia still described as a supplier?", "early March 2025: could low-value parcels from
# Canada still come in duty free?": the state back then, not the newest word.
_PAST_STILL = re.compile(r"\b(?:was|were|had|did|could)\b(?:\s+\S+){0,6}?\s+still\b", re.IGNORECASE)


# The lead-in of a window of a month or a day (`TimeScope.lead_in`), in days: orders take
# effect days after they are signed (5 and 10 answered the same development questions).
LEAD_IN_DAYS = 10
_LEAD_IN_PRECISIONS = ("day", "month")
_LEAD_IN_PREPOSITION = re.compile(r"(?:in|during|by|as of|on|from|through|at|when)\b", re.I)


@dataclass(frozen=True)
class TimeScope:
    """The publication window a question is about, and whether it wants the newest word.

    `start`/`end` are inclusive dates (None: open); `precision` is how finely the question
    named its time ("day", "month", "year", ...; "" when it named none).
    """

    start: date | None = None
    end: date | None = None
    precision: str = ""
    latest: bool = False
    undecided: bool = False
    expression: str = ""
    # Undecided, and asking what became of it ("did it end up ...?"), not what is planned.
    outcome: bool = False
    # Asks whether something came about ("actually", "ever", "yet"), at any time: a plan for
    # it does not tell (unlike `outcome`, no firmer evidence asked, and a past time keeps it).
    came_about: bool = False

    @property
    def explicit(self) -> bool:
        """Say whether the question names a time (a bound on either side)."""
        return self.start is not None or self.end is not None

    @property
    def lead_in(self) -> date | None:
        """The first day of the window's lead-in (None: it has none): the last days before a
        closed window of a month or a day, when what takes effect in it is often signed.
        "What rate did Switzerland face in August 2025?" is told by the July 31 order
        ("effective ... 7 days after the date of this order"), which names no August."""
        if self.start is None or self.end is None or self.precision not in _LEAD_IN_PRECISIONS:
            return None
        # Part of a month ("mid-Nov 2025") says the asker means its own days; a time that
        # dates a noun ("USTR's March 2025 hearing") names an event of its own, not a state.
        whole = self.start == self.end or (
            self.start.day == 1 and (self.end + timedelta(days=1)).day == 1
        )
        adverbial = bool(_LEAD_IN_PREPOSITION.match(self.expression))
        return self.start - timedelta(days=LEAD_IN_DAYS) if whole and adverbial else None

    def starts_after(self, newest: date, grace_days: int = 0) -> bool:
        """Say whether the whole window lies more than `grace_days` after `newest`."""
        return self.start is not None and self.start > newest + timedelta(days=grace_days)

    def continuing(self, earlier: TimeScope) -> TimeScope:
        """The scope of a follow-up that names no time of its own: the earlier turn's.

        "how many of them were in Pakistan?" after "what did BIS add to the Entity List on
        March 28, 2025?" asks about that rule, and "and on Canadian goods?" after "what's the
        current tariff on Chinese goods?" about the current one. A follow-up naming its own
        time ("and in 2019?", "and now?") keeps it; "undecided" is never carried over.
        """
        if self.explicit or self.latest:
            return self
        return dataclasses.replace(
            earlier,
            undecided=self.undecided,
            outcome=self.outcome,
            came_about=self.came_about,
            latest=earlier.latest and not self.undecided,
        )

    def resolved(self, newest: date | None) -> TimeScope:
        """Decide "latest" and "undecided" given the newest stored article's date.

        A named time that ends before the newest article outranks "will" ("what will the US
        push for, per the Jan 2026 proclamation" is recorded). With "latest" it names the
        event, and the newest word on it may come later ("latest on the exclusions: did they
        expire at the end of Nov 2025?"), so the window stays open after its start; "as of
        March 2025" keeps its end. A window reaching past the newest article asks for the
        state of things as of the newest one.
        With "latest", a part of a month names the event's time, not where the word on it
        starts: "the end of Nov 2025" opens at November's start, where the notice setting
        the deadline may be.
        """
        reaches_newest = self.end is None or (newest is not None and self.end >= newest)
        if self.explicit and not reaches_newest:
            if self.latest and self.start is not None:
                start = self.start.replace(day=1) if self.precision == "month" else self.start
                return dataclasses.replace(
                    self, start=start, end=None, undecided=False, outcome=False
                )
            return dataclasses.replace(self, undecided=False, outcome=False)
        latest = self.latest or (self.explicit and newest is not None and reaches_newest)
        # "Where did the minerals 232 end up: are there tariffs on them now?": what became of
        # it is the newest word on it (and still needs firm evidence); "will it go up?" is not.
        return dataclasses.replace(
            self, latest=latest and not (self.undecided and not self.outcome)
        )


NO_SCOPE = TimeScope()


# A day written in figures: "4/2/25", "4/2/2025" (month first, as US desks type it) and
# "2025-04-02"; not a run of rates ("10/20/30 percent") nor part of a path or an identifier.
_FIGURE_DAY = re.compile(
    rf"(?<![\w./-])(?:(?P<m>1[0-2]|0?[1-9])/(?P<d>3[01]|[12]\d|0?[1-9])/(?P<y>{_Y}|\d\d)"
    rf"|(?P<iso_y>{_Y})-(?P<iso_m>1[0-2]|0[1-9])-(?P<iso_d>3[01]|[12]\d|0[1-9]))"
    r"(?![\w./-]|\s*(?:%|(?:percent|per\s*cent|pct)\b))"
)


# A year typed in two digits after a month, a season or a part of the year ("June '25", "Oct
# 16 ’24", "summer '25", "mid-'25") or after "in", "since", "of"... ("in '19").
# "March 2nd 2025", "the Nov 4th EO": the articles write a day without its ordinal's letters.
# "Feb2025", "Sept.2024": a month typed run into its year.
_JOINED_MONTH = re.compile(rf"\b({_M})\.?((?:19|20)\d\d)\b", re.IGNORECASE)
_ORDINAL_DAY = re.compile(rf"\b({_M})\s+(\d{{1,2}})(?:st|nd|rd|th)\b", re.IGNORECASE)
_CHAT_YEAR = re.compile(
    rf"\b(?P<lead>{_M}(?:\s+(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?,?)?|spring|summer|fall"
    r"|autumn|winter|early|mid|late|q[1-4]|h[12]|in|since|of|from|until|till|through|by|before"
    r"|after)"
    r"(?P<gap>\s*-?\s*)['’‘](?P<yy>\d\d)\b(?!['’‘]?\w)",
    re.IGNORECASE,
)


def dates_in_words(question: str) -> str:
    """Return `question` with each day typed in figures written as the articles write it
    ("the 1/16/25 rule" -> "the January 16, 2025 rule"), and each year typed in two digits
    after a month or a preposition written in four ("June '25" -> "June 2025"), and a day
    typed as an ordinal without it ("March 2nd" -> "March 2"), and a month run into its
    year spaced from it ("Feb2025" -> "Feb 2025"): retrieval
    and the answerer then read "January" and "2025" in it, as they do when the asker types
    them (as typed, "'25" was a term "25", and the year no term at all)."""

    def full_year(match: re.Match[str]) -> str:
        gap = match.group("gap") if "-" in match.group("gap") else " "
        return f"{match.group('lead')}{gap}{_year(match.group('yy'))}"

    def in_words(match: re.Match[str]) -> str:
        g = match.groupdict()
        year, month, day = (
            (_year(_two_digit(g["y"])), int(g["m"]), int(g["d"]))
            if g["m"]
            else (int(g["iso_y"]), int(g["iso_m"]), int(g["iso_d"]))
        )
        if _day(year, month, day) is None:  # "2/30/25" names no day
            return match.group(0)
        return f"{calendar.month_name[month]} {day}, {year}"

    spaced = _JOINED_MONTH.sub(r"\1 \2", question)
    days = _ORDINAL_DAY.sub(r"\1 \2", _FIGURE_DAY.sub(in_words, spaced))
    return _CHAT_YEAR.sub(full_year, days)


def latest_words(question: str) -> str:
    """Return the words by which `question` asks for the newest word ("current", "still")."""
    return " ".join(match.group(0) for match in _LATEST.finditer(question))


def parse_time_scope(question: str, today: date) -> TimeScope:
    """Return the time window and time signals of `question`, relative to `today`."""
    windows: list[tuple[date | None, date | None, str, str]] = []
    taken: list[tuple[int, int]] = []
    labels = False  # a named time labels a document ("the Feb 2025 fact sheet")
    for match in _BETWEEN.finditer(question):
        window = _between(match)
        if window is not None:
            windows.append((*window, "month", match.group(0)))
            taken.append(match.span())
    for match in _PRESIDENCY.finditer(question):
        presidency = _presidency(match)
        if presidency is not None:
            windows.append((*presidency, "year", match.group(0)))
            taken.append(match.span())
    for match in _ATOMS.finditer(question):
        if any(lo <= match.start() < hi for lo, hi in taken):
            continue
        atom = _atom(match, question, today)
        if atom is not None:
            lo, hi, precision = atom
            prep = _preposition(match)
            if (
                precision == "day"
                and lo == hi
                and (prep or "").lower() == "of"
                and _WEEK_OF.search(question[: match.start()])
            ):
                hi, prep = lo + timedelta(days=6), None  # "the week of April 7, 2025"
            expression = match.group(0)
            dated_by = " ".join((match.group("prep") or "").lower().split()) in _DATED_BY
            if dated_by and _MODIFIED_NOUN.match(question, match.end()):
                prep, expression = None, question[match.end("prep") : match.end()].strip()
            if _END_PART.search(match.group(0)):
                # "before the end of 2026": within 2026, as "by the end of 2026" (not before
                # its last months begin).
                lo, prep = (hi.replace(day=1) if match.group("my_m") else date(hi.year, 1, 1)), None
            windows.append((*_bounded(prep, lo, hi), precision, expression))
            labels |= _labels_a_document(question, match.start(), match.end())
    # "Sept 2025 revision: which goods were taken off and so now pay the tariff?": with a time
    # named, a "now" in a clause of consequence is that time's, not a call for the newest word.
    asked = _CONSEQUENT_NOW.sub(" ", question) if windows else question
    as_of = any(w[3].lower().startswith("as of") for w in windows)
    latest = bool(_LATEST.search(asked)) or as_of
    attributed = bool(_ATTRIBUTED.search(question))
    undecided = bool(_UNDECIDED.search(question)) and not attributed
    outcome = undecided and bool(_OUTCOME_ASKED.search(question))
    came_about = bool(_CAME_ABOUT.search(question)) and not _ASKS_COMMITMENT.search(question)
    if undecided and not windows:
        # "which minerals will USGS add in its 2028 update?": a year still ahead, naming what
        # is not yet done, is the question's time (a past one labels a measure: "the 2018
        # tariffs").
        ahead = sorted({int(y) for y in _YEAR_MODIFIER.findall(question) if int(y) > today.year})
        if ahead:
            span = f"{ahead[0]}" if len(ahead) == 1 else f"{ahead[0]}-{ahead[-1]}"
            windows.append((date(ahead[0], 1, 1), date(ahead[-1], 12, 31), "year", span))
    if not windows:
        return TimeScope(latest=latest, undecided=undecided, outcome=outcome, came_about=came_about)
    # "now, per the Feb 2025 fact sheet", "the April 2026 proclamation: do small amounts still
    # owe the duty?", "was it still described as ...": what that document or time said, not
    # the newest word.
    labels = labels and not (
        _STANDING.search(asked) or _NOW.search(asked) or _LATEST_ON.search(asked)
    )
    # "As of mid-2024, was Ukrainian steel still exempt?": the newest word up to that time.
    latest = latest and not (attributed or labels or (_PAST_STILL.search(asked) and not as_of))
    starts = [w[0] for w in windows]
    ends = [w[1] for w in windows]
    return TimeScope(
        start=None if None in starts else min(s for s in starts if s is not None),
        end=None if None in ends else max(e for e in ends if e is not None),
        precision=_finest(w[2] for w in windows),
        latest=latest,
        undecided=undecided,
        expression="; ".join(w[3].strip() for w in windows),
        outcome=outcome,
        came_about=came_about,
    )


def _atom(match: re.Match[str], question: str, today: date) -> tuple[date, date, str] | None:
    """Turn one matched expression into its (first day, last day, precision), or None."""
    g = match.groupdict()
    if g["iso"]:
        return _day(int(g["iso"]), int(g["iso_m"]), int(g["iso_d"]))
    if g["md_m"] or g["dm_m"]:
        month, day, year = (
            (g["md_m"], g["md_d"], g["md_y"]) if g["md_m"] else (g["dm_m"], g["dm_d"], g["dm_y"])
        )
        one = _day(_year(year), _month(month), int(day))
        if one is not None and g["md_d2"] and g["md_m"]:
            run = _day(_year(year), _month(month), int(g["md_d2"]))
            if run is not None and run[0] > one[0]:
                return one[0], run[1], "day"
        return one
    if g["num_m"]:
        return _day(_year(_two_digit(g["num_y"])), int(g["num_m"]), int(g["num_d"]))
    if g["yq_y"]:
        year = int(g["yq_y"])
        if g["yq"]:
            return _months(year, 3 * int(g["yq"]) - 2, 3 * int(g["yq"]), "quarter")
        return _months(year, 7 if g["yh"] == "2" else 1, 12 if g["yh"] == "2" else 6, "quarter")
    if g["cy"]:
        year = _year(g["cy"] if len(g["cy"].lstrip("'’")) == 4 else _two_digit(g["cy"]))
        return date(year, 1, 1), date(year, 12, 31), "year"
    if g["half"] or g["h"] or g["h2"]:
        second = (g["half"] or "").lower() in ("second", "2nd", "latter") or "2" in (
            g["h"],
            g["h2"],
        )
        year = _year(g["half_y"] or g["h_y"] or g["h2_y"] or _two_digit(g["h2_yy"]))
        return _months(year, 7 if second else 1, 12 if second else 6, "quarter")
    if g["my_m"]:
        opens, closes = _month_span(_year(g["my_y"]), _month(g["my_m"]))
        if g["my_part"]:
            words = g["my_part"].lower().removesuffix("of").split()
            if words[-1] in ("week", "half"):
                part = f"{_MONTH_PART_WORDS.get(words[-2], words[-2])} {words[-1]}"
            else:
                part = _MONTH_PART_WORDS.get(words[-1], words[-1])
            if part == "last week":
                low, high = closes.day - 6, closes.day
            else:
                low, high = _MONTH_PARTS[part]
            opens, closes = opens.replace(day=low), closes.replace(day=min(high, closes.day))
        return opens, closes, "month"
    if g["fy"]:
        year = _year(g["fy"] if len(g["fy"].lstrip("'’")) == 4 else "'" + g["fy"].lstrip("'’"))
        return date(year - 1, 10, 1), date(year, 9, 30), "year"
    if g["q"] or g["q2"]:
        quarter, year = (
            (g["q"], g["q_y"]) if g["q"] else (g["q2"], g["q2_y"] or _two_digit(g["q2_yy"]))
        )
        return _months(_year(year), 3 * int(quarter) - 2, 3 * int(quarter), "quarter")
    if g["qo"]:
        quarter = _ORDINALS[g["qo"].lower()]
        return _months(int(g["qo_y"]), 3 * quarter - 2, 3 * quarter, "quarter")
    if g["season"]:
        return _season(g["season"].lower(), _year(g["season_y"]))
    if g["part"]:
        part = _YEAR_PART_SHORTHAND.get(re.sub(r"[\s-]", "", g["part"].lower()), g["part"])
        words = part.lower().removesuffix("the year").strip().removesuffix("of").split()
        year = _year(g["part_y"])
        if words[-1] == "week":  # the first or the last seven days of the year
            first_day = date(year, 1, 1) if words[-2] == "first" else date(year, 12, 25)
            return first_day, first_day + timedelta(days=6), "day"
        first, last = _PARTS[_MONTH_PART_WORDS.get(words[-1], words[-1])]
        return _months(year, first, last, "month")
    if g["rel"]:
        relative = _relative(g["rel"].lower(), g["rel_unit"].lower(), today)
        part = (g["rel_part"] or "").lower()
        if relative is None or not part or g["rel_unit"].lower() != "year":
            return relative
        if part == "earlier":  # "earlier this year": from its start to today
            return relative[0], min(relative[1], today), "month"
        first, last = _PARTS[part]
        return _months(relative[0].year, first, last, "month")
    if g["ago_n"]:
        return _ago(_count(g["ago_n"]), g["ago_unit"].lower(), today)
    if g["span_n"]:
        days = _count(g["span_n"]) * _UNITS[g["span_unit"].lower()]
        return today - timedelta(days=days), today, "day"
    if g["yesterday"]:
        return today - timedelta(days=1), today - timedelta(days=1), "day"
    if g["year"] and _names_a_time(match, question):
        year = _year(g["year"])
        return date(year, 1, 1), date(year, 12, 31), "year"
    return None


def _preposition(match: re.Match[str]) -> str | None:
    """The preposition leading an atom, "pre-" read as "before" and "post-" as "after"."""
    hyphen = (match.group("hyphen") or "").lower()
    return {"pre": "before", "post": "after"}.get(hyphen) or match.group("prep")


def _names_a_time(match: re.Match[str], question: str) -> bool:
    """Say whether a bare year is the question's time rather than part of a name."""
    prep = (_preposition(match) or "").lower()
    if prep and prep != "of":
        return True
    before = question[: match.start()].rstrip().lower()
    if before.endswith(("act of", "act", "section", "no.", "proclamation", "order")):
        return False
    if prep == "of":
        return before.endswith(("end", "start", "beginning", "middle"))
    return bool(_CLAUSE_END.match(question, match.end())) and not before.endswith("the")


def _bounded(prep: str | None, lo: date, hi: date) -> tuple[date | None, date | None]:
    """Apply a preposition: "since X" opens the end, "before X" ends before X starts."""
    word = " ".join((prep or "").lower().split())
    if word == "since":
        return lo, None
    if word in ("before", "prior to", "ahead of", "until", "till", "by", "through"):
        return None, (lo - timedelta(days=1)) if word in ("before", "prior to", "ahead of") else hi
    if word in ("going into", "heading into", "entering", "into"):
        # What changed at the turn: decided in the quarter before, in force in the one after.
        return lo - timedelta(days=_TURN_DAYS), lo + timedelta(days=_TURN_DAYS - 1)
    if word.endswith(" after"):  # "right after April 2": the weeks that followed
        return hi + timedelta(days=1), hi + timedelta(days=_SOON_AFTER_DAYS)
    if word in ("after", "past"):
        return hi + timedelta(days=1), None
    if word == "as of":
        return None, hi
    return lo, hi


def _presidency(match: re.Match[str]) -> tuple[date, date] | None:
    """Read "the first Trump term", "the end of Trump's first term" as its window."""
    who = next(match.group(g) for g in ("who", "who2", "who3", "who4", "who5") if match.group(g))
    ordinal = match.group("ord") or match.group("ord2") or match.group("ord3")
    span = _PRESIDENCIES.get((who.lower(), _TERM_ORDINALS[ordinal.lower()] if ordinal else 0))
    if span is None:
        return None
    start, end = span
    part = (match.group("part") or "").lower()
    if part in ("start", "beginning", "early"):
        return start, start + timedelta(days=_TERM_PART_DAYS - 1)
    if part in ("end", "close", "final months", "last months", "late"):
        return end - timedelta(days=_TERM_PART_DAYS - 1), end
    return start, end


def _between(match: re.Match[str]) -> tuple[date, date] | None:
    """Read "between March and June 2025" / "from 2019 to 2021" as one window."""
    first, last = match.group("a") or match.group("a2"), match.group("b") or match.group("b2")
    end_year = int(re.findall(_Y, last)[-1])
    last_month = re.match(_M, last, re.IGNORECASE)
    end_month = _month(last_month.group(0)) if last_month else 12
    bare_year = re.fullmatch(_Y, first)
    start = date(int(first), 1, 1) if bare_year else date(end_year, _month(first), 1)
    end = _month_span(end_year, end_month)[1]
    return (start, end) if start <= end else None


def _relative(word: str, unit: str, today: date) -> tuple[date, date, str] | None:
    """Resolve "this/last/next year|month|week|quarter|season" against `today`."""
    step = {"this": 0, "last": -1, "past": -1, "previous": -1, "next": 1, "coming": 1}[word]
    if unit == "year":
        return _months(today.year + step, 1, 12, "year")
    if unit == "month":
        index = today.year * 12 + today.month - 1 + step
        return (*_month_span(index // 12, index % 12 + 1), "month")
    if unit == "week":
        monday = today - timedelta(days=today.weekday()) + timedelta(weeks=step)
        return monday, monday + timedelta(days=6), "day"
    if unit == "quarter":
        index = today.year * 4 + (today.month - 1) // 3 + step
        year, quarter = divmod(index, 4)
        return _months(year, 3 * quarter + 1, 3 * quarter + 3, "quarter")
    if unit not in _SEASONS:
        return _relative_month(step, _month(unit), today)
    return _relative_season(step, unit, today)


def _relative_month(step: int, month: int, today: date) -> tuple[date, date, str]:
    """Resolve "this October" (this year's), "last October" (last year's, as "last fall"),
    "next October" (the next one to begin)."""
    year = today.year + min(step, 0)
    if step > 0:
        year = today.year if month > today.month else today.year + 1
    return (*_month_span(year, month), "month")


def _relative_season(step: int, name: str, today: date) -> tuple[date, date, str]:
    """Resolve "this fall" (this year's, or the one under way), "last fall", "next fall".

    "Last fall" is last year's, as desks write it: in December 2026 the soybean purchases
    "from last fall" are those of October 2025 (this year's is "this fall"). A winter is the
    year of its December.
    """
    seasons = [_season(name, year) for year in range(today.year - 2, today.year + 2)]
    if step < 0:
        return max(
            (s for s in seasons if s[1] < today and s[0].year < today.year), key=lambda s: s[0]
        )
    if step > 0:
        return min((s for s in seasons if s[0] > today), key=lambda s: s[0])
    under_way = [s for s in seasons if s[0] <= today <= s[1]]
    return under_way[0] if under_way else _season(name, today.year)


def _ago(n: int, unit: str, today: date) -> tuple[date, date, str]:
    """Resolve "two years ago" (that calendar year) or "three weeks ago" (that week)."""
    if unit == "year":
        return _months(today.year - n, 1, 12, "year")
    if unit == "month":
        index = today.year * 12 + today.month - 1 - n
        return (*_month_span(index // 12, index % 12 + 1), "month")
    then = today - timedelta(days=n * _UNITS[unit])
    return then - timedelta(days=3), then + timedelta(days=3), "day"


def _season(name: str, year: int) -> tuple[date, date, str]:
    first = _SEASONS[name]
    if first == 12:  # winter runs December to February
        return date(year, 12, 1), _month_span(year + 1, 2)[1], "season"
    return _months(year, first, first + 2, "season")


def _day(year: int, month: int, day: int) -> tuple[date, date, str] | None:
    try:
        when = date(year, month, day)
    except ValueError:
        return None
    return when, when, "day"


def _months(year: int, first: int, last: int, precision: str) -> tuple[date, date, str]:
    return date(year, first, 1), _month_span(year, last)[1], precision


def _month_span(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def _two_digit(text: str) -> str:
    """Return a year typed in two digits ("25", "'25") as `_year` reads it ("'25")."""
    return "'" + text.lstrip("'’‘")


def _year(text: str) -> int:
    """Read "2025" or "'25" (a two-digit year is this century's, up to '69)."""
    digits = text.lstrip("'’‘")
    if len(digits) == 4:
        return int(digits)
    return (2000 if int(digits) < 70 else 1900) + int(digits)


def _month(name: str) -> int:
    key = name.lower().rstrip(".")[:3]
    return list(calendar.month_abbr).index(key.capitalize())


def _count(word: str) -> int:
    return int(word) if word.isdigit() else _NUMBERS.get(word.lower(), 1)


def _finest(precisions: Iterator[str] | list[str]) -> str:
    order = ["day", "month", "season", "quarter", "year"]
    found = [p for p in precisions if p in order]
    return min(found, key=order.index) if found else ""


# A window over more years than this is named by no single mention worth looking for.
_MENTION_MAX_YEARS = 3
# A month named after a time word and without a year ("in November to ...", "last March",
# "on May 5 the ..."): not "November 5, 2024" nor "May 2024", nor the verb "may".
_YEARLESS_MONTH = re.compile(
    r"\b(?:[Ii]n|[Oo]n|[Ll]ast|[Ss]ince|[Dd]uring|[Uu]ntil|[Ee]arly|[Ll]ate|[Mm]id-?)\s+"
    r"(?:early\s+|late\s+|mid-?)?"
    r"(January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan\.|Feb\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.)"
    r"(?![\w.]*\s+(?:\d{1,2}(?:st|nd|rd|th)?,?\s+)?\d{4})(?![-\w])"
)


def mention_pattern(scope: TimeScope) -> re.Pattern[str] | None:
    """Return how a text names the scope's closed window, or None (open, or too long).

    A day is named with its month and year ("July 1, 2025", "1 July 2025"), a month or a few
    ("May 2024", "Nov. 2023") with its year; a year or up to three with their numbers.
    """
    start, end = scope.start, scope.end
    if start is None or end is None or end.year - start.year >= _MENTION_MAX_YEARS:
        return None
    if scope.precision == "day" and start == end:
        month = _month_words([start.month])
        day = rf"(?:{month}\s+{start.day}(?:st|nd|rd|th)?,?|{start.day}\s+{month})"
        return re.compile(rf"\b{day}\s+{start.year}\b")
    if scope.precision in ("day", "month", "season", "quarter") and start.year == end.year:
        months = _month_words(range(start.month, end.month + 1))
        return re.compile(rf"\b{months}\s+(?:\d{{1,2}}(?:st|nd|rd|th)?,?\s+)?{start.year}\b")
    years = "|".join(str(y) for y in range(start.year, end.year + 1))
    return re.compile(rf"\b(?:{years})\b")


@dataclass(frozen=True)
class WindowMention:
    """How an article names the question's closed window: `mention_pattern`'s dates, and a
    month it names without a year ("President Trump promised in November to ...") that its
    own date places inside the window (the last such month on or before the article's: in a
    February 2025 fact sheet, November 2024)."""

    scope: TimeScope
    dated: re.Pattern[str]

    def names(self, text: str, published_at: str | None) -> bool:
        if self.dated.search(text):
            return True
        start, end = self.scope.start, self.scope.end
        day = published_date(published_at)
        if day is None or start is None or end is None or self.scope.precision != "month":
            return False
        for found in _YEARLESS_MONTH.finditer(text):
            month = _month(found.group(1))
            year = day.year if month <= day.month else day.year - 1
            first, last = _month_span(year, month)
            if first <= end and last >= start:  # the month, or the part of it asked
                return True
        return False


def published_date(published_at: str | None) -> date | None:
    """Return an article's date from its `published_at` ("2025-02-01..."), or None."""
    try:
        return date.fromisoformat((published_at or "")[:10])
    except ValueError:
        return None


def window_mention(scope: TimeScope) -> WindowMention | None:
    """Return how a text names the scope's closed window (see `WindowMention`), or None."""
    dated = mention_pattern(scope)
    return None if dated is None else WindowMention(scope, dated)


def _month_words(months: range | list[int]) -> str:
    """A pattern for the months' names, full or abbreviated ("Nov.", "Sept.")."""
    words: set[str] = set()
    for month in months:
        name = calendar.month_name[month]
        words |= {name, rf"{name[:3]}\.?"} | ({r"Sept\.?"} if month == 9 else set())
    return "(?:" + "|".join(sorted(words, key=len, reverse=True)) + ")"


# A year that dates what a noun names, after a determiner: "at its 2027 ministerial", "in the
# 2028 critical minerals update" (not a window: "the 2019 proclamation" names a document, and
# what it says may be asked about in any year).
_DATED_THING = re.compile(r"\b(?:the|its|their|his|her|our)\s+((?:19|20)\d\d)\s+(?=[a-z])", re.I)


def dated_things_after(question: str, newest: date, grace_days: int = 0) -> bool:
    """Say whether `question` names a thing dated in a year that starts more than
    `grace_days` after `newest` ("What did the IPEF Council agree at its 2027 ministerial?"
    with the newest article from 2026): an event no article can have told."""
    return any(
        date(int(m.group(1)), 1, 1) > newest + timedelta(days=grace_days)
        for m in _DATED_THING.finditer(question)
    )


def labels_a_document(question: str, expression: str) -> bool:
    """Whether the time `expression` (as `parse_time_scope` found it in `question`) names a
    document ("the Feb 2026 Iran tariff order") rather than when something happened ("which
    proclamation put the steel 232 back in feb 2025?")."""
    at = question.lower().find(expression.lower()) if expression else -1
    return at >= 0 and _labels_a_document(question, at, at + len(expression))


def _labels_a_document(question: str, start: int, end: int) -> bool:
    """Whether the time at question[start:end] names a document: a document noun follows
    within five words ("the Feb 2023 200% aluminum proclamation") or just precedes it
    ("the fact sheet, Feb 2025")."""
    return bool(_DOCUMENT_AFTER.match(question[end:]) or _DOCUMENT_BEFORE.search(question[:start]))
