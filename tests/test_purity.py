"""The rule modules must stay importable without Frappe."""

import ast
from pathlib import Path

CORE = Path(__file__).resolve().parent.parent / "p3m_app" / "core"


def frappe_imports(path: Path) -> list[str]:
	tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
	found = []
	for node in ast.walk(tree):
		if isinstance(node, ast.Import):
			found += [alias.name for alias in node.names if alias.name.split(".")[0] == "frappe"]
		elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "frappe":
			found.append(node.module)
		elif isinstance(node, ast.Call) and getattr(node.func, "id", None) == "__import__":
			if (
				node.args
				and isinstance(node.args[0], ast.Constant)
				and str(node.args[0].value).startswith("frappe")
			):
				found.append(node.args[0].value)
	return found


def test_core_modules_exist():
	assert len(list(CORE.glob("*.py"))) >= 5


def test_no_core_module_imports_frappe():
	offenders = {p.name: frappe_imports(p) for p in CORE.glob("*.py") if frappe_imports(p)}
	assert offenders == {}


def test_checker_catches_frappe_imports(tmp_path):
	sample = tmp_path / "bad.py"
	sample.write_text("import os\nfrom frappe.utils import now\n")
	assert frappe_imports(sample) == ["frappe.utils"]
