"""Forgiving a child's spelling: query words are corrected against the catalogue's own words.

Children spell by ear ("wizrd", "kattn", "pinokio", "jungel"). Before the database search, each
folded query word that begins no word of the catalogue is replaced by the catalogue word it most
likely means: a Swedish compound's first part ("spöke" → "spök", as in "spökslottet"), a word
that sounds the same ("pinokio" → "pinocchio"), or the most used word at edit distance 1 (2 for
words of five letters or more; a swap of two letters counts once). A word that means nothing in the
catalogue is left out when other words remain ("nils holgersson" searches "nils").

The vocabulary (every word of the books' search text, with how many books use it) lives in
each process's memory. A generation token in the shared cache is renewed whenever the
catalogue changes (signals, refresh_search_text); a process that sees another token rebuilds.
"""

import threading
import time
import uuid
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, field

from django.core.cache import cache
from rapidfuzz import process
from rapidfuzz.distance import OSA

GENERATION_KEY = "catalogue:vocabulary-generation"
MAX_AGE_SECONDS = 15 * 60  # a rebuild at least this often, should an invalidation be missed
SHORT_WORD = 2  # "i", "på", "oz": kept as typed
SUGGESTION_CUTOFF = 70  # rapidfuzz ratio (0..100) for "Menade du …?"

# Spellings that sound alike, for Swedish and English children alike; applied in this order.
_SOUNDS = [
    ("sch", "sj"),
    ("stj", "sj"),
    ("skj", "sj"),
    ("ch", "k"),
    ("ck", "k"),
    ("ph", "f"),
    ("th", "t"),
    ("qu", "kv"),
    ("q", "k"),
    ("c", "k"),
    ("x", "ks"),
    ("z", "s"),
    ("w", "v"),
    ("dj", "j"),
    ("hj", "j"),
    ("gj", "j"),
    ("lj", "j"),
    ("y", "i"),
]


def sound(word: str) -> str:
    """A rough phonetic key: "pinocchio" and "pinokio" both give "pinokio"."""
    for spelled, said in _SOUNDS:
        word = word.replace(spelled, said)
    word = word[:1] + word[1:].replace("h", "")
    collapsed = [ch for i, ch in enumerate(word) if i == 0 or ch != word[i - 1]]
    return "".join(collapsed)


@dataclass
class Vocabulary:
    counts: Counter = field(default_factory=Counter)
    words: list[str] = field(default_factory=list)  # sorted, for prefix look-ups
    # (length, first letter) -> words: a child rarely misses the first letter, and comparing
    # against one bucket instead of the whole vocabulary keeps a correction under a millisecond.
    buckets: dict[tuple[int, str], list[str]] = field(default_factory=dict)
    by_sound: dict[str, str] = field(default_factory=dict)  # key -> most used word
    joined: str = ""  # every word, one a line, for "occurs inside a word"

    @classmethod
    def from_texts(cls, texts) -> "Vocabulary":
        counts: Counter = Counter()
        for text in texts:
            counts.update(set(text.split()))
        vocabulary = cls(counts=counts, words=sorted(counts))
        vocabulary.joined = "\n".join(vocabulary.words)
        for word in vocabulary.words:
            vocabulary.buckets.setdefault((len(word), word[0]), []).append(word)
        for word, _count in counts.most_common():
            vocabulary.by_sound.setdefault(sound(word), word)
        return vocabulary

    def begins_a_word(self, prefix: str) -> bool:
        at = bisect_left(self.words, prefix)
        return at < len(self.words) and self.words[at].startswith(prefix)

    def uses_starting(self, prefix: str, enough: int = 1_000_000) -> int:
        """How often the catalogue's words starting with `prefix` are used (books per word,
        added up; counting stops past `enough`): how common a search word is."""
        total, at = 0, bisect_left(self.words, prefix)
        while at < len(self.words) and self.words[at].startswith(prefix) and total <= enough:
            total += self.counts[self.words[at]]
            at += 1
        return total

    def nearest(self, word: str, max_distance: int) -> str | None:
        """The most used word at the smallest edit distance (at most `max_distance`)."""
        best: tuple[int, int, str] | None = None
        for length in range(len(word) - max_distance, len(word) + max_distance + 1):
            choices = self.buckets.get((length, word[0]))
            if not choices:
                continue
            for candidate, distance, _index in process.extract(
                word, choices, scorer=OSA.distance, score_cutoff=max_distance, limit=5
            ):
                key = (distance, -self.counts[candidate], candidate)
                if best is None or key < best:
                    best = key
        return best[2] if best else None

    def most_used_holding(self, part: str) -> str:
        """The most used word of the catalogue with `part` inside it."""
        best, start = part, self.joined.find(part)
        while start != -1:
            line_start = self.joined.rfind("\n", 0, start) + 1
            line_end = self.joined.find("\n", start)
            line_end = len(self.joined) if line_end == -1 else line_end
            holder = self.joined[line_start:line_end]
            if self.counts[holder] > self.counts.get(best, 0):
                best = holder
            start = self.joined.find(part, line_end)
        return best

    def correct(self, word: str, substrings: bool = True) -> str | None:
        """What a child most likely meant by `word`; the word itself when it begins a word of
        the catalogue (or is inside one, when the database finds `substrings`); None when
        nothing comes close."""
        if word.isdigit() or self.begins_a_word(word):
            return word
        if len(word) <= SHORT_WORD:
            # Too short to guess from its letters, but it may sound like a word: "os" → "oz".
            return self.by_sound.get(sound(word), word)
        # The later part of a compound ("koja" in "trädkojan"): SQLite's trigram index finds
        # it as it is; PostgreSQL's index matches word beginnings, so there the most used
        # word that holds it stands in.
        if len(word) >= 4 and word in self.joined:
            return word if substrings else self.most_used_holding(word)
        # A Swedish compound's first part loses its last vowel: spöke → spökslottet.
        stem = word.rstrip("aeo")
        if len(stem) >= 3 and stem != word and self.begins_a_word(stem):
            return stem
        # Spelled by ear first ("hari" → "harry", "pinokio" → "pinocchio"): a word that sounds
        # the same beats a word that merely looks close.
        return self.by_sound.get(sound(word)) or self.nearest(word, 1 if len(word) <= 4 else 2)

    def suggest(self, word: str) -> str:
        """The closest-looking word of the catalogue, however far (for "Menade du …?")."""
        found = process.extractOne(word, self.words, score_cutoff=SUGGESTION_CUTOFF)
        return found[0] if found else word


_lock = threading.Lock()
_state: dict = {"generation": None, "built": 0.0, "vocabulary": None}


def vocabulary() -> Vocabulary:
    """This process's vocabulary of the catalogue, rebuilt when the catalogue has changed."""
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        # A new or flushed cache: nobody can say what changed meanwhile, so every process
        # rebuilds (a counter starting again at 0 could match a stale process's number).
        cache.add(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
        generation = cache.get(GENERATION_KEY)
    fresh = time.monotonic() - _state["built"] < MAX_AGE_SECONDS
    if _state["vocabulary"] is None or _state["generation"] != generation or not fresh:
        from .models import Book

        with _lock:
            texts = Book.objects.filter(is_withdrawn=False).values_list("search_text", flat=True)
            _state["vocabulary"] = Vocabulary.from_texts(texts.iterator(chunk_size=5000))
            _state["generation"], _state["built"] = generation, time.monotonic()
    return _state["vocabulary"]


def forget_vocabulary() -> None:
    """The catalogue changed: every process rebuilds its vocabulary on its next search."""
    cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
    _state["vocabulary"] = None


def correct_words(terms: list[str], substrings: bool = True) -> list[str]:
    """Folded query words, corrected; words that mean nothing are dropped if others remain.
    `substrings`: the database finds a word inside a longer one (SQLite's trigram index)."""
    known = vocabulary()
    corrected = [known.correct(term, substrings) for term in terms]
    kept = [word for word in corrected if word]
    return kept if kept else terms


def suggestion(terms: list[str]) -> str:
    """A query that would find something, for "Menade du …?" ("" when it is the query)."""
    known = vocabulary()
    suggested = [known.correct(term) or known.suggest(term) for term in terms]
    return " ".join(suggested) if suggested != terms else ""
