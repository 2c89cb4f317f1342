"""Configuration that fails safe: no start without a secret key unless debugging; HTTPS-only
cookies and HSTS unless debugging; every setting read from the environment in one place.

Each case starts a fresh Python with a given environment, as a server or the CLI would start.
"""

import ast
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

SRC = Path(__file__).resolve().parents[2]  # src/peyvand
MISSING_KEY = (
    "PEYVAND_SECRET_KEY is not set. Set it to a long random string, made for example with: "
    "python3 -c 'import secrets; print(secrets.token_urlsafe(50))' (for development on your "
    "own machine, set PEYVAND_DEBUG=1 instead; never in production)."
)
READERS = {"os.environ", "os.getenv"}
SHOW = (
    "import django, json; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({n: getattr(s, n) for n in ["
    "'DEBUG', 'SECRET_KEY', 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', "
    "'SECURE_HSTS_SECONDS', 'SECURE_SSL_REDIRECT', 'SECURE_PROXY_SSL_HEADER', "
    "'PEYVAND_IMPORT_WORKERS', 'PEYVAND_CLI_USER']}))"
)


def _environment(tmp_path: Path, **variables: str) -> dict[str, str]:
    """The environment of this test run less every PEYVAND_ variable, plus ``variables``."""
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith("PEYVAND_")}
    env.pop("DATABASE_URL", None)
    return {
        **env,
        "DJANGO_SETTINGS_MODULE": "peyvand.config.settings",
        "PEYVAND_DATA_DIR": str(tmp_path),
        **variables,
    }


def _run(argv: list[str], tmp_path: Path, **variables: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        argv, env=_environment(tmp_path, **variables), cwd=tmp_path,
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def _settings(tmp_path: Path, **variables: str) -> dict:
    done = _run([sys.executable, "-c", SHOW], tmp_path, **variables)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_without_a_secret_key_the_app_refuses_to_start(tmp_path):
    """Given debug off and no PEYVAND_SECRET_KEY, when Django starts, then it stops with an
    ImproperlyConfigured error saying what to set and how to make a key."""
    done = _run([sys.executable, "-c", "import django; django.setup()"], tmp_path)

    assert done.returncode == 1
    assert done.stderr.strip().splitlines()[-1] == (
        f"django.core.exceptions.ImproperlyConfigured: {MISSING_KEY}"
    )


def test_an_empty_secret_key_counts_as_none(tmp_path):
    """Given PEYVAND_SECRET_KEY set to blanks (as .env.example leaves it), when Django starts,
    then it refuses just the same."""
    done = _run(
        [sys.executable, "-c", "import django; django.setup()"], tmp_path, PEYVAND_SECRET_KEY="  "
    )

    assert done.returncode == 1
    assert done.stderr.strip().splitlines()[-1].endswith(MISSING_KEY)


def test_the_cli_without_a_secret_key_says_what_to_set(tmp_path):
    """Given no key and debug off, when `peyvand check` runs, then it exits 1 with one line
    naming PEYVAND_SECRET_KEY, not a traceback."""
    done = _run([sys.executable, "-m", "peyvand", "check"], tmp_path)

    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr == f"peyvand: {MISSING_KEY}\n"


def test_debug_runs_with_the_development_key_and_plain_http_cookies(tmp_path):
    """Given PEYVAND_DEBUG=1 and no key (as `make run` on a fresh clone), when Django starts,
    then it uses the development key, and cookies and HSTS do not insist on HTTPS."""
    values = _settings(tmp_path, PEYVAND_DEBUG="1")

    assert values == {
        "DEBUG": True,
        "SECRET_KEY": "django-insecure-peyvand-development-key-change-me",
        "SESSION_COOKIE_SECURE": False,
        "CSRF_COOKIE_SECURE": False,
        "SECURE_HSTS_SECONDS": 0,
        "SECURE_SSL_REDIRECT": False,
        "SECURE_PROXY_SSL_HEADER": None,
        "PEYVAND_IMPORT_WORKERS": None,
        "PEYVAND_CLI_USER": "",
    }


def test_production_defaults_are_https_only(tmp_path):
    """Given a key and debug off, when Django starts, then the key is the one given, cookies
    are HTTPS-only and HSTS lasts a year; the HTTPS redirect is left to the proxy."""
    values = _settings(tmp_path, PEYVAND_SECRET_KEY="a-production-key-" + "z" * 40)

    assert values == {
        "DEBUG": False,
        "SECRET_KEY": "a-production-key-" + "z" * 40,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_SSL_REDIRECT": False,
        "SECURE_PROXY_SSL_HEADER": None,
        "PEYVAND_IMPORT_WORKERS": None,
        "PEYVAND_CLI_USER": "",
    }


def test_https_settings_and_tool_settings_come_from_the_environment(tmp_path):
    """Given the HTTPS variables and the tools' variables set, when Django starts, then each
    setting holds what its variable says."""
    values = _settings(
        tmp_path,
        PEYVAND_SECRET_KEY="k" * 50,
        PEYVAND_HSTS_SECONDS="3600",
        PEYVAND_SSL_REDIRECT="1",
        PEYVAND_PROXY_SSL_HEADER="X-Forwarded-Proto",
        PEYVAND_SECURE_COOKIES="0",
        PEYVAND_IMPORT_WORKERS="3",
        PEYVAND_CLI_USER=" agent ",
    )

    assert values == {
        "DEBUG": False,
        "SECRET_KEY": "k" * 50,
        "SESSION_COOKIE_SECURE": False,
        "CSRF_COOKIE_SECURE": False,
        "SECURE_HSTS_SECONDS": 3600,
        "SECURE_SSL_REDIRECT": True,
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
        "PEYVAND_IMPORT_WORKERS": 3,
        "PEYVAND_CLI_USER": "agent",
    }


def test_deploy_check_finds_no_key_cookie_or_hsts_warning(tmp_path):
    """Given a production environment (a key, debug off), when `peyvand check --deploy` runs,
    then it raises none of the warnings about the key, the cookies or HSTS."""
    done = _run(
        [sys.executable, "-m", "peyvand", "check", "--deploy"],
        tmp_path,
        PEYVAND_SECRET_KEY="pqrstuvwxyz" * 6,
        PEYVAND_ALLOWED_HOSTS="crm.example.com",
    )
    output = done.stdout + done.stderr

    for warning in ("security.W004", "security.W009", "security.W012", "security.W016"):
        assert warning not in output
    assert "security.W008" in output  # the HTTPS redirect, left to the proxy (documented)


@pytest.mark.django_db
def test_https_responses_carry_hsts_and_secure_cookies():
    """Given the test run's own settings (debug off, as in production), when the login page is
    fetched over HTTPS, then it sends HSTS and sets the CSRF cookie HTTPS-only."""
    response = Client().get("/login/", secure=True)

    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000"
    assert response.cookies["csrftoken"]["secure"] is True


def test_no_module_reads_the_environment_but_the_settings():
    """Every setting is read through Django's settings: outside config/settings.py no module of
    the app reads os.environ or os.getenv (the entry points' DJANGO_SETTINGS_MODULE aside)."""
    allowed = {
        SRC / "config" / "settings.py",
        SRC / "config" / "pytest_environment.py",  # gives the test run its key
    }
    readers = []
    for path in sorted(SRC.rglob("*.py")):
        if "tests" in path.parts or path in allowed:
            continue
        source = path.read_text(encoding="utf-8")
        lines = source.splitlines()
        for node in ast.walk(ast.parse(source)):
            if not (isinstance(node, ast.Attribute) and ast.unparse(node) in READERS):
                continue
            if 'os.environ.setdefault("DJANGO_SETTINGS_MODULE"' in lines[node.lineno - 1]:
                continue
            readers.append(f"{path.relative_to(SRC)}:{node.lineno}")

    assert readers == []


def test_env_example_documents_every_variable_the_settings_read():
    """Given the settings module, when its PEYVAND_ variables are listed, then .env.example
    names each one."""
    settings_source = (SRC / "config" / "settings.py").read_text(encoding="utf-8")
    read = set(re.findall(r'"(PEYVAND_[A-Z_]+)"', settings_source))
    documented = set(
        re.findall(r"^#? ?(PEYVAND_[A-Z_]+)=", (SRC.parents[1] / ".env.example").read_text(), re.M)
    )

    older_names = {"PEYVAND_DEFAULT_REGION"}  # still read, no longer suggested

    assert "PEYVAND_SECRET_KEY" in read
    assert sorted(read - documented - older_names) == []
