// Reading editable fields as plain text with a map back to the DOM.
// Offsets are JavaScript string indices, i.e. UTF-16 code units, which is
// exactly what the server reports, so no conversion happens anywhere.
(function (RC) {
  "use strict";

  const TEXT_INPUT_TYPES = new Set(["", "text", "search"]);
  const BLOCK_TAGS = new Set([
    "ADDRESS", "ARTICLE", "ASIDE", "BLOCKQUOTE", "DD", "DIV", "DL", "DT", "FIELDSET",
    "FIGCAPTION", "FIGURE", "FOOTER", "FORM", "H1", "H2", "H3", "H4", "H5", "H6",
    "HEADER", "HR", "LI", "MAIN", "NAV", "OL", "P", "PRE", "SECTION", "TABLE", "TR", "UL",
  ]);

  function isFormField(el) {
    return el instanceof HTMLTextAreaElement || el instanceof HTMLInputElement;
  }

  // The element we attach to: a textarea, a text input, or the editing host
  // of a contenteditable region (never an inner node of an editor).
  function editableRoot(node) {
    let el = node && node.nodeType === Node.TEXT_NODE ? node.parentElement : node;
    if (!(el instanceof Element)) return null;
    if (el instanceof HTMLTextAreaElement) return el;
    if (el instanceof HTMLInputElement) {
      return TEXT_INPUT_TYPES.has((el.getAttribute("type") || "").toLowerCase()) ? el : null;
    }
    if (!el.isContentEditable) return null;
    while (el.parentElement && el.parentElement.isContentEditable) el = el.parentElement;
    return el;
  }

  // Opt-outs a page (or another writing tool's convention) uses to say
  // "leave this field alone".
  function optedOut(el) {
    if (el.readOnly || el.disabled) return true;
    if (el.closest('[data-gramm="false"], [data-replycoach="false"], [data-enable-grammarly="false"]')) {
      return true;
    }
    return el.getAttribute("spellcheck") === "false";
  }

  // Walks a contenteditable host and returns its text with one segment per
  // text node; blocks and <br> become "\n" the way the user sees the lines.
  function readEditable(root) {
    const segments = [];
    let text = "";

    function nextMeaningful(node) {
      let n = node.nextSibling;
      while (n && n.nodeType === Node.TEXT_NODE && n.data === "") n = n.nextSibling;
      return n;
    }

    function newline() {
      if (text.length && !text.endsWith("\n")) {
        segments.push({ node: null, start: text.length, end: text.length + 1 });
        text += "\n";
      }
    }

    function walk(node) {
      for (let child = node.firstChild; child; child = child.nextSibling) {
        if (child.nodeType === Node.TEXT_NODE) {
          const data = child.data;
          if (!data) continue;
          segments.push({ node: child, start: text.length, end: text.length + data.length });
          text += data;
        } else if (child.nodeType === Node.ELEMENT_NODE) {
          const tag = child.tagName;
          if (tag === "BR") {
            // A <br> closing a block (or the host) is the browser's placeholder
            // that keeps an empty line open, not a line break of its own.
            const placeholder = !nextMeaningful(child) && (node === root || BLOCK_TAGS.has(node.tagName));
            if (!placeholder) {
              segments.push({ node: null, start: text.length, end: text.length + 1 });
              text += "\n";
            }
            continue;
          }
          if (tag === "SCRIPT" || tag === "STYLE" || child.getAttribute("contenteditable") === "false") continue;
          if (!BLOCK_TAGS.has(tag)) {
            walk(child);
            continue;
          }
          newline(); // a block starts on a line of its own
          const before = text.length;
          walk(child);
          if (text.length === before && child.querySelector("br")) {
            // <div><br></div>: an empty line the user made with Enter.
            segments.push({ node: null, start: text.length, end: text.length + 1 });
            text += "\n";
          } else {
            newline();
          }
        }
      }
    }

    walk(root);
    // The closing newline of the last block is not part of the draft.
    if (text.endsWith("\n") && segments.length && segments[segments.length - 1].node === null) {
      segments.pop();
      text = text.slice(0, -1);
    }
    return { text, segments };
  }

  function readText(el) {
    return isFormField(el) ? el.value : readEditable(el).text;
  }

  // Maps a text offset to a DOM boundary point inside a contenteditable.
  // `preferEnd` picks the end of the previous text node at a boundary so a
  // range never swallows the gap between two nodes.
  function pointAt(model, root, offset, preferEnd) {
    const segs = model.segments;
    for (let i = 0; i < segs.length; i++) {
      const s = segs[i];
      if (!s.node) continue;
      const inside = preferEnd ? offset > s.start && offset <= s.end : offset >= s.start && offset < s.end;
      if (inside) return { node: s.node, offset: offset - s.start };
    }
    // At a line break or the very end: place after the last text before it.
    let best = null;
    for (const s of segs) {
      if (s.node && s.end <= offset) best = s;
      if (s.node && !best && s.start >= offset) return { node: s.node, offset: 0 };
    }
    if (best) return { node: best.node, offset: best.end - best.start };
    return { node: root, offset: offset > 0 ? root.childNodes.length : 0 };
  }

  function rangeFor(root, model, start, end) {
    const range = document.createRange();
    const a = pointAt(model, root, start, false);
    const b = start === end ? a : pointAt(model, root, end, true);
    range.setStart(a.node, a.offset);
    range.setEnd(b.node, b.offset);
    return range;
  }

  RC.text = { isFormField, editableRoot, optedOut, readEditable, readText, rangeFor };
})((globalThis.ReplyCoach = globalThis.ReplyCoach || {}));
