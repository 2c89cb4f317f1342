"""Persian/Arabic text normalisation for storage, search and dedupe.

Two levels:

* :func:`normalize_text` is applied to every stored name/free text: Arabic-keyboard letters
  become Persian ones (ي/ى → ی, ك → ک), tatweel and vowel marks go (hamza and madda stay),
  ZWNJ runs are tidied and white space is collapsed. What the user sees stays Persian.
* :func:`search_key` is the matching form used for search documents, queries and identity keys:
  on top of the above it folds case, maps Persian/Arabic-Indic digits to ASCII, folds hamza and
  alef variants, turns ZWNJ and punctuation into nothing or a space.

Both are one ``str.translate`` pass plus a regex, so they are cheap enough for bulk imports.
"""

import re
import unicodedata

_ARABIC_TO_PERSIAN = {
    "\u064a": "\u06cc",  # ي ARABIC YEH → ی FARSI YEH
    "\u0649": "\u06cc",  # ى ALEF MAKSURA → ی
    "\u0643": "\u06a9",  # ك ARABIC KAF → ک KEHEH
}
_DIACRITICS = [chr(c) for c in range(0x064B, 0x0660)] + ["\u0670", "\u0640"]  # + tatweel
# What is stored keeps madda and hamza above/below (U+0653–U+0655): they are part of the letter
# (the hamza of «خانهٔ», «مسئله»), not vowel marks; only keys fold them.
_LETTER_MARKS = {"\u0653", "\u0654", "\u0655"}
# Control characters do harm when shown and nobody means them in a name: NUL, ESC (a terminal
# colour code in `peyvand contacts search`), DEL, the C1 controls, and the bidi embeddings,
# overrides and isolates (U+202E turned a list's links around). Those that separate lines or
# words become spaces; the rest go. ZWNJ, ZWJ, LRM and RLM stay: Persian needs them.
_SEPARATING_CONTROLS = "\x0b\x0c\x1c\x1d\x1e\x1f\x85\u2028\u2029"
_CONTROLS = [
    *(chr(c) for c in range(0x20) if chr(c) not in "\t\n\r" + _SEPARATING_CONTROLS),
    "\x7f",
    *(chr(c) for c in range(0x80, 0xA0) if chr(c) != "\x85"),
    *(chr(c) for c in range(0x202A, 0x202F)),
    *(chr(c) for c in range(0x2066, 0x206A)),
]
_STORE_TABLE = str.maketrans(
    {
        **_ARABIC_TO_PERSIAN,
        **dict.fromkeys(set(_DIACRITICS) - _LETTER_MARKS, None),
        **dict.fromkeys(_CONTROLS, None),
        **dict.fromkeys(_SEPARATING_CONTROLS, " "),
    }
)
# Text of several lines (notes): the same controls go, line separators become new lines.
_BLOCK_TABLE = str.maketrans(
    {**dict.fromkeys(_CONTROLS, None), **dict.fromkeys(_SEPARATING_CONTROLS, "\n")}
)

_DIGITS = {}
for _i in range(10):
    _DIGITS[chr(0x06F0 + _i)] = str(_i)  # Persian ۰-۹
    _DIGITS[chr(0x0660 + _i)] = str(_i)  # Arabic-Indic ٠-٩
DIGITS_TO_ASCII = str.maketrans(_DIGITS)
ASCII_TO_PERSIAN_DIGITS = str.maketrans({str(i): chr(0x06F0 + i) for i in range(10)})

_KEY_EXTRA = {
    "\u0623": "\u0627",  # أ → ا
    "\u0625": "\u0627",  # إ → ا
    "\u0622": "\u0627",  # آ → ا
    "\u0671": "\u0627",  # ٱ → ا
    "\u0624": "\u0648",  # ؤ → و
    "\u0626": "\u06cc",  # ئ → ی
    "\u0629": "\u0647",  # ة → ه
    "\u06c0": "\u0647",  # ۀ → ه
    "\u0654": None,  # hamza above
    "\u0621": None,  # lone hamza
    "\u200c": None,  # ZWNJ: "می‌خواهم" and "میخواهم" match
    "\u200d": None,  # ZWJ
    "\u200e": None,  # LRM
    "\u200f": None,  # RLM
    "\ufeff": None,  # BOM
}
_KEY_TABLE = str.maketrans(
    {**_ARABIC_TO_PERSIAN, **dict.fromkeys(_DIACRITICS, None), **_DIGITS, **_KEY_EXTRA}
)

_SPACES = re.compile(r"\s+")
_ZWNJ_RUN = re.compile(r"\u200c{2,}")
_ZWNJ_NEAR_SPACE = re.compile(r"\u200c*(\s+)\u200c*")
_NON_WORD = re.compile(r"[^\w@.+]+")


def normalize_text(value: str | None) -> str:
    """Return ``value`` as stored: Persian letters, no tatweel or diacritics, tidy spaces."""
    if not value:
        return ""
    # ۀ and ه + hamza above («خانهٔ») both stay as typed: they look the same, keys fold both
    text = unicodedata.normalize("NFKC", value).translate(_STORE_TABLE)
    if "\u200c" in text:
        text = _ZWNJ_RUN.sub("\u200c", text)
        text = _ZWNJ_NEAR_SPACE.sub(" ", text)
    if "  " in text or not text.isprintable():  # tabs, newlines, NBSP… (the common case skips)
        text = _SPACES.sub(" ", text)
    return text.strip(" \u200c")


def normalize_block(value: str | None) -> str:
    """Several lines of text (notes) as stored: as typed, with \\n for every kind of line
    break and no control characters (see ``_CONTROLS``)."""
    if not value:
        return ""
    return value.replace("\r\n", "\n").replace("\r", "\n").translate(_BLOCK_TABLE).strip()


def search_key(value: str | None) -> str:
    """Return the matching form of ``value``: lower case, ASCII digits, folded letter variants."""
    if not value:
        return ""
    text = unicodedata.normalize("NFKC", value).translate(_KEY_TABLE).casefold()
    text = _NON_WORD.sub(" ", text)
    return _SPACES.sub(" ", text).strip()


def compact_key(value: str | None) -> str:
    """The search key without spaces, so "علی رضا", "علی‌رضا" and "علیرضا" meet."""
    return search_key(value).replace(" ", "")


def to_ascii_digits(value: str) -> str:
    return value.translate(DIGITS_TO_ASCII)


def to_persian_digits(value: str) -> str:
    return value.translate(ASCII_TO_PERSIAN_DIGITS)
