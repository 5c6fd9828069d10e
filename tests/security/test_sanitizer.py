"""Trainer-written HTML and Markdown keep no classes or styles (no overlays), and off-site
links are marked: rel="noopener noreferrer" and the real domain in plain sight."""

from trainer.quizzes.rich_text import render
from trainer.rendering import render_markdown, sanitize_html

OVERLAY = (
    '<div class="position-fixed top-0 start-0 w-100 h-100 bg-white" style="z-index: 9999">'
    '<p class="fs-1">会话已过期，请重新登录</p>'
    '<a href="https://login.evil.example/sso" class="btn btn-primary stretched-link">登录</a>'
    "</div>"
)


def test_the_phishing_overlay_loses_every_class_and_style():
    html = str(sanitize_html(OVERLAY))
    assert "class=" not in html.replace('class="link-domain"', "")
    assert "style=" not in html and "position-fixed" not in html


def test_off_site_links_get_noopener_and_show_their_domain():
    html = str(sanitize_html(OVERLAY))
    assert 'rel="noopener noreferrer"' in html
    assert '</a> <span class="link-domain">(login.evil.example)</span>' in html


def test_a_look_alike_domain_shows_in_ascii():
    html = str(render_markdown("[工商银行](https://аррӏе.com/)"))
    assert "(xn--" in html


def test_links_inside_the_site_show_no_domain():
    assert "link-domain" not in str(render_markdown("[模块](/content/modules)"))


def test_an_html_question_renders_without_the_overlay():
    html = str(render(OVERLAY, "html"))
    assert "position-fixed" not in html and "login.evil.example)" in html
