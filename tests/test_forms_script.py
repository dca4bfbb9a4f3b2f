"""scripts/make_forms.py regenerates exactly the committed forms in content/files/forms/."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from odf import teletype
from odf.element import Element
from odf.opendocument import load

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "make_forms.py"
COMMITTED = ROOT / "content" / "files" / "forms"
TEXT_ELEMENTS = {"p", "h"}  # text:p and text:h hold every visible line, in table cells too


def document_text(path: Path) -> list[str]:
    """The text of every paragraph and heading of an ODF file, in document order."""
    doc = load(str(path))
    body = doc.text if path.suffix == ".odt" else doc.spreadsheet
    lines: list[str] = []

    def walk(node: Element) -> None:
        for child in node.childNodes:
            if child.nodeType != child.ELEMENT_NODE:
                continue
            if child.tagName.split(":")[-1] in TEXT_ELEMENTS:
                lines.append(teletype.extractText(child))
            else:
                walk(child)

    walk(body)
    return lines


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("forms")
    result = subprocess.run([sys.executable, str(SCRIPT), str(out)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    return out


def _names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.suffix in (".odt", ".ods"))


def test_script_writes_the_committed_set_of_files(generated: Path) -> None:
    assert _names(generated), "the script wrote no form"
    assert _names(generated) == _names(COMMITTED)


def test_every_form_has_a_filling_example(generated: Path) -> None:
    names = set(_names(generated))
    blanks = [n for n in names if "-example." not in n]
    for blank in blanks:
        stem, suffix = blank.rsplit(".", 1)
        assert f"{stem}-example.{suffix}" in names


@pytest.mark.parametrize("name", _names(COMMITTED))
def test_generated_file_opens_and_matches_committed_text(generated: Path, name: str) -> None:
    fresh = document_text(generated / name)
    assert fresh, f"{name} has no text"
    assert fresh == document_text(COMMITTED / name), f"{name} differs from the committed file: re-run scripts/make_forms.py"


@pytest.mark.parametrize("name", [n for n in _names(COMMITTED) if "-example." in n])
def test_examples_are_marked_and_use_fictitious_values(generated: Path, name: str) -> None:
    text = "\n".join(document_text(generated / name))
    assert "填寫範例" in text
    assert any(sample in text for sample in ("王小明", "範例股份有限公司", "範例"))


def test_output_is_deterministic(generated: Path, tmp_path: Path) -> None:
    subprocess.run([sys.executable, str(SCRIPT), str(tmp_path)], check=True, capture_output=True)
    for name in _names(generated):
        assert (tmp_path / name).read_bytes() == (generated / name).read_bytes(), name
