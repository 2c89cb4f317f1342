"""After an import: "see them" lists exactly the rows it created or updated; the review says
which earlier row of the file a row repeats and links the existing record it matches; the
error report speaks the reader's language without invisible bidi characters."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from peyvand.customers.models import Contact, ImportJob, ImportTouchedRange
from peyvand.customers.services import ContactInput, PhoneInput, contact_create

pytestmark = pytest.mark.django_db

CSV = (
    "نام,نام خانوادگی,موبایل\n"
    "علی,رضایی,09121110001\n"  # row 2: new
    "مینا,کریمی,09121110002\n"  # row 3: new
    "علی,رضایی,۰۹۱۲۱۱۱۰۰۰۱\n"  # row 4: repeats row 2 of this file
    "سارا,احمدی,09121110009\n"  # row 5: the contact already stored
    "بد,شماره,0935\n"  # row 6: an error
).encode("utf-8-sig")


@pytest.fixture(autouse=True)
def _tasks(settings, tmp_path):
    settings.PEYVAND_IMPORT_DIR = tmp_path / "imports"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def stored(users):
    """A contact already in the database (matched by row 5) and one the import never sees."""
    agent = users["agent_n"]
    return {
        "sara": contact_create(
            actor=agent, data=ContactInput(given_name="Sara", phones=[PhoneInput("09121110009")])
        ),
        "other": contact_create(actor=agent, data=ContactInput(given_name="Untouched")),
    }


def _run(client, capture, *, then: str, policy: str = "skip") -> ImportJob:
    response = client.post(
        reverse("web:import_list"),
        {"entity": "contact", "on_duplicate": policy,
         "file": SimpleUploadedFile("people.csv", CSV)},
    )  # fmt: skip
    job = ImportJob.objects.get()
    data = {f"col_{i}": job.mapping[h] for i, h in enumerate(job.headers)}
    with capture(execute=True):
        client.post(response.url, {**data, "on_duplicate": policy, "then": then})
    job.refresh_from_db()
    return job


def test_see_them_lists_exactly_the_created_and_updated_rows(
    client_for, stored, django_capture_on_commit_callbacks
):
    """Given a stored contact the file matches and one it does not; when the file is imported
    with "update"; then "See them" opens the list filtered to the import (?import=<job>),
    which shows the two new contacts and the updated one, not the untouched contact."""
    client = client_for("agent_n")
    job = _run(client, django_capture_on_commit_callbacks, then="import", policy="update")
    assert (job.status, job.rows_created, job.rows_updated) == ("done", 2, 1)

    page = client.get(reverse("web:import_detail", args=[job.public_id])).content.decode()
    url = f"{reverse('web:contact_list')}?import={job.public_id}"
    assert f'id="see-imported" href="{url}"' in page

    new_ids = sorted(
        Contact.objects.filter(created_by__isnull=False)
        .exclude(pk__in=[stored["sara"].pk, stored["other"].pk])
        .values_list("pk", flat=True)
    )
    ranges = list(ImportTouchedRange.objects.filter(job=job).values_list("first_id", "last_id"))
    # one range for the batch's new records (consecutive ids), one for the updated contact
    assert ranges == [(stored["sara"].pk, stored["sara"].pk), (new_ids[0], new_ids[1])]

    listed = client.get(url).content.decode()
    assert "علی رضایی" in listed
    assert "مینا کریمی" in listed
    assert stored["sara"].public_id in listed
    assert stored["other"].public_id not in listed


def test_import_filter_of_another_job_or_a_dry_run_lists_nothing(
    client_for, stored, django_capture_on_commit_callbacks
):
    """Given a checked (not imported) file; then its import filter lists no contact."""
    client = client_for("agent_n")
    job = _run(client, django_capture_on_commit_callbacks, then="check")

    listed = client.get(f"{reverse('web:contact_list')}?import={job.public_id}")

    assert stored["sara"].public_id not in listed.content.decode()
    assert stored["other"].public_id not in listed.content.decode()


def test_dry_run_names_the_repeated_row_and_links_the_existing_record(
    client_for, stored, django_capture_on_commit_callbacks
):
    """Given a file whose row 4 repeats row 2 and whose row 5 is a stored contact; when it is
    checked; then row 4 says "same as row 2 of this file" and row 5 links to the contact."""
    client = client_for("agent_n")
    job = _run(client, django_capture_on_commit_callbacks, then="check")
    assert job.status == "checked"

    page = client.get(reverse("web:import_detail", args=[job.public_id])).content.decode()

    rows = {
        r.split("</td>", 1)[0]: r
        for r in page.split('<table id="import-preview"', 1)[1].split("<tr><td>")[1:]
    }
    assert "same as row 2 of this file" in rows["4"]
    sara_url = reverse("web:contact_detail", args=[stored["sara"].public_id])
    assert f'<a class="import-match" href="{sara_url}">already exists</a>' in rows["5"]
    assert "same as row" not in rows["5"] and "already exists" not in rows["4"]
    assert "same as row" not in rows["2"] and "already exists" not in rows["2"]


def test_dry_run_in_persian(fa_client, stored, django_capture_on_commit_callbacks):
    """The same review for a Persian user: «همان ردیف ۲ این فایل»."""
    job = _run(fa_client, django_capture_on_commit_callbacks, then="check")

    page = fa_client.get(reverse("web:import_detail", args=[job.public_id])).content.decode()

    assert "همان ردیف ۲ این فایل" in page
    assert "از پیش هست" in page


def test_error_report_headers_in_persian_without_bidi_isolates(
    fa_client, django_capture_on_commit_callbacks
):
    """Given a Persian user's checked file with a bad phone; then the error report's added
    headers are Persian and no cell holds U+2068/U+2069."""
    job = _run(fa_client, django_capture_on_commit_callbacks, then="check")

    report = fa_client.get(reverse("web:import_errors", args=[job.public_id]))
    body = b"".join(report.streaming_content).decode("utf-8-sig")

    lines = body.splitlines()
    assert lines[0] == "نام,نام خانوادگی,موبایل,ردیف,ستون,مشکل"
    assert lines[1].startswith("بد,شماره,0935,6,")
    assert "0935" in lines[1].split(",", 5)[5]
    assert "\u2068" not in body and "\u2069" not in body


def test_error_report_headers_in_english(client_for, django_capture_on_commit_callbacks):
    """The same report for an English user: Row, Column, Problem."""
    client = client_for("agent_n")
    job = _run(client, django_capture_on_commit_callbacks, then="check")

    report = client.get(reverse("web:import_errors", args=[job.public_id]))
    body = b"".join(report.streaming_content).decode("utf-8-sig")

    assert body.splitlines()[0] == "نام,نام خانوادگی,موبایل,Row,Column,Problem"
