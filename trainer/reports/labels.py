"""Readable names for topic keys and procedure steps in reports.

The names are content (Chinese, from the scripts library's contract); when the content
feature has loaded procedures into the database their titles win.
"""

from functools import lru_cache
from pathlib import Path

import yaml

PROCEDURES_DIR = Path(__file__).resolve().parents[2] / "scripts_library" / "procedures"

TOPIC_NAMES = {
    "procedures": "服务流程",
    "norms": "服务规范",
    "phrases": "服务用语",
    "forbidden_phrases": "服务禁语",
    "conduct": "行为举止",
    "complaints": "投诉处理",
    "first_inquiry": "首问负责制",
}

PROCEDURE_NAMES = {
    "open_account": "开户/新装",
    "sim_replacement": "补换卡",
    "bill_payment": "话费查询与缴费",
    "plan_change": "套餐变更",
    "broadband_install": "宽带报装",
    "fault_report": "故障报修",
    "number_portability": "携号转网",
    "account_closure": "销户",
    "complaint_handling": "投诉受理",
}


@lru_cache(maxsize=1)
def _step_titles_from_library() -> dict[str, str]:
    """`procedure.step` → step title, read from scripts_library/procedures/*.yaml if present."""
    titles: dict[str, str] = {}
    if not PROCEDURES_DIR.is_dir():
        return titles
    for path in sorted(PROCEDURES_DIR.glob("*.y*ml")):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError):
            continue  # the content feature's validator reports broken files; labels just fall back
        if not isinstance(data, dict):
            continue
        procedure = str(data.get("key") or path.stem)
        for step in data.get("steps") or []:
            if isinstance(step, dict) and step.get("key"):
                titles[f"{procedure}.{step['key']}"] = str(
                    step.get("title") or step.get("name") or step["key"]
                )
    return titles


def topic_label(key: str) -> str:
    return TOPIC_NAMES.get(key) or PROCEDURE_NAMES.get(key) or key


def step_label(ref: str) -> str:
    procedure, _, step = ref.partition(".")
    title = _step_titles_from_library().get(ref, step)
    return f"{PROCEDURE_NAMES.get(procedure, procedure)} · {title}" if step else topic_label(ref)


def labels_for(areas: set[tuple[str, str]]) -> dict[tuple[str, str], str]:
    return {
        (kind, key): topic_label(key) if kind == "topic" else step_label(key) for kind, key in areas
    }
