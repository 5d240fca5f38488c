"""Signals of the rulemaking app for apps beside it.

`incidental_review_concluded` — a 附带审查 that came from a reconsideration is concluded here (handled, 第五十九条, or
answered by the organ it was forwarded to, 第六十条). The rule-making module owns the review and its clocks; the
reconsideration hears the result through this signal (the disputes app records it on the case and may resume it).
Sent inside the transaction that concludes the review. Keyword arguments: `source_review_id` (the disputes app's
NormativeReview id), `conclusion` ("lawful" / "unlawful"), `text`, `on`, `forwarded_to` ("" when handled here),
`by`.
"""

from django.dispatch import Signal

incidental_review_concluded = Signal()
