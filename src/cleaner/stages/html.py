"""HTML pages to Blocks with structural roles, and the page's main content.

Parsing: lxml's HTML parser (``huge_tree`` so deep nesting parses), with beautifulsoup4's
``html.parser`` as the fallback where lxml gives up. lxml is used directly rather than through
bs4's tree: the walk below needs only elements, text and tails, and bs4's Python tree costs
several times the parse (see docs/architecture.md).

The walk is iterative (no recursion, whatever the nesting) and gives each block element's own
text a role from its tag and from the nearest semantic container or class/id hint. The main
content is then chosen as readability does, from text density and link density propagated to
ancestors, with class/id hints in English and Vietnamese; sibling containers that also hold
article text are kept. Chrome (nav, header, footer, forms, ads, comments) and everything outside
the main content become removals; sidebars are kept with the role ``sidebar``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import regex

from cleaner import regexcache
from cleaner.document import Block, Document, Removal
from cleaner.errors import InputError
from cleaner.patterns import URL
from cleaner.textcache import short_text_cache
from cleaner.wordcount import more_words_than

if TYPE_CHECKING:  # lxml is imported when a page is HTML: text-only runs start faster
    from lxml import etree

STAGE = "html"
BLOCK_TAGS = frozenset(
    "p h1 h2 h3 h4 h5 h6 li dt dd td th caption figcaption blockquote pre div section article main "
    "aside nav header footer form table tr tbody thead ul ol dl figure address body details summary "
    "fieldset center hr br".split()
)
SKIP_TAGS = frozenset(
    "script style noscript template svg iframe head object embed canvas select option button "
    "textarea input video audio picture source map".split()
)
ROLE_BY_TAG = {
    "h1": "title", "h2": "heading", "h3": "heading", "h4": "heading", "h5": "heading",
    "h6": "heading", "li": "item", "dt": "item", "dd": "item", "td": "table", "th": "table",
    "caption": "caption", "figcaption": "caption", "blockquote": "quote", "pre": "body",
}  # fmt: skip
CONTEXT_BY_TAG = {"nav": "nav", "footer": "footer", "aside": "sidebar", "figure": "caption"}
CHROME = frozenset({"nav", "header", "footer", "form", "comment", "ad"})
_HINT_PATTERNS: tuple[tuple[str, str], ...] = (
    (r"comments?|binh-?luan|disqus|fb-comments|respond|reply", "comment"),
    (r"ads?|advert\w*|banner|sponsor\w*|quang-?cao|qc|dfp|gpt|promo\w*|outbrain|taboola", "ad"),
    (r"cookie\w*|consent|gdpr|newsletter|subscribe|signup|paywall", "form"),
    (r"share\w*|social|sharing|addthis|sharethis|follow|print|tools|toolbar", "nav"),
    (r"nav\w*|menu\w*|breadcrumbs?|pagination|pager|topbar|skip|masthead|site-?header", "nav"),
    (r"footer\w*|copyright|colophon", "footer"),
    (r"sidebar|aside|widget\w*|related\w*|box-?hot|hot-?news|tin-?lien-?quan|lien-?quan|"
     r"most-?(?:read|popular|viewed)|popular|recommend\w*|tin-?moi|xem-?nhieu|doc-?nhieu|"
     r"trending|more-?(?:news|stories)|read-?more|also|teaser|rail", "sidebar"),
)  # fmt: skip
_HINTS = tuple(
    (regexcache.compile(rf"(?:^|[-_\s])(?:{p})(?:$|[-_\s])", regex.IGNORECASE), role)
    for p, role in _HINT_PATTERNS
)
_CONTENT_TOKEN = regexcache.compile(
    r"(?:^|[-_])(?:article|body|content|entry|main|post|story|text|column)(?:$|[-_])", regex.IGNORECASE
)
_POSITIVE = regexcache.compile(
    r"article|body|content|entry|main|post|story|text|news-?detail|detail|chi-?tiet|noi-?dung|"
    r"fck|cms|page-?content|blog",
    regex.IGNORECASE,
)
_NEGATIVE = regexcache.compile(
    r"comment|meta|footer|footnote|sidebar|widget|related|share|social|nav|menu|promo|ad-|ads|"
    r"banner|sponsor|caption|credit|byline|author|date|tags?|breadcrumb|subscribe|newsletter",
    regex.IGNORECASE,
)
_SPACE = regexcache.compile(r"\s+")
_TITLE_SUFFIX = regexcache.compile(r"\s+[|–—-]\s+[^|–—-]{2,60}$")
_XML_DECL = regexcache.compile(r"^\s*<\?xml[^>]*>", regex.IGNORECASE)
_URL_TEXT = regexcache.compile(URL)
_SENTENCE_PUNCT = regexcache.compile(r"[.!?。！？]")
MAX_ANCESTOR_WALK = 6
MAX_MASS_WALK = 200
# An ancestor replaces the candidate when it holds this many times its article-like text.
WIDEN_RATIO = 1.8
WIDEN_LEVELS = 4
CLASS_WEIGHT = 6.0


@dataclass
class RawBlock:
    """A block element's own text as the walk found it."""

    text: str
    tag: str
    chain: tuple[tuple[etree._Element, str, bool], ...]
    owner: etree._Element
    link_chars: int
    context: str | None = None

    @property
    def link_density(self) -> float:
        """Share of the block's characters that sit inside links."""
        return self.link_chars / max(len(self.text), 1)


_ARIA = {"navigation": "nav", "banner": "header", "contentinfo": "footer", "complementary": "sidebar"}


def _semantic(el: etree._Element, tag: str) -> str | None:
    """The role a tag or ARIA role states outright (``<nav>``, ``role="contentinfo"``)."""
    return CONTEXT_BY_TAG.get(tag) or _ARIA.get(el.get("role") or "")


def _hint(el: etree._Element) -> str | None:
    """The role a class or id suggests (``sidebar``, ``share-tools``, ``tin-lien-quan``).

    Each class token and the id are read separately; a token that also names content
    (``entry-content-read-more``, ``article-body-ads``) suggests nothing, as in readability.
    """
    for token in (*(el.get("class") or "").split(), el.get("id") or ""):
        role = _token_hint(token)
        if role is not None:
            return role
    return None


@short_text_cache(maxsize=16384)
def _token_hint(token: str) -> str | None:
    """The role one class token or id suggests, if any.

    Remembered: a site's class names recur on element after element and page after page
    (the 181 real pages have 134,000 elements and 23,000 distinct tokens), and trying each
    hint pattern on each token took 0.53 s of them.
    """
    if not token or _CONTENT_TOKEN.search(token):
        return None
    for pattern, role in _HINTS:
        if pattern.search(token):
            return role
    return None


def _hidden(el: etree._Element) -> bool:
    if el.get("hidden") is not None or el.get("aria-hidden") == "true":
        return True
    style = (el.get("style") or "").replace(" ", "").lower()
    return "display:none" in style or "visibility:hidden" in style


def parse(html: str) -> tuple[etree._Element, bool]:
    """Parse an HTML page with lxml into a tree; also say whether lxml hit a resource limit.

    libxml2 stops building the tree at 2,048 levels of nesting (and on other resource limits),
    silently dropping what lies deeper; the caller then reads the page with
    :func:`cleaner.stages.flat_html.flat_blocks` instead. Where lxml cannot parse at all,
    bs4's html.parser is used.
    """
    from lxml import etree
    from lxml import html as lxml_html

    html = _XML_DECL.sub("", html, count=1)
    parser = lxml_html.HTMLParser(huge_tree=True, remove_comments=True, remove_pis=True)
    try:
        root = lxml_html.document_fromstring(html, parser=parser)
    except (etree.ParserError, ValueError):
        from bs4 import BeautifulSoup

        soup = BeautifulSoup(html, "html.parser")
        root = lxml_html.document_fromstring(soup.decode() or "<html></html>", parser=parser)
    limited = any(entry.type_name == "ERR_RESOURCE_LIMIT" for entry in parser.error_log)
    return root, limited


def _metadata(root: etree._Element) -> dict[str, str]:
    meta: dict[str, str] = {}
    title = root.find(".//title")
    if title is not None and title.text_content().strip():
        meta["html_title"] = _SPACE.sub(" ", title.text_content()).strip()
    for tag in root.iter("meta"):
        key = (tag.get("property") or tag.get("name") or "").lower()
        value = tag.get("content")
        target = {
            "og:title": "og_title", "og:url": "url", "author": "author",
            "article:published_time": "published", "og:site_name": "site_name",
        }.get(key)  # fmt: skip
        if target and value and value.strip() and target not in meta:
            meta[target] = value.strip()
    for script in root.iter("script"):
        if (script.get("type") or "").lower() != "application/ld+json":
            continue
        try:
            data = json.loads(script.text or "")
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
            if isinstance(author, list) and author:
                author = author[0]
            if isinstance(author, dict) and isinstance(author.get("name"), str):
                meta.setdefault("author", author["name"].strip())
    for link in root.iter("link"):
        if (link.get("rel") or "").lower() == "canonical" and link.get("href"):
            meta.setdefault("url", link.get("href") or "")
    return meta


def walk_blocks(root: etree._Element) -> list[RawBlock]:
    """Every block element's own text in document order, with tag, hinted ancestors and links.

    Iterative: an explicit stack replaces recursion, so 50,000 nested elements are fine.
    ``chain`` lists the ancestors that carry a structural hint (a semantic tag such as
    ``<nav>``, an ARIA role, or a class/id such as ``sidebar`` or ``share``), outermost first.
    """
    body = root.find("body")
    start = body if body is not None else root
    blocks: list[RawBlock] = []
    # Each open block: [owner element, tag, chain, parts, link chars]
    open_blocks: list[list] = [[start, "body", (), [], 0]]
    chains: list[tuple[tuple[etree._Element, str, bool], ...]] = [()]
    links = 0

    def flush(entry: list) -> None:
        text = _SPACE.sub(" ", "".join(entry[3])).strip()
        if text:
            blocks.append(RawBlock(text, entry[1], entry[2], entry[0], entry[4]))
        entry[3] = []
        entry[4] = 0

    def emit(text: str | None) -> None:
        if text:
            entry = open_blocks[-1]
            entry[3].append(text)
            if links:
                entry[4] += len(text.strip())

    stack: list[tuple[etree._Element, bool]] = [(start, False)]
    while stack:
        el, closing = stack.pop()
        tag = el.tag if isinstance(el.tag, str) else ""
        if closing:
            if tag == "a":
                links -= 1
            chains.pop()
            if tag in BLOCK_TAGS and el is not start:
                flush(open_blocks.pop())
            emit(el.tail)
            continue
        if not tag or tag in SKIP_TAGS or _hidden(el):
            if el is not start:
                emit(el.tail)
            continue
        stated = _semantic(el, tag)
        own = stated or _hint(el)
        chain = chains[-1] + ((el, own, stated is not None),) if own else chains[-1]
        chains.append(chain)
        if tag in BLOCK_TAGS and el is not start:
            flush(open_blocks[-1])
            open_blocks.append([el, tag, chain, [], 0])
        if tag == "a":
            links += 1
        stack.append((el, True))
        emit(el.text)
        stack.extend((child, False) for child in reversed(el))
    while open_blocks:
        flush(open_blocks.pop())
    return blocks


def assign_contexts(blocks: list[RawBlock], keep: set[int] | None = None) -> None:
    """Set each block's context: the innermost hint on its ancestors that applies.

    Stated roles (semantic tags, ARIA roles) always count, except on ``keep`` (the main content
    and its ancestors, once known). A class/id hint is ignored on an element that holds much of
    the text (of the main content once known): a wrapper with a class such as
    ``grid-layout--adrail`` says nothing about its paragraphs.
    """
    size: dict[int, int] = {}
    for block in blocks:
        for el, _role, _stated in block.chain:
            size[id(el)] = size.get(id(el), 0) + len(block.text)
    inside = [b for b in blocks if keep is not None and any(id(el) in keep for el, _r, _s in b.chain)]
    total = sum(len(b.text) for b in (inside or blocks)) or 1
    for block in blocks:
        block.context = None
        for el, role, stated in reversed(block.chain):
            key = id(el)
            if keep is not None and key in keep:
                continue
            if not stated and size[key] > 0.4 * total:
                continue
            block.context = role
            break


def _class_weight(el: etree._Element) -> float:
    """Readability's class/id weight, plus a bonus for elements that say they hold the article."""
    text = f"{el.get('id') or ''} {el.get('class') or ''} {el.get('itemprop') or ''}"
    weight = 0.0
    if _POSITIVE.search(text):
        weight += CLASS_WEIGHT
    if _NEGATIVE.search(text):
        weight -= CLASS_WEIGHT
    if el.get("itemprop") == "articleBody":
        weight += 2 * CLASS_WEIGHT
    elif el.tag in ("article", "main"):
        weight += CLASS_WEIGHT
    return weight


def _block_score(block: RawBlock) -> float:
    length = len(block.text)
    if length < 25 or block.context in CHROME:
        return 0.0
    score = 1.0 + block.text.count(",") + block.text.count("，") + min(length / 100, 3.0)
    score += min(len(_SENTENCE_PUNCT.findall(block.text)), 5) * 0.5
    return score * (1.0 - block.link_density) ** 2


def choose_main(blocks: list[RawBlock]) -> list[etree._Element]:
    """The elements that hold the main content.

    Readability's candidate (block scores propagated to a few ancestors with decay, plus
    class/id weights), then widened: while an ancestor holds clearly more article-like text
    (outside hinted chrome and sidebars) than the candidate, the article was split into parts
    and the ancestor is taken instead. Sibling elements with good scores are added last.
    """
    scores: dict[int, float] = {}
    mass: dict[int, float] = {}
    elements: dict[int, etree._Element] = {}
    order: dict[int, int] = {}
    for block in blocks:
        value = _block_score(block)
        if not value:
            continue
        node = block.owner
        if block.tag in ("p", "pre", "blockquote", "li", "td", "br", "dd", "h2", "h3"):
            node = node.getparent() if node.getparent() is not None else node
        plain = block.context not in CHROME and block.context != "sidebar"
        for depth in range(MAX_MASS_WALK):
            if node is None:
                break
            key = id(node)
            if key not in elements:
                elements[key] = node
                order[key] = len(order)
                scores[key] = _class_weight(node)
            if depth < MAX_ANCESTOR_WALK:
                scores[key] += value / (1 + depth * 1.5)
            if plain:
                mass[key] = mass.get(key, 0.0) + value
            node = node.getparent()
    if not scores:
        return []
    best_key = max(scores, key=lambda k: (scores[k], -order[k]))
    best = elements[best_key]
    ancestors: list[Any] = []
    node = best.getparent()
    while node is not None and node.tag not in ("body", "html") and len(ancestors) < WIDEN_LEVELS:
        ancestors.append(node)
        node = node.getparent()
    base = mass.get(id(best), 0.0)
    richest = max((mass.get(id(a), 0.0) for a in ancestors), default=0.0)
    if base and richest >= base * WIDEN_RATIO:
        best = next(a for a in ancestors if mass.get(id(a), 0.0) >= richest * 0.95)
    chosen = [best]
    parent = best.getparent()
    if parent is not None:
        threshold = max(10.0, scores.get(id(best), 0.0) * 0.2)
        for sibling in parent:
            key = id(sibling)
            if sibling is not best and scores.get(key, 0) >= threshold and _hint(sibling) not in CHROME:
                chosen.append(sibling)
    return chosen


def _ancestors(chosen: list[etree._Element]) -> set[int]:
    """Identities of the chosen main-content elements and of all their ancestors."""
    found: set[int] = set()
    for el in chosen:
        node: etree._Element | None = el
        while node is not None and id(node) not in found:
            found.add(id(node))
            node = node.getparent()
    return found


def _inside(el: etree._Element, chosen: set[int], cache: dict[int, bool]) -> bool:
    path = []
    node: etree._Element | None = el
    result = False
    while node is not None:
        key = id(node)
        if key in cache:
            result = cache[key]
            break
        if key in chosen:
            result = True
            break
        path.append(key)
        node = node.getparent()
    for key in path:
        cache[key] = result
    return result


def html_to_blocks(
    html: str, source: str = "<html>"
) -> tuple[str, list[Block], list[Removal], dict[str, str]]:
    """Page text, kept blocks, removed blocks and metadata of an HTML page."""
    try:
        root, limited = parse(html)
    except Exception as exc:
        raise InputError(source, f"cannot parse HTML: {exc}") from None
    # lxml creates element proxies on demand; holding every one keeps ``id(element)`` stable
    # (and unique) for the identity maps below.
    alive = list(root.iter())
    meta = _metadata(root)
    if limited:
        from cleaner.stages.flat_html import flat_blocks  # a rare page: its parser loads when needed

        raw = flat_blocks(html)
    else:
        raw = walk_blocks(root)
    assign_contexts(raw)
    chosen_elements = choose_main(raw)
    chosen = {id(el) for el in chosen_elements}
    assign_contexts(raw, _ancestors(chosen_elements))
    cache: dict[int, bool] = {}
    title = meta.get("og_title") or meta.get("headline") or _TITLE_SUFFIX.sub("", meta.get("html_title", ""))
    pieces: list[str] = []
    blocks: list[Block] = []
    removals: list[Removal] = []
    pos = 0
    title_seen = False
    for item in raw:
        if pieces:
            pos += 2
        start, end = pos, pos + len(item.text)
        pieces.append(item.text)
        pos = end
        role = ROLE_BY_TAG.get(item.tag, "body")
        # A page too short to score has no candidate: all of its non-chrome text is content.
        main = not chosen or _inside(item.owner, chosen, cache)
        if item.tag == "h1" and not title_seen and (not title or _similar(item.text, title)):
            title_seen = True
            blocks.append(Block(item.text, "title", start, end))
            continue
        if item.context in CHROME:
            removals.append(Removal(item.text, item.context, STAGE, f"structure/{item.context}", start, end))
        elif item.context in ("sidebar", "caption"):
            blocks.append(Block(item.text, item.context, start, end))
        elif not main:
            removals.append(Removal(item.text, "outside-main", STAGE, "main-content", start, end))
        elif (
            item.link_density > 0.8 or (item.link_density > 0.5 and not more_words_than(item.text, 19))
        ) and not (_URL_TEXT.fullmatch(item.text)):
            removals.append(Removal(item.text, "nav", STAGE, "link-density", start, end))
        else:
            blocks.append(Block(item.text, role, start, end))
    if title:
        meta["title"] = title
    del alive
    return "\n\n".join(pieces), blocks, removals, meta


def _similar(a: str, b: str) -> bool:
    a, b = a.casefold().strip(), b.casefold().strip()
    return a == b or a in b or b in a


def html_blocks(doc: Document) -> Document:
    """The html stage: for HTML pages, replace the text by block text with roles."""
    if doc.kind != "html":
        return doc
    text, blocks, removals, meta = html_to_blocks(doc.text, doc.source)
    if not text.strip():
        raise InputError(doc.source, "HTML page has no text")
    out = doc.evolve(text=text, blocks=tuple(blocks), removals=doc.removals + tuple(removals))
    return out.with_metadata(**{k: v for k, v in meta.items() if k not in doc.metadata})


def main_blocks(html: str) -> list[Block]:
    """The blocks of an HTML page's article body: no title, sidebars, captions or chrome.

    The generic boilerplate rules (and any site pack whose markers show) run over the main
    blocks too, exactly as in the pipeline, so "Advertisement" or "(Image: Getty)" inside the
    article container do not count as article text.
    """
    from cleaner.stages.boilerplate import strip_boilerplate

    text, blocks, _removals, meta = html_to_blocks(html)
    body = tuple(b for b in blocks if b.role not in ("sidebar", "title", "caption"))
    doc = Document(id="page", source="<html>", kind="html", text=text, blocks=body, metadata=meta)
    return list(strip_boilerplate(doc).blocks)


def extract_html(html: str) -> str:
    """The main content of an HTML page as text, blocks separated by blank lines.

    >>> extract_html("<nav><a href='/'>Home</a></nav><h1>Title</h1><p>Body <b>text</b>, more.</p>")
    'Body text, more.'
    """
    return "\n\n".join(block.text for block in main_blocks(html))
