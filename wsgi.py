"""The WSGI entry point for a production server: `gunicorn wsgi:app`."""

from app import create_app, tune_collector

app = create_app()
tune_collector()
