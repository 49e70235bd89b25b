"""Regex sources for things that are no words: web addresses and e-mail addresses.

One definition, bounded quantifiers (so a search can never go quadratic on a long run of
letters or dots), used by language detection, protected spans and HTML link text. The
segmenter has its own variants that must end at a top-level domain inside collapsed text.
"""

from __future__ import annotations

URL = r"(?:https?://|www\.)[^\s<>\"]{0,2000}[^\s<>\".,;:!?)\]]"
EMAIL = r"[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,5}"
