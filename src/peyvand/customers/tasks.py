"""Background work of the customers app (run by `peyvand db_worker`, or RQ workers)."""

from django.utils import translation
from django_tasks import task

from peyvand.customers.imports.pipeline import run_apply, run_check
from peyvand.customers.models import ImportJob, ImportStatus


@task()
def import_check_task(job_id: int) -> str:
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    if job.status != ImportStatus.CHECKING:
        return job.status
    with translation.override(job.created_by.language):  # row errors in the uploader's words
        job = run_check(job)
    return job.status


@task()
def import_apply_task(job_id: int) -> str:
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    if job.status != ImportStatus.APPLYING:
        return job.status
    with translation.override(job.created_by.language):
        return run_apply(job).status
