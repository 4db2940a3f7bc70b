// Static site only: a static host cannot answer ?date=, so the date forms go to the page of the
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
