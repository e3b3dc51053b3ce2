"""The client's address for rate limits and logs, trusting X-Forwarded-For only from known proxies.

Frappe takes the first ``X-Forwarded-For`` entry as the client, so a guest who rotates that
header escapes every IP rate limit. Behind nginx, name the proxy in site config::

    bench --site SITE set-config p3m_trusted_proxies '["127.0.0.1"]' --parse

Without it the socket address is the client (and behind a proxy every guest shares one limit).
"""

import frappe

from p3m_app.core.client_address import client_address

CONFIG_KEY = "p3m_trusted_proxies"


def set_request_ip() -> None:
	"""``before_request`` hook: replace the address Frappe read from the headers."""
	request = getattr(frappe.local, "request", None)
	if request is None:
		return
	frappe.local.request_ip = client_address(
		request.environ.get("REMOTE_ADDR"),
		request.headers.get("X-Forwarded-For"),
		frappe.local.conf.get(CONFIG_KEY) or [],
	)
