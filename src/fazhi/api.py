"""The JSON API under /api/v1/: one NinjaAPI, each app contributes a router from its api.py."""

import re

from django.conf import settings
from django.db import DataError
from django.http import HttpRequest, JsonResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.openapi.docs import Swagger
from ninja.parser import Parser

from fazhi.core.error_views import page_not_found
from fazhi.core.errors import DomainError, Forbidden, NotFound
from fazhi.core.normalize import MAX_DATE, MIN_DATE, strip_controls
from fazhi.core.tokens import DenyAuth

# Every error the API answers has this body (DomainError.as_dict, the validation handler below, 401/403/404).
ERROR_SCHEMA = {
    "title": "ErrorOut",
    "type": "object",
    "properties": {
        "detail": {"type": "string"},
        "field": {"type": "string"},
        "row": {"type": "integer"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
            },
        },
    },
    "required": ["detail"],
}
ERROR_RESPONSES = {
    "400": "请求体不是 JSON 对象",
    "401": "未登录或令牌无效",
    "403": "无权访问",
    "404": "记录不存在或无权访问",
    "422": "参数无效（中文消息，指明字段）",
}


_ISO_DATE = re.compile(r"(\d{4})-\d{2}-\d{2}")


class CleanParser(Parser):
    """Every string of a JSON body loses its control and bidi characters before validation (forms and
    query strings get the same from core.input_cleaning.InputCleaningMiddleware). A date in a query string
    or form field outside MIN_DATE..MAX_DATE is refused here, for every route at once (422)."""

    def parse_body(self, request):
        data = super().parse_body(request)
        # Every body of this API is an object (or null for an optional one); `false` is not "no fields".
        if data is not None and not isinstance(data, dict):
            raise ValueError("the body is not a JSON object")
        return strip_controls(data)

    def parse_querydict(self, data, list_fields, request):
        result = super().parse_querydict(data, list_fields, request)
        errors = []
        for key, value in result.items():
            for v in value if isinstance(value, list) else [value]:
                m = _ISO_DATE.fullmatch(v) if isinstance(v, str) else None
                if m and not MIN_DATE.year <= int(m[1]) <= MAX_DATE.year:
                    errors.append({"loc": ["query", key], "type": "date_out_of_range"})
        if errors:
            raise ValidationError(errors)
        return result


class FazhiAPI(NinjaAPI):
    """Documents the error answers of every operation, which ninja leaves out: 401/403 where the operation
    needs a login, 400 where it takes a body, 404 and 422 everywhere (schemathesis checks every status)."""

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        schema["components"].setdefault("schemas", {})["ErrorOut"] = ERROR_SCHEMA
        ref = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}
        for methods in schema["paths"].values():
            for operation in methods.values():
                # 404: an object named in the path, the query or the body that does not exist or is out of scope.
                codes = ["404", "422"] + (["400"] if "requestBody" in operation else [])
                if operation.get("security"):
                    codes += ["401", "403"]
                for code in codes:
                    operation["responses"].setdefault(code, {"description": ERROR_RESPONSES[code], "content": ref})
        return schema


api = FazhiAPI(
    title="法治督导 API",
    version="1",
    urls_namespace="api",
    # Deny by default: every route declares PermissionAuth / LoginAuth / PublicAuth (tests/test_routes.py).
    auth=DenyAuth(),
    docs_url="/docs",
    # Served from ninja's bundled static files (ninja is in INSTALLED_APPS); no online spec validator badge.
    docs=Swagger(settings={"validatorUrl": None}),
    parser=CleanParser(),
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
    first = errors[0]["field"] if errors else ""
    return api.create_response(request, {"detail": message, "field": first, "errors": errors}, status=422)


@api.exception_handler(AuthenticationError)
def _auth_error(request: HttpRequest, exc: AuthenticationError):
    return api.create_response(request, {"detail": "未登录或令牌无效"}, status=401)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError):
    # ninja's own messages are English: a body that is not JSON (400), a failed CSRF check of session auth
    # (403). Without a session cookie there is no session to forge: the caller is simply not signed in.
    if exc.status_code == 403 and settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return api.create_response(request, {"detail": "未登录或令牌无效"}, status=401)
    detail = {400: "请求体应为 JSON 对象", 403: "CSRF 校验失败"}.get(exc.status_code, str(exc))
    return api.create_response(request, {"detail": detail}, status=exc.status_code)


def not_found(request: HttpRequest, exception=None):
    """The site's 404 (`handler404`): JSON under /api/ (a path that matches no route, such as a non-numeric
    id), the Chinese page inside the layout elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "记录不存在或无权访问"}, status=404)
    return page_not_found(request, exception)


@api.exception_handler(OverflowError)
@api.exception_handler(DataError)
def _out_of_range(request: HttpRequest, exc: Exception):
    """A number too large for the database (SQLite raises OverflowError, PostgreSQL DataError): the caller's
    error, not ours. Inputs are bounded where they are parsed; this is the net under them."""
    return api.create_response(request, {"detail": "参数超出允许范围"}, status=422)


def _zh(err: dict) -> str:
    kind = err.get("type", "")
    if kind == "missing":
        return "必填"
    if kind == "date_out_of_range":
        return "日期应在 1900 年至 2100 年之间"
    if "int" in kind:
        return "应为整数"
    if "date" in kind:
        return "应为 YYYY-MM-DD 格式的日期"
    if "greater_than" in kind or "less_than" in kind:
        return "超出允许范围"
    return "格式不正确"


def _register_routers() -> None:
    from fazhi.cases.api import router as cases_router
    from fazhi.core.api import router as core_router
    from fazhi.inspections.api import router as inspections_router
    from fazhi.registry.api import router as registry_router
    from fazhi.tracking.api import router as tracking_router
    from fazhi.workdays.api import router as workdays_router

    api.add_router("/", core_router)
    api.add_router("/workdays", workdays_router)
    api.add_router("/", tracking_router)
    api.add_router("/", registry_router)
    api.add_router("/", cases_router)
    from fazhi.complaints.api import router as complaints_router

    api.add_router("/", complaints_router)
    api.add_router("/", inspections_router)
    from fazhi.requests.api import router as requests_router

    api.add_router("/", requests_router)
    from fazhi.rulemaking.api import router as rulemaking_router

    api.add_router("/", rulemaking_router)
    from fazhi.disputes.api import router as disputes_router

    api.add_router("/", disputes_router)
    from fazhi.supervision.accountability.api import router as accountability_router
    from fazhi.supervision.instruments.api import router as instruments_router
    from fazhi.supervision.reviews.api import router as reviews_router
    from fazhi.supervision.supervisors.api import router as supervisors_router

    api.add_router("/supervision", supervisors_router)
    api.add_router("/supervision", reviews_router)
    api.add_router("/supervision", instruments_router)
    api.add_router("/supervision", accountability_router)
    api.add_router("/documents", "fazhi.documents.api.router")
    for app, areas in (
        ("legalservices", ("mediation", "advisers", "outreach", "study")),
        ("assessment", ("scoring", "dashboard", "oversight", "reports")),
    ):
        for area in areas:
            api.add_router(f"/{app}", f"fazhi.{app}.{area}.api.router")


_register_routers()
