"""What Vietnamese text looks like: its letters and the shape of its syllables.

Shared by the decoder (which legacy encoding gives plausible text), the language detector
(Vietnamese with and without diacritics) and whitespace repair (syllable boundaries).
"""

from __future__ import annotations

import functools
import unicodedata

import regex

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

_ONSET = r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|b|c|d|đ|g|h|k|l|m|n|p|r|s|t|v|x)?"
_VOWEL_CLASS = "[" + "".join(sorted(VOWELS)) + "]"
_CODA = r"(?:ch|ng|nh|c|m|n|p|t)?"
SYLLABLE = regex.compile(rf"{_ONSET}{_VOWEL_CLASS}{{1,3}}{_CODA}", regex.IGNORECASE)
_TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")


def tone_count(syllable: str) -> int:
    """How many tone marks a syllable carries (a real syllable has at most one)."""
    return sum(1 for c in unicodedata.normalize("NFD", syllable) if c in _TONE_MARKS)


@functools.lru_cache(maxsize=65536)
def is_syllable(token: str) -> bool:
    """True when ``token`` has the shape of one Vietnamese syllable.

    >>> is_syllable("Nguyễn"), is_syllable("nghiêng"), is_syllable("street")
    (True, True, False)
    """
    if len(token) > 7 or not SYLLABLE.fullmatch(token):
        return False
    return tone_count(token) <= 1


def has_specific_letter(text: str) -> bool:
    """True when ``text`` has a letter only Vietnamese uses (ư, ơ, đ, ạ, ế ...)."""
    return any(c in SPECIFIC or c in SPECIFIC_UPPER for c in text)
