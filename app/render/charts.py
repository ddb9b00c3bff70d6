"""PNG charts of a case: the treatments tried, and a patient-reported score over time.

Pure functions of plain data. Each chart gets its own Figure and Agg canvas and never goes
through pyplot, so charts can be drawn from several web-server threads at once; fonts, sizes
and colours are passed explicitly rather than read from rcParams, so a chart looks the same
whatever matplotlibrc the server has, and the same data always gives the same bytes.
"""

from app.render.timeline import (
    OUTCOMES,
    TimelineItem,
    TimelineRow,
    span,
    timeline_rows,
    treatment_timeline,
)
from app.render.trend import ScorePoint, Zone, pro_trend, zone_of, zones

__all__ = [
    "OUTCOMES",
    "ScorePoint",
    "TimelineItem",
    "TimelineRow",
    "Zone",
    "pro_trend",
    "span",
    "timeline_rows",
    "treatment_timeline",
    "zone_of",
    "zones",
]
