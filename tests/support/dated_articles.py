"""Fixture articles on one dispute over several years: time-scoped, latest and future questions."""

from __future__ import annotations

from typing import Any

from tests.support.articles import news_article

STEEL_ARTICLES: list[dict[str, Any]] = [
    {
        "id": "steel-2019",
        "title": "US lifts steel tariffs on Canada and Mexico",
        "text": (
            "The United States lifted the Section 232 steel tariffs on Canada and Mexico in May. "
            "In exchange, both neighbours agreed to monitor surges of steel exports to the "
            "United States."
        ),
        "published_at": "2019-05-17",
        "source": "Harbour Times",
        "url": "https://news.example/steel-2019",
    },
    {
        "id": "steel-2021",
        "title": "US and EU settle the steel tariff dispute with a quota",
        "text": (
            "The United States and the European Union agreed to replace the Section 232 steel "
            "tariffs on European steel with a tariff-rate quota. Steel from the EU within the "
            "quota now enters the United States duty free."
        ),
        "published_at": "2021-10-30",
        "source": "Pacific Ledger",
        "url": "https://news.example/steel-2021",
    },
    {
        "id": "steel-2025-feb",
        "title": "Trump restores the Section 232 tariff on steel",
        "text": (
            "President Trump restored a full 25 percent Section 232 tariff on steel imports and "
            "ended every country exemption and quota. The White House said the steel tariff "
            "protects American steelmakers from dumping."
        ),
        "published_at": "2025-02-11",
        "source": "Harbour Times",
        "url": "https://news.example/steel-2025-feb",
    },
    {
        "id": "steel-2025-jun",
        "title": "Section 232 tariff on steel doubled",
        "text": (
            "The Section 232 tariff on steel imports was doubled to 50 percent in June. Steel "
            "from the United Kingdom stays at 25 percent while talks continue."
        ),
        "published_at": "2025-06-04",
        "source": "Harbour Times",
        "url": "https://news.example/steel-2025-jun",
    },
    {
        "id": "rare-earth-memo",
        "title": "Memo on rare earth licences",
        "text": (
            "China's commerce ministry requires exporters of seven rare earth elements to "
            "obtain a licence. Magnet makers said the licences take weeks to arrive."
        ),
        "source": "Trade Desk",
    },
]
NEWEST = "2025-06-04"
UNDATED_STEEL_NOTE: dict[str, Any] = {
    "id": "steel-briefing-note",
    "title": "Briefing note on the Section 232 steel tariffs",
    "text": (
        "Importers pay the Section 232 steel tariff when the steel enters the United States. "
        "Customs collects the steel tariff together with ordinary duties."
    ),
    "source": "Trade Desk",
}

# A safeguard that a later proclamation says has expired, in words the question does not use:
# the newest article ranks nearly as high as the older ones, its sentences score lower.
SAFEGUARD_ARTICLES: list[dict[str, Any]] = [
    {
        "id": "solar-2022",
        "title": "Solar safeguard extended for four years",
        "text": (
            "The President extended the Section 201 safeguard tariff on imported solar cells "
            "and modules for four more years. The safeguard keeps a tariff-rate quota on solar "
            "cells and a tariff on modules."
        ),
        "published_at": "2022-02-04",
        "source": "Harbour Times",
        "url": "https://news.example/solar-2022",
    },
    {
        "id": "solar-2024",
        "title": "Bifacial exclusion from the solar safeguard removed",
        "text": (
            "The administration removed the exclusion of bifacial solar modules from the Section "
            "201 safeguard. Imports of bifacial panels had surged while the exclusion applied."
        ),
        "published_at": "2024-05-16",
        "source": "Pacific Ledger",
        "url": "https://news.example/solar-2024",
    },
    {
        "id": "polysilicon-2026",
        "title": "Polysilicon tariffs follow the Section 201 solar safeguard",
        "text": (
            "The President imposed Section 232 tariffs on imports of polysilicon and its "
            "derivatives. The earlier measure on photovoltaic products expired in February "
            "2026. Polysilicon is the main input of solar wafers and cells."
        ),
        "published_at": "2026-08-06",
        "source": "Harbour Times",
        "url": "https://news.example/polysilicon-2026",
    },
]

# A tariff increase announced, then delayed; a later proclamation on another product carries the
# customs boilerplate ("withdrawn from warehouse", "continue in effect, unless ... terminated")
# that reads like a change of status but tells none.
CABINET_ARTICLES: list[dict[str, Any]] = [
    {
        "id": "cabinets-2025-09",
        "title": "Tariffs on timber, lumber, kitchen cabinets and vanities",
        "text": (
            "The Proclamation imposes a 25% global tariff on kitchen cabinets and vanities, "
            "which will increase to 50% on January 1, 2026. Softwood lumber gets a 10% tariff."
        ),
        "published_at": "2025-09-29",
        "source": "The White House",
        "url": "https://news.example/cabinets-2025-09",
    },
    {
        "id": "cabinets-2025-12",
        "title": "Amendments to the tariffs on timber, lumber and wood products",
        "text": (
            "I stated that on January 1, 2026, the duty rate for kitchen cabinets and vanities "
            "would increase from 25 percent to 50 percent. Negotiations with trading partners "
            "are productive. I determine that it is appropriate to continue these negotiations "
            "and to delay for an additional year the increase in the duty rate for kitchen "
            "cabinets and vanities."
        ),
        "published_at": "2025-12-31",
        "source": "The White House",
        "url": "https://news.example/cabinets-2025-12",
    },
    {
        "id": "chips-2026-01",
        "title": "Adjusting imports of semiconductors",
        "text": (
            "I impose a 25 percent tariff on imports of certain advanced semiconductors. This "
            "tariff shall be effective with respect to goods entered for consumption, or "
            "withdrawn from warehouse for consumption, on or after January 15, 2026, and shall "
            "continue in effect, unless such action is expressly reduced, modified, or "
            "terminated. The duty rate increase follows a national security investigation."
        ),
        "published_at": "2026-01-14",
        "source": "The White House",
        "url": "https://news.example/chips-2026-01",
    },
]

# A cabinet tariff increase, then a proclamation that recalls it at length in the question's
# own words and says only once, in words of its own, that the increase was put off; and a
# same-day fact sheet that recalls the measure without saying so.
DELAYED_INCREASE_ARTICLES: list[dict[str, Any]] = [
    {
        "id": "vanities-2025-09",
        "title": "Tariffs on kitchen cabinets and vanities",
        "text": (
            "The Proclamation imposes a 25% tariff on kitchen cabinets and vanities, which will "
            "increase to 50% on January 1, 2026."
        ),
        "published_at": "2025-09-29",
        "source": "The White House",
        "url": "https://news.example/vanities-2025-09",
    },
    {
        "id": "vanities-2025-12",
        "title": "Amendments to the tariffs on wood products",
        "text": (
            "In September I imposed a 25 percent tariff on kitchen cabinets and vanities. "
            "I stated that on January 1, 2026, the tariff on kitchen cabinets and vanities "
            "would increase to 50 percent. The tariff hike on kitchen cabinets and vanities "
            "was to protect domestic producers of kitchen cabinets. Negotiations with several "
            "trading partners are productive. I have therefore decided to postpone the "
            "increase for kitchen cabinets by one year."
        ),
        "published_at": "2025-12-31",
        "source": "The White House",
        "url": "https://news.example/vanities-2025-12",
    },
    {
        "id": "vanities-fact-sheet-2025-12",
        "title": "Fact sheet: wood products tariffs amended",
        "text": (
            "The 25% tariff on kitchen cabinets and vanities protects American cabinet makers. "
            "Kitchen cabinets and vanities imports have surged since 2020."
        ),
        "published_at": "2025-12-31",
        "source": "The White House",
        "url": "https://news.example/vanities-fact-sheet-2025-12",
    },
]

# A solar quota told in the spring, and the proclamation that changed it in August: no
# article is from August 1, 2024 itself, the day a question names.
SOLAR_QUOTA_ARTICLES: list[dict[str, Any]] = [
    {
        "id": "quota-2023-02",
        "title": "Solar cells quota under the Section 201 safeguard",
        "text": (
            "The in-quota cap for solar cells under the Section 201 safeguard is 5 gigawatts. "
            "Solar cells above the cap pay the safeguard tariff."
        ),
        "published_at": "2023-02-06",
        "source": "The White House",
        "url": "https://news.example/quota-2023-02",
    },
    {
        "id": "quota-2024-05",
        "title": "Solar cells quota under the Section 201 safeguard",
        "text": (
            "The in-quota cap for solar cells under the Section 201 safeguard stays at "
            "5 gigawatts. Solar cells above the cap pay the safeguard tariff."
        ),
        "published_at": "2024-05-16",
        "source": "The White House",
        "url": "https://news.example/quota-2024-05",
    },
    {
        "id": "quota-2024-08",
        "title": "Proclamation modifying the safeguard on photovoltaic cells",
        "text": (
            "Cells entered from the first day of the seventh quota year shall be included "
            "within the modified limit of 12.5 gigawatts for solar cells."
        ),
        "published_at": "2024-08-12",
        "source": "The White House",
        "url": "https://news.example/quota-2024-08",
    },
]


_FILL_NEWS = (
    "Importers from Malaysia led the month's entries.",
    "Thailand shipped the most cells, followed by Vietnam.",
    "Warehouse withdrawals rose sharply before the holiday.",
    "A new module plant in Georgia drew on the quota.",
    "Customs officials reported a backlog at Long Beach.",
    "Cambodian exporters paused shipments for a week.",
    "Demand from utility projects in Texas stayed strong.",
    "Indonesian producers entered the market for the first time.",
    "Prices for imported cells fell by a tenth.",
    "Arizona installers reported waiting lists for panels.",
    "Korean suppliers shifted volumes to later quarters.",
    "A hurricane delayed unloading at Savannah.",
    "Entries from India doubled on the previous report.",
    "The quota year's second half opened with heavy filings.",
    "Ohio manufacturers asked for faster clearance.",
    "Rooftop installers in California bought fewer cells.",
    "Mexican assemblers sourced cells from Laos.",
    "Freight rates across the Pacific eased again.",
)


def _quota_fill_report(number: int) -> dict[str, Any]:
    """The `number`th monthly report on the solar quota's fill, after the August 2024 change."""
    year, month = 2025 + (number - 1) // 12, (number - 1) % 12 + 1
    return {
        "id": f"quota-fill-{year}-{month:02d}",
        "title": f"Solar cells quota under the Section 201 safeguard: fill report {number}",
        "text": (
            f"The in-quota cap for solar cells under the Section 201 safeguard was {40 + number}"
            f" percent filled by the end of report period {number}. {_FILL_NEWS[number - 1]}"
        ),
        "published_at": f"{year}-{month:02d}-15",
        "source": "The White House",
        "url": f"https://news.example/quota-fill-{year}-{month:02d}",
    }


# The spring's quota, the August 2024 proclamation whose clause names the day its new limit
# applied from, and a year and a half of later fill reports that match a question's words
# better and never name the day.
SOLAR_QUOTA_CHANGE_ARTICLES: list[dict[str, Any]] = [
    SOLAR_QUOTA_ARTICLES[1],
    {
        "id": "quota-2024-08",
        "title": "Proclamation to further facilitate positive adjustment to competition",
        "text": (
            "The safeguard measure was extended in 2022. Modules were reviewed by the "
            "Commission.\n\n(3) CSPV products entered above the prior TRQ limit of 5 GW on or "
            "after August 1, 2024, shall be included within the modified TRQ limit of 12.5 GW "
            "and shall not be assessed safeguard tariffs."
        ),
        "published_at": "2024-08-12",
        "source": "The White House",
        "url": "https://news.example/quota-2024-08-proclamation",
    },
    *(_quota_fill_report(month) for month in range(1, 19)),
]

# The EV tariff, then a later deal on China trade that tells a change of status ("suspend or
# remove") close in wording to any sentence on China tariffs, but says nothing about EVs.
EV_ARTICLES: list[dict[str, Any]] = [
    {
        "id": "ev-2024",
        "title": "Tariffs on Chinese electric vehicles raised",
        "text": (
            "The tariff rate on electric vehicles from China will increase from 25% to 100% in "
            "2024. A 100% tariff rate on EVs will protect American manufacturers from China's "
            "unfair trade practices."
        ),
        "published_at": "2024-05-14",
        "source": "The White House",
        "url": "https://news.example/ev-2024",
    },
    {
        "id": "deal-2025",
        "title": "United States and China strike a deal on trade",
        "text": (
            "China will suspend or remove all of the retaliatory countermeasures taken against "
            "the United States since March 2025. The United States will lower the tariffs on "
            "Chinese goods by ten percentage points."
        ),
        "published_at": "2025-11-01",
        "source": "The White House",
        "url": "https://news.example/deal-2025",
    },
]

# A refund for chips excepted from the reciprocal tariffs, and a later proclamation on dairy
# whose refund clause names no chips: "do importers get back the duties on chips?" is answered
# by the first; the later one's clause, close in wording, is no newer word on chips. Chips are
# written of in every other article, so refunds, not chips, are the question's rarest subject.
REFUND_ARTICLES: list[dict[str, Any]] = [
    news_article(
        f"chips-{n}",
        f"2024-0{n}-10",
        "Harbour Times",
        f"Chip export controls, part {n}",
        f"Export controls on advanced semiconductors were tightened again (round {n}). "
        "Chipmakers said the semiconductor rules would slow sales of chips abroad.",
    )
    for n in range(1, 5)
] + [
    {
        "id": "chips-refund-2025",
        "title": "Clarification of exceptions to the reciprocal tariffs",
        "text": (
            "Semiconductors, smartphones and computers are excepted from the reciprocal "
            "tariffs. Any duties that were collected at or after April 5, 2025 on imports of "
            "these semiconductors and computers shall be refunded to importers by CBP."
        ),
        "published_at": "2025-04-11",
        "source": "The White House",
        "url": "https://news.example/chips-refund-2025",
    },
    {
        "id": "dairy-2026",
        "title": "Suspension of additional duties on dairy and alcoholic beverages",
        "text": (
            "The additional duties on dairy products and alcoholic beverages are suspended "
            "for two weeks. To the extent that implementation of this proclamation requires "
            "a refund of duties collected, refunds to importers shall be processed by CBP "
            "under its standard procedures."
        ),
        "published_at": "2026-08-18",
        "source": "The White House",
        "url": "https://news.example/dairy-2026",
    },
]

# A yearly suspension of the steel tariff on Ukraine: "as of mid-2024, was it still exempt?" is
# told by the newest extension up to then (2024), though the 2023 one says more of the words.
UKRAINE_ARTICLES: list[dict[str, Any]] = [
    news_article(
        "ukraine-2023",
        "2023-05-31",
        "The White House",
        "Proclamation on steel imports from Ukraine",
        "Ukrainian steel remains exempt from the Section 232 steel tariffs: the suspension of "
        "tariffs on steel from Ukraine is extended for one more year, until June 1, 2024.",
    ),
    news_article(
        "ukraine-2024",
        "2024-05-31",
        "The White House",
        "Proclamation on steel imports from Ukraine",
        "The suspension for Ukraine is extended again, until June 1, 2025, because the war "
        "has left its mills a special case.",
    ),
    news_article(
        "steel-exemptions-end-2025",
        "2025-02-10",
        "The White House",
        "Steel tariffs restored in full",
        "Every country exemption from the steel tariffs ends on March 12, 2025.",
    ),
]

# Meetings announced over the years: "the next meeting" is the one the newest article plans,
# though the older announcements say "will meet" in more of the question's words.
SUMMIT_ARTICLES: list[dict[str, Any]] = [
    {
        "id": "summit-2023",
        "title": "Biden and Xi to meet in Woodside",
        "text": (
            "President Biden will meet President Xi in Woodside, California on November 15. "
            "The meeting will be the second between the two leaders."
        ),
        "published_at": "2023-11-10",
        "source": "Harbour Times",
        "url": "https://news.example/summit-2023",
    },
    {
        "id": "summit-2024",
        "title": "Biden and Xi to meet in Lima",
        "text": (
            "President Biden will meet President Xi in Lima, Peru on November 16. The meeting "
            "will be the third between the two leaders, on the margins of APEC."
        ),
        "published_at": "2024-11-14",
        "source": "Pacific Ledger",
        "url": "https://news.example/summit-2024",
    },
    {
        "id": "talks-2024",
        "title": "Officials follow up on the Woodside commitments",
        "text": (
            "Biden and Xi agreed to meet again in Lima, Peru in November 2024. Officials "
            "discussed the commitments the leaders made at the November 2023 Woodside Summit "
            "on fentanyl."
        ),
        "published_at": "2024-08-29",
        "source": "Pacific Ledger",
        "url": "https://news.example/talks-2024",
    },
    {
        "id": "deal-2026",
        "title": "Trump and Xi reach a trade deal in Beijing",
        "text": (
            "President Trump and President Xi met in Beijing and reached a trade deal on "
            "tariffs and soybeans. President Trump will welcome President Xi for a meeting in "
            "Washington this fall."
        ),
        "published_at": "2026-05-17",
        "source": "Harbour Times",
        "url": "https://news.example/deal-2026",
    },
]

# A year's figures are published the year after: "in 2024" names the time of the event, and
# the article that says "In 2024, ..." came out in 2025. The 2026 article gives the next
# year's figure without naming 2024.
CAR_SALES_ARTICLES: list[dict[str, Any]] = [
    {
        "id": "cars-2024-feb",
        "title": "Investigation into connected cars from China",
        "text": (
            "The administration opened an investigation into connected cars from China. "
            "Connected cars collect data on their drivers and on the roads they use."
        ),
        "published_at": "2024-02-29",
        "source": "Harbour Times",
        "url": "https://news.example/cars-2024-feb",
    },
    {
        "id": "cars-2024-may",
        "title": "Tariff on Chinese electric vehicles quadrupled",
        "text": (
            "The tariff on electric vehicles from China will rise from 25 percent to 100 "
            "percent this year. Few Chinese electric cars are sold in the United States."
        ),
        "published_at": "2024-05-14",
        "source": "Pacific Ledger",
        "url": "https://news.example/cars-2024-may",
    },
    {
        "id": "cars-2025",
        "title": "Auto parts tariff offset announced",
        "text": (
            "In 2024, Americans bought about 16 million cars and light trucks, and half of "
            "them were imports. The new proclamation offsets the tariffs on auto parts for "
            "carmakers that assemble vehicles in the United States."
        ),
        "published_at": "2025-04-29",
        "source": "Harbour Times",
        "url": "https://news.example/cars-2025",
    },
    {
        "id": "cars-2026",
        "title": "Car sales slip",
        "text": (
            "Americans bought 15 million cars and light trucks last year, fewer than a year "
            "earlier, as imported cars grew more expensive."
        ),
        "published_at": "2026-01-20",
        "source": "Pacific Ledger",
        "url": "https://news.example/cars-2026",
    },
]

# A promise made in November 2024, told in a February 2025 fact sheet that names only the
# month; the November article is about other business with Canada and Mexico, and a later
# fact sheet names another month the same way.
PROMISE_ARTICLES: list[dict[str, Any]] = [
    {
        "id": "promise-2024-11",
        "title": "Textile safeguard ended for Canada and Mexico",
        "text": (
            "The President ended the safeguard on fine denier fiber from Canada and Mexico "
            "under the trade agreement's implementation act. Imports from both partners were "
            "found not to contribute to the injury."
        ),
        "published_at": "2024-11-08",
        "source": "Harbour Times",
        "url": "https://news.example/promise-2024-11",
    },
    {
        "id": "promise-2025-02",
        "title": "Tariffs on Canada and Mexico imposed",
        "text": (
            "The President imposed tariffs on imports from Canada and Mexico today. He "
            "promised in November to charge Mexico and Canada a 25 percent tariff on all "
            "products until the flow of drugs across the border stops."
        ),
        "published_at": "2025-02-01",
        "source": "Pacific Ledger",
        "url": "https://news.example/promise-2025-02",
    },
    {
        "id": "promise-2025-06",
        "title": "Canada and Mexico tariff review",
        "text": (
            "In March the President promised Canada and Mexico a review of the tariffs on "
            "goods that meet the agreement's rules of origin."
        ),
        "published_at": "2025-06-10",
        "source": "Harbour Times",
        "url": "https://news.example/promise-2025-06",
    },
]

# Three Entity List rules in one year, each with entities in Pakistan: a follow-up about
# "them" means the rule of the turn before, whose date only that turn named.
ENTITY_LIST_ARTICLES: list[dict[str, Any]] = [
    {
        "id": "entities-jan",
        "title": "Thirteen entities added to the Entity List",
        "text": (
            "The Bureau of Industry and Security (BIS) added 13 entities to the Entity List: 11 "
            "in China, one in Burma and one in Pakistan."
        ),
        "published_at": "2025-01-06",
        "source": "Harbour Times",
        "url": "https://news.example/entities-jan",
    },
    {
        "id": "entities-mar",
        "title": "Seventy entities added to the Entity List",
        "text": (
            "The Bureau of Industry and Security (BIS) added 70 entities to the Entity List, "
            "42 of them in China and 19 in Pakistan, for supporting weapons programmes."
        ),
        "published_at": "2025-03-28",
        "source": "Pacific Ledger",
        "url": "https://news.example/entities-mar",
    },
    {
        "id": "entities-sep",
        "title": "Entity List grows by 32",
        "text": (
            "The Bureau of Industry and Security (BIS) added 32 entities to the Entity List. "
            "Of them, 23 are in China and 2 in Pakistan."
        ),
        "published_at": "2025-09-16",
        "source": "Harbour Times",
        "url": "https://news.example/entities-sep",
    },
]

# "how long can it last?" after a question on the surcharge: alone, the question is nearest
# the steel sentence that says "last"; it asks about the surcharge's 150 days.
SURCHARGE_ARTICLES: list[dict[str, Any]] = [
    {
        "id": "surcharge-2026",
        "title": "Temporary import surcharge under Section 122",
        "text": (
            "The President imposed a temporary import surcharge of 10 percent under Section "
            "122 of the Trade Act of 1974. The surcharge may stay in force for up to 150 days "
            "unless Congress extends it. Section 122 surcharges address balance-of-payments "
            "problems."
        ),
        "published_at": "2026-02-20",
        "source": "Harbour Times",
        "url": "https://news.example/surcharge-2026",
    },
    {
        "id": "steel-lasting",
        "title": "Steel tariff has no end date",
        "text": (
            "The Section 232 tariff on steel has no end date and can last for as long as the "
            "national security threat does. Importers pay it when the steel enters."
        ),
        "published_at": "2025-06-04",
        "source": "Pacific Ledger",
        "url": "https://news.example/steel-lasting",
    },
]


# Three articles of one week in July 2026: the one that says when the duties start repeats the
# question's "July 2026"; the one naming the law behind them does not.
CANADA_LAW_ARTICLES: list[dict[str, Any]] = [
    news_article(
        "canada-start",
        "2026-07-20",
        "Harbour Times",
        "Duties on Canadian goods begin",
        "The July 2026 tariffs on Canadian goods take effect on July 21, 2026, for goods "
        "entered from that day.",
    ),
    news_article(
        "canada-law",
        "2026-07-21",
        "Pacific Ledger",
        "The law behind the Canada duties",
        "Section 338 of the Tariff Act of 1930 is the legal authority the President cited for "
        "the duties on Canada.",
    ),
    news_article(
        "canada-talks",
        "2026-07-22",
        "Mill Weekly",
        "Canada talks",
        "Canadian officials said talks would resume in August.",
    ),
]

# Duties that were to take effect on a day, and the newest proclamation suspending them, in
# which the partner's promise to "remove" the dispute's cause is no change of status yet.
SUSPENDED_DUTIES_ARTICLES: list[dict[str, Any]] = [
    {
        "id": "dairy-duties-2026-07",
        "title": "Additional duties on dairy products of Canada",
        "text": (
            "The President imposed additional duties of 50 percent on dairy products of "
            "Canada, effective August 19, 2026. The duties offset Canada's discrimination "
            "against United States dairy."
        ),
        "published_at": "2026-07-20",
        "source": "The White House",
        "url": "https://news.example/dairy-duties-2026-07",
    },
    {
        "id": "dairy-duties-2026-08",
        "title": "Temporary suspension of the additional duties on dairy products of Canada",
        "text": (
            "In July I imposed additional duties of 50 percent on dairy products of Canada, "
            "effective August 19, 2026. Canada has expressed a commitment to remove the "
            "discrimination against United States dairy that the 50 percent duties offset. "
            "Negotiations between the two governments on dairy quotas continue in Ottawa this "
            "week. Officials advise that the public interest favors suspending the additional "
            "duties on dairy products of Canada for a period of 3 days."
        ),
        "published_at": "2026-08-18",
        "source": "The White House",
        "url": "https://news.example/dairy-duties-2026-08",
    },
]

# A later proclamation adding products writes "contents" only pages away from the sentence
# retrieval finds: on how derivatives are charged, the newest word is the one before it.
_RACK_FILLER = " ".join(
    f"Section {n}. Shelving of heading {9400 + n} is used in warehouses and shops across the "
    "country, and its makers asked for the goods to be covered."
    for n in range(1, 41)
)
DERIVATIVE_ARTICLES: list[dict[str, Any]] = [
    news_article(
        "metal-2025-06",
        "2025-06-03",
        "The White House",
        "Adjusting imports of steel derivative products",
        "The tariffs on steel derivative products are charged only on the value of the steel "
        "content of each product.",
    ),
    news_article(
        "metal-2026-04",
        "2026-04-02",
        "The White House",
        "Strengthening the tariffs on steel",
        "From April 6, 2026, the tariffs on steel derivative products shall apply to the full "
        "customs value of the imported product, not only to its steel content.",
    ),
    news_article(
        "racks-2026-06",
        "2026-06-01",
        "The White House",
        "Adding steel racks to the derivative products",
        "I determine that steel racks constitute steel derivative products subject to the "
        "tariffs.\n\n"
        + _RACK_FILLER
        + "\n\nThe contents of this proclamation supersede earlier notices.",
    ),
]
