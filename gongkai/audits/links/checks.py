"""One class per kind of check (the LinkChecker pattern). HTTP checks read a FetchResult and fill
an Outcome; reference checks (mailto:, tel:, #fragment) read the link itself or the target's ids.
Each broken verdict carries a sentence a webmaster can read and a suggested fix.
"""

from __future__ import annotations

import re
from email.utils import parseaddr
from urllib.parse import unquote, urlsplit

from gongkai.audits.links.fetch import PERMANENT_STATUSES, FetchResult, is_challenge
from gongkai.audits.results import Outcome

# Titles / first headings of pages that say "not found" while answering 200 (soft 404s).
SOFT_404_PATTERNS = re.compile(
    r"(^\s*404\s*$|\b404\s*(error|not\s+found|錯誤|找不到|[-–:｜|])|(error|錯誤)\s*404\b|not\s+found|"
    r"page\s+(does\s+not|doesn't)\s+exist|no\s+longer\s+available|找不到|查無此頁|網頁不存在|頁面不存在|无法找到)",
    re.IGNORECASE,
)  # a bare "404" is not enough: it is also a page number, a law article, a product code
STATUS_SENTENCES = {
    404: ("The address does not exist on the server (404 Not Found).", "Correct the link or remove it; if the page moved, link to its new address."),
    410: ("The page was deliberately removed (410 Gone).", "Remove the link or point it at a page that replaces it."),
    401: ("The page asks for a login (401).", "Link to a public page, or say on the page that a login is needed."),
    403: ("The server refuses access (403 Forbidden).", "Check that the file is published and readable; link to a public address."),
}


class HttpStatusCheck:
    """The final answer: 2xx is fine; 4xx/5xx, timeouts and connection errors are broken."""

    name = "http"

    def inspect(self, result: FetchResult, outcome: Outcome, settings_timeout: float) -> None:
        if result.error == "timeout":
            outcome.fail("links.unreachable", f"No answer within {settings_timeout:g} seconds.",
                         "Check that the server is up; if the page is just slow, tell its owner or link to a faster copy.", transient=True)
            return
        if result.error == "connection":
            outcome.fail("links.unreachable", f"Could not connect to the server ({result.error_detail}).",
                         "Check the host name in the link; if the site moved, link to its new address.", transient=True)
            return
        if result.error == "invalid-url":
            outcome.fail("links.invalid-url", f"The address is not a valid URL ({result.error_detail}).",
                         "Correct the typing of the address.")
            return
        final = result.final
        if final is None or result.error:
            return  # RedirectCheck explains loops and long chains
        outcome.status = final.status
        outcome.final_url = final.url
        outcome.content_type = final.content_type
        if final.status < 400:
            return
        if is_challenge(final):
            return  # BotChallengeCheck: cannot verify, not broken
        message, fix = STATUS_SENTENCES.get(final.status, (
            f"The server answered {final.status}" + (" (a server error that persisted after retries)." if final.status >= 500 else "."),
            "Tell the server's owner, or link to another copy of the page." if final.status >= 500 else "Correct or remove the link.",
        ))
        if final.status == 429:
            message, fix = "The server kept answering 429 Too Many Requests.", "Check the link by hand later."
        outcome.fail("links.not-found" if final.status in (404, 410) else "links.http-error", message, fix,
                     transient=final.status >= 500 or final.status == 429)


class RedirectCheck:
    """Loops and over-long chains are broken; a permanent redirect is a warning naming the new address."""

    name = "redirect"

    def inspect(self, result: FetchResult, outcome: Outcome, max_redirects: int) -> None:
        chain = " → ".join(f"{hop.url} ({hop.status})" for hop in result.hops)
        if result.error == "loop":
            outcome.fail("links.redirect-loop", f"The redirects go round in a loop: {chain} → back to {result.error_detail}.",
                         "Tell the server's owner; link to the page's real address if you know it.")
            return
        if result.error == "too-many-redirects":
            outcome.fail("links.redirect-loop", f"More than {max_redirects} redirects: {chain}.",
                         "Link directly to the final address.")
            return
        final = result.final
        if len(result.hops) > 1 and final is not None and final.status < 400 and any(
                hop.status in PERMANENT_STATUSES for hop in result.hops[:-1]):
            outcome.warn("permanent-redirect", f"The address has moved permanently: {chain}.", f"Change the link to {final.url}")


class SoftNotFoundCheck:
    """A 200 HTML page whose title or first heading says the page was not found."""

    name = "soft-404"

    def inspect(self, result: FetchResult, outcome: Outcome, title: str, h1: str) -> None:
        final = result.final
        if outcome.broken or final is None or final.status != 200 or not final.is_html:
            return
        for text in (title, h1):
            if text and SOFT_404_PATTERNS.search(text):
                outcome.fail("links.soft-404", f"The page answers 200 but says it was not found (soft 404): “{text[:80]}”.",
                             "Correct or remove the link; a missing page should answer 404 so that checkers and search engines see it.")
                return


class BotChallengeCheck:
    """403/429/503 with a bot challenge: the checker cannot tell — a warning, not a broken link."""

    name = "blocked"

    def inspect(self, result: FetchResult, outcome: Outcome) -> None:
        final = result.final
        if final is not None and final.status >= 400 and is_challenge(final):
            outcome.broken = False
            outcome.transient = True
            outcome.warn("blocked", f"Cannot verify, blocked: the server answered {final.status} with a bot challenge.",
                         "Open the link in a browser to check it by hand.")


class TruncatedBodyCheck:
    name = "body-size"

    def inspect(self, result: FetchResult, outcome: Outcome, max_body: int) -> None:
        if result.final is not None and result.final.truncated and result.final.status < 400:
            outcome.warn("body-truncated", f"Only the first {max_body // 1024} KiB of the page were read.",
                         "Split the page, or check its links by hand.")


# ---------------------------------------------------------------- checks on the reference itself

EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$")
PHONE = re.compile(r"^\+?[0-9][0-9\-. ()]{2,}[0-9](;ext=[0-9]+)?$")


class MailtoCheck:
    name = "mailto"

    def check(self, href: str) -> tuple[str, str] | None:
        """(message, fix) when the mailto: link is malformed, else None."""
        address = unquote(urlsplit(href.strip()).path)
        recipients = [parseaddr(part)[1] or part.strip() for part in address.split(",") if part.strip()]
        if not recipients:
            return "The mailto: link names no address.", "Write the address after mailto:, e.g. mailto:service@example.gov.tw."
        for recipient in recipients:
            if not EMAIL.match(recipient):
                return f"“{recipient}” is not a valid e-mail address.", "Correct the address (name@domain.tw, no spaces)."
        return None


class TelCheck:
    name = "tel"

    def check(self, href: str) -> tuple[str, str] | None:
        number = unquote(href.strip()[4:])
        if not PHONE.match(number):
            return f"“{number}” is not a dialable telephone number.", "Write the number with digits only, e.g. tel:+886-2-2345-6789."
        return None


class FragmentCheck:
    """A #fragment must name an id (or <a name>) on the target page; ids compared percent-decoded."""

    name = "fragment"

    def check(self, fragment: str, ids: set[str], target: str) -> tuple[str, str] | None:
        if fragment in ("", "top") or fragment in ids:
            return None
        return (f"The page {target} has no element with id “{fragment}”.",
                "Correct the part after # to an existing heading id, or remove it.")
