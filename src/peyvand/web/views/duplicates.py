"""The duplicate review queue: start a detection run, watch it, and decide on its pairs."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from peyvand.accounts.access import Capability, require
from peyvand.common.errors import NotFound
from peyvand.dedupe.models import DuplicatePairStatus
from peyvand.dedupe.selectors.detection import (
    duplicate_pairs_visible,
    duplicate_run_latest,
    duplicate_run_newest,
    explanation_text,
)
from peyvand.dedupe.services.detection import (
    DEFAULT_THRESHOLD,
    duplicate_run_cancel,
    duplicate_run_start,
)
from peyvand.dedupe.services.review import (
    duplicate_pair_not_duplicate,
    duplicate_pair_skip,
    duplicate_pairs_merge_above,
)
from peyvand.dedupe.thresholds import threshold_parse, threshold_percent
from peyvand.web import display
from peyvand.web.views.common import is_partial, web_view

PAGE_SIZE = 25
PROGRESS_TARGET = "duplicate-run"


BULK_THRESHOLD = 0.99


def _threshold(request: HttpRequest, default: float) -> float | None:
    """The posted threshold as a probability (typed as a percentage; see dedupe.thresholds)."""
    raw = (request.POST.get("threshold") or "").strip()
    return threshold_parse(raw) if raw else default


def _pairs_context(actor, run, page_number) -> dict:
    """The open pairs of the newest finished run, one page, each with why it was proposed."""
    if run is None:
        return {"page": None, "rows": []}
    pairs = duplicate_pairs_visible(actor=actor, run=run).filter(status=DuplicatePairStatus.OPEN)
    page = Paginator(pairs, PAGE_SIZE).get_page(page_number)
    rows = [{"pair": pair, "why": explanation_text(pair.explanation)} for pair in page]
    return {"page": page, "rows": rows}


@require_GET
@web_view
def duplicate_review_view(request: HttpRequest) -> HttpResponse:
    """The newest run's progress (polled by htmx while it runs) above the pairs of the newest
    finished run. When a polled run finishes, the answer carries its pairs too (an out-of-band
    swap), so the result shows up without a reload."""
    actor = request.user
    run = duplicate_run_newest(actor=actor)
    context = {
        "run": run,
        "default_threshold": threshold_percent(DEFAULT_THRESHOLD),
        "bulk_threshold": threshold_percent(BULK_THRESHOLD),
    }
    partial = is_partial(request, PROGRESS_TARGET)
    if not partial or (run is not None and run.is_finished):
        latest = duplicate_run_latest(actor=actor)
        context.update(_pairs_context(actor, latest, request.GET.get("page")))
    if partial:
        return render(request, "web/duplicates/_run.html", {**context, "pairs_out_of_band": True})
    return render(request, "web/duplicates/review.html", context)


@require_POST
@web_view
def duplicate_run_start_view(request: HttpRequest) -> HttpResponse:
    require(request.user, Capability.DUPLICATES_REVIEW)
    threshold = _threshold(request, DEFAULT_THRESHOLD)
    try:
        if threshold is None:
            raise ValidationError(_("Type the match threshold as a percentage, e.g. 90."))
        duplicate_run_start(actor=request.user, threshold=threshold)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("web:duplicate_review")


@require_POST
@web_view
def duplicate_run_cancel_view(request: HttpRequest, public_id: str) -> HttpResponse:
    """Stop a queued or running search (a queued one at once, a running one at its next
    step)."""
    require(request.user, Capability.DUPLICATES_REVIEW)
    try:
        duplicate_run_cancel(actor=request.user, public_id=public_id)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("web:duplicate_review")


def _back(request: HttpRequest) -> HttpResponse:
    page = request.POST.get("page", "")
    url = reverse("web:duplicate_review")
    return redirect(f"{url}?page={page}" if page.isdigit() else url)


@require_POST
@web_view
def duplicate_pair_skip_view(request: HttpRequest, pair_id: int) -> HttpResponse:
    require(request.user, Capability.DUPLICATES_REVIEW)
    duplicate_pair_skip(actor=request.user, pair_id=pair_id)
    return _back(request)


@require_POST
@web_view
def duplicate_pair_not_duplicate_view(request: HttpRequest, pair_id: int) -> HttpResponse:
    require(request.user, Capability.DUPLICATES_REVIEW)
    pair = duplicate_pair_not_duplicate(actor=request.user, pair_id=pair_id)
    messages.success(
        request,
        _("“%(a)s” and “%(b)s” will not be proposed as duplicates again.")
        % {"a": pair.contact_a.display_name, "b": pair.contact_b.display_name},
    )
    return _back(request)


@require_POST
@web_view
def duplicate_merge_above_view(request: HttpRequest) -> HttpResponse:
    require(request.user, Capability.DUPLICATES_REVIEW)
    run = duplicate_run_latest(actor=request.user)
    if run is None:
        raise NotFound(_("No search for duplicates has run yet."))
    threshold = _threshold(request, BULK_THRESHOLD)
    if threshold is None:
        messages.error(request, _("Type the likelihood as a percentage, e.g. 99."))
        return redirect("web:duplicate_review")
    try:
        result = duplicate_pairs_merge_above(
            actor=request.user, run_public_id=run.public_id, threshold=threshold
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("web:duplicate_review")
    messages.success(
        request,
        _("%(groups)s groups merged (%(records)s records merged into others).")
        % {
            "groups": display.number(result.groups_merged),
            "records": display.number(result.records_merged),
        },
    )
    if result.groups_left:
        messages.info(
            request,
            _("%(left)s more groups are above that probability: merge again to continue.")
            % {"left": display.number(result.groups_left)},
        )
    for failure in result.failures:
        messages.error(request, failure)
    return redirect("web:duplicate_review")
