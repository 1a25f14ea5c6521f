"""Latency of History.similar() with 5,000 stored replies.

    .venv/bin/python benchmarks/history_latency.py [--out benchmarks/results/history.md]

The store is filled the way a busy account fills it: replies built from
sentence pools in five languages (many share openings and closings, some
templates are reused with other names and numbers). Drafts are half
near-copies of stored replies (other name, other number), half new text.
"""
import argparse
import os
import platform
import random
import statistics
import tempfile
import time

from replycoach.history import History

NAMES = ["Anna", "Peter", "Maria", "Олег", "Анна", "Μαρία", "Νίκος", "Mari", "Jüri", "Pieter",
         "Annelie", "John", "Sofia", "Ivan", "Kadri", "Thabo", "Eleni", "Liis", "Sergey", "Emma"]

POOLS = {
    "en": (["Hi {n},", "Dear {n},", "Hello {n},", "Thank you, {n}!"],
           ["thank you for your review.", "thanks for staying with us for {d} nights.",
            "we are sorry the room was noisy.", "we are glad you enjoyed breakfast.",
            "our technician has fixed the air conditioning.", "the pool opens at {d} am now.",
            "we have talked to the team about the delay at check-in.",
            "parking is free for guests from now on.", "the spa will reopen in {d} weeks.",
            "we passed your kind words to the chef.", "the wifi has been upgraded."],
           ["We hope to see you again.", "Best wishes, the team.", "Kind regards, reception."]),
    "ru": (["Здравствуйте, {n}!", "{n}, добрый день!"],
           ["спасибо за ваш отзыв.", "нам очень жаль, что в номере было шумно.",
            "мы рады, что вам понравился завтрак.", "техник уже починил кондиционер.",
            "бассейн теперь открывается в {d} утра.", "мы обсудили с командой задержку при заселении.",
            "парковка для гостей теперь бесплатная.", "спа откроется через {d} недели."],
           ["Ждём вас снова!", "С уважением, команда отеля."]),
    "el": (["Γεια σας {n},", "Αγαπητή {n},"],
           ["σας ευχαριστούμε για την κριτική σας.", "λυπούμαστε για τον θόρυβο στο δωμάτιο.",
            "χαιρόμαστε που σας άρεσε το πρωινό.", "ο τεχνικός επισκεύασε το κλιματιστικό.",
            "η πισίνα ανοίγει στις {d} το πρωί.", "το σπα θα ανοίξει σε {d} εβδομάδες."],
           ["Ελπίζουμε να σας ξαναδούμε.", "Με εκτίμηση, η ομάδα."]),
    "et": (["Tere, {n}!", "Hea {n},"],
           ["täname tagasiside eest.", "meil on kahju, et toas oli mürarikas.",
            "meil on hea meel, et hommikusöök meeldis.", "tehnik parandas konditsioneeri.",
            "bassein avatakse nüüd kell {d}.", "spaa avatakse {d} nädala pärast."],
           ["Ootame teid tagasi!", "Parimate soovidega, meeskond."]),
    "af": (["Hallo {n},", "Beste {n},"],
           ["baie dankie vir jou terugvoer.", "ons is jammer dat die kamer raserig was.",
            "ons is bly jy het die ontbyt geniet.", "die tegnikus het die lugversorger herstel.",
            "die swembad maak nou om {d} oop.", "die spa maak oor {d} weke weer oop."],
           ["Ons hoop om jou weer te sien.", "Groete, die span."]),
}


def make_reply(rng, lang, name=None, body=None):
    greet, middle, close = POOLS[lang]
    name = name or rng.choice(NAMES)
    if body is None:
        body = rng.sample(middle, rng.randint(2, min(5, len(middle))))
    parts = [rng.choice(greet).format(n=name)]
    parts += [s.format(d=rng.randint(2, 12)) for s in body]
    parts.append(rng.choice(close))
    return name, " ".join(parts), body


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, max(0, int(round(p / 100 * (len(xs) - 1)))))]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out")
    ap.add_argument("--rows", type=int, default=5000)
    ap.add_argument("--queries", type=int, default=2000)
    a = ap.parse_args()
    rng = random.Random(7)
    langs = list(POOLS)
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "history.sqlite3")
        h = History(path)
        h.set_enabled(True)
        stored = []
        rec = []
        for i in range(a.rows):
            lang = rng.choice(langs)
            name, text, body = make_reply(rng, lang)
            t = time.perf_counter()
            h.record(text, lang=lang, author=name)
            rec.append(time.perf_counter() - t)
            stored.append((lang, body))
        h.close()
        t = time.perf_counter()
        h = History(path)
        open_s = time.perf_counter() - t
        times, hits, counts = [], 0, []
        for q in range(a.queries):
            if q % 2 == 0:  # near-copy of a stored reply: other name and numbers
                lang, body = rng.choice(stored)
                name, draft, _ = make_reply(rng, lang, name="Zoltan", body=body)
            else:  # new text: a reply about something else, new words
                lang = rng.choice(langs)
                name = "Zoltan"
                draft = (f"Hi Zoltan, about the {rng.choice(['lift', 'minibar', 'kettle', 'curtains'])} "
                         f"in room {rng.randint(100, 999)}: " + " ".join(
                             rng.choice(["it", "was", "replaced", "after", "your", "stay", "and",
                                         "checked", "twice", "by", "our", "manager", "today"])
                             for _ in range(rng.randint(8, 30))))
            t = time.perf_counter()
            s = h.similar(draft, names=[name])
            times.append(time.perf_counter() - t)
            if s:
                hits += 1
                counts.append(s.count)
        h.close()
    ms = lambda x: f"{x * 1000:.3f}"
    lines = [
        "# History latency",
        "",
        f"`benchmarks/history_latency.py`, Python {platform.python_version()}, {platform.machine()}, "
        f"{time.strftime('%Y-%m-%d')}. {a.rows} stored replies in en/ru/el/et/af built from shared "
        f"sentence pools; {a.queries} drafts, half near-copies (other name and numbers), half new text.",
        "",
        "| measure | p50 ms | p99 ms | max ms |",
        "|---|---|---|---|",
        f"| similar() | {ms(pct(times, 50))} | {ms(pct(times, 99))} | {ms(max(times))} |",
        f"| record() (WAL, synchronous=NORMAL) | {ms(pct(rec, 50))} | {ms(pct(rec, 99))} | {ms(max(rec))} |",
        "",
        f"Open (load {a.rows} rows into the in-memory index): {open_s * 1000:.0f} ms. "
        f"Drafts that matched: {hits} of {a.queries}; median count of similar earlier replies "
        f"per match: {statistics.median(counts) if counts else 0}.",
    ]
    lines += ["", "Load average during the run: %.2f (2-core machine shared with other work; "
              "max and p99 columns include that noise)." % os.getloadavg()[0]]
    out = "\n".join(lines) + "\n"
    print(out)
    if a.out:
        with open(a.out, "w") as fh:
            fh.write(out)


if __name__ == "__main__":
    main()
