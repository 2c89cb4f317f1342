"""``peyvand merge``: the same service and rules as the web and the API, acting as one user."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from peyvand.customers.models import Contact
from peyvand.dedupe.models import Merge
from peyvand.dedupe.tests.merge_world import overlapping_pair, world_dump

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command("merge", *args, stdout=out)
    return out.getvalue()


@pytest.fixture(autouse=True)
def _no_cli_user(settings):
    settings.PEYVAND_CLI_USER = ""


def test_merge_with_a_choice_then_undo(users):
    """Given two records, when merged with --choose given_name=B, then the output names the merge,
    what moved and how to undo; --undo restores B."""
    a, b = overlapping_pair(users)

    output = run(
        a.public_id, b.public_id, "--choose", f"given_name={b.public_id}", "--user", "agent_n"
    )

    merge = Merge.objects.get()
    lines = output.splitlines()
    assert lines[0] == f"Merged {b.public_id} into {a.public_id} (merge {merge.public_id})."
    assert "  customers.contactemail: 1 moved, 1 combined" in lines
    assert "  customers.contact_tags: 1 moved, 1 combined" in lines
    assert lines[-1] == f"Undo with: peyvand merge --undo {merge.public_id}"
    assert Contact.objects.get(pk=a.pk).given_name == "Ali"
    assert merge.created_by == users["agent_n"]

    undone = run("--undo", merge.public_id, "--user", "agent_n")

    assert undone == f"Undid merge {merge.public_id}: restored {b.public_id}.\n"
    assert Contact.objects.filter(pk=b.pk).exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["{a}"], "Name the surviving contact and at least one other: SURVIVOR OTHER…"),
        (
            ["{a}", "{a}", "--user", "agent_n"],
            "OTHER: A record cannot be merged with itself ({a}).",
        ),
        (["{a}", "{b}", "--choose", "given_name"], "--choose: “given_name” is not FIELD=PUBLIC_ID"),
        (["{a}", "{b}", "--user", "viewer_n"], "Your role cannot merge records or undo merges."),
        (["{a}", "{b}", "--user", "agent_s"], "No such contact: {a}."),
        (["--undo", "nosuchmerge00000"], "No such merge."),
        (["--undo", "x", "{a}"], "--undo MERGE_ID takes no contact ids and no --choose."),
    ],
)
def test_refusals_name_what_to_fix_and_change_nothing(users, args, message):
    a, b = overlapping_pair(users)
    before = world_dump([a.pk, b.pk])
    ids = {"a": a.public_id, "b": b.public_id}

    with pytest.raises(CommandError) as exc:
        run(*(arg.format(**ids) for arg in args))

    assert str(exc.value).startswith(message.format(**ids))
    assert world_dump([a.pk, b.pk]) == before
    assert Merge.objects.count() == 0
