"""Verdicts derived from what a claim's test saw, never typed by hand.

A claim's test opens an observation and records, for each aspect of the claim
that claims.yml lists, whether the claim's statement was true there and what
was seen (``observe.aspect("keras_file", holds=False, seen="loads")``). The
verdict follows from the aspects:

- ``holds``  when the statement was true on every aspect,
- ``fails``  when it was true on none,
- ``nuance`` when it was true on some only.

The test then fails if that verdict differs from claims.yml for the running
generation, or if the aspects differ from the committed record
(claims.observed.json). The record is what the pages show per aspect, and what
lets the default suite compare every generation's verdicts with the registry.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RECORD = ROOT / "claims.observed.json"
REFRESH_COMMAND = "scripts/dev claims"


def derive_verdict(aspects: dict[str, dict]) -> str:
    truths = {aspect["holds"] for aspect in aspects.values()}
    if truths == {True}:
        return "holds"
    if truths == {False}:
        return "fails"
    return "nuance"


@dataclass
class Observation:
    claim_id: str
    aspects: dict[str, dict] = field(default_factory=dict)

    def aspect(self, key: str, *, holds: bool, seen: object) -> None:
        """Record one aspect: was the claim true here, and what was seen."""
        if key in self.aspects:
            raise ValueError(f"claim '{self.claim_id}': aspect '{key}' observed twice")
        self.aspects[key] = {"holds": bool(holds), "seen": str(seen)}

    @property
    def verdict(self) -> str:
        return derive_verdict(self.aspects)

    def as_record(self) -> dict:
        return {"verdict": self.verdict, "aspects": self.aspects}


def problems(observation: Observation, claim: dict | None, generation: str, label: str,
             recorded: dict | None) -> list[str]:
    """What is wrong with an observation, in words that say how to fix it."""
    where = f"claim '{observation.claim_id}' under {label}"
    if claim is None:
        return [f"{where}: no such claim in claims.yml; add it or fix the id."]
    if not observation.aspects:
        return [f"{where}: the test recorded no aspect, so no verdict can be derived."]
    declared = list(claim.get("aspects", {}))
    if sorted(declared) != sorted(observation.aspects):
        return [f"{where}: the test observed aspects {sorted(observation.aspects)} but claims.yml "
                f"declares {sorted(declared)}; make them the same."]
    found = []
    registered = claim.get(generation)
    if registered != observation.verdict:
        seen = "; ".join(f"{key}: {'true' if a['holds'] else 'false'} ({a['seen']})"
                         for key, a in observation.aspects.items())
        found.append(f"{where}: claims.yml says {generation}: {registered}, but the test observed "
                     f"{observation.verdict} ({seen}). Fix the verdict (and its 'why') or the test.")
    if recorded != observation.as_record():
        found.append(f"{where}: the committed record {RECORD.name} says {json.dumps(recorded)}, "
                     f"this run saw {json.dumps(observation.as_record())}. "
                     f"Refresh it with `{REFRESH_COMMAND}` and review the diff.")
    return found


def load_record(path: Path = RECORD) -> dict:
    if not path.is_file():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))


def save_record(generation: str, versions: dict, observed: dict[str, dict], path: Path = RECORD) -> None:
    """Update the claims observed in one generation's run, keeping the rest."""
    record = load_record(path)
    part = record.setdefault(generation, {"versions": {}, "claims": {}})
    part["versions"] = versions
    part["claims"].update(observed)
    path.write_text(json.dumps(record, indent=2, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
