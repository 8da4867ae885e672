"""Held-out German manual pages for German compounds (qa/compounds.py): 25 pages of Debian's
`manpages-de` used by no other benchmark (not title_dev.py's, es_manpages.py's or
french_manpages.py's) and 36 questions written by hand from the pages' text before anything
was run on them (session 8): 30 in German, 6 in English. Many ask with a compound where the
page has its parts, or the other way round ("Aktualisierungsintervall" / "Intervall der
Aktualisierung"); the rest are ordinary questions. Nothing was chosen on this set: it is read
once, compounds off and on (benchmarks/compound_dev.py heldout).

The gold passage is found as in french_manpages.py: the page, and a text on one line of it.
"""
from __future__ import annotations

from pathlib import Path

from french_manpages import Question

PAGES = ("cal column cmp dmesg eject fallocate flock fuser hexdump iconv killall last logger pgrep pstree "
         "script sed strings taskset uptime watch whereis ionice chrt namei").split()
MAN = Path("/usr/share/man/de/man1")

QUESTIONS = [
    Question("de", "Wie zeige ich mit cal die Kalenderwoche an?", "cal",
             "gibt die Wochennummer unterhalb der Wochenspalte aus"),
    Question("de", "Kann cal das Osterdatum anzeigen?", "cal", "zeigt das Datum von Ostern an (für westliche Kirchen)"),
    Question("de", "Wie richte ich eine Spalte bei column rechtsbündig aus?", "column",
             "richtet den Text in den angegebenen Spalten rechtsbündig aus"),
    Question("de", "Wie blende ich bei column die Tabellenüberschrift aus?", "column", "gibt keine Überschrift aus"),
    Question("de", "Wie vergleiche ich zwei Dateien byteweise?", "cmp", "Das Programm vergleicht zwei Dateien Byte für Byte"),
    Question("en", "How do I skip the first bytes of both files with cmp?", "cmp",
             "Überspringt die ersten SKIP Byte beider Eingaben"),
    Question("de", "Wie lösche ich den Puffer mit den Kernelmeldungen?", "dmesg", "leert den Ringpuffer."),
    Question("de", "Wie filtere ich dmesg nach Fehlern und Warnungen?", "dmesg", "nur Fehlermeldungen und Warnungen aus"),
    Question("de", "Wie schließe ich die Laufwerksschublade mit eject?", "eject",
             "CD-Laufwerk. Dieser Befehl wird nicht von allen Laufwerken"),
    Question("de", "Wie verhindere ich, dass der Knopf am Laufwerk die CD auswirft?", "eject",
             "steuert die Sperrung des Hardware-Auswurfknopfs"),
    Question("de", "Wie reserviere ich mit fallocate Speicherplatz, ohne die Dateigröße zu ändern?", "fallocate",
             "verhindert die Änderung der eigentlichen Länge der Datei"),
    Question("en", "How can I punch a hole into a file to free disk blocks?", "fallocate",
             "erzeugt ein »Loch«) im Bereich"),
    Question("de", "Kann flock eine Schreibsperre setzen?", "flock", "richtet eine exklusive Sperrung ein, gelegentlich auch"),
    Question("de", "Wie lasse ich flock sofort abbrechen, statt auf die Sperre zu warten?", "flock",
             "schlägt fehl, anstatt zu warten, wenn eine Sperre nicht unmittelbar"),
    Question("de", "Wie finde ich heraus, welcher Prozess eine Datei geöffnet hat?", "fuser",
             "fuser zeigt anhand der angegebenen Dateien oder Dateisysteme die"),
    Question("de", "Wie beende ich mit fuser alle Prozesse, die auf eine Datei zugreifen?", "fuser",
             "tötet Prozesse, die auf die Datei zugreifen."),
    Question("de", "Wie zeige ich eine Datei mit hexdump in Hex und ASCII nebeneinander an?", "hexdump",
             "Kanonische Hex+ASCII-Anzeige."),
    Question("en", "How do I limit hexdump to the first N bytes of the input?", "hexdump",
             "wertet nur die angegebene Länge an Bytes der Eingabe aus."),
    Question("de", "Wie gebe ich bei iconv die Kodierung der Eingabe an?", "iconv",
             "verwendet die angegebene Quellkodierung für die Zeichen der"),
    Question("de", "Wie zeige ich alle Zeichensätze an, die iconv kennt?", "iconv",
             "listet alle bekannten Zeichensatzkodierungen auf."),
    Question("de", "Wie ignoriere ich bei killall die Groß- und Kleinschreibung?", "killall",
             "ignoriert bei der Treffersuche die Groß- oder Kleinschreibung."),
    Question("de", "Wie beende ich nur Prozesse, die schon länger als eine Stunde laufen?", "killall",
             "prüft nur Prozesse auf Übereinstimmungen, die älter als die"),
    Question("en", "How do I kill a whole process group with killall?", "killall",
             "tötet die Prozessgruppe, zu welcher der Prozess gehört."),
    Question("de", "Wie sehe ich mit last, wann das System neu gestartet wurde?", "last",
             "Daher zeigt last reboot ein Protokoll aller Neustarts"),
    Question("de", "Wo sehe ich fehlgeschlagene Anmeldungen?", "last", "fehlgeschlagenen Anmeldeversuche enthält."),
    Question("de", "Wie schreibe ich eine Meldung ins Protokoll des Systems?", "logger",
             "logger überträgt Einträge in das Systemprotokoll."),
    Question("de", "Wie protokolliere ich mit logger den Inhalt einer Datei?", "logger",
             "protokolliert den Inhalt der angegebenen Datei."),
    Question("de", "Wie zähle ich mit pgrep, wie viele passende Prozesse laufen?", "pgrep",
             "unterdrückt normale Ausgaben und gibt stattdessen die Anzahl der"),
    Question("de", "Wie zeichne ich alles auf, was ich in einer Sitzung im Terminal tippe?", "script",
             "script erstellt ein Eingabeskript Ihrer gesamten Terminalsitzung."),
    Question("de", "Wie ändere ich bei watch das Intervall der Aktualisierung?", "watch",
             "gibt das Aktualisierungsintervall an."),
    Question("en", "How do I highlight the differences between updates in watch?", "watch",
             "hebt die Unterschiede zwischen aufeinander folgenden"),
    Question("de", "Wie lasse ich whereis nur nach Handbüchern suchen?", "whereis", "sucht nach Handbuchseiten."),
    Question("de", "Wie sorge ich dafür, dass ein Backup nur dann auf die Festplatte zugreift, wenn sonst niemand "
             "sie braucht?", "ionice", "erhält nur Zeit für Festplattenzugriffe zugewiesen"),
    Question("de", "Seit wann ist das System hochgefahren?", "uptime", "System ist hochgefahren seit, im Format"),
    Question("en", "What does the load average shown by uptime mean?", "uptime",
             "Die durchschnittliche Auslastung des Systems ist die durchschnittliche"),
    Question("de", "Wie lege ich bei strings die Mindestlänge der ausgegebenen Zeichenketten fest?", "strings",
             "Gibt eine Sequenz von darstellbaren Zeichen aus, die mindestens"),
]
