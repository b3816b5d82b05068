"""A phonetic form of a name, for the names met in a Dutch municipality.

Names reach the coordinator spelt as a school, a police officer or a parent heard them, in Dutch,
English, French, Turkish, Polish or Somali transliteration: Yusuf, Joesoef, Youssef and Yousef are
one name, and so are Mohammed, Mohamed, Muhammad and Mohammad, or Demir and Demir with a
Turkish dotless i. The key below keeps what survives such spellings (the consonants, in order,
and where a vowel sounds) and drops what does not (which vowel, doubled letters, silent
endings). It is hashed with the date of birth into a keyed blind index (``people.identity``);
on its own it is never stored.

Jellyfish's Soundex, Metaphone and NYSIIS were considered: they are made for English and keep the
first letter as written, so Joesoef and Yusuf, or Chalid and Khalid, stay apart.

Known limits (a person decides anyway): Somali "x" and "c" inside a name (Maxamed, Cali), French "ch"
for "sh" (Aïcha), and a name written as one word or two (Abdelkader, Abdel Kader) give other keys.
"""

from __future__ import annotations

import re
import unicodedata

# Letters that Unicode does not decompose into a base letter and a mark.
_LETTERS = str.maketrans({"\u0131": "i", "\u0130": "I", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D",
                          "ð": "d", "Ð": "D", "þ": "th", "Þ": "Th", "ħ": "h", "Ħ": "H", "ß": "ss", "æ": "ae",
                          "Æ": "Ae", "œ": "oe", "Œ": "Oe"})
# Apostrophes and transliterations of the Arabic ayn and hamza belong inside a word: Ma'moun, Abd'allah.
_INSIDE_WORD = re.compile("['\u2019\u2018`\u02bc\u02bb\u02be\u02bf]")

VOWEL = "a"  # every run of vowels becomes this one letter: which vowel is heard differs per spelling
_VOWELS = "aeiouy"

# In this order: longer spellings before the shorter ones they contain.
_SPELLINGS = [
    (re.compile(r"ij"), "ei"),                         # Dutch ij is a vowel: Meike / Mijke
    (re.compile(r"tsj|tch|cz|tj(?=[aeiou])"), "C"),    # the sound of English ch: Tsjalling, Czesław
    (re.compile(r"dzj|dsj|dj"), "j"),                  # Djamal / Jamal
    (re.compile(r"sch|sh|sj|sz|zh|zj|rz"), "s"),       # sibilants: Shirin / Sjirin, Łukasz / Loekasj
    (re.compile(r"ph"), "f"),
    (re.compile(r"kh|ch"), "h"),                       # Khalid / Chalid, Achmed / Ahmed
    (re.compile(r"gh"), "g"),
    (re.compile(r"th"), "t"),
    (re.compile(r"dh"), "d"),                          # Somali dh
    (re.compile(r"ck|qu|q"), "k"),
    (re.compile(r"c(?=[eiy])"), "s"),
    (re.compile(r"c"), "k"),
    (re.compile(r"^x(?=[aeiou])"), "h"),               # Somali: Xasan / Hasan, Xuseen / Hussein
    (re.compile(r"x"), "ks"),
    (re.compile(r"z"), "s"),
    (re.compile(r"[vw]"), "f"),                        # Vahit / Wahid, Kowalski / Kovalski, Vries / Fries
    (re.compile(r"dt"), "t"),                          # Smidt / Smit
]
_GLIDE_AFTER_VOWEL = re.compile(r"(?<=[aeiouy])[jy]")  # Ayoub / Ajoeb, Hüseyin / Hussein: part of the vowel
_GLIDE = re.compile(r"[jy](?=[aeiouy])")                # Yusuf / Joesoef / Jusuf: one consonant
_FINAL_H = re.compile(r"(?<=.)h$")                      # Abdullah / Abdulla, Fatimah / Fatima
_FINAL_D = re.compile(r"d$")                            # Ahmed / Ahmet, Mahmoud / Mahmut
_VOWEL_RUN = re.compile(r"[aeiouy]+")
_DOUBLE = re.compile(r"(.)\1+")


def fold(text: str) -> str:
    """Lower case, accents and special letters folded to a-z: "Özdemir" -> "ozdemir", dotless i -> i."""
    decomposed = unicodedata.normalize("NFKD", _INSIDE_WORD.sub("", (text or "").translate(_LETTERS)))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def phonetic_word(word: str) -> str:
    """The phonetic form of one word of a-z letters; "" for none."""
    key = word.lower()
    for pattern, sound in _SPELLINGS:
        key = pattern.sub(sound, key)
    key = _GLIDE_AFTER_VOWEL.sub("e", key)
    key = _GLIDE.sub("J", key)
    key = _FINAL_H.sub("", key)
    key = _FINAL_D.sub("t", key)
    key = _VOWEL_RUN.sub(VOWEL, key)
    return _DOUBLE.sub(r"\1", key).lower()


def phonetic_key(words: list[str]) -> str:
    """The phonetic form of a name given as its words (already without particles), in alphabetical order of
    the words' forms, so that "Demir Yusuf" and "Yusuf Demir" give the same key."""
    return " ".join(sorted(form for form in (phonetic_word(w) for w in words) if form))
