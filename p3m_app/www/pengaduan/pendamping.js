(() => {
	const form = document.getElementById("p3m-form");
	if (!form) return;
	const newId = () => (crypto.randomUUID && crypto.randomUUID()) || String(Math.random()).slice(2) + Date.now();
	let submissionId = newId();

	const checked = (name) => form.querySelector(`input[name=${name}]:checked`).value;
	function refresh() {
		const kind = form.querySelector("#classification").value;
		document.getElementById("p3m-chronology").style.display = kind === "Aspirasi" ? "none" : "";
		document.getElementById("p3m-identity").style.display = checked("identity") === "anonymous" ? "none" : "";
	}
	form.addEventListener("change", refresh);
	refresh();

	document.getElementById("p3m-again").addEventListener("click", () => {
		form.reset();
		submissionId = newId();
		refresh();
		document.getElementById("p3m-success").style.display = "none";
		form.style.display = "";
		window.scrollTo(0, 0);
	});

	form.addEventListener("submit", async (e) => {
		e.preventDefault();
		const error = document.getElementById("p3m-error");
		const button = document.getElementById("p3m-submit");
		error.style.display = "none";
		const identity = checked("identity");
		const data = new FormData();
		for (const el of form.elements) {
			if (!el.name || el.type === "radio" || el.type === "file") continue;
			if (identity === "anonymous" && el.closest("#p3m-identity")) continue;
			if (el.name === "chronology" && form.querySelector("#classification").value === "Aspirasi") continue;
			data.append(el.name, el.value);
		}
		data.append("recorded_via", checked("recorded_via"));
		data.append("is_anonymous", identity === "anonymous" ? "1" : "0");
		data.append("is_confidential", identity === "confidential" ? "1" : "0");
		data.append("submission_id", submissionId);
		for (const file of form.querySelector("#attachments").files) data.append("attachments", file, file.name);
		button.disabled = true;
		try {
			const response = await fetch("/api/method/p3m_app.portal.pendamping.record", {
				method: "POST",
				body: data,
				headers: { "X-Frappe-CSRF-Token": (window.frappe && frappe.csrf_token) || "", Accept: "application/json" },
			});
			let body = {};
			try { body = await response.json(); } catch (err) { /* not JSON */ }
			if (!response.ok) throw new Error(p3m.errorText(body, response.status));
			form.style.display = "none";
			document.getElementById("p3m-code").textContent = body.message.tracking_code;
			document.getElementById("p3m-success").style.display = "";
			window.scrollTo(0, 0);
		} catch (err) {
			error.textContent = err.message;
			error.style.display = "";
			error.scrollIntoView();
		} finally {
			button.disabled = false;
		}
	});
})();
