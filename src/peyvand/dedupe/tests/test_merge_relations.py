"""Relation discovery: every table holding a contact's rows is found at merge time, including
models that exist only in this test (a foreign key with a hidden reverse name, a one-to-one, a
many-to-many declared on the other side), and nothing depending on a combined row is lost."""

import pytest
from django.apps import apps
from django.db import connection, models

from peyvand.common.errors import Conflict
from peyvand.customers.models import Contact, ContactEmail
from peyvand.customers.services import ContactInput, EmailInput, contact_create
from peyvand.dedupe.models import Merge
from peyvand.dedupe.relations import UniqueKey, contact_relations
from peyvand.dedupe.services import contact_merge, merge_undo
from peyvand.dedupe.tests.merge_world import row_values, world_dump

CORE = {
    ("customers.address", "contact"),
    ("customers.contact_tags", "contact"),
    ("customers.contactconsent", "contact"),
    ("customers.contactemail", "contact"),
    ("customers.contactorganization", "contact"),
    ("customers.contactphone", "contact"),
    ("customers.customfieldvalue", "contact"),
}


@pytest.mark.django_db
def test_core_relations_are_found_and_history_and_merges_are_not():
    """Given the installed models, when relations are discovered, then the contact's own tables
    are listed, and no Historical* table and no merge bookkeeping (loose pointers) are."""
    found = {(r.label, r.field.name) for r in contact_relations()}

    assert found >= CORE
    assert not {label for label, _field in found if ".historical" in label}
    assert not {
        label for label, _field in found if label in ("dedupe.merge", "dedupe.notduplicate")
    }


@pytest.mark.django_db
def test_unique_keys_come_from_the_models_constraints():
    """Then each relation reports the columns a moved row may collide on, with conditions."""
    keys = {r.label: r.unique_keys() for r in contact_relations()}

    assert keys["customers.contactemail"] == [UniqueKey(("email",))]
    assert keys["customers.contact_tags"] == [UniqueKey(("tag_id",))]
    assert keys["customers.contactorganization"] == [UniqueKey(("organization_id",))]
    assert keys["customers.customfieldvalue"] == [
        UniqueKey(("definition_id",), models.Q(contact__isnull=False))
    ]
    assert keys["customers.address"] == []


def _test_models():
    """Models of a later feature, known only to this test (app label "dedupe")."""

    class LoyaltyCard(models.Model):
        contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="+")
        number = models.CharField(max_length=20)
        tier = models.CharField(max_length=20, blank=True)

        class Meta:
            app_label = "dedupe"
            constraints = [
                models.UniqueConstraint(fields=["contact", "number"], name="test_card_unique")
            ]

        def __str__(self) -> str:
            return self.number

    class LoyaltyAccount(models.Model):
        contact = models.OneToOneField(Contact, on_delete=models.CASCADE, related_name="+")
        points = models.IntegerField(default=0)
        note = models.CharField(max_length=50, blank=True)

        class Meta:
            app_label = "dedupe"

        def __str__(self) -> str:
            return self.note

    class Campaign(models.Model):
        name = models.CharField(max_length=50)
        members = models.ManyToManyField(Contact, related_name="+")

        class Meta:
            app_label = "dedupe"

        def __str__(self) -> str:
            return self.name

    class EmailLabel(models.Model):
        email = models.ForeignKey(ContactEmail, on_delete=models.CASCADE, related_name="+")
        label = models.CharField(max_length=20)

        class Meta:
            app_label = "dedupe"

        def __str__(self) -> str:
            return self.label

    return LoyaltyCard, LoyaltyAccount, Campaign, EmailLabel


@pytest.fixture
def later_models(transactional_db):
    """Create the test-only tables; drop them and forget the models afterwards."""
    created = _test_models()
    with connection.schema_editor() as editor:
        for model in created:
            editor.create_model(model)
    yield created
    with connection.schema_editor() as editor:
        for model in reversed(created):
            editor.delete_model(model)
    registered = apps.all_models["dedupe"]
    for name in ("loyaltycard", "loyaltyaccount", "campaign", "campaign_members", "emaillabel"):
        registered.pop(name, None)
    apps.clear_cache()
    assert not {r.label for r in contact_relations() if r.label.startswith("dedupe.loyalty")}


def _pair(users):
    agent = users["agent_n"]
    a = contact_create(
        actor=agent, data=ContactInput(given_name="Ali", emails=[EmailInput("a@x.ir")])
    )
    b = contact_create(
        actor=agent, data=ContactInput(given_name="Ali R", emails=[EmailInput("a@x.ir")])
    )
    return a, b


def _rows(model, **lookup) -> list[dict]:
    return [row_values(r) for r in model.objects.filter(**lookup).order_by("pk")]


def test_rows_of_a_model_defined_only_in_a_test_are_merged_and_restored(later_models, users):
    """Given a card, an account and a campaign membership on both records (one card number and
    the account colliding), when B is merged into A, then B's rows are re-pointed or combined
    into A's; when the merge is undone, every row is back exactly."""
    LoyaltyCard, LoyaltyAccount, Campaign, _label = later_models
    a, b = _pair(users)
    LoyaltyCard.objects.create(contact=a, number="L1", tier="")
    LoyaltyCard.objects.create(contact=b, number="L1", tier="gold")
    LoyaltyCard.objects.create(contact=b, number="L2", tier="silver")
    LoyaltyAccount.objects.create(contact=a, points=5, note="")
    LoyaltyAccount.objects.create(contact=b, points=9, note="vip since 1399")
    spring, autumn = Campaign.objects.create(name="spring"), Campaign.objects.create(name="autumn")
    spring.members.add(a, b)
    autumn.members.add(b)
    tables = (LoyaltyCard, LoyaltyAccount, Campaign.members.through)
    before = [_rows(model) for model in tables], world_dump([a.pk, b.pk])

    merge = contact_merge(
        actor=users["agent_n"], survivor_public_id=a.public_id, other_public_ids=[b.public_id]
    )

    assert {(r.label, r.field.name) for r in contact_relations()} >= CORE | {
        ("dedupe.loyaltycard", "contact"),
        ("dedupe.loyaltyaccount", "contact"),
        ("dedupe.campaign_members", "contact"),
    }
    cards = LoyaltyCard.objects.order_by("number").values_list("contact_id", "number", "tier")
    assert list(cards) == [(a.pk, "L1", "gold"), (a.pk, "L2", "silver")]
    accounts = LoyaltyAccount.objects.values_list("contact_id", "points", "note")
    assert list(accounts) == [(a.pk, 5, "vip since 1399")]
    assert sorted(Campaign.objects.filter(members=a).values_list("name", flat=True)) == [
        "autumn",
        "spring",
    ]
    assert Campaign.members.through.objects.count() == 2
    assert not Contact.objects.filter(pk=b.pk).exists()

    merge_undo(actor=users["agent_n"], merge_public_id=merge.public_id)

    after = [_rows(model) for model in tables], world_dump([a.pk, b.pk])
    assert after[0] == before[0]
    assert after[1][b.pk] == before[1][b.pk]


def test_a_combined_row_that_other_rows_depend_on_stops_the_merge(later_models, users):
    """Given B's duplicate email carries a label (a row pointing at the email), when B is merged
    into A, then the merge is refused naming the tables, and nothing changed."""
    _card, _account, _campaign, EmailLabel = later_models
    a, b = _pair(users)
    EmailLabel.objects.create(email=b.emails.get(), label="billing")
    before = world_dump([a.pk, b.pk])

    with pytest.raises(Conflict) as exc:
        contact_merge(
            actor=users["agent_n"], survivor_public_id=a.public_id, other_public_ids=[b.public_id]
        )

    assert "customers.contactemail" in str(exc.value)
    assert "dedupe.emaillabel" in str(exc.value)
    assert world_dump([a.pk, b.pk]) == before
    assert EmailLabel.objects.get().email.contact_id == b.pk
    assert Merge.objects.count() == 0


@pytest.mark.django_db
def test_history_rows_of_the_merged_record_keep_pointing_at_it(users):
    """Given B's email has history, when B is merged into A, then that history still names B."""
    a, b = _pair(users)
    history = ContactEmail.history.model
    assert list(history.objects.values_list("contact_id", flat=True).order_by("history_id")) == [
        a.pk,
        b.pk,
    ]

    contact_merge(
        actor=users["agent_n"], survivor_public_id=a.public_id, other_public_ids=[b.public_id]
    )

    rows = history.objects.order_by("history_id").values_list("contact_id", "history_type")
    assert list(rows) == [(a.pk, "+"), (b.pk, "+"), (b.pk, "-")]
