"""What Vietnamese text looks like: its letters and the shape of its syllables.

Shared by the decoder (which legacy encoding gives plausible text), the language detector
(Vietnamese with and without diacritics) and whitespace repair (syllable boundaries).
"""

from __future__ import annotations

import functools
import unicodedata

import regex

from cleaner import regexcache
from cleaner.charsets import finder

# Base vowels with each of the five tone marks (and none), lower case, NFC.
_TONED = "aàáảãạ ăằắẳẵặ âầấẩẫậ eèéẻẽẹ êềếểễệ iìíỉĩị oòóỏõọ ôồốổỗộ ơờớởỡợ uùúủũụ ưừứửữự yỳýỷỹỵ"
VOWELS: frozenset[str] = frozenset(_TONED.replace(" ", ""))
LETTERS: frozenset[str] = frozenset(set("abcdefghijklmnopqrstuvwxyzđ") | VOWELS)
# Letters that occur in Vietnamese but in no major Western European orthography, so one of
# them is strong evidence for Vietnamese (à, é, ô, ã ... are shared with French or Portuguese).
SPECIFIC: frozenset[str] = frozenset(
    c for c in VOWELS | {"đ"} if c not in "aàáâãeèéêiìíoòóôõuùúyýäëïöüç" and c.isalpha() and ord(c) > 127
)
SPECIFIC_UPPER: frozenset[str] = frozenset(c.upper() for c in SPECIFIC)

# A syllable is an onset, a vowel nucleus from a closed set and a coda. The syllable is matched
# with its tone mark taken off (ắ -> ă), so the sets below list each rime once. Rimes ending in
# a glide (ai, ao, iêu ...) and the open diphthongs (ia, ua, ưa) take no final consonant; iê,
# yê, uô, ươ and uyê always take one. Anything else (taiác, bean) is no syllable.
# Spelling rules of the onset: ngh and gh only before i, e, ê; ng, g and c never there (c not
# before y either).
_ONSET = (
    r"(?:ngh(?=[ieê])|gh(?=[ieê])|ng(?![ieê])|nh|ch|gi|kh|ph|qu|th|tr|b|c(?![ieêy])|d|đ|g(?![eê])"
    r"|h|k|l|m|n|p|r|s|t|v|x)?"
)
_CODA = r"(?:ch|ng|nh|c|m|n|p|t)"
_OPEN = "iêu yêu oai oao oay oeo uây uôi ươi ươu uyu uya ai ao au ay âu ây eo êu iu oi ôi ơi ui ưi ưu"
_OPEN += " ia ua ưa"
_CLOSED = "uyê iê yê uô ươ oo"
_EITHER = "oa oă oe uâ uê uơ uy a ă â e ê i o ô ơ u ư y"


def _syllable_pattern(strip: bool) -> regex.Pattern[str]:
    """The syllable shape; with ``strip``, as written without diacritics (nguyen, duong)."""

    def rimes(names: str) -> str:
        if strip:
            names = unicodedata.normalize("NFD", names).encode("ascii", "ignore").decode()
        return "|".join(sorted(set(names.split()), key=lambda r: (-len(r), r)))

    onset = _ONSET.replace("|đ", "").replace("ê", "e") if strip else _ONSET
    return regexcache.compile(
        rf"{onset}(?:(?:{rimes(_OPEN)})|(?:{rimes(_CLOSED)}){_CODA}|(?:{rimes(_EITHER)}){_CODA}?)"
    )


SYLLABLE = _syllable_pattern(strip=False)
_ASCII_SYLLABLE = _syllable_pattern(strip=True)
_TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")
# Each toned vowel to its base (ắ -> ă), from the rows of _TONED.
_UNTONE = str.maketrans({c: group[0] for group in _TONED.split() for c in group[1:]})


def tone_count(syllable: str) -> int:
    """How many tone marks a syllable carries (a real syllable has at most one)."""
    return sum(1 for c in unicodedata.normalize("NFD", syllable) if c in _TONE_MARKS)


@functools.lru_cache(maxsize=65536)
def is_syllable(token: str) -> bool:
    """True when ``token`` has the shape of one Vietnamese syllable.

    >>> is_syllable("Nguyễn"), is_syllable("nghiêng"), is_syllable("street"), is_syllable("taiác")
    (True, True, False, False)
    """
    if len(token) > 7:
        return False
    low = token.lower()
    if low.isascii():
        return _ASCII_SYLLABLE.fullmatch(low) is not None
    if not SYLLABLE.fullmatch(low.translate(_UNTONE)):
        return False
    return tone_count(token) <= 1


_SPECIFIC_ANY_CASE = SPECIFIC | SPECIFIC_UPPER
_FIND_SPECIFIC = finder(_SPECIFIC_ANY_CASE)


def has_specific_letter(text: str) -> bool:
    """True when ``text`` has a letter only Vietnamese uses (ư, ơ, đ, ạ, ế ...).

    It runs on every block: ASCII text is answered at once, the rest by one scan.
    """
    return not text.isascii() and _FIND_SPECIFIC(text) is not None
