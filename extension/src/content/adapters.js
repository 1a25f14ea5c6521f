// Site adapters: find the review a reply box answers and pull out its text,
// rating, author and date. Each adapter is data (selectors) so a markup
// change on a site is a one-line fix. An adapter is chosen by hostname, or
// by its markup fingerprint when the same widget is embedded elsewhere;
// otherwise the generic adapter (schema.org microdata, then proximity) runs.
(function (RC) {
  "use strict";

  const MAX_REVIEW_CHARS = 5000;

  function clean(s) {
    return String(s || "").replace(/\s+/g, " ").trim();
  }

  function visibleText(el) {
    // innerText keeps line breaks the user sees; textContent for hidden nodes.
    return clean(el.innerText || el.textContent);
  }

  const NUM = "(\\d+(?:[.,]\\d+)?)";
  const RATING_PATTERNS = [
    // "Rated 2.0 out of 5", "2 из 5", "2 uit 5", "2 από 5", "2 / 5", "2 of 5"
    [new RegExp(NUM + "\\s*(?:out of|of|из|uit|van|από|/|st\\.?\\s*/)\\s*(\\d+)", "i"), (m) => [m[1], m[2]]],
    // "2 star rating", "2-star", "2 звезды", "2 sterre", "2 αστέρια", "2 tärni"
    [new RegExp(NUM + "[\\s-]*(?:stars?|звезд|sterre|αστ|tärn)", "i"), (m) => [m[1], "5"]],
    // Booking-style scores out of 10: "Scored 6.0", "Оценка 6,0"
    [new RegExp("(?:scored|score|оценка|hinne|telling|βαθμολογία)\\s*:?\\s*" + NUM, "i"), (m) => [m[1], "10"]],
  ];

  function num(s) {
    return Number(String(s).replace(",", "."));
  }

  function parseRating(str, defaultMax) {
    const s = clean(str);
    if (!s) return null;
    for (const [re, pick] of RATING_PATTERNS) {
      const m = s.match(re);
      if (m) {
        const [r, max] = pick(m);
        const rating = num(r);
        const ratingMax = num(max);
        if (rating >= 0 && ratingMax > 0 && rating <= ratingMax) return { rating, rating_max: ratingMax };
      }
    }
    if (defaultMax && /^\d+(?:[.,]\d+)?$/.test(s)) {
      const rating = num(s);
      if (rating <= defaultMax) return { rating, rating_max: defaultMax };
    }
    return null;
  }

  const MONTHS = {
    jan: 0, feb: 1, mar: 2, apr: 3, may: 4, jun: 5, jul: 6, aug: 7, sep: 8, oct: 9, nov: 10, dec: 11,
    янв: 0, фев: 1, мар: 2, апр: 3, мая: 4, май: 4, июн: 5, июл: 6, авг: 7, сен: 8, окт: 9, ноя: 10, дек: 11,
  };
  const UNITS = { minute: 6e4, hour: 36e5, day: 864e5, week: 6048e5, month: 2592e6, year: 31536e6 };
  const RU_UNITS = { мин: "minute", час: "hour", дн: "day", ден: "day", нед: "week", мес: "month", год: "year", лет: "year" };

  // Returns an ISO string, or null when the date cannot be read with
  // confidence (the server's date rules then stay silent, never guess).
  function parseDate(str, now) {
    const s = clean(str).toLowerCase();
    if (!s) return null;
    now = now || Date.now();
    let m = s.match(/\d{4}-\d{2}-\d{2}[t ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:z|[+-]\d{2}:?\d{2})/);
    if (m && !isNaN(new Date(m[0].toUpperCase().replace(" ", "T")))) {
      return new Date(m[0].toUpperCase().replace(" ", "T")).toISOString();
    }
    m = s.match(/(\d{4})-(\d{2})-(\d{2})/); // date only: noon UTC keeps the day in every zone
    if (m) return new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], 12)).toISOString();
    m = s.match(/\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b/);
    if (m) return new Date(Date.UTC(+m[3], +m[2] - 1, +m[1], 12)).toISOString();
    m = s.match(/(\d{1,2})\s+([a-zа-я]{3})[a-zа-я]*\.?,?\s+(\d{4})/);
    if (m && m[2] in MONTHS) return new Date(Date.UTC(+m[3], MONTHS[m[2]], +m[1], 12)).toISOString();
    m = s.match(/([a-z]{3})[a-z]*\.?\s+(\d{1,2}),?\s+(\d{4})/);
    if (m && m[1] in MONTHS) return new Date(Date.UTC(+m[3], MONTHS[m[1]], +m[2], 12)).toISOString();
    m = s.match(/([a-z]{3})[a-z]*\.?\s+(\d{4})/); // "November 2026" (TripAdvisor "Date of stay")
    if (m && m[1] in MONTHS) return new Date(Date.UTC(+m[2], MONTHS[m[1]], 1, 12)).toISOString();
    if (/(^|[\s,:])(today|just now|сегодня)($|[\s,.])/.test(s)) return new Date(now).toISOString();
    if (/(^|[\s,:])(yesterday|вчера)($|[\s,.])/.test(s)) return new Date(now - UNITS.day).toISOString();
    m = s.match(/\b(a|an|one|\d+)\s+(minute|hour|day|week|month|year)s?\s+ago\b/);
    if (m) return new Date(now - (/^\d+$/.test(m[1]) ? +m[1] : 1) * UNITS[m[2]]).toISOString();
    m = s.match(/(\d+)?\s*(мин|час|дн|ден|нед|мес|год|лет)[а-я]*\s+назад/);
    if (m) return new Date(now - (m[1] ? +m[1] : 1) * UNITS[RU_UNITS[m[2]]]).toISOString();
    return null;
  }

  function first(card, selectors) {
    for (const sel of [].concat(selectors || [])) {
      const el = card.querySelector(sel);
      if (el) return el;
    }
    return null;
  }

  function attrOrText(el, attrs) {
    for (const a of attrs) {
      const v = el.getAttribute(a);
      if (v) return v;
    }
    return visibleText(el);
  }

  // The review card that belongs to a reply box: the box's own card, else
  // the nearest card before it (reply forms often sit just under the review).
  function findCard(field, cardSelector) {
    const own = field.closest(cardSelector);
    if (own) return own;
    for (let a = field.parentElement, depth = 0; a && depth < 12; a = a.parentElement, depth++) {
      const cards = Array.from(a.querySelectorAll(cardSelector)).filter((c) => !c.contains(field));
      if (!cards.length) continue;
      const before = cards.filter((c) => c.compareDocumentPosition(field) & Node.DOCUMENT_POSITION_FOLLOWING);
      return before.length ? before[before.length - 1] : cards[0];
    }
    return null;
  }

  function extractWith(spec, card, field) {
    const texts = [];
    for (const sel of [].concat(spec.text)) {
      for (const el of card.querySelectorAll(sel)) {
        if (el.contains(field) || field.contains(el) || el.closest("[contenteditable='true'], textarea")) continue;
        const t = visibleText(el);
        if (t && !texts.some((x) => x.includes(t))) texts.push(t);
      }
      if (texts.length && !spec.joinAllText) break;
    }
    const review = {};
    const text = texts.join("\n").slice(0, MAX_REVIEW_CHARS);
    if (text) review.text = text;
    const rating = spec.rating ? spec.rating(card) : null;
    if (rating) Object.assign(review, rating);
    const authorEl = first(card, spec.author);
    if (authorEl) {
      const author = clean(attrOrText(authorEl, ["content"]));
      if (author) review.author = author.slice(0, 120);
    }
    const dateEl = first(card, spec.date);
    if (dateEl) {
      const date = parseDate(attrOrText(dateEl, ["datetime", "content", "data-date", "title"]));
      if (date) review.date = date;
    }
    return review;
  }

  // Rating helpers used by several adapters.
  function ratingFromLabels(selectors, defaultMax) {
    return (card) => {
      for (const sel of [].concat(selectors)) {
        for (const el of card.querySelectorAll(sel)) {
          const r = parseRating(attrOrText(el, ["aria-label", "title", "alt", "content", "data-rating"]), defaultMax);
          if (r) return r;
        }
      }
      return null;
    };
  }

  const ADAPTERS = [
    {
      id: "google",
      name: "Google",
      hosts: /(^|\.)google\.[a-z.]+$/,
      card: ".gws-localreviews__google-review, [data-review-id]:has(.review-full-text, .wiI7pd, .MyEned)",
      text: [".review-full-text", "[data-expandable-section]", ".wiI7pd", ".Jtu6Td"],
      author: [".TSUbDb", ".d4r55", "a[href*='/contrib/']"],
      date: [".dehysf", ".rsqaWe", "time"],
      rating: ratingFromLabels(["[aria-label*='out of']", "[aria-label*='star']", "[role='img'][aria-label]"]),
    },
    {
      id: "tripadvisor",
      name: "Tripadvisor",
      hosts: /(^|\.)tripadvisor\.[a-z.]+$/,
      card: ".review-container, [data-reviewid], [data-test-target='HR_CC_CARD']",
      text: [".partial_entry", "q.QewHA", "[data-test-target='review-body']", ".reviewText"],
      author: [".info_text > div", ".memberOverlayLink", "a.ui_header_link"],
      date: [".ratingDate", "[data-test-target='review-date']", ".stay_date"],
      rating: (card) => {
        // ui_bubble_rating bubble_20 means 2.0 of 5.
        const bubble = card.querySelector("[class*='bubble_']");
        const m = bubble && bubble.className.match(/bubble_(\d)(\d)/);
        if (m) return { rating: +m[1] + +m[2] / 10, rating_max: 5 };
        return ratingFromLabels(["[aria-label*='of 5']", "svg[aria-label]", "title"])(card);
      },
    },
    {
      id: "yelp",
      name: "Yelp",
      hosts: /(^|\.)yelp\.[a-z.]+$/,
      card: "[data-review-id]:has([aria-label$='star rating']), li:has([aria-label$='star rating'])",
      text: ["p[class*='comment']", "[data-testid='review-text']", "span[lang]"],
      author: ["[data-testid='user-passport-info'] a", "a[href*='/user_details']", ".user-name"],
      date: ["[data-testid='review-date']", "span[class*='date']", "span.css-chan6m", "time"],
      rating: ratingFromLabels(["[aria-label$='star rating']", "[role='img'][aria-label]"]),
    },
    {
      id: "trustpilot",
      name: "Trustpilot",
      hosts: /(^|\.)trustpilot\.[a-z.]+$/,
      card: "article[data-service-review-card-paper], [data-review-id], article:has([data-service-review-rating])",
      text: ["[data-service-review-title-typography]", "[data-service-review-text-typography]"],
      joinAllText: true,
      author: ["[data-consumer-name-typography]", "[data-consumer-profile-link] span"],
      date: ["time[datetime]", "[data-service-review-date-time-ago]"],
      rating: (card) => {
        const el = card.querySelector("[data-service-review-rating]");
        if (el) return { rating: +el.getAttribute("data-service-review-rating"), rating_max: 5 };
        return ratingFromLabels(["img[alt*='Rated']", "[aria-label*='Rated']"])(card);
      },
    },
    {
      id: "facebook",
      name: "Facebook",
      hosts: /(^|\.)facebook\.com$/,
      card: "[role='article']",
      text: ["[data-ad-comet-preview='message']", "[data-ad-preview='message']", "div[dir='auto']"],
      author: ["h2 strong", "h3 strong", "h2 a", "[role='link'] strong"],
      date: ["abbr[data-utime]", "a[href*='/posts/'] span", "a[role='link'][aria-label]"],
      rating: (card) => {
        // Facebook has recommendations, not stars: map yes/no onto 5/1 of 5.
        const t = visibleText(card.querySelector("h2, h3") || card).toLowerCase();
        if (/doesn.t recommend|не рекомендует|nie aan|δεν προτείνει|ei soovita/.test(t)) return { rating: 1, rating_max: 5 };
        if (/recommends|рекомендует|beveel|προτείνει|soovitab/.test(t)) return { rating: 5, rating_max: 5 };
        return null;
      },
    },
    {
      id: "booking",
      name: "Booking.com",
      hosts: /(^|\.)booking\.com$/,
      card: "[data-testid='review-card'], .review_item, .c-review-block",
      text: ["[data-testid='review-title']", "[data-testid='review-positive-text']", "[data-testid='review-negative-text']", ".review_pos", ".review_neg"],
      joinAllText: true,
      author: [".bui-avatar-block__title", "[data-testid='review-author']", ".reviewer_name"],
      date: ["[data-testid='review-date']", ".review_item_date", ".c-review-block__date"],
      rating: ratingFromLabels(["[data-testid='review-score']", ".review-score-badge", ".bui-review-score__badge"], 10),
    },
    {
      id: "otzovik",
      name: "Otzovik",
      hosts: /(^|\.)otzovik\.com$/,
      card: ".item.review-wrap, [itemprop='review'], .review-contents",
      text: [".review-teaser", ".review-plus", ".review-minus", ".review-body"],
      joinAllText: true,
      author: [".user-login [itemprop='name']", ".user-login", "[itemprop='author']"],
      date: [".review-postdate", "[itemprop='datePublished']"],
      rating: (card) => {
        const abbr = card.querySelector("abbr.rating[title], [itemprop='ratingValue']");
        if (!abbr) return null;
        const best = card.querySelector("[itemprop='bestRating']");
        return parseRating(attrOrText(abbr, ["title", "content"]), best ? +attrOrText(best, ["content"]) : 5);
      },
    },
  ];

  const GENERIC_MICRODATA = {
    id: "generic",
    name: "",
    card: "[itemprop='review'], [itemtype*='schema.org/Review'], [typeof='Review']",
    text: ["[itemprop='reviewBody']", "[itemprop='description']", "[property='reviewBody']"],
    author: ["[itemprop='author'] [itemprop='name']", "[itemprop='author']"],
    date: ["[itemprop='datePublished']", "time[datetime]"],
    rating: (card) => {
      const v = card.querySelector("[itemprop='ratingValue']");
      if (!v) return ratingFromLabels(["[aria-label*='star']", "[aria-label*='out of']"])(card);
      const best = card.querySelector("[itemprop='bestRating']");
      return parseRating(attrOrText(v, ["content"]), best ? +attrOrText(best, ["content"]) : 5);
    },
  };

  // Last resort: the nearest block of prose before the reply box, inside a
  // few ancestors. Better some context than none; the user can override it.
  function proximity(field) {
    for (let a = field.parentElement, depth = 0; a && a !== document.body && depth < 6; a = a.parentElement, depth++) {
      const blocks = Array.from(a.querySelectorAll("p, blockquote, [class*='review'], [class*='comment'], div"))
        .filter((el) => !el.contains(field) && !el.isContentEditable && !el.querySelector("textarea, input, [contenteditable='true']"))
        .filter((el) => el.compareDocumentPosition(field) & Node.DOCUMENT_POSITION_FOLLOWING)
        .filter((el) => visibleText(el).length >= 30 && !el.closest("form, nav, header, footer, [data-replycoach-ui]"));
      if (!blocks.length) continue;
      const block = blocks[blocks.length - 1];
      const review = { text: visibleText(block).slice(0, MAX_REVIEW_CHARS) };
      const rating = ratingFromLabels(["[aria-label*='star']", "[aria-label*='out of']", "[title*='star']"])(a);
      if (rating) Object.assign(review, rating);
      const time = a.querySelector("time[datetime]");
      const date = time && parseDate(time.getAttribute("datetime"));
      if (date) review.date = date;
      return review;
    }
    return {};
  }

  // Returns {adapter: id, name, review} for a reply box.
  function extractReview(field, hostname) {
    const host = String(hostname || location.hostname).toLowerCase();
    const byHost = ADAPTERS.find((a) => a.hosts.test(host));
    const order = byHost ? [byHost].concat(ADAPTERS.filter((a) => a !== byHost)) : ADAPTERS;
    for (const spec of order) {
      const card = findCard(field, spec.card);
      if (!card) continue;
      const review = extractWith(spec, card, field);
      if (review.text || spec === byHost) return { adapter: spec.id, name: spec.name, review };
    }
    const card = findCard(field, GENERIC_MICRODATA.card);
    if (card) return { adapter: "generic", name: "", review: extractWith(GENERIC_MICRODATA, card, field) };
    return { adapter: "generic", name: "", review: proximity(field) };
  }

  RC.adapters = { ADAPTERS, extractReview, parseRating, parseDate };
})((globalThis.ReplyCoach = globalThis.ReplyCoach || {}));
