"""The WSGI entry point for a production server: `gunicorn wsgi:app`."""

import gc

from app import create_app

app = create_app()
# Everything loaded so far lives as long as the process: keep it out of the collector's full
# passes, which otherwise pause a request for tens of milliseconds now and then.
gc.freeze()
