"""Import pages: upload → map columns → check (dry run) → review → import, with progress."""

import tempfile
from pathlib import Path

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from peyvand.accounts.access import Capability, require
from peyvand.customers import exports
from peyvand.customers.imports.mapping import import_targets
from peyvand.customers.imports.readers import ImportFileError, open_source
from peyvand.customers.selectors import custom_field_definition_list
from peyvand.customers.selectors.imports import (
    import_action_counts,
    import_errors,
    import_errors_csv_rows,
    import_job_get_for_user,
    import_job_list,
    import_mapping_list,
    import_preview,
)
from peyvand.customers.services.imports import (
    import_job_cancel,
    import_job_configure,
    import_job_create,
    import_job_start,
)
from peyvand.web.forms.imports import ImportMappingForm, ImportUploadForm
from peyvand.web.views.common import web_view

SAMPLE_ROWS = 3
RUNNING = {"checking", "applying"}


def _errors_to_form(form, exc: ValidationError) -> None:
    for key, messages_ in exc.message_dict.items():
        field = key if key in form.fields else None
        for message in messages_:
            form.add_error(field, message)


@require_http_methods(["GET", "POST"])
@web_view
def import_list_view(request: HttpRequest) -> HttpResponse:
    require(request.user, Capability.RECORD_IMPORT)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        suffix = Path(upload.name).suffix[:8]
        with tempfile.NamedTemporaryFile(suffix=suffix, delete=False) as tmp:
            for chunk in upload.chunks():
                tmp.write(chunk)
        try:
            job = import_job_create(
                actor=request.user, entity=form.cleaned_data["entity"],
                source_path=Path(tmp.name), original_name=upload.name,
                on_duplicate=form.cleaned_data["on_duplicate"],
                mapping_name=form.cleaned_data["mapping_name"] or None, move=True,
            )  # fmt: skip
        except ValidationError as exc:
            Path(tmp.name).unlink(missing_ok=True)
            _errors_to_form(form, exc)
        else:
            return redirect("web:import_detail", public_id=job.public_id)
    context = {
        "form": form,
        "jobs": import_job_list(actor=request.user),
        "mappings": import_mapping_list(actor=request.user, entity="contact"),
    }
    return render(request, "web/imports/list.html", context)


def _targets(job) -> list[tuple[str, str]]:
    base = import_targets(job.entity)
    custom = custom_field_definition_list(actor=job.created_by, entity=job.entity)
    return [(k, str(v)) for k, v in base.items()] + [
        (f"cf:{d.key}", _("Custom field: %s") % d.label) for d in custom
    ]


def _samples(job) -> list[list[str]]:
    try:
        _source, rows = open_source(Path(job.file_path), job.original_name)
        samples = []
        for _number, row in rows:
            samples.append([row.get(h, "") for h in job.headers])
            if len(samples) >= SAMPLE_ROWS:
                break
        return samples
    except (ImportFileError, OSError):
        return []


def progress_numbers(job) -> dict:
    """Rows done of the estimate, rate and time left (for the progress bar)."""
    total = max(job.rows_estimate, job.rows_checked, 1)
    percent = 100 if job.status in {"checked", "done"} else min(99, job.rows_checked * 100 // total)
    elapsed = (timezone.now() - job.phase_started_at).total_seconds() if job.phase_started_at else 0
    running = job.status in {"checking", "applying"}
    rate = job.rows_checked / elapsed if elapsed > 0 and running else 0
    left = (total - job.rows_checked) / rate if rate else None
    return {"total": total, "percent": percent, "rate": rate, "seconds_left": left}


@require_http_methods(["GET", "POST"])
@web_view
def import_detail_view(request: HttpRequest, public_id: str) -> HttpResponse:
    job = import_job_get_for_user(actor=request.user, public_id=public_id)
    form = None
    if job.status in {"uploaded", "failed", "cancelled"}:
        initial = {"on_duplicate": job.on_duplicate}
        initial.update({f"col_{i}": job.mapping.get(h, "") for i, h in enumerate(job.headers)})
        form = ImportMappingForm(
            request.POST or None, initial=initial, headers=job.headers, targets=_targets(job)
        )
        if request.method == "POST" and form.is_valid():
            try:
                job = import_job_configure(
                    actor=request.user, public_id=job.public_id, mapping=form.mapping(),
                    on_duplicate=form.cleaned_data["on_duplicate"],
                    save_as=form.cleaned_data["save_as"],
                )  # fmt: skip
                job = import_job_start(
                    actor=request.user, public_id=job.public_id,
                    apply=request.POST.get("then") == "import",
                )  # fmt: skip
            except ValidationError as exc:
                _errors_to_form(form, exc)
            else:
                return redirect("web:import_detail", public_id=job.public_id)
    context = {"job": job, "form": form, **_job_context(job)}
    if form is not None:
        context["samples"] = _samples(job)
        context["columns"] = list(zip(form.column_fields(), _transpose(context["samples"],
                                                                      len(job.headers)),
                                      strict=True))  # fmt: skip
    return render(request, "web/imports/detail.html", context)


def _transpose(samples: list[list[str]], width: int) -> list[list[str]]:
    return [[row[i] if i < len(row) else "" for row in samples] for i in range(width)]


def _job_context(job) -> dict:
    context = {"progress": progress_numbers(job), "running": job.status in RUNNING}
    if job.status in {"checked", "done"}:
        context["errors"] = import_errors(job=job)
    if job.status == "checked":
        context["preview"] = import_preview(job=job)
        context["counts"] = import_action_counts(job=job)
    return context


@require_GET
@web_view
def import_progress_view(request: HttpRequest, public_id: str) -> HttpResponse:
    """The progress partial htmx polls; once finished it asks for a full page refresh."""
    job = import_job_get_for_user(actor=request.user, public_id=public_id)
    response = render(request, "web/imports/_progress.html", {"job": job, **_job_context(job)})
    if job.status not in RUNNING:
        response["HX-Refresh"] = "true"
    return response


@require_POST
@web_view
def import_apply_view(request: HttpRequest, public_id: str) -> HttpResponse:
    try:
        job = import_job_start(actor=request.user, public_id=public_id, apply=True)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("web:import_detail", public_id=public_id)
    return redirect("web:import_detail", public_id=job.public_id)


@require_POST
@web_view
def import_cancel_view(request: HttpRequest, public_id: str) -> HttpResponse:
    try:
        import_job_cancel(actor=request.user, public_id=public_id)
        messages.info(request, _("The check was cancelled; nothing was written."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("web:import_detail", public_id=public_id)


@require_GET
@web_view
def import_errors_view(request: HttpRequest, public_id: str) -> StreamingHttpResponse:
    """The error report: each bad row as it was in the file, plus row number, column, reason."""
    job = import_job_get_for_user(actor=request.user, public_id=public_id)
    response = StreamingHttpResponse(
        exports.csv_chunks(import_errors_csv_rows(job)), content_type="text/csv; charset=utf-8"
    )
    stem = Path(job.original_name).stem or "import"
    response["Content-Disposition"] = content_disposition_header(True, f"{stem}-errors.csv")
    return response
