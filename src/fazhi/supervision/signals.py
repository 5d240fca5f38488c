"""Signals of 执法监督 that other apps feed without the supervision app importing them.

`wrong_case_found` — a record shows that an enforcement decision was wrong, which proposes an accountability
record (错案责任追究) in `supervision.accountability`. Senders: a case-file review that grades a file 不合格, a
行政执法监督决定书, and (from the disputes app, once built) a penalty decision corrected in reconsideration or
litigation. Keyword arguments:

- `source_kind`: a short code of the sender ("review_file", "instrument", "reconsideration", "litigation" …);
- `source_id`: the id of the sender's record;
- `source_label`: a Chinese description shown on the proposal (e.g. "2026年案卷评查：不合格（62分）");
- `source_url`: the page of the sender's record ("" if none);
- `unit_id`: the core Unit (the agency's unit) whose decision was wrong;
- `case_id`: the penalty case (cases.Case) when there is one, else None;
- `reason`: why it is wrong, in Chinese;
- `by`: the user who caused the signal (None: the system);
- `today`: the date of the finding.

Receivers run inside the sender's transaction: a failed proposal rolls the sender back.
"""

from django.dispatch import Signal

wrong_case_found = Signal()
