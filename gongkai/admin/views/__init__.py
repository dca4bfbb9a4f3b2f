"""The back office's pages, one blueprint per area, all under /admin/."""
