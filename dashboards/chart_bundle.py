"""Fetch the plotly.js bundle the dashboard's charts use (a pinned npm release, checked).

Streamlit's own plotly element ships the full plotly.js (4.7 MB of script, about two thirds of a
second of the browser's time before the first chart on this machine). The pages draw only lines,
markers and bars, so they load plotly.js's *basic* distribution instead (scatter, bar and pie
traces: 1.2 MB, evaluated in about 0.18 s here, against 0.41 s for the 1.5 MB cartesian
distribution). It is not part of the repository: ``make setup`` runs this module, which downloads
the release tarball from the npm registry, checks its published SHA-512 and extracts the one file
into ``dashboards/static/`` (served by Streamlit's static file serving). Without the file the
charts fall back to Streamlit's plotly element; so does a figure with a trace type the bundle
does not carry (``TRACE_TYPES``).

    python -m dashboards.chart_bundle [--force]
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import io
import sys
import tarfile
import urllib.request
from pathlib import Path

PACKAGE = "plotly.js-basic-dist-min"
VERSION = "4.1.1"
FILE_NAME = "plotly-basic.min.js"
# The trace types that distribution registers (plotly.js `lib/index-basic.js`).
TRACE_TYPES = frozenset({"scatter", "bar", "pie"})
TARBALL_URL = f"https://registry.npmjs.org/{PACKAGE}/-/{PACKAGE}-{VERSION}.tgz"
# The registry's `dist.integrity` of that release (Subresource Integrity form).
INTEGRITY = (
    "sha512-1oNF8PeQx2hv/y7tqEVWKD3JGwn/MGEMQ8mL9HUwsaqG9FGy/"
    "OU5FHUHvzqbqxN4mnwZGI9abTiE775C4kkjMQ=="
)
TARGET = Path(__file__).resolve().parent / "static" / FILE_NAME


class BundleError(RuntimeError):
    """The download failed, or its bytes are not the pinned release."""


def check_integrity(tarball: bytes, integrity: str = INTEGRITY) -> None:
    algorithm, _, expected = integrity.partition("-")
    digest = base64.b64encode(hashlib.new(algorithm, tarball).digest()).decode()
    if digest != expected:
        raise BundleError(f"{PACKAGE} {VERSION}: checksum mismatch, the download was not kept")


def extract(tarball: bytes, target: Path = TARGET) -> Path:
    """Write the bundle out of the npm tarball (``package/<file>``), atomically."""
    with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as archive:
        try:
            member = archive.extractfile(f"package/{FILE_NAME}")
        except KeyError:
            member = None
        if member is None:
            raise BundleError(f"{PACKAGE} {VERSION}: {FILE_NAME} missing from the tarball")
        content = member.read()
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".part")
    partial.write_bytes(content)
    partial.replace(target)
    return target


def fetch(target: Path = TARGET, force: bool = False, timeout: float = 60.0) -> Path:
    if target.exists() and not force:
        return target
    try:
        with urllib.request.urlopen(TARBALL_URL, timeout=timeout) as response:
            tarball = response.read()
    except OSError as exc:
        raise BundleError(f"could not download {TARBALL_URL} ({exc})") from None
    check_integrity(tarball)
    return extract(tarball, target)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--force", action="store_true", help="download again")
    args = parser.parse_args(argv)
    try:
        path = fetch(force=args.force)
    except BundleError as exc:
        # Not fatal: the dashboard then draws with Streamlit's own (heavier) plotly element.
        print(f"warning: {exc}; charts will use Streamlit's plotly element", file=sys.stderr)
        return 0
    print(f"{path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path} ready")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
