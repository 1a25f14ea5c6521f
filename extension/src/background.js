// Service worker (Chromium) / event page (Firefox). It does every fetch to
// the local server: content scripts on https pages cannot reach loopback
// (mixed content, Private Network Access), the extension origin can.
/* global importScripts, ReplyCoachSettings */
"use strict";

if (typeof ReplyCoachSettings === "undefined" && typeof importScripts === "function") {
  importScripts("shared/settings.js");
}

const ext = ReplyCoachSettings.api;
const CHECK_TIMEOUT_MS = 8000;
const STATUS_TIMEOUT_MS = 2500;

async function fetchJson(url, options, timeoutMs) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const response = await fetch(url, Object.assign({ signal: controller.signal, cache: "no-store" }, options));
    let body = null;
    try {
      body = await response.json();
    } catch (e) {
      body = null;
    }
    return { status: response.status, body };
  } finally {
    clearTimeout(timer);
  }
}

// The language the user reads our UI in, so the server's messages match it.
// "@@ui_locale" is the locale the browser picked for our own strings; it can
// differ from getUILanguage() (e.g. Chromium started with --lang).
function normaliseLanguage(locale) {
  const code = String(locale || "").split(/[-_]/)[0].toLowerCase(); // "en_US" -> "en"
  return /^[a-z]{2,3}$/.test(code) ? code : "";
}

function uiLanguage() {
  return normaliseLanguage(ext.i18n.getMessage("uiLanguageCode") || ext.i18n.getUILanguage()) || "en";
}

// A failure is "offline" when the server could not be reached at all, and
// "error" when it answered with something we cannot use.
function failure(err) {
  return { ok: false, offline: true, error: String((err && err.message) || err) };
}

async function check(payload) {
  const settings = await ReplyCoachSettings.load();
  const body = {
    text: String(payload.text || ""),
    language: settings.language || "auto",
    review: payload.review || {},
    site: payload.site || "",
    disabled_rules: settings.disabledRules,
    // The content script reports the locale its UI strings actually came
    // from; getUILanguage() and @@ui_locale can disagree with it (seen in
    // Chromium started with --lang), and the messages must match the UI.
    ui_language: normaliseLanguage(payload.ui_language) || uiLanguage(),
  };
  const headers = { "Content-Type": "application/json" };
  if (settings.token) headers["X-ReplyCoach-Token"] = settings.token;
  try {
    const res = await fetchJson(
      settings.serverUrl + "/api/v1/check",
      { method: "POST", headers, body: JSON.stringify(body) },
      CHECK_TIMEOUT_MS,
    );
    if (res.status === 200 && res.body && Array.isArray(res.body.warnings)) {
      return { ok: true, result: res.body };
    }
    const message = res.body && res.body.error ? res.body.error.message : "HTTP " + res.status;
    return { ok: false, offline: false, error: message };
  } catch (err) {
    return failure(err);
  }
}

async function status() {
  const settings = await ReplyCoachSettings.load();
  const out = { serverUrl: settings.serverUrl, connected: false, health: null, packs: [], refused: [], notes: [], error: null };
  try {
    const health = await fetchJson(settings.serverUrl + "/api/v1/health", {}, STATUS_TIMEOUT_MS);
    out.connected = health.status === 200 && !!health.body && health.body.status === "ok";
    out.health = health.body;
    if (!out.connected) out.error = "HTTP " + health.status;
  } catch (err) {
    out.error = String((err && err.message) || err);
    return out;
  }
  try {
    const packs = await fetchJson(settings.serverUrl + "/api/v1/packs", {}, STATUS_TIMEOUT_MS);
    if (packs.body && Array.isArray(packs.body.packs)) out.packs = packs.body.packs;
    if (packs.body && Array.isArray(packs.body.refused)) out.refused = packs.body.refused;
    if (packs.body && Array.isArray(packs.body.notes)) out.notes = packs.body.notes;
  } catch (err) {
    out.error = String((err && err.message) || err);
  }
  return out;
}

// The token for history calls: the one the options page is editing (passed
// along, so the user need not save first; empty means none), else the stored one.
async function tokenAndServer(payload) {
  const settings = await ReplyCoachSettings.load();
  const given = payload && typeof payload.token === "string" ? payload.token : settings.token;
  return { settings, token: String(given || "").trim() };
}

// One history call. Outcomes the UI tells apart: "token" (missing or
// refused, 401), "unavailable" (the server keeps no history, 404),
// "offline", "error"; ok with the server's body otherwise.
async function historyCall(payload, method, path, body) {
  const { settings, token } = await tokenAndServer(payload);
  if (!token) return { ok: false, outcome: "token", status: 0 };
  const headers = { "X-ReplyCoach-Token": token };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  let res;
  try {
    res = await fetchJson(
      settings.serverUrl + path,
      { method, headers, body: body === undefined ? undefined : JSON.stringify(body) },
      CHECK_TIMEOUT_MS,
    );
  } catch (err) {
    return Object.assign(failure(err), { outcome: "offline" });
  }
  if (res.status >= 200 && res.status < 300 && res.body) return { ok: true, status: res.status, body: res.body };
  const error = res.body && res.body.error ? res.body.error.message : "HTTP " + res.status;
  const outcome = res.status === 401 ? "token" : res.status === 404 ? "unavailable" : "error";
  return { ok: false, offline: false, outcome, status: res.status, error };
}

// Records a reply the user marked as sent (feeds the server's repeated-reply
// rule). outcome: "recorded", "off" (history is switched off in the
// server), or one of historyCall's failures.
async function recordHistory(payload) {
  const body = {
    text: String(payload.text || ""),
    language: String(payload.language || ""),
    site: String(payload.site || ""),
    author: String(payload.author || ""),
  };
  const res = await historyCall(payload, "POST", "/api/v1/history", body);
  if (!res.ok) return res;
  if (res.body.recorded === true) return { ok: true, outcome: "recorded", id: res.body.id };
  return { ok: false, outcome: "off", reason: res.body.reason || "" };
}

// Whether the server remembers sent replies ({enabled, retention_days}).
async function historyState(payload) {
  const res = await historyCall(payload, "GET", "/api/v1/history?limit=1");
  return res.ok ? { ok: true, enabled: res.body.enabled === true } : res;
}

async function historySetEnabled(payload) {
  const res = await historyCall(payload, "PUT", "/api/v1/history/settings", { enabled: payload.enabled === true });
  return res.ok ? { ok: true, enabled: res.body.enabled === true } : res;
}

async function historyForget(payload) {
  const res = await historyCall(payload, "DELETE", "/api/v1/history");
  return res.ok ? { ok: true, deleted: Number(res.body.deleted) || 0 } : res;
}

function ownPage(sender, run) {
  const base = ext.runtime.getURL("");
  if (!sender || !String(sender.url || "").startsWith(base)) {
    return Promise.resolve({ ok: false, outcome: "error", error: "not allowed" });
  }
  return run();
}

const HANDLERS = {
  check: (msg) => check(msg.payload || {}),
  status: () => status(),
  // From the page's reply box: always with the stored token.
  history: (msg) => recordHistory(Object.assign({}, msg.payload, { token: undefined })),
  // Settings of the history (and a token typed but not yet saved) come only
  // from our own pages, never from content scripts in web pages.
  historyState: (msg, sender) => ownPage(sender, () => historyState(msg.payload || {})),
  historySetEnabled: (msg, sender) => ownPage(sender, () => historySetEnabled(msg.payload || {})),
  historyForget: (msg, sender) => ownPage(sender, () => historyForget(msg.payload || {})),
  // Content scripts cannot open the options page themselves.
  openOptions: () => Promise.resolve(ext.runtime.openOptionsPage()).then(() => ({ ok: true })),
};

ext.runtime.onMessage.addListener((msg, sender, sendResponse) => {
  const handler = msg && HANDLERS[msg.type];
  if (!handler) return false;
  handler(msg, sender).then(sendResponse, (err) => sendResponse(failure(err)));
  return true; // keep the channel open for the async answer
});
