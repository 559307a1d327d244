"""One process renders a validation report of N findings and prints its time and peak memory.

Run by bench/run.py in a fresh process per size, so the peak resident memory is the
renderer's own (plus the interpreter and Django it needs), not the seeding's.
"""

import json
import os
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ctpat.settings")
os.environ.setdefault("DEBUG", "True")
os.environ.setdefault("LOG_LEVEL", "WARNING")


def snapshot(count: int) -> dict:
    results = [
        "meets",
        "meets",
        "meets",
        "required_action",
        "recommendation",
        "best_practice",
        "not_applicable",
    ]
    labels = {
        "meets": "Meets",
        "required_action": "Required action",
        "recommendation": "Recommendation",
        "best_practice": "Best practice",
        "not_applicable": "Not applicable",
    }
    areas = ["Corporate Security", "Transportation Security", "People and Physical Security"]
    findings = []
    for n in range(count):
        category = n % 12 + 1
        result = results[n % len(results)]
        findings.append(
            {
                "code": f"{category}.{n // 12 + 1}",
                "focus_area": areas[(category - 1) // 4],
                "category": f"{category}. Category {category}",
                "category_number": category,
                "level": "Must" if n % 3 else "Should",
                "text": "The company keeps written procedures for this part of its security program "
                "and reviews them at least once a year.",
                "result": result,
                "result_label": labels[result],
                "narrative": ""
                if result == "meets"
                else "The team reviewed the records of the last "
                "six months and observed the procedure at the main warehouse.",
                "due_on": "2027-03-01" if result == "required_action" else None,
            }
        )
    findings.sort(key=lambda f: (f["category_number"], f["code"]))
    return {
        "partner": {
            "legal_name": "Benchmark Imports Inc.",
            "account_number": "CT00000001",
            "entity_type": "Importer (U.S.)",
            "country": "United States of America",
        },
        "program": "Security",
        "kind": "Initial validation",
        "mode": "On site",
        "planned_start": "2026-11-02",
        "planned_end": "2026-11-04",
        "approved_on": "2026-11-27",
        "criteria_date": "2026-11-02",
        "outcome": "Tier 2",
        "lead": "Casey Specialist",
        "team": ["Lee Specialist"],
        "supervisor": "Sam Supervisor",
        "sites": [{"name": "Headquarters", "kind": "Domestic", "place": "Buffalo, USA"}],
        "findings": findings,
        "results": labels,
    }


def main(count: int, repeat: int) -> None:
    import django

    django.setup()
    from validations.documents import render_report_pdf

    data = snapshot(count)
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        pdf = render_report_pdf(data)
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "median_ms": round(statistics.median(timings), 1),
                "p95_ms": round(timings[max(0, int(len(timings) * 0.95) - 1)], 1),
                "min_ms": round(timings[0], 1),
                "peak_mb": round(peak_mb, 1),
                "pdf_bytes": len(pdf),
            }
        )
    )


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 5)
