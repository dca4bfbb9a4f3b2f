"""The public website: blueprints, templates and static files."""
