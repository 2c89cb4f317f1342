"""``peyvand merge SURVIVOR OTHER…`` and ``peyvand merge --undo MERGE_ID``: the same services and
permission rules as the web and the API, acting as one user."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from peyvand.common.cli import acting_user, validation_message
from peyvand.common.errors import Conflict, NotFound, PermissionDenied
from peyvand.dedupe.selectors import merge_summary
from peyvand.dedupe.services import contact_merge, merge_undo

ARGUMENTS = {"others": "OTHER", "__all__": ""}


def _choices(pairs: list[str]) -> dict[str, str]:
    choices = {}
    for pair in pairs:
        field, sep, public_id = pair.partition("=")
        if not sep or not field.strip() or not public_id.strip():
            raise CommandError(f"--choose: “{pair}” is not FIELD=PUBLIC_ID, e.g. birth_date=….")
        choices[field.strip()] = public_id.strip()
    return choices


class Command(BaseCommand):
    help = (
        "Merge duplicate contacts into SURVIVOR (emails, phones, tags, addresses, organisations, "
        "consents and custom values are all kept), or undo a merge with --undo MERGE_ID. Acts as "
        "--user, else $PEYVAND_CLI_USER, else the first admin."
    )

    def add_arguments(self, parser):
        parser.add_argument("ids", nargs="*", metavar="ID", help="SURVIVOR then OTHER…")
        parser.add_argument(
            "--choose", action="append", default=[], metavar="FIELD=PUBLIC_ID",
            help="take FIELD from that record (repeatable); otherwise non-empty values win",
        )  # fmt: skip
        parser.add_argument("--undo", metavar="MERGE_ID", help="undo this merge")
        parser.add_argument("--user", help="act as this user")

    def handle(self, *args, ids, choose, undo, user, **options):
        if undo and (ids or choose):
            raise CommandError("--undo MERGE_ID takes no contact ids and no --choose.")
        if not undo and len(ids) < 2:
            raise CommandError("Name the surviving contact and at least one other: SURVIVOR OTHER…")
        actor = acting_user(user)
        try:
            if undo:
                merge = merge_undo(actor=actor, merge_public_id=undo)
            else:
                merge = contact_merge(
                    actor=actor, survivor_public_id=ids[0], other_public_ids=ids[1:],
                    choices=_choices(choose),
                )  # fmt: skip
        except ValidationError as exc:
            raise CommandError(validation_message(exc, ARGUMENTS)) from exc
        except (NotFound, PermissionDenied, Conflict) as exc:
            raise CommandError(str(exc)) from exc
        self._report(actor, merge, undone=bool(undo))

    def _report(self, actor, merge, *, undone: bool) -> None:
        summary = merge_summary(actor=actor, merge=merge)
        merged = ", ".join(merge.merged_public_ids)
        if undone:
            self.stdout.write(f"Undid merge {merge.public_id}: restored {merged}.")
            return
        self.stdout.write(
            f"Merged {merged} into {summary.survivor_public_id} (merge {merge.public_id})."
        )
        for relation in summary.relations:
            self.stdout.write(
                f"  {relation.label}: {relation.moved} moved, {relation.combined} combined"
            )
        self.stdout.write(f"Undo with: peyvand merge --undo {merge.public_id}")
