"""Reading a rows request's query string into a store Query, with a 400 that names the
parameter, the field and the allowed values for anything it cannot use.

    ?office=嘉義辦事處                 field equals value (same as office__exact); ?note= finds empty cells
    ?count__gte=100&count__lt=500      named operators: exact not lt lte gt gte contains startswith in isnull
    ?instrument__in=量桶,水量計          'in' takes a comma-separated list
    ?_sort=count | ?_sort=-count       sort by a field, '-' for descending (ties in file order, reversed for '-')
    ?_limit=50&_offset=100             paging; _limit at most MAX_LIMIT
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from werkzeug.datastructures import MultiDict

from gongkai.opendata.packages import Dataset, Field
from gongkai.opendata.store import OPERATORS, Filter, Query
from gongkai.web import ApiError

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
MAX_OFFSET = 10_000_000
RESERVED = ("_sort", "_limit", "_offset")
INTEGER = re.compile(r"-?\d{1,18}")  # fits SQLite's 64-bit INTEGER
WHOLE = re.compile(r"-?\d{1,30}")
NUMBER = re.compile(r"-?\d{1,300}(\.\d+)?([eE][+-]?\d{1,3})?")
TEXT_ONLY = ("contains", "startswith")
# the range a filter value may take (the OpenAPI document states the same bounds)
VALUE_LIMITS = {"integer": 10**17, "year": 10**17, "number": 1e15}


def _integer(name: str, text: str, low: int, high: int, error: str) -> int:
    if not WHOLE.fullmatch(text):
        raise ApiError(400, "bad_parameter", f"{name} must be a whole number, not {text!r}", parameter=name)
    value = int(text)
    if value < low:
        raise ApiError(400, "bad_parameter", f"{name} must be at least {low}", parameter=name, minimum=low)
    if value > high:
        raise ApiError(400, error, f"{name} may be at most {high}; page through the rows with _offset, or stream them all "
                                    "from rows.csv", parameter=name, maximum=high)
    return value


def _cast(dataset: Dataset, field: Field, op: str, text: str, parameter: str) -> Any:
    if op == "isnull":
        if text.lower() not in ("true", "false", "1", "0"):
            raise ApiError(400, "bad_value", f"{parameter} takes true or false", parameter=parameter, field=field.name)
        return text.lower() in ("true", "1")
    if op in TEXT_ONLY:
        return text
    values = text.split(",") if op == "in" else [text]
    cast = []
    for value in values:
        try:
            if (field.type in ("integer", "year") and not INTEGER.fullmatch(value)) or (field.type == "number" and not NUMBER.fullmatch(value)):
                raise ValueError(value)
            cast.append(field.cast(value))
            limit = VALUE_LIMITS.get(field.type)
            if limit is not None and cast[-1] is not None and not -limit <= cast[-1] <= limit:
                raise ValueError(value)
        except ValueError:
            raise ApiError(400, "bad_value", f"{value!r} is not a valid {field.type} for field {field.name!r}"
                           + (f" (between -{VALUE_LIMITS[field.type]:g} and {VALUE_LIMITS[field.type]:g})" if field.type in VALUE_LIMITS else ""),
                           parameter=parameter, field=field.name, type=field.type) from None
        if cast[-1] is None and op != "in":
            raise ApiError(400, "bad_value", f"{parameter} needs a value; use {field.name}__isnull=true to find empty cells",
                           parameter=parameter, field=field.name)
    return cast if op == "in" else cast[0]


def parse_query(dataset: Dataset, args: Mapping[str, Any] | MultiDict, paged: bool = True) -> Query:
    names = [f.name for f in dataset.fields]
    filters, sort, descending = [], None, False
    limit: int | None = DEFAULT_LIMIT if paged else None
    offset = 0
    items = args.items(multi=True) if isinstance(args, MultiDict) else args.items()
    for key, text in items:
        if key.startswith("_"):
            if key not in RESERVED:
                raise ApiError(400, "unknown_parameter", f"unknown parameter {key!r}; the reserved ones are {', '.join(RESERVED)}",
                               parameter=key, allowed=list(RESERVED))
            if key == "_sort":
                name = text[1:] if text.startswith("-") else text
                if name not in names:
                    raise ApiError(400, "bad_sort", f"cannot sort by {text!r}: no such field in {dataset.id}",
                                   parameter=key, allowed=names + ["-" + n for n in names])
                sort, descending = name, text.startswith("-")
            elif key == "_limit":
                limit = _integer(key, text, 1, MAX_LIMIT if paged else MAX_OFFSET, "limit_too_large")
            elif key == "_offset":
                offset = _integer(key, text, 0, MAX_OFFSET, "offset_too_large")
            continue
        name, _, op = key.partition("__")
        op = op or "exact"
        field = dataset.field(name)
        if field is None:
            raise ApiError(400, "unknown_field", f"{dataset.id} has no field {name!r}", parameter=key, field=name, allowed=names)
        if op not in OPERATORS:
            raise ApiError(400, "bad_operator", f"unknown operator {op!r} for field {name!r}; use one of {', '.join(OPERATORS)}",
                           parameter=key, field=name, allowed=list(OPERATORS))
        if text == "" and op in ("exact", "not") and field.type == "string":
            filters.append(Filter(name, "isnull", op == "exact"))  # an empty value means an empty cell
            continue
        filters.append(Filter(name, op, _cast(dataset, field, op, text, key)))
    return Query(tuple(filters), sort, descending, limit, offset)
