"""Follow-up messages in a conversation: what a message does to the question before it.

A message is read on its own first (``parse_query``), then classified: start over, turn a page,
refer to records of the previous answer ("the second one", "those"), refine the previous question
(filters and operators only: "and with code?", "only 2023", "oldest first"), swap its topic when
phrased as a follow-up ("and on NeRF?"), or start afresh (a topic of its own, or words that ask
about the whole corpus: "how many papers overall?"). ``merge`` applies a refinement to the
previous Query: a value of a kind replaces the old one, removals ("any year", read in adjustments.py) clear one. Pure: no
index, no records; reference phrases are found in references.py, and which records they name is decided against the previous answer in
bot.answer.conversation.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from bot.categories import CATEGORY_NAMES

from .adjustments import (
    EITHER,
    KEEP,
    REVERSED,
    SWAP_OUT,
    YEAR_SHIFT,
    corrected_value,
    named_drops,
    order_and_size,
    removals_in,
    topic_words,
)
from .filters import _strip_target
from .keywords import fix_keywords
from .lookup import resolve_title
from .markup import strip_markup
from .patterns import (
    BREAKDOWN,
    CITE,
    DETAIL_OF,
    LOOKUP,
    LOOKUP_TERSE,
    POLITE_END,
    REF_TOKEN,
    SIMILAR,
    SIMILAR_BARE,
    TITLE_THEN_ASK,
)
from .query import Lexicon, Query, clean_question, parse_query, read_claim
from .references import AGED, DESCRIBED, FIRST_N, NUMBERED, ORDINAL_LIST, Reference, find_reference, number_of, ordinal_of

RECORD_OPERATORS = ("search", "count", "coauthors", "breakdown")  # intents that act on a list of records
LOOKUPS = ("paper", "cite", "similar")

_CUE = (
    r"(?:and|also|ok(?:ay)?|kk?(?=[\s,])|so|now|then|but|well|hmm+|um+|uh+|wait|actually|actualy|acutally|actully|nah|nope|no(?=\s*[,.!])|yeah|yep|oh|ah|sorry|oops|alright|fine|right|cool|great|thanks|thx|ty|tysm|tyvm|thank\s+(?:you|u)(?:\s+(?:so\s+|very\s+)?much)?|(?:much\s+)?appreciated|(?:most|very|so)\s+kind|no\s+worries|no\s+problem|np|cheers|ugh+|meh|welp|got\s+it|nice|wonderful|perfect|awesome|excellent|lovely|brilliant|amazing|sweet|neat|what\s+about|how\s+about|what\s+if|(?:do\s+)?(?:the\s+)?same(?:\s+(?:question|thing|query|search))?\s+(?:but\s+)?(?:for|with|on|about|in)|same\s+but|repeat\s+(?:that|it|this)\s+(?:for|with)|(?:make|change|switch)\s+(?:that|it|this)(?:\s+(?:to|into))?|switch\s+to|(?:swap|switch|change)\s+(?:the\s+)?(?:topic|subject|theme)\s+(?:to|for)|(?:go\s+)?back\s+to|wbt|wbu|hbu|how\s+bout|what\s+bout|wat\s+about|eh|hm+|whatever|anyway|n(?=\s)|only|just|instead|plus"
    r"|(?:(?:can|could|would)\s+you\s+)?(?:now\s+|please\s+|pls\s+)?(?:limit|restrict|narrow|filter|cut|trim|reduce)\s+(?:down\s+)?"
    r"(?:it|that|this|them|those|these|the\s+(?:whole\s+|entire\s+|full\s+)?(?:list|results?|thing|lot|set))?\s*(?:down\s+)?(?:to|by)(?:\s+(?:just|only))?)"
)
LEADING_CUE = re.compile(  # "+ code": and with code; "ty 🙏 cite that one": thanks, an emoji, then the ask
    rf"^(?:(?:{_CUE})\b|[+&])(?:[\s,.!;:—–-]|[\U0001F300-\U0001FAFF\u2600-\u27BF\uFE0F])*", re.IGNORECASE
)
TRAILING_CUE = re.compile(
    r"[\s,]*\b(?:instead|too|either|as\s+well|then|only|please|pls|plz|thx|thanks|thank\s+you|ty|again|actually|tho|though"
    r"|(?:is|are|'s|would\s+be)\s+(?:fine|ok(?:ay)?|good|alright|great)|works|will\s+do)\s*([?.!]*)$",
    re.IGNORECASE,
)
# with nothing before, a message that names what it asks for ("papers with code", "what did Ruiqi Gao write?") is a
# question; one that does not ("with code", "oldest first") is a fragment that needs something to follow
PAPER_NOUN = re.compile(
    r"\b(?:papers?|articles?|works?|publications?|pubs|preprints?|results?|records?|everything|anything|stuff|things)\b"
)
AUTHORSHIP = re.compile(
    r"\b(?:write|wrote|written|writes|publish|published|publishes|author|authored|put\s+out|release[ds]?|produced?|drop(?:ped)?|done|been\s+up\s+to)\b"
)
ASKS = re.compile(r"^(?:what|which|who|when|list|show|give|find|get|are\s+there|is\s+there|did|does|has|have)\b")
NARROWING = re.compile(  # "only the video ones", "just those about NeRF", "the ones that also mention video": a topic within the last
    r"^(?:(?:and|ok(?:ay)?|so|now|but|k)[\s,]+)*(?:only|just)\b|^(?!.*\b(?:his|her|their)\s+(?:[\w-]+\s+){0,3}ones\b).*\bones\b"
    r"|\balso\s+(?:mention|about|on|cover|involve|use)\w*"
    r"|\b(?:narrow|filter|restrict|limit)\w*\s+(?:it|them|those|that|this|down|the\s+list)?\s*(?:down\s+)?(?:to|by|for|on)\b"
)
REFINING = re.compile(r"\b(?:only|just|ones|instead|same|again|narrow|filter|restrict)\b")  # says it narrows what came before
WHOLE_CORPUS = re.compile(
    r"\b(?:overall|in\s+total|altogether|all\s+(?:of\s+)?(?:the\s+|his\s+|her\s+|ben'?s\s+)?(?:\d+\s+)?(?:code\s+|cv\s+|lg\s+|ml\s+)?papers|the\s+(?:whole|entire)\s+(?:corpus|profile|list|thing|lot|set|collection)|in\s+the\s+(?:corpus|profile)|of\s+all\s+time"
    r"|in\s+here|in\s+(?:the\s+|your\s+)?(?:database|collection|bot|index|db|library)|on\s+(?:the|his|this)\s+profile|(?:do|does)\s+(?:you|u|the\s+bot|paperbot)\s+(?:have|know|hold|list))\b"
    r"|\btotal\s*[?!.]*$"
)
# lookups that leave "it" unsaid: "who are the authors?", "the abstract", "cite"
IMPLICIT_IT = [
    (
        re.compile(r"^(?:(?:and\s+)?who\s+(?:are|were)\s+(?:the|its)\s+authors|(?:the\s+)?authors|who\s+wrote\s+(?:that|this))$"),
        "who wrote it",
    ),
    (
        re.compile(
            r"^(?:(?:show|give|read|get|send)\s+(?:me\s+)?|what(?:'s|\s+is|\s+was)\s+)?(?:the\s+|its\s+)?(?:abstracts?|summary|summaries)(?:\s+of)?(?:\s+then)?$"
        ),
        "abstract of it",
    ),
    (
        re.compile(
            r"^(?:(?:gimme|give(?:\s+me)?|show(?:\s+me)?|send(?:\s+me)?|can\s+i\s+(?:get|have)|get(?:\s+me)?)\s+)?(?:the\s+|its\s+)?(?:bibtex|bib|citation|cite)"
            r"(?:\s+entry)?(?:\s+(?:for\s+)?(?:it|that|this))?(?:\s+then)?$"
        ),
        "cite it",
    ),
    (  # "date", "year?", "when", "when did": of the record in focus
        re.compile(
            r"^(?:(?:and\s+)?(?:the\s+)?(?:date|year|pub(?:lication)?\s+date|release\s+date)|when(?:\s+(?:was|did|is))?(?:\s+it)?"
            r"(?:\s+(?:come\s+out|out|published|released))?)$"
        ),
        "when did it come out",
    ),
    (re.compile(r"^(?:tell\s+me\s+more|more\s+(?:details|info)|details|go\s+on\s+about\s+it|say\s+more)$"), "tell me about it"),
    (
        re.compile(
            r"^(?:(?:show|find|give|get|list)\s+(?:me\s+)?|(?:got|have\s+you\s+got|do\s+you\s+have)\s+)?(?:(?:is\s+there\s+|are\s+there\s+)?(?:any(?:thing)?(?:\s+else)?|something|others?|papers?|more|some)\s+)?"
            r"(?:similar|related|like\s+(?:that|this)(?:\s+one)?)(?:\s+(?:ones?|papers?|work|works|stuff|things|articles|results))?(?:\s+to\s+(?:that|this|it)(?:\s+one)?)?"
            r"(?P<rest>\s+(?:from|in|since|before|after|until|by|with|without|only|but)\b.*)?$"
        ),
        "papers like it{rest}",
    ),
    (
        re.compile(
            r"^(?:so\s+|and\s+)?how\s+many\s+(?:is|are|was|were)\s+(?:that|those|these|they|there|it)(?:\s+(?:in\s+total|altogether|overall|total|then|now))?$"
        ),
        "how many of those",
    ),
    (re.compile(r"^(?:cite|bibtex|citation|the\s+bibtex|the\s+citation|give\s+me\s+the\s+(?:bibtex|citation))$"), "cite it"),
    (
        re.compile(
            r"^(?:is|was|has)\s+(?:the\s+)?(?:code|implementation|repo(?:sitory)?|source(?:\s+code)?)\s+(?:been\s+)?(?:out|available|released|public|online|up"
            r"|open[- ]sourced?)(?:\s+(?:yet|already))?(?:\s+(?:for|of)\s+(?:it|that|this)(?:\s+(?:one|paper))?)?$|^(?:is|was)\s+(?:it|that|this)(?:\s+one|\s+paper)?\s+open[- ]sourced?$"
        ),
        "does it have code",
    ),
    (
        re.compile(
            r"^when\s+was\s+(?:that|this)\s+(?:one\s+|paper\s+)?(?:published|released|written|out)$|^(?:what|which)\s+year$"
        ),
        "when was it published",
    ),
    (  # "what year and category", "which category?": the card of the one in focus says both
        re.compile(
            r"^(?:and\s+)?(?:what|which)\s+(?:year|date|category|field)(?:\s+(?:and|&)\s+(?:year|date|category|field))?(?:\s+is\s+it)?$"
        ),
        "tell me about it",
    ),
    (  # "he have code for it?", "this one got code?": whether it has code
        re.compile(
            r"^(?:he|she|it|this|that|this\s+one|that\s+one)\s+(?:have|has|got)\s+(?:any\s+|the\s+)?code(?:\s+for\s+it)?$"
        ),
        "does it have code",
    ),
]

RESET = re.compile(
    r"^(?:(?:ok(?:ay)?|kk?|alright|please|pls|let'?s|can\s+we|could\s+we|thx|thanks|thank\s+you|ty|cool|great|nice|now|and|so|nvm|nm|never\s*mind|oops|sorry|no"
    r"|ugh+|hm+|um+|uh+|nah|meh|welp|oh|ah|eh|wait|actually|hey|yeah|yep|right|hmm+|let\s+us)(?:[,.!]*\s*[—–-]+\s*|[,.!]*\s+))*"
    r"(?:start\s+(?:over|again|afresh|fresh|anew|from\s+scratch)|fresh\s+start|(?:scrap|ditch|forget|scratch|wipe|drop)\s+(?:that|this|it|everything|all\s+(?:of\s+)?(?:that|this|it))|clean\s+slate|unrelated(?:\s+q(?:uestion)?)?|new\s+(?:question|topic|search|conversation|q)|(?:i\s+(?:would\s+like|'d\s+like|want)\s+to\s+)?(?:begin|start)\s+(?:a\s+)?(?:new|fresh)\s+(?:search|question|topic|conversation)|(?:an?\s+)?(?:(?:completely|totally|entirely|quite|something)\s+)?(?:separate|different|unrelated|another|other)\s+(?:q|qn|question|topic|thing)|separately|switching\s+gears|on\s+a\s+(?:different|separate|unrelated|another)\s+(?:matter|subject|topic)(?:\s+(?:entirely|altogether))?|(?:setting|putting|leaving)\s+(?:that|this|it)\s+aside|change\s+of\s+(?:topic|subject)|on\s+a\s+(?:different|separate|related|unrelated)\s+note|forget\s+(?:that|it|this|everything|all\s+that|about\s+it)"
    r"|reset|clear(?:\s+(?:that|it|the\s+context|context|everything))?|(?:never\s*mind|nvm|nm)(?:\s+(?:all\s+(?:of\s+)?)?(?:that|this|it))?|scratch\s+that|from\s+scratch|something\s+else)"
    r"(?:\s+(?:please|pls|plz))?(?P<rest>(?:\s*[:;,.!-]\s*|\s+(?:with|and|now)\s+).+)?$"
)
TERSE_ASK = re.compile(r"^\s*[\w.'-]+(?:\s+[\w.'-]+){0,2}\s*\?+\s*$")  # "video?", "luke?", "ml?": one term asked
LAST_STEP = re.compile(  # words that take back the last message only ("scratch that"), not the whole conversation
    r"^\s*(?:(?:no+|oh|ok(?:ay)?|sorry|oops|wait|hmm+|ugh)[,.!\s]+)*(?:scratch|scrap|ditch|undo)\s+(?:that|this|it)\b",
    re.IGNORECASE,
)
PAGE_NEXT = re.compile(
    r"^(?:(?:show|give|list|see|get)\s+(?:me\s+)?(?:the\s+)?|gimme\s+|lemme\s+see\s+|is\s+there\s+(?:a\s+|an?other\s+)?|are\s+there\s+(?:any\s+)?|(?:go|move|skip|jump)\s+(?:on\s+)?to\s+(?:the\s+)?|let\s+me\s+see\s+|can\s+i\s+(?:see|get|have)\s+)?"
    r"(?:(?:the\s+)?next(?:\s+(?:page|pg|ones?|results|papers|\d+|ten|five|batch|lot|bunch))?(?:\s+of\s+(?:results|papers|them|those))?"
    r"|(?:\d+|five|ten|a\s+few)\s+more(?:\s+(?:results|papers|ones|of\s+(?:them|those|these)))?|scroll(?:\s+down)?|(?:the\s+|a\s+)?page\s+after(?:\s+(?:that|this)(?:\s+one)?)?(?:\s+(?:too|as\s+well|also))?|(?:the\s+)?remaining(?:\s+(?:ones|papers|results))?(?:\s+after\s+(?:that|this))?|(?:even\s+|some\s+|a\s+few\s+|a\s+bit\s+|any\s+)?more(?:\s+(?:results|papers|ones|of\s+(?:them|those|these|that)|please))?"
    r"|keep\s+going|continue|go\s+on|any\s+more|anything\s+else|what\s+else(?:\s+is\s+there)?|page\s+down|(?:the\s+)?rest(?:\s+of\s+them)?"
    r"|(?:nxt|nxet|enxt|nexy|nexr|netx|mext|bext)(?:\s+(?:page|pg|one|ones))?|(?:the\s+)?following\s+(?:page|pg|ones|ten|10|results)|moar|mor|keep\s+(?:em|'em|them)\s+coming|show\s+more(?:\s+results)?)(?:\s+please)?$"
)
REQUEST_LEAD = re.compile(
    r"^(?:(?:can|could|would|will)\s+(?:you|u)\s+(?:please\s+|kindly\s+|now\s+)?|please\s+|pls\s+|kindly\s+)"
)
PAGE_PREVIOUS = re.compile(
    r"^(?:(?:that's|that\s+is)\s+(?:enough|too\s+far)[,.!]*\s+)?(?:(?:could|can|would)\s+(?:you|u|we)\s+)?(?:go\s+)?(?:back(?:\s+(?:one|a\s+page|one\s+page|a\s+bit))?|prev(?:ious)?(?:\s+(?:page|ones?))?|(?:back\s+to\s+)?the\s+previous\s+(?:page|ones?)|page\s+up|one\s+page\s+back|one\s+back|(?:the\s+)?before\s+page|(?:the\s+)?page\s+before)(?:[,\s]+please)?$"
)
PAGE_FIRST = re.compile(
    r"^(?:(?:(?:go|skip|jump|flip|take\s+me)\s+)?(?:back\s+)?to\s+|(?:(?:could|can|would)\s+you\s+)?(?:please\s+)?(?:show|give)\s+(?:me\s+)?)?"
    r"(?:the\s+)?(?:first\s+(?:page|pg)|(?:page|pg)\s+(?:1|one)|start|beginning|top)(?:\s+again)?(?:\s+please)?$"  # "show the first page again"
)
PAGE_LAST = re.compile(
    r"^(?:(?:(?:go|skip|jump|flip|take\s+me|straight|right)\s+)?to\s+)?(?:the\s+)?(?:last|final|end)\s+(?:page|pg)(?:\s+please)?$"
    r"|^(?:(?:go|skip|jump)\s+)?to\s+the\s+end$"
)
PAGE_NUMBER = re.compile(
    r"^(?:(?:show(?:\s+me)?|go\s+to|give\s+me|open|see|jump\s+to|skip\s+to|flip\s+to|turn\s+to|what(?:'s|\s+is|\s+was)\s+on|what\s+about"
    r"|(?:can|could|may)\s+i\s+(?:see|get|have)|let\s+me\s+see|lemme\s+see)\s+)?(?:the\s+)?(?:(?:page|pg|p)\s*(?:#\s*|number\s+|no\.?\s*)?(?P<n>\d+|one|two|three|four|five|six|seven|eight|nine|ten)"
    r"|(?P<ord>second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|2nd|3rd|[4-9]th)\s+page)(?:\s+of\s+(?:that|those|it|them))?(?:\s+please)?"
    r"(?:\s*,?\s*(?:still|same\s+order|in\s+the\s+same\s+order)\b.*)?$"  # "page 3 please, still oldest first"
)

ACK = re.compile(
    r"^(?:(?:ok(?:ay)?|k|kk|cool|nice|great|perfect|awesome|thanks|thx|ty|tysm|thank\s+(?:you|u)(?:\s+so\s+much)?|cheers|got\s+it|lol|haha|ha"
    r"|alright|sweet|neat|wow|oh|ah|i\s+see|makes\s+sense|good|fine|brilliant|lovely|merci|danke|gracias|no\s+worries|no\s+problem|np)[\s,.!]*)+$"
)
BACK_TO = re.compile(
    r"^(?:(?:ok(?:ay)?|and|so|now|alright|k)[\s,]+)*(?:(?:go|going|come|coming|get|getting)\s+)?back\s+to\s+(?P<what>.+)$"
)
FLIP_DATES = re.compile(  # "and after?" after "before 2019": the dates on the other side
    r"^(?P<dir>after|before|later|earlier|afterwards?|since\s+then|after\s+(?:that|then)|before\s+(?:that|then)|prior|"
    r"(?:the\s+)?(?:later|earlier|newer|older)\s+(?:ones|papers)|the\s+(?:years?\s+)?(?:after|before))$"  # "the older one": a record
)
BOTH = re.compile(
    r"^(?:(?:now|ok|okay|and|so)\s+)*(?:both|both\s+of\s+them|(?:both(?:\s+of\s+them)?|them|the\s+two(?:\s+of\s+them)?)\s+together|together|with\s+both|by\s+both)$"
)
OF_THEM = re.compile(r"\b(?:of|among)\s+(?:them|those|these)\b", re.IGNORECASE)
AMONG = re.compile(rf"\b(?:of|among|from|in|on)\s+{REF_TOKEN}\b")
# words around a reference that ask for nothing more than the record: "open the third", "what's the first one about"
REF_CHATTER = {
    "for",
    "of",
    "on",
    "open",
    "view",
    "display",
    "see",
    "pull",
    "up",
    "check",
    "look",
    "at",
    "details",
    "detail",
    "info",
    "information",
    "more",
    "about",
    "go",
    "tell",
    "describe",
    "is",
    "was",
    "again",
    "please",
    "exactly",
    "paper",
    "record",
    "entry",
    "item",
    "link",
    "url",
    "page",
    "full",
    "but",
    "and",
    "also",
    "only",
    "just",
    "then",
    "too",
}
SPLIT_WORDS = {"break", "broken", "split", "group", "grouped", "divide", "divided", "down", "up"}  # "break those down by year"
# questions about a named record that the question parser has no phrase for
OTHERS_ON = re.compile(
    rf"^(?:and\s+|so\s+)?who\s+(?:else\s+|all\s+)?(?:is|are|was|were|appears?|shows\s+up)\s+(?:on|in)\s+{REF_TOKEN}\b.*$"
)
REF_LOOKUPS = [
    (  # "#1 bibtex", "2nd one citation pls": a citation of the record named
        re.compile(
            rf"^{REF_TOKEN}\s*[,:\-–—]*\s*(?:(?:in|as)\s+)?(?:bibtex|bib|citation|cite|reference|bibtex\s+entry)(?:\s+(?:pls|please|plz))?$"
        ),
        f"cite {REF_TOKEN}",
    ),
    (  # "when did it come out and who's on it": two questions about the one record, its whole card answers both
        re.compile(
            rf"^(?:when|who|who's|what|what's|which|does|did|is|has|was)\b[^,&+]*\b{REF_TOKEN}\b.*?(?:\s+and\s+|\s*[,&+]\s*)(?:also\s+)?"
            rf"(?:when|who|who's|what|what's|which|does|did|is|has|was|its?|the\s+(?:date|year|authors?|abstract|code|category))\b.*$"
        ),
        f"tell me about {REF_TOKEN}",
    ),
    (
        re.compile(rf"^(?:what|which)\s+(?:year|date|month)\s+(?:is|was|were|are|did)\s+{REF_TOKEN}\b.*$"),
        f"when was {REF_TOKEN} published",
    ),
    (
        re.compile(rf"^(?:how\s+old\s+is|how\s+recent\s+is|date\s+of|year\s+of)\s+{REF_TOKEN}\b.*$"),
        f"when was {REF_TOKEN} published",
    ),
    (
        re.compile(
            rf"^(?:does|do|did|has|have|is|are)\s+{REF_TOKEN}\s+(?:have|has|got|come\s+with|open[- ]source|released|release)\s+(?:any\s+|its\s+|public\s+)?"
            rf"(?:code|an?\s+implementation|a\s+(?:github\s+)?repo\w*|source\s+code|github)\b.*$"
        ),
        f"does {REF_TOKEN} have code",  # "does the 3rd one have code?": that record, and whether it has code
    ),
    (
        re.compile(
            rf"^(?:does|do|did|has|have|is|are)\s+{REF_TOKEN}\s+(?:have|has|got|come\s+with|open[- ]source|released|release)\b.*$"
        ),
        f"tell me about {REF_TOKEN}",
    ),
    (
        re.compile(rf"^(?:link|url|pdf|where\s+(?:can|do)\s+i\s+(?:find|read|get))\b.*\b{REF_TOKEN}\b.*$"),
        f"tell me about {REF_TOKEN}",
    ),
    (
        re.compile(
            rf"^(?:who\s+(?:is|are)\s+(?:the\s+)?authors?\s+(?:of|on)|who\s+(?:else\s+|all\s+)?(?:worked|collaborated)\s+on|who\s+made|who\s+did"
            rf"|who(?:'s|\s+is|\s+are|\s+was|\s+were)\s+(?:on|behind|in)|whose\s+(?:paper|work)\s+is"
            rf"|who(?:'s|\s+is|\s+was)\s+(?:the\s+)?(?:first|lead|last|senior|main|corresponding|second|third|fourth|fifth|\d(?:st|nd|rd|th))\s+author\s+(?:of|on|for))\s+{REF_TOKEN}\b.*$"
        ),
        f"who wrote {REF_TOKEN}",
    ),
    (
        re.compile(rf"^(?:open|view|display|show(?:\s+me)?|pull\s+up|go\s+to|check|look\s+at|read)\s+{REF_TOKEN}$"),
        f"tell me about {REF_TOKEN}",
    ),
    (
        re.compile(
            rf"^who\s+(?:wrote|authored|published|co-?authored|co-?wrote|worked\s+on|appears|shows\s+up|comes\s+up|is\s+listed|is\s+named)\s+(?:the\s+)?most\s+(?:often\s+)?(?:of|on|among|in|across)\s+{REF_TOKEN}\b.*$"
        ),
        f"who coauthored most on {REF_TOKEN}",
    ),
    (
        re.compile(rf"^(?:what|which)\s+(?:are|were)\s+{REF_TOKEN}$|^(?:list|show(?:\s+me)?|name)\s+{REF_TOKEN}(?:\s+again)?$"),
        REF_TOKEN,
    ),
]


@dataclass(slots=True)
class FollowUp:
    """One message as a conversation turn."""

    text: str
    kind: str  # ack | reset | page | reference | refine | swap | complement | flip | back | fresh
    query: Query
    page: str | int = ""  # next | previous | first | last | a page number
    reference: Reference | None = None
    removals: set[str] = field(default_factory=set)
    cued: bool = False  # phrased as a follow-up: "and ...", "what about ...", "only ..."
    reset: bool = False  # began by clearing the conversation ("new question: ...")
    undo: bool = False  # began by taking the last refinement back ("never mind, show all of them again")
    rest: str = ""  # the message without its follow-up words, case kept ("and on NeRF?" -> "on NeRF")
    union: bool = False  # "or Jascha?", "or CV": widens the previous filter instead of replacing it
    both: bool = False  # "both" after "and jascha?": papers by the person before and this one together
    others: bool = False  # "the rest": the next page, or what the last filter left out when the list fits one page
    narrow: bool = False  # "only the video ones": a topic that narrows the previous one instead of replacing it
    widen: bool = False  # "stretch it back to 2022": the date range grows to the new date instead of being replaced
    also: bool = False  # "also with Jon Barron": the new person joins the ones before (all of them on each record)
    reverse: bool = False  # "reverse it", "other way round": the list's date order turned around
    shift_years: int = 0  # "and the year before that": the dates moved by this many years

    @property
    def asks_alone(self) -> bool:
        """A whole question about papers ("Jonathan Ho papers"), not a fragment or a cued step ("make that 2022", "and CV")."""
        return not self.cued and bool(PAPER_NOUN.search((self.rest or self.text).lower()))

    @property
    def needs_context(self) -> bool:
        """True when the message means nothing on its own (answering it alone would dump the corpus)."""
        if self.kind in ("page", "reference", "swap", "complement", "flip", "back") or self.removals:
            return True
        if self.kind == "refine":
            q = self.query
            low = self.text.lower()
            uncued = (self.rest or self.text).lower()  # "ok then just list the 2022 ones" asks, as "list the 2022 ones" does
            kinds = sum(bool(v) for v in (q.dates, q.categories, q.authors, q.has_code is not None, q.affiliations))
            q_alone = kinds >= 2 or (  # "cv 2024": two filters make a question
                (
                    PAPER_NOUN.search(low)
                    or PAPER_NOUN.search(uncued)
                    or (ASKS.match(uncued) and not re.match(r"(?:what|how)\s+about\b", low))
                )
                and (q.has_filters() or q.sort != "relevance")
            )
            if self.cued and not q_alone:  # "ok. papers from 2017 then" is a question of its own; "and with code?" is not
                return True
            fragment = (
                not q.topic
                and not PAPER_NOUN.search(low)
                and not PAPER_NOUN.search(uncued)  # "paprs with code": the word as read
                and not AUTHORSHIP.search(low)
                and not q_alone  # "what came out in 2019", "cv 2024": a question of its own
                and not (q.categories or q.dates or q.date_periods or q.authors or q.affiliations)  # "CV, newest first"
            )  # "with code", "oldest first": no question alone
            return fragment and (q.intent == "search" or (q.intent == "count" and not q.has_filters()))
        return False


ABOUT_HIM = re.compile(  # a whole question about the profile's owner ("how many papers did Ben Poole publish in 2016?")
    r"^(?:which|what|how\s+many|did|has|have|does|show\s+me|list|give\s+me|can\s+you|could\s+you)\b.*?"
    r"\b(?:he|his|ben(?:\s+poole)?|ben's)\s+(?:write|wrote|written|publish|published|put\s+out|have|has|had|got|papers?|work)\b"
    r"|^how\s+many\s+papers\s+(?:does|did|has|have)\s+.+\s+(?:with|and)\s+(?:him|ben(?:\s+poole)?)\b"  # "... Maithra Raghu have with him?"
)


PERSON_PAPERS = re.compile(  # "papers by jonathan barron", "show Eric Jang's papers": that person's list, asked afresh
    r"^(?:(?:show|list|give|get)\s+(?:me\s+)?)?(?:(?:all|the)\s+)?(?:papers|pubs|works)\s+(?:by|of|from)\s+[a-z]"
    r"|^(?:(?:show|list|give|get)\s+(?:me\s+)?)?[a-z]+(?:\s+[a-z-]+)?'s\s+(?:papers|pubs|work)\s*[?.!]*$"
)


def strip_cues(text: str) -> tuple[str, bool]:
    """The message without leading and trailing follow-up words, and whether it had any."""
    cued = False
    text = POLITE_END.sub("", text)  # "cv papers pls": polite, not a follow-up
    while True:
        stripped = LEADING_CUE.sub("", text, count=1)
        if stripped == text:
            break
        text, cued = stripped, True
    tail = TRAILING_CUE.sub(r"\1", text)
    return tail, cued or tail != text


# --- references --------------------------------------------------------------------------
COMPLEMENT = re.compile(  # "which ones don't", "and the rest?", "what about without": the records the last filter left out
    r"^(?:and\s+|so\s+|ok(?:ay)?\s+|what\s+about\s+|how\s+about\s+|show\s+(?:me\s+)?|list\s+)?(?:the\s+|all\s+the\s+)?"
    r"(?:rest(?:\s+of\s+(?:them|those|the\s+\w+))?|others|other\s+ones|remaining(?:\s+ones)?|ones\s+(?:that\s+)?(?:don't|do\s+not|aren't|are\s+not|without|left\s+out)"
    r"|opposite|inverse|everything\s+else|(?:which|what)(?:\s+ones|\s+papers)?\s+(?:don't|do\s+not|aren't|are\s+not|doesn't|does\s+not)"
    r"|without(?:\s+(?:it|that|them))?|how\s+many\s+(?:don't|do\s+not|aren't|are\s+not))$"
)


def standalone(follow: FollowUp, lexicon: Lexicon, today: dt.date) -> Query | None:
    """A reference-looking message that also means something alone ("the last paper" = the newest), for when nothing came before."""
    if follow.kind != "reference":
        return None
    if follow.reference is not None and follow.reference.age:  # "the newest one" with nothing listed: the newest paper
        aged = parse_query(follow.text, lexicon, today)
        return aged if aged.sort != "relevance" else None
    if (follow.reference is not None and follow.reference.described) or follow.query.intent == "unsupported":
        return parse_query(follow.text, lexicon, today)  # "the velo paper", "his most cited paper and when did it come out?"
    alone = parse_query(follow.text, lexicon, today)
    titled = alone.intent in ("paper", "cite") and bool(alone.target) and bool(resolve_title(alone.target, lexicon))
    if titled or (
        follow.reference is not None
        and not follow.reference.plural
        and alone.intent in RECORD_OPERATORS
        and (alone.dates or alone.authors or alone.categories)
    ):  # "dreamfusion: who's on it + date", "Poole et al. 2019, the one where he's first author": a question alone
        return alone
    ref = follow.reference
    pronoun = ref is not None and not (ref.positions or ref.numbers or ref.described or ref.other or ref.step)
    if pronoun and (alone.authors or alone.categories or alone.affiliations or alone.exclude_affiliations):
        return alone  # "which ones list berkeley as affiliation", "what has luke metz done? list them": a question alone
    if pronoun and alone.intent in ("search", "count") and len(topic_words(alone.topic)) >= 2 and not alone.set_aside:
        return alone  # "I'm reading up on diffusion models, what does the corpus have on that": "that" is its own topic
    among = OF_THEM.search(follow.text)
    if among:  # "how many CV papers does he have and which of them have code": "them" are the ones it just named
        before = parse_query(follow.text[: among.start()], lexicon, today)
        if before.intent in RECORD_OPERATORS and (before.has_filters() or topic_words(before.topic)):
            return parse_query(follow.text[: among.start()] + " " + follow.text[among.end() :], lexicon, today)
    q = parse_query(follow.text, lexicon, today)
    named = PAPER_NOUN.search(follow.text.lower())  # "the last paper" is the newest one; "the last one" needs a list
    meaningful = named and q.intent in RECORD_OPERATORS and (q.sort != "relevance" or q.limit) and not topic_words(q.topic)
    return q if meaningful else None


ABOUT = re.compile(
    r"^(?:what\s+is|what's|whats|what\s+was|what\s+are|tell\s+me\s+(?:more\s+)?about|more\s+about|describe|details?\s+(?:of|on|about|for)"
    r"|info(?:rmation)?\s+(?:on|about)|explain|show\s+(?:me\s+)?|who\s+is|who's)\s+(?P<t>.+)$"
)
SUMMARY = re.compile(r"^(?:summari[sz]e|summary:?|tldr|abstracts?|summaries)\s+(?:of\s+|for\s+)?(?P<t>.+)$")
_DETAIL = {
    "abstract": "abstract",
    "abstracts": "abstract",
    "summary": "abstract",
    "summaries": "abstract",
    "author": "authors",
    "authors": "authors",
    "date": "date",
    "dates": "date",
    "year": "date",
    "years": "date",
    "code": "code",
}


def _names_reference(target: str) -> tuple[bool, str]:
    """Whether a lookup's target is the reference ("it", "the second one"), and what follows it ("from 2024")."""
    words = [w for w in re.findall(r"[a-z0-9'.-]+", target.lower()) if w not in REF_CHATTER]
    return words[:1] == [REF_TOKEN], " ".join(words[1:])


def _reference_lookup(low: str) -> tuple[str, str, str] | None:
    """A lookup on the reference: its intent, the detail asked for, and the words after it (filters)."""
    for intent, pattern in (("cite", CITE), ("similar", SIMILAR), ("similar", SIMILAR_BARE)):
        m = pattern.search(low)
        if m:
            named, rest = _names_reference(m.group("t"))
            if named:
                return intent, "", rest
    for pattern, detail in [*LOOKUP, *LOOKUP_TERSE, (SUMMARY, "abstract"), (ABOUT, "")]:
        m = pattern.match(low)
        if not m:
            continue
        target = next((v for v in m.groupdict().values() if v), "")
        inner = DETAIL_OF.match(target)
        if inner and not detail:
            detail, target = _DETAIL.get(inner.group(1).lower(), ""), inner.group(2)
        named, rest = _names_reference(target)
        if named:
            return "paper", detail, rest
    return None


def _as_reference(text: str, lexicon: Lexicon, today: dt.date) -> tuple[Reference, Query] | None:
    """The message as a question about records of the previous answer, if that is what it is."""
    found = find_reference(text)
    if found is None:
        return None
    ref, replaced = found
    low = " ".join(replaced.lower().rstrip("?!. ").split())
    then = re.match(rf"^{REF_TOKEN}\s*[,;:\-–—+]*\s*(?P<ask>.*\b(?:it|that|this|them|those)\b.*)$", low)
    if then:  # "the energy-based one, when did it come out": the ask is about the record just named
        low = re.sub(r"\b(?:it|that|this|them|those)\b", REF_TOKEN, then.group("ask"), count=1)
        replaced = low
    if ref.plural and OTHERS_ON.match(low):  # "who else is on them": the people of those records, counted
        replaced = f"who coauthored most on {REF_TOKEN}"
    else:
        replaced = next((phrase for pattern, phrase in REF_LOOKUPS if pattern.match(low)), replaced)
    low = " ".join(replaced.lower().rstrip("?!. ").split())
    lookup = None if BREAKDOWN.search(low) else _reference_lookup(low)  # "split them by year" is a table, not a date
    if lookup is not None:  # "who wrote it", "cite the first two", "papers like it from 2024"
        intent, detail, rest = lookup
        q = parse_query(rest, lexicon, today) if rest else Query(text=text)
        q.intent, q.detail, q.target, q.topic = intent, detail, "", ""
        return ref, q
    if re.fullmatch(rf"\s*{REF_TOKEN}\s*[?.!]*\s*", replaced) and (ref.positions or ref.numbers):
        return ref, Query(text=text)  # the reference alone ("and the 2nd?"): that record (or person, after a table)
    q = parse_query(replaced, lexicon, today)
    if q.intent == "unsupported" and q.caveat is not None and not q.set_aside:  # "which of these got into CVPR?"
        q.target = ""
        return ref, q
    if REF_TOKEN in q.set_aside:  # the stand-in is no corpus word: it may be set aside rather than kept in the topic
        q.set_aside = [w for w in q.set_aside if w != REF_TOKEN and w not in SPLIT_WORDS]
        q.topic = f"{q.topic} {REF_TOKEN}".strip()
    if q.intent in RECORD_OPERATORS and REF_TOKEN in q.topic.split():
        rest = [w for w in topic_words(q.topic) if w not in REF_CHATTER and not (q.intent == "breakdown" and w in SPLIT_WORDS)]
        chosen = not ref.plural and re.search(rf"{REF_TOKEN}\s+(?:with|about|on|from|by|where|that|which|in)\b", replaced.lower())
        if not rest or AMONG.search(replaced.lower()) or chosen:  # "the one with the thousand tasks": which listed one
            q.topic = " ".join(rest)
            return ref, q
    return None


# --- reading a message ---------------------------------------------------------------------
BOTH_REMAIN = re.compile(
    r",?\s*so\s+(?:that\s+)?(?:only\s+)?(?:the\s+)?(?:papers|ones)\s+(?:with|by|having)\s+(?:both|all)(?:\s+of\s+them)?\b[^,.;?!]*",
    re.IGNORECASE,
)
ALSO = re.compile(  # "how many of them also have Jon Barron on them": one more person, with the ones before
    r"\balso\s+(?:have|has|had|with|by|include[sd]?|feature[sd]?|list(?:s|ed)?|mention(?:s|ed)?|written\s+by|co-?authored\s+by|appears?|is\s+(?:on|listed|an?\s+author))\b"
    r"|\b(?:as\s+well\s+as|together\s+with|along\s+with)\b"
    r"|\b(?:[a-z]+\s+){1,3}(?:is|are|was)\s+also\s+(?:on|in|an?\s+author)\b"  # "just the ones Surya Ganguli is also on"
    r"|\b(?:ones|papers)\s+with\s+(?:[a-z]+\s+){1,3}(?:too|as\s+well)\b"  # "only the ones with Jascha too"
    r"|\bnarrow\s+(?:it|them|this|that|those)?\s*(?:down\s+)?to\s+(?:the\s+)?(?:ones|papers)\s+(?:with|by)\b",  # "narrow it to the ones with X"
    re.IGNORECASE,
)
WIDEN = re.compile(  # "stretch it back to 2022", "extend that to 2021", "widen the range to include 2020"
    r"\b(?:stretch|extend|widen|expand|broaden|push|open)\s+(?:it|that|this|them|those|the\s+(?:range|dates?|years?|window|list|search))?"
    r"\s*(?:back|out|forward|further)?\s*(?:to|until|till|into|through)\s+(?:include\s+)?(?:\w+\s+)?(?:19|20)\d\d\b"
    r"|\bgo\s+(?:back\s+)?(?:further|as\s+far)\s+(?:back\s+)?(?:to|as)\s+(?:19|20)\d\d\b",
    re.IGNORECASE,
)


LIST_THEM = re.compile(  # "Could you list them?" after a question in the same message: its own answer, listed
    r"^(?:(?:and|so|ok|okay|also|please)[,\s]+)*(?:(?:could|can|would|will)\s+(?:you|u)\s+(?:please\s+)?)?"
    r"(?:list|show|give|name)\s+(?:me\s+)?(?:them|those|these|'em)(?:\s+(?:all|to\s+me))?(?:\s+(?:please|pls))?\s*[?.!]*$",
    re.IGNORECASE,
)


def _own_antecedent(text: str, lexicon: Lexicon, today: dt.date) -> str | None:
    """ "Which of his papers came with code? Could you list them?": the question before, whose answer "them" means."""
    parts = re.split(r"(?<=[.?!])\s+", text.strip())
    if len(parts) < 2 or not LIST_THEM.match(parts[-1]):
        return None
    before = " ".join(parts[:-1])
    q = parse_query(before, lexicon, today)
    return before if q.intent in RECORD_OPERATORS and (q.has_filters() or topic_words(q.topic)) else None


CHANGE_WORDS = re.compile(  # the sentences of a long follow-up that change the list (the rest is its story)
    r"\b(?:drop|swap|only|just|keep|leave\s+out|put\s+them|sort|order|newest|oldest|instead|narrow|limit|exclude|without|with\s+code"
    r"|category|categories|since|after|before|regardless|don't\s+limit|any\s+(?:topic|year|category)|from\s+(?:19|20)\d\d|in\s+(?:19|20)\d\d"
    r"|(?:19|20)\d\d\s+(?:and|to|-)\s+(?:19|20)\d\d|change\s+of\s+plan)\b",
    re.IGNORECASE,
)


STORY_DATE = re.compile(r"\b(?:if|because|since\s+(?:i|we|he|she|they))\b[^,]*\b(?:19|20)\d\d", re.IGNORECASE)


def long_followup_core(text: str) -> str:
    """A long follow-up reduced to its sentences that change the list ("Swap Mildenhall for Jon Barron ... leave out
    anything from before 2020 ... put them oldest first"), without its story ("the students will fall asleep if I
    show them something from 2015")."""
    clauses = re.split(
        r"(?<=[.?!])\s+|,\s+(?=(?:this|that|it|which|because|so|and\s+the|the\s+\w+\s+will)\b)", " ".join(text.split())
    )
    kept = [c for c in clauses if CHANGE_WORDS.search(c) and not STORY_DATE.search(c)]
    return " ".join(kept) if kept else text


REMARKS = re.compile(  # what a follow-up says about itself, no change to the list: "..., which I think should only be a few"
    r",?\s+rather\s+than\s+(?:splitting|paging|breaking|showing|dividing|spreading)\b.*$"
    r"|,?\s+(?:which|that)\s+i\s+(?:think|guess|believe|assume|reckon|suspect)\b.*$"
    r"|,\s*(?:i|we)\s+(?:want|wanna|would\s+like|'d\s+like|need)\s+to\s+(?:look\s+at|see|check|read|go\s+over|compare)\s+(?:those|them|these|it|that)\b.*$"
    r"|,?\s+or\s+(?:was|is)\s+(?:that|this|it)\s+(?:everything|all|it)\b.*$"
    r"|,?\s+so\s+(?:that\s+)?(?:i|we)(?:'ve|\s+have|\s+can|\s+could)\s+(?:seen|see|read|check|go\s+through)\b.*$"
    r"|[,?.]\s*it\s+(?:looks|seems|sounds)\s+(?:quite\s+|pretty\s+|really\s+|very\s+|kind\s+of\s+|a\s+bit\s+)?\w+\s*[.!]*$"
    r"|\b(?:that'?s|that\s+is|it'?s)\s+(?:a\s+lot\s+|way\s+|much\s+|a\s+bit\s+)?(?:fewer|more|less|lower|higher|bigger|smaller)\s+than\s+(?:i|we)\s+"
    r"(?:expected|thought|imagined|guessed)\b[,.;!]?"
    r"|,?\s+(?:again\s+)?(?:starting\s+)?from\s+the\s+(?:very\s+)?(?:start|beginning|top)(?:\s+again)?\b(?!\s+of\b)"  # a new order starts at page 1
    r"|^(?:i\s+think|i\s+guess|i\s+feel\s+like)\s+(?=(?:the|that|this)\s)"  # "I think the last one on that list looks interesting, ..."
    r"|\s+(?:looks|seems|sounds)\s+(?:really\s+|quite\s+|pretty\s+|very\s+|kind\s+of\s+)?(?:interesting|good|promising|relevant|useful|cool|neat|great|nice)\b",
    re.IGNORECASE,
)
REF_THEN_CHECK = re.compile(  # "the third one, is that the one about learned optimizers?": is the third one about them
    r"^(?P<ref>(?:the\s+)?(?:\w+|last|first)\s+one)\s*[,:-]+\s*(?:is|was)\s+(?:that|it|this)\s+(?:the\s+one\s+|the\s+paper\s+)?(?P<rest>.+)$",
    re.IGNORECASE,
)


BARE_NUMBERS = re.compile(
    r"^\s*(?P<verb>cite|bibtex(?:\s+for)?|abstracts?\s+(?:of|for)|open|who\s+wrote)\s+"  # "show me 3" is a size
    r"(?P<nums>\d{1,2}(?:\s*(?:,|and|&|\+)\s*\d{1,2})*)\s*(?:pls|please|plz)?\s*[?.!]*$",
    re.IGNORECASE,
)
QUOTE_THEN = re.compile(r"^\s*>\s*(?P<q>[^\n]+)\n+(?P<rest>(?!\s*>).+)$", re.DOTALL)
_THIS = re.compile(r"\b(?:this|that)(?:\s+one|\s+paper)?('s)?\b|\bit\b", re.IGNORECASE)


def _numbered(text: str) -> str | None:
    """ "cite 1 and 3": the records numbered so in the list shown ("cite #1 and #3")."""
    m = BARE_NUMBERS.match(text)
    if m is None:
        return None
    return m.group("verb") + " " + re.sub(r"\d{1,2}", lambda n: "#" + n.group(0), m.group("nums"))


def _quoted_then_asked(text: str, lexicon: Lexicon) -> str | None:
    """A Discord reply that quotes a line, then asks: "> 1. VeLO: Training ...\nthis one, more info?" asks about the
    quoted title; a quoted request for a page ("> next page") is the asker's own earlier message, left out."""
    m = QUOTE_THEN.match(text)
    if m is None:
        return None
    numbered = re.match(r"^\s*#?(\d{1,3})[.)]\s+", m.group("q"))
    line = strip_markup(m.group("q")[numbered.end() if numbered else 0 :]).strip(" *_`")
    rest = m.group("rest").strip()
    title = resolve_title(line, lexicon) if len(line.split()) >= 2 or lexicon.frequency(line.lower()) == 0 else None
    if title is None:  # "> next page\nnvm prev pls": the asker's own paging, left out; any other line may name someone
        paging = (PAGE_NEXT, PAGE_PREVIOUS, PAGE_FIRST, PAGE_LAST)
        said = re.sub(r":[a-z_]+:|[^\w\s]", " ", line.lower()).strip()
        return rest if any(p.match(" ".join(said.split())) for p in paging) else None
    named = f"#{numbered.group(1)}" if numbered else f'"{title}"'  # a numbered line of the list shown: that record
    if _THIS.search(rest):
        return _THIS.sub(lambda t: named + (t.group(1) or ""), rest, count=1)
    return f"{rest.rstrip(' ?!.')} of {named}" if numbered else f"{named} {rest}"


NOW_THE_ONES = re.compile(r"^\W*(?:(?:ok(?:ay)?|and|so)[,\s]+)*now\s+(?:the|those)\s+(?P<t>.+?)\s+ones\s*[?.!]*$", re.IGNORECASE)


def _now_the_ones(text: str) -> str | None:
    """ "now the GAN ones" after the diffusion list: GAN papers instead ("the GAN ones" alone: those among the list)."""
    m = NOW_THE_ONES.match(text)
    return f"what about {m.group('t')} papers" if m else None


PICKED = re.compile(  # "we'll take the first one for week 1. Show me its abstract.", "let's go with #3, cite it"
    r"^\s*(?:(?:ok(?:ay)?|great|cool|nice|so|alright|right|perfect|hmm+)[,.!\s]+)*"
    r"(?:(?:(?:we|i)(?:'ll|\s+will|'d\s+like\s+to|\s+would\s+like\s+to|\s+want\s+to|\s+wanna)?|let'?s)\s+)?"
    r"(?:(?:pick|take|choose|go\s+with|use|read|do|start\s+with|begin\s+with|try)\s+)?"
    r"(?P<ref>.+?)(?:\s+for\s+(?:the\s+|our\s+|next\s+|this\s+)?(?:week|session|meeting|group|class|seminar|reading\s+group|talk|slot)\b[^.,;!?]*)?"
    r"(?:\s+(?:sounds|looks|seems|is\s+the\s+most)\b[^.;!?]*)?"  # "The fourth one sounds like it might be off-topic; ..."
    r"\s*(?P<sep>[.;!]|,(?=\s*\w))\s*(?P<rest>\S.*)$",
    re.IGNORECASE,
)
PICK_VERB = re.compile(
    r"^\s*(?:(?:ok(?:ay)?|great|cool|nice|so|alright|right|perfect|hmm+)[,.!\s]+)*"
    r"(?:(?:(?:we|i)(?:'ll|\s+will|'d\s+like\s+to|\s+would\s+like\s+to|\s+want\s+to|\s+wanna)?|let'?s)\s+)?"
    r"(?:pick|take|choose|go\s+with|use|read|do|start\s+with|begin\s+with|try)\s+(?P<ref>.+?)"
    r"(?:\s+for\s+(?:the\s+|our\s+|next\s+|this\s+)?(?:week|session|meeting|group|class|seminar|reading\s+group|talk|slot)\b[^.,;!?]*)?\s*[.!]*$",
    re.IGNORECASE,
)
COMPARE_LISTED = re.compile(r"^\s*(?:compare|contrast)\s+(?P<ref>.+?)\s*[?.!]*$", re.IGNORECASE)  # "compare the first two"


def _picked_then_asked(text: str) -> str | None:
    """ "the second one. BibTeX please." / "We'll pick #2, cite it": one message saying which record, then what of it."""
    m = PICKED.match(text) or PICK_VERB.match(text)
    compared = COMPARE_LISTED.match(text)
    by_position = compared and any(p.fullmatch(compared.group("ref").lower()) for p in (FIRST_N, NUMBERED, ORDINAL_LIST))
    if compared and by_position:  # "compare the first two": those records side by side ("compare them" compares people)
        return compared.group("ref")
    if m is None:
        return None
    ref = m.group("ref").strip()
    if not re.fullmatch(
        r"(?:that|this)\s+(?:one|paper)|" + ORDINAL_LIST.pattern + "|" + NUMBERED.pattern + "|" + AGED.pattern, ref, re.IGNORECASE
    ):
        return None
    rest = m.groupdict().get("rest") or ""
    if not rest.strip():
        return ref  # "I choose the second one": that record
    if re.search(r"\bits\b", rest, re.IGNORECASE):
        return re.sub(r"\bits\b", f"{ref}'s", rest, count=1, flags=re.IGNORECASE)
    if _THIS.search(rest):
        return _THIS.sub(lambda t: ref + (t.group(1) or ""), rest, count=1)
    if m.groupdict().get("sep") == ",":
        return None if ref == m.group(0)[: len(ref)] else f"{ref}, {rest}"  # "that top one, abstract pls" reads as it is
    return f"{ref}, {rest}"  # "the second one. BibTeX please.": one clause, as "the second one, BibTeX please" reads


def read_followup(text: str, lexicon: Lexicon, today: dt.date, anew: bool = False) -> FollowUp:
    """Classify one message of a conversation (without looking at the previous answer); ``anew``: what follows a reset."""
    unremarked = REMARKS.sub("", text).strip()
    said = REF_THEN_CHECK.sub(r"is \g<ref> \g<rest>", unremarked)
    if said and said != text.strip():  # "and the page after that one too, which I think is the last": the ask alone
        follow = read_followup(said, lexicon, today, anew)
        if said == unremarked:  # a check asked of a reference keeps its reworded form ("is the third one about ...")
            follow.text = follow.query.text = text
        return follow
    for said in (_numbered(text), _quoted_then_asked(text, lexicon), _now_the_ones(text), _picked_then_asked(text)):
        if said is not None:  # the same message said the way the rest of this module reads it
            follow = read_followup(said, lexicon, today, anew)
            follow.text = follow.query.text = text
            return follow
    own = _own_antecedent(text, lexicon, today)
    if own is not None:
        follow = read_followup(own, lexicon, today, anew)
        follow.text = follow.query.text = text
        return follow
    both = BOTH_REMAIN.search(text)
    if both:  # "add Philipp Henzler as well, so that only papers with both of them remain": one more person on each
        follow = read_followup(text[: both.start()] + text[both.end() :], lexicon, today, anew)
        follow.text = follow.query.text = text
        follow.also, follow.union = True, False
        return follow
    widen = WIDEN.search(text)
    if widen is None:
        follow = _read_followup(text, lexicon, today, anew)
    else:  # "widen it to 2022 as well": the year, read without the verb
        verb = re.search(
            r"\b(?:stretch|extend|widen|expand|broaden|push|open|go)\b.*?(?=(?:19|20)\d\d)", text[widen.start() :], re.IGNORECASE
        )
        start = widen.start() + (verb.start() if verb else 0)
        end = widen.start() + (verb.end() if verb else 0)
        follow = _read_followup(text[:start] + " " + text[end:], lexicon, today, anew)
        follow.text = follow.query.text = text
    follow.widen = widen is not None
    follow.also = bool(ALSO.search(text))
    return follow


def _read_followup(text: str, lexicon: Lexicon, today: dt.date, anew: bool = False) -> FollowUp:
    """Classify one message (``read_followup`` marks a widening of the dates on it)."""
    clean = fix_keywords(clean_question(text), lexicon)[0]  # "paprs with code", "newest frist": the words as meant
    bare = POLITE_END.sub("", clean.lower().strip().rstrip("?!. ").strip())  # "bibtex pls" is "bibtex"
    if ACK.match(bare) or not re.search(r"[\w?]", bare):  # "thx", "cool", "👍": no question; the conversation stays as it is
        return FollowUp(text, "ack", Query(text=text, intent="ack"))
    claimed = read_claim(text, lexicon, today)
    if claimed is not None:  # "DreamFusion came out in 2023, right?": a claim about one paper, a question of its own
        return FollowUp(text, "fresh", claimed)
    m = RESET.match(bare)
    said = RESET.match(POLITE_END.sub("", " ".join(text.lower().split()).rstrip("?!. ")))
    if m is None and said is not None and said.group("rest") and bare:  # "scratch that, list his 2021 papers": cleaning
        fresh = read_followup(
            clean, lexicon, today, anew=True
        )  # kept only the new question; it starts afresh unless it follows up
        fresh.text = fresh.query.text = text
        fresh.reset, fresh.undo = not fresh.needs_context, fresh.needs_context
        if fresh.kind == "refine" and LAST_STEP.match(text) and not ASKS.match(clean.lower()):
            fresh.reset, fresh.undo = False, True  # "scratch that, before 2020": the last change replaced, not all forgotten
        return fresh
    if m and m.group("rest"):  # "new question: papers on GANs": forget, then answer the rest
        rest = re.sub(r"^(?:with|and|now)\s+", "", clean[m.start("rest") :].strip(" :;,.!-"), flags=re.IGNORECASE)
        fresh = read_followup(rest, lexicon, today, anew=True)
        if fresh.kind == "reset":  # "clear everything pls, fresh start": one reset said twice
            return FollowUp(text, "reset", Query(text=text, intent="reset"))
        named = (
            fresh.reference is not None
            and bool(fresh.reference.described)
            and bool(resolve_title(fresh.reference.described, lexicon))
        )
        if named:  # "nah forget that. the gumbel softmax paper?": a paper of the corpus, asked afresh
            fresh.reset = True
            return fresh
        # "never mind, show all of them again": the rest still follows up, so nothing is forgotten
        fresh.text, fresh.query.text = text, text
        fresh.reset, fresh.undo = not fresh.needs_context, fresh.needs_context
        return fresh
    uncued = strip_cues(bare)[0].strip(" ,")  # "ok authors?" is "authors?"
    for pattern, explicit in IMPLICIT_IT:
        hit = pattern.match(bare) or pattern.match(uncued) or pattern.match(REQUEST_LEAD.sub("", uncued))
        if hit:
            clean = explicit.format(rest=hit.groupdict().get("rest") or "")  # "anything similar from 2020": like it, from 2020
    if m:
        bare_undo = bool(re.fullmatch(r"(?:nvm|nm|never\s*mind|nevermind|scratch\s+that)", bare))  # the last step back, else all
        return FollowUp(text, "reset", Query(text=text, intent="reset"), undo=bare_undo)
    lead = REQUEST_LEAD.match(clean.lower())
    if lead and EITHER.match(clean[lead.end() :]):  # "Could you now add Philipp Henzler as well": the adding verb
        clean = clean[lead.end() :]
    either = EITHER.match(clean)
    core, cued = strip_cues(clean[either.end() :] if either else clean)
    cued = cued or bool(either)
    low = core.lower().strip().rstrip("?!. ").strip()
    asked = REQUEST_LEAD.sub("", low)  # "would you show me the following page?": the page
    for pattern, page in ((PAGE_NEXT, "next"), (PAGE_PREVIOUS, "previous"), (PAGE_FIRST, "first"), (PAGE_LAST, "last")):
        if pattern.match(low) or pattern.match(bare) or pattern.match(asked):
            return FollowUp(text, "page", Query(text=text, intent="page"), page=page, others=bool(COMPLEMENT.match(low)))
    m = PAGE_NUMBER.match(low) or PAGE_NUMBER.match(asked)
    if m:
        number = number_of(m.group("n")) if m.group("n") else ordinal_of(m.group("ord"))
        return FollowUp(text, "page", Query(text=text, intent="page"), page=number)
    back = BACK_TO.match(bare)
    if back:  # "ok back to the diffusion ones": the conversation before a question that started afresh (else a topic swap)
        follow = read_followup(back.group("what"), lexicon, today)
        follow.kind, follow.text, follow.rest, follow.cued = (
            ("back" if follow.kind in ("fresh", "swap", "refine") else follow.kind),
            text,
            back.group("what"),
            True,
        )
        return follow
    if COMPLEMENT.match(low):
        intent = "count" if low.startswith("how many") else "search"
        return FollowUp(text, "complement", Query(text=text, intent=intent), cued=True)
    if REVERSED.match(low):
        return FollowUp(text, "refine", Query(text=text), cued=True, reverse=True)
    shift = YEAR_SHIFT.match(low)
    if shift:
        later = (shift.group("d") or shift.group("d2") or shift.group("d3")) in ("after", "later", "next", "following")
        return FollowUp(text, "refine", Query(text=text), cued=True, shift_years=1 if later else -1)
    flip = FLIP_DATES.match(low)
    if flip:
        later = bool(re.search(r"\b(?:after|afterwards?|later|newer|since)\b", flip.group("dir")))
        return FollowUp(text, "flip", Query(text=text), page="after" if later else "before", cued=True)
    core = corrected_value(core, lexicon)
    core, removals = removals_in(order_and_size(core))  # first: "by barron instead of 2022" drops the dates
    swapped = SWAP_OUT.search(core)
    if swapped:  # "swap berkeley for deepmind" is "deepmind" as a follow-up
        core, cued = (core[: swapped.start()] + " " + core[swapped.end() :]).strip(), True
    kept = KEEP.search(core)
    if kept:  # "ok and normalizing flows, same year": a follow-up that keeps the filters
        core, cued = re.sub(r"(?:\s*,)+", ",", KEEP.sub(", ", core)).strip(" ,;"), True  # a clause boundary stays
    core, named = named_drops(core, lexicon, today)
    removals |= named
    if removals:  # "any year, and on NeRF?": what is left is read as a follow-up too
        core, _ = strip_cues(core.strip(" ;,.-"))
        cued = True
    then = TITLE_THEN_ASK.match(core.lower().rstrip("?!. "))
    named_own = (  # "dreamfusion: who's on it" names its own paper ("the 4d one - who wrote it?" picks a listed one)
        bool(then) and not DESCRIBED.search(then.group("t")) and bool(resolve_title(_strip_target(then.group("t")), lexicon))
    )
    reference = None if named_own else _as_reference(core, lexicon, today)
    if reference is not None:
        ref, q = reference
        q.text = text
        return FollowUp(text, "reference", q, reference=ref, removals=removals, cued=cued, both=bool(BOTH.match(low)))
    q = parse_query(core.rstrip("?!. "), lexicon, today) if core.strip(" ?!.") else Query(text=text)
    if kept and q.intent == "paper" and q.target:  # "same year but about discrete flows": that topic in the year kept
        words = re.sub(r"^(?:but|and|just|only)\s+", "", core.rstrip("?!. "), flags=re.IGNORECASE)
        q = parse_query(f"papers {words}", lexicon, today)
    if removals and q.intent == "unsupported" and q.set_aside:  # "with or without code, doesn't matter": only the removal
        q = Query(text=text)
    q.text = text
    terse = TERSE_ASK.match(text) if not (cued or removals or anew) else None
    if terse and (q.intent == "author" or (q.intent in RECORD_OPERATORS and q.topic and not q.has_filters())):
        cued = True  # "video?", "luke?" after a list: what about it, the rest of the question kept
        code = q.topic.upper()
        if code in CATEGORY_NAMES and not q.missing:  # "ml?" after "lg": the category, though abstracts say "ML" too
            q.categories, q.topic, q.expansions = [code], "", {}
    if cued and q.intent == "author":  # "what about Luke Metz?": a name as a filter
        q.intent, q.authors, q.target = "search", [q.target], ""
    own_topic = topic_words(q.topic)
    cued = cued or bool(REFINING.search(core.lower()))
    rest = core.strip(" ?!.")
    if q.intent in RECORD_OPERATORS and not own_topic and WHOLE_CORPUS.search(core.lower()) and not removals:
        return FollowUp(text, "fresh", q, cued=cued, rest=rest)  # "k then: all the papers that have code": a question alone
    if (
        q.intent in RECORD_OPERATORS
        and not cued
        and not removals
        and q.has_filters()
        and (ABOUT_HIM.match(core.lower()) or PERSON_PAPERS.match(core.lower()))
    ):
        return FollowUp(text, "fresh", q, rest=rest)  # "Which papers did he write with Dave Epstein?": his, not the list's
    if q.intent in RECORD_OPERATORS and not own_topic and not WHOLE_CORPUS.search(core.lower()):
        q.topic = ""
        return FollowUp(text, "refine", q, removals=removals, cued=cued, rest=rest, union=bool(either))
    if q.intent in RECORD_OPERATORS and cued:
        q.topic = " ".join(own_topic)
        narrow = bool(NARROWING.search(clean.lower()))
        return FollowUp(text, "swap", q, removals=removals, cued=cued, rest=rest, narrow=narrow)
    return FollowUp(text, "fresh", q, removals=removals, cued=cued, rest=rest)
