"""Hostile input to the parsers: alias bombs, deep nesting, huge ids → quick 4xx, never 500."""

import io
import time
import tracemalloc

import pytest
from flask import request
from werkzeug.exceptions import BadRequest

from trainer.permissions import Role
from trainer.roleplay.scenario_format import ScenarioFileError, parse_scenario
from trainer.yaml_guard import UnsafeYamlError, check_yaml

# 9 levels of 9× expansion: ~387 million strings if the aliases were followed.
BOMB = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{chr(98 + n)}: &{chr(98 + n)} [" + ",".join([f"*{chr(97 + n)}"] * 9) + "]\n" for n in range(8)
)
DEEP_YAML = "questions: " + "[" * 200 + "]" * 200 + "\n"


def bounded(action):
    """Run `action`; return (result or exception, seconds, peak MiB allocated)."""
    tracemalloc.start()
    started = time.perf_counter()
    try:
        outcome = action()
    except Exception as exc:  # noqa: BLE001 (the exception is the result under test)
        outcome = exc
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return outcome, elapsed, peak


def test_an_alias_bomb_is_refused_at_its_first_anchor():
    with pytest.raises(UnsafeYamlError) as refused:
        check_yaml(BOMB)
    assert refused.value.problem_mark.line == 0


def test_nesting_past_the_cap_is_refused_naming_the_line():
    with pytest.raises(UnsafeYamlError, match="nested deeper than"):
        check_yaml("a:\n  b: " + "[" * 41 + "]" * 41)


def upload(client, text: str, name: str):
    data = {"file": (io.BytesIO(text.encode()), name), "format": "auto"}
    return client.post("/manage/banks/import", data=data, content_type="multipart/form-data")


@pytest.fixture
def trainer_client(client, login_as, make_user):
    login_as(make_user(Role.TRAINER))
    return client


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (BOMB, "bomb.yaml"),
        (DEEP_YAML, "deep.yaml"),
        ('{"questions": ' + "[" * 100_000 + "]" * 100_000 + "}", "deep.json"),
    ],
)
def test_a_hostile_bank_upload_is_refused_quickly_with_a_small_page(trainer_client, text, name):
    response, seconds, peak_mib = bounded(lambda: upload(trainer_client, text, name))
    assert response.status_code in (400, 422), response.status_code
    assert len(response.data) < 100_000
    assert seconds < 5 and peak_mib < 50  # generous: the unguarded bomb needs gigabytes


def test_a_scenario_source_with_aliases_is_refused_naming_the_line():
    source = "key: s\ntitle: &t 标题\nsubtitle: *t\n"
    with pytest.raises(ScenarioFileError) as refused:
        parse_scenario(source, "s.yaml")
    assert refused.value.problems[0].line == 2


@pytest.mark.parametrize("silent", [False, True])
def test_deeply_nested_json_in_a_request_is_a_400(app, silent):
    body = '{"answers": ' + "[" * 50_000 + "]" * 50_000 + "}"
    context = app.test_request_context(
        "/", method="POST", data=body, content_type="application/json"
    )
    with context, pytest.raises(BadRequest):
        request.get_json(silent=silent)


def test_json_within_the_depth_cap_is_read(app):
    body = '{"answers": ' + "[" * 30 + "]" * 30 + "}"
    with app.test_request_context("/", method="POST", data=body, content_type="application/json"):
        assert "answers" in request.get_json()


@pytest.mark.parametrize(
    "url",
    [
        "/manage/banks/99999999999999999999",
        "/certificates/99999999999999999999/pdf",
        "/manage/banks/2147483648",
    ],
)
def test_an_id_beyond_the_database_range_is_a_404(trainer_client, url):
    assert trainer_client.get(url).status_code == 404


def test_an_out_of_range_number_in_the_query_string_is_a_400(trainer_client):
    response = trainer_client.get("/reports/export/results.csv?cohort=99999999999999999999")
    assert response.status_code == 400
