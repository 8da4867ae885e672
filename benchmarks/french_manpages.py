"""French as people ask it, on a collection nobody tuned for (issue #15).

Thirty French manual pages from Debian's `manpages-fr` (2,152 passages as `qa` cuts them),
and 49 questions written by hand the way a user asks them: 37 in French, 12 in English,
Spanish, German, Chinese and Russian. The questions were written from the pages' text
before any was run, and no weight or threshold was chosen on them: every figure here is
held-out. A question's gold passage is the one holding its `gold` text.

    PYTHONPATH=. .venv/bin/python benchmarks/french_manpages.py [--model e5-small] [--json]

Renders the pages with `mandoc` (installs `manpages-fr` and `mandoc` with apt when missing,
as benchmarks/corpus.py does), indexes them under benchmarks/out/fr-man-<model>/, asks each
question (k=10) in hybrid and dense mode and prints MRR@10, how often the gold passage is
first, and how many gold passages in the top 10 are flagged weak; plus the off-topic
questions of benchmarks/off_topic.py against this collection (how many get a passage that
is not flagged weak).
"""
from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from common import OUT  # noqa: E402

PAGES = ("ls cp mv rm mkdir chmod df du date sort head tail wc ln tar gzip kill uniq split find grep "
         "crontab passwd su ps free nice diff dd stat").split()
MAN = Path("/usr/share/man/fr/man1")


@dataclass(frozen=True)
class Question:
    lang: str
    text: str
    page: str  # the gold passage's page
    gold: str  # text the gold passage holds (on one line of the page)


QUESTIONS = [
    Question("fr", "Comment afficher aussi les fichiers cachés avec ls ?", "ls", "inclure les entrées débutant par"),
    Question("fr", "Avec ls, comment classer les fichiers du plus gros au plus petit ?", "ls",
             "trier selon la taille des fichiers en commençant par le plus"),
    Question("fr", "ls peut-il lister aussi le contenu des dossiers contenus dans un dossier ?", "ls",
             "afficher récursivement les sous-répertoires"),
    Question("fr", "Comment voir en premier les fichiers modifiés le plus récemment avec ls ?", "ls",
             "plus ancienne ; voir --time"),
    Question("fr", "Comment faire pour que cp me prévienne avant de remplacer un fichier qui existe déjà ?", "cp",
             "demander confirmation avant d'écraser"),
    Question("fr", "Comment copier un dossier entier avec tout ce qu'il contient ?", "cp",
             "copier récursivement les répertoires"),
    Question("fr", "cp peut-il copier uniquement les fichiers plus neufs que ceux de la destination ?", "cp",
             "ne copier que si le fichier source est plus récent"),
    Question("fr", "Comment effacer un dossier et tous ses fichiers avec rm ?", "rm",
             "enlever le contenu des répertoires récursivement"),
    Question("fr", "rm peut-il me demander mon accord pour chaque fichier supprimé ?", "rm",
             "demander une confirmation avant chaque effacement"),
    Question("fr", "Comment créer d'un coup une arborescence de dossiers imbriqués a/b/c ?", "mkdir",
             "créer des répertoires parents comme il"),
    Question("fr", "Comment savoir si une partition est en ext4 ou en xfs avec df ?", "df",
             "afficher le type du système de fichiers"),
    Question("fr", "df peut-il montrer le nombre d'inodes libres plutôt que l'espace disque ?", "df",
             "afficher les informations des inœuds"),
    Question("fr", "Comment obtenir juste la taille totale d'un dossier sans le détail de chaque fichier ?", "du",
             "afficher seulement un total pour chaque paramètre"),
    Question("fr", "Quel format donne un horodatage Unix (secondes écoulées depuis 1970) avec date ?", "date",
             "nombre de secondes depuis l'époque UNIX (00:00:00"),
    Question("fr", "Comment faire afficher par date un autre jour que celui d'aujourd'hui ?", "date",
             "afficher la date indiquée dans CHAÎNE plutôt que la date"),
    Question("fr", "Pourquoi sort range 10 avant 9, et comment trier des nombres correctement ?", "sort",
             "comparer selon la valeur numérique de la chaîne"),
    Question("fr", "Comment trier une liste en supprimant les doublons en une seule commande ?", "sort",
             "n'afficher que la première entrée identique rencontrée"),
    Question("fr", "Comment voir seulement les 20 premières lignes d'un fichier ?", "head",
             "afficher les N premières lignes au lieu des 10 premières"),
    Question("fr", "Comment surveiller en direct un fichier journal qui se remplit ?", "tail",
             "Afficher les données ajoutées lorsque le fichier grossit"),
    Question("fr", "Comment compter combien de lignes contient un fichier ?", "wc", "afficher le nombre de lignes"),
    Question("fr", "Comment faire un raccourci vers un fichier qui pointe vers son chemin ?", "ln",
             "créer des liens symboliques au lieu de liens directs"),
    Question("fr", "Comment décompresser une archive tar pour récupérer les fichiers ?", "tar",
             "Extraire les fichiers d’une archive"),
    Question("fr", "Comment voir ce qu'il y a dans un fichier tar sans le déballer ?", "tar",
             "Lister le contenu d’une archive"),
    Question("fr", "gzip efface le fichier d'origine : comment le garder ?", "gzip",
             "conserver (ne pas supprimer) les fichiers d'entrée"),
    Question("fr", "Comment savoir combien de fois chaque ligne se répète ?", "uniq",
             "préfixer les lignes par le nombre d'occurrences"),
    Question("fr", "Comment découper un gros fichier en morceaux de 100 Mo ?", "split",
             "placer TAILLE octets par fichier de sortie"),
    Question("fr", "Comment trouver les fichiers changés durant les 7 derniers jours ?", "find",
             "Fichier dont les données ont été modifiées il y a moins de"),
    Question("fr", "Comment chercher un fichier par son nom sans tenir compte des majuscules ?", "find",
             "Semblable à -name, mais sans différencier les majuscules"),
    Question("fr", "Comment afficher les lignes qui ne contiennent pas un mot donné ?", "grep",
             "ne correspondant pas au motif"),
    Question("fr", "grep peut-il trouver « Erreur » et « erreur » en même temps ?", "grep",
             "Ignorer les distinctions de casse dans les motifs"),
    Question("fr", "Comment changer mes tâches planifiées ?", "crontab",
             "L'option -e permet de modifier la crontab en cours"),
    Question("fr", "Comment forcer un utilisateur à choisir un nouveau mot de passe à sa prochaine connexion ?",
             "passwd", "Annuler immédiatement la validité du mot de passe"),
    Question("fr", "Comment bloquer le compte d'un employé qui a quitté l'entreprise ?", "passwd",
             "Verrouiller le mot de passe du compte indiqué"),
    Question("fr", "Où trouver la liste des signaux qu'on peut envoyer à un processus ?", "kill",
             "Afficher les noms de signaux. Cette option"),
    Question("fr", "Comment lancer un programme avec une priorité plus basse ?", "nice",
             "ajouter la valeur entière N à la valeur de politesse"),
    Question("fr", "Comment voir l'avancement d'une copie avec dd ?", "dd",
             "affiche des statistiques périodiques sur le transfert"),
    Question("fr", "Comment produire un patch au format unifié avec diff ?", "diff",
             "Afficher n lignes de contexte unifié"),
    # the same collection asked in other languages
    Question("en", "How do I show hidden files with ls?", "ls", "inclure les entrées débutant par"),
    Question("en", "How can I follow a log file as new lines are written to it?", "tail",
             "Afficher les données ajoutées lorsque le fichier grossit"),
    Question("en", "How do I force a user to change their password at the next login?", "passwd",
             "Annuler immédiatement la validité du mot de passe"),
    Question("es", "¿Cómo busco texto con grep sin distinguir mayúsculas de minúsculas?", "grep",
             "Ignorer les distinctions de casse dans les motifs"),
    Question("es", "¿Cómo saco los archivos de un archivo tar?", "tar", "Extraire les fichiers d’une archive"),
    Question("es", "¿Cómo copio una carpeta con todo su contenido?", "cp", "copier récursivement les répertoires"),
    Question("de", "Wie lösche ich ein Verzeichnis samt Inhalt mit rm?", "rm",
             "enlever le contenu des répertoires récursivement"),
    Question("de", "Wie zeigt df die Größen in einer lesbaren Form an?", "df",
             "afficher les tailles en puissances de 1024"),
    Question("zh", "如何用 find 查找最近七天修改过的文件？", "find",
             "Fichier dont les données ont été modifiées il y a moins de"),
    Question("zh", "怎样统计一个文件有多少行？", "wc", "afficher le nombre de lignes"),
    Question("zh", "如何锁定一个用户的密码？", "passwd", "Verrouiller le mot de passe du compte indiqué"),
    Question("ru", "Как создать символическую ссылку на файл?", "ln",
             "créer des liens symboliques au lieu de liens directs"),
]


def render_pages(folder: Path, pages: tuple[str, ...] | list[str] = PAGES, man: Path = MAN) -> None:
    """The `pages` of section 1 under `man`, as text files in `folder` (installs them when missing)."""
    from corpus import _render, ensure_packages

    if not man.is_dir() or not any(man.glob(f"{pages[0]}.1*")):
        ensure_packages()
    folder.mkdir(parents=True, exist_ok=True)
    for page in pages:
        dst = folder / f"{page}.txt"
        if not dst.exists() and not _render((str(man / f"{page}.1.gz"), str(dst))):
            sys.exit(f"could not render {page}(1) from {man}")


def open_collection(work: Path, pages, man: Path, questions: list[Question], model: str | None):
    """The pages rendered and indexed under `work`: (retriever, passages). Every gold text must
    name exactly one place in the collection."""
    from qa import Retriever, build_index

    render_pages(work / "docs", pages, man)
    report = build_index([work / "docs"], index=work / "index", model=model, progress=False)
    for q in questions:
        text = " ".join((work / "docs" / f"{q.page}.txt").read_text(encoding="utf-8").split())
        assert text.count(q.gold) == 1, q
    return Retriever.open(work / "index"), report.passages


def ask_all(retriever, questions: list[Question], mode: str) -> dict:
    """Each question asked (k=10): its gold passage's rank and weak flag, and the summary."""
    rows = []
    for q in questions:
        hits = retriever.search(q.text, k=10, mode=mode)
        rank = gold_passage(hits, q)
        rows.append({"lang": q.lang, "question": q.text, "rank": rank, "weak": bool(rank and hits[rank - 1].weak)})
    return {"rows": rows, **summary(rows)}


def gold_passage(hits, q: Question) -> int | None:
    """1-based rank of the gold passage among `hits`, or None."""
    for rank, h in enumerate(hits, 1):
        if Path(h.source).stem == q.page and q.gold in " ".join(h.text.split()):
            return rank
    return None


def run(model: str | None) -> dict:
    from off_topic import OFF_TOPIC_DEV, OFF_TOPIC_HELD_OUT

    name = model or "use-m3"
    retriever, passages = open_collection(OUT / f"fr-man-{name}", PAGES, MAN, QUESTIONS, model)
    out: dict = {"model": name, "passages": passages, "questions": len(QUESTIONS)}
    for mode in ("hybrid", "dense"):
        out[mode] = ask_all(retriever, QUESTIONS, mode)
        for group in ("fr", "other"):
            part = [r for r in out[mode]["rows"] if (r["lang"] == "fr") == (group == "fr")]
            out[mode][group] = summary(part)
    off = OFF_TOPIC_DEV + OFF_TOPIC_HELD_OUT
    passing = [q for q in off if any(not h.weak for h in retriever.search(q, k=5))]
    out["off_topic"] = {"questions": len(off), "passing": len(passing), "examples": passing[:5]}
    retriever.close()
    return out


def summary(rows: list[dict]) -> dict:
    n = len(rows)
    found = [r for r in rows if r["rank"]]
    return {"n": n, "mrr10": sum(1 / r["rank"] for r in found) / n if n else 0.0,
            "top1": sum(r["rank"] == 1 for r in found) / n if n else 0.0,
            "in_top10": len(found) / n if n else 0.0,
            "gold_weak": sum(r["weak"] for r in found) / len(found) if found else 0.0}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default=None, help="index model (default: qa's default)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    out = run(args.model)
    (OUT / f"french_manpages-{out['model']}.json").write_text(json.dumps(out, ensure_ascii=False, indent=1))
    if args.json:
        print(json.dumps(out, ensure_ascii=False))
        return
    print(f"{out['model']}: {out['passages']} passages, {out['questions']} questions")
    print("| mode | questions | MRR@10 | first | in top 10 | gold flagged weak |")
    print("|---|---|---|---|---|---|")
    for mode in ("hybrid", "dense"):
        for group, label in (("fr", "French"), ("other", "en/es/de/zh/ru"), (None, "all")):
            s = out[mode][group] if group else out[mode]
            print(f"| {mode}, {label} | {s['n']} | {s['mrr10']:.3f} | {s['top1']:.3f} | {s['in_top10']:.3f} | "
                  f"{s['gold_weak']:.3f} |")
    o = out["off_topic"]
    print(f"off-topic questions with a passage not flagged weak: {o['passing']} of {o['questions']}")
    for mode in ("hybrid",):
        for r in out[mode]["rows"]:
            if r["rank"] != 1:
                print(f"  {mode} rank {r['rank']}{' weak' if r['weak'] else ''}: [{r['lang']}] {r['question']}")


if __name__ == "__main__":
    main()
