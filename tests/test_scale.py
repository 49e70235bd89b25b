"""JSONL and WARC inputs, sharded output, and the Dask engine on a local cluster."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest

from cleaner.cli import main
from cleaner.document import Document, Segment
from cleaner.sources import Fields, read_jsonl, record_stem
from conftest import PAGE_000, PAGE_003


def pages_jsonl(path: Path, count: int = 4, text_field: str = "text") -> list[dict[str, str]]:
    records = []
    for i in range(count):
        page = (
            (PAGE_000 if i % 2 == 0 else PAGE_003).read_text(encoding="utf-8").replace("2020", str(2010 + i))
        )
        records.append(
            {"id": f"site/page {i}", "url": f"https://ictvietnam.vn/news/{i}.html", text_field: page}
        )
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "wt", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return records


def test_jsonl_records_are_pages_with_safe_stems(tmp_path: Path) -> None:
    source = tmp_path / "crawl.jsonl.gz"
    pages_jsonl(source)
    with gzip.open(source, "at", encoding="utf-8") as handle:
        handle.write("{broken\n")
        handle.write(json.dumps({"id": "no-body"}) + "\n")
        handle.write(
            json.dumps({"html": "<html><body><p>An HTML record, with text enough.</p></body></html>"}) + "\n"
        )
    out = tmp_path / "out"
    assert main(["run", str(source), "--out", str(out)]) == 1  # two bad records
    names = {p.name for p in out.iterdir()}
    assert {"site_page_0.segments.jsonl", "site_page_1.vi.txt", "crawl-000007.segments.jsonl"} <= names
    first = [
        json.loads(line)
        for line in (out / "site_page_0.segments.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    assert first and first[0]["doc"] == "site_page_0"


def test_jsonl_field_names_are_configurable(tmp_path: Path) -> None:
    source = tmp_path / "crawl.jsonl"
    pages_jsonl(source, 2, text_field="content")
    docs = list(read_jsonl(source, Fields(text="content")))
    assert len(docs) == 2 and all(d.kind == "text" and d.metadata["url"].startswith("https://") for d in docs)
    (tmp_path / "pyproject.toml").write_text(
        '[tool.cleaner]\njsonl-fields = {text = "content"}\n', encoding="utf-8"
    )
    assert (
        main(
            ["run", str(source), "--out", str(tmp_path / "out"), "--config", str(tmp_path / "pyproject.toml")]
        )
        == 0
    )


def test_record_stems_are_safe() -> None:
    assert record_stem("../../etc/passwd", None, "x") == "etc_passwd"
    assert record_stem(None, "https://a.vn/" + "x" * 300, "x").startswith("a.vn_x")
    assert len(record_stem(None, "https://a.vn/" + "x" * 300, "x")) <= 91
    assert record_stem(None, None, "fallback") == "fallback"


def make_warc(path: Path) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=path.name.endswith(".gz"))
        for i, page in enumerate([PAGE_000, PAGE_003]):
            body = (
                "<html><body><article>"
                + "".join(
                    f"<p>{para}</p>"
                    for para in page.read_text(encoding="utf-8").split("\n\n")
                    if para.strip()
                )
                + "</article></body></html>"
            )
            headers = StatusAndHeaders(
                "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
            )
            record = writer.create_warc_record(
                f"https://example.vn/story/{i}.html",
                "response",
                payload=io.BytesIO(body.encode("utf-8")),
                http_headers=headers,
            )
            writer.write_record(record)
        image = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
        writer.write_record(
            writer.create_warc_record(
                "https://example.vn/x.png", "response", payload=io.BytesIO(b"\x89PNG"), http_headers=image
            )
        )


def test_warc_html_responses_are_pages(tmp_path: Path) -> None:
    pytest.importorskip("warcio")
    source = tmp_path / "crawl.warc.gz"
    make_warc(source)
    out = tmp_path / "out"
    assert main(["run", str(source), "--out", str(out)]) == 0
    stems = sorted({p.name.split(".segments")[0] for p in out.glob("*.segments.jsonl")})
    assert stems == ["example.vn_story_0.html", "example.vn_story_1.html"]
    vi = (out / "example.vn_story_1.html.vi.txt").read_text(encoding="utf-8")
    assert "5 lý do để tăng cường bảo mật mạng" in vi


def test_sharded_output_holds_every_page(tmp_path: Path) -> None:
    source = tmp_path / "crawl.jsonl"
    pages_jsonl(source, 5)
    out = tmp_path / "out"
    assert main(["run", str(source), "--out", str(out), "--shard-size", "2"]) == 0
    assert sorted(p.name for p in out.iterdir()) == [
        f"{k}-{n:05d}.jsonl" for k in ("removed", "segments") for n in range(3)
    ]
    docs = {
        json.loads(line)["doc"]
        for p in out.glob("segments-*.jsonl")
        for line in p.read_text(encoding="utf-8").splitlines()
    }
    assert docs == {f"site_page_{i}" for i in range(5)}
    removed = [
        json.loads(line) for line in (out / "removed-00000.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    assert removed and all("doc" in r for r in removed)


def test_dask_engine_gives_the_same_bytes_as_a_local_run(tmp_path: Path) -> None:
    pytest.importorskip("dask.distributed")
    source = tmp_path / "crawl.jsonl"
    pages_jsonl(source, 6)
    assert main(["run", str(source), str(PAGE_003), "--out", str(tmp_path / "local")]) == 0
    assert (
        main(
            [
                "run",
                str(source),
                str(PAGE_003),
                "--out",
                str(tmp_path / "dask"),
                "--engine",
                "dask",
                "-j",
                "2",
            ]
        )
        == 0
    )
    local = {p.name: p.read_bytes() for p in (tmp_path / "local").iterdir()}
    dask = {p.name: p.read_bytes() for p in (tmp_path / "dask").iterdir()}
    assert local == dask and len(local) > 10


@pytest.mark.parametrize(
    ("keep_chars", "trouble"),
    [(10**9, None), (0, None), (40_000, None), (40_000, "write"), (0, "read")],
    ids=["in-memory", "all-spilled", "memory-then-file", "disk-full", "file-unreadable"],
)
def test_pages_kept_from_pass_one_or_read_again_give_the_same_result(
    keep_chars: int, trouble: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pass two's pages come from memory, the spill file or the input again: the same result."""
    import zlib

    from cleaner import pipeline, spill
    from cleaner.document import Document

    texts = [PAGE_000 if i % 2 == 0 else PAGE_003 for i in range(6)]
    docs: list[Document] = [
        Document(
            id=f"p{i}",
            source=f"p{i}",
            raw=path.read_bytes().replace(b"2020", str(2010 + i).encode()),
            metadata={"url": f"https://ictvietnam.vn/news/{i}.html"},
        )
        for i, path in enumerate(texts)
    ]
    docs.insert(3, Document(id="bad", source="bad.txt", raw=bytes(range(256)) * 8))
    with monkeypatch.context() as patch:  # nothing kept: every page decoded twice
        patch.setattr(spill.SpillStore, "add", lambda self, item, chars: setattr(self, "full", True))
        expected = list(pipeline.run_batch(docs))
    assert any(isinstance(r, pipeline.Failure) for r in expected)
    assert any(r.reason == "template" for r in expected if isinstance(r, Document) for r in r.removals)
    monkeypatch.setattr(pipeline, "KEEP_PREPARED_CHARS", keep_chars)
    if trouble == "write":

        def no_space(*args: object, **kwargs: object) -> None:
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(spill, "_temporary_file", no_space)
    if trouble == "read":
        calls = iter(range(100))
        real = zlib.decompress

        def fails_third(blob: bytes) -> bytes:
            if next(calls) == 2:
                raise zlib.error("damaged")
            return real(blob)

        monkeypatch.setattr(spill.zlib, "decompress", fails_third)
    assert list(pipeline.run_batch(docs)) == expected


def test_fingerprints_cross_process_boundaries_unchanged() -> None:
    """Fingerprints pickle compactly (near keys as a sorted 32-bit array) and come back equal."""
    import array
    import pickle

    from cleaner.stages.dedup import Fingerprint, fingerprints, near_keys

    text = "Bộ Thông tin và Truyền thông said the national digital programme reached 63 provinces."
    keys = near_keys(text)
    assert keys and max(keys) < 2**32
    doc = Document(id="d", source="d", segments=(Segment("d:1", "d", "en", "body", text, 0, len(text), 0),))
    (fingerprint,) = fingerprints(doc).values()
    assert list(fingerprint.near) == sorted(keys) and fingerprint.sketch == tuple(sorted(keys)[:4])
    for print_ in (fingerprint, Fingerprint(8, array.array("I"), ())):
        assert pickle.loads(pickle.dumps(print_)) == print_


def test_a_pages_fingerprints_travel_packed_and_come_back_equal() -> None:
    """A real page's fingerprints pickle as a few arrays, not as objects made for each segment."""
    import pickle
    import pickletools

    from cleaner.pipeline import run
    from cleaner.stages.dedup import fingerprints

    doc = run(Document(id="p", source="p.txt", raw=PAGE_003.read_bytes()))
    prints = fingerprints(doc)
    assert len(prints) == len(doc.segments) > 10
    back = pickle.loads(pickle.dumps(prints))
    assert dict(back) == dict(prints) and list(back) == [seg.id for seg in doc.segments]

    def objects_built(value: object) -> int:
        ops = pickletools.genops(pickle.dumps(value, pickle.HIGHEST_PROTOCOL))
        return sum(op.name in {"REDUCE", "NEWOBJ", "BUILD"} for op, _, _ in ops)

    assert objects_built(prints) <= 4  # the mapping and its three arrays
    assert objects_built(dict(prints)) > 2 * len(prints)


def _page(doc_id: str, *sentences: str) -> Document:
    text = " ".join(sentences)
    segments, start = [], 0
    for n, sentence in enumerate(sentences):
        segments.append(
            Segment(f"{doc_id}:{n}", doc_id, "en", "body", sentence, start, start + len(sentence), 0)
        )
        start += len(sentence) + 1
    return Document(id=doc_id, source=doc_id, text=text, segments=tuple(segments))


REPEATED = "The ministry said the national digital programme reached every province this year."
OTHER = "Officials expect broadband coverage in the northern mountain districts to double soon."


def test_exact_repeats_get_no_near_keys() -> None:
    """A segment repeated in the page, or met on an earlier page, is dropped by dedup: no keys."""
    from cleaner.stages.dedup import fingerprints, near_keys

    page = _page("d", REPEATED, OTHER, REPEATED)
    prints = fingerprints(page)
    assert list(prints["d:0"].near) == sorted(near_keys(REPEATED)) and prints["d:0"].sketch
    assert not prints["d:2"].near and not prints["d:2"].sketch  # the repeat within the page
    met = {prints["d:1"].key}
    later = fingerprints(_page("e", OTHER, REPEATED), earlier=met.__contains__)
    assert not later["e:0"].near and list(later["e:1"].near) == sorted(near_keys(REPEATED))


def test_keys_met_count_only_for_earlier_pages_of_the_same_batch() -> None:
    """Pages reach a process out of order: only a key met at an earlier position skips keys."""
    from cleaner.pipeline import Options, process_and_fingerprint

    def near_keys_of(position: int, batch: str | None) -> int:
        page = Document(id=f"p{position}", source=f"p{position}.txt", raw=REPEATED.encode())
        _, prints = process_and_fingerprint((position, page), Options(), {}, batch)
        assert prints is not None and len(prints) == 1
        return len(next(iter(prints.values())).near)

    assert near_keys_of(5, "batch-1")
    assert near_keys_of(2, "batch-1")  # page 2 comes before page 5: not a repeat
    assert not near_keys_of(9, "batch-1")  # after pages 2 and 5: an exact repeat
    assert not near_keys_of(3, "batch-1")  # after page 2
    assert near_keys_of(9, "batch-2")  # another batch knows nothing of the first
    assert near_keys_of(1, None) and near_keys_of(7, None)  # no batch: nothing remembered


def test_skipping_exact_repeats_leaves_the_output_as_it_was(monkeypatch: pytest.MonkeyPatch) -> None:
    """With and without the keys each process met, the batch's output is the same."""
    from cleaner import pipeline

    pages = [PAGE_000, PAGE_003] * 3
    docs = [
        Document(id=f"p{i}", source=f"p{i}", raw=path.read_bytes().replace(b"2020", str(2010 + i).encode()))
        for i, path in enumerate(pages)
    ]
    skipping = list(pipeline.run_batch(docs, pipeline.Options(drop_near_duplicates=False)))
    monkeypatch.setattr(pipeline, "_met_in", lambda batch: {})  # nothing remembered: every key computed
    computing = list(pipeline.run_batch(docs, pipeline.Options(drop_near_duplicates=False)))
    assert skipping == computing
    removals = [r for doc in skipping if isinstance(doc, Document) for r in doc.removals]
    assert sum(r.reason == "duplicate" for r in removals) > 50  # the repeats were there to skip
    assert any(seg.near_duplicate_of for doc in skipping if isinstance(doc, Document) for seg in doc.segments)
