"""HTML pages: roles, main content, the Vietnamese sidebar, and hostile input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cleaner import extract_html
from cleaner.cli import main
from cleaner.stages.html import html_to_blocks

PARAGRAPHS = [
    "Vietnam's Ministry of Information and Communications launched the national open data "
    "portal on Monday, saying more than 10,000 data sets are already registered.",
    "Officials said the portal will let businesses, researchers and citizens reuse public data, "
    "and that every ministry must publish its core registers by the end of next year.",
    "The launch follows a series of open-source projects, including the Bluezone contact-tracing "
    "app, which the government released to the public during the pandemic.",
]
SIDEBAR = [
    "Báo chí quốc tế viết gì về Triển lãm Quốc phòng quốc tế Việt Nam 2024?",
    "Sự kiện thu hút sự chú ý của nhiều cơ quan truyền thông trong và ngoài nước.",
    "5 lý do để tăng cường bảo mật mạng cho doanh nghiệp vừa và nhỏ",
]
TEASERS = "".join(f"<li><a href='/vi/{i}'>{t}</a></li>" for i, t in enumerate(SIDEBAR))
PAGE = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Vietnam opens national data portal | Example News</title>
<meta property="og:title" content="Vietnam opens national data portal">
<script type="application/ld+json">{{"@type": "NewsArticle", "headline": "Vietnam opens national data portal",
 "datePublished": "2020-11-23T08:00:00+07:00", "author": {{"@type": "Person", "name": "Lan Anh"}}}}</script>
<style>p {{ color: red }}</style><script>var tracking = "Do not extract this";</script>
</head><body>
<header class="site-header"><a href="/">Example News</a></header>
<nav class="main-menu"><ul><li><a href="/">Home</a></li><li><a href="/tech">Technology</a></li>
<li><a href="/biz">Business</a></li></ul></nav>
<div class="cookie-banner">We use cookies to improve your experience. <button>Accept</button></div>
<main><article class="article-detail">
<h1>Vietnam opens national data portal</h1>
<p class="byline">By <a href="/lan-anh">Lan Anh</a></p>
<p>{PARAGRAPHS[0]}</p>
<figure><img src="x.jpg"><figcaption>The portal's home page. Photo: MIC</figcaption></figure>
<h2>Open by default</h2>
<p>{PARAGRAPHS[1].replace("researchers", "<b>researchers</b>").replace("citizens", "<i>citizens</i>")}</p>
<div class="share-tools"><a href="#">Share on Facebook</a> <a href="#">Tweet</a></div>
<p>{PARAGRAPHS[2]}</p>
<ul><li>Data sets: 10,000</li><li>Ministries taking part: 22</li></ul>
</article>
<aside class="box-hot"><h3>Nổi bật</h3><ul>{TEASERS}</ul></aside>
</main>
<div id="comments"><h3>Leave a Reply</h3><form><label>Name</label><input name="n"><textarea></textarea></form>
<p>Great article, thanks for sharing this with us all!</p></div>
<footer><p>© 2020 Example News. All rights reserved.</p></footer>
</body></html>"""


def test_main_content_is_the_article_body_only() -> None:
    text = extract_html(PAGE)
    for paragraph in PARAGRAPHS:
        assert paragraph in text
    assert "Open by default" in text
    for chrome in (
        "Technology",
        "cookies",
        "Share on Facebook",
        "Leave a Reply",
        "Great article",
        "All rights reserved",
        "Do not extract",
        "color: red",
        "Báo chí",
        "Photo: MIC",
    ):
        assert chrome not in text, chrome


def test_inline_elements_keep_their_spaces() -> None:
    assert "businesses, researchers and citizens reuse" in extract_html(PAGE)
    assert (
        extract_html("<p>Squished<span> </span><b>There</b> and <i>here</i>.</p>")
        == "Squished There and here."
    )


def test_blocks_have_structural_roles_and_metadata() -> None:
    text, blocks, removals, meta = html_to_blocks(PAGE)
    roles = {b.text: b.role for b in blocks}
    assert roles["Vietnam opens national data portal"] == "title"
    assert roles["Open by default"] == "heading"
    assert roles[PARAGRAPHS[0]] == "body"
    assert roles["Data sets: 10,000"] == "item"
    assert roles["The portal's home page. Photo: MIC"] == "caption"
    for teaser in SIDEBAR:
        assert roles[teaser] == "sidebar"
    removed = {r.text: r.reason for r in removals}
    assert removed["Home"] == "nav"
    assert removed["© 2020 Example News. All rights reserved."] == "footer"
    assert removed["Great article, thanks for sharing this with us all!"] == "comment"
    assert meta["title"] == "Vietnam opens national data portal"
    assert meta["author"] == "Lan Anh"
    assert meta["published"] == "2020-11-23T08:00:00+07:00"
    for block in blocks:
        assert text[block.start : block.end] == block.text


def test_run_on_html_routes_the_vietnamese_sidebar_to_the_vi_file(tmp_path: Path) -> None:
    page = tmp_path / "article.html"
    page.write_text(PAGE, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["run", str(page), "--out", str(out)]) == 0
    vi = (out / "article.vi.txt").read_text(encoding="utf-8").splitlines()
    en = (out / "article.en.txt").read_text(encoding="utf-8")
    assert set(SIDEBAR) <= set(vi)
    assert PARAGRAPHS[0] in en and "Báo chí" not in en
    segments = [
        json.loads(line) for line in (out / "article.segments.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    assert {s["role"] for s in segments if s["lang"] == "vi"} == {"sidebar"}
    removed = (out / "article.removed.jsonl").read_text(encoding="utf-8")
    assert "Leave a Reply" in removed and '"stage":"html"' in removed


def test_several_sibling_blocks_hold_the_article() -> None:
    part = "<div class='story-part'>" + "".join(f"<p>{p}</p>" for p in PARAGRAPHS) + "</div>"
    ad = "<div class='ad-slot'><p>Advertisement</p></div>"
    page = f"<html><body><div class='story'>{part}{ad}{part.replace('Vietnam', 'Hanoi')}</div></body></html>"
    text = extract_html(page)
    assert PARAGRAPHS[0] in text and PARAGRAPHS[0].replace("Vietnam", "Hanoi") in text
    assert "Advertisement" not in text


@pytest.mark.parametrize(
    "page",
    [
        "<html><body>"
        + "<div>" * 50000
        + "<p>Deep text, still found after many levels.</p>"
        + "</div>" * 50000,
        "<html><body>" + "<span>" * 50000 + "Deep text, still found after many levels.",
        "<p>Deep text, still found after many levels.<div><table><tr><td></p></b></i>",
        "<html><body><p>Deep text, still found after many levels.</p><p>"
        + "x " * 2_000_000
        + "</p></body></html>",
    ],
    ids=["50k-nested-divs", "50k-unclosed-spans", "malformed", "4MB-paragraph"],
)
def test_hostile_html_gives_a_result(page: str) -> None:
    assert "Deep text, still found after many levels." in extract_html(page)


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"<html><head><title>No body</title></head></html>", "no text"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "not a text page"),
    ],
)
def test_bad_html_files_are_named_errors(
    tmp_path: Path, content: bytes, problem: str, capsys: pytest.CaptureFixture[str]
) -> None:
    page = tmp_path / "bad.html"
    page.write_bytes(content)
    assert main(["run", str(page), "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert "bad.html" in err and problem in err and "Traceback" not in err
