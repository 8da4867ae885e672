"""Numbers written in words, as digits: "trente jours" meets a question's "30 jours", and
"thirty days" a text's "30 days".

A number word of a language below (case-folded, in the forms a text writes it; a compound
such as vingt-cinq or twenty-five is two words to the word breaker) is followed by its digits,
which match a number typed in any language ("dos años" meets "deux ans"). One is left out
everywhere (un, uno, ein, one are also articles and pronouns), and so are words that are
more often another word: French neuf (new), Italian sei (you are).
"""
from __future__ import annotations

_WORDS = {
    "en": "two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
          "seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety",
    "fr": "deux trois quatre cinq six sept huit - dix onze douze treize quatorze quinze seize - - - vingt "
          "trente quarante cinquante soixante - - -",
    "es": "dos tres cuatro cinco seis siete ocho nueve diez once doce trece catorce quince dieciséis "
          "diecisiete dieciocho diecinueve veinte treinta cuarenta cincuenta sesenta setenta ochenta noventa",
    "it": "due tre quattro cinque - sette otto nove dieci undici dodici tredici quattordici quindici sedici "
          "diciassette diciotto diciannove venti trenta quaranta cinquanta sessanta settanta ottanta novanta",
    "pt": "dois três quatro cinco seis sete oito nove dez onze doze treze catorze quinze dezesseis "
          "dezessete dezoito dezenove vinte trinta quarenta cinquenta sessenta setenta oitenta noventa",
    "de": "zwei drei vier fünf sechs sieben acht neun zehn elf zwölf dreizehn vierzehn fünfzehn sechzehn "
          "siebzehn achtzehn neunzehn zwanzig dreißig vierzig fünfzig sechzig siebzig achtzig neunzig",
    "ru": "два три четыре пять шесть семь восемь девять десять одиннадцать двенадцать тринадцать "
          "четырнадцать пятнадцать шестнадцать семнадцать восемнадцать девятнадцать двадцать тридцать "
          "сорок пятьдесят шестьдесят семьдесят восемьдесят девяносто",
}
# the values of the words above, in their order: 2-20, then the tens 30-90
_VALUES = [str(n) for n in range(2, 21)] + [str(n) for n in range(30, 100, 10)]
# other spellings: feminine forms, Portugal's Portuguese, Spanish and Portuguese typed without marks
_MORE = {"pt": {"duas": "2", "quatorze": "14", "dezasseis": "16", "dezassete": "17", "dezanove": "19", "tres": "3"},
         "es": {"dieciseis": "16"}, "ru": {"две": "2"}, "de": {"funf": "5", "zwolf": "12", "dreissig": "30"}}


def _table() -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for lang, words in _WORDS.items():
        table = {w: v for w, v in zip(words.split(), _VALUES, strict=True) if w != "-"}
        table.update(_MORE.get(lang, {}))
        out[lang] = table
    return out


NUMBER_WORDS = _table()


def with_numbers(words: list[str], lang: str | None) -> list[str]:
    """`words` (case-folded) with each number word of `lang` followed by its digits."""
    table = NUMBER_WORDS.get(lang) if lang else None
    if not table or table.keys().isdisjoint(words):
        return words
    out: list[str] = []
    for w in words:
        out.append(w)
        if w in table:
            out.append(table[w])
    return out
