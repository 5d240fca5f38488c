"""The JSON API under /api/v1/: one NinjaAPI, each app contributes a router from its api.py."""

from django.http import HttpRequest
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError
from ninja.security import SessionAuth

from fazhi.core.errors import DomainError, Forbidden, NotFound
from fazhi.core.tokens import BearerTokenAuth

api = NinjaAPI(
    title="法治督导 API",
    version="1",
    urls_namespace="api",
    auth=[BearerTokenAuth(), SessionAuth()],
    docs_url="/docs",
)


@api.exception_handler(DomainError)
def _domain_error(request: HttpRequest, exc: DomainError):
    return api.create_response(request, exc.as_dict(), status=422)


@api.exception_handler(NotFound)
def _not_found(request: HttpRequest, exc: NotFound):
    return api.create_response(request, {"detail": "记录不存在或无权访问"}, status=404)


@api.exception_handler(Forbidden)
def _forbidden(request: HttpRequest, exc: Forbidden):
    return api.create_response(request, {"detail": "无权访问"}, status=403)


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError):
    errors = []
    for err in exc.errors:
        loc = [str(p) for p in err.get("loc", []) if p not in ("query", "body", "path", "payload", "form")]
        field = ".".join(loc)
        errors.append({"field": field, "message": f"参数“{field}”无效：{_zh(err)}"})
    message = "；".join(e["message"] for e in errors) or "请求参数无效"
    return api.create_response(request, {"detail": message, "errors": errors}, status=422)


@api.exception_handler(AuthenticationError)
def _auth_error(request: HttpRequest, exc: AuthenticationError):
    return api.create_response(request, {"detail": "未登录或令牌无效"}, status=401)


def _zh(err: dict) -> str:
    kind = err.get("type", "")
    if kind == "missing":
        return "必填"
    if "int" in kind:
        return "应为整数"
    if "date" in kind:
        return "应为 YYYY-MM-DD 格式的日期"
    if "greater_than" in kind or "less_than" in kind:
        return "超出允许范围"
    return "格式不正确"


def _register_routers() -> None:
    from fazhi.core.api import router as core_router
    from fazhi.enforcement.api import router as enforcement_router
    from fazhi.inspections.api import router as inspections_router
    from fazhi.tracking.api import router as tracking_router
    from fazhi.workdays.api import router as workdays_router

    api.add_router("/", core_router)
    api.add_router("/workdays", workdays_router)
    api.add_router("/", tracking_router)
    api.add_router("/", enforcement_router)
    from fazhi.complaints.api import router as complaints_router

    api.add_router("/", complaints_router)
    api.add_router("/", inspections_router)


_register_routers()
