"""`gongkai check`: every content problem is one clear line, and the exit code says so."""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner

from gongkai.cli import main
from gongkai.model import load_content

LINE = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+): (?P<field>[^:]+): (?P<code>content\.[a-z0-9-]+): (?P<message>.+) — (?P<fix>.+)$")


def run_check(root: Path):
    return CliRunner().invoke(main, ["check", "--content", str(root)])


def problem_lines(result) -> list[str]:
    return [line for line in result.stdout.splitlines() if line.strip()]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text {old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_valid_tree_passes(content_tree: Path) -> None:
    result = run_check(content_tree)
    assert result.exit_code == 0, result.output
    assert problem_lines(result) == []
    corpus, report = load_content(content_tree)
    assert report.valid and len(corpus.documents) == 2


def test_each_problem_is_one_clear_line(content_tree: Path) -> None:
    docs = content_tree / "docs" / "zh"
    # 1. broken front matter: a YAML syntax error on line 5
    (docs / "broken.md").write_text("---\nkind: page\nid: broken\nlang: zh-Hant-TW\ntitle: [unclosed\n---\nbody\n", encoding="utf-8")
    # 2. an unknown classification code
    edit(docs / "water-meter.md", 'theme: ["220"]', 'theme: ["999"]')
    # 3. a missing attachment
    (content_tree / "files" / "forms" / "water-example.odt").unlink()
    # 4. a self-reviewed published document
    edit(docs / "water-meter.md", "reviewer: 陳審稿", "reviewer: 林上稿")

    result = run_check(content_tree)
    assert result.exit_code == 1
    lines = problem_lines(result)
    assert len(lines) == 4, "\n".join(lines)
    parsed = [LINE.match(line) for line in lines]
    assert all(parsed), "every line reads file:line: field: code: what — fix\n" + "\n".join(lines)
    by_file = {(m["file"], m["field"]): m for m in parsed}

    broken = by_file[("docs/zh/broken.md", "front matter")]
    assert broken["line"] == "6" or broken["line"] == "5"
    code = by_file[("docs/zh/water-meter.md", "theme.0")]
    assert code["line"] == "8" and "'999'" in code["message"] and "codes/themes.yaml" in code["fix"]
    attachment = by_file[("docs/zh/water-meter-form.md", "example.file")]
    assert "forms/water-example.odt" in attachment["message"] and attachment["line"] == "24"
    review = by_file[("docs/zh/water-meter.md", "review")]
    assert "reviewer is the author" in review["message"] and review["line"] == "15"
    assert [broken["code"], code["code"], attachment["code"], review["code"]] == [
        "content.yaml-syntax", "content.unknown-code", "content.attachment-missing", "content.reviewer-is-author"]

    as_json = CliRunner().invoke(main, ["check", "--content", str(content_tree), "--format", "json"])
    assert as_json.exit_code == 1
    document = json.loads(as_json.stdout)
    assert document["ok"] is False and document["count"] == 4
    review_json = next(p for p in document["problems"] if p["code"] == "content.reviewer-is-author")
    assert review_json["where"] == {"file": "docs/zh/water-meter.md", "line": 15, "field": "review"}
    assert review_json["severity"] == "error" and review_json["fix"]


def test_unknown_field_and_bad_date_name_the_field(content_tree: Path) -> None:
    path = content_tree / "docs" / "zh" / "water-meter.md"
    edit(path, "summary:", "sumary:")
    edit(path, "updated: 2022-06-01", "updated: 2022-13-01")
    lines = problem_lines(run_check(content_tree))
    fields = {LINE.match(line)["field"] for line in lines}
    assert {"sumary", "summary", "updated"} <= fields, lines
    assert any("YYYY-MM-DD" in line for line in lines)


def test_invalid_documents_are_reported_not_served(content_tree: Path) -> None:
    edit(content_tree / "docs" / "zh" / "water-meter.md", "unit: sec4", "unit: nowhere")
    corpus, report = load_content(content_tree)
    assert not report.valid
    assert corpus.get("zh-Hant-TW", "water-meter") is None  # kept out of the site…
    assert any("unknown unit code 'nowhere'" in line for line in report.lines())  # …but never silently


def test_drafts_are_not_served(content_tree: Path) -> None:
    edit(content_tree / "docs" / "zh" / "water-meter.md", "status: published", "status: draft")
    corpus, report = load_content(content_tree)
    assert report.valid
    assert corpus.get("zh-Hant-TW", "water-meter") is None
    assert len(corpus.all_documents) == 2


def test_missing_content_folder_is_a_clear_error(tmp_path: Path) -> None:
    result = run_check(tmp_path / "nope")
    assert result.exit_code == 1
    assert "content folder not found" in result.stdout


def test_demo_content_is_valid() -> None:
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 0, result.stdout


def test_unit_contacts_must_be_published_office_numbers(content_tree: Path) -> None:
    unit = (content_tree / "docs" / "zh" / "water-meter.md").read_text(encoding="utf-8").split("eligibility:")[0]
    unit = unit.replace("kind: procedure", "kind: unit").replace("id: water-meter", "id: unit-sec4")
    unit += "duties: [度量衡器檢定]\ncontact:\n  phone: 0912-345-678\n  address: 臺南市\n---\n"
    (content_tree / "docs" / "zh" / "unit-sec4.md").write_text(unit, encoding="utf-8")
    lines = problem_lines(run_check(content_tree))
    assert len(lines) == 1 and "contact.phone" in lines[0] and "office_phones" in lines[0], lines
