"""Site boilerplate: drop chrome lines, keep every content line, record why each line went.

Three sources of knowledge, applied to each block in order, first match wins:
1. rule packs (``cleaner/rules/*.toml`` and the user's folders): whole-line patterns with a
   place on the page (top, bottom, edges, anywhere) and a word limit that protects content;
2. structure: navigation bars (several short items between ``|``, ``»``, ``>``) and the page
   title repeated at the bottom by a "don't miss" widget;
3. templates learnt from a batch: lines that recur across many pages of one site.
Byline and date lines leave the text but fill ``metadata`` (author, published as ISO 8601).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Collection, Sequence

import regex

from cleaner import regexcache
from cleaner.document import Block, Document, Removal
from cleaner.rulepacks import Pack, Rule, load_packs
from cleaner.stages.segment import normalize_for_id, text_key
from cleaner.textcache import short_text_cache
from cleaner.wordcount import more_words_than, squeeze

STAGE = "boilerplate"
_NAV_SPLIT = regexcache.compile(r"\s*[|»›]\s*|\s+[>/·•–-]\s+")
_NAV_MARKS = "|»›>/·•–-"  # every separator _NAV_SPLIT splits at has one of these
NAV_MAX_WORDS = 30  # a longer line is no navigation bar
# A site's template is learnt from its lines of at most this many words (cleaner.pipeline), so
# a longer line is never looked up: its key (normalising a whole paragraph, each time, as long
# paragraphs are not cached) could only match by a collision of 64-bit keys.
TEMPLATE_MAX_WORDS = 40
_SENTENCE_END = regexcache.compile(r"[.!?]\s+\p{Lu}")
_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ]
    )
    for m in names
}
_NUMERIC_DATE = regexcache.compile(r"(\d{1,4})[-/.](\d{1,2})[-/.](\d{1,4})")
_WORD_DATE = regexcache.compile(r"(?i)(?:(\d{1,2}) )?([a-z]+)\.? (\d{1,2})?,? ?(\d{4})")
_TIME = regexcache.compile(r"(\d{1,2}):(\d{2})")


def is_nav_bar(text: str) -> bool:
    """True for a line of three or more short link-like items between separators.

    >>> is_nav_bar("Home | News | Business | Technology"), is_nav_bar("PV| 31/12/2020 09:37")
    (True, False)
    """
    if len(text) > 500 or not any(mark in text for mark in _NAV_MARKS):
        return False  # too long, or nothing to split at: not three items
    items = [item for item in _NAV_SPLIT.split(text) if item.strip()]
    if len(items) < 3 or more_words_than(text, NAV_MAX_WORDS) or _SENTENCE_END.search(text):
        return False
    return all(not more_words_than(item, 4) and not item.rstrip().endswith((".", "?", "!")) for item in items)


def parse_date(date: str, time: str | None = None) -> str | None:
    """An ISO 8601 date (with time when given) from the date formats bylines use.

    Numeric dates are read day first (31/12/2020), as Vietnamese and most non-US sites write
    them, unless the second number cannot be a month (12/31/2020) or the first is a year.

    >>> parse_date("31/12/2020", "09:37"), parse_date("22-11-2021"), parse_date("Nov 10, 2020")
    ('2020-12-31T09:37', '2021-11-22', '2020-11-10')
    """
    day = month = year = 0
    numeric = _NUMERIC_DATE.fullmatch(date.strip())
    if numeric:
        a, b, c = (int(x) for x in numeric.groups())
        if a > 31:
            year, month, day = a, b, c
        elif b > 12 and a <= 12:
            month, day, year = a, b, c
        else:
            day, month, year = a, b, c
    else:
        words = _WORD_DATE.fullmatch(date.strip())
        if not words:
            return None
        month = _MONTHS.get(words.group(2).lower(), 0)
        day = int(words.group(1) or words.group(3) or 0)
        year = int(words.group(4))
    if not (1 <= month <= 12 and 1 <= day <= 31 and 1000 <= year <= 9999):
        return None
    iso = f"{year:04d}-{month:02d}-{day:02d}"
    clock = _TIME.fullmatch(time.strip()) if time else None
    if clock and int(clock.group(1)) < 24 and int(clock.group(2)) < 60:
        iso += f"T{int(clock.group(1)):02d}:{clock.group(2)}"
    return iso


def _byline_metadata(match: regex.Match[str]) -> dict[str, str]:
    groups = {k: v for k, v in match.groupdict().items() if v}
    found: dict[str, str] = {}
    if "author" in groups:
        found["author"] = groups["author"].strip()
    if "date" in groups:
        published = parse_date(groups["date"], groups.get("time") or groups.get("time2"))
        if published:
            found["published"] = published
    return found


Verdict = tuple[str, str, dict[str, str]]  # (reason, rule id, metadata learnt)


class RuleSet:
    """A page's active rules, in order, equal to another set holding the very same rules.

    It is the cache key of :func:`_line_matches`: pages of one site share their rules, so a
    line that recurs from page to page is matched against them once. A cached key keeps its
    rules alive, so the identities it compares cannot be reused by other rules meanwhile.
    """

    __slots__ = ("_hash", "_ids", "rules")

    def __init__(self, rules: Sequence[tuple[str, Rule]]) -> None:
        self.rules = tuple(rules)
        self._ids = tuple((pack_id, id(rule)) for pack_id, rule in self.rules)
        self._hash = hash(self._ids)  # asked once per block: worked out once per page

    def __hash__(self) -> int:
        return self._hash

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RuleSet) and self._ids == other._ids


@short_text_cache(maxsize=16384)
def _line_matches(line: str, words: int, rule_set: RuleSet) -> tuple[tuple[int, regex.Match[str]], ...]:
    """(position in the set, match) of every rule whose pattern takes ``line``, wherever it stands."""
    found = []
    for k, (_pack_id, rule) in enumerate(rule_set.rules):
        match = rule.match_line(line, words)
        if match:
            found.append((k, match))
    return tuple(found)


def judge_block(
    text: str,
    index: int,
    total: int,
    rules: Sequence[tuple[str, Rule]] | RuleSet,
    title: str | None,
    templates: Collection[int],
) -> Verdict | None:
    """Why the block at ``index`` is boilerplate, or None to keep it (the first rule that acts wins)."""
    line = squeeze(text)  # a block joined from wrapped lines is judged as one line
    words = line.count(" ") + 1 if line else 0
    rule_set = rules if isinstance(rules, RuleSet) else RuleSet(rules)
    for k, match in _line_matches(line, words, rule_set):
        pack_id, rule = rule_set.rules[k]
        if rule.applies_at(index, total):
            meta = _byline_metadata(match) if rule.action == "metadata" else {}
            return rule.reason, f"{pack_id}/{rule.id}", meta
    if words <= NAV_MAX_WORDS and is_nav_bar(line):  # the word count is at hand: the cheap test first
        return "nav", "structure/nav-bar", {}
    if (
        title is not None
        and index > 0
        and index >= total - 4
        and normalize_for_id(line) == normalize_for_id(title)
    ):
        return "repeated-title", "structure/repeated-title", {}
    if templates and words <= TEMPLATE_MAX_WORDS and text_key(line) in templates:
        return "template", "batch/template", {}
    return None


def strip_boilerplate(
    doc: Document, packs: Sequence[Pack] | None = None, templates: Collection[int] = ()
) -> Document:
    """The boilerplate stage: remove chrome blocks, recording each with its rule."""
    if packs is None:
        packs = load_packs()
    lines = [b.text for b in doc.blocks]
    active = [p for p in packs if p.applies_to(doc.metadata.get("url"), lines)]
    rules = RuleSet([(pack.id, rule) for pack in active for rule in pack.rules])
    title = next((b.text for b in doc.blocks[:1] if b.role == "title"), None)
    kept: list[Block] = []
    removals: list[Removal] = []
    metadata: dict[str, str] = {}
    total = len(doc.blocks)
    for index, block in enumerate(doc.blocks):
        verdict = judge_block(block.text, index, total, rules, title, templates)
        if verdict is None:
            kept.append(block)
            continue
        reason, rule_id, learnt = verdict
        for key, value in learnt.items():
            metadata.setdefault(key, value)
        removals.append(Removal(block.text, reason, STAGE, rule_id, block.start, block.end))
    packs_used = [p.id for p in active]
    out = doc.evolve(blocks=tuple(kept), removals=doc.removals + tuple(removals))
    return out.with_metadata(
        **{k: v for k, v in metadata.items() if k not in doc.metadata}, rule_packs=packs_used
    )


def boilerplate_stage(
    folders: Sequence[str] = (), templates: Collection[int] = ()
) -> Callable[[Document], Document]:
    """A boilerplate stage bound to the built-in packs plus those in ``folders``."""
    packs = load_packs(folders)
    return functools.partial(strip_boilerplate, packs=packs, templates=templates)
