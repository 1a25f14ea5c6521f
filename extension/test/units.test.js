// Unit tests of the DOM-free helpers: `node --test test/` (pytest runs it too).
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");

require("../src/content/text.js");
require("../src/content/adapters.js");
require("../src/content/apply.js");
require("../src/shared/settings.js");
const { parseRating, parseDate } = globalThis.ReplyCoach.adapters;
const { diffRange, shiftSpan } = globalThis.ReplyCoach.apply;
const S = globalThis.ReplyCoachSettings;

test("ratings in the shapes review sites print them", () => {
  const cases = {
    "Rated 2.0 out of 5,": [2, 5],
    "2 star rating": [2, 5],
    "Rated 1 out of 5 stars": [1, 5],
    "Scored 6.0": [6, 10],
    "Оценка: 2 из 5": [2, 5],
    "2 uit 5": [2, 5],
    "4 από 5": [4, 5],
    "4,5/5": [4.5, 5],
  };
  for (const [text, [rating, max]] of Object.entries(cases)) {
    assert.deepEqual(parseRating(text), { rating, rating_max: max }, text);
  }
  assert.equal(parseRating("7 out of 5"), null); // impossible: ignore
  assert.equal(parseRating("great hotel"), null);
  assert.deepEqual(parseRating("2", 5), { rating: 2, rating_max: 5 });
});

test("dates: absolute, relative, or none (never guessed)", () => {
  const now = Date.parse("2026-11-24T12:00:00Z");
  const cases = {
    "2026-11-20": "2026-11-20T12:00:00.000Z",
    "2026-11-20T10:00:00+03:00": "2026-11-20T07:00:00.000Z",
    "20.11.2026": "2026-11-20T12:00:00.000Z",
    "19 ноя 2026": "2026-11-19T12:00:00.000Z",
    "Reviewed: 15 November 2026": "2026-11-15T12:00:00.000Z",
    "November 20, 2026": "2026-11-20T12:00:00.000Z",
    "2 days ago": "2026-11-22T12:00:00.000Z",
    "a week ago": "2026-11-17T12:00:00.000Z",
    "3 дня назад": "2026-11-21T12:00:00.000Z",
    "вчера": "2026-11-23T12:00:00.000Z",
  };
  for (const [text, iso] of Object.entries(cases)) assert.equal(parseDate(text, now), iso, text);
  assert.equal(parseDate("6d", now), null);
  assert.equal(parseDate("", now), null);
});

test("diffRange finds the one edit and never splits an emoji", () => {
  assert.deepEqual(diffRange("Hello!!", "Hello!"), { start: 6, end: 7, text: "" });
  assert.deepEqual(diffRange("Dear customer, thanks", "Hi Anna, thanks"), { start: 0, end: 13, text: "Hi Anna" });
  assert.deepEqual(diffRange("same", "same"), { start: 4, end: 4, text: "" });
  // 😀 and 😃 share the high surrogate: the edit must cover the whole pair.
  const d = diffRange("a😀b", "a😃b");
  assert.deepEqual(d, { start: 1, end: 3, text: "😃" });
});

test("shiftSpan keeps underlines on their words while typing", () => {
  const before = "Dear customer, hi!!";
  assert.deepEqual(shiftSpan({ start: 17, end: 19 }, before, "Oh " + before), { start: 20, end: 22 });
  assert.deepEqual(shiftSpan({ start: 0, end: 4 }, before, before + " more"), { start: 0, end: 4 });
  assert.equal(shiftSpan({ start: 0, end: 13 }, before, "Dear cstomer, hi!!"), null); // edited inside
});

test("server URL must stay on this machine", () => {
  assert.equal(S.normaliseServerUrl("http://127.0.0.1:8765/"), "http://127.0.0.1:8765");
  assert.equal(S.normaliseServerUrl("http://localhost:9000/api"), "http://localhost:9000");
  assert.equal(S.normaliseServerUrl("https://127.0.0.1:8765"), null);
  assert.equal(S.normaliseServerUrl("http://example.com:8765"), null);
  assert.equal(S.normaliseServerUrl("not a url"), null);
  assert.ok(S.siteDisabled({ disabledSites: ["tripadvisor.com"] }, "www.tripadvisor.com"));
  assert.ok(!S.siteDisabled({ disabledSites: ["tripadvisor.com"] }, "nottripadvisor.com"));
});
