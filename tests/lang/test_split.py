"""Sentence splitting in each supported language, on hand-labelled paragraphs: the
expected sentences are written by hand, never produced by the splitter."""

from __future__ import annotations

import pytest

from briefing.summarize.tokenize import split_sentences

LABELLED = {
    "ru": [
        ["24 февраля 2022 г. Россия начала вторжение.", "Депутаты обсудили бюджет, т.е. расходы на оборону и т.д.",
         "Однако оппозиция потребовала прозрачности."],
        ["Согласно ст. 5 закона расходы утверждаются ежегодно.", "В. Путин не ответил на вопрос.",
         "Об этом сообщили в 10 ч. утра."],
        ["Курс составил 92.5 рубля за доллар.", "Подробности на сайте https://example.ru/news/1.html.",
         "В 2023 г. в Москве прошли выборы.", "В 2024 г. Москва снова голосовала."],
    ],
    "uk": [
        ["Він сказав: «Ми не здамося».", "Зеленський у м. Київ зустрівся з ген. Залужним.", "Вони говорили дві години."],
        ["У 2022 р. Росія напала на Україну.", "Збитки оцінюють у 5 тис. гривень на родину, т.зв. компенсації не вистачає.",
         "Проте уряд обіцяє допомогу."],
    ],
    "de": [
        ["Am 3. März griffen Truppen z.B. Charkiw an.", "Die Regierung (Nr. 12) reagierte.", "Das ist gut."],
        ["Die Kosten betrugen 3,5 Mio. Euro pro Tag.", "Der Minister, d.h. Herr Pistorius, widersprach.",
         "Bis zum 24. Februar 2023 war alles anders."],
        ["„Wir bleiben“, sagte er.", "Dann ging er.", "Siehe www.example.de/a.b für Details."],
    ],
    "fr": [
        ["M. Macron a déclaré : « Nous ne céderons pas. »", "Mme Dupont a répondu.", "Vraiment ?"],
        ["Le coût atteint 3,5 milliards d'euros.", "Selon M. Dupont, c'est env. deux fois plus qu'en 2022.",
         "Le texte est en ligne."],
    ],
    "es": [
        ["El Sr. García dijo que sí.", "¿Qué pasará?", "Nadie lo sabe."],
        ["La Sra. López llegó a las 10.30 horas.", "¡Qué sorpresa!", "Todos aplaudieron."],
    ],
    "pl": [
        ["W 2022 r. Rosja zaatakowała m.in. Kijów.", "Według np. ONZ to zbrodnia.", "Sprawa trafi do sądu."],
        ["Prof. Nowak mówił ok. godzinę.", "Gen. Kowalski odpowiedział krótko.", "Potem była przerwa."],
    ],
    "it": [
        ["Il sig. Rossi è arrivato a Roma.", "Il dott. Bianchi lo ha accolto.", "Poi hanno parlato a lungo."],
        ["Il costo è di 3,5 mln di euro.", "Lo dice il rapporto a pag. 12 del documento.", "Nessuno ha commentato."],
    ],
    "pt": [
        ["O Sr. Silva chegou a Lisboa.", "A Dra. Costa recebeu-o.", "Falaram durante horas."],
        ["O custo é de 3,5 milhões de euros.", "Segundo a pág. 4 do relatório, o valor duplicou.", "O governo não comentou."],
    ],
}


@pytest.mark.parametrize("lang, sentences", [(lang, s) for lang, cases in LABELLED.items() for s in cases])
def test_each_hand_labelled_paragraph_splits_as_labelled(lang, sentences):
    assert split_sentences(" ".join(sentences)) == sentences


def test_never_inside_a_number_or_a_url():
    text = "Inflation hit 3.5 per cent. See https://example.org/a.b?c=d.e for more. Prices rose by 1.000,5 units."
    got = split_sentences(text)
    assert got == ["Inflation hit 3.5 per cent.", "See https://example.org/a.b?c=d.e for more.",
                   "Prices rose by 1.000,5 units."]


def test_english_abbreviations_still_hold():
    text = "Mr. Smith met Gen. Jones at 10 a.m. The talks went on. John Smith Sr. The end."
    assert split_sentences(text) == ["Mr. Smith met Gen. Jones at 10 a.m.", "The talks went on.",
                                     "John Smith Sr.", "The end."]
