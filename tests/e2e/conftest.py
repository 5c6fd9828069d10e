"""Browser tests: the app on a free localhost port, driven by Playwright in Debian's Chromium.

The server runs in a thread of the test process, so it shares the test database and the
app clock (`clock.travel`). With --screenshots, pages are saved in tests/artifacts/ for a human
to look at.
"""

import os
import re
import threading
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright
from werkzeug.serving import WSGIRequestHandler, make_server

from tests.conftest import PASSWORD

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


class KeepAliveHandler(WSGIRequestHandler):
    """HTTP/1.1, so the browser reuses its connections as it does with nginx in production."""

    protocol_version = "HTTP/1.1"


def static_cached_like_nginx(wsgi_app):
    """Static files with a week's `Cache-Control`, as deploy/nginx/trainer.conf (`expires 7d`)
    serves them: the browser loads the stylesheets and scripts once, not on every page."""

    def serve(environ, start_response):
        if not environ.get("PATH_INFO", "").startswith("/static/"):
            return wsgi_app(environ, start_response)

        def start_cached(status, headers, exc_info=None):
            headers = [(k, v) for k, v in headers if k.lower() != "cache-control"]
            return start_response(status, [*headers, ("Cache-Control", "max-age=604800")], exc_info)

        return wsgi_app(environ, start_cached)

    return serve


@pytest.fixture(scope="session")
def live_server(app):
    # Browsers click through module pages at machine speed; tests/content/test_reading_time.py
    # covers the minimum reading time.
    app.config["MODULE_READING_TIME"] = False
    server = make_server(
        "127.0.0.1",
        0,
        static_cached_like_nginx(app),
        threaded=True,
        request_handler=KeepAliveHandler,
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-quic",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, live_server):
    """Open pages in fresh browser contexts (one per user); all closed after the test."""
    contexts = []

    def open_page(viewport=None, locale="zh-CN", bypass_csp=False, motion="reduce"):
        # bypass_csp only for injecting axe-core: the app's CSP forbids inline scripts.
        # motion="reduce", a user setting: Bootstrap's fades, slides and smooth scrolling end at
        # once, so actions do not wait for them (≈ 1 s per page change of a long exam). The
        # full-path journeys run with motion="no-preference", as most staff see the app.
        context = browser.new_context(
            base_url=live_server,
            viewport=viewport or {"width": 1280, "height": 900},
            locale=locale,
            accept_downloads=True,
            bypass_csp=bypass_csp,
            reduced_motion=motion,
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture
def browser_login():
    def login(page, user, password: str = PASSWORD):
        page.goto("/login")
        page.fill("input[name=employee_no]", user.employee_no)
        page.fill("input[name=password]", password)
        page.click("button[type=submit]")
        page.wait_for_url(re.compile(r".*/(\?.*)?$"))
        return page

    return login


@pytest.fixture
def screenshot(request):
    """`shoot(page, name)`: with --screenshots, a full-page PNG in tests/artifacts/. Off by
    default: a full-page capture costs the browser a second or more and asserts nothing."""
    wanted = request.config.getoption("--screenshots")
    if wanted:
        ARTIFACTS.mkdir(exist_ok=True)

    def shoot(page, name: str) -> Path | None:
        if not wanted:
            return None
        path = ARTIFACTS / f"{request.node.name}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return shoot


AXE_SCRIPT = Path(__file__).resolve().parent / "vendor" / "axe.min.js"


@pytest.fixture
def serious_a11y_violations():
    """Run axe-core in the page; return the serious and critical violations (id, nodes)."""

    def check(page) -> list[tuple[str, list[str]]]:
        page.add_script_tag(path=str(AXE_SCRIPT))
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        return [
            (v["id"], [n["target"][0] for n in v["nodes"]][:5])
            for v in result["violations"]
            if v["impact"] in ("serious", "critical")
        ]

    return check
