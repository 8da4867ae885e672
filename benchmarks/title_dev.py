"""Development collection for a passage's document context (titles): thirty German manual
pages (Debian's `manpages-de`, none of them among benchmarks/french_manpages.py's) and 24
questions written by hand from the pages' text before any was run: 18 in German, 4 in
English, 2 in Spanish. Choices about titles were made on this set and on XQuAD's
development split; benchmarks/french_manpages.py stays held-out.

    PYTHONPATH=. .venv/bin/python benchmarks/title_dev.py [--model e5-small] [--json]

Renders the pages with `mandoc` under benchmarks/out/de-man-<model>/, indexes them and asks
each question (k=10) in hybrid, lexical and dense mode.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from common import OUT  # noqa: E402
from french_manpages import Question, ask_all, open_collection  # noqa: E402

PAGES = ("cut tr touch tee seq chown base64 md5sum timeout shred nl paste comm truncate readlink env uname "
         "cat echo sleep basename join fold who id realpath chgrp expand tac mktemp").split()
MAN = Path("/usr/share/man/de/man1")

QUESTIONS = [
    Question("de", "Wie wähle ich mit cut nur bestimmte Felder einer Zeile aus?", "cut", "Nur diese Felder auswählen"),
    Question("de", "Wie lege ich bei cut ein anderes Trennzeichen als den Tabulator fest?", "cut",
             "TRENNER anstelle des Tabulators als Feldtrennzeichen benutzen"),
    Question("de", "Wie lösche ich mit tr bestimmte Zeichen aus dem Text?", "tr",
             "Zeichen aus MENGE1 löschen, nicht umwandeln"),
    Question("de", "Wie ersetze ich mehrere gleiche Zeichen hintereinander durch ein einziges?", "tr",
             "Jede Sequenz mit sich wiederholenden Zeichen aus der zuletzt"),
    Question("de", "Wie ändere ich mit touch nur die Zugriffszeit einer Datei?", "touch", "Nur die Zugriffszeit ändern"),
    Question("de", "Kann touch den Zeitstempel einer anderen Datei übernehmen?", "touch",
             "Die Zeiten dieser Datei anstatt der aktuellen Zeit verwenden"),
    Question("de", "Wie schreibt tee ans Ende einer Datei, statt sie zu überschreiben?", "tee",
             "An existierende DATEIen anhängen, nichts überschreiben"),
    Question("de", "Wie bekomme ich bei seq Zahlen mit führenden Nullen?", "seq",
             "Gleiche Breite durch führende Nullen herstellen"),
    Question("de", "Wie oft überschreibt shred eine Datei standardmäßig?", "shred",
             "N Mal überschreiben statt des Standardwertes (3)"),
    Question("de", "Wie wird eine Datei nach dem sicheren Überschreiben auch gelöscht?", "shred",
             "Datei nach dem Überschreiben freigeben und entfernen"),
    Question("de", "Wie nummeriere ich mit nl auch die leeren Zeilen?", "nl", "Alle Zeilen nummerieren"),
    Question("de", "Wie bringe ich eine Datei mit truncate auf eine bestimmte Größe?", "truncate",
             "Setzen oder Anpassen der Dateigröße auf GRÖSSE in Byte"),
    Question("de", "Welchen Rückgabewert liefert timeout, wenn der Befehl zu lange läuft?", "timeout",
             "124 falls der BEFEHL die Zeit überschreitet"),
    Question("de", "Wie schickt timeout ein anderes Signal als TERM?", "timeout",
             "Das Signal angeben, das bei einer Zeitüberschreitung gesandt"),
    Question("de", "Wie erzeuge ich ein temporäres Verzeichnis statt einer temporären Datei?", "mktemp",
             "Erstellen eines Verzeichnisses, nicht einer Datei"),
    Question("de", "Wie dekodiere ich Base64-Daten wieder?", "base64", "Daten dekodieren"),
    Question("de", "Wie prüfe ich mit md5sum gespeicherte Prüfsummen?", "md5sum",
             "liest Prüfsummen aus der DATEI und überprüft sie"),
    Question("de", "Wie zeigt uname die Version des Kernels an?", "uname", "Release‐Nummer des Kernels ausgeben"),
    Question("en", "How do I print only the group ID with id?", "id", "Nur die effektive Gruppen‐ID ausgeben"),
    Question("en", "How can paste join lines with a comma instead of a tab?", "paste",
             "Zeichen aus LISTE statt Tabulatoren benutzen"),
    Question("en", "How do I show only the lines common to both files with comm?", "comm",
             "Spalte 1 unterdrücken (Zeilen, die nur in DATEI1 sind)"),
    Question("en", "How do I make readlink resolve every symbolic link in the path?", "readlink",
             "Kanonisieren, indem jedem symbolischen Link in jeder Komponente des gegebenen Namens rekursiv "
             "gefolgt wird; alle außer"),
    Question("es", "¿Cómo muestro un archivo al revés, empezando por la última línea?", "tac",
             "Jede DATEI nach Standardausgabe schreiben, die letzte Zeile zuerst"),
    Question("es", "¿Cómo cambio el propietario de un archivo con chown?", "chown",
             "den Besitzer und/oder die Gruppe jeder übergebenen Datei"),
]


def run(model: str | None, work: Path | None = None) -> dict:
    name = model or "use-m3"
    retriever, passages = open_collection(work or OUT / f"de-man-{name}", PAGES, MAN, QUESTIONS, model)
    out: dict = {"model": name, "passages": passages, "questions": len(QUESTIONS)}
    for mode in ("hybrid", "lexical", "dense"):
        out[mode] = ask_all(retriever, QUESTIONS, mode)
    retriever.close()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default=None, help="index model (default: qa's default)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    out = run(args.model)
    if args.json:
        print(json.dumps(out, ensure_ascii=False))
        return
    print(f"{out['model']}: {out['passages']} passages, {out['questions']} questions")
    print("| mode | MRR@10 | first | in top 10 | gold flagged weak |")
    print("|---|---|---|---|---|")
    for mode in ("hybrid", "lexical", "dense"):
        s = out[mode]
        print(f"| {mode} | {s['mrr10']:.3f} | {s['top1']:.3f} | {s['in_top10']:.3f} | {s['gold_weak']:.3f} |")
    for r in out["hybrid"]["rows"]:
        if r["rank"] != 1:
            print(f"  hybrid rank {r['rank']}: [{r['lang']}] {r['question']}")


if __name__ == "__main__":
    main()
