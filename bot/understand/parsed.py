"""A question as understood: the Query every answer is computed from, and the cleaning every question gets first."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz.fuzz import ratio
from unidecode import unidecode

from bot.text import GREEK

from .dates import DateRange, spelled_years
from .language import FOREIGN_COURTESY, GREETING
from .markup import strip_markup
from .notes import Note
from .patterns import LONG
from .wordclass import base_verb

MAX_QUESTION = 2000  # a Discord message holds 2,000 characters


SELECTION = (
    "topic", "authors", "exclude_authors", "unknown_authors", "categories", "exclude_categories", "affiliations",
    "exclude_affiliations", "has_code", "dates", "date_periods", "exclude_dates", "months", "first_author", "in_title",
    "affiliated", "exclude_terms", "within",
)  # fmt: skip  # the Query fields that decide which records a question selects


@dataclass(slots=True)
class Query:
    """A question as understood. Lists of names hold normalised keys; dates are inclusive."""

    text: str
    intent: str = "search"
    topic: str = ""
    exclude_terms: list[str] = field(default_factory=list)
    dates: DateRange | None = None
    authors: list[str] = field(default_factory=list)
    exclude_authors: list[str] = field(default_factory=list)
    unknown_authors: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    exclude_categories: list[str] = field(default_factory=list)
    affiliations: list[str] = field(default_factory=list)
    exclude_affiliations: list[str] = field(default_factory=list)
    has_code: bool | None = None
    sort: str = "relevance"
    limit: int | None = None
    target: str = ""
    detail: str = ""
    group_by: str = ""
    owner_dropped: bool = False
    error: str = ""
    author_mode: str = "all"  # "any": records by any of the authors ("Metz or Sohl-Dickstein")
    affiliation_mode: str = "all"
    set_aside: list[str] = field(default_factory=list)  # words that fit no role, named in the reply
    missing: list[str] = field(default_factory=list)  # topic words no record holds
    corrections: dict[str, str] = field(default_factory=dict)  # typed -> read as
    expansions: dict[str, str] = field(default_factory=dict)  # "nerf" -> "neural radiance fields", both ways
    match_all: bool = True  # a record must hold every topic word (long questions: any of the informative ones)
    notes: list[Note] = field(default_factory=list)
    caveat: Note | None = None  # what the corpus lacks, or that only English is understood
    ambiguous: dict[str, list[str]] = field(default_factory=dict)  # typed name -> display names it may mean
    exclude_dates: list[DateRange] = field(default_factory=list)  # "not from 2020"
    date_periods: list[DateRange] = field(default_factory=list)  # "2016, 2019 and 2023": any of these
    in_title: bool = False  # "papers with diffusion in the title": the topic words must be in the title
    first_author: bool = False  # "papers where Ben Poole is the first author": listed first (lists keep their first name)
    within: list[int] | None = None  # only these records, in this order (a follow-up's "those", "the first two")
    profiles: list[str] = field(default_factory=list)  # several profiles loaded: the ones meant ("Luke Metz's papers")
    together: bool = False  # "papers they wrote together": every person named (or in focus) on each record
    ends: bool = False  # "the oldest and the newest paper": both ends of the date order, nothing between
    months: list[int] = field(default_factory=list)  # "only the june ones": that month of any year (1-12)
    affiliated: bool | None = None  # "papers that list an affiliation": whether any affiliation is printed on them
    confirm: bool = False  # "CAT3D came out in 2024, right?": the paper shown, and whether its filters hold for it

    def has_filters(self) -> bool:
        return bool(
            self.dates
            or self.authors
            or self.exclude_authors
            or self.unknown_authors
            or self.categories
            or self.exclude_categories
            or self.affiliations
            or self.exclude_affiliations
            or self.has_code is not None
            or self.exclude_terms
            or self.ambiguous
            or self.exclude_dates
            or self.date_periods
            or self.months
            or self.affiliated is not None
            or self.first_author
            or self.within is not None
            or bool(self.profiles)
        )

    def as_json(self) -> dict[str, Any]:
        """The interpretation as the CLI's JSON shows it."""
        dates = self.dates or DateRange()
        return {
            "topic": self.topic,
            "exclude_terms": self.exclude_terms,
            "date_from": dates.first.isoformat() if dates.first else None,
            "date_to": dates.last.isoformat() if dates.last else None,
            "authors": self.authors,
            "exclude_authors": self.exclude_authors,
            "unknown_authors": self.unknown_authors,
            "categories": self.categories,
            "exclude_categories": self.exclude_categories,
            "affiliations": self.affiliations,
            "exclude_affiliations": self.exclude_affiliations,
            "has_code": self.has_code,
            "sort": self.sort,
            "limit": self.limit,
            "target": self.target,
            "group_by": self.group_by,
            "author_mode": self.author_mode,
            "affiliation_mode": self.affiliation_mode,
            "set_aside": self.set_aside,
            "missing": self.missing,
            "corrections": self.corrections,
            "expansions": self.expansions,
            "match_all": self.match_all,
            "caveat": str(self.caveat) if self.caveat else None,
            "months": self.months,
            "affiliated": self.affiliated,
            "in_title": self.in_title,
            "first_author": self.first_author,
            "profiles": self.profiles,
            "date_periods": [
                [d.first.isoformat() if d.first else None, d.last.isoformat() if d.last else None] for d in self.date_periods
            ],
            "exclude_dates": [
                [d.first.isoformat() if d.first else None, d.last.isoformat() if d.last else None] for d in self.exclude_dates
            ],
        }


# contractions typed without their apostrophe ("dont", "isnt"): no topic words, and "dont" is no typo of "Dong"
_BARE_CONTRACTION = re.compile(  # never "well" -> "we'll" or "were" -> "we're": those are words
    r"\b(do|does|did|is|are|was|were|has|have|had|could|would|should|ca|wo|ai|need)nt\b"
    r"|\b(you|they)(re|ve|ll)\b|\b(i)(m|ve)\b|\b(we)(ve)\b"
    r"|\b(that|there|here|what|who|he|she)(s)\b(?=\s+(?:a|an|the|it|there|about|on|new|from|by|with|not|no|some|any|all|\w+(?:ed|ing))\b)"
    r"|\b(who|what|where|how)(s)\b(?!')",  # "whos luke metz", "whats velo": no English words, always contractions
    re.IGNORECASE,
)
_ET_AL = re.compile(r"\bet\s+al\b\.?,?", re.IGNORECASE)
_SLASH_OR = re.compile(r"(?<=[A-Za-z]{2})\s*/\s*(?=[A-Za-z]{2})(?<!\bw/)(?<!\band/)")
_MIND_DOING = re.compile(r"\b(?:would|do|will)\s+you\s+mind\s+(?P<verb>[a-z]+ing)\b", re.IGNORECASE)
_COURTESY = re.compile(  # "if possible", "would you be able to": politeness, never a topic ("possible", "able", "mind")
    r"[,\s]*\b(?:if\s+(?:at\s+all\s+)?possible|if\s+you\s+(?:can|could|would)(?=\s*(?:[,.;?!]|$))|if\s+you\s+(?:don'?t|do\s+not)\s+mind|if\s+you\s+please|if\s+(?:it'?s|it\s+is)\s+(?:not\s+too\s+much|no)\s+(?:trouble|bother|to\s+ask)|(?:might|may|could|can)\s+i\s+(?:trouble|bother)\s+you\s+(?:for|to)"
    r"|if\s+that'?s\s+(?:ok(?:ay)?|alright|possible|fine)|by\s+any\s+chance|when\s+you\s+(?:get|have)\s+a\s+(?:chance|moment|minute|sec(?:ond)?)"
    r"|at\s+your\s+(?:convenience|earliest\s+convenience))\b[,]?|\b(?:would|could|will)\s+you\s+(?:be\s+able\s+to|mind|be\s+so\s+kind\s+as\s+to|kindly)"
    r"|\bare\s+you\s+able\s+to|\bis\s+it\s+possible\s+to|\bwould\s+it\s+be\s+possible\s+to\b",
    re.IGNORECASE,
)
_CORRECTION = re.compile(  # "w code only. no wait, the ones WITHOUT code": what follows the correction is what is asked
    r"(?:^|[.,;!?]\s*|\s+[-—–]+\s+)(?:(?:no+|nope|nah|oops|sorry|ah|oh|hmm+|err?m?|ugh)[,.!]*\s+)*"
    r"(?:wait|i\s+mean(?:t)?|scratch\s+that|correction|my\s+bad|(?:my\s+)?apologies|actually(?=,)|sorry(?=\s*,))[,:.!]*\s+"
    r"(?:no+[,.!]*\s+)?"  # "from 2016, wait no, 2020"
    r"|\s*[,—–]\s*no+\s*[,—–]\s*|\s+-+\s+no+\s*[,—–-]\s*",  # "papers by Luke — no, by Jascha"
    re.IGNORECASE,
)
_MEANT_AFTER = re.compile(  # "cite the Gumbel paper — Gumbel-Softmax, I mean": the restatement said before "I mean"
    r"^(?P<head>.+?)\s*(?:[—–]|\s-+)\s*(?P<fix>[^,—–]+?),?\s+i\s+mean(?:t)?\s*[.!?]*$", re.IGNORECASE
)
_ONLY = re.compile(
    r"\b(?:nothing|none|no\s+papers?)\s+(?:(?:that|which)\s+(?:isn't|isnt|is\s+not|aren't|arent|are\s+not)|but|except|other\s+than)\s+(?=\S)",
    re.IGNORECASE,
)
_ONES = re.compile(r"^\s*(?:i\s+meant?\s+)?(?:the\s+ones|those|ones|just\s+the\s+ones|only\s+the\s+ones)\b", re.IGNORECASE)
_CODE_CLAUSE = re.compile(
    r"\b(?:(?:that|which)\s+(?:have|has|had|lack|don't\s+have|do\s+not\s+have)|with(?:out)?|w/o?|having|no)\s+(?:any\s+|public\s+|released\s+)?code\b",
    re.IGNORECASE,
)
_EXAMPLES = re.compile(  # "papers on optimisers, e.g. learned optimizer stuff like VeLO?": examples of what is asked
    r"\s*[,;(]\s*(?:e\.\s?g\.?|eg\.|for\s+example|for\s+instance|such\s+as)[,:]?\s+[^?!]*?\)?(?=\s*[?!.]*$)", re.IGNORECASE
)
_WISE = re.compile(r"[,\s]*\b[a-z]+-wise\b", re.IGNORECASE)
_LENGTH_ASKED = re.compile(
    r"[,\s]*\b(?:in|within|using)\s+(?:just\s+)?(?:one|two|three|a\s+few|few|a|1|2|3|5)\s+(?:lines?|sentences?|words?|bullets?|bullet\s+points?|paragraphs?)\b"
    r"|[,\s]*\b(?:briefly|in\s+short|in\s+brief|in\s+a\s+nutshell|eli5|in\s+(?:layman'?s|simple|plain)\s+(?:terms|words|english))\b",  # "ELI5": set aside
    re.IGNORECASE,
)
_ASIDE = re.compile(  # "B. Mildenhal (sp?)", "in english this time", "only counting 2020 onwards"
    r"\b(?:on|in|from)\s+(?:his|her|ben'?s|your)\s+(?:profile\s+)?page\b|\bprofile\s+page\b"  # his page is the corpus ("this page": a page shown)
    r"|\bas\s+(?:precisely|accurately|quickly|soon|exactly|completely|briefly)\s+as\s+(?:possible|you\s+can)\b|"
    r"\((?:sp|sic|\?|not\s+sure|i\s+think)\??\)|\bi\s+(?:think|guess|believe|suppose|reckon)(?=\s+(?:there'?s|there\s+(?:is|are|was|were)|it'?s|it\s+(?:is|was)|the|he|she|they)\b)|,?\s*\b(?:in|using)\s+english(?:\s+(?:this\s+time|now|please|pls))?\b|(?<=\bonly\s)counting\b"
    r"|\b(?:moved|moving|reposting|re-posting|cross-?posting|copying)\s+(?:this\s+|it\s+)?(?:here\s+|over\s+)*from\s+(?:#\s*)?[\w-]+"  # "moved here from general:"
    r"|\b(?:asked|posted)\s+(?:this\s+)?(?:earlier|before|yesterday)(?:\s+but\s+(?:got\s+no\s+(?:answer|reply|response)|nobody\s+(?:answered|replied)|no\s+one\s+(?:answered|replied)))?"
    r"|\bno\s+(?:shot|cap)\b|\breal\s+quick\b"  # "no shot bro", "no cap", "real quick": slang, no topic
    r"|\b(?:let'?s\s+)?(?:circle\s+back|touch\s+base)(?:\s+(?:on|to|about))?\b|,?\s*\bgoing\s+forward\b"  # office idioms
    r"|\b(?:(?:just\s+)?asking\s+for\s+a\s+friend|(?<![\w+])\+1(?:\s+(?:on|to)\s+(?:this|that))?)(?![\w])"  # "+1 on this", "asking for a friend"
    r"|^\s*bump(?:ing)?\b|\b(?:(?:a\s+)?(?:quick\s+)?(?:reminder|note)\s+to\s+(?:self|myself)|reminder)\s*:"  # "reminder to self: ..."
    r"|^\s*(?:(?:ok(?:ay)?|k|and|so|oh)[,\s]+)*(?:one\s+)?(?:last|final|other|more|quick|another)\s+(?:thing|question|q|one)\s*[:,\-–—]+"  # "last thing: ..."
    r"|^\s*(?:(?:ok(?:ay)?|k|and|so|oh|right)[,\s]+)*(?:back\s+to\s+(?:the\s+)?(?:papers|business|topic|work)|moving\s+on|anyway|anyways)\s*[:,\-–—]+"  # "ok back to papers: ..."
    r"|\b(?:both\s+(?:months|years|dates|ends)\s+|(?:months|years|dates)\s+)?(?:inclusive|included)(?=\s*\))",
    re.IGNORECASE,
)
_SLANG = {
    "ppl": "people",
    "thru": "through",
    "abt": "about",
    "bout": "about",  # "the paper bout posterior collapse"
    "lastyear": "last year",  # "anything lastyear?"
    "thisyear": "this year",
    "b4": "before",
    "predate": "before",
    "predates": "before",
    "predated": "before",
    "postdate": "after",
    "postdates": "after",
    "postdated": "after",
    "collab": "collaborate",
    "collabs": "collaborators",
    "collabed": "collaborated",
    "collabbed": "collaborated",
    "yrs": "years",
    "bc": "because",
    "w/o": "without",
    "hes": "he's",
    "w/": "with",
    "deets": "details",
    "teh": "the",
    "gist": "summary",  # "VeLO, gist?", "gist of the newer one": its abstract
    "synopsis": "summary",
    "blurb": "summary",
}
_SLANG_RE = re.compile(r"(?<![\w/])(?:" + "|".join(map(re.escape, _SLANG)) + r")(?![\w/])", re.IGNORECASE)
_LEAVE_OUT = re.compile(
    r"\b(?:leave|leaving|keep|keeping)\s+(?P<x>[\w.'-]+(?:\s+[\w.'-]+){0,3}?)\s+out(?:\s+of\s+(?:it|this|that|them|the\s+\w+))?\b",
    re.IGNORECASE,
)
_RANDOM = re.compile(
    r"\b(?P<n>\d{1,2}|a\s+few|some|few|two|three|four|five|ten|a)\s+random(?:ly\s+(?:picked|chosen))?\s+(?=papers?|ones?|picks?)",
    re.IGNORECASE,
)
_OWN_PLANS = re.compile(  # "i'll page thru them", "stuff i can actually run", "where do I even start": the asker's plans
    r"[,;]?\s*\b(?:i'?ll|i\s+will|so\s+(?:that\s+)?i\s+can)\s+(?:actually\s+|then\s+|just\s+)?(?:page|read|run|cite|skim|print|look|go|scroll|sort|check|use|try|reproduce|divide|compute|calculate|do\s+the\s+math|work\s+out)\b[^,.;?!]*"
    r"|\b(?:stuff|things|something|ones)\s+(?:that\s+)?i\s+can\s+(?:actually\s+)?(?:run|read|use|reproduce|try)\b"
    r"|\bwhere\s+(?:do|should|can)\s+i\s+(?:even\s+)?(?:start|begin)\b\W*|\b(?:my\s+)?first\s+(?:day|week)\s+(?:in\s+the\s+lab|here|at\s+the\s+lab)\b\W*",
    re.IGNORECASE,
)
_FIELDS = re.compile(
    r"(?:(?<=\s)|^)(?P<neg>-)?\b(?P<f>author|authors|by|cat|category|categories|year|yr|date|code|has|before|after|since|until|sort)"
    r"\s*(?P<op>:?\s*(?:>=|<=|>|<|!=)|:|==?)\s*(?P<v>\"[^\"]+\"|'[^']+'|[\w.-]+)"
    r"|(?P<and>&&)|(?P<or>\|\|)",
    re.IGNORECASE,
)
_QUERY_WORDS = (  # "limit 3", "order by date desc", "select * from papers where ...", "diffusion -video": query languages
    (re.compile(r"\blimit\s+(\d{1,3})\b", re.IGNORECASE), r" top \1 "),
    (re.compile(r"\border\s+by\s+(?:date|year|time)\s+asc(?:ending)?\b", re.IGNORECASE), " oldest first "),
    (re.compile(r"\border\s+by\s+(?:date|year|time)(?:\s+desc(?:ending)?)?\b", re.IGNORECASE), " newest first "),
    (re.compile(r"\bgroup\s+by\s+(year|category)\b", re.IGNORECASE), r" per \1 "),
    (re.compile(r"\bgroup\s+by\s+(?:co-?authors?|authors?|people)\b", re.IGNORECASE), " top coauthors "),
    (re.compile(r"^\s*select\s+count\s*\(\s*\*?\s*\)\s+(?:from\s+papers\s+)?(?:where\s+)?", re.IGNORECASE), "how many papers "),
    (re.compile(r"^\s*select\s+(?:\*|[\w, ]+?)\s+(?:from\s+papers\s+)?where\s+", re.IGNORECASE), "papers "),
    (re.compile(r"\bcount\s*\(\s*\*?\s*\)", re.IGNORECASE), " how many "),
    (re.compile(r"\byear\s+(?=between\b)", re.IGNORECASE), " "),
    (  # "NOT diffusion year:2023": a search engine's NOT before a term ("was NOT on", "NOT from 2020" stay English)
        re.compile(
            r"(?-i:\bNOT)\s+(?=(?!(?:appear\w*|in|on|from|as|the|a|an|be|by|with|listed|shown|included|part|one)\b)[a-z\"])"
        ),
        " without ",
    ),
    (
        re.compile(r"(?:(?<=\s)|^)-(?:\"([^\"]+)\"|(?=[A-Za-z][\w-]*\b))"),
        r" without \1 ",
    ),  # "diffusion -video", 'gan -"non-saturating"'
)
_YEAR_OPS = {":": "in", "=": "in", "==": "in", ">": "after", ">=": "since", "<": "before", "<=": "until", "!=": "not in"}


EITHER_PHRASES = re.compile(r"\(([^()]*)\)")  # "diffusion (video or 3d)": the alternatives a topic offers, in brackets


def topic_parts(topic: str) -> tuple[list[str], list[list[str]]]:
    """A topic's words every record must hold, and its alternatives ("reinforcement learning or robot control"),
    each a list of words of which a record must hold all."""
    m = EITHER_PHRASES.search(topic)
    if not m:
        return topic.split(), []
    rest = (topic[: m.start()] + " " + topic[m.end() :]).split()
    return rest, [side.split() for side in m.group(1).split(" or ") if side.split()]


def _field(m: re.Match[str]) -> str:
    """One search-box field as the words a question would use ("year>2019" -> "after 2019")."""
    if m.group("and") or m.group("or"):
        return " and " if m.group("and") else " or "
    field, value = m.group("f").lower(), m.group("v").strip("\"'")
    op = m.group("op").lstrip(":").strip() or ":"  # "year:>2020" is "year>2020"
    negated = "not " if op == "!=" or m.group("neg") else ""
    if field in ("before", "after", "since", "until"):  # "before:2016", "since:2020"
        return f" {negated}{field} {value} "
    if field == "sort":  # "sort:date", "sort:oldest", "sort:citations" (which the corpus lacks, said so)
        order = value.lower()
        return (
            " oldest first "
            if order.startswith(("old", "asc"))
            else " newest first "
            if order.startswith(("date", "new", "recent", "year", "desc", "time"))
            else f" sorted by {order} "
        )
    if field in ("year", "yr", "date") and negated:  # "-year:2023"
        return f" not in {value} " if ".." not in value else " not from {} to {} ".format(*value.split("..", 1))
    if field in ("year", "yr", "date") and ".." in value:  # "year:2020..2022"
        first, _, last = value.partition("..")
        return f" from {first} to {last} "
    if field in ("author", "authors", "by"):
        return f" {negated}by {value} "
    if field in ("cat", "category", "categories"):
        return f" {negated}category {value} "
    if field in ("year", "yr", "date"):
        return f" {_YEAR_OPS[op]} {value} "
    yes = value.lower() in ("yes", "true", "1", "y", "code")
    return " with code " if yes != bool(negated) else " without code "


_INCLUDED = re.compile(  # "since 2022 (2022 included)", "2017 until 2019, both years included": ranges already include them
    r"\(\s*(?:(?:19|20)\d\d\s+|both\s+(?:years|months|days|ends|dates)\s+)?(?:included|inclusive|incl\.?)\s*\)"
    r"|\(\s*(?:incl\.?|including|inclusive\s+of)\s+(?:19|20)\d\d\s*\)"
    r"|,?\s*\b(?:counting|including|incl\.?)\s+(?:19|20)\d\d\s+(?:itself|too|as\s+well)\b"
    r"|(?<=\d)\s+(?:included|inclusive)\b|,?\s*\bboth\s+(?:years|months|days|ends|dates)\s+(?:included|inclusive)\b|,?\s*\binclusive\b"
    r"|,\s*(?:19|20)\d\d\s+(?:included|inclusive|too|as\s+well|counted)\b"  # "since 2020, 2020 included"
    r"|(?<=\bbetween)\s+the\s+years(?=\s+(?:19|20)\d\d\b)",  # "between the years 2016 and 2019": between 2016 and 2019
    re.IGNORECASE,
)
_SYMBOLS = (  # "papers >= 2024", "LG & code & < 2021", "2020 & !LG", "Yang Song | Ruiqi Gao": operators typed as symbols
    (re.compile(r"(?:>=|≥|=>)\s*(?=(?:19|20)\d\d\b)"), " since "),
    (re.compile(r"(?:<=|≤|=<)\s*(?=(?:19|20)\d\d\b)"), " until "),
    (re.compile(r"(?<![<>=\w-])>\s*(?=(?:19|20)\d\d\b)"), " after "),
    (re.compile(r"(?<![<>=\w-])<\s*(?=(?:19|20)\d\d\b)"), " before "),
    (re.compile(r"(?:(?<=[&,(])|(?<=[&,(]\s))!\s*(?=[A-Za-z])"), "not "),  # "& !LG" (a leading "!papers" is a command)
    (re.compile(r"(?<=\w)\s+\|\s+(?=\w)"), " or "),
    (re.compile(r"\bexcl\.?(?=\s)", re.IGNORECASE), "excluding"),
    (re.compile(r"^\s*-\s*(?=(?:19|20)\d\d\b)|(?<=[A-Za-z]\s)-(?=(?:19|20)\d\d\b)"), "not from "),  # "-2020", "code -2020"
)
_NEITHER_TOPIC = re.compile(  # "neither about GANs nor diffusion", "not about GANs or diffusion": both left out
    r"\b(?:neither|not)\s+(?:about|on|regarding)\s+(?P<a>[\w-]+)\s+(?:nor|or)\s+(?:about\s+|on\s+)?(?P<b>[\w-]+)\b"
    r"|\bneither\s+(?P<a2>[\w-]+)\s+nor\s+(?P<b2>[\w-]+)(?=\s+(?:papers?|works?|stuff|ones|pubs)\b)",  # "neither GAN nor VAE papers"
    re.IGNORECASE,
)
_WHAT_IT_DOES = re.compile(  # "with a short description of what it does": what any paper card shows, no topic
    r"\b(?:an?\s+)?(?:short\s+|brief\s+|quick\s+|one-line\s+)?(?:description|summary|explanation|overview)s?\s+of\s+"
    r"what\s+(?:it|they|each(?:\s+one)?)\s+(?:does|do|is\s+about|are\s+about)\b",
    re.IGNORECASE,
)
_STUDENT_YEAR = re.compile(  # "first-year phd student here": who is asking, not "oldest first"
    r"\b(?:first|second|third|fourth|fifth|final|1st|2nd|3rd|4th|5th)[\s-]+year(?=\s+(?:phd|ph\.d\.?|ms|msc|master'?s?|grad|graduate"
    r"|undergrad|undergraduate|student|students|postdoc|doctoral|in\s+the\s+lab|here))",
    re.IGNORECASE,
)
_NOR_CODE = re.compile(  # "neither CV nor have code": and without code
    r"\bnor\s+(?:do\s+they\s+|does\s+it\s+)?(?:have|has|having|with|come\s+with|ship\s+with)\s+(?:any\s+)?(?:public\s+|released\s+)?code\b",
    re.IGNORECASE,
)
_SHORT_RANGE = re.compile(r"\b(?P<a>(?:19|20)(?P<a2>\d\d))\s*[-–]\s*(?P<b>\d\d)\b(?![-/.]?\d)")  # "2022-24": 2022 to 2024


def _short_range(m: re.Match[str]) -> str:
    """ "2019-21" is 2019 to 2021; "2020-11" stays (November 2020, not a range backwards)."""
    if int(m.group("b")) <= int(m.group("a2")):
        return m.group(0)
    return f"{m.group('a')} to {m.group('a')[:2]}{m.group('b')}"


_DROP_SIDE = re.compile(  # "leave out anything after 2017": up to 2017; "skip the ones before 2020": from 2020
    r"\b(?:leave\s+out|leaving\s+out|exclude|excluding|drop|remove|skip|ignore|cut|without|minus)\s+(?:anything|everything|all|any|the\s+ones|ones|those|papers|stuff)?"
    r"\s*(?:published\s+|released\s+|from\s+|that\s+(?:came\s+out|is|are)\s+)?(?P<side>after|before|since|prior\s+to)\s+(?P<y>(?:19|20)\d\d)\b",
    re.IGNORECASE,
)


def _drop_side(m: re.Match[str]) -> str:
    """The years kept when the ones on one side are left out ("since 2020" left out: before 2020)."""
    side = " ".join(m.group("side").lower().split())
    kept = {"after": "until", "before": "since", "prior to": "since"}.get(side, "before")
    return f"{kept} {m.group('y')}"


_NUMERIC_DATE = re.compile(r"\b(?:(?P<d>\d{1,2})(?P<sep>[./]))?(?P<m>\d{1,2})[./](?P<y>(?:19|20)\d\d)\b")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
           "December")  # fmt: skip
_MAKE_TABLE = re.compile(  # "please make table of papers by year": the form of the answer, no topic
    r"\b(?:make|build|create|draw|prepare|compile|produce)\s+(?:me\s+|us\s+)?(?:an?\s+|the\s+)?"
    r"(?=(?:table|chart|graph|plot|list|histogram|overview)\b)"
    r"|\b(?:as|in)\s+(?:an?\s+)?(?:bullet(?:ed)?(?:\s+points?|\s+list)?|bullets|numbered\s+list)\b",
    re.IGNORECASE,
)
_ABOUT_ONE_COAUTHOR = re.compile(  # "tell me about coauthor Luke Metz": one person, not the coauthor table
    r"\b(?P<lead>about|is|on)\s+(?:the\s+|his\s+|ben'?s\s+)?(?:co-?author|collaborator)\s+"
    r"(?!(?:with|who|whom|that|which|of|in|on|for|from|to|and|the|a|an|most|has|had|have|is|was|he|she|ben)\b)(?=[A-Za-z][a-z]*\.?\s+[A-Za-z])",
    re.IGNORECASE,
)
_HONORIFIC = re.compile(r"\b(?i:dr|prof|professor|mr|mrs|ms|doctor)\.?\s+(?=[A-Z])")  # "Dr. Raghu's joint work with Dr. Poole"
_YEAR_BY_YEAR = re.compile(  # "a year-by-year table", "per annum", "tabulate his papers": per year
    r"\byear[\s-]+(?:by|over|after)[\s-]+year\b|\b(?:per|each|by)\s+annum\b|\btabulate(?=\s+(?:his|her|their|the|all)\b.*\bper\s)",
    re.IGNORECASE,
)
_JUST_NUMBER = re.compile(  # "A single number is all I need.": a count, said as a remark
    r"\b(?:an?\s+)?(?:single\s+|one\s+)?(?:number|count|total)\s+is\s+all\s+(?:i|we)\s+(?:need|want)\b|\b(?:an?|one)\s+single\s+(?=number\b)"
    r"|\b(?:just|only)\s+the\s+(?:numbers|counts|totals)\b|\b(?:numbers|counts)\s+only\b",  # "per category — just the numbers"
    re.IGNORECASE,
)
_ASKER_USE = re.compile(  # "code available that I could actually run": what the asker will do, no topic
    r"(?:\s+(?:that|which)|(?<=citation)|(?<=bibtex)|(?<=entry)|(?<=reference))\s+(?:i|we)\s+(?:could|can|might|would|will|'d)\s+(?:actually\s+|really\s+|then\s+|easily\s+|just\s+)?"
    r"(?:run|use|read|cite|try|play\s+with|build\s+on|reproduce|download|paste|copy|drop\s+in(?:to\s+\w+)?)\b(?:\s+(?:it|them|myself|ourselves|in))?",
    re.IGNORECASE,
)
_ONE_FIRST = re.compile(  # "sort it with the oldest one first": an order, not one paper
    r"\b(?:with\s+)?(?:the\s+)?(oldest|newest|earliest|latest|most\s+recent)\s+(?:ones?|papers?)\s+(?:first|on\s+top|at\s+the\s+top)\b",
    re.IGNORECASE,
)
_KNOW_IF_CODE = re.compile(  # "anyone know if VeLO released code??": did it
    r"^(?:does\s+|do\s+)?(?:any\s*one|anybody|someone|somebody|(?:do\s+)?(?:you|u)|y'?all)\s+know\s+(?:if|whether)\s+"
    r"(?=.+\s+(?:released|has|have|had|shipped|published)\s+(?:any\s+|its\s+|the\s+)?code\b)",
    re.IGNORECASE,
)
_GROUP_WISE = re.compile(r"\b(year|categor(?:y|ies)|month)[\s-]*wise\b", re.IGNORECASE)  # "year wise count": per year
_REVERT = re.compile(r"\brevert\s+(?:back\s+)?(?:with|to\s+me\s+with)\b", re.IGNORECASE)  # "revert with abstract of CAT3D"
_MAXIMUM = re.compile(
    r"\b(with|having|has|have)\s+(?:the\s+)?maximum\s+(?=papers|number|count|publications|works)", re.IGNORECASE
)
_CITE_STYLE = re.compile(
    r"\b(?:in\s+)?(?:apa|mla|chicago|ieee|harvard)(?:\s+(?:style|format))?(?=\s+(?:citation|reference|format))", re.I
)
_CATEGORY_CODE = re.compile(  # "machine learning (ML) category": the code given in brackets decides
    r"\b(?:computer\s+vision|(?:statistical\s+)?machine\s+learning|statistics|artificial\s+intelligence|robotics|graphics"
    r"|computation\s+and\s+language|neural\s+and\s+evolutionary\s+computing)\s*\(\s*(?:cs\.|stat\.)?(?P<c>[A-Za-z]{2})\s*\)",
    re.IGNORECASE,
)
_MAY_I_SEE = re.compile(  # "Could I see the abstract?", "Open the broken ELBO paper.": show me the abstract, the paper
    r"^\s*(?:(?:and|ok(?:ay)?|so)[,\s]+)?(?:could|can|may|might)\s+i\s+(?:please\s+)?(?:see|get|have|read)\s+"
    r"|^\s*(?:please\s+)?(?:open|pull\s+up|bring\s+up)\s+(?=(?:the|that|this)\b)",
    re.IGNORECASE,
)
_POLITE_START = re.compile(  # "stp, ...", "Kindly give the abstract of ...": the request itself follows
    r"^\s*(?:(?:pls|plz|please|kindly|stp|svp|bitte|por\s+favor)\s*[,:;]\s*"
    r"|(?:pls|plz|please|kindly)\s+(?=(?:give|show|list|tell|provide|find|fetch|send|share|get|name|display|pull|bring)\b))",
    re.IGNORECASE,
)
_FOR_A_NOTE = re.compile(  # "For a briefing note, ...": what the answer is for, no part of the question
    r"^\s*(?:for|as\s+part\s+of)\s+(?:a|an|the|my|our)\s+(?:[\w-]+\s+){0,2}(?:note|report|slides?|deck|presentation|newsletter|talk|memo"
    r"|article|review|proposal|grant|thesis|survey|summary|briefing|digest|post|blog|profile|piece|intro|introduction|chapter"
    r"|section|paper|lecture|class|course|seminar|meeting|syllabus|reading\s+list|talk|poster|application|website)\s*[,:;-]\s*",
    re.IGNORECASE,
)
_PHONE_FORMS = (  # digits and a fish typed for words: "4th 1 pls", "bibtex 4 it", "vel0", "w/o cod"
    (re.compile(r"\b(\d(?:st|nd|rd|th)|last|next|other|that|this|the)\s+1\b", re.IGNORECASE), r"\1 one"),
    (re.compile(r"\b4(?=\s+(?:it|that|this|them|those|me|us)\b)", re.IGNORECASE), "for"),
    (re.compile(r"\b([A-Za-z]{2,})0([A-Za-z]*)\b"), r"\1o\2"),
    (re.compile(r"\b(with|without|w/o|w/|has|have|hav|any|no|got|release[sd]?)\s+cod\b", re.IGNORECASE), r"\1 code"),
)
_STORY_LEAD = re.compile(  # "Because I'm reviewing his more theoretical work, could you list ...": why, then what
    r"^\s*(?:(?:finally|also|lastly|next|now|ok(?:ay)?|and|so|then)[,\s]+)?"
    r"(?P<story>(?P<why>(?:since|because|as|given\s+that)\s+(?:i|i'm|i've|we|we're|we'll|my|our)\b)[^,;]*"
    r"|(?:most|some|all|many|a\s+few)\s+of\s+(?:those|them|these)\b[^,;]*(?=,?\s+so\s)"
    r"|to\s+(?:get|make|have|see|understand|help|check|give|build|prepare|plan)\b[^,;]*"
    r"|for\s+(?:a|an|the|my|our|consistency|completeness|clarity|context|reference|comparison|curiosity|fun)\b[^,;]*"
    r"|(?:the|this|that)\s+(?:list|page|answer|result)s?\s+(?:seems?|looks?|is|was|only|stops?|ends?)\b[^,;]*"
    r"|i(?:'m|\s+am)\s+(?:writing|preparing|working|reading|putting|building|mapping|reviewing|tracing|making|assembling|compiling)\b[^,;]*)"
    r"\s*[,;]?\s*(?:so\s+)?(?P<ask>(?:(?:could|can|would|will)\s+you|please|which|what|who|how|when|list|show|give|find|cite|rank)\b.*)$",
    re.IGNORECASE,
)
_REASON_TAIL = re.compile(  # "..., since those are the years my survey covers.": why, after what
    r"[,;]?\s+(?:since|because|as)\s+(?:i|i'm|i've|i'd|we|we're|my|our|those|these|that's|this\s+is|it's|it\s+(?:seems|looks|is)|they|the\s+reviewers?)\b[^.?!;,]*"
    r"|,?\s+so\s+(?:that\s+)?(?:i|we)\s+(?:can|could|may|might)\b[^.?!;]*|,?\s+in\s+case\s+(?:there|i|we)\b[^.?!;]*"
    r"|,\s*(?:because|since|as)\s+(?:i|we|my|our)\b[^,;]*(?=,)",  # "And of those two, because I need ..., which ones ..."
    re.IGNORECASE,
)
_BACK = re.compile(r"\b(?:that\s+year|those|these|them|it|that|this)\b", re.IGNORECASE)


def _without_story(text: str) -> str:
    """The request of a sentence that first says why ("To get a sense of ..., could you list ...") or ends saying why
    ("..., since those are the years my survey covers"): its reasons are no topic. A request that points back into the
    story ("...start with 2016; which papers appeared that year?") keeps the story's year."""
    text = _REASON_TAIL.sub("", text)
    m = _STORY_LEAD.match(text)
    if m is None:
        return text
    ask, years = m.group("ask"), re.findall(r"\b(?:19|20)\d\d\b", m.group("story"))
    story = m.group("story").lower()
    plain_for = story.startswith("for") and not re.search(
        r"\d|\bpapers?\b|\b(?:i|i'd|i'm|we|we'd|we're|he|published|wrote)\b", story
    )
    if m.group("why") or plain_for or story.startswith(("most", "some", "all", "many", "a few", "the", "this", "that")):
        return ask  # a reason, a purpose or a remark on the list names nothing the request points at
    if re.search(r"\bthat\s+year\b", ask, re.IGNORECASE) and len(years) == 1:
        return re.sub(r"\bthat\s+year\b", f"in {years[0]}", ask, flags=re.IGNORECASE)
    if _BACK.search(ask) or re.search(r"\d|\bpapers?\b", story):
        return text  # "could you find it for me?", "For the 2020 papers, ...": the story says which
    return ask


_FOR_A_SESSION = re.compile(  # "For planning our sessions: ...", "papers on X for next term": when or why, not what
    r"^\s*for\s+[a-z]+ing\b[^:;,.?!]{0,40}:\s*|^\s*for\s+(?:planning|preparing|prepping|organi[sz]ing|writing|building|drafting|updating|onboarding)\b[^:;,.?!]{0,40}[;,-]\s*"
    r"|\s+for\s+(?:the\s+)?(?:next|this|our|the\s+coming|our\s+next|upcoming)\s+(?:term|semester|quarter|week|class|course|session"
    r"|meeting|seminar|lab\s+meeting|journal\s+club|reading\s+group|module|lecture)\b",
    re.IGNORECASE,
)
_NOTHING_ELSE = re.compile(r"[,\s]+(?:and\s+)?nothing\s+(?:else|more)\b|\b(?:plain|simple|bare)\s+(?=list\b)", re.IGNORECASE)
_YOU_KNOW = re.compile(r",\s*(?:ya|you|y'?)\s*know\s*(?=[?.!,]|$)", re.IGNORECASE)  # "..., ya know?" (not "do you know?")
_OR_NOT = re.compile(r"[\s,]+or\s+(?:nah|nope|naw)\s*[?.!]*\s*$", re.IGNORECASE)  # "does the cat3d paper have code or nah"
_CO_SPLIT = re.compile(r"\b(co)\s+(?=(?:authors?|authored|authoring|wrote|written|workers?)\b)", re.IGNORECASE)  # "co authors"
_NOT_COUNTING = re.compile(r"\bnot\s+counting\s+(?=[A-Za-z])", re.IGNORECASE)  # "not counting Ben Poole himself": without him
_MID_TAG = re.compile(  # "Eric Jang coauthored something with him right? which one": a tag question, then the ask
    # (a claim about a year stays whole: "DreamFusion was 2020 right? show it" is checked)
    r"(?<!\d),?\s+(?:right|correct|yeah|no|innit|isn'?t\s+it|didn'?t\s+(?:he|they))\s*\?+(?=\s*\w)",
    re.IGNORECASE,
)
_RUN_ABOVE = re.compile(  # "> papers with Luke Metz\nCould you run the above for me": the quoted question is the ask
    r"\b(?:(?:could|can|would)\s+you\s+(?:please\s+)?)?(?:run|do|answer|try)\s+(?:the\s+)?(?:above|that\s+(?:query|question|search))"
    r"(?:\s+(?:query|question|search))?(?:\s+for\s+(?:me|us))?(?:,?\s+please)?\s*\??",
    re.IGNORECASE,
)
_PER_PAGE = re.compile(  # "the earliest paper he wrote, according to this page?": where the answer comes from, no topic
    r",?\s*\b(?:according\s+to|based\s+on|as\s+(?:per|listed\s+on))\s+(?:this|the|his|your)\s+(?:profile\s+)?(?:page|profile|list|data|records?)\b"
    r"(?:\s+(?:you\s+have|here|you\s+hold|shown))?",
    re.IGNORECASE,
)
_OUTPUT_FORM = re.compile(  # "list form please, all his papers with code": answers are lists already
    r"\b(?:in\s+(?:a\s+)?|as\s+(?:a\s+)?)?(?:list|bullet(?:ed)?|bullet[\s-]?point|numbered|plain[\s-]?text)\s+(?:form|format)\b"
    r"|\bformat(?:ted)?(?=\s+(?:the|his|all|them|those|these)\b.*\bas\s+an?\s+(?:simple\s+|plain\s+|bulleted\s+|numbered\s+)?list\b)"
    r"|^\s*(?:please\s+)?format\s+(?=(?:the|his|all|them|those|these)\b)|,?\s*\bone\s+(?:per|a)\s+line\b"  # "..., one per line"
    r"|\bas\s+an?\s+(?:simple\s+|plain\s+|bulleted\s+|numbered\s+|short\s+)?list\b"  # "format the 2024 papers as a simple list"
    r"|,?\s*\bif\s+that\s+makes\s+(?:any\s+)?sense\b",  # "..., if that makes sense?"
    re.IGNORECASE,
)
_JOINT_WORK = re.compile(r"\bjoint\s+(?=(?:work|papers?|publications?|research|output)\b)", re.IGNORECASE)  # shared papers
_STATE_NUMBER = re.compile(  # "please state the number of publications": how many
    r"\b(?:state|provide|report|indicate|specify|confirm)\s+(?:for\s+me\s+)?(?=the\s+(?:total\s+)?(?:number|count)\s+of\b)",
    re.IGNORECASE,
)
_HOW_MUCH = re.compile(  # "how much citations he have": how many
    r"\bhow\s+much\s+(?=(?:[a-z-]+\s+)?(?:papers|citations|publications|works|articles|coauthors|co-authors|collaborators|authors|people|pubs)\b)",
    re.IGNORECASE,
)
_AS_AUTHOR = re.compile(  # "papers with sohl dickstein as a coauthor": the person is the filter, the role adds nothing
    r"(?<=[a-z])(?<!\bwho)(?<!\bwhich)(?<!\bthat)(?<!\bwhat)(?<!\boften)(?<!\bup)(?<!\bmost)(?<!\blisted)(?<!\bappear)(?<!\bappears),?\s+(?:as\s+|(?:is|was|were|are)\s+(?=an?\s|one\s))(?:an?\s+|one\s+of\s+the\s+)?"
    r"(?:(?:co-?authors?|collaborators?)(?:\s+(?:of|to|with|for)\s+(?:(?-i:[A-Z])[\w'-]*\.?\s*){1,3}(?=[?.!,]|$))?|authors?(?!\s+(?:of|on|in)\b))\b",
    re.IGNORECASE,
)
_ON_HERE = re.compile(
    r"(?P<q>\bwho(?:'s|\s+is)\s+.+?)\s+(?:on|in)\s+here(?P<end>\s*\?*\s*)$", re.IGNORECASE
)  # "who is X on here"
_THE_X_GUY = re.compile(
    r"\bthe\s+(?P<n>[a-z][\w-]+)\s+(?:guy|dude|person|lady|fellow|bloke)\b", re.IGNORECASE
)  # "the jascha guy"
_STARTING_OFF = re.compile(
    r"\b(?:to\s+start(?:\s+with)?|to\s+begin\s+with|for\s+starters|first\s+of\s+all)\s*[,:]", re.IGNORECASE
)
_QUICK_ONE = re.compile(
    r"^\s*(?:a\s+)?(?:quick|short|small|simple)\s+(?:one|q|qn|question|thing)\b[\s:,.!?-]*(?=\S)", re.IGNORECASE
)
_SIMILAR_ASKED = re.compile(  # "what's similar to DreamFusion": papers like it, not a title "similar to DreamFusion"
    r"^\s*(?:what(?:'?s|\s+is|\s+are)|anything|something|is\s+there\s+anything|are\s+there\s+any(?:\s+papers)?)\s+(?=(?:similar|related)\s+to\b)",
    re.IGNORECASE,
)
_MAKE_IT_YEAR = re.compile(r"\bmake\s+(?:it|that|this)\s+(?=(?:19|20)\d\d\b)", re.IGNORECASE)  # "and make it 2014"
_NEURAL_NETS = re.compile(r"\bneural\s+net(s?)\b", re.IGNORECASE)  # "graph neural nets": the phrase the corpus spells out
_CITATION_OF = re.compile(  # "can you format the VeLO citation as bibtex": a citation of that paper
    r"\b(?:format|give\s+me|show\s+me|get\s+me|send\s+me)\s+the\s+(?P<t>[\w:'-]+(?:\s+[\w:'-]+){0,5}?)\s+citation"
    r"(?:\s+(?:as|in)\s+bibtex)?\b",
    re.IGNORECASE,
)
_SHARED_PAPERS = re.compile(
    r"\b(?:shared|joint|common)\s+(?=(?:papers|publications|works)\b)", re.IGNORECASE
)  # "their shared papers"
_LIST_NUMBER = re.compile(r"\(\s*(?:number|no\.?|#|item|entry)\s*\d{1,2}\s*\)", re.IGNORECASE)  # "the synaptic one (number 2)"
_APOLOGY = re.compile(  # "Raghu Maithra papers (family name first, sorry)": a remark about the question, not part of it
    r"\((?=[^()]*\b(?:sorry|sry|apologies|my\s+bad|typo|family\s+name|surname|last\s+name|the\s+other\s+(?:one|ben|\w+)|lol|lmao|haha|jk|middle\s+(?:names?|initials?))\b)[^()]*\)"
    r"|\b(?:no|without|w/o|minus|skip(?:ping)?)\s+(?:the\s+|his\s+|her\s+|a\s+)?middle\s+(?:names?|initials?)\b"
    r"|\b(?:(?:i\s+)?prob(?:ably)?\s+|i\s+think\s+i\s+|sorry\s+if\s+i\s+)?(?:spelled|spelt|misspelled)\s+(?:that|it|this|them|the\s+name)\s+wrong\b"
    r"|\b(?:(?:sorry|apologies)\s+(?:if|in\s+case)\s+(?:this|that|it)(?:'s|\s+is)\s+)?(?:an?\s+)?(?:dumb|stupid|silly|basic|naive|noob)\s+question(?:\s+but)?\b",
    re.IGNORECASE,
)  # "Ben Mildenhall (not poole lol, the other ben)": which one is meant, said again


def _numeric_date(m: re.Match[str]) -> str:
    """ "01.01.2020", "30/06/2020", "03.2023" as a date the date reader knows: dots put the day first, as does a slash
    after a number that cannot be a month; otherwise a slash puts the month first ("06/30/2020"), as in the US."""
    first, second, year = m.group("d"), int(m.group("m")), m.group("y")
    if first is None:
        return f"{_MONTHS[second - 1]} {year}" if 1 <= second <= 12 else m.group(0)
    day, month = int(first), second
    if m.group("sep") == "/" and day <= 12:
        day, month = month, day
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return m.group(0)
    return f"{year}-{month:02d}-{day:02d}"


_ARROW = re.compile(r"\s*(?:->|=>|→|⟶|➡️?)\s*")  # "newest→oldest", "2019 -> 2021": from one to the other
_SHORT_YEAR = re.compile(r"(?<![\w'])'(\d\d)\b(?!')")


def _apostrophe(m: re.Match[str]) -> str:
    if m.group(1):
        return f"{m.group(1)}n't"
    stem, tail = next((m.group(i), m.group(i + 1)) for i in (2, 4, 6, 8, 10) if m.group(i))
    return f"{stem}'{tail}"


_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]+")
_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "`": "'"})


_TO_THE_BOT = re.compile(  # "no 💀 anyway bot show me the CAT3D paper": the words after "bot" are the question
    r"(?:^|(?<=[\s.!?,:;>)\]'\"]))(?:hey\s+|yo\s+|ok(?:ay)?\s+|so\s+|ty\s+|thanks\s+|@)?(?:paper)?bot\b"
    r"(?:[\s,:;.!-]|[\U0001F300-\U0001FAFF\u2600-\u27BF\uFE0F])*(?:(?:ok(?:ay)?|now|so|and)[\s,]+)*"
    r"(?=(?:show|list|give|find|get|who|what|when|which|how|is|are|does|did|do|can|could|would|cite|abstract|bibtex|count|pls|please"
    r"|tell|papers|any|ben|ben's|his)\b)"
    r"|^\s*(?:hey\s+|yo\s+)?bot\b[\s,:;.!-]*(?=\w)",  # "bot jascha papers": addressed first
    re.IGNORECASE,
)
_QUOTED_WHO = re.compile(  # "> surya ganguli\nwho's that, how many papers w/ ben": the quoted line is who is meant
    r"^\s*>\s*(?P<q>[^\n]{2,60}?)\s*\n(?P<a>.*?)\bwho(?:'?s|\s+is)\s+(?:that|this)(?:\s+(?:person|guy|author))?\b(?P<b>.*)$",
    re.IGNORECASE | re.DOTALL,
)


_MONTH_WORDS = r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t|tember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"


def _shape(word: str) -> str:
    """What kind of word it is, enough to tell "the third one" from "the GAN papers" when aligning a correction."""
    w = word.strip(".,;:!?'\"")
    if w.isdigit() or re.fullmatch(r"\d+(?:st|nd|rd|th)|first|second|third|fourth|fifth|last|next|previous", w.lower()):
        return "number"
    if re.fullmatch(_MONTH_WORDS, w.lower()):
        return "month"
    return "name" if w[:1].isupper() else "word"


_ONE_NOUN = frozenset(["one", "ones", "paper", "papers"])


def _aligned_correction(head: str, tail: str) -> str | None:
    """A short restatement after a longer question replaces the part it restates: from the last word of the question
    that it starts with ("the third one, sorry, the second one", "top 3 coauthors, sorry, top 5"), spells nearly
    ("about Jasha, sorry, Jascha Sohl-Dickstein", "the Gumbel paper, I mean Gumbel-Softmax") or is of its kind ("June
    2016, sorry, November 2016"; a name for the name the question ends with). As many words go as the restatement has,
    and the rest of a name or number with them ("by Luke Metz, sorry, by Jascha"); None when it restates nothing."""
    said, fix = head.rstrip(" ,;:-—–").split(), tail.strip().split()
    if not said or not fix or len(fix) > 4:
        return None
    first = fix[0].strip(".,;:!?").lower()
    at = None
    for i in range(len(said) - 1, -1, -1):
        word = said[i].strip(".,;:!?'\"").lower()
        same = word == first and (
            len(first) > 3 or (len(fix) > 1 and i + 1 < len(said) and _shape(said[i + 1]) == _shape(fix[1]))
        )
        near = len(first) > 3 and len(word) > 3 and word[:1] == first[:1] and (ratio(word, first) >= 80 or first.startswith(word))
        if same or near or (_shape(fix[0]) == "month" and _shape(said[i]) == "month"):
            at = i
            break
    names = [_shape(w) for w in fix] == ["name"] * len(fix) and len(said) > len(fix)
    if at is None and names and [_shape(w) for w in said[-len(fix) :]] == ["name"] * len(fix):
        at = len(said) - len(fix)  # "papers with Ruiqi Gao, sorry, Rundi Wu": the name it ends with
    if at is None:
        return None
    end = min(at + len(fix), len(said))
    while end < len(said) and _shape(said[end]) in ("name", "number") and _shape(said[end]) == _shape(said[end - 1]):
        end += 1  # the rest of the name or number replaced too
    if end < len(said) and fix[-1].lower().strip(".,?!") in _ONE_NOUN and said[end].lower().strip(".,?!") in _ONE_NOUN:
        end += 1  # "the unrolled GAN paper, sorry, the non-saturating one": "one" stands for "paper"
    return " ".join(said[:at] + fix + said[end:])


def corrects_itself(text: str) -> bool:
    """Does the message correct itself ("by Luke — no, by Jascha", "the Gumbel paper — Gumbel-Softmax, I mean")?"""
    return bool(_MEANT_AFTER.match(text) or _CORRECTION.search(text))


def clean_question(text: str) -> str:
    """Discord markup removed, whitespace folded, Greek spelled out, accents folded; case kept (names need it)."""
    text = _QUOTED_WHO.sub(lambda m: f"{m.group('a')} who is {m.group('q')}{m.group('b')}", text)
    addressed = list(_TO_THE_BOT.finditer(text)) if len(text) <= LONG else []
    asked = text[addressed[-1].end() :] if addressed else ""
    if len(re.findall(r"\w+", re.sub(r"\b(?:pls|please|plz|thx|ty)\b", " ", asked, flags=re.I))) >= 2:
        text = asked  # what comes before the address is talk among the people in the channel ("bot pls" alone asks nothing)
    text = " ".join(strip_markup(text).translate(_QUOTES).split())
    for symbol, words in _SYMBOLS:
        text = symbol.sub(words, text)
    short = len(text) <= LONG  # a long message is read by its request (request.py): its asides stay
    meant = _MEANT_AFTER.match(text) if short else None
    if meant:  # "cite the Gumbel paper — Gumbel-Softmax, I mean"
        text = _aligned_correction(meant.group("head"), meant.group("fix")) or meant.group("head")
    corrected = list(_CORRECTION.finditer(text)) if short else []
    head, tail = (text[: corrected[-1].start()], text[corrected[-1].end() :]) if corrected else ("", "")
    year = re.fullmatch(r"\s*(?:in\s+|from\s+)?((?:19|20)\d\d)\s*[?.!]*\s*", tail)
    if corrected and year and re.search(r"\b(?:19|20)\d\d\b", head):  # "LG papers in 2019, sorry, 2020": that year instead
        last = list(re.finditer(r"\b(?:19|20)\d\d\b", head))[-1]
        text = head[: last.start()] + year.group(1) + head[last.end() :]
    elif corrected and _ONES.match(tail) and _CODE_CLAUSE.search(tail) and _CODE_CLAUSE.search(head):
        # "jascha's papers that have code -- no wait, the ones WITHOUT code": the code asked for changes, the rest stays
        text = _CODE_CLAUSE.sub(" ", head) + " " + _ONES.sub("", tail)
    elif corrected and _aligned_correction(head, tail):
        text = _aligned_correction(head, tail) or text  # "tell me about the third one, sorry, the second one"
    elif corrected and len(re.findall(r"\w", tail)) >= 3 and (len(head.split()) <= 3 or len(tail.split()) >= 4):
        text = tail  # a restatement replaces what it corrects (a short "no wait, CV" after a long question is left as is)
    text = _FIELDS.sub(_field, text)  # "author:metz year>2019", "cat=CV && code": search-box syntax in words
    for pattern, words in _QUERY_WORDS:
        text = pattern.sub(words, text)
    text = _ARROW.sub(" to ", text)
    text = _INCLUDED.sub(" ", text)
    text = _DROP_SIDE.sub(_drop_side, text)
    text = _SHORT_RANGE.sub(_short_range, text)
    text = _NEITHER_TOPIC.sub(
        lambda m: f"without {m.group('a') or m.group('a2')} and without {m.group('b') or m.group('b2')}", text
    )
    text = _NOR_CODE.sub(" and without code", text)
    text = _WHAT_IT_DOES.sub(" ", text)
    text = _STUDENT_YEAR.sub(" ", text)
    text = _NUMERIC_DATE.sub(_numeric_date, text)
    text = _MAKE_TABLE.sub(" ", text)
    text = _APOLOGY.sub(" ", _LIST_NUMBER.sub(" ", text))
    text = _SLANG_RE.sub(lambda m: _SLANG.get(m.group(0).lower(), m.group(0)), text)
    for pattern, words in _PHONE_FORMS:
        text = pattern.sub(words, text)
    text = re.sub(r"(?<![\w/])w\s+(?=(?:public\s+|released\s+)?code\b)", "with ", text, flags=re.IGNORECASE)  # "w code"
    text = re.sub(  # "did VeLO ship with code?": came with it
        r"\b(?:ship|ships|shipped|shipping)\s+with\s+(?=(?:public\s+|released\s+|any\s+|its\s+)?code\b)",
        "come with ",
        text,
        flags=re.IGNORECASE,
    )
    text = _ONLY.sub("only ", text)  # "nothing that isn't CV", "nothing but CV": only CV
    text = _LEAVE_OUT.sub(r"without \g<x>", text)  # "leave Luke Metz out of it": without him
    text = re.sub(r"(?<![\w#])#\s*(?:of\s+)?(?=papers?\b|pubs\b)", "number of ", text)  # "#papers w/ kumar": how many
    text = _RANDOM.sub(r"\g<n> ", text)  # "give me 5 random papers": five of them (no order is random here)
    if short:
        text = _EXAMPLES.sub("", GREETING.sub("", _OWN_PLANS.sub(" ", text)))
        text = _SIMILAR_ASKED.sub("papers ", _PER_PAGE.sub(" ", text))
        text = _ON_HERE.sub(r"\g<q>\g<end>", _ABOUT_ONE_COAUTHOR.sub(r"\g<lead> ", _QUICK_ONE.sub("", text)))
    text = _STARTING_OFF.sub(" ", _THE_X_GUY.sub(r"\g<n>", _AS_AUTHOR.sub(" ", _HONORIFIC.sub("", text))))
    text = _HOW_MUCH.sub("how many ", _STATE_NUMBER.sub("", _JOINT_WORK.sub("", text)))
    text = _JUST_NUMBER.sub(
        "just the number ", _YEAR_BY_YEAR.sub("per year", _NOT_COUNTING.sub("excluding ", _CO_SPLIT.sub(r"\1", text)))
    )
    text = _without_story(text) if len(text) <= LONG else text
    text = _POLITE_START.sub("", _FOR_A_NOTE.sub("", _FOR_A_SESSION.sub(" ", _MAY_I_SEE.sub("show me ", text)).strip()))
    text = _RUN_ABOVE.sub(" ", _MID_TAG.sub("? ", _OUTPUT_FORM.sub(" ", text)))
    text = _ONE_FIRST.sub(r"\1 first", _ASKER_USE.sub("", _KNOW_IF_CODE.sub("did ", _OR_NOT.sub("", text))))
    text = _YOU_KNOW.sub("", _NOTHING_ELSE.sub("", text))
    text = _CATEGORY_CODE.sub(
        r"\g<c>", _CITE_STYLE.sub("", _MAXIMUM.sub(r"\1 the most ", _REVERT.sub("give me", _GROUP_WISE.sub(r"per \1", text))))
    )
    text = _MAKE_IT_YEAR.sub(" ", text)
    text = _NEURAL_NETS.sub(r"neural network\1", text)
    text = _CITATION_OF.sub(r"cite \g<t>", text)
    text = _SHARED_PAPERS.sub("", text)
    text = _ASIDE.sub(" ", text)
    text = _WISE.sub(" ", text)  # "busiest year, publication-wise?": the aspect is the question itself
    text = _LENGTH_ASKED.sub(" ", text)  # "what's velo about in two lines": how long, not what
    text = spelled_years(text)
    text = _MIND_DOING.sub(lambda m: f"could you {base_verb(m.group('verb'))}", text)  # "would you mind telling me ..."
    text = _COURTESY.sub(lambda m: " could you " if re.search(r"\bto$|mind$|kindly$", m.group(0), re.I) else " ", text)
    text = FOREIGN_COURTESY.sub(" ", text)
    text = _BARE_CONTRACTION.sub(_apostrophe, text)
    text = _ET_AL.sub(  # "Poole et al. 2019": the first author and a year; "hidden in the et al. Could you ...": a sentence ends
        lambda m: ". " if m.group(0).endswith(".") and re.match(r"\s+[A-Z]", text[m.end() : m.end() + 2]) else " ", text
    )
    text = _SLASH_OR.sub(" or ", text)  # "continual learning / catastrophic forgetting", "GAN/VAE papers": either
    text = _SHORT_YEAR.sub(lambda m: ("19" if int(m.group(1)) > 50 else "20") + m.group(1), text)  # "dec '23": December 2023
    if not text.isascii():
        text = "".join(f" {GREEK[c.lower()]} " if c.lower() in GREEK else c for c in text)
        text = _CJK.sub(lambda m: f" {unidecode(m.group(0)).lower()} ", text)  # "論文": "lun wen", no capitalised name
        text = unidecode(text)
    return " ".join(text.split())
