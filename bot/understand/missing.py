"""Questions about data the corpus does not hold: per-paper citations, venues, unlisted affiliations.

Answering them from what is there looked sure and was wrong ("citations for DreamFusion" gave the
profile's total; "google papers" matched a word in an abstract). The reply says what is missing
and what is known instead.
"""

from __future__ import annotations

import re

from .notes import Note, note

PER_PAPER_CITATIONS = re.compile(
    r"\b(?:which|what|who)\s+(?:papers|articles|works|people)?\s*(?:cite|cites|cited)\b|\bcited\s+by\b|\bciting\b|"
    r"\b(?:most|least|highest|lowest|top|best)[\s-]+cited\b|\bcitations?(?:\s+counts?)?\s+(?:per|of each|for each|by)\s+paper\b"
    r"|\bcitations\s+(?:for|of|on|does|did)\s+(?!(?:he|she|they|ben|poole|this|his|her|the\s+(?:profile|author|researcher|owner))\b)|(?<!total\s)\bcitation\s+count\s+(?:for|of)\s+(?!(?:him|her|them|ben|poole|his|the\s+(?:profile|author|researcher|whole|page)|this\s+profile)\b)|\bhow\s+(?:many\s+times|often)\s+(?:was|were|is|has|have)\b.*\bcited\b"
    r"|\bcitations?\s+(?:per|by|each|every|a)\s+year\b|\b(?:yearly|annual)\s+citations\b"
    r"|\b(?:average|mean|median)\s+(?:number\s+of\s+)?citations?\b|\bcitations?\s+per\s+(?:\w+\s+)?(?:paper|category|author)\b"
    r"|\bcitations?\s+(?:of|for|on)\s+(?:his|her|their|ben's)\s+(?:[\w-]+\s+){1,3}?(?:papers|works|publications)\b"
    r"|\b(?:rank|ranked|sort|sorted|order|ordered)\b.*\bby\s+(?:their\s+|the\s+)?(?:citations?|cites|citation\s+counts?|number\s+of\s+citations)\b"
    r"|\bhow\s+many\s+(?:citations|cites)\s+(?!(?:he|she|they|ben|poole|his|her|does|did|do|in\s+total|total|overall|altogether)\b)[\w-]+(?:\s+[\w-]+){0,6}?\s+(?:has|have|got|gets|received|receives)\b"
    r"|\bper[\s-]paper\s+(?:numbers|citations?|citation\s+counts?|counts)\b|\b(?:their|its|each\s+paper's)\s+citation\s+counts?\b"
    r"|\bcitations?\s+(?:it|each(?:\s+one)?|they)\s+(?:has|have)\s+(?:received|gotten|got)\b|\bcitations?\b[^.?!]{0,40}\bindividually\b"
    r"|\bhow\s+many\s+citations\s+(?:does|did|do|has|have|for|of)\s+(?!(?:he|she|they|ben|poole|this|his|her|the\s+(?:profile|author|researcher|owner))\b)|\bcited\s+(?:the\s+)?most\b|\bmost\s+citations\b|\bwhich\s+papers?\b.*\b(?:citations|cited)\b"
)
VENUES = re.compile(
    r"\b(?:venues?|conferences?|journals?|proceedings|neurips|nips|icml|iclr|cvpr|iccv|eccv|aaai|ijcai|siggraph|acl|emnlp)\b"
    r"|\bwhere\s+(?:(?:it|this|that|they)\s+)?(?:was|were|did|got)\b.*\b(?:published|presented|appear|appeared|accepted|come\s+out|submitted)\b|\bpublished\s+(?:at|in)\s+(?:which|what)\b|\baccepted\s+(?:at|to)\b"
)
OTHER = re.compile(
    r"\b(?:impact\s+factor|downloads?|github\s+stars|stars\s+on\s+github|page\s+count|how\s+many\s+pages|peer[\s-]+review\w*|reviewers?\s+(?:scores?|comments?|ratings?|said|thought)|(?:who|which\s+people)\s+reviewed|(?:handling\s+|action\s+|area\s+)?editors?\s+(?:handling|of|for|on)|referees?"
    r"|(?:main\s+|biggest\s+|key\s+)?(?:weakness(?:es)?|shortcomings?|drawbacks?|criticisms?|critiques?|pros\s+and\s+cons)\s+(?:of|in|with)"
    r"|review\s+scores?|awards?|funding|funded|page\s+numbers?|page\s+range|volume\s+and\s+issue|issue\s+(?:number|no)|publisher|isbn|issn"
    r"|(?:an?\s+)?(?:oral|spotlight|poster)(?:\s+(?:presentation|talk|paper))?\s*[?.!]*$|given\s+as\s+an?\s+(?:oral|spotlight|poster)|(?:which|what)\s+grants?|grants?\s+(?:numbers?|that|which|funded|behind)|e-?mail\s+address|twitter|altmetric)\b"
)
RUN_OR_HISTORY = re.compile(  # "run the VDM code for me", "how has ben's h-index changed year over year"
    r"\b(?:run|execute|train|reproduce|benchmark|evaluate|test)\s+(?:the\s+|this\s+|that\s+|its\s+)?(?:[\w-]+\s+){0,2}(?:code|model|experiments?|it)\s+(?:for\s+me|on\s+[\w-]+)"
    r"|\b(?:h[- ]?index|citations?|citation\s+count)\s+(?:changed?|changing|grown|grew|evolved?|over\s+time|per\s+year|by\s+year|year\s+over\s+year|history|trend|trended|trending|developed|moved)\b"
    r"|\b(?:history|trend|growth)\s+of\s+(?:his\s+|the\s+)?(?:h[- ]?index|citations?)\b"
)
FUTURE = re.compile(  # "predict what ben will publish next year", "his upcoming papers"
    r"\b(?:predict|forecast|guess)\s+(?:what|which|when|how\s+many|his|her|their|the\s+next)\b|\bwill\s+(?:he|ben|she|they)\s+(?:publish|write|release|put\s+out|work\s+on)\b"
    r"|\b(?:upcoming|forthcoming|future|unpublished|in-progress)\s+(?:papers?|work|publications?|releases?|projects?)\b"
)
RATINGS = re.compile(  # "best paper?", "his most influential work": a judgement the corpus cannot make (no ratings, no citations per paper)
    r"^(?:(?:what|which)(?:'s|\s+is|\s+are|\s+was|\s+were)?\s+)?(?:(?:his|her|their|the|ben's)\s+)?(?:single\s+)?(?:very\s+)?"
    r"(?:best|greatest|coolest|favou?rite|seminal|most\s+(?:important|influential|impactful|famous|popular|notable|significant|interesting|successful)|top)"
    r"\s+(?:papers?|works?|publications?|contributions?|results?)(?:\s+(?:ever|so\s+far|of\s+all\s+time))?$"
)
AUTHOR_POSITION = re.compile(
    r"\b(?:last|sole|single|senior|corresponding)[\s-]+author(?:ed|s|ship)?\b|\bsolo\b|\b(?:wrote|written|published)\s+(?:\w+\s+)?alone\b"
    r"|\bby\s+himself\b|\b(?:only|exactly|just)\s+(?:one|two|three|four|\d+)\s+(?:co-?)?authors\b|\bauthor\s+(?:order|position)\b"
    r"|\b(?:more|fewer|less)\s+than\s+\w+\s+(?:co-?)?authors\b|\b\w+\s+or\s+(?:more|fewer)\s+(?:co-?)?authors\b|\b(?:most|fewest|least)\s+(?:co-?)?authors\b"
    r"|\bhow\s+many\s+(?:co-?)?authors\s+(?:on|does|did|do|in|for|of|are\s+(?:on|in|there\s+on))\s+(?!(?:the\s+)?(?:corpus|list|profile|total|all|he|she|they|ben|poole|his|her|him)\b)"
)
_SOMEONE = r"(?:he|she|ben|ben\s+poole|poole|the\s+author)"
PERSONAL = re.compile(
    r"\bwhere\s+(?:does|did|is)\s+(?:[a-z][\w.'-]*\s+){1,3}?(?:work|working|based|employed|study|studied)(?:\s+(?:now|today|currently|these\s+days|nowadays))?\s*$"
    rf"|\bwhere\s+(?:does|did|is)\s+{_SOMEONE}\s+(?:work|working|based|employed|study|studied)\b"
    rf"|\b(?:does|did|do)\s+{_SOMEONE}\s+(?:(?:even|really|actually)\s+)?(?:like|love|hate|enjoy|prefer|play|watch|drink|eat|own|have\s+(?:an?|any)\s+(?:pets?|kids?|children|dogs?|cats?|wife|husband|partner|hobby|hobbies))\b"
    rf"|\b(?:is|was)\s+{_SOMEONE}\s+(?:an?\s+)?(?:cat|dog|morning|night|coffee|tea|people)\s+person\b"
    rf"|\b(?:is|was)\s+{_SOMEONE}\s+(?:(?:really|actually|very|a)\s+)?(?:nice|kind|friendly|easy|fun|good|great|hard|difficult|tough|chill|strict|mean)\s+"
    r"(?:to\s+work\s+(?:with|for)|(?:as\s+an?\s+)?(?:boss|advisor|adviser|supervisor|mentor|manager|person|guy|collaborator))\b"  # "is ben nice to work with?"
    r"|\b(?:his|her|ben'?s|poole'?s)\s+(?:fav|fave|favou?rite)\s+(?:food|drink|coffee|tea|colou?r|movie|film|show|band|song|music|book|sport|team|game|animal|pet|city|place|hobby|language|snack|beer)\b"
    r"|\b(?:his|her|ben'?s|poole'?s)\s+(?:hobbies|hobby|pets?|kids|children|family|birthday|height|religion|politics)\b"
    r"|\b(?:his|her|ben'?s|poole'?s)\s+(?:phd\s+|grad(?:uate)?\s+)?(?:students|advisees|mentees|interns)\b|\bhow\s+many\s+(?:phd\s+|grad(?:uate)?\s+)?students\b"
    rf"|\b(?:does|did|do)\s+{_SOMEONE}\s+(?:supervise|advise|mentor|teach|lecture)\b"  # "how many PhD students does he supervise?"
    r"|\b(?:what|which)\s+(?:university|institution|institute|company|lab|employer|school)\s+(?:is|was|does|did)\s+(?:he|she|ben|ben\s+poole|poole)\b|\bwhat\s+(?:university|institution|institute|company|lab|employer|school)\b|\b(?:his|her|ben's|poole's)\s+(?:affiliation|employer"
    r"|university|institution|email|e-mail|age|website|homepage|phone|address|salary|nationality|phd|advisor)\b|\bhow\s+old\b"
)
FULL_AUTHORS = re.compile(  # "the FULL author list of Imagen Video, not the et al. version"
    r"\b(?:full|complete|entire|whole|untruncated)\s+(?:author\s+list|list\s+of\s+(?:authors|co-?authors)|authors?|author\s+names)\b"
    r"|\bnot\s+(?:the\s+)?et\s+al\b|\bwho\s+(?:is|are)\s+(?:the\s+)?et\s+al\b"
    r"|\bnot\s+(?:just|only)\s+(?:the\s+)?first\s+(?:three|3|two|2|few)\b|\b(?:all|every)\s+(?:of\s+)?(?:the\s+)?authors\s+(?:of|on)\b"
)
RARE_COAUTHORS = re.compile(  # "people he wrote only one paper with": counts are lower bounds, so the rare end is unknown
    r"\b(?:only|just)\s+(?:once|one\s+(?:paper|time|article))\b|\bone[\s-]time\s+(?:co-?authors?|collaborators?)\b"
    r"|\b(?:least|fewest|rarest)\s+(?:frequent\s+|common\s+|often\s+)?(?:co-?authors?|collaborators?)\b|\b(?:co-?authors?|collaborators?)\s+(?:with\s+)?(?:the\s+)?(?:fewest|least)\b"
)
AFFILIATION_LIST = re.compile(
    r"\b(?:which|what|list|all)\s+(?:the\s+)?(?:affiliations|institutions|organi[sz]ations|companies|labs)\b"
    r"|\bwhat\s+affiliations?\b|\b(?:lists?|listing|have|has|having|with|name|names)\s+affiliations\s*[?.!]*$"
)
ORGS = (
    "google research", "google brain", "google(?!\\s+scholar)", "openai", "facebook", "meta ai", "microsoft research", "microsoft", "stanford",
    "mit", "cmu", "carnegie mellon", "nvidia", "apple", "amazon", "university of toronto", "toronto", "oxford", "cambridge",
    "eth zurich", "princeton", "harvard", "mila", "nyu", "ucla", "tsinghua", "baidu", "tencent", "alibaba", "ibm", "intel",
    "samsung", "adobe", "uber", "allen institute", "ai2", "caltech", "cornell", "columbia", "yale", "epfl", "max planck",
)  # fmt: skip
_ORG = "|".join(o if "(" in o else re.escape(o) for o in ORGS)
ORG_MENTION = re.compile(
    rf"\b(?:from|at|by|of|with|in)\s+(?P<a>{_ORG})\b|\b(?P<b>{_ORG})\s+(?:papers?|researchers?|authors?|people|work|folks|team|affiliat\w*)\b"
    rf"|\baffiliat\w*\s+(?:(?:with|to|includes?|including|is|are|as|lists?|listing|names?|naming|mentions?|mentioning)\s+)?(?P<c>{_ORG})\b"
    rf"|^(?P<d>{_ORG})$|\b(?P<e>{_ORG})\s+as\s+(?:an?\s+|the\s+|their\s+)?affiliat"
)


CITATIONS_LACKING = "the corpus holds no per-paper citation counts, only the profile's total (ask `citation count`)"
# what a question asks that no record holds, and what the reply says of it, in the order they are tried (None: the list
# of affiliations, whose wording names them)
CAVEATS: list[tuple[re.Pattern[str], str | None]] = [
    (PER_PAPER_CITATIONS, CITATIONS_LACKING),
    (VENUES, "the corpus does not say where papers were published (no venues or conferences); ask by year, category or topic instead"),
    (PERSONAL, "the corpus holds papers, not personal details: the profile gives a name, field, h-index and citations (ask `profile`)"),
    (AFFILIATION_LIST, None),
    (RARE_COAUTHORS, "some records list only their first three authors, so I cannot tell who wrote with him least or only once; ask `top coauthors`"),
    (FULL_AUTHORS, "the corpus holds only the authors the profile prints: up to three, then “et al.” (the full list is on the paper itself)"),
    (AUTHOR_POSITION, "last authors and author counts are not something I can filter on (some records list only their first authors); ask for papers with a person, or who is first author"),
    (FUTURE, "the corpus holds papers already out; it cannot say what comes next (ask `newest papers`)"),
    (RUN_OR_HISTORY, "I cannot run code or track numbers over time: the corpus holds papers and today's profile totals (ask `profile`)"),
    (OTHER, "the corpus does not hold that: records have titles, authors, dates, categories, abstracts, affiliations and a code flag"),
]  # fmt: skip


FAVOURITE = re.compile(  # "his personal favourite", "his magnum opus", "which paper should I read first?", "changed the field"
    r"\b(?:his|her|their|ben's|poole's)\s+(?:own\s+|personal\s+)*(?:favou?rites?|proudest|magnum\s+opus|masterpiece|best[\s-]known)\b"
    r"|\bpersonal\s+favou?rites?\b|\bmagnum\s+opus\b|\bclaim\s+to\s+fame\b|\bchanged\s+the\s+(?:field|game|world)\b|\bgame[\s-]?changers?\b"
    r"|^(?:which|what)\s+(?:paper|one|papers)\s+should\s+i\s+(?:read|start\s+with)(?:\s+first)?$|^where\s+should\s+i\s+start$"
)


def missing_data(low: str, affiliations: frozenset[str]) -> Note | None:
    """What the question asks that no record holds, as the reply's caveat (None when nothing)."""
    if RATINGS.match(low) or FAVOURITE.search(low):
        return note(
            "the corpus holds no ratings or per-paper citations, so I cannot tell which paper is best; ask for a topic, a person or `newest papers`"
        )
    for pattern, caveat in CAVEATS:
        if pattern.search(low):
            if caveat:
                return note(caveat)
            listed = ", ".join(sorted(affiliations)) or "none"  # the list of affiliations: what the records name
            return note(
                "affiliations are listed on only some records, so I cannot list or count them fully; those named are: " + listed
            )
    m = ORG_MENTION.search(low)
    if m:
        org = next(g for g in m.groups() if g)
        if org not in affiliations:
            listed = ", ".join(sorted(affiliations)) or "none"
            return note("no record lists {} as an affiliation (affiliations listed: " + listed + ")", org)
    return None
