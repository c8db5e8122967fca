"""`themewire classify` and `themewire themes suggest` through flows.cli.main, in-process."""

from __future__ import annotations

import io
import json
import tomllib

import pytest

from extractors.config import load_settings_text
from flows.cli import main

CONFIG = """
[[sources]]
name = "ai-connection"
seeds = ["https://news.example/why-people-lean-on-ai/"]

  [[sources.themes]]
  name = "AI companionship"
  description = "People forming emotional relationships with AI companions, chatbots and virtual partners."
  keywords = ["AI companion", "chatbot", "virtual partner"]

  [[sources.themes]]
  name = "Loneliness"
  description = "How lonely people are, who is isolated and why."
  keywords = ["loneliness", "lonely", "isolated", "living alone"]
  threshold = 1.5

[[sources]]
name = "no-themes"
seeds = ["https://news.example/b/"]
"""

COMPANION = "She talks to her AI companion every night; the chatbot remembers her bad days and says it missed her."
CHIP = "The company unveiled its next processor architecture, promising faster training in data centres."


@pytest.fixture()
def config(tmp_path):
    path = tmp_path / "themewire.toml"
    path.write_text(CONFIG, encoding="utf-8")
    return str(path)


def _lines(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def test_classify_json_lines_from_stdin(config, capsys, monkeypatch):
    stdin = json.dumps({"id": "a1", "text": COMPANION}) + "\n\n" + json.dumps({"id": "c1", "text": CHIP}) + "\n"
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    assert main(["classify", "--config", config, "--source", "ai-connection"]) == 0
    first, second = _lines(capsys.readouterr().out)
    assert first["id"] == "a1" and list(first["scores"]) == ["AI companionship", "Loneliness"]
    assert first["matches"] == ["AI companionship"] and first["top_theme"] == "AI companionship"
    assert first["evidence"]["AI companionship"]["keywords"][0]["keyword"] in ("AI companion", "chatbot")
    assert first["classifier"] and first["classifier_version"]
    assert second["id"] == "c1" and second["matches"] == [] and second["top_theme"] is None


def test_classify_table_format_has_one_row_per_text_with_a_score_per_theme(config, capsys, monkeypatch):
    stdin = json.dumps({"id": "a1", "text": COMPANION}) + "\n" + json.dumps({"id": "c1", "text": CHIP}) + "\n"
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    assert main(["classify", "--config", config, "--source", "ai-connection", "--format", "table"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:3] == ["id", "top_theme", "matches"] and "Loneliness" in lines[0]
    assert lines[2].startswith("a1 ") and lines[2].count("AI companionship") == 2  # top theme and match
    assert lines[3].startswith("c1 ") and "AI companionship" not in lines[3]
    assert lines[-1] == "(2 rows)"
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    assert main(["classify", "--config", config, "--source", "ai-connection"]) == 0
    scores = [line["scores"]["Loneliness"] for line in _lines(capsys.readouterr().out)]
    assert [f"{round(s, 2):.4g}" in "\n".join(lines) for s in scores] == [True, True]


def test_classify_files_text_and_html(config, tmp_path, capsys):
    txt = tmp_path / "note.txt"
    txt.write_text(COMPANION, encoding="utf-8")
    html = tmp_path / "page.html"
    html.write_text("<html><head><title>Alone at 80</title></head><body><article><h1>Alone at 80</h1>"
                    + "<p>Since his wife died, Arthur often goes days without speaking to anyone. He is lonely, "
                      "and loneliness among older men living alone is common, researchers say.</p>" * 3
                    + "</article></body></html>", encoding="utf-8")
    assert main(["classify", "--config", config, "--source", "ai-connection", str(txt), str(html)]) == 0
    a, b = _lines(capsys.readouterr().out)
    assert a["id"] == str(txt) and a["top_theme"] == "AI companionship"
    assert b["id"] == str(html) and b["top_theme"] == "Loneliness"
    assert b["evidence"]["Loneliness"]["threshold"] == 1.5  # the theme's own threshold from the config


def test_classify_threshold_option(config, capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps({"id": 1, "text": COMPANION}) + "\n"))
    assert main(["classify", "--config", config, "--source", "ai-connection", "--threshold", "99"]) == 0
    (line,) = _lines(capsys.readouterr().out)
    assert line["matches"] == [] or line["matches"] == ["Loneliness"]  # only the theme with its own threshold
    assert "AI companionship" not in line["matches"]


@pytest.mark.parametrize("stdin, message", [("not json\n", "not JSON"), ('{"id": 1}\n', '"text"')])
def test_classify_bad_stdin_is_usage_error(config, capsys, monkeypatch, stdin, message):
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    assert main(["classify", "--config", config, "--source", "ai-connection"]) == 2
    assert message in capsys.readouterr().err


def test_classify_unreadable_file_is_usage_error_before_any_output(config, tmp_path, capsys):
    readable = tmp_path / "a.txt"
    readable.write_text("People lean on AI companions when they feel alone.", encoding="utf-8")
    assert main(["classify", "--config", config, "--source", "ai-connection", str(readable),
                 str(tmp_path / "missing.txt")]) == 2
    out, err = capsys.readouterr()
    assert out == ""  # every input is read before the first line is printed
    assert err.startswith(f"themewire classify: cannot read {tmp_path / 'missing.txt'}: ")


@pytest.mark.parametrize("source, message", [("nope", "no source named 'nope'"), ("no-themes", "has no themes")])
def test_classify_unknown_source_or_no_themes_exits_2(config, capsys, source, message):
    assert main(["classify", "--config", config, "--source", source]) == 2
    assert message in capsys.readouterr().err


def test_themes_suggest_prints_toml_that_loads(tmp_path, capsys):
    article = tmp_path / "source.txt"
    article.write_text(" ".join([
        "Loneliness is rising among young adults and older adults alike.",
        "Many lonely people now talk to an AI companion every evening.",
        "An AI companion never gets tired, and companion apps market themselves as friends.",
        "Researchers who study loneliness say social isolation harms health.",
        "Social isolation is worst in big cities, where loneliness surveys find the highest rates.",
        "Critics call for regulation of companion apps; regulation should protect vulnerable users.",
    ]), encoding="utf-8")
    assert main(["themes", "suggest", str(article)]) == 0
    out = capsys.readouterr().out
    body = '[[sources]]\nname = "s"\nseeds = ["https://news.example/a/"]\n' + out
    themes = load_settings_text(body, "pasted.toml").sources[0].themes  # valid config, as promised
    assert 1 <= len(themes) <= 6
    keywords = {k.lower() for t in themes for k in t.keywords}
    assert "loneliness" in keywords and "ai companion" in keywords
    assert tomllib.loads(body)["sources"][0]["themes"]


def test_themes_suggest_missing_file_is_usage_error(tmp_path, capsys):
    assert main(["themes", "suggest", str(tmp_path / "missing.html")]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_classify_settings_from_config(tmp_path, capsys, monkeypatch):
    path = tmp_path / "themewire.toml"
    path.write_text("[classify]\nthreshold = 99.0\n" + CONFIG, encoding="utf-8")
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps({"id": 1, "text": COMPANION}) + "\n"))
    assert main(["classify", "--config", str(path), "--source", "ai-connection"]) == 0
    (line,) = _lines(capsys.readouterr().out)
    assert line["evidence"]["AI companionship"]["threshold"] == 99.0  # [classify] threshold
    assert line["evidence"]["Loneliness"]["threshold"] == 1.5  # the theme's own still wins
    assert "AI companionship" not in line["matches"]


@pytest.mark.parametrize("text, message", [
    ('[classify]\nmodle = "x"\n', "did you mean 'model'"),
    ("[classify]\nthreshold = \"high\"\n", "classify.threshold must be a number"),
])
def test_bad_classify_settings_are_clear_errors(tmp_path, capsys, text, message):
    path = tmp_path / "themewire.toml"
    path.write_text(text + CONFIG, encoding="utf-8")
    assert main(["classify", "--config", str(path), "--source", "ai-connection"]) == 2
    err = capsys.readouterr().err
    assert message in err and f"{path}:2" in err


def test_themes_suggest_fetches_a_url_with_the_crawler_guards(tmp_path, capsys):
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    page = ("<html><head><title>Lonely cities</title></head><body><article><h1>Lonely cities</h1>"
            + "".join(f"<p>{s}</p>" for s in (
                "Loneliness is highest in the biggest cities, a survey of urban loneliness found.",
                "Residents living alone report the most social isolation and the least contact with neighbours.",
                "Loneliness researchers say long commutes and frequent moves make social isolation worse.",
                "Some lonely residents now talk to an AI companion; AI companion apps advertise on the metro.",
            )) + "</article></body></html>").encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            body = b"User-agent: *\nAllow: /\n" if self.path == "/robots.txt" else page
            self.send_response(200)
            self.send_header("Content-Type", "text/plain" if self.path == "/robots.txt" else "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        origin = f"http://127.0.0.1:{server.server_address[1]}"
        config = tmp_path / "themewire.toml"
        config.write_text(f'[fetch]\nallowed_origins = ["{origin}"]\nper_host_delay_seconds = 0\n', encoding="utf-8")
        assert main(["themes", "suggest", f"{origin}/lonely-cities/", "--config", str(config)]) == 0
    finally:
        server.shutdown()
    out = capsys.readouterr().out
    assert f"proposed from {origin}/lonely-cities/" in out
    themes = load_settings_text('[[sources]]\nname = "s"\nseeds = ["https://news.example/a/"]\n' + out).sources[0].themes
    assert "loneliness" in {k.lower() for t in themes for k in t.keywords}


def test_themes_suggest_unreachable_url_fails_cleanly(tmp_path, capsys):
    # without allowed_origins, a loopback address is refused by the crawler's guards: exit 1, with the reason
    assert main(["themes", "suggest", "http://127.0.0.1:9/article/", "--config", str(tmp_path / "none.toml")]) == 1
    assert "could not fetch" in capsys.readouterr().err
