"""Pure similarity functions for live duplicate hints: names, places and email domains.

Names are compared in the matching form of ``common.persian.search_key`` (so ي/ی, ك/ک, ZWNJ,
digits and hamza forms do not count as differences) with rapidfuzz. A Latin name and a
Persian one ("Ali Rezaei" and «علی رضائی») are compared through a *consonant skeleton*: both
are written as classes of consonants (ث/س/ص and "s" are one class; ذ/ز/ض/ظ and "z" another;
kh, gh, sh, ch, zh are one class each), short vowels (a, e, o and alef, ع) dropped, because
Persian does not write them, and the long vowels i/y → ی, u/ou/v/w → و kept. Doubled letters
collapse. The result is deterministic and tiny; it is not a transliterator, only good enough to
say that two common Iranian names are probably the same.

For finding Persian records from a Latin draft, ``latin_to_persian`` spells a Latin word in
the likeliest Persian ways (best first, a bounded number) so the search vocabulary can say
which of them exist.
"""

import heapq
import re
import unicodedata
from urllib.parse import urlsplit

from rapidfuzz import fuzz

from peyvand.common.persian import search_key

# --- scripts ----------------------------------------------------------------------------------

_PERSIAN_LETTER = re.compile(r"[\u0600-\u06ff]")
_LATIN_LETTER = re.compile(r"[a-z]")


def is_persian(text: str) -> bool:
    return bool(_PERSIAN_LETTER.search(text))


def is_latin(text: str) -> bool:
    return bool(_LATIN_LETTER.search(text)) and not is_persian(text)


def _ascii_letters(text: str) -> str:
    """Lower-case ASCII letters and spaces only ("Alí-Rezâei" → "ali rezaei")."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    kept = "".join(
        ch if "a" <= ch <= "z" else " " if ch.isspace() or ch in "-_." else "" for ch in decomposed
    )
    return " ".join(kept.split())


# --- consonant skeletons ---------------------------------------------------------------------

_FA_CLASS = {
    "ب": "b", "پ": "p", "ت": "t", "ط": "t", "ث": "s", "س": "s", "ص": "s", "ج": "j", "چ": "c",
    "ح": "h", "ه": "h", "خ": "x", "د": "d", "ذ": "z", "ز": "z", "ض": "z", "ظ": "z", "ژ": "Z",
    "ر": "r", "ش": "S", "غ": "q", "ق": "q", "ف": "f", "ک": "k", "گ": "g", "ل": "l", "م": "m",
    "ن": "n", "و": "v", "ی": "y", "ا": "", "ع": "",
}  # fmt: skip
_FA_VOWEL_LETTERS = {"ا", "و", "ی", "ع"}
_LATIN_DIGRAPHS = {
    "kh": "x", "gh": "q", "sh": "S", "ch": "c", "zh": "Z", "ph": "f",
    "ou": "v", "oo": "v", "ee": "y", "ei": "y", "ey": "y", "ie": "y",
}  # fmt: skip
_LATIN_CLASS = {
    "a": "",
    "e": "",
    "o": "",
    "i": "y",
    "y": "y",
    "u": "v",
    "w": "v",
    "v": "v",
    "c": "k",
    "x": "ks",
    "q": "q",
}


def _collapse(classes: str) -> str:
    out = []
    for ch in classes:
        if not out or out[-1] != ch:
            out.append(ch)
    return "".join(out)


def _persian_word_skeletons(word: str) -> list[str]:
    """A Persian word's skeleton, plus the one without a final ی read as "a" (مرتضی, موسی)."""
    letters = [ch for ch in word if ch in _FA_CLASS]
    if len(letters) > 2 and letters[-1] == "ه" and letters[-2] not in {"ا", "و"}:
        letters = letters[:-1]  # the silent final ه of فاطمه, زهره, مهدیه
    skeleton = _collapse("".join(_FA_CLASS[ch] for ch in letters))
    variants = [skeleton]
    if len(letters) > 2 and letters[-1] == "ی" and letters[-2] not in _FA_VOWEL_LETTERS:
        variants.append(_collapse("".join(_FA_CLASS[ch] for ch in letters[:-1])))
    return variants


def _latin_word_skeletons(word: str) -> list[str]:
    """A Latin word's skeleton, plus the one without an initial i read as the kasra of a
    Persian alef (Isfahan اصفهان, Ismail اسماعیل; but Iran ایران keeps it)."""
    skeleton = _latin_skeleton(word)
    if len(word) > 2 and word[0] == "i" and word[1] not in "aeiouy":
        return [skeleton, skeleton[1:]]
    return [skeleton]


def _latin_skeleton(word: str) -> str:
    if len(word) > 2 and word.endswith("eh"):
        word = word[:-1]  # Fatemeh, Zohreh: the h is the silent final ه
    out, i = [], 0
    while i < len(word):
        pair = word[i : i + 2]
        if pair in _LATIN_DIGRAPHS:
            out.append(_LATIN_DIGRAPHS[pair])
            i += 2
            continue
        ch = word[i]
        out.append(_LATIN_CLASS.get(ch, ch))
        i += 1
    return _collapse("".join(out))


def skeleton_words(name: str) -> list[list[str]]:
    """Each word of ``name`` as its consonant skeleton(s) (see the module docstring)."""
    key = search_key(name)
    if is_persian(key):
        return [_persian_word_skeletons(w) for w in key.split() if is_persian(w)]
    return [_latin_word_skeletons(w) for w in _ascii_letters(key).split()]


def skeleton(name: str) -> str:
    """The first skeleton of every word, space separated ("Ali Rezaei" → "ly rzy")."""
    return " ".join(words[0] for words in skeleton_words(name))


# --- name similarity ------------------------------------------------------------------------

CROSS_SCRIPT_WEIGHT = 0.95  # a skeleton match across scripts is never quite certain
ORGANIZATION_NOISE = frozenset(
    search_key(w)
    for w in (
        "شرکت", "سهامی", "خاص", "عام", "مسئولیت", "محدود", "موسسه", "مؤسسه", "گروه", "تعاونی",
        "company", "co", "corp", "corporation", "inc", "ltd", "llc", "limited", "group", "plc",
        "gmbh", "sa", "the",
    )
)  # fmt: skip


def name_key(name: str, *, organization: bool = False) -> str:
    """The matching form of a name; for organisations without legal-form words (شرکت, Ltd)."""
    key = search_key(name)
    if organization:
        words = [w for w in key.split() if w not in ORGANIZATION_NOISE]
        key = " ".join(words) or key
    return key


def _same_script_score(a: str, b: str) -> float:
    """Word order does not matter (given/family swapped); nor do spaces inside a name
    («محمد رضا» = «محمدرضا»)."""
    compact = fuzz.ratio(a.replace(" ", ""), b.replace(" ", ""))
    return max(fuzz.token_sort_ratio(a, b), compact)


def _best(word: list[str], others: list[list[str]]) -> float:
    return max(fuzz.ratio(x, y) for x in word for other in others for y in other)


def _cross_script_score(a: list[list[str]], b: list[list[str]]) -> float:
    """Skeletons word by word, both ways (every word of each name must have a close word in the
    other); with a different number of words, the whole skeletons without spaces."""
    if not a or not b:
        return 0.0
    if len(a) == len(b):
        score = min(min(_best(w, b) for w in a), min(_best(w, a) for w in b))
    else:
        score = max(
            fuzz.ratio("".join(x), "".join(y)) for x in _combinations(a) for y in _combinations(b)
        )
    return score * CROSS_SCRIPT_WEIGHT


def _combinations(words: list[list[str]]) -> list[list[str]]:
    combos: list[list[str]] = [[]]
    for variants in words:
        combos = [[*c, v] for c in combos for v in variants][:8]
    return combos


def name_similarity(a: str, b: str, *, organization: bool = False) -> int:
    """How alike two names are, 0–100, whatever their script and spelling variants."""
    key_a, key_b = name_key(a, organization=organization), name_key(b, organization=organization)
    if not key_a or not key_b:
        return 0
    if key_a == key_b or key_a.replace(" ", "") == key_b.replace(" ", ""):
        return 100
    persian_a, persian_b = is_persian(key_a), is_persian(key_b)
    if persian_a == persian_b:
        return round(_same_script_score(key_a, key_b))
    return round(_cross_script_score(skeleton_words(key_a), skeleton_words(key_b)))


# --- places -----------------------------------------------------------------------------------


def same_place(a: str, b: str) -> bool:
    """Two city (or province) names that mean the same place: «تهران» = «طهران» = "Tehran"."""
    key_a, key_b = search_key(a), search_key(b)
    if not key_a or not key_b:
        return False
    if key_a.replace(" ", "") == key_b.replace(" ", ""):
        return True
    # by skeleton, so old and new spellings (طهران, تهران) and scripts meet
    forms_a = {"".join(c) for c in _combinations(skeleton_words(key_a))}
    forms_b = {"".join(c) for c in _combinations(skeleton_words(key_b))}
    return bool(forms_a & forms_b - {""})


def address_similarity(a: str, b: str) -> int:
    """Street addresses, 0–100: the same words in any order («خیابان ولیعصر، پلاک ۱۲» and
    "پلاک 12 خیابان ولی‌عصر"), house numbers in any digits."""
    key_a, key_b = search_key(a), search_key(b)
    if not key_a or not key_b:
        return 0
    return round(fuzz.token_set_ratio(key_a, key_b))


# --- email and web domains --------------------------------------------------------------------

FREE_MAIL_DOMAINS = frozenset(
    {
        # international
        "gmail.com", "googlemail.com", "yahoo.com", "yahoo.co.uk", "yahoo.fr", "yahoo.de",
        "ymail.com", "rocketmail.com", "outlook.com", "hotmail.com", "hotmail.co.uk", "live.com",
        "msn.com", "icloud.com", "me.com", "mac.com", "aol.com", "proton.me", "protonmail.com",
        "pm.me", "mail.com", "gmx.com", "gmx.de", "gmx.net", "yandex.com", "yandex.ru", "mail.ru",
        "zoho.com", "tutanota.com", "fastmail.com", "hey.com",
        # Iranian free mail
        "chmail.ir", "mihanmail.ir",
    }
)  # fmt: skip


def email_domain(email: str) -> str:
    """The lower-case domain of an email address ("" when it has none)."""
    local, at, domain = (email or "").strip().lower().rpartition("@")
    return domain.strip(".") if at and local else ""


def is_free_mail(domain: str) -> bool:
    return domain in FREE_MAIL_DOMAINS


def website_domain(url: str) -> str:
    """The host of a website without ``www.``: "https://www.Acme.com/fa" → "acme.com"."""
    text = (url or "").strip().lower()
    if not text:
        return ""
    if "//" not in text:
        text = "//" + text
    host = urlsplit(text).hostname or ""
    return host.removeprefix("www.")


def same_domain(a: str, b: str) -> bool:
    """The same organisation's domain: equal, or one a subdomain of the other."""
    if not a or not b:
        return False
    return a == b or a.endswith("." + b) or b.endswith("." + a)


# --- Latin → Persian spellings ----------------------------------------------------------------

# (Persian, weight) alternatives; weights only order the guesses, likeliest first.
_ONE = {
    "b": [("ب", 1)], "p": [("پ", 1)], "j": [("ج", 1)], "d": [("د", 1)], "r": [("ر", 1)],
    "f": [("ف", 1)], "k": [("ک", 1)], "c": [("ک", 1)], "g": [("گ", 1)], "l": [("ل", 1)],
    "m": [("م", 1)], "n": [("ن", 1)], "v": [("و", 1)], "w": [("و", 1)], "x": [("کس", 1)],
    "t": [("ت", 0.8), ("ط", 0.2)],
    "s": [("س", 0.8), ("ص", 0.15), ("ث", 0.05)],
    "z": [("ز", 0.6), ("ض", 0.2), ("ظ", 0.1), ("ذ", 0.1)],
    "h": [("ه", 0.55), ("ح", 0.45)],
    "q": [("ق", 0.6), ("غ", 0.4)],
    "kh": [("خ", 1)], "gh": [("ق", 0.6), ("غ", 0.4)], "sh": [("ش", 1)], "ch": [("چ", 1)],
    "zh": [("ژ", 1)], "ph": [("ف", 1)],
    "u": [("و", 1)], "ou": [("و", 1)], "oo": [("و", 1)],
}  # fmt: skip
_VOWELS = {
    # unit: (word start, middle, word end)
    "a": ([("ا", 0.6), ("ع", 0.4)], [("", 0.5), ("ا", 0.4), ("ع", 0.1)],
          [("ا", 0.8), ("ی", 0.1), ("ه", 0.1)]),
    "aa": ([("آ", 1)], [("ا", 1)], [("ا", 1)]),
    "e": ([("ا", 0.8), ("ع", 0.2)], [("", 0.9), ("ع", 0.1)], [("ه", 0.9), ("", 0.1)]),
    "o": ([("ا", 0.6), ("او", 0.2), ("ع", 0.2)], [("", 0.6), ("و", 0.4)],
          [("و", 0.9), ("ه", 0.1)]),
    "i": ([("ای", 0.8), ("عی", 0.2)], [("ی", 1)], [("ی", 1)]),
}  # fmt: skip
_AFTER_VOWEL_I = [("یی", 0.5), ("ی", 0.3), ("عی", 0.2)]  # Rezaei رضایی, Esmaeil اسماعیل
_UNIT = re.compile(r"kh|gh|sh|ch|zh|ph|ou|oo|ee|ei|ey|ie|aa|([b-df-hj-np-tv-z])\1|.")


def _latin_units(word: str) -> list[list[tuple[str, float]]]:
    units = [m.group(0) for m in _UNIT.finditer(word)]
    result = []
    for index, unit in enumerate(units):
        position = 0 if index == 0 else 2 if index == len(units) - 1 else 1
        previous = units[index - 1] if index else ""
        if unit in {"ee", "ei", "ey", "ie", "i"} or (unit == "y" and index):
            if previous[-1:] in {"a", "e", "o"}:
                result.append(_AFTER_VOWEL_I)
            else:
                result.append(_VOWELS["i"][position] if unit != "y" else [("ی", 1)])
        elif unit == "y":
            result.append([("ی", 1)])
        elif unit in _VOWELS:
            if unit == "e" and position == 1 and index == len(units) - 2 and units[-1] == "h":
                result.append([("", 1)])  # Fatemeh: the e of a final -eh is the ه itself
                continue
            result.append(_VOWELS[unit][position])
        elif len(unit) == 2 and unit[0] == unit[1]:
            result.append(_ONE.get(unit[0], [(unit[0], 1)]))  # mm, ss, bb: one letter
        elif unit in _ONE:
            if unit == "h" and position == 2 and previous == "e":
                result.append([("ه", 1)])
            else:
                result.append(_ONE[unit])
        else:
            return []  # a character we cannot spell
    return result


def latin_to_persian(word: str, *, limit: int = 64) -> list[str]:
    """The likeliest Persian spellings of a Latin name word, best first, at most ``limit``
    (in the ``search_key`` form the search vocabulary stores)."""
    letters = _ascii_letters(word).replace(" ", "")
    if not letters:
        return []
    units = _latin_units(letters)
    if not units:
        return []
    beam: list[tuple[float, str]] = [(1.0, "")]
    for alternatives in units:
        expanded = [(w * a_w, text + a) for w, text in beam for a, a_w in alternatives]
        beam = heapq.nlargest(limit, expanded, key=lambda item: item[0])
    spellings = dict.fromkeys(search_key(text) for _, text in beam)
    return [s for s in spellings if s]
