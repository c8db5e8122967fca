"""The configuration: TOML in, one frozen Settings out, or a ConfigError that names the file,
the line, the field and what to write instead.

Pure: `load_settings_text(text, path)` does no I/O; `load_settings(path)` only reads the file (and
returns the same Settings again while the file is unchanged).
Environment variables are read by the CLI (the edge), never here.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from .errors import ConfigError
from .models import SiteProfile, SiteRules

DEFAULT_USER_AGENT = "themewire/0.1 (+https://github.com/themewire/themewire)"


@dataclass(frozen=True, slots=True)
class FetchSettings:
    user_agent: str = DEFAULT_USER_AGENT
    per_host_delay_seconds: float = 1.0
    per_host_concurrency: int = 2
    concurrency: int = 16  # requests in flight across all hosts
    connect_timeout_seconds: float = 5.0
    read_timeout_seconds: float = 10.0
    deadline_seconds: float = 30.0  # total per request, whatever the server drips
    max_bytes: int = 10 * 1024 * 1024  # decompressed body
    max_redirects: int = 10
    retries: int = 3  # transient failures only
    max_retry_after_seconds: float = 120.0  # a longer Retry-After blocks the host instead
    retry_backoff_seconds: float = 0.5  # first back-off; doubles per retry, with jitter
    allowed_origins: tuple[str, ...] = ()  # may be private/loopback, e.g. http://127.0.0.1:8765
    respect_robots: bool = True
    connect_to: tuple[str, ...] = ()  # "HOST:PORT:HOST2:PORT2": connections for HOST:PORT go to HOST2:PORT2


@dataclass(frozen=True, slots=True)
class Theme:
    name: str
    description: str
    keywords: tuple[str, ...]
    examples: tuple[str, ...] = ()  # example texts or URLs
    threshold: float | None = None  # overrides the classifier's default


@dataclass(frozen=True, slots=True)
class Source:
    name: str
    seeds: tuple[str, ...]
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    allowed_domains: tuple[str, ...] = ()
    max_pages_per_run: int = 500
    themes: tuple[Theme, ...] = ()
    rules: SiteRules | None = None  # [sources.rules]: CSS selectors

    @property
    def domains(self) -> tuple[str, ...]:
        """allowed_domains, defaulting to the hosts of seeds, feeds and sitemaps."""
        if self.allowed_domains:
            return self.allowed_domains
        hosts = {urlsplit(u).hostname for u in (*self.seeds, *self.feeds, *self.sitemaps)}
        return tuple(sorted(h for h in hosts if h))


@dataclass(frozen=True, slots=True)
class ClassifySettings:
    model: str | None = None  # None: the shipped static model; else a model2vec model id or folder
    threshold: float | None = None  # default match threshold for themes without their own


@dataclass(frozen=True, slots=True)
class ThemeSet:
    """A source's themes with the [classify] settings resolved: what an extraction worker needs."""

    themes: tuple[Theme, ...] = ()
    model: str | None = None  # None: the shipped static model
    threshold: float | None = None  # default for themes without their own
    history: tuple[str, ...] = ()  # the source's stored article texts (per-source z-scoring; see themes)
    profile: SiteProfile | None = None  # the source's rules and learned template, for extraction


@dataclass(frozen=True, slots=True)
class Settings:
    fetch: FetchSettings = FetchSettings()
    sources: tuple[Source, ...] = ()
    config_path: str | None = None
    classify: ClassifySettings = ClassifySettings()

    def source(self, name: str) -> Source:
        for s in self.sources:
            if s.name == name:
                return s
        known = ", ".join(s.name for s in self.sources) or "(none)"
        raise ConfigError(f"{self.config_path or 'config'}: no source named {name!r}; known: {known}")

    def theme_set(self, source: Source) -> ThemeSet:
        profile = SiteProfile(rules=source.rules) if source.rules else None
        return ThemeSet(source.themes, self.classify.model, self.classify.threshold, profile=profile)



_FETCH_KEYS = {f: t for f, t in FetchSettings.__annotations__.items()}
_SOURCE_KEYS = {"name", "seeds", "feeds", "sitemaps", "allowed_domains", "max_pages_per_run", "themes", "rules"}
_RULE_KEYS = {"drop", "body", "title", "author", "date"}
_THEME_KEYS = {"name", "description", "keywords", "examples", "threshold"}
_CLASSIFY_KEYS = {"model", "threshold"}
_TOP_KEYS = {"fetch", "sources", "classify"}


# (resolved path, path as given) -> ((mtime_ns, size), Settings): the CLI validates the file, then the flow
# it starts loads the same path again; the second load returns the same frozen Settings unless the file changed
_LOADED: dict[tuple[str, str], tuple[tuple[int, int], Settings]] = {}


def load_settings(path: str | Path) -> Settings:
    """The Settings of the TOML file at `path`, parsed once per version of the file (a file whose
    modification time or size changed is read and validated again)."""
    p = Path(path)
    try:
        st = p.stat()
    except FileNotFoundError:
        st = None
    key, stamp = (str(p.resolve()), str(p)), (st.st_mtime_ns, st.st_size) if st else None
    known = _LOADED.get(key)
    if known is not None and known[0] == stamp:
        return known[1]
    settings = _read_settings(p)
    if stamp is not None:
        _LOADED[key] = (stamp, settings)
    return settings


def _read_settings(p: Path) -> Settings:
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(
            f"{p}: file not found; write a themewire.toml (see README 'Configuration') "
            "or pass --config FILE"
        ) from None
    except UnicodeDecodeError as e:
        raise ConfigError(f"{p}: not UTF-8 text ({e.reason}); save the file as UTF-8") from None
    return load_settings_text(text, str(p))


def load_settings_text(text: str, path: str = "themewire.toml") -> Settings:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"{path}: invalid TOML: {e}") from None
    loc = _Locator(text, path)
    _check_keys(data, _TOP_KEYS, "", loc, None)
    fetch = _parse_fetch(data.get("fetch", {}), loc)
    classify = _parse_classify(data.get("classify", {}), loc)
    raw_sources = data.get("sources", [])
    if not isinstance(raw_sources, list):
        raise loc.error("sources", None, "is a table; write [[sources]] (two brackets) for each source")
    sources = tuple(_parse_source(raw, i, loc) for i, raw in enumerate(raw_sources))
    names = [s.name for s in sources]
    for n in names:
        if names.count(n) > 1:
            raise loc.error("name", len(names) - 1 - names[::-1].index(n),
                            f"source name {n!r} is used twice; give each [[sources]] a unique name")
    return Settings(fetch=fetch, sources=sources, config_path=path, classify=classify)


def extract_config_warnings(settings: Settings, text: str) -> list[str]:
    """What `sources validate` warns about in a configuration that parses (pure: `text` is the file's
    TOML): no sources at all, and source URLs on a loopback/private host (an IP literal or localhost)
    whose origin is missing from fetch.allowed_origins, so that every fetch would be blocked_address;
    each names the file and line, and the exact line to write under [fetch]."""
    path = settings.config_path
    if not settings.sources:
        return [f"{path}: no [[sources]]: nothing would be ingested; add a [[sources]] table with a name "
                "and seeds, feeds or sitemaps (see README 'Configuration')"]
    loc = _Locator(text, path)
    allowed = set(settings.fetch.allowed_origins)
    missing: dict[str, tuple[int, str, str]] = {}  # origin as written -> (source index, field, url)
    for i, source in enumerate(settings.sources):
        for field_name in ("seeds", "feeds", "sitemaps"):
            for url in getattr(source, field_name):
                origin = _private_origin(url)
                if origin is not None and _origin_key(origin) not in allowed and origin not in missing:
                    missing[origin] = (i, field_name, url)
    if not missing:
        return []
    line = "allowed_origins = [" + ", ".join(f'"{o}"' for o in [*settings.fetch.allowed_origins, *missing]) + "]"
    out = []
    for origin, (i, field_name, url) in missing.items():
        n = loc.line_of(field_name, i, key_value=url)
        where = f"{path}:{n}" if n else path
        out.append(f"{where}: {url} is on a loopback/private address that fetch.allowed_origins does not "
                   f"list, so every fetch would be blocked_address; write under [fetch]: {line}")
    return out


def _private_origin(url: str) -> str | None:
    """The origin of `url` as written in allowed_origins ("http://127.0.0.1:8765") when its host is
    localhost or a non-public IP literal; None for any other host (names are not resolved here)."""
    import ipaddress

    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if host != "localhost" and not host.endswith(".localhost"):
        try:
            ip = ipaddress.ip_address(host)
        except ValueError:
            return None
        if ip.is_global:
            return None
    shown = f"[{host}]" if ":" in host else host
    return f"{parts.scheme}://{shown}" + (f":{parts.port}" if parts.port else "")


def _origin_key(origin: str) -> str:
    """An origin in the stored form of FetchSettings.allowed_origins (scheme://host:port)."""
    parts = urlsplit(origin)
    return f"{parts.scheme}://{parts.hostname}:{parts.port or (443 if parts.scheme == 'https' else 80)}"


def _parse_fetch(raw: dict, loc: "_Locator") -> FetchSettings:
    if not isinstance(raw, dict):
        raise loc.error("fetch", None, "must be a table: write [fetch] on its own line")
    _check_keys(raw, set(_FETCH_KEYS), "fetch.", loc, None, section="fetch")
    values = {}
    for key, value in raw.items():
        default = getattr(FetchSettings(), key)
        if isinstance(default, tuple):
            value = _str_list(value, f"fetch.{key}", loc, None)
            if key == "allowed_origins":
                value = tuple(_origin(v, loc) for v in value)
            if key == "connect_to":
                value = tuple(_connect_to(v, loc) for v in value)
        elif isinstance(default, bool):
            if not isinstance(value, bool):
                raise loc.error(key, None, f"fetch.{key} must be true or false", section="fetch")
        elif isinstance(default, (int, float)):
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
                raise loc.error(key, None, f"fetch.{key} must be a non-negative number, e.g. {key} = {default}",
                                section="fetch")
            if isinstance(default, int) and not isinstance(value, int):
                raise loc.error(key, None, f"fetch.{key} must be a whole number, e.g. {key} = {default}",
                                section="fetch")
        elif not isinstance(value, str) or not value.strip():
            raise loc.error(key, None, f'fetch.{key} must be a non-empty string, e.g. {key} = "{default}"',
                            section="fetch")
        values[key] = value
    return FetchSettings(**values)


def _connect_to(value: str, loc: "_Locator") -> str:
    """HOST:PORT:HOST2:PORT2 (curl's --connect-to, both ports given), lower-cased."""
    m = re.fullmatch(r"([A-Za-z0-9.-]+):(\d{1,5}):([A-Za-z0-9.-]+):(\d{1,5})", value.strip())
    if not m or not all(0 < int(p) < 65536 for p in (m.group(2), m.group(4))):
        raise loc.error("connect_to", None, f"{value!r} is not HOST:PORT:HOST2:PORT2; write e.g. "
                        '"127.0.0.1:8765:127.0.0.1:40123"', section="fetch")
    return f"{m.group(1).lower()}:{int(m.group(2))}:{m.group(3).lower()}:{int(m.group(4))}"


def _parse_classify(raw: dict, loc: "_Locator") -> ClassifySettings:
    if not isinstance(raw, dict):
        raise loc.error("classify", None, "must be a table: write [classify] on its own line")
    _check_keys(raw, _CLASSIFY_KEYS, "classify.", loc, None, section="classify")
    model = raw.get("model")
    if model is not None and (not isinstance(model, str) or not model.strip()):
        raise loc.error("model", None, 'classify.model must be a model name or folder, e.g. '
                        'model = "minishlab/potion-base-8M"', section="classify")
    threshold = raw.get("threshold")
    if threshold is not None and (isinstance(threshold, bool) or not isinstance(threshold, (int, float))):
        raise loc.error("threshold", None, "classify.threshold must be a number, e.g. threshold = 2.2",
                        section="classify")
    return ClassifySettings(model=model.strip() if model else None,
                            threshold=float(threshold) if threshold is not None else None)


def _parse_source(raw: dict, i: int, loc: "_Locator") -> Source:
    _check_keys(raw, _SOURCE_KEYS, "sources.", loc, i)
    name = raw.get("name")
    if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}", name or ""):
        raise loc.error("name", i, 'each [[sources]] needs name = "a-short-slug" '
                        "(letters, digits, - _ .; at most 64 characters)", missing="name" not in raw)
    seeds = _urls(raw.get("seeds", []), "seeds", loc, i)
    feeds = _urls(raw.get("feeds", []), "feeds", loc, i)
    sitemaps = _urls(raw.get("sitemaps", []), "sitemaps", loc, i)
    if not (seeds or feeds or sitemaps):
        raise loc.error("name", i, f"source {name!r} has nothing to start from; add "
                        'seeds = ["https://site.example/article/"] (or feeds / sitemaps)')
    domains = tuple(d.lower().strip(".") for d in _str_list(raw.get("allowed_domains", []),
                                                            "allowed_domains", loc, i))
    for d in domains:
        if "/" in d or ":" in d or " " in d:
            raise loc.error("allowed_domains", i, f"{d!r} is not a host name; write e.g. \"news.example\"")
    budget = raw.get("max_pages_per_run", 500)
    if isinstance(budget, bool) or not isinstance(budget, int) or budget < 1:
        raise loc.error("max_pages_per_run", i, "must be a whole number above 0, e.g. max_pages_per_run = 500")
    raw_themes = raw.get("themes", [])
    if not isinstance(raw_themes, list):
        raise loc.error("themes", i, "write each theme as [[sources.themes]] (two brackets)")
    themes = tuple(_parse_theme(t, i, j, loc) for j, t in enumerate(raw_themes))
    seen: set[str] = set()
    for j, t in enumerate(themes):
        if t.name.casefold() in seen:
            raise loc.error("name", i, f"theme {t.name!r} is defined twice in source {name!r}; "
                            "merge them or rename one", theme=j)
        seen.add(t.name.casefold())
    rules = _parse_rules(raw["rules"], i, loc) if "rules" in raw else None
    return Source(name=name, seeds=seeds, feeds=feeds, sitemaps=sitemaps, allowed_domains=domains,
                  max_pages_per_run=budget, themes=themes, rules=rules)


_RULES_SECTION = "sources.rules"


def _parse_rules(raw, i: int, loc: "_Locator") -> SiteRules | None:
    """[sources.rules]: CSS selectors, each compiled here (soupsieve) so a bad one is a ConfigError with its
    line and soupsieve's reason. soupsieve is imported only for a file that has rules."""
    if not isinstance(raw, dict):
        raise loc.error("rules", i, "must be a table: write [sources.rules] on its own line, then e.g. "
                        'drop = [".newsletter"] and body = "article .content"')
    _check_keys(raw, _RULE_KEYS, "sources.rules.", loc, i, section=_RULES_SECTION)
    drop = _str_list(raw.get("drop", []), "drop", loc, i, section=_RULES_SECTION)
    single = {}
    for key in ("body", "title", "author", "date"):
        value = raw.get(key)
        if value is not None and (not isinstance(value, str) or not value.strip()):
            raise loc.error(key, i, f'sources.rules.{key} must be one CSS selector as a string, e.g. '
                            f'{key} = "article h1"', section=_RULES_SECTION)
        single[key] = value.strip() if value else None
    for key, selector in [*(("drop", d) for d in drop), *((k, v) for k, v in single.items() if v)]:
        _check_selector(selector, key, i, loc)
    rules = SiteRules(drop=tuple(d.strip() for d in drop), **single)
    return rules if rules != SiteRules() else None


def _check_selector(selector: str, key: str, i: int, loc: "_Locator") -> None:
    import soupsieve

    try:
        soupsieve.compile(selector)
    except Exception as e:  # soupsieve.SelectorSyntaxError, or ValueError for some malformed input
        reason = str(e).splitlines()[0] if str(e) else type(e).__name__
        raise loc.error(key, i, f"sources.rules.{key}: {selector!r} is not a valid CSS selector ({reason}); "
                        'write e.g. "div.newsletter", "article > p" or "#comments"', section=_RULES_SECTION,
                        key_value=selector) from None


def _parse_theme(raw: dict, i: int, j: int, loc: "_Locator") -> Theme:
    if not isinstance(raw, dict):
        raise loc.error("themes", i, "each theme is a table: [[sources.themes]] with name, description, keywords")
    _check_keys(raw, _THEME_KEYS, "sources.themes.", loc, i, theme=j)
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        raise loc.error("name", i, 'each [[sources.themes]] needs name = "Theme name"', theme=j,
                        missing="name" not in raw)
    desc = raw.get("description")
    if not isinstance(desc, str) or len(desc.split()) < 3:
        raise loc.error("description", i, f"theme {name!r} needs a description of at least one sentence, e.g. "
                        'description = "People forming relationships with AI chatbots."', theme=j,
                        missing="description" not in raw)
    keywords = _str_list(raw.get("keywords", []), "keywords", loc, i, theme=j)
    keywords = tuple(k.strip() for k in keywords if k.strip())
    if not keywords:
        raise loc.error("keywords", i, f"theme {name!r} needs keywords, e.g. keywords = [\"AI companion\", "
                        "\"chatbot\"] (3 to 10 phrases that articles on the theme use)", theme=j,
                        missing="keywords" not in raw)
    examples = _str_list(raw.get("examples", []), "examples", loc, i, theme=j)
    threshold = raw.get("threshold")
    if threshold is not None and (isinstance(threshold, bool) or not isinstance(threshold, (int, float))):
        raise loc.error("threshold", i, f"theme {name!r}: threshold must be a number, e.g. threshold = 2.0",
                        theme=j)
    return Theme(name=name.strip(), description=desc.strip(), keywords=keywords, examples=examples,
                 threshold=float(threshold) if threshold is not None else None)


def _check_keys(raw: dict, allowed: set[str], prefix: str, loc: "_Locator", i: int | None, **block) -> None:
    """`block`: section= or theme=, the block of `loc.error`."""
    for key in raw:
        if key not in allowed:
            close = difflib.get_close_matches(key, sorted(allowed), n=1)
            hint = f"did you mean {close[0]!r}?" if close else f"allowed: {', '.join(sorted(allowed))}"
            raise loc.error(key, i, f"unknown key {prefix}{key}: {hint}", **block)


def _str_list(value, field_name: str, loc: "_Locator", i: int | None, theme: int | None = None,
              section: str | None = None) -> tuple[str, ...]:
    if isinstance(value, str):
        raise loc.error(field_name, i, f'{field_name} must be a list: {field_name} = ["{value}"]', theme=theme,
                        section=section)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise loc.error(field_name, i, f'{field_name} must be a list of strings, e.g. {field_name} = ["..."]',
                        theme=theme, section=section)
    return tuple(value)


def _urls(value, field_name: str, loc: "_Locator", i: int) -> tuple[str, ...]:
    urls = _str_list(value, field_name, loc, i)
    for u in urls:
        parts = urlsplit(u)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise loc.error(field_name, i, f"{u!r} is not an http(s) URL; write e.g. "
                            f'"https://{parts.path.lstrip("/") or "site.example/"}"', key_value=u)
    return urls


def _origin(value: str, loc: "_Locator") -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.path not in ("", "/"):
        raise loc.error("allowed_origins", None, f"{value!r} is not an origin; write e.g. "
                        '"http://127.0.0.1:8765" (scheme, host and port, no path)', section="fetch")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return f"{parts.scheme}://{parts.hostname}:{port}"


@dataclass
class _Locator:
    """Finds the line of a key in the TOML text, to point users at it.

    The block searched is the [fetch] table, the i-th [[sources]] or its j-th [[sources.themes]];
    a missing key points at the block's header line."""

    text: str
    path: str
    lines: list[str] = field(init=False)

    def __post_init__(self) -> None:
        self.lines = self.text.splitlines()

    def _headers(self, pattern: str, start: int = 0, end: int | None = None) -> list[int]:
        end = len(self.lines) if end is None else end
        return [n for n in range(start, end) if re.match(pattern, self.lines[n])]

    def _block(self, source_index: int | None, section: str | None, theme: int | None) -> tuple[int, int]:
        start, end = 0, len(self.lines)
        if section and source_index is not None:  # a table inside the i-th [[sources]], e.g. [sources.rules]
            start, end = self._block(source_index, None, None)
            starts = self._headers(r"\s*\[\[\s*sources\s*\]\]")
            end = starts[source_index + 1] if source_index + 1 < len(starts) else len(self.lines)
            found = self._headers(rf"\s*\[\s*{re.escape(section)}\s*\]", start, end)
            if found:  # else an inline table (rules = {...}) in the source's own block
                later = self._headers(r"\s*\[", found[0] + 1, end)
                start, end = found[0], later[0] if later else end
            return start, end
        if section:
            found = self._headers(rf"\s*\[\s*{re.escape(section)}\s*\]")
            start = found[0] if found else 0
            later = self._headers(r"\s*\[", start + 1)
            end = later[0] if later else end
        elif source_index is not None:
            starts = self._headers(r"\s*\[\[\s*sources\s*\]\]")
            if source_index < len(starts):
                start = starts[source_index]
                end = starts[source_index + 1] if source_index + 1 < len(starts) else end
            themes = self._headers(r"\s*\[\[\s*sources\.themes\s*\]\]", start, end)
            if theme is not None and theme < len(themes):
                start = themes[theme]
                end = themes[theme + 1] if theme + 1 < len(themes) else end
            elif theme is None and themes:
                end = themes[0]
        return start, end

    def line_of(self, key: str, source_index: int | None, section: str | None = None,
                theme: int | None = None, missing: bool = False, key_value: str | None = None) -> int | None:
        if source_index is None and section is None:
            found = [n for n, line in enumerate(self.lines) if re.match(rf"\s*\"?{re.escape(key)}\"?\s*=", line)]
            return found[0] + 1 if found else None
        start, end = self._block(source_index, section, theme)
        if not missing:
            for n in range(start, end):
                line = self.lines[n]
                if key_value is not None and key_value in line:
                    return n + 1
                if key_value is None and re.match(rf"\s*\"?{re.escape(key)}\"?\s*=", line):
                    return n + 1
        return start + 1

    def error(self, key: str, source_index: int | None, message: str, section: str | None = None,
              theme: int | None = None, **at) -> ConfigError:
        """`at`: missing= or key_value=, as for `line_of`."""
        line = self.line_of(key, source_index, section, theme, **at)
        where = f"{self.path}:{line}" if line else self.path
        return ConfigError(f"{where}: {message}", path=self.path, line=line, field=key)
