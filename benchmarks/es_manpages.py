"""Development collection of multi-passage documents for the weak-match rule (issue #15,
docs/quality.md "Session 8"): 26 Spanish manual pages (Debian's `manpages-es`, none of them
among title_dev.py's German or french_manpages.py's French pages) and 35 questions written by
hand from the pages' text before any was run: 30 in Spanish, 5 in English. A question's gold
passage is the one holding its `gold` text (french_manpages.Question). Development data: rules
may be chosen on it.

    PYTHONPATH=.:benchmarks .venv/bin/python benchmarks/es_manpages.py [--model e5-small]

Renders the pages with `mandoc` under benchmarks/out/es-man-<model>/, indexes them and asks each
question (k=10, hybrid), plus OFF_TOPIC_DEV2 (benchmarks/off_topic.py).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from common import OUT  # noqa: E402
from french_manpages import Question, ask_all, open_collection  # noqa: E402

PAGES = ("at bc bzip2 csplit dirname expr factor fmt hostname install mkfifo nohup nproc numfmt od pr printf "
         "pwd renice rmdir sha256sum shuf stty time unexpand whoami").split()
MAN = Path("/usr/share/man/es/man1")

QUESTIONS = [
    Question("es", "¿Cómo programo una tarea para que se ejecute mañana a la una de la madrugada?", "at",
             "at 1am tomorrow"),
    Question("es", "¿Cómo veo la lista de trabajos que tengo pendientes con at?", "at",
             "lista los trabajos pendientes del usuario"),
    Question("es", "¿Puede at avisarme por correo cuando termina un trabajo aunque no haya salida?", "at",
             "Envía un correo (mail) al usuario cuando el trabajo termina"),
    Question("es", "¿Cómo cargo las funciones matemáticas como seno o logaritmo en bc?", "bc",
             "Selecciona la biblioteca matemática estándar."),
    Question("es", "¿Cómo quito el mensaje de bienvenida al abrir la calculadora bc?", "bc",
             "No imprime el habitual mensaje de bienvenida del GNU bc."),
    Question("es", "¿Cómo comprimo con bzip2 sin que se borre el archivo original?", "bzip2",
             "Mantener (no borrar) los archivos de entrada durante la"),
    Question("es", "¿Qué opción de bzip2 da la máxima compresión?", "bzip2", "-1 (o --fast) para -9 (o --best)"),
    Question("es", "¿Cómo cambio el prefijo xx de los archivos que crea csplit?", "csplit",
             "usar PREFIJO en lugar de 'xx'"),
    Question("es", "¿Cómo evito que csplit borre los trozos ya creados si algo falla?", "csplit",
             "no elimina los archivos de salida si ocurre un error"),
    Question("es", "¿Cómo obtengo la carpeta que contiene un archivo a partir de su ruta completa?", "dirname",
             "Muestra NOMBRE eliminando las barras finales y la última componente"),
    Question("es", "¿Cómo calculo cuántos caracteres tiene una cadena con expr?", "expr", "longitud de CADENA"),
    Question("es", "¿Qué código de salida devuelve expr si la expresión está mal escrita?", "expr",
             "2 si EXPRESIÓN es sintácticamente inválida"),
    Question("es", "¿Cómo limito el ancho de las líneas a 60 columnas al reformatear un texto?", "fmt",
             "ancho máximo de línea (por defecto: 75 columnas)"),
    Question("es", "¿Cómo indico los permisos que tendrá un archivo al copiarlo con install?", "install",
             "establece los permisos (como en chmod), en lugar de rwxr-xr-x"),
    Question("es", "¿Cómo veo todas las direcciones IP de mi equipo?", "hostname",
             "Muestra todas las direcciones de red del equipo, es decir todas"),
    Question("es", "¿Cómo cambio el nombre del equipo para que se mantenga tras reiniciar?", "hostname",
             "siguiente reinicio, para que sea definitivos es necesario editar el"),
    Question("es", "¿Cómo creo una tubería con nombre para comunicar dos procesos?", "mkfifo",
             "Crea tuberías nombradas (FIFO) con los NOMBREs dados"),
    Question("es", "¿Cómo dejo un programa funcionando después de cerrar la sesión de la terminal?", "nohup",
             "Ejecuta ORDEN, ignorando las señales del núcleo que le ordenen"),
    Question("es", "¿Dónde queda la salida de un programa lanzado con nohup?", "nohup",
             "salida al archivo 'nohup.out' siempre que sea posible"),
    Question("es", "¿Cuántos procesadores tiene instalados mi ordenador?", "nproc",
             "muestra la cantidad de procesadores instalados"),
    Question("es", "¿Cómo convierto un número de bytes en un tamaño legible como 1.0K?", "numfmt",
             "reescala los números de salida a UNIDAD(es)"),
    Question("es", "¿Cómo veo el contenido de un archivo binario en hexadecimal?", "od",
             "selecciona unidades hexadecimales de 2 bytes"),
    Question("es", "¿Cómo imprimo un texto a doble espacio con pr?", "pr", "salida con espaciado doble"),
    Question("es", "¿Cómo escribo un carácter Unicode a partir de su código con printf?", "printf",
             "El carácter Unicode (ISO/IEC 10646) con valor hexadecimal HHHH"),
    Question("es", "¿Cómo bajo la prioridad de todos los procesos de un usuario?", "renice",
             "Interpret the succeeding arguments as usernames or UIDs."),
    Question("es", "¿Cómo borro una carpeta vacía y de paso sus carpetas padre?", "rmdir",
             "Elimina DIRECTORIO y sus prdecesores"),
    Question("es", "¿Cómo compruebo que un archivo descargado coincide con su suma SHA256?", "sha256sum",
             "lee y verifica las sumas de comprobación presentes en ARCHIVO"),
    Question("es", "¿Cómo saco solo cinco líneas al azar de un archivo?", "shuf", "muestra un máximo de TOTAL líneas"),
    Question("es", "¿Cómo guardo en un archivo el informe de recursos que da time?", "time",
             "Escribe la salida en ARCHIVO en lugar de hacerlo en la salida de"),
    Question("es", "¿Cómo veo todos los ajustes actuales de la terminal?", "stty",
             "muestra todos los valores actuales en forma legible para humanos"),
    # the same collection asked in English
    Question("en", "How do I keep the original file when compressing with bzip2?", "bzip2",
             "Mantener (no borrar) los archivos de entrada durante la"),
    Question("en", "How can a script find out how many CPUs it may use?", "nproc",
             "Muestra la cantidad de unidades de procesamiento disponibles para el"),
    Question("en", "How do I turn leading spaces into tabs?", "unexpand",
             "Convierte los espacios en blanco de cada ARCHIVO en tabulaciones"),
    Question("en", "How do I print the current directory with symbolic links resolved?", "pwd",
             "evita todos los enlaces simbólicos"),
    Question("en", "How do I schedule a job for 4pm three days from now?", "at", "at 4pm + 3 days"),
]


def run(model: str | None) -> dict:
    from off_topic import OFF_TOPIC_DEV2

    name = model or "use-m3"
    retriever, passages = open_collection(OUT / f"es-man-{name}", PAGES, MAN, QUESTIONS, model)
    out = {"model": name, "passages": passages, "hybrid": ask_all(retriever, QUESTIONS, "hybrid")}
    out["off_topic_passing"] = sum(any(not h.weak for h in retriever.search(q, k=5)) for q in OFF_TOPIC_DEV2)
    retriever.close()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default=None)
    out = run(ap.parse_args().model)
    s = out["hybrid"]
    print(f"{out['model']}: {out['passages']} passages, {s['n']} questions: MRR@10 {s['mrr10']:.3f}, "
          f"in top 10 {s['in_top10']:.3f}, gold flagged weak {s['gold_weak']:.3f}; "
          f"OFF_TOPIC_DEV2 passing {out['off_topic_passing']}")


if __name__ == "__main__":
    main()
