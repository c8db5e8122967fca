"""The bundled sample site: served for real on 127.0.0.1, checked against its manifest."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import httpx
import pytest

from extractors.config import load_settings_text
from flows.sample import SAMPLE_SOURCE, load_expected, sample_config_text, serve_sample_site

EXPECTED = load_expected()
ARTICLES = EXPECTED["articles"]
THEMES = ("AI companionship", "Loneliness and social isolation", "Mental health", "Eldercare technology",
          "AI ethics", "Human connection")


@pytest.fixture(scope="module")
def site():
    with serve_sample_site(slow_seconds=0.2) as s:
        yield s


@pytest.fixture(scope="module")
def client():
    with httpx.Client(timeout=10) as c:
        yield c


def _get(client, site, path, **kw):
    return client.get(site.url(path), **kw)


def test_every_manifest_page_is_served_with_base_replaced(site, client):
    paths = [*ARTICLES, *EXPECTED["non_articles"], *EXPECTED["other_files"]]
    for path in paths:
        r = _get(client, site, path)
        assert r.status_code == 200, path
        assert "{{BASE}}" not in r.text, path
    home = _get(client, site, "/")
    assert home.headers["content-type"] == "text/html; charset=utf-8"
    assert _get(client, site, "/robots.txt").headers["content-type"].startswith("text/plain")


def test_article_pages_carry_their_metadata(site, client):
    for path, art in ARTICLES.items():
        html = _get(client, site, path).text
        assert '<html lang="en">' in html
        assert f'<link rel="canonical" href="{site.base_url}{path}">' in html
        assert f"<title>{_esc(art['title'])} | The Signal Desk</title>" in html
        assert f'og:url" content="{site.base_url}{path}"' in html
        assert art["published"] in html, path
        assert art["author"] in html
        for sentence in art["must_contain"]:
            assert _esc(sentence) in html, (path, sentence)
        text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))
        for junk in art["must_not_contain"]:  # the junk is really on the page, for extraction to remove
            assert _esc(junk) in text, (path, junk)


def test_manifest_shape_and_theme_spread():
    assert 18 <= len(ARTICLES) <= 24
    assert EXPECTED["source_article"] in ARTICLES
    dates = sorted(a["published"] for a in ARTICLES.values())
    assert dates[0] >= "2026-06-01" and dates[-1] <= "2026-10-31"
    off = [p for p, a in ARTICLES.items() if not a["on_theme"]]
    assert len(off) >= 5 and all(ARTICLES[p]["top_theme"] is None for p in off)
    on_themes = {a["top_theme"] for a in ARTICLES.values() if a["on_theme"]}
    assert on_themes == set(THEMES)
    assert len({a["template"] for a in ARTICLES.values()}) >= 3
    for path, art in ARTICLES.items():
        assert set(art["themes"]) <= set(THEMES), path
        assert art["themes"][:1] == ([art["top_theme"]] if art["on_theme"] else []), path
        assert len(art["must_contain"]) >= 2, path
        assert any(j.startswith("Written by ") for j in art["must_not_contain"]), path
        assert 350 <= art["words"] <= 1000, (path, art["words"])


def test_source_article_has_the_injected_boilerplate(site, client):
    html = _get(client, site, EXPECTED["source_article"]).text
    body = html[html.index('class="entry-content"'):html.index('class="entry-footer"')]
    assert body.count("Read More:") >= 2
    assert body.count("Hosting 75% off") >= 2
    assert "Related articles" in body and "Written by Maya Okafor" in body
    related = re.findall(r'<h4><a href="([^"]+)">', body)
    assert len(related) >= 2
    for title in (ARTICLES[urlsplit(u).path]["title"] for u in related):
        assert body.count(_esc(title)) >= 2  # listed twice, as real related widgets do
    linked = {urlsplit(h).path for h in re.findall(r'href="([^"]+)"', body)}
    assert any(not ARTICLES[p]["on_theme"] for p in linked if p in ARTICLES)  # an off-theme link too


def test_feed_and_sitemap_are_xml_listing_only_site_urls(site, client):
    feed = ET.fromstring(_get(client, site, "/feed.xml").content)
    items = feed.findall("./channel/item")
    assert 8 <= len(items) <= 12
    links = [i.findtext("link") for i in items]
    assert all(i.findtext("pubDate") for i in items)
    assert all(link.startswith(site.base_url + "/") for link in links)
    tracked = [link for link in links if "utm_source=rss" in link]
    assert len(tracked) == 1 and "utm_medium=feed" in tracked[0]
    assert {urlsplit(link).path for link in links} == set(EXPECTED["feed_articles"])

    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    smap = ET.fromstring(_get(client, site, "/sitemap.xml").content)
    locs = [u.findtext("s:loc", namespaces=ns) for u in smap.findall("s:url", ns)]
    assert all(u.findtext("s:lastmod", namespaces=ns) for u in smap.findall("s:url", ns))
    assert all(loc.startswith(site.base_url + "/") for loc in locs)
    assert {urlsplit(loc).path for loc in locs} == set(ARTICLES)


def test_robots_txt_disallows_private_and_names_the_sitemap(site, client):
    text = _get(client, site, "/robots.txt").text
    assert "Disallow: /private/" in text
    assert f"Sitemap: {site.base_url}/sitemap.xml" in text


def test_conditional_get_gives_304(site, client):
    path = EXPECTED["source_article"]
    first = _get(client, site, path)
    etag, last_modified = first.headers["etag"], first.headers["last-modified"]
    assert etag.startswith('"') and last_modified
    again = _get(client, site, path, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
    by_date = _get(client, site, path, headers={"If-Modified-Since": last_modified})
    assert by_date.status_code == 304
    stale = _get(client, site, path, headers={"If-None-Match": '"not-the-etag"'})
    assert stale.status_code == 200 and stale.content == first.content


def test_request_log_records_method_path_and_headers(site, client):
    client.get(site.url("/about/?probe=1"), headers={"User-Agent": "sample-site-test/1"})
    method, path, headers = [r for r in list(site.requests) if r[1] == "/about/?probe=1"][-1]
    assert method == "GET" and headers["User-Agent"] == "sample-site-test/1"
    client.head(site.url("/feed.xml"))
    assert ("HEAD", "/feed.xml") in [(m, p) for m, p, _ in list(site.requests)]


def test_error_routes_and_unknown_paths(site, client):
    assert _get(client, site, "/errors/404").status_code == 404
    assert _get(client, site, "/errors/500").status_code == 500
    assert _get(client, site, "/errors/slow").status_code == 200
    assert _get(client, site, "/no/such/page/").status_code == 404
    assert _get(client, site, "/../../etc/passwd").status_code == 404
    redirect = _get(client, site, "/about")
    assert redirect.status_code == 301 and redirect.headers["location"] == "/about/"


def test_extra_routes_are_served():
    def teapot(handler):
        handler.send_response(418)
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    with serve_sample_site(routes={"/teapot": teapot}) as s, httpx.Client() as c:
        assert c.get(s.url("/teapot")).status_code == 418
        assert c.get(s.url("/")).status_code == 200


def test_sample_config_parses_with_six_themes():
    base = "http://127.0.0.1:8765"
    settings = load_settings_text(sample_config_text(base), "sample.toml")
    source = settings.source(SAMPLE_SOURCE)
    assert source.seeds == (base + EXPECTED["source_article"],)
    assert source.feeds == (base + "/feed.xml",) and source.sitemaps == (base + "/sitemap.xml",)
    assert source.allowed_domains == ("127.0.0.1",)
    assert tuple(t.name for t in source.themes) == THEMES
    assert all(5 <= len(t.keywords) <= 10 for t in source.themes)
    assert settings.fetch.per_host_delay_seconds == 0
    assert settings.fetch.allowed_origins == (base,)


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def test_standalone_module_serves_and_prints_its_url():
    import subprocess
    import sys

    proc = subprocess.Popen([sys.executable, "-m", "flows.sample", "--port", "0"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        first = proc.stdout.readline()
        base = re.search(r"(http://127\.0\.0\.1:\d+)/", first).group(1)
        r = httpx.get(base + EXPECTED["source_article"], timeout=10)
        assert r.status_code == 200 and f'href="{base}{EXPECTED["source_article"]}"' in r.text
    finally:
        proc.terminate()
        proc.wait(timeout=10)
