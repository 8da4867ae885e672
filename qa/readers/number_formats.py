"""A spreadsheet number as its cell shows it where the format changes what it says.

A cell stores 0.0896 and shows "9.0%"; stores 1250.5 and shows "1 250,50 €"; a sum stores
0.30000000000000004 and shows 0.3. People ask with what they see ("the 9% line", "how many
euros"), so the text of a percent cell is its percentage, a currency cell's number carries its
currency, and any number is cut to the 15 significant digits Excel keeps. Digit grouping and
the decimal comma are left out (they depend on the reader's locale, not the file): "1250.50 €".
A fixed-decimals format ("0.00") shows its digits: 1234.5678 is "1234.57"."""
from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

# quoted literals, escaped characters, [colour] / [$€-40C] brackets, _x padding and *x fill
_LITERALS = re.compile(r'"[^"]*"|\\.|_.|\*.')
_BRACKET = re.compile(r"\[([^\]]*)\]")
_CURRENCY_SYMBOLS = "€$£¥₹₽₩₺₪"
# a plain number format with a fixed count of decimals (not General, not scientific or a fraction)
_FIXED = re.compile(r"\s*[#,0?]*0[#,0?]*(\.[0#?]+)?\s*\Z")


def general(value: float) -> str:
    """A number as Excel's General format shows it: at most 15 significant digits, no float
    noise, an integer without ".0"."""
    rounded = float(f"{value:.15g}")
    return str(int(rounded)) if rounded.is_integer() and abs(rounded) < 1e15 else repr(rounded)


def _fixed(value: float, decimals: int) -> str:
    """`value` with `decimals` digits, halves rounded away from zero as Excel does (2.675 -> 2.68)."""
    exact = Decimal(general(value))
    return str(exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))


def _currency(section: str) -> tuple[str | None, bool]:
    """(symbol, before the number?) of a format's section, or (None, False)."""
    for m in _BRACKET.finditer(section):  # [$€-40C], [$USD], [$-409]
        inner = m.group(1)
        if inner.startswith("$"):
            symbol = inner[1:].split("-", 1)[0]
            if symbol:
                return symbol, m.start() < _first_digit(section)
    plain = _LITERALS.sub(lambda m: m.group(0)[1:-1] if m.group(0).startswith('"') else
                          m.group(0)[1:] if m.group(0).startswith("\\") else "", section)
    plain = _BRACKET.sub("", plain)
    for i, ch in enumerate(plain):
        if ch in _CURRENCY_SYMBOLS:
            return ch, i < _first_digit(plain)
    return None, False


def _first_digit(section: str) -> int:
    m = re.search(r"[0#?]", section)
    return m.start() if m else len(section)


def _decimals(section: str) -> int:
    plain = _BRACKET.sub("", _LITERALS.sub("", section))
    m = re.search(r"\.([0#?]+)", plain)
    return len(m.group(1)) if m else 0


def shown(value: float, number_format: str | None) -> str:
    """`value` as a cell of `number_format` shows it, for percentages and currencies; any other
    number as `general` shows it."""
    fmt = number_format or "General"
    section = fmt.split(";", 1)[0]
    bare = _BRACKET.sub("", _LITERALS.sub("", section))
    if "%" in bare:
        return f"{_fixed(value * 100, _decimals(section))}%"
    symbol, before = _currency(section)
    if symbol:
        number = _fixed(abs(value), _decimals(section))
        sign = "-" if value < 0 else ""
        return f"{sign}{symbol}{number}" if before else f"{sign}{number} {symbol}"
    if _FIXED.match(bare):  # "0.00", "#,##0.0": the digits it shows
        return _fixed(value, _decimals(section))
    return general(value)
