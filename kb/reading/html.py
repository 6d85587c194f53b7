"""HTML pages: find the article among the page chrome, read its metadata and its text as lines."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from bs4 import BeautifulSoup
from bs4.element import NavigableString, PageElement, PreformattedString, Tag

from kb.models import Line, RawPost
from kb.reading.chrome import is_blog_name, is_chrome
from kb.reading.detect import date_only, iso_date, same_text
from kb.reading.titles import cut_site, read_head, strip_affixes

# Never text: dropped from whole pages and from fragments alike.
_NEVER_TEXT = ("script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "rt", "rp")
# Page chrome by element name.
_CHROME_TAGS = frozenset({"nav", "header", "footer", "aside", "form", "button", "select", "dialog", "menu"})
# Page chrome by class or id: a whole word of the name (site-header, sidebar-left, ad, share-buttons).
_CHROME_NAME = re.compile(
    r"(?:^|[-_\s])(?:side-?bar|side-?menu|menu|breadcrumbs?|pankuzu|topic-?path|pager|pagination|page-?nav|paging|"
    r"share|sharing|sns|social|comments?|footer|header|nav|navi|navigation|navbar|ads?|adsense|adsbygoogle|"
    r"advert\w*|sponsor\w*|widgets?|related)(?:$|[-_\s])",
    re.I,
)
_STATE_CLASS = re.compile(r"^(?:has|no|with|is|show|hide)-", re.I)
# Post text containers of common blog services (WordPress, livedoor, Ameba, Hatena, FC2, goo, Blogger).
_BODY_CLASS = re.compile(
    r"(?:entry|article|post|blog)[-_]?(?:body|content|text)|main[-_]?text",
    re.I,
)
_CATEGORY_CLASS = re.compile(
    r"(?:^|[-_])(?:cat|cats|category|categories|tag|tags)(?:[-_]?(?:links?|list|\d+))?$", re.I
)
_DATE_CLASS = re.compile(r"date|time|posted|published|pubdate", re.I)
_META_CLASS = re.compile(r"header|footer|meta|info", re.I)
_SITE_TITLE_CLASS = re.compile(r"site-?title|blog-?title|blog-?name|site-?name|logo", re.I)
_BLOCK = frozenset(
    {
        "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details", "div",
        "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "header", "hgroup", "hr", "html",
        "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "tfoot", "thead",
        "tr", "ul", "br", "[document]",
    }
)  # fmt: skip
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_SPACE = re.compile(r"[ \t\n\r\f\v\xa0\u200b]+")


def read_html(text: str, source: str) -> list[RawPost]:
    """The posts of an HTML page: one for a single article, one per <article> on an archive page."""
    return _Page(BeautifulSoup(text, "html.parser"), source).posts()


def html_to_lines(fragment: str, first_lineno: int = 0, newline_breaks: bool = False) -> list[Line]:
    """Lines of an HTML fragment (a Movable Type body): blocks and <br> break lines, h1-h6 are headings.

    Lines are numbered from ``first_lineno``, the file line of the fragment's first line (0 leaves
    them unnumbered). With ``newline_breaks`` each newline of the source is a line break too.
    """
    soup = BeautifulSoup(fragment, "html.parser")
    for tag in soup.find_all((*_NEVER_TEXT, *_CHROME_TAGS)):
        tag.decompose()
    return _LineBuilder(first_lineno, newline_breaks, numbered=bool(first_lineno)).run(soup)


class _Page:
    """One parsed page: its <head> metadata, its chrome, and the posts in it."""

    def __init__(self, soup: BeautifulSoup, source: str) -> None:
        self.soup = soup
        self.source = source
        self.og_title = _meta(soup, "og:title")
        self.og_type = _meta(soup, "og:type")
        self.site = _meta(soup, "og:site_name") or _meta(soup, "application-name")
        self.url = _link(soup, "canonical") or _meta(soup, "og:url")
        self.author = _meta(soup, "author") or _meta(soup, "article:author")
        self.published = _meta(soup, "article:published_time") or _meta(soup, "date")
        self.tags = [
            _clean(m.get("content")) for m in soup.find_all("meta", attrs={"property": "article:tag"})
        ]
        title = soup.find("title")
        self.title = _clean(title.get_text()) if isinstance(title, Tag) else ""
        for tag in soup.find_all(_NEVER_TEXT):
            tag.decompose()
        self.total = max(len(soup.get_text()), 1)
        self.wrappers: dict[int, bool] = {}  # id(tag) -> a chrome-named tag is a layout wrapper

    def posts(self) -> list[RawPost]:
        articles = self._articles()
        headed = [a for a in articles if a.find(("h1", "h2", "h3"))]
        if len(articles) >= 2 and len(headed) == len(articles) and self.og_type != "article":
            found = [p for p in (self._post(a, single=False) for a in articles) if p is not None]
            for raw, title in zip(found, strip_affixes([p.title for p in found], self.site), strict=True):
                if raw.title_from != "text":
                    raw.title = title
            return found
        if articles:
            outer = max(articles, key=lambda a: len(a.get_text()))
        else:
            main = self.soup.find("main") or self.soup.body or self.soup
            assert isinstance(main, Tag)
            outer = main
        post = self._post(outer, single=True)
        return [post] if post is not None else []

    def _post(self, outer: Tag, *, single: bool) -> RawPost | None:
        inner = _find_body(outer)
        levels = ("h1",) if single else ("h1", "h2", "h3")
        title_el = self._title_element(outer, self.site if single else None, levels)
        title = _clean(title_el.get_text(" ")) if title_el is not None else ""
        title_from = "line"
        title_lineno = (title_el.sourceline or 0) if title_el is not None else 0
        if single and not title:
            title = self._meta_title()
            title_from = "meta" if title else "line"
        url = (self.url if single else None) or _permalink(title_el, outer)
        date = self._date(outer, title_el, single)
        categories = _dedupe([*self._categories(outer), *(self.tags if single else [])])
        author = self.author or _itemprop_text(outer, "author")
        root = inner if inner is not None else outer
        if title_el is not None:
            title_el.decompose()
        for tag in [t for t in root.find_all(True) if self._is_chrome(t)]:
            if not tag.decomposed:
                tag.decompose()
        lines = _LineBuilder(1, False, numbered=True).run(root)
        if lines and title and same_text(lines[0].text, title):
            if title_from == "meta":  # the page's title is written at the top of the text: a line of it
                title_from, title_lineno = "line", lines[0].lineno
            del lines[0]
        # the shape rules: chrome at the top and bottom, a date line, and the title when none is known
        head = read_head([ln.text for ln in lines], title_known=bool(title), site=self.site)
        if not title:
            title, title_from = head.title, head.title_from
            if head.title_index is not None:
                title_lineno = lines[head.title_index].lineno
        if date is None:
            date = head.date
        lines = [ln for k, ln in enumerate(lines[: head.end]) if k not in head.drop and k != head.title_index]
        if not title and not lines:
            return None
        return RawPost(
            title=title,
            lines=lines,
            source=self.source,
            date=date,
            author=author,
            url=url,
            categories=categories,
            title_lineno=title_lineno,
            title_from=title_from,
        )

    def _meta_title(self) -> str:
        """The page's og:title or <title> without the blog's name, when it is a usable title."""
        for candidate in (self.og_title, self.title):
            if not candidate:
                continue
            cut = cut_site(candidate, self.site)
            title = cut[0] if cut is not None else candidate
            if self.site and same_text(title, self.site):
                continue  # the <title> of a page is only the blog's name
            if title and not is_chrome(title) and not is_blog_name(title):
                return title
        return ""

    def _articles(self) -> list[Tag]:
        """Top-level <article> elements that are not page chrome (comments, related posts)."""
        found: list[Tag] = []
        for tag in self.soup.find_all("article"):
            if (
                tag.find_parent("article") is None
                and not self._is_chrome(tag)
                and not self._in_chrome(tag, None)
            ):
                found.append(tag)
        return found

    def _title_element(self, outer: Tag, site: str | None, levels: tuple[str, ...]) -> Tag | None:
        in_article = outer.name == "article"
        for level in levels:
            for tag in outer.find_all(level):
                text = _clean(tag.get_text(" "))
                if not text or (site and text == site):
                    continue
                classes = " ".join(_attr_list(tag, "class"))
                if not in_article and (self._in_chrome(tag, outer) or _SITE_TITLE_CLASS.search(classes)):
                    continue
                return tag
        return None

    def _date(self, outer: Tag, title_el: Tag | None, single: bool) -> str | None:
        """<time datetime>, the published-time meta, itemprop=datePublished, then a date near the title."""
        for tag in outer.find_all("time"):
            found = iso_date(_clean(tag.get("datetime"))) or date_only(_clean(tag.get_text(" ")))
            if found and not self._in_chrome(tag, outer, allow_meta=True):
                return found
        if single and self.published and iso_date(self.published):
            return iso_date(self.published)
        scope = self.soup if single else outer
        for tag in scope.find_all(None, {"itemprop": "datePublished"}):
            value = tag.get("content") or tag.get("datetime") or tag.get_text()
            found = iso_date(_clean(value))
            if found:
                return found
        near: list[Tag] = []
        if title_el is not None:
            if isinstance(title_el.parent, Tag):
                near.append(title_el.parent)
            near.extend(t for t in title_el.find_next_siblings(limit=3) if isinstance(t, Tag))
            near.extend(t for t in title_el.find_previous_siblings(limit=2) if isinstance(t, Tag))
        for tag in outer.find_all(True):
            classes = " ".join(_attr_list(tag, "class"))
            if _DATE_CLASS.search(classes) and not self._in_chrome(tag, outer, allow_meta=True):
                near.append(tag)
        for tag in near:
            found = next((d for d in map(date_only, tag.get_text("\n").split("\n")[:6]) if d), None)
            if found:
                return found
        return None

    def _categories(self, outer: Tag) -> list[str]:
        """rel=tag / rel=category links, and links in a tag or category list of the article."""
        found: list[str] = []
        for link in outer.find_all("a"):
            rel = _attr_list(link, "rel")
            parents = list(_ancestors(link, outer))
            in_list = any(_CATEGORY_CLASS.search(c) for p in parents for c in _attr_list(p, "class"))
            if ("tag" in rel or "category" in rel or in_list) and not self._in_chrome(
                link, outer, allow_meta=True
            ):
                found.append(_clean(link.get_text(" ")))
        return [c for c in found if c]

    def _is_chrome(self, tag: Tag) -> bool:
        """Navigation, sidebars, share buttons, comments, ads: by element name, or by class or id.

        A class is only a hint: an element holding the article and most of the page text is a layout
        wrapper (``l-sidebar-right``), not chrome.
        """
        if tag.name in _CHROME_TAGS:
            return True
        if tag.name in ("html", "body", "main", "[document]"):
            return False
        names = [*(_attr_list(tag, "class")), _clean(tag.get("id"))]
        if not any(_chrome_name(n) for n in names if n):
            return False
        known = self.wrappers.get(id(tag))
        if known is None:
            holds_article = tag.find(("article", "main")) is not None or _find_body(tag) is not None
            known = holds_article and len(tag.get_text()) * 10 > self.total * 4
            self.wrappers[id(tag)] = known  # the tree outlives this page read: ids stay unique
        return not known

    def _in_chrome(self, tag: Tag, stop: Tag | None, allow_meta: bool = False) -> bool:
        """Whether an ancestor of ``tag`` below ``stop`` is chrome (allow_meta: headers, footers are not)."""
        for parent in _ancestors(tag, stop):
            classes = " ".join(_attr_list(parent, "class"))
            if allow_meta and (parent.name in ("header", "footer") or _META_CLASS.search(classes)):
                continue
            if self._is_chrome(parent):
                return True
        return False


def _ancestors(tag: Tag, stop: Tag | None) -> Iterator[Tag]:
    for parent in tag.parents:
        if parent is stop:
            return
        yield parent


def _find_body(scope: Tag) -> Tag | None:
    """The element holding just the post text: itemprop=articleBody or a class like entry-content."""
    found = scope.find(None, {"itemprop": "articleBody"})
    if isinstance(found, Tag):
        return found
    for attr in ("class", "id"):
        found = scope.find(True, {attr: _BODY_CLASS})
        if isinstance(found, Tag):
            return found
    return None


def _permalink(title_el: Tag | None, outer: Tag) -> str | None:
    link = title_el.find("a", href=True) if title_el is not None else None
    if link is None:
        link = outer.find("a", rel="bookmark", href=True)
    if not isinstance(link, Tag):
        return None
    return _clean(link.get("href")) or None


def _itemprop_text(outer: Tag, prop: str) -> str | None:
    tag = outer.find(None, {"itemprop": prop})
    if not isinstance(tag, Tag):
        return None
    name = tag.find(None, {"itemprop": "name"})
    target = name if isinstance(name, Tag) else tag
    return _clean(target.get("content") or target.get_text(" ")) or None


def _attr_list(tag: Tag, name: str) -> list[str]:
    """A multi-valued attribute (class, rel) as a list of strings."""
    value = tag.get(name)
    if value is None:
        return []
    return value.split() if isinstance(value, str) else [str(v) for v in value]


def _chrome_name(name: str) -> bool:
    return not _STATE_CLASS.match(name) and bool(_CHROME_NAME.search(name))


def _meta(soup: BeautifulSoup, key: str) -> str | None:
    for attr in ("property", "name", "itemprop"):
        tag = soup.find("meta", attrs={attr: key})
        if isinstance(tag, Tag) and _clean(tag.get("content")):
            return _clean(tag.get("content"))
    return None


def _link(soup: BeautifulSoup, rel: str) -> str | None:
    tag = soup.find("link", rel=rel, href=True)
    if not isinstance(tag, Tag):
        return None
    return _clean(tag.get("href")) or None


def _clean(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        value = " ".join(str(v) for v in value)
    return _SPACE.sub(" ", str(value)).strip()


def _dedupe(items: Iterable[str]) -> list[str]:
    out: list[str] = []
    for item in items:
        if item and item not in out:
            out.append(item)
    return out


class _LineBuilder:
    """Walks a tree without recursion and cuts its text into Lines, each with the source line its
    text starts on: html.parser gives every tag its line (``Tag.sourceline``), and the newlines in
    the text since the last tag give the rest."""

    def __init__(self, first_lineno: int, newline_breaks: bool, numbered: bool = False) -> None:
        self.first_lineno = first_lineno
        self.newline_breaks = newline_breaks
        self.numbered = numbered and first_lineno > 0
        self.lines: list[Line] = []
        self.buf: list[str] = []
        self.images = 0
        self.image_line = 0
        self.heading = 0
        self.pre = 0
        self.start = 0  # source line (0-based, newline mode) where the current line began
        self.cur = 0
        self.src = 1  # source line (1-based, in the parsed text) at the current position
        self.line_start = 0  # source line where the current line's text began (0: no text yet)

    def run(self, root: Tag) -> list[Line]:
        stack: list[tuple[PageElement, bool]] = [(root, False)]
        while stack:
            node, leaving = stack.pop()
            if isinstance(node, NavigableString):
                if not isinstance(node, PreformattedString):
                    self.text(str(node))
            elif isinstance(node, Tag):
                if leaving:
                    self.close(node.name)
                else:
                    self.open(node)
                    stack.append((node, True))
                    stack.extend((child, False) for child in reversed(node.contents))
        self.flush()
        if self.newline_breaks:
            while self.lines and not self.lines[-1].text and not self.lines[-1].photo:
                self.lines.pop()
        return self.lines

    def open(self, tag: Tag) -> None:
        if tag.sourceline is not None:
            self.src = tag.sourceline
        name = tag.name
        if name in _HEADINGS:
            self.flush()
            self.heading += 1
        elif name in _BLOCK:
            self.flush()
            if name == "pre":
                self.pre += 1
        elif name == "img":
            if not self.images:
                self.image_line = self.src
            self.images += 1
        elif name in ("td", "th"):
            self.buf.append(" ")

    def close(self, name: str) -> None:
        if name in _HEADINGS:
            self.flush()
            self.heading -= 1
        elif name in _BLOCK:
            self.flush()
            if name == "pre":
                self.pre -= 1

    def text(self, text: str) -> None:
        if not self.line_start and text.strip():
            lead = len(text) - len(text.lstrip())
            self.line_start = self.src + text.count("\n", 0, lead)
        if not (self.pre or self.newline_breaks):
            self.buf.append(text)
            self.src += text.count("\n")
            return
        pieces = text.split("\n")
        self.buf.append(pieces[0])
        for piece in pieces[1:]:
            self.flush(blank=self.newline_breaks)
            self.cur += 1
            self.src += 1
            self.start = self.cur
            self.buf.append(piece)
            if piece.strip() and not self.line_start:
                self.line_start = self.src

    def _lineno(self, line_start: int) -> int:
        if self.newline_breaks:
            return self.first_lineno + self.start if self.first_lineno else 0
        if not self.numbered:
            return 0
        return self.first_lineno + line_start - 1 if line_start else 0

    def flush(self, blank: bool = False) -> None:
        text = _SPACE.sub(" ", "".join(self.buf)).strip()
        if text:
            self.lines.append(Line(text, self._lineno(self.line_start), heading=self.heading > 0))
        elif self.images:
            lineno = self._lineno(self.image_line)
            self.lines.extend(Line("", lineno, photo=True) for _ in range(self.images))
        elif blank:
            self.lines.append(Line("", self._lineno(self.src)))
        self.buf.clear()
        self.images = 0
        self.start = self.cur
        self.line_start = 0
