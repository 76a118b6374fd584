"""The language guess: right on a paragraph of common languages, silent when unsure."""

from __future__ import annotations

import pytest

from newsdesk.cleaner.language import guess_language, normalise_language

TEXTS = {
    "en": "The council said on Monday that the new bridge would be opened to traffic in the spring, after "
          "two years of work and a long dispute with the builders over the cost of the steel that was used.",
    "de": "Der Stadtrat hat am Montag beschlossen, dass die neue Brücke im Frühjahr für den Verkehr geöffnet "
          "wird. Die Arbeiten hatten sich wegen eines Streits mit der Baufirma über die Kosten für den Stahl "
          "um mehr als ein Jahr verzögert, sagte eine Sprecherin der Stadt.",
    "fr": "Le conseil municipal a annoncé lundi que le nouveau pont serait ouvert à la circulation au printemps, "
          "après deux ans de travaux et un long conflit avec les constructeurs sur le prix de l'acier qui a été "
          "utilisé pour la structure.",
    "es": "El ayuntamiento anunció el lunes que el nuevo puente se abrirá al tráfico en la primavera, después "
          "de dos años de obras y de una larga disputa con los constructores por el precio del acero que se "
          "utilizó en la estructura.",
    "ru": "Городской совет в понедельник объявил, что новый мост будет открыт для движения весной, после двух "
          "лет работ и долгого спора со строителями о стоимости стали, которая была использована.",
}


@pytest.mark.parametrize(("lang", "text"), sorted(TEXTS.items()))
def test_guess(lang: str, text: str) -> None:
    assert guess_language(text) == lang


def test_no_guess_on_short_text() -> None:
    assert guess_language("Bridge opens in spring") is None


def test_normalise() -> None:
    assert [normalise_language(x) for x in ("en-US", "pt_BR", "DE", "", None, "x")] == ["en", "pt", "de", None,
                                                                                       None, None]
