"""Content identity (SHA-256) and text encoding of a landing file, in one streamed pass."""

from __future__ import annotations

import codecs
import gzip
import hashlib
import zlib
from dataclasses import dataclass
from pathlib import Path

CHUNK = 8 * 1024 * 1024


@dataclass(frozen=True)
class Fingerprint:
    sha256: str
    size: int
    has_nul: bool = True  # whether a NUL byte occurs anywhere (the rules skip the test if not)


# Hashing reads into one reused buffer small enough to stay in the CPU cache while it is
# hashed: a quarter less CPU than 8 MB chunks.
HASH_CHUNK = 1024 * 1024


def sha256_of(path: Path) -> Fingerprint:
    """SHA-256 of the file's bytes, read in chunks (never the whole file in memory), and whether
    any byte is NUL (a search of each chunk while it is in the CPU cache)."""
    digest = hashlib.sha256()
    size = 0
    has_nul = False
    buffer = bytearray(HASH_CHUNK)
    view = memoryview(buffer)
    with open(path, "rb", buffering=0) as handle:
        while read := handle.readinto(buffer):
            digest.update(view[:read])
            has_nul = has_nul or buffer.find(b"\0", 0, read) >= 0
            size += read
    return Fingerprint(digest.hexdigest(), size, has_nul)


def open_text_bytes(path: Path, fmt: str):
    """A binary stream of the text content (gzip decompressed on the fly)."""
    return gzip.open(path, "rb") if fmt == "csv.gz" else open(path, "rb")


HEAD = 1024 * 1024


def normalise_encoding(name: str) -> str:
    """Encoding names as Python and the ledger spell them (``utf-8``, ``gb18030``, ``gbk`` ...)."""
    lowered = name.strip().lower().replace("_", "-")
    if lowered in ("utf8", "utf-8", "utf-8-sig"):
        return "utf-8"
    return codecs.lookup(lowered).name.replace("_", "-")


def head_is_utf8(path: Path, fmt: str) -> bool:
    """Whether the first megabyte is valid UTF-8 (a sequence cut at the end is allowed)."""
    try:
        with open_text_bytes(path, fmt) as handle:
            head = handle.read(HEAD)
    except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
        raise ValueError(f"truncated or corrupt gzip ({exc})") from None
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return False
    return True


def check_gzip(path: Path) -> None:
    """Raise ``ValueError`` naming the problem when a gzip archive is truncated or corrupt."""
    try:
        with gzip.open(path, "rb") as handle:
            while handle.read(CHUNK):
                pass
    except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
        raise ValueError(f"truncated or corrupt gzip ({exc})") from None


def check_decompressed_size(path: Path, limit: int) -> None:
    """Refuse a gzip file whose content is larger than ``limit`` bytes, as soon as it is (a
    small archive of repeated lines can expand past any memory limit). Streamed: the content
    is counted, never held."""
    inflate = zlib.decompressobj(16 + zlib.MAX_WBITS)
    total = 0
    try:
        with open(path, "rb") as handle:
            while raw := handle.read(HASH_CHUNK):
                while raw:
                    total += len(inflate.decompress(raw, CHUNK))
                    if total > limit:
                        raise ValueError(
                            f"the gzip content is larger than ingest_max_decompressed_bytes = "
                            f"{limit} bytes ({path.stat().st_size} bytes compressed); raise "
                            "ingest_max_decompressed_bytes in complaints.yml, or split the export"
                        )
                    if inflate.eof:  # a member ends; another may follow
                        raw = inflate.unused_data
                        inflate = zlib.decompressobj(16 + zlib.MAX_WBITS)
                    else:
                        raw = inflate.unconsumed_tail
    except zlib.error:
        return  # a corrupt archive: the reader names that problem


def detect_encoding(path: Path, fmt: str) -> str:
    """``utf-8`` when the whole content is valid UTF-8 (BOM or not), else ``gb18030``.

    Validates with an incremental decoder chunk by chunk. A truncated or corrupt gzip raises
    ``ValueError`` naming the problem.
    """
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        with open_text_bytes(path, fmt) as handle:
            while chunk := handle.read(CHUNK):
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    return "gb18030"
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "gb18030"
    except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
        raise ValueError(f"truncated or corrupt gzip ({exc})") from None
    return "utf-8"
