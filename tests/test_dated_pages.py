"""Pages whose text depends on today's date are right on the day they are served, in Taiwan,
however long the serving process has been running."""

from __future__ import annotations

import datetime as dt

from freezegun import freeze_time
from lxml import html

from gongkai.app import create_app

NOON_IN_TAIPEI = dt.time(4, 0)  # UTC


def at(day: dt.date) -> freeze_time:
    return freeze_time(dt.datetime.combine(day, NOON_IN_TAIPEI), tick=True)


def test_a_dataset_page_turns_overdue_on_the_day_after_its_due_date() -> None:
    app = create_app({"TESTING": True})
    state = app.extensions["gongkai.opendata"].current()
    dataset = next(d for d in state.datasets.values() if d.next_update_due)
    client = app.test_client()
    path = f"/opendata/{dataset.id}/"
    with at(dataset.next_update_due - dt.timedelta(days=1)):
        assert b"od-overdue" not in client.get(path).data
        assert b"od-flag" not in client.get(f"/opendata/?q={dataset.id}").data
    with at(dataset.next_update_due + dt.timedelta(days=1)):
        assert b"od-overdue" in client.get(path).data, "the page cache served yesterday's page"


def test_the_day_is_taiwans_not_the_servers() -> None:
    """At 23:00 UTC it is already tomorrow in Taipei (UTC+8)."""
    app = create_app({"TESTING": True})
    dataset = next(d for d in app.extensions["gongkai.opendata"].current().datasets.values() if d.next_update_due)
    client = app.test_client()
    with freeze_time(dt.datetime.combine(dataset.next_update_due, dt.time(23, 0))):
        assert b"od-overdue" in client.get(f"/opendata/{dataset.id}/").data


def test_an_empty_list_page_is_dated_the_day_it_is_served() -> None:
    app = create_app({"TESTING": True})
    corpus = app.extensions["gongkai.content"].corpus
    used = {c for d in corpus.in_language("en") for c in d.theme}
    empty = next(code for code in corpus.codes["themes"] if code not in used)  # a theme no English page has
    client = app.test_client()
    for day in (dt.date(2026, 3, 1), dt.date(2026, 3, 2)):
        with at(day):
            page = html.fromstring(client.get(f"/en/browse/theme/{empty}/").data)
            assert page.xpath("string(//meta[@name='DC.Date']/@content)") == day.isoformat()
