"""Hostile batches, safe file handling, and bounded work (the timed version is bench/hostile.py)."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import PAGE_003, ROOT

sys.path.insert(0, str(ROOT / "bench"))
from cleaner.cli import main
from hostile import make_inputs


def digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_a_hostile_batch_runs_to_the_end(tmp_path: Path) -> None:
    pages = tmp_path / "in"
    pages.mkdir()
    whats = make_inputs(pages, scale=0.05)
    before = digest(pages)
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, "-m", "cleaner.cli", "run", str(pages), "--out", str(out), "-j", "2"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert digest(pages) == before  # inputs untouched
    bad = {"nul.txt": "NUL", "random.txt": "not a text page", "empty.txt": "empty file", "binary.html": "PNG"}
    for name, problem in bad.items():
        lines = [line for line in result.stderr.splitlines() if f"{name}:" in line]
        assert len(lines) == 1 and problem in lines[0], (name, result.stderr)
    written = {p.name.split(".")[0] for p in out.iterdir()}
    good = {name.split(".")[0] for name in whats if name not in bad} | {
        "good-000_153ca8eecbfde97f",
        "good-003_a60153bfbc86ba90",
    }
    assert good <= written
    assert not any(p.name.startswith(".") for p in out.iterdir())  # no temporary files left behind


def test_same_stem_in_two_folders_does_not_collide(tmp_path: Path) -> None:
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "page.txt").write_text(
            f"Headline {folder}\n\nThe {folder} page says something different.\n", encoding="utf-8"
        )
    assert main(["run", str(tmp_path / "a"), str(tmp_path / "b"), "--out", str(tmp_path / "out")]) == 0
    stems = {p.name.split(".")[0] for p in (tmp_path / "out").iterdir()}
    assert len(stems) == 2 and all(s.startswith("page-") for s in stems)


def test_odd_file_names_give_safe_output_names(tmp_path: Path) -> None:
    odd = tmp_path / "in"
    odd.mkdir()
    (odd / "../in/..weird name; rm -rf *.txt").write_text(
        "Headline\n\nSome text here for the page.\n", encoding="utf-8"
    )
    (odd / "tiếng việt.txt").write_text("Tiêu đề\n\nMột đoạn văn bản tiếng Việt ngắn.\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["run", str(odd), "--out", str(out)]) == 0
    for path in out.iterdir():
        assert path.parent == out
        assert not path.name.startswith(".") and ";" not in path.name and " " not in path.name


def test_an_input_is_never_overwritten(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Headline\n\nThe article text is here.\n", encoding="utf-8")
    (tmp_path / "a.en.txt").write_text(
        "A page whose name looks like an output.\n\nMore text.\n", encoding="utf-8"
    )
    before = digest(tmp_path)
    assert main(["run", str(tmp_path / "a.txt"), str(tmp_path / "a.en.txt"), "--out", str(tmp_path)]) == 1
    after = digest(tmp_path)
    assert after["a.txt"] == before["a.txt"] and after["a.en.txt"] == before["a.en.txt"]


def test_an_input_behind_a_link_is_never_overwritten(tmp_path: Path) -> None:
    inputs = tmp_path / "scrapes"
    inputs.mkdir()
    page = inputs / "a.txt"
    page.write_text("Headline\n\nThe article text is here.\n", encoding="utf-8")
    victim = inputs / "a.en.txt"  # an input page whose name is also an output name of a.txt
    victim.write_text("Another input page.\n\nIts own text.\n", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "a.en.txt").symlink_to(victim)  # an output file that is a link to that input
    linked = tmp_path / "linked"
    linked.symlink_to(inputs)  # an output folder that is a link to the input folder
    before = digest(inputs)
    assert main(["run", str(page), str(victim), "--out", str(out)]) == 1
    assert main(["run", str(page), str(victim), "--out", str(linked)]) == 1
    after = digest(inputs)
    assert {name: after[name] for name in before} == before  # outputs of the other page may be added


def test_an_unwritable_output_folder_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    assert main(["run", str(PAGE_003), "--out", str(blocker / "out")]) == 1
    err = capsys.readouterr().err
    assert "output folder cannot be written" in err and "Traceback" not in err
    assert main(["run", str(PAGE_003), "--out", str(blocker)]) == 2


def test_a_bug_on_one_page_is_a_named_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from cleaner.stages import language

    original = language.identify

    def flaky(text: str) -> str:
        if "explode" in text:
            raise ValueError("simulated bug")
        return original(text)

    monkeypatch.setattr(language, "identify", flaky)
    (tmp_path / "bad.txt").write_text("Headline\n\nThis page will explode here.\n", encoding="utf-8")
    (tmp_path / "good.txt").write_text("Headline\n\nThis page is fine.\n", encoding="utf-8")
    assert main(["run", str(tmp_path), "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert "bad.txt: internal error (ValueError: simulated bug)" in err
    assert (tmp_path / "out" / "good.segments.jsonl").exists()


def test_outputs_get_the_usual_permissions_and_keep_those_of_files_they_replace(tmp_path: Path) -> None:
    """Outputs are written through a private temporary file, but end up as ``open`` makes files."""
    import os
    import stat

    from cleaner.writers.atomic import write_atomic

    mask = os.umask(0o022)
    try:
        assert write_atomic(tmp_path / "new.txt", "text\n")
        assert stat.S_IMODE((tmp_path / "new.txt").stat().st_mode) == 0o644
        assert write_atomic(tmp_path / "fresh.txt", "text\n", new=True)  # into a folder known empty
        assert stat.S_IMODE((tmp_path / "fresh.txt").stat().st_mode) == 0o644
        assert (tmp_path / "fresh.txt").read_text(encoding="utf-8") == "text\n"
        shared = tmp_path / "shared.txt"
        shared.write_text("old\n", encoding="utf-8")
        shared.chmod(0o664)
        assert write_atomic(shared, "new\n")
        assert stat.S_IMODE(shared.stat().st_mode) == 0o664
        assert shared.read_text(encoding="utf-8") == "new\n"
    finally:
        os.umask(mask)


def test_a_temporary_file_is_new_private_and_beside_its_target(tmp_path: Path) -> None:
    """Each call makes a file of its own (never an existing one), hidden, readable by its owner only."""
    import os
    import stat

    from cleaner.writers.atomic import new_temporary

    target = tmp_path / "page.segments.jsonl"
    made = [new_temporary(target) for _ in range(20)]
    for fd, _ in made:
        os.close(fd)
    names = [Path(name) for _, name in made]
    assert len(set(names)) == 20
    for name in names:
        assert name.parent == tmp_path and name.name.startswith(".page.segments.jsonl.")
        assert name.suffix == ".tmp" and stat.S_IMODE(name.stat().st_mode) == 0o600
    assert not target.exists()
