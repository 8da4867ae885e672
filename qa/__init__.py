"""qa: ask questions of a folder of documents; get back the passages that answer, cited."""
__version__ = "0.1.0"

from .errors import QAError  # noqa: E402
from .indexer import build_index  # noqa: E402
from .records import Answer, BuildReport, Passage  # noqa: E402
from .retrieval import Retriever, search  # noqa: E402

__all__ = ["Answer", "BuildReport", "Passage", "QAError", "Retriever", "build_index", "search", "__version__"]
