"""Module pages name the sources of what they say about regulation (`references`).

A page that names a law or rule in its body must list it; each reference is checked like
every other field; references are stored, exported, shown on the page, and a page without
references keeps its content hash (no new version of every old module).
"""

import textwrap

import pytest
from sqlalchemy import select

from trainer.content.library_format import PageSpec, ReferenceSpec, content_hash
from trainer.content.loading import export_library, load_library
from trainer.content.models import ContentModule, ModulePage
from trainer.content.validation import read_library
from trainer.permissions import Role

PAGE = """\
key: law
title: 法规
pages:
  - key: cards
    title: 不得出租出借
    body: |
      开户时提示客户。
      依据《反电信网络诈骗法》，电话卡不得出租、出借、出售。
{references}
"""

REFERENCES = """\
    references:
      - source: 《中华人民共和国反电信网络诈骗法》
        article: 第三十一条
        note: 不得非法买卖、出租、出借电话卡
"""


def write_module(root, text: str, name: str = "law") -> None:
    (root / "modules").mkdir(parents=True, exist_ok=True)
    (root / "modules" / f"{name}.yaml").write_text(textwrap.dedent(text), encoding="utf-8")


def problems_of(root) -> list[str]:
    return [str(p) for p in read_library(root)[1]]


def test_references_are_read_into_the_page(tmp_path):
    write_module(tmp_path, PAGE.format(references=REFERENCES))
    library, problems = read_library(tmp_path)
    assert problems == []
    assert library.modules[0].pages[0].references == (
        ReferenceSpec(
            "《中华人民共和国反电信网络诈骗法》", "第三十一条", "不得非法买卖、出租、出借电话卡"
        ),
    )


def test_a_law_named_in_the_body_without_a_reference_is_reported_at_its_line(tmp_path):
    write_module(tmp_path, PAGE.format(references=""))
    assert problems_of(tmp_path) == [
        f"{tmp_path}/modules/law.yaml:8: pages[0].body: "
        "names 《反电信网络诈骗法》 but the page's references do not list it"
    ]


def test_a_reference_to_another_law_does_not_cover_the_one_named(tmp_path):
    other = REFERENCES.replace("反电信网络诈骗法", "个人信息保护法")
    write_module(tmp_path, PAGE.format(references=other))
    assert any("names 《反电信网络诈骗法》" in p for p in problems_of(tmp_path))


def test_forms_and_agreements_in_book_marks_are_not_regulation(tmp_path):
    text = PAGE.format(references="").replace("依据《反电信网络诈骗法》，", "《入网协议》写明：")
    write_module(tmp_path, text)
    assert problems_of(tmp_path) == []


@pytest.mark.parametrize(
    ("references", "expected"),
    [
        (
            "    references:\n      - article: 第九条\n",
            "references[0]: missing required field 'source'",
        ),
        (
            REFERENCES + "        url: https://example.org\n",
            "references[0].url: unknown key (allowed: article, note, source)",
        ),
        ("    references: 《反电信网络诈骗法》\n", "pages[0].references: must be a list"),
        (
            "    references:\n      - {source: 《反电信网络诈骗法》, article: 9}\n",
            "references[0].article: must be text",
        ),
        ("    references:\n      - {source: ''}\n", "references[0].source: must not be empty"),
    ],
)
def test_a_bad_reference_is_named_by_field(tmp_path, references, expected):
    write_module(tmp_path, PAGE.format(references=references))
    assert any(expected in p for p in problems_of(tmp_path)), problems_of(tmp_path)


def test_a_page_without_references_keeps_the_hash_it_had_before_the_field_existed():
    page = PageSpec("what", "标题", "正文\n")
    assert "references" not in page.to_data()
    assert content_hash(page.to_data()) == content_hash(
        {"key": "what", "title": "标题", "body": "正文\n"}
    )


def test_references_are_stored_exported_and_round_trip(db, programme, tmp_path):
    write_module(tmp_path / "lib", PAGE.format(references=REFERENCES))
    load_library(tmp_path / "lib")
    db.session.commit()
    page = db.session.scalar(select(ModulePage).where(ModulePage.key == "cards"))
    assert page.references == [
        {
            "source": "《中华人民共和国反电信网络诈骗法》",
            "article": "第三十一条",
            "note": "不得非法买卖、出租、出借电话卡",
        }
    ]
    export_library(tmp_path / "out")
    exported = (tmp_path / "out" / "modules" / "law.yaml").read_text(encoding="utf-8")
    assert "article: 第三十一条" in exported
    assert not load_library(tmp_path / "out").changed


def test_changing_a_reference_makes_a_new_module_version(db, programme, tmp_path):
    write_module(tmp_path, PAGE.format(references=REFERENCES))
    load_library(tmp_path)
    db.session.commit()
    write_module(tmp_path, PAGE.format(references=REFERENCES.replace("三十一", "三十二")))
    report = load_library(tmp_path)
    db.session.commit()
    assert report.updated == {"module": 1}
    assert db.session.scalar(select(ContentModule.version).where(ContentModule.key == "law")) == 2


def test_the_module_page_shows_its_references(db, client, login_as, make_user, tmp_path):
    write_module(tmp_path, PAGE.format(references=REFERENCES))
    load_library(tmp_path)
    db.session.commit()
    login_as(make_user(Role.TRAINEE))
    html = client.get("/modules/law?page=cards").get_data(as_text=True)
    assert 'data-testid="page-references"' in html
    assert "<cite>《中华人民共和国反电信网络诈骗法》</cite> 第三十一条" in html
    assert "Legal basis and sources" in html


@pytest.mark.locale("zh_CN")
def test_the_sources_heading_reads_as_chinese(db, client, login_as, make_user, tmp_path):
    write_module(tmp_path, PAGE.format(references=REFERENCES))
    load_library(tmp_path)
    db.session.commit()
    login_as(make_user(Role.TRAINEE))
    assert "依据与出处" in client.get("/modules/law?page=cards").get_data(as_text=True)


def test_a_page_without_references_shows_no_sources_section(
    db, client, login_as, make_user, tmp_path
):
    write_module(tmp_path, PAGE.format(references="").replace("依据《反电信网络诈骗法》，", ""))
    load_library(tmp_path)
    db.session.commit()
    login_as(make_user(Role.TRAINEE))
    html = client.get("/modules/law?page=cards").get_data(as_text=True)
    assert 'data-testid="page-references"' not in html
