"""A lost database connection is told apart from every other database error."""

import pytest

from p3m_app.core.db_outage import is_lost_connection


# the driver's (PyMySQL's) exception tree, by name: the rule reads names and codes only
class Error(Exception):
	pass


class DatabaseError(Error):
	pass


class InterfaceError(Error):
	pass


class OperationalError(DatabaseError):
	pass


class IntegrityError(DatabaseError):
	pass


class ProgrammingError(DatabaseError):
	pass


class InternalError(OperationalError):  # e.g. a subclass a driver might raise for a killed session
	pass


@pytest.mark.parametrize(
	"error",
	[
		OperationalError(2013, "Lost connection to MySQL server during query"),
		OperationalError(2006, "MySQL server has gone away"),
		OperationalError(2003, "Can't connect to MySQL server on '127.0.0.1'"),
		OperationalError(1927, "Connection was killed"),
		OperationalError(1053, "Server shutdown in progress"),
		InternalError(2013, "Lost connection"),
		InterfaceError(0, ""),
		InterfaceError(),
	],
)
def test_lost_connections(error):
	assert is_lost_connection(error)


@pytest.mark.parametrize(
	"error",
	[
		OperationalError(1054, "Unknown column 'x' in 'field list'"),
		OperationalError(1205, "Lock wait timeout exceeded"),
		OperationalError(),
		IntegrityError(1062, "Duplicate entry"),
		ProgrammingError(1064, "You have an error in your SQL syntax"),
		ValueError(2013),
		OSError(2006, "not a database error"),
	],
)
def test_other_errors_are_not_outages(error):
	assert not is_lost_connection(error)
