"""Editing documents in the back office: forms built from the content model, drafts and their
revisions, the preview through the site's own templates, the pre-submit accessibility checks and
uploaded attachments."""

from gongkai.admin.editing import labels  # noqa: F401 - registers the editing.* labels
