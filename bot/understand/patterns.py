"""The phrases question understanding looks for: one regular expression per kind of request.

Kept apart from the parser (query.py) so the parser reads as steps and the phrasings can be read
(and extended) as one list. Lowercased question text is matched; ``FILLER`` holds the words a
topic never keeps ("papers", "about", "published").
"""

from __future__ import annotations

import re

from .dates import NUMBER

REF_TOKEN = "zzref"  # stands in for a reference to a listed record while a follow-up is parsed; no corpus word

POLITE_END = re.compile(
    r"[\s,.!]+(?:pls|plz|please|kindly|stp|svp|thx|thanks|thank\s+you|thank\s+u|ty|now|asap|already)[?.!]*$"
)  # "dreamfusion authors pls"
LONG = 200  # characters: a longer question mentions more than it asks (no profile, caveat, "like ..." or sort from its middle)
HELP = re.compile(
    r"^(?:/?help|\?|commands|usage|what can (?:you|i) (?:do|ask)|what(?:'s| is| are) (?:this|you|paperbot)(?: bot)?|who are you|how does (?:this|it|the bot) work|how (?:do|can) i (?:use|ask)\b.*|what do you know|examples?"
    r"|(?:hi|hello|hey|hiya|yo|howdy|greetings|good (?:morning|afternoon|evening)|thanks|thank you|thx|cheers)(?: there)?(?: paperbot)?|)$"
)
PROFILE = re.compile(
    r"\b(?:h[- ]?index|hindex|citation count|citations? count|total\s+cites|cites\s+total|number of citations|how many (?:times )?(?:citations?|cited)"
    r"|total citations|citations|cited|novelty|ai score|whose profile|who(?:'s| is) (?:this|the profile|the owner)"
    r"|profile|who are you about|about this (?:profile|researcher))\b"
    r"|^(?:show\s+(?:me\s+)?(?:the\s+)?)?(?:stats|statistics|overview|summary)\??$"
    r"|^(?:give\s+me\s+|show\s+me\s+|what(?:'s|\s+is)\s+)?(?:an?\s+|the\s+)?(?:summary|overview|gist|rundown)\s+of\s+(?:his|her|their|ben's)\s+(?:work|research|papers|output)$"
    r"|^summari[sz]e\s+(?:his|her|their|ben's)\s+(?:work|research|papers|output)$"
    r"|^(?:what(?:'s|\s+is)\s+)?(?:his|her|their|the\s+profile's|ben's)\s+(?:main\s+)?(?:research\s+)?(?:field|area)$"
)
CURRENT_WORK = re.compile(  # "what's he working on these days": his newest papers
    r"^(?:so\s+|and\s+)?what(?:'s|\s+is|\s+are|\s+has|\s+have|\s+was|\s+were)?\s+(?:he|she|they|ben(?:\s+poole)?)\s+(?:been\s+)?"
    r"(?:working\s+on|up\s+to|doing|researching|focus(?:ed|ing)\s+on|into)\b"
)
CITE = re.compile(
    r"(?:^(?:please\s+)?(?:cite|bibtex|bib)(?:\s+(?:entry|entries|citation|reference|record))?(?:\s+(?:for|of|on))?(?=[\s:])|\b(?:bibtex|bib\s*tex|bib|bibliographic)(?:\s+(?:entry|entries|citation|reference|record))?\s+(?:for|of|on)"
    r"|\bcitation(?:\s+(?:format|style|entry|info|text|string|details))?\s+(?:for|of)|\bhow (?:do|should|can|would) (?:i|we|you) cite|\breference\s+(?:entry\s+)?for|\bcite"
    r"|\b(?:can|could|would)\s+(?:you|u)\s+(?:pls\s+|please\s+)?(?:bibtex|bib))[\s:]+(?P<t>.+)$"
)
SIMILAR_BARE = re.compile(r"^(?:similar|related)\s+(?!to\b|papers?\b|works?\b)(?P<t>.+)$")  # "similar dreamfusion"
SIMILAR = re.compile(
    r"\b(?:(?:papers?|work|works|anything|something|more|others?)\s+)?(?:similar\s+(?:papers?\s+|works?\s+|ones\s+|stuff\s+)?to|(?<!would )(?<!'d )(?<!\bi )like(?!\s+(?:to|how|what|when|who|which|where|why|idk|literally|basically|really|just|so|totally|maybe|find|show|give|get|list|tell|pull|search|look|see|need|want|send|know)\b)|related\s+(?:work\s+|papers?\s+)?(?:to|for)|in\s+the\s+spirit\s+of|resembling|close\s+to|along\s+the\s+lines\s+of)\s+(?P<t>.+)$"
)
LOOKUP = [
    (
        re.compile(  # "could you give me the exact title of the Gumbel-Softmax paper?"
            r"^(?:(?:can|could|would)\s+you\s+(?:please\s+)?(?:give|tell|show|send)\s+me\s+|what(?:'s|\s+is|\s+was)\s+|give\s+me\s+|tell\s+me\s+)?"
            r"(?:the\s+)?(?:exact|full|complete|official|proper|correct)\s+(?:title|name)\s+(?:of|for)\s+(?P<t>.+)$"
        ),
        "",
    ),
    (
        re.compile(  # "is the dreamfusion paper CV or LG": its category (the paper shows it)
            rf"^(?:is|was)\s+(?!{REF_TOKEN}\b)(?:the\s+)?(?P<t>.+?)(?:\s+paper)?\s+(?:in\s+|filed\s+(?:under|as)\s+)?(?:cs\.|stat\.)?(?:cv|lg|ml|cl|ne|ai|gr|ro|it)"
            r"(?:\s+or\s+(?:cs\.|stat\.)?(?:cv|lg|ml|cl|ne|ai|gr|ro|it))?(?:\s+paper)?$"
        ),
        "",
    ),
    (
        re.compile(  # "what category is variational prediction": its category (the paper shows it)
            r"^(?:what|which)\s+(?:arxiv\s+)?(?:category|categories|field|subject\s+area|subject)\s+(?:is|was|does|did)\s+(?:the\s+)?(?P<t>.+?)"
            r"(?:\s+(?:paper|in|under|belong\s+to|belongs\s+to|fall\s+under|filed\s+under|listed\s+(?:in|under)|on\s+arxiv))*$"
        ),
        "",
    ),
    (
        re.compile(  # "which company are the VeLO authors from", "the VeLO authors, from which company they are?"
            r"^(?:(?:which|what)\s+(?:company|companies|institutions?|labs?|universit(?:y|ies)|organi[sz]ations?|affiliations?|places?)\s+(?:are|were|is|do|did)\s+"
            r"(?:the\s+)?(?:authors\s+of\s+)?(?P<t>.+?)(?:'s)?(?:\s+(?:authors|people|team|folks))?\s+(?:from|at|with|based)"
            r"|where\s+(?:are|were)\s+(?:the\s+)?(?:authors\s+of\s+)?(?P<t2>.+?)(?:'s)?(?:\s+(?:authors|people|team|folks))?\s+from"
            r"|(?:the\s+)?(?P<t3>.+?)(?:'s)?\s+(?:authors|people|team|folks),?\s+(?:from\s+)?(?:which|what)\s+(?:company|companies|institutions?|labs?|universit(?:y|ies)|organi[sz]ations?|affiliations?)(?:\s+(?:are\s+they|they\s+are|are\s+they\s+from|they\s+are\s+from))?)$"
        ),
        "affiliations",
    ),
    (
        re.compile(
            r"^(?:who(?:'s\s+on|\s+(?:is|are|was|were)\s+on)|who\s+(?:wrote|authored|are\s+the\s+authors\s+(?:of|on)|(?:is|was|'s)\s+(?:the\s+)?(?:(?:first|lead|main)\s+)?author\s+(?:of|on)|were\s+the\s+authors\s+of)|(?:the\s+)?(?:(?:first|lead)\s+)?authors?\s+(?:of|on))\s+(?P<t>.+)$"
        ),
        "authors",
    ),
    (
        re.compile(
            r"^(?:when|what\s+year|which\s+year|what\s+date)\s+(?:was|were|did|is)\s+(?:the\s+paper\s+)?(?P<t>.+?)\s+(?:published|released|written|come\s+out|came\s+out|appear|appeared|out|posted|put\s+out|on\s+arxiv|drop|dropped|land|landed|hit\s+arxiv|go\s+live|get\s+released)$"
        ),
        "date",
    ),
    (
        re.compile(r"^(?:the\s+)?(?:publication\s+|release\s+|publishing\s+|arxiv\s+)?(?:date|year)\s+(?:of|for)\s+(?P<t>.+)$"),
        "date",
    ),
    (
        re.compile(
            r"^(?:what\s+(?:does|did)|what's)\s+(?P<t>.+?)\s+(?:say|says|propose|proposes|do|does|show|shows|claim|claims|find|found|introduce|introduces|about)$"
        ),
        "",
    ),
    (
        re.compile(
            r"^(?:find|get|fetch|open|pull\s+up|look\s+up)\s+(?:me\s+)?(?:the\s+)?paper\s+(?:called\s+|titled\s+|named\s+)?(?P<t>.+)$"
        ),
        "",
    ),
    (re.compile(r"^(?:the\s+)?(?P<t>.+?)(?:'s)?\s+(?:abstract|summary)$"), "abstract"),
    (
        re.compile(
            r"^(?:the\s+)?(?P<t>.+?)(?:'s)?(?<!first)(?<!lead)(?<!main)(?<!last)(?<!senior)\s+(?:authors?|author\s+list)$"
        ),
        "authors",
    ),
    (
        re.compile(
            r"^(?:(?:is|was)\s+there|any)\s+(?:any\s+)?(?:code|an?\s+implementation|a\s+(?:github\s+)?repo\w*|source\s+code)\s+(?:for|of|released\s+for)\s+(?P<t>.+)$"
            r"|^(?:does|did|has)\s+(?!(?:any|some|all|none|either|one|each|every|most)\b)(?P<t2>.+?)\s+(?:have|has|come\s+with|release|released|got|provide)\s+(?:any\s+|its\s+|public\s+)?(?:code|an?\s+implementation|a\s+(?:github\s+)?repo\w*|source\s+code)(?:\s+(?:available|released|out|online|public))?$"
            r"|^(?:is|was|where(?:'s|\s+is)|(?:can|could)\s+i\s+(?:get|find))\s+(?:the\s+)?(?:code|implementation|repo\w*|source\s+code)\s+(?:(?:ever\s+)?(?:released|available|published|shared|out|public)\s+)?(?:for|of|to)\s+(?P<t3>.+?)(?:\s+(?:available|out|released|public|online|open[- ]sourced?))?$"
        ),
        "code",
    ),
    (
        re.compile(
            r"^(?:(?:give\s+me\s+|send\s+me\s+|get\s+me\s+)?(?:the\s+|a\s+|its\s+)?(?:code|github|repo(?:sitory)?|implementation)(?:\s+(?:link|url|page))?\s+(?:to|for|of)\s+(?P<t>.+))$"
        ),
        "code",
    ),
    (
        re.compile(
            r"^(?:(?:give\s+me\s+|send\s+me\s+|get\s+me\s+|gimme\s+|is\s+there\s+|do\s+you\s+have\s+|where(?:'s|\s+is)\s+)?(?:the\s+|a\s+|an?\s+|its\s+)?"
            r"(?:pdf\s+link|pdf\s+url|link|url|pdf|download|arxiv\s+(?:link|url)|paper\s+link)\s+(?:to|for|of)\s+(?P<t>.+))$"
        ),
        "link",
    ),
    (
        re.compile(
            r"^(?:(?:give\s+me\s+|send\s+me\s+|get\s+me\s+|gimme\s+|what(?:'s|\s+is)\s+)?(?:the\s+|a\s+|its\s+)?(?:arxiv\s+(?:id|number|identifier)|doi)\s+(?:to|for|of)\s+(?P<t>.+))$"
        ),
        "arxiv",
    ),
    (
        re.compile(
            r"^(?:(?:give\s+me\s+|send\s+me\s+|get\s+me\s+|gimme\s+)?(?:the\s+|a\s+|its\s+)?(?:id|identifier|paper\s+id)\s+(?:to|for|of)\s+(?P<t>.+))$"
        ),
        "",
    ),
    (
        re.compile(
            r"^(?:(?:show|give|get|send|pull\s+up|bring\s+up|grab|fetch|paste|post|dig\s+up|share)\s+(?:me\s+|us\s+)?|gimme\s+|(?:can|could|may)\s+(?:you|i)\s+(?:please\s+)?(?:show|give|get|see|have|read|pull\s+up|bring\s+up|grab|fetch|paste|post|share)\s+(?:me\s+|us\s+)?|(?:i\s+)?(?:want|need)\s+(?:to\s+see\s+)?)?(?:the\s+)?(?:abstracts?|summary|summaries)\s+(?:of|for|on)\s+(?P<t>.+)$|^(?:summari[sz]e|summary:?|tldr:?|tl;dr:?)\s+(?P<t2>.+)$"
            r"|^(?:(?:has\s+)?(?:any|some)(?:one|body)\s+(?:got|have|has)|(?:do\s+)?(?:you|u)\s+(?:got|have)|got)\s+(?:the\s+|a\s+)?(?P<t3>.+?)\s+(?:abstract|summary)(?:\s+(?:handy|around|nearby|to\s+hand|on\s+hand))?$"
        ),
        "abstract",
    ),
    (
        re.compile(
            r"^(?:what\s+is|what's|whats|what\s+was|what\s+are|(?:(?:please|pls|kindly)\s+)?(?:(?:could|can|would)\s+you\s+(?:please\s+)?)?tell\s+me\s+(?:more\s+)?(?:about|of)"
            r"|what\s+(?:do|can)\s+you\s+(?:know|tell\s+me)\s+(?:about|of)|describe|details\s+(?:of|on|about|for)|info(?:rmation)?\s+(?:on|about)|(?:give|show|get|send)\s+(?:me\s+)?(?:more\s+|some\s+|the\s+)?(?:details|info(?:rmation)?)\s+(?:of|on|about|for)|explain|show\s+(?:me\s+)?the\s+paper|paper|who\s+(?:even\s+|exactly\s+|tf\s+)?is|who's)\s+(?P<t>.+)$"
        ),
        "",
    ),
]
# terse lookups ("dreamfusion year", "abstract dreamfusion"): a lookup only when the words name a title
LOOKUP_TERSE = [
    (re.compile(r"^(?:the\s+)?(?P<t>.+?)(?:'s)?\s+(?:year|date|release\s+date|publication\s+date)$"), "date"),
    (  # "what year was the bilateral solver paper": a title's year (a table when no title is named)
        re.compile(
            r"^(?:what|which)\s+(?:year|date|month)\s+(?:was|is|did)\s+(?P<t>.+?)(?:\s+(?:from|published|released|out|come\s+out|written|posted))?$"
        ),
        "date",
    ),
    (re.compile(r"^(?:abstracts?|summary|summaries|tldr)\s+(?P<t>.+)$"), "abstract"),
    (  # "VeLO code?" (not "those that ship code", "ones with code": a filter)
        re.compile(
            r"^(?:the\s+)?(?P<t>.+?)(?:'s)?(?<!\bship)(?<!\bships)(?<!\bwith)(?<!\bhave)(?<!\bhas)(?<!\bno)(?<!\bany)(?<!\bpublic)"
            r"(?<!\breleased)(?<!\brelease)(?<!\bopen)(?<!\bprovide)(?<!\bw/)\s+(?:code|github|repo|repository|implementation|source\s+code)$"
        ),
        "code",
    ),
    (re.compile(r"^(?:authors?|who\s+wrote)\s+(?P<t>.+)$"), "authors"),
    (  # "co-authors of DreamFusion", "who else worked on VeLO": the people of one paper (of a person: coauthors)
        re.compile(
            r"^(?:(?:the|all|list)\s+)?co-?authors?\s+(?:of|on|for)\s+(?P<t>.+)$"
            r"|^who\s+(?:else\s+)?(?:(?:has\s+)?worked|was|were|is|are|contributed|helped)\s+(?:on|in|to|with|involved\s+(?:in|with)|behind)\s+(?P<t2>.+)$"
        ),
        "authors",
    ),
]
# a paper named first, then asked about as "it": "the dream booth 3d paper - when was it published?", "dreamfusion who wrote it"
_IT = r"(?:it|that|this|that\s+one|this\s+one|that\s+paper|this\s+paper)"
_ASK_IT = (
    rf"who\s+(?:wrote|led|did|authored)\s+{_IT}|who(?:'s|\s+is|\s+are|\s+was|\s+were)\s+(?:the\s+)?(?:(?:first|lead|main)\s+)?(?:author\s+)?on\s+{_IT}"
    rf"|who\s+(?:are|were)\s+(?:the|its)\s+authors|when\s+(?:was|did)\s+{_IT}(?:\s+(?:published|released|out|written|posted|come\s+out))?"
    rf"|what(?:'s|\s+is|\s+was)\s+{_IT}(?:\s+about)?|(?:is|was)\s+(?:the\s+|its\s+)?code\s+(?:out|available|released|public|online)|(?:is\s+there|any)\s+code(?:\s+for\s+{_IT})?|(?:can\s+you\s+|please\s+)?cite\s+{_IT}|what\s+date(?:\s+exactly)?|what\s+year|when(?:\s+exactly)?"
    r"|(?:does\s+|did\s+)?(?:it|this(?:\s+one|\s+paper)?|that\s+(?:one|paper))\s+(?:have|has|got)\s+(?:any\s+|the\s+|its\s+)?code"  # "the bilateral solver paper, it have code?"
    r"|did\s+(?:they|the\s+authors)\s+(?:release|publish|share|put\s+out)\s+(?:the\s+|any\s+|their\s+)?code"
    r"|(?:what|which)\s+(?:arxiv\s+)?(?:category|categories|field|subject)(?:\s+is\s+it(?:\s+in)?)?"
)
_ASK_NOUN = (
    r"(?:(?:give|show|link|send|get)\s+me\s+|what(?:'s|\s+is|\s+are)\s+|who\s+are\s+)?(?:the\s+|its\s+)?"
    r"(?:abstract|summary|bibtex|citation|authors|author\s+list|date|year|code)"
    r"|(?:who(?:'s|\s+is|\s+was)\s+(?:the\s+)?)?(?:first|lead|main)\s+author"
)
TITLE_THEN_ASK = re.compile(  # a noun alone needs a mark between: "CAT3D, bibtex" (but "nerf code" is a topic and a filter)
    rf"^(?P<t>.+?)(?:(?:\s*[,;:?!+–—]+|\s+-+|-+\s+)\s*(?:(?:and|so|ok|but)\s+)?(?P<ask>(?:{_ASK_IT}|{_ASK_NOUN})(?:\s*(?:and|&|\+|,)\s*.+)?)"
    rf"|\s+(?:(?:and|so|ok|but)\s+)?(?P<ask2>{_ASK_IT}(?:\s*(?:and|&|\+|,)\s*.+)?))\s*(?:again|exactly|please|pls)?\s*[?!.]*$"
)
# "that one about intelligent synapses remembering old tasks": a paper described, not named
_PRE = r"(?!(?:the|that|this|a|an|newest|latest|oldest|earliest|first|last|most|least|best|top|only|other|same|next|previous|second|third|\d+)\b)[\w-]+"
_SHOW = r"(?:(?:show|give|get|find|send|pull\s+up|bring\s+up|open)\s+(?:me\s+|us\s+)?|what(?:'s|\s+is|\s+was)\s+(?=the\s+(?:paper|one)\s+(?:where|in\s+which)\b))?"
DESCRIBED_PAPER = re.compile(
    rf"^{_SHOW}(?:(?:the|that|this)\s+)?(?:(?P<pre>{_PRE}(?:\s+{_PRE}){{0,3}}?)\s+)?"
    r"(?:one|paper|article)\s+(?:about|on|where|in\s+which|that|which|with|showing|proving|introducing|proposing"
    r"|whose\s+(?:abstract|title|summary)\s+(?:mentions?|says|talks\s+about|is\s+about|has|contains?|includes?)|(?:that|which)\s+mentions?)\s+(?P<d>.+)$"
    rf"|^{_SHOW}(?:the|that|this)\s+(?P<d2>(?!(?:newest|latest|oldest|earliest|first|last|most|best|top)\b).+?)\s+(?:one|paper|article)(?P<rest>\s+(?:from|in|by|with)\b.*)?$"
)
KNOWN_BY = re.compile(r"\s(?:by|from)\s+(?P<name>[a-z][a-z .'-]+?)\s*$")  # a trailing "by Ruiqi Gao"
DETAIL_OF = re.compile(
    r"^(?:the\s+)?(abstracts?|summary|summaries|authors?|dates?|years?|urls?|links?|ids?|pdfs?|code)\s+(?:of|for|to)\s+(.+)$",
    re.IGNORECASE,
)
ASKS_FOR_PAPERS = re.compile(
    r"^(?:which|what|list|show(?: me)?|find|give me)\s+(?:(?:the|all|his|her|their)\s+)?(?:papers|paper|works|articles|publications)\b"
)
COAUTHOR_NOUN = re.compile(
    r"\b(?:co-?authors?|collaborators?|co-?workers?)\b|^(?:list|show(?:\s+me)?|give\s+me|who\s+are)\s+(?:all\s+)?(?:the\s+|his\s+)?(?:authors|people|names)$"
    r"|\b(?:people|persons|researchers|names|everyone|everybody|anyone|anybody)\s+(?:that\s+|who\s+|whom\s+)?(?:he's|she's|they've|he|she|they|[a-z]+(?:\s+[a-z]+)?)\s+(?:has\s+|have\s+|most\s+|often\s+)?"
    r"(?:wrote|written|writes|write|worked|works|work|published|publishes|publish|collaborated|collaborates|co-?authored|co-?authors|co-?wrote)\s+(?:the\s+)?(?:most\s+)?(?:(?:papers?|articles?|stuff)\s+)?(?:with|alongside|w\b(?!\s*\d))"
    r"|\b(?:people|persons|researchers|names)\s+(?:that\s+|who\s+)?(?:he|she|they|ben)\s+(?:has\s+|have\s+)?(?:wrote|written|worked|works|published|collaborated|co-?authored|co-?wrote)\b"
    r"|\bhow\s+many\s+(?:different\s+|distinct\s+|unique\s+|other\s+)?(?:authors|people|researchers|persons)\b"
    r"|\b(?:rank|ranked|ranking|sort|order)\s+(?:the\s+|all\s+)?(?:people|persons|researchers|names)\b"
    r"|\btop\s+(?:\d+|two|three|four|five|six|seven|eight|nine|ten)\s+(?:people|persons|researchers|names|authors|partners)\b"  # "top 3 people"
    r"|\b(?:people|persons|researchers)\s+with\s+whom\s+(?:he|she|they|ben)\b"  # "the ten persons with whom he has written most"
    r"|\bwho\s+(?:has|have|had|shares?|got)\s+(?:the\s+)?most\s+(?:papers?|pubs|publications|articles|works?)\s+(?:with|w\b|alongside)"
)
NETWORK = re.compile(  # "coauthor network of Luke Metz", "show the collaboration graph", "who works with whom"
    r"\b(?:co-?authors?(?:hip)?|collaborat\w*|co-?workers?)\s+(?:network|graph|map|web|picture|diagram)\b"
    r"|\b(?:network|graph|map|picture|diagram)\s+of\s+(?:(?:his|her|their|the)\s+)?(?:co-?authors?|collaborat\w*)\b"
    r"|\bwho\s+(?:works|worked|collaborates|collaborated|publishes|writes)\s+with\s+whom\b"
    r"|^\s*(?:(?:show|draw|plot)\s+(?:me\s+)?)?(?:the\s+)?(?:social\s+)?network\b"
)
COAUTHOR_VERB = re.compile(
    r"\bwho(?:'s|\s+is|\s+are|\s+appears?)\s+(?:on|in)\s+(?:the\s+)?most\b|"  # "who is on the most 2016 papers"
    r"\bwho(?:m)?\b.*\b(?:co-?authored|co-?wrote|collaborated|worked|works|work|working|published|written|wrote|writes|write|writing|publish|publishes|partners?|partnered|teams?\s+up|teamed\s+up)\b.*\b(?:most|often|frequently|many|the most|a\s+lot|lots|regularly)\b"
    r"|\bwho\b.*\b(?:most|often|frequently)\s+(?:working|writing|publishing|collaborating|works|writes|publishes)\s+(?:with|w\b|alongside)"  # "who is most working with him"
    r"|\bwho(?:m)?\b.*\b(?:collaborat\w*|co-?authored|co-?wrote|(?:work|worked|works|published|wrote|written)\s+(?:together\s+)?with)\b"
    r"|\bwho\b.*\b(?:most|often|frequently)\b.*\b(?:write|wrote|written|writes|publish\w*|work\w*)\b.*\btogether\b"  # broken English
    r"|^who\s+(?:else\s+)?(?:has\s+|have\s+)?(?:worked|works|published|wrote|writes|written)\s+(?:on|about)\b"  # who worked on X
)
COUNT = re.compile(
    r"\bno\.\s*of\b|\bcount\s+only\b|\bonly\s+(?:the\s+)?count\b|\b(?:give|tell)\s+me\s+(?:just\s+|only\s+)?(?:a|the)\s+(?:number|count|total)\b(?!\s+of\s+(?:his|the)\s+co)|\b(?:papers?|pubs)\s+count\s*$|\b(?:just|only)\s+(?:the\s+|a\s+)?(?:number|count|total)\b|\ba\s+count\b(?!\s+of\s+(?:his|the)\s+(?:co-?authors|people))|\bhow\s+many\b|\b(?:fraction|percentage|percent|share|proportion|ratio)\s+of\b|\bwhat\s+(?:fraction|percentage|share|proportion)\b|\bnumber\s+of\b|\bcount\s+(?:of\s+)?(?:the\s+)?papers\b|^count\b|\bhow\s+much\b|\btotal\s+(?:number\s+of\s+)?papers\b"
)
BREAKDOWN = re.compile(
    r"\b(?:per|by|each|every|a)[\s-]+(?:arxiv\s+|publication\s+|research\s+)?(?P<by>year|yr|category|categories|field|subject|area)\b|\bbreakdown\b|\bdistribution\b"
    r"|\b(?:yearly|annual)\s+(?:count|counts|totals?|numbers?|output|tally|breakdown)\b"
    r"|\b(?P<by4>category|categories|year|years)\s+(?:(?:as|in)\s+a\s+)?(?:table|chart|tally)\b|\btable\s+(?:of|by|per|with)\s+(?:the\s+|his\s+)?(?P<by5>categor(?:y|ies)|years?)\b"
    r"|\b(?:top|busiest|most\s+productive)\s+(?:\d+|two|three|four|five)\s+(?P<yw3>years)\b|\b(?:\d+|two|three|four|five)\s+(?:busiest|most\s+productive)\s+(?P<yw4>years)\b"
    r"|\bsplit\s+(?:of\s+(?:his|her|their|the)\s+(?:output|papers|work|publications)\s+)?(?:between|across|among)\s+(?=[a-z]{2}\s+(?:and|vs\.?|versus|or)\s+[a-z]{2}\b)(?P<split>)"
    r"|\b(?:split|spread|distributed|divided)\s+(?:up\s+)?(?:across|among|over|between|into)\s+(?:the\s+|his\s+|arxiv\s+)*(?:subject\s+|arxiv\s+)?(?P<by3>years|categories|fields|areas|subjects)\b"
    r"|\bhow\s+many\b(?=.*\b(?:19|20)\d\d\s+(?:vs\.?|versus|compared\s+(?:to|with))\s+(?:in\s+)?(?:19|20)\d\d\b)(?P<vs>)"  # "how many in 2020 vs 2021"
    r"|\bover\s+(?:the\s+)?years\b|\bover\s+time\b|\btimeline\b|\bhistogram\b|\bchart\b"
    r"|\b(?:which|what)\s+(?:single\s+|one\s+|particular\s+|specific\s+|calendar\s+)?(?P<which>years?|categor(?:y|ies)|fields?|areas?|subjects?)\b"
    r"(?!\s+(?:is|was)\s+(?:it|that|this)\b|\s+(?:does|did)\s+(?:it|that|this)\b)|\bmost\s+(?:productive|prolific|active)\s+(?P<best>year)\b"
    r"|\bhow\s+many\s+(?P<howmany>categories|fields|areas|subjects|years)\b"
    r"|\bmost\s+(?:common|frequent|popular|usual)\s+(?P<common>categor(?:y|ies)|fields?|areas?|subjects?|years?)\b"
    r"|\b(?P<yw>year|category)\s+with\s+(?:the\s+)?(?:most|fewest|least|highest|lowest)\b"
    r"|\b(?:most|fewest|least|highest|lowest|max|min)\s+(?:papers?\s+|output\s+|publications?\s+)?(?P<yw2>year|category)\b"
    r"|^(?:what|list|show(?:\s+me)?|give\s+me)\s+(?:are\s+|were\s+)?(?:the\s+|his\s+|her\s+|all\s+(?:the\s+)?)?(?P<listed>categories|fields|areas|subjects|years)$"
    r"|^(?P<bare>years|categories|fields|areas|by\s+year|by\s+category)$"
    r"|\b(?:busiest|quietest|slowest|least\s+(?:productive|prolific|active)|most\s+(?:productive|prolific|active)|peak|top|best|worst|weakest|strongest)\s+(?P<sup>year|category|field|area)\b"
    # "his main research areas", "what topics does he work on": the records' categories are the areas the corpus knows
    r"|^(?:(?:what|which)\s+(?:are|were|is)\s+)?(?:the\s+)?(?:(?:his|her|their|ben's|main|key|major|core|research|primary)\s+)+(?P<themes>areas|topics|themes|interests|fields|subjects)(?:\s+of\s+(?:his|her|their)\s+(?:research|work))?$"
    r"|^(?:what|which)\s+(?:are\s+the\s+)?(?:main\s+)?(?P<themes2>topics|themes|areas|fields|subjects)\s+(?:does|did|has|of)\s+(?:he|she|ben|his|her)\b"
    r"|^what\s+(?:does|did)\s+(?:he|she|ben(?:\s+poole)?)\s+(?P<themes3>research|study|work\s+on|publish\s+on|focus\s+on|do\s+research\s+on)$"
)
SUPERLATIVE = re.compile(r"\b(?:most|best|busiest|highest|peak|max(?:imum)?)\b")
NO_PAPER_YEARS = re.compile(  # "which years had no papers", "years with zero publications", "gap years"
    r"\byears?\b[^.?!]{0,60}?\b(?:no|zero|without(?:\s+any)?|0)\s+(?:papers?|publications?|pubs|output|articles?)\b"
    r"|\b(?:no|zero)\s+(?:papers?|publications?)\s+(?:in\s+)?(?:which|what)\s+years?\b|\bgap\s+years?\b|\bgaps?\s+in\s+(?:his\s+|the\s+)?(?:publications?|output|papers?|record)\b"
    r"|\byears?\b[^.?!]{0,30}?\b(?:didn'?t|did\s+not|never)\s+publish\b|\byears?\b[^.?!]{0,30}?\bpublished\s+nothing\b"
)
LEAST = re.compile(r"\b(?:fewest|least|quietest|slowest|lowest|min(?:imum)?|weakest|worst)\b")
SUPERLATIVE_WORDS = re.compile(
    r"\b(?:average|mean|avg|typical)\b|\b(?:(?:the\s+)?(?:most|least|fewest|busiest|quietest|slowest|highest|lowest|max(?:imum)?|min(?:imum)?|peak))"
    r"(?:\s+(?:productive|prolific|active|busy|output|number\s+of\s+papers|papers|publications|works|pubs))?\b|\b(?:productive|prolific)\b"
)

CODE_WORDS = r"(?:code|implementation|source\s+code|github(?:\s+repo)?|repo(?:sitory)?)"
HAS_CODE = re.compile(
    rf"\b(?:with|has|have|having|that\s+(?:have|has)|which\s+(?:have|has)|including|w/|providing|releasing|released"
    rf"|ship(?:s|ped|ping)?|provides?|offers?|includes?|publish(?:es|ed)?|releases?)\s+(?:released\s+|open[- ]sourced?\s+|public(?:ly\s+available)?\s+|available\s+|their\s+|the\s+|its\s+|some\s+|any\s+)*{CODE_WORDS}(?:\s+(?:available|released|public|online|included|attached))?\b"
    rf"|\b(?:released|open[- ]sourced?|public|available)\s+{CODE_WORDS}\b|\b{CODE_WORDS}(?:\s+|\s*-\s*)(?:is\s+|was\s+)?(?:available|released|public|included)\b|\bopen[- ]source\b"
    r"|\b(?:put|add|turn\s+on|apply|keep|restore|bring\s+back|re-?apply|re-?add)\s+(?:the\s+|a\s+)?code\s+(?:filter|requirement)\b|\bcode\s+(?:filter|requirement)\s+(?:back|on)\b"
    r"|(?:\band|&|\+|,|\bw/)\s*code\b(?=\s*(?:$|[,.;?!)]|(?:not|and|or|but|from|in|since|after|before|only|pls|please)\b))"  # "diffusion AND code NOT CV"
    r"|(?<=[a-z0-9])(?<!\bno)(?<!\bsource)(?<!\bwithout)(?<!\bw/o)\s+(?:papers?\s+)?(?:\+\s*|&\s*|and\s+)?(?:code|repos?|github)\s*[?!.]*$"  # "nerf code?"
    r"|\+\s*code\b|(?<!\bsource\s)(?<!\bno\s)(?<!\bwithout\s)\bcode\s+papers\b"  # "Luke Metz + LG + code", "the number of code papers"
    r"|(?:\b(?:the|only|just)\s+|^|(?<=many\s)|(?<=any\s)|(?<=all\s))(?:code|coded)\s+(?:ones|papers|ones\s+only)\b"  # "keep only the code ones", "how many code papers"
    r"|\bis\s+there\s+(?:any\s+|public\s+|released\s+)?code\s+for\s+(?=(?:any|some|all|each|one)\s+of\b)"  # "is there code for any of them?"
)
NO_CODE = re.compile(
    rf"\b(?:except|excluding|exclude|drop|remove|minus|skip|but\s+not|other\s+than|apart\s+from|not|leave\s+out|leaving\s+out|omit|omitting|filter\s+out|ditch|toss)\s+(?:[a-z]+\s+){{0,2}}?(?:with|having|that\s+have|which\s+have|that\s+has|which\s+has)\s+(?:released\s+|public\s+)?{CODE_WORDS}\b|\b(?:without|no|lacking|with\s+no|w/o|missing|not\s+having|(?:(?:that|which|who)\s+)?(?:don't|do\s+not|doesn't|does\s+not|didn't|did\s+not|lack|lacks|haven't|have\s+not|hasn't|has\s+not|never)(?:\s+(?:have|has|ship|release|come\s+with|provide|include|publish|share))?)\s+(?:released\s+|public\s+|any\s+)?{CODE_WORDS}\b|\b{CODE_WORDS}-?less\b"
)
NEWEST = re.compile(
    r"\b(?:newest|latest|most\s+recent(?:ly)?|recent(?:ly)?|lately|newer|more\s+recent|(?<!\bam\s)(?<!\bi'm\s)(?<!\bwe're\s)new(?!\s+(?:to|here|in|at|member|student|phd|grad|postdoc|hire|user)\b)|last|these\s+days|nowadays|currently|right\s+now)\b"
)
OLDEST = re.compile(
    r"\b(?:oldest|earliest|(?<!read )(?<!reading )(?<!start )first|least\s+recent|older|old(?=\s+(?:ones?|papers?|stuff|work|articles)\b))\b"
)
TOP_N = re.compile(
    rf"\b(?:top|first|last|latest|newest|oldest|earliest|best(?!\s+(?:one|a|an)\b)|recent)\s+(?P<n>{NUMBER})\b|\b(?!(?:a|an)\s+\w*s\b)(?P<m>{NUMBER})\s+(?:most\s+recent|latest|newest|oldest|earliest|recent|best|top|papers|paper|results|articles|(?:(?:most|top)\s+)?(?:frequent|common|regular|prolific|active|main|closest)?\s*(?:co-?authors|collaborators|people|persons|researchers|names))\b"
)
BOTH_ENDS = re.compile(  # "the oldest and newest paper", "first & latest one": two superlatives joined
    r"\b(?:newest|latest|most\s+recent|last|oldest|earliest|first)\b(?:\s+(?:paper|one|pub|publication|article))?\s*"
    r"(?:and|&|\+|,|/|vs\.?|versus)\s*(?:the\s+|his\s+|their\s+)?(?:very\s+)?(?:newest|latest|most\s+recent|last|oldest|earliest|first)\b"
)
SINGULAR = re.compile(
    r"\b(?:newest|latest|most\s+recent|last|oldest|earliest|first)\s+(?:[a-z0-9-]+\s+){0,2}(?:paper|publication|article|preprint|pub|one|thing|entry|item|record)\b|(?<!from )(?<!with )(?<!by )(?<!sort )\b(?:newest|latest|oldest|earliest)\s*[?!.]*$|\b(?:the\s+)?(?:newest|latest|most\s+recent|oldest|earliest)\s+(?:one\s+)?(?:of|among)\s+(?:the\s+|all\s+)?\w+\b"
)
NEGATION = re.compile(
    r"(?:\b(?:anything|everything|all|papers)\s+but|\bnot(?:\s+(?:the\s+ones|those(?:\s+ones)?|ones|any(?:thing)?|the\s+papers|papers)(?:\s+(?:that|which))?)?|n't|\bneither|\bnor|\bno|\bexcept|\boutside(?:\s+of)?|\bexcluding|\bexclude|\bwithout|\bbut\s+not|\bother\s+than|\bapart\s+from|\baside\s+from|\bbesides|\bminus|\bnon-?|\b(?:skip|skipping|drop|dropping|ignore|ignoring|leave\s+out|leaving\s+out)(?:\s+(?:the\s+ones|those|ones|any|anything|papers|the\s+papers))?|\b(?:excluding|except|without)\s+(?:anything|everything|ones|papers|those|the\s+ones|any\s+papers?))\s*(?:also\s+)?(?:have\s+|has\s+|having\s+|include\s+|includes\s+|including\s+|involve\s+|involves\s+|involving\s+|feature\s+|features\s+|featuring\s+|list\s+|lists\s+)?(?:by|from|in|with|written\s+(?:by|with)|authored\s+(?:by|with)|co-?authored\s+with|about|on|(?:(?:in|from)\s+)?(?:the\s+)?(?:category|categories))?\s*(?:the\s+|any\s+)?$"
)
AUTHOR_TRIGGER = re.compile(
    r"\b(?:written\s+by|authored\s+by|co-?authored\s+with|co-?written\s+with|by|with|featuring|from|and)\s+"
    r"(?P<name>(?:[A-Z][\w'’.-]*\.?\s+|(?:de|van|von|der|den|da|di|le|du|del|dos|bin|al)\s+){0,3}[A-Z][\w'’-]+)"
)
EXCLUDE_TERM = re.compile(
    r"\b(?:not\s+about|not\s+on|without|excluding|except(?:\s+for)?|but\s+not|other\s+than|minus|apart\s+from"
    r"|not\s+(?:interested|looking)\s+(?:in|for)(?:\s+(?:the|any))?(?:\s+(?:older|old|newer|new|classic|early))?"
    r"|(?:do\s+not|don't|dont)\s+(?:want|need|care\s+about)(?:\s+(?:the|any))?(?:\s+(?:older|old|newer|new))?"
    r"|nothing\s+(?:on|about)|(?:leave|leaving)\s+out\s+(?:anything|everything|the\s+ones|those|papers)\s+(?:on|about)|skip(?:\s+the)?|no\s+more|(?:but|and)\s+no|(?:anything|everything|all|papers?|stuff)\s+but(?!\s+not\b)"
    r"|(?:aren't|are\s+not|isn't|is\s+not|weren't|were\s+not|don't|do\s+not|doesn't|does\s+not)\s+(?:about|on|related\s+to|cover|discuss|mention|involve|use)"
    r"|unrelated\s+to|not\s+(?:related\s+to|involving|using|mentioning)|not(?=\s+(?:the|any)\s+[\w-]+(?:\s+[\w-]+)?\s+ones?\b)"
    r"|(?<=\()not|(?<=[a-z0-9],\s)not|(?<=[a-z0-9]\s)not(?=\s+(?!involving\b|including\b|featuring\b|using\b)[a-z0-9][\w-]*\s?(?:[),.;?!]|$)))\s+(?:(?:the|a|an|that|any)\s+)?(?P<t>(?!code\b)[a-z0-9][\w-]*(?:\s+(?!stuff\b|papers?\b|ones?\b|work\b)[a-z0-9][\w-]*)?)"
    r"|\bnon-(?P<n>(?!code\b)[a-z][a-z0-9]{2,})(?=\s+(?:papers?|work|articles?|research|publications?)\b)"  # "non-diffusion papers"
)
FILLER = set(
    [
        "picking",  # "we're picking papers on X": what the asker is doing, no topic
        "choosing",
        "selecting",
        "shortlisting",
        "papers",
        "paper",
        "articles",
        "article",
        "publications",
        "publication",
        "works",
        "work",
        "research",
        "researches",
        "studies",
        "study",
        "results",
        "result",
        "find",
        "show",
        "list",
        "give",
        "get",
        "search",
        "look",
        "looking",
        "for",
        "any",
        "some",
        "all",
        "the",
        "a",
        "an",
        "on",
        "about",
        "regarding",
        "concerning",
        "related",
        "to",
        "in",
        "of",
        "by",
        "with",
        "from",
        "which",
        "what",
        "are",
        "is",
        "there",
        "his",
        "her",
        "their",
        "theirs",
        "he",
        "she",
        "they",
        "did",
        "does",
        "do",
        "has",
        "have",
        "had",
        "me",
        "please",
        "can",
        "could",
        "would",
        "you",
        "i",
        "want",
        "need",
        "see",
        "tell",
        "written",
        "wrote",
        "write",
        "published",
        "publish",
        "post",
        "authored",
        "ones",
        "one",
        "that",
        "those",
        "these",
        "did",
        "and",
        "or",
        "also",
        "anything",
        "something",
        "stuff",
        "thingy",
        "thingie",
        "titles",
        "title",
        "topic",
        "topics",
        "subject",
        "written",
        "that",
        "was",
        "were",
        "been",
        "recent",
        "recently",
        "new",
        "newest",
        "latest",
        "oldest",
        "old",
        "older",
        "newer",
        "earliest",
        "first",
        "last",
        "most",
        "least",
        "top",
        "everything",
        "including",
        "include",
        "includes",
        "whose",
        "who",
        "where",
        "here",
        "now",
        "how",
        "many",
        "much",
        "number",
        "count",
        "total",
        "coauthored",
        "co-authored",
        "cowrote",
        "co-wrote",
        "collaborated",
        "collaborate",
        "collaborates",
        "collaborating",
        "worked",
        "works",
        "wrote",
        "often",
        "frequently",
        "times",
        "not",
        "except",
        "excluding",
        "exclude",
        "without",
        "but",
        "other",
        "than",
        "apart",
        "minus",
        "per",
        "each",
        "every",
        "year",
        "years",
        "category",
        "categories",
        "affiliation",
        "affiliations",
        "affiliated",
        "filed",
        "counts",
        "part",
        "visible",
        "printed",
        "spoiler",
        "alone",
        "spoilers",
        "lists",
        "whole",
        "entire",
        "field",
        "areas",
        "area",
        "overall",
        "frequent",
        "main",
        "usual",
        "regular",
        "common",
        "collaborators",
        "collaborator",
        "coauthors",
        "altogether",
        "so",
        "far",
        "ever",
        "made",
        "produced",
        "released",
        "came",
        "come",
        "comes",
        "out",
        "appeared",
        "appear",
        "appears",
        "put",
        "came out",
        "what's",
        "whats",
        "who's",
        "him",
        "them",
        "us",
        "we",
        "my",
        "our",
        "your",
        "coauthor",
        "co-author",
        "coauthors",
        "co-authors",
        "know",
        "knows",
        "either",
        "neither",
        "nor",
        "people",
        "person",
        "publish",
        "publishes",
        "publishing",
        "written",
        "writing",
        "writes",
        "co-written",
        "cowritten",
        "co-wrote",
        "done",
        "doing",
        "pieces",
        "piece",
        "listed",
        "list",
        "show",
        "showing",
        "shown",
        "table",
        "tables",
        "graph",
        "plot",
        "histogram",
        # what a paper does to its topic ("the paper that introduced gumbel softmax"): no topic of its own
        "introduced",
        "introduce",
        "introduces",
        "introducing",
        "proposed",
        "propose",
        "proposes",
        "proposing",
        "presented",
        "presents",
        "described",
        "describes",
        "invented",
        "coined",
        "treat",
        "treats",
        "concern",  # "papers that concern video", "concerned with data augmentation"
        "concerns",
        "concerned",
        "covers",
        "tackle",
        "tackles",
        "address",
        "addresses",
        "share",  # "how many papers each shares with him": the coauthor count itself
        "shares",
        "treating",
        "tackling",
        "tackled",
        "addressing",
        "addressed",
        "discussing",
        "discusses",
        "discussed",
        "studying",
        "exploring",
        "explores",
        "explored",
        "investigating",
        "investigates",
        "examining",
        "examines",
        "dealing",
        "deals",
        "focusing",
        "focuses",
        "focussing",
        "targeting",
        "solving",
        "solves",
    ]
)


def without_filler(text: str) -> str:
    """Topic words of a text: lowercased, filler (\"papers\", \"about\", \"the\", \"published\") dropped."""
    kept = [w.strip("'-") for w in re.findall(r"[a-z0-9][a-z0-9'+-]*", text.lower())]
    return " ".join(w for w in kept if w and w not in FILLER)


ORDER_WORDS = re.compile(
    r"\b(?:earliest|oldest|first|latest|newest|most\s+recent|recent|lately|these\s+days|nowadays|currently|right\s+now|last|top|\d+|one|two|three|four|five|ten)\b"
)
PAPER_NOUN = re.compile(r"\b(?:papers?|works?|articles?|publications?|pubs)\b")
FILTER_START = re.compile(r"(?:by|with|from|on|about|in|since|after|before|between|during|not)\b")
PAPERS_NOUN = re.compile(r"\b(?:papers|works|articles|publications|pubs)\b")
