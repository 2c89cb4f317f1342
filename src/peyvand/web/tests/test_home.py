"""The start page (``/``): what to do first with no records, an overview afterwards."""

import re

import pytest
from django.urls import reverse

from peyvand.accounts.services import user_preferences_update
from peyvand.customers.models import Contact
from peyvand.customers.services import (
    ContactInput,
    OrganizationInput,
    PhoneInput,
    contact_create,
    organization_create,
)
from peyvand.customers.services.imports import import_job_create

pytestmark = pytest.mark.django_db


def _ids(html: str) -> set[str]:
    return set(re.findall(r'id="((?:start|home)-[a-z-]+)"', html))


def test_first_time_agent_sees_what_to_do_in_persian(client_for, users):
    """Given a Persian-speaking agent who sees no records, when they open ``/``, then a right-to-
    left page offers importing a file and adding a contact, and says who loads the demo."""
    user_preferences_update(user=users["agent_n"], language="fa")
    response = client_for("agent_n").get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'dir="rtl"' in html
    assert _ids(html) == {"start-empty", "start-title", "start-import", "start-new-contact"}
    assert "به پیوند خوش آمدید" in html
    assert "مدیر سیستم می‌تواند آن را بارگذاری کند (یا اجرا کنید: peyvand demo)." in html
    assert f'href="{reverse("web:import_list")}"' in html
    assert f'href="{reverse("web:contact_create")}"' in html


def test_first_time_admin_can_load_the_demo(client_for):
    """Given an admin with no records, when they open ``/`` in English, then all three
    actions are there, the demo one a button posting to the demo loader."""
    html = client_for("admin").get("/").content.decode()
    assert _ids(html) == {
        "start-empty", "start-title", "start-import", "start-new-contact", "start-demo",
    }  # fmt: skip
    assert "Welcome to Peyvand" in html and 'dir="ltr"' in html
    assert f'action="{reverse("web:demo_load")}"' in html


def test_viewer_is_told_what_their_role_allows(client_for):
    """Given a viewer with nothing to see, when they open ``/``, then no action they cannot
    take is offered, and the page says why."""
    html = client_for("viewer_n").get("/").content.decode()
    assert _ids(html) == {"start-empty", "start-title"}
    assert "Your role cannot import; ask a manager." in html
    assert "Your role can only read records." in html


def test_returning_user_sees_capped_counts_newest_contacts_and_own_imports(
    client_for, users, monkeypatch, settings, tmp_path
):
    """Given six contacts, an organisation and imports by two users, when the agent opens
    ``/``, then the counts are capped, the five newest contacts are listed newest first and
    only the agent's own imports."""
    from peyvand.customers.selectors import overview

    monkeypatch.setattr(overview, "COUNT_CAP", 5)
    agent = users["agent_n"]
    for i in range(6):
        contact_create(
            actor=agent,
            data=ContactInput(given_name=f"Person{i}", phones=[PhoneInput(f"0912000000{i}")]),
        )
    organization_create(actor=agent, data=OrganizationInput(name="Pars"))
    settings.PEYVAND_IMPORT_DIR = tmp_path / "imports"
    upload = tmp_path / "upload.csv"
    upload.write_text("Given name,Mobile\nNima,09121112233\n", encoding="utf-8")
    for user, name in ((agent, "mine.csv"), (users["manager_n"], "theirs.csv")):
        import_job_create(actor=user, entity="contact", source_path=upload, original_name=name)
    html = client_for("agent_n").get("/").content.decode()
    assert "start-empty" not in html
    assert {"home-new-contact", "home-import", "home-contacts", "home-organizations"} <= _ids(html)
    counts = re.findall(r'<span class="fs-3 fw-semibold">([^<]+)</span>', html)
    assert counts == ["5+", "1"]
    listed = re.findall(r">(Person\d)</a>", html)
    assert listed == ["Person5", "Person4", "Person3", "Person2", "Person1"]
    assert "mine.csv" in html and "theirs.csv" not in html


def test_admin_loads_the_demo_from_the_start_page(client_for, monkeypatch):
    """Given an admin on an empty start page, when they press «Load the demo data», then the
    demo contacts are written, the page says so (with the demo users' passwords) and shows
    the overview instead of the empty state."""
    monkeypatch.setattr("peyvand.web.views.home.DEMO_SIZE", 12)
    client = client_for("admin")
    response = client.post(reverse("web:demo_load"), follow=True)
    html = response.content.decode()
    assert response.redirect_chain == [(reverse("web:home"), 302)]
    assert Contact.objects.count() == 12
    assert re.search(r"Demo data loaded: 12 contacts and \d+ organisations\.", html)
    assert "Demo users (write the passwords down, they are shown only now):" in html
    assert "start-empty" not in html and "home-contacts" in html


def test_agent_cannot_load_the_demo(client_for):
    """Given an agent, when they post to the demo loader, then it is refused and nothing is
    written."""
    response = client_for("agent_n").post(reverse("web:demo_load"))
    assert response.status_code == 403
    assert Contact.objects.count() == 0
