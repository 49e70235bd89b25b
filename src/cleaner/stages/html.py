"""HTML pages to Blocks with structural roles (beautifulsoup4 over lxml).

The page text the stage produces is every text block joined by blank lines; offsets of blocks,
segments and removals point into it. Chrome blocks (navigation, header, footer, forms, ads,
comments) are recorded as removals; sidebars are kept with the role ``sidebar`` so the language
stage can route them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import regex
from bs4 import BeautifulSoup, Comment, Doctype, NavigableString, ProcessingInstruction, Tag

from cleaner.document import Block, Document, Removal
from cleaner.errors import InputError

STAGE = "html"
BLOCK_TAGS = frozenset(
    [
        "p",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "dt",
        "dd",
        "td",
        "th",
        "caption",
        "figcaption",
        "blockquote",
        "pre",
        "div",
        "section",
        "article",
        "main",
        "aside",
        "nav",
        "header",
        "footer",
        "form",
        "table",
        "tr",
        "ul",
        "ol",
        "dl",
        "figure",
        "address",
        "body",
        "details",
        "summary",
    ]
)
SKIP_TAGS = frozenset(
    [
        "script",
        "style",
        "noscript",
        "template",
        "svg",
        "iframe",
        "head",
        "object",
        "embed",
        "canvas",
        "select",
        "option",
        "button",
    ]
)
ROLE_BY_TAG = {
    "h1": "title",
    "h2": "heading",
    "h3": "heading",
    "h4": "heading",
    "h5": "heading",
    "h6": "heading",
    "li": "item",
    "dt": "item",
    "dd": "item",
    "td": "table",
    "th": "table",
    "caption": "caption",
    "figcaption": "caption",
    "blockquote": "quote",
}
CONTEXT_BY_TAG = {"nav": "nav", "header": "header", "footer": "footer", "aside": "sidebar", "form": "form"}
CHROME = frozenset({"nav", "header", "footer", "form", "comment", "ad"})
_HINTS: tuple[tuple[regex.Pattern[str], str], ...] = tuple(
    (regex.compile(p, regex.IGNORECASE), role)
    for p, role in [
        (r"(?:^|[-_ ])(?:comments?|binh-?luan|disqus|fb-comments)(?:$|[-_ ])", "comment"),
        (r"(?:^|[-_ ])(?:ads?|advert\w*|banner|sponsor\w*|quang-?cao|qc)(?:$|[-_ ])", "ad"),
        (r"(?:^|[-_ ])(?:cookie\w*|consent|gdpr)(?:$|[-_ ])", "form"),
        (r"(?:^|[-_ ])(?:share\w*|social|sharing|addthis|follow)(?:$|[-_ ])", "nav"),
        (r"(?:^|[-_ ])(?:nav\w*|menu\w*|breadcrumbs?|pagination|toolbar|topbar)(?:$|[-_ ])", "nav"),
        (r"(?:^|[-_ ])(?:footer|site-?footer|copyright)(?:$|[-_ ])", "footer"),
        (r"(?:^|[-_ ])(?:masthead|site-?header)(?:$|[-_ ])", "header"),
        (
            r"(?:^|[-_ ])(?:sidebar|aside|widget\w*|related\w*|box-?hot|hot-?news|tin-?lien-?quan|"
            r"lien-?quan|most-?read|popular|recommend\w*|tin-?moi|xem-?nhieu|doc-?nhieu)(?:$|[-_ ])",
            "sidebar",
        ),
    ]
)
_SPACE = regex.compile(r"\s+")
_TITLE_SUFFIX = regex.compile(r"\s+[|–—-]\s+[^|–—-]{2,60}$")


def _hint(tag: Tag) -> str | None:
    values = [tag.get("id") or "", *(tag.get("class") or []), tag.get("role") or ""]
    text = " ".join(v if isinstance(v, str) else " ".join(v) for v in values)
    if not text.strip():
        return None
    if tag.get("role") in ("navigation", "banner", "contentinfo", "complementary"):
        return {"navigation": "nav", "banner": "header", "contentinfo": "footer", "complementary": "sidebar"}[
            tag["role"]
        ]
    for pattern, role in _HINTS:
        if pattern.search(text):
            return role
    return None


def parse(html: str) -> BeautifulSoup:
    """Parse with lxml, falling back to Python's html.parser where lxml fails."""
    try:
        return BeautifulSoup(html, "lxml")
    except Exception:
        return BeautifulSoup(html, "html.parser")


def _metadata(soup: BeautifulSoup) -> dict[str, str]:
    meta: dict[str, str] = {}
    if soup.title and soup.title.string:
        meta["html_title"] = _SPACE.sub(" ", soup.title.string).strip()
    for tag in soup.find_all("meta"):
        key = (tag.get("property") or tag.get("name") or "").lower()
        value = tag.get("content")
        if not isinstance(value, str) or not value.strip():
            continue
        target = {
            "og:title": "og_title",
            "og:url": "url",
            "author": "author",
            "article:published_time": "published",
            "og:site_name": "site_name",
        }.get(key)
        if target and target not in meta:
            meta[target] = value.strip()
    for script in soup.find_all("script", type="application/ld+json"):
        try:
            data = json.loads(script.string or "")
        except (ValueError, TypeError):
            continue
        for item in data if isinstance(data, list) else [data]:
            if not isinstance(item, dict):
                continue
            if isinstance(item.get("headline"), str):
                meta.setdefault("headline", item["headline"].strip())
            if isinstance(item.get("datePublished"), str):
                meta.setdefault("published", item["datePublished"].strip())
            author = item.get("author")
            if isinstance(author, dict) and isinstance(author.get("name"), str):
                meta.setdefault("author", author["name"].strip())
    link = soup.find("link", rel="canonical")
    if isinstance(link, Tag) and isinstance(link.get("href"), str):
        meta.setdefault("url", link["href"])
    return meta


def _text_blocks(root: Tag) -> Iterator[tuple[str, str, float]]:
    """(text, role, link density) for each block element's own text, in document order.

    Walks ``descendants`` (iterative, so deep nesting cannot overflow the stack) and caches
    each element's block ancestor and context role, so the walk stays linear.
    """
    block_of: dict[int, Tag] = {}
    context_of: dict[int, str | None] = {}
    skip_of: dict[int, bool] = {}
    link_of: dict[int, bool] = {}

    def resolve(tag: Tag) -> tuple[Tag, str | None, bool, bool]:
        chain = []
        node: Tag | None = tag
        while node is not None and id(node) not in block_of:
            chain.append(node)
            node = node.parent
        if node is None:
            base = (root, None, False, False)
        else:
            base = (block_of[id(node)], context_of[id(node)], skip_of[id(node)], link_of[id(node)])
        block, context, skip, link = base
        for el in reversed(chain):
            name = el.name or ""
            skip = (
                skip or name in SKIP_TAGS or el.get("hidden") is not None or el.get("aria-hidden") == "true"
            )
            own = CONTEXT_BY_TAG.get(name) or _hint(el)
            if own and (context is None or context == "sidebar" or own in CHROME):
                context = own if context not in CHROME else context
            if name in BLOCK_TAGS:
                block = el
            link = link or name == "a"
            block_of[id(el)], context_of[id(el)], skip_of[id(el)], link_of[id(el)] = (
                block,
                context,
                skip,
                link,
            )
        return block, context, skip, link

    current: Tag | None = None
    parts: list[str] = []
    linked = 0
    role = "body"

    def flush() -> Iterator[tuple[str, str, float]]:
        text = _SPACE.sub(" ", "".join(parts)).strip()
        if text:
            yield text, role, linked / max(len(text), 1)

    for node in root.descendants:
        if isinstance(node, (Comment, Doctype, ProcessingInstruction)) or not isinstance(
            node, NavigableString
        ):
            if isinstance(node, Tag) and node.name == "br":
                parts.append(" ")
            continue
        parent = node.parent
        if parent is None:
            continue
        block, context, skip, link = resolve(parent)
        if skip:
            continue
        if block is not current:
            yield from flush()
            parts, linked, current = [], 0, block
            role = context or ROLE_BY_TAG.get(block.name or "", "body")
            if context == "sidebar":
                role = "sidebar"
        value = str(node)
        parts.append(value)
        if link:
            linked += len(value.strip())
    yield from flush()


def html_to_blocks(
    html: str, source: str = "<html>"
) -> tuple[str, list[Block], list[Removal], dict[str, str]]:
    """Page text, kept blocks, removed chrome blocks and metadata of an HTML page."""
    soup = parse(html)
    meta = _metadata(soup)
    root = soup.body or soup
    if not isinstance(root, Tag):
        raise InputError(source, "no HTML body")
    pieces: list[str] = []
    blocks: list[Block] = []
    removals: list[Removal] = []
    pos = 0
    for text, role, density in _text_blocks(root):
        if pieces:
            pos += 2
        start, end = pos, pos + len(text)
        pieces.append(text)
        pos = end
        if role in CHROME:
            removals.append(Removal(text, role, STAGE, f"structure/{role}", start, end))
        elif density > 0.6 and len(text.split()) < 15 and role in ("body", "item"):
            removals.append(Removal(text, "nav", STAGE, "link-density", start, end))
        else:
            blocks.append(Block(text, role, start, end))
    title = meta.get("og_title") or meta.get("headline") or _TITLE_SUFFIX.sub("", meta.get("html_title", ""))
    if title:
        meta["title"] = title
    return "\n\n".join(pieces), blocks, removals, meta


def html_blocks(doc: Document) -> Document:
    """The html stage: for HTML pages, replace the text by block text with roles."""
    if doc.kind != "html":
        return doc
    text, blocks, removals, meta = html_to_blocks(doc.text, doc.source)
    if not text.strip():
        raise InputError(doc.source, "HTML page has no text")
    out = doc.evolve(text=text, blocks=tuple(blocks), removals=doc.removals + tuple(removals))
    return out.with_metadata(**{k: v for k, v in meta.items() if k not in doc.metadata})


def extract_html(html: str) -> str:
    """The main content of an HTML page as text, blocks separated by blank lines.

    >>> extract_html("<nav><a href='/'>Home</a></nav><h1>Title</h1><p>Body <b>text</b>.</p>")
    'Title\\n\\nBody text.'
    """
    _text, blocks, _removals, _meta = html_to_blocks(html)
    return "\n\n".join(b.text for b in blocks if b.role != "sidebar")
