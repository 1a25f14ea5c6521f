// Applying fixes. Everything goes through the browser's editing commands
// (execCommand insertText/delete), which fire beforeinput/input like typing:
// the site's editor (React, Lexical, Draft...) sees a normal edit, and the
// browser records it on its undo stack, so Ctrl+Z takes the fix back.
(function (RC) {
  "use strict";

  const { isFormField, readEditable, readText, rangeFor } = RC.text;

  function selectSpan(field, start, end) {
    field.focus({ preventScroll: true });
    if (isFormField(field)) {
      field.setSelectionRange(start, end);
      return null;
    }
    const range = rangeFor(field, readEditable(field), start, end);
    const sel = field.ownerDocument.getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
    return range;
  }

  function runCommand(doc, replacement) {
    try {
      return replacement ? doc.execCommand("insertText", false, replacement) : doc.execCommand("delete", false);
    } catch (e) {
      return false;
    }
  }

  // Last resort when editing commands are unavailable: offer the edit to the
  // editor as a beforeinput it can handle, else edit the DOM and announce it.
  // Undo may not cover this path, but the site's state stays consistent.
  function fallback(field, start, end, replacement, range) {
    if (isFormField(field)) {
      field.setRangeText(replacement, start, end, "end");
      field.dispatchEvent(new InputEvent("input", { bubbles: true, inputType: "insertReplacementText", data: replacement }));
      return;
    }
    const before = new InputEvent("beforeinput", {
      bubbles: true,
      cancelable: true,
      inputType: "insertReplacementText",
      data: replacement,
      targetRanges: range ? [new StaticRange(range)] : [],
    });
    if (!field.dispatchEvent(before)) return; // the editor took it
    range.deleteContents();
    if (replacement) range.insertNode(field.ownerDocument.createTextNode(replacement));
    field.dispatchEvent(new InputEvent("input", { bubbles: true, inputType: "insertReplacementText", data: replacement }));
  }

  // Replaces [start, end) of the field's text. Returns true when the field
  // now reads as expected.
  function replaceSpan(field, start, end, replacement) {
    const before = readText(field);
    if (start < 0 || end < start || end > before.length) return false;
    const expected = before.slice(0, start) + replacement + before.slice(end);
    if (expected === before) return true;
    const range = selectSpan(field, start, end);
    if (!runCommand(field.ownerDocument, replacement) || readText(field) === before) {
      fallback(field, start, end, replacement, range || selectSpan(field, start, end));
    }
    return readText(field) === expected;
  }

  function isLowSurrogate(code) {
    return code >= 0xdc00 && code <= 0xdfff;
  }

  // Smallest single edit turning `from` into `to`, so a full rewrite is one
  // undo step and leaves the user's untouched text (and its formatting) alone.
  function diffRange(from, to) {
    let p = 0;
    const max = Math.min(from.length, to.length);
    while (p < max && from.charCodeAt(p) === to.charCodeAt(p)) p++;
    let q = 0;
    while (q < max - p && from.charCodeAt(from.length - 1 - q) === to.charCodeAt(to.length - 1 - q)) q++;
    // Never cut an emoji (surrogate pair) in half.
    if (p > 0 && isLowSurrogate(from.charCodeAt(p))) p--;
    if (q > 0 && isLowSurrogate(from.charCodeAt(from.length - q))) q--;
    return { start: p, end: from.length - q, text: to.slice(p, to.length - q) };
  }

  function replaceAll(field, target) {
    const d = diffRange(readText(field), target);
    return replaceSpan(field, d.start, d.end, d.text);
  }

  // Shifts spans from an old text onto a new one (typing between checks), so
  // underlines stay on their words; spans touched by the edit are dropped.
  function shiftSpan(span, from, to) {
    const d = diffRange(from, to);
    const delta = d.text.length - (d.end - d.start);
    if (span.end <= d.start) return span;
    if (span.start >= d.end) return { start: span.start + delta, end: span.end + delta };
    return null;
  }

  RC.apply = { replaceSpan, replaceAll, diffRange, shiftSpan };
})((globalThis.ReplyCoach = globalThis.ReplyCoach || {}));
