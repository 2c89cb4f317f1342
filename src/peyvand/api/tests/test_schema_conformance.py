"""The API keeps the contract its OpenAPI schema states: schemathesis generates requests for
every operation (valid and invalid ones) and sends them to the running app with a write token;
every answer must be a documented status code, with the documented content type and body, and
never a server error.

The default run is bounded (a few examples an operation, a fixed seed); the ``slow`` variant
tries many more.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from peyvand.accounts.services import token_create

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
HYPOTHESIS = {
    "deadline": None,
    "derandomize": True,
    "database": None,
    "suppress_health_check": [
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.data_too_large,
    ],
}


@pytest.fixture
def app(db):
    """The project's WSGI application, answering inside the test's transaction (as Django's
    own test client does, the per-request connection check stays off)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def write_token(users, north_contact):
    """An admin's read-write token; a contact exists so that reads find something."""
    return token_create(user=users["admin"], name="schemathesis", scope="write").plaintext


def _schema(app, *, examples: int, coverage: bool):
    """The app's own OpenAPI document, loaded through the app; valid and invalid requests
    ("all"), from a fixed seed. The coverage phase (every boundary and type of every field,
    hundreds of requests an operation) runs in the slow variant only."""
    config = SchemathesisConfig.from_dict(
        {
            "seed": 14,
            "generation": {"mode": "all", "max-examples": examples},
            "phases": {"coverage": {"enabled": coverage}},
        }
    )
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app, config=config)


@pytest.fixture
def api_schema(app):
    return _schema(app, examples=5, coverage=False)


@pytest.fixture
def api_schema_thorough(app):
    return _schema(app, examples=100, coverage=True)


bounded = schemathesis.pytest.from_fixture("api_schema")
thorough = schemathesis.pytest.from_fixture("api_schema_thorough")


@bounded.parametrize()
@settings(max_examples=5, **HYPOTHESIS)
def test_every_operation_answers_as_its_schema_says(case, write_token):
    """Given a write token, when schemathesis sends generated requests (valid and invalid) to
    every operation, then each answer is documented, well-typed and never a server error."""
    case.call_and_validate(headers={"Authorization": f"Bearer {write_token}"}, checks=CHECKS)


@pytest.mark.slow
@thorough.parametrize()
@settings(max_examples=100, **HYPOTHESIS)
def test_every_operation_answers_as_its_schema_says_thoroughly(case, write_token):
    """The same contract over a hundred generated requests an operation, and the coverage
    phase's boundary cases."""
    case.call_and_validate(headers={"Authorization": f"Bearer {write_token}"}, checks=CHECKS)
