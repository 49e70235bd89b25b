"""Translation formats: valid against the OASIS schemas and the TMX DTD, readable by a real client."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lxml import etree

from cleaner.cli import main
from cleaner.document import Document
from cleaner.pipeline import Options, build_stages, run, run_batch
from conftest import ROOT, SAMPLES

SCHEMAS = ROOT.parent / "shared" / "schemas"
ALL_FORMATS = "jsonl,txt,xliff,xliff2,tmx,moses,aligned"


class _LocalXmlXsd(etree.Resolver):
    def resolve(self, url: str, pubid: str, context: object) -> object:
        if url.endswith("xml.xsd"):
            return self.resolve_filename(str(SCHEMAS / "xml.xsd"), context)
        return None


def schema(name: str) -> etree.XMLSchema:
    if not SCHEMAS.is_dir():
        pytest.skip("../shared/schemas is not beside this checkout")
    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(_LocalXmlXsd())
    return etree.XMLSchema(etree.parse(str(SCHEMAS / name), parser))


def segments(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def sample_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("formats")
    assert main(["run", str(SAMPLES), "--out", str(out), "--format", ALL_FORMATS]) == 0
    return out


def test_every_xliff_12_file_is_valid(sample_out: Path) -> None:
    xsd = schema("xliff-core-1.2-strict.xsd")
    files = sorted(p for p in sample_out.glob("*.xlf") if not p.name.endswith(".v2.xlf"))
    assert len(files) == 3  # 000: en; 003: en and vi
    for path in files:
        assert xsd.validate(etree.parse(str(path))), (path.name, xsd.error_log)


def test_every_xliff_21_file_is_valid(sample_out: Path) -> None:
    xsd = schema("xliff-core-2.0.xsd")
    files = sorted(sample_out.glob("*.v2.xlf"))
    assert len(files) == 3
    for path in files:
        tree = etree.parse(str(path))
        assert tree.getroot().get("version") == "2.1"
        assert xsd.validate(tree), (path.name, xsd.error_log)


def test_every_tmx_file_is_valid(sample_out: Path) -> None:
    if not SCHEMAS.is_dir():
        pytest.skip("../shared/schemas is not beside this checkout")
    dtd = etree.DTD(str(SCHEMAS / "tmx14.dtd"))
    files = sorted(sample_out.glob("*.tmx"))
    assert len(files) == 2
    for path in files:
        assert dtd.validate(etree.parse(str(path))), (path.name, dtd.error_log)


def test_translate_toolkit_reads_back_the_same_ids_and_texts(sample_out: Path) -> None:
    from translate.storage import tmx, xliff, xliff2

    for seg_file in sample_out.glob("*.segments.jsonl"):
        stem = seg_file.name.removesuffix(".segments.jsonl")
        segs = segments(seg_file)
        for lang in {s["lang"] for s in segs}:
            want = [(s["id"], s["text"]) for s in segs if s["lang"] == lang]
            v12 = xliff.xlifffile.parsefile(str(sample_out / f"{stem}.{lang}.xlf"))
            got = [(u.getid().split("\x04")[-1], u.source) for u in v12.units if u.getid()]
            assert got == want
            v2 = xliff2.Xliff2File.parsefile(str(sample_out / f"{stem}.{lang}.v2.xlf"))
            assert [(u.getid(), u.source) for u in v2.units] == want
        memory = tmx.tmxfile.parsefile(str(sample_out / f"{stem}.tmx"))
        texts = [u.getNodeText(node) for u in memory.units for node in u.getlanguageNodes()]
        assert sorted(texts) == sorted(s["text"] for s in segs)


def test_urls_emails_and_codes_are_protected(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text(
        "Bluezone is out\n\nReaders can download the app from https://www.bluezone.gov.vn or write to "
        "support@bluezone.vn, the Map4D team said on Monday.\n",
        encoding="utf-8",
    )
    assert main(["run", str(page), "--out", str(tmp_path / "out"), "--format", "xliff,xliff2"]) == 0
    v12 = (tmp_path / "out" / "page.en.xlf").read_text(encoding="utf-8")
    v2 = (tmp_path / "out" / "page.en.v2.xlf").read_text(encoding="utf-8")
    for protected in ("https://www.bluezone.gov.vn", "support@bluezone.vn", "Map4D"):
        assert f'<mrk mtype="protected">{protected}</mrk>' in v12
        assert f'translate="no">{protected}</mrk>' in v2
    assert xml_valid(v12, "xliff-core-1.2-strict.xsd") and xml_valid(v2, "xliff-core-2.0.xsd")


def xml_valid(text: str, name: str) -> bool:
    return schema(name).validate(etree.fromstring(text.encode("utf-8")))


BILINGUAL = """Vietnam opens its open data portal

The ministry launched the national open data portal on Monday.

Bộ đã ra mắt cổng dữ liệu mở quốc gia vào thứ Hai.

More than ten thousand data sets are already registered. Anyone can reuse them.

Hơn mười nghìn bộ dữ liệu đã được đăng ký. Bất kỳ ai cũng có thể sử dụng lại.

The portal will add provincial data next year.

Cổng sẽ bổ sung dữ liệu của các tỉnh vào năm tới.
"""


def test_a_bilingual_page_gives_aligned_pairs(tmp_path: Path) -> None:
    page = tmp_path / "bilingual.txt"
    page.write_text(BILINGUAL, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["run", str(page), "--out", str(out), "--format", ALL_FORMATS]) == 0
    records = segments(out / "bilingual.aligned.jsonl")
    assert len(records) == 4
    assert records[0]["translation"] == {
        "en": "The ministry launched the national open data portal on Monday.",
        "vi": "Bộ đã ra mắt cổng dữ liệu mở quốc gia vào thứ Hai.",
    }
    en = (out / "bilingual.en-vi.en").read_text(encoding="utf-8").splitlines()
    vi = (out / "bilingual.en-vi.vi").read_text(encoding="utf-8").splitlines()
    assert len(en) == len(vi) == 4 and vi[2] == "Bất kỳ ai cũng có thể sử dụng lại."
    tree = etree.parse(str(out / "bilingual.tmx"))
    pairs = [tu for tu in tree.iter("tu") if len(tu.findall("tuv")) == 2]
    assert len(pairs) == 4
    if SCHEMAS.is_dir():
        assert etree.DTD(str(SCHEMAS / "tmx14.dtd")).validate(tree)


def test_a_page_without_alternation_has_no_pairs(sample_out: Path) -> None:
    assert not list(sample_out.glob("*.aligned.jsonl"))
    assert not list(sample_out.glob("*.en-vi.*"))


def doc_from(text: str, name: str = "page") -> Document:
    return Document(id=name, source=f"{name}.txt", raw=text.encode("utf-8"))


def test_ids_are_stable_when_the_page_changes_elsewhere() -> None:
    base = (
        "Title line here\n\nThe ministry launched the portal on Monday.\n\nIt has ten thousand data sets.\n"
    )
    edited = base.replace("ten thousand", "twelve thousand") + "\nA new closing paragraph was added.\n"
    ids = {s.text: s.id for s in run(doc_from(base)).segments}
    ids2 = {s.text: s.id for s in run(doc_from("Advertisement-free intro.\n\n" + edited)).segments}
    sentence = "The ministry launched the portal on Monday."
    assert ids[sentence] == ids2[sentence]
    assert ids["It has ten thousand data sets."] != ids2["It has twelve thousand data sets."]


def test_real_repeats_get_distinct_ids_when_kept() -> None:
    text = "Headline\n\nSales rose by five percent this year.\n\nSales rose by five percent this year.\n"
    doc = run(doc_from(text), build_stages(Options(disabled=frozenset({"dedup"}))))
    ids = [s.id for s in doc.segments if s.text.startswith("Sales")]
    assert len(ids) == 2 and ids[1] == ids[0] + "-2"


def test_exact_repeats_across_a_batch_are_kept_once() -> None:
    shared = "The ministry will publish the full list of platforms every Friday."
    first = doc_from(f"First page\n\n{shared}\n\nOnly on the first page there is this line.\n", "a")
    second = doc_from(f"Second page\n\nOnly the second page says this.\n\n{shared}\n", "b")
    a, b = run_batch([first, second])
    assert isinstance(a, Document) and isinstance(b, Document)
    assert shared in [s.text for s in a.segments]
    assert shared not in [s.text for s in b.segments]
    (removal,) = [r for r in b.removals if r.text == shared]
    assert removal.reason == "duplicate" and removal.duplicate_of.startswith("a:")


def test_near_repeats_are_flagged_or_dropped() -> None:
    text = (
        "Headline\n\n"
        "The government aims to develop open technology with a focus on three pillars this year.\n\n"
        "Officials said the government aims to develop open technology with a focus on three pillars.\n\n"
        "Vietnam ranks 50th in the world in open-source applications, after Singapore.\n\n"
        "Vietnam ranks 20th in the world in open-source applications, after Singapore.\n"
    )
    flagged = run(doc_from(text))
    near = {s.text: s for s in flagged.segments if s.near_duplicate_of}
    assert set(near) == {
        "Officials said the government aims to develop open technology with a focus on three pillars.",
        "Vietnam ranks 20th in the world in open-source applications, after Singapore.",
    }
    assert all(0.7 <= s.similarity <= 1.0 for s in near.values())
    dropped = run(doc_from(text), build_stages(Options(drop_near_duplicates=True)))
    assert {r.text for r in dropped.removals if r.reason == "near-duplicate"} == set(near)
    assert not any(s.near_duplicate_of for s in dropped.segments)


def test_unknown_format_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", str(SAMPLES), "--out", str(tmp_path), "--format", "jsonl,docx"]) == 2
    assert "docx" in capsys.readouterr().err


def test_stats_counts_words_and_segments_per_language(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stats", str(SAMPLES), "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["pages"] == 2
    assert stats["languages"]["vi"]["segments"] == 14
    assert stats["languages"]["en"]["words"] > 4000
    assert stats["exact_repeats_removed"] == 7


def test_a_near_repeat_names_the_closest_earlier_segment_the_smallest_id_first() -> None:
    """Among earlier candidates the most similar wins, ties to the smallest id; an exact copy
    (similarity 1.0) wins over a closer id that is only similar."""
    from cleaner.stages.dedup import NearRepeatIndex, near_keys

    base = "the ministry will publish the new rules on open data for every province next month"
    similar = base.replace("next month", "this spring")  # most word pairs shared, not all
    index = NearRepeatIndex()
    assert index.match("a:1", similar) is None
    assert index.match("c:1", base) == (
        "a:1",
        round(len(near_keys(base) & near_keys(similar)) / len(near_keys(base) | near_keys(similar)), 3),
    )
    assert index.match("b:1", base) == ("c:1", 1.0)  # "a:1" sorts first but is only similar
    assert index.match("d:1", base) == ("b:1", 1.0)  # two copies: the smaller id
    strict = NearRepeatIndex(threshold=1.5)  # nothing can reach it: no repeat, even a copy
    assert strict.match("a:1", base) is None and strict.match("b:1", base) is None
