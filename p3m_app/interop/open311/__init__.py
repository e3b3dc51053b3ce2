"""Open311 GeoReport v2 at /open311/v2/ (see renderer.py and p3m_app.core.open311_rules)."""
