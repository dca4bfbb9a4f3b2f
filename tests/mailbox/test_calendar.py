"""The office calendar and deadlines: counted on the calendar files in content/mailbox/calendar,
across a national holiday, a make-up workday and a year boundary; `gongkai check` on that data."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
import yaml

from gongkai.mailbox import check
from gongkai.mailbox.office_calendar import CalendarError, OfficeCalendar, OutsideCalendar, draft_year, read_year
from gongkai.mailbox.rules import RulesError, load_rules
from tests.demo_content import DEMO_CONTENT

CONTENT = DEMO_CONTENT
CALENDAR = CONTENT / "mailbox" / "calendar"


@pytest.fixture(scope="module")
def calendar() -> OfficeCalendar:
    return OfficeCalendar.load(CONTENT)


def listed(year: int, key: str) -> dict[dt.date, str]:
    data = yaml.safe_load((CALENDAR / f"{year}.yaml").read_text(encoding="utf-8"))
    return {entry["date"]: entry["name"] for entry in data[key] or []}


def test_a_deadline_skips_a_national_holiday(calendar):
    national_day = dt.date(2026, 10, 9)  # 國慶日 observed on the Friday
    assert national_day in listed(2026, "days_off")
    # Thursday + 3 working days: not Fri (holiday), not the weekend → Mon, Tue, Wed
    assert calendar.working_days_after(dt.date(2026, 10, 8), 3) == dt.date(2026, 10, 14)
    assert not calendar.is_working_day(national_day)


def test_a_make_up_saturday_is_a_working_day(calendar):
    saturday = dt.date(2025, 2, 8)
    assert saturday.weekday() == 5 and saturday in listed(2025, "make_up_workdays")
    assert calendar.is_working_day(saturday)
    assert calendar.working_days_after(dt.date(2025, 2, 7), 1) == saturday
    # an ordinary Saturday is not
    assert calendar.working_days_after(dt.date(2025, 2, 14), 1) == dt.date(2025, 2, 17)


def test_a_deadline_across_the_year_boundary(calendar):
    assert dt.date(2027, 1, 1) in listed(2027, "days_off")
    # Wed 30 Dec 2026 + 3: Thu 31, (Fri 1 Jan off, weekend), Mon 4, Tue 5
    assert calendar.working_days_after(dt.date(2026, 12, 30), 3) == dt.date(2027, 1, 5)
    assert calendar.working_days_between(dt.date(2026, 12, 30), dt.date(2027, 1, 5)) == 3


def test_the_lunar_new_year_week_and_a_thirty_day_tier(calendar):
    # 2026-02-13 (Fri) + 1: the whole week of 16-20 February is off
    assert calendar.working_days_after(dt.date(2026, 2, 13), 1) == dt.date(2026, 2, 23)
    # Mon 2 Feb + 30: 13 working days in February (16-20 and 27 off), then 17 in March
    assert calendar.working_days_after(dt.date(2026, 2, 2), 30) == dt.date(2026, 3, 24)


def test_a_count_into_a_year_without_a_calendar_refuses_to_guess(tmp_path):
    (tmp_path / "mailbox" / "calendar").mkdir(parents=True)
    shutil.copy(CALENDAR / "2026.yaml", tmp_path / "mailbox" / "calendar")
    only_2026 = OfficeCalendar.load(tmp_path)
    assert only_2026.working_days_after(dt.date(2026, 12, 1), 3) == dt.date(2026, 12, 4)
    with pytest.raises(OutsideCalendar, match="2027.yaml"):
        only_2026.working_days_after(dt.date(2026, 12, 28), 5)


def test_a_drafted_year_is_a_valid_file_with_the_packages_dates(tmp_path):
    path = tmp_path / "2025.yaml"
    path.write_text(draft_year(2025), encoding="utf-8")
    year = read_year(path)
    assert dt.date(2025, 2, 8) in year.workdays and dt.date(2025, 1, 28) in year.days_off
    assert all(day.weekday() < 5 for day in year.days_off)


@pytest.mark.parametrize(("text", "message"), [
    ("year: 2026\nsource: x\nmake_up_workdays:\n  - {date: 2026-03-04, name: x}\n", "is a weekday"),
    ("year: 2026\nsource: x\ndays_off:\n  - {date: 2025-03-04, name: x}\n", "move it to 2025.yaml"),
    ("year: 2025\nsource: x\n", "must be 2026"),
    ("year: 2026\nsource: ''\n", "source"),
    ("year: 2026\nsource: x\ndays_off:\n  - {date: 'soon', name: x}\n", "YYYY-MM-DD"),
])
def test_a_wrong_calendar_file_is_named_with_its_fix(tmp_path, text, message):
    path = tmp_path / "2026.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CalendarError, match=message):
        read_year(path)


def test_the_rules_give_each_category_its_tier():
    rules = load_rules(CONTENT, frozenset({"secretariat", "ethics"}))
    assert {"檢舉", "申訴", "陳情", "建議", "詢問"} <= {c.zh for c in rules.categories.values()}
    assert rules.deadline_days("question") == 3 and rules.deadline_days("petition") == 30


def mailbox_copy(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(CONTENT / "mailbox", root / "mailbox")
    shutil.copytree(CONTENT / "codes", root / "codes")
    return root


def test_check_is_quiet_on_the_shipped_data(tmp_path):
    assert check.problems(mailbox_copy(tmp_path), year=2026) == []


def test_check_warns_when_next_years_calendar_is_missing(tmp_path):
    root = mailbox_copy(tmp_path)
    (root / "mailbox" / "calendar" / "2027.yaml").unlink()
    found = check.problems(root, year=2026)
    assert [(p.code, p.severity, p.file) for p in found] == [("mailbox.calendar-next-year-missing", "warning", "mailbox/calendar/2027.yaml")]
    assert "calendar-draft 2027" in found[0].fix
    assert check.problems(root, year=2025) == []  # 2025 and 2026 are there
    assert [p.code for p in check.problems(root, year=2028)] == ["mailbox.calendar-missing", "mailbox.calendar-next-year-missing"]  # 2028, 2029


def test_check_reports_bad_rules_with_the_entry_and_fix(tmp_path):
    root = mailbox_copy(tmp_path)
    rules = root / "mailbox" / "categories.yaml"
    rules.write_text(rules.read_text(encoding="utf-8").replace("tier: quick, unit: secretariat", "tier: urgent, unit: secretariat"),
                     encoding="utf-8")
    [problem] = check.problems(root, year=2026)
    assert problem.code == "mailbox.rules-invalid" and "'urgent' is not a tier" in problem.message and "quick" in problem.fix
    rules.write_text(rules.read_text(encoding="utf-8").replace("tier: urgent, unit: secretariat", "tier: quick, unit: nowhere"),
                     encoding="utf-8")
    with pytest.raises(RulesError, match="codes/units.yaml"):
        load_rules(root, frozenset({"secretariat"}))


def test_gongkai_check_prints_the_warning_and_still_passes(tmp_path):
    from click.testing import CliRunner

    from gongkai.cli import main
    from tests.demo_content import FIXTURE_CONTENT

    root = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, root, ignore=shutil.ignore_patterns("datasets", "README.md"))
    shutil.copytree(CONTENT / "mailbox", root / "mailbox")
    next_year = dt.date.today().year + 1
    (root / "mailbox" / "calendar" / f"{next_year}.yaml").unlink(missing_ok=True)
    result = CliRunner().invoke(main, ["check", "--content", str(root)])
    assert "mailbox.calendar-next-year-missing" in result.output
    assert result.exit_code == (0 if (root / "mailbox" / "calendar" / f"{next_year - 1}.yaml").is_file() else 1)
