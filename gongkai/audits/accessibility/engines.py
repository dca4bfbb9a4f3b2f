"""The two engines of the CI gate: axe-core in the page (Selenium) and HTML_CodeSniffer via pa11y-ci."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import tempfile
from pathlib import Path

from gongkai.audits.accessibility.browser import pa11y_defaults
from gongkai.audits.accessibility.codes import axe_criteria, freego_for, htmlcs_criterion
from gongkai.audits.results import Finding

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
EXCERPT = 300  # characters of an element's HTML shown in the report
RUN_AXE = """
const done = arguments[arguments.length - 1];
axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}, resultTypes: ['violations']})
  .then(r => done(r.violations.map(v => ({id: v.id, help: v.help, helpUrl: v.helpUrl, tags: v.tags, impact: v.impact,
     nodes: v.nodes.map(n => ({target: n.target.map(String).join(' '), html: n.html, summary: n.failureSummary}))}))))
  .catch(e => done({error: String(e)}));
"""


class EngineError(RuntimeError):
    pass


def axe_findings(driver, page: str, axe_source: str, unit: str = "") -> list[Finding]:
    """axe-core's violations on `page`, which the driver has loaded."""
    driver.execute_script(axe_source)
    violations = driver.execute_async_script(RUN_AXE, AXE_TAGS)
    if isinstance(violations, dict):
        raise EngineError(f"axe-core failed on {page}: {violations.get('error')}")
    findings = []
    for violation in violations:
        for node in violation["nodes"]:
            fix_lines = [line.strip() for line in (node.get("summary") or "").splitlines()[1:] if line.strip()]
            finding = Finding(
                "a11y", "axe", f"axe:{violation['id']} {page} {node['target']}", page, True,
                f"{violation['help']} (axe {violation['id']}, {violation.get('impact') or 'issue'}).",
                (fix_lines[0] if fix_lines else violation["help"]) + f" See {violation['helpUrl']}",
                tag="", selector=node["target"], excerpt=node["html"][:EXCERPT],
                criterion=axe_criteria(violation["tags"]), freego=freego_for("axe", violation["id"]))
            finding.add_page(page, unit)
            findings.append(finding)
    return findings


def pa11y_ci_program(node_modules: Path) -> Path:
    return node_modules / ".bin" / "pa11y-ci"


def htmlcs_findings(pages: list[str], node_modules: Path, units: dict[str, str], timeout: float = 1800) -> list[Finding]:
    """HTML_CodeSniffer (WCAG2AA) over the pages in one pa11y-ci run; errors only, as the CI gate.

    Pages pa11y-ci failed to load are tried once more, alone, in case a page was slow or a tab was lost.
    """
    results = _run_pa11y_ci(pages, node_modules, timeout, concurrency=2)
    failed = [page for page, issues in results.items() if any(not isinstance(i, dict) or "code" not in i for i in issues)]
    if failed:
        results.update(_run_pa11y_ci(failed, node_modules, timeout, concurrency=1))
    findings = []
    for page, issues in results.items():
        for issue in issues:
            if not isinstance(issue, dict) or "code" not in issue:  # a page that failed to load: {message: ...}
                detail = issue.get("message", issue) if isinstance(issue, dict) else issue
                finding = Finding("a11y", "htmlcs", f"htmlcs:load {page}", page, True,
                                  f"HTML_CodeSniffer could not check the page: {detail}", "Check that the page loads in a browser.")
                finding.add_page(page, units.get(page, ""))
                findings.append(finding)
                continue
            if issue.get("type", "error") != "error":
                continue
            code = issue["code"]
            finding = Finding("a11y", "htmlcs", f"htmlcs:{code} {page} {issue.get('selector', '')}", page, True,
                              f"{issue['message']} (HTML_CodeSniffer {code.split('.', 4)[-1]}).",
                              _htmlcs_fix(issue["message"]), selector=issue.get("selector") or "",
                              excerpt=(issue.get("context") or "")[:EXCERPT], criterion=htmlcs_criterion(code),
                              freego=freego_for("htmlcs", code))
            finding.add_page(page, units.get(page, ""))
            findings.append(finding)
    return findings


def _run_pa11y_ci(pages: list[str], node_modules: Path, timeout: float, concurrency: int) -> dict[str, list]:
    program = pa11y_ci_program(node_modules)
    if not program.exists():
        raise EngineError(f"{program} is missing — run 'npm ci --ignore-scripts' in the repository root, or pass --engines axe,conventions")
    config = {"defaults": pa11y_defaults(["htmlcs"], concurrency),
              "urls": pages}
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as handle:
        json.dump(config, handle)
        config_path = handle.name
    env = dict(os.environ, PUPPETEER_SKIP_DOWNLOAD="1", NO_COLOR="1", FORCE_COLOR="0")
    process = subprocess.Popen([str(program), "--config", config_path, "--json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, env=env, cwd=node_modules.parent)
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except BaseException:
        # Stopped (timeout, SIGTERM): take down node and the Chromium it started. Puppeteer starts the
        # browser in a process group of its own, so the whole tree is found through parent ids first.
        for pid in [*_descendants(process.pid), process.pid]:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)
        process.wait()
        raise
    finally:
        os.unlink(config_path)
    try:
        return json.loads(stdout[stdout.index("{"):]).get("results", {})
    except ValueError:
        raise EngineError(f"pa11y-ci gave no JSON report (exit {process.returncode}): {(stderr or stdout)[-800:]}") from None


def _descendants(root: int) -> list[int]:
    """Every process below `root`, read from /proc (Linux); empty where /proc is not there."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            fields = entry.read_text().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(entry.parent.name))
    found, queue = [], [root]
    while queue:
        for child in children.get(queue.pop(), []):
            found.append(child)
            queue.append(child)
    return found


def _htmlcs_fix(message: str) -> str:
    # HTML_CodeSniffer's messages already say what to do ("... should have an alt attribute"); keep its first sentence
    return message.split(". ")[0].rstrip(".") + "."
