import pytest

from p3m_app.core import intake_rules as ir
from p3m_app.core.errors import RuleViolation


def test_anonymous_complaints_refuse_identity():
	ir.check_identity({"is_anonymous": 1})
	for fieldname in ir.IDENTITY_FIELDS:
		with pytest.raises(RuleViolation, match="anonymous complaint cannot carry"):
			ir.check_identity({"is_anonymous": 1, fieldname: "x"})
	ir.check_identity({"is_anonymous": 1, "reporter_name": "   "})


def test_phone_and_nik_formats():
	ir.check_identity({"reporter_phone": "+62 812-3456-7890", "reporter_id_number": "3201234567890001"})
	with pytest.raises(RuleViolation, match="Phone number"):
		ir.check_identity({"reporter_phone": "call me"})
	with pytest.raises(RuleViolation, match="Phone number"):
		ir.check_channel_fields({"caller_number": "call me"})
	ir.check_identity({"reporter_phone": "call me"}, stored={"reporter_phone": "call me"})  # an old value
	with pytest.raises(RuleViolation, match="16 digits"):
		ir.check_identity({"reporter_id_number": "12345"})


def test_oversize_text_is_refused_with_the_field_label():
	ir.check_lengths({"subject": "x" * 140})
	with pytest.raises(RuleViolation, match="Subject is too long: 141 characters, at most 140"):
		ir.check_lengths({"subject": "x" * 141}, {"subject": "Subject"})


def test_audit_findings_need_auditor_and_reference():
	with pytest.raises(RuleViolation, match="auditor"):
		ir.check_channel_fields({"channel": "Audit Finding"})
	with pytest.raises(RuleViolation, match="report reference"):
		ir.check_channel_fields({"channel": "Audit Finding", "audit_source": "BPK"})
	ir.check_channel_fields(
		{"channel": "Audit Finding", "audit_source": "BPK", "audit_report_reference": "LHP 1"}
	)
	ir.check_channel_fields({"channel": "Phone"})
