"""The four compliance modules (反诈, 个人信息保护, 投诉时限与申诉, 特殊客户服务, issue 19):
pages of substance, a procedure each, and every statement about regulation backed by a reference."""

import re

import pytest

from tests.content.conftest import SHIPPED
from trainer.content.embeds import find_embeds
from trainer.content.validation import cited_regulations, read_library, regulation_name

MODULES = {
    "anti_fraud": "fraud_check",
    "privacy": "records_request",
    "complaint_deadlines": "escalated_complaint",
    "special_customers": "assisted_service",
}
ARTICLE = re.compile(r"^第[一二三四五六七八九十百千零]+条(之[一二三四五六七八九十]+)?$")


@pytest.fixture(scope="module")
def library():
    library, problems = read_library(SHIPPED)
    assert problems == []
    return library


def module(library, key):
    return next(m for m in library.modules if m.key == key)


def page_text(library, page) -> str:
    """A page's own text plus the step cards it embeds (what the trainee reads)."""
    steps = {(p.key, s.key): s for p in library.procedures for s in p.steps}
    text = page.body
    for embed in find_embeds(page.body):
        if embed.kind == "procedure":
            procedure = next(p for p in library.procedures if p.key == embed.ref)
            text += "".join(s.standard + "".join(s.script) for s in procedure.steps)
        elif embed.kind == "script":
            step = steps[tuple(embed.ref.split(".", 1))]
            text += "".join(step.script)
    return text


@pytest.mark.parametrize("key", MODULES)
def test_each_module_has_six_to_ten_pages_of_substance(library, key):
    pages = module(library, key).pages
    assert 6 <= len(pages) <= 10
    assert all(len(page_text(library, p)) >= 500 for p in pages), [
        (p.key, len(page_text(library, p))) for p in pages
    ]
    assert sum(len(p.body) for p in pages) >= 4000


@pytest.mark.parametrize(("key", "procedure"), MODULES.items())
def test_each_module_embeds_its_procedure_of_four_to_ten_steps_with_reminders(
    library, key, procedure
):
    embedded = {e.ref for p in module(library, key).pages for e in find_embeds(p.body)}
    assert procedure in embedded
    spec = next(p for p in library.procedures if p.key == procedure)
    assert 4 <= len(spec.steps) <= 10
    assert all(step.script and step.reminders for step in spec.steps)


@pytest.mark.parametrize("key", MODULES)
def test_every_law_a_page_names_is_in_its_references(library, key):
    for page in module(library, key).pages:
        listed = {regulation_name(r.source) for r in page.references}
        assert {regulation_name(t) for t, _ in cited_regulations(page.body)} <= listed, page.key


@pytest.mark.parametrize("key", MODULES)
def test_references_name_a_law_in_book_marks_and_a_well_formed_article(library, key):
    references = [r for p in module(library, key).pages for r in p.references]
    assert len(references) >= 5
    for reference in references:
        assert re.fullmatch(r"《[^《》]+》", reference.source), reference.source
        assert not reference.article or ARTICLE.match(reference.article), reference.article
        assert reference.note


def test_the_laws_the_issue_names_are_cited_where_they_belong(library):
    def sources(key):
        return {regulation_name(r.source) for p in module(library, key).pages for r in p.references}

    assert "反电信网络诈骗法" in sources("anti_fraud")
    assert "个人信息保护法" in sources("privacy")
    assert {"电信用户申诉处理办法", "电信服务规范"} <= sources("complaint_deadlines")
    assert "电话用户真实身份信息登记规定" in sources("special_customers")


def test_the_fifteen_day_rule_cites_the_appeal_condition_article(library):
    page = next(p for p in module(library, "complaint_deadlines").pages if p.key == "time_limits")
    assert "15 日内答复" in page.body and "接到投诉之日" in page.body
    assert any(
        r.article == "第十条" and "申诉处理办法" in r.source and "15 日" in r.note
        for r in page.references
    )


def test_the_four_modules_follow_the_seven_in_the_programme(library):
    programme = next(p for p in library.programmes if p.code == "window-staff")
    assert set(MODULES) <= set(programme.modules)
    assert programme.modules.index("procedures") < min(programme.modules.index(k) for k in MODULES)
    for key in MODULES:
        spec = module(library, key)
        assert spec.pre_job
        assert all(
            programme.modules.index(p) < programme.modules.index(key) for p in spec.prerequisites
        )


@pytest.mark.parametrize(
    ("key", "words"),
    [
        ("anti_fraud", ["出租", "出借", "出售", "一证通查", "挂断", "96110", "二次实人认证"]),
        ("privacy", ["配偶", "律师", "公安", "锁屏", "碎纸机", "私人手机", "复印件"]),
        ("complaint_deadlines", ["12300", "15 日", "值班经理", "越级", "媒体", "拍摄"]),
        (
            "special_customers",
            ["现金", "人工", "APP", "护照", "回乡证", "台胞证", "监护人", "委托书"],
        ),
    ],
)
def test_each_module_covers_the_topics_the_issue_lists(library, key, words):
    text = "".join(page_text(library, p) for p in module(library, key).pages)
    assert [w for w in words if w not in text] == []
