"""Demo drills: trainees past the pre-job step have passed the required drills; those in
pre-job training have tried a few, one with a careless reply waiting in the review queue."""

from trainer.roleplay.scenario_model import Scenario as ScenarioSpec
from trainer.roleplay.scoring import default_thesaurus
from trainer.roleplay.services import (
    active_scenarios,
    choose,
    override_elements,
    reply,
    spec_of,
    start_drill,
)
from trainer.roleplay.validation import walk_paths
from trainer.seeding import DemoContext
from trainer.training.stages import Stage

CARELESS_REPLY = "这不归我管，你去找领导去吧。"


def ideal_reply(spec: ScenarioSpec, turn_key: str) -> str:
    """A reply that uses the first accepted phrasing of every required element
    (a thesaurus group by its first word, both parts of 甲+乙)."""
    thesaurus = default_thesaurus()

    def spoken(part: str) -> str:
        group = thesaurus.group(part[1:]) if part.startswith("@") else None
        return group.terms[0] if group else part

    phrasings = (e.phrasings[0] for e in spec.turns[turn_key].rubric.elements)
    return "，".join("".join(spoken(p) for p in ph.split("+")) for ph in phrasings) + "。"


def best_path(spec: ScenarioSpec) -> list[tuple[str, int | None]]:
    def points(path):
        return sum(spec.turns[t].choices[c].score if c is not None else 0 for t, c in path)

    def ends_well(path):
        turn_key, move = path[-1]
        turn = spec.turns[turn_key]
        ending = turn.choices[move].ending if move is not None else turn.ending
        return spec.endings[ending].outcome == "good"

    return max((p for p in walk_paths(spec) if ends_well(p)), key=points)


def play(user, scenario, path=None, reply_text=None, mode: str = "practice"):
    session = start_drill(user, scenario, mode)
    spec = spec_of(session.version)
    for position, (turn_key, move) in enumerate(path or best_path(spec)):
        if move is None:
            reply(session, turn_key, position, reply_text or ideal_reply(spec, turn_key))
        else:
            choose(session, turn_key, position, move)
    return session


def seed_drills(ctx: DemoContext) -> None:
    scenarios = active_scenarios()
    if not scenarios:
        return
    complaint = next((s for s in scenarios if s.procedure == "complaint_handling"), scenarios[0])
    reviewer = ctx.trainers[0]
    for user, enrolment, target in ctx.trainees:
        if target.reached(Stage.PRE_JOB_PASSED):
            for scenario in scenarios:
                if enrolment.programme.code in (scenario.required_for or []) or (
                    scenario.id == complaint.id
                ):
                    session = play(user, scenario)
                    for step in session.steps:  # long since reviewed: nothing to change
                        if step.kind == "reply":
                            override_elements(reviewer, step, {}, "")
        elif target == Stage.PRE_JOB_TRAINING:
            play(user, complaint, reply_text=CARELESS_REPLY)
            play(user, scenarios[-1])
