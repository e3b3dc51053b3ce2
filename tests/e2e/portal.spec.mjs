// The citizen portal in a real browser: a guest submits a report, tracks it by its code, staff
// answer it (through the bench), the reporter objects and the report is reopened - on a desktop and
// on a phone (390 x 844, where most citizens arrive from an SMS or WhatsApp link). On the phone each
// page is also measured (tests/e2e/layout.mjs), and the portal pages at 360, 390 and 414 px wide.
// Run by tests/e2e/run.sh, which starts the server and sets:
//   P3M_E2E_URL     the portal, e.g. http://127.0.0.1:8011
//   P3M_E2E_SHOTS   directory for the screenshots
//   P3M_BENCH, P3M_SITE, P3M_BENCH_USER   where staff steps run (bench execute p3m_app.tests.e2e_support.*)
//   P3M_CHROMIUM    the browser (default /usr/bin/chromium); NODE_PATH must reach playwright-core
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";

import { layoutProblems } from "./layout.mjs";

const { chromium } = createRequire(import.meta.url)("playwright-core");

const BASE = process.env.P3M_E2E_URL || "http://127.0.0.1:8011";
const BENCH = process.env.P3M_BENCH || "/opt/p3m-bench";
const SITE = process.env.P3M_SITE || "test.p3m";
const BENCH_USER = process.env.P3M_BENCH_USER || "frappe";
const SHOTS = process.env.P3M_E2E_SHOTS || join(tmpdir(), `p3m-e2e-shots-${process.pid}`);
const CODE = /^[ABCDEFGHJKMNPQRSTVWXYZ2-9]{4}-[ABCDEFGHJKMNPQRSTVWXYZ2-9]{4}-[ABCDEFGHJKMNPQRSTVWXYZ2-9]{4}$/;
const STATUS = {
	received: /^(Received|Diterima)$/,
	answered: /^(Answered|Dijawab)$/,
	reopened: /^(Reopened|Dibuka kembali)$/,
};
const ANSWER = "Bantuan sudah ditransfer ke rekening Anda.";

const SCREENS = [
	{ label: "desktop", viewport: { width: 1280, height: 900 } },
	{ label: "phone", viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true },
];
const PHONE_WIDTHS = [360, 390, 414];

const values = (inputs) => inputs.map((input) => input.value);

function newReport(label) {
	const stamp = `${Date.now().toString(36)}${label[0]}`;
	return {
		subject: `E2E bantuan belum cair ${stamp}`,
		description: "Bantuan PKH tahap tiga belum diterima sampai sekarang.",
		chronology: "1 Oktober: pencairan diumumkan. 15 Oktober: saldo KKS masih kosong.",
		name: `Warga Uji ${stamp}`,
		email: `warga.${stamp}@example.org`,
		// written the way people do; stored as E.164, never shown on the tracking page
		phone: "0812.3456.7890",
	};
}

// Staff side: a function of p3m_app.tests.e2e_support run by the bench user; returns its JSON result.
function bench(fn, kwargs) {
	const command = [
		`${BENCH}/env/bin/bench`,
		...["--site", SITE, "execute", `p3m_app.tests.e2e_support.${fn}`, "--kwargs", JSON.stringify(kwargs)],
	];
	const [file, ...args] =
		process.getuid && process.getuid() === 0 ? ["runuser", "-u", BENCH_USER, "--", ...command] : command;
	const run = spawnSync(file, args, {
		cwd: BENCH,
		encoding: "utf8",
		timeout: 120_000,
		env: { PATH: "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin", LANG: "C.UTF-8", HOME: process.env.HOME || "/tmp" },
	});
	assert.equal(run.status, 0, `bench execute ${fn} failed: ${run.error || ""}\n${run.stdout}\n${run.stderr}`);
	const lines = run.stdout.trim().split("\n");
	return JSON.parse(lines[lines.length - 1]);
}

let shot = 0;

// One story per screen size: once a step fails, its later steps are skipped instead of failing too.
function story(screen) {
	const report = newReport(screen.label);
	const phone = Boolean(screen.isMobile);
	let browser;
	let page;
	let code;
	let broken = false;
	const pageErrors = [];
	const trackResponses = [];

	function step(name, fn) {
		it(name, async (t) => {
			if (broken) return t.skip("an earlier step failed");
			try {
				await fn();
			} catch (error) {
				broken = true;
				await screenshot("failed").catch(() => {});
				throw error;
			}
		});
	}

	async function screenshot(name) {
		shot += 1;
		const path = join(SHOTS, `${String(shot).padStart(2, "0")}-${screen.label}-${name}.png`);
		await page.screenshot({ path, fullPage: true });
		console.log(`screenshot: ${path}`);
	}

	async function text(selector) {
		return (await page.locator(selector).textContent()).trim();
	}

	// on the phone, every page of the story must be usable as it is
	async function assertUsable(where) {
		if (!phone) return;
		const problems = await layoutProblems(page);
		assert.deepEqual(problems, [], `${where} at ${page.viewportSize().width} px:\n${problems.join("\n")}`);
	}

	async function assertNoIdentity() {
		const html = await page.content();
		for (const secret of [report.name, report.email, report.phone, "+6281234567890", "0812-3456-7890"]) {
			assert.ok(!html.includes(secret), `the tracking page shows the reporter's ${secret}`);
		}
	}

	// a milestone not yet due has no date: it must not read "due" (or "batas") with nothing after it
	async function assertDeadlinesReadable() {
		const cells = await page.locator("#v-deadlines tr td:nth-child(2)").allTextContents();
		assert.ok(cells.length >= 1, "no time limits shown");
		for (const cell of cells) assert.doesNotMatch(cell.trim(), /^(due|batas)$/, `deadline without a date: ${cells}`);
	}

	async function waitForStatus(pattern) {
		await page.waitForFunction(
			([source, flags]) => new RegExp(source, flags).test(document.getElementById("v-status")?.textContent.trim()),
			[pattern.source, pattern.flags],
			{ timeout: 30_000 }
		);
	}

	const { width, height } = screen.viewport;
	describe(`citizen portal on a ${screen.label} (${width} x ${height})`, { concurrency: false }, () => {
		before(async () => {
			mkdirSync(SHOTS, { recursive: true });
			console.log(`screenshots go to ${SHOTS}`);
			browser = await chromium.launch({
				executablePath: process.env.P3M_CHROMIUM || "/usr/bin/chromium",
				headless: true,
				args: ["--no-sandbox", "--disable-dev-shm-usage"],
			});
			const { label, ...options } = screen;
			const context = await browser.newContext({ ...options, locale: "id-ID" });
			context.setDefaultTimeout(30_000);
			page = await context.newPage();
			page.on("pageerror", (error) => pageErrors.push(`${page.url()}: ${error.message}`));
			page.on("response", async (response) => {
				if (/p3m_app\.portal\.api\.(track|object_to_answer)/.test(response.url())) {
					trackResponses.push(await response.text().catch(() => ""));
				}
			});
		});

		after(async () => {
			await browser?.close();
		});

		step("a guest submits a report and gets a tracking code", async () => {
			await page.goto(`${BASE}/pengaduan`);
			await assertUsable("the empty form");
			await screenshot("form-empty");
			await page.check("input[name=classification][value=Pengaduan]");
			await page.fill("#subject", report.subject);
			await page.fill("#description", report.description);
			await page.fill("#chronology", report.chronology);
			await page.check("#id-named");
			await page.fill("#reporter_name", report.name);
			await page.fill("#reporter_email", report.email);
			await page.fill("#reporter_phone", report.phone);
			assert.equal(await page.getAttribute("#reporter_phone", "type"), "tel");
			await assertUsable("the filled form");
			await screenshot("form-filled");

			await page.click("#p3m-submit");
			await page.locator("#p3m-success:visible, #p3m-error:visible").first().waitFor();
			assert.ok(await page.isHidden("#p3m-error"), `the portal refused the report: ${await text("#p3m-error")}`);
			code = await text("#p3m-code");
			assert.match(code, CODE);
			assert.ok(await page.isHidden("#p3m-form"));
			assert.equal(
				await page.getAttribute("#p3m-track-link", "href"),
				`/pengaduan/lacak?code=${encodeURIComponent(code)}`
			);
			await assertUsable("the tracking code");
			await screenshot("tracking-code");
			console.log(`tracking code: ${code}`);
			assert.equal(bench("reporter_phone", { code }), "+6281234567890");
		});

		step("the code finds the report on the tracking page, without the reporter's identity", async () => {
			await page.goto(`${BASE}/pengaduan/lacak`);
			await page.fill("#code", code);
			await page.click("#p3m-track button[type=submit]");
			await page.locator("#p3m-view").waitFor();
			await waitForStatus(STATUS.received);
			assert.equal(await text("#v-code"), code);
			assert.equal(await text("#v-subject"), report.subject);
			assert.ok((await page.locator("#v-events tr").count()) >= 1, "no history shown");
			assert.ok(await page.isHidden("#p3m-object"), "objection offered before any answer");
			await assertNoIdentity();
			await assertDeadlinesReadable();
			await assertUsable("the tracked report");
			await screenshot("tracked-received");
		});

		step("staff answer it and the tracking page shows the answer", async () => {
			assert.equal(bench("answer", { code, response: `<p>${ANSWER}</p>` }), "Dijawab");
			await page.goto(`${BASE}/pengaduan/lacak?code=${encodeURIComponent(code)}`);
			await page.locator("#v-answer-box").waitFor();
			await waitForStatus(STATUS.answered);
			assert.equal(await page.inputValue("#code"), code);
			assert.equal(await text("#v-answer"), ANSWER);
			assert.ok(await page.isVisible("#p3m-object"), "no objection form under the answer");
			assert.ok(await page.isVisible("#p3m-rate"), "no rating form under the answer");
			await assertNoIdentity();
			await assertUsable("the answer with its rating and objection forms");
			await screenshot("tracked-answered");
		});

		step("the reporter objects and the report is reopened", async () => {
			await page.fill("#p3m-object textarea[name=reason]", "Dana belum masuk ke rekening saya.");
			await page.click("#p3m-object button[type=submit]");
			await waitForStatus(STATUS.reopened);
			await page.locator("#p3m-object").waitFor({ state: "hidden" });
			assert.ok(await page.isHidden("#p3m-message"), `error: ${await text("#p3m-message")}`);
			await assertNoIdentity();
			await assertDeadlinesReadable();
			await assertUsable("the reopened report");
			await screenshot("tracked-reopened");
			assert.equal(bench("state", { code }), "Dibuka Kembali");
		});

		if (phone) {
			const widths = PHONE_WIDTHS.join(", ");
			step(`at ${widths} px the pages need no sideways scrolling, keep controls by their labels, 44 px targets`, async () => {
				const pages = ["/pengaduan", `/pengaduan/lacak?code=${encodeURIComponent(code)}`, "/pengaduan/statistik"];
				const problems = [];
				for (const width of PHONE_WIDTHS) {
					await page.setViewportSize({ width, height: 844 });
					for (const path of pages) {
						await page.goto(`${BASE}${path}`);
						if (path.includes("lacak")) await waitForStatus(STATUS.reopened);
						// the form shows other fields for each kind of report
						const kinds = path === "/pengaduan" ? await page.locator("input[name=classification]").evaluateAll(values) : [null];
						for (const kind of kinds) {
							if (kind) await page.check(`input[name=classification][value="${kind}"]`);
							const where = `${path}${kind ? ` (${kind})` : ""} at ${width} px`;
							for (const problem of await layoutProblems(page)) problems.push(`${where}: ${problem}`);
						}
						if (width !== 390) await screenshot(`${path.split("?")[0].replaceAll("/", "_")}-${width}`);
					}
				}
				assert.deepEqual(problems, []);
			});
		}

		step("no tracking response carries the reporter's identity, and no page script failed", () => {
			assert.ok(trackResponses.length >= 3, `only ${trackResponses.length} tracking responses seen`);
			for (const body of trackResponses) {
				assert.ok(!body.includes(report.name) && !body.includes(report.email), `identity in ${body}`);
				assert.ok(!body.includes("+6281234567890") && !body.includes("0812-3456-7890"), `phone in ${body}`);
			}
			assert.deepEqual(pageErrors, []);
		});
	});
}

for (const screen of SCREENS) story(screen);
