"""The intake benchmark's baseline: a bare Frappe ORM insert of a ToDo over the same HTTP path.

A portal submission is a guest POST through gunicorn, Frappe's request handling and one ORM insert
(plus what a complaint needs); this endpoint is the same guest POST with a ToDo insert, so the ratio
of the two is the complaint's own cost. It answers only while ``p3m_intake_benchmark_token`` is in
the site config (the benchmark writes a random one for its run and removes it) and the caller sends
that token; otherwise it refuses without touching anything.
"""

import hmac

import frappe
from frappe import _

TOKEN_KEY = "p3m_intake_benchmark_token"


@frappe.whitelist(allow_guest=True, methods=["POST"])
def insert_todo(token: str | None = None, description: str | None = None) -> dict:
	expected = frappe.conf.get(TOKEN_KEY)
	if not (expected and token and hmac.compare_digest(str(token), str(expected))):
		frappe.throw(_("Not permitted"), frappe.PermissionError)
	todo = frappe.get_doc({"doctype": "ToDo", "description": (description or "benchmark")[:140]})
	todo.insert(ignore_permissions=True)
	return {"name": todo.name}
