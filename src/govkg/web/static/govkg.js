// Static site only. A static host cannot answer ?date=, so the date forms go to the page of the
// snapshot in force on the chosen date (the latest snapshot dated on or before it).
document.addEventListener("submit", (event) => {
  const form = event.target;
  const snapshots = (form.dataset.snapshots || "").split(" ").filter(Boolean);
  if (!snapshots.length) return;
  const inForce = (day) => snapshots.filter((s) => s <= day).pop() || snapshots[0];
  const dates = [...form.querySelectorAll("input[type=date]")].map((input) => inForce(input.value));
  event.preventDefault();
  window.location.href = form.getAttribute("action") + "/" + dates.join("/");
});

// The language switch: remembered in the `lang` cookie, which the host's rules (nginx.conf,
// .htaccess) read to serve the page in that language; the link itself opens the other file.
document.addEventListener("click", (event) => {
  const link = event.target.closest("header a[hreflang]");
  if (link) document.cookie = `lang=${link.hreflang}; path=/; max-age=31536000; SameSite=Lax`;
});
