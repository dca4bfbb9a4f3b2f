"""The editing form of each document kind, read from the content model's own field definitions
(pydantic ``model_fields`` of gongkai/model/documents.py): there is no second list of fields.

A field's widget follows from its type: text, a date, one choice (a Literal, or a code list of
content/codes/), several choices, a checkbox, one line per item (a list of text), a group of
fields (a nested model) or repeated groups (a list of nested models).
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Literal, get_args, get_origin

from annotated_types import MaxLen, MinLen
from pydantic import AfterValidator, BaseModel
from pydantic.fields import FieldInfo

from gongkai.model.documents import KINDS, Base, Document

# Fields the form does not offer: fixed for a document (kind), the body (its own text area),
# filled in by the loader (path), or by the workflow (review: who wrote and approved it; withdrawal:
# when and why it was taken down — republishing an edited withdrawn document drops it).
NOT_IN_FORM = frozenset({"kind", "body", "path", "review", "withdrawal"})
FIXED_ONCE_PUBLISHED = frozenset({"id", "lang"})  # the file's name and folder: a new id is a new document
TEXT_MAX = 2000  # a one-line field; the model sets a tighter limit where it has one (the title: 120)
LINES_MAX = 10000
BLANK_ROWS = 1  # an empty group after the filled ones, to add one more without JavaScript

Widget = Literal["text", "number", "date", "select", "checkboxes", "checkbox", "lines", "group", "rows"]


@dataclass(frozen=True)
class FieldSpec:
    name: str  # the front-matter key
    widget: Widget
    required: bool
    max_length: int = TEXT_MAX
    choices: tuple[str, ...] = ()  # values of a Literal
    code_list: str = ""  # or the name of a code list in content/codes/ (units, themes …)
    children: tuple[FieldSpec, ...] = field(default=())


def model_of(kind: str) -> type[BaseModel]:
    """The pydantic model of a kind, from the model's own discriminated union."""
    union = get_args(Document)[0]
    for model in get_args(union):
        if get_args(model.model_fields["kind"].annotation) == (kind,):
            return model
    raise KeyError(f"unknown document kind {kind!r}: one of {', '.join(KINDS)}")


@cache
def form_fields(kind: str) -> tuple[FieldSpec, ...]:
    model = model_of(kind)
    return tuple(spec(name, info) for name, info in model.model_fields.items() if name not in NOT_IN_FORM)


def spec(name: str, info: FieldInfo) -> FieldSpec:
    annotation = _without_none(info.annotation)
    required = info.is_required()
    max_length = next((m.max_length for m in info.metadata if isinstance(m, MaxLen)), TEXT_MAX)
    code_list = _code_list(info.metadata) or _code_list(_annotated_metadata(annotation))
    origin = get_origin(annotation)
    if origin is list:
        (item,) = get_args(annotation)
        required = required and any(isinstance(m, MinLen) and m.min_length > 0 for m in info.metadata)
        item_base = _without_annotated(item)
        if isinstance(item_base, type) and issubclass(item_base, BaseModel):
            return FieldSpec(name, "rows", required, children=_children(item_base))
        item_codes = _code_list(_annotated_metadata(item))
        if item_codes:
            return FieldSpec(name, "checkboxes", required, code_list=item_codes)
        if get_origin(item_base) is Literal:
            return FieldSpec(name, "checkboxes", required, choices=tuple(map(str, get_args(item_base))))
        return FieldSpec(name, "lines", required, max_length=LINES_MAX)
    base = _without_annotated(annotation)
    if code_list:
        return FieldSpec(name, "select", required, code_list=code_list)
    if get_origin(base) is Literal:
        return FieldSpec(name, "select", required, choices=tuple(map(str, get_args(base))))
    if base is bool:
        return FieldSpec(name, "checkbox", False)
    if base is dt.date:
        return FieldSpec(name, "date", required, max_length=10)
    if base in (int, float):
        return FieldSpec(name, "number", required, max_length=32)
    if isinstance(base, type) and issubclass(base, BaseModel):
        return FieldSpec(name, "group", required, children=_children(base))
    return FieldSpec(name, "text", required, max_length=max_length)


def _children(model: type[BaseModel]) -> tuple[FieldSpec, ...]:
    return tuple(spec(name, info) for name, info in model.model_fields.items())


def _without_none(annotation: Any) -> Any:
    if get_origin(annotation) in (typing.Union, types.UnionType):
        rest = [a for a in get_args(annotation) if a is not type(None)]
        return rest[0] if len(rest) == 1 else annotation
    return annotation


def _without_annotated(annotation: Any) -> Any:
    return get_args(annotation)[0] if get_origin(annotation) is typing.Annotated else annotation


def _annotated_metadata(annotation: Any) -> list[Any]:
    if get_origin(annotation) is typing.Annotated:
        return list(annotation.__metadata__)
    return []


def _code_list(metadata: list[Any]) -> str:
    """The code list a ``documents.known(listname, …)`` validator checks against, read from its closure."""
    for item in metadata:
        if isinstance(item, FieldInfo):
            found = _code_list(item.metadata)
            if found:
                return found
        if isinstance(item, AfterValidator) and getattr(item.func, "__qualname__", "").startswith("known."):
            cells = dict(zip(item.func.__code__.co_freevars, (c.cell_contents for c in item.func.__closure__ or ()), strict=True))
            return str(cells.get("listname", ""))
    return ""


def common_field_names() -> tuple[str, ...]:
    """The fields every kind shares (for tests and the labels' completeness check)."""
    return tuple(name for name in Base.model_fields if name not in NOT_IN_FORM)
