"""Deadlines against dates worked out by hand on a printed calendar.

Calendar days count from the day after the event (day 1 is the next day); business days skip
weekends and US federal holidays, observed dates included.
"""

from dataclasses import replace
from datetime import date, datetime, time

import pytest

from app.domain.deadlines import (
    DEFAULT_RULES,
    Rule,
    add_months,
    business_days_after,
    compute,
    merge,
)
from app.domain.vocabulary import PLAN_TYPES

FAR_AWAY = date(2026, 1, 1)  # a "today" long before every deadline below, so all are open

# A team's own P2P window: no federal deadline exists, so the team enters the plan's.
TEAM_P2P = Rule(
    key="p2p.request",
    plan_type="*",
    step="Request peer-to-peer review",
    length=5,
    unit="business_days",
    starts="p2p_offered",
    urgency="any",
    source="Plan provider manual, 2026",
)


def end_of(day: date) -> datetime:
    return datetime.combine(day, time(23, 59, 59))


def only(deadlines, key):
    """The one deadline made by rule `key`."""
    (deadline,) = [d for d in deadlines if d.rule_key == key]
    return deadline


@pytest.mark.parametrize(
    ("plan_type", "urgency", "events", "key", "due", "source"),
    [
        # Oct 3 is day 1; Oct ends on day 29, Nov on 59, Dec on 90, Jan on 121,
        # Feb (28 days in 2027) on 149, and Mar 31 is day 180.
        (
            "erisa",
            "standard",
            {"denial_received": date(2026, 10, 2)},
            "erisa.file_appeal",
            end_of(date(2027, 3, 31)),
            "29 CFR 2560.503-1",
        ),
        # Oct 24 is day 1, Oct 31 day 8, Nov 30 day 38, Dec 22 day 60.
        (
            "medicare_advantage",
            "standard",
            {"denial_received": date(2026, 10, 23)},
            "ma.request_reconsideration",
            end_of(date(2026, 12, 22)),
            "cms.gov, Medicare Part C reconsideration (42 CFR 422.582, 422.590)",
        ),
        # Oct 31 + 4 months is "Feb 31"; 2027 is not a leap year, so Feb 28 (a Sunday: the
        # date is not moved to Monday, an early date is the safe one).
        (
            "aca",
            "standard",
            {"final_internal_denial": date(2026, 10, 31)},
            "aca.request_external_review",
            end_of(date(2027, 2, 28)),
            "45 CFR 147.136",
        ),
        # Fri 09:00 + 72 h = Mon 09:00: hours run through the weekend.
        (
            "medicare_advantage",
            "expedited",
            {"request_received": datetime(2026, 11, 20, 9, 0)},
            "ma.pa_decision.expedited",
            datetime(2026, 11, 23, 9, 0),
            "CMS-0057-F (Interoperability and Prior Authorization Final Rule)",
        ),
        # A date without a time starts the hour clock at 00:00.
        (
            "medicaid_mco",
            "expedited",
            {"appeal_filed": date(2026, 11, 20)},
            "medicaid.resolve_appeal.expedited",
            datetime(2026, 11, 23, 0, 0),
            "42 CFR 438.408, 438.410",
        ),
        # Seven calendar days from Fri Nov 20: Nov 27 (day after Thanksgiving; not moved).
        (
            "medicaid_mco",
            "standard",
            {"request_received": date(2026, 11, 20)},
            "medicaid.pa_decision.standard",
            end_of(date(2026, 11, 27)),
            "CMS-0057-F (Interoperability and Prior Authorization Final Rule)",
        ),
    ],
    ids=["erisa-180-days", "ma-60-days", "aca-4-months", "72-hours", "72h-from-date", "7-days"],
)
def test_default_rules_give_the_hand_worked_date(plan_type, urgency, events, key, due, source):
    deadline = only(compute(DEFAULT_RULES, plan_type, urgency, events, FAR_AWAY), key)
    assert deadline.due == due
    assert deadline.source == source
    assert deadline.state == "open"


def test_p2p_window_across_thanksgiving_and_the_weekend():
    # Offered Wed 2026-11-25. Thu 11-26 is Thanksgiving (federal holiday, skipped). Fri 11-27
    # is NOT a federal holiday, so it is business day 1. Sat 28 and Sun 29 are skipped. Then
    # Mon 11-30 is day 2, Tue 12-01 day 3, Wed 12-02 day 4, Thu 12-03 day 5.
    deadlines = compute(
        (TEAM_P2P,), "commercial", "standard", {"p2p_offered": date(2026, 11, 25)}, FAR_AWAY
    )
    assert [(d.rule_key, d.due) for d in deadlines] == [("p2p.request", end_of(date(2026, 12, 3)))]
    assert business_days_after(date(2026, 11, 25), 1) == date(2026, 11, 27)


@pytest.mark.parametrize(
    ("start", "n", "due"),
    [
        # Wed 12-23 start. Thu 12-24 is day 1 (Christmas Eve is not a federal holiday); Fri
        # 12-25 Christmas, Sat 26, Sun 27 skipped; Mon 28 day 2, Tue 29 day 3, Wed 30 day 4,
        # Thu 31 day 5; Fri 2027-01-01 New Year, Sat 2, Sun 3 skipped; Mon 4 day 6, Tue 5
        # day 7, Wed 6 day 8, Thu 7 day 9, Fri 8 day 10.
        (date(2026, 12, 23), 5, date(2026, 12, 31)),
        (date(2026, 12, 23), 10, date(2027, 1, 8)),
        # July 4 2026 is a Saturday, observed Friday July 3: from Thu 07-02 the next business
        # day is Mon 07-06.
        (date(2026, 7, 2), 1, date(2026, 7, 6)),
        # Christmas 2027 and New Year 2028 fall on Saturdays, observed Fri 2027-12-24 and
        # Fri 2027-12-31. From Wed 12-29: Thu 30 is day 1; Fri 31, Sat, Sun skipped; Mon
        # 2028-01-03 is day 2.
        (date(2027, 12, 29), 2, date(2028, 1, 3)),
        (date(2027, 12, 23), 1, date(2027, 12, 27)),
        # Offered on a Saturday: day 1 is Monday.
        (date(2026, 11, 28), 1, date(2026, 11, 30)),
        (date(2026, 11, 25), 0, date(2026, 11, 25)),
    ],
)
def test_business_days_skip_weekends_and_federal_holidays(start, n, due):
    assert business_days_after(start, n) == due


def test_negative_business_days_are_refused():
    with pytest.raises(ValueError):
        business_days_after(date(2026, 11, 25), -1)


@pytest.mark.parametrize(
    ("start", "n", "due"),
    [
        (date(2027, 1, 31), 1, date(2027, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),  # 2028 is a leap year
        (date(2027, 10, 31), 4, date(2028, 2, 29)),
        (date(2026, 10, 15), 4, date(2027, 2, 15)),
        (date(2026, 11, 30), 14, date(2028, 1, 30)),
    ],
)
def test_months_are_calendar_months_clamped_to_the_last_day(start, n, due):
    assert add_months(start, n) == due


def test_team_rules_replace_defaults_and_add_their_own():
    denial = {"denial_received": date(2026, 10, 2), "p2p_offered": date(2026, 11, 25)}
    before = compute(DEFAULT_RULES, "commercial", "standard", denial, FAR_AWAY)
    assert [(d.rule_key, d.due) for d in before] == [
        ("commercial.file_appeal", end_of(date(2027, 3, 31)))
    ]

    # A fully insured plan answers to state law: this team's state gives 60 days. Oct 3 is
    # day 1, Oct 31 day 29, Nov 30 day 59, Dec 1 day 60.
    state_source = "State insurance code (entered by the team)"
    (commercial,) = [r for r in DEFAULT_RULES if r.key == "commercial.file_appeal"]
    state_rule = replace(commercial, length=60, source=state_source)
    rules = merge(DEFAULT_RULES, [state_rule, TEAM_P2P])
    after = compute(rules, "commercial", "standard", denial, FAR_AWAY)

    assert [(d.rule_key, d.due, d.source) for d in after] == [
        ("commercial.file_appeal", end_of(date(2026, 12, 1)), state_source),
        ("p2p.request", end_of(date(2026, 12, 3)), "Plan provider manual, 2026"),
    ]


def test_merge_keeps_the_order_and_the_untouched_defaults():
    shorter = replace(DEFAULT_RULES[0], length=24)
    merged = merge(DEFAULT_RULES, [shorter, TEAM_P2P, replace(TEAM_P2P, length=7)])
    assert merged[0] == shorter
    assert merged[1:-1] == DEFAULT_RULES[1:]
    assert merged[-1].key == "p2p.request"
    assert merged[-1].length == 7  # among team rules with one key, the last entered wins


@pytest.mark.parametrize(
    ("today", "days_left", "state"),
    [
        (date(2026, 12, 4), -1, "overdue"),
        (date(2026, 12, 3), 0, "due_soon"),
        (date(2026, 11, 30), 3, "due_soon"),
        (date(2026, 11, 29), 4, "open"),
    ],
)
def test_state_follows_the_days_left(today, days_left, state):
    (deadline,) = compute(
        (TEAM_P2P,), "aca", "standard", {"p2p_offered": date(2026, 11, 25)}, today
    )
    assert (deadline.days_left, deadline.state) == (days_left, state)


def test_an_hour_clock_running_out_today_is_due_soon():
    (deadline,) = compute(
        DEFAULT_RULES,
        "erisa",
        "expedited",
        {"appeal_filed": datetime(2026, 11, 20, 9, 0)},
        date(2026, 11, 23),
    )
    assert (deadline.due, deadline.days_left, deadline.state) == (
        datetime(2026, 11, 23, 9, 0),
        0,
        "due_soon",
    )


def test_rules_whose_event_has_not_happened_are_skipped():
    deadlines = compute(
        DEFAULT_RULES, "erisa", "standard", {"denial_received": date(2026, 10, 2)}, FAR_AWAY
    )
    assert [d.rule_key for d in deadlines] == ["erisa.file_appeal"]
    assert compute(DEFAULT_RULES, "erisa", "standard", {}, FAR_AWAY) == []


def test_urgency_picks_the_clock():
    events = {"request_received": datetime(2026, 11, 20, 9, 0)}
    expedited = compute(DEFAULT_RULES, "medicare_advantage", "expedited", events, FAR_AWAY)
    standard = compute(DEFAULT_RULES, "medicare_advantage", "standard", events, FAR_AWAY)
    assert [(d.rule_key, d.due) for d in expedited] == [
        ("ma.pa_decision.expedited", datetime(2026, 11, 23, 9, 0))
    ]
    assert [(d.rule_key, d.due) for d in standard] == [
        ("ma.pa_decision.standard", end_of(date(2026, 11, 27)))
    ]


def test_deadlines_are_sorted_soonest_first():
    events = {
        "denial_received": date(2026, 10, 2),  # file appeal: 2027-03-31
        "appeal_filed": date(2026, 10, 20),  # plan decides: 2026-11-19
        # Wed 10-07: Thu 8 is day 1, Fri 9 day 2, Mon 12 Columbus Day skipped, Tue 13 day 3,
        # Wed 14 day 4, Thu 15 day 5.
        "p2p_offered": date(2026, 10, 7),
    }
    deadlines = compute(merge(DEFAULT_RULES, [TEAM_P2P]), "erisa", "standard", events, FAR_AWAY)
    assert [(d.rule_key, d.due.date()) for d in deadlines] == [
        ("p2p.request", date(2026, 10, 15)),
        ("erisa.decide_appeal.standard", date(2026, 11, 19)),
        ("erisa.file_appeal", date(2027, 3, 31)),
    ]


@pytest.mark.parametrize("plan_type", [c.value for c in PLAN_TYPES])
def test_a_rule_for_any_plan_applies_to_every_plan_type(plan_type):
    deadlines = compute(
        merge(DEFAULT_RULES, [TEAM_P2P]),
        plan_type,
        "expedited",
        {"p2p_offered": date(2026, 11, 25)},
        FAR_AWAY,
    )
    assert [d.rule_key for d in deadlines] == ["p2p.request"]


def test_a_rule_for_one_plan_does_not_leak_into_another():
    denial = {"denial_received": date(2026, 10, 2)}
    assert compute(DEFAULT_RULES, "other", "standard", denial, FAR_AWAY) == []
    keys = [d.rule_key for d in compute(DEFAULT_RULES, "aca", "standard", denial, FAR_AWAY)]
    assert keys == ["aca.file_appeal"]


def test_defaults_are_sourced_unique_and_leave_the_p2p_window_to_the_team():
    keys = [r.key for r in DEFAULT_RULES]
    assert len(keys) == len(set(keys))
    assert all(r.source for r in DEFAULT_RULES)
    assert not [r for r in DEFAULT_RULES if r.starts == "p2p_offered"]


@pytest.mark.parametrize(
    "change",
    [
        {"unit": "weeks"},
        {"urgency": "urgent"},
        {"plan_type": "tricare"},
        {"length": -1},
        {"key": " "},
        {"starts": ""},
    ],
)
def test_a_rule_outside_the_vocabulary_is_refused_when_entered(change):
    with pytest.raises(ValueError):
        replace(TEAM_P2P, **change)


def test_unknown_urgency_and_timezone_aware_events_are_refused():
    with pytest.raises(ValueError):
        compute(DEFAULT_RULES, "erisa", "any", {}, FAR_AWAY)
    aware = datetime.fromisoformat("2026-11-20T09:00:00+00:00")
    with pytest.raises(ValueError):
        compute(DEFAULT_RULES, "erisa", "expedited", {"appeal_filed": aware}, FAR_AWAY)


def test_a_clock_stops_when_its_closing_event_happens():
    events = {"denial_received": date(2026, 10, 2)}
    (running,) = compute(DEFAULT_RULES, "erisa", "standard", events, date(2026, 11, 23))
    assert (running.rule_key, running.state, running.done) == ("erisa.file_appeal", "open", False)
    events["appeal_filed"] = date(2026, 11, 20)
    steps = {
        d.rule_key: d.state
        for d in compute(DEFAULT_RULES, "erisa", "standard", events, date(2026, 11, 23))
    }
    # Filing ends the window to file; the plan's 30 days to decide start the same day.
    assert steps == {"erisa.file_appeal": "done", "erisa.decide_appeal.standard": "open"}


def test_a_rule_may_name_its_own_closing_event():
    window = Rule("p2p.request", "*", "Request the P2P", 5, "business_days", "p2p_offered",
                  "any", "Plan provider manual", ends="p2p_held")  # fmt: skip
    events = {"p2p_offered": date(2026, 11, 20), "p2p_scheduled": date(2026, 11, 23)}
    (d,) = compute([window], "aca", "standard", events, date(2026, 11, 23))
    # Thanksgiving (Thursday 26) is skipped; a scheduled call does not stop this plan's clock.
    assert (d.due.date(), d.state) == (date(2026, 11, 30), "open")
    events["p2p_held"] = date(2026, 11, 24)
    (d,) = compute([window], "aca", "standard", events, date(2026, 11, 23))
    assert d.done
