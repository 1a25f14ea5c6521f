// The per-field layer: a shadow-DOM host laid over the reply box holding the
// underline overlay, the badge (counts by severity) and the card panel. Shadow
// DOM keeps the site's CSS out of our UI and ours out of the site.
(function (RC) {
  "use strict";

  const ext = globalThis.browser && globalThis.browser.i18n ? globalThis.browser : globalThis.chrome;
  const SEVERITIES = RC.highlight.SEVERITIES;

  function t(key, subs) {
    return (ext.i18n && ext.i18n.getMessage(key, subs)) || key;
  }

  // Tiny element builder: h("div", {class: "x", onclick: fn}, child, "text").
  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
      else if (k === "class") el.className = v;
      else el.setAttribute(k, v === true ? "" : v);
    }
    for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) el.append(c);
    return el;
  }

  const STYLE = `
    :host { all: initial; position: absolute; top: 0; left: 0; width: 0; height: 0;
      pointer-events: none; z-index: 2147483646; }
    .rc-clip { position: absolute; overflow: hidden; pointer-events: none; }
    .rc-mirror { position: absolute; top: 0; left: 0; margin: 0; overflow: hidden; color: transparent;
      background: transparent; pointer-events: none; }
    .rc-underline { color: transparent; background: transparent; text-decoration-line: underline;
      text-decoration-thickness: 2px; text-underline-offset: 3px; text-decoration-skip-ink: none; }
    mark.rc-error { text-decoration-style: wavy; text-decoration-color: #d93025; background: rgba(217,48,37,.12); }
    mark.rc-warning { text-decoration-style: wavy; text-decoration-color: #e37400; background: rgba(227,116,0,.12); }
    mark.rc-suggestion { text-decoration-style: dotted; text-decoration-color: #1a73e8; }
    .rc-box { position: absolute; height: 0; border-bottom: 2px solid; }
    .rc-box.rc-error { border-color: #d93025; } .rc-box.rc-warning { border-color: #e37400; }
    .rc-box.rc-suggestion { border-bottom-style: dotted; border-color: #1a73e8; }
    .rc-badge { position: absolute; pointer-events: auto; display: flex; gap: 4px; align-items: center;
      font: 600 12px/1 system-ui, sans-serif; padding: 4px 7px; border-radius: 12px; cursor: pointer;
      background: #fff; color: #202124; border: 1px solid #dadce0; box-shadow: 0 1px 3px rgba(0,0,0,.18);
      user-select: none; white-space: nowrap; }
    .rc-badge:focus-visible { outline: 2px solid #1a73e8; }
    .rc-count { display: inline-flex; align-items: center; gap: 3px; }
    .rc-dot { width: 8px; height: 8px; border-radius: 50%; display: inline-block; }
    .rc-dot.rc-error { background: #d93025; } .rc-dot.rc-warning { background: #e37400; }
    .rc-dot.rc-suggestion { background: #1a73e8; }
    .rc-badge[data-state="ok"][data-total="0"] { color: #188038; }
    .rc-badge[data-state="offline"], .rc-badge[data-state="error"] { color: #5f6368; background: #f1f3f4; }
    .rc-badge[data-state="checking"] { opacity: .75; }
    .rc-panel { position: absolute; pointer-events: auto; width: 360px; max-height: 420px; overflow: auto;
      background: #fff; color: #202124; border: 1px solid #dadce0; border-radius: 10px;
      box-shadow: 0 6px 24px rgba(0,0,0,.2); font: 13px/1.45 system-ui, sans-serif; }
    .rc-head { display: flex; justify-content: space-between; align-items: center; padding: 8px 12px;
      border-bottom: 1px solid #eee; font-weight: 600; position: sticky; top: 0; background: #fff; }
    .rc-x { border: 0; background: none; font-size: 18px; cursor: pointer; color: #5f6368; }
    .rc-section { padding: 8px 12px; border-bottom: 1px solid #f1f3f4; }
    .rc-muted { color: #5f6368; font-size: 12px; }
    .rc-status { background: #fef7e0; }
    .rc-card { padding: 8px 12px; border-bottom: 1px solid #f1f3f4; border-left: 4px solid transparent; }
    .rc-card.rc-error { border-left-color: #d93025; } .rc-card.rc-warning { border-left-color: #e37400; }
    .rc-card.rc-suggestion { border-left-color: #1a73e8; }
    .rc-card.rc-focus { background: #f8f9fa; }
    .rc-sev { font-size: 11px; text-transform: uppercase; letter-spacing: .04em; color: #5f6368; }
    .rc-msg { font-weight: 600; margin: 2px 0; }
    details { margin: 2px 0 4px; } summary { cursor: pointer; color: #1a73e8; font-size: 12px; }
    .rc-expl { color: #3c4043; font-size: 12px; white-space: pre-wrap; }
    .rc-btn { font: inherit; font-size: 12px; border: 1px solid #dadce0; background: #fff; color: #1a73e8;
      border-radius: 6px; padding: 3px 8px; margin: 2px 4px 2px 0; cursor: pointer; text-align: left;
      max-width: 100%; }
    .rc-btn:hover { background: #f1f3f4; } .rc-btn:disabled { color: #9aa0a6; cursor: default; }
    .rc-btn.rc-primary { background: #1a73e8; color: #fff; border-color: #1a73e8; }
    .rc-old { text-decoration: line-through; color: #d93025; } .rc-new { color: #188038; }
    .rc-form label { display: block; font-size: 12px; margin-top: 4px; }
    .rc-form textarea, .rc-form input { font: inherit; width: 100%; box-sizing: border-box; }
    .rc-form textarea { height: 70px; } .rc-row { display: flex; gap: 6px; }
    code { background: #f1f3f4; padding: 0 3px; border-radius: 3px; }
    .rc-link { color: #1a73e8; } .rc-link:focus-visible { outline: 2px solid #1a73e8; }
    .rc-sent-status { margin-top: 4px; } .rc-sent-status:focus { outline: none; } .rc-good { color: #188038; } .rc-bad { color: #b3261e; }
  `;

  // A constructed stylesheet is not subject to the page's CSP (style-src),
  // which blocks inline <style> on strict sites; <style> is the fallback
  // (e.g. Firefox content scripts, where adopting across compartments can fail).
  let sharedSheet = null;
  function adoptStyle(root) {
    try {
      if (!sharedSheet) {
        sharedSheet = new CSSStyleSheet();
        sharedSheet.replaceSync(STYLE);
      }
      root.adoptedStyleSheets = [sharedSheet];
      if (root.adoptedStyleSheets.length === 1) return;
    } catch (e) {
      // fall through
    }
    root.append(h("style", {}, STYLE));
  }

  function excerpt(s, n) {
    s = String(s || "");
    return s.length > n ? s.slice(0, n - 1) + "…" : s;
  }

  function suggestionLabel(s, text) {
    const old = text.slice(s.start, s.end);
    if (s.kind === "delete" || (!s.text && old)) {
      return [t("actionDelete") + " ", h("span", { class: "rc-old" }, "“" + excerpt(old, 40) + "”")];
    }
    if (s.kind === "insert" || s.start === s.end) {
      return [t("actionInsert") + " ", h("span", { class: "rc-new" }, "“" + excerpt(s.text, 60) + "”")];
    }
    return [h("span", { class: "rc-old" }, excerpt(old, 30)), " → ", h("span", { class: "rc-new" }, excerpt(s.text, 40))];
  }

  class Layer {
    // actions: {applySuggestion(w, s), applyRewrite(), retry(), setOverride(review|null), pauseSite(),
    //   markSent(), openOptions()}
    constructor(field, actions) {
      this.field = field;
      this.actions = actions;
      this.host = document.createElement("replycoach-layer");
      this.host.setAttribute("data-replycoach-ui", "");
      // Names the field it serves (for people inspecting the page, and tests).
      this.host.setAttribute("data-for", field.id || field.getAttribute("aria-label") || field.getAttribute("name") || "");
      this.root = this.host.attachShadow({ mode: "open" });
      this.clip = h("div", { class: "rc-clip" });
      this.badge = h("div", { class: "rc-badge", role: "button", tabindex: "0", "aria-haspopup": "dialog", title: t("badgeTitle") });
      this.badge.addEventListener("mousedown", (e) => e.preventDefault()); // keep the caret in the field
      this.badge.addEventListener("click", () => this.toggle());
      this.badge.addEventListener("keydown", (e) => {
        if (e.key === "Enter" || e.key === " ") {
          e.preventDefault();
          this.toggle();
        }
      });
      this.panel = h("div", { class: "rc-panel", role: "dialog", "aria-label": t("extName"), hidden: true });
      this.panel.addEventListener("keydown", (e) => {
        if (e.key === "Escape") {
          this.close();
          this.field.focus({ preventScroll: true });
        }
      });
      // A click anywhere else on the page closes the panel, like a menu.
      this.onOutside = (e) => {
        if (!this.panel.hidden && !e.composedPath().includes(this.host)) this.close();
      };
      document.addEventListener("mousedown", this.onOutside, true);
      adoptStyle(this.root);
      this.root.append(this.clip, this.badge, this.panel);
      document.documentElement.append(this.host);
      this.underlines = new RC.highlight.Underlines(field, this.clip);
      this.view = { state: "idle", warnings: [], text: "", rewrite: null, review: null, editingReview: false, focus: -1, sent: null };
      this.renderBadge(); // idle: hidden until there is something to say
    }

    destroy() {
      document.removeEventListener("mousedown", this.onOutside, true);
      this.underlines.clear();
      this.host.remove();
    }

    // Lays the layer over the field; called on scroll, resize and edits.
    position() {
      const r = this.field.getBoundingClientRect();
      const visible = r.width > 0 && r.height > 0 && this.field.isConnected;
      this.host.style.display = visible ? "" : "none";
      if (!visible) return;
      const x = r.left + window.scrollX;
      const y = r.top + window.scrollY;
      Object.assign(this.clip.style, { left: x + "px", top: y + "px", width: r.width + "px", height: r.height + "px" });
      const bw = this.badge.offsetWidth || 40;
      const bh = this.badge.offsetHeight || 22;
      const bx = x + r.width - bw - 6;
      const by = y + r.height - bh - 6;
      Object.assign(this.badge.style, { left: bx + "px", top: by + "px" });
      const pw = 360;
      const px = Math.max(window.scrollX + 4, Math.min(x + r.width - pw, window.scrollX + document.documentElement.clientWidth - pw - 4));
      // Below the field, or above it when it would run off the bottom of the
      // viewport and there is room above.
      const ph = this.panel.hidden ? 0 : this.panel.offsetHeight;
      const above = ph && r.bottom + 6 + ph > window.innerHeight && r.top - 6 - ph >= 0;
      Object.assign(this.panel.style, { left: px + "px", top: (above ? y - ph - 6 : y + r.height + 6) + "px" });
      this.underlines.syncScroll();
    }

    // view: {state: idle|pending|checking|ok|offline|error|paused, warnings, text, rewrite, review, error}
    update(view) {
      Object.assign(this.view, view);
      this.renderBadge();
      if (!this.panel.hidden) this.renderPanel();
      this.position();
    }

    renderUnderlines(spans, text) {
      this.underlines.render(spans, text);
      this.position();
    }

    counts() {
      const c = { error: 0, warning: 0, suggestion: 0 };
      for (const w of this.view.warnings) if (w.severity in c) c[w.severity]++;
      return c;
    }

    renderBadge() {
      const { state } = this.view;
      const c = this.counts();
      const total = c.error + c.warning + c.suggestion;
      this.host.setAttribute("data-state", state);
      this.badge.dataset.state = state;
      this.badge.dataset.total = String(total);
      for (const s of SEVERITIES) this.badge.dataset[s] = String(c[s]);
      this.badge.replaceChildren();
      this.host.style.visibility = state === "idle" ? "hidden" : "";
      if (state === "offline" || state === "error") {
        this.badge.append("⚠ ", t(state === "offline" ? "badgeOffline" : "badgeError"));
        this.badge.title = t(state === "offline" ? "statusNotRunning" : "badgeError");
        return;
      }
      this.badge.title = t("badgeTitle");
      if (state === "pending" || state === "checking") {
        if (!total) {
          this.badge.append("…");
          return;
        }
      }
      if (!total) {
        this.badge.append("✓");
        this.badge.title = t("badgeNoIssues");
        return;
      }
      for (const s of SEVERITIES) {
        if (!c[s]) continue;
        this.badge.append(h("span", { class: "rc-count", title: t("severity_" + s) }, h("span", { class: "rc-dot rc-" + s }), String(c[s])));
      }
    }

    toggle(focusIndex) {
      if (this.panel.hidden || focusIndex !== undefined) this.open(focusIndex);
      else this.close();
    }

    open(focusIndex) {
      this.view.focus = focusIndex === undefined ? -1 : focusIndex;
      this.panel.hidden = false;
      this.badge.setAttribute("aria-expanded", "true");
      this.renderPanel();
      this.position();
      // Scroll the panel (not the page) to the card of the clicked underline.
      const card = this.root.querySelector(".rc-card.rc-focus");
      const head = this.root.querySelector(".rc-head");
      if (card) this.panel.scrollTop = card.offsetTop - (head ? head.offsetHeight : 0);
    }

    close() {
      this.panel.hidden = true;
      this.badge.setAttribute("aria-expanded", "false");
    }

    renderPanel() {
      const v = this.view;
      const stale = v.state !== "ok"; // offsets only hold for the text that was checked
      const parts = [
        h("div", { class: "rc-head" }, t("extName"), h("button", { class: "rc-x", title: t("close"), "aria-label": t("close"), onclick: () => this.close() }, "×")),
      ];
      if (v.state === "offline") {
        parts.push(
          h("div", { class: "rc-section rc-status", "data-role": "offline" },
            h("div", { class: "rc-msg" }, t("statusNotRunning")),
            h("div", { class: "rc-muted" }, t("howToStart"), " ", h("code", {}, "make serve")),
            h("div", { class: "rc-muted" }, t("textIsSafe")),
            h("button", { class: "rc-btn", onclick: () => this.actions.retry() }, t("retry"))),
        );
      } else if (v.state === "error") {
        parts.push(h("div", { class: "rc-section rc-status" }, h("div", { class: "rc-msg" }, t("badgeError")), h("div", { class: "rc-muted" }, v.error || "")));
      }
      parts.push(this.renderReview());
      if (v.state === "ok" && !v.warnings.length) parts.push(h("div", { class: "rc-section" }, t("badgeNoIssues")));
      // Most severe first, then in reading order; indexes stay those of the
      // server's list (underlines refer to them).
      const rank = { error: 0, warning: 1, suggestion: 2 };
      const order = v.warnings.map((w, i) => i).sort((a, b) => {
        const wa = v.warnings[a];
        const wb = v.warnings[b];
        const pa = wa.span ? wa.span.start : -1;
        const pb = wb.span ? wb.span.start : -1;
        return (rank[wa.severity] ?? 3) - (rank[wb.severity] ?? 3) || pa - pb || a - b;
      });
      order.forEach((i) => {
        const w = v.warnings[i];
        parts.push(
          h("div", { class: "rc-card rc-" + w.severity + (i === v.focus ? " rc-focus" : ""), "data-rule": w.rule, "data-index": String(i) },
            h("div", { class: "rc-sev" }, t("severity_" + w.severity), " · ", w.rule),
            h("div", { class: "rc-msg" }, w.message || w.rule),
            w.explanation ? h("details", {}, h("summary", {}, t("why")), h("div", { class: "rc-expl" }, w.explanation)) : null,
            (w.suggestions || []).map((s) =>
              h("button", { class: "rc-btn rc-apply", disabled: stale, "data-kind": s.kind, onclick: () => this.actions.applySuggestion(w, s) },
                suggestionLabel(s, v.text)))),
        );
      });
      if (v.rewrite && v.rewrite.text && v.rewrite.text !== v.text) {
        parts.push(
          h("div", { class: "rc-section" },
            h("button", { class: "rc-btn rc-primary rc-rewrite", disabled: stale, onclick: () => this.actions.applyRewrite() }, t("applyAll")),
            h("div", { class: "rc-muted" }, t("undoHint"))),
        );
      }
      if (v.text && v.text.trim() && v.state !== "offline") parts.push(this.renderSent());
      parts.push(h("div", { class: "rc-section" }, h("button", { class: "rc-btn rc-pause", onclick: () => this.actions.pauseSite() }, t("pauseSite", [location.hostname]))));
      this.panel.replaceChildren(...parts);
    }

    // After "I sent this reply" answers, keyboard users land on the answer
    // (or on its link to the settings).
    focusSentStatus() {
      if (this.panel.hidden) return;
      const target = this.root.querySelector("[data-role=sent] [data-role=open-options]") ||
        this.root.querySelector("[data-role=sent-status]");
      if (target) target.focus({ preventScroll: true });
    }

    // "I sent this reply": stores the draft in the server's history (for the
    // repeated-reply warning) and says what happened.
    renderSent() {
      const sent = this.view.sent; // {outcome, error} of the last click on this text
      const busy = sent && sent.outcome === "sending";
      const toOptions = (key) => h("a", {
        href: "#", class: "rc-link", "data-role": "open-options",
        onclick: (e) => {
          e.preventDefault();
          this.actions.openOptions();
        },
      }, t(key));
      let status = null;
      if (sent && !busy) {
        const o = sent.outcome;
        const body = o === "recorded" ? [t("sentRecorded")]
          : o === "off" ? [t("sentHistoryOff"), " ", toOptions("sentTurnOn")]
            : o === "token" ? [t("sentTokenProblem"), " ", toOptions("sentOpenSettings")]
              : o === "unavailable" ? [t("historyUnavailable")]
                : o === "offline" ? [t("statusNotRunning")]
                  : [t("historyFailed"), " ", sent.error || ""];
        status = h("div", { class: "rc-muted rc-sent-status" + (o === "recorded" ? " rc-good" : " rc-bad"), "data-role": "sent-status", "data-outcome": o, role: "status", tabindex: "-1" }, body);
      }
      return h("div", { class: "rc-section", "data-role": "sent" },
        h("button", {
          class: "rc-btn rc-sent", "data-role": "sent-button", disabled: busy || (sent && sent.outcome === "recorded"),
          title: t("sentButtonHelp"), onclick: () => this.actions.markSent(),
        }, t("sentButton")),
        status);
    }

    renderReview() {
      const v = this.view;
      const info = v.review || { review: {}, adapter: "generic", name: "" };
      const r = info.review || {};
      if (v.editingReview) {
        const text = h("textarea", { "data-role": "review-text" });
        text.value = r.text || "";
        const rating = h("input", { type: "number", min: "0", step: "0.5", "data-role": "review-rating", value: r.rating ?? "" });
        const max = h("input", { type: "number", min: "1", "data-role": "review-rating-max", value: r.rating_max ?? 5 });
        const author = h("input", { type: "text", "data-role": "review-author", value: r.author || "" });
        // The detected date is kept unless the user clears it (a pasted review
        // from elsewhere has a different date; no date means date rules stay silent).
        const date = h("input", { type: "date", "data-role": "review-date", value: r.date ? String(r.date).slice(0, 10) : "" });
        const save = () => {
          const o = { text: text.value.trim() };
          if (rating.value !== "") Object.assign(o, { rating: Number(rating.value), rating_max: Number(max.value) || 5 });
          if (author.value.trim()) o.author = author.value.trim();
          if (date.value) o.date = date.value + "T12:00:00.000Z";
          this.view.editingReview = false;
          this.actions.setOverride(o);
        };
        return h("div", { class: "rc-section rc-form" },
          h("label", {}, t("reviewText"), text),
          h("div", { class: "rc-row" }, h("label", {}, t("rating"), rating), h("label", {}, t("ratingMax"), max)),
          h("div", { class: "rc-row" }, h("label", {}, t("author"), author), h("label", {}, t("reviewDate"), date)),
          h("button", { class: "rc-btn rc-primary", "data-role": "review-save", onclick: save }, t("save")),
          h("button", { class: "rc-btn", onclick: () => { this.view.editingReview = false; this.renderPanel(); } }, t("cancel")));
      }
      const meta = [];
      if (r.rating !== undefined) meta.push("★ " + r.rating + "/" + (r.rating_max || 5));
      if (r.author) meta.push(r.author);
      if (r.date) meta.push(new Date(r.date).toLocaleDateString());
      const source = info.override ? t("reviewYours") : info.name ? t("reviewFrom", [info.name]) : t("reviewNearby");
      return h("div", { class: "rc-section", "data-role": "review", "data-adapter": info.adapter },
        h("div", { class: "rc-muted" }, r.text || r.rating !== undefined ? source : t("reviewNone"), meta.length ? " · " + meta.join(" · ") : ""),
        r.text ? h("div", { class: "rc-review-text" }, "“" + excerpt(r.text, 160) + "”") : null,
        h("button", { class: "rc-btn", "data-role": "review-edit", onclick: () => { this.view.editingReview = true; this.renderPanel(); } }, t("editReview")),
        info.override ? h("button", { class: "rc-btn", onclick: () => this.actions.setOverride(null) }, t("useDetected")) : null);
    }
  }

  RC.ui = { Layer, t, h };
})((globalThis.ReplyCoach = globalThis.ReplyCoach || {}));
