"""The 督办 kind of a 普法责任清单 item (imported by `setup.setup()`): the responsible unit's outreach staff act on
it; the Justice Bureau (outreach.manage) follows it, with the lights and reminders of the tracking core."""

from fazhi.tracking.registry import ItemKind, register

OUTREACH_DUTY = register(ItemKind("outreach_duty", "普法责任清单事项", "outreach.edit", "outreach.manage"))
