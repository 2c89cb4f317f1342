"""vCards with hostile values: a note holding line breaks of every kind stays inside its own
card through an export and a re-import, and a very long line of parameters is read in one
pass."""

import io

import pytest
from django.core.management import call_command

from peyvand.customers.imports.readers import read_vcard, split_params
from peyvand.customers.services import ContactInput, contact_create

pytestmark = pytest.mark.django_db

FORGED = "BEGIN:VCARD\nVERSION:3.0\nFN:Forged\nEND:VCARD"


@pytest.mark.parametrize("newline", ["\r", "\n", "\r\n", "\x0b", "\x0c", "\x1c", "\x85", "\u2028"])
def test_a_note_with_line_breaks_cannot_forge_a_card(users, tmp_path, newline):
    """Given a contact whose notes try to end the card and start another one, when contacts
    are exported as vCards and the file is read back, then there is one card, with the note
    whole (line breaks read back as new lines)."""
    notes = f"call back{newline}END:VCARD{newline}{FORGED.replace(chr(10), newline)}"
    contact_create(actor=users["agent_n"], data=ContactInput(given_name="Ali", notes=notes))
    path = tmp_path / "contacts.vcf"

    call_command("export", "contacts", "--format", "vcf", "--user", "agent_n", "-o", str(path),
                 stdout=io.StringIO())  # fmt: skip

    text = path.read_text(encoding="utf-8")
    assert [line for line in text.splitlines() if line.startswith("BEGIN:")] == ["BEGIN:VCARD"]
    _source, rows = read_vcard(path)
    cards = [row for _number, row in rows]
    assert [card["FN"] for card in cards] == ["Ali"]
    assert cards[0]["NOTE"].split("\n") == [
        "call back", "END:VCARD", "BEGIN:VCARD", "VERSION:3.0", "FN:Forged", "END:VCARD"
    ]  # fmt: skip


def test_parameters_split_outside_quotes_only():
    """Then semicolons inside double quotes stay in their parameter."""
    assert split_params('TEL;TYPE="work;voice";PREF=1') == ["TEL", 'TYPE="work;voice"', "PREF=1"]
    assert split_params("EMAIL") == ["EMAIL"]
    assert split_params('X;A="b"c;D') == ["X", 'A="b"c', "D"]


def test_a_megabyte_of_semicolons_is_split_in_one_pass(tmp_path):
    """Given a card with a 1 MB line of semicolons (the old lookahead regex read the rest of the
    line at every one of them: hours), then it is split into its million and one empty
    parameters and the card's other lines are read."""
    line = "TEL" + ";" * 1_000_000 + ":+989121234567"
    params = split_params(line.partition(":")[0])
    assert len(params) == 1_000_001
    assert params[0] == "TEL" and set(params[1:]) == {""}
    path = tmp_path / "big.vcf"
    path.write_text(f"BEGIN:VCARD\nVERSION:3.0\nFN:Ali\n{line}\nEND:VCARD\n", encoding="utf-8")

    _source, rows = read_vcard(path)

    assert [(row["FN"], row["TEL"]) for _number, row in rows] == [("Ali", "+989121234567")]
