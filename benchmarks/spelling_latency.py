"""Latency of SpellChecker.check() on a ~1,000-char reply per core language.

    .venv/bin/python benchmarks/spelling_latency.py [--out benchmarks/results/spelling.md]

cold-load:  new SpellChecker, first check (dictionary load included; the
            server can avoid it with SpellChecker.preload at start).
cold-cache: dictionary loaded, word caches empty (first check of a draft).
warm:       the same draft again (the extension re-checks as the user types).
new-typo:   warm caches, but every check has a misspelling never seen
            before (edit-1 suggestions computed inside the check).
"""
import argparse
import os
import platform
import random
import statistics
import sys
import time

from replycoach.spelling import SpellChecker

PARAS = {
    "en": "Hi Anna, thank you for taking the time to write about your stay. We are truly sorry "
          "that the air conditioning in your room was noisy during the night and that the "
          "front desk did not offer you another room straight away. Our technician has "
          "replaced the unit, and we have talked to the evening team about how to handle "
          "such requests. Breakfast, as you noticed, is served until half past ten, and we "
          "are glad you enjoyed the fresh pastries and the view from the terrace. We hope "
          "you will give us another chance; please ask for Maria at reception next time, she "
          "will make sure everything is ready. We recieve many kind words about our garden "
          "and we will pass yours to the gardeners. Thank you again, and have a wonderful "
          "autumn. With best wishes, the team of the Riverside Hotel.",
    "ru": "Здравствуйте, Анна! Спасибо, что нашли время написать о своём отдыхе. Нам очень жаль, "
          "что кондиционер в вашем номере шумел ночью и что администратор не предложил вам "
          "сразу другой номер. Наш техник уже заменил блок, а с вечерней сменой мы обсудили, "
          "как нужно поступать в таких случаях. Завтрак, как вы заметили, подают до половины "
          "одиннадцатого, и мы рады, что вам понравилась свежая выпечка и вид с террасы. "
          "Надеемся, что вы дадите нам ещё один шанс: в следующий раз спросите на ресепшене "
          "Марию, она проследит, чтобы всё было готово. Извените за доставленные неудобства. "
          "Мы передадим ваши тёплые слова садовникам. Ещё раз спасибо и хорошей вам осени! "
          "С наилучшими пожеланиями, команда гостиницы.",
    "af": "Hallo Anna, baie dankie dat jy die tyd geneem het om oor jou verblyf te skryf. Ons is "
          "regtig jammer dat die lugversorger in jou kamer snags geraas het en dat die ontvangs "
          "nie dadelik vir jou 'n ander kamer aangebied het nie. Ons tegnikus het die eenheid "
          "vervang, en ons het met die aandspan gepraat oor hoe om sulke versoeke te hanteer. "
          "Ontbyt word, soos jy opgemerk het, tot halfelf bedien, en ons is bly dat jy die vars "
          "gebak en die uitsig van die terras geniet het. Ons hoop jy gee ons nog 'n kans; vra "
          "asseblief volgende keer vir Maria by ontvangs, sy sal sorg dat alles gereed is. "
          "Baie dankei vir die vriendelike woorde oor ons tuin, ons sal dit aan die tuiniers "
          "oordra. Nogmaals dankie, en geniet die herfs. Beste wense, die span.",
    "el": "Γεια σας Άννα, σας ευχαριστούμε που αφιερώσατε χρόνο για να γράψετε για τη διαμονή σας. "
          "Λυπούμαστε πραγματικά που το κλιματιστικό στο δωμάτιό σας έκανε θόρυβο τη νύχτα και "
          "που η ρεσεψιόν δεν σας πρότεινε αμέσως άλλο δωμάτιο. Ο τεχνικός μας αντικατέστησε τη "
          "μονάδα και μιλήσαμε με τη βραδινή βάρδια για το πώς χειριζόμαστε τέτοια αιτήματα. Το "
          "πρωινό, όπως παρατηρήσατε, σερβίρεται μέχρι τις δέκα και μισή, και χαιρόμαστε που σας "
          "άρεσαν τα φρέσκα αρτοσκευάσματα και η θέα από τη βεράντα. Ελπίζουμε να μας δώσετε άλλη "
          "μια ευκαιρία· την επόμενη φορά ζητήστε τη Μαρία στη ρεσεψιόν. Σας ευχαριστουμε για τα "
          "καλά σας λόγια για τον κήπο μας. Με τις καλύτερες ευχές, η ομάδα του ξενοδοχείου.",
    "et": "Tere, Anna! Täname, et leidsite aega oma peatumisest kirjutada. Meil on väga kahju, et "
          "konditsioneer teie toas öösel müra tegi ja et vastuvõtt ei pakkunud teile kohe teist "
          "tuba. Meie tehnik on seadme välja vahetanud ja me rääkisime õhtuse vahetusega, kuidas "
          "selliseid soove käsitleda. Hommikusööki, nagu te märkasite, pakutakse kella poole "
          "üheteistkümneni ja meil on hea meel, et teile meeldisid värsked küpsetised ja vaade "
          "terrassilt. Loodame, et annate meile veel ühe võimaluse; järgmisel korral küsige "
          "vastuvõtust Mariat, tema hoolitseb, et kõik oleks valmis. Tanan teid ka soojade sõnade "
          "eest meie aia kohta, anname need aednikele edasi. Veel kord aitäh ja ilusat sügist!",
}

TYPO_WORDS = {  # correct words to mangle into fresh misspellings
    "en": ["together", "comfortable", "breakfast", "beautiful", "reception", "restaurant"],
    "ru": ["спасибо", "обязательно", "ресторан", "завтрак", "комфортный", "прекрасный"],
    "af": ["ontbyt", "vriendelik", "restaurant", "personeel", "skoonmaak", "gemaklik"],
    "el": ["πρωινό", "εστιατόριο", "προσωπικό", "δωμάτιο", "καθαριότητα", "ευγενικό"],
    "et": ["hommikusöök", "restoran", "personal", "koristamine", "mugav", "sõbralik"],
}


def pct(xs, p):
    xs = sorted(xs)
    k = min(len(xs) - 1, max(0, int(round(p / 100 * (len(xs) - 1)))))
    return xs[k]


def ms(x):
    return f"{x * 1000:.2f}"


def run(langs, warm_n, cold_n, seed=1):
    rng = random.Random(seed)
    rows = []
    for lang in langs:
        text = PARAS[lang]
        while len(text) < 1000:  # pad to the 1,000-char budget case
            text += " " + PARAS[lang][: 1000 - len(text) - 1].rsplit(" ", 1)[0]
        cold_load, cold_cache = [], []
        found = None
        for _ in range(cold_n):
            sc = SpellChecker(background_suggest=False)
            t = time.perf_counter()
            found = sc.check(text, lang)
            cold_load.append(time.perf_counter() - t)
            sc2 = SpellChecker(background_suggest=False)
            sc2.preload([lang])
            t = time.perf_counter()
            sc2.check(text, lang)
            cold_cache.append(time.perf_counter() - t)
        sc = SpellChecker(background_suggest=False)
        sc.check(text, lang)
        warm = []
        for _ in range(warm_n):
            t = time.perf_counter()
            sc.check(text, lang)
            warm.append(time.perf_counter() - t)
        fresh = []
        seen = set()
        for _ in range(min(warm_n, 300)):
            # a misspelling this checker has not seen: drop one letter and
            # double another, so the word cache cannot answer
            for _try in range(50):
                w = rng.choice(TYPO_WORDS[lang])
                j, k = rng.randrange(len(w)), rng.randrange(len(w))
                typo = w[:j] + w[j + 1:]
                typo = typo[:k] + typo[k:k + 1] + typo[k:]
                if typo not in seen and typo != w:
                    seen.add(typo)
                    break
            t_text = text + " " + typo
            t = time.perf_counter()
            sc.check(t_text, lang)
            fresh.append(time.perf_counter() - t)
        rows.append((lang, len(text), [m.word for m in found], cold_load, cold_cache, warm, fresh))
    return rows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out")
    ap.add_argument("--warm", type=int, default=1000)
    ap.add_argument("--cold", type=int, default=5)
    ap.add_argument("--langs", default="en,ru,af,el,et")
    a = ap.parse_args()
    rows = run(a.langs.split(","), a.warm, a.cold)
    lines = [
        "# Spelling latency",
        "",
        f"`benchmarks/spelling_latency.py`, Python {platform.python_version()}, "
        f"{platform.machine()}, {time.strftime('%Y-%m-%d')}. Times in ms. "
        "One ~1,000-char reply per language with one planted misspelling.",
        "",
        "| lang | chars | misspellings found | cold-load p50 / max | cold-cache p50 / max | warm p50 | warm p99 | new-typo p50 | new-typo p99 |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for lang, n, found, cl, cc, w, f in rows:
        lines.append(
            f"| {lang} | {n} | {', '.join(found)} | {ms(statistics.median(cl))} / {ms(max(cl))} "
            f"| {ms(statistics.median(cc))} / {ms(max(cc))} | {ms(pct(w, 50))} | {ms(pct(w, 99))} "
            f"| {ms(pct(f, 50))} | {ms(pct(f, 99))} |")
    lines += [
        "",
        "cold-load: a new SpellChecker's first check, dictionary load included "
        "(SpellChecker.preload at server start moves it out of the request). "
        "cold-cache: dictionary loaded, empty word caches. warm: the same draft "
        "again. new-typo: warm, plus one never-seen misspelling per check "
        "(its edit-1 suggestions are computed within the check).",
    ]
    lines += ["", "Load average during the run: %.2f (2-core machine shared with other work; "
              "max and p99 columns include that noise)." % os.getloadavg()[0]]
    out = "\n".join(lines) + "\n"
    print(out)
    if a.out:
        with open(a.out, "w") as fh:
            fh.write(out)


if __name__ == "__main__":
    sys.exit(main())
