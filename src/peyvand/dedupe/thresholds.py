"""Match thresholds as people type them: one scale, the percentage, everywhere a person meets
one (the review page, ``peyvand duplicates find --threshold``), the same scale the results are
shown in ("87%").

"90", "90%", «۹۰٪» and "87.5" are percentages. A number from 0 to 1 without a % sign is read
as a probability, as the first versions asked for ("0.9" is still 90%); so "1" is 100%, and
one per cent must be written "1%".
"""

_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩٫٪", "01234567890123456789.%")


def threshold_parse(text: str) -> float | None:
    """The probability (0–1) ``text`` means, or None if it is not a number. The range is for the
    service to check (``duplicate_run_create`` wants more than 0 and less than 1)."""
    raw = (text or "").strip().translate(_DIGITS).replace(" ", "").replace("/", ".")
    percent = raw.endswith("%")
    try:
        value = float(raw.rstrip("%").replace(",", "."))
    except ValueError:
        return None
    if value != value or value in (float("inf"), float("-inf")):  # nan, inf
        return None
    return value / 100 if percent or value > 1 else value


def threshold_percent(probability: float) -> str:
    """0.9 → "90", 0.875 → "87.5": how a threshold is offered back in a form field."""
    return f"{probability * 100:.1f}".removesuffix(".0")
