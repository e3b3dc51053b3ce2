"""HTTP clients of the load test - citizens on the portal, officers on the desk - timed per kind.

Client threads use only `requests` (never frappe, whose state is per thread); latencies are taken
by the client over loopback, so they bound the server time from above.
"""

import io
import json
import random
import threading
import time
from collections import defaultdict

import requests

PORTAL = "/api/method/p3m_app.portal.api."
REPORT = "Rekapitulasi Pengaduan"
# how p3m_app.portal.outage.retry_message() begins, in English and in Indonesian
RETRY_PREFIXES = ("The service is briefly unavailable", "Layanan sedang tidak tersedia")


def percentile(values: list[float], share: float) -> float:
	ordered = sorted(values)
	return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))] if ordered else 0.0


class Recorder:
	"""Latency and errors per kind, shared by the client threads."""

	def __init__(self):
		self.lock = threading.Lock()
		self.latencies = defaultdict(list)
		self.errors = defaultdict(int)
		self.samples = defaultdict(list)
		self.codes = []  # tracking codes the portal returned (acknowledged submissions)

	def add(self, kind: str, seconds: float, ok: bool, detail: str = "") -> None:
		with self.lock:
			self.latencies[kind].append(seconds)
			if not ok:
				self.errors[kind] += 1
				if len(self.samples[kind]) < 3:
					self.samples[kind].append(detail[:300])

	def table(self) -> list[str]:
		lines = [f"{'kind':<22}{'requests':>9}{'errors':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"]
		for kind in sorted(self.latencies):
			ms = [v * 1000 for v in self.latencies[kind]]
			lines.append(
				f"{kind:<22}{len(ms):>9}{self.errors[kind]:>8}{percentile(ms, 0.5):>9.0f}"
				f"{percentile(ms, 0.95):>9.0f}{percentile(ms, 0.99):>9.0f}"
			)
		total = sum(len(v) for v in self.latencies.values())
		lines.append(f"{'all':<22}{total:>9}{sum(self.errors.values()):>8}")
		for kind, samples in sorted(self.samples.items()):
			for sample in samples:
				lines.append(f"  error sample ({kind}): {sample}")
		return lines


def timed(recorder: Recorder, kind: str, call) -> requests.Response | None:
	began = time.perf_counter()
	try:
		response = call()
	except requests.RequestException as error:
		recorder.add(kind, time.perf_counter() - began, False, repr(error))
		return None
	ok = response.status_code == 200
	recorder.add(
		kind, time.perf_counter() - began, ok, "" if ok else f"{response.status_code} {response.text}"
	)
	return response


def png() -> bytes:
	from PIL import Image

	out = io.BytesIO()
	Image.new("RGB", (24, 16), (10, 120, 200)).save(out, "PNG")
	return out.getvalue()


PNG = png()


def submission(tag: str, key: str) -> tuple[dict, list]:
	"""A portal report; the key's number picks named, confidential or anonymous (every third),
	the first two with a photo and a text file attached."""
	number = int(key.rsplit("-", 1)[-1])
	variant = ("named", "confidential", "anonymous")[number % 3]
	data = {
		"classification": "Pengaduan",
		"subject": f"[{tag}] Bantuan belum diterima #{key}",
		"description": "Bantuan PKH bulan ini belum diterima oleh keluarga kami.",
		"chronology": "Sudah menunggu tiga bulan.",
		"is_anonymous": "1" if variant == "anonymous" else "0",
		"is_confidential": "1" if variant == "confidential" else "0",
		"submission_id": f"{tag}-{key}",
	}
	files = []
	if variant != "anonymous":
		data.update(
			reporter_name=f"Warga Uji {number}",
			reporter_email=f"warga{number}@{tag}.example.org",
			reporter_phone="+62 812 3333 4444",
		)
		files = [
			("attachments", (f"bukti-{number}.png", PNG, "image/png")),
			("attachments", (f"catatan-{number}.txt", b"Catatan kronologi kejadian.", "text/plain")),
		]
	return data, files


def submit(session: requests.Session, base: str, host: str, tag: str, key: str) -> requests.Response:
	data, files = submission(tag, key)
	return session.post(f"{base}{PORTAL}submit", headers={"Host": host}, data=data, files=files, timeout=60)


def clear_refusal(response: requests.Response) -> bool:
	"""A refusal the portal shows as "please try again": our message, or a 429/503 with it."""
	try:
		body = response.json()
		messages = [
			json.loads(m).get("message", "") for m in json.loads(body.get("_server_messages") or "[]")
		]
	except (ValueError, AttributeError):
		return False
	return any(m.startswith(RETRY_PREFIXES) for m in messages) and "exception" not in body


def code_of(response: requests.Response | None) -> str | None:
	if response is None or response.status_code != 200:
		return None
	try:
		return response.json()["message"]["tracking_code"]
	except (ValueError, KeyError, TypeError):
		return None


class Officer:
	"""A logged-in officer using the desk: the Complaint list, a form, the recap report."""

	def __init__(self, base: str, host: str, user: str, password: str, names: list[str]):
		self.base, self.host, self.names = base, host, names
		self.session = requests.Session()
		response = self.session.post(
			f"{base}/api/method/login",
			headers={"Host": host},
			data={"usr": user, "pwd": password},
			timeout=30,
		)
		response.raise_for_status()

	def get(self, method: str, params: dict) -> requests.Response:
		return self.session.get(
			f"{self.base}/api/method/{method}", headers={"Host": self.host}, params=params, timeout=120
		)

	def list(self) -> requests.Response:
		return self.get(
			"frappe.desk.reportview.get",
			{
				"doctype": "Complaint",
				"fields": json.dumps(
					[
						"`tabComplaint`.`name`",
						"`tabComplaint`.`subject`",
						"`tabComplaint`.`workflow_state`",
						"`tabComplaint`.`sla_status`",
						"`tabComplaint`.`current_unit`",
					]
				),
				"filters": json.dumps(
					[["Complaint", "sla_status", "=", random.choice(["Breached", "On Track"])]]
				),
				"order_by": "`tabComplaint`.`modified` desc",
				"start": random.choice([0, 0, 20, 40]),
				"page_length": 20,
			},
		)

	def form(self) -> requests.Response:
		return self.get(
			"frappe.desk.form.load.getdoc", {"doctype": "Complaint", "name": random.choice(self.names)}
		)

	def report(self) -> requests.Response:
		today = time.strftime("%Y-%m-%d")
		return self.get(
			"frappe.desk.query_report.run",
			{"report_name": REPORT, "filters": json.dumps({"from_date": "2026-01-01", "to_date": today})},
		)


def citizen_loop(stop: threading.Event, recorder: Recorder, base: str, host: str, tag: str, ids, rng):
	session = requests.Session()
	while not stop.is_set():
		if rng.random() < 0.5:
			key = f"load-{next(ids)}"
			response = timed(recorder, "portal submit", lambda: submit(session, base, host, tag, key))
			if code := code_of(response):
				with recorder.lock:
					recorder.codes.append(code)
		else:
			with recorder.lock:
				known = rng.choice(recorder.codes) if recorder.codes and rng.random() < 0.5 else None
			code = known or "ZZZZ-ZZZZ-ZZZZ"
			timed(
				recorder,
				"portal track",
				lambda: session.post(
					f"{base}{PORTAL}track", headers={"Host": host}, data={"code": code}, timeout=60
				),
			)
		time.sleep(rng.uniform(0.05, 0.3))


def officer_loop(stop: threading.Event, recorder: Recorder, officer: Officer, rng):
	while not stop.is_set():
		roll = rng.random()
		if roll < 0.08:
			timed(recorder, "desk report (recap)", officer.report)
		elif roll < 0.55:
			timed(recorder, "desk list", officer.list)
		else:
			timed(recorder, "desk form", officer.form)
		time.sleep(rng.uniform(0.2, 0.8))
