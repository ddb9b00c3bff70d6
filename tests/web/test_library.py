"""The citation library through the app: upload, background import, search, look-ups, links."""

import io
import json
import time

import pytest
import requests
import responses
from sqlalchemy import select

from app.extensions import db
from app.models import Citation, ImportJob

pytestmark = pytest.mark.persistence

BIB = """@string{acr = "Arthritis Care Res (Hoboken)"}
@article{fraenkel2021,
  Author = {Fraenkel, Liana and Bathon, Joan M. and England, Bryant R.},
  Title = {2021 {American College of Rheumatology} Guideline for the Treatment of
           Rheumatoid Arthritis},
  Journal = acr,
  year = {2021}, volume = {73}, number = {7}, pages = {924--939},
  doi = {10.1002/acr.24596}, keywords = {rheumatoid arthritis, biologics},
  evidence-system = {GRADE}, evidence-grade = {Conditional recommendation, low certainty}
}
@article{qaseem2017,
  author = {Qaseem, Amir and Wilt, Timothy J. and McLean, Robert M. and Forciea, Mary Ann},
  title = {Noninvasive Treatments for Acute, Subacute, and Chronic Low Back Pain},
  journal = {Annals of Internal Medicine}, year = {2017}, volume = {166}, number = {7},
  pages = {514--530}, doi = {10.7326/M16-2367}, keywords = {low back pain}
}
@article{broken, title = {Never closed
@article{fraenkel2021, title = {A second entry with the same key}}
"""


def upload(client, text, name="library.bib"):
    data = {"file": (io.BytesIO(text.encode()), name)}
    return client.post("/library/import", data, content_type="multipart/form-data")


def finished(app, job_id):
    """Wait for the background import (bounded), then return its report."""
    for _ in range(400):
        with app.app_context():
            job = db.session.get(ImportJob, job_id)
            if job.state in ("done", "failed"):
                return job.state, job.report
        time.sleep(0.025)
    raise AssertionError("the import did not finish")


def job_id(response):
    return int(response.location.rstrip("/").split("/")[-1])


def test_upload_imports_in_the_background_and_reports_with_line_numbers(signed_in, app):
    response = upload(signed_in, BIB)
    assert response.status_code == 302
    state, report = finished(app, job_id(response))
    assert state == "done"
    assert (report["added"], report["updated"], report["unchanged"]) == (2, 0, 0)
    assert report["duplicates"] == [{"key": "fraenkel2021", "line": 18}]
    assert [f["line"] for f in report["failed"]] == [17]
    page = signed_in.get(response.location).get_data(as_text=True)
    assert "2</strong> added" in page and "Never closed" not in page
    assert "<td>17</td>" in page and "<td>18</td><td>fraenkel2021</td>" in page


def test_changed_entries_are_shown_and_applied_only_when_confirmed(signed_in, app):
    finished(app, job_id(upload(signed_in, BIB)))
    changed = BIB.replace("year = {2021}", "year = {2022}")
    response = upload(signed_in, changed)
    state, report = finished(app, job_id(response))
    assert report["updated"] == 1 and report["changes"][0]["fields"] == [
        {"name": "year", "old": "2021", "new": "2022"}
    ]
    page = signed_in.get(response.location).get_data(as_text=True)
    assert "Apply 1 change" in page
    with app.app_context():
        assert db.session.scalar(select(Citation.year).where(Citation.key == "fraenkel2021")) == (
            "2021"
        )
    signed_in.post(response.location + "/apply")
    state, report = finished(app, job_id(response))
    assert report["applied_updates"] is True
    with app.app_context():
        citation = db.session.scalar(select(Citation).where(Citation.key == "fraenkel2021"))
        assert citation.year == "2022" and "2022;73(7):924-939" in citation.ama_text


def test_a_binary_upload_is_refused_with_a_message(signed_in, app):
    response = signed_in.post(
        "/library/import",
        {"file": (io.BytesIO(b"PK\x03\x04\x00\x00"), "x.bib")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    assert "not BibTeX text" in signed_in.get("/library/").get_data(as_text=True)


def test_an_upload_over_the_limit_is_refused_with_the_limit(signed_in, app):
    app.config["MAX_CONTENT_LENGTH"] = 4 * 1024
    response = upload(signed_in, BIB + "%" * 8 * 1024)
    assert response.status_code == 413
    assert "Uploads are limited to 4 KB" in response.get_data(as_text=True)


def test_search_as_you_type_with_tag_and_grade_filters(signed_in, app):
    finished(app, job_id(upload(signed_in, BIB)))

    def keys(query):
        html = signed_in.get(f"/library/?{query}", headers={"HX-Request": "true"}).get_data(
            as_text=True
        )
        assert html.lstrip().startswith('<div id="citation-rows">')
        return [k for k in ("fraenkel2021", "qaseem2017") if f">{k}</a>" in html]

    assert keys("q=fraen") == ["fraenkel2021"]
    assert keys("q=back+pai") == ["qaseem2017"]
    assert keys("q=2017") == ["qaseem2017"]
    assert keys("q=annals") == ["qaseem2017"]
    assert keys("q=rheum+wilt") == []
    assert keys("tag=biologics") == ["fraenkel2021"]
    assert keys("tag=pain") == []  # whole tags only
    assert keys("grade=GRADE") == ["fraenkel2021"]
    assert keys("grade=any&q=pain") == []
    page = signed_in.get("/library/?q=fraenkel").get_data(as_text=True)
    assert "<i>Arthritis Care Res (Hoboken)</i>. 2021;73(7):924-939" in page


CSL = {
    "type": "article-journal",
    "title": "Acute migraine treatment in adults",
    "author": [{"family": "Ailani", "given": "Jessica"}],
    "container-title": ["Headache"],
    "issued": {"date-parts": [[2021]]},
    "volume": "61",
    "issue": "7",
    "page": "1021-1039",
    "DOI": "10.1111/head.14153",
}


@responses.activate
def test_add_by_doi_and_a_clear_message_when_offline(signed_in, app):
    responses.get(
        "https://doi.org/10.1111/head.14153",
        json=CSL,
        content_type="application/vnd.citationstyles.csl+json",
    )
    responses.get("https://doi.org/10.9999/none", body=requests.ConnectionError("offline"))
    response = signed_in.post(
        "/library/lookup", {"ids": "10.1111/head.14153\n10.9999/none"}, hx=True
    )
    html = response.get_data(as_text=True)
    assert "<strong>10.1111/head.14153</strong>:\n      added as ailani2021" in html
    assert "Could not reach doi.org: check the internet connection" in html
    assert ">10.9999/none</textarea>" in html  # the failed id stays to try again
    with app.app_context():
        assert db.session.scalars(select(Citation.key)).all() == ["ailani2021"]


def test_evidence_is_validated_saved_in_the_bibtex_and_exported(signed_in, app):
    finished(app, job_id(upload(signed_in, BIB)))
    with app.app_context():
        cid = db.session.scalar(select(Citation.id).where(Citation.key == "qaseem2017"))
    bad = signed_in.post(
        f"/library/{cid}/evidence",
        {"system": "USPSTF", "grade": "Z", "issuer": "American College of Physicians"},
    )
    assert bad.status_code == 422
    html = bad.get_data(as_text=True)
    assert "USPSTF" in html and 'value="American College of Physicians"' in html
    good = signed_in.post(
        f"/library/{cid}/evidence",
        {
            "system": "GRADE",
            "grade": "strong, moderate",
            "issuer": "American College of Physicians",
            "page": "518",
            "tags": "low back pain, imaging",
        },
    )
    assert good.status_code == 302
    exported = signed_in.get("/library/export.bib?key=qaseem2017").get_data(as_text=True)
    assert "evidence-issuer = {American College of Physicians}" in exported
    assert "@article{fraenkel2021" not in exported and "@article{qaseem2017" in exported


def test_values_longer_than_their_columns_import_and_save_whole_in_the_bibtex(signed_in, app):
    """The list shows a journal, year or issuer cut to its column; the entry keeps it whole.
    (PostgreSQL refused the longer value and the whole import failed.)"""
    journal, year, issuer = "J" * 400, "1" * 30, "An issuing society " * 30
    bib = f"@article{{long, title = {{T}}, journal = {{{journal}}}, year = {{{year}}}}}"
    state, report = finished(app, job_id(upload(signed_in, bib)))
    assert (state, report["added"]) == ("done", 1)
    with app.app_context():
        cid, stored = db.session.execute(
            select(Citation.id, Citation.journal).where(Citation.key == "long")
        ).one()
    assert stored == journal[:300]
    saved = signed_in.post(f"/library/{cid}/evidence", {"issuer": issuer})
    assert saved.status_code == 302
    exported = signed_in.get("/library/export.bib?key=long").get_data(as_text=True)
    assert journal in exported and year in exported and issuer.strip() in exported


def test_link_a_citation_to_a_claim_on_a_case_and_export_what_it_cites(signed_in, world, app):
    finished(app, job_id(upload(signed_in, BIB)))
    with app.app_context():
        cid = db.session.scalar(select(Citation.id).where(Citation.key == "fraenkel2021"))
    case_id = world["north"]
    pick = signed_in.get(f"/cases/{case_id}/citations/search?q=fraenkel").get_data(as_text=True)
    assert f'value="{cid}"' in pick
    html = signed_in.post(
        f"/cases/{case_id}/citations",
        {
            "citation_id": cid,
            "claim": "A bDMARD is recommended after csDMARDs fail",
            "pinpoint": "p 930",
        },
        hx=True,
    ).get_data(as_text=True)
    assert "A bDMARD is recommended after csDMARDs fail" in html and "p 930" in html
    refused = signed_in.post(f"/cases/{case_id}/citations", {"citation_id": cid}, hx=True)
    assert refused.status_code == 422 and "Say which claim" in refused.get_data(as_text=True)
    bib = signed_in.get(f"/cases/{case_id}/citations/export.bib").get_data(as_text=True)
    assert "@article{fraenkel2021" in bib and "qaseem2017" not in bib


def test_cli_import_json_show_and_round_trip(app, world, tmp_path):
    runner = app.test_cli_runner()
    source = tmp_path / "in.bib"
    source.write_text(BIB, encoding="utf-8")
    out = runner.invoke(args=["citations", "import", str(source), "--team", "north", "--json"])
    assert json.loads(out.output) == {
        "added": 2,
        "updated": 0,
        "unchanged": 0,
        "duplicates": [{"key": "fraenkel2021", "line": 18}],
        "failed": [{"line": 17, "reason": json.loads(out.output)["failed"][0]["reason"]}],
    }
    shown = json.loads(
        runner.invoke(
            args=["citations", "show", "fraenkel2021", "--team", "north", "--json"]
        ).output
    )
    assert shown["authors"] == ["Fraenkel L", "Bathon JM", "England BR"]
    assert shown["fields"]["journal"] == "Arthritis Care Res (Hoboken)"
    assert shown["fields"]["pages"] == "924–939"
    assert shown["ama"].startswith("Fraenkel L, Bathon JM, England BR. 2021 American College")
    exported = tmp_path / "out.bib"
    runner.invoke(args=["citations", "export", "--team", "north", "--out", str(exported)])
    again = runner.invoke(args=["citations", "import", str(exported), "--team", "south", "--json"])
    assert json.loads(again.output)["added"] == 2
    with app.app_context():
        rows = db.session.execute(select(Citation.team_id, Citation.key, Citation.fields)).all()
    north = {k: f for t, k, f in rows if t == 1}
    south = {k: f for t, k, f in rows if t == 2}
    assert north == south
    changed = tmp_path / "changed.bib"
    changed.write_text(BIB.replace("{2017}", "{2018}"), encoding="utf-8")
    report = json.loads(
        runner.invoke(
            args=["citations", "import", str(changed), "--team", "north", "--json"]
        ).output
    )
    assert report["updated"] == 1
    applied = runner.invoke(
        args=["citations", "import", str(changed), "--team", "north", "--update"]
    ).output
    assert "1 changed (applied)" in applied


def test_uploads_in_other_encodings_are_read():
    from app.library.importer import NotBibTeX, read_text

    text = "@article{m, author = {Müller, Jörg}, title = {Ø}}"
    assert read_text(text.encode("utf-16")) == text
    assert read_text(text.encode("cp1252")) == text
    assert read_text(b"\xef\xbb\xbf" + text.encode()) == text
    assert read_text(b"@misc{a,\x00 title={x}}") == "@misc{a, title={x}}"
    with pytest.raises(NotBibTeX):
        read_text(b"%PDF-1.7 ...")


def test_an_import_whose_worker_is_gone_shows_as_failed_and_is_recorded_on_the_next_upload(
    signed_in, app
):
    from datetime import timedelta

    from app.library import importer
    from app.models import now

    with app.app_context():
        # Running when the server restarted: its worker stopped beating long ago.
        cut_off = ImportJob(
            team_id=1, text=BIB, state="running", heartbeat_at=now() - timedelta(minutes=10)
        )
        alive = ImportJob(team_id=1, text=BIB, state="running", heartbeat_at=now())
        db.session.add_all([cut_off, alive])
        db.session.commit()
        cut_off_id, alive_id = cut_off.id, alive.id
    page = signed_in.get(f"/library/imports/{cut_off_id}").get_data(as_text=True)
    assert "stopped when the server restarted" in page and "Upload the file again" in page
    assert "hx-trigger" not in page  # the page stops asking for progress
    assert "Reading the file" in signed_in.get(f"/library/imports/{alive_id}").get_data(
        as_text=True
    )
    with app.app_context():
        assert db.session.get(ImportJob, cut_off_id).state == "running"  # a read wrote nothing
    finished(app, job_id(upload(signed_in, BIB)))
    with app.app_context():
        stopped = db.session.get(ImportJob, cut_off_id)
        assert (stopped.state, stopped.error) == ("failed", importer.GONE)
        assert db.session.get(ImportJob, alive_id).state == "running"


def test_a_running_import_writes_its_heartbeat(app, world):
    from datetime import timedelta

    from app.library import importer
    from app.models import now

    with app.app_context():
        job = ImportJob(
            team_id=1, text=BIB, state="running", heartbeat_at=now() - timedelta(hours=1)
        )
        db.session.add(job)
        db.session.commit()
        assert importer.gone(job)
        importer.beat(job.id)
        db.session.refresh(job)
        assert not importer.gone(job)


def test_an_entry_with_megabytes_of_text_is_kept_cut_and_the_report_says_so(signed_in, app):
    # 201,400 characters each; under 500 KB in all, which the test client sends from memory.
    abstract = "Methotrexate failure at twelve weeks. " * 5_300
    text = "\n".join(
        f"@article{{big{i},\n  title = {{Trial {i}}},\n  abstract = {{{abstract}}}\n}}"
        for i in range(2)
    )
    response = upload(signed_in, text)
    state, report = finished(app, job_id(response))
    assert state == "done" and report["added"] == 2
    page = signed_in.get(response.location).get_data(as_text=True)
    assert "Entry `big1` is kept, but `abstract` was cut to 19,987 characters of 201,400" in page
    with app.app_context():
        stored = db.session.execute(
            db.text(
                "SELECT max(length(raw) + length(CAST(fields AS TEXT))"
                " + length(CAST(display AS TEXT)) + length(search_text)"
                " + length(ama_text)) FROM citation"
            )
        ).scalar()
    # Kept four times over (fields, display, search text and index): a bound, not the file.
    assert stored < 100_000
