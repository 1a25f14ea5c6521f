// Popup: is the local server up, which packs does it use, is this site on.
/* global ReplyCoachSettings, ReplyCoachI18n, ReplyCoachPacks */
"use strict";

const S = ReplyCoachSettings;
const ext = S.api;
const { t } = ReplyCoachI18n;

function renderPacks(status) {
  document.getElementById("packs-section").hidden = false;
  ReplyCoachPacks.render(document.getElementById("packs"), status.packs || [], status.refused || [], status.notes || []);
}

async function refresh() {
  const box = document.getElementById("server");
  box.dataset.state = "checking";
  document.getElementById("server-state").textContent = t("statusChecking");
  const status = await ext.runtime.sendMessage({ type: "status" });
  box.dataset.state = status.connected ? "connected" : "offline";
  document.getElementById("server-state").textContent = t(status.connected ? "statusConnected" : "statusNotRunning");
  const version = status.health && status.health.version ? " · v" + status.health.version : "";
  document.getElementById("server-url").textContent = status.serverUrl + version;
  document.getElementById("server-help").hidden = status.connected;
  if (status.connected) renderPacks(status);
  else document.getElementById("packs-section").hidden = true;
}

// Per-site switch: the content script of the active tab tells its hostname
// (no "tabs" permission needed for that).
async function initSite() {
  let info = null;
  try {
    const [tab] = await ext.tabs.query({ active: true, currentWindow: true });
    if (tab && tab.id !== undefined) info = await ext.tabs.sendMessage(tab.id, { type: "pageInfo" });
  } catch (e) {
    info = null; // no content script there (browser pages, store pages)
  }
  if (!info || !info.hostname) return;
  const settings = await S.load();
  const box = document.getElementById("site-enabled");
  document.getElementById("site-label").textContent = t("enabledOnSite", [info.hostname]);
  box.checked = !S.siteDisabled(settings, info.hostname);
  box.addEventListener("change", async () => {
    const current = await S.load();
    const host = info.hostname.toLowerCase();
    const rest = current.disabledSites.filter((h) => h !== host && !host.endsWith("." + h));
    await S.save({ disabledSites: box.checked ? rest : rest.concat([host]) });
  });
  document.getElementById("site").hidden = false;
}

ReplyCoachI18n.fill(document);
document.getElementById("retry").addEventListener("click", refresh);
document.getElementById("open-options").addEventListener("click", (e) => {
  e.preventDefault();
  ext.runtime.openOptionsPage();
});
refresh();
initSite();
