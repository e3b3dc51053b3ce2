"""The one error type the pure rules raise, carrying an untranslated message.

Adapters translate ``message`` with ``frappe._`` and format it with ``params``; the
``_`` marker below only tags strings so Frappe's extractor puts them in id.csv.
"""


def _(text: str) -> str:
	"""Mark a source string for translation; the adapter translates it."""
	return text


class RuleViolation(Exception):
	def __init__(self, message: str, **params):
		super().__init__(message.format(**params) if params else message)
		self.message = message
		self.params = params
