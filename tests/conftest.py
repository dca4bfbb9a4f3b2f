"""Shared fixtures: a small valid content tree to break on purpose, and the demo app."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.demo_content import DEMO_CONTENT

REPO = Path(__file__).resolve().parent.parent

PROCEDURE = """\
---
kind: procedure
id: water-meter
lang: zh-Hant-TW
title: 水量計檢定
summary: 水量計的檢定申請。
unit: sec4
theme: ["220"]
policy: [P20]
service: [E00]
keywords: [水量計, 檢定]
published: 2022-01-10
updated: 2022-06-01
update_cycle: as-needed
review:
  author: 林上稿
  reviewer: 陳審稿
  date: 2022-06-02
  status: published
eligibility: 水量計製造或修理業者
steps: [線上申請, 送件檢定]
documents: [申請書]
time_limit: 7 個工作天
fee: 依規費標準
channels: [counter, online]
forms: [water-meter-form]
---
## 說明

本文。
"""

FORM = """\
---
kind: form
id: water-meter-form
lang: zh-Hant-TW
title: 水量計檢定申請書
summary: 申請水量計檢定使用。
unit: sec4
theme: ["220"]
policy: [P20]
service: [E00]
keywords: [水量計, 申請書]
published: 2022-01-10
updated: 2022-06-01
update_cycle: as-needed
review:
  author: 林上稿
  reviewer: 陳審稿
  date: 2022-06-02
  status: published
attachments:
  - file: forms/water.odt
    title: 申請書
example:
  file: forms/water-example.odt
  title: 申請書填寫範例
procedure: water-meter
---
"""


@pytest.fixture
def content_tree(tmp_path: Path) -> Path:
    """A minimal valid content tree: the demo's site.yaml and code lists plus two documents."""
    root = tmp_path / "content"
    (root / "docs" / "zh").mkdir(parents=True)
    shutil.copy(DEMO_CONTENT / "site.yaml", root / "site.yaml")
    shutil.copytree(DEMO_CONTENT / "codes", root / "codes")
    (root / "docs" / "zh" / "water-meter.md").write_text(PROCEDURE, encoding="utf-8")
    (root / "docs" / "zh" / "water-meter-form.md").write_text(FORM, encoding="utf-8")
    (root / "files" / "forms").mkdir(parents=True)
    for name in ("water.odt", "water-example.odt"):
        (root / "files" / "forms" / name).write_bytes(b"PK\x03\x04 sample")
    return root
