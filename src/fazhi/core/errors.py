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


class NotFound(DomainError):
    """Raised when an object does not exist *or* is outside the viewer's data scope (both answer 404)."""

    def __init__(self, message: str = "记录不存在或无权访问"):
        super().__init__(message)


class Forbidden(DomainError):
    """Raised when the user lacks the function permission for an action, or acts for another unit (403)."""

    def __init__(self, message: str = "无权访问"):
        super().__init__(message, field="permission")
