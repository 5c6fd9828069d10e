"""Every route × every role: the policy each view declares is the policy enforced.

Routes come from the URL map, so a new route is covered the day it is added; a route
without a declared policy (require_role, any_user or public) fails the first test.
"""

import pytest
from flask import url_for
from werkzeug.routing import Rule

from trainer.permissions import ANY_USER, PUBLIC, Role

DUMMY_ARGUMENTS = {"int": 987654, "string": "no-such-thing", "path": "no/such", "default": "x"}


def concrete_url(app, rule: Rule) -> str:
    values = {}
    for argument in rule.arguments - set(rule.defaults or {}):
        converter = type(rule._converters[argument]).__name__.lower()
        kind = next((k for k in DUMMY_ARGUMENTS if k in converter), "default")
        values[argument] = DUMMY_ARGUMENTS[kind]
    with app.test_request_context():
        return url_for(rule.endpoint, **values)


def guarded_rules(app):
    return [r for r in app.url_map.iter_rules() if r.endpoint != "static"]


def policy(app, rule: Rule):
    return getattr(app.view_functions[rule.endpoint], "required_roles", None)


def test_every_route_declares_who_may_use_it(app):
    undeclared = [r.rule for r in guarded_rules(app) if policy(app, r) is None]
    assert undeclared == []


def requests_for(app):
    for rule in guarded_rules(app):
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule, method


def test_anonymous_users_are_sent_to_login_everywhere_but_public_pages(app, client):
    leaks = []
    for rule, method in requests_for(app):
        if policy(app, rule) == PUBLIC:
            continue
        response = client.open(concrete_url(app, rule), method=method)
        if response.status_code != 302 or "/login" not in response.headers.get("Location", ""):
            leaks.append((method, rule.rule, response.status_code))
    assert leaks == []


@pytest.mark.parametrize("role", list(Role), ids=str)
def test_users_without_the_role_get_403_on_every_guarded_route(
    app, make_user, login_as, client, role
):
    login_as(make_user(role))
    wrong = []
    for rule, method in requests_for(app):
        roles = policy(app, rule)
        if roles in (PUBLIC, ANY_USER) or rule.endpoint == "auth.logout":
            continue
        status = client.open(concrete_url(app, rule), method=method).status_code
        allowed = role in roles
        if (status == 403) == allowed:
            wrong.append((method, rule.rule, status))
    assert wrong == []
