"""The CSP allows nothing inline, and no page relies on it: a crawl of every GET page, as
every kind of user over the shipped library and the demo data, finds no style attribute, no
<style> element, no inline script and no event-handler attribute."""

from html.parser import HTMLParser

import pytest

from tests.test_authorization_data import KINDS, client_for
from tests.test_authorization_data import world as world  # noqa: F401,PLC0414  (the fixture)
from tests.test_get_never_writes import get_urls


class InlineFinder(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        names = {name for name, _ in attrs}
        if "style" in names:
            self.found.append(f"<{tag} style=…>")
        if tag == "style":
            self.found.append("<style>")
        if tag == "script" and "src" not in names:
            self.found.append("<script> without src")
        self.found += [f"<{tag} {n}=…>" for n in names if n.startswith("on")]


def inline_parts(html: str) -> list[str]:
    finder = InlineFinder()
    finder.feed(html)
    return finder.found


def test_the_finder_sees_what_it_must():
    page = '<p style="x">a</p><style>p{}</style><script>1</script><b onclick="x()">b</b>'
    assert len(inline_parts(page)) == 4


def test_the_policy_has_no_unsafe_inline(client):
    policy = client.get("/login").headers["Content-Security-Policy"]
    assert "unsafe-inline" not in policy
    assert "style-src 'self'" in policy and "script-src 'self'" in policy


# A crawl of every page as every kind of user: CI runs it (see `slow`).
@pytest.mark.slow
def test_no_page_carries_inline_styles_or_scripts(app, world):
    clients = {kind: client_for(app, kind, world) for kind in KINDS}
    urls = get_urls(app, world)
    found, pages = [], 0
    for kind, client in clients.items():
        for url in urls:
            response = client.get(url)
            if response.status_code != 200 or response.mimetype != "text/html":
                continue
            pages += 1
            found += [(kind, url, part) for part in inline_parts(response.get_data(as_text=True))]
    assert pages > 100  # the crawl really read the site
    assert found == []
