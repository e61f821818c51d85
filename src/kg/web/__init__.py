"""kg's web UI and SPARQL 1.1 endpoint (`kg serve`): see docs/web.md.

`create_app(settings)` in :mod:`kg.web.app` builds the Flask application. Templates and
static files live in the top-level ``web/`` folder (see :func:`kg.web.paths.web_dir`).
"""
