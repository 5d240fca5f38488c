// Page behaviours that CSP forbids inline (script-src 'self'): confirmations, auto-submitting filter selects,
// the sidebar groups, wide tables, and what htmx does with error answers.
(function () {
  "use strict";

  // ------------------------------------------------------------ confirmation before irreversible actions
  // <button data-confirm="确定……？"> (or <form data-confirm>, or a link) asks first, in a dialog.
  var pending = null;

  function dialog() {
    var el = document.getElementById("confirm-dialog");
    if (!el || !window.bootstrap || !window.bootstrap.Modal) { return null; }
    return el;
  }

  function ask(message, proceed) {
    var el = dialog();
    if (!el) {
      if (window.confirm(message)) { proceed(); }
      return;
    }
    document.getElementById("confirm-message").textContent = message;
    pending = proceed;
    window.bootstrap.Modal.getOrCreateInstance(el).show();
  }

  document.addEventListener("DOMContentLoaded", function () {
    var el = dialog();
    if (!el) { return; }
    document.getElementById("confirm-ok").addEventListener("click", function () {
      var proceed = pending;
      pending = null;
      window.bootstrap.Modal.getOrCreateInstance(el).hide();
      if (proceed) { proceed(); }
    });
    el.addEventListener("shown.bs.modal", function () { document.getElementById("confirm-cancel").focus(); });
    el.addEventListener("hidden.bs.modal", function () { pending = null; });
  });

  // Forms: the question sits on the submit button (or on the form). Capture phase, so that neither the
  // browser nor htmx submits before the answer.
  document.addEventListener("submit", function (e) {
    var form = e.target;
    var submitter = e.submitter || null;
    var source = submitter && submitter.hasAttribute("data-confirm") ? submitter : form.hasAttribute("data-confirm") ? form : null;
    if (!source) { return; }
    if (form.__fazhiConfirmed) { form.__fazhiConfirmed = false; return; }
    e.preventDefault();
    e.stopImmediatePropagation();
    ask(source.getAttribute("data-confirm"), function () {
      form.__fazhiConfirmed = true;
      if (submitter && form.requestSubmit) { form.requestSubmit(submitter); } else { form.requestSubmit(); }
    });
  }, true);

  // Links and plain buttons (not submitting a form).
  document.addEventListener("click", function (e) {
    var el = e.target.closest("[data-confirm]");
    if (!el || el.tagName === "FORM" || (el.form && (el.type === "submit" || el.type === "image"))) { return; }
    if (el.__fazhiConfirmed) { el.__fazhiConfirmed = false; return; }
    e.preventDefault();
    e.stopImmediatePropagation();
    ask(el.getAttribute("data-confirm"), function () {
      if (el.tagName === "A" && el.href) { window.location.assign(el.href); return; }
      el.__fazhiConfirmed = true;
      el.click();
    });
  }, true);

  // <a data-back href="fallback">: back to the previous page when there is one.
  document.addEventListener("click", function (e) {
    var el = e.target.closest("a[data-back]");
    if (el && window.history.length > 1) { e.preventDefault(); window.history.back(); }
  });

  // ------------------------------------------------------------ filter selects submit on change
  document.addEventListener("change", function (e) {
    if (e.target.matches("[data-autosubmit]")) { e.target.form.requestSubmit(); }
  });

  // ------------------------------------------------------------ sidebar groups remember being folded
  var FOLDED = "fazhi.nav.folded";

  function folded() {
    try { return JSON.parse(window.localStorage.getItem(FOLDED) || "[]"); } catch (err) { return []; }
  }

  function remember(name, isFolded) {
    var list = folded().filter(function (n) { return n !== name; });
    if (isFolded) { list.push(name); }
    try { window.localStorage.setItem(FOLDED, JSON.stringify(list)); } catch (err) { /* private mode */ }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var list = folded();
    document.querySelectorAll(".sidebar .nav-group").forEach(function (group) {
      var name = group.getAttribute("data-group");
      var body = group.querySelector(".collapse");
      var toggle = group.querySelector(".group");
      if (!body || !toggle) { return; }
      // The group of the page one is on stays open.
      if (list.indexOf(name) >= 0 && !body.hasAttribute("data-current")) {
        body.classList.remove("show");
        toggle.setAttribute("aria-expanded", "false");
        toggle.classList.add("collapsed");
      }
      body.addEventListener("shown.bs.collapse", function () { remember(name, false); });
      body.addEventListener("hidden.bs.collapse", function () { remember(name, true); });
    });
  });

  // ------------------------------------------------------------ wide tables scroll in their own box
  function wrapTables(root) {
    var scope = root && root.querySelectorAll ? root : document;
    var tables = scope.matches && scope.matches("table") ? [scope] : scope.querySelectorAll("main table, .content table");
    Array.prototype.forEach.call(tables, function (table) {
      var parent = table.parentElement;
      if (!parent || parent.classList.contains("table-wrap") || parent.classList.contains("table-responsive")) { return; }
      if (table.closest(".wd-year")) { return; }  // calendar months lay out in their own grid
      var wrap = document.createElement("div");
      wrap.className = "table-wrap";
      parent.insertBefore(wrap, table);
      wrap.appendChild(table);
    });
  }

  document.addEventListener("DOMContentLoaded", function () { wrapTables(document); });

  // ------------------------------------------------------------ no browser validation bubbles
  // The server checks every field and answers in Chinese, all at once; the browser's bubbles show one field
  // at a time, in the browser's language.
  function noBubbles(root) {
    var scope = root && root.querySelectorAll ? root : document;
    if (scope.tagName === "FORM") { scope.noValidate = true; }
    Array.prototype.forEach.call(scope.querySelectorAll("form"), function (form) { form.noValidate = true; });
  }
  document.addEventListener("DOMContentLoaded", function () { noBubbles(document); });

  // ------------------------------------------------------------ expandable trees
  // <table data-tree> with rows <tr data-depth="n"> in tree order: a row with deeper rows after it gets a
  // toggle that folds its subtree. Two levels open at first (every level with data-tree-open="all").
  function depthOf(row) { return parseInt(row.getAttribute("data-depth"), 10) || 0; }
  function treeRows(table) { return Array.prototype.slice.call(table.querySelectorAll("tbody tr[data-depth]")); }

  // A row shows when every ancestor is open.
  function refreshTree(table) {
    var stack = [];
    treeRows(table).forEach(function (row) {
      var depth = depthOf(row);
      while (stack.length && stack[stack.length - 1].depth >= depth) { stack.pop(); }
      row.classList.toggle("d-none", stack.some(function (a) { return !a.open; }));
      var toggle = row.querySelector(".tree-toggle");
      stack.push({ depth: depth, open: !toggle || toggle.getAttribute("aria-expanded") !== "false" });
    });
  }

  function setToggle(button, open) {
    button.setAttribute("aria-expanded", open ? "true" : "false");
    button.setAttribute("aria-label", (open ? "收起" : "展开") + "下级");
  }

  function initTree(table) {
    var rows = treeRows(table);
    var openAll = table.getAttribute("data-tree-open") === "all";
    rows.forEach(function (row, i) {
      var next = rows[i + 1];
      var cell = row.querySelector(".tree-cell") || row.cells[0];
      var indent = cell.querySelector(".tree-indent");
      if (!next || depthOf(next) <= depthOf(row)) {
        var spacer = document.createElement("span");
        spacer.className = "tree-toggle-spacer";
        cell.insertBefore(spacer, indent ? indent.nextSibling : cell.firstChild);
        return;
      }
      var button = document.createElement("button");
      button.type = "button";
      button.className = "tree-toggle";
      setToggle(button, openAll || depthOf(row) < 1);
      button.addEventListener("click", function () {
        setToggle(button, button.getAttribute("aria-expanded") === "false");
        refreshTree(table);
      });
      cell.insertBefore(button, indent ? indent.nextSibling : cell.firstChild);
    });
    refreshTree(table);
  }

  function treeAll(id, open) {
    var table = document.getElementById(id);
    if (!table) { return; }
    table.querySelectorAll(".tree-toggle").forEach(function (b) { setToggle(b, open); });
    refreshTree(table);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("table[data-tree]").forEach(initTree);
  });
  document.addEventListener("click", function (e) {
    var expand = e.target.closest("[data-tree-expand]");
    var collapse = e.target.closest("[data-tree-collapse]");
    if (expand) { treeAll(expand.getAttribute("data-tree-expand"), true); }
    if (collapse) { treeAll(collapse.getAttribute("data-tree-collapse"), false); }
  });

  // ------------------------------------------------------------ toasts
  function toast(message, kind) {
    var box = document.getElementById("toasts");
    if (!box) { window.alert(message); return; }
    var el = document.createElement("div");
    el.className = "toast align-items-center border-0 text-bg-" + (kind || "danger");
    el.setAttribute("role", kind === "success" ? "status" : "alert");
    var row = document.createElement("div");
    row.className = "d-flex";
    var body = document.createElement("div");
    body.className = "toast-body";
    body.textContent = message;
    var close = document.createElement("button");
    close.type = "button";
    close.className = "btn-close btn-close-white me-2 m-auto";
    close.setAttribute("data-bs-dismiss", "toast");
    close.setAttribute("aria-label", "关闭");
    row.appendChild(body);
    row.appendChild(close);
    el.appendChild(row);
    box.appendChild(el);
    if (window.bootstrap && window.bootstrap.Toast) {
      el.addEventListener("hidden.bs.toast", function () { el.remove(); });
      window.bootstrap.Toast.getOrCreateInstance(el, { delay: 8000 }).show();
    } else {
      el.classList.add("show");
      window.setTimeout(function () { el.remove(); }, 8000);
    }
  }
  window.fazhiToast = toast;

  // ------------------------------------------------------------ htmx and error answers
  // htmx does not swap 4xx/5xx answers by default, so a refused form looked as if nothing happened.
  // A form answered 400/409/422 with HTML is swapped in place (the fields carry their errors); every other
  // error (403, 404, 413, 429, 5xx, no connection) becomes a toast.
  var SWAP_IN_PLACE = { 400: true, 409: true, 422: true };
  var MESSAGES = {
    400: "提交的内容有误，请检查后重试。",
    401: "登录已失效，请重新登录。",
    403: "没有权限执行此操作。",
    404: "要找的内容不存在，或不在您的数据范围内。",
    405: "不支持这种操作方式。",
    409: "数据已被他人修改，请刷新页面后重试。",
    413: "上传的文件过大。",
    422: "提交的内容有误，请检查后重试。",
    429: "操作过于频繁，请稍后再试。"
  };

  function messageFor(xhr) {
    var status = xhr ? xhr.status : 0;
    var type = xhr && xhr.getResponseHeader ? xhr.getResponseHeader("Content-Type") || "" : "";
    if (type.indexOf("application/json") >= 0) {
      try {
        var data = JSON.parse(xhr.responseText);
        if (data && typeof data.detail === "string" && data.detail) { return data.detail; }
      } catch (err) { /* not JSON after all */ }
    }
    if (MESSAGES[status]) { return MESSAGES[status]; }
    if (status >= 500) { return "服务器出错（" + status + "），请稍后再试；如果反复出现，请联系系统管理员。"; }
    return "操作未完成（" + status + "）。";
  }

  function isHtml(xhr) {
    var type = xhr.getResponseHeader("Content-Type") || "";
    return type.indexOf("text/html") >= 0 && (xhr.responseText || "").trim() !== "";
  }

  document.addEventListener("htmx:beforeSwap", function (e) {
    var xhr = e.detail.xhr;
    if (!xhr || xhr.status < 400) { return; }
    if (SWAP_IN_PLACE[xhr.status] && isHtml(xhr)) {
      e.detail.shouldSwap = true;
      e.detail.isError = false;
      e.detail.fazhiRefused = true;
      return;
    }
    e.detail.shouldSwap = false;
  });

  document.addEventListener("htmx:afterSwap", function (e) {
    if (!e.detail.fazhiRefused && !(e.detail.xhr && SWAP_IN_PLACE[e.detail.xhr.status])) { return; }
    var target = e.detail.target;
    // An outerHTML swap replaced the target: look at its successor.
    if (target && !target.isConnected && target.id) { target = document.getElementById(target.id); }
    if (!target || !target.isConnected) { target = document; }
    // Errors in place: focus the first one. None to show in place: say so in a toast.
    var first = target.querySelector ? target.querySelector(".field-error, .invalid-feedback, .alert-danger, .is-invalid") : null;
    if (first) {
      if (first.scrollIntoView) { first.scrollIntoView({ block: "center" }); }
    } else {
      toast(messageFor(e.detail.xhr));
    }
  });

  document.addEventListener("htmx:responseError", function (e) {
    var xhr = e.detail.xhr;
    if (xhr && SWAP_IN_PLACE[xhr.status] && isHtml(xhr)) { return; }
    toast(messageFor(xhr));
  });

  document.addEventListener("htmx:sendError", function () { toast("无法连接服务器，请检查网络后重试。"); });
  document.addEventListener("htmx:timeout", function () { toast("服务器响应超时，请稍后再试。"); });

  document.addEventListener("htmx:load", function (e) { wrapTables(e.detail.elt); noBubbles(e.detail.elt); });
})();
