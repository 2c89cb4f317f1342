"""Why a detected pair looks like one person, in words: "same phone, similar given name".

A pair's explanation (``DetectedPair.explanation``) gives, per compared field, the level the
pair reached and that level's match weight. The weights are what the model adds up, not
something a person reads, so they are not shown; they only order the words, strongest
evidence first and evidence against last. Fields missing on either side are left out.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from peyvand.dedupe.batch.settings import COMPARISON_TEXT, LEVEL_TEXT

# Levels that read well as a phrase around the field's name; the others as "field: level".
_PHRASES = {
    "exact": gettext_lazy("same %(field)s"),
    "shared": gettext_lazy("same %(field)s"),
    "skeleton": gettext_lazy("same %(field)s in another spelling or script"),
    "close": gettext_lazy("%(field)s almost the same (a typo)"),
    "similar": gettext_lazy("similar %(field)s"),
    "one_digit": gettext_lazy("%(field)s one digit apart"),
    "two_digits": gettext_lazy("%(field)s two digits apart"),
    "different": gettext_lazy("different %(field)s"),
}


def explanation_words(explanation: dict[str, dict]) -> list[str]:
    """One phrase per compared field, strongest evidence first."""
    compared = [
        (-float(detail.get("weight", 0)), name, detail.get("level"))
        for name, detail in explanation.items()
        if detail.get("level") != "missing"
    ]
    words = []
    for _weight, name, level in sorted(compared):
        field = str(COMPARISON_TEXT.get(name, name))
        if level in _PHRASES:
            words.append(str(_PHRASES[level]) % {"field": field})
        else:
            text = str(LEVEL_TEXT.get(level, level))
            words.append(_("%(field)s: %(level)s") % {"field": field, "level": text})
    return words


def explanation_text(explanation: dict[str, dict]) -> str:
    """The words of :func:`explanation_words` in one line: "same phone; similar given name"."""
    return _("; ").join(explanation_words(explanation))
