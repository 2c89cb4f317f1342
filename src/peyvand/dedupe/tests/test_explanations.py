"""Why a detected pair was proposed, in words (``dedupe.explanations``), in en and fa."""

from django.utils import translation

from peyvand.dedupe.explanations import explanation_text, explanation_words

EXPLANATION = {
    "given": {"level": "skeleton", "weight": 5.1},
    "family": {"level": "similar", "weight": 2.0},
    "phone": {"level": "shared", "weight": 5.7},
    "email": {"level": "missing", "weight": 0},
    "birth_date": {"level": "different", "weight": -3.2},
    "place": {"level": "same_city", "weight": 0.4},
}


def test_the_strongest_evidence_comes_first_in_words_with_no_weights():
    with translation.override("en"):
        words = explanation_words(EXPLANATION)
    assert words == [
        "same phone",
        "same given name in another spelling or script",
        "similar family name",
        "city or postal code: the same city",
        "different birth date",
    ]


def test_the_line_reads_in_persian():
    with translation.override("fa"):
        text = explanation_text(EXPLANATION)
    assert text == (
        "تلفن یکسان؛ نام یکسان با املا یا خطی دیگر؛ نام خانوادگی مشابه؛ "
        "شهر یا کد پستی: شهر یکسان؛ تاریخ تولد متفاوت"
    )
