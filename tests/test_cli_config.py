"""Config in pyproject.toml, stage commands in a pipe, and -j workers."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cleaner.cli import main
from cleaner.config import find_pyproject, load_config
from conftest import PAGE_000, PAGE_003, SAMPLES


def cleaner(*args: str, stdin: bytes = b"", cwd: Path | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "cleaner.cli", *args], input=stdin, capture_output=True, cwd=cwd
    )


def test_stage_commands_compose_in_a_pipe() -> None:
    stripped = cleaner("strip", stdin=PAGE_003.read_bytes())
    assert stripped.returncode == 0
    assert b"Theo d" not in stripped.stdout and b"PV| 31/12/2020" not in stripped.stdout
    respaced = cleaner("respace", stdin=stripped.stdout)
    assert b"The development of information and communication technology (ICT) in Vietnam" in respaced.stdout
    english = cleaner("langsplit", "--lang", "en", stdin=respaced.stdout).stdout.decode("utf-8")
    assert "Hamada Kazuyuki" in english and "Báo chí" not in english
    vietnamese = cleaner("langsplit", "--lang", "vi", stdin=respaced.stdout).stdout.decode("utf-8")
    assert "5 lý do để tăng cường bảo mật mạng" in vietnamese and "Hamada" not in vietnamese
    sentences = cleaner("segment", stdin=english.encode("utf-8")).stdout.decode("utf-8").splitlines()
    assert (
        "Thanks to IT infrastructure, the world can still operate, while economic and social flows are not interrupted."
        in sentences
    )
    doubled = ("\n".join(sentences + sentences) + "\n").encode("utf-8")
    assert cleaner("dedup", stdin=doubled).stdout.decode("utf-8").splitlines() == sentences


def write_pyproject(folder: Path, body: str) -> None:
    (folder / "pyproject.toml").write_text(
        f'[project]\nname = "scrapes"\n\n[tool.cleaner]\n{body}', encoding="utf-8"
    )


def test_config_is_found_upwards_and_honoured(tmp_path: Path) -> None:
    write_pyproject(tmp_path, 'formats = ["jsonl", "xliff"]\ndisable = ["dedup"]\ntarget-lang = "fr"\n')
    inner = tmp_path / "a" / "b"
    inner.mkdir(parents=True)
    shutil.copy(PAGE_000, inner / "page.txt")
    result = cleaner("run", "page.txt", "--out", "out", cwd=inner)
    assert result.returncode == 0, result.stderr
    names = {p.name for p in (inner / "out").iterdir()}
    assert names == {"page.segments.jsonl", "page.removed.jsonl", "page.en.xlf"}
    assert 'target-language="fr"' in (inner / "out" / "page.en.xlf").read_text(encoding="utf-8")
    assert '"duplicate"' not in (inner / "out" / "page.removed.jsonl").read_text(encoding="utf-8")
    # a flag overrides the file
    assert cleaner("run", "page.txt", "--out", "out2", "--format", "txt", cwd=inner).returncode == 0
    assert {p.name for p in (inner / "out2").iterdir()} == {"page.en.txt", "page.removed.jsonl"}


@pytest.mark.parametrize(
    "toml",
    [
        '[tool.cleaner]\ntarget-lang = "fr"\n',
        '[ tool . "cleaner" ]\ntarget-lang = "fr"\n',
        '[tool]\ncleaner = { target-lang = "fr" }\n',
        'tool.cleaner.target-lang = "fr"\n',
        'tool = { cleaner = { target-lang = "fr" } }\n',
        '[tool."clean\\u0065r"]\ntarget-lang = "fr"\n',
    ],
)
def test_every_way_toml_spells_tool_cleaner_is_found(tmp_path: Path, toml: str) -> None:
    """A pyproject.toml is parsed only where its text could name tool.cleaner: every spelling must."""
    # top-level keys come before any table; the project table after
    (tmp_path / "pyproject.toml").write_text(toml + '\n[project]\nname = "cleaner"\n', encoding="utf-8")
    assert find_pyproject(tmp_path) == tmp_path / "pyproject.toml"
    assert load_config(start=tmp_path).target_lang == "fr"


def test_a_pyproject_without_tool_cleaner_is_passed_over_for_one_further_up(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.cleaner]\ntarget-lang = "fr"\n', encoding="utf-8")
    inner = tmp_path / "project"
    inner.mkdir()
    (inner / "pyproject.toml").write_text(
        '[project]\nname = "cleaner"\n[project.scripts]\ncleaner = "x:y"\n'
        '[tool.setuptools.package-data]\ncleaner = ["rules/*.toml"]\n',
        encoding="utf-8",
    )
    assert find_pyproject(inner) == tmp_path / "pyproject.toml"


def test_config_abbreviations_and_rule_folders(tmp_path: Path) -> None:
    packs = tmp_path / "packs"
    packs.mkdir()
    (packs / "site.toml").write_text(
        '[pack]\nid = "site"\n[[rule]]\nid = "motto"\nreason = "motto"\nliteral = "News you can trust"\n',
        encoding="utf-8",
    )
    write_pyproject(tmp_path, 'rules = ["packs"]\n[tool.cleaner.abbreviations]\nen = ["Abs"]\n')
    page = tmp_path / "page.txt"
    page.write_text(
        "Headline here\n\nSee Abs. Smith for the details of the plan. Thanks.\n\nNews you can trust\n",
        encoding="utf-8",
    )
    config = load_config(start=tmp_path)
    assert config.abbreviations == {"en": ("Abs",)}
    result = cleaner("run", "page.txt", "--out", "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    text = (tmp_path / "out" / "page.en.txt").read_text(encoding="utf-8").splitlines()
    assert "See Abs. Smith for the details of the plan." in text
    assert "site/motto" in (tmp_path / "out" / "page.removed.jsonl").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ('colour = "red"\n', "unknown key 'colour'"),
        ('formats = "jsonl"\n', "'formats' must be a list"),
        ("template-min-pages = true\n", "'template-min-pages' must be a whole number"),
        ('disable = ["decode"]\n', "cannot be switched off"),
        ("template-min-share = 2\n", "between 0 and 1"),
        ('formats = ["jsonl", "docx"]\n', "unknown format"),
    ],
)
def test_bad_config_is_a_usage_error(tmp_path: Path, body: str, problem: str) -> None:
    write_pyproject(tmp_path, body)
    shutil.copy(PAGE_003, tmp_path / "page.txt")
    result = cleaner("run", "page.txt", "--out", "out", cwd=tmp_path)
    assert result.returncode == 2
    assert problem in result.stderr.decode("utf-8") and b"Traceback" not in result.stderr


def test_explicit_config_file(tmp_path: Path) -> None:
    config = tmp_path / "cleaner.toml"
    config.write_text('formats = ["txt"]\n', encoding="utf-8")
    out = tmp_path / "out"
    assert main(["run", str(PAGE_003), "--out", str(out), "--config", str(config)]) == 0
    assert sorted(p.name for p in out.iterdir()) == [
        f"{PAGE_003.stem}.{x}" for x in ("en.txt", "removed.jsonl", "vi.txt")
    ]
    assert main(["run", str(PAGE_003), "--out", str(out), "--config", str(tmp_path / "missing.toml")]) == 2


def test_two_workers_give_the_same_bytes_as_one(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    for i in range(3):
        for name, page in (("a", PAGE_000), ("b", PAGE_003)):
            text = (
                page.read_text(encoding="utf-8")
                .replace("2020", str(2020 + i))
                .replace("Vietnam", f"Vietnam{'!' * i}")
            )
            (pages / f"{name}{i}.txt").write_text(text, encoding="utf-8")
    assert main(["run", str(pages), "--out", str(tmp_path / "one"), "-j", "1"]) == 0
    assert main(["run", str(pages), "--out", str(tmp_path / "two"), "-j", "2"]) == 0
    one = {p.name: p.read_bytes() for p in (tmp_path / "one").iterdir()}
    two = {p.name: p.read_bytes() for p in (tmp_path / "two").iterdir()}
    assert one == two
    assert {n for n in one if n.endswith((".segments.jsonl", ".removed.jsonl"))} == {
        f"{x}{i}.{kind}.jsonl" for x in "ab" for i in range(3) for kind in ("segments", "removed")
    }
    assert all(data for name, data in one.items() if name.endswith(".segments.jsonl"))


def test_check_reports_problems_with_lines_and_passes_clean_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", str(PAGE_003)]) == 1
    out = capsys.readouterr().out
    assert f"{PAGE_003}:4: boilerplate (follow, generic/follow)" in out
    assert f"{PAGE_003}:9: collapsed whitespace" in out
    mojibake = tmp_path / "moji.txt"
    mojibake.write_text(
        "Headline\n\nVietnamâ€™s digital economy grew fast last year, officials said.\n", encoding="utf-8"
    )
    mixed = tmp_path / "mixed.txt"
    mixed.write_text(
        "Headline\n\nThe ministry published the full list of platforms on its website last week. "
        "Danh sách gồm ba mươi ba nền tảng số do doanh nghiệp Việt Nam phát triển.\n",
        encoding="utf-8",
    )
    clean = tmp_path / "clean.txt"
    clean.write_text(
        "Vietnam opens data portal\n\nThe ministry launched the portal on Monday, officials said.\n",
        encoding="utf-8",
    )
    assert main(["check", str(mojibake), str(mixed), str(clean)]) == 1
    out = capsys.readouterr().out
    assert f"{mojibake}:3: mojibake" in out
    assert f"{mixed}:3: mixed-language block (en+vi)" in out
    assert str(clean) not in out
    assert main(["check", str(clean)]) == 0


def test_run_on_the_samples_folder_reports_a_summary(tmp_path: Path) -> None:
    result = cleaner("run", str(SAMPLES), "--out", str(tmp_path))
    assert result.returncode == 0
    assert b"2 page(s) written" in result.stderr and b"0 failed" in result.stderr


def test_pipe_commands_pass_undecodable_bytes_through() -> None:
    raw = b"abc \xff\xfe theMinistryofInformation\nabc\n"
    result = cleaner("respace", stdin=raw)
    assert result.returncode == 0 and b"Traceback" not in result.stderr
    assert result.stdout == b"abc \xff\xfe the Ministry of Information\nabc\n"
    deduped = cleaner("dedup", stdin=b"x\xffy\nx\xffy\n")
    assert deduped.stdout == b"x\xffy\n"


def test_a_page_a_worker_cannot_write_is_named_and_the_rest_are_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """With ``-j 2`` pages are written where they were processed; a write that fails there still
    comes back as one clear error naming the page, and every other page is written."""
    pages = tmp_path / "pages"
    pages.mkdir()
    for i in range(6):
        text = PAGE_000.read_text(encoding="utf-8").replace("2020", str(2030 + i))
        (pages / f"a{i}.txt").write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    (out / "a4.segments.jsonl").mkdir(parents=True)  # a folder where a file must go
    assert main(["run", str(pages), "--out", str(out), "-j", "2"]) == 1
    errors = [line for line in capsys.readouterr().err.splitlines() if "cannot write output" in line]
    assert len(errors) == 1 and "a4.txt" in errors[0]
    written = {p.name for p in out.iterdir() if p.is_file()}
    assert {f"a{i}.segments.jsonl" for i in (0, 1, 2, 3, 5)} <= written
