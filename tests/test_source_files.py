"""The one source-file reader: lines for every field, safe loading, one Problem type."""

import pytest

from trainer.source_files import (
    MAX_DEPTH,
    Problem,
    SourceFileError,
    parse_yaml,
    report,
)


def problems_of(text: str) -> list[Problem]:
    with pytest.raises(SourceFileError) as caught:
        parse_yaml(text, "f.yaml")
    return caught.value.problems


def test_every_key_and_item_keeps_its_line():
    doc = parse_yaml("key: a\nsteps:\n  - title: one\n  - title: two\n", "f.yaml")
    assert doc.data == {"key": "a", "steps": [{"title": "one"}, {"title": "two"}]}
    assert doc.line(("steps", 1, "title")) == 4
    assert doc.line(("steps", 1, "missing")) == 4  # a missing field points at its parent


def test_a_block_text_knows_the_file_line_of_each_of_its_lines():
    doc = parse_yaml("key: a\nscript: |\n  first\n  second\n", "f.yaml")
    assert doc.text_line(("script",), 2) == 4


def test_a_syntax_error_names_its_line():
    assert [(p.line, p.field) for p in problems_of("key: a\nbad: [1, 2\nmore: x\n")] == [(3, "")]


def test_aliases_are_refused_so_nothing_can_expand():
    laughs = 'a: &a ["lol", "lol"]\nb: &b [*a, *a]\nc: [*b, *b]\n'
    found = problems_of(laughs)
    assert {p.field for p in found} == {"b[0]", "b[1]", "c[0]", "c[1]"}
    assert all("aliases" in p.message for p in found)


def test_nesting_is_capped():
    deep = "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5)
    assert "nested deeper" in problems_of(deep)[0].message


def test_every_duplicate_key_is_reported_with_its_line():
    found = problems_of("key: a\ntitle: x\nkey: b\ntitle: y\n")
    assert [str(p) for p in found] == [
        "f.yaml:3: key: duplicate key",
        "f.yaml:4: title: duplicate key",
    ]


def test_an_empty_file_is_a_problem():
    assert problems_of("")[0].message == "file is empty"


def test_the_message_lists_a_bounded_number_of_problems():
    problems = [Problem("f.yaml", n, "key", "bad") for n in range(1, 8)]
    assert report(problems, limit=3).splitlines() == [
        "f.yaml:1: key: bad",
        "f.yaml:2: key: bad",
        "f.yaml:3: key: bad",
        "… and 4 more problems",
    ]


def test_a_problem_without_a_line_names_the_file_only():
    assert str(Problem("f.yaml", None, "", "unreadable")) == "f.yaml: -: unreadable"
