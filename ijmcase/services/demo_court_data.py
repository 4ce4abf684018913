"""Reference data for the demo's court records (``demo_court``): the statutes
each country charges under, by kind of violence; sentences and fines in
the ranges those laws set; compensation schemes; currencies; case-number
formats; and the wording of skips, preparation notes and protection.

The statutes are the real ones (sections as commonly charged); the people,
cases and numbers are invented. India's Bharatiya Nyaya Sanhita (BNS)
replaced the Indian Penal Code (IPC) on 1 July 2024, so a charge filed from
that day cites the BNS.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ijmcase.domain.enums import ProtectionKind, ViolenceType

__all__ = [
    "BNS_FROM",
    "CASE_NUMBERS",
    "CHARGES",
    "COMPENSATION",
    "CURRENCY",
    "DEFAULT_CHARGES",
    "DEFAULT_SCHEME_AMOUNTS",
    "DEFAULT_SENTENCE",
    "PREPARATION",
    "SENTENCES",
    "SKIP_REASONS",
    "ChargeDef",
    "Scheme",
    "SentenceDef",
    "testimony_measure",
]

_V = ViolenceType

BNS_FROM = date(2024, 7, 1)


@dataclass(frozen=True)
class ChargeDef:
    """A charge as filed; ``bns`` is India's citation after 1 July 2024."""

    statute: str
    section: str
    description: str
    bns: tuple[str, str] | None = None


@dataclass(frozen=True)
class SentenceDef:
    """Prison months drawn from ``months`` (0: life imprisonment), a fine
    between ``fine`` bounds; ``plea`` the months after a guilty plea."""

    months: tuple[int, ...]
    fine: tuple[int, int]
    plea: tuple[int, ...]


@dataclass(frozen=True)
class Scheme:
    name: str
    amounts: tuple[int, ...]


_IPC = "Indian Penal Code, 1860"
_BNS = "Bharatiya Nyaya Sanhita, 2023"
_TIP_PH = "RA 9208 as amended by RA 10364 and RA 11862"

CHARGES: dict[tuple[str, ViolenceType], tuple[ChargeDef, ...]] = {
    ("IN", _V.FORCED_LABOUR): (
        ChargeDef(
            "Bonded Labour System (Abolition) Act, 1976",
            "s. 16",
            "Compelling a person to render bonded labour",
        ),
        ChargeDef(_IPC, "s. 374", "Unlawful compulsory labour", bns=(_BNS, "s. 146")),
        ChargeDef(_IPC, "s. 370", "Trafficking of persons for exploitation", bns=(_BNS, "s. 143")),
    ),
    ("IN", _V.SEX_TRAFFICKING): (
        ChargeDef(
            _IPC, "s. 370(3)", "Trafficking of more than one person", bns=(_BNS, "s. 143(3)")
        ),
        ChargeDef("Immoral Traffic (Prevention) Act, 1956", "s. 5", "Procuring for prostitution"),
        ChargeDef(
            "Protection of Children from Sexual Offences Act, 2012",
            "s. 4",
            "Penetrative sexual assault on a child",
        ),
    ),
    ("IN", _V.OSEC): (
        ChargeDef(
            "Information Technology Act, 2000",
            "s. 67B",
            "Publishing or transmitting material depicting children in sexually explicit acts",
        ),
        ChargeDef(
            "Protection of Children from Sexual Offences Act, 2012",
            "s. 14",
            "Using a child for pornographic purposes",
        ),
    ),
    ("IN", _V.SEXUAL_VIOLENCE): (
        ChargeDef(_IPC, "s. 376", "Rape", bns=(_BNS, "s. 64")),
        ChargeDef(
            "Protection of Children from Sexual Offences Act, 2012",
            "s. 6",
            "Aggravated penetrative sexual assault",
        ),
    ),
    ("IN", _V.ILLEGAL_DETENTION): (
        ChargeDef(
            _IPC, "s. 344", "Wrongful confinement for ten or more days", bns=(_BNS, "s. 127(5)")
        ),
    ),
    ("IN", _V.POLICE_ABUSE): (
        ChargeDef(_IPC, "s. 330", "Causing hurt to extort a confession", bns=(_BNS, "s. 120(1)")),
    ),
    ("IN", _V.PROPERTY_GRABBING): (
        ChargeDef(_IPC, "s. 447", "Criminal trespass", bns=(_BNS, "s. 329(3)")),
        ChargeDef(_IPC, "s. 420", "Cheating", bns=(_BNS, "s. 318(4)")),
    ),
    ("PH", _V.SEX_TRAFFICKING): (
        ChargeDef(_TIP_PH, "s. 4(a)", "Recruiting and harbouring persons for sexual exploitation"),
        ChargeDef(_TIP_PH, "s. 6(a)", "Qualified trafficking: the trafficked person is a child"),
    ),
    ("PH", _V.OSEC): (
        ChargeDef(
            "RA 11930 (Anti-OSAEC and Anti-CSAEM Act)",
            "s. 4(a)",
            "Online sexual abuse and exploitation of children",
        ),
        ChargeDef(_TIP_PH, "s. 6(a)", "Qualified trafficking in persons: the victim is a child"),
        ChargeDef(
            "RA 9775 (Anti-Child Pornography Act)",
            "s. 4(a)",
            "Producing child sexual abuse material",
        ),
    ),
    ("PH", _V.FORCED_LABOUR): (
        ChargeDef(_TIP_PH, "s. 4(a)", "Recruiting persons for forced labour or debt bondage"),
    ),
    ("PH", _V.SEXUAL_VIOLENCE): (
        ChargeDef("Revised Penal Code as amended by RA 8353", "Art. 266-A", "Rape"),
        ChargeDef("RA 7610", "s. 5(b)", "Sexual abuse of a child"),
    ),
    ("KE", _V.SEX_TRAFFICKING): (
        ChargeDef("Counter-Trafficking in Persons Act, 2010", "s. 3(1)", "Trafficking in persons"),
        ChargeDef("Sexual Offences Act, 2006", "s. 13", "Child trafficking"),
    ),
    ("KE", _V.FORCED_LABOUR): (
        ChargeDef(
            "Counter-Trafficking in Persons Act, 2010",
            "s. 3(1)",
            "Trafficking in persons for forced labour",
        ),
    ),
    ("KE", _V.SEXUAL_VIOLENCE): (
        ChargeDef("Sexual Offences Act, 2006", "s. 8(1)", "Defilement"),
        ChargeDef("Sexual Offences Act, 2006", "s. 3(1)", "Rape"),
    ),
    ("KE", _V.OSEC): (
        ChargeDef("Sexual Offences Act, 2006", "s. 16", "Child pornography"),
        ChargeDef("Computer Misuse and Cybercrimes Act, 2018", "s. 24", "Child pornography online"),
    ),
    ("KE", _V.PROPERTY_GRABBING): (
        ChargeDef("Law of Succession Act (Cap. 160)", "s. 45", "Intermeddling with the estate"),
    ),
    ("KE", _V.POLICE_ABUSE): (ChargeDef("Prevention of Torture Act, 2017", "s. 5", "Torture"),),
    ("UG", _V.PROPERTY_GRABBING): (
        ChargeDef(
            "Succession Act (Cap. 162)",
            "s. 268",
            "Intermeddling with the property of a deceased person",
        ),
    ),
    ("UG", _V.SEXUAL_VIOLENCE): (ChargeDef("Penal Code Act (Cap. 120)", "s. 129", "Defilement"),),
    ("UG", _V.POLICE_ABUSE): (
        ChargeDef("Prevention and Prohibition of Torture Act, 2012", "s. 4", "Torture"),
    ),
    ("GH", _V.SEX_TRAFFICKING): (
        ChargeDef("Human Trafficking Act, 2005 (Act 694)", "s. 2", "Human trafficking"),
    ),
    ("GH", _V.FORCED_LABOUR): (
        ChargeDef(
            "Human Trafficking Act, 2005 (Act 694)",
            "s. 2",
            "Trafficking of children for fishing labour",
        ),
    ),
    ("KH", _V.SEX_TRAFFICKING): (
        ChargeDef(
            "Law on Suppression of Human Trafficking and Sexual Exploitation, 2008",
            "Art. 15",
            "Unlawful recruitment for the purpose of exploitation",
        ),
    ),
    ("KH", _V.OSEC): (
        ChargeDef(
            "Law on Suppression of Human Trafficking and Sexual Exploitation, 2008",
            "Art. 41",
            "Production of child pornography",
        ),
    ),
    ("TH", _V.SEX_TRAFFICKING): (
        ChargeDef(
            "Anti-Trafficking in Persons Act B.E. 2551 (2008)", "s. 6", "Trafficking in persons"
        ),
    ),
    ("TH", _V.FORCED_LABOUR): (
        ChargeDef(
            "Anti-Trafficking in Persons Act B.E. 2551 (2008), as amended 2019",
            "s. 6/1",
            "Forced labour or services",
        ),
    ),
    ("GT", _V.SEX_TRAFFICKING): (
        ChargeDef(
            "Ley contra la Violencia Sexual, Explotación y Trata de Personas (Decreto 9-2009)",
            "Art. 47",
            "Trata de personas",
        ),
    ),
    ("BO", _V.SEX_TRAFFICKING): (
        ChargeDef(
            "Ley 263 Integral contra la Trata y Tráfico de Personas",
            "Art. 281 bis",
            "Trata de personas",
        ),
    ),
    ("DO", _V.SEX_TRAFFICKING): (
        ChargeDef(
            "Ley 137-03 sobre Tráfico Ilícito de Migrantes y Trata de Personas",
            "Art. 3",
            "Trata de personas",
        ),
    ),
}

DEFAULT_CHARGES: dict[ViolenceType, ChargeDef] = {
    _V.FORCED_LABOUR: ChargeDef("Penal Code", "", "Forced labour"),
    _V.SEX_TRAFFICKING: ChargeDef(
        "Penal Code", "", "Trafficking in persons for sexual exploitation"
    ),
    _V.OSEC: ChargeDef("Penal Code", "", "Online sexual exploitation of a child"),
    _V.SEXUAL_VIOLENCE: ChargeDef("Penal Code", "", "Sexual assault"),
    _V.ILLEGAL_DETENTION: ChargeDef("Penal Code", "", "Unlawful detention"),
    _V.POLICE_ABUSE: ChargeDef("Penal Code", "", "Abuse of office causing bodily harm"),
    _V.PROPERTY_GRABBING: ChargeDef("Penal Code", "", "Forcible entry and detainer"),
    _V.OTHER: ChargeDef("Penal Code", "", "Criminal offence against the person"),
}

# Prison months (0 = life imprisonment); fines in the country's currency.
SENTENCES: dict[str, SentenceDef] = {
    # IPC s. 370 / BNS s. 143: 7 to 10 years (more than one person: 10 years to life).
    "IN": SentenceDef((84, 84, 120, 120, 120, 144, 168, 240, 0), (5_000, 100_000), (36, 60, 84)),
    # RA 9208 s. 10: 20 years and PHP 1-2 million; qualified trafficking: life, PHP 2-5 million.
    "PH": SentenceDef((240, 240, 0, 0, 0), (1_000_000, 5_000_000), (72, 96, 144)),
    # CTiPA s. 3(5): not less than 30 years or a fine of not less than KES 30 million, or both.
    "KE": SentenceDef((360, 360, 240, 180, 0), (1_000_000, 30_000_000), (120, 180)),
}
DEFAULT_SENTENCE = SentenceDef((60, 96, 120, 180, 240), (1_000, 20_000), (36, 60))

CURRENCY: dict[str, str] = {
    "IN": "INR",
    "PH": "PHP",
    "KE": "KES",
    "KH": "KHR",
    "TH": "THB",
    "UG": "UGX",
    "GH": "GHS",
    "GT": "GTQ",
    "BO": "BOB",
    "DO": "DOP",
}

# Case-number formats: {n} a serial, {y} the year, {d} the district's initials.
CASE_NUMBERS: dict[str, str] = {
    "IN": "S.C. No. {n}/{y}",
    "PH": "Crim. Case No. R-{d}-{y2}-{n:05d}-CR",
    "KE": "MCCR/E{n}/{y}",
    "UG": "HCT-00-CR-SC-{n:04d}-{y}",
    "GH": "CR/{n:04d}/{y}",
    "KH": "No. {n} / {y}",
    "TH": "Black Case No. Khor.Mor. {n}/{y}",
    "GT": "C-{d}-{y}-{n:05d}",
    "BO": "IANUS {y}{n:06d}",
    "DO": "NCI {y}-{n:04d}",
}

COMPENSATION: dict[str, tuple[Scheme, ...]] = {
    "IN": (
        Scheme(
            "Victim Compensation Scheme (CrPC s. 357A / BNSS s. 396), District Legal Services "
            "Authority",
            (100_000, 200_000, 300_000, 500_000),
        ),
        Scheme(
            "Central Sector Scheme for Rehabilitation of Bonded Labourer, 2021",
            (100_000, 200_000, 300_000),
        ),
    ),
    "PH": (Scheme("Board of Claims, Department of Justice (RA 7309)", (10_000,)),),
    "KE": (
        Scheme("Compensation order (Victim Protection Act, 2014, s. 26)", (100_000, 250_000)),
        Scheme("Victims of Trafficking Assistance Fund (CTiPA, s. 20)", (50_000, 150_000)),
    ),
}
DEFAULT_SCHEME_AMOUNTS: dict[str, tuple[int, ...]] = {
    "KH": (4_000_000, 10_000_000),
    "TH": (30_000, 100_000),
    "UG": (2_000_000, 5_000_000),
    "GH": (5_000, 20_000),
    "GT": (10_000, 50_000),
    "BO": (10_000, 40_000),
    "DO": (50_000, 200_000),
}

SKIP_REASONS = {
    "plea": "The accused pleaded guilty; no trial on the evidence.",
    "acquitted": "Acquitted: there is no sentence.",
    "not_arrested": "Not arrested: the accused appeared in court on a summons.",
    "absconding": "The accused is absconding; the charge sheet was filed showing them absconding.",
}

PREPARATION = (
    "Certified copies of the charge sheet and the FIR",
    "Summons to the investigating officer served",
    "Interpreter booked for the survivor",
    "Written submissions on bail filed the day before",
    "Medical and forensic reports ready to exhibit",
    "Check the prosecutor has the case file",
    "Transport for the witnesses arranged",
)


def testimony_measure(country: str, minor: bool, violence: ViolenceType) -> ProtectionKind:
    """How a survivor's testimony is protected, as courts there usually do it."""
    if country in ("GT", "BO", "DO"):
        return ProtectionKind.VIDEO_LINK  # the Gesell chamber
    if minor or violence in (_V.SEX_TRAFFICKING, _V.OSEC, _V.SEXUAL_VIOLENCE):
        return ProtectionKind.IN_CAMERA_TESTIMONY
    return ProtectionKind.WITNESS_PROTECTION
