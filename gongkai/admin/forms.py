"""The back office's forms (Flask-WTF): every field has a length limit, every message names its
field, and what was typed is kept when a form comes back with errors (passwords excepted)."""

from __future__ import annotations

import datetime as dt
import re

from flask_wtf import FlaskForm
from wtforms import DateField, Field, PasswordField, RadioField, SelectField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, InputRequired, Length, Optional, ValidationError

from gongkai.admin.audit import ACTIONS
from gongkai.admin.models import NAME_MAX, TARGET_MAX
from gongkai.admin.passwords import PASSWORD_MAX
from gongkai.admin.roles import ROLE_NAMES, Role
from gongkai.web.i18n import ZH
from gongkai.web.labels import label

CODE_MAX = 10
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def without_control_characters(value: object) -> object:
    """No NUL or other control characters in what is stored (PostgreSQL refuses NUL in text)."""
    if isinstance(value, str):
        return CONTROL.sub("", value)
    if isinstance(value, list):
        return [CONTROL.sub("", item) if isinstance(item, str) else item for item in value]
    return value


class Form(FlaskForm):
    """Every back-office form: control characters removed from every field but a password (hashed as typed)."""

    class Meta:
        def bind_field(self, form, unbound_field, options):
            filters = [*unbound_field.kwargs.get("filters", ())]
            if unbound_field.field_class is not PasswordField:
                filters.append(without_control_characters)
            return unbound_field.bind(form=form, filters=filters, **options)


def zh(key: str, **values: object) -> str:
    """A back-office label: the back office is in Traditional Chinese only."""
    return label(key, ZH, **values)


def required(key: str) -> DataRequired:
    return DataRequired(message=zh("admin.required", field=zh(key)))


def at_most(key: str, size: int) -> Length:
    return Length(max=size, message=zh("admin.too_long", field=zh(key), max=size))


class SignInForm(Form):
    name = StringField(zh("admin.name"), [required("admin.name"), at_most("admin.name", NAME_MAX)])
    password = PasswordField(zh("admin.password"), [required("admin.password"), at_most("admin.password", PASSWORD_MAX)])


class CodeForm(Form):
    code = StringField(zh("admin.code"), [required("admin.code"), at_most("admin.code", CODE_MAX)])


class AccountForm(Form):
    """The webmaster's change of an account's role, units and the units it heads."""

    role = RadioField(zh("admin.role"), [InputRequired(message=zh("admin.required", field=zh("admin.role")))],
                      choices=[SelectChoice(role.value, ROLE_NAMES[role]) for role in Role])
    units = SelectMultipleField(zh("admin.units"), [InputRequired(message="請至少選一個單位")], choices=[])
    heads = SelectMultipleField(zh("admin.heads"), [Optional()], choices=[])  # none checked: the account heads no unit

    def __init__(self, unit_choices: list[tuple[str, str]], *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.units.choices = [SelectChoice(value, text) for value, text in unit_choices]
        self.heads.choices = list(self.units.choices)


class PasswordForm(Form):
    current = PasswordField(zh("admin.current_password"), [required("admin.current_password"), at_most("admin.current_password", PASSWORD_MAX)])
    new = PasswordField(zh("admin.new_password"), [required("admin.new_password"), at_most("admin.new_password", PASSWORD_MAX)])
    again = PasswordField(zh("admin.again_password"), [required("admin.again_password"), at_most("admin.again_password", PASSWORD_MAX),
                                                       EqualTo("new", message=zh("admin.passwords_differ"))])


class ConfirmForm(Form):
    """A button that changes something: only its CSRF token is checked."""


AUDIT_FIRST_DAY, AUDIT_LAST_DAY = dt.date(2000, 1, 1), dt.date(2999, 12, 31)  # far wider than any log


class AuditFilterForm(Form):
    """A GET form: nothing changes, so no CSRF token (and a filter can be bookmarked)."""

    class Meta(Form.Meta):
        csrf = False

    person = StringField(zh("admin.person"), [Optional(), at_most("admin.person", NAME_MAX)])
    action = SelectField(zh("admin.action"), [Optional()], choices=[SelectChoice("", zh("admin.any_action")),
                                                                     *(SelectChoice(k, v) for k, v in ACTIONS.items())])
    since = DateField(zh("admin.since"), [Optional()])
    until = DateField(zh("admin.until"), [Optional()])
    target = StringField(zh("admin.target"), [Optional(), at_most("admin.target", TARGET_MAX)])

    def validate_until(self, field: DateField) -> None:
        if isinstance(self.since.data, dt.date) and isinstance(field.data, dt.date) and field.data < self.since.data:
            raise ValidationError(zh("admin.dates_reversed"))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for field in (self.since, self.until):  # WTForms' own message is English and names no field
            if field.raw_data and field.raw_data[0] and field.data is None:
                field.errors = [zh("admin.bad_date", field=field.label.text)]
            elif isinstance(field.data, dt.date) and not AUDIT_FIRST_DAY <= field.data <= AUDIT_LAST_DAY:
                # 0001-01-01 in Taipei is before year 1 in UTC, and 9999-12-31 has no next day
                field.errors = [zh("admin.date_out_of_range", field=field.label.text)]
                valid = False
        return valid


def errors_of(form: FlaskForm) -> list[tuple[Field, str]]:
    """(field, message) for the error summary, in the form's order."""
    return [(field, str(message)) for field in form for message in field.errors]
