"""A Paginator that counts no further than it needs: a list over a million rows (or a search for a common term)
would spend more on COUNT(*) than on its page. Past `cap` rows the page shows "超过 N 条" and pages up to there
(ten pages of twenty; narrower filters or the Excel export reach the rest). Counting 1,000 rows of a phrase in
1 % of a million complaints takes 200 ms, 200 rows 50 ms (bench/bench_complaints.py)."""

from functools import cached_property

from django.core.paginator import Paginator

COUNT_CAP = 200


class CappedPaginator(Paginator):
    def __init__(self, object_list, per_page, *, cap: int = COUNT_CAP, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap

    @cached_property
    def _counted(self) -> int:
        # Unordered: the database may stop at cap + 1 rows in whatever order it finds them cheapest.
        return self.object_list.order_by()[: self.cap + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self._counted, self.cap)

    @property
    def capped(self) -> bool:
        return self._counted > self.cap
