# Copyright (c) 2026, p3m_app developers
# License: MIT. See license.txt
"""Helpers the report tests share: frozen clocks, known reporters, and the leak check.

Fixtures are created inside each test class's transaction (FrappeTestCase rolls it back).
"""

import json
from contextlib import contextmanager

import frappe
import pytz
from frappe.utils import get_datetime, get_system_timezone

from p3m_app.core.intake_rules import SEALED_FIELDS
from p3m_app.tests import factories as f

# the default reporter of factories.complaint_values, and a confidential one
PUBLIC_REPORTER = {
	"reporter_name": "Siti Aminah",
	"reporter_email": "siti@example.org",
	"reporter_phone": "+62 812 1111 2222",
}
SECRET_REPORTER = {
	"reporter_name": "Pelapor Rahasia Rekap",
	"reporter_email": "rahasia.rekap@example.org",
	"reporter_phone": "+62 811 7777 0101",
	"reporter_id_number": "3201010101019999",
	"reporter_address": "Jl. Kenanga 99, Bogor",
}
FORBIDDEN_FIELDS = {*SEALED_FIELDS, "owner", "received_by", "responded_by", "modified_by"}


@contextmanager
def frozen(moment: str):
	"""Freeze the clock at ``moment`` in the site's timezone (as FrappeTestCase.freeze_time)."""
	from freezegun import freeze_time

	timezone = pytz.timezone(get_system_timezone())
	with freeze_time(timezone.localize(get_datetime(moment)).astimezone(pytz.utc)):
		yield


def complaint(unit: str | None, received_at: str, acted_at: str | None = None, **values) -> str:
	"""A complaint received at ``received_at``; with a unit, verified and disposed down to it
	(accepted there) at ``acted_at``. Without a unit it stays Baru at Pusat."""
	with frozen(acted_at or received_at):
		if unit is None:
			return f.make_complaint(received_at=received_at, **values).name
		via = (f.PROV_B,) if unit == f.KAB_B1 else (f.PROV_A,)
		if unit in (f.PROV_A, f.PROV_B):
			via = (unit,)
		return f.complaint_at(unit, via=via, received_at=received_at, **values).name


def act_at(moment: str, name: str, action: str, **values):
	from p3m_app.handling import act

	with frozen(moment):
		return act(name, action, **values)


def assert_no_identity(test, result) -> None:
	"""No reporter identity anywhere in a report's output: columns, rows, chart, summary."""
	text = json.dumps(result, default=str)
	for value in (*PUBLIC_REPORTER.values(), *SECRET_REPORTER.values()):
		test.assertNotIn(value, text)
	columns = result[0]
	fieldnames = {c["fieldname"] if isinstance(c, dict) else str(c) for c in columns}
	test.assertFalse(fieldnames & FORBIDDEN_FIELDS)
	for row in result[1]:
		test.assertFalse(set(row) & FORBIDDEN_FIELDS)
