# Copyright (c) 2026, p3m_app developers
# License: MIT. See license.txt
"""The leak suite: every whitelisted method that reads or counts documents, sent over HTTP as each
probe user, must answer without an out-of-scope complaint and without an identity the rule in
``p3m_app.tests.leak.rule`` withholds from that user. Write paths that would widen who reads a
complaint (share, assign, follow) or rewrite its system-managed fields must be refused.

The fixture (``p3m_app.tests.leak.world``) is committed, since the requests run in threads of
their own, and deleted in tearDownClass. Figures are printed in one line; every leak is listed
in one assertion message. Set ``P3M_LEAK_REPORT=/path.json`` to also write them to a file.
"""

import json
import os
import time
from collections import Counter
from functools import cache
from urllib.parse import quote, quote_plus

import frappe
from frappe.tests.utils import FrappeTestCase

from p3m_app.tests.leak import calls, channels, rule, world, writes
from p3m_app.tests.leak.transport import Request, send_all


class TestLeakSuite(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.world = world.LeakWorld().build()
		cls.site = frappe.local.site

	@classmethod
	def tearDownClass(cls):
		frappe.db.rollback()
		channels.restore_track_limit(cls.world.saved_track_limit)
		world.purge()
		super().tearDownClass()

	def auth(self, user: world.ProbeUser) -> str | None:
		return self.world.api_keys.get(user.email)

	def send(self, jobs: list[tuple[Request, str | None]]):
		responses = send_all(self.site, jobs)
		frappe.db.rollback()  # a fresh snapshot: see what the requests committed
		return responses

	def test_fixture_keeps_identities_where_the_rule_says(self):
		"""Anonymous: no identity anywhere; confidential: none on the complaint, all in the vault."""
		c = self.world.complaints
		identity_fields = ["reporter_name", "reporter_email", "reporter_phone", "reporter_id_number"]
		anonymous = frappe.db.get_value("Complaint", c["anon_b"].name, identity_fields, as_dict=True)
		self.assertFalse(any(anonymous.values()), anonymous)
		self.assertFalse(frappe.db.exists("Reporter Identity", c["anon_b"].name))
		for key in ("conf_portal", "conf_mail", "sms_conf", "lapor_conf"):
			row = frappe.db.get_value("Complaint", c[key].name, identity_fields, as_dict=True)
			self.assertFalse(any(row.values()), f"{key} keeps identity on the complaint: {row}")
			vault = frappe.db.get_value("Reporter Identity", c[key].name, ["reporter_name", "reporter_phone"])
			self.assertTrue(vault and any(vault), f"{key} has no identity in the vault")
			if c[key].spec.identity.get("reporter_name"):
				self.assertEqual(vault[0], c[key].spec.identity["reporter_name"])
		named = frappe.db.get_value("Complaint", c["named_a1"].name, "reporter_name")
		self.assertEqual(named, c["named_a1"].spec.identity["reporter_name"])

	def test_probe_users_authenticate_and_read_their_own(self):
		"""Without this the suite could pass by having every request refused."""
		w = self.world
		jobs, expected = [], []
		for user in world.PROBE_USERS:
			jobs.append((calls.api("frappe.auth.get_logged_user"), self.auth(user)))
			expected.append((user, "logged in", user.email))
		own = {"sibling": "named_b", "child": "named_a1", "pimpinan": "named_a1", "ppid": "conf_portal"}
		own["inspektorat"] = "insp"
		for key, complaint in own.items():
			fixture = w.complaints[complaint]
			request = Request("GET /api/resource/<doctype>/<name>", f"{calls.REST}Complaint/{fixture.name}")
			jobs.append((request, self.auth(w.probe_user(key))))
			expected.append((w.probe_user(key), "reads", fixture.tracking_code))
		problems = []
		for (user, what, needle), response in zip(expected, self.send(jobs), strict=True):
			if user.email == world.GUEST and what == "logged in":
				if not response.refused:
					problems.append(f"Guest was not refused get_logged_user: {response.status}")
			elif response.status != 200 or needle not in response.text:
				problems.append(f"{user.key} {what}: {response.status} {response.text[:200]}")
		self.assertFalse(problems, "\n".join(problems))

	def test_no_response_leaks(self):
		w = self.world
		started = time.monotonic()
		table = calls.build(w)
		sent = [
			(u, r)
			for u in world.PROBE_USERS
			for r in table
			if not r.out_of_scope_only or r.out_of_scope_only not in w.scope_keys(u)
		]
		jobs = [(r, self.auth(u)) for u, r in sent]
		oracle_jobs, oracle_keys = [], []
		for user in world.PROBE_USERS:
			forbidden = w.forbidden(user)
			readable = [w.complaints[key].name for key in sorted(w.scope_keys(user) - {"meeting"})]
			for probe in calls.oracle_probes(w):
				if probe.secret not in forbidden:
					continue  # the user may read this value: nothing to protect
				right, wrong = (
					calls.oracle_requests(probe, p, readable) for p in calls.oracle_patterns(probe)
				)
				for r, x in zip(right, wrong, strict=True):
					oracle_keys.append((user, probe, r))
					oracle_jobs += [(r, self.auth(user)), (x, self.auth(user))]
		count_jobs = [(u, r, read) for u in world.PROBE_USERS for r, read in calls.count_requests()]
		responses = self.send(jobs + oracle_jobs + [(r, self.auth(u)) for u, r, _read in count_jobs])
		plain = responses[: len(jobs)]
		oracle = responses[len(jobs) : len(jobs) + len(oracle_jobs)]
		counted = responses[len(jobs) + len(oracle_jobs) :]

		leaks = []
		for (user, request), response in zip(sent, plain, strict=True):
			leaks += self.string_leaks(user, request, response)
		for index, (user, probe, request) in enumerate(oracle_keys):
			right, wrong = oracle[2 * index], oracle[2 * index + 1]
			if right.refused and wrong.refused:
				continue
			if (right.status, right.message()) != (wrong.status, wrong.message()):
				why = w.forbidden(user)[probe.secret]
				leaks.append(
					(
						user.key,
						request.label(),
						f"count oracle on {probe.doctype}.{probe.field}: a right and a wrong prefix "
						f"of the {why} answer differently ({right.status} {str(right.message())[:60]} / "
						f"{wrong.status} {str(wrong.message())[:60]})",
					)
				)
		for (user, request, read), response in zip(count_jobs, counted, strict=True):
			if not response.answered:
				continue
			in_scope = len(self.world.scope_keys(user) - {"meeting"})
			try:
				number = int(read(response.message()) or 0)
			except (TypeError, ValueError, KeyError):
				continue
			if number > in_scope:
				leaks.append(
					(user.key, request.label(), f"counts {number} complaints; {in_scope} are in scope")
				)

		all_responses = plain + oracle + counted
		statuses = Counter(
			"refused" if r.refused else "error" if r.status >= 500 else "answered" for r in all_responses
		)
		methods = {r.method for r in table} | {r.method for r, _a in oracle_jobs}
		figures = (
			f"leak suite: {len(methods)} methods x {len(world.PROBE_USERS)} users x "
			f"{len(w.documents)} documents, {len(all_responses):,} requests "
			f"({statuses['refused']:,} refused, {statuses['error']:,} errors), "
			f"leaks found: {len(leaks)} in {time.monotonic() - started:.0f}s"
		)
		print("\n" + figures)
		if statuses["error"]:
			print(format_errors(sent, plain))
		errors = [
			(u.key, r.label(), f"{x.status} {x.text[:3000]}")
			for (u, r), x in zip(sent, plain, strict=True)
			if x.status >= 500
		]
		timing = Counter()
		for request, response in zip(jobs + oracle_jobs, plain + oracle, strict=True):
			timing[request[0].method] += response.seconds
		self.write_report(figures, leaks, errors, timing.most_common())
		if leaks:
			self.fail(f"{figures}\n{format_leaks(leaks)}")

	def string_leaks(self, user, request: Request, response) -> list[tuple[str, str, str]]:
		forbidden = self.world.forbidden(user)
		text = response.text
		excused = set(request.knows)
		if not response.answered:
			asked = request.path + json.dumps(request.params, default=str)
			excused |= {s for s in forbidden if s in asked}
		found = []
		if request.unit_scoped and response.answered:
			reached = rule.reach([user.unit] if user.unit else [], world.PARENT_OF)
			# a complaint read through a copy shows its holding unit in the user's own counts
			scope = self.world.scope_keys(user)
			reached |= {c.spec.unit for key, c in self.world.complaints.items() if key in scope}
			for unit in world.UNITS:
				if unit not in reached and f'"{unit}"' in text:
					found.append((user.key, request.label(), f"figures of unit {unit} (out of reach)"))
		for secret, why in forbidden.items():
			if secret in excused:
				continue
			if secret in text or any(form in text for form in encoded_forms(secret)):
				found.append((user.key, request.label(), f"{why}: {secret!r} (HTTP {response.status})"))
		return found

	def test_write_paths_are_refused(self):
		problems, sent, errors = [], 0, 0
		for probe in writes.probes(self.world):
			if not probe.request.method.startswith(("GET ", "POST ", "PUT ")):
				self.assertIn(probe.request.method, writes.PROBED_METHODS, "list it in PROBED_METHODS")
			user = self.world.probe_user(probe.user)
			(response,) = self.send([(probe.request, self.auth(user))])
			sent += 1
			change = probe.changed()
			if response.status >= 500 and not change:
				errors += 1  # not a clean refusal, but nothing changed: reported, not failed
			elif change or not response.refused:
				problems.append(
					(
						user.key,
						probe.request.label(),
						f"HTTP {response.status}"
						+ (f", changed: {change}" if change else ", nothing changed but not refused")
						+ f" - {response.text[:160]}",
					)
				)
			if change:
				probe.restore()
				frappe.db.commit()
		print(
			f"\nwrite probes: {sent} sent, {len(problems)} not refused, {errors} server errors (nothing changed)"
		)
		if problems:
			self.fail(f"{len(problems)} write paths not refused:\n{format_leaks(problems)}")

	def write_report(self, figures, leaks, errors, timing=()):
		path = os.environ.get("P3M_LEAK_REPORT")
		if path:
			with open(path, "w") as report:
				json.dump(
					{"figures": figures, "leaks": leaks, "errors": errors, "seconds": timing},
					report,
					indent=1,
				)


@cache
def encoded_forms(secret: str) -> frozenset[str]:
	"""The secret as it reads inside a URL, when that differs from the secret itself."""
	return frozenset({quote(secret), quote_plus(secret)} - {secret})


def format_errors(sent, responses) -> str:
	"""Server errors are not leaks, but not clear refusals either: one line per method and error."""
	errors = Counter()
	for (_user, request), response in zip(sent, responses, strict=True):
		if response.status >= 500:
			try:
				detail = json.loads(response.text).get("exception") or response.text
			except (ValueError, AttributeError):
				detail = response.text
			errors[(request.method, (str(detail).strip().splitlines() or [""])[-1][:140])] += 1
	lines = [f"  {n} x {method}: {detail}" for (method, detail), n in errors.most_common()]
	return "server errors (HTTP 5xx, not counted as leaks):\n" + "\n".join(lines)


def format_leaks(leaks) -> str:
	"""One line per (user, method, what leaked), counting repeats."""
	counts = Counter(leaks)
	return "\n".join(
		f"  {user} | {method} | {what}" + (f" (x{n})" if n > 1 else "")
		for (user, method, what), n in sorted(counts.items())
	)
