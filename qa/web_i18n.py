"""The chat page's own words in several languages (documents and answers are never translated).

Component labels go through Gradio's `I18n` (the browser's language, on the page); replies and
notices rendered on the server pick the language from the request's Accept-Language."""
from __future__ import annotations

LANGS = ("en", "fr", "zh", "de", "es")

TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "title": "### qa: ask your documents, in any language",
        "placeholder": "Ask a question about the documents…",
        "passages": "Passages",
        "folder": "Folder",
        "language": "Document language",
        "since": "From (date)",
        "until": "Until (date)",
        "examples": "Try",
        "api_data": "Passages as data (the API's answer)",
        "document": "Document",
        "documents": "Documents",
        "doc_hint": "Click a citation to read the passage in its document.",
        "no_answer": "No passage in the documents answers this question.",
        "closest": "The closest one, a weak match:",
        "empty_index": "The index is empty: there is nothing to search.",
        "no_match": "No passage matches these filters.",
        "strong": "strong match",
        "fair": "fair match",
        "weak": "weak match",
        "score": "score",
        "copy": "Copy citation",
        "copied": "Copied",
        "link": "Link to this question",
        "open": "Open in the document",
        "back": "← Back to the answer",
        "earlier": "← Earlier paragraphs",
        "later": "Later paragraphs →",
        "searching": "Searching…",
        "stats": "**{documents}** documents · **{passages}** passages · model `{model}`",
        "upload": "Add documents",
        "upload_hint": "Drop files here (.txt .md .html .pdf .docx)",
        "remove": "Remove",
        "uploads_off": "Adding documents is turned off on this server.",
        "added": "Added: {names}",
        "refused": "Refused {name}: {why}",
        "removed": "Removed {name}",
        "uploaded_docs": "Added from this page",
        "login_needed": "Log in to add documents on this server.",
    },
    "fr": {
        "title": "### qa : interrogez vos documents, dans toutes les langues",
        "placeholder": "Posez une question sur les documents…",
        "passages": "Passages",
        "folder": "Dossier",
        "language": "Langue du document",
        "since": "Depuis (date)",
        "until": "Jusqu'au (date)",
        "examples": "Essayez",
        "api_data": "Les passages en données (la réponse de l'API)",
        "document": "Document",
        "documents": "Documents",
        "doc_hint": "Cliquez sur une citation pour lire le passage dans son document.",
        "no_answer": "Aucun passage des documents ne répond à cette question.",
        "closest": "Le plus proche, une correspondance faible :",
        "empty_index": "L'index est vide : il n'y a rien à chercher.",
        "no_match": "Aucun passage ne correspond à ces filtres.",
        "strong": "correspondance forte",
        "fair": "correspondance moyenne",
        "weak": "correspondance faible",
        "score": "score",
        "copy": "Copier la citation",
        "copied": "Copié",
        "link": "Lien vers cette question",
        "open": "Ouvrir dans le document",
        "back": "← Retour à la réponse",
        "earlier": "← Paragraphes précédents",
        "later": "Paragraphes suivants →",
        "searching": "Recherche…",
        "stats": "**{documents}** documents · **{passages}** passages · modèle `{model}`",
        "upload": "Ajouter des documents",
        "upload_hint": "Déposez des fichiers ici (.txt .md .html .pdf .docx)",
        "remove": "Retirer",
        "uploads_off": "L'ajout de documents est désactivé sur ce serveur.",
        "added": "Ajouté : {names}",
        "refused": "Refusé {name} : {why}",
        "removed": "Retiré {name}",
        "uploaded_docs": "Ajoutés depuis cette page",
        "login_needed": "Connectez-vous pour ajouter des documents sur ce serveur.",
    },
    "zh": {
        "title": "### qa：用任何语言询问您的文档",
        "placeholder": "就文档提出一个问题…",
        "passages": "段落数",
        "folder": "文件夹",
        "language": "文档语言",
        "since": "起始日期",
        "until": "截止日期",
        "examples": "试试",
        "api_data": "段落数据（API 的回答）",
        "document": "文档",
        "documents": "文档列表",
        "doc_hint": "点击引用，在文档中阅读该段落。",
        "no_answer": "文档中没有段落回答这个问题。",
        "closest": "最接近的一段（弱匹配）：",
        "empty_index": "索引为空：没有可搜索的内容。",
        "no_match": "没有段落符合这些筛选条件。",
        "strong": "强匹配",
        "fair": "中等匹配",
        "weak": "弱匹配",
        "score": "分数",
        "copy": "复制引用",
        "copied": "已复制",
        "link": "此问题的链接",
        "open": "在文档中打开",
        "back": "← 返回回答",
        "earlier": "← 前面的段落",
        "later": "后面的段落 →",
        "searching": "搜索中…",
        "stats": "**{documents}** 个文档 · **{passages}** 个段落 · 模型 `{model}`",
        "upload": "添加文档",
        "upload_hint": "将文件拖放到此处（.txt .md .html .pdf .docx）",
        "remove": "移除",
        "uploads_off": "此服务器已关闭添加文档功能。",
        "added": "已添加：{names}",
        "refused": "已拒绝 {name}：{why}",
        "removed": "已移除 {name}",
        "uploaded_docs": "从此页面添加的文档",
        "login_needed": "请登录后在此服务器上添加文档。",
    },
    "de": {
        "title": "### qa: Fragen Sie Ihre Dokumente, in jeder Sprache",
        "placeholder": "Stellen Sie eine Frage zu den Dokumenten…",
        "passages": "Passagen",
        "folder": "Ordner",
        "language": "Sprache des Dokuments",
        "since": "Ab (Datum)",
        "until": "Bis (Datum)",
        "examples": "Probieren Sie",
        "api_data": "Die Passagen als Daten (die Antwort der API)",
        "document": "Dokument",
        "documents": "Dokumente",
        "doc_hint": "Klicken Sie auf ein Zitat, um die Passage im Dokument zu lesen.",
        "no_answer": "Keine Passage der Dokumente beantwortet diese Frage.",
        "closest": "Die nächstliegende, eine schwache Übereinstimmung:",
        "empty_index": "Der Index ist leer: Es gibt nichts zu durchsuchen.",
        "no_match": "Keine Passage entspricht diesen Filtern.",
        "strong": "starke Übereinstimmung",
        "fair": "mittlere Übereinstimmung",
        "weak": "schwache Übereinstimmung",
        "score": "Wert",
        "copy": "Zitat kopieren",
        "copied": "Kopiert",
        "link": "Link zu dieser Frage",
        "open": "Im Dokument öffnen",
        "back": "← Zurück zur Antwort",
        "earlier": "← Frühere Absätze",
        "later": "Spätere Absätze →",
        "searching": "Suche…",
        "stats": "**{documents}** Dokumente · **{passages}** Passagen · Modell `{model}`",
        "upload": "Dokumente hinzufügen",
        "upload_hint": "Dateien hier ablegen (.txt .md .html .pdf .docx)",
        "remove": "Entfernen",
        "uploads_off": "Das Hinzufügen von Dokumenten ist auf diesem Server ausgeschaltet.",
        "added": "Hinzugefügt: {names}",
        "refused": "Abgelehnt {name}: {why}",
        "removed": "Entfernt {name}",
        "uploaded_docs": "Von dieser Seite hinzugefügt",
        "login_needed": "Melden Sie sich an, um auf diesem Server Dokumente hinzuzufügen.",
    },
    "es": {
        "title": "### qa: pregunte a sus documentos, en cualquier idioma",
        "placeholder": "Haga una pregunta sobre los documentos…",
        "passages": "Pasajes",
        "folder": "Carpeta",
        "language": "Idioma del documento",
        "since": "Desde (fecha)",
        "until": "Hasta (fecha)",
        "examples": "Pruebe",
        "api_data": "Los pasajes como datos (la respuesta de la API)",
        "document": "Documento",
        "documents": "Documentos",
        "doc_hint": "Haga clic en una cita para leer el pasaje en su documento.",
        "no_answer": "Ningún pasaje de los documentos responde a esta pregunta.",
        "closest": "El más cercano, una coincidencia débil:",
        "empty_index": "El índice está vacío: no hay nada que buscar.",
        "no_match": "Ningún pasaje coincide con estos filtros.",
        "strong": "coincidencia fuerte",
        "fair": "coincidencia media",
        "weak": "coincidencia débil",
        "score": "puntuación",
        "copy": "Copiar la cita",
        "copied": "Copiado",
        "link": "Enlace a esta pregunta",
        "open": "Abrir en el documento",
        "back": "← Volver a la respuesta",
        "earlier": "← Párrafos anteriores",
        "later": "Párrafos siguientes →",
        "searching": "Buscando…",
        "stats": "**{documents}** documentos · **{passages}** pasajes · modelo `{model}`",
        "upload": "Añadir documentos",
        "upload_hint": "Suelte archivos aquí (.txt .md .html .pdf .docx)",
        "remove": "Quitar",
        "uploads_off": "Añadir documentos está desactivado en este servidor.",
        "added": "Añadido: {names}",
        "refused": "Rechazado {name}: {why}",
        "removed": "Quitado {name}",
        "uploaded_docs": "Añadidos desde esta página",
        "login_needed": "Inicie sesión para añadir documentos en este servidor.",
    },
}

# Example prompts made from a document's title, in the document's language.
EXAMPLE_TEMPLATES = {"en": "What does “{}” say?", "fr": "Que dit « {} » ?", "de": "Was steht in „{}“?",
                     "es": "¿Qué dice «{}»?", "zh": "「{}」说了什么？"}


def pick_lang(accept_language: str | None) -> str:
    """The first supported language of an Accept-Language header (q-values honoured), else English."""
    ranked = []
    for n, part in enumerate((accept_language or "").split(",")):
        tag, _, params = part.strip().partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        ranked.append((-q, n, tag.strip().lower().split("-")[0]))
    for _, _, lang in sorted(ranked):
        if lang in TEXTS:
            return lang
    return "en"


def t(lang: str, key: str, **values: object) -> str:
    text = TEXTS.get(lang, TEXTS["en"]).get(key) or TEXTS["en"][key]
    return text.format(**values) if values else text


def gradio_i18n():
    """The page's words for Gradio (translated in the browser by its language)."""
    import gradio as gr

    return gr.I18n(**{lang: {k: v for k, v in words.items()} for lang, words in TEXTS.items()})
