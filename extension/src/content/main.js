// Content script entry: finds reply boxes, watches them, asks the service
// worker to check drafts (debounced), and drives the layer UI. The user's
// text is only ever changed by an explicit click on a fix.
(function (RC) {
  "use strict";

  if (RC.started) return; // injected twice (e.g. re-injection after an update)
  RC.started = true;

  const S = globalThis.ReplyCoachSettings;
  const ext = S.api;
  const { editableRoot, optedOut, readText, isFormField } = RC.text;
  const MIN_WIDTH = 120;
  const MIN_HEIGHT = 18;

  let settings = null;
  const controllers = new Map(); // field -> Controller

  function sendMessage(msg) {
    return new Promise((resolve) => {
      try {
        ext.runtime.sendMessage(msg, (response) => {
          const err = ext.runtime.lastError;
          resolve(err || !response ? { ok: false, offline: true, error: err ? err.message : "no response" } : response);
        });
      } catch (e) {
        // Extension reloaded under a live page: nothing to talk to.
        resolve({ ok: false, offline: true, error: String(e.message || e) });
      }
    });
  }

  // The locale our strings come from (see background.js for why it is sent).
  function uiLanguage() {
    try {
      return ext.i18n.getMessage("uiLanguageCode");
    } catch (e) {
      return ""; // extension reloaded under the page
    }
  }

  class Controller {
    constructor(field) {
      this.field = field;
      this.seq = 0;
      this.timer = null;
      this.checkedText = null; // text the current result belongs to
      this.result = null;
      this.spans = []; // underline spans on the current text
      this.override = null; // review typed in by the user
      this.reviewInfo = null;
      this.layer = new RC.ui.Layer(field, {
        applySuggestion: (w, s) => this.applySuggestion(w, s),
        applyRewrite: () => this.applyRewrite(),
        retry: () => this.checkNow(),
        setOverride: (review) => {
          this.override = review;
          this.checkNow();
        },
        pauseSite: () => pauseSite(),
        markSent: () => this.markSent(),
        openOptions: () => sendMessage({ type: "openOptions" }),
      });
      this.onInput = () => this.textChanged();
      this.onScroll = () => this.layer.underlines.syncScroll();
      this.onClick = () => this.openAtCaret();
      field.addEventListener("input", this.onInput);
      field.addEventListener("scroll", this.onScroll, { passive: true });
      field.addEventListener("click", this.onClick);
      if (!isFormField(field)) {
        // Editors that change their DOM without an input event (collaborative
        // edits, programmatic drafts) are still seen.
        this.observer = new MutationObserver(() => this.textChanged());
        this.observer.observe(field, { characterData: true, childList: true, subtree: true });
      }
      this.resizeObserver = new ResizeObserver(() => this.relayout());
      this.resizeObserver.observe(field);
      this.lastText = readText(field);
      if (this.lastText.trim()) this.schedule(0);
    }

    destroy() {
      clearTimeout(this.timer);
      this.field.removeEventListener("input", this.onInput);
      this.field.removeEventListener("scroll", this.onScroll);
      this.field.removeEventListener("click", this.onClick);
      if (this.observer) this.observer.disconnect();
      this.resizeObserver.disconnect();
      this.layer.destroy();
    }

    relayout() {
      this.layer.renderUnderlines(this.spans, this.lastText);
    }

    textChanged() {
      const text = readText(this.field);
      if (text === this.lastText) return;
      // Keep underlines on their words while the user types; a fresh check
      // replaces them after the debounce.
      this.spans = this.spans
        .map((s) => Object.assign({}, s, RC.apply.shiftSpan(s, this.lastText, text) || { dead: true }))
        .filter((s) => !s.dead);
      this.lastText = text;
      this.layer.view.sent = null; // "sent" was about the previous text
      this.layer.renderUnderlines(this.spans, text);
      if (!text.trim()) {
        this.result = null;
        this.spans = [];
        this.layer.renderUnderlines([], text);
        this.layer.update({ state: "idle", warnings: [], text, rewrite: null });
        return;
      }
      // The panel keeps showing the last result (fix buttons disabled) until
      // the new one arrives; its offsets belong to the text it was made for.
      this.layer.update({ state: "pending" });
      this.schedule(settings.debounceMs);
    }

    schedule(ms) {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.checkNow(), ms);
    }

    review() {
      this.reviewInfo = RC.adapters.extractReview(this.field, location.hostname);
      if (this.override) {
        this.reviewInfo = Object.assign({}, this.reviewInfo, { review: this.override, override: true });
      }
      return this.reviewInfo.review;
    }

    async checkNow() {
      clearTimeout(this.timer);
      const text = readText(this.field);
      this.lastText = text;
      if (!text.trim()) return;
      const seq = ++this.seq;
      const review = this.review();
      this.layer.update({ state: "checking", review: this.reviewInfo });
      const response = await sendMessage({
        type: "check",
        payload: { text, review, site: location.hostname, ui_language: uiLanguage() },
      });
      if (seq !== this.seq || !this.field.isConnected) return; // a newer check is on its way
      if (!response.ok) {
        // Keep the user's text exactly as it is; just say what happened.
        this.result = null;
        this.spans = [];
        this.layer.renderUnderlines([], text);
        this.layer.update({ state: response.offline ? "offline" : "error", error: response.error, warnings: [], rewrite: null });
        return;
      }
      if (readText(this.field) !== text) return; // typed meanwhile; the debounced check follows
      this.result = response.result;
      this.checkedText = text;
      this.spans = [];
      this.result.warnings.forEach((w, index) => {
        const sp = w.span;
        if (sp && sp.end > sp.start && sp.end <= text.length) this.spans.push({ start: sp.start, end: sp.end, severity: w.severity, index });
      });
      this.layer.renderUnderlines(this.spans, text);
      this.layer.update({ state: "ok", warnings: this.result.warnings, text, rewrite: this.result.rewrite, error: null });
    }

    // Offsets are only valid for the text they were computed on.
    fresh() {
      return this.result && readText(this.field) === this.checkedText;
    }

    applySuggestion(warning, s) {
      if (!this.fresh()) return this.checkNow();
      RC.apply.replaceSpan(this.field, s.start, s.end, s.text || "");
      this.textChanged();
      this.schedule(0);
    }

    applyRewrite() {
      if (!this.fresh() || !this.result.rewrite) return this.checkNow();
      RC.apply.replaceAll(this.field, this.result.rewrite.text);
      this.textChanged();
      this.schedule(0);
    }

    // "I sent this reply": the draft as it is now goes to the server's
    // history, with the language the server detected for it (or the one set
    // in the options), the site and the reviewer's name (set aside when
    // later drafts are compared).
    async markSent() {
      const text = readText(this.field);
      if (!text.trim()) return;
      const lang = this.fresh() && this.result.language && this.result.language.code;
      const review = this.review() || {};
      this.layer.update({ sent: { outcome: "sending" } });
      const res = await sendMessage({
        type: "history",
        payload: {
          text,
          language: lang || (settings.language !== "auto" ? settings.language : ""),
          site: location.hostname,
          author: review.author || "",
        },
      });
      if (readText(this.field) !== text) return; // edited meanwhile: the answer is about another text
      const outcome = res.outcome || (res.offline ? "offline" : "error");
      this.layer.update({ sent: { outcome, error: res.error || "" } });
      this.layer.focusSentStatus();
    }

    // Clicking on underlined text opens the card for that warning.
    openAtCaret() {
      const offset = caretOffset(this.field);
      if (offset === null) return;
      const hit = this.spans.find((s) => offset >= s.start && offset <= s.end);
      if (hit) this.layer.open(hit.index);
    }
  }

  function caretOffset(field) {
    if (isFormField(field)) return field.selectionStart;
    const sel = field.ownerDocument.getSelection();
    if (!sel || !sel.rangeCount || !field.contains(sel.anchorNode)) return null;
    const model = RC.text.readEditable(field);
    for (const s of model.segments) {
      if (s.node === sel.anchorNode) return s.start + Math.min(sel.anchorOffset, s.end - s.start);
    }
    return null;
  }

  function eligible(field) {
    if (!field || !field.isConnected || optedOut(field)) return false;
    if (field.closest("[data-replycoach-ui]")) return false;
    const r = field.getBoundingClientRect();
    return r.width >= MIN_WIDTH && r.height >= MIN_HEIGHT;
  }

  function attach(field) {
    if (controllers.has(field) || !eligible(field)) return controllers.get(field) || null;
    const c = new Controller(field);
    controllers.set(field, c);
    c.layer.position();
    return c;
  }

  function detachAll() {
    for (const c of controllers.values()) c.destroy();
    controllers.clear();
  }

  // Textareas and contenteditable hosts are reply-box candidates as soon as
  // they appear; one-line inputs only when the user focuses them (search
  // boxes and forms are everywhere and are rarely replies).
  function scan() {
    if (!active()) return;
    for (const [field, c] of controllers) if (!field.isConnected || optedOut(field)) {
      c.destroy();
      controllers.delete(field);
    }
    for (const el of document.querySelectorAll("textarea, [contenteditable]:not([contenteditable='false'])")) {
      const root = editableRoot(el);
      if (root) attach(root);
    }
    for (const c of controllers.values()) c.layer.position();
  }

  let scanQueued = false;
  function queueScan() {
    if (scanQueued) return;
    scanQueued = true;
    setTimeout(() => {
      scanQueued = false;
      scan();
    }, 250);
  }

  function active() {
    return settings && !S.siteDisabled(settings, location.hostname);
  }

  async function pauseSite() {
    const list = settings.disabledSites.concat([location.hostname.toLowerCase()]);
    await S.save({ disabledSites: list }); // storage.onChanged detaches us
  }

  function repositionAll() {
    for (const c of controllers.values()) c.layer.position();
  }

  async function start() {
    settings = await S.load();
    RC.highlight.setMode(settings.underlineMode);
    document.addEventListener("focusin", (e) => {
      if (!active()) return;
      const root = editableRoot(e.target);
      const c = root && attach(root);
      if (c && !c.result && readText(root).trim()) c.schedule(0);
    }, true);
    new MutationObserver((mutations) => {
      // Our own layers change style on every reposition: ignore those.
      if (mutations.some((m) => m.target.nodeName !== "REPLYCOACH-LAYER")) queueScan();
    }).observe(document.documentElement, {
      childList: true, subtree: true, attributes: true,
      attributeFilter: ["contenteditable", "data-gramm", "spellcheck", "style", "class", "hidden"],
    });
    window.addEventListener("scroll", repositionAll, { passive: true, capture: true });
    window.addEventListener("resize", repositionAll, { passive: true });
    ext.storage.onChanged.addListener(async (changes, area) => {
      if (area !== "local") return;
      settings = await S.load();
      RC.highlight.setMode(settings.underlineMode);
      if (!active()) detachAll();
      else {
        scan();
        for (const c of controllers.values()) if (readText(c.field).trim()) c.schedule(0);
      }
    });
    // The popup asks the page which site it is on and whether we are active.
    ext.runtime.onMessage.addListener((msg, sender, sendResponse) => {
      if (msg && msg.type === "pageInfo" && window === window.top) {
        sendResponse({ hostname: location.hostname, active: active(), fields: controllers.size });
      }
      return false;
    });
    scan();
  }

  start();
})((globalThis.ReplyCoach = globalThis.ReplyCoach || {}));
