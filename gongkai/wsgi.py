"""WSGI entry point for gunicorn: ``gunicorn gongkai.wsgi:app``."""

from gongkai.app import create_app

app = create_app()
