// Options: where the server is, its token, reply language, and what to
// leave alone (rules, sites). Stored in storage.local; every open tab picks
// changes up through storage.onChanged.
/* global ReplyCoachSettings, ReplyCoachI18n */
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
}

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
});
document.getElementById("test").addEventListener("click", testServer);

ReplyCoachI18n.fill(document);
load();
