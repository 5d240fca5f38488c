"""The one exception type for errors a user can cause: a Chinese message and the field it concerns."""


class DomainError(Exception):
    def __init__(self, message: str, *, field: str = "", row: int | None = None, errors: list | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.row = row
        self.errors = errors or []

    def as_dict(self) -> dict:
        data = {"detail": self.message, "field": self.field}
        if self.row is not None:
            data["row"] = self.row
        if self.errors:
            data["errors"] = self.errors
        else:
            data["errors"] = [{"field": self.field, "message": self.message}]
        return data


class AccessError(Exception):
    """Not a mistake in the input but a refusal: a view or an endpoint answers 404 / 403 for it, never a form
    error. Deliberately not a DomainError, so that `except DomainError` around a service call cannot turn a
    refusal into a flashed message and a redirect."""

    default = ""

    def __init__(self, message: str = ""):
        super().__init__(message or self.default)
        self.message = message or self.default
        self.field = "permission"

    def as_dict(self) -> dict:
        return {"detail": self.message}


class NotFound(AccessError):
    """Raised when an object does not exist *or* is outside the viewer's data scope (both answer 404)."""

    default = "记录不存在或无权访问"


class Forbidden(AccessError):
    """Raised when the user lacks the function permission for an action, or acts for another unit (403)."""

    default = "无权访问"
