"""Import and export pages through the Django test client (the browser test drives the same)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from peyvand.customers.models import Contact, ImportJob

pytestmark = pytest.mark.django_db

CSV = (
    "نام,نام خانوادگی,موبایل,ایمیل\n"
    "علي,رضايي,۰۹۱۲۱۲۳۴۵۶۷,ali@x.com\n"
    "سارا,کریمی,0935,bad\n"
    "=cmd,احمدی,+98 912 000 1111,mina@x.com\n"
).encode("utf-8-sig")


@pytest.fixture(autouse=True)
def _tasks(settings, tmp_path):
    settings.PEYVAND_IMPORT_DIR = tmp_path / "imports"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def _upload(client, content=CSV, name="people.csv", policy="skip"):
    return client.post(
        reverse("web:import_list"),
        {"entity": "contact", "on_duplicate": policy, "file": SimpleUploadedFile(name, content)},
    )


def test_upload_check_review_import(client_for, django_capture_on_commit_callbacks):
    client = client_for("agent_n")
    response = _upload(client)
    assert response.status_code == 302
    job = ImportJob.objects.get()
    page = client.get(response.url).content.decode()
    assert 'value="phone" selected' in page  # the mapping was guessed from «موبایل»
    assert "۰۹۱۲۱۲۳۴۵۶۷" in page  # sample values shown beside each column
    data = {f"col_{i}": job.mapping[h] for i, h in enumerate(job.headers)}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(response.url, {**data, "on_duplicate": "skip", "then": "check"})
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == "checked"
    review = client.get(response.url).content.decode()
    assert "علی رضایی" in review  # the preview shows rows as they will be stored
    assert "“0935” is not a valid phone number." in review
    assert Contact.objects.count() == 0  # nothing written yet
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("web:import_apply", args=[job.public_id]))
    job.refresh_from_db()
    assert (job.status, job.rows_created, job.rows_error) == ("done", 2, 1)
    progress = client.get(reverse("web:import_progress", args=[job.public_id]))
    assert progress["HX-Refresh"] == "true"
    report = client.get(reverse("web:import_errors", args=[job.public_id]))
    body = b"".join(report.streaming_content).decode("utf-8-sig")
    assert "سارا,کریمی,0935,bad,3," in body
    assert "attachment" in report["Content-Disposition"]


def test_broken_file_is_refused_with_a_message(client_for):
    response = _upload(client_for("agent_n"), content=b"PK\x03\x04broken", name="x.xlsx")
    assert response.status_code == 200
    assert "not an Excel" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_viewer_cannot_import(client_for):
    assert _upload(client_for("viewer_n")).status_code == 403
    assert not ImportJob.objects.exists()


def test_export_this_view_is_formula_safe_and_filtered(client_for, users):
    from peyvand.customers.services import ContactInput, contact_create

    agent = users["agent_n"]
    contact_create(actor=agent, data=ContactInput(given_name="=1+1", lifecycle_stage="customer"))
    contact_create(actor=agent, data=ContactInput(given_name="Lead person"))
    client = client_for("agent_n")
    response = client.get(reverse("web:contact_export") + "?format=csv&lifecycle_stage=customer")
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")
    text = body.decode("utf-8-sig")
    assert "'=1+1" in text and "Lead person" not in text
    xlsx = client.get(reverse("web:contact_export") + "?format=xlsx")
    assert b"".join(xlsx.streaming_content)[:2] == b"PK"
    assert client.get(reverse("web:organization_export") + "?format=vcf").status_code == 400


def test_cancel_a_running_check_then_start_again(client_for, django_capture_on_commit_callbacks):
    """Cancel stops a check between batches; the page says nothing was written, and the file
    can be checked again. An import that is writing cannot be cancelled."""
    from peyvand.customers.imports import pipeline
    from peyvand.customers.services.imports import import_job_cancel

    client = client_for("agent_n")
    response = _upload(client)
    job = ImportJob.objects.get()
    data = {f"col_{i}": job.mapping[h] for i, h in enumerate(job.headers)}
    with django_capture_on_commit_callbacks(execute=False):  # queued, not yet run
        client.post(response.url, {**data, "on_duplicate": "skip", "then": "check"})
    job.refresh_from_db()
    assert job.status == "checking"

    def cancel_after_first_batch(running):
        import_job_cancel(actor=running.created_by, public_id=running.public_id)

    pipeline.BATCH_ROWS, saved = 1, pipeline.BATCH_ROWS
    try:
        pipeline.run_check(job, on_batch=cancel_after_first_batch)
    finally:
        pipeline.BATCH_ROWS = saved
    job.refresh_from_db()
    # cancelling reset the counts; a check that went on would have counted rows 3 and 4 again
    assert (job.status, job.rows_checked, job.rows_error) == ("cancelled", 0, 0)
    assert Contact.objects.count() == 0
    page = client.post(reverse("web:import_cancel", args=[job.public_id]), follow=True)
    assert "The check was cancelled; nothing was written." in page.content.decode()
    assert job.preview == []
    with django_capture_on_commit_callbacks(execute=True):
        client.post(response.url, {**data, "on_duplicate": "skip", "then": "import"})
    job.refresh_from_db()
    assert (job.status, job.rows_created) == ("done", 2)
    refused = client.post(reverse("web:import_cancel", args=[job.public_id]), follow=True)
    assert "This import can no longer be cancelled." in refused.content.decode()


def test_resume_a_stopped_import_from_the_page(
    client_for, django_capture_on_commit_callbacks, monkeypatch
):
    """An import whose worker died mid-way shows a Resume button; it continues after the last
    finished batch and writes every row once."""
    from peyvand.customers.imports import pipeline, write

    monkeypatch.setattr(pipeline, "BATCH_ROWS", 1)
    client = client_for("agent_n")
    response = _upload(client)
    job = ImportJob.objects.get()
    data = {f"col_{i}": job.mapping[h] for i, h in enumerate(job.headers)}
    original = write.ContactImportBatch._create
    calls = {"n": 0}

    def dies_on_the_second_batch(self, creating):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("the worker was killed")
        return original(self, creating)

    monkeypatch.setattr(write.ContactImportBatch, "_create", dies_on_the_second_batch)
    with django_capture_on_commit_callbacks(execute=True):  # the task fails, as a killed one
        client.post(response.url, {**data, "on_duplicate": "skip", "then": "import"})
    job.refresh_from_db()
    assert (job.status, job.rows_created) == ("applying", 1)
    page = client.get(response.url).content.decode()
    assert 'id="resume"' in page and "in batches of 10,000 rows" in page
    monkeypatch.setattr(write.ContactImportBatch, "_create", original)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("web:import_apply", args=[job.public_id]))
    job.refresh_from_db()
    assert (job.status, job.rows_created, job.rows_error) == ("done", 2, 1)
    assert Contact.objects.count() == 2
