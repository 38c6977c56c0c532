"""`lentera serve`: a small static server for a built bundle and its demo page (CPython only).

What a real host needs too, and so what this server shows: correct MIME types (`.mjs` and `.js` as
JavaScript, `.wasm` as `application/wasm`), long-lived immutable caching for content-hashed files, and
revalidation (`no-cache`) for the few stable names (lentera.js, index.html, manifest.json), so that a new
build is picked up at once. With `csp=True` HTML pages and scripts get the strict Content-Security-Policy
the widget is tested under (a module worker is governed by the policy sent with its own script); with
`isolate=True` every response gets COOP/COEP (cross-origin isolation, for precise timers in benchmarks).
Pre-compressed copies written by `lentera build` (name.br, name.gz) are sent with Content-Encoding to browsers
that accept them, as nginx's gzip_static/brotli_static would. The request log shows paths only: the widget never
puts a query in a URL.
"""

from __future__ import annotations

import functools
import os
import re
import sys
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

CSP = (
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; "
    "style-src 'self'; connect-src 'self'"
)
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
# Content-hashed names (see build.py): `name.<10 hex>.ext`, or any file in `pyodide-<version>-<hash>/` or
# `packages-<hash>/`. Matched anywhere in the path, so a bundle copied under a prefix keeps its caching.
_HASHED = re.compile(r"\.[0-9a-f]{10}\.[a-z0-9]+$|/(pyodide-[0-9.]+|packages)-[0-9a-f]{10}/")

MIME_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".wasm": "application/wasm",
    ".zip": "application/zip",
    ".whl": "application/zip",
    ".png": "image/png",
    ".svg": "image/svg+xml",
    ".txt": "text/plain; charset=utf-8",
}


class BundleHandler(SimpleHTTPRequestHandler):
    """SimpleHTTPRequestHandler with the bundle's MIME types, caching and security headers; no listings."""

    protocol_version = "HTTP/1.1"  # keep-alive: the boot fetches a handful of files in a burst
    extensions_map: ClassVar[dict[str, str]] = {**SimpleHTTPRequestHandler.extensions_map, **MIME_TYPES}
    csp = False
    isolate = False

    def end_headers(self) -> None:
        path = self.path.split("?", 1)[0].split("#", 1)[0]
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("Cache-Control", IMMUTABLE if _HASHED.search(path) else REVALIDATE)
        if self.isolate:
            self.send_header("Cross-Origin-Opener-Policy", "same-origin")
            self.send_header("Cross-Origin-Embedder-Policy", "require-corp")
            self.send_header("Cross-Origin-Resource-Policy", "same-origin")
        if self.csp and path.endswith((".html", "/", ".js", ".mjs")):
            self.send_header("Content-Security-Policy", CSP)
        super().end_headers()

    def send_head(self):  # type: ignore[no-untyped-def]
        """A pre-compressed copy (name.br, name.gz, written by `lentera build`) when the browser accepts it.

        Sent with the original's Content-Type, `Content-Encoding` and `Vary: Accept-Encoding`; anything else
        (no copy, a Range request, a browser that accepts neither) falls back to the plain file.
        """
        path = self.translate_path(self.path)
        accepted = {
            part.split(";", 1)[0].strip().lower()
            for part in self.headers.get("Accept-Encoding", "").split(",")
            if not part.strip().endswith(";q=0")
        }
        if os.path.isfile(path) and "Range" not in self.headers:
            for encoding, suffix in (("br", ".br"), ("gzip", ".gz")):
                if encoding in accepted and os.path.isfile(path + suffix):
                    try:
                        f = open(path + suffix, "rb")  # noqa: SIM115 (closed by the base class after copying)
                    except OSError:
                        break
                    self.send_response(HTTPStatus.OK)
                    self.send_header("Content-Type", self.guess_type(path))
                    self.send_header("Content-Encoding", encoding)
                    self.send_header("Content-Length", str(os.fstat(f.fileno()).st_size))
                    self.send_header("Vary", "Accept-Encoding")
                    self.end_headers()
                    return f
        return super().send_head()

    def list_directory(self, path: str | bytes) -> None:  # type: ignore[override]
        self.send_error(HTTPStatus.NOT_FOUND, "Not found")
        return None

    def log_message(self, format: str, *args: object) -> None:
        sys.stderr.write(f"{self.address_string()} {format % args}\n")


def create_server(
    directory: Path, port: int = 8000, host: str = "127.0.0.1", csp: bool = False, isolate: bool = False
) -> ThreadingHTTPServer:
    """A bound server, not yet serving (port 0 picks a free port: read it from server.server_address)."""
    directory = Path(directory).resolve()
    if not directory.is_dir():
        raise FileNotFoundError(f"{directory} is not a folder: run `lentera build` first")
    handler = type("Handler", (BundleHandler,), {"csp": csp, "isolate": isolate})
    return ThreadingHTTPServer((host, port), functools.partial(handler, directory=str(directory)))


def serve(
    directory: Path, port: int = 8000, host: str = "127.0.0.1", csp: bool = False, isolate: bool = False
) -> None:
    """Serve `directory` until interrupted."""
    server = create_server(directory, port, host, csp, isolate)
    bound_host, bound_port = server.server_address[:2]
    url = f"http://{bound_host}:{bound_port}/"
    print(f"Serving {Path(directory).resolve()} at {url} (Ctrl-C stops)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
