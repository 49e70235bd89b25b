from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
PAGE_000 = SAMPLES / "000_153ca8eecbfde97f.txt"
PAGE_003 = SAMPLES / "003_a60153bfbc86ba90.txt"
VI_SENTENCE = "Chương trình chuyển đổi số quốc gia của Việt Nam được phê duyệt năm 2020."


def to_cp1258(text: str) -> bytes:
    """Encode Vietnamese as windows-1258 does: base letters precomposed, tone marks combining."""
    out = []
    for char in unicodedata.normalize("NFC", text):
        parts = unicodedata.normalize("NFD", char)
        tones = [m for m in parts if m in "\u0300\u0301\u0303\u0309\u0323"]
        base = unicodedata.normalize("NFC", "".join(m for m in parts if m not in tones))
        out.append(base + "".join(tones))
    return "".join(out).encode("cp1258")


@pytest.fixture()
def samples() -> Path:
    return SAMPLES


@pytest.fixture(autouse=True, scope="session")
def _word_table_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Word tables are cached in a folder of this test session, never in the user's cache."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CLEANER_CACHE_DIR", str(tmp_path_factory.mktemp("cleaner-cache")))
        yield
