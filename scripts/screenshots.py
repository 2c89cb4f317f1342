"""Regenerate the README screenshots in docs/screenshots/.

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots] [--keep]

Starts a throwaway Peyvand on a temporary SQLite database (``migrate``, ``bootstrap`` for the
admin login, demo data with a fixed seed so the pictures only change when the UI does, and
``runserver`` on a free port), drives Debian's Chromium through Playwright (never
``playwright install``) at 1400x900, and saves:

    login-fa.jpg         the sign-in page (Persian, RTL; JPEG: its gradient makes a 290 KB PNG)
    contacts-fa.png      the contact list
    contact-fa.png       a demo contact's 360 page
    contact-form-fa.png  the same contact's edit form
    contact-hints-fa.png a new contact typed with Arabic letters: the duplicate hints panel
    merge-compare-fa.png the merge compare page (that contact and a namesake)
    duplicates-fa.png    the review queue after ``peyvand duplicates find`` on the demo data
    import-review-fa.png a Persian CSV after ``peyvand import --dry-run``: counts, the first
                         rows as they will be stored (Jalali dates), the rows with errors
    contact-en.png       the same 360 page after the language switch (English, LTR)
    merge-compare-en.png the merge compare page in English

Any 4xx/5xx answer or browser console error on the way stops the script: a screenshot of a
broken page is worse than none.
"""

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
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
JPEG_QUALITY = 85
DEMO_SEED = 1404
DEMO_SIZE = 200
CANDIDATES = 20  # contact pages looked at to pick the richest one to show
LOGIN_LINE = re.compile(r"^Login: (\S+) / (\S+)$", re.MULTILINE)

# How much a contact page shows (the one with the most filled-in sections is photographed).
RICHNESS_JS = """() => {
  const about = document.querySelector('#about');
  const filled = [...about.querySelectorAll('dd')].filter(
    (dd) => !dd.querySelector('.text-body-secondary:only-child')).length;
  return filled
    + 3 * document.querySelectorAll('#organisations a').length
    + 2 * (document.querySelector('#notes') ? 1 : 0)
    + document.querySelectorAll('#consents .text-success-emphasis').length
    + (document.querySelector('#birth-date .text-body-secondary') ? 0 : 2);
}"""


def peyvand(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(  # noqa: S603 - our own interpreter and command, fixed arguments
        [sys.executable, "-m", "peyvand", *args],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_serving(url: str, server: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"runserver exited with status {server.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - local http
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.2)
    raise SystemExit(f"the server did not answer {url} within {timeout:.0f} s")


class Problems(list):
    """4xx/5xx answers, failed requests and console errors seen by a page."""

    def watch(self, page: Page) -> Page:
        page.on(
            "response",
            lambda r: self.append(f"{r.status} {r.url}") if r.status >= 400 else None,
        )
        page.on(
            "requestfailed",
            lambda r: (
                self.append(f"failed {r.url}: {r.failure}")
                if r.failure != "net::ERR_ABORTED"
                else None
            ),
        )
        page.on(
            "console",
            lambda m: self.append(f"console: {m.text}") if m.type == "error" else None,
        )
        page.on("pageerror", lambda error: self.append(f"script error: {error}"))
        return page


def settle(page: Page) -> None:
    page.wait_for_load_state("networkidle")
    page.evaluate("document.fonts.ready.then(() => true)")


def shoot(page: Page, path: Path, problems: Problems) -> None:
    settle(page)
    if problems:
        raise SystemExit(f"not saving {path.name}; the page reported:\n" + "\n".join(problems))
    # caret="initial": Playwright would otherwise inject a caret-hiding <style>, which the CSP
    # refuses (and reports as a console error).
    if path.suffix == ".jpg":
        page.screenshot(path=path, caret="initial", type="jpeg", quality=JPEG_QUALITY)
    else:
        page.screenshot(path=path, caret="initial")
    print(
        f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}: "
        f"{path.stat().st_size // 1024} KB"
    )


def richest_contact(page: Page, base: str) -> str:
    page.goto(f"{base}/contacts/")
    links = page.locator(".contact-row .record-link")
    persian = re.compile(r"[\u0600-\u06FF]")
    urls = [
        links.nth(i).get_attribute("href")
        for i in range(min(links.count(), CANDIDATES))
        if persian.search(links.nth(i).inner_text())
    ]
    best, best_score = None, -1
    for url in urls:
        page.goto(base + url)
        score = page.evaluate(RICHNESS_JS)
        if score > best_score:
            best, best_score = url, score
    if best is None:
        raise SystemExit("the demo data has no Persian contact on the first page")
    return base + best


IMPORT_ROWS = [
    ["نام", "نام خانوادگی", "موبایل", "ایمیل", "تاریخ تولد", "شهر", "برچسب"],
    ["سارا", "کريمي", "۰۹۱۲ ۳۴۵ ۶۷۸۹", "sara.karimi@example.com", "۱۳۷۰/۰۵/۱۲", "شیراز", "VIP"],
    ["رضا", "محمدی", "+98 935 111 2233", "reza@example", "1368/13/01", "تبریز", ""],
    ["مریم", "احمدی", "09351112244", "maryam.ahmadi@example.com", "1990-03-21", "تهران", ""],
    ["نگار", "رضایی", "0912 345 6789", "", "", "شیراز", ""],
    ["پیمان", "نوری", "021-8888-7777", "peyman@example.org", "۱۳۶۵/۰۱/۰۱", "تهران", "همکار"],
]


def write_import_file(data_dir: Path) -> Path:
    import csv

    path = data_dir / "مشتریان-نمایشگاه.csv"
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows(IMPORT_ROWS)
    return path


def take_screenshots(base: str, username: str, password: str, out: Path, import_job: str) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport=VIEWPORT)
        problems = Problems()
        page = problems.watch(context.new_page())

        page.goto(f"{base}/login/")
        assert page.locator("html").get_attribute("dir") == "rtl", "the sign-in page is not RTL"
        shoot(page, out / "login-fa.jpg", problems)

        page.locator("#id_username").fill(username)
        page.locator("#id_password").fill(password)
        page.locator("#sign-in").click()
        page.wait_for_url(re.compile(r"/contacts/$"))
        shoot(page, out / "contacts-fa.png", problems)

        contact_url = richest_contact(page, base)
        page.goto(contact_url)
        shoot(page, out / "contact-fa.png", problems)

        page.locator("#edit").click()
        page.wait_for_url(re.compile(r"/edit/$"))
        shoot(page, out / "contact-form-fa.png", problems)
        given = page.locator("#id_given_name").input_value()
        family = page.locator("#id_family_name").input_value()

        # a new contact typed with Arabic-keyboard letters: the hints panel finds the original
        page.goto(f"{base}/contacts/new/")
        page.locator("#id_given_name").fill(given.replace("ی", "ي").replace("ک", "ك"))
        page.locator("#id_family_name").fill(family.replace("ی", "ي").replace("ک", "ك"))
        page.locator("#id_family_name").press("Tab")
        page.locator(".duplicate-hint").first.wait_for()
        shoot(page, out / "contact-hints-fa.png", problems)

        page.goto(contact_url)
        page.locator("#merge").click()
        page.locator("#merge-search").fill(family)
        page.locator("#candidate-list a").first.wait_for()
        page.locator("#candidate-list a").first.click()
        page.wait_for_url(re.compile(r"/contacts/merge/\?ids=\w+,\w+"))
        compare_url = page.url
        shoot(page, out / "merge-compare-fa.png", problems)

        page.goto(f"{base}/duplicates/")
        page.locator(".duplicate-pair").first.wait_for()
        shoot(page, out / "duplicates-fa.png", problems)

        page.goto(f"{base}/imports/{import_job}/")
        page.locator("#import-preview").wait_for()
        shoot(page, out / "import-review-fa.png", problems)

        page.goto(contact_url)
        page.locator("#lang-switch").click()
        page.wait_for_function("document.documentElement.dir === 'ltr'")
        shoot(page, out / "contact-en.png", problems)
        page.goto(compare_url)
        shoot(page, out / "merge-compare-en.png", problems)

        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--keep", action="store_true", help="keep the temporary data directory")
    options = parser.parse_args()
    out = options.out.resolve()
    out.mkdir(parents=True, exist_ok=True)

    data_dir = Path(tempfile.mkdtemp(prefix="peyvand-screenshots-"))
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(PEYVAND_DATA_DIR=str(data_dir), PEYVAND_DEBUG="1", PEYVAND_LANGUAGE="fa")
    server = None
    try:
        peyvand(env, "migrate", "--noinput", "-v", "0")
        login = LOGIN_LINE.search(peyvand(env, "bootstrap", "--no-demo"))
        if login is None:
            raise SystemExit("peyvand bootstrap did not print a “Login: user / password” line")
        username, password = login.groups()
        peyvand(env, "demo", "--size", str(DEMO_SIZE), "--seed", str(DEMO_SEED), "--user", username)
        peyvand(env, "duplicates", "find", "--threshold", "0.5", "--user", username)
        checked = peyvand(env, "import", "contacts", str(write_import_file(data_dir)),
                          "--dry-run", "--user", username)  # fmt: skip
        import_job = re.search(r"import (\w+): checked", checked)
        if import_job is None:
            raise SystemExit(f"the dry run did not end “checked”: {checked}")

        port = free_port()
        base = f"http://127.0.0.1:{port}"
        log = (data_dir / "runserver.log").open("w")
        server = subprocess.Popen(  # noqa: S603 - our own interpreter and command
            [sys.executable, "-m", "peyvand", "runserver", f"127.0.0.1:{port}", "--noreload"],
            env=env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        wait_until_serving(f"{base}/login/", server)
        take_screenshots(base, username, password, out, import_job.group(1))
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=10)
        if options.keep:
            print(f"data kept in {data_dir}")
        else:
            shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
