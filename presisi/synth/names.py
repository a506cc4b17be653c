"""Balinese (and other Indonesian) personal names, made up from common name parts.

A Balinese Hindu name is: I (men) / Ni (women), a birth-order name (1st Wayan, Putu,
Gede, Luh for girls; 2nd Made, Kadek, Nengah; 3rd Nyoman, Komang; 4th Ketut; the fifth
child starts the cycle again), then given names. Triwangsa families carry a title
instead of I/Ni (Ida Bagus/Ida Ayu, Anak Agung, I Gusti, I Dewa/Desak), inherited from
the father. Muslim, Christian and Buddhist families get names from their own pools;
Balinese Christians keep the birth-order names.
"""

from __future__ import annotations

import numpy as np

from presisi.registry.models import LAKI_LAKI

ISLAM, KRISTEN, KATOLIK, HINDU, BUDHA = 1, 2, 3, 4, 5

ORDER_MALE = [["Wayan", "Putu", "Gede"], ["Made", "Kadek", "Nengah"], ["Nyoman", "Komang"], ["Ketut"]]
ORDER_FEMALE = [["Wayan", "Putu", "Luh"], ["Made", "Kadek", "Nengah"], ["Nyoman", "Komang"], ["Ketut"]]
ORDER_WEIGHTS = [[0.45, 0.37, 0.18], [0.5, 0.36, 0.14], [0.6, 0.4], [1.0]]

MALE_OLD = [
    "Sudarma", "Suardana", "Kariasa", "Mardika", "Merta", "Mudita", "Parwata", "Sedana", "Subagia", "Sudiarta",
    "Suarjana", "Sugiarta", "Sukadana", "Suparta", "Sutama", "Widana", "Wirata", "Yasa", "Budiasa", "Karma",
    "Kerta", "Mandra", "Narta", "Oka", "Redana", "Sadia", "Tirta", "Wardana", "Suwena", "Sudira", "Sukarta",
    "Suweta", "Wartana", "Puja", "Sumerta", "Rai", "Raka", "Rungu", "Gejer", "Lanus", "Mangku Sukra",
]
MALE_NEW = [
    "Agus Setiawan", "Arya Wiguna", "Dwi Antara", "Bagus Pramana", "Krisna Wijaya", "Yoga Pratama", "Adi Putra",
    "Eka Saputra", "Wisnu Wardana", "Surya Dharma", "Darma Yasa", "Adnyana", "Ardana", "Diatmika", "Indrayana",
    "Mahendra", "Arimbawa", "Ariawan", "Artawan", "Astawa", "Budiarta", "Juliarta", "Santika", "Semara Putra",
    "Swastika", "Rama Dewantara", "Wira Dharma", "Gede Suta", "Angga Kusuma", "Dika Pradnyana", "Rizky Ananta",
    "Teguh Wicaksana", "Aditya Mahardika", "Gilang Permana", "Satria Wibawa",
]
FEMALE_OLD = [
    "Suartini", "Sukerti", "Sumiati", "Rusmini", "Sadri", "Sariani", "Suarni", "Sudiani", "Sukarmi", "Sulastri",
    "Sumerti", "Suriani", "Sutariani", "Rastini", "Sriani", "Wartini", "Yasmini", "Marheni", "Kartini",
    "Murniati", "Nuriani", "Ariasih", "Sekar", "Rai Suastini", "Wati", "Mangku Sari", "Kompyang", "Rempeg",
]
FEMALE_NEW = [
    "Ayu Lestari", "Sri Wahyuni", "Purnamasari", "Ariani", "Astiti", "Kusumawati", "Mariani", "Megawati",
    "Puspita Dewi", "Sri Utami", "Swandewi", "Trisna Dewi", "Widiantari", "Wirastini", "Yuliani", "Ayu Pratiwi",
    "Dian Pertiwi", "Intan Permata", "Dwi Yanti", "Eka Pratiwi", "Gita Saraswati", "Indah Permatasari",
    "Juliantari", "Novi Antari", "Suciani", "Sukaningsih", "Widyastuti", "Ayu Cahyani", "Diah Paramitha",
    "Putri Maharani", "Sinta Dewi", "Ratna Sari", "Tiara Anggreni",
]
ISLAM_MALE = [
    "Muhammad Ali", "Ahmad Fauzi", "Abdul Rahman", "Hasan Basri", "Ismail", "Ridwan", "Syamsul Hadi",
    "Zainal Abidin", "Rizki Ramadhan", "Fajar Nugroho", "Haris Munandar", "Imam Syafii", "Nur Hidayat",
    "Yusuf Hamdani", "Arif Rahman", "Muhammad Saleh", "Abdul Karim", "Sahrul Gunawan", "Hamzah", "Ilham Akbar",
]
ISLAM_FEMALE = [
    "Siti Aminah", "Nur Aini", "Fatimah", "Khadijah", "Aisyah", "Siti Maesaroh", "Nurul Hidayah", "Rahmawati",
    "Zulaikha", "Halimah", "Laila Sari", "Siti Nurhaliza", "Ummi Kalsum", "Yuliana", "Siti Rohmah", "Nur Azizah",
    "Hasanah", "Musdalifah", "Ainun Jariyah",
]
KRISTEN_MALE = ["Yohanes", "Petrus", "Markus", "Stefanus", "Paulus", "Andreas", "Yosef", "Timotius", "Lukas"]
KRISTEN_FEMALE = ["Maria", "Magdalena", "Theresia", "Veronika", "Agnes", "Elisabeth", "Yohana", "Ruth"]
BUDHA_MALE = ["Hendra Gunawan", "Wijaya Kusuma", "Budi Santoso", "Tjandra Halim", "Edi Susanto", "Sugianto"]
BUDHA_FEMALE = ["Susanti", "Lili Tanoto", "Meliana", "Yenny Wijaya", "Dewi Lestari", "Lanny Halim"]

# Titles by caste (triwangsa), male / female.
TITLES = [("Ida Bagus", "Ida Ayu"), ("Anak Agung Gede", "Anak Agung Istri"), ("I Gusti Ngurah", "I Gusti Ayu"),
          ("I Dewa Gede", "Desak"), ("Cokorda Gede", "Cokorda Istri")]
TITLE_WEIGHTS = [0.3, 0.2, 0.3, 0.17, 0.03]


def _pick(rng: np.random.Generator, pool: list[str], n: int) -> np.ndarray:
    return np.array(pool, dtype=object)[rng.integers(0, len(pool), n)]


def _given(rng: np.random.Generator, male: np.ndarray, birth_year: np.ndarray) -> np.ndarray:
    """Given names: older people more often carry the classic short names."""
    n = len(male)
    modern = rng.random(n) < np.clip((birth_year - 1955) / 45.0, 0.05, 0.95)
    out = np.where(male, np.where(modern, _pick(rng, MALE_NEW, n), _pick(rng, MALE_OLD, n)),
                   np.where(modern, _pick(rng, FEMALE_NEW, n), _pick(rng, FEMALE_OLD, n)))
    return out


def _order_names(rng: np.random.Generator, male: np.ndarray, order: np.ndarray) -> np.ndarray:
    slot = (np.maximum(order, 1) - 1) % 4
    out = np.empty(len(male), dtype=object)
    for s in range(4):
        for is_male, table in ((True, ORDER_MALE), (False, ORDER_FEMALE)):
            sel = (slot == s) & (male == is_male)
            choice = rng.choice(len(table[s]), size=int(sel.sum()), p=ORDER_WEIGHTS[s])
            out[sel] = np.array(table[s], dtype=object)[choice]
    return out


def make_names(rng: np.random.Generator, *, sex: np.ndarray, religion: np.ndarray, birth_order: np.ndarray,
               birth_year: np.ndarray, title: np.ndarray) -> list[str]:
    """Full names; ``title`` is an index into TITLES (-1 = commoner), used for Hindu people."""
    n = len(sex)
    male = sex == LAKI_LAKI
    given = _given(rng, male, birth_year)
    order = _order_names(rng, male, birth_order)
    prefix = np.where(male, "I", "Ni").astype(object)
    titled = (title >= 0) & (religion == HINDU)
    title_m = np.array([t[0] for t in TITLES], dtype=object)
    title_f = np.array([t[1] for t in TITLES], dtype=object)
    prefix[titled] = np.where(male[titled], title_m[title[titled]], title_f[title[titled]])
    bali = [f"{p} {o} {g}" for p, o, g in zip(prefix, order, given, strict=True)]
    out = np.array(bali, dtype=object)
    other = {ISLAM: (ISLAM_MALE, ISLAM_FEMALE), BUDHA: (BUDHA_MALE, BUDHA_FEMALE)}
    for code, (pool_m, pool_f) in other.items():
        sel = religion == code
        out[sel] = np.where(male[sel], _pick(rng, pool_m, n)[sel], _pick(rng, pool_f, n)[sel])
    christian = (religion == KRISTEN) | (religion == KATOLIK)
    baptism = np.where(male, _pick(rng, KRISTEN_MALE, n), _pick(rng, KRISTEN_FEMALE, n))
    out[christian] = [f"{p} {o} {b}" for p, o, b in zip(np.where(male, "I", "Ni")[christian], order[christian],
                                                           baptism[christian], strict=True)]
    return out.tolist()


def draw_titles(rng: np.random.Generator, n: int, share: float) -> np.ndarray:
    """Caste title index per family line (-1 for commoners, about 90% of Balinese)."""
    titled = rng.random(n) < share
    kind = rng.choice(len(TITLES), size=n, p=TITLE_WEIGHTS)
    return np.where(titled, kind, -1)
