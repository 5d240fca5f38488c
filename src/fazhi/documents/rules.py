"""Pure rules of 公文 numbering. GB/T 9704-2012 §7.2.4: 发文字号由发文机关代字、年份、发文顺序号组成；年份、发文顺序号
用阿拉伯数字标注；年份应标全称，用六角括号"〔〕"括入；发文顺序号不加"第"字，不编虚位（即 1 不编为 01），在阿拉伯
数字后加"号"。"""


def number_text(*, prefix: str, year: int, number: int) -> str:
    """`示司监〔2026〕3号`: six-cornered brackets, full year, no leading zeros, no 第."""
    return f"{prefix}〔{year}〕{number}号"
