"""The one data model every stage shares: a Document with its Blocks, Segments and records.

Stages never mutate a Document; they return a new one (:func:`evolve`), so a stage is a pure
function ``Document -> Document`` and a pipeline is just function composition.

Offsets (``start``/``end``) are character offsets into ``Document.text``: the decoded and
repaired input for text pages, or the document text the HTML stage produced for HTML pages.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any, TypeVar

from cleaner.records import direct_init

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

ROLES = (
    "title",
    "heading",
    "body",
    "item",
    "caption",
    "sidebar",
    "quote",
    "table",
    "nav",
    "header",
    "footer",
    "comment",
    "form",
    "ad",
    "byline",
)

R = TypeVar("R", bound="DataclassInstance")
_FIELD_NAMES: dict[type, frozenset[str]] = {}


def evolve(record: R, **changes: Any) -> R:
    """A copy of ``record`` (a frozen record of this module) with ``changes``: ``dataclasses.replace``.

    ``replace`` looks up the fields and calls ``__init__``, whose frozen form sets each field
    through ``object.__setattr__``: 1.8 us a block against 0.7 us for copying the attributes,
    and a page makes a new block per stage. These records have no ``__post_init__`` and every
    field is an argument of ``__init__``, so the copy is the same object ``replace`` makes; a
    name that is no field is still a TypeError.
    """
    cls = type(record)
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = frozenset(f.name for f in fields(cls))
    if not names.issuperset(changes):
        raise TypeError(f"{cls.__name__} has no field {', '.join(sorted(set(changes) - names))}")
    new = object.__new__(cls)
    new.__dict__.update(record.__dict__, **changes)
    return new


@direct_init
@dataclass(frozen=True)
class Removal:
    """A piece of the input that no segment keeps, and why.

    ``stage`` and ``rule`` say what removed it; ``reason`` is the family (``boilerplate``,
    ``caption``, ``duplicate``, ``template``, ...). ``duplicate_of`` names the kept segment id
    a repeat was folded into.
    """

    text: str
    reason: str
    stage: str
    rule: str
    start: int
    end: int
    duplicate_of: str | None = None
    similarity: float | None = None

    def to_json(self) -> dict[str, Any]:
        """The record as written to ``S.removed.jsonl`` (optional fields only when set)."""
        out: dict[str, Any] = {
            "text": self.text,
            "reason": self.reason,
            "stage": self.stage,
            "rule": self.rule,
            "start": self.start,
            "end": self.end,
        }
        if self.duplicate_of is not None:
            out["duplicate_of"] = self.duplicate_of
        if self.similarity is not None:
            out["similarity"] = self.similarity
        return out


@direct_init
@dataclass(frozen=True)
class Edit:
    """A change made in place: ``before`` became the text at ``start:end``.

    For the decode stage, ``start``/``end`` are offsets into ``Document.text`` (the repaired
    text) and ``before`` is what the input had there. For later stages (whitespace repair) they
    are offsets into ``Document.text`` of the block that was changed, and ``after`` is the new
    text of that span.
    """

    stage: str
    rule: str
    start: int
    end: int
    before: str
    after: str

    def to_json(self) -> dict[str, Any]:
        """The record as written to ``S.removed.jsonl`` with reason ``repaired``."""
        return {
            "text": self.before,
            "reason": "repaired",
            "stage": self.stage,
            "rule": self.rule,
            "start": self.start,
            "end": self.end,
            "replacement": self.after,
        }


@direct_init
@dataclass(frozen=True)
class Block:
    """A paragraph-like unit: a line of scraped text or a block element of an HTML page.

    ``text`` starts as ``Document.text[start:end]`` and may later differ only by inserted
    spaces, whose positions in ``text`` are listed in ``inserts``, in ascending order (and
    recorded as Edits).
    """

    text: str
    role: str
    start: int
    end: int
    lang: str = "und"
    inserts: tuple[int, ...] = ()


@direct_init
@dataclass(frozen=True)
class Segment:
    """A sentence (or sentence-like unit) a translator gets, with a stable id."""

    id: str
    doc: str
    lang: str
    role: str
    text: str
    start: int
    end: int
    block: int
    near_duplicate_of: str | None = None
    similarity: float | None = None

    def to_json(self) -> dict[str, Any]:
        """The object written as one line of ``S.segments.jsonl``."""
        out: dict[str, Any] = {
            "id": self.id,
            "doc": self.doc,
            "lang": self.lang,
            "role": self.role,
            "text": self.text,
            "start": self.start,
            "end": self.end,
        }
        if self.near_duplicate_of is not None:
            out["near_duplicate_of"] = self.near_duplicate_of
            out["similarity"] = self.similarity
        return out


@dataclass(frozen=True)
class Document:
    """One page on its way through the stages.

    ``raw`` holds the input bytes until the decode stage turns them into ``text``; ``kind`` is
    ``"text"`` or ``"html"``. ``metadata`` carries url, title, author, published date, the
    encoding that was detected and whatever else stages learn about the page.
    """

    id: str
    source: str
    kind: str = "text"
    raw: bytes | None = None
    text: str = ""
    metadata: dict[str, Any] = field(default_factory=dict)
    main_lang: str = "und"
    blocks: tuple[Block, ...] = ()
    segments: tuple[Segment, ...] = ()
    removals: tuple[Removal, ...] = ()
    edits: tuple[Edit, ...] = ()

    def evolve(self, **changes: Any) -> Document:
        """A copy with ``changes`` applied: the only way stages produce a new Document."""
        return evolve(self, **changes)

    def with_metadata(self, **values: Any) -> Document:
        """A copy whose metadata has ``values`` added (existing keys are overwritten)."""
        return evolve(self, metadata={**self.metadata, **values})

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled as its fields' values, blocks' texts left out where they are the page's text.

        That is every block until whitespace repair inserts spaces (its text is the page's text
        at its offsets). A prepared page of the bench's corpus pickles to 21 KB instead of 40 KB,
        in 56 us instead of 73, and reads back in 83 us instead of 105; pass two reads the pages
        of a long run back from a spill file, compressed.
        """
        values = list(_document_values(self))
        text = self.text
        values[_BLOCKS] = tuple(
            (None if b.text == text[b.start : b.end] else b.text, b.role, b.start, b.end, b.lang, b.inserts)
            for b in self.blocks
        )
        return _document, tuple(values)


_DOCUMENT_FIELDS = tuple(f.name for f in fields(Document))
_document_values = operator.attrgetter(*_DOCUMENT_FIELDS)
_BLOCKS = _DOCUMENT_FIELDS.index("blocks")
if tuple(f.name for f in fields(Block)) != ("text", "role", "start", "end", "lang", "inserts"):
    raise TypeError("Document.__reduce__ and _document spell out Block's fields: update them")


def _document(*values: Any) -> Document:
    """The Document that :meth:`Document.__reduce__` pickled: blocks' texts cut from its text.

    Made as :func:`evolve` makes a copy: every field is given, so ``__init__`` (setting each
    through ``object.__setattr__``, the record being frozen) would add nothing.
    """
    named = dict(zip(_DOCUMENT_FIELDS, values, strict=True))
    text = named["text"]
    named["blocks"] = tuple(
        Block(text[start:end] if own is None else own, role, start, end, lang, inserts)
        for own, role, start, end, lang, inserts in named["blocks"]
    )
    doc = object.__new__(Document)
    doc.__dict__.update(named)
    return doc
