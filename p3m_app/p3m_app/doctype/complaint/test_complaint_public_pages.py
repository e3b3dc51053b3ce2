"""The public pages render for guests and never show a reporter."""

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import set_request
from frappe.website.serve import get_response

from p3m_app.handling import act
from p3m_app.portal import stats
from p3m_app.publication import published_answers
from p3m_app.tests import factories as f


def render(path: str) -> tuple[int, str]:
	frappe.set_user("Guest")
	try:
		set_request(method="GET", path=path)
		response = get_response()
		return response.status_code, response.get_data(as_text=True)
	finally:
		frappe.set_user("Administrator")
		frappe.local.request = None


class TestPublicPages(FrappeTestCase):
	def setUp(self):
		f.make_world()
		stats.statistics.clear_cache()

	def test_statistics_count_and_never_name_anyone(self):
		before = stats.statistics()["totals"]
		stats.statistics.clear_cache()
		doc = f.make_complaint(reporter_name="Nama Rahasia Statistik", province="Jawa Tengah")
		act(doc.name, "Verify")
		act(doc.name, "Handle Directly")
		act(doc.name, "Answer", response="Sudah dibayar.")
		figures = stats.statistics()
		self.assertEqual(figures["totals"]["received"], (before["received"] if before else 0) + 1)
		self.assertIn("Jawa Tengah", [row["province"] for row in figures["by_province"]])
		self.assertNotIn("Nama Rahasia Statistik", frappe.as_json(figures))
		status, html = render("pengaduan/statistik")
		self.assertEqual(status, 200)
		self.assertIn("Jawa Tengah", html)
		self.assertNotIn("Nama Rahasia Statistik", html)
		self.assertNotIn("siti@example.org", html)
		self.assertEqual(
			published_answers(), [a for a in published_answers() if "Sudah dibayar." not in a["answer"]]
		)

	def test_portal_pages_render_for_guests(self):
		for path in ("pengaduan", "pengaduan/lacak", "pengaduan/statistik"):
			status, html = render(path)
			self.assertEqual(status, 200, path)
			self.assertIn("p3m-lang", html)
		status, _html = render("pengaduan/saya")
		self.assertIn(status, (301, 302, 303))  # guests are sent to the login page
