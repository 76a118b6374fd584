"""How outlets word each type of event: headlines, leads, quote attributions, revisions
(the facts after the lead are in `facts.py`).

Placeholders (filled by `stories.py`):

- people: ``{p0}`` is a *mention* of person 0: the first one in a story is a full form with the
  role ("Finnish Foreign Minister Liisa Harjula", "Liisa Harjula, Finland's foreign minister,"),
  later ones the surname. ``{p0n}`` full name, ``{p0s}`` surname, ``{p0r}`` role in lower case,
  ``{p0a}`` / ``{p0c}`` the person's country adjective / name, ``{p0he}``, ``{p0his}``.
- the event: ``{city}``, ``{country}``, ``{adj}``, ``{subject}``, ``{variant}``, ``{org0}``, ``{org1}``,
  ``{day}`` ("on Tuesday", "on May 14"), ``{weekday}``, its particulars (``{district}``...) and its
  numbers (``{dead}``...).

A phrase naming a number that is zero for the event (``{dead}`` when nobody died), or anything
the event lacks, is skipped.
Several phrasings of every beat, so outlets reporting one event share facts, not sentences.
"""

from __future__ import annotations

# --- per type: headline, lead, detail, background, closer phrases -----------------------------------

HEADLINES: dict[str, tuple[str, ...]] = {
    "meeting": (
        "{p0a} and {p1a} ministers discuss {subject} in {city}",
        "{p0s} meets {p1s} in {city} as {p0c} eyes {subject}",
        "{p0c}, {p1c} agree to deepen cooperation on {subject}",
        "{p1c} and {p0c} hold talks on {subject}",
        "{p0a} {p0r} holds talks with {p1a} counterpart in {city}",
        "In {city}, {p0c} and {p1c} look for common ground on {subject}",
    ),
    "sanction": (
        "{country} sanctions {org0} and its owner {p1n}",
        "{country} imposes sanctions on {entities} companies and individuals",
        "{adj} government blacklists {org0} over evasion network",
        "New {adj} sanctions target {p1a} businessman {p1s}",
        "{country} freezes assets of {org0} in sanctions move",
    ),
    "protest": (
        "Thousands march in {city} over {subject}",
        "Protesters fill {city} streets as anger over {subject} grows",
        "Mass rally in {city} against {subject}",
        "{city} protest against {subject} draws big crowd",
        "Police detain {arrests} as {city} protest turns tense",
    ),
    "court_ruling": (
        "{country}'s {org0} {verb_now} {subject}",
        "{org0} {verb_now} {subject} in {majority}-{minority} ruling",
        "Top {adj} court {verb_now} {subject}",
        "Judges in {city} rule on {subject}",
    ),
    "election": (
        "{p0s} wins {adj} {variant} election",
        "{org0} claims victory in {country} as {p0s} takes {pct}%",
        "{adj} voters hand {p0s} a clear win",
        "{p0s} beats {p1s} in {country}'s {variant} vote",
    ),
    "arrest": (
        "{p0R} {p0s} arrested on {subject} charges",
        "Police detain {p0s} in {subject} investigation",
        "{adj} prosecutors charge {p0s} with {subject}",
        "{p0R} held in {city} over {subject} allegations",
    ),
    "business": (
        "{org0} to buy {org1} for {price} billion euros",
        "{org0} agrees {price} billion euro takeover of {org1}",
        "{org1} shares jump on {org0} takeover deal",
        "{org0} bets on {subject} with {org1} deal",
    ),
    "appointment": (
        "{p1s} names {p0s} as {adj} {subject}",
        "{country} gets a new {subject}",
        "{p0s} to replace {p2s} as {subject}",
        "{p0s} appointed {country}'s {subject}",
    ),
}
DISASTER_HEADLINES: dict[str, tuple[str, ...]] = {
    "earthquake": ("Earthquake kills {dead} near {city}", "Magnitude {magnitude} quake hits {adj} city of {city}",
                   "Strong earthquake shakes {city}, thousands flee homes"),
    "flood": ("Floods kill {dead} in {city}", "Flash floods hit {city}, thousands evacuated",
              "{city} under water after record rainfall"),
    "wildfire": ("Wildfire near {city} forces {evacuated} to flee", "{dead} dead as wildfire sweeps hills near {city}",
                 "Firefighters battle blaze outside {city}"),
    "storm": ("Storm leaves {dead} dead in {city}", "Storm batters {city}, cutting power to thousands",
              "Violent storm sweeps across {city}"),
    "landslide": ("Landslide kills {dead} in {city}", "Rescuers dig for survivors after landslide in {city}",
                  "Homes buried by landslide near {city}"),
}
ACCIDENT_HEADLINES: dict[str, tuple[str, ...]] = {
    "train": ("Train derailment near {city} kills {dead}", "{dead} killed as passenger train derails in {country}",
              "Passenger train comes off the rails near {city}"),
    "bus": ("Bus crash near {city} kills {dead}", "{dead} dead after bus plunges off road near {city}",
            "Bus accident outside {city} leaves dozens hurt"),
    "ferry": ("Ferry capsizes off {city}, {dead} dead", "Dozens rescued as ferry sinks near {city}",
              "Search under way after ferry sinks off {city}"),
}

LEADS: dict[str, tuple[str, ...]] = {
    "meeting": (
        "{p0} and {p1a} counterpart {p1n} agreed {day} to set up a joint working group on {subject} after "
        "{hours} hours of talks in {city}.",
        "The {p0r}s of {p0c} and {p1c} met in {city} {day} and pledged closer cooperation on {subject}.",
        "{p0} held talks with {p1} in {city} {day}, with {subject} at the top of the agenda.",
        "{p1c} and {p0c} will work together on {subject}, their {p0r}s said after meeting in {city} {day}.",
        "{p1} met {p0} {day} for {hours} hours of talks in {city} that focused on {subject}.",
    ),
    "sanction": (
        "{country} {day} imposed sanctions on {entities} companies and individuals, including {p1a} businessman "
        "{p1n} and {p1his} company {org0}, accusing them of {subject}.",
        "The {adj} government announced sanctions {day} against {org0} and its owner {p1n}, whom it accuses of "
        "{subject}.",
        "{p0} said {day} that {country} was freezing the assets of {org0}, a company controlled by {p1n}, for "
        "{subject}.",
        "{country} blacklisted {entities} firms and people {day}, among them {org0} and its owner {p1n}, in a "
        "crackdown on companies it accuses of {subject}.",
    ),
    "protest": (
        "About {crowd} people marched through central {city} {day} to protest against {subject}, according to "
        "police estimates.",
        "Protesters took to the streets of {city} {day} in one of the largest demonstrations against {subject} "
        "in years.",
        "Thousands of people rallied in {city} {day}, answering a call by the {org0} to protest against {subject}.",
        "{city} saw a mass demonstration {day} as workers and students protested against {subject}.",
    ),
    "court_ruling": (
        "{country}'s {org0} {verb_past} {subject} {day}, ruling by {majority} votes to {minority} in a case "
        "watched closely across the country.",
        "The {org0} in {city} {verb_past} {subject} {day}, ending a legal battle that lasted more than two years.",
        "Judges at the {adj} {org0} {verb_past} {subject} {day}.",
        "In a ruling read out {day}, the {org0} {verb_past} {subject}.",
    ),
    "election": (
        "{p0} won {country}'s {variant} election with {pct} percent of the vote, according to preliminary results "
        "released {day}.",
        "{p0} of the {org0} won {country}'s {variant} election, the electoral commission said {day}, beating "
        "{p1} by a wide margin.",
        "The {org0} candidate {p0n} has won the {variant} election in {country}, defeating {p1n} of the {org1}, "
        "results showed {day}.",
        "{adj} voters handed {p0} a clear victory in the {variant} election, official results showed {day}.",
    ),
    "arrest": (
        "Police in {city} arrested {p0} {day} on suspicion of {subject}, prosecutors said.",
        "{p0} was detained {day} in {city} as part of an investigation into {subject} involving about "
        "{millions} million euros.",
        "{adj} prosecutors said {day} they had charged {p0} with {subject}.",
        "{p0} was taken into custody in {city} {day}, accused of {subject}.",
    ),
    "business": (
        "{org0} has agreed to buy {org1} for {price} billion euros, the companies said {day}, in a deal that "
        "would create one of the largest {subject} groups in the region.",
        "{org0} said {day} it would acquire rival {org1} for about {price} billion euros in cash and shares.",
        "{adj} group {org0} announced {day} a {price} billion euro takeover of {org1}.",
        "{org1} has accepted a {price} billion euro offer from {org0}, the two companies said {day}.",
    ),
    "appointment": (
        "{p1} appointed {p0} as {country}'s new {subject} {day}, replacing {p2n}.",
        "{p0} was named {country}'s {subject} {day}.",
        "{country} has a new {subject}: {p1} picked {p0} for the post {day}.",
        "{p1} {day} chose {p0} to succeed {p2n} as {subject}.",
    ),
}
DISASTER_OPENINGS: dict[str, tuple[str, ...]] = {
    "earthquake": ("A magnitude {magnitude} earthquake struck near {city} {day}",
                   "An earthquake of magnitude {magnitude} shook {city} and the surrounding region {day}",
                   "A strong earthquake hit the {adj} city of {city} {day}"),
    "flood": ("Flash floods swept through {city} {day}", "Torrential rain flooded large parts of {city} {day}",
              "Rivers burst their banks in and around {city} {day}"),
    "wildfire": ("A wildfire tore through the hills outside {city} {day}",
                 "A fast-moving wildfire reached the edge of {city} {day}",
                 "Firefighters fought a large wildfire near {city} {day}"),
    "storm": ("A powerful storm battered {city} {day}", "Violent winds and heavy rain hit {city} {day}",
              "A storm swept across {city} and the coast nearby {day}"),
    "landslide": ("A landslide buried homes on the edge of {city} {day}",
                  "Heavy rain set off a landslide near {city} {day}",
                  "A hillside collapsed onto a neighbourhood of {city} {day}"),
}
ACCIDENT_OPENINGS: dict[str, tuple[str, ...]] = {
    "train": ("A passenger train derailed near {city} {day}", "Two trains collided near {city} {day}",
              "A train came off the rails outside {city} {day}"),
    "bus": ("A bus plunged into a ravine near {city} {day}", "A bus crashed on a motorway outside {city} {day}",
            "A bus carrying workers overturned near {city} {day}"),
    "ferry": ("A ferry carrying {passengers} people capsized off {city} {day}",
              "A passenger ferry sank near the port of {city} {day}",
              "A ferry overturned in rough seas off {city} {day}"),
}
IMPACTS = (
    ", killing at least {dead} people and injuring {injured}, officials said.",
    ", leaving {dead} people dead and {injured} injured, according to officials.",
    ". At least {dead} people were killed, officials said.",
    ", officials said, with {dead} people confirmed dead so far.",
)
IMPACTS_NO_DEATHS = (
    ", injuring {injured} people, officials said.",
    ", forcing {evacuated} people from their homes, officials said.",
    ". No deaths were reported, but {injured} people were hurt.",
)

# How a quote is attributed: the same quote reads differently from outlet to outlet.
QUOTE_FORMS = (
    '"{q}," {who} said.',
    '"{q}," said {who}.',
    '{who} said: "{q}"',
    '"{q}," {who} told reporters.',
    '"{q}," {who} told reporters in {city}.',
    '"{q}," {who} said in a statement.',
    '"{q}," {who} wrote on social media.',
    '{who} warned: "{q}"',
    '{who} added: "{q}"',
    '"{q}," {who} insisted.',
    '"{q}," {who} stressed.',
    '{who} told a news conference: "{q}"',
)
# When the speaker is the person named just before: "..., she said."
PRONOUN_FORMS = ('"{q}," {he} said.', '"{q}," {he} added.', '"{q}," {he} told reporters.')

# Added to an article when the outlet revises it (same URL, changed content).
UPDATE_NOTES = ("This story has been updated with new figures.", "Updated with reaction and details.",
                "This article was updated after publication.")
TOLL_UPDATES = (
    "The death toll rose to {dead} {evening} as rescuers recovered more bodies, officials said.",
    "Officials raised the number of dead to {dead} later {evening}.",
)
GENERIC_UPDATES = (
    "Later {evening}, {p0} said talks with all sides would continue.",
    "Officials said {evening} that more details would be released in the coming days.",
)
