"""The one table of problem codes: every problem `gongkai check`, `gongkai data validate` and
`gongkai links` report carries one of these, and keeps it from release to release (scripts and
the back office match on it). docs/problem-codes.md is this table, written out by
``python -m gongkai.problem_codes`` (a test keeps the two the same).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass


@dataclass(frozen=True)
class Code:
    code: str
    severity: str  # "error": the content, dataset or link must be fixed; "warning": worth a look
    meaning: str
    title: str = ""  # a short heading for reports (the link audit's warning tags)


def _table(*codes: Code) -> dict[str, Code]:
    table = {code.code: code for code in codes}
    if len(table) != len(codes):
        raise ValueError("a problem code is listed twice in gongkai.problem_codes")
    return table


CODES: dict[str, Code] = _table(
    # gongkai check: the content folder
    Code("content.folder-missing", "error", "The content folder does not exist."),
    Code("content.file-missing", "error", "A required file (site.yaml, a code list) is missing."),
    Code("content.not-utf8", "error", "A file is not UTF-8 text."),
    Code("content.yaml-syntax", "error", "A YAML file or front matter cannot be parsed."),
    Code("content.unreadable-value", "error", "A value in the YAML cannot be read (often an unquoted date-like text)."),
    Code("content.no-front-matter", "error", "A document does not start with its front matter between '---' lines."),
    Code("content.front-matter-open", "error", "A document's front matter is never closed by a '---' line."),
    Code("content.front-matter-shape", "error", "The front matter is not a list of 'field: value' lines."),
    Code("content.duplicate-code", "error", "A code appears twice in a code list."),
    Code("content.unknown-field", "error", "A field the document kind does not have (often a misspelling)."),
    Code("content.missing-field", "error", "A required field is missing."),
    Code("content.empty-field", "error", "A required field is empty."),
    Code("content.not-allowed", "error", "A value is not one of the values the field allows."),
    Code("content.unknown-kind", "error", "The document's kind is missing or unknown."),
    Code("content.bad-date", "error", "A date is not written as YYYY-MM-DD."),
    Code("content.bad-id", "error", "An id has characters other than lower-case letters, digits and '-'."),
    Code("content.bad-url", "error", "A web address is not a full https:// address."),
    Code("content.unknown-code", "error", "A classification, unit or disclosure code is not in its code list."),
    Code("content.bad-file-path", "error", "An attachment's path is not inside content/files/."),
    Code("content.not-open-format", "error", "An attachment is not in an open format (ODF, PDF, CSV, HTML …)."),
    Code("content.attachment-missing", "error", "An attachment's file is not in content/files/."),
    Code("content.review-incomplete", "error", "A published document has no reviewer or review date."),
    Code("content.reviewer-is-author", "error", "A published document was reviewed by its own author (審稿 is not 上稿)."),
    Code("content.dates-out-of-order", "error", "A document was updated before it was published."),
    Code("content.withdrawal-missing", "error", "A withdrawn document has no withdrawal notice (date and reason)."),
    Code("content.withdrawal-not-withdrawn", "error", "A document that is not withdrawn carries a withdrawal notice."),
    Code("content.invalid-value", "error", "A value is not valid for its field."),
    Code("content.duplicate-id", "error", "Two documents of one language share an id."),
    Code("content.missing-translation", "error", "The translation twin a document names does not exist."),
    Code("content.unknown-form", "error", "A procedure lists a form that does not exist."),
    Code("content.unknown-procedure", "error", "A form names a procedure that does not exist."),
    Code("content.not-office-number", "error", "A contact number is not one of the agency's published office numbers."),
    # gongkai check: the 意見信箱's data (content/mailbox/)
    Code("mailbox.rules-invalid", "error", "The mailbox's categories and deadline tiers (mailbox/categories.yaml) cannot be used."),
    Code("mailbox.calendar-invalid", "error", "An office calendar file (mailbox/calendar/YYYY.yaml) has a wrong or misplaced date."),
    Code("mailbox.calendar-missing", "error", "This year's office calendar is missing: no deadline can be counted."),
    Code("mailbox.calendar-next-year-missing", "warning", "Next year's office calendar is missing: deadlines that run into it cannot be counted."),
    # the back office: rules of its editing forms beyond gongkai check, uploads, and the pre-submit accessibility checks
    Code("content.markup-in-text", "error", "A title, summary or body contains HTML markup or a script address (write plain text or Markdown)."),
    Code("upload.too-large", "error", "An uploaded file is larger than the back office accepts."),
    Code("upload.empty", "error", "An uploaded file is empty, or no file was chosen."),
    Code("upload.bad-name", "error", "An uploaded file's name holds a folder path or characters a file name cannot have."),
    Code("upload.not-allowed-format", "error", "An uploaded file's suffix is not an open format, nor a closed one offered beside its open twin."),
    Code("upload.content-mismatch", "error", "An uploaded file's content is not what its suffix says (e.g. a program renamed .odt)."),
    Code("upload.bad-odf", "error", "An uploaded ODF file is not a valid ODF package (zip, with its mimetype member first)."),
    Code("upload.zip-bomb", "error", "An uploaded ODF file would expand to far more than its size (a zip bomb)."),
    Code("upload.closed-without-open-twin", "error", "A .doc/.xls (closed format) file is uploaded without its ODF twin of the same name."),
    Code("atag.image-no-alt", "error", "An image in the body has no alternative text."),
    Code("atag.link-text", "error", "A link's text is empty or says only 「請點此」/「點此」/click here."),
    Code("atag.heading-skipped", "error", "A heading skips a level (e.g. 標題 2 followed by 標題 4)."),
    Code("atag.table-no-header", "error", "A table has no header cells."),
    Code("atag.preview-failed", "error", "The site could not render a draft's preview page, so its accessibility was not checked."),
    Code("atag.download-no-format", "error", "A link to a file does not say the file's format and size."),
    # gongkai data validate: the data packages
    Code("data.no-descriptor", "error", "A dataset folder has no datapackage.json."),
    Code("data.bad-descriptor", "error", "datapackage.json is not valid UTF-8 JSON."),
    Code("data.no-resource", "error", "datapackage.json describes no data file."),
    Code("data.name-mismatch", "error", "The package's name differs from its folder's name (the dataset id)."),
    Code("data.file-missing", "error", "The data file named in datapackage.json is not there."),
    Code("data.invalid-package", "error", "frictionless finds the package itself invalid."),
    Code("data.invalid-table", "error", "frictionless finds the data file's header or structure invalid."),
    Code("data.invalid-cell", "error", "frictionless finds a row or cell that does not match the schema."),
    Code("data.duplicate-identifier", "error", "Two datasets share a data.gov.tw identifier."),
    Code("data.metadata-missing", "error", "A data.gov.tw metadata field, the title, description, keywords or a field's 主要欄位說明 is missing."),
    Code("data.metadata-invalid", "error", "A data.gov.tw metadata value is not allowed (identifier, OID, code, frequency, licence, type, date)."),
    Code("data.national-id", "error", "A national ID or resident certificate number (valid checksum) is in the data."),
    Code("data.personal-phone", "error", "A phone number other than the agency's published office numbers is in the data."),
    Code("data.personal-email", "error", "An e-mail address outside the agency's domain is in the data."),
    Code("data.personal-name", "error", "A person's name is in the data: in a person column, or marked by a role word or a title."),
    Code("data.unmasked-column", "error", "A column the schema marks as personal holds an unmasked value."),
    # gongkai links: link validity
    Code("links.not-found", "error", "The target answers 404 or 410."),
    Code("links.http-error", "error", "The target answers another HTTP error (4xx or 5xx)."),
    Code("links.unreachable", "error", "The target cannot be reached: no answer in time, no connection, or no such host."),
    Code("links.invalid-url", "error", "The link is not a valid address."),
    Code("links.redirect-loop", "error", "The redirects go round in a loop, or there are too many."),
    Code("links.soft-404", "error", "The target answers 200 but says it was not found (找不到 / not found)."),
    Code("links.missing-fragment", "error", "The target page has no element with the link's #fragment id."),
    Code("links.bad-mailto", "error", "A mailto: link has no valid address."),
    Code("links.bad-tel", "error", "A tel: link has no valid number."),
    Code("links.check-failed", "error", "The checker itself failed on the address: report it to the gongkai maintainers."),
    Code("links.permanent-redirect", "warning", "The link works through a 301/308 redirect; point it at the new address.", "Moved permanently"),
    Code("links.blocked", "warning", "The server answered with a bot challenge (e.g. cf-mitigated: challenge); check the link by hand in a browser.", "Cannot verify, blocked"),
    Code("links.robots-disallowed", "warning", "The other site's robots.txt asks crawlers not to fetch this address.", "Not checked, robots.txt"),
    Code("links.rate-limited", "warning", "The server kept answering 429/503 and asked to wait longer than the run allows.", "Rate limited"),
    Code("links.body-truncated", "warning", "Only the first part of a very large page was read; links or an id further down were not checked.", "Page too large"),
    Code("links.not-checked", "warning", "The run's time limit ran out before this address was checked.", "Not checked"),
    Code("links.unsupported-scheme", "warning", "The link uses a scheme (ftp: …) the checker does not verify.", "Other scheme"),
    # gongkai links --content: content correctness
    Code("links.overdue", "warning", "A monthly / quarterly / yearly page has not been updated within its cycle.", "Past its update cycle"),
    Code("links.no-update-date", "warning", "The page does not show when it was last updated (更新日期).", "No 更新日期"),
    Code("links.no-source-link", "warning", "The page cites others' data but gives no link to the source.", "Cited data without a source link"),
    Code("links.not-open-format", "warning", "A download or attachment is offered with no open-format copy; offer it also as ODF (odt/ods/odp) or PDF.", "Attachment not in an open format"),
    Code("links.orphan", "warning", "No other page links to this page, so visitors cannot find it by browsing.", "Orphan page"),
    Code("links.empty-title", "warning", "The page's <title> or heading is empty.", "Empty title"),
    Code("links.duplicate-title", "warning", "Several pages share the same <title>; give each a title that says what it is.", "Duplicate title"),
)


def markdown_table() -> str:
    lines = ["# Problem codes", "", "Every problem `gongkai check`, `gongkai data validate` and `gongkai links` report carries one",
             "of these codes (`--format json` gives it as `code`). Written from `gongkai/problem_codes.py` by",
             "`python -m gongkai.problem_codes > docs/problem-codes.md`.", "", "| code | severity | meaning |", "|---|---|---|"]
    lines += [f"| `{c.code}` | {c.severity} | {c.meaning} |" for c in CODES.values()]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.stdout.write(markdown_table())
