(() => {
	const form = document.getElementById("p3m-form");
	if (!form) return;
	const submissionId = (crypto.randomUUID && crypto.randomUUID()) || String(Math.random()).slice(2) + Date.now();

	function classification() {
		return form.querySelector("input[name=classification]:checked").value;
	}
	function identity() {
		return form.querySelector("input[name=identity]:checked").value;
	}
	function refresh() {
		const kind = classification();
		form.querySelectorAll("[data-for]").forEach((el) => {
			el.style.display = el.dataset.for.split(" ").includes(kind) ? "" : "none";
		});
		form.querySelectorAll("[data-required-for]").forEach((el) => {
			el.style.display = el.dataset.requiredFor.split(" ").includes(kind) ? "" : "none";
		});
		const anonymous = form.querySelector("#id-anonymous");
		if (kind === "Whistleblowing" && identity() === "named") {
			form.querySelector("#id-confidential").checked = true;
		}
		form.querySelector("#id-named").disabled = kind === "Whistleblowing";
		document.getElementById("p3m-identity").style.display = anonymous.checked ? "none" : "";
	}
	form.addEventListener("change", refresh);
	refresh();

	form.addEventListener("submit", async (e) => {
		e.preventDefault();
		const error = document.getElementById("p3m-error");
		const button = document.getElementById("p3m-submit");
		error.style.display = "none";
		const data = new FormData();
		const kind = classification();
		for (const el of form.elements) {
			if (!el.name || el.type === "radio" || el.type === "file") continue;
			const holder = el.closest("[data-for]");
			if (holder && !holder.dataset.for.split(" ").includes(kind)) continue;
			if (identity() === "anonymous" && el.closest("#p3m-identity")) continue;
			data.append(el.name, el.value);
		}
		data.append("classification", kind);
		data.append("is_anonymous", identity() === "anonymous" ? "1" : "0");
		data.append("is_confidential", identity() === "confidential" ? "1" : "0");
		data.append("submission_id", submissionId);
		for (const file of form.querySelector("#attachments").files) data.append("attachments", file, file.name);
		button.disabled = true;
		try {
			const result = await p3m.post("submit", data);
			form.style.display = "none";
			document.getElementById("p3m-code").textContent = result.tracking_code;
			document.getElementById("p3m-track-link").href = "/pengaduan/lacak?code=" + encodeURIComponent(result.tracking_code);
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
