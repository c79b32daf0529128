"""The benchmark's report: Markdown tables, the notes under them, and the budgets missed."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Report:
    """Markdown tables, notes under them, and the budgets missed."""

    sections: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)

    def table(self, title: str, headers: list[str], rows: list[list[str]], notes: list[str] = ()) -> None:
        lines = [f"### {title}", "", "| " + " | ".join(headers) + " |", "|" + " --- |" * len(headers)]
        lines += ["| " + " | ".join(row) + " |" for row in rows]
        if notes:
            lines += ["", *notes]
        self.sections.append("\n".join(lines))
        # Sections are printed as they come: a long run shows progress.
        print(self.sections[-1] + "\n", flush=True)

    def check(self, ok: bool | None, what: str) -> str:
        """✔/✘ cell; a ✘ is remembered for the exit status and the summary."""
        if ok is None:
            return "—"
        if not ok:
            self.missed.append(what)
        return "✔" if ok else "✘"


def seconds(value: float) -> str:
    return f"{value:.2f} s"


TIMES = "\N{MULTIPLICATION SIGN}"


def times(value: float) -> str:
    return f"{value:.2f}{TIMES}"


def ratio(value: float, baseline: float) -> float:
    return value / baseline if baseline else float("inf")


def kilobytes(size: int) -> str:
    return f"{size / 1000:,.1f} kB"

