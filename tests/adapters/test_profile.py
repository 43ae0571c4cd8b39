"""Column profiles and municipal mapping files, read through the converter."""

from __future__ import annotations

from pathlib import Path

import pytest

from kaa.adapters.profile import (
    BUILTIN_PROFILES,
    PROTECTION_WORDS,
    ColumnProfile,
    builtin_profile,
    names_protection,
)
from kaa.errors import ConfigurationError
from kaa.formats.text import normalise_heading

FIELDS = (
    "id, name, first_name, last_name, street, postal_code, city, email, phone, municipality, "
    "protected, home_basis, residence_start, compulsory_school_completed, arrived, "
    "arrived_after_compulsory_school_age, school_form, programme, enrolment_start, "
    "enrolment_end, cancelled, qualification, qualification_date, registered, "
    "registration_source, registration_reason, activity, kaa_end, kaa_end_reason, case_worker"
)
CODED = (
    "protected, home_basis, arrived_after_compulsory_school_age, school_form, programme, "
    "cancelled, qualification, registration_source, registration_reason, activity, "
    "kaa_end_reason"
)


# Pinned before the loader moved to kaa.convert, then changed on purpose: every message reads
# ``file: message @ $.path``; a wrong value names it; an unknown section or coded field and a
# wrong type are worded as in every other data file; a profile without [source] says so.

CODED_SORTED = ", ".join(sorted(CODED.split(", ")))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param(
            "[columns]\nnope = 'X'\n",
            f"mapping.toml: unknown field; use one of: {FIELDS} @ $.columns.nope",
            id="an unknown field lists the fields",
        ),
        pytest.param(
            "[values.programme]\nIM = 'intro'\n",
            "mapping.toml: 'intro' is not one of: national, introduction, general_course, "
            "upper_secondary_level, other, none @ $.values.programme.IM",
            id="a value that is not one of the library's lists them",
        ),
        pytest.param(
            "[values.name]\nx = 'y'\n",
            f"mapping.toml: unknown key(s): name (allowed: {CODED_SORTED}) @ $.values.name",
            id="values for a text field are refused",
        ),
        pytest.param(
            "[defaults]\nmunicipality = 1882\n",
            'mapping.toml: 1882 is not a kommunkod: write its four digits in quotes, e.g. "1882" '
            "@ $.defaults.municipality",
            id="a kommunkod written as a number is refused",
        ),
        pytest.param(
            "[file]\nencoding = 'ebcdic'\n",
            "mapping.toml: use one of: auto, utf-8, utf-8-sig, utf-16, cp1252, latin-1, cp850 "
            "@ $.file.encoding",
            id="an unknown encoding lists the encodings",
        ),
        pytest.param(
            "[file]\ndate_formats = ['dd/mm']\n",
            "mapping.toml: a list of iso, compact, slash, dotted, excel or strptime patterns "
            "with % @ $.file.date_formats",
            id="a date form without % is refused",
        ),
        pytest.param(
            "[extra]\n",
            "mapping.toml: unknown key(s): extra (allowed: columns, defaults, file, source, "
            "values) @ $.extra",
            id="an unknown section is refused",
        ),
        pytest.param(
            "[file]\ndelimiter = '|'\n",
            'mapping.toml: use "auto", ";", "," or "tab" @ $.file.delimiter',
            id="an unknown delimiter is refused",
        ),
        pytest.param(
            "[values.protected]\nJa = 'yes'\n",
            "mapping.toml: must be true or false, not text @ $.values.protected.Ja",
            id="a yes/no word mapped to text is refused",
        ),
        pytest.param(
            "[columns]\nid = []\n",
            "mapping.toml: a heading or a list of headings @ $.columns.id",
            id="an empty list of headings is refused",
        ),
        pytest.param(
            "[file]\nsheets = 'x'\n",
            "mapping.toml: unknown key(s): sheets (allowed: date_formats, delimiter, encoding, "
            "sheet) @ $.file.sheets",
            id="an unknown file setting is refused",
        ),
        pytest.param(
            "columns = 1\n",
            "mapping.toml: must be a table, not a whole number @ $.columns",
            id="a section that is not a table is refused",
        ),
        pytest.param(
            "[values.programme]\n'Nationellt program' = 'nat'\n",
            "mapping.toml: 'nat' is not one of: national, introduction, general_course, "
            "upper_secondary_level, other, none @ $.values.programme['Nationellt program']",
            id="a word with a space is named in brackets",
        ),
    ],
)
def test_the_mapping_loaders_messages_are_pinned(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "mapping.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigurationError) as info:
        builtin_profile("ist").with_mapping(path)
    assert str(info.value).replace(str(path), "mapping.toml") == message


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param(
            "[columns]\nid = 'x'\n",
            "p.toml: a profile needs a [source] table with name, title and description @ $.source",
            id="a profile without its source table is refused",
        ),
        pytest.param(
            "[source]\nname = 1\ntitle = 't'\ndescription = 'd'\n",
            "p.toml: must be text, not a whole number @ $.source.name",
            id="a source name written as a number is refused",
        ),
    ],
)
def test_the_profile_loaders_messages_are_pinned(text: str, message: str) -> None:
    with pytest.raises(ConfigurationError) as info:
        ColumnProfile.from_text(text, file="p.toml")
    assert str(info.value) == message


def test_a_mapping_changes_only_what_it_names(tmp_path: Path) -> None:
    path = tmp_path / "mapping.toml"
    path.write_text(
        "[file]\ndelimiter = 'tab'\n[defaults]\nmunicipality = '1882'\n"
        "[columns]\nid = 'Pnr'\n[values.programme]\n'Intro ' = 'introduction'\n",
        encoding="utf-8",
    )
    ist = builtin_profile("ist")
    mapped = ist.with_mapping(path)
    assert (mapped.delimiter, mapped.municipality, mapped.columns["id"]) == ("\t", "1882", ("Pnr",))
    assert mapped.columns["name"] == ist.columns["name"]
    assert mapped.values["programme"]["intro"].value == "introduction"
    assert mapped.encoding == ist.encoding
    assert mapped.files == (*ist.files, str(path))


# Protected identity (issue 11): headings and words compared on meaning.


@pytest.mark.parametrize(
    ("heading", "names"),
    [
        pytest.param("Skyddad identitet", True, id="skyddad identitet names protection"),
        pytest.param("Skyddade personuppgifter", True, id="skyddade personuppgifter does"),
        pytest.param("Skyddad folkbokföring", True, id="the statutory term does"),
        pytest.param("SKYDDAD_FOLKBOKFORING", True, id="the statutory term in capitals does"),
        pytest.param("Skyddad folkbokfo\u0308ring", True, id="a decomposed ö does"),
        pytest.param("Sekretessmarkering", True, id="sekretessmarkering does"),
        pytest.param("Sekretess", True, id="sekretess does"),
        pytest.param("Personuppgiftsspärr", True, id="a spärr does"),
        pytest.param("Sparr", True, id="spärr without diacritics does"),
        pytest.param("Protected identity", True, id="protected in English does"),
        pytest.param("Secrecy", True, id="secrecy does"),
        pytest.param("Confidential", True, id="confidential does"),
        pytest.param("securityMarking", True, id="the SS12000 field does"),
        pytest.param("Postort", False, id="the post town does not"),
        pytest.param("Folkbokföringskommun", False, id="the home municipality does not"),
        pytest.param("Sysselsättning", False, id="the activity does not"),
        pytest.param("Examensdatum", False, id="the day of the degree does not"),
    ],
)
def test_names_protection(heading: str, names: bool) -> None:
    assert names_protection(heading) is names


@pytest.mark.parametrize(
    ("a", "b"),
    [
        pytest.param("Skyddad identitet", "SKYDDAD_IDENTITET", id="case and underscore"),
        pytest.param("Skyddad identitet", "Skyddad-identitet", id="a hyphen"),
        pytest.param("Skyddad identitet", "Skyddad  identitet", id="two spaces"),
        pytest.param("Skyddad identitet", "Skyddad\u00a0identitet", id="a non-breaking space"),
        pytest.param("Skyddad identitet", '\ufeff"Skyddad identitet"', id="a BOM and quotes"),
        pytest.param("Skyddad identitet", "Skyddad\u200b identitet", id="a zero-width space"),
        pytest.param("Skyddad folkbokföring", "Skyddad folkbokfo\u0308ring", id="a decomposed ö"),
        pytest.param("Gymnasiesärskola", "GYMNASIESA\u0308RSKOLA", id="a decomposed Ä"),
    ],
)
def test_headings_and_words_written_differently_compare_equal(a: str, b: str) -> None:
    assert normalise_heading(a) == normalise_heading(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        pytest.param("Skyddad folkbokföring", "Skyddad folkbokforing", id="ö is not o"),
        pytest.param("-", "", id="a dash is not an empty cell"),
        pytest.param("Epost", "E-post", id="a hyphen is a word break, not nothing"),
    ],
)
def test_different_words_stay_different(a: str, b: str) -> None:
    assert normalise_heading(a) != normalise_heading(b)


@pytest.mark.parametrize("name", BUILTIN_PROFILES)
def test_every_profile_reads_the_registers_own_markings(name: str) -> None:
    table = builtin_profile(name).values["protected"]
    for word, protected in PROTECTION_WORDS.items():
        assert table[normalise_heading(word)] is protected
    assert table["ja"] is True
    assert table["nej"] is False


def test_a_custom_profile_reads_the_registers_own_markings_too() -> None:
    profile = ColumnProfile.from_text(
        "[source]\nname = 'x'\ntitle = 'X'\ndescription = 'x'\n[columns]\nid = 'Pnr'\n"
    )
    assert profile.values["protected"]["skyddad folkbokföring"] is True
    assert profile.values["protected"]["ingen"] is False


def test_a_mapping_word_for_protection_is_compared_on_meaning(tmp_path: Path) -> None:
    path = tmp_path / "mapping.toml"
    path.write_text("[values.protected]\n'SPÄRRAD_ADRESS' = true\n", encoding="utf-8")
    mapped = builtin_profile("ist").with_mapping(path)
    assert mapped.values["protected"][normalise_heading("Spärrad-adress")] is True
