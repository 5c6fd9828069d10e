# The two commands: `make demo` (app with demo data on http://127.0.0.1:5000) and `make test`.
# Both set everything up on a fresh Debian machine with Python 3.11.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 5000
# Certificates' QR codes and links point here; the demo's follows HOST and PORT.
TRAINER_PUBLIC_URL ?= http://$(HOST):$(PORT)
# WeasyPrint (pango, harfbuzz subsetting for fast CJK PDFs), a CJK font, the browser for the
# E2E tests, poppler/zbar that the certificate tests use to read PDFs and QR codes, and nginx
# that bench/scaleout.py (and its short form in the tests) runs in front of two instances.
SYSTEM_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk \
                   chromium poppler-utils zbar-tools nginx
PYTEST_ARGS ?=
# Tests run in parallel, one worker per core (pytest-xdist; each worker has its own database);
# whole files go to one worker, so a file's tests may share a Redis db. PYTEST_WORKERS=0: serial.
# Tests marked slow (the gunicorn load run) are skipped unless CI=true or PYTEST_ARGS=--run-slow.
PYTEST_WORKERS ?= auto

.PHONY: demo test install system-packages translations lint serve certificate-font

# The scheduler (`trainer jobs`) runs beside the web server and stops with it.
demo: export TRAINER_PUBLIC_URL := $(TRAINER_PUBLIC_URL)
demo: install
	$(BIN)/trainer db upgrade
	$(BIN)/trainer load-library
	$(BIN)/trainer seed-demo
	@echo "Serving on http://$(HOST):$(PORT)/ with the job scheduler (Ctrl-C to stop)"
	$(BIN)/trainer jobs & jobs=$$!; trap 'kill $$jobs 2>/dev/null' EXIT INT TERM; \
	$(BIN)/trainer run --host $(HOST) --port $(PORT)

test: install
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

install: system-packages $(VENV)/.installed translations certificate-font

system-packages:
	@missing=$$(for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  sudo=$$( [ "$$(id -u)" -eq 0 ] || echo sudo ); \
	  echo "Installing system packages:" $$missing; \
	  $$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq $$missing; \
	fi

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

# Babel reads zh_CN as zh_Hans_CN, whose gettext fallback is the `zh` catalog.
# The certificate font: Noto Serif CJK cut down to GB2312 (≈2 MB, into git-ignored instance/fonts)
# so a PDF renders in tens of milliseconds; without it certificates fall back to the full
# system font (slower, larger). Idempotent: skips fonts already built.
certificate-font: $(VENV)/.installed
	$(BIN)/python -c 'import sys; from trainer.certificates.fonts import main; sys.exit(main(sys.argv))'

translations: $(VENV)/.installed
	$(BIN)/pybabel compile -f -d trainer/translations

extract-messages: $(VENV)/.installed
	$(BIN)/pybabel extract -F trainer/babel.cfg -k _l -k lazy_gettext -o trainer/translations/messages.pot .
	$(BIN)/pybabel update -i trainer/translations/messages.pot -d trainer/translations --no-fuzzy-matching

lint: $(VENV)/.installed
	$(BIN)/ruff check trainer tests bench
	$(BIN)/ruff format --check trainer tests bench
	$(BIN)/lint-imports
