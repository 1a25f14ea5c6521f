// Popup: is the local server up, which packs does it use, is this site on.
/* global ReplyCoachSettings, ReplyCoachI18n */
"use strict";

const S = ReplyCoachSettings;
const ext = S.api;
const { t } = ReplyCoachI18n;

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

function problemText(err) {
  if (typeof err === "string") return err;
  const where = err.file ? err.file.split("/").slice(-2).join("/") + (err.line ? ":" + err.line : "") + " " : "";
  return where + (err.message || JSON.stringify(err));
}

function renderPacks(packs, refused) {
  const list = document.getElementById("packs");
  list.replaceChildren();
  document.getElementById("packs-section").hidden = false;
  // Packs the server could not load: say so, with the reasons, so a team
  // editing its pack sees why its rules are missing.
  for (const r of refused || []) {
    const li = el("li", "pack refused");
    li.dataset.refused = r.path || "";
    li.append(el("div", "pack-title", (r.path || "").split("/").pop() + " — " + t("packRefused")));
    for (const err of r.errors || []) li.append(el("div", err.level === "warning" ? "muted" : "error", problemText(err)));
    list.append(li);
  }
  if (!packs.length) {
    list.append(el("li", "muted", t("noPacks")));
    return;
  }
  for (const p of packs) {
    const li = el("li", p.enabled === false ? "pack disabled" : "pack");
    li.dataset.pack = p.id;
    const title = el("div", "pack-title");
    title.append(el("strong", "", p.name || p.id), " ", el("span", "muted", "v" + (p.version || "?")));
    if (p.enabled === false) title.append(" ", el("span", "tag", t("packDisabled")));
    li.append(title);
    if (Array.isArray(p.languages) && p.languages.length) li.append(el("div", "muted", p.languages.join(", ")));
    for (const err of p.errors || []) {
      li.append(el("div", err.level === "warning" ? "muted problem" : "error problem", problemText(err)));
    }
    list.append(li);
  }
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
  if (status.connected) renderPacks(status.packs || [], status.refused || []);
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
