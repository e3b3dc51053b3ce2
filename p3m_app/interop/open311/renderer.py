"""Serves /open311/v2/* through Frappe's website router (the ``page_renderer`` hook).

GeoReport fixes the URLs (``services.json``, ``requests/{id}.json``), the bare JSON bodies and the
error format (``[{"code": 400, "description": "..."}]``), which Frappe's /api/method envelope does
not give, so this renderer answers them itself. A refusal is rolled back before it is answered:
Frappe commits a POST that returns normally, and nothing of a refused submission may stay.
"""

import json

import frappe
from frappe import _
from frappe.website.page_renderers.base_renderer import BaseRenderer
from werkzeug.wrappers import Response

from p3m_app.core import open311_rules
from p3m_app.core.errors import RuleViolation
from p3m_app.interop.open311 import endpoints

HANDLERS = {
	("discovery", "GET"): endpoints.discovery,
	("services", "GET"): endpoints.services,
	("service", "GET"): endpoints.service,
	("requests", "GET"): endpoints.get_requests,
	("requests", "POST"): endpoints.create_request,
	("request", "GET"): endpoints.get_request,
	("openapi", "GET"): endpoints.openapi,
}


class Open311Renderer(BaseRenderer):
	def can_render(self):
		return self.path == "open311" or self.path.startswith("open311/")

	def render(self):
		request = frappe.local.request
		status, body, headers = answer(request.path, request.method)
		response = Response(
			json.dumps(body, ensure_ascii=False, default=str),
			status=status,
			mimetype="application/json",
		)
		response.headers.update(headers)
		response.headers["Cache-Control"] = "no-store"
		response.headers["X-Content-Type-Options"] = "nosniff"
		return response


def answer(path: str, method: str) -> tuple[int, object, dict]:
	"""(HTTP status, body, extra headers); every refusal in GeoReport's error format."""
	method = "GET" if method == "HEAD" else method
	try:
		endpoint, code = open311_rules.match_route(path, method)
		return 200, HANDLERS[(endpoint, method)](code), {}
	except open311_rules.RouteNotFound:
		return refused(404, _("There is no Open311 endpoint at this address."))
	except open311_rules.MethodNotAllowed as error:
		return refused(
			405, _("Use {0} here.").format(" or ".join(error.allowed)), Allow=", ".join(error.allowed)
		)
	except endpoints.NotFound as error:
		return refused(404, str(error))
	except RuleViolation as violation:
		return refused(400, _(violation.message).format(**violation.params))
	except frappe.RateLimitExceededError:
		return refused(429, _("Too many requests from your address. Please try again later."))
	except frappe.ValidationError as error:  # the portal's refusals (frappe.throw)
		return refused(400, frappe.utils.strip_html(str(error)))
	except frappe.PermissionError:
		return refused(403, _("Not permitted."))
	except Exception:
		frappe.db.rollback()
		frappe.log_error(title="P3M Open311 request failed")
		frappe.db.commit()  # the Error Log only: the request's own writes were rolled back first
		return refused(500, _("The request could not be handled. Please try again later."))


def refused(code: int, description: str, **headers) -> tuple[int, list, dict]:
	frappe.db.rollback()
	frappe.local.message_log = []
	return code, open311_rules.error(code, description), headers
