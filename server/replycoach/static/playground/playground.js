/* Reply Coach trainer playground: plain JS, no build step.
   Checks the draft with POST /api/v1/check (as the extension does), marks
   the warnings' spans (UTF-16 offsets = JS string indices) and lists them
   with their explanation and source guideline. */
(function () {
  "use strict";

  const I18N = {
    en: {
      title: "Reply Coach playground", scenario: "Scenario", pick: "— pick a scenario —",
      scenarioLanguage: "Language", all: "all", uiLanguage: "Interface", present: "Presentation mode",
      review: "The review", author: "Author", rating: "Rating", date: "Date",
      reviewPlaceholder: "Paste the customer's review here",
      draft: "Your reply", draftPlaceholder: "Type or paste a draft reply: warnings appear as you type",
      rewrite: "Suggested rewrite", useRewrite: "Use this rewrite", warnings: "Warnings",
      noWarnings: "No warnings: this reply follows the guidelines.", packs: "Rule packs",
      checking: "Checking…", checked: "Checked in {ms} ms", failed: "The server did not answer: {why}",
      sources: "Source", apply: "Apply", remove: "Remove", rules: "rules", extends: "extends",
      refused: "refused", stale: "an older version is in use", error: "error", warning: "warning",
      suggestion: "suggestion", fire: "should warn", clean: "good reply", pass: "should not warn",
      languageDetected: "{code}",
    },
    ru: {
      title: "Тренажёр Reply Coach", scenario: "Сценарий", pick: "— выберите сценарий —",
      scenarioLanguage: "Язык", all: "все", uiLanguage: "Интерфейс", present: "Режим презентации",
      review: "Отзыв", author: "Автор", rating: "Оценка", date: "Дата",
      reviewPlaceholder: "Вставьте сюда отзыв клиента",
      draft: "Ваш ответ", draftPlaceholder: "Введите или вставьте черновик ответа: замечания появятся сразу",
      rewrite: "Предлагаемая правка", useRewrite: "Взять эту правку", warnings: "Замечания",
      noWarnings: "Замечаний нет: ответ соответствует правилам.", packs: "Наборы правил",
      checking: "Проверяем…", checked: "Проверено за {ms} мс", failed: "Сервер не ответил: {why}",
      sources: "Источник", apply: "Применить", remove: "Удалить", rules: "правил", extends: "дополняет",
      refused: "отклонён", stale: "используется прежняя версия", error: "ошибка", warning: "предупреждение",
      suggestion: "совет", fire: "должно сработать", clean: "хороший ответ", pass: "не должно сработать",
      languageDetected: "{code}",
    },
  };
  const LANG_NAMES = { en: "English", ru: "Русский", af: "Afrikaans", el: "Ελληνικά", et: "Eesti" };

  const $ = (id) => document.getElementById(id);
  const els = {
    scenario: $("scenario"), scenarioLang: $("scenario-lang"), ui: $("ui-lang"), present: $("present"),
    author: $("author"), rating: $("rating"), date: $("date"), review: $("review"),
    draft: $("draft"), backdrop: $("backdrop"), status: $("status"), draftLang: $("draft-lang"),
    warnings: $("warnings"), empty: $("empty"), count: $("count"), packs: $("packs"), refused: $("refused"),
    rewriteBox: $("rewrite-box"), rewrite: $("rewrite"), useRewrite: $("use-rewrite"),
  };

  const state = {
    ui: "en", scenarios: [], packs: [], enabled: new Set(), now: null,
    result: null, seq: 0, timer: null, active: -1,
  };

  function t(key, vars) {
    let s = (I18N[state.ui] && I18N[state.ui][key]) || I18N.en[key] || key;
    if (vars) for (const k of Object.keys(vars)) s = s.replace("{" + k + "}", vars[k]);
    return s;
  }

  function applyI18n() {
    document.documentElement.lang = state.ui;
    document.title = t("title");
    document.querySelectorAll("[data-i18n]").forEach((el) => { el.textContent = t(el.dataset.i18n); });
    document.querySelectorAll("[data-i18n-placeholder]").forEach((el) => { el.placeholder = t(el.dataset.i18nPlaceholder); });
    if (els.scenarioLang.options.length) els.scenarioLang.options[0].textContent = t("all");
    fillScenarioSelect();
    renderPacks();
  }

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "class") node.className = v;
      else if (k === "dataset") Object.assign(node.dataset, v);
      else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v);
    }
    for (const c of children) if (c != null) node.append(c);
    return node;
  }

  /* ---- scenarios ---- */

  async function loadScenarios() {
    const res = await fetch("/api/v1/scenarios");
    const data = await res.json();
    state.scenarios = data.scenarios || [];
    const langs = data.languages || [];
    els.scenarioLang.replaceChildren(el("option", { value: "" }, t("all")),
      ...langs.map((c) => el("option", { value: c }, `${LANG_NAMES[c] || c} (${c})`)));
    fillScenarioSelect();
  }

  function fillScenarioSelect() {
    const lang = els.scenarioLang.value;
    const current = els.scenario.value;
    const groups = new Map();
    state.scenarios.forEach((s, i) => {
      if (lang && s.language !== lang) return;
      const key = `${s.pack} · ${s.language}`;
      if (!groups.has(key)) groups.set(key, []);
      const label = `${s.rule ? s.rule + " — " : ""}${s.title} (${t(s.expect)})`;
      groups.get(key).push(el("option", { value: String(i) }, label));
    });
    const opts = [el("option", { value: "" }, t("pick"))];
    for (const [key, items] of groups) opts.push(el("optgroup", { label: key }, ...items));
    els.scenario.replaceChildren(...opts);
    if (current && [...els.scenario.options].some((o) => o.value === current)) els.scenario.value = current;
  }

  function pickScenario(index) {
    const s = state.scenarios[index];
    if (!s) return;
    const r = s.review || {};
    els.review.value = r.text || "";
    els.author.value = r.author || "";
    els.rating.value = r.rating != null ? String(Math.round(r.rating)) : "";
    els.date.value = r.date || "";
    els.draft.value = s.text;
    state.now = s.now || null;
    scheduleCheck(0);
  }

  /* ---- packs ---- */

  async function loadPacks() {
    const res = await fetch("/api/v1/packs");
    const data = await res.json();
    state.packs = data.packs || [];
    state.known = state.known || new Set();
    for (const p of state.packs) {
      if (!state.known.has(p.id)) { state.known.add(p.id); state.enabled.add(p.id); }   // new packs start on
    }
    state.refused = data.refused || [];
    renderPacks();
  }

  function renderPacks() {
    if (!state.packs) return;
    els.packs.replaceChildren(...state.packs.map((p) => {
      const box = el("input", { type: "checkbox", "data-pack": p.id });
      box.checked = state.enabled.has(p.id);
      box.addEventListener("change", () => {
        if (box.checked) state.enabled.add(p.id); else state.enabled.delete(p.id);
        scheduleCheck(0);
      });
      const meta = `${p.version} · ${p.rules.length} ${t("rules")}` + (p.extends ? ` · ${t("extends")} ${p.extends}` : "")
        + (p.stale ? ` · ${t("stale")}` : "");
      return el("li", {}, el("label", {}, box, el("span", {}, el("strong", {}, p.name), " ", el("span", { class: "meta" }, meta))));
    }));
    const refusedItems = [];
    for (const p of state.packs) {
      for (const e of p.errors || []) if (e.level === "error") refusedItems.push(`${e.file}:${e.line}: ${e.message}`);
    }
    for (const r of state.refused || []) {
      for (const e of r.errors) if (e.level === "error") refusedItems.push(`${t("refused")}: ${e.file}:${e.line}: ${e.message}`);
    }
    els.refused.replaceChildren(...refusedItems.map((s) => el("li", {}, s)));
  }

  /* ---- checking ---- */

  function requestBody() {
    const review = {};
    if (els.review.value.trim()) review.text = els.review.value;
    if (els.author.value.trim()) review.author = els.author.value.trim();
    if (els.rating.value) review.rating = Number(els.rating.value);
    if (els.date.value.trim()) review.date = els.date.value.trim();
    const body = {
      text: els.draft.value, language: "auto", review: Object.keys(review).length ? review : null,
      ui_language: state.ui, packs: state.packs.length && state.enabled.size < state.packs.length ? [...state.enabled] : null,
      disabled_rules: [],
    };
    if (state.now) body.now = state.now;
    return body;
  }

  function scheduleCheck(delay) {
    clearTimeout(state.timer);
    state.timer = setTimeout(runCheck, delay == null ? 250 : delay);
  }

  async function runCheck() {
    const seq = ++state.seq;
    const text = els.draft.value;
    if (!text.trim()) { render(text, { warnings: [], rewrite: { text: "", applied: [] }, language: {} }); els.status.textContent = ""; return; }
    els.status.textContent = t("checking");
    els.status.classList.remove("error");
    try {
      const res = await fetch("/api/v1/check", {
        method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(requestBody()),
      });
      const data = await res.json();
      if (seq !== state.seq) return;   // a newer check is on its way
      if (!res.ok) throw new Error((data.error && data.error.message) || res.statusText);
      render(text, data);
      els.status.textContent = t("checked", { ms: Math.round(data.elapsed_ms) });
    } catch (err) {
      if (seq !== state.seq) return;
      els.status.textContent = t("failed", { why: err.message });
      els.status.classList.add("error");
    }
  }

  function escapeText(s) { return document.createTextNode(s); }

  function renderMarks(text, warnings) {
    // Spans may overlap: mark each from its start, never past the next one's start.
    const spans = warnings.map((w, i) => ({ w, i })).filter((x) => x.w.span && x.w.span.end > x.w.span.start)
      .sort((a, b) => a.w.span.start - b.w.span.start || b.w.span.end - a.w.span.end);
    const frag = document.createDocumentFragment();
    let pos = 0;
    for (const { w, i } of spans) {
      const start = Math.max(w.span.start, pos);
      const end = Math.min(w.span.end, text.length);
      if (end <= start) continue;
      frag.append(escapeText(text.slice(pos, start)));
      frag.append(el("mark", { class: `sev-${w.severity}`, "data-index": String(i), "data-rule": w.rule }, text.slice(start, end)));
      pos = end;
    }
    frag.append(escapeText(text.slice(pos) + "\n"));   // the trailing newline keeps heights equal
    els.backdrop.replaceChildren(frag);
    syncScroll();
  }

  function render(text, data) {
    state.result = data;
    state.text = text;
    const warnings = data.warnings || [];
    renderMarks(text, warnings);
    els.count.textContent = String(warnings.length);
    els.empty.hidden = warnings.length > 0 || !text.trim();
    const lang = data.language || {};
    els.draftLang.textContent = lang.code ? `${LANG_NAMES[lang.code] || lang.code}` : "";
    els.warnings.replaceChildren(...warnings.map((w, i) => warningCard(w, i, text)));
    const rw = data.rewrite || {};
    const changed = rw.text && rw.text !== text;
    els.rewriteBox.hidden = !changed;
    els.rewrite.textContent = changed ? rw.text : "";
  }

  function warningCard(w, i, text) {
    const quote = w.span ? `“${text.slice(w.span.start, w.span.end)}”` : null;
    const fixes = (w.suggestions || []).slice(0, 3).map((s) => el("button", {
      type: "button", class: "fix",
      onclick: (ev) => { ev.stopPropagation(); applySuggestion(s); },
    }, s.kind === "delete" ? t("remove") : `${t("apply")}: ${s.text.trim().slice(0, 60)}`));
    return el("li", {
      class: `warning sev-${w.severity}`, "data-index": String(i), "data-rule": w.rule, "data-pack": w.pack,
      tabindex: "0",
      onclick: () => focusWarning(i), onmouseenter: () => setActive(i), onmouseleave: () => setActive(-1),
    },
    el("div", { class: "head" }, el("span", { class: "sev" }, t(w.severity)), el("span", { class: "rule" }, w.rule),
      el("span", { class: "pack-tag" }, w.pack)),
    el("div", { class: "message" }, w.message, quote ? " " : null, quote ? el("span", { class: "quote" }, quote) : null),
    w.explanation ? el("div", { class: "explanation" }, w.explanation) : null,
    w.sources && w.sources.length ? el("div", { class: "sources" }, `${t("sources")}: ${w.sources.join("; ")}`) : null,
    fixes.length ? el("div", { class: "fixes" }, ...fixes) : null);
  }

  function setActive(i) {
    state.active = i;
    els.backdrop.querySelectorAll("mark").forEach((m) => m.classList.toggle("active", Number(m.dataset.index) === i));
    els.warnings.querySelectorAll(".warning").forEach((c) => c.classList.toggle("active", Number(c.dataset.index) === i));
  }

  function focusWarning(i) {
    const w = state.result && state.result.warnings[i];
    setActive(i);
    if (w && w.span) {
      els.draft.focus();
      els.draft.setSelectionRange(w.span.start, w.span.end);
    }
  }

  function applySuggestion(s) {
    const text = els.draft.value;
    els.draft.focus();
    els.draft.setSelectionRange(s.start, s.end);
    // execCommand keeps the browser's undo stack (Ctrl+Z); fall back to setRangeText.
    if (!document.execCommand || !document.execCommand("insertText", false, s.text)) {
      els.draft.setRangeText(s.text, s.start, s.end, "end");
    }
    if (els.draft.value === text && s.text === "") els.draft.setRangeText("", s.start, s.end, "end");
    scheduleCheck(0);
  }

  function syncScroll() {
    els.backdrop.scrollTop = els.draft.scrollTop;
    els.backdrop.style.height = els.draft.offsetHeight + "px";
  }

  /* ---- wiring ---- */

  els.draft.addEventListener("input", () => {
    // Old marks would point at the wrong characters: redraw them unmarked until the answer comes.
    renderMarks(els.draft.value, []);
    scheduleCheck();
  });
  els.draft.addEventListener("scroll", syncScroll);
  new ResizeObserver(syncScroll).observe(els.draft);
  for (const input of [els.review, els.author, els.rating, els.date]) input.addEventListener("input", () => scheduleCheck());
  els.scenario.addEventListener("change", () => pickScenario(Number(els.scenario.value)));
  els.scenarioLang.addEventListener("change", fillScenarioSelect);
  els.ui.addEventListener("change", () => { state.ui = els.ui.value; localStorage.setItem("rc-ui", state.ui); applyI18n(); scheduleCheck(0); });
  els.present.addEventListener("click", () => setPresent(!document.body.classList.contains("present")));
  els.useRewrite.addEventListener("click", () => {
    if (!state.result) return;
    els.draft.focus();
    els.draft.select();
    if (!document.execCommand || !document.execCommand("insertText", false, state.result.rewrite.text)) {
      els.draft.value = state.result.rewrite.text;
    }
    scheduleCheck(0);
  });
  document.addEventListener("keydown", (ev) => {
    if (ev.key === "Escape" && document.body.classList.contains("present")) setPresent(false);
  });

  function setPresent(on) {
    document.body.classList.toggle("present", on);
    els.present.setAttribute("aria-pressed", on ? "true" : "false");
    syncScroll();
  }

  const saved = localStorage.getItem("rc-ui");
  const nav = (navigator.language || "en").slice(0, 2);
  state.ui = I18N[saved] ? saved : (I18N[nav] ? nav : "en");
  els.ui.value = state.ui;
  const params = new URLSearchParams(location.search);
  if (params.get("present") === "1") setPresent(true);
  applyI18n();
  Promise.all([loadPacks(), loadScenarios()]).then(() => {
    document.body.dataset.ready = "1";
    if (els.draft.value.trim()) scheduleCheck(0);
  }).catch((err) => {
    els.status.textContent = t("failed", { why: err.message });
    els.status.classList.add("error");
  });
  // Team packs may change while the page is open (hot reload).
  setInterval(() => loadPacks().catch(() => {}), 5000);
})();
