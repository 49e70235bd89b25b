"""Word segmentation of collapsed runs: find where the spaces went.

A run (a string with no spaces) is cut into pieces (words, acronyms, numbers, punctuation,
URLs, e-mail addresses) by a Viterbi search over unigram costs from wordfreq (English, and
Vietnamese syllables), with case transitions as evidence, then re-scored with word pairs.
:mod:`cleaner.spacing` puts the spaces back between the pieces.
"""

from __future__ import annotations

import functools
import itertools
import math
from dataclasses import dataclass

import regex

from cleaner import regexcache
from cleaner.langid import EN_FUNCTION_WORDS
from cleaner.lexicon import Lexicon, cached_lexicon
from cleaner.vietnamese import is_syllable

MAX_WORD = 18
COMMON_START_COST = 8.0  # -log freq of a short word after which an unknown chunk may end
COMMON_START_LETTERS = 5  # and this short
MAX_CHUNK = 30  # the longest letter chunk the search considers as one piece
UNKNOWN_BASE = 17.0  # cost of a letter chunk no list knows, before its length
UNKNOWN_PER_CHAR = 2.2
UNKNOWN_NAME_BASE = 15.0  # a capitalised chunk no list knows (a name): cheaper to start
UNKNOWN_PER_CHAR_NAME = 1.4  # and per letter, up to
NAME_LETTERS = 10  # letters, a long name's length
UNKNOWN_PER_CHAR_VI = 6.0
ACRONYM_COST = 13.0  # an all-capitals chunk (ICT, MIC) that no list knows
CAMEL_PENALTY = 7.0  # a word with a capital inside (camel case) not seen on the page
CAPITAL_FUNCTION_PENALTY = 4.0  # a capitalised function word glued after a lower-case letter
CAPITAL_PRONOUN_PENALTY = 9.0  # a capitalised pronoun there (theWe|Work): more often a brand's start
CAP_COMMON_COST = 9.0  # a capitalised word glued after a lower-case letter, this common,
CAP_COMMON_PENALTY = 1.0  # costs a little more: mid-sentence, common words are seldom capitalised
CAMEL_WORD_PENALTY = 0.0  # a dictionary word written with a capital inside (WeWork, iPhone)
CASE_BONUS = 4.0  # a cut where a lower-case letter meets a capital
SINGLE_LETTER_PENALTY = 3.0  # a lower-case one-letter word other than a and i
SPLIT_CAPITALS_PENALTY = 6.0  # a one-letter capital word glued to another capital (A|I for AI)
BARE_APOSTROPHE_COST = 4.0  # an apostrophe after a letter read as a quote, where a clitic fits
PAGE_WORD_COST = 9.0  # a word the page itself spells with spaces around it
MIN_FREQ = 1e-9
PAIR_WEIGHT = 0.3  # weight of the word-pair ratio against the unigram model
UNPAIRED_COST = -math.log(1 - PAIR_WEIGHT)  # a word after a word it is not seen with
COMPOUND_COST = 11.0  # a pair written as one word this common gets no pair bonus
PAIR_MARGIN = 8.0  # pieces on no unigram path this close to the best are not re-scored

_URL = regexcache.compile(
    r"(?:https?://|www\.)[\w-]{1,63}(?:\.[\w-]{1,63}){0,5}?\.(?:com|vn|org|net|gov|edu|io|ai|info|asia|co|uk|jp|sg|kr|cn|int)"
    r"(?:\.(?:vn|uk|jp|sg|kr|cn|au))?(?:/[\w./%?=&#-]{0,500}[\w/])?",
    regex.IGNORECASE,
)
_EMAIL_HOST = regexcache.compile(
    r"@[\w-]{1,63}(?:\.[\w-]{1,63}){0,5}?\.(?:com|vn|org|net|gov|edu|io|ai|info|asia|co)(?:\.(?:vn|uk|jp|sg))?",
    regex.IGNORECASE,
)
_CODE = regexcache.compile(r"\p{Lu}\p{Ll}{0,6}\d+\p{Lu}{1,2}(?![\p{L}\d])")  # Map4D
_CODE_AFTER_HYPHEN = regexcache.compile(r"\p{Lu}\p{L}{0,12}\d+(?!\d)")  # VOV-Doctor24
_DOMAIN = regexcache.compile(
    r"(?:\p{Lu}?\p{Ll}+|\p{Lu}+)(?:[.-][a-z\d]+){0,3}?\.(?:com|vn|org|net|gov|edu|io|ai|info|asia)"
    r"(?:\.(?:vn|uk|jp|sg|kr|cn|au))?(?!\d)(?:/[\w./%?=&#-]{0,500}[\w/])?"  # pic.twitter.com/4p7SXk
)
PRONOUNS = frozenset("we you he she it they us our my me his her their them your its".split())
_PLURAL_ACRONYM = regexcache.compile(r"\p{Lu}{2,5}s")
_VERSION = regexcache.compile(r"[vV]\d+(?:\.\d+)*(?!\d)")  # API v2.0
_ELLIPSIS = regexcache.compile(r"\.\.\.(?!\.)")  # in "....", a full stop then an ellipsis
_HANDLE = regexcache.compile(r"@\w{1,30}(?![\w@])")  # @ICTVietnam, ending where the letters do
# 1,000.5, 3,5 (a decimal comma) and 1.000.000; "25,2019" is a date: two numbers.
_NUMBER = regexcache.compile(r"\d+(?:,\d{1,3}(?!\d)|\.\d+)*[¼½¾⅓⅔⅛]?|[¼½¾⅓⅔⅛]")  # and 1½, ½
_UNIT = (
    regexcache.compile(  # written against the number (64GB, 60fps, 4th, 2000s); kW and the like are spaced
        r"(?:%|fps|GB|MB|TB|KB|MHz|GHz|MP|bn|km|kg|cm|mm|st|nd|rd|th|s(?!\p{L})|G(?!bps)|x)"
    )
)
_CLITIC = regexcache.compile(r"['’](?:s|t|re|ve|ll|d|m)|n['’]t", regex.IGNORECASE)
_POSSESSIVE_S = regexcache.compile(r"['’]s", regex.IGNORECASE)
_CAMEL = regexcache.compile(r"\p{Ll}\p{Lu}|\p{Lu}\p{Lu}\p{Ll}")
_LETTERS = regexcache.compile(r"\p{L}+")
_LOWER_UPPER = regexcache.compile(r"(?=\p{Ll}\p{Lu})")
_UPPER_UPPER_LOWER = regexcache.compile(r"(?=\p{Lu}\p{Lu}\p{Ll})")
_NON_ASCII_LETTER = regexcache.compile(r"(?=\p{L})[^\x00-\x7f]")
_NOT_LOWER = regexcache.compile(r"[^\p{Ll}]")


@dataclass(frozen=True)
class Piece:
    """A piece of a run: its text and kind (word, acronym, number, punct, dash, url, clitic)."""

    text: str
    kind: str


@functools.lru_cache(maxsize=1)
def english_costs() -> Lexicon:
    """-log frequency of every word in wordfreq's large English list."""
    return cached_lexicon("english", _english_costs, f"{MIN_FREQ}", ("wordfreq",))


def _english_costs() -> dict[str, float]:
    import wordfreq

    # wordfreq's list comes in buckets of equal frequency: one logarithm per bucket, not per word.
    costs: dict[str, float] = {}
    for index, bucket in enumerate(wordfreq.get_frequency_list("en", "large")):
        costs.update(dict.fromkeys(bucket, -math.log(max(wordfreq.cB_to_freq(-index), MIN_FREQ))))
    return costs


@functools.lru_cache(maxsize=1)
def vietnamese_costs() -> Lexicon:
    """-log frequency of Vietnamese syllables (wordfreq's list, syllable-shaped entries only)."""
    return cached_lexicon("vietnamese", _vietnamese_costs, f"{MIN_FREQ}", ("wordfreq",))


def _vietnamese_costs() -> dict[str, float]:
    import wordfreq

    return {
        w: -math.log(max(f, MIN_FREQ))
        for w, f in wordfreq.get_frequency_dict("vi", "small").items()
        if w.isalpha() and is_syllable(w)
    }


class Vocabulary(dict):  # type: ignore[type-arg]
    """A page's extra words (``{word: cost}``); it keeps its lookup table once built, by identity."""

    __hash__ = object.__hash__  # type: ignore[assignment]  # dict has none: by identity

    def __eq__(self, other: object) -> bool:
        return self is other


EMPTY_VOCABULARY = Vocabulary()


class _Run:
    """A run prepared for the search: its lower-case form and camel-case transition counts."""

    def __init__(self, run: str, vietnamese: bool = False) -> None:
        self.text = run
        self.low = run.lower()
        self.ascii_letters = run.isascii() or not _NON_ASCII_LETTER.search(run)  # curly quotes are no letters
        n = len(run)
        # Where each stretch of letters ends, so the search knows how far a word may reach.
        self.letters_end = letters_end = [0] * (n + 1)
        for match in _LETTERS.finditer(run):
            start, stop = match.span()
            letters_end[start:stop] = [stop] * (stop - start)
        self.camel = bool(_CAMEL.search(run))
        self.case_cut: list[bool] | None = None
        if self.camel:
            # Prefix counts of lower-to-upper (aB) and upper-upper-lower (ABc) transitions.
            two = [0] * (n + 1)
            for match in _LOWER_UPPER.finditer(run):
                two[match.start() + 1] = 1
            three = [0] * (n + 1)
            for match in _UPPER_UPPER_LOWER.finditer(run):
                three[match.start() + 1] = 1
            self.case_cut = [bool(flag) for flag in two]  # case_cut[j]: run[j - 1] lower, run[j] upper
            self.two = list(itertools.accumulate(two))
            self.three = list(itertools.accumulate(three))
            # next_upper[i]: the first capital after position i (n if none), so that words
            # with no capital inside skip the camel-case count.
            self.next_upper = next_upper = [n] * (n + 1)
            following = n
            for position in range(n - 1, -1, -1):
                next_upper[position] = following
                if run[position].isupper():
                    following = position
        # Where an unknown chunk may end: before a non-lower-case character, or where a
        # common short word starts (so "Zacianand" can end before "and").
        stop = [False] * n + [True]
        for match in _NOT_LOWER.finditer(run):
            stop[match.start()] = True
        low = self.low
        for length, words in _common_starts(vietnamese).items():
            for start in [k for k in range(n - length + 1) if low[k : k + length] in words]:
                stop[start] = True
        self.stop = stop

    def humps(self, i: int, j: int) -> int:
        """Camel-case transitions wholly inside ``text[i:j]``."""
        if not self.camel:
            return 0
        count = 0
        if j - i >= 2:
            count += self.two[j - 1] - self.two[i]
        if j - i >= 3:
            count += self.three[j - 2] - self.three[i]
        return count


@functools.lru_cache(maxsize=2)
def _common_starts(vietnamese: bool) -> dict[int, frozenset[str]]:
    """Common short words by length: an unknown chunk may end wherever one starts."""
    lists = [_common_short_english()] + ([vietnamese_costs()] if vietnamese else [])
    by_length: dict[int, set[str]] = {}
    for costs in lists:
        for word, cost in costs.items():
            if len(word) <= COMMON_START_LETTERS and cost < COMMON_START_COST:
                by_length.setdefault(len(word), set()).add(word)
    return {length: frozenset(words) for length, words in sorted(by_length.items())}


def _common_short_english() -> Lexicon:
    """The common short English words (a few thousand), cached apart from the whole list."""

    def build() -> dict[str, float]:
        return {
            w: c
            for w, c in _english_costs().items()
            if len(w) <= COMMON_START_LETTERS and c < COMMON_START_COST
        }

    parameters = f"{MIN_FREQ} {COMMON_START_LETTERS} {COMMON_START_COST}"
    return cached_lexicon("starts", build, parameters, ("wordfreq",))


_BRAND = regexcache.compile(  # WeWork, iPhone, McDonald; SaaS, GaN; iOS
    r"(?:[ie]|Mc|\p{Lu}\p{Ll}+)(?:\p{Lu}\p{Ll}{2,})+|\p{Lu}\p{Ll}{1,3}\p{Lu}|[ie]\p{Lu}{2,}"
)
_CASE_PARTS = regexcache.compile(r"\p{Lu}\p{Ll}*|\p{Ll}+")  # Ho, Chi, Minh; iPhone: i, Phone


@functools.lru_cache(maxsize=65536)
def _brand_shaped(word: str) -> bool:
    """Camel case as brands write it (WeWork, iPhone, McDonald).

    Not Vietnamese syllables run together (HoChiMinh) nor a stray capital (iN).
    """
    if not _BRAND.fullmatch(word):
        return False
    parts = _CASE_PARTS.findall(word)
    return not all(is_syllable(part) for part in parts)


def _add_match(
    out: list[tuple[int, float, str]], pattern: regex.Pattern[str], run: str, i: int, kind: str
) -> None:
    """Add a free piece of ``kind`` where ``pattern`` matches ``run`` at ``i``."""
    match = pattern.match(run, i)
    if match:
        out.append((match.end(), 0.0, kind))


def _page_table(page: Vocabulary) -> tuple[Lexicon, frozenset[str]]:
    """The page's words as a lexicon, and their first two letters; built once per vocabulary.

    Page words have two letters or more, so a position whose next two letters start none of
    them skips the lexicon.
    """
    table = page.__dict__.get("table")
    if table is None:
        words = {w: c for w, c in page.items() if len(w) <= MAX_CHUNK}
        table = page.__dict__["table"] = (Lexicon.from_mapping(words), frozenset(w[:2] for w in words))
    return table


@functools.lru_cache(maxsize=16384)
def _word_prefixes(lexicon: Lexicon, text: str) -> tuple[tuple[int, float], ...]:
    """``lexicon.prefixes(text)``, remembered: the same stretches of letters recur run after run.

    The search asks at every letter of a run which words start there (a third of its time);
    a run that recurs with a number changed, or the same words glued in another order, asks
    the same questions again.
    """
    return tuple(lexicon.prefixes(text))


def _candidates(
    prepared: _Run,
    i: int,
    page: Vocabulary,
    vietnamese: bool,
    english: Lexicon,
    table: tuple[Lexicon, frozenset[str]] | None,
) -> list[tuple[int, float, str]]:
    """(end, cost, kind) of every piece that may start at ``i``.

    ``english`` is :func:`english_costs` and ``table`` the page's words with their first two
    letters (None without any), looked up once per run by the caller.
    """
    run, low = prepared.text, prepared.low
    char = run[i]
    out: list[tuple[int, float, str]] = []
    if char.isalpha():
        if char in "hHwW" and low.startswith(("http", "www."), i):
            _add_match(out, _URL, run, i, "url")
        if char.isupper() and (not i or not run[i - 1].isalpha()):
            # Codes such as Map4D, or VOV-Doctor24 after an acronym and a hyphen: one piece.
            after_acronym = i >= 3 and run[i - 1] == "-" and run[i - 3 : i - 1].isupper()
            _add_match(out, _CODE_AFTER_HYPHEN if after_acronym else _CODE, run, i, "code")
        if not i or not run[i - 1].isalpha() or (prepared.case_cut is not None and prepared.case_cut[i]):
            _add_match(out, _DOMAIN, run, i, "url")  # Base.vn, bluezone.gov.vn
        version = char == "v" or (char == "V" and not (i and run[i - 1].isalpha()))  # API v2.0, not RAV4
        if version and run[i + 1 : i + 2].isdigit():
            _add_match(out, _VERSION, run, i, "code")
        if char in "nN" and run[i + 1 : i + 2] in ("'", "’"):
            _add_match(out, _CLITIC, run, i, "clitic")  # n't
        if char.isupper() and not (i and run[i - 1].isupper()):
            plural = _PLURAL_ACRONYM.match(run, i)
            if plural:  # ICUs, CEOs: an acronym's plural, not IC|Us
                out.append((plural.end(), ACRONYM_COST, "acronym"))
        n = len(run)
        end = min(prepared.letters_end[i], i + MAX_CHUNK)
        words = {
            i + length: cost for length, cost in _word_prefixes(english, low[i : min(end, i + MAX_WORD)])
        }
        if table is not None:
            lexicon, starts = table
            for text in (low, run) if prepared.camel else (low,):
                if text[i : i + 2] not in starts:
                    continue
                for length, cost in lexicon.prefixes(text[i:end]):
                    if cost < words.get(i + length, math.inf):
                        words[i + length] = cost
        # Vietnamese syllables are looked up only where they can occur: in Vietnamese text, or
        # in a run with letters outside ASCII.
        if vietnamese or not prepared.ascii_letters:
            for length, cost in vietnamese_costs().prefixes(low[i : min(end, i + 7)]):
                j = i + length
                if (vietnamese or not low[i:j].isascii()) and cost < words.get(j, math.inf):
                    words[j] = cost
        camel = prepared.camel
        # A capitalised function word right after a lower-case letter ("theWe|Work") is rare
        # mid-sentence: more often the capital is inside a brand (WeWork).
        mid_capital = char.isupper() and i > 0 and run[i - 1].islower()
        next_upper = prepared.next_upper[i] if camel else n
        for j, cost in words.items():
            if next_upper < j and (not page or run[i:j] not in page):
                humps = prepared.humps(i, j)
                if humps:
                    cost += humps * (CAMEL_WORD_PENALTY if _brand_shaped(run[i:j]) else CAMEL_PENALTY)
            if mid_capital and j - i > 1 and low[i:j] in EN_FUNCTION_WORDS:
                cost += CAPITAL_PRONOUN_PENALTY if low[i:j] in PRONOUNS else CAPITAL_FUNCTION_PENALTY
            elif mid_capital and words[j] < CAP_COMMON_COST:
                cost += CAP_COMMON_PENALTY
            if j - i == 1:
                if j < n and run[j].isupper() and (char.isupper() or char in "ie"):
                    cost += SPLIT_CAPITALS_PENALTY  # A|I for AI; i|Phone for iPhone, e|Bay for eBay
                elif char.isupper() and char not in "AI" and i and run[i - 1].isupper():
                    cost += SPLIT_CAPITALS_PENALTY  # IT|U for ITU
                elif char.islower() and char not in "ai" and run[j : j + 1] != "-":
                    cost += SINGLE_LETTER_PENALTY  # Man|h for Manh (e-commerce has its e)
            out.append((j, cost, "word"))
        if words and not vietnamese and char.islower() and i and run[i - 1].isalpha():
            # Inside a lower-case stretch where words start, an unknown chunk is never the
            # cheapest reading; names start with a capital or after punctuation.
            return out
        stop = prepared.stop
        if vietnamese:
            # A syllable no list knows may end anywhere: Vietnamese has no common starts to wait for.
            for j in range(i + 2, min(end, i + 7) + 1):
                if not stop[j] and j not in words and is_syllable(low[i:j]) and not low[i:j].isascii():
                    out.append((j, UNKNOWN_BASE, "word"))
        for j in range(i + 1, end + 1):
            if not stop[j] or j in words:
                continue
            if j - i >= 2 and run[i:j].isupper():
                out.append((j, ACRONYM_COST, "acronym"))
                continue
            piece = low[i:j]
            accented = vietnamese and not piece.isascii()
            if accented and is_syllable(piece):
                out.append((j, UNKNOWN_BASE, "word"))
                continue
            # Vietnamese is written in syllables from a closed set: a long chunk with its
            # letters that is no syllable is almost certainly several glued together.
            length = j - i
            if accented:
                cost = UNKNOWN_BASE + UNKNOWN_PER_CHAR_VI * length
            elif char.isupper() and piece.isascii():
                # A name: cheap up to a name's usual length, dearer letter by letter beyond.
                cost = UNKNOWN_NAME_BASE + UNKNOWN_PER_CHAR_NAME * min(length, NAME_LETTERS)
                cost += UNKNOWN_PER_CHAR * max(0, length - NAME_LETTERS)
            else:
                cost = UNKNOWN_BASE + UNKNOWN_PER_CHAR * length
            humps = prepared.humps(i, j) if camel else 0
            out.append((j, cost + CAMEL_PENALTY * humps, "unknown"))
        return out
    number = _NUMBER.match(run, i) if char.isnumeric() else None
    if number is not None:
        end = number.end()
        if end < len(run) and run[end - 1] in ".,":
            end -= 1
        out.append((end, 1.0, "number"))
        unit = _UNIT.match(run, end)
        if unit:
            out.append((unit.end(), 0.5, "number"))
        return out
    if char == "@":
        _add_match(out, _EMAIL_HOST, run, i, "email-host")
        if not i or not run[i - 1].isalnum() or _EMAIL_HOST.match(run, i) is None:
            _add_match(out, _HANDLE, run, i, "handle")
    if char == "." and _ELLIPSIS.match(run, i):
        return [(i + 3, 0.0, "punct")]
    if run.startswith("--", i):
        return [(i + 2, 0.0, "punct")]  # a typed dash: BERLIN -- The
    if char in "'’":
        # After an s the apostrophe is a possessive: customers’ data, not customers’d at a.
        after_s = i and run[i - 1] in "sS"
        _add_match(out, _POSSESSIVE_S if after_s else _CLITIC, run, i, "clitic")
        if out and not after_s and i and run[i - 1].isalpha():
            # Between letters an apostrophe is a contraction (company’s lander), seldom a
            # closing quote with the next word glued on (company’ slander).
            out.append((i + 1, BARE_APOSTROPHE_COST, "punct"))
            return out
    out.append((i + 1, 0.0, "punct"))
    return out


def segment_run(
    run: str, page: Vocabulary | None = None, vietnamese: bool = False, pairs: bool = True
) -> list[Piece]:
    """The cheapest cut of ``run`` into pieces (Viterbi over piece costs), cached.

    With ``pairs`` (English only), word pairs re-score the closest alternatives; without, the
    cut is by single-word costs alone, which keeps a dictionary compound ("timescale") whole.

    >>> [p.text for p in segment_run("Thedevelopmentofinformationtechnology(ICT)inVietnam")]
    ['The', 'development', 'of', 'information', 'technology', '(', 'ICT', ')', 'in', 'Vietnam']
    """
    words = _PageWords(run, page if page is not None else EMPTY_VOCABULARY)
    cut = _segment_cached(run, words, vietnamese, pairs)
    words.page = EMPTY_VOCABULARY  # the cache may keep this key: it must not keep the page alive
    return list(cut)


class _PageWords:
    """The page words found inside a run: what a cut of that run depends on, as a cache key.

    The search consults the page only for words that occur in the run, in its own case or
    lower-cased, so two pages that agree on those get the same cut. Keyed by them, a run that
    recurs from page to page (a teaser, a repeated paragraph) is cut once, not once per page.
    Equality and hash look at the words only; ``page`` is the whole vocabulary, for the search.
    """

    __slots__ = ("key", "page")

    def __init__(self, run: str, page: Vocabulary) -> None:
        low = run.lower()
        self.page = page
        self.key = frozenset((w, c) for w, c in page.items() if w in low or w in run)

    def __hash__(self) -> int:
        return hash(self.key)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _PageWords) and self.key == other.key


@functools.lru_cache(maxsize=32768)
def _segment_cached(run: str, words: _PageWords, vietnamese: bool, pairs: bool) -> tuple[Piece, ...]:
    page = words.page
    prepared = _Run(run, vietnamese and not run.isascii())
    lattice = _Lattice(prepared, page, vietnamese)
    cuts = lattice.pair_path(word_pairs()) if pairs and not vietnamese else lattice.unigram_path()
    pieces = _merge_emails([Piece(run[i:j], kind) for i, j, kind in cuts])
    return tuple(_vietnamese_dashes(pieces) if vietnamese else pieces)


def _vietnamese_dashes(pieces: list[Piece]) -> list[Piece]:
    """Mark hyphens between Vietnamese syllables as dashes, to be spaced (trong - ngoài).

    Native Vietnamese syllables are not hyphenated, so in collapsed Vietnamese a hyphen between
    two accented syllables, or from a lower-case word to a name (kinh tế - Vai), was a spaced
    dash. Transliterations (ra-đi-ô, Pa-ri) keep theirs.
    """
    out = list(pieces)
    for k in range(1, len(pieces) - 1):
        before, piece, after = pieces[k - 1], pieces[k], pieces[k + 1]
        if piece.text != "-" or before.kind != "word" or after.kind != "word":
            continue
        if (k >= 2 and pieces[k - 2].text == "-") or (k + 2 < len(pieces) and pieces[k + 2].text == "-"):
            continue  # a chain of hyphenated syllables is a transliteration: ra-đi-ô
        native = before.text.islower() and not (before.text.isascii() and after.text.isascii())
        to_name = before.text.islower() and after.text[:1].isupper() and after.text[1:].islower()
        known = vietnamese_costs()
        if (native and before.text in known and after.text.lower() in known) or (
            to_name and is_syllable(after.text)
        ):
            out[k] = Piece("-", "dash")
    return out


class _Lattice:
    """Every piece that may start at every reachable position of a run, with unigram costs.

    A forward pass finds the cheapest unigram cost to reach each position; a backward pass the
    cheapest cost to finish from it. Pieces on no path within ``PAIR_MARGIN`` of the best are
    dropped, and the word-pair search runs over what is left: a handful of alternatives where
    the unigram costs are close ("are a" / "area"), so word pairs cost little time.
    """

    def __init__(self, prepared: _Run, page: Vocabulary, vietnamese: bool) -> None:
        n = len(prepared.text)
        self.run = prepared
        self.n = n
        edges: list[list[tuple[int, float, str]]] = [[] for _ in range(n)]
        fwd = [math.inf] * (n + 1)
        back: list[tuple[int, str]] = [(0, "")] * (n + 1)
        fwd[0] = 0.0
        case_cut = prepared.case_cut
        english = english_costs()
        table = _page_table(page) if page else None
        for i in range(n):
            base = fwd[i]
            if base == math.inf:
                continue
            out = edges[i]
            for j, cost, kind in _candidates(prepared, i, page, vietnamese, english, table):
                if case_cut is not None and case_cut[j]:
                    cost -= CASE_BONUS
                out.append((j, cost, kind))
                total = base + cost
                if total < fwd[j]:
                    fwd[j] = total
                    back[j] = (i, kind)
        self.edges = edges
        self.fwd = fwd
        self.back = back

    def unigram_path(self) -> list[tuple[int, int, str]]:
        """The cheapest cut by unigram costs alone, as (start, end, kind) triples."""
        cuts: list[tuple[int, int, str]] = []
        j = self.n
        while j > 0:
            i, kind = self.back[j]
            cuts.append((i, j, kind))
            j = i
        cuts.reverse()
        return cuts

    def pair_path(self, pairs: Lexicon) -> list[tuple[int, int, str]]:
        """The cheapest cut once word pairs are scored, searched over the pruned lattice."""
        n, fwd, edges = self.n, self.fwd, self.edges
        low = self.run.low
        bwd = [math.inf] * (n + 1)
        bwd[n] = 0.0
        for i in range(n - 1, -1, -1):
            cheapest = math.inf
            for j, cost, _kind in edges[i]:
                total = cost + bwd[j]
                if total < cheapest:
                    cheapest = total
            bwd[i] = cheapest
        limit = fwd[n] + PAIR_MARGIN
        # States at a position: the last piece's start -> (cost, kind, previous state's start).
        states: list[dict[int, tuple[float, str, int]] | None] = [None] * (n + 1)
        states[0] = {-1: (0.0, "", -1)}
        # A pronoun capitalised right after a lower-case letter (theWe|Work) is no pronoun: the
        # pairs it would make (that we, we work) say nothing.
        cut = self.run.case_cut
        for i in range(n):
            here = states[i]
            if here is None:
                continue
            for j, cost, kind in edges[i]:
                if fwd[i] + cost + bwd[j] > limit:
                    continue
                word = low[i:j] if kind == "word" else None
                if cut is not None and cut[i] and word in PRONOUNS:
                    word = None
                there = states[j]
                if there is None:
                    there = states[j] = {}
                best: tuple[float, str, int] | None = None
                for start, (total, prev_kind, _prev) in here.items():
                    step = total + cost
                    if word is not None:
                        after_odd = cut is not None and start >= 0 and cut[start] and low[start:i] in PRONOUNS
                        step += _pair_cost(
                            pairs, low[start:i] if prev_kind == "word" and not after_odd else None, word
                        )
                    if best is None or step < best[0]:
                        best = (step, kind, start)
                if best is not None:
                    old = there.get(i)
                    if old is None or best[0] < old[0]:
                        there[i] = best
        final = states[n]
        if not final:
            return self.unigram_path()
        cuts: list[tuple[int, int, str]] = []
        j = n
        start = min(final, key=lambda s: final[s][0])
        while j > 0:
            _total, kind, prev = states[j][start]  # type: ignore[index]
            cuts.append((start, j, kind))
            j, start = start, prev
        cuts.reverse()
        return cuts


def pair_cost(prev: str | None, word: str) -> float:
    """Extra cost of lower-case ``word`` after ``prev``: below zero for pairs that go together.

    >>> pair_cost("at", "least") < 0 < pair_cost("least", "purple")
    True
    """
    return _pair_cost(word_pairs(), prev, word)


def _pair_cost(pairs: Lexicon, prev: str | None, word: str) -> float:
    if not word.isascii():
        return 0.0
    if prev is not None:
        cost = pairs.get(f"{prev} {word}")
        if cost is not None:
            return cost
    return UNPAIRED_COST


@functools.lru_cache(maxsize=1)
def word_pairs() -> Lexicon:
    """Word-pair costs from symspellpy's English bigram list (Google Books Ngram counts).

    For a pair ``a b`` the cost is ``-log(1 - PAIR_WEIGHT + PAIR_WEIGHT * r)``, with ``r`` how
    much more often ``b`` follows ``a`` than chance (``P(a b) / (P(a) P(b))``, all counts from
    the same lists): pairs that go together ("at least", "there are") are cheaper than the two
    words alone, and a word after a word it is never seen with costs ``UNPAIRED_COST``. The
    table is keyed by the two words with a space between (``"at least"``).
    """
    parameters = f"{PAIR_WEIGHT} {COMPOUND_COST} {MIN_FREQ}"
    return cached_lexicon("pairs", _word_pairs, parameters, ("symspellpy", "wordfreq"))


def _word_pairs() -> dict[str, float]:
    from importlib import resources

    folder = resources.files("symspellpy")
    fields = (folder / "frequency_dictionary_en_82_765.txt").read_text(encoding="utf-8").split()
    unigrams = dict(zip(fields[::2], map(int, fields[1::2]), strict=True))
    fields = (folder / "frequency_bigramdictionary_en_243_342.txt").read_text(encoding="utf-8").split()
    counts: dict[tuple[str, str], int] = {}
    for first, second, count in zip(fields[::3], fields[1::3], fields[2::3], strict=True):
        if first in unigrams and second in unigrams:
            counts[first, second] = counts.get((first, second), 0) + int(count)
    scale = sum(unigrams.values()) ** 2 / sum(counts.values())
    english = english_costs()
    pairs: dict[str, float] = {}
    for (first, second), together in counts.items():
        ratio = together * scale / (unigrams[first] * unigrams[second])
        cost = -math.log(1 - PAIR_WEIGHT + PAIR_WEIGHT * ratio)
        if english.get(first + second, math.inf) < COMPOUND_COST:
            # A pair that is also a common word (on line / online): books, where the pairs
            # come from, spell it apart more often than today's web, so no bonus for it.
            cost = max(cost, 0.0)
        pairs[f"{first} {second}"] = cost
    return pairs


def clear_cache() -> None:
    """Forget cached cuts (benchmarks call this so repeated passes measure real work)."""
    _segment_cached.cache_clear()


def _merge_emails(pieces: list[Piece]) -> list[Piece]:
    """Join an e-mail address's local part (the word before ``@host``) to its host."""
    out: list[Piece] = []
    for piece in pieces:
        if piece.kind == "email-host" and out and out[-1].kind in ("word", "unknown", "acronym"):
            out[-1] = Piece(out[-1].text + piece.text, "url")
        elif piece.kind == "email-host":
            out.append(Piece(piece.text, "url"))
        else:
            out.append(piece)
    return out
