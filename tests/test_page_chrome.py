"""Small things every page has: an icon (no 404 per page view) and marks that say what they mean."""

from flask_babel import force_locale

from trainer.quizzes.question_types.true_false import TrueFalse


def test_the_icon_is_served_and_linked(client):
    with client.get("/favicon.ico") as icon:
        assert icon.status_code == 200 and icon.data[:4] == b"\x00\x00\x01\x00"  # ICO header
    login_page = client.get("/login").get_data(as_text=True)
    assert 'rel="icon"' in login_page
    with client.get("/static/favicon.svg") as svg:
        assert svg.status_code == 200


def test_true_false_answers_are_named_not_only_marked(app):
    with app.test_request_context(), force_locale("zh_CN"):
        assert TrueFalse.describe_correct({"answer": True}) == "✔ 正确"
        assert TrueFalse.describe_answer({"answer": True}, False) == "✘ 错误"
        assert TrueFalse.describe_answer({"answer": True}, None) == ""
