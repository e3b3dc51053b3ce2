"""A portal submission whose database connection dies mid-request (MariaDB restarting) is refused
with a clear "please try again" (503), never a bare error with a driver traceback, and nothing of
it is stored. The connection is really killed, through Frappe's WSGI app."""

import json
from unittest.mock import patch

import frappe
from frappe.tests.utils import FrappeTestCase

from p3m_app.portal import submission

RETRY_PREFIXES = ("The service is briefly unavailable", "Layanan sedang tidak tersedia")


def post_submit(subject: str):
	from frappe.tests.test_api import make_request
	from frappe.utils import get_test_client

	peer = f"2001:db8::{frappe.generate_hash(length=4)}"  # a fresh address: the rate limit is per IP
	return make_request(
		target=get_test_client(use_cookies=False).post,
		args=("/api/method/p3m_app.portal.api.submit",),
		kwargs={
			"data": {
				"classification": "Pengaduan",
				"subject": subject,
				"description": "Bantuan PKH bulan ini belum diterima.",
				"chronology": "Sudah menunggu tiga bulan.",
				"is_anonymous": "1",
			},
			"headers": {"Accept": "application/json"},
			"environ_overrides": {"REMOTE_ADDR": peer},
		},
		site=frappe.local.site,
	)


class TestPortalOutage(FrappeTestCase):
	def test_a_lost_connection_is_refused_with_a_retry_message_and_nothing_stored(self):
		killer = frappe.local.db  # the test's own connection kills the request's
		real_submit = submission.submit
		killed = []

		def submit_after_losing_the_connection(form, files):
			request_connection = frappe.db.sql("select connection_id()")[0][0]
			killer.sql(f"kill connection {int(request_connection)}")
			killed.append(request_connection)
			return real_submit(form, files)

		subject = f"Outage {frappe.generate_hash(length=8)}"
		with patch.object(submission, "submit", side_effect=submit_after_losing_the_connection):
			response = post_submit(subject)

		self.assertEqual(len(killed), 1)
		self.assertEqual(response.status_code, 503, response.text)
		body = response.json
		messages = [json.loads(m)["message"] for m in json.loads(body.get("_server_messages") or "[]")]
		self.assertTrue(any(m.startswith(RETRY_PREFIXES) for m in messages), messages)
		self.assertNotIn("exception", body)
		self.assertNotIn("exc", body)
		self.assertNotIn("Lost connection", response.text)
		self.assertFalse(frappe.db.exists("Complaint", {"subject": subject}))

	def test_other_failures_are_not_dressed_up_as_outages(self):
		with patch.object(submission, "submit", side_effect=KeyError("a defect")):
			response = post_submit("Not an outage")
		self.assertEqual(response.status_code, 500)
		self.assertNotIn("briefly unavailable", response.text)
