"""The production layout on 127.0.0.1 for the run: gunicorn (4 workers, preloaded), 2 RQ workers
on the default, short and long queues, and the scheduler - each in its own process group, all
stopped at the end (RQ's work horses run in sessions of their own and are stopped with them).

Everything runs from the sites directory the driver was started in; tests/load_faults.sh makes
a private one (this site only, a private Redis for the queues) so the scheduler and workers never
touch the other sites of a shared bench.
"""

import os
import signal
import subprocess
import sys
import time

import frappe
import psutil
import requests

WORKER_QUEUES = "default,short,long"


class Stack:
	def __init__(self, port: int, log_dir: str):
		self.port = port
		self.log_dir = log_dir
		self.sites = os.path.abspath(frappe.local.sites_path)
		self.procs: dict[str, subprocess.Popen] = {}
		self.host = frappe.local.site

	@property
	def base(self) -> str:
		return f"http://127.0.0.1:{self.port}"

	def spawn(self, name: str, args: list[str]) -> subprocess.Popen:
		log = open(os.path.join(self.log_dir, f"{name}.log"), "ab")
		env = {**os.environ, "PYTHONUNBUFFERED": "1"}
		proc = subprocess.Popen(
			args, cwd=self.sites, stdout=log, stderr=subprocess.STDOUT, start_new_session=True, env=env
		)
		self.procs[name] = proc
		return proc

	def bench(self, *args: str) -> list[str]:
		return [sys.executable, "-m", "frappe.utils.bench_helper", "frappe", *args]

	def start_web(self) -> None:
		gunicorn = os.path.join(os.path.dirname(sys.executable), "gunicorn")
		self.spawn(
			"web",
			[
				gunicorn,
				"-b",
				f"127.0.0.1:{self.port}",
				"-w",
				"4",
				"-t",
				"120",
				"frappe.app:application",
				"--preload",
			],
		)
		self.wait_for_web()

	def wait_for_web(self, seconds: float = 60) -> None:
		deadline = time.monotonic() + seconds
		while time.monotonic() < deadline:
			try:
				if requests.get(f"{self.base}/api/method/ping", headers={"Host": self.host}, timeout=2).ok:
					return
			except requests.RequestException:
				pass
			time.sleep(0.3)
		raise RuntimeError(f"gunicorn did not answer on {self.base}")

	def start_worker(self, name: str) -> None:
		self.spawn(name, self.bench("worker", "--queue", WORKER_QUEUES))

	def start_workers(self, count: int = 2) -> None:
		for i in range(1, count + 1):
			self.start_worker(f"worker{i}")
		time.sleep(3)  # let them register with Redis before jobs arrive

	def start_scheduler(self) -> None:
		self.spawn("scheduler", self.bench("schedule"))

	def start_all(self) -> None:
		self.start_web()
		self.start_workers()
		self.start_scheduler()

	def workers(self) -> dict[str, subprocess.Popen]:
		return {name: p for name, p in self.procs.items() if name.startswith("worker") and p.poll() is None}

	def horses(self) -> list[psutil.Process]:
		"""RQ's work horses: the forked children that run the jobs."""
		found = []
		for proc in self.workers().values():
			try:
				found += psutil.Process(proc.pid).children()
			except psutil.NoSuchProcess:
				pass
		return found

	def process_on_port(self, local_port: int) -> psutil.Process | None:
		"""The worker or horse whose database connection leaves from this local port."""
		candidates = []
		for proc in self.procs.values():
			try:
				parent = psutil.Process(proc.pid)
				candidates += [parent, *parent.children(recursive=True)]
			except psutil.NoSuchProcess:
				continue
		for candidate in candidates:
			try:
				if any(c.laddr and c.laddr.port == local_port for c in candidate.connections("tcp")):
					return candidate
			except psutil.NoSuchProcess:
				continue
		return None

	def stop(self, name: str) -> None:
		proc = self.procs.pop(name, None)
		if not proc:
			return
		try:
			children = psutil.Process(proc.pid).children(recursive=True)
		except psutil.NoSuchProcess:
			children = []
		terminate_group(proc.pid, signal.SIGTERM)
		try:
			proc.wait(20)
		except subprocess.TimeoutExpired:
			terminate_group(proc.pid, signal.SIGKILL)
			proc.wait(10)
		for child in children:  # horses live in sessions of their own
			if child.is_running():
				child.kill()

	def stop_all(self) -> None:
		for name in list(self.procs):
			self.stop(name)


def terminate_group(pid: int, sig: int) -> None:
	try:
		os.killpg(pid, sig)
	except ProcessLookupError:
		pass
