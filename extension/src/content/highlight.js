// Underlines. contenteditable: the CSS Custom Highlight API paints ranges
// without touching the site's DOM (editors re-render and would fight inserted
// spans). Textareas and inputs keep their text in a closed UA shadow tree, so
// they get a mirror: a copy of the text with the same metrics laid exactly
// over the field, with transparent glyphs and underlined <mark>s. Where the
// Highlight API is missing (older Firefox), contenteditable gets boxes drawn
// from Range.getClientRects() in our own shadow overlay.
(function (RC) {
  "use strict";

  const { isFormField, readEditable, rangeFor } = RC.text;
  const SEVERITIES = ["error", "warning", "suggestion"];
  const HAS_HIGHLIGHT_API = typeof CSS !== "undefined" && !!CSS.highlights && typeof Highlight === "function";
  let mode = "auto"; // settings.underlineMode: "overlay" skips the Highlight API (sites whose CSS clashes)

  function setMode(m) {
    mode = m === "overlay" ? "overlay" : "auto";
  }

  // One Highlight per severity, shared by all fields on the page.
  const registry = {};
  function highlightFor(severity) {
    if (!registry[severity]) {
      registry[severity] = new Highlight();
      CSS.highlights.set("replycoach-" + severity, registry[severity]);
    }
    return registry[severity];
  }

  const MIRROR_PROPS = [
    "boxSizing", "fontFamily", "fontSize", "fontStyle", "fontWeight", "fontVariant", "fontStretch",
    "letterSpacing", "lineHeight", "textTransform", "textIndent", "textAlign", "wordSpacing",
    "tabSize", "direction", "paddingTop", "paddingRight", "paddingBottom", "paddingLeft",
    "borderTopWidth", "borderRightWidth", "borderBottomWidth", "borderLeftWidth", "borderTopStyle",
    "borderRightStyle", "borderBottomStyle", "borderLeftStyle",
  ];

  class Underlines {
    constructor(field, container) {
      this.field = field;
      this.container = container; // element inside our shadow root, over the field
      this.ranges = []; // Highlight API ranges we own, per severity
      this.mirror = null;
    }

    usesHighlightApi() {
      return !isFormField(this.field) && HAS_HIGHLIGHT_API && mode !== "overlay";
    }

    clear() {
      for (const { severity, range } of this.ranges) highlightFor(severity).delete(range);
      this.ranges = [];
      this.container.replaceChildren();
      this.mirror = null;
    }

    // spans: [{start, end, severity, index}] on the field's current text.
    render(spans, text) {
      this.clear();
      this.last = { spans, text };
      if (!spans.length) return;
      if (this.usesHighlightApi()) {
        const model = readEditable(this.field);
        if (model.text !== text) return; // stale: wait for the next check
        for (const s of spans) {
          const range = rangeFor(this.field, model, s.start, s.end);
          highlightFor(s.severity).add(range);
          this.ranges.push({ severity: s.severity, range });
        }
        return;
      }
      if (isFormField(this.field)) this.renderMirror(spans, text);
      else this.renderBoxes(spans, text);
    }

    renderMirror(spans, text) {
      const field = this.field;
      const cs = getComputedStyle(field);
      const mirror = document.createElement("div");
      mirror.className = "rc-mirror";
      for (const p of MIRROR_PROPS) mirror.style[p] = cs[p];
      mirror.style.borderColor = "transparent";
      mirror.style.width = field.offsetWidth + "px";
      mirror.style.height = field.offsetHeight + "px";
      const isInput = field instanceof HTMLInputElement;
      mirror.style.whiteSpace = isInput ? "pre" : "pre-wrap";
      mirror.style.overflowWrap = isInput ? "normal" : "break-word";
      // The field's scrollbar narrows its text box; the mirror has none.
      const scrollbar = field.offsetWidth - field.clientWidth - parseFloat(cs.borderLeftWidth) - parseFloat(cs.borderRightWidth);
      if (scrollbar > 0) mirror.style.paddingRight = parseFloat(cs.paddingRight) + scrollbar + "px";
      if (isInput) {
        // Inputs centre one line vertically.
        const inner = field.clientHeight - parseFloat(cs.paddingTop) - parseFloat(cs.paddingBottom);
        mirror.style.lineHeight = inner + "px";
      }
      let pos = 0;
      const sorted = spans.slice().sort((a, b) => a.start - b.start || b.end - a.end);
      for (const s of sorted) {
        if (s.start < pos) continue; // overlapping spans: the first one wins in the mirror
        mirror.append(text.slice(pos, s.start));
        const mark = document.createElement("mark");
        mark.className = "rc-underline rc-" + s.severity;
        mark.dataset.index = String(s.index);
        mark.dataset.start = String(s.start);
        mark.dataset.end = String(s.end);
        mark.textContent = text.slice(s.start, s.end);
        mirror.append(mark);
        pos = s.end;
      }
      // A trailing newline needs a character after it to take up a line.
      mirror.append(text.slice(pos) + "\u200b");
      this.container.replaceChildren(mirror);
      this.mirror = mirror;
      this.syncScroll();
    }

    renderBoxes(spans, text) {
      const model = readEditable(this.field);
      if (model.text !== text) return;
      const origin = this.container.getBoundingClientRect();
      for (const s of spans) {
        const range = rangeFor(this.field, model, s.start, s.end);
        for (const r of range.getClientRects()) {
          const box = document.createElement("div");
          box.className = "rc-box rc-" + s.severity;
          box.dataset.index = String(s.index);
          box.style.left = r.left - origin.left + "px";
          box.style.top = r.bottom - origin.top - 3 + "px";
          box.style.width = r.width + "px";
          this.container.append(box);
        }
      }
    }

    syncScroll() {
      if (this.mirror) {
        this.mirror.scrollTop = this.field.scrollTop;
        this.mirror.scrollLeft = this.field.scrollLeft;
      } else if (this.container.firstChild && this.last) {
        // Drawn boxes follow the text when the editor scrolls inside itself.
        this.container.replaceChildren();
        this.renderBoxes(this.last.spans, this.last.text);
      }
    }
  }

  RC.highlight = { Underlines, SEVERITIES, HAS_HIGHLIGHT_API, setMode };
})((globalThis.ReplyCoach = globalThis.ReplyCoach || {}));
