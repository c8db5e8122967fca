"""The bundled sample site ("The Signal Desk") and its source config, served on 127.0.0.1.

Used by `themewire demo` and by the tests. Standard library only: nothing here imports prefect or the CLI.

    with serve_sample_site() as site:          # a free port on 127.0.0.1
        site.base_url                          # "http://127.0.0.1:PORT"
        site.requests                          # [(method, path_with_query, headers), ...]
        sample_config_text(site.base_url)      # the TOML for the sample source

The pages are static files under `site/` (package data read by `_data.py`; regenerate them with
`_build/build.py`); `server.py` serves them (validators, 304s, the /errors/* routes, test routes).

`python -m flows.sample [--port N]` serves the site standalone.
"""

from ._data import SAMPLE_SOURCE, load_expected, load_site_files, sample_config_text
from .server import Route, SampleSite, serve_sample_site

__all__ = [
    "SAMPLE_SOURCE",
    "Route",
    "SampleSite",
    "load_expected",
    "load_site_files",
    "sample_config_text",
    "serve_sample_site",
]
