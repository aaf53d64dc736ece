"""Is a question English? A script test and a stopword test, cheap enough to run on every question.

Only English is understood; a question in another language used to be half read ("después de 2022"
taken as "in 2022"). Research words are international ("diffusion", "NeRF"), so the test counts only
function words, which differ between languages, and letters outside the Latin and Greek scripts.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"[^\W\d_]+")
ENGLISH = frozenset(
    [
        "the",
        "a",
        "an",
        "of",
        "on",
        "in",
        "about",
        "by",
        "with",
        "from",
        "for",
        "and",
        "or",
        "not",
        "to",
        "is",
        "are",
        "was",
        "were",
        "what",
        "which",
        "who",
        "how",
        "many",
        "papers",
        "paper",
        "any",
        "did",
        "does",
        "do",
        "has",
        "have",
        "me",
        "show",
        "list",
        "find",
        "give",
        "all",
        "his",
        "her",
        "their",
        "he",
        "she",
        "after",
        "before",
        "since",
        "between",
        "year",
        "years",
    ]
)
FOREIGN = {
    "Spanish": "el la los las de del sobre con por para después antes desde entre artículos artículo qué cuál cuáles "
    "quién cuántos cuántas es son y o un una sus muéstrame dame hay trabajos tiene tienen también todos año",
    "French": "le la les des du sur avec par pour après avant depuis entre articles article quel quels quelle qui combien "
    "est sont et ou un une ses montre donne moi il y a travaux ont aussi seulement tous année",
    "German": "der die das den dem des über mit von für nach vor seit zwischen artikel arbeiten welche welcher wer wie "
    "viele ist sind und oder ein eine seine zeig gib mir gibt es papiere hat er sie zum bitte haben habe auch nur alle noch "
    "nicht keine jahr",
    "Portuguese": "o os as do da dos das sobre com por para depois antes desde entre artigos artigo qual quais quem "
    "quantos é são e ou um uma seus mostre me há trabalhos",
    "Italian": "il lo gli della dei delle sul sulla con per dopo prima da tra articoli articolo quale quali chi quanti "
    "è sono e o un una suoi mostrami dammi ci di su sui degli nel nella anno anni fino",
    "Dutch": "de het een van over met door voor na sinds tussen artikelen welke wie hoeveel is zijn en of zijn toon geef heeft hij "
    "zij haar geschreven jaar",
}
FOREIGN_WORDS = {lang: frozenset(words.split()) for lang, words in FOREIGN.items()}
_OTHER_SCRIPT = re.compile(r"[^\x00-\u024f\u0370-\u03ff\u1e00-\u1eff\u2000-\u2bff\s\d]")


# words that are no English word at all, so one is evidence enough in a short question ("hola", "artículos")
UNMISTAKABLE = {
    "Spanish": "hola gracias artículos articulos trabajos documentos publicaciones investigaciones cuántos cuantos después despues sobre",
    "French": "bonjour merci salut articles travaux combien après apres depuis publications quels quelles",
    "German": "hallo danke artikel arbeiten veröffentlichungen über uber welche wieviele gibt papiere",
    "Portuguese": "olá ola obrigado obrigada artigos trabalhos quantos depois",
    "Italian": "ciao grazie articoli lavori quanti dopo",
    "Dutch": "hoeveel heeft welke geschreven artikelen",
}
UNMISTAKABLE_WORDS = {lang: frozenset(words.split()) - ENGLISH for lang, words in UNMISTAKABLE.items()}


GREETING = re.compile(  # "Good morning. Could you ...", "hi all, ...": a greeting asks nothing
    r"^\s*(?:(?:good\s+(?:morning|afternoon|evening|day)|hi+|hello|hey+|hiya|howdy|greetings|yo|morning|afternoon|evening"
    r"|hola|buen[oa]s(?:\s+(?:d[ií]as|tardes|noches))?|bonjour|bonsoir|salut|hallo|guten\s+(?:tag|morgen|abend)|servus|moin|ciao"
    r"|salve|ol[aá]|oi|bom\s+dia|boa\s+(?:tarde|noite)|namaste|namaskar|konnichiwa|ni\s*hao|privet|merhaba|selam|hej|hei|ahoj"
    r"|shalom|salaam|salam|annyeong(?:haseyo)?|xin\s+ch[aà]o"
    r"|привет|здравствуйте|こんにちは|こんばんは|おはよう(?:ございます)?|你好|您好|早上好|晚上好|大家好|嗨|안녕하세요|안녕|مرحبا|שלום|नमस्ते|γει[αά]\s+σας|γει[αά])\b"
    r"(?:\s+(?:all|everyone|everybody|folks|team|there|guys|y'all|paperbot|bot|again|a\s+todos|tout\s+le\s+monde|zusammen))?"
    r"[,.!:;—–、，！-]*\s*)+(?=\S)",
    re.IGNORECASE,
)


FOREIGN_COURTESY = re.compile(  # "papers 2023 please, obrigado", "oi tudo bem?": thanks, please and hellos from other languages
    r"\b(?:obrigad[oa](?:\s+mesmo)?|valeu|tudo\s+bem|galera|pessoal|por\s+favor|per\s+favore|s'il\s+(?:te|vous)\s+pla[iî]t"
    r"|gracias|muchas\s+gracias|merci(?:\s+beaucoup)?|danke(?:\s+sch[öo]n)?|bitte|grazie(?:\s+mille)?|arigat[oō]u?(?:\s+gozaimasu)?"
    r"|xie\s*xie|spasibo|dhanyaw?vaa?d(?:am)?|dhanyabaa?d|shukriya|shukran|kripa?ya|krupaya|kirpa\s+karke"
    r"|wh?a[sz]+up|sup)\b[,.!]*",
    re.IGNORECASE,
)


_LETTERS_SPELLED = re.compile(r"\b(?:[A-Za-z]\s+){2,}[A-Za-z]\b")


def foreign_language(text: str) -> str | None:
    """The language a question seems written in when that is not English (None when English or unsure)."""
    text = GREETING.sub("", text)  # "Привет! DreamFusion bibtex please": a greeting in one's own language, then English
    text = _LETTERS_SPELLED.sub(" ", text)  # "e l b o": an acronym spelled out, not Portuguese "e" and "o"
    letters = [c for c in text if c.isalpha()]
    words = [w.lower() for w in _WORD.findall(text)]
    english = sum(w in ENGLISH for w in words)
    other = sum(bool(_OTHER_SCRIPT.match(c)) for c in letters)
    latin = sum(w.isascii() and (len(w) >= 3 or w.isupper()) for w in _WORD.findall(text)) + len(
        re.findall(r"\b(?:19|20)\d\d\b", text)
    )
    if letters and (other > len(letters) / 3 or (other >= 2 and english < 2 and latin < 2)):  # "diffusion 论文 2023": readable
        return "a language other than English"
    if len(words) < 3:
        for lang, vocab in UNMISTAKABLE_WORDS.items():
            if any(w in vocab for w in words) and not english:
                return lang
        return None
    best, count = None, 0
    for lang, vocab in FOREIGN_WORDS.items():
        n = sum((w in vocab or w in UNMISTAKABLE_WORDS.get(lang, ())) and w not in ENGLISH for w in words)
        if n > count:
            best, count = lang, n
    accented = any(c in "áéíóúñçàèìòùâêîôûäöüß¿¡ãõ" for c in text.lower())
    if count >= 2 and count + accented > english:
        return best
    if accented and not english:  # "Papiere über NeRF": an unmistakable foreign word and foreign letters, no English word
        for lang, vocab in UNMISTAKABLE_WORDS.items():
            if any(w in vocab for w in words):
                return lang
    return None
