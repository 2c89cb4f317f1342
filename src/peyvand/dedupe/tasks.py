"""Background work of the dedupe app (run by `peyvand db_worker`, or RQ workers)."""

from django.utils import translation
from django_tasks import task

from peyvand.dedupe.models_batch import DuplicateRun
from peyvand.dedupe.services.detection import duplicate_run_execute


@task()
def duplicate_run_task(run_id: int) -> str:
    """Execute a queued duplicate detection run; its progress is on the run row."""
    run = DuplicateRun.objects.select_related("created_by").get(pk=run_id)
    language = run.created_by.language if run.created_by else None
    with translation.override(language):  # messages in the starter's words
        return duplicate_run_execute(run_id=run_id).status
