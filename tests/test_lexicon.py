"""Word tables as tries with a disk cache: same costs as the dicts they replace, safe caching."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cleaner import lexicon as lexicon_module
from cleaner import wordseg
from cleaner.lexicon import Lexicon, cached_lexicon

TABLE = {"at": 5.25, "atom": 9.5, "atoms": 11.0, "việt": 7.0, "a": 2.0}


def test_lookups_match_the_mapping() -> None:
    lexicon = Lexicon.from_mapping(TABLE)
    assert dict(lexicon.items()) == TABLE
    assert lexicon.get("atom") == 9.5
    assert lexicon.get("ato") is None
    assert lexicon.get("ato", 99.0) == 99.0
    assert "việt" in lexicon and "viet" not in lexicon
    assert len(lexicon) == 5


def test_prefixes_are_every_word_a_string_starts_with() -> None:
    lexicon = Lexicon.from_mapping(TABLE)
    assert lexicon.prefixes("atomsmasher") == [(1, 2.0), (2, 5.25), (4, 9.5), (5, 11.0)]
    assert lexicon.prefixes("việtnam") == [(4, 7.0)]  # lengths in characters, not UTF-8 bytes
    assert lexicon.prefixes("zebra") == []


def test_bytes_round_trip_and_damage_is_refused() -> None:
    blob = Lexicon.from_mapping(TABLE).to_bytes()
    assert dict(Lexicon.from_bytes(blob).items()) == TABLE
    with pytest.raises(ValueError):
        Lexicon.from_bytes(b"not a lexicon at all")
    with pytest.raises(ValueError):
        Lexicon.from_bytes(blob[:40])  # cut inside the costs
    with pytest.raises(ValueError):
        Lexicon.from_bytes(blob[:-30])  # cut inside the trie


class Builder:
    """A table builder that counts its calls."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self) -> dict[str, float]:
        self.calls += 1
        return dict(TABLE)


def test_cache_builds_once_then_reads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLEANER_CACHE_DIR", str(tmp_path))
    build = Builder()
    first = cached_lexicon("demo", build, "p=1")
    second = cached_lexicon("demo", build, "p=1")
    assert build.calls == 1
    assert dict(second.items()) == dict(first.items()) == TABLE
    assert [p.name.split("-")[0] for p in tmp_path.iterdir()] == ["demo"]


def test_new_parameters_rebuild_and_both_versions_stay(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two installs sharing the folder each keep their version: neither rebuilds in turn."""
    monkeypatch.setenv("CLEANER_CACHE_DIR", str(tmp_path))
    build = Builder()
    cached_lexicon("demo", build, "p=1")
    cached_lexicon("demo", build, "p=2")
    assert build.calls == 2
    for _ in range(3):
        cached_lexicon("demo", build, "p=1")
        cached_lexicon("demo", build, "p=2")
    assert build.calls == 2
    assert len(list(tmp_path.iterdir())) == 2


def test_only_the_versions_used_last_are_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Past ``KEEP_VERSIONS`` versions of a table, the one used longest ago is deleted."""
    monkeypatch.setenv("CLEANER_CACHE_DIR", str(tmp_path))
    build = Builder()
    versions = [f"p={n}" for n in range(lexicon_module.KEEP_VERSIONS + 1)]
    files: list[Path] = []
    for age, parameters in enumerate(versions):
        before = set(tmp_path.iterdir())
        cached_lexicon("demo", build, parameters)
        (made,) = set(tmp_path.iterdir()) - before
        files.append(made)
        os.utime(made, ns=(age * 10**9, age * 10**9))  # one second apart, oldest first
    assert sorted(tmp_path.iterdir()) == sorted(files[1:])  # the first, used longest ago, went
    os.utime(files[1], ns=(0, 0))
    cached_lexicon("demo", build, versions[1])  # reading marks it used: it is the newest now
    assert files[1].stat().st_mtime_ns > files[-1].stat().st_mtime_ns
    cached_lexicon("demo", build, versions[0])  # built again; the oldest now is versions[2]
    assert build.calls == len(versions) + 1
    assert not files[2].exists() and files[1].exists()


def test_a_table_read_from_the_cache_outlives_its_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cached table is used in place (the file mapped); another install deleting or replacing
    the file meanwhile must not change or break it."""
    monkeypatch.setenv("CLEANER_CACHE_DIR", str(tmp_path))
    build = Builder()
    cached_lexicon("demo", build, "p=1")
    mapped = cached_lexicon("demo", build, "p=1")
    assert build.calls == 1  # the second came from the file
    (path,) = tmp_path.iterdir()
    path.unlink()
    (tmp_path / "unrelated").write_bytes(b"\0" * 4096)  # the freed space used again
    assert dict(mapped.items()) == TABLE
    assert mapped.prefixes("atoms") == [(1, 2.0), (2, 5.25), (4, 9.5), (5, 11.0)]


def test_a_damaged_cache_file_is_rebuilt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLEANER_CACHE_DIR", str(tmp_path))
    build = Builder()
    cached_lexicon("demo", build)
    (path,) = tmp_path.iterdir()
    path.write_bytes(path.read_bytes()[:50])
    assert dict(cached_lexicon("demo", build).items()) == TABLE
    assert build.calls == 2
    assert Lexicon.from_bytes(path.read_bytes()).get("atom") == 9.5  # and the file is whole again


def test_an_unwritable_cache_folder_only_costs_speed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the cache folder should be")
    monkeypatch.setenv("CLEANER_CACHE_DIR", str(blocker))
    assert dict(cached_lexicon("demo", Builder()).items()) == TABLE


def test_an_empty_cache_setting_turns_the_disk_cache_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLEANER_CACHE_DIR", "")
    monkeypatch.chdir(tmp_path)
    assert lexicon_module.cache_folder() is None
    build = Builder()
    cached_lexicon("demo", build)
    cached_lexicon("demo", build)
    assert build.calls == 2
    assert list(tmp_path.iterdir()) == []


def test_the_cached_english_table_holds_wordfreqs_costs() -> None:
    built = wordseg._english_costs()
    cached = wordseg.english_costs()
    assert len(cached) == len(built)
    assert all(cached.get(word) == cost for word, cost in built.items())


def test_the_cached_pair_table_holds_the_built_costs() -> None:
    built = wordseg._word_pairs()
    cached = wordseg.word_pairs()
    assert len(cached) == len(built)
    assert all(cached.get(pair) == cost for pair, cost in built.items())
    assert wordseg.pair_cost("at", "least") == built["at least"] < 0


def test_a_reinstalled_package_changes_the_cache_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Installing a package the words come from again (any version) writes its files anew:
    the key of its tables changes, so they are rebuilt; a package that is missing is "?"."""
    import importlib

    from cleaner.lexicon import cache_key, installed

    package = tmp_path / "wordpkg"
    package.mkdir()
    (package / "__init__.py").write_text("VERSION = '1.0'\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    importlib.invalidate_caches()
    before = cache_key("p", ("wordpkg",))
    assert installed("wordpkg").startswith(str(package / "__init__.py"))
    (package / "__init__.py").write_text("VERSION = '1.1.0'\n")
    assert cache_key("p", ("wordpkg",)) != before
    assert installed("no_such_package_here") == "?"
