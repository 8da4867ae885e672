"""Development collection for a passage's document context (titles): thirty German manual
pages (Debian's `manpages-de`, none of them among benchmarks/french_manpages.py's) and 24
questions written by hand from the pages' text before any was run: 18 in German, 4 in
English, 2 in Spanish. Choices about titles were made on this set and on XQuAD's
development split; benchmarks/french_manpages.py stays held-out.

    PYTHONPATH=. .venv/bin/python benchmarks/title_dev.py [--model e5-small] [--json] [--more]

`--more` adds 26 questions written the same way for the document-context work (session 6).

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

# 26 more, written by hand from the pages' text for the document-context work (session 6)
# before any was run: 19 in German, 7 in Spanish, most without the option's own words.
MORE_QUESTIONS = [
    Question("de", "Wie sehe ich mit cat, wo jede Zeile endet?", "cat", "$ am Ende jeder Zeile ausgeben"),
    Question("de", "Wie bekomme ich Zeilennummern vor jede Zeile, wenn ich eine Datei ausgebe?", "cat",
             "alle Ausgabezeilen nummerieren"),
    Question("de", "Kann cat mehrere leere Zeilen hintereinander zu einer zusammenfassen?", "cat",
             "aufeinander folgende Leerzeilen unterdrücken"),
    Question("de", "Wie verhindere ich, dass echo am Ende einen Zeilenumbruch ausgibt?", "echo",
             "Keinen abschließenden Zeilenumbruch ausgeben"),
    Question("de", "Wie entferne ich die Dateiendung von einem Dateinamen in einem Skript?", "basename",
             "Ein nachfolgendes SUFFIX entfernen"),
    Question("de", "Wie breche ich lange Zeilen an Leerzeichen um statt mitten im Wort?", "fold",
             "Umbruch bei Leerzeichen"),
    Question("de", "Wie stelle ich die Zeilenbreite beim Umbrechen auf 60 Zeichen ein?", "fold",
             "BREITE Spalten anstatt 80 benutzen"),
    Question("de", "Wann wurde der Rechner zuletzt hochgefahren?", "who", "Zeit des letzten Rechnerstarts"),
    Question("de", "Wie viele Benutzer sind gerade angemeldet?", "who",
             "Alle Anmeldenamen und Anzahl der angemeldeten Benutzer"),
    Question("de", "Wie starte ich ein Programm ohne alle meine Umgebungsvariablen?", "env",
             "Mit einer leeren Umgebung beginnen"),
    Question("de", "Wie entferne ich eine einzelne Variable aus der Umgebung, bevor ein Befehl läuft?", "env",
             "Variable aus der Umgebung entfernen"),
    Question("de", "Wie wandle ich Tabulatoren in Leerzeichen um, mit vier Zeichen pro Tab?", "expand",
             "Tabulatoren entsprechen N Zeichen, nicht 8"),
    Question("de", "Wie ändere ich die Gruppe eines ganzen Verzeichnisbaums?", "chgrp",
             "Dateien und Verzeichnisse rekursiv ändern"),
    Question("de", "Wie verknüpfe ich zwei Dateien über ein Feld, ohne auf Groß- und Kleinschreibung zu achten?",
             "join", "Unterschiede in Groß/Kleinschreibung ignorieren"),
    Question("de", "Wie gebe ich einen Pfad relativ zu einem anderen Verzeichnis aus?", "realpath",
             "den aufgelösten Pfad relativ zu VERZEICHNIS ausgeben"),
    Question("de", "Wie finde ich heraus, welche Hardware-Architektur der Rechner hat?", "uname",
             "Namen der Maschinen-Hardware ausgeben"),
    Question("de", "Wie zeige ich alle Gruppen an, in denen ein Benutzer ist?", "id", "Alle Gruppenkennungen ausgeben"),
    Question("de", "Wie bekomme ich nur einen sicheren Namen für eine temporäre Datei, ohne sie anzulegen?", "mktemp",
             "Nichts erstellen, lediglich einen Namen ausgeben"),
    Question("de", "Wie kann ich bei touch eine bestimmte Uhrzeit statt jetzt setzen?", "touch",
             "ZEICHENKETTE auswerten und statt der aktuellen Zeit verwenden"),
    Question("es", "¿Cómo evito que tee sobrescriba el archivo y añada al final?", "tee",
             "An existierende DATEIen anhängen, nichts überschreiben"),
    Question("es", "¿Cómo numero con nl solo las líneas que no están vacías?", "nl",
             "Nur nichtleere Zeilen nummerieren"),
    Question("es", "¿Cómo veo solo la dirección de los usuarios conectados?", "who", "Die IPs statt der Rechnernamen"),
    Question("es", "¿Cómo ignoro caracteres extraños al decodificar base64?", "base64",
             "Nichtalphabetische Zeichen beim Dekodieren ignorieren"),
    Question("es", "¿Cómo separo los números de seq con comas en vez de saltos de línea?", "seq",
             "ZEICHENKETTE benutzen, um Zahlen zu trennen"),
    Question("es", "¿Cómo mato un proceso si no termina después de la señal de timeout?", "timeout",
             "Außerdem ein KILL-Signal senden"),
    Question("es", "¿Cómo elimino ciertas letras de un texto con tr?", "tr", "Zeichen aus MENGE1 löschen"),
]


def run(model: str | None, work: Path | None = None, more: bool = False) -> dict:
    """`more`: the session-6 questions too (50 in all)."""
    name = model or "use-m3"
    questions = QUESTIONS + MORE_QUESTIONS if more else QUESTIONS
    retriever, passages = open_collection(work or OUT / f"de-man-{name}", PAGES, MAN, questions, model)
    out: dict = {"model": name, "passages": passages, "questions": len(questions)}
    for mode in ("hybrid", "lexical", "dense"):
        out[mode] = ask_all(retriever, questions, mode)
    retriever.close()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default=None, help="index model (default: qa's default)")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--more", action="store_true", help="ask the 26 session-6 questions too")
    args = ap.parse_args()
    out = run(args.model, more=args.more)
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
