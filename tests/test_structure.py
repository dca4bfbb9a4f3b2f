"""The shape of the code, read from its imports: no import cycles, the content model and the search
core free of Flask, and every part reaching the site only through the web layer (gongkai.web)."""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "gongkai"
WEB_LIBRARIES = ("flask", "werkzeug", "jinja2", "markupsafe", "flask_frozen")


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def modules() -> dict[str, Path]:
    return {module_name(path): path for path in PACKAGE.rglob("*.py")}


@cache
def imports_of(module: str) -> frozenset[str]:
    """Every module this one imports, at module level or inside a function, as Python resolves it."""
    path = modules()[module]
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                found.add(candidate if candidate in modules() else base)
    return frozenset(found)


def internal_imports(module: str) -> set[str]:
    return {name for name in imports_of(module) if name in modules() and name != module}


def reachable(start: str) -> set[str]:
    seen, todo = set(), [start]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        todo.extend(internal_imports(current))
    return seen


def find_cycle() -> list[str] | None:
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    path: list[str] = []

    def visit(module: str) -> list[str] | None:
        state[module] = 1
        path.append(module)
        for target in sorted(internal_imports(module)):
            if state.get(target) == 1:
                return path[path.index(target):] + [target]
            if target not in state and (cycle := visit(target)):
                return cycle
        path.pop()
        state[module] = 2
        return None

    for module in sorted(modules()):
        if module not in state and (cycle := visit(module)):
            return cycle
    return None


def web_libraries_of(module: str) -> set[str]:
    return {name for name in imports_of(module) if name.split(".")[0] in WEB_LIBRARIES}


def test_the_graph_is_read() -> None:
    """The checks below mean something only if the walk finds the imports it should."""
    assert len(modules()) > 100
    assert "gongkai.web" in internal_imports("gongkai.app")
    assert "gongkai.model.corpus" in reachable("gongkai.model")
    assert web_libraries_of("gongkai.web.render")


def test_no_import_cycles() -> None:
    cycle = find_cycle()
    assert cycle is None, "import cycle: " + " → ".join(cycle or [])


def search_core() -> list[str]:
    return [m for m in modules() if m.startswith("gongkai.search_index") and not m.startswith("gongkai.search_index.web")]


@pytest.mark.parametrize("root", ["gongkai.model", "gongkai.search_index"])
def test_model_and_search_core_never_import_flask(root: str) -> None:
    starts = [m for m in modules() if m == root or m.startswith(root + ".")]
    if root == "gongkai.search_index":
        starts = search_core()
    assert starts
    offenders = {}
    for start in starts:
        for module in reachable(start):
            if libraries := web_libraries_of(module):
                offenders[module] = (start, sorted(libraries))
    assert not offenders, f"{root} reaches web libraries: {offenders}"


PARTS = ("gongkai.search_index", "gongkai.opendata", "gongkai.audits", "gongkai.admin")


@pytest.mark.parametrize("part", PARTS)
def test_parts_use_the_web_layer_not_the_site_or_the_app(part: str) -> None:
    """A part plugs into the site through gongkai.web; it never imports the app factory, and only the
    content audit reads the site's own URL rules (to name each document's page), and the back
    office's preview renders a draft with the site's own views and templates (never the app factory)."""
    allowed = {"gongkai.audits.content": {"gongkai.site"}, "gongkai.admin.editing.preview": {"gongkai.site"}}
    for module in (m for m in modules() if m.startswith(part)):
        wrong = {name for name in internal_imports(module) if name == "gongkai.app"
                 or (name.startswith("gongkai.site") and name not in allowed.get(module, set()))}
        assert not wrong, f"{module} imports {sorted(wrong)}; use gongkai.web instead"


LABEL_CALL = re.compile(r"""\bt\(\s*(f?)(['"])([^'"]*)\2\s*([,)])""")  # a whole literal key: t("ns.key") or t("ns.key", n=…)


def test_every_label_asked_for_is_registered() -> None:
    """Every literal t("namespace.key") in the code and templates names a registered label."""
    import gongkai.admin  # noqa: F401 - the back office is an app of its own
    import gongkai.app  # noqa: F401 - registers every part's labels
    import gongkai.mailbox.staff.statistics_views  # noqa: F401 - the statistics page's labels
    import gongkai.mailbox.staff.views  # noqa: F401 - the case pages' staff.* labels (create_app imports them only when called)
    from gongkai.web.labels import label, namespaces

    assert {"site", "search", "opendata", "admin"} <= set(namespaces())
    asked = 0
    for path in [*PACKAGE.rglob("*.py"), *PACKAGE.rglob("*.html"), *PACKAGE.rglob("*.svg")]:
        for match in LABEL_CALL.finditer(path.read_text(encoding="utf-8")):
            key = match.group(3)
            assert "." in key, f"{path.name}: t({key!r}) has no namespace (write it as namespace.key)"
            if match.group(1):
                continue  # an f-string: built at run time
            label(key, "en")  # raises KeyError naming the key
            asked += 1
    assert asked > 200
