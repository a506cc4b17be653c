# Presisi — two commands: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_SCALE ?= 1.0
# Desa boundaries: the shipped Klungkung file unless another regency names its own.
BOUNDARY_FILE ?= presisi/data/klungkung_desa.geojson

# Without SECRET_KEY in the environment, the server uses a random key kept in var/secret_key
# (created once); it refuses to start on the development key printed in settings.py.
KEY := SECRET_KEY_FILE=$${SECRET_KEY_FILE:-var/secret_key}
# The local demo is plain http on 127.0.0.1: no HTTPS redirect, no Secure-only cookies, no HSTS.
# `make serve` keeps the production defaults (put it behind a TLS proxy, SECURE_PROXY_SSL_HEADER=1).
LOCAL_HTTP := SECURE_SSL_REDIRECT=0 SESSION_COOKIE_SECURE=0 CSRF_COOKIE_SECURE=0 SECURE_HSTS_SECONDS=0

.PHONY: install browser demo serve dev test lint bench clean secret-key screenshots

$(BIN)/presisi: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(BIN)/presisi

secret-key:
	@mkdir -p var && test -s var/secret_key || (umask 077 && $(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > var/secret_key)

demo: install secret-key
	$(BIN)/presisi migrate --noinput
	PRESISI_BOUNDARY_FILE="$(BOUNDARY_FILE)" DEMO_SCALE=$(DEMO_SCALE) $(BIN)/presisi demo
	$(BIN)/presisi collectstatic --noinput --verbosity 0
	@echo "Presisi berjalan di http://$(HOST):$(PORT)/  (Ctrl+C untuk berhenti)"
	$(KEY) $(LOCAL_HTTP) $(BIN)/gunicorn presisi.wsgi --workers 2 --bind $(HOST):$(PORT) --access-logfile -

serve: install secret-key
	$(KEY) $(BIN)/gunicorn presisi.wsgi --workers 2 --bind $(HOST):$(PORT) --access-logfile -

dev: install
	DEBUG=1 $(BIN)/presisi runserver $(HOST):$(PORT)

# Browser tests drive Debian's Chromium (never a downloaded browser); install it when we can.
browser:
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && (apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) || \
		echo "Chromium tidak ada: uji peramban dilewati (apt-get install chromium)."; }

test: install browser
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/pytest -n 2

# The screenshots of docs/screenshots and the README: home, a dashboard and the village profile at
# 390 px and 1366 px, taken by the browser test on a small synthetic regency.
screenshots: install browser
	PRESISI_SCREENSHOTS=docs/screenshots $(BIN)/pytest -n 0 -q tests/browser/test_beranda_browser.py

lint: install
	$(BIN)/ruff check .

bench: install
	$(BIN)/python -m benchmarks.run

clean:
	rm -rf var/presisi.sqlite3* var/static
