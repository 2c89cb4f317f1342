"""Issue 3's browser test: import a Persian CSV through the UI and watch the progress finish.

The import runs where it runs in production: in a separate `peyvand db_worker` process that
takes the job from the database queue.
"""

import csv
import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from playwright.sync_api import expect

from peyvand.customers.models import Contact
from peyvand.web.tests.browser.conftest import FA_PASSWORD, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ROWS = 12_000


def _database_url() -> str:
    db = django_settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def worker(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "PEYVAND_DATA_DIR": str(tmp_path),
        "PEYVAND_LOG_LEVEL": "ERROR",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "peyvand", "db_worker", "--no-reload", "--interval", "0.2",
         "--no-startup-delay", "-v", "0"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    yield process
    process.terminate()
    process.wait(timeout=20)


@pytest.fixture
def persian_csv(tmp_path):
    path = tmp_path / "مشتریان.csv"
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["نام", "نام خانوادگی", "موبایل", "ایمیل"])
        writer.writerow(["علي", "رضايي", "۰۹۱۲۱۲۳۴۵۶۷", "ali@example.com"])
        writer.writerow(["بد", "ردیف", "0912", "bad-email"])
        for i in range(ROWS):
            writer.writerow([f"مشتری{i}", "نمونه", f"0935{i:07d}", f"c{i}@example.com"])
    return path


def test_import_persian_csv_and_watch_progress(
    web, page, fa_agent, worker, persian_csv, settings, tmp_path
):
    """Given a fa agent and a Persian CSV, when they upload it, map it and press "check and
    import", then the progress bar runs to the end, the summary counts the rows, the bad row is
    reported with its column, and the contacts are found by search."""
    settings.PEYVAND_IMPORT_DIR = tmp_path / "imports"
    sign_in(page, "maryam", FA_PASSWORD)
    page.goto("/imports/")
    page.locator("#id_file").set_input_files(str(persian_csv))
    page.locator("#upload").click()
    expect(page.locator("#import-mapping")).to_be_visible()
    expect(page.locator("select[name=col_2]")).to_have_value("phone")  # «موبایل» guessed
    page.locator("#check-and-import").click()
    status = page.locator("#import-status")
    expect(status).to_have_attribute("data-status", "applying")  # checked as it is written
    expect(page.locator("#import-bar")).to_be_visible()
    expect(page.locator("#import-rows")).to_contain_text("ردیف وارد شد")
    expect(page.locator("#import-done")).to_be_visible(timeout=120_000)
    expect(status).to_have_attribute("data-status", "done")
    errors = page.locator("#import-errors tbody tr")
    expect(errors).to_have_count(2)  # the bad row: its phone and its email, row ۳ of the file
    expect(errors.nth(0)).to_contain_text("۳")
    # the reasons are in the uploader's language (fa) and name the bad values
    expect(errors.nth(0)).to_contain_text("0912")
    expect(errors.nth(0)).to_contain_text("شمارهٔ تلفن")
    expect(errors.nth(1)).to_contain_text("bad-email")
    assert Contact.objects.count() == ROWS + 1
    ali = Contact.objects.get(family_name="رضایی")
    assert ali.primary_phone == "+989121234567"
    assert worker.poll() is None  # the worker is alive and did the work
    page.goto("/contacts/?q=علی+رضایی")
    expect(page.locator(".contact-row")).to_have_count(1)
