"""schemathesis against the API's own OpenAPI document, in process through the WSGI app:
no server errors, no schema violations, and invalid input rejected with a 4xx."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, settings
from opendata_support import demo_app

# The schema is loaded at import: schemathesis' lazy fixture loader does not run under pytest 9.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", demo_app())


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_openapi_document(case) -> None:
    case.call_and_validate()
