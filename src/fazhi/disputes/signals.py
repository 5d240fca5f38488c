"""Signals of the disputes app for apps above or beside it that it must not import.

`normative_review_requested` — a 规范性文件 is put to 附带审查 in a reconsideration (《行政复议法》第十三条、第五十六条、
第五十七条), for the rule-making module (规范性文件备案审查) to pick up. Sent inside the transaction that records the
review. Keyword arguments:

- `review_id`: the NormativeReview's id (read it through `fazhi.disputes.selectors.normative_review_for_rulemaking`);
- `document_title`, `document_number`, `issuer`, `articles`: the document and the clauses contested;
- `source`: "applicant" (第五十六条) or "ex_officio" (第五十七条);
- `competent`: whether the reconsideration body may handle it itself (else it transfers it within 7 working days);
- `reconsideration_id`, `started_on`, `by`.

The rule-making module owns the review from then on (its handling, its clocks); the result comes back through
`fazhi.rulemaking.signals.incidental_review_concluded`, which `disputes.services.normative_review_concluded` hears.

Accountability proposals go out through `fazhi.supervision.signals.wrong_case_found` (source_kind
"reconsideration" or "litigation").
"""

from django.dispatch import Signal

normative_review_requested = Signal()
