"""The anchor of the list benchmark: the plainest Django view of a page of 50 contacts.

No authentication, no permission filter, no serializer: ``values()`` of the summary's columns
(the contact's own fields and the owner/team names through one JOIN; the primary email/phone
and tags of the API's summary need child tables, which a plain ``values()`` page leaves out).
Paged by ``?before=<id>`` the way the API's cursor pages by ``-id``.
"""

from django.http import HttpRequest, JsonResponse

from peyvand.customers.models import Contact

SUMMARY_FIELDS = (
    "id", "public_id", "display_name", "lifecycle_stage", "owner__username", "team_id",
    "team__name", "version", "created_at", "updated_at",
)  # fmt: skip


def anchor_contact_list(request: HttpRequest) -> JsonResponse:
    qs = Contact.objects.order_by("-id")
    before = request.GET.get("before")
    if before:
        qs = qs.filter(id__lt=int(before))
    items = list(qs.values(*SUMMARY_FIELDS)[:50])
    return JsonResponse({"items": items, "next": items[-1]["id"] if len(items) == 50 else None})
