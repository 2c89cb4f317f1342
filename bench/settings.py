"""Settings of the bench-only server: Peyvand's own settings plus the anchor view's URL.

The database and data directory come from the environment exactly as for Peyvand
(``DATABASE_URL``, ``PEYVAND_DATA_DIR``, ``PEYVAND_DB_POOL``), so both the API and the anchor view
run in the same processes, middleware and database connection set-up.
"""

from peyvand.config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
