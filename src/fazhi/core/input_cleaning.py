"""Control and bidi characters never reach a view: the query string and the posted form fields of every
request pass through core.normalize.strip_controls (JSON bodies of the API: fazhi.api.CleanParser)."""

from django.http import JsonResponse, QueryDict
from django.http.multipartparser import MultiPartParserError

from fazhi.core.normalize import strip_controls


def _cleaned(data: QueryDict) -> QueryDict:
    if not any(strip_controls(k) != k or strip_controls(vs) != vs for k, vs in data.lists()):
        return data
    out = QueryDict(mutable=True, encoding=data.encoding)
    for key, values in data.lists():
        out.setlist(strip_controls(key), [strip_controls(v) for v in values])
    out._mutable = False
    return out


FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class InputCleaningMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.GET = _cleaned(request.GET)
        if request.method == "POST" and request.content_type in FORM_TYPES:
            try:
                request.POST = _cleaned(request.POST)
            except MultiPartParserError:
                if request.path.startswith("/api/"):
                    return JsonResponse({"detail": "multipart 请求体格式不正确"}, status=400)
                raise  # Django answers 400
        return self.get_response(request)
