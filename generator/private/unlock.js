/* Transparency Portal, private portals: open a sealed page with the key (WebCrypto AES-256-GCM).
   The key comes from the link's fragment (#key=..., never sent to the server), from this tab's
   sessionStorage, from localStorage if the reader chose "Remember on this device", or from the
   prompt (a key, a pasted link, or a passphrase derived with PBKDF2-SHA256). Nothing is fetched
   from anywhere but this portal's own files. Every word it shows comes from the page, in the portal's
   language (the form's data-wrong-key, data-wrong-link, data-no-crypto). */
(function () {
  "use strict";
  var sealed = document.getElementById("portal-sealed");
  var form = document.getElementById("portal-unlock-form");
  var error = document.getElementById("portal-unlock-error");
  if (!sealed || !form) { return; }
  if (!window.crypto || !window.crypto.subtle) {  /* an old browser, or a page not served over https:// */
    error.textContent = form.getAttribute("data-no-crypto");
    form.addEventListener("submit", function (event) { event.preventDefault(); });  /* never the key in a URL */
    return;
  }
  var subtle = window.crypto.subtle;
  var slot = "portal-key:" + sealed.getAttribute("data-folder");
  var salt = sealed.getAttribute("data-salt");
  var iterations = parseInt(sealed.getAttribute("data-iterations"), 10);

  function bytes(text) {  /* base64 or base64url -> bytes */
    var plain = text.trim().replace(/-/g, "+").replace(/_/g, "/");
    var raw = atob(plain + "===".slice((plain.length + 3) % 4));
    var out = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) { out[i] = raw.charCodeAt(i); }
    return out;
  }

  function keyText(raw) {  /* bytes -> base64url, as in the link */
    var text = "";
    raw.forEach(function (b) { text += String.fromCharCode(b); });
    return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function decrypt(key, text) {
    var data = bytes(text);
    return subtle.decrypt({ name: "AES-GCM", iv: data.slice(0, 12) }, key, data.slice(12));
  }

  function storage(name) {
    try { return window[name]; } catch (e) { return null; }  /* blocked storage: the key lives in this page only */
  }

  function remembered() {
    var session = storage("sessionStorage"), local = storage("localStorage");
    return (session && session.getItem(slot)) || (local && local.getItem(slot)) || "";
  }

  function keep(text, onDevice) {
    var session = storage("sessionStorage"), local = storage("localStorage");
    if (session) { session.setItem(slot, text); }
    if (onDevice && local) { local.setItem(slot, text); }
  }

  function forget() {
    [storage("sessionStorage"), storage("localStorage")].forEach(function (s) { if (s) { s.removeItem(slot); } });
  }

  function lock() {  /* forget the key, and tell this portal's other tabs to forget theirs (a storage event) */
    var local = storage("localStorage");
    forget();
    if (local) { local.setItem(slot + ":locked", String(Date.now())); local.removeItem(slot + ":locked"); }
    location.reload();
  }

  function fromLink() {  /* #key=... in the address: taken, then removed from the address bar and history */
    var match = /(?:^#|&)key=([A-Za-z0-9_-]+)/.exec(location.hash);
    if (!match) { return ""; }
    history.replaceState(history.state, "", location.pathname + location.search);
    return match[1];
  }

  function sealedIndex() {  /* the encrypted search index, by a script tag: works from file:// too */
    var src = sealed.getAttribute("data-index");
    return new Promise(function (resolve) {
      if (!src) { resolve(""); return; }
      var script = document.createElement("script");
      script.src = src;
      script.onload = function () { resolve(window.__portalSealedIndex || ""); };
      script.onerror = function () { resolve(""); };
      document.head.appendChild(script);
    });
  }

  function serveIndex(text) {
    /* Material reads the index as `__index` (file://) or fetches search/search_index.json (http):
       both get the decrypted index; the XHR is sent to a blob: URL of it, inside the page. */
    window.__index = JSON.parse(text);
    var url = URL.createObjectURL(new Blob([text], { type: "application/json" }));
    var proto = XMLHttpRequest.prototype, open = proto.open;
    proto.open = function (method, target) {
      var args = Array.prototype.slice.call(arguments);
      if (/search\/search_index\.json(?:[?#].*)?$/.test(String(target))) { args[1] = url; }
      return open.apply(this, args);
    };
  }

  function show(html) {
    var decoder = new TextDecoder();
    document.open();
    document.addEventListener("click", function (event) {
      if (event.target.closest && event.target.closest("[data-portal-lock]")) { lock(); }
    });
    window.addEventListener("storage", function (event) {
      if (event.key === slot + ":locked" && event.newValue) { forget(); location.reload(); }
    });
    document.addEventListener("DOMContentLoaded", function () {
      document.querySelectorAll("a[data-portal-feed]").forEach(function (link) {
        var address = document.createElement("code");
        address.textContent = link.href;
        link.insertAdjacentText("afterend", " ");
        link.parentNode.insertBefore(address, link.nextSibling.nextSibling);
      });
    });
    document.write(decoder.decode(html));
    document.close();
  }

  function unlock(text, onDevice) {
    return subtle.importKey("raw", bytes(text), "AES-GCM", false, ["decrypt"]).then(function (key) {
      return Promise.all([decrypt(key, sealed.textContent), sealedIndex()]).then(function (done) {
        keep(text, onDevice);
        var index = done[1] ? decrypt(key, done[1]).then(function (plain) {
          serveIndex(new TextDecoder().decode(plain));
        }) : Promise.resolve();
        return index.then(function () { show(done[0]); });
      });
    });
  }

  function typed(value) {  /* a pasted link, a key, or (for a passphrase portal) the passphrase */
    var link = /#key=([A-Za-z0-9_-]+)/.exec(value);
    if (link) { return Promise.resolve(link[1]); }
    if (!salt) { return Promise.resolve(value.trim()); }
    return subtle.importKey("raw", new TextEncoder().encode(value), "PBKDF2", false, ["deriveBits"])
      .then(function (base) {
        return subtle.deriveBits({ name: "PBKDF2", salt: bytes(salt), iterations: iterations, hash: "SHA-256" },
          base, 256);
      })
      .then(function (bits) { return keyText(new Uint8Array(bits)); });
  }

  function refuse(message) {
    document.documentElement.classList.remove("portal-unlocking");
    error.textContent = message;
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    error.textContent = "";
    var remember = document.getElementById("portal-unlock-remember").checked;
    typed(document.getElementById("portal-unlock-key").value)
      .then(function (text) { return unlock(text, remember); })
      .catch(function () { refuse(form.getAttribute("data-wrong-key")); });
  });

  var given = fromLink(), kept = remembered();
  if (given || kept) {
    document.documentElement.classList.add("portal-unlocking");
    unlock(given || kept, false).catch(function () {
      if (!given) { forget(); refuse(""); return; }
      refuse(form.getAttribute("data-wrong-link"));
    });
  }
})();
