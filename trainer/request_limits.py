"""Caps on what a request may make the server parse: JSON nesting and integer ids.

Deeply nested JSON would exhaust the parser's recursion (a 500); an id beyond the database's
integer range would fail in the driver (a 500 on PostgreSQL, an OverflowError on SQLite).
Both are bad input: the client gets 400 or 404 with a message.
"""

import json

from flask import Request
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import BadRequest
from werkzeug.routing import IntegerConverter

MAX_JSON_DEPTH = 40
# The largest id any table holds (PostgreSQL `integer`); larger ids cannot exist.
MAX_ID = 2**31 - 1


class NestingError(ValueError):
    """JSON nested deeper than MAX_JSON_DEPTH (or deep enough to exhaust the parser)."""


def json_depth(value) -> int:
    """How deeply lists and objects nest in a parsed JSON value (iterative: no recursion)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            item = list(item.values())
        if isinstance(item, list):
            deepest = max(deepest, level)
            stack.extend((child, level + 1) for child in item)
    return deepest


def check_depth(value, max_depth: int = MAX_JSON_DEPTH):
    if json_depth(value) > max_depth:
        raise NestingError(_l("JSON nested deeper than %(levels)s levels", levels=max_depth))
    return value


def loads_bounded(text: str, max_depth: int = MAX_JSON_DEPTH):
    """json.loads that refuses too deep a nesting with NestingError (not RecursionError)."""
    try:
        value = json.loads(text)
    except RecursionError:
        raise NestingError(
            _l("JSON nested deeper than %(levels)s levels", levels=max_depth)
        ) from None
    return check_depth(value, max_depth)


class BoundedJsonRequest(Request):
    """`request.get_json()` answers 400 for JSON nested deeper than MAX_JSON_DEPTH, even when
    `silent` (which forgives malformed JSON; a hostile nesting is refused, not ignored)."""

    def get_json(self, force: bool = False, silent: bool = False, cache: bool = True):
        try:
            value = super().get_json(force=force, silent=silent, cache=cache)
            return check_depth(value)
        except (RecursionError, NestingError):
            raise BadRequest(f"JSON nested deeper than {MAX_JSON_DEPTH} levels") from None


class BoundedIntegerConverter(IntegerConverter):
    """`<int:…>` matches only ids a table can hold; a larger number is a 404."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)
