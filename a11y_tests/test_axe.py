"""axe-core (node_modules/axe-core, the same version pa11y uses) in real headless Chromium.

Every sitemap page plus the 404 page, at desktop width and at 320 CSS px (WCAG 1.4.10 reflow:
1280 px at 400 % zoom), with the WCAG 2.0/2.1/2.2 A and AA rules. At 320 px the page must also
not scroll sideways. One browser for the whole session (conftest.browser).
"""

from __future__ import annotations

import pytest

from a11y_tests.support import AXE_JS, DESKTOP, NARROW, NPM_HINT, require_file, require_page, set_viewport

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

RUN_AXE = """
const done = arguments[arguments.length - 1];
axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}, resultTypes: ['violations']})
  .then(result => done({violations: result.violations.map(v => ({
      id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
      nodes: v.nodes.map(n => ({target: n.target, html: n.html, summary: n.failureSummary})),
  }))}))
  .catch(error => done({error: String(error && error.stack || error)}));
"""

# The widest elements that stick out past the right edge: what to fix when a page scrolls sideways.
OVERFLOW = """
const limit = document.documentElement.clientWidth;
const out = [];
for (const el of document.body.querySelectorAll('*')) {
  const box = el.getBoundingClientRect();
  if (box.width && box.right > limit + 0.5) {
    const inside = el.parentElement && el.parentElement.getBoundingClientRect().right > limit + 0.5;
    if (!inside || !el.children.length) out.push({
      tag: el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
           (el.classList.length ? '.' + [...el.classList].join('.') : ''),
      right: Math.round(box.right), html: el.outerHTML.slice(0, 160)});
  }
}
return {scrollWidth: document.documentElement.scrollWidth, clientWidth: limit,
        innerWidth: window.innerWidth, culprits: out.slice(-8)};
"""


def axe_injected(browser) -> None:
    """Have Chromium evaluate axe.min.js in every new document, before the page's own scripts.

    Registered once per browser: cheaper than sending 550 kB through WebDriver for every page.
    """
    if not getattr(browser, "_gongkai_axe_injected", False):
        source = require_file(AXE_JS, NPM_HINT).read_text(encoding="utf-8")
        browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": source})
        browser._gongkai_axe_injected = True


def run_axe(browser) -> list[dict]:
    result = browser.execute_async_script(RUN_AXE, AXE_TAGS)
    if result.get("error"):
        pytest.fail(f"axe.run failed: {result['error']}", pytrace=False)
    return result["violations"]


def describe(violations: list[dict], width: int) -> str:
    lines = [f"at {width} px: {len(violations)} axe rule(s) violated"]
    for v in violations:
        lines.append(f"\n[{v['impact']}] {v['id']}: {v['help']}\n    {v['helpUrl']}")
        for node in v["nodes"][:10]:
            selector = " ".join(str(part) for part in node["target"])
            excerpt = " ".join(node["html"].split())[:300]
            lines.append(f"  - selector: {selector}\n    html: {excerpt}")
            summary = " ".join((node.get("summary") or "").split())
            if summary:
                lines.append(f"    why: {summary[:400]}")
        if len(v["nodes"]) > 10:
            lines.append(f"  … and {len(v['nodes']) - 10} more element(s)")
    return "\n".join(lines)


def horizontal_scroll(layout: dict) -> str:
    if layout["scrollWidth"] <= layout["clientWidth"]:
        return ""
    culprits = "\n".join(f"  - {c['tag']} (right edge at {c['right']} px): {c['html']}" for c in layout["culprits"])
    return (
        f"at {NARROW[0]} px the page scrolls sideways (WCAG 1.4.10 reflow): documentElement.scrollWidth "
        f"{layout['scrollWidth']} > clientWidth {layout['clientWidth']}; elements past the right edge:\n{culprits}"
    )


def test_axe(browser, live_server, page):
    """One load per page: axe at desktop width, then the same document reflowed to 320 px."""
    require_page(page)
    axe_injected(browser)
    set_viewport(browser, DESKTOP)
    url = live_server.url(page.path)
    browser.get(url)
    problems = []
    violations = run_axe(browser)
    if violations:
        problems.append(describe(violations, DESKTOP[0]))

    set_viewport(browser, NARROW)
    layout = browser.execute_script(OVERFLOW)
    assert layout["innerWidth"] == NARROW[0], f"viewport emulation failed: innerWidth is {layout['innerWidth']}"
    violations = run_axe(browser)
    if violations:
        problems.append(describe(violations, NARROW[0]))
    if scroll := horizontal_scroll(layout):
        problems.append(scroll)
    assert not problems, f"{url}\n" + "\n\n".join(problems)
