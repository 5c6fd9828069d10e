"""The corrections issue 19 asked for hold in the shipped files.

Number portability: the eligibility the operators publish (same local network, 120 days since
the last port), the balance refunded by the old operator (never carried over), and port-out
obstruction taught as a regulatory red line. Internship plan: 首月资费 points at the step that
teaches it, the description agrees with the plan's five weeks, the duty-log task is required.
"""

import re

import yaml

from tests.content.conftest import SHIPPED
from trainer.content.validation import read_library
from trainer.internship.plan_files import parse_plan_files


def procedure(key: str):
    library, problems = read_library(SHIPPED)
    assert problems == []
    return next(p for p in library.procedures if p.key == key)


def step_text(step) -> str:
    """Everything a trainee reads on a step card."""
    return "\n".join([step.standard, *step.script, *(r.text for r in step.reminders)])


def test_eligibility_names_the_same_local_network_and_the_120_days():
    steps = {s.key: s for s in procedure("number_portability").steps}
    eligibility = step_text(steps["check_eligibility"])
    assert "同一本地网" in eligibility
    assert re.search(r"距上次携号转网已满\s*120\s*日", eligibility)
    for condition in ("实名", "正常使用", "已出账费用", "在网约定期限"):
        assert condition in eligibility, condition


def test_the_old_operator_refunds_the_balance_and_nothing_is_carried_over():
    np = procedure("number_portability")
    everything = "\n".join(step_text(s) for s in np.steps) + np.summary
    assert "结转" not in everything.replace("不要说“余额会结转过来”", "")
    terms = step_text(next(s for s in np.steps if s.key == "explain_terms"))
    assert "由原运营商" in terms and "退还" in terms


def test_port_out_obstruction_is_a_red_line_with_its_own_step():
    np = procedure("number_portability")
    keys = [s.key for s in np.steps]
    assert keys[:2] == ["greet", "port_out"]
    port_out = next(s for s in np.steps if s.key == "port_out")
    red_lines = [r.text for r in port_out.reminders if r.type == "important"]
    assert any("红线" in text and "《携号转网服务管理规定》" in text for text in red_lines)
    assert "不挽留" in port_out.standard


def test_the_procedures_module_states_the_rules_and_cites_them():
    library, _ = read_library(SHIPPED)
    page = next(
        p
        for m in library.modules
        if m.key == "procedures"
        for p in m.pages
        if p.key == "transfer_and_closure"
    )
    assert "同一本地网" in page.body and "120" in page.body and "原运营商退还" in page.body
    assert any("携号转网服务管理规定" in r.source for r in page.references)


def test_no_question_bank_teaches_the_old_portability_errors():
    for path in (SHIPPED.parent / "question_banks").glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        assert "入网时间不足规定期限" not in text, path.name
        assert not re.search(r"余额.{0,12}结转", text), path.name


def plan():
    return next(p for p in parse_plan_files() if p.key == "window-staff-30d")


def test_first_month_charges_point_at_the_step_that_teaches_them():
    checklist = [item for task in plan().tasks for item in task.checklist]
    first_month = [item for item in checklist if "首月资费" in item["text"]]
    assert first_month and all(
        item["ref"] == "open_account.choose_number_and_plan" for item in first_month
    )
    taught = procedure("open_account").steps
    assert "当月按天折算" in step_text(next(s for s in taught if s.key == "choose_number_and_plan"))


def test_the_plan_description_agrees_with_its_weeks():
    data = yaml.safe_load(
        (SHIPPED / "internship" / "window-staff-30d.yaml").read_text(encoding="utf-8")
    )
    weeks = [w["week"] for w in data["weeks"]]
    assert weeks == [1, 2, 3, 4, 5]
    description = data["description"]
    assert "第五周" in description and "最后两天" in description
    # the length comes from the programme (default 30 days), not a number fixed in the plan
    assert "满 30 天后" not in description and "培训项目" in description


def test_the_duty_log_task_is_required_and_observed_by_the_duty_manager():
    task = next(t for t in plan().tasks if t.key == "duty_log_walkthrough")
    assert task.required and task.needs_duty_manager
    assert task.procedure_key == "duty_shift"
    assert any("值班记录" in item["text"] for item in task.checklist)
