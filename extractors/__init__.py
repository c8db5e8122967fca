"""From URL/bytes to records. Pure functions take (html, url) and return values; the only
network code is in `extractors.fetch`. Import submodules directly (kept lazy for start-up time)."""
