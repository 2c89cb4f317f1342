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
]

# Expectation maximisation runs once per rule; a comparison whose column the rule uses is
# not estimated in that run, so every comparison is estimated by at least one of the two.
TRAINING_RULES = [
    block_on("phone"),
    block_on("full_key"),
]

# Pairs these rules find are almost surely duplicates; the share of all pairs they find,
# divided by the share of duplicates they are assumed to find (``DETERMINISTIC_RECALL``),
# estimates the prior probability that two random contacts are the same person.
DETERMINISTIC_RULES = [
    block_on("national_id"),
    block_on("phone", "name_skeleton"),
    block_on("email", "name_skeleton"),
]
DETERMINISTIC_RECALL = 0.7
NATIONAL_ID_CHANCE = 1e-6


def _level(sql: str, code: str, m: float | None = None) -> cll.CustomLevel:
    level = cll.CustomLevel(sql, label_for_charts=code)
    return level.configure(m_probability=m) if m is not None else level


def _one_digit_apart(column: str) -> str:
    """Equal length and one character different (a typo in a phone number or a date).

    Hamming, not (Damerau-)Levenshtein: DuckDB computes it about twenty times faster, and
    the levels are evaluated on millions of random pairs to estimate u."""
    return (
        f'CASE WHEN length("{column}_l") = length("{column}_r") '
        f'THEN hamming("{column}_l", "{column}_r") <= 1 ELSE false END'
    )


def _name() -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name="name",
        comparison_levels=[
            cll.NullLevel("full_key").configure(label_for_charts="missing"),
            cll.ExactMatchLevel("full_key").configure(
                label_for_charts="exact", tf_adjustment_column="full_key", m_probability=0.6
            ),
            _level(
                '"given_key_l" = "family_key_r" AND "family_key_l" = "given_key_r"',
                "reversed",
                0.02,
            ),
            _level('"name_skeleton_l" = "name_skeleton_r"', "skeleton", 0.15),
            _level('jaro_winkler_similarity("name_fuzzy_l", "name_fuzzy_r") >= 0.92', "close", 0.1),
            _level(
                'length("name_skeleton_l") >= 4 '
                'AND levenshtein("name_skeleton_l", "name_skeleton_r") <= 1',
                "skeleton_close",
                0.05,
            ),
            _level(
                'jaro_winkler_similarity("name_fuzzy_l", "name_fuzzy_r") >= 0.8', "similar", 0.04
            ),
            _level('"family_key_l" = "family_key_r"', "same_family", 0.02),
            cll.ElseLevel().configure(label_for_charts="different", m_probability=0.02),
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
        f'list_has_any("{column}_l", "{column}_r") AND {OTHER_GIVEN_NAME}',
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
            # a typed ID with one digit wrong (FEBRL corrupts IDs this way)
            _level(_one_digit_apart("national_id"), "one_digit", 0.04),
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
            cll.ExactMatchLevel("city").configure(label_for_charts="same_city", m_probability=0.4),
            cll.ElseLevel().configure(label_for_charts="different", m_probability=0.1),
        ],
    )


COMPARISONS = ("name", "email", "phone", "national_id", "birth_date", "place")


def detection_settings(*, prior: float) -> SettingsCreator:
    """The model, with ``prior`` as the probability that two random contacts are one person."""
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        probability_two_random_records_match=prior,
        comparisons=[_name(), _email(), _phone(), _national_id(), _birth_date(), _place()],
        blocking_rules_to_generate_predictions=PREDICTION_RULES,
        retain_matching_columns=True,  # the gamma (level) columns come with them
        retain_intermediate_calculation_columns=True,
        additional_columns_to_retain=[],
        max_iterations=20,
        em_convergence=0.001,
    )


# What each comparison and level code means, for people reading a detected pair.
COMPARISON_TEXT = {
    "name": _("name"),
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
    "skeleton": _("the same name in another spelling or script"),
    "close": _("almost the same (a typo)"),
    "skeleton_close": _("a close spelling"),
    "similar": _("similar"),
    "same_family": _("the same family name only"),
    "shared": _("a shared value"),
    "shared_other_given": _("shared, but another given name (a household or office?)"),
    "same_mailbox": _("the same mailbox name at another domain"),
    "one_digit": _("one digit apart"),
    "within_year": _("within a year"),
    "same_postal_code": _("the same postal code"),
    "same_city": _("the same city"),
    "different": _("different"),
}
