// Progressive enhancement only: every page works without this file.
// The texts this script shows, in the page's language, come from
// /static/messages/<lang>.js (loaded before this file; web/locale.rs makes it from the
// translations): msg("key-cancelled") is its "key-cancelled". Should that file not load, the
// texts are "" and the page keeps what the server wrote: the script still works, it only
// says less.
function msg(name) {
  var all = window.latchkeyMessages || {};
  return all[name] || "";
}
// A text with a {name} placeholder, filled in (the value as it is: no "$" patterns).
function fill(text, name, value) {
  return text.replace("{" + name + "}", function () { return String(value); });
}
// A "Resend code" button carries data-wait="SECONDS": count down and enable it at zero.
// The words match the page's ("30 seconds", "59 minutes").
function waitWords(s) {
  if (!msg("wait-seconds")) return "";
  if (s < 60) return s === 1 ? msg("wait-second") : fill(msg("wait-seconds"), "n", s);
  var m = Math.ceil(s / 60);
  if (m < 60) return m === 1 ? msg("wait-minute") : fill(msg("wait-minutes"), "n", m);
  var h = Math.ceil(s / 3600);
  return h === 1 ? msg("wait-hour") : fill(msg("wait-hours"), "n", h);
}
document.querySelectorAll("[data-wait]").forEach(function (button) {
  var left = parseInt(button.getAttribute("data-wait"), 10);
  var label = button.textContent;
  var note = document.getElementById(button.getAttribute("aria-describedby"));
  function tick() {
    if (left <= 0) {
      button.disabled = false;
      button.textContent = label;
      if (note && msg("resend-now")) note.textContent = msg("resend-now");
      return;
    }
    button.disabled = true;
    var words = waitWords(left);
    button.textContent = words ? label + " (" + words + ")" : label;
    if (note && words && msg("resend-in")) note.textContent = fill(msg("resend-in"), "wait", words);
    left -= 1;
    setTimeout(tick, 1000);
  }
  tick();
});

// Security keys and passkeys (WebAuthn). A form with data-webauthn="create" | "get" |
// "passkey", or a button with data-webauthn="proof" inside a form, carries the server's
// options (data-options, JSON with base64url fields); the browser's answer goes back in the
// form's "response" (or "key_response") field, as JSON with base64url fields.
(function () {
  var forms = document.querySelectorAll("[data-webauthn]");
  if (!forms.length) return;
  function decode(s) {
    var b = atob(s.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((s.length + 3) % 4));
    var out = new Uint8Array(b.length);
    for (var i = 0; i < b.length; i++) out[i] = b.charCodeAt(i);
    return out.buffer;
  }
  function encode(buf) {
    if (!buf) return null;
    var bytes = new Uint8Array(buf), s = "";
    for (var i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
    return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }
  function creation(json) {
    var o = JSON.parse(json).publicKey;
    o.challenge = decode(o.challenge);
    o.user.id = decode(o.user.id);
    (o.excludeCredentials || []).forEach(function (c) { c.id = decode(c.id); });
    return o;
  }
  function request(json) {
    var o = (typeof json === "string" ? JSON.parse(json) : json).publicKey;
    o.challenge = decode(o.challenge);
    (o.allowCredentials || []).forEach(function (c) { c.id = decode(c.id); });
    return o;
  }
  function attestation(c) {
    return JSON.stringify({
      id: c.id, rawId: encode(c.rawId), type: c.type,
      response: {
        attestationObject: encode(c.response.attestationObject),
        clientDataJSON: encode(c.response.clientDataJSON),
        transports: c.response.getTransports ? c.response.getTransports() : undefined
      },
      extensions: c.getClientExtensionResults()
    });
  }
  function assertion(c) {
    return JSON.stringify({
      id: c.id, rawId: encode(c.rawId), type: c.type,
      response: {
        authenticatorData: encode(c.response.authenticatorData),
        clientDataJSON: encode(c.response.clientDataJSON),
        signature: encode(c.response.signature),
        userHandle: encode(c.response.userHandle)
      },
      extensions: c.getClientExtensionResults()
    });
  }
  function status(form, text) {
    var el = form.querySelector("[data-webauthn-status]") || (form.parentNode && form.parentNode.querySelector("[data-webauthn-status]"));
    if (el && text) el.textContent = text;
  }
  function failed(form, e, button) {
    if (button) button.disabled = false;
    if (e && e.name === "AbortError") return;
    status(form, e && e.name === "NotAllowedError"
      ? msg("key-cancelled")
      : e && e.name === "InvalidStateError"
        ? msg("key-registered")
        : e && e.message ? fill(msg("key-failed-reason"), "reason", e.message) : msg("key-failed"));
  }
  function field(form, name) { return form.querySelector("input[name=\"" + name + "\"]"); }
  if (!window.PublicKeyCredential) {
    forms.forEach(function (f) { status(f, msg("key-unsupported")); });
    return;
  }
  forms.forEach(function (el) {
    var kind = el.getAttribute("data-webauthn");
    if (kind === "proof") {
      el.addEventListener("click", function () {
        var form = el.form;
        if (!form.reportValidity()) return;
        el.disabled = true;
        status(form, msg("key-prompt"));
        navigator.credentials.get({ publicKey: request(form.getAttribute("data-options")) }).then(function (c) {
          field(form, "key_response").value = assertion(c);
          status(form, msg("checking"));
          form.submit();
        }, function (e) { failed(form, e, el); });
      });
      return;
    }
    var form = el, button = form.querySelector("button[type=submit]");
    var pending = null;
    function submitWith(c, toJson) {
      field(form, "response").value = toJson(c);
      status(form, msg("checking"));
      form.submit();
    }
    if (kind === "passkey") {
      // The email field's passkey autofill: a request that waits for the person to pick one.
      // The request is aborted by the button, and renewed before its challenge (5 minutes)
      // ends, so that a passkey picked later still answers a live one.
      var autofill = function () {
        if (!PublicKeyCredential.isConditionalMediationAvailable) return;
        if (pending) pending.abort();
        var mine = pending = new AbortController();
        PublicKeyCredential.isConditionalMediationAvailable().then(function (ok) {
          if (!ok || mine.signal.aborted) return;
          return options().then(function (o) {
            if (mine.signal.aborted) return;
            var renew = setTimeout(autofill, 4 * 60 * 1000);
            mine.signal.addEventListener("abort", function () { clearTimeout(renew); });
            return navigator.credentials.get({ publicKey: request(o.options), mediation: "conditional", signal: mine.signal })
              .then(function (c) { clearTimeout(renew); field(form, "ceremony").value = o.ceremony; submitWith(c, assertion); });
          });
        }).catch(function () {});
      };
      var options = function () {
        var body = new URLSearchParams({ csrf: field(form, "csrf").value });
        return fetch("/login/passkey/options", { method: "POST", body: body, credentials: "same-origin" })
          .then(function (r) { if (!r.ok) throw new Error(msg("no-answer")); return r.json(); });
      };
      form.addEventListener("submit", function (ev) {
        if (field(form, "response").value) return;
        ev.preventDefault();
        if (pending) pending.abort();
        button.disabled = true;
        status(form, msg("passkey-prompt"));
        options().then(function (o) {
          field(form, "ceremony").value = o.ceremony;
          return navigator.credentials.get({ publicKey: request(o.options) }).then(function (c) { submitWith(c, assertion); });
        }).catch(function (e) { failed(form, e, button); autofill(); });
      });
      autofill();
      return;
    }
    form.addEventListener("submit", function (ev) {
      if (field(form, "response").value) return;
      ev.preventDefault();
      if (!form.reportValidity()) return;
      button.disabled = true;
      status(form, kind === "create" ? msg("key-prompt-create") : msg("key-prompt"));
      var json = form.getAttribute("data-options");
      var call = kind === "create"
        ? navigator.credentials.create({ publicKey: creation(json) }).then(function (c) { submitWith(c, attestation); })
        : navigator.credentials.get({ publicKey: request(json) }).then(function (c) { submitWith(c, assertion); });
      call.catch(function (e) { failed(form, e, button); });
    });
  });
})();
