"""Uploads: each hostile file refused with a message beside the field, nothing stored or
published — 20 MB, an .exe renamed .odt, an ODF zip bomb, a path in the name, a .doc without
its ODF twin — and a real ODF file accepted."""

from __future__ import annotations

import io
import zipfile

import pytest
from sqlalchemy import select

from gongkai.admin.editing.uploads import check_odf, check_upload
from gongkai.admin.models import DraftFile
from tests.admin import editing_support
from tests.admin.editing_support import EDIT, form_of, post_form, signed_in
from tests.admin.support import csrf_token
from tests.demo_content import REPO

repo, editing_app, team = editing_support.repo, editing_support.editing_app, editing_support.team  # the shared fixtures
ODT = next((REPO / "content" / "files" / "forms").glob("*.odt")).read_bytes()  # made by scripts/make_forms.py (odfpy)


def odf(members: list[tuple[str, bytes]], mimetype: str = "application/vnd.oasis.opendocument.text") -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), mimetype, compress_type=zipfile.ZIP_STORED)
        for name, data in members:
            archive.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def upload(client, name: str, data: bytes, folder: str = "forms"):
    return client.post("/admin/drafts/1/files", data={"csrf_token": csrf_token(client, "/admin/"), "folder": folder,
                                                       "file": (io.BytesIO(data), name)}, content_type="multipart/form-data")


@pytest.fixture
def author(editing_app, team):
    client = signed_in(editing_app, team["author"])
    assert post_form(client, EDIT, form_of(client, EDIT) | {"fee": "免費"}).status_code == 302
    return client


def stored(app) -> list[str]:
    with app.extensions["gongkai.admin"].sessions() as db:
        return list(db.scalars(select(DraftFile.name)))


@pytest.mark.parametrize(("name", "data", "words"), [
    ("big.odt", b"PK\x03\x04" + b"\0" * (20 * 1024 * 1024), "超過上限"),
    ("form.odt", b"MZ\x90\x00" + b"\0" * 5000, "可執行的程式檔"),
    ("bomb.odt", None, "壓縮炸彈"),
    ("../../etc/passwd.odt", ODT, "含有路徑"),
    ("..\\evil.odt", ODT, "含有路徑"),
    ("申請書.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "同名的開放格式檔"),
    ("virus.exe", b"MZ" + b"\0" * 100, "不接受 .exe"),
    ("fake.odt", b"not a zip at all", "檔案內容不是 .odt"),
])
def test_hostile_uploads_are_refused_beside_the_field(editing_app, author, repo, name, data, words):
    if data is None:
        data = odf([("content.xml", b"\0" * (150 * 1024 * 1024))])
    response = upload(author, name, data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422, page[:500]
    assert 'id="upload-file-error"' in page and words in page and 'href="#upload-file"' in page
    assert stored(editing_app) == [] and len(repo.log()) == 1


def test_a_real_odf_file_is_accepted_and_a_doc_beside_its_twin_too(editing_app, author):
    assert upload(author, "申請書.odt", ODT).status_code == 302
    assert upload(author, "申請書.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100).status_code == 302
    assert sorted(stored(editing_app)) == ["forms/申請書.doc", "forms/申請書.odt"]


def test_the_odf_check_wants_mimetype_first_and_stored():
    assert check_odf(odf([("content.xml", b"<x/>")]), "application/vnd.oasis.opendocument.text") is None
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("content.xml", "<x/>")
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
    assert check_odf(out.getvalue(), "application/vnd.oasis.opendocument.text").code == "upload.bad-odf"
    assert check_odf(odf([], "application/vnd.oasis.opendocument.spreadsheet"), "application/vnd.oasis.opendocument.text").code == "upload.bad-odf"
    assert check_upload("forms/a.pdf", b"%PDF-1.7\n...", []).media_type == "application/pdf"


def test_an_uploaded_file_can_be_removed_and_the_removal_is_logged(editing_app, author):
    from gongkai.admin.models import AuditEntry

    assert upload(author, "申請書.odt", ODT).status_code == 302
    with editing_app.extensions["gongkai.admin"].sessions() as db:
        file_id = db.scalars(select(DraftFile.id)).one()
    page = author.get("/admin/drafts/1/preview").get_data(as_text=True)
    assert f"/admin/drafts/1/files/{file_id}/remove" in page
    assert post_form(author, f"/admin/drafts/1/files/{file_id}/remove", {}).status_code == 302
    assert stored(editing_app) == []
    with editing_app.extensions["gongkai.admin"].sessions() as db:
        assert db.scalars(select(AuditEntry.detail).where(AuditEntry.action == "file_removed")).one() == "files/forms/申請書.odt"
