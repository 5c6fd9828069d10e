"""Question types: a dict registry, one module per type (CTFd's CHALLENGE_CLASSES pattern).

Another feature adds a type with `register_question_type(MyType)`; grading, rendering and
the bank formats look types up here by name.
"""

from trainer.quizzes.question_types.base import Grade, QuestionType

QUESTION_TYPES: dict[str, type[QuestionType]] = {}


class UnknownQuestionType(KeyError):
    pass


def register_question_type(cls: type[QuestionType]) -> type[QuestionType]:
    """Register (or replace) a type by its `name`; usable as a class decorator."""
    QUESTION_TYPES[cls.name] = cls
    return cls


def get_question_type(name: str) -> type[QuestionType]:
    try:
        return QUESTION_TYPES[name]
    except KeyError:
        raise UnknownQuestionType(name) from None


def _register_builtin_types() -> None:
    from trainer.quizzes.question_types import (  # noqa: F401  (each module registers itself)
        cloze,
        essay,
        matching,
        multiple_choice,
        numerical,
        ordering,
        short_answer,
        single_choice,
        true_false,
    )


_register_builtin_types()

__all__ = [
    "QUESTION_TYPES",
    "Grade",
    "QuestionType",
    "UnknownQuestionType",
    "get_question_type",
    "register_question_type",
]
