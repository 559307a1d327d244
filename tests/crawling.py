"""A small same-site crawler for tests: what a person reaches from a page, and what each
page offers them (its links and its POST forms, with the values a browser would send).

Only the standard library's HTML parser: the pages are the site's own templates.
"""

from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from django.urls import Resolver404, resolve

# Never followed nor submitted: signing out ends the crawl's session, and the admin site
# keeps Django's own permissions (it is not a page of the program).
SKIPPED_PREFIXES = (
    "/accounts/logout/",
    "/accounts/sign-out-everywhere/",
    "/admin/",
    "/static/",
    "/media/",
    "/favicon.ico",
)


@dataclass
class Form:
    """A POST form as offered: where it goes, what its fields hold by default, and the
    name/value of each named submit button (each one a separate action)."""

    page: str
    action: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    buttons: list[tuple[str, str]] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    has_file: bool = False

    def submissions(self):
        """(data, what the button said) for each way of sending the form."""
        named = [(b, label) for b, label in zip(self.buttons, self.labels, strict=True) if b[0]]
        if not named:
            yield self._data(), " / ".join(self.labels)
            return
        for (name, value), label in named:
            yield self._data() + [(name, value)], label

    def _data(self) -> list[tuple[str, str]]:
        return list(self.fields)


class PageParser(HTMLParser):
    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.page = page
        self.links: list[str] = []
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: tuple[str, list[tuple[str, bool]]] | None = None
        self._option: list | None = None
        self._textarea: list | None = None
        self._button: list | None = None
        self._radios: dict[str, str | None] = {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(urljoin(self.page, a["href"]))
        elif tag == "form":
            if (a.get("method") or "get").lower() == "post":
                self._form = Form(self.page, urljoin(self.page, a.get("action") or self.page))
                self._radios = {}
        elif self._form is None or a.get("disabled") is not None:
            return
        elif tag == "input":
            kind = (a.get("type") or "text").lower()
            name = a.get("name")
            if kind in ("submit", "image"):
                self._form.buttons.append((name or "", a.get("value") or ""))
                self._form.labels.append(a.get("value") or "")
            elif kind == "file":
                self._form.has_file = True
            elif not name or kind in ("reset", "button"):
                return
            elif kind == "radio":
                self._radios.setdefault(name, None)
                if a.get("checked") is not None:
                    self._radios[name] = a.get("value", "on")
            elif kind == "checkbox":
                if a.get("checked") is not None:
                    self._form.fields.append((name, a.get("value", "on")))
            else:
                self._form.fields.append((name, a.get("value") or ""))
        elif tag == "select" and a.get("name"):
            self._select = (a["name"], [])
        elif tag == "option" and self._select is not None:
            self._option = [a.get("value"), a.get("selected") is not None, ""]
        elif tag == "textarea" and a.get("name"):
            self._textarea = [a["name"], ""]
        elif tag == "button" and (a.get("type") or "submit").lower() == "submit":
            self._button = [a.get("name") or "", a.get("value") or "", ""]

    def handle_data(self, data):
        if self._option is not None:
            self._option[2] += data
        if self._textarea is not None:
            self._textarea[1] += data
        if self._button is not None:
            self._button[2] += data

    def handle_endtag(self, tag):
        if tag == "option" and self._option is not None and self._select is not None:
            value, selected, text = self._option
            self._select[1].append((text.strip() if value is None else value, selected))
            self._option = None
        elif tag == "select" and self._select is not None and self._form is not None:
            name, options = self._select
            chosen = [v for v, selected in options if selected] or [v for v, _ in options[:1]]
            self._form.fields += [(name, v) for v in chosen]
            self._select = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            name, text = self._textarea
            self._form.fields.append((name, text.removeprefix("\n")))
            self._textarea = None
        elif tag == "button" and self._button is not None and self._form is not None:
            name, value, text = self._button
            self._form.buttons.append((name, value))
            self._form.labels.append(" ".join(text.split()))
            self._button = None
        elif tag == "form" and self._form is not None:
            self._form.fields += [(n, v) for n, v in self._radios.items() if v is not None]
            self.forms.append(self._form)
            self._form = None


def same_site(url: str) -> str | None:
    """The path and query of a link to this site, or None (another site, mailto:, #...)."""
    parts = urlsplit(url)
    if parts.scheme not in ("", "http", "https") or parts.netloc not in ("", "testserver"):
        return None
    path = parts.path or "/"
    if path.startswith(SKIPPED_PREFIXES):
        return None
    return path + (f"?{parts.query}" if parts.query else "")


def parse(page: str, html: str) -> PageParser:
    parser = PageParser(page)
    parser.feed(html)
    return parser


def is_html(response) -> bool:
    return response.get("Content-Type", "").startswith("text/html")


def route(path: str) -> str:
    """The URL pattern's name of a path ("partners:detail"), or the path if none."""
    try:
        return resolve(path.split("?")[0]).view_name
    except Resolver404:
        return path


def reach(
    client,
    start: str = "/",
    *,
    most: int = 300,
    variants: int = 2,
    per_route: int = 1000,
    every: frozenset = frozenset(),
):
    """Breadth-first from `start`: yields (url, the page that led there, response, parsed
    page or None) for every
    same-site page reached by links and redirects, each path+query once, at most `most`
    pages, and at most `variants` queries of one path (a list's filters, sorts and pages
    would otherwise be crawled one by one), and at most `per_route` paths of one URL
    pattern, except the patterns named in `every` (the partner page of each partner, say).
    """
    seen = {start}
    came_from = {start: ""}
    queries: dict[str, int] = {}
    routes: dict[str, int] = {}
    queue = deque([start])

    def new(target: str) -> bool:
        if target in seen:
            return False
        path, _, query = target.partition("?")
        if query:
            queries[path] = queries.get(path, 0) + 1
            if queries[path] > variants:
                return False
        name = route(path)
        if name not in every:
            routes[name] = routes.get(name, 0) + 1
            if routes[name] > per_route:
                return False
        seen.add(target)
        return True

    while queue and len(seen) <= most:
        url = queue.popleft()
        response = client.get(url)
        page = None
        if response.status_code in (301, 302, 303, 307, 308):
            target = same_site(urljoin(url, response["Location"]))
            if target and new(target):
                came_from[target] = url
                queue.append(target)
        elif response.status_code == 200 and is_html(response):
            page = parse(url, response.content.decode())
            for link in page.links:
                target = same_site(link.split("#")[0])
                if target and new(target):
                    came_from[target] = url
                    queue.append(target)
        yield url, came_from[url], response, page
