"""The duplicate review queue: start a detection run, watch it, and decide on its pairs."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from peyvand.common.errors import NotFound
from peyvand.dedupe.models import DuplicatePairStatus
from peyvand.dedupe.selectors.detection import (
    duplicate_pairs_visible,
    duplicate_run_latest,
    explanation_text,
)
from peyvand.dedupe.services.detection import DEFAULT_THRESHOLD, duplicate_run_start
from peyvand.dedupe.services.review import (
    duplicate_pair_not_duplicate,
    duplicate_pair_skip,
    duplicate_pairs_merge_above,
)
from peyvand.web import display
from peyvand.web.views.common import is_partial, require_write, web_view

PAGE_SIZE = 25
PROGRESS_TARGET = "duplicate-run"


def _threshold(request: HttpRequest, default: float) -> float | None:
    raw = (request.POST.get("threshold") or "").strip().replace("٫", ".").replace("/", ".")
    raw = raw.translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789"))
    if not raw:
        return default
    try:
        value = float(raw.rstrip("%"))
    except ValueError:
        return None
    return value / 100 if raw.endswith("%") or value > 1 else value


@require_GET
@web_view
def duplicate_review_view(request: HttpRequest) -> HttpResponse:
    run = duplicate_run_latest(actor=request.user)
    context = {"run": run, "default_threshold": DEFAULT_THRESHOLD}
    if is_partial(request, PROGRESS_TARGET):
        return render(request, "web/duplicates/_run.html", context)
    if run is not None and run.status == "done":
        pairs = duplicate_pairs_visible(actor=request.user, run=run).filter(
            status=DuplicatePairStatus.OPEN
        )
        page = Paginator(pairs, PAGE_SIZE).get_page(request.GET.get("page"))
        context["page"] = page
        context["rows"] = [
            {"pair": pair, "why": explanation_text(pair.explanation)} for pair in page
        ]
    return render(request, "web/duplicates/review.html", context)


@require_POST
@web_view
def duplicate_run_start_view(request: HttpRequest) -> HttpResponse:
    require_write(request)
    threshold = _threshold(request, DEFAULT_THRESHOLD)
    try:
        if threshold is None:
            raise ValidationError(_("The match threshold must be between 0 and 1, e.g. 0.9."))
        duplicate_run_start(actor=request.user, threshold=threshold)
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
    require_write(request)
    duplicate_pair_skip(actor=request.user, pair_id=pair_id)
    return _back(request)


@require_POST
@web_view
def duplicate_pair_not_duplicate_view(request: HttpRequest, pair_id: int) -> HttpResponse:
    require_write(request)
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
    require_write(request)
    run = duplicate_run_latest(actor=request.user)
    if run is None:
        raise NotFound(_("No search for duplicates has run yet."))
    threshold = _threshold(request, 0.99)
    if threshold is None:
        messages.error(request, _("Choose a probability between 0.5 and 1 for merging in bulk."))
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
