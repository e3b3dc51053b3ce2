"""Run a few statements as another user without touching the request's session."""

from contextlib import contextmanager

import frappe


@contextmanager
def acting_as(user: str):
	"""Swap only the session's user (``frappe.set_user`` would also reset the session id and form)."""
	previous = frappe.session.user
	frappe.session.user = user
	try:
		yield
	finally:
		frappe.session.user = previous
