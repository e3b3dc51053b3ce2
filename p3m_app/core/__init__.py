"""Pure P3M rules: plain Python that never imports frappe, tested with plain pytest.

DocType controllers and hooks are thin adapters around these modules.
"""
