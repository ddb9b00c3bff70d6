"""A real Chromium (Debian's /usr/bin/chromium) driven by Playwright against a live server."""

import os
import shutil
import threading

import pytest
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

CHROMIUM = os.environ.get("PEERBRIEF_CHROMIUM", "/usr/bin/chromium")
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture
def live_server(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()
    server.server_close()


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install chromium")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()


def watched_page(browser, live_server):
    """A new browser context's page, with a `problems` list: console errors, page errors, and
    any request to another origin (PHI pages load nothing from elsewhere)."""
    context = browser.new_context(base_url=live_server, viewport={"width": 1360, "height": 900})
    context.set_default_timeout(8000)
    page = context.new_page()
    problems = []
    page.on(
        "console",
        lambda m: (
            problems.append(m.text) if m.type == "error" and "status of 422" not in m.text else None
        ),
    )  # a refused form is expected
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on(
        "request",
        lambda r: (
            None
            if r.url.startswith((live_server, "data:"))
            else problems.append(f"request to another origin: {r.url}")
        ),
    )
    page.problems = problems
    return page


@pytest.fixture
def page(browser, live_server):
    page = watched_page(browser, live_server)
    yield page
    page.context.close()
    assert page.problems == []


@pytest.fixture
def other_page(browser, live_server):
    """A second person at a second browser, watched like `page`."""
    page = watched_page(browser, live_server)
    yield page
    page.context.close()
    assert page.problems == []


def pytest_collection_modifyitems(items):
    # Chromium drops connections mid-response (a favicon, a superseded htmx request); the
    # threaded test server then leaves that static file for the collector to close.
    for item in items:
        if "tests/browser/" in str(item.path):
            item.add_marker(
                pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
            )
            item.add_marker(pytest.mark.filterwarnings("ignore::ResourceWarning"))
