"""Settings checked at start: production refuses to run on development defaults; in
development, workers starting at once agree on one generated key."""

import subprocess
import sys
from pathlib import Path

import pytest

from trainer.config import ConfigurationError, check_production_settings, is_production

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {"TRAINER_ENV": "production"}


def test_production_without_a_secret_key_or_public_url_names_both():
    with pytest.raises(ConfigurationError) as refused:
        check_production_settings(PRODUCTION)
    assert "SECRET_KEY and TRAINER_PUBLIC_URL" in str(refused.value)


def test_production_with_both_settings_starts():
    check_production_settings(
        {**PRODUCTION, "SECRET_KEY": "k" * 64, "TRAINER_PUBLIC_URL": "https://t.example.cn"}
    )


@pytest.mark.parametrize(
    ("env", "production"),
    [
        ({}, False),
        ({"TRAINER_ENV": "production"}, True),
        ({"TRAINER_ENV": "development"}, False),
        ({"SERVER_SOFTWARE": "gunicorn/23.0.0"}, True),
    ],
)
def test_production_is_declared_or_recognised_by_gunicorn(env, production):
    assert is_production(env) is production


def test_gunicorn_refuses_to_start_without_the_settings(tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'trainer.db'}",
        "TRAINER_PUBLIC_URL": "https://training.example.cn",
    }
    started = subprocess.run(
        # this environment's gunicorn, wherever it is installed
        [sys.executable, "-m", "gunicorn", "--bind", "127.0.0.1:0", "trainer:create_app()"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert started.returncode != 0
    assert "Refusing to start in production without SECRET_KEY." in started.stderr


GENERATE = (
    # trainer/config.py on its own (it imports nothing of the app), so eight start quickly
    "import importlib.util, sys, time; from pathlib import Path\n"
    "spec = importlib.util.spec_from_file_location('config', 'trainer/config.py')\n"
    "config = importlib.util.module_from_spec(spec); spec.loader.exec_module(config)\n"
    "print('ready', flush=True)\n"
    "go = Path(sys.argv[2])\n"
    "while not go.exists(): time.sleep(0.001)\n"
    "print(config.instance_secret_key(Path(sys.argv[1])))\n"
)


@pytest.mark.parametrize("round_", range(5))
def test_eight_processes_starting_at_once_share_one_generated_key(tmp_path, round_):
    instance, go = tmp_path / "instance", tmp_path / "go"
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", GENERATE, str(instance), str(go)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(8)
    ]
    assert [worker.stdout.readline().strip() for worker in workers] == ["ready"] * 8
    go.touch()  # all eight are imported and waiting: release them together
    keys = {worker.communicate(timeout=120)[0].strip() for worker in workers}
    assert len(keys) == 1
    assert keys == {(instance / "secret_key").read_text()}
    assert [p.name for p in instance.iterdir()] == ["secret_key"]  # no candidates left over
    assert (instance / "secret_key").stat().st_mode & 0o077 == 0
