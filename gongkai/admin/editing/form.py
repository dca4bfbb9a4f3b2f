"""Between a document's front matter and the editing form's inputs, both ways.

Input names follow the front matter's shape: ``title``, ``contact.phone``, ``sources.0.url``;
a list of text is one line per item. What a person typed is kept as typed (control characters
removed, as in every back-office form) so a refused save gives it back unchanged.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml
from werkzeug.datastructures import MultiDict

from gongkai.admin.editing.fields import BLANK_ROWS, FieldSpec, form_fields
from gongkai.admin.forms import without_control_characters
from gongkai.model.yamlfile import FENCE

BODY_MAX = 100_000  # characters of Markdown: a long page is a few thousand
ROWS_MAX = 200  # repeated groups (sources, figures, attachments) one form may send


@dataclass
class FormState:
    """The inputs' values, as the form shows them (strings, or lists of strings for checkboxes)."""

    values: dict[str, Any] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)  # a repeated group's filled rows
    too_long: dict[str, int] = field(default_factory=dict)  # input name → its limit, when over it

    def value(self, name: str) -> str:
        found = self.values.get(name, "")
        return found if isinstance(found, str) else ""

    def chosen(self, name: str) -> list[str]:
        found = self.values.get(name, [])
        return found if isinstance(found, list) else []

    def row_indexes(self, name: str) -> range:
        return range(self.rows.get(name, 0) + BLANK_ROWS)


# --------------------------------------------------------------------------- front matter → form


def state_from_data(kind: str, data: Mapping[str, Any]) -> FormState:
    state = FormState()
    for spec in form_fields(kind):
        _fill(state, spec, spec.name, data.get(spec.name))
    state.values["body"] = str(data.get("body") or "")
    return state


def _fill(state: FormState, spec: FieldSpec, name: str, value: Any) -> None:
    if spec.widget == "group":
        for child in spec.children:
            _fill(state, child, f"{name}.{child.name}", (value or {}).get(child.name) if isinstance(value, dict) else None)
    elif spec.widget == "rows":
        items = value if isinstance(value, list) else []
        state.rows[name] = len(items)
        for index, item in enumerate(items):
            for child in spec.children:
                _fill(state, child, f"{name}.{index}.{child.name}", item.get(child.name) if isinstance(item, dict) else None)
    elif spec.widget == "checkboxes":
        state.values[name] = [str(v) for v in value] if isinstance(value, list) else []
    elif spec.widget == "lines":
        state.values[name] = "\n".join(str(v) for v in value) if isinstance(value, list) else ""
    elif spec.widget == "checkbox":
        state.values[name] = "on" if value is True else ""
    else:
        state.values[name] = "" if value is None else _text(value)


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


# --------------------------------------------------------------------------- form → front matter


def state_from_form(kind: str, form: MultiDict) -> FormState:
    state = FormState()
    for spec in form_fields(kind):
        _read(state, spec, spec.name, form)
    state.values["body"] = _clean(form.get("body", ""))
    if len(state.values["body"]) > BODY_MAX:
        state.too_long["body"] = BODY_MAX
    return state


def _clean(value: str) -> str:
    return str(without_control_characters(value.replace("\r\n", "\n")))


def _read(state: FormState, spec: FieldSpec, name: str, form: MultiDict) -> None:
    if spec.widget == "group":
        for child in spec.children:
            _read(state, child, f"{name}.{child.name}", form)
    elif spec.widget == "rows":
        count = 0
        for index in range(ROWS_MAX):
            names = [f"{name}.{index}.{child.name}" for child in spec.children]
            if not any(n in form for n in names):
                break
            if not any(form.get(n, "").strip() for n in names):
                continue  # an empty group: the blank one offered for adding
            for child in spec.children:
                _read(state, child, f"{name}.{count}.{child.name}", MultiDict({f"{name}.{count}.{child.name}": form.get(f"{name}.{index}.{child.name}", "")}))
            count += 1
        state.rows[name] = count
    elif spec.widget == "checkboxes":
        state.values[name] = [_clean(v)[: spec.max_length] for v in form.getlist(name)][:ROWS_MAX]
    elif spec.widget == "checkbox":
        state.values[name] = "on" if form.get(name) else ""
    else:
        typed = _clean(form.get(name, ""))
        state.values[name] = typed
        if len(typed) > spec.max_length:
            state.too_long[name] = spec.max_length


def data_from_state(kind: str, state: FormState, fixed: Mapping[str, Any]) -> dict[str, Any]:
    """The front matter the form describes, in the model's field order; ``fixed`` holds what the
    form does not offer (kind, and id/lang/review of an existing document)."""
    data: dict[str, Any] = {"kind": kind}
    for spec in form_fields(kind):
        if spec.name in fixed:
            data[spec.name] = fixed[spec.name]
            continue
        value = _collect(state, spec, spec.name)
        if value is not None:
            data[spec.name] = value
    if "review" in fixed:
        data["review"] = fixed["review"]
    return data


def _collect(state: FormState, spec: FieldSpec, name: str) -> Any:
    if spec.widget == "group":
        group = {child.name: v for child in spec.children if (v := _collect(state, child, f"{name}.{child.name}")) is not None}
        return group or None
    if spec.widget == "rows":
        items = []
        for index in range(state.rows.get(name, 0)):
            item = {child.name: v for child in spec.children if (v := _collect(state, child, f"{name}.{index}.{child.name}")) is not None}
            items.append(item)
        return items or None
    if spec.widget == "checkboxes":
        return state.chosen(name) or None
    if spec.widget == "lines":
        lines = [line.strip() for line in state.value(name).split("\n") if line.strip()]
        return lines or None
    if spec.widget == "checkbox":
        return True if state.value(name) else None
    text = state.value(name).strip()
    if not text:
        return None
    if spec.widget == "number":
        try:
            number = float(text.replace(",", ""))
        except ValueError:
            return text  # the model says it is not a number, beside the field
        return int(number) if number.is_integer() else number
    return text


def document_text(data: Mapping[str, Any], body: str) -> str:
    """The file the back office publishes: YAML front matter between '---' lines, then the Markdown."""
    front = yaml.safe_dump(dict(data), allow_unicode=True, sort_keys=False, default_flow_style=None, width=1000)
    body = body.replace("\r\n", "\n")
    return f"{FENCE}\n{front}{FENCE}\n{body if body.endswith(chr(10)) or not body else body + chr(10)}"
