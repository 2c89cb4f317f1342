"""Identity numbers: Iranian national ID (کد ملی) check digit."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from peyvand.common.persian import to_ascii_digits


def is_valid_iranian_national_id(value: str) -> bool:
    code = to_ascii_digits(value or "").strip()
    if len(code) != 10 or not code.isdigit() or len(set(code)) == 1:
        return False
    total = sum(int(code[i]) * (10 - i) for i in range(9))
    remainder = total % 11
    check = int(code[9])
    return check == remainder if remainder < 2 else check == 11 - remainder


def clean_national_id(value: str, *, country: str) -> str:
    """Return the national ID in ASCII digits; for Iran, validate its check digit."""
    code = to_ascii_digits(value or "").strip().replace("-", "").replace(" ", "")
    if not code:
        return ""
    if country.upper() == "IR":
        if len(code) < 10 and code.isdigit() and len(code) >= 8:
            code = code.zfill(10)  # Excel drops leading zeros
        if not is_valid_iranian_national_id(code):
            raise ValidationError(
                _("“%(value)s” is not a valid Iranian national ID (check digit does not match)."),
                code="invalid_national_id",
                params={"value": value},
            )
    return code
