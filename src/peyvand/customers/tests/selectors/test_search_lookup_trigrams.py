"""Which trigrams the search index looks up for a token (a pure function of the sample)."""

from collections import Counter

from peyvand.customers.selectors.search import lookup_trigrams


def _sample(common: list[str], rare: dict[str, int] | None = None) -> tuple[int, Counter]:
    return 1000, Counter({**dict.fromkeys(common, 900), **(rare or {})})


def test_a_token_without_common_trigrams_is_looked_up_whole():
    sampled, counts = _sample(["exa", "xam"])
    assert lookup_trigrams("kamran", sampled, counts, word_only=False) == ["kamran"]


def test_a_whole_email_is_looked_up_by_its_rarest_trigrams():
    domain = ["@ex", "exa", "xam", "amp", "mpl", "ple", "le.", "e.c", ".co", "com"]
    sampled, counts = _sample(domain, {"kam": 60, "amr": 60, "mra": 40, "ran": 140, "an.": 100})
    token = "kamran.b7@example.com"
    # unseen trigrams (count 0) first, in the order they appear in the token
    assert lookup_trigrams(token, sampled, counts, word_only=False) == ["n.b", ".b7", "b7@"]


def test_only_common_trigrams_beside_the_rarest_are_left_out():
    sampled, counts = _sample(["091", "912"], {"123": 40})
    assert lookup_trigrams("09123", sampled, counts, word_only=False) == ["123"]


def test_pg_trgm_lookups_keep_every_trigram_of_letters_and_digits_but_the_very_common():
    domain = ["@ex", "exa", "xam", "amp", "mpl", "ple", "le.", "e.c", ".co", "com"]
    sampled, counts = _sample(domain, {"ran": 300})
    grams = lookup_trigrams("kamran.b7@example.com", sampled, counts, word_only=True)
    assert grams == ["kam", "amr", "mra", "ran"]


def test_pg_trgm_lookups_keep_a_token_whose_trigrams_are_not_very_common():
    sampled, counts = _sample([], {"091": 320, "912": 50})
    assert lookup_trigrams("09121", sampled, counts, word_only=True) == ["09121"]
