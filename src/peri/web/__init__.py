"""`peri serve`: the local web app — the same library functions as the CLI behind server-rendered pages.

`app.create_app(settings)` builds the Starlette app; `safety` holds what keeps it safe by default (loopback
bind, access token for any other bind, per-session CSRF tokens, an upload size cap); `jobs` runs long work
(generation, experiment, evaluation) in background threads with a status page; `charts` draws SVG.
"""
