"""Every message the app shows has an Indonesian translation in id.csv."""

import ast
import csv
from pathlib import Path

APP = Path(__file__).resolve().parent.parent / "p3m_app"


def translated_sources() -> set[str]:
	with open(APP / "translations" / "id.csv", encoding="utf-8", newline="") as f:
		return {row[0] for row in csv.reader(f) if row and row[1].strip()}


def marked_strings() -> set[str]:
	found = set()
	for path in APP.rglob("*.py"):
		if path.name.startswith("test_") or "tests" in path.parts:
			continue
		for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
			if (
				isinstance(node, ast.Call)
				and getattr(node.func, "id", None) == "_"
				and node.args
				and isinstance(node.args[0], ast.Constant)
			):
				found.add(node.args[0].value)
	return found


def test_every_marked_message_is_translated():
	missing = sorted(marked_strings() - translated_sources())
	assert missing == []


def test_workflow_actions_are_translated():
	from p3m_app.core import workflow_rules as wf

	actions = {t.action for t in wf.transitions().values()}
	assert actions - translated_sources() == set()
