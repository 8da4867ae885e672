"""Images (photos and scans of pages): text by OCR, one page per frame."""
from __future__ import annotations

import hashlib
import io

from ..records import Document
from . import ocr
from .text import UnreadableDocument, first_heading, join_blocks, join_cut_words

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".tif", ".tiff", ".webp"}
# A multi-page TIFF beyond this many frames is read up to it.
MAX_FRAMES = 200


def read_image(data: bytes, source: str, options: ocr.OcrOptions) -> Document:
    from PIL import Image, ImageSequence, UnidentifiedImageError

    too_large = "image too large to decode ({} pixels; the limit is {} M pixels)"
    try:
        image = Image.open(io.BytesIO(data))  # reads the header only
    except Image.DecompressionBombError:  # Pillow's own limit (MAX_IMAGE_PIXELS x 2)
        raise UnreadableDocument(too_large.format("over 180 M", ocr.MAX_PIXELS // 10**6)) from None
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise UnreadableDocument(f"not a readable image ({type(exc).__name__})") from None
    if image.width * image.height > ocr.MAX_PIXELS:
        raise UnreadableDocument(too_large.format(f"{image.width} x {image.height}", ocr.MAX_PIXELS // 10**6))
    try:  # a damaged file is said so whether or not OCR would run (PNG: chunks and checksums)
        Image.open(io.BytesIO(data)).verify()
    except Exception as exc:  # Pillow raises SyntaxError, OSError, struct.error...
        raise UnreadableDocument(f"corrupt image ({type(exc).__name__})") from None
    if not options.enabled:
        raise UnreadableDocument("image: OCR is off (--no-ocr)")
    if not ocr.available():
        raise UnreadableDocument(f"image {ocr.missing_reason()}")
    digest = hashlib.blake2b(data, digest_size=16).hexdigest()
    pieces = []
    try:
        for number, frame in enumerate(ImageSequence.Iterator(image), start=1):
            if number > MAX_FRAMES:
                break
            if frame.width * frame.height > ocr.MAX_PIXELS:  # a later frame of a TIFF can be larger
                raise UnreadableDocument(too_large.format(f"{frame.width} x {frame.height}",
                                                          ocr.MAX_PIXELS // 10**6))

            def render(frame=frame):
                frame.load()
                return frame.convert("L") if frame.mode not in ("L", "RGB") else frame.copy()

            text = ocr.recognise(f"{digest}-p{number}", render, options, f"{source} frame {number}")
            if text:
                pieces.append((text, number))
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:  # truncated or corrupt
        raise UnreadableDocument(f"corrupt image ({type(exc).__name__})") from None
    if not pieces:
        raise UnreadableDocument("OCR found no text in the image")
    text, blocks = join_blocks([(join_cut_words(piece), number, None) for piece, number in pieces])
    return Document(source, text, blocks, first_heading(text, blocks), None,
                    meta={"ocr_pages": [number for _, number in pieces]})

