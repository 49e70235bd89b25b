"""Boilerplate removal: each rule family in English and Vietnamese, and look-alike content kept."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

from cleaner.cli import main
from cleaner.document import Document
from cleaner.errors import UsageError
from cleaner.pipeline import Options, build_stages, run, run_batch
from cleaner.rulepacks import load_packs
from cleaner.stages.boilerplate import parse_date
from conftest import PAGE_000, PAGE_003

EN_BODY = (
    "The ministry said the national digital transformation programme would reach every "
    "province by 2025, with broadband in all communes."
)
VI_BODY = (
    "Bộ Thông tin và Truyền thông cho biết chương trình chuyển đổi số quốc gia sẽ được triển "
    "khai tại tất cả các tỉnh thành trước năm 2025."
)


def process(text: str, url: str | None = None) -> Document:
    doc = Document(id="t", source="t.txt", raw=text.encode("utf-8"), metadata={"url": url} if url else {})
    return run(doc, build_stages(Options(disabled=frozenset({"dedup"}))))


def fate(line: str, body: str = EN_BODY, position: str = "middle") -> str | None:
    """The removal reason of ``line`` placed in a page of content, or None when it is kept."""
    paragraphs = [body] * 12
    index = {"top": 0, "middle": 6, "bottom": 12}[position]
    paragraphs.insert(index, line)
    doc = process("A headline about the digital economy\n\n" + "\n\n".join(paragraphs) + "\n")
    for removal in doc.removals:
        if removal.text == line:
            return removal.reason
    assert any(block.text == line for block in doc.blocks), f"{line!r} neither kept nor removed"
    return None


CHROME = [
    # navigation bars and language switchers
    ("Home | News | Business | Technology | Contact", "nav", "top"),
    ("Trang chủ » Tin tức » Chuyển đổi số", "nav", "top"),
    ("Tiếng Việt | English", "nav", "top"),
    # search boxes
    ("Search", "search", "top"),
    ("Tìm kiếm...", "search", "top"),
    # share / follow / print / subscribe
    ("Share on Facebook", "share", "middle"),
    ("Chia sẻ", "share", "bottom"),
    ("Follow us on Twitter", "follow", "bottom"),
    ("Theo dõi Báo Điện tử trên Google News", "follow", "top"),
    ("In bài viết", "tools", "bottom"),
    ("Subscribe to our newsletter", "tools", "bottom"),
    # cookie and consent notices
    (
        "We use cookies to improve your experience. By continuing to browse this site you agree.",
        "cookies",
        "top",
    ),
    ("Trang web này sử dụng cookie để cải thiện trải nghiệm của bạn.", "cookies", "bottom"),
    ("BY USING OUR WEBSITE YOU ACCEPT OUR TERMS.", "cookies", "bottom"),
    ("Manage all cookies | Cookie settings", "cookies", "bottom"),
    # sponsor lines
    ("Powered by :", "sponsor", "top"),
    ("Tài trợ bởi: VNPT", "sponsor", "bottom"),
    # tags, read more, related
    ("Tags: 5G, digital transformation, Vietnam", "tags", "bottom"),
    ("Từ khóa: chuyển đổi số, 5G", "tags", "bottom"),
    ("Read more", "related", "middle"),
    ("Related articles", "related", "bottom"),
    ("Xem thêm:", "related", "bottom"),
    ("Tin liên quan", "related", "bottom"),
    # comment forms and their labels
    ("Leave a Reply", "comments", "bottom"),
    ("Bình luận", "comments", "bottom"),
    ("Gửi bình luận", "comments", "bottom"),
    ("Họ và tên", "comments", "bottom"),
    # copyright, licence, contact and advertising footers
    ("© 2024 OpenGov Asia. All rights reserved.", "copyright", "bottom"),
    ("Bản quyền thuộc về Tạp chí Thông tin và Truyền thông", "copyright", "bottom"),
    ("Giấy phép số 110/GP-BTTTT cấp ngày 12/4/2021", "footer", "bottom"),
    ("Liên hệ quảng cáo", "footer", "bottom"),
    ("Contact us | Advertise with us | Privacy Policy", "footer", "bottom"),
    # event promos
    ("Register now for the Digital Government Summit!", "promo", "bottom"),
    # photo captions and credits
    ("Lãnh đạo Bộ phát biểu tại hội nghị - Ảnh 1.", "caption", "middle"),
    ("Ảnh: Minh Anh", "caption", "middle"),
    ("(Ảnh: TTXVN)", "caption", "middle"),
    ("Photo: Reuters", "caption", "middle"),
    ("Ảnh minh họa", "caption", "middle"),
    # widget headings
    ("Đừng bỏ lỡ", "widget", "bottom"),
    ("Most read", "widget", "bottom"),
    # bylines and dates (leave the text, fill metadata)
    ("PV| 31/12/2020 09:37", "byline", "top"),
    ("Posted: 09:41 | 22-11-2021", "byline", "top"),
    ("Thứ Hai, 15/11/2021 - 08:30", "byline", "top"),
    ("By Nguyen Van Anh", "byline", "top"),
]


@pytest.mark.parametrize(("line", "reason", "position"), CHROME)
def test_chrome_is_removed_with_its_reason(line: str, reason: str, position: str) -> None:
    body = VI_BODY if any(c in line for c in "ảạếệọủưđơ") else EN_BODY
    assert fate(line, body, position) == reason


CONTENT = [
    # subheadings and short lines
    "Open technology strategy",
    "Smart shoppers",
    "Rise of digital rural consumers",
    "Chiến lược công nghệ mở",
    # one-line quotes and short paragraphs
    "“We must move faster,” Hung said.",
    "“Chúng ta phải đi nhanh hơn,” ông Hùng nói.",
    "Sales doubled.",
    # sentences that merely mention sharing, cookies, copyright, photos, search, comments
    "Users can share photos on Facebook and Zalo with one tap, the company said.",
    "Người dùng có thể chia sẻ ảnh lên Facebook chỉ với một lần chạm.",
    "Regulators said websites that use cookies must ask visitors for consent first.",
    "Copyright law in Vietnam was amended in 2022 to cover digital works.",
    "Search engines now index most government portals, the report found.",
    "Comments from the public will be collected until the end of March.",
    "Follow the money, the auditors advised.",
    "Related industries such as logistics also grew by 12% last year.",
    "Photo sharing apps were among the most downloaded in 2020.",
    "By 2030 Vietnam aims to be among the top 50 countries in e-government.",
    "Theo dõi diễn biến trên thị trường chứng khoán, các chuyên gia nhận định tích cực.",
    "Bình luận về sự kiện này, ông Hùng cho rằng đây là bước tiến quan trọng.",
]


@pytest.mark.parametrize("line", CONTENT)
@pytest.mark.parametrize("position", ["top", "middle", "bottom"])
def test_look_alike_content_is_kept(line: str, position: str) -> None:
    body = VI_BODY if any(c in line for c in "ảạếệọủưđơ") else EN_BODY
    assert fate(line, body, position) is None


def test_byline_fills_metadata() -> None:
    doc = process("A headline\n\nPV| 31/12/2020 09:37\n\n" + EN_BODY + "\n")
    assert doc.metadata["author"] == "PV"
    assert doc.metadata["published"] == "2020-12-31T09:37"
    doc = process("A headline\n\nThứ Hai, 15/11/2021 - 08:30\n\n" + VI_BODY + "\n")
    assert doc.metadata["published"] == "2021-11-15T08:30"


def test_parse_date_formats() -> None:
    assert parse_date("22-11-2021", "09:41") == "2021-11-22T09:41"
    assert parse_date("2021-11-22") == "2021-11-22"
    assert parse_date("12/31/2020") == "2020-12-31"
    assert parse_date("10 November 2020") == "2020-11-10"
    assert parse_date("31/13/2020") is None


def test_title_repeated_at_the_bottom_is_removed_but_not_at_the_top() -> None:
    title = "Vietnam launches national open data portal"
    doc = process(f"{title}\n\n{EN_BODY}\n\n{EN_BODY}\n\nĐừng bỏ lỡ\n{title}\n")
    reasons = [(r.text, r.reason) for r in doc.removals]
    assert (title, "repeated-title") in reasons
    assert doc.blocks[0].text == title and doc.blocks[0].role == "title"


def test_site_pack_applies_by_domain_or_marker_only() -> None:
    promo = "Singapore OpenGov Leadership Forum 2018"
    text = f"Headline here\n\n{EN_BODY}\n\n{EN_BODY}\n\n{promo}\n"
    assert any(r.text == promo for r in process(text, url="https://opengovasia.com/x").removals)
    assert not any(r.text == promo for r in process(text).removals)
    assert any(r.text == promo for r in process("Powered by :\n\n" + text).removals)


SAMPLE_CHROME = {
    PAGE_000: {
        "Powered by :",
        "Singapore OpenGov Leadership Forum 2018",
        "OpenGov Conference – A Gathering of Top Minds in Digital Transformation.",
    },
    PAGE_003: {
        "PV| 31/12/2020 09:37",
        "Theo dõi ICTVietnam trên",
        "2020 - Year of national digital transformation in Vietnam  - Ảnh 1.",
        "2020 - Year of national digital transformation in Vietnam  - Ảnh 2.",
        "Nổi bật Tạp chí Thông tin & Truyền thông",
        "Đừng bỏ lỡ",
        "2020 - Year of national digital transformation in Vietnam",
    },
}


@pytest.mark.parametrize("page", [PAGE_000, PAGE_003])
def test_samples_lose_exactly_their_chrome_lines(page: Path) -> None:
    doc = process(page.read_text(encoding="utf-8"))
    removed = {r.text for r in doc.removals if r.stage == "boilerplate"}
    assert removed == SAMPLE_CHROME[page]
    # every other non-blank line of the page is still there as (part of) a block
    kept = "\n".join(b.text.replace(" ", "") for b in doc.blocks)
    for line in page.read_text(encoding="utf-8").replace("\u00a0", " ").splitlines():
        line = line.strip().lstrip("• ").strip()
        if line and line not in SAMPLE_CHROME[page] and line != "•":
            assert line.replace(" ", "") in kept or (page == PAGE_003 and line.startswith("2020 - Year")), (
                line
            )


def test_batch_learns_a_site_template(tmp_path: Path) -> None:
    footer = "Vietnam Digital News - the voice of the ICT industry since 1998"
    for i in range(4):
        body = f"Story number {i} says the ministry opened {i + 3} new data centres this year."
        (tmp_path / f"p{i}.txt").write_text(
            f"Headline {i}\n\n{body}\n\n{EN_BODY}\n\n{footer}\n", encoding="utf-8"
        )
    docs = [Document(id=p.stem, source=str(p), raw=p.read_bytes()) for p in sorted(tmp_path.glob("*.txt"))]
    results = list(run_batch(docs))
    for doc in results:
        assert isinstance(doc, Document)
        assert [r.reason for r in doc.removals if r.text == footer] == ["template"]
        assert any("Story number" in b.text for b in doc.blocks)
    # a single page keeps the line: nothing to learn from one page
    (single,) = list(run_batch(docs[:1]))
    assert any(b.text == footer for b in single.blocks)


def test_template_lookups_skip_lines_too_long_to_be_template(monkeypatch: pytest.MonkeyPatch) -> None:
    """A template is learnt from lines of at most TEMPLATE_MAX_WORDS words: a longer line is
    never keyed (normalising a whole paragraph for a lookup that cannot succeed)."""
    from cleaner.stages import boilerplate
    from cleaner.stages.segment import text_key

    footer = "Vietnam Digital News - the voice of the ICT industry since 1998"
    long_line = " ".join(["word"] * (boilerplate.TEMPLATE_MAX_WORDS + 1))
    templates = frozenset({text_key(footer), text_key(long_line)})
    keyed: list[str] = []
    monkeypatch.setattr(boilerplate, "text_key", lambda line: keyed.append(line) or text_key(line))
    judge = functools.partial(
        boilerplate.judge_block, index=1, total=3, rules=(), title=None, templates=templates
    )
    assert judge(footer) == ("template", "batch/template", {})
    assert judge(long_line) is None  # even a key in the templates: no such line is learnt
    assert keyed == [footer]


def test_user_rule_pack_folder(tmp_path: Path) -> None:
    (tmp_path / "mysite.toml").write_text(
        '[pack]\nid = "mysite"\n\n[[rule]]\nid = "slogan"\nreason = "slogan"\n'
        'literal = "The best news in town"\nwhere = "bottom"\n',
        encoding="utf-8",
    )
    packs = load_packs([tmp_path])
    assert packs[-1].id == "mysite"
    page = tmp_path / "page.txt"
    page.write_text(f"Headline\n\n{EN_BODY}\n\nThe best news in town\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["run", str(page), "--out", str(out), "--rules", str(tmp_path)]) == 0
    assert "mysite/slogan" in (out / "page.removed.jsonl").read_text(encoding="utf-8")


def test_contains_words_are_a_precondition_compared_case_folded(tmp_path: Path) -> None:
    """A rule with ``contains`` is tried only on lines holding one of its words (any case)."""
    (tmp_path / "promo.toml").write_text(
        '[pack]\nid = "promo"\n\n[[rule]]\nid = "signup"\nreason = "promo"\n'
        "pattern = '.*subscribe.*'\ncontains = [\"Newsletter\"]\n",
        encoding="utf-8",
    )
    (rule,) = load_packs([tmp_path])[-1].rules
    assert rule.contains == ("newsletter",)
    assert rule.match_at("SUBSCRIBE to our NEWSLETTER today", 5, 0, 1)
    assert rule.match_at("Subscribe now", 2, 0, 1) is None  # the pattern matches, the word is missing
    assert rule.match_at("Our newsletter is free", 4, 0, 1) is None  # the word alone is not enough


@pytest.mark.parametrize(
    ("toml", "problem"),
    [
        ("[[rule]]\nid='x'\nreason='y'\nliteral='z'\n", "[pack] table"),
        ("[pack]\nid='p'\n[[rule]]\nid='x'\nreason='y'\nliteral='z'\nwhere='middle'\n", "where must be"),
        ("[pack]\nid='p'\n[[rule]]\nid='x'\nreason='y'\npattern='(unclosed'\n", "bad pattern"),
        ("[pack]\nid='p'\n[[rule]]\nid='x'\nreason='y'\nliteral='z'\ncolour='red'\n", "unknown key"),
        ("[pack\nid='p'", "not valid TOML"),
        ("[pack]\nid='p'\n[[rule]]\nid='x'\nreason='y'\nliteral='z'\ncontains='z'\n", "contains must be"),
    ],
)
def test_bad_rule_packs_are_clear_errors(tmp_path: Path, toml: str, problem: str) -> None:
    (tmp_path / "bad.toml").write_text(toml, encoding="utf-8")
    with pytest.raises(UsageError) as info:
        load_packs([tmp_path])
    assert problem in str(info.value) and "bad.toml" in str(info.value)


def test_explain_prints_every_line_with_its_fate(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", str(PAGE_003)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert any(
        line.startswith("drop") and "generic/follow" in line and "Theo dõi ICTVietnam" in line for line in out
    )
    assert any(line.startswith("keep") and "sidebar/vi" in line and "5 lý do" in line for line in out)
    assert any(line.startswith("drop") and "repeated-title" in line for line in out)


def test_documented_example_pack_works(tmp_path: Path) -> None:
    example = Path(__file__).resolve().parent.parent / "docs" / "examples"
    page = tmp_path / "page.txt"
    page.write_text(
        f"Tiêu đề bài viết\n\nPhóng viên: Lan Anh\n\n{VI_BODY}\n\n{VI_BODY}\n\n"
        "Theo dõi VnExample trên Google News\n\nVnExample - Tin tức 24h | Liên hệ\n",
        encoding="utf-8",
    )
    packs = load_packs([example])
    doc = run(
        Document(id="p", source=str(page), raw=page.read_bytes()),
        build_stages(Options(rule_folders=(str(example),))),
    )
    rules = {r.rule for r in doc.removals}
    assert {"vnexample/author", "vnexample/signoff"} <= rules
    assert doc.metadata["author"] == "Lan Anh"
    assert packs[-1].id == "vnexample"


def test_a_user_pattern_that_backtracks_without_end_skips_the_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """User rules and markers run under the timeout (a line they hang on is not matched).

    The built-in packs, whose patterns are bounded and vetted, run without it.
    """
    from cleaner import rulepacks

    monkeypatch.setattr(rulepacks, "MATCH_TIMEOUT", 0.01)
    (tmp_path / "slow.toml").write_text(
        "[pack]\nid = \"slow\"\nmarkers = ['(a|aa)+$']\n"
        '[[rule]]\nid = "slow"\nreason = "test"\npattern = \'(a|aa)+b\'\n',
        encoding="utf-8",
    )
    *builtin, slow = load_packs([tmp_path])
    assert slow.timeout == 0.01 and [r.timeout for r in slow.rules] == [0.01]
    assert all(p.timeout is None and all(r.timeout is None for r in p.rules) for p in builtin)
    line = "a" * 60 + "!"  # 2^60 ways to split the a's: without the timeout, no end
    assert slow.rules[0].match_at(line, 1, 0, 1) is None
    assert not slow.applies_to(None, [line])


def test_a_recurring_line_is_judged_by_where_it_stands_each_time() -> None:
    """Rule matches are remembered per line, but a rule for the page's end acts only there."""
    line = "Sign up for the morning briefing on the digital economy."
    assert [fate(line, position=p) for p in ("middle", "bottom", "middle", "top", "bottom")] == [
        None,
        "promo",
        None,
        None,
        "promo",
    ]


def test_the_built_in_packs_come_back_from_the_disk_cache_as_parsed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Parsed once and kept as JSON; an edited pack is parsed again, never read from an old file."""
    from cleaner import rulepacks, tomlfile

    monkeypatch.setenv("CLEANER_CACHE_DIR", str(tmp_path))
    texts = ['[pack]\nname = "x"\n', '[[rule]]\nreason = "promo"\npattern = "Subscribe"\nmax_words = 6\n']
    parsed = [tomlfile.loads(text) for text in texts]
    assert rulepacks._builtin_tables(texts) == parsed
    assert len(list(tmp_path.glob("rulepacks-*"))) == 1

    def no_parsing(text: str) -> dict[str, object]:
        raise AssertionError("parsed again")

    monkeypatch.setattr(tomlfile, "loads", no_parsing)
    tables = rulepacks._builtin_tables(texts)  # from the cache
    assert tables == parsed and type(tables[1]["rule"][0]["max_words"]) is int
    with pytest.raises(AssertionError, match="parsed again"):
        rulepacks._builtin_tables([texts[0], texts[1].replace("6", "7")])
