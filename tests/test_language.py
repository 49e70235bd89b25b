"""Language per segment and the separation of the Vietnamese (or English) sidebar."""

from __future__ import annotations

from pathlib import Path

import pytest

from cleaner import detect_language
from cleaner.cli import main
from cleaner.document import Document
from cleaner.pipeline import build_stages, run
from cleaner.vietnamese import is_syllable
from conftest import PAGE_003

TEASERS = [
    "Báo chí quốc tế viết gì về Triển lãm Quốc phòng quốc tế Việt Nam 2024?",
    "Sự kiện Triển lãm Quốc phòng quốc tế Việt Nam năm 2024 thu hút sự chú ý trong - ngoài nước và cả nhiều cơ quan truyền thông quốc tế.",
    "“AI như là một chiếc gương đen”",
    'Bài báo "AI is the Black Mirror" của Philip Ball cung cấp một cái nhìn chi tiết về trí tuệ nhân tạo (AI) và tác động của nó đến nhận thức con người.',
    "Chất lượng thông tin báo chí về kinh tế - Vai trò, yêu cầu thước đo và giải pháp cần có",
    "Báo chí kinh tế cần là diễn đàn thực thụ cho doanh nghiệp, không chỉ cung cấp thông tin.",
    "Những “ngọn đuốc” ở bản",
    "Ở Tuyên Quang, người có uy tín là những người đi đầu thay đổi nếp nghĩ, cách làm của bà con dân tộc thiểu số (DTTS).",
    "5 lý do để tăng cường bảo mật mạng",
    "Các chương trình an ninh mạng đã phát triển đáng kể trong vài thập kỷ qua.",
]


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        # English lines with Vietnamese names, accented or not, stay English
        ("Minister of Information and Communications, Nguyen Huy Dung, said the summit opens today.", "en"),
        ("MIC Minister Nguyễn Mạnh Hùng noted that IT is penetrating every corner of social life.", "en"),
        # an English line quoting a Vietnamese phrase stays English
        (
            "The programme, known locally as “Chuyển đổi số quốc gia”, was approved by the Prime Minister in June.",
            "en",
        ),
        # caption markers and brands are not evidence
        ("2020 - Year of national digital transformation in Vietnam  - Ảnh 1.", "en"),
        ("Theo dõi ICTVietnam trên", "vi"),
        ("ICTVietnam", "und"),
        # Vietnamese with and without diacritics, short and long
        ("Đừng bỏ lỡ", "vi"),
        ("Dung bo lo", "vi"),
        ("Thong tin can chinh xac va kip thoi de ho tro doanh nghiep.", "vi"),
        ("Trang chủ", "vi"),
        # short English UI strings and headings
        ("Smart shoppers", "en"),
        ("Read more", "en"),
        # other languages are other languages
        ("La pandémie a été un peu moins mortelle que les pires saisons grippales.", "fr"),
        ("Ele anunciou a arquiteta como secretária de Urbanismo.", "pt"),
        ("现时该公司市场遍布香港、澳门、中国大陆、台湾、日本。", "zh"),
        # nothing to go on
        ("2020 - 31/12", "und"),
        ("", "und"),
    ],
)
def test_detect_language(text: str, lang: str) -> None:
    assert detect_language(text) == lang


def test_a_name_alone_is_decided_by_its_neighbours() -> None:
    assert detect_language("Nguyễn Mạnh Hùng") == "und"
    en = "The minister spoke at the opening of the summit on Monday morning."
    vi = "Bộ trưởng phát biểu tại lễ khai mạc hội nghị sáng thứ Hai."
    page = f"{en}\n\nNguyễn Mạnh Hùng\n\n{en}\n\n{en}\n\n{vi}\n\nNguyễn Mạnh Hùng\n\n{vi}\n"
    doc = run(Document(id="p", source="p.txt", raw=page.encode("utf-8")), build_stages())
    names = [b for b in doc.blocks if b.text == "Nguyễn Mạnh Hùng"]
    assert [b.lang for b in names] == ["en", "vi"]


def test_names_in_a_row_take_the_settled_neighbour_before_them() -> None:
    """The second of two names sees the first as already settled, not as undecided."""
    en = "The minister spoke at the opening of the summit on Monday morning."
    vi = "Bộ trưởng phát biểu tại lễ khai mạc hội nghị sáng thứ Hai."
    page = f"{en}\n\n{en}\n\nNguyễn Mạnh Hùng\n\nPhạm Minh Chính\n\n{vi}\n"
    doc = run(Document(id="p", source="p.txt", raw=page.encode("utf-8")), build_stages())
    assert detect_language("Phạm Minh Chính") == "und" and doc.main_lang == "en"
    names = [b.lang for b in doc.blocks if b.text in ("Nguyễn Mạnh Hùng", "Phạm Minh Chính")]
    # The first name follows English; the second sits between English (settled) and
    # Vietnamese, which disagree, so it takes the page's main language.
    assert names == ["en", "en"]


def test_detection_is_deterministic() -> None:
    """The same answer every time, from the cache or worked out anew (langdetect is seeded)."""
    from cleaner.langid import identify

    _identify = identify.__wrapped__  # type: ignore[attr-defined]  # the uncached function
    texts = ["Tudo é poder.", "Moisés e André Leonel.", "Qayyum Abdul Jamal, 43, Mississauga;"]
    first = [detect_language(t) for t in texts]
    for _ in range(5):
        assert [detect_language(t) for t in texts] == first
        assert [_identify(t) for t in texts] == first


def test_a_text_too_long_to_cache_is_judged_like_a_short_one() -> None:
    from cleaner.textcache import MAX_CHARS as CACHED_CHARS

    sentence = "The ministry said the new rules would help small firms sell more abroad. "
    long_text = sentence * (CACHED_CHARS // len(sentence) + 1)
    assert len(long_text) > CACHED_CHARS
    assert detect_language(long_text) == detect_language(sentence) == "en"


def test_sample_003_teasers_go_to_vi_and_nothing_else(tmp_path: Path) -> None:
    assert main(["run", str(PAGE_003), "--out", str(tmp_path)]) == 0
    vi = (tmp_path / f"{PAGE_003.stem}.vi.txt").read_text(encoding="utf-8")
    en = (tmp_path / f"{PAGE_003.stem}.en.txt").read_text(encoding="utf-8")
    for teaser in TEASERS:
        assert teaser in vi, teaser
        assert teaser not in en
    for line in vi.splitlines():
        assert detect_language(line) == "vi", line
    assert "Nổi bật" not in vi and "Đừng bỏ lỡ" not in vi  # widget headings are removed


def test_a_vietnamese_article_with_an_english_sidebar() -> None:
    vi_body = [
        "Bộ Thông tin và Truyền thông cho biết chương trình chuyển đổi số quốc gia đã đạt nhiều kết quả quan trọng.",
        "Theo Bộ trưởng, năm 2020 là năm bản lề của chuyển đổi số, với hàng loạt nền tảng số được ra mắt.",
        "Các doanh nghiệp công nghệ Việt Nam đã phát triển nhiều sản phẩm phục vụ người dân trong mùa dịch.",
    ]
    sidebar = [
        "Most read",
        "Vietnam launches national open data portal",
        "Hanoi pilots 5G in the Old Quarter",
    ]
    page = "Chuyển đổi số năm 2020\n\n" + "\n\n".join(vi_body) + "\n\n" + "\n".join(sidebar) + "\n"
    doc = run(Document(id="p", source="p.txt", raw=page.encode("utf-8")), build_stages())
    assert doc.main_lang == "vi"
    roles = {s.text: (s.lang, s.role) for s in doc.segments}
    assert roles["Vietnam launches national open data portal"] == ("en", "sidebar")
    assert roles[vi_body[0]] == ("vi", "body")


def test_a_mixed_block_is_labelled_sentence_by_sentence() -> None:
    block = (
        "The ministry published the full list of platforms on its website last week. "
        "Danh sách gồm ba mươi ba nền tảng số do doanh nghiệp Việt Nam phát triển."
    )
    page = f"Headline of the article\n\n{block}\n\nThe ministry will review the list every year, officials said.\n"
    doc = run(Document(id="p", source="p.txt", raw=page.encode("utf-8")), build_stages())
    langs = {s.text: (s.lang, s.role) for s in doc.segments}
    assert langs["The ministry published the full list of platforms on its website last week."] == (
        "en",
        "body",
    )
    assert langs["Danh sách gồm ba mươi ba nền tảng số do doanh nghiệp Việt Nam phát triển."] == (
        "vi",
        "sidebar",
    )


def test_a_sentence_in_its_blocks_script_keeps_the_blocks_language() -> None:
    """Langdetect tells Russian from Bulgarian only by guessing on one short sentence: a
    sentence wholly in Cyrillic, in a Russian block, stays Russian; one in English is asked."""
    block = (
        "Надеюсь когда-нибудь понять оливки. Эксклюзивный рецепт для быстрого ужина. "
        "Банально, но зато всегда работает. "
        "Соусом и начинкой послужит то, что будет в холодильнике. "
        "Эффективная диета без отката. "  # langdetect alone: Bulgarian
        "The recipe was first published in English last year."
    )
    page = f"Рецепты недели\n\n{block}\n"
    doc = run(Document(id="p", source="p.txt", raw=page.encode("utf-8")), build_stages())
    langs = {s.text: (s.lang, s.role) for s in doc.segments}
    assert langs["Эффективная диета без отката."] == ("ru", "body")
    assert langs["Банально, но зато всегда работает."] == ("ru", "body")
    assert langs["The recipe was first published in English last year."] == ("en", "sidebar")


def test_short_blocks_in_the_pages_script_are_placed_with_the_rest_of_it() -> None:
    """Alone, langdetect calls these Russian names Macedonian and Ukrainian; on the page's
    Cyrillic text together they are Russian, headings of the article, not sidebar."""
    assert {detect_language("Катерина Каплар"), detect_language("Кристина Белько")} <= {"mk", "uk", "bg"}
    body1 = "Надеюсь когда-нибудь понять оливки. Эксклюзивный рецепт для быстрого ужина."
    body2 = "Соусом и начинкой послужит то, что будет в холодильнике. Сам я люблю хороший сыр."
    page = f"Рецепты недели\n\nКатерина Каплар\n\n{body1}\n\nКристина Белько\n\n{body2}\n"
    doc = run(Document(id="p", source="p.txt", raw=page.encode("utf-8")), build_stages())
    blocks = {b.text: (b.lang, b.role) for b in doc.blocks}
    assert doc.main_lang == "ru"
    assert blocks["Катерина Каплар"] == ("ru", "heading")
    assert blocks["Кристина Белько"] == ("ru", "heading")


@pytest.mark.parametrize(
    ("token", "expected"),
    [
        ("Nguyễn", True),
        ("khuỷu", True),
        ("nguệch", True),
        ("giường", True),
        ("nguyen", True),  # written without diacritics
        ("duong", True),
        ("taiác", False),  # the letters of a syllable, but no Vietnamese rime
        ("nghừ", False),  # ngh is written only before i, e and ê
        ("ci", False),  # so is k, never c
        ("bean", False),  # English: ea is no Vietnamese vowel
        ("main", False),  # a rime ending in a glide takes no final consonant
        ("tiê", False),  # and iê always takes one
    ],
)
def test_vietnamese_syllable_shape(token: str, expected: bool) -> None:
    assert is_syllable(token) is expected


def test_remembered_word_odds_stay_bounded_and_give_the_same_scores(monkeypatch: pytest.MonkeyPatch) -> None:
    from cleaner import langid

    words = "Chuyển đổi số quốc gia is the government's priority for the digital economy this year".split()
    lower = langid.lower_words(words)
    expected = sum(
        w * langid.word_log_odds(low) for w, low in zip(langid._word_weights(words), lower, strict=True)
    )
    monkeypatch.setattr(langid, "MAX_ODDS_WORDS", 4)
    monkeypatch.setattr(langid, "_LOG_ODDS", langid._LogOdds())
    for _ in range(2):  # the second time, words are forgotten and worked out again as needed
        assert langid.vi_en_score(words, lower) == expected
        assert len(langid._LOG_ODDS) <= 4
