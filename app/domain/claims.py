"""Trust checks on what a clinician writes into a letter or talking points.

A medical director discounts a letter that overpromises or asserts evidence it does not show.
Two checks point at the words to change; neither blocks anything, the clinician decides.

- `absolute_language`: absolute or promotional wording ("guaranteed", "miracle", "always").
- `uncited_claims`: sentences that claim something about treatments or evidence with no
  citation marker.

Pass only the clinician's own text: a payer's denial quoted elsewhere is not checked unless
the caller passes it, and a quotation inside the clinician's text is checked like the rest.
"""

import re
from dataclasses import dataclass

from app.domain.readability import split_sentences


@dataclass(frozen=True)
class Finding:
    phrase: str  # the words flagged, exactly as in the text: text[start:end] == phrase
    start: int
    end: int
    reason: str
    suggestion: str = ""

    @property
    def span(self) -> tuple[int, int]:
        return self.start, self.end


@dataclass(frozen=True)
class _Rule:
    pattern: re.Pattern[str]
    reason: str
    suggestion: str


def _rule(pattern: str, reason: str, suggestion: str) -> _Rule:
    return _Rule(re.compile(pattern, re.IGNORECASE), reason, suggestion)


_OVERPROMISE = "No treatment outcome is certain; a reviewer reads this as overstatement."
_PROMOTIONAL = "Promotional wording; a medical director expects measured clinical language."
_PARTICIPLE = r"(?:\w+ed|been|had|seen|taken|done|gone|drunk|drank|smoked|used|tried|needed)"

_ABSOLUTE_RULES = (
    _rule(
        r"\bguarantee(?:s|d|ing)?\b",
        _OVERPROMISE,
        'Say "is expected to" or give the trial result ("in the trial, X% responded").',
    ),
    _rule(
        # A cure promised, not a cure denied ("no cure", "not a cure"), a history ("was cured
        # of hepatitis C") or a reported endpoint ("cure rate").
        r"(?<!\bno )(?<!\bnot a )(?<!\bwithout a )(?<!\bwas )(?<!\bwere )(?<!\bbeen )"
        r"\b(?:cure[sd]?|curing)\b(?! rates?\b)",
        _OVERPROMISE,
        'Say what is expected: "to control", "to reduce", or the remission rate with a citation.',
    ),
    _rule(
        r"(?<!\bnot )(?<!\balmost )(?<!\bnearly )(?<!\bas )\balways\b",
        "An absolute; one counter-example undoes it.",
        'Say "usually", "in most patients", or give the rate with a citation.',
    ),
    _rule(
        # "never smoked" and "has never been hospitalized" are history, not absolutes.
        rf"(?<!\bhas )(?<!\bhave )(?<!\bhad )\bnever\b(?!\s+{_PARTICIPLE}\b)",
        "An absolute; one counter-example undoes it.",
        'Say "rarely" or "is not expected to", or give the rate with a citation.',
    ),
    _rule(r"\bmiracle\w*|\bmiraculous\w*", _PROMOTIONAL, "Describe the expected benefit."),
    _rule(
        r"\bno risks?\b(?!\s+factors?\b)|\brisk[- ]free\b|\bwithout (?:any )?risks?\b|"
        r"\bzero risk\b|\bno side[- ]effects\b",
        "Every treatment carries some risk; claiming none costs credibility.",
        'Name the main risks and why they are acceptable for this patient ("the main risk is '
        'X, which we will monitor by Y").',
    ),
    _rule(
        r"\b(?:100 ?%|one hundred percent|completely|totally|perfectly|entirely|absolutely) "
        r"(?:effective|safe|successful|success|curative|reliable)\b",
        _OVERPROMISE,
        'Say "is generally well tolerated" or "was effective in X% in the trial", with a citation.',
    ),
    _rule(
        r"\b(?:proven to (?:cure|work|be effective|prevent|reverse|eliminate)|clinically proven)\b",
        "Evidence supports; it does not prove. Reviewers discount this phrase.",
        'Say "in the trial, ..." or "the evidence supports ...", with a citation.',
    ),
    _rule(
        r"\bbreakthrough\b(?!\s+(?:pain|seizures?|bleeding|infections?|symptoms?|"
        r"headaches?|therapy designation)\b)",
        _PROMOTIONAL,
        "Name the drug class and what it adds for this patient.",
    ),
    _rule(
        r"\b(?:wonder drug|magic bullet|game[- ]changer|revolutionary)\b",
        _PROMOTIONAL,
        "Name the drug class and what it adds for this patient.",
    ),
    _rule(
        r"\bperfect(?:ly)?\b",
        "Overstatement; say which criteria the patient meets.",
        'Say "meets each criterion" and list them.',
    ),
    _rule(
        r"\b(?:definitely|certainly|surely) will\b|\bwill (?:definitely|certainly|surely)\b|"
        r"\b(?:undoubtedly|unquestionably|without (?:a )?doubt|without question)\b|"
        r"\b(?:certain|sure) to\b",
        _OVERPROMISE,
        'Say "is expected to" or "is likely to".',
    ),
    _rule(
        r"\bthe only (?:remaining )?(?:option|treatment|choice|therapy|alternative|way)\b",
        "A reviewer will name an alternative; say why the alternatives do not fit.",
        'Say "the most appropriate option, because ..." and name what was ruled out and why.',
    ),
)


def absolute_language(text: str) -> list[Finding]:
    """Absolute or promotional wording in `text`, in order, each with a calmer wording.

    Flags promises and certainty ("guaranteed", "will cure", "always", "never", "100%
    effective", "proven to", "definitely will", "the only option") and promotional words
    ("miracle", "breakthrough", "perfect", "risk-free"). Not flagged: negations and hedges
    ("no cure", "not always", "almost always"), history ("never smoked", "has never been
    admitted", "was cured of"), reported endpoints ("cure rate") and clinical terms
    ("breakthrough pain", "no risk factors"). Words inside other words ("secure",
    "procure") never match. Where two findings overlap, the longer one is kept.
    """
    found = []
    for rule in _ABSOLUTE_RULES:
        for m in rule.pattern.finditer(text):
            found.append(Finding(m.group(), m.start(), m.end(), rule.reason, rule.suggestion))
    found.sort(key=lambda f: (f.start, -(f.end - f.start)))
    kept: list[Finding] = []
    for finding in found:
        if kept and finding.start < kept[-1].end:
            continue  # "perfectly safe" is one finding, not two
        kept.append(finding)
    return kept


# --- uncited claims ---------------------------------------------------------------------------

CITATION_MARKER = re.compile(
    r"\[\s*\d+(?:\s*[,\u2013-]\s*\d+)*\s*\]"  # [1], [2,3], [1-3], [1–3]
    r"|[\u2070\u00b9\u00b2\u00b3\u2074-\u2079]"  # superscript digits, AMA style: ¹²³
    r"|\{cite:[^}\s]+\}"  # {cite:ID}, a citation from the case's library
)
"""The citation markers that count: a bracketed number or range ([1], [2,3], [1-3]), a
superscript digit (¹, ², ³ ...), or a {cite:ID} token naming a citation in the case."""

_NO_CITATION = (
    "A clinical claim with no citation: link a citation or mark it as your clinical judgement."
)

# Claims about the literature: always need a source, whoever the sentence is about.
_LITERATURE = re.compile(
    r"\b(?:stud(?:y|ies)|trials?|research|data|literature|evidence|meta-analys[ie]s)\s+"
    r"(?:show|shows|showed|shown|suggest|suggests|suggested|demonstrate[sd]?|found|indicate[sd]?|"
    r"support|supports|supported|confirm|confirms|confirmed)\b"
    r"|\b(?:has|have|was|were|been) (?:shown|demonstrated|proven)\b|\bshown to\b"
    r"|\b(?:randomi[sz]ed|controlled|clinical|pivotal|phase (?:I{1,3}|[1-3]))\s+trials?\b"
    r"|\bmeta-analys[ie]s\b|\bsystematic review\b|\bevidence[- ]based\b"
    r"|\b(?:the|strong|high-quality|moderate-quality|robust|good|current) evidence\b(?! of\b)"
    r"|\bfda[- ](?:approved|label)|\bapproved by the fda\b|\bcompendi(?:a|um)\b"
    r"|\bstandard of care\b|\b(?:superior|inferior|non-?inferior) to\b"
    r"|\b(?:hazard|odds) ratio\b|\brelative risk\b|\bconfidence interval\b|\b95% ci\b"
    r"|\bnnt\b|\bnumber needed to treat\b|\bp ?[<=] ?0?\.\d",
    re.IGNORECASE,
)
# Guidance: a claim unless it is the clinician's own judgement or about the payer's criteria.
_GUIDANCE = re.compile(
    r"\bguidelines?\b|\bconsensus (?:statement|guidance)\b|\brecommend(?:s|ed|ation|ations)?\b"
    r"|\bis (?:clearly |strongly )?indicated\b",
    re.IGNORECASE,
)
# Outcomes: a claim when about treatments or populations, not about this patient.
_OUTCOME = re.compile(
    r"\beffective(?:ness)?\b|\befficacy\b|\befficacious\b|\bwell[- ]tolerated\b"
    r"|\b(?:reduce|lower|prevent|decrease|improve|slow|halt)s?\b"
    r"|\b(?:reduced|lowered|decreased|prevented) (?:the )?(?:risk|rate|incidence|number|frequency"
    r"|progression|mortality|hospitali[sz]ations?)\b"
    r"|\b(?:reduction|improvement)s? in\b|\bsafe(?:ty)?\b|\bfirst[- ]line\b|\bsecond[- ]line\b"
    r"|\b(?:response|remission|survival|success|relapse|cure) rates?\b|\bmore likely\b"
    r"|\brisk of\b|\bcontraindicated in\b"
    r"|\d+(?:\.\d+)?\s*(?:%|percent)|\b\d+ (?:of|in) (?:every )?\d+\b",
    re.IGNORECASE,
)
# The sentence is about this patient: a pronoun, "the patient", a titled name, a date, or a
# score measured on them. Population words ("patients", "placebo") make it general again.
_THIS_PATIENT = re.compile(
    r"\b(?i:she|he|her|his|him|hers)\b|\b(?i:the|this|my|our) (?:patient|member)\b"
    r"|\{patient\}|\b(?:Mr|Mrs|Ms|Mx|Miss)\.? [A-Z]"
    r"|\b\d{4}-\d{2}(?:-\d{2})?\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b"
    r"|\b\d{1,2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]* \d{4}\b"
    r"|\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]* \d{1,2},? \d{4}\b"
    r"|\b(?:CDAI|HAQ-DI|ODI|Oswestry|NRS|MIDAS|HIT-6|PHQ-9|GAD-7|PROMIS|ECOG|KPS|eGFR|FEV1|ALT)\b",
)
_POPULATION = re.compile(
    r"\b(?:patients|participants|subjects|people|adults|children|individuals|cohort|population"
    r"|placebo|versus|vs\.?|compared with|mean|median)\b",
    re.IGNORECASE,
)
# Statements about the payer's own documents or decision, not about medicine.
_PAYER = re.compile(
    r"\b(?:denial|denied|the plan|your plan|payer|policy|criteria set|InterQual|MCG|reviewer"
    r"|medical director|LCD|NCD)\b",
    re.IGNORECASE,
)
# The clinician's own judgement, said as such, needs no citation.
_JUDGEMENT = re.compile(
    r"^\s*(?:in my (?:clinical )?(?:judge?ment|opinion|experience|assessment)\b"
    r"|i (?:believe|recommend|expect|think|judge|consider)\b"
    r"|we (?:recommend|believe|expect)\b)"
    r"|\b(?:I|we) (?:therefore |strongly )?recommend\b",
    re.IGNORECASE,
)


def _needs_citation(sentence: str) -> bool:
    if CITATION_MARKER.search(sentence):
        return False
    if _LITERATURE.search(sentence):
        return True
    own = bool(_JUDGEMENT.search(sentence))
    payer = bool(_PAYER.search(sentence))
    if _GUIDANCE.search(sentence) and not own and not payer:
        return True
    patient = bool(_THIS_PATIENT.search(sentence)) and not _POPULATION.search(sentence)
    return bool(_OUTCOME.search(sentence)) and not (own or payer or patient)


def uncited_claims(text: str) -> list[Finding]:
    """Sentences of `text` that make a clinical claim but carry no citation marker.

    What counts as a claim, in three rules:

    1. Literature: "studies show", "has been shown", randomized or phase III trials,
       meta-analyses, "the evidence", FDA label or compendia, standard of care, superiority,
       and statistics (hazard ratio, NNT, p-values). Always a claim.
    2. Guidance: guidelines, consensus statements, "recommended", "is indicated". A claim
       unless the sentence is the clinician's own judgement ("I recommend", "In my clinical
       judgement ...") or is about the payer's own criteria ("the plan's policy", "the denial").
    3. Outcomes: "effective", "reduces", "improves", "safe", "first-line", response and
       remission rates, percentages. A claim only when the sentence is about treatments or
       populations: one about this patient (a pronoun, "the patient", a dated event, a measured
       score such as "CDAI 31") is an observation from the chart, unless it also speaks of
       "patients", "placebo" or averages.

    A sentence with any marker from `CITATION_MARKER` is not flagged. Each finding is the
    whole sentence and its span.
    """
    findings = []
    for start, end in split_sentences(text):
        sentence = text[start:end]
        if _needs_citation(sentence):
            findings.append(Finding(sentence, start, end, _NO_CITATION))
    return findings
