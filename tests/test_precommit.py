"""The pre-commit hooks, run for real with ``pre-commit try-repo`` on a repository of scrapes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import PAGE_003, ROOT

CLEAN_PAGE = (
    "Vietnam opens national data portal\n\n"
    "The Ministry of Information and Communications launched the national open data portal on Monday.\n\n"
    "More than ten thousand data sets are already registered, officials said.\n"
)


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


@pytest.fixture(scope="module")
def scrapes(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    repo = tmp_path_factory.mktemp("scrapes")
    git(repo, "init", "-q")
    git(repo, "config", "user.email", "test@example.com")
    git(repo, "config", "user.name", "Test")
    (repo / "scrapes").mkdir()
    shutil.copy(PAGE_003, repo / "scrapes" / "ict.txt")
    (repo / "scrapes" / "clean.txt").write_text(CLEAN_PAGE, encoding="utf-8")
    git(repo, "add", "-A")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path_factory.mktemp("pre-commit-home"))}
    env.pop("PRE_COMMIT", None)
    return repo, env


def try_repo(repo: Path, env: dict[str, str], hook: str, *files: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), hook, "--verbose", "--files", *files],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )


def test_cleaner_check_fails_on_a_dirty_scrape_and_passes_a_clean_one(
    scrapes: tuple[Path, dict[str, str]],
) -> None:
    repo, env = scrapes
    dirty = try_repo(repo, env, "cleaner-check", "scrapes/ict.txt")
    assert dirty.returncode == 1, dirty.stdout + dirty.stderr
    assert "scrapes/ict.txt:4: boilerplate (follow" in dirty.stdout
    assert "scrapes/ict.txt:9: collapsed whitespace" in dirty.stdout
    clean = try_repo(repo, env, "cleaner-check", "scrapes/clean.txt")
    assert clean.returncode == 0, clean.stdout + clean.stderr


def test_cleaner_emit_writes_once_then_passes(scrapes: tuple[Path, dict[str, str]]) -> None:
    repo, env = scrapes
    first = try_repo(repo, env, "cleaner-emit", "scrapes/ict.txt", "scrapes/clean.txt")
    assert first.returncode == 1, first.stdout + first.stderr
    written = sorted(p.name for p in (repo / "scrapes").iterdir())
    assert "ict.segments.jsonl" in written and "ict.vi.txt" in written and "clean.en.txt" in written
    before = {p.name: p.read_bytes() for p in (repo / "scrapes").iterdir()}
    second = try_repo(repo, env, "cleaner-emit", "scrapes/ict.txt", "scrapes/clean.txt")
    assert second.returncode == 0, second.stdout + second.stderr
    assert {p.name: p.read_bytes() for p in (repo / "scrapes").iterdir()} == before
    # the hook sees its own outputs among the files and leaves them alone
    outputs = [f"scrapes/{name}" for name in written if name not in ("ict.txt", "clean.txt")]
    again = try_repo(repo, env, "cleaner-emit", *outputs)
    assert again.returncode == 0, again.stdout + again.stderr
    checked = try_repo(repo, env, "cleaner-check", "scrapes/clean.txt", *outputs)
    assert checked.returncode == 0, checked.stdout + checked.stderr
