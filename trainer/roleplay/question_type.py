"""The `roleplay` quiz question type: one typed turn of a scenario inside a quiz or exam.

Payload: `{scenario: <key>, turn: <reply turn key>}`. The trainee sees the persona, the
situation and the customer's line (never the rubric) and types a reply; it is graded like
a drill reply — rubric elements found, minus the forbidden-phrase penalty — so the fraction
is deterministic and explained in the feedback.

Grading is pure: the scenario's turn and the phrase matcher (both from the database) are
gathered by `grading_resources`, the provider registered with the type, and passed in.
"""

from sqlalchemy import select

from trainer.extensions import db
from trainer.phrases.services import current_matcher
from trainer.quizzes.question_types.base import Grade, Payload, QuestionType, Resources
from trainer.roleplay import library_refs
from trainer.roleplay.models import Scenario
from trainer.roleplay.scoring import reply_points, score_reply
from trainer.roleplay.services import find_spec


def _turn(payload: Payload):
    spec = find_spec(str(payload.get("scenario", "")))
    turn = spec.turns.get(str(payload.get("turn", ""))) if spec else None
    return spec, turn


def grading_resources(payload: Payload) -> Resources:
    """What grading needs from the database: the scenario's turn and the phrase matcher."""
    _spec, turn = _turn(payload)
    return {"turn": turn, "matcher": current_matcher()}


class RolePlayReply(QuestionType):
    name = "roleplay"
    label = "Role-play reply"

    @classmethod
    def validate(cls, payload: Payload) -> list[str]:
        spec, turn = _turn(payload)
        if spec is None:
            return [f"scenario: unknown scenario {payload.get('scenario')!r}"]
        if turn is None or turn.kind != "reply":
            return [f"turn: {payload.get('turn')!r} is not a typed-reply turn of {spec.key}"]
        return []

    @classmethod
    def editor_options(cls) -> list[tuple[str, str]]:
        """Every typed-reply turn of the loaded scenarios, for the question form's list."""
        options = []
        for scenario in db.session.scalars(
            select(Scenario).where(Scenario.active.is_(True)).order_by(Scenario.key)
        ):
            spec = find_spec(scenario.key)
            for key, turn in (spec.turns if spec else {}).items():
                if turn.kind == "reply":
                    prompt = (turn.customer or turn.prompt or "")[:40]
                    options.append((f"{spec.key}/{key}", f"{spec.title} › {key}：{prompt}"))
        return options

    @classmethod
    def editor_option_of(cls, payload: Payload) -> str:
        return f"{payload.get('scenario', '')}/{payload.get('turn', '')}"

    @classmethod
    def payload_for_option(cls, option: str) -> Payload:
        scenario, _sep, turn = option.partition("/")
        return {"scenario": scenario, "turn": turn}

    @classmethod
    def public_view(cls, payload: Payload, layout) -> dict:
        spec, turn = _turn(payload)
        return {
            "title": spec.title,
            "persona": spec.persona_name,
            "situation": spec.situation,
            "customer": turn.customer,
            "action": turn.action,
            "mood": turn.mood,
            "prompt": turn.prompt,
        }

    @classmethod
    def grade(cls, payload: Payload, answer) -> Grade:
        raise TypeError("a role-play reply is graded with its resources: use grade_with")

    @classmethod
    def grade_with(cls, payload: Payload, answer, resources: Resources) -> Grade:
        turn, matcher = resources["turn"], resources["matcher"]
        if not answer:
            return Grade(0.0, [])
        findings = score_reply(str(answer), turn.rubric, matcher)
        points = reply_points(findings)
        feedback = [
            ("✓ " if e["found"] else "✗ ") + f"{e['label']}（{e['weight']}）"
            for e in findings["elements"]
        ]
        feedback += [
            f"禁语「{f['matched']}」({f['start']}–{f['end']}) → {f['alternative']}"
            for f in findings["forbidden"]
        ]
        return Grade(points.earned / points.max if points.max else 0.0, feedback)

    @classmethod
    def describe_correct(cls, payload: Payload) -> str:
        _spec, turn = _turn(payload)
        step = library_refs.step_script(turn.rubric.model)
        labels = "、".join(e.label for e in turn.rubric.elements)
        return f"{labels}。{step.script if step else ''}"
