"""What the scenarios may refer to in scripts_library/procedures: procedures, steps, scripts.

Read straight from the repository's YAML files (the same files the content library loads),
so `trainer scenarios validate` works before anything is in the database. Cached until a
procedure file changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from trainer.config import ROOT
from trainer.source_files import YAML_LOADER

PROCEDURES_DIR = ROOT / "scripts_library" / "procedures"
SCENARIOS_DIR = ROOT / "scripts_library" / "scenarios"
THESAURUS_FILE = ROOT / "scripts_library" / "thesaurus.yaml"


@dataclass(frozen=True)
class StepScript:
    procedure: str
    procedure_title: str
    step: str
    title: str
    script: str  # the model service-phrase line(s) of the step

    @property
    def ref(self) -> str:
        return f"{self.procedure}.{self.step}"


_cache: dict[Path, tuple[tuple, dict[str, dict[str, StepScript]]]] = {}


def procedure_steps(directory: Path = PROCEDURES_DIR) -> dict[str, dict[str, StepScript]]:
    """procedure key → step key → StepScript, for every procedure file in `directory`."""
    files = sorted(directory.glob("*.y*ml")) if directory.is_dir() else []
    signature = tuple((f.name, f.stat().st_mtime_ns) for f in files)
    cached = _cache.get(directory)
    if cached and cached[0] == signature:
        return cached[1]
    procedures: dict[str, dict[str, StepScript]] = {}
    for file in files:
        data = yaml.load(file.read_text(encoding="utf-8"), Loader=YAML_LOADER)  # noqa: S506
        if not isinstance(data, dict):
            continue
        key = str(data.get("key") or file.stem)
        title = str(data.get("title") or key)
        steps = {}
        for raw in data.get("steps") or []:
            if isinstance(raw, dict) and raw.get("key"):
                steps[str(raw["key"])] = StepScript(
                    key,
                    title,
                    str(raw["key"]),
                    str(raw.get("title") or raw["key"]),
                    _script_text(raw.get("script")),
                )
        procedures[key] = steps
    _cache[directory] = (signature, procedures)
    return procedures


def _script_text(script) -> str:
    if isinstance(script, list):
        return "\n".join(_script_text(s) for s in script)
    if isinstance(script, dict):  # {say: ..., ...} or {text: ...}
        return str(script.get("say") or script.get("text") or script.get("line") or "")
    return str(script or "").strip()


def step_script(ref: str) -> StepScript | None:
    procedure, _, step = ref.partition(".")
    return procedure_steps().get(procedure, {}).get(step)


def procedure_titles() -> dict[str, str]:
    """procedure key → its Chinese title (开户/新装 …), for labels."""
    return {
        key: next(iter(steps.values())).procedure_title if steps else key
        for key, steps in procedure_steps().items()
    }
