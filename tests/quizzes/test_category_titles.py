"""Pages name a category path by what its segments name; a segment nothing names is a code."""

from trainer.content.models import Procedure
from trainer.quizzes.category_titles import category_title, question_type_label
from trainer.quizzes.models import QuestionBank


def test_segments_are_named_by_the_bank_and_the_procedure(app, db):
    db.session.add_all(
        [
            QuestionBank(name="procedures", title="服务流程"),
            Procedure(key="open_account", title="开户/新装", content_hash="x"),
        ]
    )
    db.session.flush()
    with app.test_request_context():
        assert str(category_title("procedures/open_account")) == "服务流程 / 开户/新装"
        assert str(category_title("procedures/nowhere")) == "服务流程 / <code>nowhere</code>"


def test_an_unknown_segment_is_escaped_inside_its_code(app, db):
    with app.test_request_context():
        assert str(category_title("a<b>")) == "<code>a&lt;b&gt;</code>"


def test_question_types_show_their_label(app):
    with app.test_request_context():
        assert question_type_label("multiple_choice") == "Multiple choice"
        assert question_type_label("no_such_type") == "no_such_type"
