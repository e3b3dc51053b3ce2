"""A local SMS gateway and WhatsApp Graph API for the tests: it records what it receives.

Bound to 127.0.0.1 on a free port, in a thread of the test process. Paths:
``POST /sms`` (a generic gateway: answers a message id), ``POST /<phone-number-id>/messages``
(the Cloud API: answers a wamid), ``GET /<media-id>`` (media metadata with a download URL) and
``GET /download/<media-id>``. ``fail_next`` answers that many requests with 500 first.
"""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FakeProvider:
	def __init__(self):
		self.received: list[dict] = []
		self.media: dict[str, tuple[str, bytes]] = {}
		self.fail_next = 0
		self.lock = threading.Lock()
		self.server = ThreadingHTTPServer(("127.0.0.1", 0), self.handler())
		self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

	@property
	def url(self) -> str:
		return f"http://127.0.0.1:{self.server.server_address[1]}"

	def start(self) -> "FakeProvider":
		self.thread.start()
		return self

	def stop(self) -> None:
		self.server.shutdown()
		self.server.server_close()

	def sent_to(self, to: str) -> list[dict]:
		"""Bodies of the messages sent to ``to`` (E.164 or WhatsApp's digits)."""
		digits = to.lstrip("+")
		with self.lock:
			return [r["json"] for r in self.received if r["method"] == "POST" and _to(r) == digits]

	def handler(self):
		fake = self

		class Handler(BaseHTTPRequestHandler):
			def log_message(self, *args):
				pass

			def answer(self, status: int, body, content_type="application/json"):
				data = body if isinstance(body, bytes) else json.dumps(body).encode()
				self.send_response(status)
				self.send_header("Content-Type", content_type)
				self.send_header("Content-Length", str(len(data)))
				self.end_headers()
				self.wfile.write(data)

			def record(self, body: bytes) -> int | None:
				try:
					parsed = json.loads(body) if body else None
				except ValueError:
					parsed = None
				with fake.lock:
					fake.received.append(
						{
							"method": self.command,
							"path": self.path,
							"headers": dict(self.headers),
							"body": body,
							"json": parsed,
						}
					)
					if fake.fail_next:
						fake.fail_next -= 1
						return None
					return len(fake.received)

			def do_POST(self):
				body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
				number = self.record(body)
				if number is None:
					return self.answer(500, {"error": "fake failure"})
				if self.path.endswith("/messages"):
					return self.answer(200, {"messages": [{"id": f"wamid.out-{number}-{id(fake)}"}]})
				return self.answer(200, {"message_id": f"sms-out-{number}-{id(fake)}"})

			def do_GET(self):
				self.record(b"")
				key = self.path.rsplit("/", 1)[-1]
				if key not in fake.media:
					return self.answer(404, {"error": "unknown media"})
				mime, content = fake.media[key]
				if self.path.startswith("/download/"):
					return self.answer(200, content, mime)
				return self.answer(200, {"url": f"{fake.url}/download/{key}", "mime_type": mime, "id": key})

		return Handler


def _to(request: dict) -> str:
	body = request.get("json") or {}
	return str(body.get("to") or "").lstrip("+") if isinstance(body, dict) else ""
