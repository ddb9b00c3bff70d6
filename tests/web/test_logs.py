"""Logs keep where an error happened and never the values a request carried."""

import logging
import traceback

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from app.extensions import db

NAME = "Harold Brandt"
FORM = {"patient_name": NAME, "patient_dob": "1955-06-02"}


def _raise_with_phi():
    try:
        int(f"{FORM['patient_name']}, {FORM['patient_dob']}")
    except ValueError as exc:
        raise RuntimeError(f"could not save {NAME}") from exc


def test_an_exception_logged_by_the_app_keeps_its_frames_and_loses_its_message(app, caplog):
    caplog.set_level(logging.INFO)
    try:
        _raise_with_phi()
    except RuntimeError:
        app.logger.exception("Exception on /cases/new [POST]")
        logging.getLogger("sqlalchemy.pool").exception("connection failed")
    assert NAME not in caplog.text and "1955-06-02" not in caplog.text
    assert caplog.text.count("in _raise_with_phi") == 4  # its two frames, in both records
    assert "ValueError: (message withheld" in caplog.text
    assert "RuntimeError: (message withheld" in caplog.text
    assert "direct cause" in caplog.text


def test_a_traceback_the_development_server_logs_as_text_loses_its_messages(app, caplog):
    caplog.set_level(logging.INFO)
    try:
        _raise_with_phi()
    except RuntimeError:
        tb = traceback.format_exc()
    logging.getLogger("werkzeug").error(f"127.0.0.1 - - [x] Error on request:\n{tb}\n")
    logging.getLogger("gunicorn.error").error("Error handling request\n%s", tb)
    assert NAME not in caplog.text and "1955-06-02" not in caplog.text
    assert caplog.text.count("Error on request") == 1
    assert caplog.text.count("in _raise_with_phi") == 4
    assert caplog.text.count("RuntimeError: (message withheld") == 2


def test_a_database_error_names_the_statement_and_not_the_values_bound_to_it(app, caplog):
    with app.app_context():
        db.session.execute(text("CREATE TABLE scratch (name TEXT UNIQUE)"))
        db.session.execute(text("INSERT INTO scratch VALUES (:n)"), {"n": NAME})
        with pytest.raises(IntegrityError) as refused:
            db.session.execute(text("INSERT INTO scratch VALUES (:n)"), {"n": NAME})
        db.session.rollback()
    assert "INSERT INTO scratch" in str(refused.value)
    assert NAME not in str(refused.value)
