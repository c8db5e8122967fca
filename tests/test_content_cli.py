"""`themewire extract`: a file, stdin-less errors, and a URL fetched with the crawler's guards (local server)."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from flows.cli import main

PAGE = ("<html lang='en'><head><title>Harbour Dredging Approved | Port News</title>"
        "<meta property='article:published_time' content='2024-03-05T09:30:00Z'></head><body><article>"
        "<h1>Harbour Dredging Approved</h1>"
        "<p>The harbour authority approved a plan to dredge the eastern channel before the summer season.</p>"
        "<p>Read more: <a href='/older'>An Older Story About the Port</a></p>"
        "<p>Fishermen had complained for years that silt made the channel dangerous at low tide.</p>"
        "<p>Hosting 75% off</p></article></body></html>").encode("utf-8")


@pytest.fixture()
def server():
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            if self.path == "/story":
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(PAGE)))
                self.end_headers()
                self.wfile.write(PAGE)
            else:
                self.send_error(404)

        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_extract_file_text_and_json(tmp_path, capsys):
    f = tmp_path / "page.html"
    f.write_bytes(PAGE)
    assert main(["extract", str(f)]) == 0
    out = capsys.readouterr().out
    assert "dredge the eastern channel" in out and "Read more" not in out and "75% off" not in out
    assert main(["extract", str(f), "--format", "json", "--url", "https://port.example/2024/03/05/dredging"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["title"] == "Harbour Dredging Approved" and data["language"] == "en"
    assert data["published_at"].startswith("2024-03-05") and data["date_source"] == "meta"
    assert {"url": "https://port.example/older", "text": "An Older Story About the Port", "kind": "read_more"} \
        in data["links"]
    assert data["extractor_version"].startswith("1.")


def test_extract_errors_have_exit_codes(tmp_path, capsys):
    assert main(["extract", str(tmp_path / "missing.html")]) == 2
    empty = tmp_path / "empty.html"
    empty.write_text("<html><body><nav><a href='/'>Home</a></nav></body></html>")
    assert main(["extract", str(empty)]) == 1
    assert "no article text" in capsys.readouterr().err


def test_extract_url_uses_guarded_fetch(server, tmp_path, capsys):
    cfg = tmp_path / "themewire.toml"
    cfg.write_text(f'[fetch]\nallowed_origins = ["{server}"]\nper_host_delay_seconds = 0.0\n', "utf-8")
    assert main(["extract", f"{server}/story", "--config", str(cfg), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["url"] == f"{server}/story" and "dredge the eastern channel" in data["text"]
    # without the config allowing the loopback origin, the guard refuses the address
    assert main(["extract", f"{server}/story", "--config", str(tmp_path / "none.toml")]) == 1
    assert "could not fetch" in capsys.readouterr().err
