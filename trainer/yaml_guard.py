"""A guard run before any YAML written by a user is loaded (bank uploads, question and quiz
sources, plan and scenario sources).

YAML anchors and aliases let a few hundred bytes expand into gigabytes (the "billion laughs"),
and deep nesting exhausts the stack; neither has a use in our files. The guard reads the
event stream once, with constant memory, and refuses the first anchor, alias or level past
`MAX_DEPTH`, naming its line. It raises a `yaml.MarkedYAMLError`, so a caller's existing
`except yaml.YAMLError` reports it like any other syntax error.
"""

import yaml

MAX_DEPTH = 40
# libyaml when available: the scan must stay cheap next to the load it protects.
_PARSER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class UnsafeYamlError(yaml.MarkedYAMLError):
    """An anchor, an alias or too deep a nesting in a user's YAML."""


def check_yaml(text: str, max_depth: int = MAX_DEPTH) -> None:
    """Raise UnsafeYamlError at the first anchor, alias or nesting deeper than `max_depth`."""
    parser = _PARSER(text)
    depth = 0
    try:
        while (event := parser.get_event()) is not None:
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise UnsafeYamlError(
                    problem="anchors and aliases (& and *) are not allowed",
                    problem_mark=event.start_mark,
                )
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > max_depth:
                    raise UnsafeYamlError(
                        problem=f"nested deeper than {max_depth} levels",
                        problem_mark=event.start_mark,
                    )
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    finally:
        parser.dispose()


def guarded_load(text: str, loader=yaml.SafeLoader):
    """`yaml.load` with a safe loader, after `check_yaml`."""
    check_yaml(text)
    return yaml.load(text, Loader=loader)  # noqa: S506 (callers pass SafeLoader subclasses)
