"""The output contract and the CLI on the two sample pages and on bad input."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cleaner.cli import main
from conftest import PAGE_000, PAGE_003, SAMPLES

SEGMENT_KEYS = {"id", "doc", "lang", "role", "text", "start", "end"}
REMOVAL_KEYS = {"text", "reason", "stage", "start", "end"}
TEASER_TITLES = [
    "Báo chí quốc tế viết gì về Triển lãm Quốc phòng quốc tế Việt Nam 2024?",
    "“AI như là một chiếc gương đen”",
    "Chất lượng thông tin báo chí về kinh tế - Vai trò, yêu cầu thước đo và giải pháp cần có",
    "Những “ngọn đuốc” ở bản",
    "5 lý do để tăng cường bảo mật mạng",
]


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def sample_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("out")
    assert main(["run", str(PAGE_000.parent), "--out", str(out)]) == 0
    return out


@pytest.mark.parametrize("stem", [PAGE_000.stem, PAGE_003.stem])
def test_each_sample_gets_the_three_kinds_of_files(sample_out: Path, stem: str) -> None:
    segments = read_jsonl(sample_out / f"{stem}.segments.jsonl")
    removed = read_jsonl(sample_out / f"{stem}.removed.jsonl")
    assert segments and removed
    assert (sample_out / f"{stem}.en.txt").read_text(encoding="utf-8").strip()
    for seg in segments:
        assert seg.keys() >= SEGMENT_KEYS
        assert seg["doc"] == stem and seg["lang"] in ("en", "vi")
        assert seg["text"] and seg["text"] == seg["text"].strip() and "\n" not in seg["text"]
    assert len({seg["id"] for seg in segments}) == len(segments)
    for rem in removed:
        assert rem.keys() >= REMOVAL_KEYS


def test_offsets_point_at_the_segment_text_in_the_decoded_input(sample_out: Path) -> None:
    source = PAGE_000.read_text(encoding="utf-8").replace("\u00a0", " ")
    for seg in read_jsonl(sample_out / f"{PAGE_000.stem}.segments.jsonl"):
        assert " ".join(source[seg["start"] : seg["end"]].split()) == seg["text"]


def test_vietnamese_teasers_of_page_003_land_in_the_vi_file(sample_out: Path) -> None:
    vi = (sample_out / f"{PAGE_003.stem}.vi.txt").read_text(encoding="utf-8").splitlines()
    en = (sample_out / f"{PAGE_003.stem}.en.txt").read_text(encoding="utf-8")
    for title in TEASER_TITLES:
        assert title in vi
        assert title not in en
    assert "Hamada Kazuyuki" not in "".join(vi)


def test_site_chrome_is_recorded_not_kept(sample_out: Path) -> None:
    removed = {r["text"]: r for r in read_jsonl(sample_out / f"{PAGE_003.stem}.removed.jsonl")}
    assert removed["Theo dõi ICTVietnam trên"]["stage"] == "boilerplate"
    assert removed["PV| 31/12/2020 09:37"]["reason"] == "byline"
    en = (sample_out / f"{PAGE_003.stem}.en.txt").read_text(encoding="utf-8")
    assert "Ảnh 1." not in en and "Theo dõi" not in en


def test_repeated_paragraphs_are_kept_once_and_recorded(sample_out: Path) -> None:
    sentence = "Vietnam’s 5G network will also use the open standard Open RAN."
    en = (sample_out / f"{PAGE_000.stem}.en.txt").read_text(encoding="utf-8").splitlines()
    assert en.count(sentence) == 1
    dupes = [r for r in read_jsonl(sample_out / f"{PAGE_000.stem}.removed.jsonl") if r["text"] == sentence]
    assert len(dupes) == 1 and dupes[0]["duplicate_of"].startswith(PAGE_000.stem + ":")


def test_two_runs_give_byte_identical_output(tmp_path: Path, sample_out: Path) -> None:
    assert main(["run", str(PAGE_000.parent), "--out", str(tmp_path)]) == 0
    first = {p.name: p.read_bytes() for p in sample_out.iterdir()}
    second = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    assert first == second


def test_bad_inputs_are_named_and_the_rest_of_the_batch_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    shutil.copy(PAGE_003, pages / "good.txt")
    (pages / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (pages / "empty.txt").write_bytes(b"")
    (pages / "invalid.txt").write_bytes(b"abc \xff\xfe\xfd\xc3\x28 def \x81\x8d")
    (tmp_path / "nopages").mkdir()
    out = tmp_path / "out"
    status = main(
        ["run", str(pages), str(tmp_path / "missing.txt"), str(tmp_path / "nopages"), "--out", str(out)]
    )
    err = capsys.readouterr().err
    assert status == 1
    assert "Traceback" not in err
    lines = err.splitlines()
    for name, problem in [
        ("binary.txt", "not a text page"),
        ("empty.txt", "empty file"),
        ("invalid.txt", "invalid UTF-8"),
        ("missing.txt", "no such file or folder"),
        ("nopages", "no pages"),
    ]:
        assert sum(1 for line in lines if name in line and problem in line) == 1, (name, err)
    assert (out / "good.segments.jsonl").exists()
    assert not (out / "binary.segments.jsonl").exists()


def test_inputs_are_never_modified(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    shutil.copy(PAGE_003, page)
    before = page.read_bytes()
    assert main(["run", str(page), "--out", str(tmp_path)]) == 0
    assert page.read_bytes() == before


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["run", "--out"])
    assert info.value.code == 2
    assert main([]) == 2
    assert main(["run", str(PAGE_003), "--out", "x", "--disable", "nonsense"]) == 2
    assert "nonsense" in capsys.readouterr().err


def test_clean_reads_stdin_and_writes_main_language_text() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "cleaner.cli", "clean"],
        input=PAGE_003.read_bytes(),
        capture_output=True,
        check=True,
    )
    text = result.stdout.decode("utf-8")
    assert text.startswith("2020 - Year of national digital transformation in Vietnam\n\n")
    assert "Hamada Kazuyuki" in text
    assert "Báo chí" not in text and "Theo dõi" not in text and "Ảnh 1" not in text


def test_console_script_version_and_help() -> None:
    exe = shutil.which("cleaner")
    assert exe, "the cleaner console script is installed"
    version = subprocess.run([exe, "--version"], capture_output=True, text=True, check=True)
    assert version.stdout.startswith("cleaner ")
    for command in ("run", "clean", "explain"):
        helped = subprocess.run([exe, command, "--help"], capture_output=True, text=True, check=True)
        assert "usage: cleaner " + command in helped.stdout


@pytest.mark.parametrize("columns", [50, 120])
def test_help_wraps_to_the_terminal_width_without_importing_shutil(columns: int) -> None:
    """The parser is told the width ($COLUMNS here) instead of asking shutil: 2 ms of every start."""
    code = (
        "import sys\n"
        "from cleaner import cli\n"
        "parser, _ = cli.build_parser()\n"
        "parser.parse_args(['run', 'x', '--out', 'y'])\n"
        "print('shutil' in sys.modules)\n"
        "cli.main(['run', '--help'])\n"
    )
    env = {**os.environ, "COLUMNS": str(columns)}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    imported, *help_lines = done.stdout.splitlines()
    assert imported == "False"
    assert "--drop-near-duplicates" in done.stdout
    assert max(map(len, help_lines)) <= columns
    assert columns > 100 or any(line.strip().startswith("remove near repeats") for line in help_lines)


def test_console_script_ends_with_all_its_output_and_status(tmp_path: Path) -> None:
    """The script ends the process without freeing objects: what it printed must still arrive
    whole, and its exit status must be the command's."""
    exe = shutil.which("cleaner")
    assert exe, "the cleaner console script is installed"
    stats = subprocess.run([exe, "stats", str(SAMPLES), "--json"], capture_output=True, text=True)
    assert stats.returncode == 0
    assert json.loads(stats.stdout)["pages"] == 2
    (tmp_path / "empty.txt").write_bytes(b"")
    failed = subprocess.run(
        [exe, "run", str(tmp_path / "empty.txt"), "--out", str(tmp_path / "out")],
        text=True,
        capture_output=True,
    )
    assert failed.returncode == 1 and "empty.txt" in failed.stderr


def test_removed_file_and_shard_records_are_the_same_lines_in_the_same_order() -> None:
    """``S.removed.jsonl`` is written field by field, the shards from ``removal_records``: the
    two must agree, repairs first (in stage order), then removals by offset."""
    from cleaner.document import Document
    from cleaner.pipeline import run
    from cleaner.writers.contract import jsonl, removal_records, removed_jsonl

    raw = PAGE_000.read_bytes() + b"\n\nThedevelopmentofinformationand communication technology.\n"
    doc = run(Document(id="p", source="p.txt", raw=raw))
    assert doc.edits and len(doc.removals) > 1
    assert removed_jsonl(doc) == jsonl(removal_records(doc))
    lines = [json.loads(line) for line in removed_jsonl(doc).splitlines()]
    repairs = len(doc.edits)
    assert all(r["reason"] == "repaired" for r in lines[:repairs])
    removals = lines[repairs:]
    assert [(r["start"], r["end"]) for r in removals] == sorted((r["start"], r["end"]) for r in removals)
