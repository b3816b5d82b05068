// Two minutes before the session ends for lack of activity, offer to stay signed in (core/unsent.py).
// The dialog is in base.html; its texts are the server's, in the user's language. Any request renews the
// session, so the clock starts again at every page load and every htmx request.
(function () {
  "use strict";
  var dialog = document.getElementById("nr-idle-dialog");
  if (!dialog || typeof dialog.showModal !== "function") {
    return;
  }
  var idleSeconds = Number(dialog.dataset.idleSeconds);
  var warnSeconds = Number(dialog.dataset.warnSeconds);
  var stay = dialog.querySelector("[data-idle-stay]");
  var signIn = dialog.querySelector("[data-idle-sign-in]");
  var warnTimer = null;
  var endTimer = null;

  function show(ended) {
    dialog.querySelector("[data-idle-expiring]").hidden = ended;
    dialog.querySelector("[data-idle-ended]").hidden = !ended;
    stay.hidden = ended;
    signIn.hidden = !ended;
    if (!dialog.open) {
      dialog.showModal();
    }
    (ended ? signIn : stay).focus();
  }

  function schedule() {
    window.clearTimeout(warnTimer);
    window.clearTimeout(endTimer);
    warnTimer = window.setTimeout(function () { show(false); }, Math.max(idleSeconds - warnSeconds, 0) * 1000);
    endTimer = window.setTimeout(function () { show(true); }, idleSeconds * 1000);
  }

  stay.addEventListener("click", function () {
    var token = dialog.querySelector("input[name=csrfmiddlewaretoken]").value;
    window.fetch(dialog.dataset.keepAliveUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": token },
    }).then(function (response) {
      if (response.status === 204) {
        dialog.close();
        schedule();
      } else {
        show(true);
      }
    }, function () {
      show(true);
    });
  });
  document.addEventListener("htmx:afterRequest", schedule);
  schedule();
})();
