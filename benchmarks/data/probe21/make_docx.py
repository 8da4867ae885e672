"""Writes the probe's two Word documents (session 21) from the text below, as people have them:
headings in Word's heading styles, one paragraph a paragraph. Run once; the .docx files are
committed beside it.

    python benchmarks/data/probe21/make_docx.py
"""
from __future__ import annotations

from pathlib import Path

from docx import Document

HERE = Path(__file__).resolve().parent

# (style, text): "Title", "Heading 1" or "" (a body paragraph)
DOCUMENTS = {
    "cy_llanrug/cofnodion_cyngor_cymuned.docx": [
        ("Title", "Cofnodion Cyngor Cymuned Llanrug – Cyfarfod 9 Mawrth 2026"),
        ("", "Yn bresennol: y Cynghorydd Gwen Parry (Cadeirydd), Dafydd Hughes, Eleri Roberts, Huw Jones a'r Clerc, Sioned Williams."),
        ("Heading 1", "1. Ymddiheuriadau"),
        ("", "Derbyniwyd ymddiheuriadau gan Meirion Evans, sydd yn yr ysbyty."),
        ("Heading 1", "2. Maes chwarae"),
        ("", "Bydd y maes chwarae newydd ger yr ysgol yn agor ar 1 Mai 2026. Costiodd y gwaith £48,000, gyda £30,000 yn dod o grant y Loteri Genedlaethol."),
        ("Heading 1", "3. Goleuadau stryd"),
        ("", "Cytunwyd i newid 65 o oleuadau stryd i fylbiau LED er mwyn arbed tua £3,200 y flwyddyn ar drydan."),
        ("Heading 1", "4. Parcio ger yr ysgol"),
        ("", "Mae rhieni wedi cwyno am geir yn parcio ar y palmant. Bydd y clerc yn ysgrifennu at Gyngor Gwynedd i ofyn am linellau melyn dwbl."),
        ("Heading 1", "5. Praesept"),
        ("", "Penderfynwyd codi'r praesept 3% ar gyfer 2026–27, i £41,200."),
        ("Heading 1", "6. Y cyfarfod nesaf"),
        ("", "Cynhelir y cyfarfod nesaf ar 13 Ebrill 2026 am 7 o'r gloch yn y Sefydliad."),
    ],
    "fr_facturo/compte_rendu_reunion_support.docx": [
        ("Title", "Compte rendu de la réunion mensuelle de l'équipe support – 5 novembre 2026"),
        ("", "Présents : Claire Dubois (responsable support), Mehdi Benali, Sophie Laurent, Julien Moreau, Aïcha Diallo. Excusé : Thomas Petit (congé paternité jusqu'au 20 novembre)."),
        ("Heading 1", "1. Chiffres d'octobre"),
        ("", "L'équipe a traité 5 240 conversations en octobre, soit 12 % de plus qu'en septembre. Le délai moyen de première réponse est passé de 2 h 40 à 1 h 55."),
        ("", "La note de satisfaction moyenne est de 4,6 sur 5. Les notes les plus basses concernent presque toutes la synchronisation bancaire."),
        ("Heading 1", "2. Synchronisation bancaire"),
        ("", "Depuis la mise à jour du 14 octobre, les comptes du Crédit Mutuel ne se synchronisent plus. Le fournisseur d'agrégation promet un correctif pour le 20 novembre ; en attendant, on conseille aux clients l'import manuel d'un relevé au format OFX."),
        ("Heading 1", "3. Facture électronique"),
        ("", "Les questions sur la facture électronique ont triplé. Sophie rédige d'ici le 15 novembre un article de la base de connaissances sur le format Factur-X et le calendrier de la réforme."),
        ("Heading 1", "4. Astreinte de fin d'année"),
        ("", "Le support reste ouvert entre Noël et le jour de l'An, de 10 h à 16 h seulement. Mehdi et Aïcha assurent la permanence du 26 au 31 décembre ; Julien prend le 2 janvier."),
        ("Heading 1", "5. Prestataire externe"),
        ("", "Le contrat avec Hotline Atlantique a été signé le 14 octobre. Le prestataire prendra le premier niveau à partir de janvier ; notre équipe garde les escalades et les comptes de l'offre Équipe."),
        ("", "Claire organise la formation des conseillers de Nantes la première semaine de décembre, dans nos locaux de Lyon. Chaque membre de l'équipe animera une demi-journée."),
        ("Heading 1", "6. Outils"),
        ("", "Le passage de Zendesk à Crisp est reporté au printemps 2027, après l'arrivée du prestataire. Le budget de 8 000 € prévu pour la migration est gardé."),
        ("", "Julien propose une macro de réponse pour les mots de passe oubliés ; elle est adoptée et sera en place lundi prochain."),
        ("Heading 1", "7. Divers"),
        ("", "Le repas d'équipe de fin d'année aura lieu le jeudi 17 décembre à midi, au restaurant Le Bouchon des Filles. La prochaine réunion est fixée au 3 décembre à 10 h."),
    ],
}


def main() -> None:
    for name, paragraphs in DOCUMENTS.items():
        document = Document()
        for style, text in paragraphs:
            document.add_paragraph(text, style=style or None)
        document.save(HERE / name)


if __name__ == "__main__":
    main()
