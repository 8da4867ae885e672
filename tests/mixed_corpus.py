"""A small corpus with folders, languages and dates, for the filter tests (API, CLI, web)."""
from __future__ import annotations

from pathlib import Path

FRUIT_FR = ("date: 2023-05-10\n\n# Pommes de Normandie\n\n"
            + "\n\n".join(f"Les pommes de la parcelle {i} sont récoltées en septembre par la coopérative de Normandie."
                          for i in range(1, 7)))
FRUIT_EN = ("date: 2024-02-01\n\n# Apples of Kent\n\n"
            + "\n\n".join(f"The apples of orchard {i} in Kent are picked in September by the farmers' cooperative."
                          for i in range(1, 7)))
TRAINS_EN = ("date: 2025-03-15\n\n# Night trains\n\n"
             + "\n\n".join(f"Night train line {i} leaves Vienna at ten and reaches Paris the next morning."
                           for i in range(1, 5)))


def write_mixed(root: Path) -> Path:
    """fr/pommes.md (French, 2023), en/apples.md (English, 2024), en/trains.md (English, 2025),
    notes.md (English, undated)."""
    (root / "fr").mkdir(parents=True, exist_ok=True)
    (root / "en").mkdir(exist_ok=True)
    (root / "fr" / "pommes.md").write_text(FRUIT_FR, encoding="utf-8")
    (root / "en" / "apples.md").write_text(FRUIT_EN, encoding="utf-8")
    (root / "en" / "trains.md").write_text(TRAINS_EN, encoding="utf-8")
    (root / "notes.md").write_text("# Notes\n\nApples keep for months in a cold cellar.", encoding="utf-8")
    return root
