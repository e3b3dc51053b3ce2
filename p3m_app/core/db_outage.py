"""Is this database error a lost connection (server restarting, gone away, connection killed)?

The portal answers such a failure with "please try again" instead of a bare server error; any
other database error is a defect and stays one. Judged by the driver's error class and code, so
this stays free of Frappe and of the driver itself.
"""

# MariaDB / MySQL client and server codes that mean "no connection to the server right now"
LOST_CONNECTION_CODES = frozenset(
	{
		1053,  # ER_SERVER_SHUTDOWN: the server is shutting down
		1927,  # ER_CONNECTION_KILLED (MariaDB)
		2002,  # CR_CONNECTION_ERROR: cannot connect through the socket
		2003,  # CR_CONN_HOST_ERROR: cannot connect to the host
		2006,  # CR_SERVER_GONE_ERROR
		2013,  # CR_SERVER_LOST: lost connection during a query
		2055,  # CR_SERVER_LOST_EXTENDED
	}
)
_DRIVER_ERRORS = ("OperationalError", "InterfaceError")


def is_lost_connection(error: BaseException) -> bool:
	"""True for a driver error that says the connection is gone; False for everything else."""
	names = {cls.__name__ for cls in type(error).__mro__}
	if not names.intersection(_DRIVER_ERRORS):
		return False
	code = error.args[0] if error.args else None
	if "InterfaceError" in names:
		# the driver refuses to use a connection it already closed: InterfaceError(0, "")
		return code in (0, None) or code in LOST_CONNECTION_CODES
	return code in LOST_CONNECTION_CODES
