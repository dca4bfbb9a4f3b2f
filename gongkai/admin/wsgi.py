"""WSGI entry point of the back office: ``gunicorn gongkai.admin.wsgi:app``."""

from gongkai.admin import create_app

app = create_app()
