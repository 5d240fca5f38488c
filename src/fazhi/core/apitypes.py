"""Bounded types for API inputs (issue 8): out-of-range values are a 422 naming the field, not a 500 from
`dt.date(0, 1, 1)` or the database."""

from typing import Annotated

from pydantic import Field

from fazhi.core.normalize import MAX_DATE, MIN_DATE

Year = Annotated[int, Field(ge=MIN_DATE.year, le=MAX_DATE.year)]
# List windows: routes clamp them further; these bounds keep OFFSET/LIMIT within what databases take
# (SQLite answers a 20-digit offset with "datatype mismatch").
MAX_OFFSET = 1_000_000_000
Offset = Annotated[int, Field(le=MAX_OFFSET)]
Limit = Annotated[int, Field(le=100_000)]
