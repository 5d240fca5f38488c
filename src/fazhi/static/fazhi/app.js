// Small page behaviours that CSP forbids inline: confirmations and auto-submit of filter selects.
document.addEventListener("click", function (e) {
  var el = e.target.closest("[data-confirm]");
  if (el && !window.confirm(el.getAttribute("data-confirm"))) { e.preventDefault(); }
});
document.addEventListener("change", function (e) {
  if (e.target.matches("[data-autosubmit]")) { e.target.form.requestSubmit(); }
});
