"""Existing sites get the guideline's meeting rhythm on Unit Level (seed 004 lines 248-250, 370)."""


def execute():
	from p3m_app.meeting_rhythm import ensure_shipped_intervals

	ensure_shipped_intervals()
