// What "usable on a phone" means for the portal, measured in the page: no sideways scrolling,
// each radio button or checkbox on the first line of its own label (not above it), and touch
// targets - text inputs, selects, buttons, the language links and the label boxes of radios and
// checkboxes - at least 44 px high (WCAG 2.5.5; Apple and Android guidelines).
export const MIN_TARGET = 44;

// returns a list of readable problems, empty when the page is fine
export async function layoutProblems(page) {
	// a phone browser widens its layout viewport to fit what sticks out (window.innerWidth grows too),
	// so the page is measured against the screen's width, not against itself
	const screenWidth = page.viewportSize().width;
	return page.evaluate(([minTarget, width]) => {
		const problems = [];
		const name = (el) =>
			`${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ""}${el.name ? `[name=${el.name}]` : ""}` +
			(el.className && typeof el.className === "string" ? `.${el.className.trim().split(/\s+/).join(".")}` : "");
		const shown = (el) => {
			const box = el.getBoundingClientRect();
			const style = getComputedStyle(el);
			return box.width > 0 && box.height > 0 && style.visibility !== "hidden" && !el.closest("[aria-hidden=true]");
		};
		const content = document.querySelector("main") || document.body;

		const pageWidth = Math.max(document.documentElement.scrollWidth, window.innerWidth);
		if (pageWidth > width) {
			problems.push(`the page is ${pageWidth} px wide on a ${width} px screen`);
			// what widens it: a box past the screen's edge, or the innermost element whose text overflows it
			const all = [...document.body.querySelectorAll("*")].filter(shown);
			const past = all.filter((el) => el.getBoundingClientRect().right > width + 0.5);
			const overflowing = all.filter(
				(el) => el.scrollWidth > el.clientWidth + 8 && getComputedStyle(el).overflowX === "visible"
			);
			const innermost = overflowing.filter((el) => !overflowing.some((other) => other !== el && el.contains(other)));
			for (const el of [...past, ...innermost].slice(0, 5)) {
				problems.push(`  too wide: ${name(el)} "${el.textContent.trim().slice(0, 40)}"`);
			}
		}

		for (const control of content.querySelectorAll("input[type=radio], input[type=checkbox]")) {
			if (!shown(control)) continue;
			const label = (control.id && document.querySelector(`label[for="${control.id}"]`)) || control.closest("label");
			if (!label) {
				problems.push(`no label: ${name(control)}`);
				continue;
			}
			const range = document.createRange();
			range.selectNodeContents(label);
			const firstLine = [...range.getClientRects()].find((r) => r.width > 0 && r.height > 0);
			const box = control.getBoundingClientRect();
			const middle = box.top + box.height / 2;
			if (!firstLine || middle < firstLine.top - 2 || middle > firstLine.bottom + 2 || box.left > firstLine.left) {
				problems.push(`${name(control)} is not on the line of its label "${label.textContent.trim().slice(0, 30)}"`);
			}
			const target = label.getBoundingClientRect();
			if (target.height < minTarget - 0.5) {
				problems.push(`the label box of ${name(control)} is ${Math.round(target.height)} px high`);
			}
		}

		const targets = content.querySelectorAll(
			"input:not([type=radio]):not([type=checkbox]):not([type=hidden]), select, textarea, button, .btn, .p3m-lang a"
		);
		for (const el of targets) {
			if (!shown(el)) continue;
			const height = el.getBoundingClientRect().height;
			if (height < minTarget - 0.5) problems.push(`${name(el)} is ${Math.round(height)} px high`);
		}
		return problems;
	}, [MIN_TARGET, screenWidth]);
}
