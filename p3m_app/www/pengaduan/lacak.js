(() => {
	const trackForm = document.getElementById("p3m-track");
	if (!trackForm) return;
	const labels = window.p3m_labels;
	let currentCode = "";

	function fill(id, value) {
		document.getElementById(id).textContent = value || "";
	}
	function show(id, visible) {
		document.getElementById(id).style.display = visible ? "" : "none";
	}
	function message(text) {
		fill("p3m-message", text);
		show("p3m-message", !!text);
	}

	function render(view) {
		if (!view.found) {
			show("p3m-view", false);
			message(view.message);
			return;
		}
		message("");
		currentCode = view.tracking_code;
		fill("v-subject", view.subject);
		fill("v-code", view.tracking_code);
		fill("v-status", view.status);
		fill("v-unit", view.unit);
		fill("v-classification", view.classification);
		fill("v-needed", view.information_needed);
		show("v-needed", !!view.information_needed);
		// the answer is sanitised on the server
		document.getElementById("v-answer").innerHTML = view.answer || "";
		show("v-answer-box", !!view.answer);
		const events = document.getElementById("v-events");
		events.replaceChildren(
			...view.events.map((e) => {
				const row = document.createElement("tr");
				row.append(p3m.text("td", e.at.slice(0, 16), "text-nowrap"), p3m.text("td", e.text));
				return row;
			})
		);
		const deadlines = document.getElementById("v-deadlines");
		deadlines.replaceChildren(
			...view.deadlines.map((d) => {
				const row = document.createElement("tr");
				row.append(p3m.text("td", d.milestone), p3m.text("td", d.met ? labels.met : d.due ? labels.due.replace("{0}", d.due) : ""));
				return row;
			})
		);
		// the handling checklist: step text and the day it was done, nothing else
		const steps = view.handling_steps;
		fill("v-steps-summary", steps ? steps.summary : "");
		document.getElementById("v-steps").replaceChildren(
			...(steps ? steps.steps : []).map((s, i) => {
				const row = document.createElement("tr");
				row.append(p3m.text("td", `${i + 1}.`), p3m.text("td", s.step), p3m.text("td", s.status, s.done ? "text-success text-nowrap" : "text-muted text-nowrap"));
				return row;
			})
		);
		show("v-steps-box", !!steps);
		show("p3m-add-info", view.can_add_information);
		show("p3m-rate", view.can_rate);
		show("p3m-object", view.can_object);
		fill("v-object-until", view.object_until ? labels.objectUntil.replace("{0}", view.object_until.slice(0, 16)) : "");
		fill("v-rated", view.rating ? labels.rated.replace("{0}", view.rating) : "");
		show("v-rated", !!view.rating);
		show("p3m-view", true);
	}

	async function call(method, data) {
		try {
			render(await p3m.post(method, data));
		} catch (err) {
			message(err.message);
		}
	}

	function track(code) {
		const data = new FormData();
		data.append("code", code);
		return call("track", data);
	}

	trackForm.addEventListener("submit", (e) => {
		e.preventDefault();
		track(trackForm.code.value);
	});

	for (const [id, method] of [["p3m-add-info", "add_information"], ["p3m-rate", "rate"], ["p3m-object", "object_to_answer"]]) {
		const form = document.getElementById(id);
		form.addEventListener("submit", async (e) => {
			e.preventDefault();
			const data = new FormData(form);
			data.append("code", currentCode);
			form.querySelector("button").disabled = true;
			await call(method, data);
			form.querySelector("button").disabled = false;
			form.reset();
		});
	}

	const initial = new URLSearchParams(window.location.search).get("code");
	if (initial) {
		trackForm.code.value = initial;
		track(initial);
	}
})();
