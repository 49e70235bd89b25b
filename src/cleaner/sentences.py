"""Sentence boundaries for English and Vietnamese, as character spans of the input.

One pass of a compiled regex finds every place a sentence may end (a run of ``.``, ``!``,
``?``, ``…`` with its closing quotes and brackets); a few small rules then veto or accept each
one, looking only at the word before and the word after. The work is linear in the text's
length and returns spans of the original string, so offsets survive.

Rules, in the order they are tried:
- no boundary inside a URL, an e-mail address, a number (``3.2``, ``1.000.000``, ``$100.00``) or
  a dotted abbreviation (``U.S.A.``, ``FPT.AI``), nor before a lower-case word;
- after a *title* abbreviation (``Mr.``, ``Dr.``, ``p.``, ``No.``, ``TP.``, ``ThS.``) or an
  initial inside a name (``Jonas E. Smith``) there is never a boundary;
- after an abbreviation that can also end a sentence (``Co.``, ``U.S.``, ``a.m.``, ``etc.``) there
  is one only when the next word usually starts a sentence (``It``, ``They``, ``How``...);
- ellipses: three spaced dots are a pause, four are a pause and a full stop;
- enumerated lists (``1.)``, ``2)``, ``a.``, ``•``) start a new segment at each marker;
- a line break is a boundary unless the line continues a sentence that ends further on.
"""

from __future__ import annotations

from collections.abc import Iterable

import regex

from cleaner import regexcache
from cleaner.charsets import ReTwin

TITLE_ABBREVIATIONS: dict[str, frozenset[str]] = {
    "en": frozenset(
        "mr mrs ms messrs dr prof gen gov sen rep capt lt col sgt maj adm rev hon pres st mt ft "
        "no nos p pp fig figs vol vols ch sec art para op dept univ ave blvd rd n° nº".split()
    ),
    "vi": frozenset("tp ts bs pgs gs ths ks ls ncs q p tt th tx ubnd ông bà".split()),
}
ENDING_ABBREVIATIONS: dict[str, frozenset[str]] = {
    "en": frozenset(
        "co corp inc ltd llc plc jr sr bros etc a.m p.m am pm u.s u.k u.n e.u u.s.a e.g i.e al "
        "approx est jan feb mar apr jun jul aug sept sep oct nov dec vs".split()
    ),
    "vi": frozenset(),
}
SENTENCE_STARTERS = frozenset(
    "I It He She They We You How What Why When Where Who Which The This That These Those There "
    "A An In On At But And So If As His Her Their Our My Its Then Yet Now".split()
)
# A candidate end: terminal punctuation with any closing quotes and brackets.
_CANDIDATE = regexcache.compile(r"""(?:\.(?:\s\.){2,}|[.!?…]+)["'”’»)\]]*""")
_CANDIDATES = ReTwin(_CANDIDATE, r"""(?:\.(?:[\t\n\x0b\x0c\r ]\.){2,}|[.!?]+)["')\]]*""")  # on ASCII
MAX_WORD_BEFORE = 200  # how far back the word before a full stop is looked for
_GLUED_END = regexcache.compile(r"^.*[\p{Ll}\d][.!?](?=\p{Lu}\p{Ll})")
_TOKEN_AT = regexcache.compile(r"\S{1,200}")
_TOKENS_AT = ReTwin(_TOKEN_AT, r"[^\t\n\x0b\x0c\r ]{1,200}")  # regex's \s leaves out \x1c-\x1f
_LIST_START = regexcache.compile(r"^\s*(?:[•⁃▪‣◦]\s*)?(?:\d{1,3}|[a-z])(?P<mark>\.\)|\)|\.)\s")
_BULLETS = "•⁃▪‣◦"
_BULLET = regexcache.compile(f"[{_BULLETS}]")
_LIST_MARKER = regexcache.compile(r"(?:\d{1,3}|[a-z])")
_NEWLINE = regexcache.compile(r"\n")
_TERMINAL_END = regexcache.compile(r"""[.!?…]["'”’»)\]]*\s*$""")
_OPENERS = "\"'“‘«(["


def _word_before(text: str, end: int) -> str:
    """The word that ends at ``end``: the non-space token, after any glued sentence end."""
    e = end
    while e > 0 and text[e - 1] in " \t\n\r":
        e -= 1
    floor = max(0, e - MAX_WORD_BEFORE)
    s = max(text.rfind(" ", floor, e), text.rfind("\n", floor, e), text.rfind("\t", floor, e)) + 1
    s = max(s, floor)
    word = text[s:e]
    return _GLUED_END.sub("", word) if "." in word or "!" in word or "?" in word else word


def _next_token(text: str, start: int) -> tuple[int, str]:
    match = _TOKENS_AT.on(text).search(text, start)
    return (match.start(), match.group()) if match else (len(text), "")


class Segmenter:
    """A sentence splitter for one language, with optional extra abbreviations."""

    def __init__(self, lang: str = "en", extra_abbreviations: Iterable[str] = ()) -> None:
        extra = {a.lower().rstrip(".") for a in extra_abbreviations}
        self.lang = lang
        self.titles = TITLE_ABBREVIATIONS["en"] | TITLE_ABBREVIATIONS.get(lang, frozenset()) | extra
        self.endings = ENDING_ABBREVIATIONS["en"] | ENDING_ABBREVIATIONS.get(lang, frozenset())
        self.is_list = False
        self._list_start: regex.Match[str] | None = None

    def spans(self, text: str) -> list[tuple[int, int]]:
        """(start, end) of each sentence, surrounding white space excluded."""
        self._list_start = _LIST_START.match(text)  # read again by _list_cuts
        self.is_list = self._list_start is not None
        cuts = sorted(set(self._cuts(text)))
        spans = []
        start = 0
        for cut in [*cuts, len(text)]:
            s, e = start, cut
            while s < e and text[s].isspace():
                s += 1
            while e > s and text[e - 1].isspace():
                e -= 1
            if e > s:
                spans.append((s, e))
            start = cut
        return spans

    def _cuts(self, text: str) -> Iterable[int]:
        yield from self._punctuation_cuts(text)
        yield from self._list_cuts(text)
        yield from self._line_cuts(text)

    def _punctuation_cuts(self, text: str) -> Iterable[int]:
        for match in _CANDIDATES.on(text).finditer(text):
            end = match.end()
            if end >= len(text):
                continue
            cut = self._judge(text, match, end)
            if cut is not None:
                yield cut

    def _judge(self, text: str, match: regex.Match[str], end: int) -> int | None:
        mark = match.group()
        following = text[end]
        _token_start, token = _next_token(text, end)
        before = _word_before(text, match.start())
        if not following.isspace():
            return self._glued(text, match, before, token)
        if not token:
            return None
        if " ." in mark:
            if not _starts_sentence(token):
                return None
            if match.start() > 0 and not text[match.start() - 1].isspace():
                # "compounds. . . . The": the attached full stop ends the sentence and the
                # ellipsis opens the next one.
                return match.start() + 1
            # ". . ." alone is a pause; ". . . ." is a pause and a full stop.
            return end if mark.count(".") >= 4 else None
        if mark.startswith(".") and match.start() > 0 and text[match.start() - 1] == "[":
            return None  # "[...]" marks an omission inside a quotation
        if not _starts_sentence(token):
            if mark == "." and self._lower_start(before, token):
                return end
            return None
        if self.is_list and _LIST_MARKER.fullmatch(before.lstrip(_BULLETS)):
            return None
        if mark.startswith(".") and not mark.startswith(".."):
            return end if self._period_ends(text, match.start(), before, token) else None
        return end

    def _lower_start(self, before: str, token: str) -> bool:
        """Whether a plain full stop then a lower-case word starts a new sentence.

        After an ordinary dictionary word (not an abbreviation), it does: the next sentence's
        first word was lost or is written in lower case ("efficiently. is also able").
        """
        from cleaner.wordseg import english_costs

        word = before.lstrip(_OPENERS)
        low = word.lower()
        if len(word) < 3 or not word.isalpha() or not token[:1].isalpha() or not token.isalpha():
            return False
        if low in self.titles or low in self.endings:
            return False
        return low in english_costs() and token.lower() in english_costs()

    def _period_ends(self, text: str, dot: int, before: str, token: str) -> bool:
        """Whether a single full stop after ``before`` ends a sentence, ``token`` coming next."""
        word = before.lstrip(_OPENERS).lower()
        if "@" in before or "://" in before or "www." in word:
            return True
        if word in self.titles:
            return False
        bare = word.rstrip(".")
        if bare in self.titles:
            return False
        if word in self.endings or bare in self.endings:
            if before.isupper() and bare in ("a.m", "p.m"):
                return True
            return token.lstrip(_OPENERS) in SENTENCE_STARTERS
        if len(bare) == 1 and before.isupper():
            # An initial inside a name (Jonas E. Smith), unless the letter ends a clause
            # (you and I. Did ...): the word before it decides.
            previous = _word_before(text, dot - len(before))
            return not (previous[:1].isupper() and previous[-1:].isalpha())
        return True

    def _glued(self, text: str, match: regex.Match[str], before: str, token: str) -> int | None:
        """A full stop with no space after it ("world.Today"): a boundary only between words."""
        end = match.end()
        if match.group() != "." or not token:
            return None
        prev = text[match.start() - 1] if match.start() else ""
        nxt = text[end : end + 2]
        if not (
            (prev.islower() or prev.isdigit()) and len(nxt) == 2 and nxt[0].isupper() and nxt[1].islower()
        ):
            return None
        whole = _word_before(text, end) + token
        if "@" in whole or "://" in whole or "www." in whole.lower() or before.lower() in self.titles:
            return None
        return end

    def _list_cuts(self, text: str) -> Iterable[int]:
        start = self._list_start
        if not start:
            first = text.lstrip()[:1]
            if first and first in _BULLETS:
                for bullet in _BULLET.finditer(text):
                    if bullet.start() > 0:
                        yield bullet.start()
            return
        mark = regex.escape(start.group("mark"))
        bullet = r"(?:[•⁃▪‣◦]\s*)?"
        pattern = regexcache.compile(rf"\s({bullet}(?:\d{{1,3}}|[a-z]){mark}\s)")
        for item in pattern.finditer(text, start.end()):
            yield item.start(1)

    def _line_cuts(self, text: str) -> Iterable[int]:
        """Line breaks end a segment unless the line runs on into a sentence that ends later."""
        lines = text.split("\n")
        if len(lines) < 2:
            return
        # ends_later[i]: some line from i on ends with terminal punctuation (one backward pass,
        # so the whole check stays linear).
        ends_later = [False] * (len(lines) + 1)
        for i in range(len(lines) - 1, -1, -1):
            ends_later[i] = ends_later[i + 1] or bool(lines[i].strip() and _TERMINAL_END.search(lines[i]))
        pos = 0
        for i, line in enumerate(lines[:-1]):
            pos += len(line) + 1
            nxt = lines[i + 1].lstrip()
            if not nxt:
                yield pos
                continue
            if not _TERMINAL_END.search(line) and nxt[0].islower() and ends_later[i + 1]:
                continue
            yield pos


def _starts_sentence(token: str) -> bool:
    """Whether ``token`` can open a sentence: a capital, a digit, or an opening mark."""
    word = token.lstrip(_OPENERS)
    if not word:
        return bool(token)
    first = word[0]
    return first.isupper() or first.isdigit() or (len(word) > 1 and word[0].islower() and word[1].isupper())


_SEGMENTERS: dict[str, Segmenter] = {}


def segmenter(lang: str) -> Segmenter:
    """The shared segmenter for ``lang`` (built once)."""
    if lang not in _SEGMENTERS:
        _SEGMENTERS[lang] = Segmenter(lang)
    return _SEGMENTERS[lang]


def sentence_spans(text: str, lang: str = "en") -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences of ``text``.

    >>> text = "At 5 a.m. Mr. Smith left. He took the U.S. Route 1. It rained."
    >>> [text[s:e] for s, e in sentence_spans(text)]
    ['At 5 a.m. Mr. Smith left.', 'He took the U.S. Route 1.', 'It rained.']
    """
    return segmenter(lang).spans(text)
