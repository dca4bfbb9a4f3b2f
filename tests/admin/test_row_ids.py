"""A row id in a URL past the database's integer range is a 404 like any id of no row, on SQLite
and PostgreSQL (PostgreSQL refused 2147483648 with NumericValueOutOfRange: a 500)."""

from __future__ import annotations

import pytest

from tests.admin.support import make_account, sign_in


@pytest.mark.parametrize("number", ["2147483648", "9223372036854775808", "99999999999999999999999"])
def test_an_id_past_the_integer_range_is_not_found(app, office, number):
    client = app.test_client()
    sign_in(client, make_account(office, "web", "webmaster", ("it",)))
    for path in (f"/admin/accounts/{number}", f"/admin/drafts/{number}/preview", f"/admin/drafts/{number}/revisions"):
        assert client.get(path).status_code == 404, path
    assert client.get("/admin/accounts/2147483647").status_code == 404  # the last id in range: no row, the same answer
