"""Typo tolerance by a deletion neighbourhood (the SymSpell idea), pure functions.

Every name word of four or more characters is stored with each of its one-character deletions
("variants"). Two words within one edit (insert, delete, substitute or swap two neighbours)
share at least one variant, so the words close to a typed token are found by an exact,
indexed lookup of the token's own variants — no scan of the names, whatever their number.
The lookup returns a few false friends (two edits in some shapes); ``close_words`` drops them.
"""

from rapidfuzz.distance import OSA

MIN_WORD = 4  # shorter words are matched exactly: one edit in three letters is another name
MAX_WORD = 40  # longer "words" (pasted junk, compact long names) are not worth the variants


def variants(word: str) -> set[str]:
    """``word`` and every string one deletion away from it."""
    return {word} | {word[:i] + word[i + 1 :] for i in range(len(word))}


def typo_words(name_key: str) -> set[str]:
    """The words of a name's search key that get typo tolerance. (Not the name without its
    spaces: those are combinations, which would multiply the vocabulary by the customers.)"""
    return {w for w in name_key.split() if MIN_WORD <= len(w) <= MAX_WORD and not w.isdigit()}


def variant_rows(words: set[str]) -> list[tuple[str, str]]:
    """(variant, word) pairs to store for ``words``."""
    return [(variant, word) for word in sorted(words) for variant in variants(word)]


def max_edits(token: str) -> int:
    return 1 if len(token) < 8 else 2


def close_words(token: str, candidates: set[str]) -> list[str]:
    """The candidates within the edits a token of this length allows, closest first."""
    limit = max_edits(token)
    scored = []
    for word in candidates:
        distance = OSA.distance(token, word, score_cutoff=limit)
        if distance <= limit:
            scored.append((distance, word))
    return [word for _, word in sorted(scored)]
