"""Russian declension by rule, for names (actors) and places. Over-generates on purpose."""
import re

VOW = "аеёиоуыэюя"
HUSH = "жшчщц"
VELAR = "гкх"
INDECL_END = tuple("оиуеэюыё")
UA = re.compile("[іїєґ]|ький$")
# masculine given names in -а/-я: their consonant-final surnames still decline
MALE_A = {"Нарендра", "Никита", "Илья", "Мустафа", "Муса", "Иса", "Хамза", "Абдулла", "Усама", "Кузьма", "Фома",
          "Лука", "Джимми", "Сиддхартха", "Яхья", "Шехбаз", "Ахмада"}
EAST_ASIA = {"CN", "KP", "KR", "VN", "TW", "JP"}


def noun_forms(w, fem_ok=True, surname=False):
    """Gen, dat, acc, instr, prep forms of one word (masculine animate unless it ends in -а/-я)."""
    lw = w.lower()
    if not w or lw.endswith(INDECL_END) or UA.search(lw):
        return set()
    out = set()
    last, stem = lw[-1], w[:-1]
    if surname and re.search(r"(ская|цкая)$", lw):
        return {w[:-2] + "ой", w[:-2] + "ую"}
    if surname and re.search(r"(ский|цкий|ской|цкой)$", lw):
        b = w[:-2]
        return {b + "ого", b + "ому", b + "им", b + "ом"}
    if surname and re.search(r"(ый)$", lw):
        b = w[:-2]
        return {b + "ого", b + "ому", b + "ым", b + "ом"}
    if surname and re.search(r"(ова|ева|ёва|ина|ына)$", lw):
        return {stem + "ой", stem + "у"}
    if last == "а":
        g = "и" if stem[-1:].lower() in VELAR + HUSH[:-1] else "ы"
        ins = "ей" if stem[-1:].lower() in HUSH else "ой"
        out |= {stem + g, stem + "е", stem + "у", stem + ins, stem + "ой"}
    elif last == "я":
        if lw.endswith("ия"):
            out |= {stem + "и", stem + "ю", stem + "ей"}
        else:
            out |= {stem + "и", stem + "е", stem + "ю", stem + "ей"}
    elif last == "й":
        if lw.endswith("ий") and not surname:
            out |= {stem + "я", stem + "ю", stem + "ем", stem + "и"}  # Юрий, Дмитрий
        else:
            out |= {stem + "я", stem + "ю", stem + "ем", stem + "е"}  # Сергей, Алексей
    elif last == "ь":
        out |= {stem + "я", stem + "ю", stem + "ем", stem + "е"}
    elif last not in VOW:
        out |= {w + "а", w + "у", w + "е"}
        if lw[-1] in HUSH:
            out |= {w + "ем", w + "ом"}
        else:
            out.add(w + "ом")
        if surname and re.search(r"(ов|ев|ёв|ин|ын)$", lw):
            out.add(w + "ым")
            out.discard(w + "ом") if re.search(r"(ов|ев|ёв)$", lw) else None
    return out


def decline_word(w, surname=False):
    """A word may be hyphenated: only its last part declines (Касым-Жомарт, Нью-Йорк)."""
    if "-" in w:
        head, tail = w.rsplit("-", 1)
        if tail[:1].islower():  # ас-Сиси style particles: tail is the name
            pass
        return {head + "-" + f for f in noun_forms(tail, surname=surname)}
    return noun_forms(w, surname=surname)


PARTICLES = {"фон", "дер", "де", "ди", "да", "ван", "бин", "бен", "ибн", "аль", "эль", "ас", "ад", "аш", "ан", "ла", "ле", "дель", "дос", "дус"}

# case-aligned forms: for each word a dict case -> form, so that every word takes the same case
CASES = ("gen", "dat", "acc", "ins", "pre")


def word_cases(w, surname, female=False, east=False):
    """Per-case forms of one word (a set per case), nominative-indeclinable words map to themselves."""
    lw = w.lower()
    same = {c: {w} for c in CASES}
    if (w in PARTICLES or not re.search("[а-яё]", lw) or lw.endswith(INDECL_END) or UA.search(lw)
            or not lw[-1].isalpha() or lw[-2:] in ("аа", "ээ", "уу", "оо", "ии", "ыы")):
        return same
    if "-" in w:
        head, tail = w.rsplit("-", 1)
        sub = word_cases(tail, surname, female, east)
        return {c: {head + "-" + f for f in fs} for c, fs in sub.items()}
    last, stem = lw[-1], w[:-1]
    if surname and re.search(r"(ская|цкая)$", lw):
        b = w[:-2]
        return {"gen": {b + "ой"}, "dat": {b + "ой"}, "acc": {b + "ую"}, "ins": {b + "ой"}, "pre": {b + "ой"}}
    if surname and re.search(r"(ский|цкий|ской|цкой)$", lw):
        b = w[:-2]
        return {"gen": {b + "ого"}, "dat": {b + "ому"}, "acc": {b + "ого"}, "ins": {b + "им"}, "pre": {b + "ом"}}
    if surname and lw.endswith("ый"):
        b = w[:-2]
        return {"gen": {b + "ого"}, "dat": {b + "ому"}, "acc": {b + "ого"}, "ins": {b + "ым"}, "pre": {b + "ом"}}
    if surname and re.search(r"(ова|ева|ёва|ина|ына)$", lw):
        return {"gen": {stem + "ой"}, "dat": {stem + "ой"}, "acc": {stem + "у"}, "ins": {stem + "ой"}, "pre": {stem + "ой"}}
    if last == "а":
        g = "и" if stem[-1:].lower() in "гкхжшч" else "ы"
        ins = {"ей", "ой"} if stem[-1:].lower() in HUSH else {"ой"}
        return {"gen": {stem + g}, "dat": {stem + "е"}, "acc": {stem + "у"}, "ins": {stem + x for x in ins}, "pre": {stem + "е"}}
    if last == "я":
        e = "и" if lw.endswith("ия") else "е"
        return {"gen": {stem + "и"}, "dat": {stem + e}, "acc": {stem + "ю"}, "ins": {stem + "ей"}, "pre": {stem + e}}
    if female:
        return same  # Урсула фон дер Ляйен: a woman's consonant-final surname does not decline
    if last == "й":
        p = "и" if (lw.endswith("ий") and not surname) else "е"
        return {"gen": {stem + "я"}, "dat": {stem + "ю"}, "acc": {stem + "я"}, "ins": {stem + "ем"}, "pre": {stem + p}}
    if last == "ь":
        return {"gen": {stem + "я"}, "dat": {stem + "ю"}, "acc": {stem + "я"}, "ins": {stem + "ем"}, "pre": {stem + "е"}}
    if last in VOW:
        return same
    ins = ({w + "ем", w + "ом"} if surname else {w + "ем"}) if lw[-1] in HUSH else {w + "ом"}
    if surname and not east and re.search(r"(ов|ев|ёв|ин|ын)$", lw):
        ins = {w + "ым"} | (ins if lw.endswith(("ин", "ын")) else set())
    return {"gen": {w + "а"}, "dat": {w + "у"}, "acc": {w + "а"}, "ins": ins, "pre": {w + "е"}}


def is_female(words):
    first = words[0]
    if first in MALE_A:
        return False
    last = words[-1].lower()
    if re.search(r"(ова|ева|ёва|ина|ына|ская|цкая)$", last):
        return True
    return first.lower().endswith(("а", "я")) and len(words) > 1


def name_forms(alias, country=None):
    """Every oblique-case form of a person's name (full name or surname alone)."""
    words = alias.split()
    if len(words) == 1:
        cs = word_cases(words[0], surname=True)
        out = set().union(*cs.values())
        if words[0].lower().endswith(("а", "я")) is False:
            pass
        return out - {alias}
    female = is_female(words)
    east = country in EAST_ASIA
    per = []
    for i, w in enumerate(words):
        is_last = i == len(words) - 1
        if east and not is_last:
            per.append({c: {w} for c in CASES})
        elif is_last:
            per.append(word_cases(w, surname=True, female=female, east=east))
        else:
            per.append(word_cases(w, surname=False, female=False))
    out = set()
    for c in CASES:
        combos = [""]
        for p in per:
            combos = [(x + " " + f).strip() for x in combos for f in sorted(p[c])]
        out.update(combos)
        if female:  # also the surname declined, in case the person is a man with an -а name
            pass
    return out - {alias}


def place_forms(name):
    """Gen, dat, ins, prep forms of a place name; the last word declines, adjectives before it agree."""
    words = name.split()
    out = set()
    if len(words) == 1:
        lw = name.lower()
        if re.search("(ь)$", lw):
            return {name[:-1] + x for x in ("я", "ю", "ем", "е", "и")}
        cs = word_cases(name, surname=False)
        out = set().union(*cs.values())
        if lw.endswith(("ий",)):  # not for places
            pass
        return out - {name}
    # adjective + noun: Нижний Новгород, Белый дом
    adj, noun = words[:-1], words[-1]
    ncs = word_cases(noun, surname=False)
    if noun.lower() == "дворец":
        b = noun[:-2]
        ncs = {"gen": {b + "ца"}, "dat": {b + "цу"}, "acc": {noun}, "ins": {b + "цом"}, "pre": {b + "це"}}
    if len(adj) == 1 and not adj[0][0].isupper() and not re.search(r"(ый|ий|ой|ая|яя)$", adj[0].lower()):
        return set()
    ncs["acc"] = {noun} if noun.lower()[-1] not in "ая" else ncs["acc"]
    for c in CASES:
        for nf in ncs[c]:
            adjs = []
            for a in adj:
                la = a.lower()
                if re.search(r"(ый|ий|ой)$", la):
                    b = a[:-2]
                    soft = la.endswith("ний")
                    g = {"gen": "его" if soft else "ого", "dat": "ему" if soft else "ому", "acc": a[-2:],
                         "ins": "им" if (soft or la[-3] in "гкхжшчщ" or la.endswith("ий")) else "ым",
                         "pre": "ем" if soft else "ом"}[c]
                    adjs.append(a if c == "acc" else b + g)
                elif re.search(r"(ая|яя)$", la):
                    b = a[:-2]
                    g = {"gen": "ой", "dat": "ой", "acc": "ую", "ins": "ой", "pre": "ой"}[c]
                    adjs.append(b + g)
                else:
                    adjs.append(a)
            out.add(" ".join(adjs + [nf]))
    return out - {name}
