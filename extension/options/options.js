// Options: where the server is, its token, reply language, and what to
// leave alone (rules, sites). Stored in storage.local; every open tab picks
// changes up through storage.onChanged. Below the form: the server's history
// of sent replies (on/off, forget all; needs the token) and its rule packs
// with their problems.
/* global ReplyCoachSettings, ReplyCoachI18n, ReplyCoachPacks */
"use strict";

const S = ReplyCoachSettings;
const { t } = ReplyCoachI18n;
const form = document.getElementById("form");
const saved = document.getElementById("saved");

async function load() {
  const s = await S.load();
  form.serverUrl.value = s.serverUrl;
  form.token.value = s.token;
  form.language.value = s.language;
  form.underlineMode.value = s.underlineMode;
  form.disabledRules.value = s.disabledRules.join("\n");
  form.disabledSites.value = s.disabledSites.join("\n");
}

async function testServer() {
  const out = document.getElementById("server-status");
  out.textContent = t("statusChecking");
  const status = await S.api.runtime.sendMessage({ type: "status" });
  out.textContent = status.connected ? t("statusConnected") : t("statusNotRunning") + " — " + t("howToStartLong") + " make serve";
  out.className = "help " + (status.connected ? "ok" : "bad");
  renderPacks(status);
}

function renderPacks(status) {
  const list = document.getElementById("packs");
  if (!status.connected) {
    list.replaceChildren();
    const li = document.createElement("li");
    li.className = "muted";
    li.textContent = t("statusNotRunning");
    list.append(li);
    return;
  }
  ReplyCoachPacks.render(list, status.packs || [], status.refused || [], status.notes || []);
}

// --- History of sent replies (the server's; every call needs the token) ---

const historySwitch = document.getElementById("historyEnabled");
const historyForget = document.getElementById("historyForget");
const historyStatus = document.getElementById("history-status");

function historyMessage(text, cls, outcome) {
  historyStatus.textContent = text;
  historyStatus.className = "help" + (cls ? " " + cls : "");
  historyStatus.dataset.outcome = outcome || "";
}

// Why a history call failed, in the user's words.
function historyFailure(res) {
  const outcome = (res && res.outcome) || "error";
  if (outcome === "token") {
    historyMessage(form.token.value.trim() ? t("historyTokenWrong") : t("optHistoryNeedsToken"), "bad", "token");
  } else if (outcome === "unavailable") {
    historyMessage(t("historyUnavailable"), "bad", outcome);
  } else if (outcome === "offline") {
    historyMessage(t("statusNotRunning"), "bad", outcome);
  } else {
    historyMessage(t("historyFailed") + " " + ((res && res.error) || ""), "bad", "error");
  }
}

// The token being edited goes along, so it works before "Save" is clicked.
function historyRequest(type, extra) {
  return S.api.runtime.sendMessage({ type, payload: Object.assign({ token: form.token.value.trim() }, extra) });
}

function historyShowState(enabled) {
  historySwitch.checked = enabled;
  historySwitch.disabled = false;
  historyForget.disabled = false;
  historyMessage(t(enabled ? "optHistoryIsOn" : "optHistoryIsOff"), "", enabled ? "on" : "off");
}

async function historyLoad() {
  historySwitch.disabled = true;
  historyForget.disabled = true;
  const res = await historyRequest("historyState");
  if (res && res.ok) historyShowState(res.enabled);
  else historyFailure(res);
}

historySwitch.addEventListener("change", async () => {
  const wanted = historySwitch.checked;
  historySwitch.disabled = true;
  const res = await historyRequest("historySetEnabled", { enabled: wanted });
  if (res && res.ok) {
    historyShowState(res.enabled);
  } else {
    historySwitch.checked = !wanted; // the server did not change
    historySwitch.disabled = false;
    historyFailure(res);
  }
});

historyForget.addEventListener("click", async () => {
  // eslint-disable-next-line no-alert
  if (!window.confirm(t("optHistoryForgetConfirm"))) return;
  historyForget.disabled = true;
  const res = await historyRequest("historyForget");
  historyForget.disabled = false;
  if (res && res.ok) historyMessage(t("optHistoryForgotten", [String(res.deleted)]), "ok", "forgotten");
  else historyFailure(res);
});

form.token.addEventListener("change", historyLoad);

form.addEventListener("submit", async (e) => {
  e.preventDefault();
  const serverUrl = S.normaliseServerUrl(form.serverUrl.value);
  if (!serverUrl) {
    saved.textContent = t("optInvalidUrl");
    saved.className = "bad";
    form.serverUrl.focus();
    return;
  }
  await S.save({
    serverUrl,
    token: form.token.value.trim(),
    language: form.language.value,
    underlineMode: form.underlineMode.value,
    disabledRules: S.splitList(form.disabledRules.value),
    disabledSites: S.splitList(form.disabledSites.value).map((h) => h.toLowerCase()),
  });
  form.serverUrl.value = serverUrl;
  saved.textContent = t("optSaved");
  saved.className = "ok";
  testServer();
  historyLoad();
});
document.getElementById("test").addEventListener("click", testServer);
document.getElementById("packsRefresh").addEventListener("click", testServer);

ReplyCoachI18n.fill(document);
load().then(() => {
  testServer();
  historyLoad();
});
