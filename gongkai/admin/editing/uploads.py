"""Checking an uploaded attachment before it is stored with a draft: its size, its name, its
format by suffix (open formats; a closed one only beside its ODF twin), its content against its
suffix (sniffed from the first bytes, not trusted from the browser's Content-Type) and, for ODF,
the package itself — a zip whose first member is the uncompressed ``mimetype`` naming the same
type, with limits on the total uncompressed size and on the compression ratio (zip bombs).
"""

from __future__ import annotations

import io
import posixpath
import re
import unicodedata
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass

from gongkai.conventions import CLOSED_FORMATS, OPEN_FORMATS, closed_without_open_twin, open_twin_suffix

UPLOAD_MAX = 10 * 1024 * 1024  # 10 MB: a form or report; larger files belong on a download server
REQUEST_MAX = 64 * 1024 * 1024  # an upload request may be read up to this, so a too-large file is refused beside its field
UNCOMPRESSED_MAX = 100 * 1024 * 1024
RATIO_MAX = 100  # a member may expand at most this many times (text compresses ~5–20×)
MEMBERS_MAX = 10000
FOLDERS = ("forms", "documents", "reports", "data")  # where under content/files/ an upload may go
NAME = re.compile(r"[\w\u3400-\u9fff][\w\u3400-\u9fff.()（）-]{0,150}")

ODF_TYPES = {".odt": "application/vnd.oasis.opendocument.text", ".ods": "application/vnd.oasis.opendocument.spreadsheet",
             ".odp": "application/vnd.oasis.opendocument.presentation", ".odg": "application/vnd.oasis.opendocument.graphics"}
MEDIA_TYPES = {**ODF_TYPES, ".pdf": "application/pdf", ".csv": "text/csv", ".json": "application/json", ".txt": "text/plain",
               ".xml": "application/xml", ".html": "text/html", ".htm": "text/html", ".doc": "application/msword",
               ".xls": "application/vnd.ms-excel", ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
               ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc / .xls
EXECUTABLES = (b"MZ", b"\x7fELF", b"#!", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe", b"\xfe\xed\xfa\xcf")


@dataclass(frozen=True)
class UploadProblem:
    code: str
    message: str  # zh-TW, naming what is wrong and what to do


@dataclass(frozen=True)
class CheckedFile:
    name: str  # relative to content/files/
    data: bytes
    media_type: str


def clean_name(folder: str, filename: str) -> str | UploadProblem:
    """The stored name: ``folder/filename``, or a problem. A path in the file name is refused, not stripped."""
    name = unicodedata.normalize("NFC", filename or "").strip()
    if not name:
        return UploadProblem("upload.empty", "請選擇要上傳的檔案")
    if "/" in name or "\\" in name or name.startswith(".") or ".." in name or "\x00" in name:
        return UploadProblem("upload.bad-name", f"檔名「{name[:80]}」含有路徑或不允許的字元，請只用檔名本身（例如 申請書.odt）")
    if not NAME.fullmatch(name):
        return UploadProblem("upload.bad-name", "檔名只能用中文、英文字母、數字、底線、連字號、括號與一個副檔名，且不超過 150 字元")
    if folder not in FOLDERS:
        return UploadProblem("upload.bad-name", f"請選擇存放的資料夾：{'、'.join(FOLDERS)}")
    return f"{folder}/{name}"


def check_upload(name: str, data: bytes, others: Iterable[str]) -> CheckedFile | UploadProblem:
    """``name`` from clean_name; ``others``: the draft's other attachment names (for the ODF-twin rule)."""
    if not data:
        return UploadProblem("upload.empty", "檔案是空的，請重新選擇檔案")
    if len(data) > UPLOAD_MAX:
        return UploadProblem("upload.too-large", f"檔案有 {len(data) / 1048576:.1f} MB，超過上限 {UPLOAD_MAX // 1048576} MB；請壓縮圖片或分成幾個檔案")
    suffix = posixpath.splitext(name)[1].lower()
    if suffix not in OPEN_FORMATS and suffix not in CLOSED_FORMATS:
        return UploadProblem("upload.not-allowed-format", f"不接受 {suffix or '沒有副檔名'} 檔；請提供開放格式（ODT、ODS、PDF、CSV 等）")
    if suffix in CLOSED_FORMATS and name in closed_without_open_twin([*others, name]):
        twin = posixpath.splitext(posixpath.basename(name))[0] + open_twin_suffix(suffix)
        return UploadProblem("upload.closed-without-open-twin",
                             f"{suffix} 是封閉格式，必須同時提供同名的開放格式檔；請先上傳 {twin}，再上傳這個檔案")
    mismatch = _sniff(suffix, data)
    if mismatch:
        return mismatch
    if suffix in ODF_TYPES:
        problem = check_odf(data, ODF_TYPES[suffix])
        if problem:
            return problem
    return CheckedFile(name, data, MEDIA_TYPES.get(suffix, "application/octet-stream"))


def _sniff(suffix: str, data: bytes) -> UploadProblem | None:
    head = data[:8]
    wrong = UploadProblem("upload.content-mismatch", f"檔案內容不是 {suffix} 檔（可能是改了副檔名的其他檔案）；請用原本的程式另存為 {suffix} 再上傳")
    if head.startswith(EXECUTABLES):
        return UploadProblem("upload.content-mismatch", "這是可執行的程式檔，不能上傳；請上傳文件本身")
    if suffix in ODF_TYPES or suffix in (".docx", ".xlsx", ".pptx"):
        return None if head.startswith(b"PK\x03\x04") else wrong
    if suffix == ".pdf":
        return None if data[:1024].lstrip().startswith(b"%PDF-") else wrong
    if suffix in (".doc", ".xls", ".ppt"):
        return None if head.startswith(OLE2) else wrong
    if suffix in (".csv", ".json", ".txt", ".xml", ".html", ".htm", ".ttl", ".rdf", ".jsonld", ".geojson"):
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            return UploadProblem("upload.content-mismatch", f"{suffix} 檔必須是 UTF-8 文字；請另存為 UTF-8 再上傳")
        return None
    return None


def check_odf(data: bytes, media_type: str) -> UploadProblem | None:
    """An ODF package: a zip, ``mimetype`` its first member, stored, naming the expected type; and small enough unpacked."""
    bad = UploadProblem("upload.bad-odf", "不是有效的 ODF 檔案；請用 LibreOffice 等程式重新另存為 ODF 格式再上傳")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError):
        return bad
    with archive:
        members = archive.infolist()
        if not members or members[0].filename != "mimetype" or members[0].compress_type != zipfile.ZIP_STORED:
            return bad
        if len(members) > MEMBERS_MAX:
            return UploadProblem("upload.zip-bomb", "檔案內含的項目過多，不像一般文件；請重新另存後上傳")
        total = 0
        for member in members:
            total += member.file_size
            if total > UNCOMPRESSED_MAX or (member.compress_size and member.file_size / member.compress_size > RATIO_MAX):
                return UploadProblem("upload.zip-bomb", "檔案解壓縮後異常龐大（疑似壓縮炸彈），已拒絕；請重新另存後上傳")
        try:
            declared = archive.read(members[0]).decode("ascii", "replace").strip()
        except (zipfile.BadZipFile, OSError):
            return bad
        if declared != media_type:
            return bad
    return None
