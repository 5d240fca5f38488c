"""The 督办 kind an issued instrument is tracked as (imported by `setup.setup()`)."""

from django.db.models import Q

from fazhi.tracking.registry import ItemKind, register, register_visibility

# The recipient's legal officer (instrument.reply) acknowledges and replies; the supervisor (instrument.issue)
# accepts or returns the reply while the item waits in "review". Yellow and red lights and their reminders come
# from the tracking core (a red item is escalated to the recipient's supervising unit).
INSTRUMENT = register(ItemKind("instrument", "监督文书", "instrument.reply", "instrument.issue"))


def _instrument_items_visible(user) -> Q:
    """An instrument's item (and so its timeline and attachments) follows the instrument's scope."""
    from fazhi.supervision.instruments.models import Instrument
    from fazhi.supervision.instruments.selectors import instrument_scope_q

    return Q(pk__in=Instrument.objects.filter(instrument_scope_q(user), item__isnull=False).values("item_id"))


register_visibility(INSTRUMENT.code, _instrument_items_visible)
