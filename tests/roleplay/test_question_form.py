"""The role-play question in the trainer's form editor: the turn is picked from a list."""

from trainer.quizzes.question_editor import (
    build_question,
    editor_model,
    editor_options,
    form_can_edit,
    read_form,
)

FIELDS = {"type": ["roleplay"], "text": ["回应客户"], "category": ["roleplay"], "points": ["2"]}


def test_the_form_lists_only_typed_reply_turns_of_loaded_scenarios(app, loaded):
    options = dict(editor_options("roleplay"))
    assert "complaint_overcharge_escalation/t2" in options
    assert "complaint_overcharge_escalation/t1" not in options  # a choice turn


def test_a_picked_turn_becomes_the_payload_and_round_trips(app, loaded):
    with app.test_request_context():
        built = build_question(
            read_form({**FIELDS, "option": ["complaint_overcharge_escalation/t2"]})
        )
        assert built.errors == []
        assert (built.question["scenario"], built.question["turn"]) == (
            "complaint_overcharge_escalation",
            "t2",
        )
        assert editor_model(built.question)["option"] == "complaint_overcharge_escalation/t2"
        assert form_can_edit(built.question)


def test_no_turn_picked_is_named(app, loaded):
    with app.test_request_context():
        built = build_question(read_form(FIELDS))
    assert [e.field for e in built.errors] == ["option"]
