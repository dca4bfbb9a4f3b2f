"""The review workflow (transitions), publishing into the content repository, and the per-person
lists of the dashboard (my_work)."""
