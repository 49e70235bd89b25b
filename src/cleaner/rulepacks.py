"""Site rule packs: TOML data files that say which lines are a site's chrome.

A pack has a ``[pack]`` table (``id``, optional ``domains`` and ``markers``) and ``[[rule]]``
entries. A pack without domains or markers applies to every page; otherwise it applies when
the page's URL is on one of its domains or one of its marker patterns matches a whole line.
See ``docs/rule-packs.md`` for the format.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import regex

from cleaner import regexcache, tomlfile
from cleaner.errors import UsageError
from cleaner.lexicon import cached

WHERE = ("anywhere", "top", "bottom", "edges")
ACTIONS = ("remove", "metadata")
MAX_RULE_CHARS = 3_000  # no site chrome line is longer
MATCH_TIMEOUT = 0.25  # seconds a user rule or marker may spend on one line before it is skipped
_RULE_KEYS = {
    "id",
    "reason",
    "pattern",
    "literal",
    "where",
    "window",
    "max_words",
    "action",
    "role",
    "contains",
}
_PACK_KEYS = {"id", "description", "domains", "markers"}


@dataclass(frozen=True)
class Rule:
    """One line pattern: what it matches, where on the page, and what happens to the line."""

    id: str
    reason: str
    pattern: regex.Pattern[str]
    where: str = "anywhere"
    window: int = 8
    max_words: int = 0
    action: str = "remove"
    timeout: float | None = MATCH_TIMEOUT  # None for the built-in packs, whose patterns we vet
    contains: tuple[str, ...] = ()  # case-folded; the pattern is tried only on lines with one

    def match_at(self, line: str, words: int, index: int, total: int) -> regex.Match[str] | None:
        """The rule's full-line match on ``line`` (``words`` words, block ``index`` of ``total``).

        None where the rule does not act, or on a regex timeout. The cheap tests come first:
        the word limit, the place on the page, the line's length (lines longer than
        ``MAX_RULE_CHARS`` are never chrome and are not matched at all), and the words of
        ``contains``, one of which the line must hold (a pattern that may match anywhere in a
        line, such as a cookie notice's, costs a scan of the whole line).
        """
        if self.where != "anywhere" and not self.applies_at(index, total):
            return None
        return self.match_line(line, words)

    def match_line(self, line: str, words: int) -> regex.Match[str] | None:
        """:meth:`match_at` wherever the line stands on the page: the tests that need the line only.

        Its answer depends on the line alone, so a caller may remember it for lines that recur.
        """
        if self.max_words and words > self.max_words:
            return None
        if len(line) > MAX_RULE_CHARS:
            return None
        if self.contains:
            folded = line.casefold()
            if not any(word in folded for word in self.contains):
                return None
        return _fullmatch(self.pattern, line, self.timeout)

    def applies_at(self, index: int, total: int) -> bool:
        """Whether a block at ``index`` of ``total`` lies where this rule may act."""
        if self.where == "anywhere":
            return True
        top = index < self.window
        bottom = index >= total - self.window
        if self.where == "top":
            return top
        if self.where == "bottom":
            return bottom
        return top or bottom  # edges


@dataclass(frozen=True)
class Pack:
    """A named list of rules and how to recognise the pages it is for."""

    id: str
    rules: tuple[Rule, ...]
    domains: tuple[str, ...] = ()
    markers: tuple[regex.Pattern[str], ...] = ()
    source: str = ""
    timeout: float | None = MATCH_TIMEOUT  # for its markers; None for a built-in pack

    def applies_to(self, url: str | None, lines: Sequence[str]) -> bool:
        """True for a generic pack, a page on one of its domains, or one showing a marker."""
        if not self.domains and not self.markers:
            return True
        if url and any(_on_domain(url, domain) for domain in self.domains):
            return True
        return any(
            _fullmatch(marker, line.strip(), self.timeout) for marker in self.markers for line in lines
        )


def _fullmatch(pattern: regex.Pattern[str], line: str, timeout: float | None) -> regex.Match[str] | None:
    """``pattern``'s full match on ``line``; None on no match or once ``timeout`` seconds pass.

    The timeout guards against a user's pattern that backtracks without end. It costs about
    1.5 us a call (as much as a typical match), so the built-in packs, whose patterns have
    bounded quantifiers and are run on hostile input by ``bench/hostile.py``, go without.
    """
    if timeout is None:
        return pattern.fullmatch(line)
    try:
        return pattern.fullmatch(line, timeout=timeout)
    except TimeoutError:
        return None


_SCHEME = regexcache.compile(r"^[a-z][a-z0-9+.-]*://")


def _on_domain(url: str, domain: str) -> bool:
    host = _SCHEME.sub("", url.lower()).split("/", 1)[0].split(":", 1)[0]
    return host == domain or host.endswith("." + domain)


def _compile(text: str, where: str) -> regex.Pattern[str]:
    try:
        return regexcache.compile(text, regex.IGNORECASE)
    except regex.error as exc:
        raise UsageError(f"{where}: bad pattern {text!r}: {exc}") from None


def parse_pack(data: dict[str, object], source: str, builtin: bool = False) -> Pack:
    """Build a Pack from parsed TOML, raising UsageError naming ``source`` for any mistake.

    A user's pack (not ``builtin``) has every pattern run under ``MATCH_TIMEOUT``.
    """
    meta = data.get("pack")
    if not isinstance(meta, dict) or not isinstance(meta.get("id"), str):
        raise UsageError(f"{source}: a rule pack needs a [pack] table with an id")
    unknown = set(meta) - _PACK_KEYS
    if unknown:
        raise UsageError(f"{source}: unknown key(s) in [pack]: {', '.join(sorted(unknown))}")
    rules = []
    raw_rules = data.get("rule", [])
    if not isinstance(raw_rules, list):
        raise UsageError(f"{source}: 'rule' must be an array of tables ([[rule]])")
    for i, raw in enumerate(raw_rules):
        rules.append(_parse_rule(raw, f"{source}: rule {i + 1}", None if builtin else MATCH_TIMEOUT))
    markers = tuple(_compile(m, f"{source}: marker") for m in _strings(meta.get("markers", []), source))
    domains = tuple(d.lower() for d in _strings(meta.get("domains", []), source))
    return Pack(meta["id"], tuple(rules), domains, markers, source, None if builtin else MATCH_TIMEOUT)


def _strings(value: object, source: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise UsageError(f"{source}: domains and markers must be lists of strings")
    return value


def _parse_rule(raw: object, where: str, timeout: float | None) -> Rule:
    if not isinstance(raw, dict):
        raise UsageError(f"{where}: must be a table")
    unknown = set(raw) - _RULE_KEYS
    if unknown:
        raise UsageError(f"{where}: unknown key(s): {', '.join(sorted(unknown))}")
    if not isinstance(raw.get("id"), str) or not isinstance(raw.get("reason"), str):
        raise UsageError(f"{where}: needs string 'id' and 'reason'")
    if ("pattern" in raw) == ("literal" in raw):
        raise UsageError(f"{where} ({raw['id']}): give exactly one of 'pattern' and 'literal'")
    text = raw.get("pattern")
    if text is None:
        text = regex.escape(str(raw["literal"]))
    if not isinstance(text, str):
        raise UsageError(f"{where} ({raw['id']}): pattern must be a string")
    place = raw.get("where", "anywhere")
    action = raw.get("action", "remove")
    window = raw.get("window", 8)
    max_words = raw.get("max_words", 0)
    if place not in WHERE:
        raise UsageError(f"{where} ({raw['id']}): where must be one of {', '.join(WHERE)}")
    if action not in ACTIONS:
        raise UsageError(f"{where} ({raw['id']}): action must be one of {', '.join(ACTIONS)}")
    if not isinstance(window, int) or not isinstance(max_words, int) or window < 1 or max_words < 0:
        raise UsageError(f"{where} ({raw['id']}): window and max_words must be whole numbers")
    contains = raw.get("contains", [])
    if not isinstance(contains, list) or not all(isinstance(w, str) and w.strip() for w in contains):
        raise UsageError(f"{where} ({raw['id']}): contains must be a list of words")
    return Rule(
        raw["id"],
        raw["reason"],
        _compile(text, where),
        place,
        window,
        max_words,
        action,
        timeout,
        tuple(w.casefold() for w in contains),
    )


def load_pack_file(path: Path) -> Pack:
    """Read and check one ``.toml`` rule pack."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: cannot read rule pack: {exc}") from None
    try:
        data = tomlfile.loads(text)
    except ValueError as exc:
        raise UsageError(f"{path}: not valid TOML: {exc}") from None
    return parse_pack(data, str(path))


@functools.lru_cache(maxsize=1)
def builtin_packs() -> tuple[Pack, ...]:
    """The packs shipped in ``cleaner/rules``: generic first, then sites by name."""
    folder = Path(__file__).parent / "rules"  # not importlib.resources: 4 ms to import, for a folder
    names = sorted(p.name for p in folder.iterdir() if p.name.endswith(".toml"))
    names.sort(key=lambda name: name != "generic.toml")
    texts = [(folder / name).read_text(encoding="utf-8") for name in names]
    tables = _builtin_tables(texts)
    return tuple(
        parse_pack(table, f"cleaner/rules/{name}", builtin=True)
        for name, table in zip(names, tables, strict=True)
    )


def _builtin_tables(texts: list[str]) -> list[dict[str, Any]]:
    """The TOML tables of the built-in packs, from the disk cache (as JSON) when it has these texts.

    Parsing them took 1 ms of every start and importing the TOML reader 3 ms more; reading
    the JSON back takes a tenth of that. The texts are the cache key, so an edited pack is
    parsed anew.
    """

    def parse() -> list[dict[str, Any]]:
        return [tomlfile.loads(text) for text in texts]

    def load(blob: bytes) -> list[dict[str, Any]]:
        tables = json.loads(blob)
        if not (isinstance(tables, list) and len(tables) == len(texts)):
            raise ValueError("not the built-in packs' tables")
        return tables

    return cached("rulepacks", parse, lambda tables: json.dumps(tables).encode(), load, "\0".join(texts))


def load_packs(folders: Iterable[str | Path] = ()) -> tuple[Pack, ...]:
    """Built-in packs followed by every ``*.toml`` pack in ``folders`` (sorted by name)."""
    packs = list(builtin_packs())
    for folder in folders:
        path = Path(folder)
        if not path.is_dir():
            raise UsageError(f"{path}: rule-pack folder does not exist")
        packs.extend(load_pack_file(p) for p in sorted(path.glob("*.toml")))
    return tuple(packs)
