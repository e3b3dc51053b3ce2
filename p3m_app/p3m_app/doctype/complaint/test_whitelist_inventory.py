# Copyright (c) 2026, p3m_app developers
# License: MIT. See license.txt
"""Every whitelisted method of the installed apps is classified for the leak suite, so the suite
cannot go stale when Frappe or the app adds an endpoint.

The classification lives in ``p3m_app/tests/leak/whitelisted_methods.json``; its categories are
``p3m_app.tests.leak.inventory.CATEGORIES``. A method the leak suite must call (``leak-tested``)
or probe (``write-probed``) has to appear in its call table or its write probes.
"""

import frappe
from frappe.tests.utils import FrappeTestCase

from p3m_app.tests.leak import calls, inventory, writes


class TestWhitelistInventory(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.inventory = inventory.collect(["frappe", "p3m_app"])
		cls.classified = inventory.load_classification()
		print(
			f"\nwhitelist inventory: {len(cls.inventory.methods)} whitelisted methods in "
			f"{cls.inventory.imported} modules ({len(cls.inventory.failed)} modules failed to import)"
		)

	def test_modules_import(self):
		self.assertGreater(self.inventory.imported, 500)
		self.assertIn("frappe.client.get_list", self.inventory.methods)
		self.assertIn("p3m_app.portal.api.track", self.inventory.methods)
		# a module that cannot be imported hides its endpoints from this test
		self.assertLessEqual(len(self.inventory.failed), 5, self.inventory.failed)

	def test_every_whitelisted_method_is_classified(self):
		missing = sorted(self.inventory.methods - set(self.classified))
		self.assertFalse(
			missing,
			f"{len(missing)} whitelisted methods are not classified in "
			f"{inventory.CLASSIFICATION_FILE.name}; add each with a category and a reason:\n"
			+ "\n".join(missing),
		)

	def test_every_classified_method_still_exists(self):
		gone = sorted(set(self.classified) - self.inventory.methods)
		self.assertFalse(gone, "classified but no longer whitelisted, remove them:\n" + "\n".join(gone))

	def test_categories_and_reasons(self):
		bad = sorted(
			name
			for name, entry in self.classified.items()
			if entry.get("category") not in inventory.CATEGORIES or not (entry.get("reason") or "").strip()
		)
		self.assertFalse(bad, "unknown category or empty reason:\n" + "\n".join(bad))

	def test_leak_tested_methods_are_in_the_call_table(self):
		table = calls.leak_tested_methods()
		untested = sorted(
			name
			for name, entry in self.classified.items()
			if entry["category"] == "leak-tested" and name not in table
		)
		self.assertFalse(untested, "classified leak-tested but not in calls.py:\n" + "\n".join(untested))
		mislabelled = sorted(
			name
			for name in table & self.inventory.methods
			if self.classified.get(name, {}).get("category") not in ("leak-tested", None)
		)
		self.assertFalse(
			mislabelled, "sent by the suite, so classify as leak-tested:\n" + "\n".join(mislabelled)
		)

	def test_write_probed_methods_are_probed(self):
		unprobed = sorted(
			name
			for name, entry in self.classified.items()
			if entry["category"] == "write-probed" and name not in writes.PROBED_METHODS
		)
		self.assertFalse(unprobed, "classified write-probed but not in writes.py:\n" + "\n".join(unprobed))

	def test_overrides_point_at_classified_methods(self):
		"""An override replaces a Frappe method for requests; the replacement must be classified too."""
		targets = {
			target
			for hooks in (frappe.get_hooks("override_whitelisted_methods") or {}).values()
			for target in hooks
			if target.startswith("p3m_app.")  # Frappe maps old paths to short names of its own
		}
		unknown = sorted(t for t in targets if t not in self.classified)
		self.assertFalse(unknown, "override targets not classified:\n" + "\n".join(unknown))
