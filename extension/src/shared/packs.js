// The packs the server uses and their problems (GET /api/v1/packs), drawn
// the same way in the popup and on the options page: each problem as
// "file:line: message" with its level, packs kept at an older version
// ("stale") marked, and folders the server refused listed with the reasons.
/* global ReplyCoachI18n */
(function (root) {
  "use strict";
  const { t } = root.ReplyCoachI18n;

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  // The server names files relative to its working folder, or absolutely:
  // shown from the pack's own folder on ("my-team/rules.yaml").
  function shortFile(file, folder) {
    const name = folderName(folder);
    const norm = String(file).replace(/\\/g, "/");
    const i = name ? norm.lastIndexOf("/" + name + "/") : -1;
    return i >= 0 ? norm.slice(i + 1) : String(file);
  }

  // "my-team/rules.yaml:4: message", as `replycoach packs validate` prints it.
  function problemText(err, folder) {
    if (typeof err === "string") return err;
    const file = err.file ? shortFile(err.file, folder) : "";
    const where = file ? file + (err.line ? ":" + err.line : "") + ": " : "";
    return where + (err.message || JSON.stringify(err));
  }

  function problem(err, folder) {
    const level = err && err.level === "warning" ? "warning" : "error";
    const row = el("div", "problem " + level);
    row.dataset.level = level;
    if (err && err.file) row.title = String(err.file) + (err.line ? ":" + err.line : "");
    row.append(el("span", "level", t(level === "warning" ? "severity_warning" : "severity_error")), " ",
      el("span", "problem-text", problemText(err, folder)));
    return row;
  }

  function folderName(path) {
    return String(path || "").replace(/[\\/]+$/, "").split(/[\\/]/).pop();
  }

  // Fills `list` (a <ul>) from the server's answer.
  function render(list, packs, refused, notes) {
    list.replaceChildren();
    // Packs the server could not load: say so, with the reasons, so a team
    // editing its pack sees why its rules are missing.
    for (const r of refused || []) {
      const li = el("li", "pack refused");
      li.dataset.refused = r.path || "";
      const title = el("div", "pack-title");
      title.append(el("strong", "", folderName(r.path)), " ", el("span", "tag bad", t("packRefused")));
      li.append(title, el("div", "muted", t("packRefusedHelp")));
      for (const err of r.errors || []) li.append(problem(err, r.path));
      list.append(li);
    }
    // Folders the server skipped with warnings only (nothing refused).
    for (const n of notes || []) {
      const li = el("li", "pack note");
      li.dataset.note = n.path || "";
      li.append(el("div", "pack-title", folderName(n.path)));
      for (const err of n.errors || []) li.append(problem(err, n.path));
      list.append(li);
    }
    if (!(packs || []).length) {
      list.append(el("li", "muted", t("noPacks")));
      return;
    }
    for (const p of packs) {
      const li = el("li", p.enabled === false ? "pack disabled" : "pack");
      li.dataset.pack = p.id;
      if (p.stale) li.dataset.stale = "true";
      const title = el("div", "pack-title");
      title.append(el("strong", "", p.name || p.id), " ", el("span", "muted", "v" + (p.version || "?")));
      if (p.enabled === false) title.append(" ", el("span", "tag", t("packDisabled")));
      if (p.stale) title.append(" ", el("span", "tag warn", t("packStale")));
      li.append(title);
      if (p.stale) li.append(el("div", "stale-note", t("packStaleHelp")));
      if (Array.isArray(p.languages) && p.languages.length) li.append(el("div", "muted", p.languages.join(", ")));
      for (const err of p.errors || []) li.append(problem(err, p.path));
      list.append(li);
    }
  }

  root.ReplyCoachPacks = { render, problemText };
})(globalThis);
