"""Readable names for topic keys and procedure steps in reports.

The names are content (Chinese): the titles of the library's modules, banks, procedures and
steps, read from their files.
"""

from functools import lru_cache
from pathlib import Path

import yaml

from trainer.source_files import load_yaml

LIBRARY_DIR = Path(__file__).resolve().parents[2] / "scripts_library"
BANKS_DIR = Path(__file__).resolve().parents[2] / "question_banks"

# Used when the library files are not at hand (a trimmed install); the files win.
TOPIC_NAMES = {
    "procedures": "服务流程",
    "norms": "服务规范",
    "phrases": "服务用语",
    "forbidden_phrases": "服务禁语",
    "conduct": "行为举止",
    "complaints": "投诉处理",
    "first_inquiry": "首问负责制",
}


def _yaml_files(folder: Path):
    if not folder.is_dir():
        return
    for path in sorted(folder.glob("*.y*ml")):
        try:
            data = load_yaml(path.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError):
            continue  # the content feature's validator reports broken files; labels just fall back
        if isinstance(data, dict):
            yield path, data


@lru_cache(maxsize=1)
def _library_titles() -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """(topic, procedure, `procedure.step`) → Chinese title, from the library's files."""
    topics = dict(TOPIC_NAMES)
    for path, data in _yaml_files(BANKS_DIR):
        if data.get("title"):
            topics[path.stem] = str(data["title"])
    for path, data in _yaml_files(LIBRARY_DIR / "modules"):
        if data.get("title"):
            topics[str(data.get("key") or path.stem)] = str(data["title"])
    procedures: dict[str, str] = {}
    steps: dict[str, str] = {}
    for path, data in _yaml_files(LIBRARY_DIR / "procedures"):
        procedure = str(data.get("key") or path.stem)
        procedures[procedure] = str(data.get("title") or procedure)
        for step in data.get("steps") or []:
            if isinstance(step, dict) and step.get("key"):
                steps[f"{procedure}.{step['key']}"] = str(step.get("title") or step["key"])
    return topics, procedures, steps


def procedure_names() -> dict[str, str]:
    return _library_titles()[1]


def topic_label(key: str) -> str:
    """A question category as a trainer reads it: `procedures/open_account` → 服务流程 · 开户."""
    topics, procedures, _steps = _library_titles()
    return " · ".join(topics.get(part) or procedures.get(part) or part for part in key.split("/"))


def step_label(ref: str) -> str:
    _topics, procedures, steps = _library_titles()
    procedure, _, step = ref.partition(".")
    if not step:
        return topic_label(ref)
    return f"{procedures.get(procedure, procedure)} · {steps.get(ref, step)}"


def labels_for(areas: set[tuple[str, str]]) -> dict[tuple[str, str], str]:
    return {
        (kind, key): topic_label(key) if kind == "topic" else step_label(key) for kind, key in areas
    }
