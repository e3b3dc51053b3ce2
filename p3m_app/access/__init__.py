"""Access and identity: who may read what, through every endpoint Frappe and the app expose."""
