"""Persian letters spelled in Latin ones, for machine keys made from a label.

Letter by letter, from a small table: «سطح وفاداری» → "sth_vfadari". Persian does not write
short vowels, so neither does the key; a key only has to be Latin, readable and the same every
time, and a real romanisation would need a dictionary. Long vowels are spelled (ا → a, و → u,
ی → i; و and ی at the start of a word are v and y), a final ه is e («شماره» → "shmare"), ع is
a at the start of a word and silent elsewhere («علی» → "ali"). Accented Latin letters lose
their accents; anything else becomes a separator.
"""

import re
import unicodedata

from peyvand.common.persian import normalize_text, search_key

_LETTERS = {
    "ا": "a", "ب": "b", "پ": "p", "ت": "t", "ث": "s", "ج": "j", "چ": "ch", "ح": "h",
    "خ": "kh", "د": "d", "ذ": "z", "ر": "r", "ز": "z", "ژ": "zh", "س": "s", "ش": "sh",
    "ص": "s", "ض": "z", "ط": "t", "ظ": "z", "ع": "", "غ": "gh", "ف": "f", "ق": "gh",
    "ک": "k", "گ": "g", "ل": "l", "م": "m", "ن": "n", "و": "u", "ه": "h", "ی": "i",
}  # fmt: skip
_WORD_START = {"و": "v", "ی": "y", "ع": "a"}
_WORD_END = {"ه": "e"}
_SEPARATORS = re.compile(r"[^a-z0-9]+")


def _word_to_latin(word: str) -> str:
    spelled = []
    for index, letter in enumerate(word):
        if index == 0 and letter in _WORD_START:
            spelled.append(_WORD_START[letter])
        elif index == len(word) - 1 and index > 0 and letter in _WORD_END:
            spelled.append(_WORD_END[letter])
        else:
            spelled.append(_LETTERS.get(letter, letter))
    return "".join(spelled)


def latin_key(text: str, *, max_length: int = 50) -> str:
    """``text`` as a key of lower-case Latin letters, digits and ``_``; "" if nothing is left.

    «سطح وفاداری» → "sth_vfadari", "VIP level" → "vip_level", «کد ۲» → "kd_2"."""
    # search_key folds letter variants (آ → ا, ئ → ی, ۀ → ه), digits to ASCII and case.
    words = search_key(normalize_text(text)).split()
    spelled = "_".join(_word_to_latin(w) for w in words)
    spelled = unicodedata.normalize("NFKD", spelled).encode("ascii", "ignore").decode()
    key = _SEPARATORS.sub("_", spelled).strip("_")
    return key[:max_length].rstrip("_")
