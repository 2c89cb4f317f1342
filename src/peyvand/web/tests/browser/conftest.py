"""Browser tests: Debian's Chromium, driven by Playwright, against pytest-django's live server.

Never ``playwright install``: the tests launch the system browser at ``/usr/bin/chromium``.
Every page a test opens is watched; a 4xx/5xx answer, a failed request, a console error or an
uncaught script error fails the test (a test declares the statuses it expects, e.g. a 409).
"""

import os
import re
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from peyvand.accounts.services import user_create

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
VIEWPORT = {"width": 1400, "height": 900}
TIMEOUT_MS = 10_000
FA_PASSWORD = "pass-maryam"
FAILED_RESOURCE = re.compile(
    r"Failed to load resource: the server responded with a status of (\d+)"
)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    # Playwright's sync API keeps an asyncio loop in the test thread; Django's ORM (fixtures,
    # the transactional flush) refuses to run beside one unless told it is safe. Set only while
    # the browser lives, so the rest of the suite keeps Django's check.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


class WatchedContext:
    """One browser profile (cookies shared by its tabs) whose every page reports problems."""

    def __init__(self, context: BrowserContext):
        self.context = context
        self.problems: list[str] = []
        self.expected: set[tuple[str, int]] = set()

    def expect_status(self, path: str, status: int) -> None:
        """Declare that ``path`` may answer ``status`` (e.g. the 409 of a stale edit)."""
        self.expected.add((path, status))

    def new_page(self) -> Page:
        page = self.context.new_page()
        page.on("response", self._on_response)
        page.on("requestfailed", self._on_request_failed)
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.problems.append(f"script error: {error}"))
        return page

    def _on_response(self, response) -> None:
        path = urlsplit(response.url).path
        if response.status >= 400 and (path, response.status) not in self.expected:
            self.problems.append(f"{response.status} {response.request.method} {response.url}")

    def _on_request_failed(self, request) -> None:
        # A request cut short by the next navigation (net::ERR_ABORTED) is not a fault.
        if request.failure != "net::ERR_ABORTED":
            self.problems.append(f"failed {request.method} {request.url}: {request.failure}")

    def _on_console(self, message) -> None:
        if message.type != "error":
            return
        url = message.location.get("url", "")
        failed = FAILED_RESOURCE.match(message.text)
        if failed and (urlsplit(url).path, int(failed[1])) in self.expected:
            return  # Chromium's echo of a status the test expects
        self.problems.append(f"console error: {message.text} ({url})")


@pytest.fixture
def web(browser: Browser, live_server) -> Iterator[WatchedContext]:
    """A fresh browser profile pointed at the live server; fails the test on any page problem."""
    context = browser.new_context(viewport=VIEWPORT, base_url=live_server.url)
    context.set_default_timeout(TIMEOUT_MS)
    watched = WatchedContext(context)
    yield watched
    context.close()
    assert watched.problems == [], "the pages reported problems:\n" + "\n".join(watched.problems)


@pytest.fixture
def page(web: WatchedContext) -> Page:
    return web.new_page()


@pytest.fixture
def fa_agent(teams):
    """A Persian-speaking agent in team North (language fa: Jalali calendar, Tehran time)."""
    return user_create(
        actor=None,
        username="maryam",
        password=FA_PASSWORD,
        role="agent",
        teams=[teams["north"]],
        language="fa",
        first_name="مریم",
        last_name="احمدی",
        validate_password_strength=False,
    )


def sign_in(page: Page, username: str, password: str) -> None:
    """Sign in through the real form and wait for the start page (``/``)."""
    page.goto("/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.locator("#sign-in").click()
    expect(page).to_have_url(re.compile(r"^https?://[^/]+/$"))


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """SQLite test databases live in a file here (not in memory), so that a real background
    worker process can share the database with the live server (see test_import.py)."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        database.setdefault("TEST", {})
        database["TEST"]["NAME"] = str(tmp_path_factory.mktemp("db") / "browser.sqlite3")
