"""The special-category guard (docs/architecture.md, principle 2: behaviour, not identity).

Free text that mentions religion, ethnicity, nationality, health, sexual orientation or
political opinion is flagged to the writer before it is saved. A term ending in ``*`` also
matches words that begin with it. Matching is case-insensitive and on word boundaries, so
"Jood" is flagged and "Joodse" only through "jood*", while "katholiek" is never found inside
another word.
"""

import re
from functools import cache

from django.conf import settings

# Dutch and English, grouped by category for readers of this list; the guard uses all of them.
TERMS: dict[str, tuple[str, ...]] = {
    "religion": (
        "religie*", "religieu*", "geloof*", "gelovig*", "moslim*", "islam*", "moskee*", "imam*",
        "christen*", "christelijk*", "kerk*", "katholiek*", "protestant*", "jood", "joden", "joods*",
        "synagoge*", "hindoe*", "boeddhis*", "atheïst*", "salafi*", "religion*", "religious",
        "muslim*", "mosque*", "christian*", "church*", "catholic*", "jew", "jews", "jewish",
        "hindu*", "buddhis*", "atheist*",
    ),
    "ethnicity": (
        "etnisch*", "etniciteit*", "afkomst*", "ras", "huidskleur*", "allochto*", "autochto*",
        "marokka*", "turks*", "turk", "surinam*", "antilliaan*", "somali*", "koerd*", "syrisch*",
        "afghaan*", "ethnic*", "race", "racial", "skin colour", "skin color", "moroccan*",
        "turkish", "kurd*", "syrian*", "afghan*",
    ),
    "nationality": (
        "nationaliteit*", "paspoort*", "staatsburger*", "vluchteling*", "asielzoeker*",
        "nationality", "nationalities", "passport*", "citizenship", "refugee*", "asylum seeker*",
    ),
    "health": (
        "gezondheid*", "diagnose*", "psychisch*", "psychiatr*", "depressi*", "psychose*",
        "autisme", "autistisch*", "adhd", "medicijn*", "medicatie", "verslav*", "ziekte*",
        "health", "diagnos*", "mental illness", "psychiatric", "psychosis", "autism", "autistic",
        "medication", "addict*", "illness*",
    ),
    "sexual_orientation": (
        "homo", "homoseksu*", "homofiel*", "lesbi*", "biseksu*", "transgender*", "seksuele geaardheid", "geaardheid",
        "gay", "bisexual*", "sexual orientation", "queer",
    ),
    "political_opinion": (
        "politieke voorkeur", "politieke overtuiging", "stemt op", "partijlid*", "vakbond*",
        "political opinion*", "political view*", "votes for", "party member*", "trade union*",
    ),
}


def _pattern(term: str) -> str:
    stem, wildcard = (term[:-1], True) if term.endswith("*") else (term, False)
    body = r"\s+".join(re.escape(part) for part in stem.split())
    return rf"\b{body}\w*" if wildcard else rf"\b{body}\b"


@cache
def _compiled(extra: tuple[str, ...]) -> re.Pattern[str]:
    terms = [term for group in TERMS.values() for term in group] + [t.lower() for t in extra]
    return re.compile("|".join(_pattern(term) for term in terms), re.IGNORECASE | re.UNICODE)


def flagged_terms(*texts: str) -> list[str]:
    """The words in ``texts`` that touch a special category, in order of appearance, once each."""
    pattern = _compiled(tuple(settings.SPECIAL_CATEGORY_EXTRA_TERMS))
    found: list[str] = []
    for text in texts:
        for match in pattern.finditer(text or ""):
            word = match.group(0).lower()
            if word not in found:
                found.append(word)
    return found
