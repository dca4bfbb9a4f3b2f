"""The document kinds, as immutable pydantic models validated from front matter.

Field names are the front-matter keys an editor writes (see content/README.md).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from gongkai.conventions import OPEN_FORMATS

SLUG = r"^[a-z0-9][a-z0-9-]*$"
SLUG_MAX = 100  # an id is a file name (docs/zh/news/<id>.md) and part of URLs: a file system takes 255 bytes
UPDATE_CYCLES = {"monthly": 31, "quarterly": 92, "yearly": 366, "as-needed": None}
CHANNELS = ("counter", "online", "mail")


class FieldError(ValueError):
    """A field's value is wrong: the problem code, then "what is wrong — how to fix it"."""

    def __init__(self, code: str, text: str) -> None:
        super().__init__(text)
        self.code = code


def known(listname: str, field: str):
    """A validator that accepts only codes listed in content/codes/<listname>.yaml.

    The code lists arrive as validation context, so every problem of a document is found in
    one pass (with its field and line) rather than in a second, separate check.
    """

    def check(value: str, info: ValidationInfo) -> str:
        codes = (info.context or {}).get("codes")
        if codes is not None and value not in codes[listname]:
            raise FieldError("content.unknown-code", f"unknown {field} code {value!r} — use a code listed in codes/{listname}.yaml: {', '.join(codes[listname])}")
        return value

    return AfterValidator(check)


def _attachment_file(value: str, info: ValidationInfo) -> str:
    if value.startswith("/") or ".." in value.split("/") or "\\" in value:
        raise FieldError("content.bad-file-path", "not a path inside content/files/ — write it like forms/name.odt")
    suffix = "." + value.rsplit(".", 1)[-1].lower() if "." in value else ""
    if suffix not in OPEN_FORMATS:
        raise FieldError("content.not-open-format", f"{value!r} is not in an open format — offer it as ODF (.odt/.ods), PDF, CSV or HTML (Freego ME1320200C)")
    files_root = (info.context or {}).get("files_root")
    if files_root is not None and not (files_root / value).is_file():
        raise FieldError("content.attachment-missing", f"attachment {value!r} not found in content/files/ — add the file or correct the path")
    return value


UnitCode = Annotated[str, known("units", "unit")]
ThemeCode = Annotated[str, known("themes", "theme")]
PolicyCode = Annotated[str, known("policies", "policy")]
ServiceCode = Annotated[str, known("services", "service")]
DisclosureCode = Annotated[str, known("disclosure", "disclosure category")]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Source(Strict):
    """A cited source (資料來源): shown with a link on the page."""

    title: str = Field(min_length=1)
    url: str

    @field_validator("url")
    @classmethod
    def _absolute_url(cls, value: str) -> str:
        if not re.match(r"^https?://[^\s/]+\.[^\s]+$", value):
            raise FieldError("content.bad-url", "not a full web address — write it as https://host/path")
        return value


class Review(Strict):
    """Who wrote (上稿) and who approved (審稿) the document."""

    author: str = Field(min_length=1)
    reviewer: str | None = None
    date: dt.date | None = None
    status: Literal["draft", "in review", "published", "withdrawn"]

    @model_validator(mode="after")
    def _second_pair_of_eyes(self) -> Review:
        if self.status in ("published", "withdrawn"):  # a withdrawn document was published first
            if not self.reviewer or self.date is None:
                raise FieldError("content.review-incomplete", "a published document needs a reviewer and a review date — add review.reviewer (someone other than the author) and review.date")
            if self.reviewer == self.author:
                raise FieldError("content.reviewer-is-author", "reviewer is the author — a published document needs a second person to review it (審稿 is not 上稿)")
        return self


class Withdrawal(Strict):
    """Why and since when a published document is withdrawn: its page then answers 410 Gone with
    this notice, and it leaves the sitemap, listings, search and the metadata listing."""

    date: dt.date
    reason: str = Field(min_length=1, max_length=500)


class Attachment(Strict):
    """A downloadable file kept under content/files/."""

    file: Annotated[str, Field(min_length=1), AfterValidator(_attachment_file)]
    title: str = Field(min_length=1)

    @property
    def suffix(self) -> str:
        return "." + self.file.rsplit(".", 1)[-1].lower() if "." in self.file else ""

    @property
    def format(self) -> str:
        return OPEN_FORMATS.get(self.suffix, self.suffix.lstrip(".").upper())

    @property
    def is_open_format(self) -> bool:
        return self.suffix in OPEN_FORMATS


class Figure(Strict):
    """One row of a statistics report."""

    item: str = Field(min_length=1)
    value: float
    unit: str = Field(min_length=1)
    note: str = ""


class Base(Strict):
    id: Annotated[str, Field(pattern=SLUG, max_length=SLUG_MAX)]
    lang: Literal["zh-Hant-TW", "en"]
    translation: Annotated[str, Field(pattern=SLUG, max_length=SLUG_MAX)] | None = None
    title: str = Field(min_length=1, max_length=120)
    summary: str = Field(min_length=1)
    unit: UnitCode
    theme: list[ThemeCode] = Field(min_length=1)
    policy: list[PolicyCode] = Field(min_length=1)
    service: list[ServiceCode] = Field(min_length=1)
    keywords: list[str] = Field(min_length=1)
    published: dt.date
    updated: dt.date
    update_cycle: Literal["monthly", "quarterly", "yearly", "as-needed"]
    sources: list[Source] = []
    review: Review
    withdrawal: Withdrawal | None = None  # required when review.status is withdrawn, refused otherwise
    sample: bool = False  # True when figures/details are demo values not found in the plan
    body: str = ""
    path: str = ""  # content-relative file path, filled in by the loader

    @model_validator(mode="after")
    def _dates_in_order(self) -> Base:
        if self.updated < self.published:
            raise FieldError("content.dates-out-of-order", "updated is before published — set updated to the publication day or later")
        return self

    @model_validator(mode="after")
    def _withdrawal_with_reason(self) -> Base:
        if self.review.status == "withdrawn" and self.withdrawal is None:
            raise FieldError("content.withdrawal-missing", "a withdrawn document needs a withdrawal notice — add withdrawal: "
                             "with date: YYYY-MM-DD and reason: why it was withdrawn (shown on its page)")
        if self.review.status != "withdrawn" and self.withdrawal is not None:
            raise FieldError("content.withdrawal-not-withdrawn", "withdrawal is only for a withdrawn document — "
                             "remove it, or set review.status: withdrawn")
        return self

    @property
    def is_withdrawn(self) -> bool:
        return self.review.status == "withdrawn"

    @property
    def is_published(self) -> bool:
        return self.review.status == "published"

    @property
    def next_update_due(self) -> dt.date | None:
        days = UPDATE_CYCLES[self.update_cycle]
        return self.updated + dt.timedelta(days=days) if days else None


class Page(Base):
    kind: Literal["page"]


class Procedure(Base):
    """申辦業務: what a citizen applies for and how."""

    kind: Literal["procedure"]
    eligibility: str = Field(min_length=1)
    steps: list[str] = Field(min_length=1)
    documents: list[str] = Field(min_length=1)
    time_limit: str = Field(min_length=1)
    fee: str = Field(min_length=1)
    channels: list[Literal["counter", "online", "mail"]] = Field(min_length=1)
    forms: list[str] = []


class Form(Base):
    """A form with its files and a filling example (填寫範例), in open formats."""

    kind: Literal["form"]
    attachments: list[Attachment] = Field(min_length=1)
    example: Attachment
    procedure: str | None = None


class News(Base):
    kind: Literal["news"]


class Faq(Base):
    """The title is the question; the body is the answer."""

    kind: Literal["faq"]


class Disclosure(Base):
    kind: Literal["disclosure"]
    category: DisclosureCode
    attachments: list[Attachment] = []


class UnitContact(Strict):
    phone: str = Field(min_length=1)
    fax: str = ""
    email: str = ""
    address: str = Field(min_length=1)
    hours: str = ""


class Unit(Base):
    """A unit's page: its duties and public contacts."""

    kind: Literal["unit"]
    duties: list[str] = Field(min_length=1)
    contact: UnitContact


class Statistics(Base):
    kind: Literal["statistics"]
    period: str = Field(min_length=1)
    figures: list[Figure] = Field(min_length=1)
    category: DisclosureCode | None = None  # disclosure category it is listed under


Document = Annotated[
    Page | Procedure | Form | News | Faq | Disclosure | Unit | Statistics,
    Field(discriminator="kind"),
]
KINDS = ("page", "procedure", "form", "news", "faq", "disclosure", "unit", "statistics")
