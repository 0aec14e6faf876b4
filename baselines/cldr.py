"""Arabic names from the Unicode Common Locale Data Repository (CLDR), as shipped by Babel.

Babel is a maintained package whose locale data is CLDR's; the baselines read it at import time, offline,
and nothing else. Pinned exactly in ``pyproject.toml`` so that the gazetteers, and hence the results
table, do not move under a CLDR release. What is taken:

* countries and territories: ``Locale("ar").territories`` for the two-letter ISO 3166 codes (GPE), the
  UN M.49 numeric regions (continents and sub-regions: LOC), and the two supranational bodies CLDR
  names among its codes, EU and UN (ORG);
* cities: the exemplar city of every CLDR time zone (``Locale("ar").time_zones``), which covers most
  capitals and large cities;
* weekday names and Gregorian month names: ``Locale("ar")`` (يناير …), ``Locale("ar_SY")`` for the
  Levantine and Iraqi names (كانون الثاني …) and ``ar_MA``, ``ar_TN`` for the Maghrebi ones;
* language names (``Locale("ar").languages``) and currency names (``Locale("ar").currencies``).

pycountry's Arabic iso3166-1 catalogue was considered and not used: it gives official long forms with
shadda (الجمهوريّة العربيّة السّوريّة) and leaves some names untranslated, where news writes the short
forms CLDR has (سوريا).
"""

from __future__ import annotations

import functools

import babel

NOT_PLACES = {"EU", "UN", "EZ", "QO", "ZZ", "XA", "XB"}
ORGANISATIONS = ("EU", "UN")
NOT_REGIONS = {"001"}
"""'العالم' (the world) is a common noun in news, not a location name."""


@functools.cache
def _arabic(locale: str = "ar") -> babel.Locale:
    return babel.Locale.parse(locale)


def countries() -> list[str]:
    """Arabic names of countries and territories (ISO 3166-1 alpha-2), sorted by code."""
    territories = _arabic().territories
    return [territories[code] for code in sorted(territories) if code.isalpha() and code not in NOT_PLACES]


def regions() -> list[str]:
    """Arabic names of continents and world regions (UN M.49 numeric codes), sorted by code."""
    territories = _arabic().territories
    return [territories[code] for code in sorted(territories) if code.isdigit() and code not in NOT_REGIONS]


def organisations() -> list[str]:
    """Arabic names of the supranational bodies among CLDR's territory codes."""
    return [_arabic().territories[code] for code in ORGANISATIONS]


def cities() -> list[str]:
    """Exemplar cities of CLDR time zones, sorted by zone id."""
    zones = _arabic().time_zones
    return [zones[zone]["city"] for zone in sorted(zones) if "city" in zones[zone] and not zone.startswith("Etc/")]


def weekdays() -> list[str]:
    return [name for _, name in sorted(_arabic().days["format"]["wide"].items())]


def months() -> list[str]:
    """Gregorian month names in the standard, Levantine/Iraqi and Maghrebi usages (12 per usage)."""
    names: list[str] = []
    for locale in ("ar", "ar_SY", "ar_MA", "ar_TN"):
        names.extend(name for _, name in sorted(_arabic(locale).months["format"]["wide"].items()))
    return list(dict.fromkeys(names))


def languages() -> list[str]:
    names = _arabic().languages
    return [names[code] for code in sorted(names)]


def currencies() -> list[str]:
    names = _arabic().currencies
    return [names[code] for code in sorted(names)]
