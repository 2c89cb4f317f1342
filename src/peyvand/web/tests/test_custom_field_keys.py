"""Settings → custom fields: an empty key is made from the label, Persian letters included."""

import pytest
from django.urls import reverse

from peyvand.customers.selectors import custom_field_definition_list

pytestmark = pytest.mark.django_db


def _create(client, **overrides):
    data = {"entity": "contact", "label": "سطح وفاداری", "key": "", "field_type": "text"}
    data.update(overrides)
    return client.post(reverse("web:custom_field_create"), data)


def _keys(admin, entity="contact"):
    return [d.key for d in custom_field_definition_list(actor=admin, entity=entity)]


def test_a_persian_label_with_no_key_gets_a_latin_key(client_for, users):
    """Given an admin leaves the key empty under a Persian label, when the field is saved, then
    its key is the label spelled in Latin letters."""
    response = _create(client_for("admin"))

    assert response.status_code == 302
    assert response.url == reverse("web:custom_field_list") + "?entity=contact"
    assert _keys(users["admin"]) == ["sth_vfadari"]


def test_the_same_label_again_gets_a_numbered_key_per_record_type(client_for, users):
    """Given «سطح وفاداری» exists on contacts, when it is added twice more to contacts and once
    to organisations, then contacts get _2 and _3 and organisations the plain key."""
    client = client_for("admin")
    for entity in ("contact", "contact", "contact", "organization"):
        assert _create(client, entity=entity).status_code == 302

    assert sorted(_keys(users["admin"])) == ["sth_vfadari", "sth_vfadari_2", "sth_vfadari_3"]
    assert _keys(users["admin"], "organization") == ["sth_vfadari"]


def test_a_typed_key_that_is_taken_is_still_refused(client_for, users):
    """Given a field with key vip, when an admin types vip again, then the form says it is taken
    and nothing is added (only a key made from the label is numbered)."""
    client = client_for("admin")
    _create(client, label="VIP", key="vip")

    response = _create(client, label="Another", key="vip")

    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    assert _keys(users["admin"]) == ["vip"]


def test_a_label_with_no_letters_asks_for_a_key_in_persian(client_for, users):
    """Given a label of symbols only and no key, then a fa admin reads why, in Persian."""
    client = client_for("admin")
    client.post(reverse("web:language"), {"language": "fa"})

    response = _create(client, label="🎉")

    assert response.status_code == 200
    page = response.content.decode()
    assert "از این عنوان نمی‌توان کلیدی ساخت" in page
    assert _keys(users["admin"]) == []
