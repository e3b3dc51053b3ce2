"""Which address a request comes from, for rate limits and logs.

A client can write any ``X-Forwarded-For`` it likes, so the header counts only when the
connection itself comes from a proxy the site trusts; then the nearest address in the chain
that is not a trusted proxy is the client. Without trusted proxies the socket address is used.
"""

from ipaddress import ip_address, ip_network


def parse_networks(entries) -> list:
	"""Trusted proxies as written in site config: addresses or CIDR ranges; bad entries are skipped."""
	if isinstance(entries, str):
		entries = [e for e in entries.replace(",", " ").split() if e]
	networks = []
	for entry in entries or []:
		try:
			networks.append(ip_network(str(entry).strip(), strict=False))
		except ValueError:
			continue
	return networks


def _parse(address: str | None):
	try:
		return ip_address((address or "").strip())
	except ValueError:
		return None


def _trusted(address, networks) -> bool:
	return address is not None and any(address in network for network in networks)


def client_address(socket_address: str | None, forwarded_for: str | None, trusted_proxies) -> str:
	"""The client's address: the socket peer, or, behind trusted proxies, the first untrusted hop."""
	networks = parse_networks(trusted_proxies)
	peer = _parse(socket_address)
	if peer is None:
		return "0.0.0.0"
	if not forwarded_for or not _trusted(peer, networks):
		return str(peer)
	# each proxy appends the address it received the request from: read from the right
	for hop in reversed([h for h in forwarded_for.split(",") if h.strip()]):
		address = _parse(hop)
		if address is None:
			# a hop we cannot read was written by someone we do not trust: stop at the last trusted one
			return str(peer)
		if not _trusted(address, networks):
			return str(address)
		peer = address
	return str(peer)
