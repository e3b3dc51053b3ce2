// A desk user prints a letter to the reporter as PDF through Frappe's own print route, and the
// PDF's text carries the letter's title and the tracking code; an officer of another unit is refused.
// Run by tests/e2e/run.sh (same variables as portal.spec.mjs). The PDF's text is read with pypdf
// from the bench's own Python (Frappe depends on it).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";

const { chromium } = createRequire(import.meta.url)("playwright-core");

const BASE = process.env.P3M_E2E_URL || "http://127.0.0.1:8011";
const BENCH = process.env.P3M_BENCH || "/opt/p3m-bench";
const SITE = process.env.P3M_SITE || "test.p3m";
const BENCH_USER = process.env.P3M_BENCH_USER || "frappe";
const FORMAT = "Surat Hasil Penanganan Pengaduan";
const TITLE = "Hasil Penanganan Pengaduan";

function run(file, args) {
	const [cmd, ...rest] =
		process.getuid && process.getuid() === 0 ? ["runuser", "-u", BENCH_USER, "--", file, ...args] : [file, ...args];
	return spawnSync(cmd, rest, {
		cwd: BENCH,
		encoding: "utf8",
		timeout: 120_000,
		env: { PATH: "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin", LANG: "C.UTF-8", HOME: process.env.HOME || "/tmp" },
	});
}

function bench(fn, kwargs) {
	const out = run(`${BENCH}/env/bin/bench`, [
		...["--site", SITE, "execute", `p3m_app.tests.e2e_support.${fn}`, "--kwargs", JSON.stringify(kwargs)],
	]);
	assert.equal(out.status, 0, `bench execute ${fn} failed: ${out.error || ""}\n${out.stdout}\n${out.stderr}`);
	const lines = out.stdout.trim().split("\n");
	return JSON.parse(lines[lines.length - 1]);
}

function pdfText(bytes) {
	const dir = mkdtempSync(join(tmpdir(), "p3m-letter-"));
	const path = join(dir, "letter.pdf");
	writeFileSync(path, bytes);
	spawnSync("chmod", ["-R", "a+rX", dir]);
	const script = "import sys, pypdf; print(' '.join(p.extract_text() for p in pypdf.PdfReader(sys.argv[1]).pages))";
	const out = run(`${BENCH}/env/bin/python`, ["-c", script, path]);
	assert.equal(out.status, 0, `pypdf failed: ${out.stderr}`);
	return out.stdout.replace(/\s+/g, " ");
}

async function login(browser, user, password) {
	const context = await browser.newContext({ locale: "id-ID" });
	const response = await context.request.post(`${BASE}/api/method/login`, { form: { usr: user, pwd: password } });
	assert.equal(response.status(), 200, `login of ${user} failed`);
	return context;
}

describe("letters to the reporter", { concurrency: false }, () => {
	let browser;
	let info;
	const url = () =>
		`${BASE}/api/method/frappe.utils.print_format.download_pdf?doctype=Complaint` +
		`&name=${encodeURIComponent(info.name)}&format=${encodeURIComponent(FORMAT)}`;

	before(async () => {
		info = bench("letter_complaint", {});
		browser = await chromium.launch({
			executablePath: process.env.P3M_CHROMIUM || "/usr/bin/chromium",
			headless: true,
			args: ["--no-sandbox", "--disable-dev-shm-usage"],
		});
	});

	after(async () => {
		await browser?.close();
	});

	it("the holding unit's officer prints the result letter as PDF", async () => {
		const context = await login(browser, info.officer, info.password);
		const response = await context.request.get(url());
		assert.equal(response.status(), 200, await response.text());
		assert.match(response.headers()["content-type"] || "", /pdf/);
		const text = pdfText(await response.body());
		assert.ok(text.includes(TITLE), `the PDF lacks the title: ${text.slice(0, 400)}`);
		assert.ok(text.includes(info.code), `the PDF lacks the tracking code ${info.code}`);
		await context.close();
	});

	it("an officer of another unit cannot print it", async () => {
		const context = await login(browser, info.outsider, info.password);
		const response = await context.request.get(url());
		assert.equal(response.status(), 403);
		await context.close();
	});
});
