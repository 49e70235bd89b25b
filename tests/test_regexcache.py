"""The disk cache of compiled patterns: what comes back matches as compiled, and nothing else loads."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import pytest
import regex

from cleaner import regexcache
from cleaner.rulepacks import builtin_packs

# A rule-pack pattern (Vietnamese and English bylines), a Unicode property and a named group.
PATTERNS = [
    (r"(?:by|posted by|written by|tác giả|bài và ảnh)\s*:?\s*\p{Lu}[\p{L} .]{1,40}", regex.IGNORECASE),
    (r"(?P<day>\d{1,2})/(?P<month>\d{1,2})/(?P<year>\d{4})", 0),
    (r"[\p{Han}\p{Hangul}]+", 0),
]
LINES = ["Tác giả: Nguyễn Văn An", "BY: John Smith", "Posted 12/03/2024", "日本 한국어", "nothing here"]


@pytest.fixture
def fresh(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A process's state before its first pattern, with its own cache folder."""
    monkeypatch.setenv("CLEANER_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(regexcache, "_table", None)
    monkeypatch.setattr(regexcache, "_added", False)
    return tmp_path


def _new_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(regexcache, "_table", None)
    monkeypatch.setattr(regexcache, "_added", False)


def _answers(pattern: regex.Pattern[str]) -> list[object]:
    return [(m.group(0), m.groupdict(), m.span()) if (m := pattern.search(line)) else None for line in LINES]


def test_patterns_read_back_match_as_compiled(fresh: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for text, flags in PATTERNS:
        regexcache.compile(text, flags)
    regexcache.save()
    assert len(list(fresh.glob("patterns-*.pickle"))) == 1
    _new_process(monkeypatch)
    for text, flags in PATTERNS:
        cached = regexcache.compile(text, flags)
        assert (cached.pattern, cached.flags) == (text, regex.compile(text, flags).flags)
        assert _answers(cached) == _answers(regex.compile(text, flags))
    assert not regexcache._added  # every pattern came from the file


def test_rule_packs_read_back_match_as_compiled(fresh: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    builtin_packs.cache_clear()
    compiled = [rule.pattern for pack in builtin_packs() for rule in pack.rules]
    regexcache.save()
    _new_process(monkeypatch)
    builtin_packs.cache_clear()
    try:
        again = [rule.pattern for pack in builtin_packs() for rule in pack.rules]
        assert not regexcache._added
    finally:
        builtin_packs.cache_clear()
    lines = [*LINES, "Powered by : OpenGov", "Theo dõi ICTVietnam trên", "Cập nhật: 10/12/2023 08:15"]
    for before, after in zip(compiled, again, strict=True):
        assert before is not after
        assert [before.fullmatch(line) and before.fullmatch(line).span() for line in lines] == [
            after.fullmatch(line) and after.fullmatch(line).span() for line in lines
        ]


def test_a_new_pattern_is_compiled_and_added(fresh: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    regexcache.compile(*PATTERNS[0])
    regexcache.save()
    _new_process(monkeypatch)
    regexcache.compile(*PATTERNS[1])
    assert regexcache._added
    regexcache.save()
    _new_process(monkeypatch)
    regexcache.compile(*PATTERNS[0])
    regexcache.compile(*PATTERNS[1])
    assert not regexcache._added


def test_a_file_naming_anything_else_is_not_loaded(fresh: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    class Payload:
        def __reduce__(self) -> tuple[object, tuple[str]]:
            return (os.getenv, ("HOME",))

    with pytest.raises(ValueError, match=r"names os\.getenv"):
        regexcache.read_table(pickle.dumps({("x", 0): Payload()}))
    with pytest.raises(ValueError):
        regexcache.read_table(b"not a pickle at all")
    # Such a file in the cache folder is ignored: patterns are compiled, and the file replaced.
    regexcache.compile(*PATTERNS[0])
    regexcache.save()
    (path,) = fresh.glob("patterns-*.pickle")
    path.write_bytes(pickle.dumps({("x", 0): Payload()}))
    _new_process(monkeypatch)
    assert _answers(regexcache.compile(*PATTERNS[0])) == _answers(regex.compile(*PATTERNS[0]))
    assert regexcache._added
    regexcache.save()
    assert list(regexcache.read_table(path.read_bytes())) == [PATTERNS[0]]


def test_no_cache_folder_means_compile_only(fresh: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLEANER_CACHE_DIR", "")
    pattern = regexcache.compile(*PATTERNS[1])
    assert pattern.search("on 1/2/2024").group("year") == "2024"
    regexcache.save()
    assert not list(fresh.iterdir())


def test_a_bad_pattern_still_raises(fresh: Path) -> None:
    with pytest.raises(regex.error):
        regexcache.compile(r"(unclosed")


def test_another_regex_install_reads_another_file(fresh: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    regexcache.compile(*PATTERNS[0])
    regexcache.save()
    monkeypatch.setattr(regexcache, "installed", lambda package: f"elsewhere:{package}")
    _new_process(monkeypatch)
    regexcache.compile(*PATTERNS[0])
    assert regexcache._added  # compiled anew: the compiled form belongs to one regex install
    regexcache.save()
    assert len(list(fresh.glob("patterns-*.pickle"))) == 2  # each install keeps its own table
