"""Property tests over arbitrary Unicode text and random HTML: no stage raises, nothing is lost
without a record, cleaning is idempotent and deterministic."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleaner.commands.pipes import main_text
from cleaner.document import Document, Removal, Segment
from cleaner.errors import InputError
from cleaner.pipeline import build_stages, run

STAGES = build_stages()
BUDGET = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)

words = st.sampled_from(
    "the ministry said Vietnam digital transformation chuyển đổi số quốc gia Theo dõi trên Share "
    "Powered by : - Ảnh 1. © 2024 Mr. U.S. 3.2 https://x.vn a@b.vn • | » Thedevelopmentof "
    "informationtechnology(IT) “quote” ... ! ? \u00a0 \u200b \u00ad é Việt".split(" ")
)
prose = st.lists(st.one_of(words, st.text(max_size=12)), max_size=80).map(" ".join)
lines = st.lists(st.one_of(prose, st.just(""), st.text(max_size=40)), max_size=12).map("\n".join)
# Idempotence is about cleaning text, not about re-deciding the language of word salad: it is
# tested on English and on Vietnamese text made of real words and chrome (and on the samples).
EN_WORDS = st.sampled_from(
    "the ministry said Vietnam digital transformation Share Powered by : © 2024 Mr. U.S. 3.2 "
    "https://x.vn a@b.vn • | » Thedevelopmentof informationtechnology(IT) “quote” ... ! ? "
    "programme officials Read more Photo: Reuters".split(" ")
)
VI_WORDS = st.sampled_from(
    "chuyển đổi số quốc gia Theo dõi trên Bộ Thông tin và Truyền thông cho biết năm 2024 "
    "- Ảnh 1. Chia sẻ Tin liên quan • doanh nghiệp phát triển mạnh .".split(" ")
)


def text_of(pool: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    line = st.one_of(st.lists(pool, min_size=1, max_size=40).map(" ".join), st.just(""))
    return st.lists(line, max_size=12).map("\n".join)


word_lines = st.one_of(text_of(EN_WORDS), text_of(VI_WORDS))


def process(text: str, kind: str = "text") -> Document | None:
    try:
        return run(
            Document(id="p", source="p.txt", kind=kind, raw=text.encode("utf-8", "surrogatepass")), STAGES
        )
    except InputError:
        return None  # a named, clear error (empty, binary): allowed


def uncovered(doc: Document) -> list[str]:
    """Non-space characters of the decoded text that no segment and no removal accounts for."""
    covered = bytearray(len(doc.text) + 1)
    for start, end in [(s.start, s.end) for s in doc.segments] + [(r.start, r.end) for r in doc.removals]:
        covered[max(0, start) : max(0, end)] = b"\x01" * (max(0, end) - max(0, start))
    return [c for i, c in enumerate(doc.text) if not c.isspace() and not covered[i]]


@BUDGET
@given(lines)
def test_any_text_is_processed_and_fully_accounted_for(text: str) -> None:
    doc = process(text)
    if doc is None:
        return
    assert uncovered(doc) == []


@BUDGET
@given(st.text(max_size=300))
def test_arbitrary_unicode_never_raises(text: str) -> None:
    doc = process(text)
    if doc is not None:
        assert uncovered(doc) == []


@BUDGET
@given(word_lines)
def test_cleaning_is_idempotent(text: str) -> None:
    doc = process(text)
    if doc is None:
        return
    once = main_text(doc)
    again = process(once)
    assert again is not None or not once.strip()
    if again is not None:
        assert main_text(again) == once


@BUDGET
@given(lines)
def test_output_is_deterministic(text: str) -> None:
    first, second = process(text), process(text)
    if first is None:
        assert second is None
        return
    assert second is not None
    assert [s.to_json() for s in first.segments] == [s.to_json() for s in second.segments]
    assert [r.to_json() for r in first.removals] == [r.to_json() for r in second.removals]


tags = st.sampled_from(
    "div p span b i a ul li table tr td h1 h2 aside nav footer header article section figure figcaption script style br form".split()
)


@st.composite
def html_pages(draw: st.DrawFn) -> str:
    parts = ["<html><body>"]
    for _ in range(draw(st.integers(0, 40))):
        choice = draw(st.integers(0, 3))
        tag = draw(tags)
        if choice == 0:
            parts.append(
                f"<{tag} class='{draw(st.sampled_from(['content', 'sidebar', 'share', 'x', 'tin-lien-quan']))}'>"
            )
        elif choice == 1:
            parts.append(f"</{tag}>")
        else:
            parts.append(draw(prose).replace("<", "&lt;"))
    parts.append("</body></html>")
    return "".join(parts)


@BUDGET
@given(html_pages())
def test_random_html_never_raises_and_is_accounted_for(page: str) -> None:
    doc = process(page, kind="html")
    if doc is not None:
        assert uncovered(doc) == []


def test_cleaning_the_samples_twice_changes_nothing() -> None:
    from conftest import PAGE_000, PAGE_003

    for page in (PAGE_000, PAGE_003):
        once = main_text(process(page.read_text(encoding="utf-8")))
        assert main_text(process(once)) == once


@BUDGET
@given(text=st.one_of(lines, word_lines, st.text(max_size=60)), n=st.integers(min_value=0, max_value=30))
def test_more_words_than_answers_as_a_full_split_does(text: str, n: int) -> None:
    from cleaner.wordcount import more_words_than

    assert more_words_than(text, n) == (len(text.split()) > n)


def test_more_words_than_on_the_sample_lines() -> None:
    from cleaner.wordcount import more_words_than
    from conftest import SAMPLES

    for page in sorted(SAMPLES.glob("*.txt")):
        for line in page.read_text(encoding="utf-8").splitlines():
            for n in (0, 3, 4, 5, 8, 14, 19):
                assert more_words_than(line, n) == (len(line.split()) > n), (page.name, line, n)


# Shortcuts that skip a pattern where a cheaper test gives the same answer: the same answer as
# the pattern itself, on any text.
edge_runs = st.one_of(
    words, st.text(max_size=12), st.text(alphabet="ab’'s.,!()“”-—é1", max_size=10), st.text(max_size=3)
)


@BUDGET
@given(run=edge_runs)
def test_a_core_is_what_the_edge_pattern_leaves(run: str) -> None:
    from cleaner.stages.whitespace import _EDGE_PUNCT, _core

    assert _core(run) == _EDGE_PUNCT.sub("", run)


scripts = st.sampled_from(
    [
        "Москва",
        "Київ",
        "مرحبا",
        "Ελλάδα",
        "שלום",
        "हिन्दी",
        "ไทย",
        "Hà Nội",
        "Vietnam",
        "“",
        "2024",
        ",",
        "\u0301",
    ]
)


@BUDGET
@given(text=st.one_of(st.lists(scripts, max_size=6).map(" ".join), st.text(max_size=20)))
def test_shared_script_answers_as_the_six_searches_do(text: str) -> None:
    from cleaner.langid import _OUTSIDE_SCRIPT, _TOKEN, shared_script

    full = None
    if _TOKEN.search(text):
        full = next((s for s, outside in _OUTSIDE_SCRIPT.items() if not outside.search(text)), None)
    assert shared_script(text) == full


@BUDGET
@given(text=st.one_of(prose, st.text(max_size=40)))
def test_lower_words_are_the_tokens_lowered_and_stripped(text: str) -> None:
    from cleaner.langid import _TOKEN, lower_words

    words = _TOKEN.findall(text)
    assert lower_words(words) == [w.lower().strip("'’") for w in words]


@BUDGET
@given(text=st.one_of(lines, st.text(alphabet="ab \r\n\x0b\x0c\x85\u2028\u2029", max_size=20)))
def test_line_endings_are_normalised_with_or_without_the_first_look(text: str) -> None:
    from cleaner.stages.decode import _LINE_BREAK, normalize_line_endings

    assert normalize_line_endings(text) == (_LINE_BREAK.sub("\n", text), len(_LINE_BREAK.findall(text)))


@BUDGET
@given(line=st.one_of(prose, st.text(max_size=30)))
def test_repair_line_strips_every_control_the_pattern_finds(line: str) -> None:
    from cleaner.stages.decode import _CONTROL, repair_line

    fixed, rules = repair_line(line)
    assert not _CONTROL.search(fixed)
    assert ("control" in rules) == bool(_CONTROL.search(line)) or not line.isascii()


@BUDGET
@given(text=st.one_of(prose, st.text(max_size=40)), chars=st.text(min_size=1, max_size=8))
def test_a_finder_finds_what_a_set_test_finds(text: str, chars: str) -> None:
    from cleaner.charsets import finder
    from cleaner.stages.segment import _FIND_OTHER_SPACE, _OTHER_SPACES
    from cleaner.vietnamese import _SPECIFIC_ANY_CASE, has_specific_letter

    assert (finder(chars)(text) is not None) == (not set(chars).isdisjoint(text))
    assert has_specific_letter(text) == (not _SPECIFIC_ANY_CASE.isdisjoint(text))
    assert (_FIND_OTHER_SPACE(text) is not None) == (not _OTHER_SPACES.isdisjoint(text))


json_values = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=20), prose
)


@BUDGET
@given(record=st.dictionaries(st.text(max_size=8), json_values, max_size=8))
def test_the_record_encoder_writes_what_json_writes(record: dict[str, object]) -> None:
    import json

    from cleaner.writers.contract import _ENCODE

    assert _ENCODE(record) == json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode(record)


@BUDGET
@given(text=st.one_of(prose, st.text(max_size=40), st.text(alphabet="ab'’ .\u0301é", max_size=20)))
def test_tokens_are_what_the_token_pattern_finds(text: str) -> None:
    from cleaner.langid import _TOKEN, tokens

    assert tokens(text) == _TOKEN.findall(text)


@BUDGET
@given(text=st.one_of(prose, st.text(max_size=40), st.text(alphabet="aB1_ .,-\u00e9\u0661", max_size=30)))
def test_word_pairs_on_ascii_are_what_the_unicode_patterns_give(text: str) -> None:
    import itertools

    from cleaner.stages.dedup import _DIGITS, _TOKEN, _word_pairs

    folded = text.casefold()
    expected = list(map(" ".join, itertools.pairwise(_TOKEN.findall(_DIGITS.sub("0", folded)))))
    assert list(_word_pairs(text)) == expected


# ASCII text with every kind of character the twins' classes tell apart: letters of both cases,
# digits, the punctuation they name, every ASCII space and the controls \s treats differently.
ascii_text = st.text(
    alphabet="aZk9_ .,;:!?()[]\"'-\t\n\x0b\x0c\r\x1c\x1f@/" + "".join(map(chr, range(128))), max_size=40
)


@BUDGET
@given(text=st.one_of(ascii_text, prose.filter(str.isascii)))
def test_every_ascii_twin_finds_what_its_regex_pattern_finds(text: str) -> None:
    from cleaner import langid, sentences
    from cleaner.charsets import ReTwin
    from cleaner.stages import dedup, whitespace

    twins = [langid._TOKENS, dedup._WORDS, dedup._NUMBERS, whitespace._SUSPECTS, sentences._CANDIDATES]
    twins.append(sentences._TOKENS_AT)
    for twin in twins:
        assert isinstance(twin, ReTwin) and twin.on(text) is twin.ascii
        mine = [m.span() for m in twin.ascii.finditer(text)]
        assert mine == [m.span() for m in twin.full.finditer(text)], twin.full.pattern
        for start in range(len(text) + 1):
            found, expected = twin.ascii.search(text, start), twin.full.search(text, start)
            assert (found and found.span()) == (expected and expected.span()), (twin.full.pattern, start)


def test_latin_text_is_letters_and_common_characters_as_regex_sees_them() -> None:
    import re

    import regex

    from cleaner.charsets import LATIN_LETTERS, latin_text
    from cleaner.langid import _NOT_LATIN

    letter = re.compile(f"[{LATIN_LETTERS}]")
    domain = [*range(0x250), *range(0x1E00, 0x1F00), *range(0x2000, 0x2065), *range(0x2066, 0x2070)]
    for code in domain:
        char = chr(code)
        assert latin_text(char), hex(code)
        assert (letter.match(char) is not None) == (regex.match(r"\p{L}", char) is not None), hex(code)
        assert regex.match(r"\p{M}", char) is None and _NOT_LATIN.search(char) is None, hex(code)
    for code in (0x250, 0x300, 0x370, 0x1DFF, 0x1F00, 0x1FFF, 0x2065, 0x2070, 0x20AC, 0x4E00):
        assert not latin_text(chr(code)), hex(code)


latin = st.text(
    alphabet="aZ'’“” .,-–\u00a0\u00e9\u00c0\u00ff\u0131\u01b0\u1ea1\u1ec7\u1ef9\u2026\u00b5\u00aa",
    max_size=40,
)


@BUDGET
@given(text=st.one_of(latin, st.lists(VI_WORDS, max_size=20).map(" ".join)))
def test_latin_twins_find_what_their_regex_patterns_find(text: str) -> None:
    from cleaner.charsets import latin_text
    from cleaner.langid import _NEUTRAL, _TOKEN, _TOKENS, tokens

    if latin_text(text) and not text.isascii():
        assert _TOKENS.on(text) is _TOKENS.latin
    assert tokens(text) == _TOKEN.findall(text)
    if not ("Ảnh" in text or "(Photo:" in text or "(Nguồn:" in text):
        assert _NEUTRAL.search(text) is None


@BUDGET
@given(
    text=st.one_of(
        lines,
        word_lines,
        st.text(max_size=60),
        st.text(alphabet=" a\t\n\x1c\x85\xa0\u2028\u3000", max_size=12),
    )
)
def test_squeeze_spaces_text_as_a_split_and_join_does(text: str) -> None:
    from cleaner.wordcount import squeeze

    assert squeeze(text) == " ".join(text.split())


any_text = st.text(alphabet=st.characters(codec=None), max_size=30)  # quotes, controls, any plane
offsets = st.integers(min_value=0, max_value=10**9)
similarities = st.one_of(st.none(), st.floats(min_value=0, max_value=1), st.sampled_from([0.7, 1.0, 0.333]))
maybe_text = st.one_of(st.none(), any_text)


@BUDGET
@given(
    st.builds(Segment, *[any_text] * 5, offsets, offsets, offsets, maybe_text, similarities),
    st.builds(Removal, *[any_text] * 4, offsets, offsets, maybe_text, similarities),
)
def test_segment_and_removal_lines_are_their_records_encoded(segment: Segment, removal: Removal) -> None:
    """The lines written field by field are the text the record encoder makes of ``to_json``."""
    from cleaner.writers.contract import jsonl, removal_line, segment_line

    assert segment_line(segment) == jsonl([segment.to_json()])
    assert removal_line(removal) == jsonl([removal.to_json()])
