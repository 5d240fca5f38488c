"""Pluggable gateway for messages to complainants (COMPLAINT_GATEWAY = dotted path of a class with `send`).

The default sends e-mail through Django's mailer when SMTP is configured and records SMS as not sent (no SMS
provider is built in: a deployment plugs in its government SMS platform by writing a class like this one).
`send` raises OSError when the message could not go out; it then stays pending with the error.
"""

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string

from fazhi.complaints.conf import conf


class DefaultGateway:
    def send(self, message) -> None:
        if message.channel == "email":
            if not settings.FAZHI.get("EMAIL_ENABLED"):
                raise OSError("未配置邮件服务器（EMAIL_HOST）")
            send_mail(message.subject, message.body, None, [message.to])
            return
        raise OSError("未配置短信网关（COMPLAINT_GATEWAY）")


class MemoryGateway:
    """For tests and demos: keeps what was sent in `MemoryGateway.outbox`."""

    outbox: list = []

    def send(self, message) -> None:
        MemoryGateway.outbox.append((message.channel, message.to, message.subject, message.body))


def gateway():
    return import_string(conf()["GATEWAY"])()
