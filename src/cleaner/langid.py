"""Fast language identification for English and Vietnamese, with a fallback for the rest.

English against Vietnamese is decided by a word-level likelihood ratio over wordfreq's
frequency lists (Vietnamese also with its diacritics stripped, so unaccented Vietnamese is
still found), plus two pieces of evidence no frequency list gives: letters only Vietnamese
uses, and the syllable shape every Vietnamese word has. Other Latin-script languages are
recognised by their function words; other scripts by their script; only what is left goes to
langdetect (seeded, so the answer never changes between runs).
"""

from __future__ import annotations

import functools
import math
import operator
import unicodedata

import regex

from cleaner import regexcache
from cleaner.charsets import LATIN_LETTERS, ReTwin, finder, latin_text
from cleaner.lexicon import Lexicon, cached_lexicon
from cleaner.patterns import EMAIL, URL
from cleaner.textcache import short_text_cache
from cleaner.vietnamese import has_specific_letter, is_syllable

_TOKEN = regexcache.compile(r"\p{L}[\p{L}\p{M}'’]*")
_TOKENS = ReTwin(_TOKEN, r"[A-Za-z][A-Za-z']*", f"[{LATIN_LETTERS}][{LATIN_LETTERS}'’]*")  # no \p{M}
_NON_LATIN = {
    "Han": regexcache.compile(r"\p{Han}"),
    "Kana": regexcache.compile(r"[\p{Hiragana}\p{Katakana}]"),
    "Hangul": regexcache.compile(r"\p{Hangul}"),
    "Other": regexcache.compile(
        r"[\p{Cyrillic}\p{Arabic}\p{Thai}\p{Greek}\p{Hebrew}\p{Devanagari}\p{Khmer}\p{Lao}]"
    ),
}
# What says nothing about a line's language: photo-caption markers, URLs, e-mail addresses.
_NEUTRAL = regexcache.compile(r"\s-\s+Ảnh\s+\d+\.?\s*$|\((?:Ảnh|Photo|Nguồn):[^)]{0,200}\)")
_ADDRESS = regexcache.compile(rf"{URL}|{EMAIL}", regex.IGNORECASE)
_BRAND = regexcache.compile(r"\p{Ll}\p{Lu}|\p{Lu}{2}\p{Ll}")
_NOT_LATIN = regexcache.compile(r"[^\p{Latin}\p{Common}\p{Inherited}]")
_LATIN = regexcache.compile(r"\p{Latin}")
# Languages langdetect tells apart within one script (Russian from Ukrainian, Arabic from
# Persian): the script each is written in, and what lies outside it.
_SCRIPT_OF = {
    **dict.fromkeys(("ru", "uk", "bg", "mk"), "Cyrillic"),
    **dict.fromkeys(("ar", "fa", "ur"), "Arabic"),
    **dict.fromkeys(("hi", "mr", "ne"), "Devanagari"),
    "el": "Greek",
    "he": "Hebrew",
    "th": "Thai",
}
_OUTSIDE_SCRIPT = {
    script: regexcache.compile(rf"[^\p{{{script}}}\p{{Common}}\p{{Inherited}}]")
    for script in sorted(set(_SCRIPT_OF.values()))
}
_FIND_WESTERN_ACCENT = finder("éèêëçàâîïôûùüãõñáíóúäöß")
# Function words of the Latin-script languages most often met beside English and Vietnamese.
# A word counts for a language only when it is not also an English or Vietnamese word.
_FUNCTION_WORDS: dict[str, frozenset[str]] = {
    lang: frozenset(words.split())
    for lang, words in {
        "fr": "le la les des du un une est et dans pour pas qui que sur au aux avec ce cette sont "
        "être été mais ou où nous vous ils elle leur très c'est qu'il d'un d'une il y je ne se sa son "
        "ses plus peu même moins comme fait ont avait était sera entre après sans sous chez "
        "d'autres n'est j'ai l'on",
        "pt": "o os a as um uma é e em para não que com por se foi são mais ao dos das do da no na "
        "nos nas pelo pela pelos pelas também ser está muito como ele ela seu sua já até quando mas "
        "isso esta este num numa tem há à às",
        "es": "el los la las un una es y en para no que con por se fue son más al del lo también "
        "ser está muy como pero su sus ya este esta hay fueron había",
        "id": "yang dan di ini itu dengan untuk tidak dari dalam akan pada juga ke karena oleh ada "
        "adalah bisa atau telah sudah kami kita mereka saya sebagai dapat lebih bahwa saat hanya "
        "tersebut setelah banyak para seperti menjadi secara namun",
        "de": "der die das und ist nicht ein eine mit für auf dem den von zu sich auch es wird sind "
        "im nach bei aus",
        "it": "il lo gli della di che è e per non con del una sono alla anche come più nel questo",
    }.items()
}
EN_FUNCTION_WORDS: frozenset[str] = frozenset(
    """the a an of and or to in on at for from by with as is are was were be been being has
    have had it its this that these those which who whom whose what when where why how not
    no but if than then so such there their they them he she his her we our you your i my me
    will would can could should may might must do does did about into over after before
    under between through during also only more most other some any all each both very just
    new said says up out one two three many much well our us""".split()
)
_UNKNOWN_EN = 2e-7  # an English word wordfreq's small list lacks (a name, a rare word)
_UNKNOWN_VI = 2e-7  # a well-formed syllable wordfreq's Vietnamese list lacks
_NOT_VI = 1e-10  # a token no Vietnamese syllable looks like
MAX_CHARS = 20_000  # a longer text is judged on its beginning, as langdetect does
_STRIPPED_SHARE = 0.3  # how much of a syllable's frequency its unaccented spelling inherits
# langdetect averages 7 random trials by default; it only sees the rare leftovers here, where
# 3 trials give the same answers on the dev set at less than half the cost.
LANGDETECT_TRIALS = 3


def strip_marks(text: str) -> str:
    """Vietnamese (or any Latin text) without diacritics; đ becomes d.

    >>> strip_marks("Chương trình Đổi mới")
    'Chuong trinh Doi moi'
    """
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn")


@functools.lru_cache(maxsize=1)
def _tables() -> tuple[Lexicon, Lexicon]:
    """Wordfreq's English list and a Vietnamese table keyed by syllable and unaccented form.

    Both are cached on disk (:mod:`cleaner.lexicon`): a new process reads them instead of
    importing wordfreq and rebuilding them.
    """
    return (
        cached_lexicon("langen", _english_frequencies, "small", ("wordfreq",)),
        cached_lexicon("langvi", _vietnamese_frequencies, f"small {_STRIPPED_SHARE}", ("wordfreq",)),
    )


def _english_frequencies() -> dict[str, float]:
    import wordfreq

    return wordfreq.get_frequency_dict("en", wordlist="small")


def _vietnamese_frequencies() -> dict[str, float]:
    import wordfreq

    vietnamese: dict[str, float] = {}
    for word, freq in wordfreq.get_frequency_dict("vi", wordlist="small").items():
        if not word.isalpha():
            continue
        vietnamese[word] = vietnamese.get(word, 0.0) + freq
        bare = strip_marks(word)
        if bare != word:
            vietnamese[bare] = vietnamese.get(bare, 0.0) + freq * _STRIPPED_SHARE
    return vietnamese


@functools.lru_cache(maxsize=1)
def _langdetect_factory() -> object:
    """Langdetect's detector factory, its profiles read packed from the disk cache (ngrams)."""
    from langdetect import DetectorFactory

    from cleaner.ngrams import langdetect_table

    table = langdetect_table()
    factory = DetectorFactory()
    factory.langlist = list(table.langs)
    factory.word_lang_prob_map = table
    factory.set_seed(0)
    return factory


def langdetect_language(text: str) -> str:
    """Langdetect's answer with a fixed seed (``und`` when it has nothing to go on)."""
    try:
        detector = _langdetect_factory().create()  # type: ignore[attr-defined]
        detector.n_trial = LANGDETECT_TRIALS
        detector.append(text)
        lang = detector.detect()
    except Exception:
        return "und"
    return {"zh-cn": "zh", "zh-tw": "zh"}.get(lang, lang)


def written_as(text: str, lang: str) -> bool:
    """Whether every letter of ``text`` is in the script ``lang`` is written in.

    Only for the languages langdetect tells apart within one script (False for the others):
    for those, a text that passes says nothing the script has not already said.

    >>> written_as("Эксклюзивный рецепт для быстрого ужина.", "ru")
    True
    >>> written_as("Рецепт: pasta al pomodoro.", "ru"), written_as("Chuyển đổi số", "vi")
    (False, False)
    """
    script = _SCRIPT_OF.get(lang)
    return script is not None and shared_script(text) == script


def shared_script(text: str) -> str | None:
    """The script all of ``text``'s letters are in, if several languages share it (else None).

    >>> shared_script("Банально, но зато всегда работает."), shared_script("Vietnam 2024")
    ('Cyrillic', None)
    """
    if text.isascii():
        return None  # ASCII letters are Latin, which no shared script is
    first = _TOKEN.search(text)
    if first is None or _LATIN.match(text, first.start()):
        return None  # a Latin letter is outside every shared script: the six searches would say so
    return next((script for script, outside in _OUTSIDE_SCRIPT.items() if not outside.search(text)), None)


def _script_language(text: str, letters: int) -> str | None:
    if text.isascii() or latin_text(text) or not _NOT_LATIN.search(text):
        return None
    counts = {name: len(p.findall(text)) for name, p in _NON_LATIN.items()}
    if sum(counts.values()) * 2 < letters:
        return None
    if counts["Kana"]:
        return "ja"
    if counts["Hangul"] > counts["Han"]:
        return "ko"
    if counts["Han"] >= counts["Other"]:
        return "zh"
    return langdetect_language(text)


def tokens(text: str) -> list[str]:
    """The words of ``text`` as ``_TOKEN`` finds them (a letter, then letters, marks, apostrophes).

    >>> tokens("Vietnam’s e-commerce"), tokens("Việt Nam's")
    (['Vietnam’s', 'e', 'commerce'], ['Việt', "Nam's"])
    """
    return _TOKENS.on(text).findall(text)  # type: ignore[no-any-return]


def lower_words(words: list[str]) -> list[str]:
    """Tokens (``_TOKEN``: a letter first) lower-cased, apostrophes at their end stripped.

    Mapped with C functions: most tokens have no apostrophe, and a list without any skips
    the strip.
    """
    lower = list(map(str.lower, words))
    joined = "".join(words)
    if "'" in joined or "’" in joined:
        lower = [w.strip("'’") for w in lower]
    return lower


def _word_weights(words: list[str]) -> list[float]:
    """Capitalised words count less when the line has lower-case words: they are often names.

    Made in one pass, the lower-case words counted after (one list instead of two).
    """
    weights = [1.0 if w[:1].islower() else 0.35 for w in words]
    return weights if weights.count(1.0) >= 2 else [1.0] * len(words)


def _is_name_only(words: list[str]) -> bool:
    return 2 <= len(words) <= 4 and all(w[:1].isupper() and is_syllable(w) for w in words)


def word_log_odds(low: str) -> float:
    """Log P(word | Vietnamese) / P(word | English) for one lower-case word.

    A word that is no Vietnamese syllable is not Vietnamese whatever wordfreq says (its
    Vietnamese list holds foreign names); one with a letter only Vietnamese has is not English.
    """
    english, vietnamese = _tables()
    p_en = english.get(low, _UNKNOWN_EN)
    if has_specific_letter(low):
        p_en = min(p_en, _NOT_VI)
    p_vi = (vietnamese.get(low) or _UNKNOWN_VI) if is_syllable(low) else _NOT_VI
    return math.log(p_vi / p_en)


MAX_ODDS_WORDS = 131_072  # words whose log odds one process remembers; past it, it starts again


class _LogOdds(dict[str, float]):
    """:func:`word_log_odds` by word, each worked out once: a known word is one lookup in C.

    An ``lru_cache`` hit also moves the word to the front of its list: a paragraph's score
    took 8.2 us that way against 5.9 us this way (with :func:`_word_weights` in one pass; the
    bench's corpus, 47 words a paragraph). The same floats, summed in the same order.
    """

    def __missing__(self, low: str) -> float:
        if len(self) >= MAX_ODDS_WORDS:
            self.clear()
        odds = self[low] = word_log_odds(low)
        return odds


_LOG_ODDS = _LogOdds()


def vi_en_score(words: list[str], lower: list[str] | None = None) -> float:
    """Log-likelihood ratio of Vietnamese over English for ``words`` (positive: Vietnamese).

    ``lower`` is the words lower-cased and stripped of apostrophes, when the caller has it.
    """
    if lower is None:
        lower = lower_words(words)
    return sum(map(operator.mul, _word_weights(words), map(_LOG_ODDS.__getitem__, lower)))


@functools.lru_cache(maxsize=1)
def _english_only() -> frozenset[str]:
    others = frozenset().union(*_FUNCTION_WORDS.values())
    return EN_FUNCTION_WORDS - others


@functools.lru_cache(maxsize=1)
def _other_function_words() -> frozenset[str]:
    """Function words of the other Latin-script languages that English does not share."""
    return frozenset(w for words in _FUNCTION_WORDS.values() for w in words if len(w) > 1) - EN_FUNCTION_WORDS


def _other_latin(lower: list[str]) -> tuple[str | None, int]:
    """The Latin-script language (not English) whose function words ``lower`` uses most."""
    others = _other_function_words()
    found = [w for w in lower if w in others]  # usually none: then no language is counted
    best, hits = None, 0
    if not found:
        return best, hits
    for lang, words in _FUNCTION_WORDS.items():
        n = sum(1 for w in found if w in words)
        if n > hits:
            best, hits = lang, n
    return best, hits


def other_latin_language(text: str) -> str | None:
    """The Latin-script language besides English that ``text``'s function words show, or None.

    Whitespace repair knows English and Vietnamese words only: French, Portuguese or
    Indonesian cut into English fragments reads as glue (``pingouins`` as ``ping ou ins``), so
    it asks first. The evidence must be plain: at least two function words of that language,
    a tenth of the words or more, and more than the English-only function words (collapsed
    English has few spaced words, and a stray ``de`` between glued runs decides nothing).
    Text with letters only Vietnamese uses is Vietnamese's business: None.

    >>> other_latin_language("Il y a même un café avec des pingouins !")
    'fr'
    >>> other_latin_language("Thedevelopmentof(ICT)inVietnam de la") is None
    True
    """
    if has_specific_letter(text):
        return None
    lower = lower_words(tokens(text[:MAX_CHARS]))
    other, other_hits = _other_latin(lower)
    if other is None or other_hits < 2 or other_hits * 10 < len(lower):
        return None
    return other if other_hits > sum(map(_english_only().__contains__, lower)) else None


def _known_share(lower: list[str]) -> float:
    """The share of ``lower`` that the English word list holds (asked only when needed)."""
    english, _ = _tables()
    return english.count_in(lower) / len(lower)


@short_text_cache(maxsize=8192)
def identify(text: str) -> str:
    """The ISO 639-1 code of ``text``'s language, ``und`` when it cannot tell.

    The answer depends on the text alone, so short texts' answers are cached (blocks and
    sentences recur from page to page: see :mod:`cleaner.textcache`).

    >>> identify("Chuyển đổi số quốc gia"), identify("Chuyen doi so quoc gia la uu tien")
    ('vi', 'vi')
    >>> identify("The summit will feature"), identify("2020 - 31/12")
    ('en', 'und')
    >>> identify("Nguyễn Mạnh Hùng said on Monday."), identify("Nguyễn Mạnh Hùng")
    ('en', 'und')
    """
    text = text[:MAX_CHARS]
    if "Ảnh" in text or "(Photo:" in text or "(Nguồn:" in text:  # what _NEUTRAL needs to match
        text = _NEUTRAL.sub(" ", text)
    if "@" in text or "://" in text or "www." in text:  # addresses are rare: look only when present
        text = _ADDRESS.sub(" ", text)
    words = tokens(text)
    if not words:
        return "und"
    letters = sum(map(len, words))
    script = _script_language(text, letters)
    if script:
        return script
    if len(words) == 1 and _BRAND.search(words[0]):
        return "und"  # a brand alone (ICTVietnam, akaBot) is no evidence of a language
    marked = has_specific_letter(text)
    if letters < 4 and not marked and not all(w.isascii() for w in words):
        return "und"  # two or three accented letters say nothing reliable
    if _is_name_only(words):
        # A name alone: unaccented it is how English writes Vietnamese names; accented it
        # could be either, so the caller decides from the neighbours.
        return "und" if marked else "en"
    lower = lower_words(words)
    score = vi_en_score(words, lower)
    if score > 0 and (marked or sum(map(is_syllable, lower)) >= 0.85 * len(lower)):
        return "vi"
    en_hits = sum(map(_english_only().__contains__, lower))
    other, other_hits = _other_latin(lower)
    accented = _FIND_WESTERN_ACCENT("".join(lower)) is not None
    if other and (other_hits > en_hits or (accented and other_hits >= en_hits)):
        return other
    if score < 0 and (en_hits or _known_share(lower) >= 0.75 or max(map(len, lower)) > 25):
        return "en"
    if score < 0 and not accented and len(lower) <= 3:
        # A few unaccented words that are neither Vietnamese nor another language's function
        # words: langdetect is no better than chance here, English is the likelier answer.
        return "en"
    return langdetect_language(text)
