"""Import use cases: upload a file, set the mapping, check, apply, cancel, save a mapping.

The heavy lifting is in ``customers.imports``; these functions check who may do what and
enqueue the background work (``customers.tasks``).
"""

import shutil
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from peyvand.accounts.access import Capability, can, require
from peyvand.accounts.models import User
from peyvand.common.entities import registry
from peyvand.common.errors import NotFound
from peyvand.customers.imports.mapping import guess_mapping, targets_for
from peyvand.customers.imports.readers import ImportFileError, open_source
from peyvand.customers.models import (
    CustomFieldDefinition,
    DuplicatePolicy,
    ImportJob,
    ImportMapping,
    ImportStatus,
)

MAX_UPLOAD_BYTES = 2 * 1024**3


def estimate_rows(path: Path, file_format: str) -> int:
    """Rows the progress bar counts to: lines (CSV), cards (vCard), the sheet's size (XLSX)."""
    if file_format == "xlsx":
        from openpyxl import load_workbook

        book = load_workbook(path, read_only=True)
        try:
            return max((book.worksheets[0].max_row or 1) - 1, 0)
        finally:
            book.close()
    marker = b"BEGIN:VCARD" if file_format == "vcf" else b"\n"
    count = 0
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            count += chunk.upper().count(marker) if file_format == "vcf" else chunk.count(marker)
    return count if file_format == "vcf" else max(count - 1, 0)


def _job_for(actor: User, public_id: str) -> ImportJob:
    job = ImportJob.objects.filter(public_id=public_id).select_related("created_by").first()
    if job is None or not (job.created_by_id == actor.pk or can(actor, Capability.JOBS_VIEW_ALL)):
        raise NotFound("No such import.")
    require(actor, Capability.RECORD_IMPORT)  # e.g. its uploader has become a viewer since
    return job


@transaction.atomic
def import_job_create(
    *, actor: User, entity: str, source_path: Path, original_name: str,
    on_duplicate: str = DuplicatePolicy.SKIP, mapping_name: str | None = None,
    move: bool = False,
) -> ImportJob:  # fmt: skip
    """Keep a copy of the uploaded file, read its headers and guess the column mapping."""
    require(actor, Capability.RECORD_IMPORT)
    if entity not in registry.names(having="import_targets"):
        raise ValidationError({"entity": _("Import contacts or organisations.")})
    if on_duplicate not in DuplicatePolicy.values:
        raise ValidationError({"on_duplicate": _("Choose skip, update or create.")})
    size = source_path.stat().st_size
    if size == 0:
        raise ValidationError({"file": _("The file is empty.")})
    if size > MAX_UPLOAD_BYTES:
        raise ValidationError({"file": _("The file is larger than 2 GB.")})
    job = ImportJob(
        entity=entity, original_name=Path(original_name).name[:255], created_by=actor,
        on_duplicate=on_duplicate, size_bytes=size,
    )  # fmt: skip
    folder = Path(settings.PEYVAND_IMPORT_DIR) / job.public_id
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / ("upload" + Path(original_name).suffix.lower()[:8])
    (shutil.move if move else shutil.copyfile)(source_path, target)
    job.file_path = str(target)
    try:
        source, _rows = open_source(target, original_name)
    except ImportFileError as exc:
        shutil.rmtree(folder, ignore_errors=True)
        raise ValidationError({"file": str(exc)}) from exc
    job.file_format, job.encoding, job.delimiter = source.format, source.encoding, source.delimiter
    job.headers = source.headers
    job.rows_estimate = estimate_rows(target, source.format)
    custom = dict(
        CustomFieldDefinition.objects.filter(entity=entity, is_active=True).values_list(
            "key", "label"
        )
    )
    job.mapping = guess_mapping(source.headers, entity=entity, custom_fields=custom)
    if mapping_name:
        saved = ImportMapping.objects.filter(entity=entity, name=mapping_name).first()
        if saved is None:
            shutil.rmtree(folder, ignore_errors=True)
            raise ValidationError({"mapping": _("There is no saved mapping “%s”.") % mapping_name})
        job.mapping = {h: saved.mapping.get(h, job.mapping.get(h, "")) for h in source.headers}
    job.save()
    return job


@transaction.atomic
def import_job_configure(
    *, actor: User, public_id: str, mapping: dict[str, str], on_duplicate: str,
    save_as: str = "",
) -> ImportJob:  # fmt: skip
    """Set the column mapping and duplicate policy (before the check starts)."""
    job = _job_for(actor, public_id)
    if job.status not in {ImportStatus.UPLOADED, ImportStatus.CHECKED, ImportStatus.FAILED,
                          ImportStatus.CANCELLED}:  # fmt: skip
        raise ValidationError({"mapping": _("This import is already running.")})
    custom = list(
        CustomFieldDefinition.objects.filter(entity=job.entity, is_active=True).values_list(
            "key", flat=True
        )
    )
    allowed = set(targets_for(job.entity, custom))
    errors = {}
    clean = {}
    for header in job.headers:
        target = (mapping.get(header) or "").strip()
        if target and target not in allowed:
            errors[f"mapping.{header}"] = _("“%s” is not a field you can import into.") % target
        clean[header] = target
    if not any(clean.values()):
        errors["mapping"] = _("Map at least one column to a field.")
    if on_duplicate not in DuplicatePolicy.values:
        errors["on_duplicate"] = _("Choose skip, update or create.")
    if errors:
        raise ValidationError(errors)
    job.mapping, job.on_duplicate = clean, on_duplicate
    _reset_check(job)
    job.save()
    if save_as.strip():
        ImportMapping.objects.update_or_create(
            entity=job.entity, name=save_as.strip()[:100],
            defaults={"mapping": clean, "created_by": actor},
        )  # fmt: skip
    return job


def _reset_check(job: ImportJob) -> None:
    from peyvand.customers.models import ImportRowError

    ImportRowError.objects.filter(job=job).delete()
    job.status = ImportStatus.UPLOADED
    job.rows_checked = job.last_row_number = job.rows_valid = job.rows_error = 0
    job.rows_created = job.rows_updated = job.rows_skipped = 0
    job.preview = []
    job.message = ""


def import_job_start(*, actor: User, public_id: str, apply: bool) -> ImportJob:
    """Queue the check (``apply=False``: a dry run) or the import itself (``apply=True``: every
    row is checked again as it is written, so an unchecked file can be imported directly; an
    interrupted import continues after its last committed batch)."""
    from peyvand.customers.tasks import import_apply_task, import_check_task

    job = _job_for(actor, public_id)
    require(actor, Capability.RECORD_IMPORT)
    if job.status == ImportStatus.APPLYING:
        transaction.on_commit(lambda: import_apply_task.enqueue(job.pk))  # resume after a crash
    elif job.status in {ImportStatus.UPLOADED, ImportStatus.CHECKING, ImportStatus.CHECKED,
                        ImportStatus.FAILED}:  # fmt: skip
        if job.status == ImportStatus.FAILED:
            _reset_check(job)
            job.save()
        if apply:
            from peyvand.customers.imports.pipeline import import_reset_for_apply

            import_reset_for_apply(job)
            ImportJob.objects.filter(pk=job.pk).update(cancel_requested=False)
            transaction.on_commit(lambda: import_apply_task.enqueue(job.pk))
        else:
            ImportJob.objects.filter(pk=job.pk).update(
                status=ImportStatus.CHECKING, cancel_requested=False
            )
            transaction.on_commit(lambda: import_check_task.enqueue(job.pk))
    else:
        raise ValidationError({"status": _("This import cannot be started now.")})
    job.refresh_from_db()
    return job


@transaction.atomic
def import_job_cancel(*, actor: User, public_id: str) -> ImportJob:
    """Stop a check between batches; an import that is writing, or has written, stays."""
    job = _job_for(actor, public_id)
    if job.status in {ImportStatus.DONE, ImportStatus.APPLYING}:
        raise ValidationError({"status": _("This import can no longer be cancelled.")})
    ImportJob.objects.filter(pk=job.pk).update(cancel_requested=True)
    _reset_check(job)
    job.status = ImportStatus.CANCELLED
    job.cancel_requested = True
    job.save()
    return job


def import_job_run_now(*, actor: User, public_id: str, apply: bool, on_progress=None) -> ImportJob:
    """Run the check (``apply=False``) or the import in this process — the CLI's path.

    An interrupted import continues after its last committed batch; a check starts over.
    """
    from peyvand.customers.imports.pipeline import run_apply, run_check

    job = _job_for(actor, public_id)
    require(actor, Capability.RECORD_IMPORT)
    if apply and job.status in {ImportStatus.UPLOADED, ImportStatus.CHECKING,
                                ImportStatus.CHECKED, ImportStatus.APPLYING}:  # fmt: skip
        return run_apply(job, on_batch=on_progress)
    if not apply and job.status in {ImportStatus.UPLOADED, ImportStatus.CHECKING}:
        return run_check(job, on_batch=on_progress)
    return job
