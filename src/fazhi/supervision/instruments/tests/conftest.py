import pytest
from django.utils import timezone


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def mail_on(settings):
    """E-mail configured (locmem): notices are e-mailed once the transaction commits."""
    from django.core import mail

    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    settings.FAZHI = {**settings.FAZHI, "EMAIL_ENABLED": True}
    mail.outbox.clear()
    return mail.outbox


@pytest.fixture
def east_legal(org):
    """The legal officer of 市场监管局东城分局 (市场监管局's legal officer `agency` sees its instruments too)."""
    from fazhi.core.models import Role, User

    user = User.objects.create(username="market_east", name="孙法制", unit=org["示例市市场监督管理局东城分局"])
    user.roles.set(Role.objects.filter(code="agency_legal"))
    return user
