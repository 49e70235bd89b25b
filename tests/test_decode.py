"""The decode stage on each encoding case, with real Vietnamese text."""

from __future__ import annotations

import codecs
import os
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.document import Document
from cleaner.errors import InputError
from cleaner.stages.decode import decode, decode_bytes, repair_text
from conftest import VI_SENTENCE, to_cp1258


def decoded(data: bytes, kind: str = "text") -> Document:
    return decode(Document(id="t", source="t.txt", kind=kind, raw=data))


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (codecs.BOM_UTF8 + VI_SENTENCE.encode("utf-8"), "utf-8"),
        (VI_SENTENCE.encode("utf-16"), "utf-16-le"),
        (codecs.BOM_UTF16_BE + VI_SENTENCE.encode("utf-16-be"), "utf-16-be"),
        (VI_SENTENCE.encode("utf-8"), "utf-8"),
        (to_cp1258(VI_SENTENCE), "cp1258"),
        (VI_SENTENCE.encode("viscii"), "viscii"),
    ],
)
def test_vietnamese_in_every_encoding_comes_out_as_the_same_nfc_text(data: bytes, encoding: str) -> None:
    doc = decoded(data)
    assert doc.text == VI_SENTENCE
    assert codecs.lookup(doc.metadata["encoding"]).name == codecs.lookup(encoding).name


def test_windows_1258_is_not_mistaken_for_windows_1252() -> None:
    # The same bytes are valid windows-1252, where they read "ChÆ°Æ¡ng"-like gibberish.
    data = to_cp1258(VI_SENTENCE)
    assert data.decode("cp1252") != VI_SENTENCE
    text, encoding = decode_bytes(data)
    assert encoding == "cp1258"
    assert unicodedata.normalize("NFC", text) == VI_SENTENCE


def test_windows_1252_english_keeps_its_curly_quotes() -> None:
    doc = decoded("Vietnam’s “open” café".encode("cp1252"))
    assert doc.text == "Vietnam’s “open” café"


def test_html_meta_charset_is_honoured() -> None:
    page = (
        b'<html><head><meta charset="windows-1258"></head><body><p>'
        + to_cp1258(VI_SENTENCE)
        + b"</p></body></html>"
    )
    doc = decoded(page, kind="html")
    assert doc.metadata["encoding"] == "cp1258"
    assert VI_SENTENCE in unicodedata.normalize("NFC", doc.text)


@pytest.mark.parametrize(
    ("broken", "fixed"),
    [
        ("Vietnamâ€™s digital economy", "Vietnam’s digital economy"),
        ("Viá»‡t Nam", "Việt Nam"),
        ("Chuyá»ƒn Ä‘á»•i sá»‘", "Chuyển đổi số"),
    ],
)
def test_mojibake_is_repaired_and_recorded(broken: str, fixed: str) -> None:
    doc = decoded(broken.encode("utf-8"))
    assert doc.text == fixed
    (edit,) = doc.edits
    assert edit.before == broken and edit.after == fixed
    assert edit.rule.startswith("ftfy:")
    assert doc.text[edit.start : edit.end] == fixed


def test_decomposed_vietnamese_becomes_nfc() -> None:
    nfd = unicodedata.normalize("NFD", VI_SENTENCE)
    assert nfd != VI_SENTENCE
    doc = decoded(nfd.encode("utf-8"))
    assert doc.text == VI_SENTENCE
    assert "NFC" in doc.edits[0].rule


def test_invisible_characters_spaces_and_controls() -> None:
    raw = "Hà\u00a0Nội e\u00adcommerce zero\u200bwidth bell\x07 end"
    text, edits = repair_text(raw)
    assert text == "Hà Nội ecommerce zerowidth bell end"
    (edit,) = edits
    assert "invisible" in edit.rule and "space" in edit.rule and "control" in edit.rule
    assert edit.before == raw


def test_crlf_and_cr_become_lf_and_are_counted() -> None:
    doc = decoded(b"line one\r\nline two\rline three\n")
    assert doc.text == "line one\nline two\nline three\n"
    assert doc.edits[0].rule == "line-endings" and doc.edits[0].before == "2 line breaks"


def test_clean_text_passes_unchanged_with_no_record() -> None:
    text = "Clean text stays.\nDòng thứ hai cũng vậy.\n"
    doc = decoded(text.encode("utf-8"))
    assert doc.text == text and doc.edits == ()


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"", "empty file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG"),
        (b"text with a NUL \x00 byte" * 10, "NUL"),
        (b"abc \xff\xfe\xfd\xc3\x28 def \x81\x8d", "invalid UTF-8 at byte 4"),
    ],
)
def test_bad_input_raises_a_named_error(data: bytes, problem: str) -> None:
    with pytest.raises(InputError) as info:
        decode_bytes(data, "page.txt")
    assert problem in str(info.value)
    assert str(info.value).startswith("page.txt: ")


def test_ftfy_runs_exactly_the_steps_the_fast_path_was_checked_against() -> None:
    """A line skips ftfy only when no step it runs could act; a new ftfy step must be reviewed."""
    import ftfy

    from cleaner.stages.decode import FTFY_STEPS_CHECKED

    assert tuple(ftfy.FIXERS) == FTFY_STEPS_CHECKED


# Lines that each need one step, beside clean ones; each is also tried inside clean text.
TRICKY_LINES = [
    "Vietnamâ€™s economy",  # mojibake
    "Chuye\u0302\u0309n \u0111o\u0302\u0309i so\u0302\u0301",  # decomposed Vietnamese
    "ＡＳＥＡＮ summit",  # full width
    "ﬁnancial reports",  # a ligature
    "price \x80 and \x9d",  # C1 controls
    "zero\u200bwidth and soft\u00adhyphen",
    "no\u00a0break and ideographic\u3000space",
    "\ufeffByte order mark",
    "terminal \x1b[31mred\x1b[0m text",
    "stray \x07 bell with đổi",
    "Chuyển đổi số quốc gia là ưu tiên hàng đầu.",
    "The minister’s “digital” plan – phase 2…",
    "Thủ tướng Phạm Minh Chính chủ trì hội nghị",
]


@pytest.mark.parametrize("line", TRICKY_LINES)
def test_the_fast_path_agrees_with_running_every_step(line: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from cleaner.stages import decode as stage

    fast = [stage.repair_line(line), stage.repair_line(f"Tiếp theo {line} và hơn thế nữa")]
    monkeypatch.setattr(stage, "looks_bad", lambda _text: True)  # the precheck now never skips
    full = [stage.repair_line(line), stage.repair_line(f"Tiếp theo {line} và hơn thế nữa")]
    assert fast == full


def test_the_samples_decode_the_same_with_and_without_the_fast_path(
    samples: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cleaner.stages import decode as stage

    texts = [path.read_text(encoding="utf-8") for path in sorted(samples.glob("*.txt"))]
    assert texts
    fast = [repair_text(text) for text in texts]
    monkeypatch.setattr(stage, "looks_bad", lambda _text: True)
    assert [repair_text(text) for text in texts] == fast


# Characters every step of repair looks for, with letters and punctuation they sit among.
_MIXED = st.text(
    alphabet=st.sampled_from(
        [
            *"aZ ,.’“”–…éàÃ©Â€™ƒ\u0301\u0302đưệ",
            *("\x80", "\x9d", "\x07", "\x1b", "[", "m", "\u200b", "\u00ad", "\u00a0", "\u3000"),
            *("\ufeff", "ﬁ", "Ａ", "ｶ", "\ufffc", "\u206a", "œ", "°", "×", "√", "≈", "‚", "Ä"),
        ]
    ),
    max_size=24,
)


@settings(max_examples=400, deadline=None, derandomize=True)
@given(_MIXED)
def test_any_line_repairs_the_same_with_and_without_the_fast_path(line: str) -> None:
    from cleaner.stages import decode as stage

    fast = stage.repair_line(line)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(stage, "looks_bad", lambda _text: True)
        assert stage.repair_line(line) == fast


def _badness_alphabet() -> list[str]:
    """Characters of ftfy's mojibake pattern (each of its sets, sampled) with ASCII and Vietnamese."""
    from ftfy.badness import BADNESS_RE

    chars = sorted({c for c in BADNESS_RE.pattern if ord(c) > 127})
    return [*chars, *"aZ ,.\t'\"-1", *"ếệươđạ"]


@settings(max_examples=600, deadline=None, derandomize=True)
@given(st.text(alphabet=st.sampled_from(_badness_alphabet()), max_size=8))
def test_the_mojibake_shortcut_never_hides_a_bad_line(text: str) -> None:
    from ftfy.badness import is_bad

    from cleaner.mojibake import looks_bad

    assert looks_bad(text) == bool(is_bad(text))


@settings(max_examples=600, deadline=None, derandomize=True)
@given(st.text(alphabet=st.sampled_from(_badness_alphabet()), max_size=40))
def test_searching_near_the_shortcuts_hits_finds_what_searching_everything_finds(text: str) -> None:
    """Every line searched by windows (as long lines are), against ftfy's own answer."""
    from ftfy.badness import is_bad

    from cleaner import mojibake

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(mojibake, "SEARCH_NEAR_FROM", 0)
        assert mojibake.looks_bad(text) == bool(is_bad(text))


def test_everyday_vietnamese_pairs_pass_the_shortcut_without_ftfys_pattern(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """ "đã", "đà", "đá" pair a first and a second character of the merged sets, though no
    alternative of ftfy's pattern has them together: the full search is never needed."""
    from cleaner import mojibake

    line = "Ông ấy đã đến Đà Nẵng, đá bóng và đàm phán."
    assert mojibake._QUICK is not None and mojibake._QUICK.pattern.search(line) is not None

    def full_search() -> None:
        raise AssertionError("ftfy's pattern was needed")

    monkeypatch.setattr(mojibake, "_badness", full_search)
    assert not mojibake.looks_bad(line)


@pytest.mark.parametrize(("line", "passed_over"), [("xđ§¤x", "đ§"), ("xđ±¡x", "đ±"), ("Tôi đ§¤ đến", "đ§")])
def test_a_hit_inside_a_pair_passed_over_is_still_found(line: str, passed_over: str) -> None:
    """ "đ§" is no alternative's pair, "§¤" is: the search after a pair passed over goes on
    from its second character, not past it."""
    from ftfy.badness import is_bad

    from cleaner.mojibake import _QUICK, looks_bad

    assert _QUICK is not None
    first = _QUICK.pattern.search(line)
    assert first is not None and first.group() == passed_over
    assert not any(passed_over[0] in a and passed_over[1] in b for a, b in _QUICK.pairs)
    assert is_bad(line) and looks_bad(line)


@pytest.mark.parametrize("where", [0, 1, 999, 2000, 4000])
def test_a_long_line_is_bad_wherever_its_mojibake_is(where: int) -> None:
    """A 4,000-character line of clean text whose names the quick test stops at, and one
    broken word."""
    from ftfy.badness import is_bad

    from cleaner.mojibake import _QUICK, SEARCH_NEAR_FROM, looks_bad

    clean = ("Đà Nẵng – cœur d’Alene, Łódź. The summit will feature talks. " * 70)[:4000]
    assert _QUICK is not None and len(list(_QUICK.pattern.finditer(clean))) > 100
    assert len(clean) >= SEARCH_NEAR_FROM and not is_bad(clean) and not looks_bad(clean)
    broken = clean[:where] + "Vietnamâ€™s" + clean[where:]
    assert is_bad(broken) and looks_bad(broken)


def test_a_match_that_only_a_windows_end_allows_is_not_taken(monkeypatch: pytest.MonkeyPatch) -> None:
    """A pattern that looks further ahead than it matches (not ftfy's today): a window's end
    must not pass for the end of the line."""
    import re

    from cleaner import mojibake

    bad = re.compile(r"ab(?!.{5}c)|zz")  # "ab", unless "c" comes five characters later
    monkeypatch.setattr(mojibake, "_badness", lambda: bad)
    monkeypatch.setattr(mojibake, "_badness_width", lambda: 2)
    quick = mojibake.QuickTest.of(bad)
    assert quick is not None
    monkeypatch.setattr(mojibake, "_QUICK", quick)
    monkeypatch.setattr(mojibake, "SEARCH_NEAR_FROM", 0)
    assert mojibake.looks_bad("ab.....") and not mojibake.looks_bad("abxxxxxc")
    assert mojibake.looks_bad("abxxxxxc ab") and not mojibake.looks_bad("abxxxxxc abxxxxxc")


def test_the_mojibake_shortcut_is_derived_and_lets_clean_text_through() -> None:
    from ftfy.badness import BADNESS_RE

    from cleaner.mojibake import _QUICK, looks_bad, necessary_condition

    assert _QUICK is not None  # ftfy's pattern still has the shape the shortcut reads
    assert necessary_condition(BADNESS_RE) is not None
    broken_lines = ("Vietnamâ€™s economy", "sÃ³ng", "cafÃ© au lait", "â€œquotedâ€\x9d", "la Ã  la", "Â©2024")
    for broken in broken_lines:
        assert looks_bad(broken), broken
    for clean in ("Chuyển đổi số quốc gia là ưu tiên hàng đầu.", "The minister’s plan", "Thủ tướng"):
        assert _QUICK.pattern.search(clean) is None, clean


def test_ftfy_facts_read_back_as_made_and_match_the_installed_ftfy() -> None:
    import ftfy
    from ftfy.badness import BADNESS_RE

    from cleaner.mojibake import FtfyFacts, ftfy_facts

    made = FtfyFacts.from_ftfy()
    assert FtfyFacts.from_bytes(made.to_bytes()) == made
    assert ftfy_facts() == made  # what the cache gave this process is the installed ftfy's
    assert made.fixers == tuple(ftfy.FIXERS)
    assert made.badness == (BADNESS_RE.pattern, BADNESS_RE.flags)
    assert {"\x1b", "\x80", "\x9f", "\ud800", "ﬁ", "Ａ", "\u3000"} <= made.acted_on  # U+3000: width
    assert made.acted_on.isdisjoint("\u00a0\u200b\u2009aZđệ")  # ours, or no step's
    # ftfy's pattern is an alternation of short runs of characters: a long line is searched
    # only near the quick test's hits (see test_a_long_line_is_bad_wherever_its_mojibake_is).
    assert made.badness_width is not None and 2 <= made.badness_width < 16
    with pytest.raises(ValueError):
        FtfyFacts.from_bytes(b'{"not": "facts"}')


def test_longest_match_bounds_what_a_pattern_can_match() -> None:
    import re

    from cleaner.mojibake import longest_match

    assert longest_match(re.compile("ab|c[de]fg")) == 4
    assert longest_match(re.compile("x(?:yz)?")) == 3
    assert longest_match(re.compile("a+")) is None  # no bound: lines are searched whole


def test_a_line_ftfy_cannot_change_does_not_go_through_it(monkeypatch: pytest.MonkeyPatch) -> None:
    from cleaner.stages import decode as stage

    def no_ftfy() -> None:
        raise AssertionError("ftfy was asked")

    monkeypatch.setattr(stage, "_ftfy", no_ftfy)
    assert stage.repair_line("no\u00a0break, zero\u200bwidth, đổi") == (
        "no break, zerowidth, đổi",
        ["invisible", "space"],
    )
    assert stage.repair_line("Chuyển đổi số quốc gia") == ("Chuyển đổi số quốc gia", [])
    with pytest.raises(AssertionError, match="ftfy was asked"):
        stage.repair_line("ﬁnancial reports")  # a ligature: ftfy's to fix
    with pytest.raises(AssertionError, match="ftfy was asked"):
        stage.repair_line("Vietnamâ€™s economy")  # mojibake


def test_starting_cleaner_does_not_import_ftfy(tmp_path: Path) -> None:
    """ftfy is imported when a line needs it, not at start (it took a fifth of every start)."""
    env = dict(os.environ, CLEANER_CACHE_DIR=str(tmp_path))
    code = "import sys, cleaner.cli, cleaner.pipeline; print('ftfy' in sys.modules)"
    first = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    again = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert first.stdout.strip() == "True"  # nothing cached yet: the facts are read from ftfy
    assert again.stdout.strip() == "False"


def test_the_mojibake_shortcut_is_the_same_in_every_process() -> None:
    """Derived from sets, it must not follow the hash seed: a cached copy serves every process."""
    code = "from cleaner.mojibake import FtfyFacts; print(FtfyFacts.from_ftfy().maybe_bad)"
    shortcuts = {
        subprocess.run(
            [sys.executable, "-c", code],
            env=dict(os.environ, PYTHONHASHSEED=str(seed)),
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in (1, 2, 3)
    }
    assert len(shortcuts) == 1


def test_control_bytes_count_against_a_page_but_tabs_newlines_and_escapes_do_not() -> None:
    from cleaner.stages.decode import MAX_CONTROL_SHARE, sniff_binary

    line = "Theo dõi ICTVietnam trên Google News.\t\r\n\f\x1b".encode()
    assert sniff_binary(line * 200) is None  # every byte text uses, whatever the share
    text = b"a" * 90
    assert MAX_CONTROL_SHARE == 0.10
    assert sniff_binary(text + b"\x01" * 10) is None  # 10 in 100: not over the share
    assert sniff_binary(text + b"\x01\x02\x1c\x1f" * 3) == "binary data (control bytes)"  # 12 in 102
    # Only the first 8,192 bytes are looked at: control bytes after them do not count.
    assert sniff_binary(b"a" * 8192 + b"\x01" * 5000) is None
