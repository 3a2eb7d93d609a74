"""Streaming transcoding of GB18030/GBK text to a temporary UTF-8 file DuckDB can read."""

from __future__ import annotations

import codecs
import gzip
import zlib
from pathlib import Path

from flows.landing.fingerprint import CHUNK, open_text_bytes


def transcode_to_utf8(path: Path, fmt: str, encoding: str, target: Path) -> int:
    """Write ``path`` (decoded as ``encoding``) to ``target`` as UTF-8; return replaced bytes.

    Decodes chunk by chunk with an incremental decoder, so memory stays bounded whatever the file
    size. Bytes that are not valid in the encoding become U+FFFD rather than stopping the file;
    the rows holding them then fail validation on their own.
    """
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    replaced = 0
    try:
        with open_text_bytes(path, fmt) as source, open(target, "w", encoding="utf-8") as out:
            while chunk := source.read(CHUNK):
                text = decoder.decode(chunk)
                replaced += text.count("\ufffd")
                out.write(text)
            tail = decoder.decode(b"", final=True)
            replaced += tail.count("\ufffd")
            out.write(tail)
    except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
        raise ValueError(f"truncated or corrupt gzip ({exc})") from None
    return replaced
