from p3m_app.core import public_stats as ps


def test_rate_keeps_its_counts():
	assert ps.rate(17, 20) == {"part": 17, "whole": 20, "percent": 85.0}
	assert ps.rate(0, 0)["percent"] is None


def test_one_lucky_case_is_not_ranked():
	rows = [
		{"unit": "Kab Lucky", "answered": 1, "on_time": 1},
		{"unit": "Kab Busy", "answered": 200, "on_time": 180},
		{"unit": "Kab Steady", "answered": 40, "on_time": 38},
	]
	ranked, unranked = ps.league(rows, min_volume=20)
	assert [r["unit"] for r in ranked] == ["Kab Steady", "Kab Busy"]
	assert [r["rank"] for r in ranked] == [1, 2]
	assert [r["unit"] for r in unranked] == ["Kab Lucky"]
	assert "rank" not in unranked[0]
