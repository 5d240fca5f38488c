// Public complaint form: hide the contact fields when anonymous; one submit per click (the server is
// idempotent on the form token anyway). CSP forbids inline script, so this file does it.
(function () {
  var anon = document.getElementById("id_anonymous");
  var contact = document.getElementById("contact-fields");
  function sync() { if (anon && contact) { contact.classList.toggle("d-none", anon.checked); } }
  if (anon) { anon.addEventListener("change", sync); sync(); }
  // After a refused submit: the summary of every problem gets the focus (screen readers read it out).
  var summary = document.getElementById("form-errors");
  if (summary) { summary.focus(); }
  var form = document.getElementById("complaint-form");
  if (form) {
    form.addEventListener("submit", function () {
      var btn = form.querySelector("[data-once]");
      if (btn) { window.setTimeout(function () { btn.disabled = true; btn.textContent = "正在提交…"; }, 0); }
    });
  }
})();
