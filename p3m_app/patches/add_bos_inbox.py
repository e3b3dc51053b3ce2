"""Existing sites get the BOS example inbox once (new sites at install); their general complaint
inbox is left as it is. Deleting the BOS inbox afterwards is respected: migrate does not re-create it."""

from p3m_app.intake import mailboxes


def execute():
	mailboxes.ensure_bos_inbox()
