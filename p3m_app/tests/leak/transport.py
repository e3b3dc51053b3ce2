"""Requests through Frappe's own WSGI app, as a browser or an API client would send them.

Like ``frappe.tests.test_api.make_request``, each request runs in a thread of its own (so
``frappe.local`` and the database connection are the request's, not the test's) through
werkzeug's test client on ``frappe.app.application``. The site is named by header and the user
by ``Authorization: token key:secret`` (none for Guest), so several requests can run at once.
Only committed data is visible to them.
"""

import contextlib
import io
import json
import multiprocessing
import os
import threading
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from werkzeug.test import Client

# a refusal: not logged in, not permitted, not found, invalid (Frappe's ValidationError), rate limited
REFUSED = frozenset({401, 403, 404, 409, 417, 429})

THREADS = 3  # per process: enough to overlap database round trips
_local = threading.local()


@dataclass(frozen=True)
class Request:
	method: str  # the whitelisted method or URL it exercises, as reported
	path: str
	params: dict = field(default_factory=dict)
	http: str = "GET"
	target: str = ""  # what it aims at: a doctype, a document, a report
	knows: frozenset = frozenset()  # strings the caller already holds (a document name it asks for)
	as_json: bool = False  # send the parameters as a JSON body (native types reach the method)
	out_of_scope_only: str | None = None  # sent only to users out of this fixture key's scope
	unit_scoped: bool = False  # figures per unit: units out of the user's reach must not appear

	def label(self) -> str:
		return f"{self.method} [{self.target}]" if self.target else self.method

	def encoded(self) -> dict[str, str]:
		return {
			k: v if isinstance(v, str) else json.dumps(v) for k, v in self.params.items() if v is not None
		}


@dataclass
class Response:
	status: int
	text: str
	content_type: str
	seconds: float = 0.0

	@property
	def refused(self) -> bool:
		return self.status in REFUSED

	@property
	def answered(self) -> bool:
		return 200 <= self.status < 400

	def message(self):
		try:
			return json.loads(self.text).get("message")
		except (ValueError, AttributeError):
			return self.text


def _client() -> Client:
	if not hasattr(_local, "client"):
		from frappe.app import application

		_local.client = Client(application, use_cookies=False)
	return _local.client


def send(site: str, request: Request, auth: str | None, remote_addr: str = "127.0.0.1") -> Response:
	headers = {"X-Frappe-Site-Name": site, "Accept": "application/json, text/html, */*"}
	if auth:
		headers["Authorization"] = f"token {auth}"
	started = time.perf_counter()
	options = {"headers": headers, "environ_base": {"REMOTE_ADDR": remote_addr}, "buffered": True}
	if request.http == "GET":
		response = _client().get(request.path, query_string=request.encoded(), **options)
	elif request.as_json:
		response = _client().open(request.path, method=request.http, json=request.params, **options)
	else:
		response = _client().open(request.path, method=request.http, data=request.encoded(), **options)
	data = response.get_data()
	response.close()
	seconds = time.perf_counter() - started
	return Response(response.status_code, body_text(data), response.content_type or "", seconds)


def send_all(site: str, jobs: list[tuple[Request, str | None]]) -> list[Response]:
	"""Send (request, auth) pairs; answers in the same order.

	Frappe handles a request mostly in Python, so the batch is split over one forked process per
	CPU (``P3M_LEAK_PROCESSES`` overrides), each sending on a few threads. Each request gets a
	remote address of its own, so per-IP rate limits never turn a probe into a refusal.
	"""
	indexed = list(enumerate(jobs))
	processes = int(os.environ.get("P3M_LEAK_PROCESSES") or min(os.cpu_count() or 1, 4))
	answers: dict[int, Response] = {}
	# Frappe prints the traceback of every refused /api/ call to stdout (frappe.errprint outside a
	# "cmd" request); thousands of refusals are expected here, so the batch runs with stdout muted
	with open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink):
		if processes > 1 and len(jobs) > 50 and "fork" in multiprocessing.get_all_start_methods():
			chunks = [(site, indexed[i::processes]) for i in range(processes)]
			with multiprocessing.get_context("fork").Pool(processes) as pool:
				for part in pool.map(_send_chunk, chunks):
					answers.update(part)
		else:
			answers.update(_send_chunk((site, indexed)))
	return [answers[i] for i in range(len(jobs))]


def _send_chunk(args) -> dict[int, Response]:
	site, indexed = args

	def run(item):
		index, (request, auth) = item
		address = f"10.{(index >> 16) & 255}.{(index >> 8) & 255}.{index & 255}"
		try:
			return index, send(site, request, auth, address)
		except Exception as error:  # the app raised past Frappe's handler: report it, keep going
			return index, Response(599, f"{type(error).__name__}: {error}", "text/plain")

	with ThreadPoolExecutor(max_workers=THREADS) as pool:
		return dict(pool.map(run, indexed))


def body_text(data: bytes) -> str:
	"""What a person would read in the response: PDF text, every part of an xlsx/zip, or the body."""
	if data[:5] == b"%PDF-":
		return pdf_text(data)
	if data[:4] == b"PK\x03\x04":
		try:
			with zipfile.ZipFile(io.BytesIO(data)) as archive:
				return "\n".join(
					archive.read(member).decode("utf-8", "replace") for member in archive.namelist()
				)
		except zipfile.BadZipFile:
			pass
	return data.decode("utf-8", "replace")


def pdf_text(data: bytes) -> str:
	from pypdf import PdfReader

	try:
		reader = PdfReader(io.BytesIO(data))
		return "%PDF\n" + "\n".join(page.extract_text() or "" for page in reader.pages)
	except Exception as error:
		return f"%PDF (unreadable: {error})"
