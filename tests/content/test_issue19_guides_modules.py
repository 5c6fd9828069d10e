"""The hotline, plans-and-contracts, duty-manager and trainer-guide modules (issue 19).

Each has 6–10 pages of real text, embeds the procedure it teaches, cites its regulation in the
page references, and reaches the right audience: trainees study the first two before the
pre-job exam, the duty manager's practice during the internship, and the trainer guides are
for trainers and mentors only (no trainee programme lists them).
"""

import re

import pytest
import yaml

from tests.content.conftest import SHIPPED, shipped_programme_modules
from trainer.content.embeds import find_embeds
from trainer.content.validation import read_library
from trainer.permissions import Role
from trainer.recognition.standings import WEIGHTS

MODULES = {
    # key: (pre_job, procedure it embeds or None, pages that state regulation and must cite it)
    "hotline_etiquette": (True, "hotline_call", {"opening", "verify_by_phone"}),
    "plans_contracts": (
        True,
        "contract_change",
        {"disclosure", "no_default_addons", "contracts", "five_g", "contract_process"},
    ),
    "duty_manager": (False, "duty_shift", {"outage", "being_filmed", "medical"}),
    "coaching_talks": (False, None, {"purpose"}),
    "star_clerk": (False, None, {"why"}),
}
TRAINER_GUIDES = {"coaching_talks", "star_clerk"}
EMBED = re.compile(r"\[\[[^\]]+\]\]")
# an article as the official texts number them: 第十七条, 第二项 (the MIIT notice), 第四部分
ARTICLE = re.compile(r"^第[一二三四五六七八九十百千零]+(条|项|部分)$")


@pytest.fixture(scope="module")
def modules():
    library, problems = read_library(SHIPPED)
    assert [str(p) for p in problems] == []
    return {m.key: m for m in library.modules}


@pytest.mark.parametrize("key", MODULES)
def test_each_module_has_six_to_ten_pages_of_real_text(modules, key):
    module = modules[key]
    assert 6 <= len(module.pages) <= 10
    for page in module.pages:
        own_text = EMBED.sub("", page.body)
        assert len(own_text) >= 450, (page.key, len(own_text))
    assert sum(len(p.body) for p in module.pages) >= 3500


@pytest.mark.parametrize("key", [k for k, v in MODULES.items() if v[1]])
def test_each_module_embeds_the_procedure_it_teaches(modules, key):
    procedure = MODULES[key][1]
    embeds = [e.ref for page in modules[key].pages for e in find_embeds(page.body)]
    # the whole procedure, or its steps' script cards one by one
    taught = [ref for ref in embeds if ref == procedure or ref.startswith(procedure + ".")]
    assert len(taught) >= 3 or procedure in taught, embeds


@pytest.mark.parametrize("key", MODULES)
def test_pages_that_state_regulation_cite_it_with_checkable_articles(modules, key):
    pages = {p.key: p for p in modules[key].pages}
    for page_key in MODULES[key][2]:
        assert pages[page_key].references, page_key
    for page in pages.values():
        for reference in page.references:
            assert reference.source.startswith("《"), reference
            assert not reference.article or ARTICLE.match(reference.article), reference


def test_trainees_study_the_rules_before_the_exam_and_the_duty_managers_practice_later(modules):
    programme = shipped_programme_modules()
    for key, (pre_job, _procedure, _cited) in MODULES.items():
        assert modules[key].pre_job is pre_job, key
        assert (key in programme) is (key not in TRAINER_GUIDES), key
    # the duty manager's practice comes after the complaints module it builds on
    assert programme.index("duty_manager") > programme.index("complaints")
    assert "complaints" in modules["duty_manager"].prerequisites


def test_no_trainee_programme_lists_the_trainer_guides():
    doc = yaml.safe_load((SHIPPED / "programmes.yaml").read_text(encoding="utf-8"))
    listed = {key for programme in doc["programmes"] for key in programme["modules"]}
    assert not listed & TRAINER_GUIDES


def test_the_guides_teach_the_platforms_standings_as_they_are_computed(modules):
    criteria = next(p for p in modules["star_clerk"].pages if p.key == "criteria").body
    for part, label in (("exam", "考试"), ("drill", "演练"), ("rating", "带教签字评分")):
        assert f"{label} {round(WEIGHTS[part] * 100)}%" in criteria, part
    assert f"{round(WEIGHTS['clean'] * 100)}%" in criteria


def test_every_page_renders_with_its_cards_and_sources(client, login_as, make_user, library):
    login_as(make_user(Role.TRAINER))  # trainers read every module, guides included
    shipped, _ = read_library(SHIPPED)
    for module in (m for m in shipped.modules if m.key in MODULES):
        for page in module.pages:
            response = client.get(f"/modules/{module.key}?page={page.key}")
            assert response.status_code == 200, (module.key, page.key)
            html = response.get_data(as_text=True)
            assert page.title in html
            assert ('data-testid="page-references"' in html) is bool(page.references), page.key
            if "[[procedure:" in page.body or "[[script:" in page.body:
                assert "[[" not in html, page.key  # every embed became a card
