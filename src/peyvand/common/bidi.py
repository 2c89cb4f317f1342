"""Text leaving Peyvand for other programs (CSV files, the JSON API) without bidi controls.

The Persian catalog wraps placeholders in FSI … PDI (U+2068, U+2069) so that a Latin value
inside Persian text shows in its own direction in a browser. In a CSV cell or a JSON string
they are invisible characters that break searching, comparing and copying the value.
"""

_ISOLATES = str.maketrans("", "", "\u2066\u2067\u2068\u2069")


def without_isolates(text: str) -> str:
    """``text`` less the bidi isolate controls (LRI, RLI, FSI, PDI)."""
    return text.translate(_ISOLATES) if text else text
