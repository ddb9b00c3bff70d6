"""Simulated clinicians for `make load` (bench/load/run.py starts the server and this file).

Each simulated user signs in as its own clinician of the demo team and works mostly on its own
case, as the pages do: the case list (and a search, as htmx asks for it), the workspace and its
live poll, htmx edits of facts (add, include in or leave out of the letter, edit through the
form and the `version` it renders), and exports (the letter after its warnings are ticked, the
talking points). A POST carries the CSRF token of `<meta name="csrf-token">` as `X-CSRFToken`.

The figures are of the steady state: once the last clinician has signed in, the statistics
are reset and the swarm runs PEERBRIEF_LOAD_SECONDS more, then stops itself (run.py also gives
locust an outer --run-time). Reads the plan run.py wrote (PEERBRIEF_LOAD_PLAN: users, their cases,
the other cases) and the think time (PEERBRIEF_LOAD_WAIT="min,max" seconds).
"""

import itertools
import json
import os
import random
import re
import time
from pathlib import Path

import gevent
from locust import HttpUser, between, task

PLAN = json.loads(Path(os.environ["PEERBRIEF_LOAD_PLAN"]).read_text())
WAIT = [float(s) for s in os.environ.get("PEERBRIEF_LOAD_WAIT", "2,10").split(",")]
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

TOKEN = re.compile(r'<meta name="csrf-token" content="([^"]+)"')
FACT = re.compile(r'<li id="fact-(\d+)" class="fact')
VERSION = re.compile(r'name="version" value="(\d+)"')
CURSOR = re.compile(r"/activity\?after=(\d+)")
ACK = re.compile(r'name="ack" value="([^"]+)"')

SECONDS = float(os.environ.get("PEERBRIEF_LOAD_SECONDS", "60"))

_seats = itertools.count()
_signed_in = itertools.count(1)
_started = time.monotonic()


def everyone_signed_in(environment) -> None:
    """Start the measured period now, and end it (and the run) SECONDS later."""
    took = time.monotonic() - _started
    print(f"all {len(PLAN['users'])} clinicians signed in after {took:.0f} s", flush=True)
    environment.runner.stats.reset_all()
    gevent.spawn_later(SECONDS, environment.runner.quit)


class Clinician(HttpUser):
    wait_time = between(*WAIT)

    def on_start(self):
        me = PLAN["users"][next(_seats) % len(PLAN["users"])]
        self.case = me["case"]
        self.token = ""
        self.facts: list[int] = []  # the facts on my case
        self.mine: list[int] = []  # the history facts I added (and so know how to edit)
        self.cursor = 0
        self.page("/login", "sign in (page)")
        with self.client.post(
            "/login",
            data={"email": me["email"], "password": PLAN["password"]},
            headers={"X-CSRFToken": self.token},
            name="sign in",
            catch_response=True,
        ) as response:
            if "/login" in response.url:
                response.failure("still on the sign-in page")
                # Nothing after this would be measured as the pages are: stop, with the error.
                print(f"{me['email']} could not sign in: stopping", flush=True)
                self.environment.runner.quit()
                return
        if next(_signed_in) == len(PLAN["users"]):
            everyone_signed_in(self.environment)
        self.workspace()

    # --- helpers -------------------------------------------------------------------------
    def page(self, url: str, name: str):
        with self.client.get(url, name=name, catch_response=True) as response:
            if "/login" in response.url and "/login" not in url:
                response.failure("signed out")
        if found := TOKEN.search(response.text):
            self.token = found.group(1)
        return response

    def htmx(self, method: str, url: str, name: str, **kw):
        headers = {"HX-Request": "true", "X-CSRFToken": self.token}
        return self.client.request(method, url, name=name, headers=headers, **kw)

    def base(self) -> str:
        return f"/cases/{self.case}"

    # --- what a clinician does -----------------------------------------------------------
    @task(3)
    def case_list(self):
        self.page("/cases/", "case list")

    @task(1)
    def search(self):
        q = random.choice(["quintero", "keystone", "synthetic", "acme", "harlow"])
        self.htmx("GET", f"/cases/?q={q}", "case list search (htmx)")

    @task(4)
    def workspace(self):
        response = self.page(self.base(), "workspace")
        self.facts = [int(i) for i in FACT.findall(response.text)]
        if found := CURSOR.search(response.text):
            self.cursor = int(found.group(1))

    @task(1)
    def teammates_case(self):
        self.page(f"/cases/{random.choice(PLAN['cases'])}", "workspace (a teammate's case)")

    @task(2)
    def live_poll(self):
        self.htmx("GET", f"{self.base()}/activity?after={self.cursor}", "live poll (htmx)")

    @task(2)
    def add_fact(self):
        n = random.randrange(10**6)
        data = {
            "kind": "history",
            "text": f"Synthetic load-test history note {n}: symptoms persist on therapy.",
            "fact_date": "2026-09",
        }
        response = self.htmx("POST", f"{self.base()}/facts", "add fact (htmx)", data=data)
        if response.ok:
            self.facts = [int(i) for i in FACT.findall(response.text)]
            if self.facts:
                self.mine.append(max(self.facts))

    @task(2)
    def toggle_in_letter(self):
        if not self.facts:
            return self.workspace()
        fact = random.choice(self.facts)
        data = {"in_letter": random.choice(["on", ""])}
        url = f"{self.base()}/facts/{fact}/letter"
        self.htmx("POST", url, "toggle in letter (htmx)", data=data)

    @task(2)
    def edit_fact(self):
        if not self.mine:
            return self.add_fact()
        fact = random.choice(self.mine)
        url = f"{self.base()}/facts/{fact}"
        form = self.htmx("GET", f"{url}/edit", "edit fact form (htmx)")
        found = VERSION.search(form.text)
        if not found:
            return
        data = {
            "version": found.group(1),
            "text": f"Synthetic history note, edited {random.randrange(10**6)}.",
            "fact_date": "2026-10",
        }
        self.htmx("POST", url, "edit fact (htmx)", data=data)

    @task(1)
    def export_letter(self):
        page = self.page(f"{self.base()}/export/letter", "export letter (warnings page)")
        self.export("letter", "export letter (.docx)", {"ack": ACK.findall(page.text)})

    @task(1)
    def export_points(self):
        self.export("points", "export talking points (.docx)")

    def export(self, kind: str, name: str, data: dict | None = None):
        with self.client.post(
            f"{self.base()}/export/{kind}",
            data=data or {},
            headers={"X-CSRFToken": self.token},
            name=name,
            catch_response=True,
        ) as response:
            if response.headers.get("Content-Type") != DOCX:
                response.failure(f"no .docx ({response.status_code})")
