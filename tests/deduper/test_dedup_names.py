"""Spelling variants of one name share a key; different people do not."""

from __future__ import annotations

from newsdesk.deduper.names import name_key, person_key, preferred_spelling, strip_office


def test_transliteration_variants_share_a_key() -> None:
    assert person_key("Sergey Lavrov") == person_key("Sergei Lavrov")
    assert person_key("Antony Blinken") == person_key("Anthony Blinken")
    assert name_key("Volodymyr Zelenskyy") == name_key("Volodymyr Zelensky")
    assert name_key("São Paulo") == name_key("Sao Paulo")


def test_different_people_keep_different_keys() -> None:
    assert person_key("Joe Biden") != person_key("Jill Biden")
    assert person_key("Mark Felt") != person_key("Mary Felt")


def test_honorifics_do_not_split_a_person() -> None:
    assert person_key("President Joe Biden") == person_key("Joe Biden")


def test_preferred_spelling_is_the_most_frequent_then_the_fuller_then_the_first() -> None:
    assert preferred_spelling([("Sergei Lavrov", 1), ("Sergey Lavrov", 1), ("Sergey Lavrov", 1)]) == "Sergey Lavrov"
    assert preferred_spelling([("Lavrov", 1), ("Sergey Lavrov", 1)]) == "Sergey Lavrov"
    assert preferred_spelling([("Sergei Lavrov", 1), ("Sergey Lavrov", 1)]) == "Sergei Lavrov"
    assert preferred_spelling([]) == ""


def test_an_office_glued_to_a_name_is_not_part_of_it() -> None:
    assert strip_office("Harbourtown Mayor Ines Calloway") == "Ines Calloway"
    assert person_key("Harbourtown Mayor Ines Calloway") == person_key("Ines Calloway")
    # A surname that is also a title stays: it is the person's name.
    assert person_key("Stephen King") != person_key("Stephen")
    assert strip_office("Anna Chief Walker") == "Anna Chief Walker"
