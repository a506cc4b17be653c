"""Production settings, checked in a real process with a production-like environment."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import REPO

PRODUCTION = {"DEBUG": "0", "SECRET_KEY": "q3Vb8nX2-kLm9PzR7tYw4HsJ6dFgC1aE5uIoB0NcM_vZxQ2rT8yUe3WiK7jD",
              "ALLOWED_HOSTS": "presisi.klungkungkab.go.id"}


def run(code: str, **env: str) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "SECRET_KEY_FILE"}}
    environ.update({"DJANGO_SETTINGS_MODULE": "presisi.settings", **env})
    return subprocess.run([sys.executable, "-c", code], cwd=REPO, env=environ, capture_output=True, text=True,
                          timeout=120)


def test_check_deploy_prints_no_warnings_with_production_settings(tmp_path):
    # `check --deploy` says "no issues"; every registered check (security, django-axes,
    # drf-spectacular's when enabled: see SPECTACULAR_SETTINGS) at every level finds nothing;
    # and the strict CSP is in force
    code = ("import django, io; django.setup(); from django.core.management import call_command; "
            "from django.core.checks import run_checks; from django.conf import settings as s; "
            "out, err = io.StringIO(), io.StringIO(); "
            "call_command('check', deploy=True, fail_level='WARNING', stdout=out, stderr=err); "
            "found = run_checks(include_deployment_checks=True); print(len(found), '|'.join(map(str, found))); "
            "print(' '.join(f'{k}:' + ','.join(v) for k, v in s.CONTENT_SECURITY_POLICY['DIRECTIVES'].items())); "
            "print(out.getvalue() + err.getvalue())")
    done = run(code, PRESISI_VAR=str(tmp_path), **PRODUCTION)
    assert done.returncode == 0, done.stderr[-3000:]
    count, policy, report = done.stdout.split("\n", 2)
    assert "no issues" in report and "WARNING" not in report
    assert count.startswith("0 "), count
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
    assert "script-src:'self' " in policy and "style-src:'self' " in policy and "frame-ancestors:'none'" in policy


def test_check_deploy_fails_on_the_development_key(tmp_path):
    code = ("import django; django.setup(); from django.core.management import call_command; "
            "call_command('check', deploy=True)")
    done = run(code, PRESISI_VAR=str(tmp_path), DEBUG="0", ALLOWED_HOSTS="presisi.example")
    assert done.returncode != 0 and "presisi.E001" in done.stderr


def test_server_refuses_to_start_on_the_default_key_with_debug_off(tmp_path):
    done = run("import presisi.wsgi", PRESISI_VAR=str(tmp_path), DEBUG="0")
    assert done.returncode != 0
    assert "ImproperlyConfigured" in done.stderr and "SECRET_KEY masih kunci bawaan" in done.stderr
    # with a real key it loads; in DEBUG the development key is allowed
    assert run("import presisi.wsgi", PRESISI_VAR=str(tmp_path), **PRODUCTION).returncode == 0
    assert run("import presisi.wsgi", PRESISI_VAR=str(tmp_path), DEBUG="1").returncode == 0


def test_secret_key_from_a_file(tmp_path):
    key = tmp_path / "secret_key"
    key.write_text("k" * 10 + "Zq8Vn3Lm5Px7Rt2Yw9Hs4Jd6Fg1Ca0Eu-IoBNcMvXyT_rUe\n")
    done = run("from django.conf import settings; print(settings.SECRET_KEY)", PRESISI_VAR=str(tmp_path),
               SECRET_KEY_FILE=str(key))
    assert done.stdout.strip() == key.read_text().strip()


@pytest.mark.parametrize(("debug", "secure"), [("0", True), ("1", False)])
def test_cookies_and_headers_follow_debug(tmp_path, debug, secure):
    code = ("from django.conf import settings as s; print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
            "s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS > 0, s.SESSION_COOKIE_HTTPONLY, s.CSRF_COOKIE_HTTPONLY, "
            "s.SECURE_CONTENT_TYPE_NOSNIFF, s.SECURE_REFERRER_POLICY, s.X_FRAME_OPTIONS)")
    done = run(code, PRESISI_VAR=str(tmp_path), DEBUG=debug)
    assert done.stdout.split() == [str(secure)] * 4 + ["True", "True", "True", "same-origin", "DENY"]


def test_security_headers_on_an_https_response(client, settings, db):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    response = client.get("/akun/login/", secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    policy = dict(part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";"))
    assert policy["default-src"] == policy["script-src"] == policy["style-src"] == "'self'"
    assert policy["frame-ancestors"] == policy["object-src"] == "'none'"
    assert not [v for v in policy.values() if "unsafe" in v]
