"""What every intake asks about the unit tree, kept in the site cache until the tree changes.

The root unit and the holiday calendar each unit follows take three queries per complaint; they
change only when a Unit, Holiday Calendar or Holiday List is saved, renamed or deleted, whose doc
events call ``forget``. Code that writes those tables with ``frappe.db.set_value`` calls it too.
"""

import frappe

from p3m_app.utils import drop_cached

KEY = "p3m_unit_lookups"


def cached(kind: str, unit: str | None, compute):
	return frappe.cache.hget(KEY, f"{kind}::{unit or ''}", generator=compute)


def forget(doc=None, method=None) -> None:
	drop_cached(KEY)


def root_unit() -> str | None:
	return cached("root", None, _root_unit)


def _root_unit() -> str | None:
	root = frappe.db.sql(
		"select name from `tabUnit` where ifnull(parent_unit, '') = '' and is_active = 1 limit 1"
	)
	return root[0][0] if root else None
