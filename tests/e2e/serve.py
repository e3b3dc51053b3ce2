"""Serve a bench's Frappe sites with werkzeug's dev server, on 127.0.0.1 only, for the browser test.

frappe.app.serve() binds 0.0.0.0; this launcher replaces werkzeug.serving.run_simple so the server
listens on loopback, without the reloader and without the interactive debugger. Run it as the bench
user with the bench's own python, e.g.

    cd /opt/p3m-bench/sites && runuser -u frappe -- /opt/p3m-bench/env/bin/python \
        /work/main/tests/e2e/serve.py --port 8011 --site test.p3m
"""

import argparse
import os
import sys

HOST = "127.0.0.1"


def main() -> None:
	parser = argparse.ArgumentParser(
		description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
	)
	parser.add_argument("--port", type=int, default=8011)
	parser.add_argument("--site", required=True, help="serve this site whatever the Host header says")
	parser.add_argument(
		"--sites-path",
		default=os.path.join(os.environ.get("P3M_BENCH", "/opt/p3m-bench"), "sites"),
		help="the bench's sites directory (default $P3M_BENCH/sites)",
	)
	args = parser.parse_args()

	sites_path = os.path.abspath(args.sites_path)
	os.chdir(sites_path)  # frappe expects to run from the sites directory
	if sites_path not in sys.path:
		sys.path.insert(0, sites_path)

	import werkzeug.serving

	run_simple = werkzeug.serving.run_simple

	def run_on_loopback(hostname, port, application, **kwargs):
		kwargs.update(use_reloader=False, use_debugger=False, use_evalex=False)
		return run_simple(HOST, port, application, **kwargs)

	werkzeug.serving.run_simple = run_on_loopback

	import frappe.app

	frappe.app.serve(port=args.port, no_reload=True, site=args.site, sites_path=".")


if __name__ == "__main__":
	main()
