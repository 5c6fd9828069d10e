"""Question types: a registry on the app, one module per type (CTFd's CHALLENGE_CLASSES pattern).

The built-in types are a constant; `init_app` copies them into the app's registry
(`app.extensions["question_types"]`), where another feature adds its own with
`register_question_type(app, MyType, resources=...)`. Grading, rendering and the bank formats
look types up by name. Outside an app (pure unit tests) the built-in types are used.

`resources` is how a type stays pure: a type whose grading needs more than the payload and
the answer (the role-play type needs the scenario's rubric and the phrase matcher) registers a
provider; the quiz engine calls it and passes the result to `grade`.
"""

from collections.abc import Callable, Mapping
from types import MappingProxyType

from flask import Flask, current_app, has_app_context

from trainer.quizzes.question_types.base import Grade, Payload, QuestionType, Resources
from trainer.quizzes.question_types.cloze import Cloze
from trainer.quizzes.question_types.essay import Essay
from trainer.quizzes.question_types.matching import Matching
from trainer.quizzes.question_types.multiple_choice import MultipleChoice
from trainer.quizzes.question_types.numerical import Numerical
from trainer.quizzes.question_types.ordering import Ordering
from trainer.quizzes.question_types.short_answer import ShortAnswer
from trainer.quizzes.question_types.single_choice import SingleChoice
from trainer.quizzes.question_types.true_false import TrueFalse

ResourceProvider = Callable[[Payload], Resources]

BUILTIN_TYPES: Mapping[str, type[QuestionType]] = MappingProxyType(
    {
        kind.name: kind
        for kind in (
            SingleChoice,
            MultipleChoice,
            TrueFalse,
            ShortAnswer,
            Numerical,
            Matching,
            Ordering,
            Cloze,
            Essay,
        )
    }
)
NO_RESOURCES: Resources = MappingProxyType({})


class UnknownQuestionType(KeyError):
    pass


class QuestionTypeRegistry:
    """One app's question types by name, with the resource providers of impure ones."""

    def __init__(self, types: Mapping[str, type[QuestionType]]) -> None:
        self.types: dict[str, type[QuestionType]] = dict(types)
        self.providers: dict[str, ResourceProvider] = {}

    def register(self, kind: type[QuestionType], resources: ResourceProvider | None) -> None:
        self.types[kind.name] = kind
        if resources is not None:
            self.providers[kind.name] = resources
        else:
            self.providers.pop(kind.name, None)


def register_question_type(
    app: Flask, kind: type[QuestionType], *, resources: ResourceProvider | None = None
) -> type[QuestionType]:
    """Register (or replace) a type by its `name` in the app's registry."""
    app.extensions["question_types"].register(kind, resources)
    return kind


def question_types() -> Mapping[str, type[QuestionType]]:
    """The types known to the current app (the built-ins outside an app), read-only."""
    if has_app_context():
        return MappingProxyType(current_app.extensions["question_types"].types)
    return BUILTIN_TYPES


def get_question_type(name: str) -> type[QuestionType]:
    try:
        return question_types()[name]
    except KeyError:
        raise UnknownQuestionType(name) from None


def grading_resources(name: str, payload: Payload) -> Resources:
    """What type `name` needs to grade `payload` (reads the database; call outside grading)."""
    if not has_app_context():
        return NO_RESOURCES
    provider = current_app.extensions["question_types"].providers.get(name)
    return provider(payload) if provider else NO_RESOURCES


def init_app(app: Flask) -> None:
    app.extensions["question_types"] = QuestionTypeRegistry(BUILTIN_TYPES)


__all__ = [
    "BUILTIN_TYPES",
    "NO_RESOURCES",
    "Grade",
    "QuestionType",
    "Resources",
    "UnknownQuestionType",
    "get_question_type",
    "grading_resources",
    "question_types",
    "register_question_type",
]
