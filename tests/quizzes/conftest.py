"""Quiz fixtures: a bank with one question of every type and a quiz factory."""

import pytest

from trainer.permissions import Role
from trainer.quizzes.banks import import_questions
from trainer.quizzes.models import Purpose, Quiz
from trainer.quizzes.questions import normalise_question, validate_question
from trainer.quizzes.quiz_setup import upsert_quiz
from trainer.training.path import trainee_path
from trainer.training.stages import Stage

QUESTIONS = [
    {
        "key": "sc",
        "type": "single_choice",
        "category": "forbidden_phrases",
        "text": "客户问到你不会的问题时，应该说？",
        "link": "complaint_handling.listen",
        "general_feedback": "首问负责：先稳住客户再查询。",
        "choices": [
            {"text": "请稍等，我帮您查询一下", "correct": True, "feedback": "对，这是规范用语"},
            {"text": "不知道", "feedback": "这是服务禁语"},
            {"text": "你去问别人", "feedback": "违反首问负责制"},
        ],
    },
    {
        "key": "mc",
        "type": "multiple_choice",
        "category": "phrases",
        "text": "下列哪些是规范服务用语？",
        "choices": [
            {"text": "您好，请问有什么可以帮您？", "fraction": 0.5},
            {"text": "让您久等了", "fraction": 0.5},
            {"text": "急什么", "fraction": -1, "feedback": "禁语扣分"},
        ],
    },
    {
        "key": "tf",
        "type": "true_false",
        "category": "first_inquiry",
        "text": "首问负责制下，可以让客户去找别的同事。",
        "answer": False,
        "feedback_true": "错误：首问负责到底",
        "feedback_false": "正确",
    },
    {
        "key": "sa",
        "type": "short_answer",
        "category": "procedures/open_account",
        "text": "开户时必须核验客户本人的哪种证件原件？",
        "answers": ["居民身份证", "身份证"],
    },
    {
        "key": "num",
        "type": "numerical",
        "category": "procedures/open_account",
        "text": "一证最多可在本公司办理几个号码？",
        "answers": [{"value": 5, "tolerance": 0}],
    },
    {
        "key": "match",
        "type": "matching",
        "category": "forbidden_phrases",
        "text": "把禁语和应说的话配对。",
        "pairs": [
            {"left": "不知道", "right": "请稍等，我帮您查询一下"},
            {"left": "快点", "right": "请您稍候，马上为您办理"},
        ],
    },
    {
        "key": "order",
        "type": "ordering",
        "category": "procedures/open_account",
        "text": "把开户步骤排好顺序。",
        "items": ["实名核验", "选号与选定套餐", "签署协议", "写卡激活"],
    },
    {
        "key": "cloze",
        "type": "cloze",
        "category": "procedures/sim_replacement",
        "text": "补卡须核验{1}并确认{2}。",
        "blanks": [
            {"answers": ["身份证原件"]},
            {
                "answers": [{"text": "服务密码", "fraction": 1}, {"text": "验证码", "fraction": 0}],
                "dropdown": True,
            },
        ],
    },
    {
        "key": "essay",
        "type": "essay",
        "category": "complaints",
        "text": "客户因多扣话费大声吵闹，写出你的处理过程。",
        "rubric": "致歉、倾听、核实、解决或升级、回访",
    },
]

SECRETS = [
    "对，这是规范用语",
    "这是服务禁语",
    "违反首问负责制",
    "禁语扣分",
    "首问负责：先稳住客户再查询。",
    "错误：首问负责到底",
    "居民身份证",
    "身份证原件",
    "致歉、倾听、核实",
    "fraction",
    "feedback",
]


@pytest.fixture
def bank(db):
    questions = [normalise_question(q) for q in QUESTIONS]
    assert all(not validate_question(q) for q in questions)
    summary = import_questions(None, "test_bank", questions, title="测试题库")
    db.session.commit()
    return summary.bank


@pytest.fixture
def make_quiz(db, bank, programme):
    counter = iter(range(1, 1000))

    def make(purpose: Purpose = Purpose.PRE_JOB, keys=None, **fields) -> Quiz:
        keys = keys or [q["key"] for q in QUESTIONS]
        spec = {
            "key": f"quiz-{next(counter)}",
            "title": "岗前考试",
            "purpose": purpose.value,
            "rules": [{"question": f"test_bank/{k}"} for k in keys],
            **fields,
        }
        quiz = upsert_quiz(None, programme, spec)
        db.session.commit()
        return quiz

    return make


@pytest.fixture
def trainee_in_training(db, make_enrolment, make_user):
    """A trainee in pre-job training (the cohort started today)."""
    enrolment = make_enrolment()
    assert enrolment.stage == Stage.PRE_JOB_TRAINING
    return enrolment


@pytest.fixture
def trainer(make_user):
    return make_user(Role.TRAINER)


def move_to(enrolment, stage: Stage, db) -> None:
    while enrolment.stage != stage:
        trainee_path.advance(enrolment, enrolment.stage.next(), None, override_reason="test")
    db.session.commit()
