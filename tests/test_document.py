"""The records every stage shares: copies with changes are what ``dataclasses.replace`` makes."""

from __future__ import annotations

import dataclasses

import pytest

from cleaner.document import Block, Document, Segment, evolve
from cleaner.pipeline import build_stages, run
from cleaner.records import direct_init
from conftest import PAGE_000


def test_evolve_makes_what_replace_makes_for_every_record_of_a_real_page() -> None:
    doc = run(Document(id="p", source=PAGE_000.name, raw=PAGE_000.read_bytes()), build_stages())
    assert doc.blocks and doc.segments and doc.removals and doc.edits
    for block in doc.blocks:
        assert evolve(block, lang="vi", role="sidebar") == dataclasses.replace(
            block, lang="vi", role="sidebar"
        )
    for seg in doc.segments:
        changed = evolve(seg, near_duplicate_of="p:abc", similarity=0.9)
        assert changed == dataclasses.replace(seg, near_duplicate_of="p:abc", similarity=0.9)
        assert changed.to_json()["near_duplicate_of"] == "p:abc"
    assert evolve(doc, main_lang="vi") == dataclasses.replace(doc, main_lang="vi")
    assert evolve(doc.removals[0]) == doc.removals[0]


def test_evolve_leaves_the_original_alone_and_the_copy_frozen() -> None:
    block = Block("Theo dõi ICTVietnam trên", "body", 10, 34)
    copy = evolve(block, lang="vi")
    assert (block.lang, copy.lang) == ("und", "vi")
    assert copy.text is block.text and copy.start == 10
    with pytest.raises(dataclasses.FrozenInstanceError):
        copy.lang = "en"  # type: ignore[misc]
    assert hash(copy) == hash(Block("Theo dõi ICTVietnam trên", "body", 10, 34, "vi"))


def test_evolve_refuses_a_name_that_is_no_field() -> None:
    seg = Segment("p:1", "p", "en", "body", "It rained.", 0, 10, 0)
    with pytest.raises(TypeError, match="langauge"):
        evolve(seg, langauge="vi")


def test_the_direct_init_makes_what_the_dataclass_init_made() -> None:
    doc = run(Document(id="p", source=PAGE_000.name, raw=PAGE_000.read_bytes()), build_stages())
    for record in (*doc.blocks, *doc.segments, *doc.removals, *doc.edits):
        values = {f.name: getattr(record, f.name) for f in dataclasses.fields(record)}
        made = type(record)(**values)
        assert made == record and hash(made) == hash(record) and repr(made) == repr(record)
        assert type(record)(*values.values()) == record  # positional, in field order
    seg = Segment("p:1", "p", "en", "body", "It rained.", 0, 10, 0)
    assert (seg.near_duplicate_of, seg.similarity) == (None, None)  # the defaults
    with pytest.raises(dataclasses.FrozenInstanceError):
        seg.text = "It snowed."  # type: ignore[misc]
    with pytest.raises(TypeError, match="block"):
        Segment("p:1", "p", "en", "body", "It rained.", 0, 10)  # type: ignore[call-arg]


def test_direct_init_refuses_a_record_with_a_default_factory() -> None:
    @dataclasses.dataclass(frozen=True)
    class Holder:
        items: list[str] = dataclasses.field(default_factory=list)

    with pytest.raises(TypeError, match="plain fields"):
        direct_init(Holder)


def test_pages_and_records_come_back_from_pickling_as_they_went() -> None:
    """Pages at every stage (prepared, whitespace-repaired blocks that are no longer the page's
    text at their offsets, segments, removals, edits) pickle compactly and come back equal."""
    import pickle

    from cleaner.pipeline import Options, prepare_page

    raw = PAGE_000.read_bytes() + b"\n\nThedevelopmentofinformationand communication technology.\n"
    page = Document(id="p", source="p.txt", raw=raw, metadata={"url": "https://example.vn/a"})
    prepared = prepare_page(page, Options())
    done = run(page)
    assert isinstance(prepared, Document) and prepared.blocks
    repaired = [b for b in done.blocks if b.text != done.text[b.start : b.end]]
    assert repaired, "a block whose text whitespace repair changed"
    for doc in (prepared, done):
        back = pickle.loads(pickle.dumps(doc, pickle.HIGHEST_PROTOCOL))
        assert back == doc and type(back) is Document
        assert [b.text for b in back.blocks] == [b.text for b in doc.blocks]
    for record in (*done.segments, *done.removals, *done.edits, *done.blocks):
        assert pickle.loads(pickle.dumps(record)) == record
    # prepared blocks are the page's text at their offsets: their text is not pickled twice
    longest = max((b.text for b in prepared.blocks), key=len).encode()
    assert len(longest) > 500 and pickle.dumps(prepared).count(longest) == 1
