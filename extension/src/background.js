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
  const out = { serverUrl: settings.serverUrl, connected: false, health: null, packs: [], refused: [], error: null };
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
  } catch (err) {
    out.error = String((err && err.message) || err);
  }
  return out;
}

// Records a reply the user marked as sent (feeds the server's repeated-reply
// rule). Needs the token; silently reports failure otherwise.
async function recordHistory(payload) {
  const settings = await ReplyCoachSettings.load();
  if (!settings.token) return { ok: false, error: "no token" };
  try {
    const res = await fetchJson(
      settings.serverUrl + "/api/v1/history",
      {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-ReplyCoach-Token": settings.token },
        body: JSON.stringify(payload),
      },
      CHECK_TIMEOUT_MS,
    );
    return { ok: res.status >= 200 && res.status < 300, status: res.status };
  } catch (err) {
    return failure(err);
  }
}

const HANDLERS = {
  check: (msg) => check(msg.payload || {}),
  status: () => status(),
  history: (msg) => recordHistory(msg.payload || {}),
};

ext.runtime.onMessage.addListener((msg, sender, sendResponse) => {
  const handler = msg && HANDLERS[msg.type];
  if (!handler) return false;
  handler(msg, sender).then(sendResponse, (err) => sendResponse(failure(err)));
  return true; // keep the channel open for the async answer
});
