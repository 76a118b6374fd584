"""Quote speakers: one test per attribution rule, on short news sentences written for these tests."""

import pytest

from newsdesk.extractor import extract
from newsdesk.records import CleanArticle


def speakers(text: str) -> dict[str, str | None]:
    out = extract(CleanArticle(id="s", text=text))
    return {q.text: q.speaker for q in out.quotes}


def test_a_speech_word_after_a_determiner_is_a_noun():
    got = speakers("Finance Minister Rosa Albers said the plan was \"a waste of public money\" that "
                   "Governor Tim Reyes wants to pass on to the states.")
    assert got["a waste of public money"] == "Rosa Albers"


def test_a_participle_after_a_quote_is_not_followed_by_its_speaker():
    got = speakers("Mayor Dana Whitfield said there was \"more work to do,\" noting weak demand in Canada "
                   "and Mexico.")
    assert got["more work to do,"] == "Dana Whitfield"


def test_a_preposition_object_after_a_quote_does_not_speak():
    got = speakers("Senator Paul Greer said the ruling had \"kept us safe\" on Twitter before claiming "
                   "that the court was divided.")
    assert got["kept us safe"] == "Paul Greer"


def test_an_opening_adverb_is_not_the_subject():
    got = speakers("Early in his campaign, Governor Ray Dunmore attacked his rival, calling him "
                   "\"a failed candidate.\"")
    assert got["a failed candidate."] == "Ray Dunmore"


def test_a_description_with_a_place_in_it_is_a_speaker():
    got = speakers("Sooner or later, the New Jersey governor told reporters, \"the hard work starts to pay off.\"")
    assert got["the hard work starts to pay off."] == "the New Jersey governor"


def test_a_clause_between_commas_does_not_hide_the_subject():
    got = speakers("Hanna Berg, while touring a flooded farm on Monday, called the response "
                   "\"far too slow for these families.\"\n"
                   "A Danish official, speaking on condition of anonymity to discuss the prime minister's plans, "
                   "said Wednesday that Frederiksen \"will meet any leader who asks.\"")
    assert got["far too slow for these families."] == "Hanna Berg"
    assert got["will meet any leader who asks."] == "A Danish official"


def test_a_participle_joined_to_another_shares_its_subject():
    got = speakers("Rivals were quick to react, with Laura Stein tweeting that it was a \"disgrace\" and "
                   "asking, \"How can anyone trust this government now?\"")
    assert got["disgrace"] == "Laura Stein"
    assert got["How can anyone trust this government now?"] == "Laura Stein"


def test_a_preposition_object_before_a_participle_does_not_speak():
    got = speakers("Omar Haddad answered a question on Facebook writing, \"Yes, I will run again next year.\"")
    assert got["Yes, I will run again next year."] == "Omar Haddad"


def test_a_quote_ending_its_paragraph_takes_no_name_from_the_next_one():
    got = speakers("\"We will not leave this square,\" said union leader Petra Novak. \"Not today, not tomorrow!\"\n"
                   "Demonstrators have camped in the square since Friday.")
    assert got["Not today, not tomorrow!"] == "Petra Novak"


def test_a_byline_after_reported_speech_is_no_signature():
    got = speakers("Prime Minister Luis Ortega said Monday that he will \"try to form a stable government\" "
                   "and that his party was \"still the largest force in the country.\"--Ann Fowler\n")
    assert got["still the largest force in the country."] == "Luis Ortega"


def test_by_names_the_speaker_only_after_a_passive_verb():
    got = speakers("Rabbi Ezra Salkin said the vigil gave a voice to those \"both frightened and angry\" by "
                   "Ray Pike and his plans.\n"
                   "The inquiry, often described as a \"political circus\" by Democrats, went on for months.")
    assert got["both frightened and angry"] == "Ezra Salkin"
    assert got["political circus"] == "Democrats"


@pytest.mark.parametrize("text, quote, speaker", [
    ("Senator Ivo Marek accuses the minister of \"hiding the figures\" and Tom Reyes says he is "
     "\"right to be angry.\"", "hiding the figures", "Ivo Marek"),
    ("Speaker Paula Ryland said she was \"not ready\" to back the bill, and suggested that Karl Moss "
     "needed to change it.", "not ready", "Paula Ryland"),
    ("Governor Lee Tran called the system \"rigged\" in a speech on Tuesday, and a few Republican lawmakers "
     "have called for an inquiry.", "rigged", "Lee Tran"),
])
def test_a_verb_in_a_later_clause_is_not_the_quote_s(text, quote, speaker):
    assert speakers(text)[quote] == speaker


def test_titles_of_works_markup_and_handles_are_not_quotes():
    out = extract(CleanArticle(id="t", text=(
        "She appeared on \"Meet the Press\" and on \"Orange is the New Black\" last year.\n"
        "The tweet was posted at \"2016-06-29\" by \"@cityhall\".\n"
        "Mayor Ada Lind called the plan \"reckless.\"")))
    assert [(q.text, q.speaker) for q in out.quotes] == [("reckless.", "Ada Lind")]


def test_a_description_in_apposition_is_the_person_before_it():
    got = speakers("Introduced by Joe Arlen, the Arizona sheriff, Mark Diaz told the crowd that "
                   "\"we will build it\" soon.\n"
                   "Mark Diaz thanked Joe Arlen, the Arizona sheriff, who said the crowd was \"the biggest ever.\"")
    assert got["the biggest ever."] == "Joe Arlen"


def test_a_participle_in_the_previous_sentence_takes_the_main_subject():
    got = speakers("Bolton distanced himself from the Never Again movement by saying he would help if asked.\n"
                   "Bolton distanced himself from the Never Again movement by saying he would help if asked. "
                   "\"I am going to support him, and support him with enthusiasm.\"")
    assert got["I am going to support him, and support him with enthusiasm."] == "Bolton"


def test_who_was_asked_is_not_the_speaker_but_who_asked():
    got = speakers("Senator Rhea Colt was asked by Channel Nine host Gerard Blume whether the plan would "
                   "risk \"adding another expensive program to the budget.\"")
    assert got["adding another expensive program to the budget."] == "Gerard Blume"


def test_a_coordinated_clause_has_its_own_subject():
    got = speakers("If you doubt the figures, the Daily Courier will call you a liar and the Evening Star "
                   "will accuse you of a \"panic attack.\"")
    assert got["panic attack."] == "Evening Star"


def test_a_connective_and_a_second_opener_are_skipped():
    got = speakers("Moreover, as part of the exchange with Clinton, Gowdy cited a report that "
                   "\"less than one percent of the emails\" were kept.")
    assert got["less than one percent of the emails"] == "Gowdy"


def test_a_title_case_headline_is_not_a_name():
    out = extract(CleanArticle(id="h", text=(
        "Donald Trump spoke in Iowa on Monday.\n"
        "The National Review Crowd Does Not Like Donald Trump\n"
        "\"They sue,\" Trump said. \"Everybody sues, right?\"")))
    assert {q.speaker for q in out.quotes} == {"Donald Trump"}


@pytest.mark.parametrize("text, quote, speaker", [
    ("\"We have a ton of work to do,\" said a longtime adviser to both candidates.",
     "We have a ton of work to do,", "a longtime adviser to both candidates"),
    ("\"She has to win the South first,\" added a South Carolina Democrat.",
     "She has to win the South first,", "a South Carolina Democrat"),
    ("\"It was handled far too lightly,\" said a former U.S. law enforcement official who knew the case.",
     "It was handled far too lightly,", "a former U.S. law enforcement official"),
])
def test_an_unnamed_speaker_after_the_verb_is_described(text, quote, speaker):
    assert speakers(text)[quote] == speaker


def test_a_spokesperson_speaks_for_the_person_not_as_the_person():
    got = speakers("Senator Alan Grove has not commented.\n"
                   "Grove's spokeswoman challenged the claim that he had ever \"attacked\" the governor.\n"
                   "\"We never asked for an endorsement,\" Grove's campaign said in a statement.")
    assert got["attacked"] == "Alan Grove’s spokeswoman"
    assert got["We never asked for an endorsement,"] == "Alan Grove’s campaign"


def test_headings_adverbs_and_contractions_are_not_speakers():
    got = speakers("\"That is because this region will always matter to us,\" the minister said.\n"
                   "TRUMP COUNTER\n"
                   "Hastily criticizing the attack, Senator Ida Marsh blamed her rivals for "
                   "the \"failed strategy.\"")
    assert got["That is because this region will always matter to us,"] == "the minister"
    assert got["failed strategy."] == "Ida Marsh"


def test_a_surname_that_is_also_a_common_or_national_word():
    got = speakers("Billionaire investor Mark Cuban spoke on Sunday. Clinton would have to "
                   "\"move more to the center,\" Cuban said.\n"
                   "Columnist George Will wrote about the race. \"It is a disgrace to the party,\" Will wrote.")
    assert got["move more to the center,"] == "Mark Cuban"
    assert got["It is a disgrace to the party,"] == "George Will"


def test_a_quote_inside_an_opening_phrase_belongs_to_the_main_subject():
    got = speakers("Acknowledging that the mayor \"says a lot of silly things,\" though, Allen Park did "
                   "suggest that the city needs him.")
    assert got["says a lot of silly things,"] == "Allen Park"


def test_an_age_in_apposition_does_not_hide_the_subject():
    got = speakers("Nora Quill, 34, of Marlow, Okla., said she had not given up hope of a late \"surprise,\" "
                   "because turnout was up.")
    assert got["surprise,"] == "Nora Quill"


def test_a_given_name_ending_in_ly_is_no_opening_adverb():
    got = speakers("Shelly Marston backed the mayor on Tuesday, saying it is time for \"a fresh start at "
                   "City Hall.\"")
    assert got["a fresh start at City Hall."] == "Shelly Marston"


def test_an_inverted_cue_closing_the_sentence_attributes_a_long_paraphrase():
    got = speakers("A loss would mean a \"long summer of doubt\" for the governor heading into the "
                   "convention, leaving her to fight on two fronts at once in the state, said Owen Pratt, "
                   "a pollster in Albany.")
    assert got["long summer of doubt"] == "Owen Pratt"


@pytest.mark.parametrize(("text", "quote", "speaker"), [
    ("Another tweeted, \"The rules do not apply to him.\"", "The rules do not apply to him.", "Another"),
    ("Others, angered by the delay, shouted, \"Release the tapes!\" near Judge Ida Korn.", "Release the tapes!",
     "Others"),
    ("Many delegates said the speech by Governor Lou Brandt was \"a disaster\" for the party.", "a disaster",
     "Many delegates"),
])
def test_a_quantifier_subject_names_nobody(text, quote, speaker):
    assert speakers(text)[quote] == speaker


def test_as_someone_puts_it_and_stating_are_speech_cues():
    got = speakers("As columnist Vera Hollis puts it, \"the council has run out of excuses.\"\n"
                   "Union leader Ada Voss wrote to members on Monday, stating, \"We will not sign this contract.\"")
    assert got["the council has run out of excuses."] == "Vera Hollis"
    assert got["We will not sign this contract."] == "Ada Voss"
