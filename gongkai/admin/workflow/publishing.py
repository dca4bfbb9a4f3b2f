"""Publishing: the approved revision, re-validated with its review block filled in (the names of
author and reviewer, the day), written with its attachments into the content repository as one
commit whose trailers name the document, both people, the unit and any reason. A draft that fails
validation or the accessibility checks never reaches the repository.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from gongkai import clock
from gongkai.admin import audit
from gongkai.admin.db import utcnow
from gongkai.admin.editing.drafts import target
from gongkai.admin.editing.form import document_text
from gongkai.admin.mail import queue
from gongkai.admin.models import Account, Draft
from gongkai.admin.text import one_line
from gongkai.admin.workflow.transitions import WorkflowError
from gongkai.content_repo import ContentRepository, Person
from gongkai.model.corpus import Corpus
from gongkai.model.single import split_front_matter, validate_document
from gongkai.problems import Problem

Gate = Callable[[Draft, str], list[Problem]]  # accessibility findings of a text, from its preview


def published_text(draft: Draft, reviewer: Account, status: str = "published", extra: dict | None = None) -> str:
    parsed = split_front_matter(draft.latest.text)
    data = dict(parsed.data)
    data["review"] = {"author": draft.author.name, "reviewer": reviewer.name, "date": clock.today().isoformat(), "status": status}
    data.update(extra or {})
    return document_text(data, parsed.body)


def publish(db: Session, draft: Draft, reviewer: Account, content_dir: Path, corpus: Corpus, gate: Gate, address: str = "") -> str:
    """Commit the draft into the content repository; returns the commit id. Refuses (WorkflowError)
    a text that fails validation or the accessibility checks: nothing is written then."""
    text = published_text(draft, reviewer)
    files = {f.name: f.data for f in draft.files}
    doc, problems = validate_document(text, draft.path, corpus, extra_files=files)
    findings = gate(draft, text) if doc is not None else []
    if doc is None or findings:
        audit.record(db, reviewer, "publish_failed", target(draft), address, "; ".join(p.message for p in [*problems, *findings])[:500])
        db.commit()
        raise WorkflowError("這份文件沒有通過檢查（內容驗證或無障礙檢查），沒有發布；請退回作者修正。")
    changes: dict[str, bytes | None] = {draft.path: text.encode("utf-8")}
    changes.update({f"files/{name}": data for name, data in files.items()})
    trailers = {"Document": f"{draft.lang}/{draft.doc_id}", "Author": draft.author.name, "Reviewed-by": reviewer.name,
                "Unit": draft.unit, "Reason": draft.reason or None}
    commit = ContentRepository(Path(content_dir)).publish(changes, subject=f"發布：{doc.title}", author=Person(reviewer.name, reviewer.email or ""),
                                                          trailers=trailers)
    draft.state, draft.open_path, draft.commit, draft.publish_at = "published", None, commit, None
    audit.record(db, reviewer, "published", target(draft), address, f"第 {draft.latest.number} 版，commit {commit[:12]}")
    if draft.author.email:
        queue(db, draft.author.email, f"文件已發布：{doc.title}", f"{reviewer.name} 核可並發布了「{doc.title}」（{draft.path}）。")
    return commit


def withdraw(db: Session, actor: Account, path: str, lang: str, doc_id: str, kind: str, unit: str, reason: str, content_dir: Path,
             address: str = "") -> str:
    """Publish the file with review.status withdrawn and its withdrawal (day and reason): the site answers 410."""
    reason = one_line(reason)
    if not reason:
        raise WorkflowError("請寫下下架的理由，民眾會在原網址看到這段說明。", "reason")
    if len(reason) > 500:
        raise WorkflowError("下架理由最多 500 個字元。", "reason")
    repo = ContentRepository(Path(content_dir))
    current = repo.read(path)
    if current is None:
        raise WorkflowError("內容庫裡找不到這份文件。")
    parsed = split_front_matter(current.decode("utf-8"))
    data = dict(parsed.data)
    review = dict(data.get("review") or {})
    review.update(status="withdrawn", date=clock.today().isoformat())
    data["review"] = review
    data["withdrawal"] = {"date": clock.today().isoformat(), "reason": reason}
    text = document_text(data, parsed.body)
    author = str(review.get("author") or "")
    commit = repo.publish({path: text.encode("utf-8")}, subject=f"下架：{data.get('title', doc_id)}", author=Person(actor.name, actor.email or ""),
                          trailers={"Document": f"{lang}/{doc_id}", "Author": author or None, "Reviewed-by": actor.name, "Unit": unit,
                                    "Reason": reason, "Action": "withdraw"})
    closed = Draft(kind=kind, lang=lang, doc_id=doc_id, unit=unit, path=path, open_path=None, state="withdrawn", author_id=actor.id,
                   reviewer_id=actor.id, reason=reason, commit=commit)
    db.add(closed)
    audit.record(db, actor, "withdrawn", f"document:{lang}/{doc_id}", address, reason)
    return commit


def publish_due(sessions: sessionmaker[Session], content_dir: Path, corpus: Corpus, gate: Gate, now: dt.datetime | None = None) -> list[str]:
    """Publish every approved draft whose time has come (``gongkai publish-due``, on a timer). Returns
    the paths published; one that fails is sent back to review with the reason in the log."""
    now = now or utcnow()
    done = []
    with sessions() as db:
        due = list(db.scalars(select(Draft).where(Draft.state == "scheduled", Draft.publish_at <= now).order_by(Draft.publish_at)))
        for draft in due:
            try:
                publish(db, draft, draft.reviewer, content_dir, corpus, gate, address="publish-due")
            except WorkflowError:
                draft.state = "in_review"
            db.commit()
            if draft.state == "published":
                done.append(draft.path)
    return done
