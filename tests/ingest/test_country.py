"""Countries of patents (publication-number prefix) and of papers (affiliation strings)."""

import pytest

from innograph.ingest.country import (
    countries_of_affiliations,
    country_from_publication_number,
    country_name,
    country_of_affiliation,
    is_known_code,
)


@pytest.mark.parametrize(
    "pn, code",
    [
        ("US10123456B2", "US"),
        ("us10123456b2", "US"),
        ("CN112345678A", "CN"),
        ("JP2020123456A", "JP"),
        ("KR101234567B1", "KR"),
        ("EP3123456A1", "EP"),  # office, not a country
        ("EP-3123456-A1", "EP"),
        ("WO2020123456A1", "WO"),
        ("WO-2020123456-A1", "WO"),
        ("DE102019123456A1", "DE"),
        ("SU123456A1", "SU"),  # historic
        ("  US-2015112182-A1", "US"),
        ("XX123456A", None),  # unknown prefix
        ("ZZ123", None),
        ("12345678", None),
        ("U1234", None),
        ("", None),
    ],
)
def test_country_from_publication_number(pn, code):
    assert country_from_publication_number(pn) == code


def test_country_from_publication_number_none():
    assert country_from_publication_number(None) is None


def test_is_known_code_and_names():
    assert is_known_code("US") and is_known_code("EP") and is_known_code("WO") and is_known_code("SU")
    assert not is_known_code("XX")
    assert not is_known_code("us")  # codes are upper case
    assert country_name("US") == "United States"
    assert country_name("KR") == "South Korea"  # pycountry's common name wins
    assert country_name("EP") == "European Patent Office"
    assert country_name("WO") == "WIPO (PCT)"
    assert "Soviet" in country_name("SU")
    assert country_name("XX") is None


@pytest.mark.parametrize(
    "affiliation, code",
    [
        # names and aliases
        ("Tsinghua University, Beijing 100084, China", "CN"),
        ("Google Research, Mountain View, CA, USA", "US"),
        ("MIT, Cambridge, MA 02139, U.S.A.", "US"),
        ("University of Oxford, Oxford, UK", "GB"),
        ("University of Edinburgh, Scotland", "GB"),
        ("Imperial College London, United Kingdom", "GB"),
        ("Fudan University, Shanghai, P.R. China", "CN"),
        ("Fudan University, Shanghai, PR China", "CN"),
        ("KAIST, Daejeon, South Korea", "KR"),
        ("KAIST, Daejeon, Republic of Korea", "KR"),
        ("KAIST, Daejeon, Korea", "KR"),
        ("Seoul National University, Seoul, Korea, Republic of", "KR"),
        ("Pyongyang, North Korea", "KP"),
        ("Moscow State University, Moscow, Russia", "RU"),
        ("Delft University of Technology, The Netherlands", "NL"),
        # ISO alpha-3 and an alpha-2 that is no US state
        ("INRIA, Paris, FRA", "FR"),
        ("INRIA, Paris, FR", "FR"),
        # accents
        ("ETH Zürich, Zürich, Switzerland", "CH"),
        ("Université Félix Houphouët-Boigny, Abidjan, Côte d'Ivoire", "CI"),
        ("Universidade de São Paulo, São Paulo, Brasil", None),  # Portuguese name: not known
        ("Universidade de São Paulo, São Paulo, Brazil", "BR"),
        # US states: ZIP-coded code, full names
        ("Stanford University, Stanford, CA 94305", "US"),
        ("Stanford University, Stanford, CA 94305-9025", "US"),
        ("Harvard University, Cambridge, Massachusetts", "US"),
        ("University of Texas, Austin, Texas 78712", "US"),
        ("University of New Mexico, Albuquerque, New Mexico", "US"),  # not Mexico
        ("Princeton University, Princeton, New Jersey", "US"),  # not Jersey
        ("Atlanta, Georgia", "GE"),  # documented: the country wins over the state
        # Chinese provinces and municipalities without the country
        ("Zhejiang University, Hangzhou, Zhejiang", "CN"),
        ("Sun Yat-sen University, Guangzhou, Guangdong 510275", "CN"),
        ("Peking University, Beijing 100871", "CN"),
        ("Inner Mongolia University, Hohhot, Inner Mongolia", "CN"),  # not Mongolia
        ("Ulaanbaatar, Mongolia", "MN"),
        ("Lhasa, Tibet", "CN"),
        # ambiguous: a bare two-letter code that is also a US state code (CA: California/Canada)
        ("Stanford University, Stanford, CA", None),
        ("Berlin, DE", None),  # DE: Delaware / Germany
        ("Cambridge, MA", None),  # MA: Massachusetts / Morocco
        # nothing to find
        ("Department of Computer Science", None),
        ("", None),
    ],
)
def test_country_of_affiliation(affiliation, code):
    assert country_of_affiliation(affiliation) == code


def test_countries_of_affiliations_dedupe_and_order():
    text = ("Stanford University, Stanford, CA 94305, USA; Tsinghua University, Beijing, China;"
            " MIT, Cambridge, MA 02139; Peking University, Beijing 100871, China;"
            " Stanford, CA; ETH Zürich, Switzerland")
    assert countries_of_affiliations(text) == ["US", "CN", "CH"]


def test_countries_of_affiliations_other_separators_and_empty():
    assert countries_of_affiliations("Kyoto University, Japan | INRIA, France\nUK") == ["JP", "FR", "GB"]
    assert countries_of_affiliations("Seoul, Korea;;  ; Stanford, CA") == ["KR"]
    assert countries_of_affiliations("") == []
    assert countries_of_affiliations(None) == []
    assert countries_of_affiliations("Stanford, CA") == []
