"""Logging filters. A refused request (403) is an expected answer, not an error: Django logs PermissionDenied
with its traceback at WARNING level; we keep the one-line warning and drop the traceback."""

import logging


class QuietForbidden(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) == 403:
            record.exc_info = None
            record.exc_text = None
        return True


def install() -> None:
    """Attach the filter to the logger Django reports request errors on (called from CoreConfig.ready)."""
    logger = logging.getLogger("django.request")
    if not any(isinstance(f, QuietForbidden) for f in logger.filters):
        logger.addFilter(QuietForbidden())
