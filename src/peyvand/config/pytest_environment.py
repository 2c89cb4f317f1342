"""The test run's environment, set before Django reads its settings.

pytest loads this module through ``-p`` (``addopts`` in pyproject.toml), before pytest-django
imports the settings and long before any conftest: the tests run as production does (debug
off), so they bring a secret key of their own instead of a weaker rule in the settings. The
processes the tests start (the CLI in a subprocess, xdist workers) inherit it.
"""

import os

os.environ.setdefault("PEYVAND_SECRET_KEY", "peyvand-tests-only-not-secret-" + "k" * 32)
