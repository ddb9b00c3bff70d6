"""Words from denial letters and appeals, and what they mean in plain language."""

import re

# Terms from denial letters and appeals, explained at about grade 6 to 8 for the patient.
JARGON: dict[str, str] = {
    "prior authorization": "Approval your health plan must give before it will pay for care.",
    "authorization": "Permission from your health plan for a test, drug or treatment.",
    "medical necessity": "The plan's test of whether a treatment is needed for your health.",
    "peer-to-peer review": "A call between your doctor and a doctor who works for the plan.",
    "step therapy": "A plan rule that you try cheaper drugs first.",
    "formulary": "The list of drugs your health plan pays for.",
    "biologic": "A drug made from living cells that calms part of the immune system.",
    "biosimilar": "A drug that works like a biologic, made by another company.",
    "DMARD": "A drug that slows joint damage in diseases like rheumatoid arthritis.",
    "contraindication": "A health reason that makes a drug or treatment unsafe for you.",
    "MRI": "A scan that uses a strong magnet to take clear pictures inside the body.",
    "radiculopathy": "Pain, numbness or weakness from a pinched nerve in the spine.",
    "utilization review": "The plan's check of whether care meets its rules.",
    "external review": "A look at a denial by a group that does not work for your plan.",
    "appeal": "A formal request asking the plan to change its decision.",
    "reconsideration": "The first appeal in a Medicare Advantage plan.",
    "medical director": "A doctor who works for the plan and decides what it pays for.",
    "in-network": "Doctors and hospitals with a contract with your plan. They cost you less.",
    "out-of-network": "Doctors and hospitals with no contract with your plan. They cost more.",
    "network gap exception": "The plan pays an outside doctor because none of its own can help.",
    "denial": "The plan's decision not to pay for a test, drug or treatment.",
    "expedited": "Sped up, because waiting could harm your health.",
    "explanation of benefits": "A note from your plan about what it paid. It is not a bill.",
    "deductible": "What you pay each year before your plan starts to pay.",
    "copay": "A set amount you pay for a visit or a drug.",
    "coinsurance": "Your share of the cost of care, as a percent of the bill.",
    "out-of-pocket maximum": "The most you pay in a year for covered care.",
    "claim": "A bill sent to your health plan for care you got.",
    "CPT code": "A number that stands for a test or treatment on a bill.",
    "ICD-10": "The codes that stand for a diagnosis on a bill or form.",
    "clinical guideline": "Advice from experts on how to find and treat a health problem.",
    "off-label": "Used for a reason that is not on the drug's official label.",
    "investigational": "Still being studied. The plan may call it experimental.",
    "FDA-approved": "Checked and allowed by the US Food and Drug Administration for a use.",
    "infusion": "Medicine given slowly through a needle into a vein.",
    "subcutaneous": "Given as a shot just under the skin.",
    "rheumatoid arthritis": "A disease in which the body attacks its own joints.",
    "chronic": "Lasting a long time, often months or years.",
    "prognosis": "What is likely to happen with your health in the future.",
    "efficacy": "How well a treatment works in studies.",
    "randomized controlled trial": "A study that puts people in groups by chance.",
    "conservative care": "Simple care tried first, like rest, exercise or pain pills.",
    "physical therapy": "Exercises and hands-on care to help you move and hurt less.",
    "neurological deficit": "A loss of nerve function, such as weakness or numbness.",
    "foot drop": "Weakness that makes it hard to lift the front of your foot.",
    "lumbar": "The lower part of your back.",
    "radiofrequency ablation": "A treatment that uses heat to quiet a nerve that sends pain.",
    "medial branch block": "A numbing shot near small nerves of the spine, to find pain.",
    "facet joint": "A small joint between the bones of the spine.",
    "CGRP": "A protein linked to migraine. Some drugs block it to prevent attacks.",
    "inpatient": "You stay in the hospital as an admitted patient, often for a night or more.",
    "observation status": "You stay in the hospital to be watched, but you are not admitted.",
    "level of care": "The kind of care you need, such as a hospital stay or a visit.",
    "site of care": "The place where you get care, such as a hospital, clinic or home.",
    "quantity limit": "A plan rule on how much of a drug it pays for at one time.",
    "standard of care": "The care most doctors would give for your problem.",
    "first-line": "The first treatment usually tried for a health problem.",
    "Medicare Advantage": "A Medicare plan run by a private insurance company.",
    "remission": "A time when a disease is quiet, with few or no symptoms.",
    "NSAID": "A pain pill that also calms swelling, like ibuprofen or naproxen.",
    "opioid": "A strong pain medicine that can cause harm and dependence.",
}

_ALIASES = {
    "prior auth": "prior authorization", "preauthorization": "prior authorization",
    "peer to peer": "peer-to-peer review", "P2P": "peer-to-peer review",
    "fail first": "step therapy", "contraindicated": "contraindication",
    "medically necessary": "medical necessity", "adverse determination": "denial",
    "independent review organization": "external review", "IRO": "external review",
    "EOB": "explanation of benefits", "copayment": "copay", "RCT": "randomized controlled trial",
}  # fmt: skip


def _term_pattern(term: str) -> re.Pattern[str]:
    # Spaces and hyphens are interchangeable ("peer to peer", "peer-to-peer"), and a plural
    # s counts ("DMARDs", "biologics").
    body = r"[\s-]+".join(re.escape(part) for part in re.split(r"[\s-]+", term))
    return re.compile(rf"(?<![\w-]){body}(?:s|es)?(?![\w-])", re.IGNORECASE)


_PATTERNS = [(t, t, _term_pattern(t)) for t in JARGON]
_PATTERNS += [(a, t, _term_pattern(a)) for a, t in _ALIASES.items()]


def explain_jargon(text: str) -> list[tuple[str, str]]:
    """(term, plain explanation) for each JARGON term in `text`, in order of first use.

    Matching is case-insensitive, on whole words, and a plural counts. Where terms overlap
    the longest wins, so "peer-to-peer review" is explained once, not also as "review". An
    alias ("P2P", "prior auth") is reported under its JARGON term. Each term appears once.
    """
    hits = []
    for _alias, term, pattern in _PATTERNS:
        hits += [(m.start(), -(m.end() - m.start()), m.end(), term) for m in pattern.finditer(text)]
    hits.sort()
    taken_until, seen, out = -1, set(), []
    for start, _length, end, term in hits:
        if start < taken_until:
            continue  # inside a longer term already matched
        taken_until = end
        if term not in seen:
            seen.add(term)
            out.append((term, JARGON[term]))
    return out
