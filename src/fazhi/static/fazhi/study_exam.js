// The exam page's countdown. The server owns the time: the remaining seconds come from the paper's deadline, so a
// reload shows the same time left; at zero the page reloads and the server has collected (or will collect) the paper.
(function () {
  var timer = document.getElementById("exam-timer");
  if (!timer) return;
  var clock = document.getElementById("exam-clock");
  var end = Date.now() + parseInt(timer.dataset.remaining, 10) * 1000;
  var grace = parseInt(timer.dataset.grace || "0", 10) * 1000;
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function tick() {
    var left = Math.max(0, Math.round((end - Date.now()) / 1000));
    clock.textContent = pad(Math.floor(left / 60)) + ":" + pad(left % 60);
    if (left <= 300) timer.classList.add("text-danger");
    if (Date.now() >= end + grace) { window.location.reload(); return; }
    window.setTimeout(tick, 1000);
  }
  tick();
})();

// 交卷 waits for the answers still being saved. Each answer is saved by its own request (htmx, on change); a click on
// 交卷 while one is in flight would otherwise reach the server first and the paper would be marked without that
// answer (the server is strict: nothing is accepted after the submission). The page counts the requests in flight,
// holds the submission until none is left (re-checking once more, since htmx sends a queued second save of the same
// question only as the first one ends) and refuses to submit when a save failed, so the candidate can answer again.
(function () {
  var form = document.getElementById("submit-form");
  var questions = document.getElementById("questions");
  if (!form || !questions) return;
  var button = document.getElementById("submit-exam");
  var pending = new Set();
  var failed = false;
  var waiting = false;
  var note = document.createElement("span");
  note.id = "submit-wait";
  note.className = "small ms-2";
  button.insertAdjacentElement("afterend", note);

  function inQuestions(evt) { return questions.contains(evt.target); }
  function settle() {
    if (!waiting) return;
    window.setTimeout(function () {
      if (!waiting || pending.size) return;
      waiting = false;
      if (failed) {
        button.disabled = false;
        note.className = "small ms-2 text-danger";
        note.textContent = "有答案未能保存，请检查网络后重新选择该题，再交卷";
        return;
      }
      note.textContent = "";
      form.submit();
    }, 0);
  }
  document.body.addEventListener("htmx:beforeRequest", function (evt) {
    if (!inQuestions(evt)) return;
    pending.add(evt.detail.xhr);
    failed = false;
  });
  ["htmx:afterRequest", "htmx:sendError", "htmx:sendAbort", "htmx:timeout"].forEach(function (name) {
    document.body.addEventListener(name, function (evt) {
      if (!inQuestions(evt)) return;
      if (pending.delete(evt.detail.xhr) && (name !== "htmx:afterRequest" || !evt.detail.successful)) failed = true;
      settle();
    });
  });
  form.addEventListener("submit", function (evt) {
    if (!pending.size) return;
    evt.preventDefault();
    waiting = true;
    button.disabled = true;
    note.className = "small ms-2 text-muted";
    note.textContent = "正在保存答案，保存完成后自动交卷…";
  });
})();
