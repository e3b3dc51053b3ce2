"""Every whitelisted method of the installed apps, as the dotted names a request would call.

Importing every module of each installed app's package fills ``frappe.whitelisted`` with what a
request could call; test modules are skipped, and modules that fail to import are counted. A
function is named where it is defined (``module.function``, ``module.Class.method`` for a
Document method run through ``run_doc_method``); a whitelisted closure, which has no such
name, is named by the module attribute that holds it.
"""

import importlib
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from types import FunctionType

import frappe

CLASSIFICATION_FILE = Path(__file__).with_name("whitelisted_methods.json")

# what each category means; every whitelisted method is exactly one of these
CATEGORIES = {
	"leak-tested": "reads or counts documents; the leak suite calls it as every probe user",
	"write-probed": "widens who reads or follows a complaint, or moves its data; a write probe expects a refusal",
	"no-document-data": "UI, meta, translations, boot, session, own settings: answers with no document data",
	"system-manager-only": "refused before it reads unless the user is a System Manager or Administrator",
	"write-only": "changes something and answers with no other document's data",
	"guest-public": "portal or website endpoint whose answer is public by design or is the caller's own",
	"app-endpoint": "a p3m_app method with its own permission check and tests of its own",
	"not-applicable": "needs a doctype, feature or integration P3M data never goes through",
}


def is_test_module(name: str) -> bool:
	parts = name.split(".")
	return any(p in ("tests", "test", "testing", "_test") or p.startswith("test_") for p in parts)


@dataclass
class Inventory:
	methods: set[str] = field(default_factory=set)
	imported: int = 0
	failed: dict[str, str] = field(default_factory=dict)


def module_names(app: str) -> list[str]:
	"""Every Python module under the app's package, found on disk: Frappe imports doctype folders
	without an ``__init__.py`` as namespace packages, which ``pkgutil.walk_packages`` skips."""
	root = Path(importlib.import_module(app).__file__).parent
	names = []
	for path in sorted(root.rglob("*.py")):
		parts = path.relative_to(root).with_suffix("").parts
		if any(part.startswith(".") or part in ("__pycache__", "node_modules") for part in parts):
			continue
		if parts[-1] == "__init__":
			parts = parts[:-1]
		names.append(".".join((app, *parts)))
	return names


def collect(apps: list[str] | None = None) -> Inventory:
	"""Import every (non-test) module of the apps and name the whitelisted functions."""
	apps = list(apps or frappe.get_installed_apps())
	inventory = Inventory()
	for app in apps:
		for name in module_names(app):
			if is_test_module(name):
				continue
			try:
				importlib.import_module(name)
				inventory.imported += 1
			except BaseException as error:  # a module may sys.exit or need an optional dependency
				inventory.failed[name] = f"{type(error).__name__}: {error}"[:200]
	whitelisted = {id(getattr(fn, "__func__", fn)) for fn in frappe.whitelisted}

	def in_apps(module: str) -> bool:
		return any(module == app or module.startswith(f"{app}.") for app in apps)

	for fn in frappe.whitelisted:
		fn = getattr(fn, "__func__", fn)
		module, qualname = getattr(fn, "__module__", "") or "", getattr(fn, "__qualname__", "")
		if in_apps(module) and "<locals>" not in qualname and not is_test_module(module):
			inventory.methods.add(f"{module}.{qualname}")
	# closures (a factory's inner function) are reachable only as a module attribute
	for name, module in list(sys.modules.items()):
		if not in_apps(name) or is_test_module(name) or module is None:
			continue
		for attr, value in list(vars(module).items()):
			if type(value) is not FunctionType:  # not isinstance: frappe's module holds LocalProxy objects
				continue
			if id(value) in whitelisted and "<locals>" in value.__qualname__:
				inventory.methods.add(f"{name}.{attr}")
	return inventory


def load_classification() -> dict[str, dict]:
	"""{dotted name: {"category": ..., "reason": ...}} from the committed file."""
	return json.loads(CLASSIFICATION_FILE.read_text())["methods"]
