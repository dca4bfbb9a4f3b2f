"""Nothing lost, nothing doubled: 200 concurrent submissions, then their confirmations, through a
real threaded server on PostgreSQL, with the database cut off in the middle of each wave. Every
submission either got the "check your e-mail" page and is stored once, or got the 503 page with its
text kept and is not stored; every confirmation either got its number and is one case, or got the
503 page and, tried again once the database is back, gets its number then."""

from __future__ import annotations

import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from sqlalchemy import select
from werkzeug.serving import make_server

from gongkai.mailbox.models import Case, Submission
from tests.mailbox.conftest import aged_start
from tests.mailbox.test_outage_and_purge import give_database_back, take_database_away

SUBMISSIONS = 200


@pytest.fixture
def settings(settings):
    # one test address sends all 200: the per-address limit is not what is tested here
    return {**settings, "MAILBOX_MAX_PER_ADDRESS": 10_000, "MAIL_HOST": ""}


@pytest.fixture
def server(app):
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    thread.join(10)


def cut_off_during(database_url: str, box, after: threading.Event, seconds: float = 0.4) -> threading.Thread:
    def outage() -> None:
        after.wait(30)
        take_database_away(database_url)
        time.sleep(seconds)
        give_database_back(database_url)

    thread = threading.Thread(target=outage)
    thread.start()
    return thread


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_an_outage_during_200_concurrent_submissions_loses_and_doubles_nothing(app, box, server, database_url):
    started = threading.Event()
    done = 0
    lock = threading.Lock()

    def send(number: int) -> tuple[int, int, str]:
        nonlocal done
        subject = f"同時送出的意見 {number:03d}"
        response = requests.post(server + "/mailbox/", timeout=60, data={
            "start": aged_start(box), "category": "suggestion", "subject": subject, "message": f"第 {number} 則的內容",
            "name": "測試者", "email": f"person{number}@example.com", "consent": "yes"})
        with lock:
            done += 1
            if done == SUBMISSIONS // 3:
                started.set()
        return number, response.status_code, response.text

    outage = cut_off_during(database_url, box, started)
    with ThreadPoolExecutor(max_workers=16) as pool:
        answers = list(pool.map(send, range(SUBMISSIONS)))
    outage.join()
    statuses = {status for _, status, _ in answers}
    assert statuses <= {200, 503}, statuses
    received = {n for n, status, _ in answers if status == 200}
    refused = {n for n, status, _ in answers if status == 503}
    assert refused, "the outage refused nothing: it did not happen during the wave"
    for number, status, html in answers:
        if status == 503:  # not received, and the text is still in the form
            assert "尚未送達" in html and f'value="同時送出的意見 {number:03d}"' in html and f"第 {number} 則的內容" in html
    box.engine.dispose()
    with box.sessions() as db:
        stored = [s.subject for s in db.scalars(select(Submission))]
        tokens = {}
        from gongkai.admin.models import OutboxMessage

        for message in db.scalars(select(OutboxMessage)):
            link = re.search(r"(/mailbox/confirm/[^/\s]+/)", message.body).group(1)
            tokens[int(message.recipient.removeprefix("person").split("@")[0])] = link
    assert sorted(stored) == sorted(f"同時送出的意見 {n:03d}" for n in received)  # each received once, none refused stored
    assert set(tokens) == received  # and each has its one confirmation mail

    # the confirmations, with a second outage in their middle
    started.clear()
    done = 0

    def confirm(number: int) -> tuple[int, int, str]:
        nonlocal done
        response = requests.post(server + tokens[number], timeout=60)
        with lock:
            done += 1
            if done == len(tokens) // 3:
                started.set()
        return number, response.status_code, response.text

    outage = cut_off_during(database_url, box, started)
    with ThreadPoolExecutor(max_workers=16) as pool:
        confirmations = list(pool.map(confirm, sorted(tokens)))
    outage.join()
    assert {status for _, status, _ in confirmations} <= {201, 503}
    assert any(status == 503 for _, status, _ in confirmations), "the second outage refused nothing"
    numbers = {n: re.search(r'id="case-number">([^<]+)<', html).group(1) for n, status, html in confirmations if status == 201}
    for n, status, _html in confirmations:
        if status == 503:  # tried again once the database is back: the number comes then
            again = requests.post(server + tokens[n], timeout=60)
            assert again.status_code == 201, again.status_code
            numbers[n] = re.search(r'id="case-number">([^<]+)<', again.text).group(1)
    box.engine.dispose()
    with box.sessions() as db:
        cases = {case.number: case.subject for case in db.scalars(select(Case))}
        assert db.scalar(select(Submission.id)) is None
    assert len(cases) == len(received) == len(numbers)  # one case per confirmed message, none doubled
    assert {cases[numbers[n]] for n in numbers} == {f"同時送出的意見 {n:03d}" for n in received}
