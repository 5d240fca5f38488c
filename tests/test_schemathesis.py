"""A bounded schemathesis run over the whole API (issue 8): every operation of /api/v1/openapi.json is called
with generated valid and invalid data by a privileged user with a bearer token, and every response is
checked with all of schemathesis' checks: no 5xx, no status, header or body outside what the document says.

Bounded: a few examples per operation (FAZHI_SCHEMATHESIS_EXAMPLES, default 4), derandomized, so the same
examples run every time. About 100 operations; a few minutes single-process.
"""

import json
import os

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings
from schemathesis.config import SchemathesisConfig

EXAMPLES = int(os.environ.get("FAZHI_SCHEMATHESIS_EXAMPLES", "4"))

# A schema-valid request may still break a rule of the domain (a date after another, an unknown unit name):
# the API answers those 422 with a Chinese message (documented on every operation), so 422 is an accepted
# answer to "positive" data as well.
CONFIG = SchemathesisConfig.from_dict(
    {
        "checks": {
            "positive_data_acceptance": {
                "expected-statuses": ["2xx", "3xx", "401", "403", "404", "409", "422", "429"],
            }
        }
    }
)


def _schema():
    from fazhi.api import api

    raw = json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api/v1/")))
    schema = schemathesis.openapi.from_dict(raw, config=CONFIG)
    schema.app = WSGIHandler()
    return schema


schema = _schema()
TOKEN: dict[str, str] = {}


@schema.auth(refresh_interval=None, retry_on=[])
class BearerToken:
    """The token of the current test (schemathesis leaves it out itself to check that auth is required)."""

    def get(self, case, ctx):
        return TOKEN.get("secret", "")  # also asked while collecting, before any test has a token

    def set(self, case, data, ctx):
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}


@pytest.fixture
def bearer(db, users):
    """The supervisor, given every role: the widest permissions and data scope of the demo."""
    from fazhi.core.models import Role
    from fazhi.core.services import token_create

    user = users["supervisor"]
    user.roles.add(*Role.objects.all())
    _, TOKEN["secret"] = token_create(user=user)
    # The requests go through the plain WSGI handler, which closes the database connection when a request
    # ends; that would end the test's transaction (Django's own test client disconnects it the same way).
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)
    TOKEN.clear()


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,  # no timing assertions; the run is bounded by the number of examples
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
    phases=[Phase.explicit, Phase.generate],
)
def test_api_conforms_to_its_schema(case, bearer):
    case.call_and_validate()
