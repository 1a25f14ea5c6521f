// Settings shared by the service worker, content scripts, popup and options.
// Classic script (no modules): MV3 content scripts and Firefox background
// scripts cannot be ES modules, so everything hangs off one global.
(function (root) {
  "use strict";
  const api = root.browser && root.browser.storage ? root.browser : root.chrome;

  const DEFAULTS = Object.freeze({
    serverUrl: "http://127.0.0.1:8765",
    token: "",
    language: "auto", // reply language override sent to the server
    disabledRules: [], // rule ids, e.g. "too-long"
    disabledSites: [], // hostnames where the extension stays silent
    debounceMs: 400,
    underlineMode: "auto", // "overlay" draws underlines in our own layer everywhere
  });

  // Loopback only: the host_permissions cover nothing else, and the draft
  // must never leave the machine.
  function normaliseServerUrl(value) {
    let url;
    try {
      url = new URL(String(value || "").trim());
    } catch (e) {
      return null;
    }
    if (url.protocol !== "http:") return null;
    if (!["127.0.0.1", "localhost", "[::1]"].includes(url.hostname)) return null;
    return url.origin;
  }

  function splitList(value) {
    if (Array.isArray(value)) return value.map((v) => String(v).trim()).filter(Boolean);
    return String(value || "")
      .split(/[\s,;]+/)
      .map((v) => v.trim())
      .filter(Boolean);
  }

  async function load() {
    const stored = await api.storage.local.get(Object.keys(DEFAULTS));
    const s = Object.assign({}, DEFAULTS, stored);
    s.serverUrl = normaliseServerUrl(s.serverUrl) || DEFAULTS.serverUrl;
    s.disabledRules = splitList(s.disabledRules);
    s.disabledSites = splitList(s.disabledSites).map((h) => h.toLowerCase());
    return s;
  }

  async function save(patch) {
    await api.storage.local.set(patch);
  }

  function siteDisabled(settings, hostname) {
    const host = String(hostname || "").toLowerCase();
    return settings.disabledSites.some((h) => host === h || host.endsWith("." + h));
  }

  root.ReplyCoachSettings = { DEFAULTS, load, save, normaliseServerUrl, splitList, siteDisabled, api };
})(globalThis);
