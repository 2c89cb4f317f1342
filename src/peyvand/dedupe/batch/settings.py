"""The splink model of batch duplicate detection: blocking rules, comparisons, training rules.

Every comparison level has a short *code* (its ``label_for_charts``), which is what a detected
pair keeps as its explanation ("name: skeleton, phone: shared"); ``LEVEL_TEXT`` says it in
the user's language.

Fuzzy name levels compare ``name_fuzzy`` (see ``features.FUZZY_TABLE``), not the Persian text.
"""

from django.utils.translation import gettext_lazy as _
from splink import SettingsCreator, block_on
from splink import comparison_level_library as cll
from splink import comparison_library as cl

# Candidate pairs: any one rule brings a pair in. Each rule keeps its blocks small on real
# data: a whole name alone would not (thousands of «علی رضایی» in a million contacts), nor a
# name with a city (half of them live in Tehran).
PREDICTION_RULES = [
    block_on("phones", arrays_to_explode=["phones"]),
    block_on("emails", arrays_to_explode=["emails"]),
    block_on("national_id"),
    block_on("email_local"),
    block_on("name_skeleton", "birth_year"),
    block_on("full_key", "postal_code"),
    block_on("birth_date", "substr(name_skeleton, 1, 2)"),
    # one side's given name is the other's family name (either written in the wrong field)
    "l.given_skeleton = r.family_skeleton AND l.family_skeleton = r.given_skeleton",
    # the same house: any two of house number, street, postal code and birth date
    block_on("house_number", "postal_code"),
    block_on("street_fuzzy", "postal_code"),
    block_on("street_fuzzy", "house_number"),
    block_on("birth_date", "postal_code"),
    block_on("birth_date", "house_number"),
    block_on("family_skeleton", "postal_code"),
    # the birth date and the family name's first letters: another given name (or none)
    block_on("birth_date", "substr(family_skeleton, 1, 2)"),
]

# Expectation maximisation runs once per rule; a comparison whose column the rule uses is
# not estimated in that run, so every comparison is estimated by at least one of the two.
# The birth date rule lets a table without phones (FEBRL) learn the name levels too.
TRAINING_COLUMNS = ["phone", "full_key", "birth_date"]
TRAINING_RULES = [block_on(column) for column in TRAINING_COLUMNS]

# Pairs these rules find are almost surely duplicates; the share of all pairs they find,
# divided by the share of duplicates they are assumed to find (``DETERMINISTIC_RECALL``),
# estimates the prior probability that two random contacts are the same person.
DETERMINISTIC_COLUMNS = [("national_id",), ("phone", "name_skeleton"), ("email", "name_skeleton")]
DETERMINISTIC_RULES = [block_on(*columns) for columns in DETERMINISTIC_COLUMNS]
DETERMINISTIC_RECALL = 0.7
NATIONAL_ID_CHANCE = 1e-6


def _level(sql: str, code: str, m: float | None = None) -> cll.CustomLevel:
    level = cll.CustomLevel(sql, label_for_charts=code)
    return level.configure(m_probability=m) if m is not None else level


def _digits_apart(column: str, digits: int) -> str:
    """Equal length and at most ``digits`` characters different (a typo in a phone number, a
    date or an ID; two swapped neighbours are two characters different).

    Hamming, not (Damerau-)Levenshtein: DuckDB computes it about twenty times faster, and
    the levels are evaluated on millions of random pairs to estimate u."""
    return (
        f'CASE WHEN length("{column}_l") = length("{column}_r") '
        f'THEN hamming("{column}_l", "{column}_r") <= {digits} ELSE false END'
    )


def _only_if(guard: str, condition: str) -> str:
    """``guard AND condition``, with ``condition`` evaluated only where ``guard`` holds: DuckDB
    computes both sides of an AND or OR over every pair, a CASE branch only over the pairs
    that reach it (a string distance over millions of random pairs costs most of a run)."""
    return f"CASE WHEN {guard} THEN {condition} ELSE false END"


def _edits_apart(column: str) -> str:
    """At most one edit apart (Levenshtein), computed only for values whose lengths differ by
    one at most (no other pair can be)."""
    left, right = f'"{column}_l"', f'"{column}_r"'
    return _only_if(
        f"abs(length({left}) - length({right})) <= 1", f"levenshtein({left}, {right}) <= 1"
    )


def _digit_typo(column: str) -> str:
    """Digits (ASCII) one typo apart: one wrong, missing or extra, or two neighbours swapped
    (Damerau-Levenshtein <= 1). Of equal length, only a pair at most two digits different
    can be; the cheap count of those (``hamming``) spares the costly distance on the rest."""
    left, right = f'"{column}_l"', f'"{column}_r"'
    distance = f"damerau_levenshtein({left}, {right}) <= 1"
    return (
        f"CASE WHEN length({left}) = length({right}) "
        f"THEN {_only_if(f'hamming({left}, {right}) <= 2', distance)} "
        f"WHEN abs(length({left}) - length({right})) = 1 THEN {distance} ELSE false END"
    )


def _one_digit_apart(column: str) -> str:
    return _digits_apart(column, 1)


def _fuzzy_close(column: str, similarity: float) -> str:
    return f'jaro_winkler_similarity("{column}_l", "{column}_r") >= {similarity}'


def _swapped(close: bool) -> str:
    """Given and family names swapped, spelt alike (keys or skeletons) or ``close``."""
    if close:
        return _only_if(
            _fuzzy_close_pair("given_fuzzy", "family_fuzzy", 0.9),
            _fuzzy_close_pair("family_fuzzy", "given_fuzzy", 0.9),
        )
    return (
        '("given_key_l" = "family_key_r" AND "family_key_l" = "given_key_r") OR '
        '("given_skeleton_l" = "family_skeleton_r" AND "family_skeleton_l" = "given_skeleton_r")'
    )


def _fuzzy_close_pair(left: str, right: str, similarity: float) -> str:
    return f'jaro_winkler_similarity("{left}_l", "{right}_r") >= {similarity}'


def _swap_level(code: str, condition: str, *, counted: bool, m: float) -> cll.CustomLevel:
    """A swap is one piece of evidence, but both name comparisons see it: the given name
    counts it, the family name's level is neutral (m = u, fixed), so it is not counted twice
    (splink would multiply the two as if they were independent)."""
    if counted:
        return _level(condition, code, m)
    return _level(condition, code).configure(
        m_probability=0.5, u_probability=0.5, fix_m_probability=True, fix_u_probability=True
    )


def _name_part(part: str, other: str) -> cl.CustomComparison:
    """One part of the name (``given`` or ``family``), compared on its own, so a typo or a
    wholly different value in one part still lets the other count.

    Both parts get the same top levels for a whole-name match: a name kept in one field on one
    side ("Mohammad Reza" as the given name) and split on the other is still the same name."""
    key, fuzzy, skeleton = f"{part}_key", f"{part}_fuzzy", f"{part}_skeleton"
    counted = part == "given"
    return cl.CustomComparison(
        output_column_name=part,
        comparison_levels=[
            cll.NullLevel(key).configure(label_for_charts="missing"),
            cll.ExactMatchLevel(key).configure(
                label_for_charts="exact", tf_adjustment_column=key, m_probability=0.8
            ),
            _level('"full_key_l" = "full_key_r"', "whole_name", 0.02),
            _swap_level("reversed", _swapped(close=False), counted=counted, m=0.02),
            _level(
                # a one-letter skeleton says little ("Leo" and "Ella" are both "l")
                f'("{skeleton}_l" = "{skeleton}_r" AND length("{skeleton}_l") > 1) '
                'OR "name_skeleton_l" = "name_skeleton_r"',
                "skeleton",
                0.05,
            ),
            _level(
                f"CASE WHEN {_fuzzy_close(fuzzy, 0.92)} THEN true ELSE {_edits_apart(fuzzy)} END",
                "close",
                0.06,
            ),
            _swap_level("reversed_close", _swapped(close=True), counted=counted, m=0.01),
            _level(
                f'"{key}_l" = "{other}_key_r" OR {_fuzzy_close(fuzzy, 0.8)}',
                "similar",
                0.03,
            ),
            cll.ElseLevel().configure(label_for_charts="different", m_probability=0.04),
        ],
    )


# Both given names known and clearly different (not a typo, not given/family swapped): a
# phone or email shared by such a pair is a household's or an office's, not one person's.
# Modelled as levels of their own because a shared phone and a different given name are not
# independent (splink assumes the comparisons are).
OTHER_GIVEN_NAME = (
    'levenshtein("given_skeleton_l", "given_skeleton_r") > 1 '
    'AND "given_skeleton_l" <> "family_skeleton_r" '
    'AND "family_skeleton_l" <> "given_skeleton_r"'
)


def _shared(column: str, m: float) -> cll.CustomLevel:
    """Any value in common (``list_has_any``: about three times faster than intersecting)."""
    return _level(f'list_has_any("{column}_l", "{column}_r")', "shared", m)


def _shared_other_given(column: str) -> cll.CustomLevel:
    return _level(
        _only_if(f'list_has_any("{column}_l", "{column}_r")', OTHER_GIVEN_NAME),
        "shared_other_given",
        0.01,
    )


def _email() -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name="email",
        comparison_levels=[
            cll.NullLevel("emails").configure(label_for_charts="missing"),
            _shared_other_given("emails"),
            _shared("emails", 0.7),
            _level('"email_local_l" = "email_local_r"', "same_mailbox", 0.15),
            cll.ElseLevel().configure(label_for_charts="different", m_probability=0.15),
        ],
    )


def _phone() -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name="phone",
        comparison_levels=[
            cll.NullLevel("phones").configure(label_for_charts="missing"),
            _shared_other_given("phones"),
            _shared("phones", 0.8),
            _level(_one_digit_apart("phone"), "one_digit", 0.05),
            cll.ElseLevel().configure(label_for_charts="different", m_probability=0.15),
        ],
    )


def _national_id() -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name="national_id",
        comparison_levels=[
            cll.NullLevel("national_id").configure(label_for_charts="missing"),
            # Two people never share a national ID but by a typing error. Sampled random pairs
            # of a small table are often the duplicates themselves, so u is fixed, not sampled.
            cll.ExactMatchLevel("national_id").configure(
                label_for_charts="exact",
                m_probability=0.95,
                u_probability=NATIONAL_ID_CHANCE,
                fix_u_probability=True,
            ),
            # a typed ID with one digit wrong, or two (two swapped neighbours among them)
            _level(_digits_apart("national_id", 1), "one_digit", 0.04),
            _level(_digits_apart("national_id", 2), "two_digits", 0.02),
            cll.ElseLevel().configure(label_for_charts="different", m_probability=0.01),
        ],
    )


def _birth_date() -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name="birth_date",
        comparison_levels=[
            cll.NullLevel("birth_date").configure(label_for_charts="missing"),
            cll.ExactMatchLevel("birth_date").configure(
                label_for_charts="exact", m_probability=0.85
            ),
            _level(_one_digit_apart("birth_date"), "one_digit", 0.07),
            # 1990-03-04 typed as 1990-04-03
            _level(
                'substr("birth_date_l", 1, 4) = substr("birth_date_r", 1, 4) '
                'AND substr("birth_date_l", 6, 2) = substr("birth_date_r", 9, 2) '
                'AND substr("birth_date_l", 9, 2) = substr("birth_date_r", 6, 2)',
                "day_month_swapped",
                0.01,
            ),
            cll.AbsoluteDateDifferenceLevel(
                "birth_date", input_is_string=True, threshold=1, metric="year"
            ).configure(label_for_charts="within_year", m_probability=0.04),
            cll.ElseLevel().configure(label_for_charts="different", m_probability=0.04),
        ],
    )


def _place() -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name="place",
        comparison_levels=[
            _level(
                '("city_l" IS NULL OR "city_r" IS NULL) '
                'AND ("postal_code_l" IS NULL OR "postal_code_r" IS NULL)',
                "missing",
            ).configure(is_null_level=True),
            cll.ExactMatchLevel("postal_code").configure(
                label_for_charts="same_postal_code", m_probability=0.5
            ),
            # one digit typed wrong or two neighbours swapped, or (same city) two digits
            _level(_digit_typo("postal_code"), "postal_code_typo", 0.1),
            _level(
                f'"city_l" = "city_r" AND {_digits_apart("postal_code", 2)}',
                "postal_code_close",
                0.03,
            ),
            cll.ExactMatchLevel("city").configure(label_for_charts="same_city", m_probability=0.3),
            cll.ElseLevel().configure(label_for_charts="different", m_probability=0.1),
        ],
    )


def _address() -> cl.CustomComparison:
    """The address line: house number and street (see ``features.address_forms``)."""
    street_close = _fuzzy_close("street_fuzzy", 0.88)
    return cl.CustomComparison(
        output_column_name="address",
        comparison_levels=[
            _level(
                '("street_fuzzy_l" IS NULL OR "street_fuzzy_r" IS NULL) '
                'AND ("house_number_l" IS NULL OR "house_number_r" IS NULL)',
                "missing",
            ).configure(is_null_level=True),
            _level(
                _only_if('"house_number_l" = "house_number_r"', street_close), "same_address", 0.7
            ),
            _level('"house_number_l" = "house_number_r"', "same_house_number", 0.1),
            _level(street_close, "same_street", 0.1),
            cll.ElseLevel().configure(label_for_charts="different", m_probability=0.1),
        ],
    )


COMPARISONS = (
    "given", "family", "email", "phone", "national_id", "birth_date", "address", "place",
)  # fmt: skip


def detection_settings(*, prior: float) -> SettingsCreator:
    """The model, with ``prior`` as the probability that two random contacts are one person."""
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        probability_two_random_records_match=prior,
        comparisons=[
            _name_part("given", "family"),
            _name_part("family", "given"),
            _email(),
            _phone(),
            _national_id(),
            _birth_date(),
            _address(),
            _place(),
        ],
        blocking_rules_to_generate_predictions=PREDICTION_RULES,
        retain_matching_columns=True,  # the gamma (level) columns come with them
        retain_intermediate_calculation_columns=True,
        additional_columns_to_retain=[],
        max_iterations=20,
        em_convergence=0.001,
    )


# What each comparison and level code means, for people reading a detected pair.
COMPARISON_TEXT = {
    "given": _("given name"),
    "family": _("family name"),
    "address": _("address"),
    "email": _("email"),
    "phone": _("phone"),
    "national_id": _("national ID"),
    "birth_date": _("birth date"),
    "place": _("city or postal code"),
}
LEVEL_TEXT = {
    "missing": _("missing on one side"),
    "exact": _("the same"),
    "reversed": _("given and family names swapped"),
    "reversed_close": _("given and family names swapped, with a typo"),
    "skeleton": _("the same name in another spelling or script"),
    "close": _("almost the same (a typo)"),
    "similar": _("similar"),
    "whole_name": _("the same whole name, split differently"),
    "day_month_swapped": _("day and month swapped"),
    "two_digits": _("two digits apart"),
    "postal_code_typo": _("a postal code with a typo"),
    "postal_code_close": _("a close postal code in the same city"),
    "same_address": _("the same house number and street"),
    "same_house_number": _("the same house number"),
    "same_street": _("the same street"),
    "shared": _("a shared value"),
    "shared_other_given": _("shared, but another given name (a household or office?)"),
    "same_mailbox": _("the same mailbox name at another domain"),
    "one_digit": _("one digit apart"),
    "within_year": _("within a year"),
    "same_postal_code": _("the same postal code"),
    "same_city": _("the same city"),
    "different": _("different"),
}
