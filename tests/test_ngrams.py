"""langdetect's n-gram table, packed and cached: the same rows as langdetect's own loader."""

from __future__ import annotations

import os
from pathlib import Path

import langdetect
import pytest
from langdetect import DetectorFactory

from cleaner import ngrams
from cleaner.langid import LANGDETECT_TRIALS, langdetect_language
from cleaner.ngrams import NgramTable, langdetect_table

PROFILES = os.path.join(os.path.dirname(langdetect.__file__), "profiles")


def test_the_packed_table_holds_langdetects_own_rows() -> None:
    own = DetectorFactory()
    own.load_profile(PROFILES)
    table = langdetect_table()
    assert table.langs == own.langlist and len(table) == len(own.word_lang_prob_map) > 80_000
    assert all(gram in table and table[gram] == row for gram, row in own.word_lang_prob_map.items())
    assert "zzzz" not in table and "" not in table


def test_langdetect_gives_the_same_answers_with_the_packed_table() -> None:
    own = DetectorFactory()
    own.load_profile(PROFILES)
    own.set_seed(0)
    for text in ("Это новая страница о цифровой экономике", "Questa è una pagina di prova", "ข่าวเทคโนโลยี"):
        detector = own.create()
        detector.n_trial = LANGDETECT_TRIALS
        detector.append(text)
        assert langdetect_language(text) == detector.detect()


def test_the_table_is_built_once_then_read_and_a_damaged_file_is_rebuilt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLEANER_CACHE_DIR", str(tmp_path))
    built = langdetect_table()
    (saved,) = tmp_path.glob("langdetect-*.lexicon")

    def no_build(folder: str) -> NgramTable:
        raise AssertionError("built again instead of read from the cache")

    monkeypatch.setattr(ngrams.NgramTable, "from_profiles", staticmethod(no_build))
    read = langdetect_table()
    assert read.langs == built.langs and read["the"] == built["the"]
    saved.write_bytes(saved.read_bytes()[:1000])  # cut short
    with pytest.raises(ValueError, match="damaged"):
        NgramTable.from_bytes(saved.read_bytes())
    with pytest.raises(AssertionError, match="built again"):
        langdetect_table()  # a damaged file is not used: the table is built again
