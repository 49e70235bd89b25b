"""Collapsed-whitespace repair: put back the spaces a scraper lost, never change anything else.

Detect before repairing. A paragraph is repaired only when it shows collapse: a run (text
between spaces) that is no word but reads as several common words. Clean text, names that no
dictionary knows (Kazuyuki, Bluezone) and protected tokens (URLs, e-mail addresses, handles,
camel-case brands, codes with digits) pass through untouched. Within a collapsed paragraph,
every run that is not a known word is cut by :mod:`cleaner.wordseg`, with the page's own
spaced words as extra vocabulary, and :mod:`cleaner.spacing` puts the spaces back. The only
edit is inserting spaces; the stage checks that and records every insertion.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Iterable

from cleaner import regexcache
from cleaner.charsets import ReTwin, finder
from cleaner.document import Document, Edit, evolve
from cleaner.langid import EN_FUNCTION_WORDS, other_latin_language
from cleaner.spacing import join_pieces
from cleaner.textcache import short_text_cache
from cleaner.vietnamese import SPECIFIC, SPECIFIC_UPPER, is_syllable, tone_count
from cleaner.wordseg import (
    EMPTY_VOCABULARY,
    PAGE_WORD_COST,
    Piece,
    Vocabulary,
    english_costs,
    pair_cost,
    segment_run,
    vietnamese_costs,
)

STAGE = "whitespace"
_RUN = regexcache.compile(r"\S+")
# str.split also splits at these four controls, which \s does not match; elsewhere they agree.
_SPLIT_ONLY_SPACES = ("\x1c", "\x1d", "\x1e", "\x1f")
_EDGE_PUNCT = regexcache.compile(r"^[\p{P}\p{S}]+|(?:['’](?:s|re|ve|ll|d|m|t))?[\p{P}\p{S}]*$")
# Runs that are an address, handle, file name or code from their first letter to their last
# (glue before an address, as in "pleasevisit:www.ascom.com", is still cut; the search keeps
# the address itself whole).
_PROTECTED = regexcache.compile(
    r"^(?:[\p{P}]*(?:https?://|www\.)\S+|[\p{P}]*[\w.+-]{1,64}@[\w-]+(?:\.[\w-]+)+|[\p{P}]*@\w{1,30}|#\w+"
    r"|[\w.-]{1,64}\.(?:com|vn|org|net|gov|edu|io|ai|pdf|docx?|xlsx?|jpg|png)\b(?:/\S*)?"
    r"|[\w-]{0,10}\d[\w-]{0,10}|[\p{Lu}\d]+(?:[-.][\p{Lu}\d]+)+)[\p{P}]*$"
)
# Tone-marked letters only Vietnamese writes (ả, ạ, ế, ợ ...): one syllable carries one tone,
# so two in a run of letters are two syllables glued, however short (Cảmơnbạn).
_VI_TONED = "".join(sorted(c for c in SPECIFIC | SPECIFIC_UPPER if tone_count(c)))
_SUSPECT = regexcache.compile(
    r"\p{L}{9,}|\p{Ll}\p{Lu}|\p{Ll}[.,;:!?)\]”]\p{L}|\p{L}[(\[“]|\p{L}\d|\d\p{Ll}{2,}|\p{L}\"\p{L}|\p{L}[–—]|[–—]\p{L}"
    f"|[{_VI_TONED}]\\p{{L}}*[{_VI_TONED}]"
)
_LETTERS = regexcache.compile(r"\p{L}+")
_UNIT_THEN_WORD = regexcache.compile(r"\d\p{Lu}(\p{Ll}{3,})")
_DASH_GLUE = regexcache.compile(r"\p{L}[–—]|[–—]\p{L}")
# _SUSPECT on ASCII text (\p{L} is A-Za-z, \p{Ll} a-z, \p{Lu} A-Z, \d 0-9; the dashes, curly
# quotes and Vietnamese letters are not ASCII): asked of every new run.
_SUSPECTS = ReTwin(
    _SUSPECT,
    r"[A-Za-z]{9,}|[a-z][A-Z]|[a-z][.,;:!?)\]][A-Za-z]|[A-Za-z][(\[]|[A-Za-z][0-9]|[0-9][a-z]{2,}"
    r"|[A-Za-z]\"[A-Za-z]",
)
_VI_LOWER = "ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ"
_FIND_VI_LETTER = finder(_VI_LOWER + _VI_LOWER.upper())
_WORD_NUMBER = regexcache.compile(r"^[\p{Ps}\p{Pi}]*(?P<word>\p{L}{2,})\d[\d.,%]*[\p{P}]*$")
_NUMBER_WORD = regexcache.compile(r"^[\p{Ps}\p{Pi}]*\d{2,}[\d.,]*(?P<word>\p{Lu}\p{Ll}{2,})[\p{P}]*$")
MIN_COMMON_COST = 13.0  # words in a collapse signal must be at least this common (-log freq)
SEEN_IN_COLLAPSED = 2  # sightings in collapsed text before a doubtful word is page vocabulary
MAX_PAGE_WORD = 15  # longer spaced tokens are not taken as page vocabulary
MAX_REPAIR_CHARS = 50_000  # longer blocks are not paragraphs: left as they are
MAX_RUN_CHARS = 3_000  # longer runs without a space are not repaired (bounded work)
MAX_NAME = 13  # a longer capitalised run is taken as glue, not as a name
# Glue of common words lower-case to lower-case counts only when words of the tables (cost
# below SHARE_COST) cover at least COMMON_SHARE of the cut's letters: a foreign word read as
# English fragments (des|confi|a|do) is mostly fragments no one writes.
COMMON_SHARE = 0.6
SHARE_COST = 15.0
# A block with one glued-looking run is left alone when fewer than MIN_KNOWN_SHARE of its
# ordinary words (spaced runs of PLAIN_WORD letters or fewer, at least MIN_PLAIN_WORDS of them)
# are English words at least this common (KNOWN_COST) or Vietnamese syllables: it is clean text
# in another language (Indonesian "meletakkan" reads as "me let a kk an"). The share is taken
# over words of MIN_PLAIN_LETTERS or more when there are any: words of one or two letters (o,
# e, a, de, do) are English, Vietnamese and Portuguese alike, so they say nothing. Tuned on
# the langid and wordseg dev halves.
MIN_PLAIN_LETTERS = 3
PLAIN_WORD = 8
MIN_PLAIN_WORDS = 3
KNOWN_COST = 12.0
MIN_KNOWN_SHARE = 0.5
BRAND_COST = 14.0  # a mixed-case word this common written as one (YouTube, PowerPoint) is a brand
GLUE_PAIR_COST = -1.0  # capitalised words that go together this strongly (NewYork) are glue
_CASE_PARTS = regexcache.compile(r"\p{Ll}+|\p{Lu}\p{Ll}*")
_LEADING_CAPITALS = regexcache.compile(r"^(\p{Lu}+)(\p{Ll}+)$")
# Articles, prepositions and the like: never the first half of a brand (WeWork and YouTube
# start with pronouns, so pronouns are not here).
_GLUE_WORDS = frozenset("the an of in on at to for from by with and or is are was were as into than".split())
_DIGIT_LETTER = regexcache.compile(r"\d\p{L}|\p{L}\d")
_UNITS = frozenset(  # letters that follow digits in one token: 4th, 2000s, 10am, 5km, 64gb
    "st nd rd th s am pm km kg cm mm m g mg ml kw kwh mw gw mph kph bn k x gb mb tb kb mhz ghz hz".split()
)
_NAME_PREFIXES = frozenset({"Mc", "Mac"})  # McKinsey, MacArthur: one name
# Bound prefixes: never a word of their own in English, so a known word after one is one word
# the lists lack (hyperlocalized, ultrabright, microgrants), not two glued together.
_BOUND_PREFIXES = frozenset(
    "anti cyber electro hyper inter macro micro mis multi nano neuro "
    "non pre psycho semi trans ultra un".split()
)
# Words that also open compounds (underbody, backhands, inefficacy): glued to a word they
# seldom stand before as two words, they make one word the lists lack.
_PARTICLE_PREFIXES = frozenset("under over back out in up down off".split())
_COMMON_TAIL_OK = frozenset({"s", "es"})  # DSPs, ICUs: plurals of acronyms


def _core(run: str) -> str:
    """``run`` without edge punctuation and a final clitic (``'s``, ``’re``...): ``_EDGE_PUNCT``.

    A run that starts and ends with a letter or digit and has no apostrophe (most runs) has
    nothing to strip, known without the pattern, which tries every position for its end.
    """
    if run[:1].isalnum() and run[-1:].isalnum() and "'" not in run and "’" not in run:
        return run
    return _EDGE_PUNCT.sub("", run)


def page_vocabulary(texts: Iterable[str]) -> Vocabulary:
    """Words the page spells with spaces around them, as extra vocabulary for segmentation.

    A capitalised name seen spaced once (``Dung`` in ``NguyenHuy Dung``) helps cut the runs
    where it is glued to its neighbours. A camel-case word, or a capitalised one longer than a
    name, counts once seen in a clean paragraph, or twice in collapsed ones.
    """
    vocab = Vocabulary()
    seen: dict[str, int] = {}
    for text in texts:
        if len(text) > MAX_REPAIR_CHARS:
            continue
        collapsed: bool | None = None  # looked at only once a doubtful word turns up
        for word, doubtful in filter(None, map(_page_word, _runs(text))):
            if doubtful:
                # In a collapsed paragraph, camel case or a capitalised word longer than a name,
                # seen once, may be glue that kept its outer spaces (Dark WebMonitoring, The
                # Germanautomaker): there it must be seen again.
                if collapsed is None:
                    collapsed = _shows_collapse(text)
                seen[word] = seen.get(word, 0) + (1 if collapsed else SEEN_IN_COLLAPSED)
                if seen[word] < SEEN_IN_COLLAPSED:
                    continue
            vocab[word] = PAGE_WORD_COST
    return vocab


@functools.lru_cache(maxsize=65536)
def _page_word(run: str) -> tuple[str, bool] | None:
    """What a spaced run offers the page vocabulary: (word, doubtful), or None for nothing.

    Doubtful words (camel case, or capitalised and longer than a name) count only once seen
    enough. The verdict depends on the run alone, so it is cached: most runs are common
    words, seen on page after page.
    """
    if len(run) > MAX_PAGE_WORD + 10:
        return None
    core = _core(run)
    if not core.isalpha() or len(core) < 2 or len(core) > MAX_PAGE_WORD:
        return None
    low = core.lower()
    # Not words that read as glue in a collapsed paragraph (Israelseized): they would
    # protect themselves wherever they are glued.
    if low in english_costs() or _camel_glue(core):
        return None
    if _glued(core, EMPTY_VOCABULARY, _has_vietnamese_letter(core), among_glue=True):
        return None
    camel = _camel_inner(core)
    if not camel and not core[:1].isupper():
        return None
    return (core if camel else low), camel or len(core) > MAX_NAME


def _has_vietnamese_letter(text: str) -> bool:
    """Whether ``text`` has a letter of Vietnamese (ă, đ, ơ, ạ ...): one scan at C speed."""
    return not text.isascii() and _FIND_VI_LETTER(text) is not None


def _name_like(run: str) -> bool:
    """A lone capitalised word of name length, with or without punctuation around it."""
    core = _core(run)
    return (
        core.isalpha()
        and core.isascii()
        and len(core) <= MAX_NAME
        and core[:1].isupper()
        and core[1:].islower()
    )


def _camel_inner(word: str) -> bool:
    return any(a.islower() and b.isupper() for a, b in itertools.pairwise(word))


def _camel_glue(core: str) -> bool:
    """True when a mixed-case word reads as words glued together rather than a brand.

    ``theRock``, ``ratedDashlane``, ``TheSteelers``, ``InMay``, ``NewYork`` (a pair that goes
    together), ``HoaiNam`` (Vietnamese syllables), ``MICheld``: glue. ``iPhone``, ``akaBot``,
    ``WeWork``, ``YouTube``, ``PowerPoint`` (common as one word): brands, left whole.
    """
    if not core.isalpha() or core.islower() or core.isupper() or core[1:].islower():
        return False
    low = core.lower()
    costs = english_costs()
    lead = _CASE_PARTS.match(core)
    if lead and lead.group() in _GLUE_WORDS and core[lead.end() :][:1].isupper():
        return True  # ofThe, theRock: an article or preposition glued to a capital
    if costs.get(low, 99.0) < BRAND_COST:
        return False
    caps = _LEADING_CAPITALS.match(core)
    if caps and len(caps.group(1)) >= 2 and caps.group(2) in _COMMON_TAIL_OK:
        return False
    if caps and len(caps.group(1)) >= 2:
        tail = caps.group(2)
        return len(tail) >= 2 and costs.get(tail, 99.0) < MIN_COMMON_COST  # MICheld, SUVthat
    parts = _CASE_PARTS.findall(core)
    if len(parts) < 2 or "".join(parts) != core:
        return False
    lows = [part.lower() for part in parts]
    first = parts[0]
    if first.islower():
        # A common lower-case word glued to a capital: ratedDashlane (theRock was caught above);
        # not iPhone or akaBot.
        return len(first) >= 4 and costs.get(lows[0], 99.0) < MIN_COMMON_COST
    if any(part in _GLUE_WORDS for part in lows):
        return True  # TheSteelers, InMay, JesusIsJust
    english = [len(part) >= 4 and costs.get(part, 99.0) < MIN_COMMON_COST for part in lows]
    if not any(english) and all(is_syllable(part) and part.isascii() for part in lows):
        return True  # HoaiNam, HoanKiem: Vietnamese names are not written in camel case
    if first not in _NAME_PREFIXES and any(
        len(part) >= 4 and costs.get(part, 99.0) >= MIN_COMMON_COST for part in lows[1:]
    ):
        return True  # JackBuser, AdamNeumann: a name and a surname; brands join common words
    return any(pair_cost(a, b) < GLUE_PAIR_COST for a, b in itertools.pairwise(lows))


def _known(core: str, page: Vocabulary) -> bool:
    low = core.lower()
    return low in english_costs() or low in page or core in page or low in vietnamese_costs()


def is_protected(run: str, page: Vocabulary) -> bool:
    """True for runs that are never cut.

    URLs, e-mail, handles, file names, codes, and words the page or wordfreq knows as written
    (``WeWork``, ``iPhone`` and ``Ascom`` included).
    """
    if _PROTECTED.match(run):
        return not _number_glue(run)
    if not run.isascii() and _DASH_GLUE.search(run):  # the dashes are not ASCII
        return False  # pillars– or –both: a dash set off by spaces, glued
    return _protected_word(run, page)


def _number_glue(run: str) -> bool:
    """A common word glued to a number (from27, by40%, Nearly3, 2020Smart): not a code."""
    match = _WORD_NUMBER.match(run) or _NUMBER_WORD.match(run)
    if match and match.group("word").lower() in english_costs() and not match.group("word").isupper():
        return True
    # A lower-case word next to digits: revenuein2019, 50passwords, with22games (not 64GB,
    # 2000s, Map4D or VOV-Doctor24, whose letters are units or capitalised).
    costs = english_costs()
    core = _core(run)
    if not _DIGIT_LETTER.search(core):
        return False
    if any(costs.get(m.group(1), 99.0) < MIN_COMMON_COST for m in _UNIT_THEN_WORD.finditer(core)):
        return True  # 5Gnetwork, 4Kvideo: a unit letter, then a word
    return any(
        part.islower()
        and part not in _UNITS
        and (
            part in _GLUE_WORDS
            or (len(part) >= 3 and costs.get(part, 99.0) < MIN_COMMON_COST)
            or (len(part) >= 5 and _glued(part, EMPTY_VOCABULARY, False))  # revenuein2019
        )
        for part in _LETTERS.findall(core)
    )


def _prefixed_word(core: str) -> bool:
    """A bound prefix and a known English word of four letters or more, as one word.

    >>> _prefixed_word("hyperlocalized"), _prefixed_word("Microgrants"), _prefixed_word("inthe")
    (True, True, False)
    """
    if not core.isascii() or not (core.islower() or core[1:].islower()):
        return False
    low = core.lower()
    costs = english_costs()
    return any(
        low[:n] in _BOUND_PREFIXES and costs.get(low[n:], 99.0) < SHARE_COST
        for n in range(2, min(8, len(low) - 3))
    )


def _protected_word(run: str, page: Vocabulary) -> bool:
    core = _core(run)
    if not core or core in page:
        return True
    if not core.isalpha() or _camel_glue(core):
        return False
    if _camel_inner(core):
        # A brand in camel case is protected when its spelling is a known word; glue such
        # as "andCommunications" is not one.
        return core.lower() in english_costs() or core.lower() in page
    if _prefixed_word(core):
        return True
    if not _known(core, page):
        return False
    # A common word is itself; a rare "word" may be glue wordfreq picked up (inthe, ofthe).
    cost = english_costs().get(core.lower(), 0.0)
    return cost < MIN_COMMON_COST or len(segment_run(core, page, pairs=False)) == 1


def _collapse_signal(run: str, page: Vocabulary, vietnamese: bool) -> bool:
    """True when ``run`` is clearly several words glued together."""
    suspect = _SUSPECTS.on(run).search(run) is not None
    syllables = vietnamese and _syllables_glued(run)
    if not (suspect or syllables) or is_protected(run, page):
        return False
    return syllables or _glued(run, page, vietnamese)


def _name_glued(pieces: list[Piece], among_glue: bool, common: Callable[[Piece], bool]) -> bool:
    """Whether the cut of a lone capitalised word reads as glue rather than as a name."""
    if len(pieces) < 2:
        return False
    words = [p for p in pieces if p.kind == "word"]
    if len(words) == len(pieces):
        lows = [w.text.lower() for w in words]
        if all(common(w) for w in words) and all(pair_cost(a, b) < 0 for a, b in itertools.pairwise(lows)):
            return True  # Inthe, Ofcourse, Itwasa: words that go together, not a name
        if len(words) >= 3 and sum(len(w.text) for w in words) / len(words) >= 3.5:
            return not any(_stray_letter(w.text) for w in words)  # Public|i|dade is a word
    if among_glue and all(p.kind in ("word", "unknown") for p in pieces):
        first, last = pieces[0].text, pieces[-1]
        if len(last.text) >= 2 and common(last):
            return len(first) >= 3 or first.lower() in EN_FUNCTION_WORDS
    return False


def _glued(run: str, page: Vocabulary, vietnamese: bool, among_glue: bool = False) -> bool:
    """True when the best cut of ``run`` joins two common words lower-case to lower-case.

    A lone capitalised word (``Hipcricket``, ``Matthesen``) is more often a name than glue:
    it counts only when it cuts into words that go together, or three or more common words of
    normal length. ``among_glue`` (the paragraph is known to be collapsed) lowers the bar: a
    word of three letters or more, or a function word, followed by a common word
    (``Israelseized``, ``Thisverdict``, ``Klobucharand``) is glue too.
    """
    name = _name_like(run)
    pieces = segment_run(_core(run) if name else run, page, vietnamese)
    costs = english_costs()
    vi = vietnamese_costs()

    def cost(low: str) -> float:
        return min(costs.get(low, 99.0), vi.get(low, 99.0))

    def common(piece: Piece) -> bool:
        return piece.kind == "word" and cost(piece.text.lower()) < MIN_COMMON_COST

    if name:
        return _name_glued(pieces, among_glue, common)
    for a, b in itertools.pairwise(pieces):
        # toMars, theMinistry: a function word glued to a capitalised word.
        if a.text in EN_FUNCTION_WORDS and len(a.text) > 1 and b.kind == "word" and b.text[:1].isupper():
            return True

    # Glue a case change cannot explain: two common words meeting lower-case to lower-case,
    # in a cut made mostly of real words (not a foreign word read as English fragments:
    # des|confi|a|do, a|proxima|da|mente).
    words = [p.text.lower() for p in pieces if p.kind == "word"]
    known = sum(len(w) for w in words if cost(w) < SHARE_COST)
    if known < COMMON_SHARE * sum(map(len, words)):
        return False
    if (
        len(pieces) == 2
        and len(words) == 2
        and words[0] in _PARTICLE_PREFIXES
        and pair_cost(words[0], words[1]) > 0
    ):
        return False  # underbody, backhands: a compound the lists lack, not under|body glued
    return any(
        common(a)
        and common(b)
        and a.text[-1].islower()
        and b.text[0].islower()
        and (vietnamese or not (_stray_letter(a.text) or _stray_letter(b.text)))
        for a, b in itertools.pairwise(pieces)
    )


def _stray_letter(word: str) -> bool:
    """A lone letter English does not write as a word (a and I are): equivalent|e is no glue."""
    return len(word) == 1 and word not in "aAI"


def repair_with_positions(
    text: str, lang: str = "en", page: Vocabulary | None = None, collapsed: bool = False
) -> tuple[str, list[int]]:
    """``text`` repaired, and the positions (in the result) of every inserted space.

    Work is bounded as ftfy bounds its own: a block longer than ``MAX_REPAIR_CHARS`` is not a
    paragraph and is left as it is, and so is any run longer than ``MAX_RUN_CHARS``; both are
    passed through unchanged, never cut.
    """
    vietnamese = lang == "vi" or _has_vietnamese_letter(text)
    if len(text) > MAX_REPAIR_CHARS or not (_SUSPECTS.on(text).search(text) or vietnamese):
        return text, []
    vocab = page if page is not None else page_vocabulary([text])
    runs = list(_RUN.finditer(text))
    candidates = (m.group() for m in runs if len(m.group()) <= MAX_RUN_CHARS)
    if not collapsed:
        signals = list(itertools.islice((r for r in candidates if _collapse_signal(r, vocab, vietnamese)), 2))
        if not signals or _foreign(text, len(signals)):
            return text, []  # no glue, or a language whose words we do not know (French, Indonesian)
    out: list[str] = []
    inserted: list[int] = []
    pos = 0
    quotes_open = False
    last_opening = last_closing = -1  # where the last ‘ and ’ before this run are
    length = 0  # of what ``out`` holds so far
    for match in runs:
        out.append(text[pos : match.start()])
        length += match.start() - pos
        run = match.group()
        fixed = run
        if (
            len(run) <= MAX_RUN_CHARS
            and not is_protected(run, vocab)
            and (
                not _name_like(run)
                or _DASH_GLUE.search(run)
                or _glued(run, vocab, vietnamese, among_glue=True)
            )
        ):
            # A ‘ opened earlier in the paragraph and not closed since: a ’ may close it.
            single_open = last_opening > last_closing
            fixed, quotes_open = join_pieces(segment_run(run, vocab, vietnamese), quotes_open, single_open)
            if fixed.replace(" ", "") != run:
                fixed = run
        else:
            quotes_open ^= run.count('"') % 2 == 1
        k = 0
        for offset, char in enumerate(fixed):
            if char == " " and (k >= len(run) or run[k] != " "):
                inserted.append(length + offset)
            else:
                k += 1
        out.append(fixed)
        length += len(fixed)
        pos = match.end()
        if "‘" in run:
            last_opening = match.start() + run.rfind("‘")
        if "’" in run:
            last_closing = match.start() + run.rfind("’")
    out.append(text[pos:])
    return "".join(out), inserted


@short_text_cache(maxsize=8192)
def _shows_collapse(text: str) -> bool:
    """Whether any run of ``text`` shows glue: a cheap first look, without page vocabulary.

    Each run's verdict is cached, so a block costs one split and a cache lookup per run (and
    a short block seen before, one lookup). A block whose function words are another
    language's (French, Portuguese, Indonesian) shows none: its words would read as English
    fragments glued together.
    """
    if len(text) > MAX_REPAIR_CHARS:
        return False
    shows_glue = _vietnamese_run_shows_glue if _has_vietnamese_letter(text) else _english_run_shows_glue
    signals = list(itertools.islice(filter(shows_glue, _runs(text)), 2))
    return bool(signals) and not _foreign(text, len(signals))


def _foreign(text: str, signals: int) -> bool:
    """Whether ``text`` reads as a language whose words we do not know, so its glue is doubtful.

    Either its function words are plainly another Latin-script language's, or (when only one
    run looks glued) most of its ordinary words are neither English nor Vietnamese.
    """
    if other_latin_language(text) is not None:
        return True
    if signals > 1:
        return False
    # Ordinary words: runs between spaces that are letters alone (edge punctuation aside).
    cores = (_core(run) for run in _runs(text))
    words = [core.lower() for core in cores if 0 < len(core) <= PLAIN_WORD and core.isalpha()]
    if len(words) < MIN_PLAIN_WORDS:
        return False
    telling = [w for w in words if len(w) >= MIN_PLAIN_LETTERS] or words
    english, vietnamese = english_costs(), vietnamese_costs()
    known = sum(1 for w in telling if english.get(w, KNOWN_COST) < KNOWN_COST or w in vietnamese)
    return known < MIN_KNOWN_SHARE * len(telling)


def _runs(text: str) -> list[str]:
    """The runs of ``text`` between white space, as ``_RUN`` finds them (``str.split`` when equal)."""
    for control in _SPLIT_ONLY_SPACES:  # four substring scans: far faster than a set test
        if control in text:
            return _RUN.findall(text)
    return text.split()


def _run_shows_glue(run: str, vietnamese: bool) -> bool:
    """``_collapse_signal`` of a run without page vocabulary (runs too long to repair: none)."""
    return len(run) <= MAX_RUN_CHARS and _collapse_signal(run, EMPTY_VOCABULARY, vietnamese)


@functools.lru_cache(maxsize=65536)
def _english_run_shows_glue(run: str) -> bool:
    """:func:`_run_shows_glue` in English, cached: the same words recur page after page."""
    return _run_shows_glue(run, False)


@functools.lru_cache(maxsize=65536)
def _vietnamese_run_shows_glue(run: str) -> bool:
    """:func:`_run_shows_glue` in a paragraph with Vietnamese letters, cached."""
    return _run_shows_glue(run, True)


def _syllables_glued(run: str) -> bool:
    """Whether ``run`` is known Vietnamese syllables written together, however short.

    A word of Vietnamese is spaced syllable by syllable, so a run that is no syllable itself
    but cuts into syllables the word list knows (``chúngtôi``, ``Xinchào``, ``trìnhđã``) lost
    its spaces. The run must carry a tone mark: ``ôtô``, a common way to write ô tô, has none.
    """
    core = _core(run)
    if core.isascii() or not core.isalpha() or not (core.islower() or core[1:].islower()):
        return False
    low = core.lower()
    known = vietnamese_costs()
    if is_syllable(low) or not tone_count(low) or low in known or low in english_costs():
        return False
    pieces = segment_run(core, vietnamese=True)
    return len(pieces) >= 2 and all(p.kind == "word" and p.text.lower() in known for p in pieces)


def repair_whitespace(text: str, lang: str = "en") -> str:
    """``text`` with lost spaces restored; only ever inserts spaces.

    >>> repair_whitespace("Clean text stays as it is, even Bluezone and akaBot.")
    'Clean text stays as it is, even Bluezone and akaBot.'
    >>> repair_whitespace("Thedevelopmentofinformationtechnology(IT)inVietnamisexpected.")
    'The development of information technology (IT) in Vietnam is expected.'
    """
    return repair_with_positions(text, lang)[0]


def repair_whitespace_stage(doc: Document) -> Document:
    """The whitespace stage: repair each block, recording every insertion as an Edit.

    Only blocks that show glue are repaired, with the page vocabulary, which is built only
    for pages that have such a block: most pages have none, and for them the stage is a scan.
    """
    glued = [_shows_collapse(b.text) for b in doc.blocks]
    if not any(glued):
        return doc
    vocab = page_vocabulary(b.text for b in doc.blocks)
    blocks = []
    edits = []
    for block, collapsed in zip(doc.blocks, glued, strict=True):
        if not collapsed:
            blocks.append(block)
            continue
        lang = block.lang if block.lang != "und" else doc.main_lang
        fixed, inserted = repair_with_positions(
            block.text, lang if lang != "und" else "en", vocab, collapsed=True
        )
        if inserted:
            blocks.append(evolve(block, text=fixed, inserts=tuple(inserted)))
            edits.append(Edit(STAGE, "insert-spaces", block.start, block.end, block.text, fixed))
        else:
            blocks.append(block)
    return doc.evolve(blocks=tuple(blocks), edits=doc.edits + tuple(edits))
