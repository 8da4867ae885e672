"""Language identification once per document, passage by passage only in mixed documents."""
from __future__ import annotations

from qa import Retriever, build_index

FR = ["Le verger de la coopérative compte trois cents pommiers plantés en {}.",
      "Les récoltes de l'année {} ont été vendues au marché de Lyon."]
EN = ["The orchard of the cooperative has three hundred apple trees planted in {}.",
      "The harvest of the year {} was sold at the market in Lyon."]


def langs_by_text(index) -> dict[str, str]:
    retriever = Retriever.open(index)
    rows = retriever.store.connection().execute("SELECT text, lang FROM passages").fetchall()
    retriever.close()
    return dict(rows)


def test_monolingual_and_mixed_documents(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    french = [FR[i % 2].format(1990 + i) for i in range(12)]
    english = [EN[i % 2].format(1990 + i) for i in range(6)]
    (docs / "fr.txt").write_text("\n\n".join(french), encoding="utf-8")
    (docs / "mixed.txt").write_text("\n\n".join(french[:6] + english), encoding="utf-8")
    build_index([docs], index=tmp_path / "index", progress=False)
    langs = langs_by_text(tmp_path / "index")
    assert [langs[t] for t in french] == ["fr"] * 12
    assert [langs[t] for t in english] == ["en"] * 6  # the mixed document, passage by passage
