"""Kinds of 督办 item that the registry opens (imported at start-up by `RegistryConfig.ready`)."""

from django.db.models import Q

from fazhi.tracking.registry import ItemKind, register, register_visibility

# A legal officer (registry.manage) of the agency renews the certificate; the item closes itself on renewal.
CERTIFICATE_EXPIRY = register(ItemKind("certificate_expiry", "执法证到期", "registry.manage", "registry.manage"))


def _certificate_items_visible(user) -> Q:
    """A certificate's expiry item follows its officer: 本人 — his own certificate."""
    from fazhi.core.scope import scoped
    from fazhi.registry.models import Certificate, Officer
    from fazhi.registry.selectors import OFFICER_SCOPE

    officers = scoped(Officer.objects.all(), user, **OFFICER_SCOPE)
    return Q(pk__in=Certificate.objects.filter(officer__in=officers).values("expiry_item_id"))


register_visibility(CERTIFICATE_EXPIRY.code, _certificate_items_visible)
