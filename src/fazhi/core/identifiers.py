"""Identifier checks with check digits: 居民身份证号 (GB 11643) and 统一社会信用代码 (GB 32100-2015)."""

from stdnum.cn import ric, uscc

from fazhi.core.errors import DomainError
from fazhi.core.masking import mask_id_number
from fazhi.core.normalize import clean_text


def clean_id_number(value: str, *, field: str = "id_number") -> str:
    number = clean_text(value).upper().replace(" ", "")
    try:
        valid = ric.is_valid(number)
    except (KeyError, ValueError):  # python-stdnum raises KeyError for some unknown place codes
        valid = False
    if not valid:
        raise DomainError(f"身份证号“{mask_id_number(number)}”无效（GB 11643 校验不通过）", field=field)
    return number


def clean_uscc(value: str, *, field: str = "uscc") -> str:
    code = clean_text(value).upper().replace(" ", "")
    if not uscc.is_valid(code):
        raise DomainError(f"统一社会信用代码“{code}”无效（GB 32100-2015 校验不通过）", field=field)
    return code
