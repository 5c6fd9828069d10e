"""Every page speaks the reader's language: a crawl of the app as each kind of user, in zh_CN
and in en, over the shipped library and the demo data.

Each kind (anonymous, admin, trainer, mentor, trainees at three stages) starts at the
dashboard and follows same-origin links (a few URLs per URL shape, a bounded number of pages);
every POST form found is submitted once, empty, with its CSRF token, and the page that answers
(its error state, or the page a redirect leads to with its flash) is read as well.

What counts as visible text: text nodes outside script/style, the title, and the `title`,
`placeholder`, `aria-label` and `alt` attributes and button values. Content and names are not
the UI's language: an element whose `lang` attribute names another language is skipped, and so
is text that comes from the data (questions, modules, names: every text value in the database).
In zh_CN a run of Latin letters must be a code (it has digits: E0001, 5G), an allowed product
name or file format, or part of Chinese content; snake_case and dotted keys
(`bill_payment.verify_identity`, `trainer_guides/star_clerk`) never pass, content or not. In
en a run of Han characters must come from the content or sit in a `lang="zh"` element.
`<code>` elements hold what is typed or read by a machine (a file's column names) and are
skipped.
"""

import re
from collections import defaultdict, deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from sqlalchemy import JSON, String, select, update

from tests.conftest import CsrfClient, csrf_token
from trainer.accounts.models import User
from trainer.extensions import db
from trainer.seeding import DEMO_PASSWORD
from trainer.training.models import Enrolment
from trainer.training.stages import Stage

pytestmark = pytest.mark.slow

MAX_PAGES_PER_KIND = 400
URLS_PER_SHAPE = 2
# a textarea holds what the user edits (a YAML source, a reply): data, not the UI
SKIPPED_TAGS = {"script", "style", "template", "noscript", "code", "kbd", "samp", "textarea"}
VOID_TAGS = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
    "param",
}
TEXT_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt")
# Names the UI keeps in Latin letters in every language: products, formats, standards.
ALLOWED_WORDS = """
    CSV XLSX Excel WPS PDF YAML YML JSON XML GIFT Moodle QR SIM VIP ID IC APP App UTF GBK
    PIN SMS Wi Fi WiFi HR IT AI OK CPU ICP eSIM iPhone Android iOS Bootstrap Chromium URL
    HTTP HTTPS API Cron RQ Redis SQLite PostgreSQL Markdown ICO SVG Prometheus Sentry HTML TXT MD
    ZIP Cronbach alpha
"""
ALLOWED_LATIN = {word.lower() for word in ALLOWED_WORDS.split()}
LATIN_TOKEN = re.compile(
    r"(?<![A-Za-z0-9])[A-Za-z0-9]*[A-Za-z][A-Za-z0-9]*(?:[_./\-@:][A-Za-z0-9]+)*"
)
HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
FILE_NAME = re.compile(r"^[\w\-]+\.(csv|xlsx|pdf|yaml|yml|json|xml|txt|gift|svg|ico|zip)$", re.I)
EMAIL_OR_HOST = re.compile(r"^[\w.+\-]+@[\w.\-]+$|^(?:[\w\-]+\.)+(cn|com|org|net)$", re.I)


def is_key(token: str) -> bool:
    """A developer's key: snake_case (a category path with one too), a dotted key; not a
    file:line, and not words joined by a slash (green/red)."""
    if FILE_NAME.match(token) or EMAIL_OR_HOST.match(token) or re.search(r":\d+$", token):
        return False
    return "_" in token or bool(re.fullmatch(r"[a-z]+(?:\.[a-z]+)+", token))


@dataclass
class Shown:
    text: str
    lang: str  # the language of the closest element that names one ("" for the page's)


@dataclass
class VisibleText(HTMLParser):
    texts: list[Shown] = field(default_factory=list)
    forms: list[dict] = field(default_factory=list)
    links: list[str] = field(default_factory=list)

    def __post_init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str | None, bool]] = []  # (tag, lang, skipped)

    @property
    def lang(self) -> str:
        return next((lang for _, lang, _ in reversed(self.stack) if lang is not None), "")

    @property
    def skipped(self) -> bool:
        return any(skip for _, _, skip in self.stack)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        hidden = "hidden" in a and tag != "input"
        if tag not in VOID_TAGS:
            self.stack.append((tag, a.get("lang"), tag in SKIPPED_TAGS or hidden))
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        if tag == "form":
            self.forms.append(
                {
                    "method": (a.get("method") or "get").lower(),
                    "action": a.get("action"),
                    "fields": [],
                    "csrf": None,
                }
            )
        if tag in ("input", "textarea", "select") and self.forms and a.get("name"):
            kind = a.get("type", "text") if tag == "input" else tag
            if a["name"] == "csrf_token":
                self.forms[-1]["csrf"] = a.get("value")
            elif kind not in ("hidden", "submit", "button"):
                self.forms[-1]["fields"].append(a["name"])
        if self.skipped or (tag == "input" and a.get("type") == "hidden"):
            return
        lang = a.get("lang") or self.lang
        for name in TEXT_ATTRIBUTES:
            if a.get(name):
                self.texts.append(Shown(a[name], lang))
        if tag == "input" and a.get("type") in ("submit", "button") and a.get("value"):
            self.texts.append(Shown(a["value"], lang))

    def handle_endtag(self, tag):
        if tag in VOID_TAGS:
            return
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        if data.strip() and not self.skipped:
            self.texts.append(Shown(data, self.lang))


def read_page(html: str) -> VisibleText:
    page = VisibleText()
    page.feed(html)
    page.close()
    return page


class Content:
    """The text of the data: a UI string is content when it occurs in a stored text value."""

    def __init__(self):
        values: list[str] = []

        def collect(value) -> None:  # text columns, and the strings inside JSON ones
            if isinstance(value, str):
                values.append(value)
            elif isinstance(value, dict):
                for item in value.values():
                    collect(item)
            elif isinstance(value, list | tuple):
                for item in value:
                    collect(item)

        for table in db.metadata.sorted_tables:
            columns = [c for c in table.columns if isinstance(c.type, String | JSON)]
            if not columns:
                continue
            for row in db.session.execute(select(*columns)):
                collect(list(row))
        self.all = "\n".join(values)
        prose = [v for v in values if HAN_RUN.search(v)]  # Latin inside Chinese content
        self.latin_words = {t.lower() for v in prose for t in LATIN_TOKEN.findall(v)}
        self._han: dict[str, bool] = {}

    def has_han(self, run: str) -> bool:
        if run not in self._han:
            self._han[run] = run in self.all
        return self._han[run]


def latin_problems(texts: list[Shown], content: Content) -> list[str]:
    found = []
    for item in texts:
        if item.lang and not item.lang.lower().startswith("zh"):
            continue
        for token in LATIN_TOKEN.findall(item.text):
            if is_key(token):
                found.append(f"key {token!r} in {item.text.strip()[:80]!r}")
                continue
            if any(c.isdigit() for c in token) or FILE_NAME.match(token):
                continue  # a code: employee number, serial, 5G, a file name, file:line
            if len(token) == 1:
                continue  # an option letter (A–D), a count N
            if EMAIL_OR_HOST.match(token):
                continue
            words = re.split(r"[./\-@:]", token)
            if all(w.lower() in ALLOWED_LATIN or w.lower() in content.latin_words for w in words):
                continue
            found.append(f"latin {token!r} in {item.text.strip()[:80]!r}")
    return found


def han_problems(texts: list[Shown], content: Content) -> list[str]:
    found = []
    for item in texts:
        if item.lang and not item.lang.lower().startswith("en"):
            continue  # content in Chinese, or a code (lang="zxx")
        for run in HAN_RUN.findall(item.text):
            if not content.has_han(run):
                found.append(f"han {run!r} in {item.text.strip()[:80]!r}")
        for token in LATIN_TOKEN.findall(item.text):
            if is_key(token):
                found.append(f"key {token!r} in {item.text.strip()[:80]!r}")
    return found


def url_shape(url: str) -> str:
    parts = urlsplit(url)
    keys = "&".join(sorted({k.split("=")[0] for k in parts.query.split("&") if k}))
    return re.sub(r"\d+", "N", parts.path) + "?" + keys


def crawlable(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return False
    return not parts.path.startswith(("/static/", "/logout", "/metrics"))


def log_in(client, employee_no: str) -> None:
    token = csrf_token(client.get("/login").get_data(as_text=True))
    response = client.post(
        "/login",
        data={"employee_no": employee_no, "password": DEMO_PASSWORD, "csrf_token": token},
    )
    assert response.status_code == 302, f"{employee_no} could not log in"


FORMS_NOT_SUBMITTED = ("/logout", "/language")


@dataclass
class Crawl:
    client: object
    check: object
    content: Content
    problems: dict = field(default_factory=lambda: defaultdict(set))
    pages: int = 0

    def record(self, url: str, found: list[str]) -> None:
        for problem in found:
            self.problems[problem].add(url)

    def read(self, url: str, response) -> VisibleText | None:
        if response.status_code >= 500 and url != "/readyz":
            self.problems[f"server error {response.status_code}"].add(url)
        if response.mimetype != "text/html":
            response.close()  # a streamed download ends its generator (and its request context)
            return None
        page = read_page(response.get_data(as_text=True))
        self.pages += 1
        self.record(url, self.check(page.texts, self.content))
        return page

    def submit_empty(self, page_url: str, form: dict) -> None:
        action = urljoin(page_url, form["action"] or page_url)
        data = {name: "" for name in form["fields"]}
        if form["csrf"]:
            data["csrf_token"] = form["csrf"]
        response = self.client.post(action, data=data)
        where = f"POST {urlsplit(action).path} (empty)"
        if response.status_code in (301, 302, 303):
            location = response.headers["Location"]
            if crawlable(location):
                self.read(where, self.client.get(location))
            return
        self.read(where, response)

    def run(self, start: list[str]) -> None:
        queue, seen, shapes, forms_done = deque(start), set(start), defaultdict(int), set()
        while queue and self.pages < MAX_PAGES_PER_KIND:
            url = queue.popleft()
            response = self.client.get(url)
            page = self.read(url, response)
            if page is None:
                continue
            for form in page.forms:
                action = urljoin(url, form["action"] or url)
                shape = url_shape(action)
                if form["method"] != "post" or not form["fields"] or shape in forms_done:
                    continue
                if urlsplit(action).path.startswith(FORMS_NOT_SUBMITTED):
                    continue
                forms_done.add(shape)
                self.submit_empty(url, form)
            for href in page.links:
                target = urljoin(url, href.split("#")[0])
                target = target.removeprefix("http://localhost")
                if not crawlable(target) or target in seen:
                    continue
                shape = url_shape(target)
                if shapes[shape] >= URLS_PER_SHAPE:
                    continue
                shapes[shape] += 1
                seen.add(target)
                queue.append(target)


def people(db_session) -> dict[str, str | None]:
    """Employee numbers of each kind of user the crawl signs in as."""

    def trainee_at(*stages: Stage) -> str:
        return db_session.scalar(
            select(User.employee_no)
            .join(Enrolment, Enrolment.user_id == User.id)
            .where(Enrolment.stage.in_(stages))
            .order_by(User.employee_no)
        )

    return {
        "anonymous": None,
        "admin": "A0001",
        "trainer": "T0001",
        "mentor": "M0001",
        "trainee_new": trainee_at(Stage.ENROLLED, Stage.PRE_JOB_TRAINING),
        "trainee_interning": trainee_at(Stage.INTERNING),
        "trainee_certified": trainee_at(Stage.CERTIFIED),
    }


def crawl_problems(app, locale: str) -> dict[str, set[str]]:
    db.session.execute(update(User).values(locale=None))  # the default language applies
    db.session.commit()
    app.config["BABEL_DEFAULT_LOCALE"] = locale
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        content = Content()
        check = latin_problems if locale == "zh_CN" else han_problems
        found: dict[str, set[str]] = defaultdict(set)
        pages = 0
        for kind, employee_no in people(db.session).items():
            assert kind == "anonymous" or employee_no, f"the demo has no {kind}"
            client = CsrfClient(app, app.response_class, use_cookies=True)
            if employee_no:
                log_in(client, employee_no)
            crawl = Crawl(client, check, content)
            crawl.run(["/login", "/verify"] if employee_no is None else ["/"])
            pages += crawl.pages
            for problem, urls in crawl.problems.items():
                found[problem] |= {f"{kind} {u}" for u in urls}
        assert pages > 150  # the crawl really read the site
        return found
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def report(found: dict[str, set[str]]) -> list[str]:
    return sorted(f"{problem}  ← {sorted(urls)[:3]}" for problem, urls in found.items())


def test_the_reader_sees_what_the_checks_catch():
    page = read_page(
        '<title>用户</title><p>状态 submitted</p><script>var x = "nope";</script>'
        '<input type="submit" value="Save"><span lang="en">English</span>'
        '<a title="bill_payment.verify_identity" href="/x">链接</a><code>employee_no</code>'
    )
    texts = [t.text for t in page.texts]
    assert "状态 submitted" in texts and "Save" in texts and "nope" not in " ".join(texts)
    assert "employee_no" not in texts and page.links == ["/x"]


@pytest.mark.parametrize(
    "text, problem",
    [
        ("状态 submitted", "latin 'submitted'"),
        ("题型 multiple_choice", "key 'multiple_choice'"),
        ("步骤 bill_payment.verify_identity", "key 'bill_payment.verify_identity'"),
        ("分类 trainer_guides/star_clerk", "key 'trainer_guides/star_clerk'"),
        ("工号 E0001，导出 CSV，5G 套餐", None),
    ],
)
def test_latin_runs_are_codes_product_names_or_problems(text, problem):
    content = Content.__new__(Content)
    content.latin_words = set()
    found = latin_problems([Shown(text, "")], content)
    assert found == ([] if problem is None else [f"{problem} in {text!r}"])


@pytest.mark.locale("zh_CN")
def test_zh_pages_show_no_latin_words_and_no_raw_keys(app, demo_data):
    problems = report(crawl_problems(app, "zh_CN"))
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)


@pytest.mark.locale("en")
def test_en_pages_show_no_han_outside_content_and_names(app, demo_data):
    problems = report(crawl_problems(app, "en"))
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)
