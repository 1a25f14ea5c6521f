// Fills [data-i18n] elements of extension pages from _locales.
(function (root) {
  "use strict";
  const api = root.ReplyCoachSettings.api;
  root.ReplyCoachI18n = {
    t: (key, subs) => api.i18n.getMessage(key, subs) || key,
    fill(doc) {
      doc.documentElement.lang = api.i18n.getUILanguage();
      for (const el of doc.querySelectorAll("[data-i18n]")) el.textContent = api.i18n.getMessage(el.dataset.i18n) || el.dataset.i18n;
      for (const el of doc.querySelectorAll("[data-i18n-placeholder]")) el.placeholder = api.i18n.getMessage(el.dataset.i18nPlaceholder);
    },
  };
})(globalThis);
