import sqlite3
import threading

import pytest

from replycoach.history import History, Similar, normalise, similarity


class Clock:
    def __init__(self, t=1_790_000_000.0):
        self.t = t

    def __call__(self):
        return self.t


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def h(tmp_path, clock):
    hist = History(str(tmp_path / "history.sqlite3"), clock=clock)
    hist.set_enabled(True)
    yield hist
    hist.close()


TEMPLATE = ("Hi {name}, thank you for staying with us for {n} nights. We are sorry that "
            "the air conditioning in your room was noisy; our technician has replaced "
            "the unit. We hope to welcome you back soon.")


def test_disabled_by_default_stores_nothing(tmp_path, clock):
    path = str(tmp_path / "h.sqlite3")
    hist = History(path, clock=clock)
    assert hist.enabled is False
    assert hist.record("Thank you, Anna!", author="Anna") is None
    assert hist.list() == []
    assert hist.similar("Thank you, Anna!") is None
    hist.close()
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT COUNT(*) FROM replies").fetchone()[0] == 0


def test_enabled_setting_persists(tmp_path, clock):
    path = str(tmp_path / "h.sqlite3")
    a = History(path, clock=clock)
    a.set_enabled(True)
    a.set_retention_days(30)
    a.close()
    b = History(path, clock=clock)
    assert b.enabled is True and b.retention_days == 30
    b.set_enabled(False)
    assert b.record("Thanks") is None


def test_wal_mode(h, tmp_path):
    assert h.journal_mode == "wal"
    with sqlite3.connect(str(tmp_path / "history.sqlite3")) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_near_duplicate_with_other_names_and_numbers(h, clock):
    first = h.record(TEMPLATE.format(name="Anna", n=3), lang="en", site="booking", author="Anna")
    assert isinstance(first, int)
    clock.t += 3600
    h.record(TEMPLATE.format(name="Peter", n=2), lang="en", author="Peter")
    draft = TEMPLATE.format(name="Maria", n=5)
    s = h.similar(draft, names=["Maria"])
    assert isinstance(s, Similar)
    assert s.similarity == 1.0
    assert s.count == 2
    assert s.earlier_text == TEMPLATE.format(name="Peter", n=2)  # the latest of equals
    assert s.earlier_at.endswith("Z") and s.earlier_at.startswith("2026-")


def test_small_edit_still_matches_but_below_one(h):
    h.record(TEMPLATE.format(name="Anna", n=3), author="Anna")
    draft = TEMPLATE.format(name="Bob", n=1).replace("noisy", "very loud")
    s = h.similar(draft, names=["Bob"])
    assert s is not None and 0.8 <= s.similarity < 1.0 and s.count == 1


def test_whitespace_punctuation_case(h):
    h.record("Thank you so much for the kind words, Anna!", author="Anna")
    s = h.similar("  THANK you so much\n\nfor the kind words ,   Olga ...", names=["Olga"])
    assert s is not None and s.similarity == 1.0


def test_different_replies_do_not_match(h):
    h.record(TEMPLATE.format(name="Anna", n=3), author="Anna")
    h.record("Thank you for the lovely review, we are glad you enjoyed breakfast.")
    assert h.similar("We are sorry about the delay at check-in; the front desk has a new "
                     "schedule now so that nobody waits longer than five minutes.") is None
    # same words, different order: not a copy
    assert h.similar("Enjoyed breakfast you glad we are, review lovely the for thank you.") is None


def test_names_removed_from_stored_author_only_when_given(h):
    h.record("Dear Anna, we are happy you liked the spa and the pool.", author="Anna")
    assert h.similar("Dear Bob, we are happy you liked the spa and the pool.", names=["Bob"]).similarity == 1.0
    # without names the draft keeps "bob": still near (one extra word)
    s = h.similar("Dear Bob, we are happy you liked the spa and the pool.")
    assert s is not None and s.similarity < 1.0


@pytest.mark.parametrize(
    "stored,author,draft,name",
    [
        ("Здравствуйте, Анна! Спасибо за отзыв, нам очень приятно, что вам понравился завтрак. Ждём вас снова через 2 недели!",
         "Анна",
         "Здравствуйте, Ольга! Спасибо за отзыв, нам очень приятно, что вам понравился завтрак. Ждем вас снова через 3 недели!",
         "Ольга"),
        ("Γεια σας Μαρία, σας ευχαριστούμε για την κριτική σας. Χαιρόμαστε που σας άρεσε το πρωινό.",
         "Μαρία",
         "Γεια σας Νίκο, σας ευχαριστουμε για την κριτικη σας. Χαιρόμαστε που σας άρεσε το πρωινό.",
         "Νίκο"),
        ("Tere, Mari! Täname tagasiside eest, meil on hea meel, et hommikusöök meeldis. Ootame teid 5 päeva pärast tagasi.",
         "Mari",
         "Tere, Jüri! Täname tagasiside eest, meil on hea meel, et hommikusöök meeldis. Ootame teid 7 päeva pärast tagasi.",
         "Jüri"),
        ("Hallo Pieter, baie dankie vir jou terugvoer. Ons is bly jy het die ontbyt geniet. Ons sien jou oor 2 weke!",
         "Pieter",
         "Hallo Annelie, baie dankie vir jou terugvoer. Ons is bly jy het die ontbyt geniet. Ons sien jou oor 3 weke!",
         "Annelie"),
    ],
)
def test_unicode_languages(h, stored, author, draft, name):
    h.record(stored, author=author)
    s = h.similar(draft, names=[name])
    assert s is not None and s.similarity == 1.0 and s.earlier_text == stored
    assert h.similar("Совсем другой ответ про парковку и шумных соседей сверху.") is None


def test_declined_name_is_set_aside():
    assert normalise("Спасибо, Анне и Анной!", ["Анна"]) == ["спасибо", "и"]
    assert normalise("We paid 10 000 rub, 3,5 %", []) == ["we", "paid", "#", "rub", "#"]


def test_similarity_function():
    assert similarity("a b c d", "a b c d") == 1.0
    assert similarity("a b c d", "e f g h") == 0.0
    assert similarity("", "") == 0.0


def test_retention_purges_old_rows(tmp_path, clock):
    path = str(tmp_path / "h.sqlite3")
    h = History(path, clock=clock)
    h.set_enabled(True)
    assert h.retention_days == 90
    old = h.record("An old reply about the parking garage and the gate code.")
    clock.t += 60 * 86400
    mid = h.record("A newer reply about breakfast times and the coffee machine.")
    clock.t += 31 * 86400  # old is now 91 days old
    h.record("Fresh reply about the pool opening hours this summer.")  # record applies retention
    ids = [r["id"] for r in h.list()]
    assert old not in ids and mid in ids
    assert h.similar("An old reply about the parking garage and the gate code.") is None
    h.close()
    # on open
    clock.t += 60 * 86400  # mid is 91 days old, fresh 60
    h2 = History(path, clock=clock)
    assert [r["text"] for r in h2.list()] == ["Fresh reply about the pool opening hours this summer."]
    # lowering the setting applies it at once
    h2.set_retention_days(1)
    assert h2.list() == []
    with pytest.raises(ValueError):
        h2.set_retention_days(0)


def test_list_delete_purge(h, clock):
    ids = []
    for i in range(5):
        clock.t += 10
        ids.append(h.record(f"Reply number {i} about topic {'abcde'[i]} and more words here", lang="en",
                            site="google", author=f"User{i}"))
    rows = h.list(limit=2)
    assert [r["id"] for r in rows] == [ids[4], ids[3]]
    assert rows[0]["author"] == "User4" and rows[0]["site"] == "google" and rows[0]["lang"] == "en"
    assert [r["id"] for r in h.list(limit=2, offset=2)] == [ids[2], ids[1]]
    assert h.delete(ids[4]) is True
    assert h.delete(ids[4]) is False
    assert h.delete("nope") is False
    assert h.similar("Reply number 9 about topic e and more words here") is None
    assert h.similar("Reply number 9 about topic a and more words here") is not None
    assert h.purge() == 4
    assert h.list() == [] and h.similar("Reply number 9 about topic a and more words here") is None
    assert h.enabled is True  # settings survive purge


def test_disable_stops_matching_and_recording(h):
    h.record(TEMPLATE.format(name="Anna", n=3), author="Anna")
    h.set_enabled(False)
    assert h.similar(TEMPLATE.format(name="Anna", n=3)) is None
    assert h.record("anything") is None
    h.set_enabled(True)
    assert h.similar(TEMPLATE.format(name="Anna", n=3)).count == 1


def test_blank_text_not_recorded(h):
    assert h.record("   \n") is None
    assert h.list() == []


def test_other_connection_changes_are_seen(tmp_path, clock):
    path = str(tmp_path / "h.sqlite3")
    a = History(path, clock=clock)
    a.set_enabled(True)
    b = History(path, clock=clock)  # e.g. the CLI next to the server
    b.record(TEMPLATE.format(name="Anna", n=3), author="Anna")
    assert a.similar(TEMPLATE.format(name="Bob", n=1), names=["Bob"]).count == 1
    b.purge()
    assert a.similar(TEMPLATE.format(name="Bob", n=1), names=["Bob"]) is None


def test_count_over_many_and_threads(h, clock):
    errors = []

    def writer(k):
        try:
            for i in range(25):
                h.record(TEMPLATE.format(name=f"Guest{k}x{i}", n=i), author=f"Guest{k}x{i}")
                h.similar(TEMPLATE.format(name="Zed", n=1), names=["Zed"])
        except Exception as e:  # pragma: no cover - the assertion reports it
            errors.append(e)

    threads = [threading.Thread(target=writer, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert h.similar(TEMPLATE.format(name="Zed", n=1), names=["Zed"]).count == 100
    assert len(h.list(limit=1000)) == 100


def test_turning_history_on_or_off_is_seen_at_once_by_every_worker(tmp_path, clock):
    # Two workers (or the server and the CLI) share the file. Whether
    # history is on is remembered between checks, and a change made by
    # either must count from the very next check of the other.
    path = str(tmp_path / "h.sqlite3")
    a, b = History(path, clock=clock), History(path, clock=clock)
    assert (a.enabled, b.enabled) == (False, False)
    for on in (True, False, True, False):
        b.set_enabled(on)
        assert a.enabled is on
        assert (a.record("Thank you, Anna!") is not None) is on
    a.set_enabled(True)
    assert b.enabled is True
    a.close()
    b.close()


def test_whether_history_is_on_is_known_without_a_query(tmp_path, clock):
    # Asked on every check: no database query while nothing changed.
    path = str(tmp_path / "h.sqlite3")
    hist = History(path, clock=clock)
    hist.set_enabled(True)
    assert hist.enabled is True
    queries: list[str] = []
    hist._db.set_trace_callback(queries.append)
    for _ in range(5):
        assert hist.enabled is True
    assert queries == []
    History(path, clock=clock).set_enabled(False)
    assert hist.enabled is False
    assert any("settings" in q for q in queries)
    hist.close()
