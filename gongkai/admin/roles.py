"""The three roles of the back office, and their names as people read them."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    AUTHOR = "author"  # 上稿: writes and submits documents of their units
    REVIEWER = "reviewer"  # 審稿: reviews, publishes and withdraws documents of their units
    WEBMASTER = "webmaster"  # 資訊小組: everything, including accounts and the audit log


ROLE_NAMES = {Role.AUTHOR: "上稿", Role.REVIEWER: "審稿", Role.WEBMASTER: "網站管理（資訊小組）"}


def parse_role(text: str) -> Role:
    """The role named by its code (author / reviewer / webmaster) or its Chinese name."""
    for role in Role:
        if text.strip().lower() == role.value or text.strip() == ROLE_NAMES[role]:
            return role
    valid = ", ".join(f"{role.value} ({ROLE_NAMES[role]})" for role in Role)
    raise ValueError(f"unknown role {text[:40]!r} — use one of: {valid}")
