"""Property test: any string in any parameter gives a normal page or a clear 400 — never a 500."""

from __future__ import annotations

from urllib.parse import urlencode

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

NASTY = st.sampled_from([
    "", " ", '"', '"""', "「", "-", "+", "--x", "+-+-", "*", "?", "~2", "^3", "field:x", "title:(a OR b)", "AND OR NOT",
    "\x00", "\x1b[31m", "\ufeff", "\u202e", "😀" * 50, "ㄅ" * 30, "ˇˇˇ", "<script>", "' OR 1=1 --", "%00", "\\", "字" * 10000,
    "a" * 10000, "水表 " * 100, '"檢定', "檢定\"", "(((", ")))", "[1 TO 2]", "/regex/", "{}", "null", "None",
])
TEXT = st.one_of(NASTY, st.text(max_size=300), st.text(alphabet=st.characters(min_codepoint=0x3100, max_codepoint=0x9fff), max_size=40))
PARAM = st.sampled_from(["q", "all", "phrase", "any", "none", "section", "kind", "unit", "theme", "policy", "service",
                         "year", "sort", "page", "per_page", "exact", "lang", "advanced"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(query=TEXT, extra=st.dictionaries(PARAM, TEXT, max_size=3))
def test_pages_and_api_never_fail(client, query, extra):
    args = urlencode({"q": query, **extra})
    for path in ("/search/", "/en/search/", "/api/search"):
        response = client.get(f"{path}?{args}")
        assert response.status_code in (200, 400), (path, args[:200], response.status_code)
        if path.startswith("/api/"):
            body = response.get_json()
            assert body["ok"] is (response.status_code == 200)
        else:
            assert b"<h1>" in response.data
