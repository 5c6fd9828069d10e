"""A trainer sees a reload conflict on the library status page, reads the diff side by side
and resolves it: one item by taking the file, another by merging by hand."""

import re

import pytest

from tests.library.files import KINDS, copy_library_files
from trainer.extensions import db
from trainer.library.sync import Outcome
from trainer.permissions import Role


@pytest.fixture
def library_files(app, tmp_path):
    yield from copy_library_files(app, tmp_path)


def _conflict(name, library_files, trainer):
    kind = KINDS[name](library_files)
    kind.edit_in_ui(trainer, "界面里改过的文字")
    kind.edit_file("文件里改过的文字")
    assert kind.reload().outcomes[kind.name][Outcome.CONFLICT] == [kind.key_in_report]
    return kind


def test_trainer_resolves_reload_conflicts_on_the_status_page(
    page, browser_login, make_user, programme, library_files, screenshot
):
    trainer = make_user(Role.TRAINER)
    for name in ("procedure", "scenario", "internship plan", "question"):  # as deployed
        KINDS[name](library_files).reload()
    scenario = _conflict("scenario", library_files, trainer)
    plan = _conflict("internship plan", library_files, trainer)
    page.set_default_timeout(60_000)  # the page reads and checks every library file
    browser_login(page, trainer)

    page.goto("/library/status")
    entry = page.locator(f"[data-testid=entry][data-key={scenario.key}]")
    diff = entry.locator("[data-testid=diff] tr.diff-changed")
    assert "界面里改过的文字" in diff.locator("td").nth(0).inner_text()
    assert "文件里改过的文字" in diff.locator("td").nth(1).inner_text()
    screenshot(page, "conflicts")

    entry.get_by_role("button", name="采用文件").click()
    page.wait_for_url(re.compile(r".*/library/status$"))
    assert page.locator(f"[data-testid=entry][data-key={scenario.key}]").count() == 0
    db.session.expire_all()
    assert scenario.current() == "文件里改过的文字"

    plan_entry = page.locator(f"[data-testid=entry][data-key={plan.key}]")
    plan_entry.get_by_role("link", name="手工合并").click()
    page.wait_for_url(re.compile(r".*/merge\?.*"))
    text = page.locator("textarea[name=text]")
    text.fill(text.input_value().replace("界面里改过的文字", "合并后的计划"))
    page.get_by_role("button", name="保存合并版本").click()
    page.wait_for_url(re.compile(r".*/library/status$"))
    screenshot(page, "resolved")
    db.session.expire_all()
    assert plan.current() == "合并后的计划"
    status = page.locator(f"[data-testid=entry][data-key={plan.key}]")
    assert "界面中新增" in status.inner_text()
