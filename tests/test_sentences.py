"""Sentence boundaries on the hazards of news text in English and Vietnamese."""

from __future__ import annotations

import pytest

from cleaner import split_sentences
from cleaner.sentences import Segmenter, sentence_spans


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Mr. Hung met Dr. Lan at 9 a.m. on Monday. They agreed.",
            ["Mr. Hung met Dr. Lan at 9 a.m. on Monday.", "They agreed."],
        ),
        ("The U.S. market grew. The E.U. did not.", ["The U.S. market grew.", "The E.U. did not."]),
        ("Use e.g. the new portal, i.e. the open one.", ["Use e.g. the new portal, i.e. the open one."]),
        (
            "Vietnam’s market is worth VND3.2 trillion (US $133 million). It grew 75.7 million users.",
            ["Vietnam’s market is worth VND3.2 trillion (US $133 million).", "It grew 75.7 million users."],
        ),
        ("He said, “It works.” Then he left.", ["He said, “It works.”", "Then he left."]),
        (
            "The platform (launched in 2019.) is free. Users like it.",
            ["The platform (launched in 2019.) is free.", "Users like it."],
        ),
        ("It rained.\u00a0Then it stopped.", ["It rained.", "Then it stopped."]),
        ("The list grew in 2020. 35 firms joined.", ["The list grew in 2020.", "35 firms joined."]),
        ("Sales rose. iPhone sales rose most.", ["Sales rose.", "iPhone sales rose most."]),
        ("Write to support@bluezone.vn. We reply fast.", ["Write to support@bluezone.vn.", "We reply fast."]),
        ("FPT.AI and Base.vn joined. Others follow.", ["FPT.AI and Base.vn joined.", "Others follow."]),
        ("Is it ready?! Yes!! Go.", ["Is it ready?!", "Yes!!", "Go."]),
    ],
)
def test_english(text: str, expected: list[str]) -> None:
    assert split_sentences(text, "en") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Thành phố lớn nhất là TP. Hồ Chí Minh. Dân số khoảng 9 triệu người.",
            ["Thành phố lớn nhất là TP. Hồ Chí Minh.", "Dân số khoảng 9 triệu người."],
        ),
        (
            "TS. Nguyễn Văn A và PGS. Trần Thị B đã phát biểu. ThS. Lê C cũng dự.",
            ["TS. Nguyễn Văn A và PGS. Trần Thị B đã phát biểu.", "ThS. Lê C cũng dự."],
        ),
        (
            "BS. Diệp khám tại Q.12, TP.HCM vào ngày 2.7 tới. Chi phí là 1.000.000 đồng.",
            ["BS. Diệp khám tại Q.12, TP.HCM vào ngày 2.7 tới.", "Chi phí là 1.000.000 đồng."],
        ),
        ("Đội U.23 VN thắng. P. Bến Nghé tổ chức mừng.", ["Đội U.23 VN thắng.", "P. Bến Nghé tổ chức mừng."]),
    ],
)
def test_vietnamese(text: str, expected: list[str]) -> None:
    assert split_sentences(text, "vi") == expected


def test_spans_are_offsets_into_the_input() -> None:
    text = "  First one.  Second one!\nThird?  "
    spans = sentence_spans(text)
    assert [text[s:e] for s, e in spans] == ["First one.", "Second one!", "Third?"]


def test_user_abbreviations() -> None:
    text = "See Abs. Smith for details. Thanks."
    assert Segmenter("en").spans(text) != Segmenter("en", ["Abs"]).spans(text)
    cut = Segmenter("en", ["Abs."]).spans(text)
    assert [text[s:e] for s, e in cut] == ["See Abs. Smith for details.", "Thanks."]


@pytest.mark.parametrize("text", ["", "   ", ".", "...", "a" * 5000, ". " * 3000, "word." * 2000, "\n" * 100])
def test_degenerate_input(text: str) -> None:
    spans = sentence_spans(text)
    assert all(0 <= s < e <= len(text) for s, e in spans)
    assert (
        "".join(text[s:e] for s, e in spans).replace(" ", "") in text.replace(" ", "").replace("\n", "")
        or spans == []
    )


def test_the_segment_stage_knows_every_space_its_pattern_folds() -> None:
    """Sentences skip the space folding when they hold none of these; none may be missing."""
    from cleaner.stages.segment import _OTHER_SPACES, _SPACES

    missed = [hex(c) for c in range(0x110000) if chr(c) != " " and _SPACES.match(chr(c))]
    assert set(missed) == {hex(ord(c)) for c in _OTHER_SPACES}


@pytest.mark.parametrize(
    ("block", "expected"),
    [
        ("The ministry  said\u00a0so.", "The ministry said so."),
        ("Bộ\tThông tin\u2009và Truyền thông.", "Bộ Thông tin và Truyền thông."),
        ("Plain text stays as it is.", "Plain text stays as it is."),
    ],
)
def test_segments_fold_runs_of_spaces_into_one(block: str, expected: str) -> None:
    from cleaner.document import Block, Document
    from cleaner.stages.segment import segment

    doc = Document(id="d", source="d", text=block, blocks=(Block(block, "body", 0, len(block), "en"),))
    assert [s.text for s in segment(doc).segments] == [expected]
