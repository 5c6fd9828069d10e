"""Question texts shown in their own format: Moodle's auto-format as plain text with line
breaks, HTML sanitised, per-answer formats honoured, cloze blanks kept inside markup."""

from trainer.quizzes.rich_text import (
    cloze_parts,
    feedback_formats,
    format_view,
    render,
    render_inline,
    with_files,
)


def test_moodle_auto_format_is_plain_text_with_line_breaks():
    assert str(render("a <b>b</b>\nc", "moodle")) == "<p>a &lt;b&gt;b&lt;/b&gt;<br>c</p>"


def test_html_is_sanitised_not_escaped():
    assert str(render("<b>ok</b><script>alert(1)</script>", "html")) == "<b>ok</b>"


def test_an_inline_markdown_answer_has_no_paragraph():
    assert str(render_inline("**是**", "markdown")) == "<strong>是</strong>"


def test_each_choice_is_shown_in_its_own_format_or_the_questions():
    view = {
        "choices": [{"id": 0, "text": "<i>x</i>", "format": "html"}, {"id": 1, "text": "<i>y</i>"}]
    }
    format_view(view, "plain", None)
    assert [str(c["text"]) for c in view["choices"]] == ["<i>x</i>", "&lt;i&gt;y&lt;/i&gt;"]


def test_cloze_blanks_stay_inside_the_html_around_them():
    parts = cloze_parts("<p>核验{1}并确认{2}。</p>", "html")
    assert [(str(html), blank) for html, blank in parts] == [
        ("<p>核验", None),
        ("", 0),
        ("并确认", None),
        ("", 1),
        ("。</p>", None),
    ]


def test_plain_cloze_text_is_escaped():
    parts = cloze_parts("a<b {1}", "plain")
    assert str(parts[0][0]) == "a&lt;b "


def test_pluginfile_references_become_urls_only_for_known_files():
    resolve = {"a b.png": "/files/1/a%20b.png"}.get
    text = '<img src="@@PLUGINFILE@@/a%20b.png"><img src="@@PLUGINFILE@@/other.png">'
    assert with_files(text, resolve) == (
        '<img src="/files/1/a%20b.png"><img src="@@PLUGINFILE@@/other.png">'
    )


def test_feedback_formats_are_found_however_deep():
    payload = {
        "choices": [{"text": "a", "feedback": "<b>no</b>", "feedback_format": "html"}],
        "feedback_true": "**yes**",
        "feedback_true_format": "markdown",
    }
    assert feedback_formats(payload, "plain") == {"<b>no</b>": "html", "**yes**": "markdown"}
