"""Chinese numerals as reports print them: counts ("两起", "十二件"), dates ("二0一四年三月十日")."""

from __future__ import annotations

DIGITS = {
    "零": 0,
    "〇": 0,
    "○": 0,
    "O": 0,
    "0": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
UNITS = {"十": 10, "百": 100, "千": 1000}


def chinese_number(text: str) -> int | None:
    """一 → 1, 两 → 2, 十二 → 12, 二十 → 20, 一百零五 → 105; None if it is not a plain numeral."""
    if text in DIGITS:
        return DIGITS[text]
    total, digit = 0, None
    for ch in text:
        if ch in DIGITS:
            digit = DIGITS[ch]
        elif ch in UNITS:
            total += (1 if digit is None else digit) * UNITS[ch]
            digit = None
        else:
            return None
    return total + (digit or 0)


def digit_by_digit(text: str) -> int | None:
    """A year written digit by digit: 二0一四 → 2014."""
    try:
        return int("".join(str(DIGITS[ch]) for ch in text))
    except KeyError:
        return None
