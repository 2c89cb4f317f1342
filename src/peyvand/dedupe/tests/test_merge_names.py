"""A merge result names the records (web merge page and API), not only their opaque ids."""

import json

import pytest
from django.urls import reverse

from peyvand.dedupe.models import Merge
from peyvand.dedupe.tests.merge_world import overlapping_pair

pytestmark = pytest.mark.django_db


def test_the_merge_page_names_the_survivor_the_merged_record_and_where_values_came_from(
    client_for, users
):
    """Given «علی رضایی» and «Ali» merged with Ali's given name kept, then the merge page names
    the record that stayed, the record merged into it and the record the given name came from."""
    a, b = overlapping_pair(users)
    client = client_for("agent_n")
    client.post(
        reverse("web:contact_merge"),
        {"ids": f"{a.public_id},{b.public_id}", "choose_given_name": b.public_id},
    )
    merge = Merge.objects.get()

    page = client.get(reverse("web:merge_detail", args=[merge.public_id])).content.decode()

    start = page.index('id="merge-survivor"')
    survivor = page[start : page.index("</dd>", start)]
    assert f'<a href="{a.get_absolute_url()}"><bdi>علی رضایی</bdi></a>' in survivor
    merged = page[page.index('id="merge-merged"') :]
    assert '<div class="merged-record"><bdi>Ali</bdi>' in merged
    assert "Given name: from <bdi>Ali</bdi>" in page


def test_api_merge_answers_name_the_records(users, api_client_for):
    a, b = overlapping_pair(users)
    http = api_client_for("agent_n")

    response = http.post(
        f"/api/v1/contacts/{a.public_id}/merge",
        data=json.dumps({"others": [b.public_id]}),
        content_type="application/json",
    )

    merge = response.json()["merge"]
    assert (merge["survivor"], merge["survivor_name"]) == (a.public_id, "علی رضایی")
    assert merge["merged_records"] == [{"public_id": b.public_id, "display_name": "Ali"}]
    assert http.get(f"/api/v1/merges/{merge['public_id']}").json() == merge
