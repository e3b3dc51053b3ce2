from p3m_app.core import unit_scope

# Pusat(1,14) > ProvA(2,7) > KabA1(3,4), KabA2(5,6); ProvB(8,13) > KabB1(9,10), KabB2(11,12)
PUSAT, PROV_A, KAB_A1, KAB_A2, PROV_B, KAB_B1 = (1, 14), (2, 7), (3, 4), (5, 6), (8, 13), (9, 10)


def test_nested_ranges_collapse_into_the_outer_one():
	assert unit_scope.merge_bounds([KAB_A1, PROV_A, KAB_A2]) == [PROV_A]
	assert unit_scope.merge_bounds([KAB_B1, KAB_A1]) == [KAB_A1, KAB_B1]
	assert unit_scope.merge_bounds([]) == []


def test_a_province_reaches_its_districts_but_not_its_sibling():
	bounds = unit_scope.merge_bounds([PROV_A])
	assert unit_scope.contains(bounds, PROV_A[0])
	assert unit_scope.contains(bounds, KAB_A2[0])
	assert not unit_scope.contains(bounds, PROV_B[0])
	assert not unit_scope.contains(bounds, KAB_B1[0])
	assert not unit_scope.contains(bounds, PUSAT[0])


def test_a_district_officer_never_reaches_a_sibling_district():
	bounds = [KAB_A1]
	assert unit_scope.contains(bounds, KAB_A1[0])
	assert not unit_scope.contains(bounds, KAB_A2[0])
	assert not unit_scope.contains(bounds, None)


def test_sql_condition_is_empty_without_units_and_uses_integer_ranges():
	assert unit_scope.sql_condition("`tabComplaint`.current_unit", []) == "1=0"
	sql = unit_scope.sql_condition("`tabComplaint`.current_unit", [PROV_A, KAB_B1])
	assert "scope_unit.lft >= 2 and scope_unit.lft <= 7" in sql
	assert "scope_unit.lft >= 9 and scope_unit.lft <= 10" in sql
	assert sql.startswith("`tabComplaint`.current_unit in (select")
