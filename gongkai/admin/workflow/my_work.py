"""The dashboard's lists for one person: my drafts, waiting for my review, sent back to me (with
the reviewer's comment). The dashboard includes templates/admin/_my_work.html with ``work``."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from gongkai.admin.editing.drafts import writers
from gongkai.admin.models import Account, Draft
from gongkai.admin.permissions import can


@dataclass(frozen=True)
class MyWork:
    drafts: list[Draft]
    to_review: list[Draft]
    sent_back: list[Draft]


def my_work(db: Session, account: Account) -> MyWork:
    open_drafts = list(db.scalars(select(Draft).where(Draft.open_path.is_not(None)).order_by(Draft.changed_at.desc())))
    mine = [d for d in open_drafts if d.author_id == account.id or account.id in writers(d)]
    return MyWork(
        drafts=[d for d in mine if d.state == "draft"],
        to_review=[d for d in open_drafts if d.state == "in_review" and can(account, "review_document", d) and account.id not in writers(d)],
        sent_back=[d for d in mine if d.state == "rejected"],
    )
