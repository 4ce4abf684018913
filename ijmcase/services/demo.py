"""A realistic, deterministic synthetic organization for demos and load tests.

``populate_demo`` fills a freshly initialized database (schema, settings and
the ``admin`` user already made by ``auth.initialize``) with staff, offices in
ten countries, the police stations, courts, prosecutors, child welfare
committees and shelters they work with, and ``cases`` cases, each with its
four stage tracks and their history, survivors (with their identities kept
apart), accused persons, interventions and court hearings.

Every random choice comes from one ``random.Random(seed)``, so the same seed
and ``today`` give the same content; only the time-based UUIDs and the
audit event's clock differ between two builds. Place names are real so the
data reads naturally; every person, case and story is invented.

Scale shapes the code: 100,000 cases are about four million rows, so rows
are plain dicts holding every column, written with Core ``executemany`` in
chunks of a few thousand cases (one transaction each); days are handled as
ordinals, names and texts come from pools built once, and notes are joined
from sentence templates rather than generated word by word.
"""

from __future__ import annotations

import random
import time
import unicodedata
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import Date, Dialect, Table, Uuid, func, insert, select
from sqlalchemy.orm import Session

from ijmcase.domain.codes import COUNTRIES, accused_code, case_code, survivor_code
from ijmcase.domain.drafts import age_band_for, age_on
from ijmcase.domain.enums import (
    AccusedRole,
    AssignmentRole,
    CaseClosureReason,
    CustodyStatus,
    HearingOutcome,
    InstitutionKind,
    InterventionType,
    OfficialRole,
    PartyKind,
    PartyRole,
    RiskLevel,
    Role,
    Sensitivity,
    Sex,
    Stage,
    TrackStatus,
    ViolenceType,
)
from ijmcase.domain.errors import ConflictError, NotFound
from ijmcase.persistence.audit import append_event
from ijmcase.persistence.base import Base, UTCDateTime, new_id
from ijmcase.persistence.database import SETTING_DEMO, SETTING_ORGANIZATION, Database, set_setting
from ijmcase.persistence.keystore import Keystore
from ijmcase.persistence.models import (
    Accused,
    Case,
    CaseAssignment,
    CaseParty,
    Hearing,
    Institution,
    Intervention,
    Office,
    PartnerOfficial,
    StageTrack,
    StageTransition,
    Survivor,
    SurvivorIdentity,
    User,
)
from ijmcase.services.auth import hasher_for

__all__ = ["DEMO_ORGANIZATION", "DemoSummary", "populate_demo"]

DEMO_ORGANIZATION = "Demo Justice Mission (synthetic data)"

# Cases per transaction: big enough that executemany amortizes its set-up,
# small enough that a chunk's rows (about 80,000) stay a few tens of MB.
CHUNK = 2000

_V = ViolenceType
_I = InterventionType
_K = InstitutionKind
_O = OfficialRole
_S = TrackStatus
_A = AccusedRole
_C = CustodyStatus

Pair = tuple[str, str]  # (Latin spelling, local script or "")
T = TypeVar("T")
Row = dict[str, Any]


@dataclass(frozen=True)
class DemoSummary:
    cases: int
    survivors: int
    accused: int
    officials: int
    institutions: int
    interventions: int
    hearings: int
    users: list[tuple[str, str]]  # (username, role)
    seconds: float


# ---------------------------------------------------------------------------
# Names. "Latin=script; ..." pairs; a pool without script has only Latin.


def _p(text: str) -> tuple[Pair, ...]:
    pairs: list[Pair] = []
    for item in text.split(";"):
        latin, _, script = item.strip().partition("=")
        if latin:
            pairs.append((latin.strip(), script.strip()))
    return tuple(pairs)


@dataclass(frozen=True)
class _Pool:
    female: tuple[Pair, ...]
    male: tuple[Pair, ...]
    family: tuple[Pair, ...] = ()
    # Where family names differ by sex (Luganda, Acholi).
    family_female: tuple[Pair, ...] = ()
    family_first: bool = False  # Khmer, Vietnamese
    surnames: int = 1  # Spanish: paternal and maternal
    script_share: float = 0.0  # how often a legal name is written in the local script


_DEVANAGARI_F = (
    "Sunita=सुनीता; Pooja=पूजा; Rekha=रेखा; Anita=अनीता; Kavita=कविता; Geeta=गीता; "
    "Nisha=निशा; Radha=राधा; Manju=मंजू; Kiran=किरण; "
)
_DEVANAGARI_M = (
    "Ramesh=रमेश; Suresh=सुरेश; Santosh=संतोष; Vijay=विजय; Raju=राजू; Dinesh=दिनेश; "
    "Mahesh=महेश; Sunil=सुनील; "
)

_POOLS: dict[str, _Pool] = {
    "bn": _Pool(
        _p(
            "Ruma=রুমা; Mousumi=মৌসুমী; Rina=রিনা; Sima=সীমা; Puja=পূজা; Moumita=মৌমিতা; "
            "Tania=তানিয়া; Shirin=শিরিন; Rekha=রেখা; Anjali=অঞ্জলি; Priyanka=প্রিয়াঙ্কা; "
            "Sathi=সাথী; Rupa=রূপা; Mampi=মাম্পি"
        ),
        _p(
            "Rahim=রহিম; Sujit=সুজিত; Bapi=বাপি; Rajib=রাজীব; Amit=অমিত; Sanjay=সঞ্জয়; "
            "Biswajit=বিশ্বজিৎ; Kamal=কামাল; Subhas=সুভাষ; Tapan=তপন; Jahangir=জাহাঙ্গীর; "
            "Nirmal=নির্মল"
        ),
        _p(
            "Das=দাস; Mondal=মণ্ডল; Sardar=সরদার; Naskar=নস্কর; Halder=হালদার; Sheikh=শেখ; "
            "Ghosh=ঘোষ; Biswas=বিশ্বাস; Roy=রায়; Mallick=মল্লিক; Pramanik=প্রামাণিক; "
            "Molla=মোল্লা; Gazi=গাজী; Paik=পাইক; Bera=বেরা"
        ),
        script_share=0.5,
    ),
    "ta": _Pool(
        _p(
            "Selvi=செல்வி; Lakshmi=லட்சுமி; Kavitha=கவிதா; Meena=மீனா; Revathi=ரேவதி; "
            "Saranya=சரண்யா; Valli=வள்ளி; Pavithra=பவித்ரா; Malar=மலர்; Devi=தேவி; "
            "Sangeetha=சங்கீதா"
        ),
        _p(
            "Murugan=முருகன்; Selvam=செல்வம்; Ravi=ரவி; Kumar=குமார்; "
            "Manikandan=மணிகண்டன்; Arumugam=ஆறுமுகம்; Velu=வேலு; Karthik=கார்த்திக்; "
            "Ganesan=கணேசன்; Sekar=சேகர்; Ayyappan=ஐயப்பன்"
        ),
        _p(
            "Murugan=முருகன்; Raman=ராமன்; Perumal=பெருமாள்; Govindan=கோவிந்தன்; "
            "Subramani=சுப்பிரமணி; Munusamy=முனுசாமி; Ellappan=எல்லப்பன்; Kannan=கண்ணன்; "
            "Selvaraj=செல்வராஜ்; Duraisamy=துரைசாமி; Kuppusamy=குப்புசாமி"
        ),
        script_share=0.5,
    ),
    "mr": _Pool(
        _p(_DEVANAGARI_F + "Savita=सविता; Manisha=मनीषा; Ashwini=अश्विनी; Priyanka=प्रियंका"),
        _p(_DEVANAGARI_M + "Ganesh=गणेश; Sachin=सचिन; Balu=बाळू"),
        _p(
            "Pawar=पवार; Jadhav=जाधव; Shinde=शिंदे; Chavan=चव्हाण; Waghmare=वाघमारे; "
            "Kale=काळे; Kamble=कांबळे; Gaikwad=गायकवाड; More=मोरे; Bhoir=भोईर; Patil=पाटील"
        ),
        script_share=0.4,
    ),
    "hi": _Pool(
        _p(_DEVANAGARI_F + "Guddi=गुड्डी; Sonam=सोनम; Pinki=पिंकी"),
        _p(_DEVANAGARI_M + "Mukesh=मुकेश; Pappu=पप्पू; Ram Prasad=राम प्रसाद"),
        _p(
            "Kumar=कुमार; Singh=सिंह; Yadav=यादव; Verma=वर्मा; Paswan=पासवान; "
            "Manjhi=मांझी; Prajapati=प्रजापति; Saini=सैनी; Kashyap=कश्यप"
        ),
        script_share=0.4,
    ),
    "ne": _Pool(
        _p(
            "Sita=सीता; Maya=माया; Sarita=सरिता; Sunita=सुनिता; Kamala=कमला; Puja=पूजा; "
            "Asha=आशा; Bimala=बिमला"
        ),
        _p("Ram=राम; Bikash=बिकास; Suman=सुमन; Hari=हरि; Krishna=कृष्ण"),
        _p(
            "Tamang=तामाङ; Lama=लामा; Gurung=गुरुङ; Magar=मगर; Shrestha=श्रेष्ठ; Rai=राई; "
            "Thapa=थापा; Sherpa=शेर्पा"
        ),
        script_share=0.4,
    ),
    "kn": _Pool(
        _p("Lakshmamma; Manjula; Shobha; Kavya; Roopa; Gowramma; Shilpa; Nagamma; Sowmya; Bhagya"),
        _p(
            "Manjunath; Ramesh; Venkatesh; Nagaraj; Shivanna; Krishnappa; Muniraju; "
            "Chandrashekar; Basavaraj"
        ),
        _p("Gowda; Naik; Shetty; Hegde; Muniyappa; Hanumaiah; Siddappa; Ramaiah; Lamani"),
    ),
    "or": _Pool(
        _p("Sukanti; Jamuna; Basanti; Laxmi; Sabitri; Kuni; Mamata; Pramila"),
        _p("Rabindra; Bhagaban; Sanatan; Dillip; Kalia; Trilochan; Pitambar"),
        _p("Majhi; Naik; Bag; Sahu; Suna; Kumbhar; Behera; Nag; Bhoi"),
    ),
    "fil": _Pool(
        _p(
            "Maricel; Jennifer; Joy; Angelica; Kristine; Mary Grace; Rowena; Lovely; Princess; "
            "Janelle; Andrea; Rhea; Shiela; Jasmine; Liezel; Althea"
        ),
        _p(
            "Jerome; Mark Anthony; John Paul; Rodel; Jomar; Christian; Joel; Reynaldo; Arnel; "
            "Ramil; Jayson; Kenneth"
        ),
        _p(
            "Dela Cruz; Santos; Reyes; Bautista; Garcia; Mendoza; Villanueva; Ramos; Aquino; "
            "Castillo; Navarro; Flores; Torres; Cabrera; Dizon; Manalo; Ybañez; Cabahug; "
            "Pepito; Alcoseba; Lumapas; Sumalinog"
        ),
    ),
    "sw": _Pool(
        _p(
            "Mercy; Faith; Grace; Esther; Purity; Winnie; Wanjiru; Akinyi; Achieng; Njeri; "
            "Wambui; Mwende; Atieno; Nyambura; Zawadi; Halima"
        ),
        _p(
            "Brian; Kevin; Dennis; Peter; John; Otieno; Kamau; Mwangi; Ochieng; Kiprotich; "
            "Mutua; Omondi; Juma; Hassan"
        ),
        _p(
            "Otieno; Kamau; Mwangi; Odhiambo; Wanyama; Kiptoo; Mutua; Njoroge; Onyango; "
            "Mohamed; Chege; Wekesa; Kariuki; Ouma; Barasa; Kazungu; Baya; Charo; Katana"
        ),
    ),
    "lg": _Pool(
        _p(
            "Sarah; Grace; Prossy; Harriet; Florence; Betty; Agnes; Annet; Juliet; Rose; "
            "Sylvia; Ruth"
        ),
        _p("Moses; Joseph; Isaac; Ronald; Denis; Patrick; Godfrey; Charles; Henry; Robert"),
        _p(
            "Mukasa; Ssempijja; Kato; Waiswa; Ssenyonga; Kizito; Lubega; Ssekandi; Musoke; Kiggundu"
        ),
        _p(
            "Nakato; Namubiru; Nansubuga; Nalwoga; Babirye; Nakimera; Namugga; Nabukenya; "
            "Nakku; Nanyonga"
        ),
    ),
    "ach": _Pool(
        _p("Grace; Florence; Betty; Agnes; Nighty; Santa; Christine; Lilly; Jennifer"),
        _p("Moses; Geoffrey; Denis; Patrick; Richard; Simon; Walter; Charles"),
        _p("Okello; Opio; Ocen; Ojok; Odong; Okot; Oryema; Komakech; Otim; Okwera"),
        _p("Akello; Auma; Aciro; Lamunu; Adong; Acan; Aber; Atim; Laker; Apio"),
    ),
    "gh": _Pool(
        _p(
            "Akosua; Ama; Efua; Abena; Adwoa; Esi; Yaa; Afua; Mercy; Comfort; Gifty; "
            "Patience; Mawusi; Enyonam; Elorm"
        ),
        _p(
            "Kwame; Kofi; Kwabena; Yaw; Kojo; Kwaku; Selorm; Elikem; Kwesi; Emmanuel; "
            "Samuel; Isaac; Mawuli"
        ),
        _p(
            "Mensah; Boateng; Owusu; Asante; Agyeman; Osei; Tetteh; Amegah; Dzikunu; Agbeko; "
            "Quaye; Adjei; Kumah; Gbeve; Ametepe; Danso"
        ),
    ),
    "gt": _Pool(
        _p(
            "María; Ana; Rosa; Juana; Lucía; Andrea; Gabriela; Sofía; Marta; Elena; Dulce; "
            "Yesenia; Heidy; Ingrid; Glendy; Sandra"
        ),
        _p("José; Juan; Carlos; Luis; Miguel; Pedro; Mario; Byron; Edgar; Hugo; Selvin; Wilson"),
        _p(
            "López; García; Pérez; Hernández; González; Morales; Ramírez; Xol; Tzoc; Ajú; "
            "Cux; Chávez; Cojtí; Sicán; Boc; Chiroy; Castillo; Méndez; Aguilar; Orellana"
        ),
        surnames=2,
    ),
    "bo": _Pool(
        _p(
            "María; Ximena; Wara; Inés; Rosa; Carla; Lizeth; Norma; Silvia; Janeth; Paola; "
            "Cinthia; Mariela; Nayeli"
        ),
        _p("Juan; Mario; Wilfredo; Freddy; Ronald; Limbert; Jhonny; Wilmer; Rubén; Marcelo"),
        _p(
            "Mamani; Quispe; Condori; Choque; Flores; Vargas; Apaza; Huanca; Gutiérrez; "
            "Rojas; Chambi; Ticona; Limachi; Copa; Fernández; Vásquez"
        ),
        surnames=2,
    ),
    "do": _Pool(
        _p(
            "Yokasta; Yudelka; Scarlet; Dahiana; Ana; Rosanna; Yaniris; Francheska; Yulissa; "
            "Marleny; Esmeralda; Yomaira; Katherine; Daritza"
        ),
        _p("José; Juan; Ramón; Wilkin; Franklin; Yoel; Carlos; Starlin; Wander; Rafael"),
        _p(
            "Rodríguez; Pérez; Martínez; García; Santana; De la Rosa; Reyes; Jiménez; Peña; "
            "Féliz; Ventura; Mejía; Encarnación; Batista; Cuevas; Guzmán"
        ),
        surnames=2,
    ),
    "ht": _Pool(
        _p("Nadège; Marie; Wideline; Fabiola; Roseline; Guerline; Mirlande"),
        _p("Jean; Wilner; Frantz; Wilson; Makenson; Peterson"),
        _p("Joseph; Pierre; Jean-Louis; Charles; Louis; Saint-Fleur; Dorvil; Désir; Exantus"),
    ),
    "km": _Pool(
        _p(
            "Sophea=សុភា; Srey Neang=ស្រីនាង; Bopha=បុប្ផា; Chenda=ចិន្តា; Kunthea=គន្ធា; "
            "Sokha=សុខា; Thida=ធីតា; Mealea=មាលា; Sreymom=ស្រីមុំ; Raksmey=រស្មី"
        ),
        _p(
            "Vuthy=វុទ្ធី; Sovann=សុវណ្ណ; Rithy=រិទ្ធី; Vannak=វណ្ណៈ; Sambath=សម្បត្តិ; "
            "Kosal=កុសល; Piseth=ពិសិដ្ឋ; Dara=ដារ៉ា"
        ),
        _p(
            "Sok=សុខ; Chan=ចាន់; Keo=កែវ; Kim=គឹម; Meas=មាស; Sao=សៅ; Heng=ហេង; Chea=ជា; "
            "Ly=លី; Pich=ពេជ្រ; Sam=សំ; Mao=ម៉ៅ; Touch=ទូច; Khim=ឃឹម"
        ),
        family_first=True,
        script_share=0.6,
    ),
    "vi": _Pool(
        _p("Thị Lan; Thị Hoa; Thị Mai; Thị Hằng; Thị Thu; Ngọc Anh"),
        _p("Văn Hùng; Văn Nam; Văn Tuấn; Minh Đức"),
        _p("Nguyễn; Trần; Lê; Phạm; Huỳnh; Võ"),
        family_first=True,
    ),
    "th": _Pool(
        _p(
            "Somsri=สมศรี; Malee=มาลี; Ploy=พลอย; Siriporn=ศิริพร; Kanya=กัญญา; "
            "Nittaya=นิตยา; Wanida=วนิดา; Pornthip=พรทิพย์; Sunisa=สุนิสา; Jintana=จินตนา"
        ),
        _p(
            "Somchai=สมชาย; Somsak=สมศักดิ์; Anan=อนันต์; Prasert=ประเสริฐ; Wichai=วิชัย; "
            "Niran=นิรันดร์; Sombat=สมบัติ; Chaiwat=ชัยวัฒน์"
        ),
        _p(
            "Jaidee=ใจดี; Srisuk=ศรีสุข; Boonmee=บุญมี; Rattanakul=รัตนกุล; Kaewkla=แก้วกล้า; "
            "Chaiyasit=ชัยสิทธิ์; Thongdee=ทองดี; Saetang=แซ่ตั้ง; Phromma=พรหมมา; Sukjai=สุขใจ"
        ),
        script_share=0.6,
    ),
    # Burmese names have no family name.
    "my": _Pool(
        _p(
            "Aye Aye Mar; Thida Win; Khin Myat Noe; Su Su Hlaing; Nwe Nwe Aung; "
            "Moe Moe Khaing; Hnin Wai; Ei Mon Kyaw"
        ),
        _p("Htet Aung; Zaw Min Tun; Kyaw Zin Oo; Aung Ko Ko; Min Thu; Naing Lin; Soe Moe"),
    ),
    # Foreign online customers in OSEC cases.
    "west": _Pool(
        _p("Susan; Linda"),
        _p("David; Michael; Robert; John; Mark; Peter; Thomas; Richard; Gary; Steven"),
        _p("Miller; Johnson; Anderson; Clarke; Wilson; Taylor; Brown; Fischer; Jensen; Larsen"),
    ),
}


# ---------------------------------------------------------------------------
# Countries: institutions, court practice and local wording.


@dataclass(frozen=True)
class _InstDef:
    """An institution made per district ("district"), two per district named
    after localities ("locality") or once per office ("office")."""

    kind: InstitutionKind
    template: str
    scope: str
    officials: tuple[tuple[OfficialRole, tuple[str, ...], int], ...]


def _inst(
    kind: InstitutionKind,
    template: str,
    scope: str,
    *officials: tuple[OfficialRole, tuple[str, ...], int],
) -> _InstDef:
    return _InstDef(kind, template, scope, officials)


@dataclass(frozen=True)
class _Country:
    code: str
    nationality: str
    phone: str  # "#" is a random digit
    address: str
    violence: tuple[tuple[ViolenceType, int], ...]
    institutions: tuple[_InstDef, ...]
    purposes: tuple[str, ...]
    judgment: str
    adjournments: tuple[str, ...]
    courtroom: str
    id_docs: str
    placing: str
    compensation: str
    email_domain: str


_ADJOURN_COMMON = (
    "Judge on leave",
    "Accused not produced",
    "Prosecutor absent",
    "Defence sought time",
    "Prosecution witness absent",
    "Court time taken by other matters",
)

_IO = _O.INVESTIGATING_OFFICER
_SPANISH_ADJOURN = (
    *_ADJOURN_COMMON,
    "Defence lawyer did not appear",
    "Interpreter not available",
    "Accused not transferred from prison",
)
_SPANISH_PURPOSES = (
    "First statement hearing",
    "Intermediate stage hearing",
    "Oral trial: prosecution evidence",
    "Oral trial: survivor's testimony (Gesell chamber)",
    "Oral trial: defence evidence",
    "Closing arguments",
)

_COUNTRIES: dict[str, _Country] = {
    "IN": _Country(
        "IN",
        "Indian",
        "+91 9#### #####",
        "House {n}, {locality}, {district}, {region}",
        (
            (_V.FORCED_LABOUR, 44),
            (_V.SEX_TRAFFICKING, 26),
            (_V.OSEC, 4),
            (_V.SEXUAL_VIOLENCE, 14),
            (_V.ILLEGAL_DETENTION, 3),
            (_V.POLICE_ABUSE, 3),
            (_V.PROPERTY_GRABBING, 3),
            (_V.OTHER, 3),
        ),
        (
            _inst(
                _K.POLICE_STATION,
                "{locality} Police Station",
                "locality",
                (_IO, ("Inspector of Police", "Sub-Inspector of Police"), 2),
                (_O.POLICE_OFFICER, ("Head Constable",), 1),
            ),
            _inst(
                _K.AHTU,
                "Anti-Human Trafficking Unit, {district}",
                "district",
                (_IO, ("Inspector of Police, AHTU",), 1),
            ),
            _inst(
                _K.CYBERCRIME_UNIT,
                "Cyber Crime Police Station, {city}",
                "office",
                (_IO, ("Inspector of Police (Cyber Crime)",), 1),
            ),
            _inst(
                _K.COURT,
                "Court of the Additional Sessions Judge, {district}",
                "district",
                (_O.JUDGE, ("Additional Sessions Judge",), 1),
            ),
            _inst(
                _K.COURT,
                "Court of the Chief Judicial Magistrate, {district}",
                "district",
                (
                    _O.MAGISTRATE,
                    ("Chief Judicial Magistrate", "Judicial Magistrate First Class"),
                    2,
                ),
            ),
            _inst(
                _K.PROSECUTION,
                "Office of the Public Prosecutor, {district}",
                "district",
                (_O.PROSECUTOR, ("Additional Public Prosecutor", "Special Public Prosecutor"), 2),
            ),
            _inst(
                _K.CWC,
                "Child Welfare Committee, {district}",
                "district",
                (_O.CWC_MEMBER, ("Chairperson", "Member"), 2),
            ),
            _inst(
                _K.LABOUR_DEPARTMENT,
                "Office of the Assistant Commissioner of Labour, {district}",
                "district",
                (_O.LABOUR_OFFICER, ("Assistant Commissioner of Labour", "Labour Inspector"), 1),
            ),
            _inst(
                _K.SDM_OFFICE,
                "Office of the Sub-Divisional Magistrate, {district}",
                "district",
                (_O.SDM, ("Sub-Divisional Magistrate", "Revenue Divisional Officer"), 1),
            ),
            _inst(
                _K.LEGAL_SERVICES_AUTHORITY,
                "District Legal Services Authority, {district}",
                "district",
                (_O.LEGAL_AID_OFFICER, ("Secretary, DLSA",), 1),
            ),
            _inst(
                _K.SHELTER,
                "Government Children's Home, {city}",
                "office",
                (_O.SHELTER_STAFF, ("Superintendent",), 1),
            ),
            _inst(
                _K.SHELTER,
                "Swadhar Greh women's shelter, {city}",
                "office",
                (_O.SHELTER_STAFF, ("Counsellor",), 1),
            ),
            _inst(
                _K.HEALTH_FACILITY,
                "District Headquarters Hospital, {district}",
                "district",
                (_O.HEALTH_WORKER, ("Medical Officer",), 1),
            ),
        ),
        (
            "Bail hearing",
            "Framing of charges",
            "Prosecution evidence",
            "Prosecution evidence: survivor's testimony",
            "Prosecution evidence",
            "Statement of the accused",
            "Defence evidence",
            "Final arguments",
        ),
        "Judgment",
        (
            *_ADJOURN_COMMON,
            "Accused not produced from jail",
            "Lawyers' strike",
            "Presiding officer transferred",
        ),
        "Court Hall {}",
        "an Aadhaar card and a ration card",
        "Child Welfare Committee",
        "District Legal Services Authority",
        "in.gov.example",
    ),
    "PH": _Country(
        "PH",
        "Filipino",
        "+63 9## ### ####",
        "Purok {p}, Barangay {locality}, {district}",
        (
            (_V.OSEC, 52),
            (_V.SEX_TRAFFICKING, 20),
            (_V.SEXUAL_VIOLENCE, 13),
            (_V.FORCED_LABOUR, 5),
            (_V.ILLEGAL_DETENTION, 2),
            (_V.POLICE_ABUSE, 3),
            (_V.PROPERTY_GRABBING, 1),
            (_V.OTHER, 4),
        ),
        (
            _inst(
                _K.POLICE_STATION,
                "{district} Police Station, {locality}",
                "locality",
                (_IO, ("Police Captain", "Police Lieutenant", "Police Staff Sergeant"), 2),
            ),
            _inst(
                _K.AHTU,
                "Regional Anti-Trafficking Task Force, {city}",
                "office",
                (_IO, ("Police Major", "Agent"), 2),
            ),
            _inst(
                _K.CYBERCRIME_UNIT,
                "Women and Children Cybercrime Protection Unit, {city}",
                "office",
                (_IO, ("Police Major", "Special Investigator"), 2),
            ),
            _inst(
                _K.COURT,
                "Regional Trial Court, {district}",
                "district",
                (_O.JUDGE, ("Presiding Judge",), 2),
            ),
            _inst(
                _K.PROSECUTION,
                "Office of the City Prosecutor, {district}",
                "district",
                (_O.PROSECUTOR, ("Assistant City Prosecutor", "Senior Assistant Prosecutor"), 2),
            ),
            _inst(
                _K.SOCIAL_WELFARE,
                "Social Welfare and Development Office, {district}",
                "district",
                (_O.SOCIAL_WELFARE_OFFICER, ("Social Welfare Officer",), 1),
            ),
            _inst(
                _K.SHELTER,
                "Haven for Children, {city}",
                "office",
                (_O.SHELTER_STAFF, ("Center Head", "Houseparent"), 1),
            ),
            _inst(
                _K.HEALTH_FACILITY,
                "Women and Child Protection Unit, {district} Medical Center",
                "district",
                (_O.HEALTH_WORKER, ("Physician",), 1),
            ),
            _inst(
                _K.LABOUR_DEPARTMENT,
                "Labor and Employment Field Office, {city}",
                "office",
                (_O.LABOUR_OFFICER, ("Labor and Employment Officer",), 1),
            ),
        ),
        (
            "Arraignment",
            "Pre-trial",
            "Trial: prosecution evidence",
            "Trial: survivor's testimony",
            "Trial: prosecution evidence",
            "Trial: defence evidence",
            "Plea bargaining conference",
        ),
        "Promulgation of judgment",
        (*_ADJOURN_COMMON, "Accused not brought by the jail", "Typhoon: court closed"),
        "Session Hall {}",
        "a birth certificate and health insurance membership",
        "social welfare office",
        "Board of Claims",
        "ph.gov.example",
    ),
    "KH": _Country(
        "KH",
        "Cambodian",
        "+855 1# ### ###",
        "House {n}, {locality}, {district}",
        (
            (_V.SEX_TRAFFICKING, 38),
            (_V.FORCED_LABOUR, 28),
            (_V.OSEC, 14),
            (_V.SEXUAL_VIOLENCE, 12),
            (_V.POLICE_ABUSE, 2),
            (_V.OTHER, 6),
        ),
        (
            _inst(
                _K.POLICE_STATION,
                "{locality} District Police Inspectorate",
                "locality",
                (_IO, ("Police Captain", "Police Lieutenant"), 2),
            ),
            _inst(
                _K.AHTU,
                "Anti-Human Trafficking and Juvenile Protection Office, {district}",
                "district",
                (_IO, ("Police Major", "Police Captain"), 2),
            ),
            _inst(
                _K.COURT,
                "{district} Court of First Instance",
                "district",
                (_O.JUDGE, ("Investigating Judge", "Trial Judge"), 2),
            ),
            _inst(
                _K.PROSECUTION,
                "Office of the Prosecutor, {district} Court of First Instance",
                "district",
                (_O.PROSECUTOR, ("Deputy Prosecutor",), 1),
            ),
            _inst(
                _K.SOCIAL_WELFARE,
                "Department of Social Affairs, {district}",
                "district",
                (_O.SOCIAL_WELFARE_OFFICER, ("Social Affairs Officer",), 1),
            ),
            _inst(
                _K.LABOUR_DEPARTMENT,
                "Department of Labour and Vocational Training, {district}",
                "district",
                (_O.LABOUR_OFFICER, ("Labour Inspector",), 1),
            ),
            _inst(
                _K.SHELTER,
                "Aftercare shelter, {city}",
                "office",
                (_O.SHELTER_STAFF, ("Shelter Manager",), 1),
            ),
            _inst(
                _K.HEALTH_FACILITY,
                "{district} Referral Hospital",
                "district",
                (_O.HEALTH_WORKER, ("Doctor",), 1),
            ),
        ),
        (
            "Questioning by the investigating judge",
            "Pre-trial detention review",
            "Trial hearing",
            "Trial hearing: survivor's testimony",
            "Trial hearing",
        ),
        "Verdict",
        (*_ADJOURN_COMMON, "Case file not transferred from the investigating judge"),
        "Courtroom {}",
        "a Cambodian ID card and a family book",
        "Department of Social Affairs",
        "court (civil party claim)",
        "kh.gov.example",
    ),
    "TH": _Country(
        "TH",
        "Thai",
        "+66 8# ### ####",
        "{n}/{m} Moo {p}, {locality}, {district}",
        (
            (_V.SEX_TRAFFICKING, 32),
            (_V.FORCED_LABOUR, 34),
            (_V.OSEC, 24),
            (_V.SEXUAL_VIOLENCE, 5),
            (_V.OTHER, 5),
        ),
        (
            _inst(
                _K.POLICE_STATION,
                "{locality} Police Station",
                "locality",
                (_IO, ("Police Captain", "Police Lieutenant Colonel"), 2),
            ),
            _inst(
                _K.AHTU,
                "Anti-Trafficking in Persons Division, {city}",
                "office",
                (_IO, ("Police Major", "Police Captain"), 2),
            ),
            _inst(
                _K.CYBERCRIME_UNIT,
                "Internet Crimes Against Children Task Force, {city}",
                "office",
                (_IO, ("Police Major",), 2),
            ),
            _inst(
                _K.COURT,
                "Provincial Court of {district}",
                "district",
                (_O.JUDGE, ("Judge",), 2),
            ),
            _inst(
                _K.COURT,
                "Criminal Court for Human Trafficking Cases, {city}",
                "office",
                (_O.JUDGE, ("Judge",), 2),
            ),
            _inst(
                _K.PROSECUTION,
                "Office of the Attorney General, {district} Provincial Office",
                "district",
                (_O.PROSECUTOR, ("Public Prosecutor",), 1),
            ),
            _inst(
                _K.SOCIAL_WELFARE,
                "Provincial Office of Social Development and Human Security, {district}",
                "district",
                (_O.SOCIAL_WELFARE_OFFICER, ("Social Worker",), 1),
            ),
            _inst(
                _K.LABOUR_DEPARTMENT,
                "Labour Protection and Welfare Office, {district}",
                "district",
                (_O.LABOUR_OFFICER, ("Labour Inspector",), 1),
            ),
            _inst(
                _K.SHELTER,
                "Protection and Occupational Development Centre, {city}",
                "office",
                (_O.SHELTER_STAFF, ("Social Worker",), 1),
            ),
            _inst(
                _K.HEALTH_FACILITY,
                "{district} Hospital",
                "district",
                (_O.HEALTH_WORKER, ("Doctor",), 1),
            ),
        ),
        (
            "Examination of evidence",
            "Witness examination: prosecution",
            "Witness examination: survivor",
            "Witness examination: defence",
        ),
        "Reading of the verdict",
        (*_ADJOURN_COMMON, "Interpreter not available"),
        "Courtroom {}",
        "a Thai ID card",
        "social development and human security office",
        "court (compensation order)",
        "th.gov.example",
    ),
    "KE": _Country(
        "KE",
        "Kenyan",
        "+254 7## ### ###",
        "Plot {n}, {locality}, {district}",
        (
            (_V.POLICE_ABUSE, 24),
            (_V.ILLEGAL_DETENTION, 18),
            (_V.SEXUAL_VIOLENCE, 28),
            (_V.PROPERTY_GRABBING, 20),
            (_V.SEX_TRAFFICKING, 4),
            (_V.OTHER, 6),
        ),
        (
            _inst(
                _K.POLICE_STATION,
                "{locality} Police Station",
                "locality",
                (_IO, ("Inspector", "Sergeant", "Corporal"), 2),
            ),
            _inst(
                _K.AHTU,
                "Anti-Human Trafficking and Child Protection Unit, {city}",
                "office",
                (_IO, ("Chief Inspector", "Inspector"), 1),
            ),
            _inst(
                _K.COURT,
                "{district} Law Courts",
                "district",
                (
                    _O.MAGISTRATE,
                    ("Chief Magistrate", "Senior Principal Magistrate", "Resident Magistrate"),
                    2,
                ),
            ),
            _inst(
                _K.COURT,
                "High Court at {city}",
                "office",
                (_O.JUDGE, ("Judge of the High Court",), 1),
            ),
            _inst(
                _K.PROSECUTION,
                "Office of the Director of Public Prosecutions, {district}",
                "district",
                (_O.PROSECUTOR, ("Prosecution Counsel", "Senior Prosecution Counsel"), 2),
            ),
            _inst(
                _K.SOCIAL_WELFARE,
                "Children's Services Office, {district}",
                "district",
                (_O.SOCIAL_WELFARE_OFFICER, ("Children's Officer",), 1),
            ),
            _inst(
                _K.OTHER,
                "Independent Policing Oversight Authority, {city}",
                "office",
                (_O.OTHER, ("Investigator",), 1),
            ),
            _inst(_K.SHELTER, "{city} Rescue Centre", "office", (_O.SHELTER_STAFF, ("Matron",), 1)),
            _inst(
                _K.HEALTH_FACILITY,
                "{district} County Referral Hospital",
                "district",
                (_O.HEALTH_WORKER, ("Clinical Officer",), 1),
            ),
        ),
        (
            "Plea",
            "Mention",
            "Bail application",
            "Hearing: prosecution witnesses",
            "Defence hearing",
        ),
        "Judgment",
        (*_ADJOURN_COMMON, "Court file not found", "Magistrate transferred"),
        "Court {}",
        "a national ID card and a birth certificate",
        "Children's Court",
        "court (compensation order)",
        "ke.gov.example",
    ),
    "UG": _Country(
        "UG",
        "Ugandan",
        "+256 7## ### ###",
        "Plot {n}, {locality}, {district}",
        (
            (_V.PROPERTY_GRABBING, 42),
            (_V.SEXUAL_VIOLENCE, 34),
            (_V.POLICE_ABUSE, 9),
            (_V.ILLEGAL_DETENTION, 7),
            (_V.OTHER, 8),
        ),
        (
            _inst(
                _K.POLICE_STATION,
                "{locality} Police Station",
                "locality",
                (_IO, ("Detective Inspector", "Detective Sergeant", "Detective Corporal"), 2),
            ),
            _inst(
                _K.COURT,
                "Chief Magistrate's Court, {district}",
                "district",
                (_O.MAGISTRATE, ("Chief Magistrate", "Magistrate Grade One"), 2),
            ),
            _inst(
                _K.COURT,
                "High Court, {city}",
                "office",
                (_O.JUDGE, ("Judge of the High Court",), 1),
            ),
            _inst(
                _K.PROSECUTION,
                "Office of the Director of Public Prosecutions, {district}",
                "district",
                (_O.PROSECUTOR, ("State Attorney", "Resident State Attorney"), 2),
            ),
            _inst(
                _K.SOCIAL_WELFARE,
                "Probation and Social Welfare Office, {district}",
                "district",
                (_O.SOCIAL_WELFARE_OFFICER, ("Probation and Social Welfare Officer",), 1),
            ),
            _inst(
                _K.OTHER,
                "District Land Office, {district}",
                "district",
                (_O.OTHER, ("Senior Land Officer",), 1),
            ),
            _inst(
                _K.LEGAL_SERVICES_AUTHORITY,
                "Legal Aid Service Providers Network, {city}",
                "office",
                (_O.LEGAL_AID_OFFICER, ("Legal Officer",), 1),
            ),
            _inst(_K.SHELTER, "{city} Safe Home", "office", (_O.SHELTER_STAFF, ("Caretaker",), 1)),
            _inst(
                _K.HEALTH_FACILITY,
                "{district} Hospital",
                "district",
                (_O.HEALTH_WORKER, ("Medical Officer",), 1),
            ),
        ),
        (
            "Plea",
            "Mention",
            "Bail application",
            "Hearing: prosecution witnesses",
            "Defence hearing",
        ),
        "Judgment",
        (*_ADJOURN_COMMON, "Court file not found", "Magistrate on sessions duty"),
        "Court {}",
        "a national ID card",
        "probation and social welfare office",
        "court (compensation order)",
        "ug.gov.example",
    ),
    "GH": _Country(
        "GH",
        "Ghanaian",
        "+233 2# ### ####",
        "House No. {n}, {locality}, {region}",
        (
            (_V.FORCED_LABOUR, 46),
            (_V.SEXUAL_VIOLENCE, 20),
            (_V.PROPERTY_GRABBING, 18),
            (_V.SEX_TRAFFICKING, 10),
            (_V.OTHER, 6),
        ),
        (
            _inst(
                _K.POLICE_STATION,
                "{locality} District Police Station",
                "locality",
                (_IO, ("Chief Inspector", "Inspector", "Detective Sergeant"), 2),
            ),
            _inst(
                _K.AHTU,
                "Anti-Human Trafficking Unit, {city}",
                "office",
                (_IO, ("Deputy Superintendent of Police", "Chief Inspector"), 2),
            ),
            _inst(
                _K.COURT,
                "Circuit Court, {district}",
                "district",
                (_O.JUDGE, ("Circuit Court Judge",), 1),
            ),
            _inst(_K.COURT, "High Court, {city}", "office", (_O.JUDGE, ("High Court Judge",), 1)),
            _inst(
                _K.PROSECUTION,
                "Office of the Attorney-General, {city}",
                "office",
                (_O.PROSECUTOR, ("State Attorney", "Principal State Attorney"), 2),
            ),
            _inst(
                _K.SOCIAL_WELFARE,
                "Department of Social Welfare, {district}",
                "district",
                (_O.SOCIAL_WELFARE_OFFICER, ("Social Welfare Officer",), 1),
            ),
            _inst(
                _K.SHELTER,
                "Government shelter for trafficked children, {city}",
                "office",
                (_O.SHELTER_STAFF, ("Shelter Manager",), 1),
            ),
            _inst(
                _K.HEALTH_FACILITY,
                "{district} Municipal Hospital",
                "district",
                (_O.HEALTH_WORKER, ("Physician Assistant",), 1),
            ),
        ),
        ("Plea", "Case management conference", "Bail application", "Trial", "Defence case"),
        "Judgment",
        (*_ADJOURN_COMMON, "Docket not forwarded to the Attorney-General"),
        "Court {}",
        "a Ghana Card",
        "Department of Social Welfare",
        "court (compensation order)",
        "gh.gov.example",
    ),
    "GT": _Country(
        "GT",
        "Guatemalan",
        "+502 #### ####",
        "Casa {n}, {locality}, {district}",
        (
            (_V.SEXUAL_VIOLENCE, 70),
            (_V.SEX_TRAFFICKING, 15),
            (_V.OSEC, 6),
            (_V.FORCED_LABOUR, 3),
            (_V.OTHER, 6),
        ),
        (
            _inst(
                _K.POLICE_STATION,
                "Subestación PNC, {locality}",
                "locality",
                (_IO, ("Agente investigador", "Oficial"), 2),
            ),
            _inst(
                _K.PROSECUTION,
                "Fiscalía de Distrito, {district}",
                "district",
                (_O.PROSECUTOR, ("Agente fiscal", "Auxiliar fiscal"), 2),
            ),
            _inst(
                _K.AHTU,
                "Fiscalía contra la Trata de Personas, {city}",
                "office",
                (_O.PROSECUTOR, ("Agente fiscal",), 1),
            ),
            _inst(
                _K.COURT,
                "Juzgado de Primera Instancia Penal, {district}",
                "district",
                (_O.JUDGE, ("Juez de Primera Instancia",), 1),
            ),
            _inst(
                _K.COURT,
                "Tribunal de Sentencia Penal, {district}",
                "district",
                (_O.JUDGE, ("Presidente del Tribunal", "Vocal del Tribunal"), 2),
            ),
            _inst(
                _K.SOCIAL_WELFARE,
                "Procuraduría General de la Nación, {district}",
                "district",
                (_O.SOCIAL_WELFARE_OFFICER, ("Procuradora de la Niñez",), 1),
            ),
            _inst(
                _K.HEALTH_FACILITY,
                "INACIF, {district}",
                "district",
                (_O.HEALTH_WORKER, ("Médico forense",), 1),
            ),
            _inst(
                _K.SHELTER,
                "Hogar de protección, {city}",
                "office",
                (_O.SHELTER_STAFF, ("Directora",), 1),
            ),
        ),
        _SPANISH_PURPOSES,
        "Reading of the judgment",
        _SPANISH_ADJOURN,
        "Sala {}",
        "a DPI identity document",
        "Procuraduría General de la Nación",
        "court (reparation hearing)",
        "gt.gov.example",
    ),
    "BO": _Country(
        "BO",
        "Bolivian",
        "+591 7### ####",
        "Calle {m}, No. {n}, {locality}, {district}",
        (
            (_V.SEXUAL_VIOLENCE, 76),
            (_V.SEX_TRAFFICKING, 10),
            (_V.OSEC, 4),
            (_V.FORCED_LABOUR, 4),
            (_V.OTHER, 6),
        ),
        (
            _inst(
                _K.POLICE_STATION,
                "FELCV, {locality}",
                "locality",
                (_IO, ("Investigador asignado", "Sargento"), 2),
            ),
            _inst(
                _K.PROSECUTION,
                "Fiscalía Departamental, {district}",
                "district",
                (_O.PROSECUTOR, ("Fiscal de materia",), 2),
            ),
            _inst(
                _K.COURT,
                "Juzgado de Instrucción Penal, {district}",
                "district",
                (_O.JUDGE, ("Juez de Instrucción Penal",), 1),
            ),
            _inst(
                _K.COURT,
                "Tribunal de Sentencia Penal, {district}",
                "district",
                (_O.JUDGE, ("Presidente del Tribunal", "Juez técnico"), 2),
            ),
            _inst(
                _K.SOCIAL_WELFARE,
                "Defensoría de la Niñez y Adolescencia, {district}",
                "district",
                (_O.SOCIAL_WELFARE_OFFICER, ("Trabajadora social", "Psicóloga"), 1),
            ),
            _inst(
                _K.HEALTH_FACILITY,
                "Instituto de Investigaciones Forenses, {district}",
                "district",
                (_O.HEALTH_WORKER, ("Médico forense",), 1),
            ),
            _inst(
                _K.SHELTER,
                "Casa de acogida, {city}",
                "office",
                (_O.SHELTER_STAFF, ("Educadora",), 1),
            ),
        ),
        _SPANISH_PURPOSES,
        "Reading of the judgment",
        _SPANISH_ADJOURN,
        "Sala {}",
        "a carnet de identidad",
        "Defensoría de la Niñez y Adolescencia",
        "court (reparation hearing)",
        "bo.gov.example",
    ),
    "DO": _Country(
        "DO",
        "Dominican",
        "+1 809 ### ####",
        "Calle {m}, No. {n}, {locality}, {district}",
        (
            (_V.SEXUAL_VIOLENCE, 55),
            (_V.SEX_TRAFFICKING, 24),
            (_V.OSEC, 12),
            (_V.FORCED_LABOUR, 3),
            (_V.OTHER, 6),
        ),
        (
            _inst(
                _K.POLICE_STATION,
                "Destacamento policial, {locality}",
                "locality",
                (_IO, ("Sargento", "Cabo", "Teniente"), 2),
            ),
            _inst(
                _K.PROSECUTION,
                "Fiscalía de {district}",
                "district",
                (_O.PROSECUTOR, ("Procuradora fiscal", "Procurador fiscal"), 2),
            ),
            _inst(
                _K.AHTU,
                "Procuraduría Especializada contra la Trata de Personas, {city}",
                "office",
                (_O.PROSECUTOR, ("Procuradora fiscal",), 1),
            ),
            _inst(
                _K.COURT,
                "Juzgado de la Instrucción, {district}",
                "district",
                (_O.JUDGE, ("Juez de la Instrucción",), 1),
            ),
            _inst(
                _K.COURT,
                "Tribunal Colegiado, {district}",
                "district",
                (_O.JUDGE, ("Presidenta del Tribunal", "Juez"), 2),
            ),
            _inst(
                _K.SOCIAL_WELFARE,
                "CONANI, {district}",
                "district",
                (_O.SOCIAL_WELFARE_OFFICER, ("Técnica de protección",), 1),
            ),
            _inst(
                _K.HEALTH_FACILITY,
                "INACIF, {district}",
                "district",
                (_O.HEALTH_WORKER, ("Médico legista",), 1),
            ),
            _inst(
                _K.SHELTER,
                "Casa de acogida, {city}",
                "office",
                (_O.SHELTER_STAFF, ("Coordinadora",), 1),
            ),
        ),
        _SPANISH_PURPOSES,
        "Reading of the judgment",
        _SPANISH_ADJOURN,
        "Sala {}",
        "a cédula",
        "CONANI",
        "court (reparation hearing)",
        "do.gov.example",
    ),
}


# ---------------------------------------------------------------------------
# Offices and the districts each one works in.


@dataclass(frozen=True)
class _Migrant:
    share: float
    violence: tuple[ViolenceType, ...]
    nationality: str
    pool: str
    languages: str
    home: str


@dataclass(frozen=True)
class _OfficeDef:
    code: str
    city: str
    country: str
    weight: int
    pool: str
    languages: str
    districts: tuple[tuple[str, str, tuple[str, ...]], ...]  # (district, region, localities)
    migrants: tuple[_Migrant, ...] = ()


def _d(district: str, region: str, localities: str) -> tuple[str, str, tuple[str, ...]]:
    return district, region, tuple(x.strip() for x in localities.split(","))


_OFFICES: tuple[_OfficeDef, ...] = (
    _OfficeDef(
        "IN-KOL",
        "Kolkata",
        "IN",
        8,
        "bn",
        "Bengali, Hindi",
        (
            _d(
                "South 24 Parganas",
                "West Bengal",
                "Baruipur, Canning, Diamond Harbour, Basanti, Sonarpur, Kakdwip",
            ),
            _d("North 24 Parganas", "West Bengal", "Barasat, Basirhat, Bongaon, Habra, Hasnabad"),
            _d("Kolkata", "West Bengal", "Sonagachi, Bowbazar, Kalighat, Tollygunge, Tiljala"),
            _d("Howrah", "West Bengal", "Uluberia, Bally, Domjur"),
            _d("Murshidabad", "West Bengal", "Berhampore, Domkal, Jangipur"),
        ),
        (
            _Migrant(
                0.15,
                (_V.SEX_TRAFFICKING,),
                "Bangladeshi",
                "bn",
                "Bengali",
                "Bangladesh",
            ),
        ),
    ),
    _OfficeDef(
        "IN-CHN",
        "Chennai",
        "IN",
        8,
        "ta",
        "Tamil",
        (
            _d(
                "Tiruvallur",
                "Tamil Nadu",
                "Gummidipoondi, Ponneri, Periyapalayam, Uthukottai, Poonamallee",
            ),
            _d("Kancheepuram", "Tamil Nadu", "Sriperumbudur, Walajabad, Uthiramerur"),
            _d("Chengalpattu", "Tamil Nadu", "Madurantakam, Tirukalukundram, Cheyyur"),
            _d("Vellore", "Tamil Nadu", "Gudiyatham, Katpadi, Anaicut"),
            _d("Tiruvannamalai", "Tamil Nadu", "Arani, Cheyyar, Polur"),
        ),
        # Brick kilns around Chennai are worked by families brought from Odisha.
        (_Migrant(0.4, (_V.FORCED_LABOUR,), "Indian", "or", "Odia, Hindi", ""),),
    ),
    _OfficeDef(
        "IN-MUM",
        "Mumbai",
        "IN",
        6,
        "mr",
        "Marathi, Hindi",
        (
            _d("Mumbai City", "Maharashtra", "Kamathipura, Grant Road, Byculla"),
            _d("Mumbai Suburban", "Maharashtra", "Andheri, Kurla, Borivali, Govandi"),
            _d("Thane", "Maharashtra", "Bhiwandi, Kalyan, Ulhasnagar"),
            _d("Palghar", "Maharashtra", "Vasai, Dahanu, Jawhar, Wada"),
            _d("Pune", "Maharashtra", "Budhwar Peth, Hadapsar, Pimpri"),
        ),
        (_Migrant(0.12, (_V.SEX_TRAFFICKING,), "Nepali", "ne", "Nepali, Hindi", "Nepal"),),
    ),
    _OfficeDef(
        "IN-BLR",
        "Bengaluru",
        "IN",
        6,
        "kn",
        "Kannada",
        (
            _d("Bengaluru Urban", "Karnataka", "Anekal, Yelahanka, Kengeri"),
            _d("Bengaluru Rural", "Karnataka", "Hoskote, Doddaballapur, Nelamangala, Devanahalli"),
            _d("Ramanagara", "Karnataka", "Kanakapura, Channapatna, Magadi"),
            _d("Kolar", "Karnataka", "Malur, Bangarpet, Mulbagal"),
        ),
        (_Migrant(0.25, (_V.FORCED_LABOUR,), "Indian", "ta", "Tamil, Kannada", ""),),
    ),
    _OfficeDef(
        "IN-DEL",
        "New Delhi",
        "IN",
        5,
        "hi",
        "Hindi",
        (
            _d("South West Delhi", "Delhi", "Najafgarh, Dwarka, Kapashera"),
            _d("Gurugram", "Haryana", "Manesar, Sohna, Pataudi"),
            _d("Ghaziabad", "Uttar Pradesh", "Loni, Modinagar, Muradnagar"),
            _d("Jhajjar", "Haryana", "Bahadurgarh, Beri, Badli"),
        ),
        (_Migrant(0.12, (_V.SEX_TRAFFICKING,), "Nepali", "ne", "Nepali, Hindi", "Nepal"),),
    ),
    _OfficeDef(
        "PH-MNL",
        "Manila",
        "PH",
        9,
        "fil",
        "Filipino",
        (
            _d(
                "Quezon City",
                "Metro Manila",
                "Bagong Silangan, Payatas, Commonwealth, Batasan Hills",
            ),
            _d("Manila", "Metro Manila", "Tondo, Sampaloc, Malate"),
            _d("Caloocan", "Metro Manila", "Bagong Barrio, Camarin, Bagumbong"),
            _d("Taguig", "Metro Manila", "Western Bicutan, Lower Bicutan, Signal Village"),
            _d("Pasay", "Metro Manila", "Malibay, Maricaban"),
        ),
    ),
    _OfficeDef(
        "PH-CEB",
        "Cebu",
        "PH",
        6,
        "fil",
        "Cebuano, Filipino",
        (
            _d("Cebu City", "Central Visayas", "Pasil, Lahug, Mambaling, Inayawan"),
            _d("Lapu-Lapu City", "Central Visayas", "Pusok, Maribago, Basak, Babag"),
            _d("Mandaue City", "Central Visayas", "Tipolo, Banilad, Subangdaku"),
            _d("Cordova", "Central Visayas", "Gabi, Pilipog, Poblacion"),
            _d("Talisay City", "Central Visayas", "Tabunok, Lagtang, Pooc"),
        ),
    ),
    _OfficeDef(
        "PH-PAM",
        "Pampanga",
        "PH",
        4,
        "fil",
        "Kapampangan, Filipino",
        (
            _d("Angeles City", "Central Luzon", "Balibago, Malabanias, Pampang"),
            _d("Mabalacat City", "Central Luzon", "Dau, Dolores, Mabiga"),
            _d("City of San Fernando", "Central Luzon", "Sindalan, Del Pilar, Telabastagan"),
        ),
    ),
    _OfficeDef(
        "KH-PNH",
        "Phnom Penh",
        "KH",
        6,
        "km",
        "Khmer",
        (
            _d("Phnom Penh", "Phnom Penh", "Tuol Kork, Meanchey, Chbar Ampov, Sen Sok"),
            _d("Kandal", "Kandal", "Ta Khmau, Kien Svay"),
            _d("Siem Reap", "Siem Reap", "Siem Reap town, Puok"),
            _d("Preah Sihanouk", "Preah Sihanouk", "Sihanoukville, Prey Nob"),
            _d("Banteay Meanchey", "Banteay Meanchey", "Poipet, Serei Saophoan"),
        ),
        (
            _Migrant(
                0.12, (_V.SEX_TRAFFICKING,), "Vietnamese", "vi", "Vietnamese, Khmer", "Vietnam"
            ),
        ),
    ),
    _OfficeDef(
        "TH-BKK",
        "Bangkok",
        "TH",
        3,
        "th",
        "Thai",
        (
            _d("Bangkok", "Bangkok", "Bang Na, Huai Khwang, Khlong Toei, Sukhumvit"),
            _d("Samut Sakhon", "Samut Sakhon", "Mahachai, Krathum Baen"),
            _d("Chonburi", "Chonburi", "Pattaya, Si Racha"),
            _d("Chiang Mai", "Chiang Mai", "Mueang Chiang Mai, Fang"),
        ),
        (
            _Migrant(
                0.45,
                (_V.FORCED_LABOUR, _V.SEX_TRAFFICKING),
                "Myanmar",
                "my",
                "Burmese",
                "Myanmar",
            ),
            _Migrant(
                0.1,
                (_V.FORCED_LABOUR, _V.SEX_TRAFFICKING),
                "Cambodian",
                "km",
                "Khmer",
                "Cambodia",
            ),
        ),
    ),
    _OfficeDef(
        "KE-NBO",
        "Nairobi",
        "KE",
        6,
        "sw",
        "Swahili, English",
        (
            _d("Nairobi", "Nairobi County", "Kibera, Mathare, Kayole, Dandora, Mukuru, Kawangware"),
            _d("Kiambu", "Kiambu County", "Thika, Ruiru, Githurai, Kikuyu"),
            _d("Machakos", "Machakos County", "Athi River, Mlolongo, Kangundo"),
        ),
    ),
    _OfficeDef(
        "KE-MSA",
        "Mombasa",
        "KE",
        3,
        "sw",
        "Swahili",
        (
            _d("Mombasa", "Mombasa County", "Likoni, Kisauni, Changamwe"),
            _d("Kilifi", "Kilifi County", "Malindi, Mtwapa, Watamu"),
            _d("Kwale", "Kwale County", "Ukunda, Msambweni"),
        ),
    ),
    _OfficeDef(
        "UG-KLA",
        "Kampala",
        "UG",
        5,
        "lg",
        "Luganda, English",
        (
            _d("Kampala", "Central Region", "Kawempe, Nakawa, Rubaga, Makindye"),
            _d("Wakiso", "Central Region", "Nansana, Kira, Entebbe, Kakiri"),
            _d("Mukono", "Central Region", "Seeta, Goma, Nama"),
        ),
    ),
    _OfficeDef(
        "UG-GUL",
        "Gulu",
        "UG",
        3,
        "ach",
        "Acholi",
        (
            _d("Gulu", "Northern Region", "Bardege, Laroo, Pece, Unyama"),
            _d("Amuru", "Northern Region", "Atiak, Pabbo"),
            _d("Omoro", "Northern Region", "Lalogi, Bobi, Odek"),
        ),
    ),
    _OfficeDef(
        "GH-ACC",
        "Accra",
        "GH",
        5,
        "gh",
        "Twi, Ewe, English",
        (
            _d("Accra Metropolitan", "Greater Accra", "Nima, James Town, Agbogbloshie, Madina"),
            _d("Tema", "Greater Accra", "Ashaiman, Tema New Town"),
            _d("Krachi West", "Oti Region", "Kete Krachi, Dambai, Chinderi"),
            _d("Pru East", "Bono East Region", "Yeji, Prang"),
            _d("Kpando", "Volta Region", "Kpando, Abotoase"),
        ),
    ),
    _OfficeDef(
        "GT-GUA",
        "Guatemala City",
        "GT",
        7,
        "gt",
        "Spanish",
        (
            _d("Guatemala", "Guatemala", "Zona 1, Zona 18, Mixco, Villa Nueva, Chinautla"),
            _d("Sacatepéquez", "Sacatepéquez", "Antigua Guatemala, Sumpango, Ciudad Vieja"),
            _d("Chimaltenango", "Chimaltenango", "Chimaltenango, Tecpán, Patzún"),
            _d("Escuintla", "Escuintla", "Escuintla, Palín, Puerto San José"),
        ),
    ),
    _OfficeDef(
        "BO-LPZ",
        "La Paz",
        "BO",
        3,
        "bo",
        "Spanish, Aymara",
        (
            _d("La Paz", "La Paz", "Villa Fátima, Max Paredes, Sopocachi"),
            _d("El Alto", "La Paz", "Villa Adela, Senkata, Distrito 3"),
        ),
    ),
    _OfficeDef(
        "BO-CBB",
        "Cochabamba",
        "BO",
        2,
        "bo",
        "Spanish, Quechua",
        (
            _d("Cercado", "Cochabamba", "Zona Sud, Villa Pagador, Alalay"),
            _d("Quillacollo", "Cochabamba", "Quillacollo, Sipe Sipe"),
            _d("Sacaba", "Cochabamba", "Sacaba, Huayllani"),
        ),
    ),
    _OfficeDef(
        "DO-SDQ",
        "Santo Domingo",
        "DO",
        4,
        "do",
        "Spanish",
        (
            _d(
                "Distrito Nacional",
                "Distrito Nacional",
                "Gualey, Capotillo, Villa Consuelo, Cristo Rey",
            ),
            _d("Santo Domingo Este", "Santo Domingo", "Los Mina, Villa Duarte, Invivienda"),
            _d("Boca Chica", "Santo Domingo", "Boca Chica, Andrés"),
            _d("San Cristóbal", "San Cristóbal", "Haina, Nigua"),
        ),
        (
            _Migrant(
                0.1,
                (_V.SEX_TRAFFICKING, _V.FORCED_LABOUR),
                "Haitian",
                "ht",
                "Haitian Creole, Spanish",
                "Haiti",
            ),
        ),
    ),
)

# Where the generic demo logins come from and who else works where.
_ALL = ("IN", "PH", "KH", "TH", "KE", "UG", "GH", "GT", "BO", "DO")
_STAFF: tuple[tuple[str, str, Role, tuple[str, ...], bool], ...] = (
    # username, display name, role, countries worked, investigator
    ("director", "Helen Achieng", Role.DIRECTOR, (), False),
    ("lawyer", "Meera Iyer", Role.LAWYER, _ALL, False),
    ("caseworker", "Joy Reyes", Role.CASEWORKER, _ALL, False),
    ("auditor", "Samuel Boateng", Role.AUDITOR, (), False),
    ("priya.n", "Priya Nair", Role.CASEWORKER, ("IN",), False),
    ("ananya.b", "Ananya Bose", Role.CASEWORKER, ("IN",), False),
    ("maricel.d", "Maricel Dela Cruz", Role.CASEWORKER, ("PH",), False),
    ("grace.w", "Grace Wanjiru", Role.CASEWORKER, ("KE", "UG", "GH"), False),
    ("sokha.c", "Sokha Chan", Role.CASEWORKER, ("KH", "TH"), False),
    ("lucia.m", "Lucía Morales", Role.CASEWORKER, ("GT", "BO", "DO"), False),
    ("rahul.k", "Rahul Kumar", Role.CASEWORKER, ("IN",), True),
    ("mark.v", "Mark Villanueva", Role.CASEWORKER, ("PH",), True),
    ("arjun.r", "Arjun Raghavan", Role.LAWYER, ("IN", "KH", "TH"), False),
    ("jose.s", "Jose Santos", Role.LAWYER, ("PH",), False),
    ("daniel.o", "Daniel Otieno", Role.LAWYER, ("KE", "UG", "GH"), False),
    ("carmen.l", "Carmen López", Role.LAWYER, ("GT", "BO", "DO"), False),
)
# Share of cases on which the generic `caseworker` and `lawyer` logins work,
# so that logging in as either shows a realistic (not total) caseload.
_DEMO_LOGIN_SHARE = 0.25


# ---------------------------------------------------------------------------
# Cases: titles, summaries, who the survivors and accused are.

_TITLES: dict[ViolenceType, tuple[str, ...]] = {
    _V.FORCED_LABOUR: (
        "Forced labour on a farm, {place}",
        "Domestic servitude, {place}",
        "Forced labour in a quarry, {place}",
    ),
    _V.SEX_TRAFFICKING: (
        "Sex trafficking in a bar, {place}",
        "Sex trafficking of a minor, {place}",
        "False job offer into sexual exploitation, {place}",
    ),
    _V.OSEC: (
        "Online sexual exploitation of children, {place}",
        "Livestreamed child sexual abuse, {place}",
        "Family-based OSEC facilitation, {place}",
        "Production of child sexual abuse material, {place}",
        "Sextortion of a minor, {place}",
        "OSEC referral from foreign law enforcement, {place}",
    ),
    _V.SEXUAL_VIOLENCE: (
        "Rape of a minor, {place}",
        "Sexual assault of a child, {place}",
        "Sexual violence against a woman, {place}",
        "Sexual abuse within the family, {place}",
    ),
    _V.ILLEGAL_DETENTION: (
        "Unlawful detention in police custody, {place}",
        "Detention without charge beyond the legal limit, {place}",
        "Pre-trial detention without production in court, {place}",
    ),
    _V.POLICE_ABUSE: (
        "Police abuse of power, {place}",
        "Assault in police custody, {place}",
        "Extortion by police officers, {place}",
        "Fabricated charges by police, {place}",
    ),
    _V.PROPERTY_GRABBING: (
        "Widow's land grabbed by in-laws, {place}",
        "Orphans' inheritance seized by relatives, {place}",
        "Widow evicted from the family home, {place}",
        "Forged land sale against a widow, {place}",
    ),
    _V.OTHER: (
        "Child marriage, {place}",
        "Attempted trafficking stopped in transit, {place}",
        "Exploitation of a migrant worker, {place}",
    ),
}

_TITLES_BY_COUNTRY: dict[tuple[str, ViolenceType], tuple[str, ...]] = {
    ("IN", _V.FORCED_LABOUR): (
        "Brick kiln bonded labour, {place}",
        "Brick kiln bonded labour, {place}",
        "Rice mill bonded labour, {place}",
        "Stone quarry bonded labour, {place}",
        "Granite quarry bonded labour, {place}",
        "Spinning mill forced labour, {place}",
        "Sugarcane harvesting bonded labour, {place}",
        "Construction site bonded labour, {place}",
        "Garment unit child labour, {place}",
    ),
    ("IN", _V.SEX_TRAFFICKING): (
        "Brothel-based sex trafficking, {place}",
        "Sex trafficking via a placement agency, {place}",
        "Dance bar trafficking, {place}",
        "Lodge-based sex trafficking, {place}",
        "Trafficking of a minor into a brothel, {place}",
    ),
    ("PH", _V.SEX_TRAFFICKING): (
        "Bar-based sex trafficking, {place}",
        "Online recruitment into commercial sexual exploitation, {place}",
        "Sex trafficking of minors in a KTV bar, {place}",
    ),
    ("PH", _V.FORCED_LABOUR): (
        "Domestic servitude, {place}",
        "Fishing vessel forced labour, {place}",
        "Sugarcane plantation forced labour, {place}",
    ),
    ("KH", _V.FORCED_LABOUR): (
        "Brick kiln debt bondage, {place}",
        "Fishing vessel forced labour, {place}",
        "Scam compound forced labour, {place}",
    ),
    ("KH", _V.SEX_TRAFFICKING): (
        "Karaoke bar sex trafficking, {place}",
        "Massage parlour sex trafficking, {place}",
        "Sale of a minor for sex, {place}",
    ),
    ("TH", _V.FORCED_LABOUR): (
        "Seafood processing forced labour, {place}",
        "Fishing vessel forced labour, {place}",
        "Scam centre forced labour, {place}",
        "Domestic servitude, {place}",
    ),
    ("TH", _V.SEX_TRAFFICKING): (
        "Karaoke bar sex trafficking, {place}",
        "Massage parlour sex trafficking, {place}",
        "Sex trafficking of minors, {place}",
    ),
    ("GH", _V.FORCED_LABOUR): (
        "Lake Volta fishing, child forced labour, {place}",
        "Lake Volta fishing, child forced labour, {place}",
        "Child forced labour on a fishing boat, {place}",
        "Domestic servitude, {place}",
    ),
    ("KE", _V.SEXUAL_VIOLENCE): (
        "Defilement of a child, {place}",
        "Rape of a woman, {place}",
        "Defilement by a neighbour, {place}",
        "Incest, {place}",
    ),
    ("UG", _V.SEXUAL_VIOLENCE): (
        "Defilement of a child, {place}",
        "Aggravated defilement, {place}",
        "Rape of a woman, {place}",
    ),
    ("GH", _V.SEXUAL_VIOLENCE): (
        "Defilement of a child, {place}",
        "Rape of a woman, {place}",
        "Sexual abuse of a child by a relative, {place}",
    ),
    ("KE", _V.POLICE_ABUSE): (
        "Police abuse of power, {place}",
        "Assault in police custody, {place}",
        "Death in police custody, {place}",
        "Extortion by police officers, {place}",
    ),
}
for _c in ("GT", "BO", "DO"):
    _TITLES_BY_COUNTRY[(_c, _V.SEXUAL_VIOLENCE)] = (
        "Sexual violence against a girl, {place}",
        "Rape of an adolescent, {place}",
        "Aggravated sexual assault, {place}",
        "Sexual violence within the family, {place}",
    )

_SUMMARY_FIRST: dict[ViolenceType, tuple[str, ...]] = {
    _V.FORCED_LABOUR: (
        "{People} {were} released from a work site in {place} in a joint operation with revenue "
        "and police officials.",
        "Workers at a site in {place} were paid an advance and not allowed to leave until it was "
        "repaid; {people} {were} brought out.",
        "A family working in {place} reported being locked in at night and beaten; {people} "
        "{were} rescued.",
    ),
    _V.SEX_TRAFFICKING: (
        "{People} recruited with false job offers {were} found in {place} and brought to safety "
        "with the police.",
        "Police rescued {people} from commercial sexual exploitation in {place} after an "
        "undercover investigation.",
        "{People} {were} rescued from a brothel in {place} in a police operation.",
    ),
    _V.OSEC: (
        "Following a referral from foreign law enforcement, {people} {were} rescued from "
        "livestreamed abuse in {place}.",
        "{People} {were} abused on camera for paying customers abroad; police rescued them from "
        "a home in {place}.",
        "A cybertip led police to a house in {place}, where {people} {were} rescued.",
    ),
    _V.SEXUAL_VIOLENCE: (
        "{People} reported sexual violence by a person known to the family in {place}.",
        "The family of {people} in {place} reported the assault; the police registered the case "
        "after our intervention.",
        "A teacher in {place} noticed signs of abuse and referred {people} to us.",
    ),
    _V.ILLEGAL_DETENTION: (
        "{People} {were} held in police custody in {place} beyond the legal limit without being "
        "brought before a court.",
        "Relatives reported that {people} had been detained in {place} without charge.",
    ),
    _V.POLICE_ABUSE: (
        "Police officers in {place} detained and beat {people} without charge.",
        "A complaint was filed against police officers in {place} for assault and extortion "
        "during an arrest.",
    ),
    _V.PROPERTY_GRABBING: (
        "After her husband's death, a widow in {place} was driven from her land by relatives.",
        "Relatives in {place} seized the family land and house from a widow and her children.",
        "A forged sale agreement was used to take a widow's land in {place}.",
    ),
    _V.OTHER: (
        "Community members in {place} referred a case of exploitation involving {people}.",
        "{People} {were} stopped in transit in {place} with a recruiter who could not explain "
        "the journey.",
    ),
}
# Custody by the state of the legal track: (cumulative shares, the rest).
_Custody = tuple[tuple[tuple[CustodyStatus, float], ...], CustodyStatus]
_CUSTODY_BEFORE_TRIAL: _Custody = (((_C.AT_LARGE, 0.8), (_C.ABSCONDED, 0.9)), _C.ARRESTED)
_CUSTODY: dict[TrackStatus, _Custody] = {
    _S.ACTIVE: (
        ((_C.IN_CUSTODY, 0.3), (_C.ON_BAIL, 0.7), (_C.AT_LARGE, 0.85), (_C.ABSCONDED, 0.95)),
        _C.ARRESTED,
    ),
    # After the verdict: convicts in prison, the acquitted free.
    _S.COMPLETED: (((_C.IN_CUSTODY, 0.55), (_C.AT_LARGE, 0.9), (_C.DECEASED, 0.93)), _C.ABSCONDED),
}
_CUSTODY_PHRASE: dict[CustodyStatus, str] = {
    _C.AT_LARGE: "remains at large",
    _C.ARRESTED: "was arrested",
    _C.ON_BAIL: "is out on bail",
    _C.IN_CUSTODY: "is in custody",
    _C.ABSCONDED: "has absconded",
    _C.DECEASED: "has died",
}
_NUMBER_WORDS = (
    "no one",
    "one survivor",
    "two survivors",
    "three survivors",
    "four survivors",
    "five survivors",
    "six survivors",
    "seven survivors",
    "eight survivors",
)


@dataclass(frozen=True)
class _SurvivorMix:
    female: float
    minor: float
    minor_ages: tuple[int, int]
    adult_ages: tuple[int, int]
    counts: tuple[int, ...]  # weights for 1, 2, 3 ... survivors


_SURVIVORS: dict[ViolenceType, _SurvivorMix] = {
    # Whole families are found at brick kilns, hence the long tail.
    _V.FORCED_LABOUR: _SurvivorMix(0.45, 0.22, (8, 17), (18, 58), (20, 20, 15, 12, 10, 8, 7, 8)),
    _V.SEX_TRAFFICKING: _SurvivorMix(0.96, 0.38, (12, 17), (18, 32), (50, 25, 15, 10)),
    _V.OSEC: _SurvivorMix(0.72, 0.94, (2, 17), (18, 21), (35, 25, 18, 10, 6, 6)),
    _V.SEXUAL_VIOLENCE: _SurvivorMix(0.93, 0.68, (3, 17), (18, 45), (88, 12)),
    _V.ILLEGAL_DETENTION: _SurvivorMix(0.12, 0.08, (15, 17), (18, 45), (80, 20)),
    _V.POLICE_ABUSE: _SurvivorMix(0.15, 0.06, (15, 17), (18, 50), (80, 15, 5)),
    # First survivor is the widow; the others her children (handled in code).
    _V.PROPERTY_GRABBING: _SurvivorMix(0.5, 1.0, (3, 17), (30, 75), (40, 30, 30)),
    _V.OTHER: _SurvivorMix(0.7, 0.5, (10, 17), (18, 40), (80, 20)),
}

# (role, relationship to the victim, share female, weight)
_ACCUSED_ROLES: dict[ViolenceType, tuple[tuple[AccusedRole, str, float, int], ...]] = {
    _V.FORCED_LABOUR: (
        (_A.EMPLOYER, "Owner of the work site", 0.1, 40),
        (_A.EMPLOYER, "Manager at the work site", 0.05, 15),
        (_A.RECRUITER, "Labour contractor who paid the advance", 0.05, 30),
        (_A.FACILITATOR, "Supervisor who guarded the workers", 0.0, 15),
    ),
    _V.SEX_TRAFFICKING: (
        (_A.TRAFFICKER, "Recruited the survivor with a false job offer", 0.35, 30),
        (_A.BROTHEL_KEEPER, "Ran the brothel", 0.55, 25),
        (_A.RECRUITER, "Acquaintance from the home village", 0.4, 15),
        (_A.CUSTOMER, "Customer found at the premises", 0.0, 10),
        (_A.FACILITATOR, "Manager at the bar", 0.3, 10),
        (_A.FAMILY_MEMBER, "Relative who sold the survivor", 0.5, 5),
    ),
    _V.OSEC: (
        (_A.FACILITATOR, "Mother", 1.0, 20),
        (_A.FAMILY_MEMBER, "Aunt", 1.0, 10),
        (_A.FAMILY_MEMBER, "Father", 0.0, 8),
        (_A.FACILITATOR, "Neighbour who ran the livestreams", 0.6, 15),
        (_A.CUSTOMER, "Online customer abroad", 0.0, 20),
        (_A.TRAFFICKER, "Relative who arranged the shows", 0.5, 10),
    ),
    _V.SEXUAL_VIOLENCE: (
        (_A.OTHER, "Neighbour", 0.0, 30),
        (_A.FAMILY_MEMBER, "Stepfather", 0.0, 15),
        (_A.FAMILY_MEMBER, "Uncle", 0.0, 15),
        (_A.OTHER, "Teacher", 0.0, 6),
        (_A.OTHER, "Family friend", 0.0, 10),
        (_A.OTHER, "Stranger", 0.0, 8),
        (_A.FAMILY_MEMBER, "Cousin", 0.0, 8),
    ),
    _V.ILLEGAL_DETENTION: (
        (_A.OFFICIAL, "Police officer at the arresting station", 0.05, 60),
        (_A.OFFICIAL, "Officer in charge of the station", 0.0, 25),
        (_A.OTHER, "Complainant who instigated the arrest", 0.2, 15),
    ),
    _V.POLICE_ABUSE: (
        (_A.OFFICIAL, "Police officer at the arresting station", 0.05, 60),
        (_A.OFFICIAL, "Officer in charge of the station", 0.0, 25),
        (_A.OTHER, "Complainant who instigated the arrest", 0.2, 15),
    ),
    _V.PROPERTY_GRABBING: (
        (_A.FAMILY_MEMBER, "Brother-in-law", 0.0, 40),
        (_A.FAMILY_MEMBER, "Father-in-law", 0.0, 15),
        (_A.FAMILY_MEMBER, "Late husband's cousin", 0.0, 15),
        (_A.FAMILY_MEMBER, "Mother-in-law", 1.0, 10),
        (_A.OTHER, "Buyer of the grabbed land", 0.0, 10),
        (_A.OTHER, "Local leader who endorsed the sale", 0.0, 10),
    ),
    _V.OTHER: (
        (_A.OTHER, "Known to the family", 0.2, 50),
        (_A.RECRUITER, "Agent", 0.2, 50),
    ),
}
# Weights for 0, 1, 2 ... accused.
_ACCUSED_COUNTS: dict[ViolenceType, tuple[int, ...]] = {
    _V.FORCED_LABOUR: (5, 40, 35, 15, 5),
    _V.SEX_TRAFFICKING: (8, 35, 30, 17, 10),
    _V.OSEC: (5, 45, 30, 15, 5),
    _V.SEXUAL_VIOLENCE: (10, 85, 5),
    _V.ILLEGAL_DETENTION: (0, 70, 25, 5),
    _V.POLICE_ABUSE: (0, 55, 30, 15),
    _V.PROPERTY_GRABBING: (0, 50, 30, 15, 5),
    _V.OTHER: (20, 60, 20),
}
_ACCUSED_NOTES = (
    "Named in the complaint.",
    "Arrested during the rescue operation.",
    "Identified by the survivor.",
    "Phone and financial records seized at arrest.",
    "Has a previous case of the same kind.",
    "Threatened the survivor's family after the complaint.",
)
_ALIASES = ("Boss", "Madam", "Uncle", "Sir", "Anna", "Kuya", "Mama", "Jefe", "Seth")
_HANDLES = ("darkangel", "trvlr", "kindheart", "sunset", "mr_nice", "jbird", "ocean_guy")

_DISABILITIES = (
    "Hearing impairment",
    "Intellectual disability",
    "Uses crutches after an injury at the work site",
    "Visual impairment",
    "Epilepsy, on medication",
)

_RISK = (RiskLevel.LOW, RiskLevel.MEDIUM, RiskLevel.HIGH, RiskLevel.CRITICAL)
_RISK_WEIGHTS: dict[ViolenceType, tuple[int, ...]] = {
    _V.OSEC: (10, 40, 38, 12),
    _V.SEX_TRAFFICKING: (10, 40, 38, 12),
    _V.POLICE_ABUSE: (15, 45, 30, 10),
    _V.ILLEGAL_DETENTION: (15, 45, 30, 10),
}
_RISK_DEFAULT = (30, 45, 20, 5)

# ---------------------------------------------------------------------------
# Tracks: why a track is not applicable, how it ended.

_NA_REASONS: dict[Stage, tuple[str, ...]] = {
    Stage.RESCUE: (
        "No rescue needed: the survivor was already out of the place of abuse.",
        "No one needed to be removed from harm.",
    ),
    Stage.ACCOUNTABILITY: (
        "The survivor and the family chose not to file a complaint.",
        "No suspect could be identified.",
        "The prosecution is led by another organization.",
    ),
    Stage.AFTERCARE: (
        "The survivor declined aftercare services.",
        "Aftercare is provided by a government shelter.",
        "The survivor did not need aftercare services.",
    ),
    Stage.PREVENTION: (
        "Not selected for structural work.",
        "Covered by the district-level prevention project.",
    ),
}
_OUTCOMES: dict[Stage, tuple[str, ...]] = {
    Stage.RESCUE: (
        "All survivors removed from the place of exploitation and in safe care.",
        "Survivors brought to safety and referred to aftercare.",
        "Survivors released and back with their families.",
    ),
    Stage.AFTERCARE: (
        "Restored: closure assessment at or above the threshold in every domain.",
        "Restored: the survivor is safe, earning and back in the community.",
        "The survivor declined further services.",
        "Transferred to a partner organization after the family relocated.",
    ),
    Stage.PREVENTION: (
        "Local police trained on the protocol; the case was used in a district review.",
        "Government officials now lead similar cases in the district.",
    ),
}
_IN_RESCUE_OUTCOME = (
    "Release certificates issued to all labourers; rehabilitation assistance applied for."
)
_REOPEN: dict[Stage, tuple[str, ...]] = {
    Stage.ACCOUNTABILITY: (
        "Appeal filed by the accused in the higher court.",
        "The State appealed the acquittal.",
    ),
    Stage.AFTERCARE: (
        "Reopened: the survivor was contacted again by the recruiter.",
        "Reopened: the family lost its income and asked for support.",
    ),
}
_EARLY_CLOSURE: tuple[tuple[CaseClosureReason, str, int], ...] = (
    (CaseClosureReason.TRANSFERRED, "Case transferred to a partner organization.", 35),
    (CaseClosureReason.WITHDRAWN, "The survivor's family withdrew from the case.", 25),
    (CaseClosureReason.LOST_CONTACT, "Contact with the survivors was lost.", 25),
    (CaseClosureReason.DUPLICATE, "Duplicate of another case; the work continues there.", 5),
    (CaseClosureReason.OTHER, "Closed on the program director's decision.", 10),
)

# ---------------------------------------------------------------------------
# Interventions: what each one looks like when a caseworker logs it.


@dataclass(frozen=True)
class _IDef:
    minutes: tuple[int, int]
    locations: tuple[str, ...]
    outcomes: tuple[str, ...]
    openings: tuple[str, ...]


_IDEFS: dict[InterventionType, _IDef] = {
    _I.INTAKE_INTERVIEW: _IDef(
        (45, 120),
        ("{shelter}", "{office} office", "{police}"),
        (
            "Intake completed",
            "Statement recorded; needs assessment started",
            "Intake completed; consent for services recorded",
            "Intake partly done; survivor tired, to continue tomorrow",
        ),
        (
            "Intake interview with {s} at the shelter; the statement was taken in the survivor's "
            "first language.",
            "Met {s} for intake the day after the rescue operation; basic needs and immediate "
            "safety concerns recorded.",
            "Intake completed with {s}, with a female officer present as requested.",
            "Initial interview with {s}; consent for services explained and recorded.",
            "{s} described the recruitment and the conditions in {place}.",
        ),
    ),
    _I.MEDICAL: _IDef(
        (60, 240),
        ("{health}",),
        (
            "Check-up done; no urgent needs",
            "Treated for minor injuries",
            "Referred to a specialist",
            "Medication prescribed; review in two weeks",
        ),
        (
            "Accompanied {s} to {health} for a medical check-up.",
            "{s} was examined at {health}; treatment given for a skin infection and malnutrition.",
            "Follow-up medical visit for {s} at {health}.",
        ),
    ),
    _I.FORENSIC_EXAM: _IDef(
        (90, 240),
        ("{health}",),
        (
            "Examination done; report sent to the investigating officer",
            "Medico-legal report requested",
            "Examination declined by the survivor; decision respected",
        ),
        (
            "Medico-legal examination of {s} at {health}, requested by the investigating officer.",
            "Accompanied {s} to the forensic examination at {health}; a female doctor examined "
            "{s} as requested.",
        ),
    ),
    _I.SHELTER_PLACEMENT: _IDef(
        (60, 180),
        ("{shelter}",),
        (
            "Placed at the shelter",
            "Placement confirmed by the {placing}",
            "Temporary placement pending a family assessment",
        ),
        (
            "{s} was placed at {shelter} on the order of the {placing}.",
            "Admitted {s} to {shelter}; the house rules and daily routine were explained.",
            "Moved {s} to {shelter} after the family home was assessed as unsafe.",
        ),
    ),
    _I.FAMILY_TRACING: _IDef(
        (60, 480),
        ("{place}",),
        (
            "Family traced",
            "Family not yet traced; village leader contacted",
            "Family found; home assessment planned",
        ),
        (
            "Traced the family of {s} in {place} with the help of the village head.",
            "Visited {place} to find relatives of {s}; an aunt was found.",
        ),
    ),
    _I.REPATRIATION: _IDef(
        (240, 720),
        ("{office} office", "Border crossing", "Embassy"),
        (
            "Repatriated and handed over to the receiving organization",
            "Travel documents received; repatriation scheduled",
            "Repatriation delayed pending travel documents",
        ),
        (
            "Repatriation of {s} to {home} arranged with the embassy and a receiving organization.",
            "{s} travelled home to {home} with a caseworker; handover completed.",
        ),
    ),
    _I.COURT_PREPARATION: _IDef(
        (45, 120),
        ("{office} office", "{court}"),
        (
            "Survivor prepared for testimony",
            "Session done; survivor wants a support person in court",
            "Preparation done; special measures requested",
        ),
        (
            "Court preparation with {s}: visited the empty courtroom at {court} and explained who "
            "sits where.",
            "Prepared {s} for testimony; practised answering questions calmly and asking for "
            "breaks.",
            "Explained to {s} and the caregiver what happens at the next hearing.",
        ),
    ),
    _I.COURT_ACCOMPANIMENT: _IDef(
        (120, 420),
        ("{court}",),
        (
            "Hearing attended",
            "Hearing adjourned; survivor reassured",
            "Waited all day; the matter was not reached",
        ),
        (
            "Accompanied {s} to {court} for the hearing.",
            "Went with {s} and the caregiver to {court}; waited in the witness room.",
            "Attended the hearing at {court} with {s}.",
        ),
    ),
    _I.TESTIMONY: _IDef(
        (60, 300),
        ("{court}",),
        (
            "Examination-in-chief completed",
            "Testimony completed, including cross-examination",
            "Testimony partly recorded; continues on the next date",
        ),
        (
            "{s} testified at {court}; the examination-in-chief was completed.",
            "{s} gave evidence at {court} behind a screen, as the judge ordered.",
            "Cross-examination of {s} at {court} took two hours; {s} stayed steady.",
        ),
    ),
    _I.LEGAL_AID: _IDef(
        (30, 90),
        ("{office} office", "{court}", "Survivor's home, {place}"),
        (
            "Advice given",
            "Documents collected for the prosecution",
            "Next steps explained to the family",
        ),
        (
            "Legal consultation with {s} and the family on the stage of the case.",
            "Explained the complaint process and the survivor's rights to {s}.",
            "Met {s} to collect the documents the prosecutor asked for.",
        ),
    ),
    _I.COMPENSATION_APPLICATION: _IDef(
        (30, 120),
        ("{office} office",),
        (
            "Application filed",
            "Application pending; hearing awaited",
            "Compensation awarded; payment awaited",
            "Compensation paid",
        ),
        (
            "Victim compensation application filed for {s} with the {compensation}.",
            "Followed up on the compensation application for {s} with the {compensation}.",
        ),
    ),
    _I.LIVELIHOOD_TRAINING: _IDef(
        (60, 240),
        ("{place}", "{office} office", "Training centre, {district}"),
        (
            "Enrolled in training",
            "Training completed; certificate received",
            "Started a small business with a start-up grant",
        ),
        (
            "{s} enrolled in a tailoring course in {district}.",
            "{s} completed the first month of a driving course.",
            "Discussed livelihood options with {s}: goat rearing, a small shop or tailoring.",
            "{s} received a start-up grant for a small shop in {place}.",
        ),
    ),
    _I.SCHOOL_ENROLMENT: _IDef(
        (60, 180),
        ("School, {place}",),
        ("Enrolled", "Enrolment pending documents", "Attending regularly"),
        (
            "{s} was enrolled in school in {place}; uniform and books provided.",
            "Met the head teacher in {place} to arrange bridge classes for {s}.",
        ),
    ),
    _I.CASH_ASSISTANCE: _IDef(
        (20, 60),
        ("{office} office", "Survivor's home, {place}"),
        ("Assistance given", "Relief kit and rent money given"),
        (
            "Emergency cash assistance given to {s} for rent and food.",
            "Gave {s} a relief kit and transport money after the family lost its income.",
        ),
    ),
    _I.IDENTITY_DOCUMENTS: _IDef(
        (60, 240),
        ("Government office, {district}", "{office} office"),
        (
            "Application submitted",
            "Document issued",
            "Application rejected; to re-apply with proof of address",
        ),
        (
            "Helped {s} apply for {id_docs}.",
            "Followed up on {id_docs} for {s} at the government office in {district}.",
        ),
    ),
    _I.SAFETY_PLANNING: _IDef(
        (30, 90),
        ("Survivor's home, {place}", "{shelter}", "By phone"),
        ("Safety plan agreed", "Safety plan reviewed", "Risk reported to the police"),
        (
            "Safety plan reviewed with {s} after the accused's relatives were seen in {place}.",
            "Made a safety plan with {s}: trusted contacts, safe routes and whom to call.",
        ),
    ),
    _I.PHONE_FOLLOW_UP: _IDef(
        (5, 25),
        ("By phone",),
        ("No concerns", "Concern raised; home visit planned", "No answer; will try again"),
        (
            "Phone call with {s}; no concerns raised.",
            "Called the caregiver of {s}; the family is managing.",
            "Phone follow-up: {s} asked about the next court date.",
        ),
    ),
    _I.HOME_VISIT: _IDef(
        (30, 90),
        ("Survivor's home, {place}",),
        (
            "Visit done; no new risks",
            "Family support is adequate",
            "Survivor not at home; revisit planned",
            "Risk of re-trafficking discussed with the family",
        ),
        (
            "Home visit to {s} in {place}; the family was present and cooperative.",
            "Visited {s} at home in {place}; the house has been repaired since the last visit.",
            "Home visit in {place}: {s} reports a regular routine.",
            "Unannounced visit in {place}; {s} was out, so we spoke with a neighbour.",
        ),
    ),
    _I.COUNSELLING: _IDef(
        (45, 75),
        ("{shelter}", "{office} office", "Survivor's home, {place}"),
        (
            "Session completed",
            "Progress noted; continue fortnightly",
            "Referred for a psychiatric review",
            "Survivor engaged well",
        ),
        (
            "Counselling session with {s} on sleep problems and fear of going out.",
            "Trauma-focused session with {s}; grounding techniques practised.",
            "Group session at the shelter with {s} and three other survivors.",
            "{s} talked about returning home and worries about what neighbours will say.",
            "Session with {s} on managing anxiety before the court date.",
        ),
    ),
    _I.OTHER: _IDef(
        (60, 240),
        ("{district}",),
        ("Meeting held", "Training delivered"),
        (
            "Shared lessons from this case with the {district} police in a training session.",
            "Met district officials about the delays seen in this case.",
            "Presented this case, anonymised, at the district anti-trafficking committee.",
        ),
    ),
}

_EXTRAS: dict[Stage, tuple[str, ...]] = {
    Stage.RESCUE: (
        "Food, clothing and toiletries were provided.",
        "An interpreter was arranged.",
        "The investigating officer was informed.",
        "Agreed with the team on a medical check within the week.",
        "{s} asked to contact the family; a call was arranged.",
        "No immediate safety concerns were raised.",
    ),
    Stage.ACCOUNTABILITY: (
        "The next hearing date was shared with the family.",
        "Explained the roles of the prosecutor and the defence lawyer.",
        "Travel costs for the hearing were reimbursed.",
        "The family reports pressure from the accused's relatives; the investigating officer "
        "was told.",
        "{s} was calm and asked good questions about the process.",
        "Copies of the charge documents were obtained.",
    ),
    Stage.AFTERCARE: (
        "Next visit planned in a month.",
        "The family's income is still irregular; livelihood options discussed.",
        "{s} reports sleeping better than last month.",
        "No contact from the accused or their associates was reported.",
        "The caregiver is supportive and stayed for the whole session.",
        "The outcome assessment is due next month.",
        "Referred to the community health worker for follow-up.",
    ),
    Stage.PREVENTION: (
        "Attendance sheet filed.",
        "Officials asked for a follow-up session.",
    ),
}

_AFTERCARE_TYPES: tuple[tuple[InterventionType, int], ...] = (
    (_I.COUNSELLING, 30),
    (_I.HOME_VISIT, 25),
    (_I.PHONE_FOLLOW_UP, 15),
    (_I.LIVELIHOOD_TRAINING, 8),
    (_I.SCHOOL_ENROLMENT, 6),
    (_I.CASH_ASSISTANCE, 7),
    (_I.IDENTITY_DOCUMENTS, 4),
    (_I.SAFETY_PLANNING, 5),
    (_I.MEDICAL, 5),
)

_HELD_NOTES = (
    "",
    "",
    "",
    "",
    "Both counsel present; proceedings recorded.",
    "The survivor's family attended.",
    "The court asked the prosecution to be ready with its witnesses.",
    "Our lawyer assisted the prosecutor.",
)
_COURT_TIMES = ((10, 0), (11, 30), (14, 0))
_HOUR = timedelta(hours=1)


# ---------------------------------------------------------------------------
# Reference data built once per run.


@dataclass
class _Inst:
    id: uuid.UUID
    name: str
    kind: InstitutionKind
    officials: list[tuple[uuid.UUID, OfficialRole]] = field(default_factory=list)


@dataclass
class _District:
    office: _OfficeDef
    office_id: uuid.UUID
    country: _Country
    name: str
    region: str
    localities: tuple[str, ...]
    tz: str
    utc_offset_min: int
    by_kind: dict[InstitutionKind, list[_Inst]] = field(default_factory=dict)

    def first(self, *kinds: InstitutionKind) -> list[_Inst]:
        for kind in kinds:
            found = self.by_kind.get(kind)
            if found:
                return found
        return []


@dataclass(frozen=True)
class _Staff:
    id: uuid.UUID
    username: str
    role: Role
    countries: tuple[str, ...]
    investigator: bool


@dataclass(frozen=True)
class _CaseStaff:
    lead_cw: _Staff
    extra_cw: _Staff | None
    lead_law: _Staff
    extra_law: _Staff | None
    investigator: _Staff | None


@dataclass
class _Plan:
    opened: int  # ordinal
    office: int
    district: int
    violence: ViolenceType
    code: str = ""


@dataclass
class _Track:
    stage: Stage
    status: TrackStatus = TrackStatus.NOT_STARTED
    started: int | None = None
    completed: int | None = None
    outcome: str = ""
    moves: list[tuple[TrackStatus, TrackStatus, int, str]] = field(default_factory=list)


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_EPOCH_ORD = date(1970, 1, 1).toordinal()


def _instant(day: int, minute: int) -> datetime:
    """An aware UTC datetime from a day ordinal and minutes past its midnight."""
    return _EPOCH + timedelta(days=day - _EPOCH_ORD, minutes=minute)


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in folded.lower() if ch.isalnum() or ch == ".")


def _cum(weights: Sequence[float]) -> list[float]:
    total = 0.0
    out: list[float] = []
    for w in weights:
        total += w
        out.append(total)
    return out


class _Builder:
    """Holds the random stream, the reference data and the rows of one chunk."""

    def __init__(self, rng: random.Random, today: date, admin_id: uuid.UUID) -> None:
        self.rng = rng
        self.rnd = rng.random
        self.admin_id = admin_id
        self.today = today.toordinal()
        # Events are dated up to yesterday, so no instant lies in the future
        # whatever the local time zone of the machine is; the hour's margin
        # leaves room to keep a track's history in order (see track_rows).
        self.last = self.today - 1
        self.latest = _instant(self.today, 0) - timedelta(hours=1)
        self.start = date(today.year - 10, 1, 1).toordinal()
        self.districts: list[list[_District]] = []
        self.caseworkers: dict[str, list[_Staff]] = {}
        self.lawyers: dict[str, list[_Staff]] = {}
        self.investigators: dict[str, list[_Staff]] = {}
        self.demo_caseworker: _Staff | None = None
        self.demo_lawyer: _Staff | None = None
        self.survivor_numbers: dict[str, int] = {}
        self.accused_numbers: dict[str, int] = {}
        self.zones: dict[str, ZoneInfo] = {}
        # Minutes east of UTC of the district being built: times are drawn
        # in local office hours.
        self.offset = 0
        self.rows: dict[str, list[Row]] = {}
        self.counts = {
            "cases": 0,
            "survivors": 0,
            "accused": 0,
            "interventions": 0,
            "hearings": 0,
            "officials": 0,
            "institutions": 0,
        }
        self._violence_cum: dict[str, tuple[list[ViolenceType], list[float]]] = {}
        for code, country in _COUNTRIES.items():
            kinds = [v for v, _ in country.violence]
            self._violence_cum[code] = (kinds, _cum([w for _, w in country.violence]))
        self._aftercare_types = [t for t, _ in _AFTERCARE_TYPES]
        self._aftercare_cum = _cum([w for _, w in _AFTERCARE_TYPES])
        self._accused_cum = {v: _cum([w for *_, w in roles]) for v, roles in _ACCUSED_ROLES.items()}
        self._closure_cum = _cum([w for *_, w in _EARLY_CLOSURE])

    # -- small helpers ----------------------------------------------------

    def pick(self, seq: Sequence[T]) -> T:
        return seq[int(self.rnd() * len(seq))]

    def between(self, lo: int, hi: int) -> int:
        """A whole number in [lo, hi]; cheaper than randint in the hot loop."""
        return lo + int(self.rnd() * (hi - lo + 1))

    def weighted(self, cum: list[float]) -> int:
        """Index drawn by cumulative weights."""
        x = self.rnd() * cum[-1]
        for i, c in enumerate(cum):
            if x < c:
                return i
        return len(cum) - 1

    def phone(self, pattern: str) -> str:
        digits = iter(f"{self.rng.randrange(10**12):012d}")
        return "".join(next(digits) if ch == "#" else ch for ch in pattern)

    def name(self, pool: _Pool, female: bool, family: Pair | None = None) -> tuple[str, str, Pair]:
        """(Latin spelling, local-script spelling or "", the family name a
        relative would share). ``family`` gives a relative's family name:
        a mother's own first surname is her child's second one in Spanish."""
        given: Pair = self.pick(pool.female if female else pool.male)
        if pool.family_female:
            # Luganda and Acholi names are personal and differ by sex.
            family = None
        families = pool.family_female if (female and pool.family_female) else pool.family
        if not families:
            return given[0], given[1], ("", "")
        fam: Pair = family or self.pick(families)
        if pool.surnames == 2:
            second: Pair = self.pick(families)
            while second == fam:
                second = self.pick(families)
            return f"{given[0]} {fam[0]} {second[0]}", "", second
        first, last = (fam, given) if pool.family_first else (given, fam)
        script = f"{first[1]} {last[1]}" if first[1] and last[1] else ""
        return f"{first[0]} {last[0]}", script, fam

    def record(self, created: datetime, updated: datetime | None = None) -> Row:
        return {
            "id": new_id(),
            "created_at": created,
            "updated_at": updated or created,
            "created_by": self.admin_id,
            "updated_by": self.admin_id,
            "version": 1,
            "deleted_at": None,
        }

    def stamp(self, day: int, lag_days: int = 0) -> datetime:
        """When something dated ``day`` was typed in: office hours, some days
        later (field staff log in batches), never after ``latest``."""
        moment = _instant(day + lag_days, 540 + int(self.rnd() * 540) - self.offset)
        return moment if moment < self.latest else self.latest

    def add(self, table: str, row: Row) -> None:
        self.rows.setdefault(table, []).append(row)

    # -- reference data -----------------------------------------------------

    def build_reference(self) -> None:
        for office_def in _OFFICES:
            country = _COUNTRIES[office_def.country]
            tz = COUNTRIES[office_def.country].timezone
            zone = self.zones.setdefault(tz, ZoneInfo(tz))
            offset = zone.utcoffset(datetime(self.start_year(), 1, 1))
            offset_min = int(offset.total_seconds() // 60) if offset else 0
            office_row = self.record(_instant(self.start - 30, 300))
            office_row.update(
                code=office_def.code,
                name=office_def.city,
                country=office_def.country,
                timezone=tz,
            )
            self.add("offices", office_row)
            districts = [
                _District(
                    office_def,
                    office_row["id"],
                    country,
                    name,
                    region,
                    localities,
                    tz,
                    offset_min,
                )
                for name, region, localities in office_def.districts
            ]
            self.districts.append(districts)
            pool = _POOLS[office_def.pool]
            for inst_def in country.institutions:
                if inst_def.scope == "office":
                    inst = self.institution(inst_def, office_def, districts[0], "", pool)
                    for district in districts:
                        district.by_kind.setdefault(inst_def.kind, []).append(inst)
                    continue
                for district in districts:
                    places = district.localities[:2] if inst_def.scope == "locality" else ("",)
                    for locality in places:
                        inst = self.institution(inst_def, office_def, district, locality, pool)
                        district.by_kind.setdefault(inst_def.kind, []).append(inst)

    def start_year(self) -> int:
        return date.fromordinal(self.start).year

    def institution(
        self,
        inst_def: _InstDef,
        office_def: _OfficeDef,
        district: _District,
        locality: str,
        pool: _Pool,
    ) -> _Inst:
        name = inst_def.template.format(
            district=district.name, locality=locality, city=office_def.city
        )
        jurisdiction = (
            f"{office_def.city} office area"
            if inst_def.scope == "office"
            else f"{district.name}, {district.region}"
        )
        row = self.record(_instant(self.start - 30, 300))
        row.update(name=name, kind=inst_def.kind.value, country=office_def.country)
        row["jurisdiction"] = jurisdiction
        self.add("institutions", row)
        self.counts["institutions"] += 1
        inst = _Inst(row["id"], name, inst_def.kind)
        country = _COUNTRIES[office_def.country]
        for role, titles, count in inst_def.officials:
            for _ in range(count):
                female = self.rnd() < 0.35
                latin = self.name(pool, female)[0]
                email = ""
                if self.rnd() < 0.4:
                    email = f"{_ascii(latin.replace(' ', '.'))}@{country.email_domain}"
                official = self.record(_instant(self.start - 30, 300))
                official.update(
                    name=latin,
                    official_role=role.value,
                    institution_id=inst.id,
                    title=self.pick(titles),
                    phone=self.phone(country.phone) if self.rnd() < 0.7 else "",
                    email=email,
                    notes="",
                )
                self.add("partner_officials", official)
                self.counts["officials"] += 1
                inst.officials.append((official["id"], role))
        return inst

    # -- the case plan ------------------------------------------------------

    def plan_cases(self, total: int) -> list[_Plan]:
        """Where and when every case opens, sorted by date so that codes
        count up with time within each (country, year)."""
        office_cum = _cum([o.weight for o in _OFFICES])
        span = self.last - self.start
        plans: list[_Plan] = []
        for _ in range(total):
            office = self.weighted(office_cum)
            # Skewed to recent years: the organization has grown.
            opened = self.start + int(span * self.rnd() ** 0.6)
            district = int(self.rnd() * len(self.districts[office]))
            kinds, cum = self._violence_cum[_OFFICES[office].country]
            plans.append(_Plan(opened, office, district, kinds[self.weighted(cum)]))
        plans.sort(key=lambda p: (p.opened, p.office, p.district))
        numbers: dict[tuple[str, int], int] = {}
        for plan in plans:
            country = _OFFICES[plan.office].country
            year = date.fromordinal(plan.opened).year
            n = numbers.get((country, year), 0) + 1
            numbers[(country, year)] = n
            plan.code = case_code(country, year, n)
        return plans

    # -- one case -----------------------------------------------------------

    def build_case(self, plan: _Plan) -> None:
        rnd = self.rnd
        district = self.districts[plan.office][plan.district]
        office_def = district.office
        country = district.country
        cc = office_def.country
        violence = plan.violence
        opened = plan.opened
        place = self.pick(district.localities)

        self.offset = district.utc_offset_min

        tracks, closed_on, closure = self.tracks(plan)
        rescue, accountability, aftercare, _prevention = tracks

        case_created = self.stamp(opened, self.between(0, 3))
        case_row = self.record(case_created)
        case_id: uuid.UUID = case_row["id"]
        staff = self.staff_for(cc)
        titles = _TITLES_BY_COUNTRY.get((cc, violence)) or _TITLES[violence]
        title = self.pick(titles).format(place=place)

        # Survivors and accused first: the summary talks about them.
        survivors = self.survivors(case_id, plan, district, place)
        acc_state = accountability.status
        accused = self.accused(case_id, plan, district, acc_state)

        people = _NUMBER_WORDS[min(len(survivors), 8)]
        summary = self.pick(_SUMMARY_FIRST[violence]).format(
            people=people,
            People=people[0].upper() + people[1:],
            were="was" if len(survivors) == 1 else "were",
            place=place,
        )
        if accused:
            summary += f" The main accused {_CUSTODY_PHRASE[accused[0][1]]}."
        if aftercare.status is _S.ACTIVE:
            summary += " Aftercare continues with regular home visits."
        elif acc_state is _S.ACTIVE and rnd() < 0.5:
            summary += " The trial is under way."

        sensitivity = Sensitivity.STANDARD
        if rnd() < (0.08 if violence in (_V.OSEC, _V.POLICE_ABUSE) else 0.04):
            sensitivity = Sensitivity.RESTRICTED
        risk_cum = _RISK_CUM.get(violence, _RISK_DEFAULT_CUM)
        case_row.update(
            code=plan.code,
            title=title[:200],
            violence_type=violence.value,
            country=cc,
            jurisdiction=f"{district.name}, {district.region}",
            office_id=district.office_id,
            opened_on=date.fromordinal(opened),
            closed_on=date.fromordinal(closed_on) if closed_on is not None else None,
            closure_reason=closure.value if closure is not None else None,
            risk_level=_RISK[self.weighted(risk_cum)].value,
            sensitivity=sensitivity.value,
            lead_caseworker_id=staff.lead_cw.id,
            lead_lawyer_id=staff.lead_law.id,
            summary=summary,
        )
        self.add("cases", case_row)
        self.counts["cases"] += 1

        for member, role in (
            (staff.lead_cw, AssignmentRole.LEAD_CASEWORKER),
            (staff.lead_law, AssignmentRole.LEAD_LAWYER),
            (staff.extra_cw, AssignmentRole.CASEWORKER),
            (staff.extra_law, AssignmentRole.LAWYER),
            (staff.investigator, AssignmentRole.INVESTIGATOR),
        ):
            if member is not None:
                row = self.record(self.stamp(opened, self.between(0, 5)))
                row.update(case_id=case_id, user_id=member.id, role_on_case=role.value)
                self.add("case_assignments", row)

        last_event = opened
        for track in tracks:
            last_event = max(last_event, self.track_rows(case_id, track, case_created))
        if closed_on is not None:
            last_event = max(last_event, closed_on)

        # The officials in the case, and the court where it is heard.
        police = district.first(_K.POLICE_STATION)
        if violence is _V.OSEC:
            units = district.first(_K.CYBERCRIME_UNIT) + district.first(_K.AHTU) + police
        elif violence is _V.SEX_TRAFFICKING:
            units = district.first(_K.AHTU) + police
        else:
            units = police
        court = self.pick(district.first(_K.COURT))
        shelters = district.first(_K.SHELTER)
        hospitals = district.first(_K.HEALTH_FACILITY)
        ctx = {
            "s": "",
            "place": place,
            "district": district.name,
            "office": office_def.city,
            "shelter": self.pick(shelters).name if shelters else "the shelter",
            "health": self.pick(hospitals).name if hospitals else "the hospital",
            "court": court.name,
            "police": self.pick(police).name,
            "placing": country.placing,
            "compensation": country.compensation,
            "id_docs": country.id_docs,
            "home": "",
        }
        if rescue.started is not None or accountability.started is not None:
            self.official_party(case_id, units, (_IO,), PartyRole.INVESTIGATING_OFFICER, opened)

        hearing_days: list[int] = []
        if accountability.started is not None and accused:
            hearing_days = self.hearings(case_id, district, court, accountability, accused, opened)
            if hearing_days:
                self.official_party(
                    case_id,
                    district.first(_K.PROSECUTION),
                    (_O.PROSECUTOR,),
                    PartyRole.PROSECUTOR,
                    accountability.started,
                )
                self.official_party(
                    case_id, [court], (_O.JUDGE, _O.MAGISTRATE), PartyRole.JUDGE, hearing_days[0]
                )
        if cc == "IN" and rescue.started is not None and any(s[2] for s in survivors):
            self.official_party(
                case_id, district.first(_K.CWC), (_O.CWC_MEMBER,), PartyRole.WELFARE_OFFICER, opened
            )

        last_event = max(
            last_event,
            self.interventions(
                case_id, plan, tracks, survivors, staff, ctx, hearing_days, closed_on is not None
            ),
        )
        case_row["updated_at"] = max(case_created, self.stamp(min(last_event, self.last)))

    def staff_for(self, country: str) -> _CaseStaff:
        rnd = self.rnd
        assert self.demo_caseworker is not None and self.demo_lawyer is not None
        local_cw: _Staff = self.pick(self.caseworkers[country])
        lead_cw, extra_cw = local_cw, None
        if rnd() < _DEMO_LOGIN_SHARE:
            if rnd() < 0.7:
                lead_cw = self.demo_caseworker
            else:
                extra_cw = self.demo_caseworker
        else:
            others = [s for s in self.caseworkers[country] if s is not local_cw]
            if others and rnd() < 0.15:
                extra_cw = self.pick(others)
        lead_law: _Staff = self.pick(self.lawyers[country])
        extra_law = None
        if rnd() < _DEMO_LOGIN_SHARE:
            if rnd() < 0.7:
                lead_law = self.demo_lawyer
            else:
                extra_law = self.demo_lawyer
        investigator = None
        pool = self.investigators.get(country)
        if pool and rnd() < 0.35:
            investigator = self.pick(pool)
        return _CaseStaff(lead_cw, extra_cw, lead_law, extra_law, investigator)

    def official_party(
        self,
        case_id: uuid.UUID,
        institutions: list[_Inst],
        roles: tuple[OfficialRole, ...],
        party_role: PartyRole,
        day: int,
    ) -> None:
        """Link an official of a fitting role. ``institutions`` come in order
        of preference by kind (a cybercrime unit before a police station)."""
        candidates = [i for i in institutions if any(r in roles for _, r in i.officials)]
        if not candidates:
            return
        kind = candidates[0].kind
        inst = self.pick([i for i in candidates if i.kind is kind])
        fitting = [o for o, r in inst.officials if r in roles]
        row = self.record(self.stamp(min(day, self.last), self.between(0, 7)))
        row.update(
            case_id=case_id,
            kind=PartyKind.OFFICIAL.value,
            role=party_role.value,
            survivor_id=None,
            accused_id=None,
            official_id=self.pick(fitting),
            notes="",
        )
        self.add("case_parties", row)

    # -- stage tracks -------------------------------------------------------

    def tracks(self, plan: _Plan) -> tuple[list[_Track], int | None, CaseClosureReason | None]:
        """The four tracks as of today, the closing day and reason if closed."""
        rnd = self.rnd
        last = self.last
        opened = plan.opened
        violence = plan.violence
        lognorm = self.rng.lognormvariate

        # Each track is either not applicable from a day, or runs from a start
        # to an end (None: still open) and may be reopened after it ended.
        specs: list[tuple[str, int, int | None, int | None]] = []  # kind, day, end, reopen
        no_rescue = (violence is _V.PROPERTY_GRABBING and rnd() < 0.75) or (
            violence in (_V.POLICE_ABUSE, _V.ILLEGAL_DETENTION) and rnd() < 0.4
        )
        if no_rescue:
            specs.append(("na", opened, None, None))
            care_from = opened + self.between(0, 30)
        else:
            specs.append(("run", opened, opened + 1 + int(self.rng.expovariate(1 / 20)), None))
            care_from = opened + self.between(0, 14)
        if rnd() < 0.10:
            specs.append(("na", opened + self.between(0, 60), None, None))
        else:
            start = opened + self.between(0, 30)
            duration = int(365 * 2.5 * lognorm(0, 0.6))
            end = start + min(max(duration, 60), 3650)
            reopen = end + self.between(30, 120) if rnd() < 0.06 else None
            specs.append(("run", start, end, reopen))
        if rnd() < (0.5 if violence in (_V.POLICE_ABUSE, _V.ILLEGAL_DETENTION) else 0.05):
            specs.append(("na", care_from, None, None))
        else:
            duration = int(365 * 2 * lognorm(0, 0.4))
            end = care_from + min(max(duration, 120), 2200)
            reopen = end + self.between(60, 400) if rnd() < 0.02 else None
            specs.append(("run", care_from, end, reopen))
        r = rnd()
        if r < 0.45:
            specs.append(("na", opened + self.between(0, 90), None, None))
        elif r < 0.80:
            specs.append(("wait", opened, None, None))
        else:
            start = opened + self.between(30, 700)
            specs.append(("run", start, start + self.between(90, 900), None))

        early: tuple[CaseClosureReason, str] | None = None
        horizon = last
        if rnd() < 0.05 and last - opened > 60:
            horizon = opened + self.between(30, last - opened)
            reason, text, _ = _EARLY_CLOSURE[self.weighted(self._closure_cum)]
            early = (reason, text)

        tracks: list[_Track] = []
        for stage, (kind, day, until, reopen) in zip(Stage, specs, strict=True):
            track = _Track(stage)
            tracks.append(track)
            if kind == "wait":
                continue
            if kind == "na":
                day = min(day, horizon)
                track.status = _S.NOT_APPLICABLE
                track.moves.append(
                    (_S.NOT_STARTED, _S.NOT_APPLICABLE, day, self.pick(_NA_REASONS[stage]))
                )
                continue
            if day > horizon:
                continue
            track.status = _S.ACTIVE
            track.started = day
            track.moves.append((_S.NOT_STARTED, _S.ACTIVE, day, ""))
            if until is None or until > horizon:
                continue
            track.status = _S.COMPLETED
            track.completed = until
            track.outcome = self.track_outcome(stage, plan)
            track.moves.append((_S.ACTIVE, _S.COMPLETED, until, track.outcome))
            if reopen is not None and reopen <= horizon and early is None:
                track.status = _S.ACTIVE
                track.completed = None
                track.moves.append((_S.COMPLETED, _S.ACTIVE, reopen, self.pick(_REOPEN[stage])))

        if early is not None:
            reason, text = early
            for track in tracks:
                if track.status in (_S.ACTIVE, _S.NOT_STARTED):
                    track.moves.append((track.status, _S.NOT_APPLICABLE, horizon, text))
                    track.status = _S.NOT_APPLICABLE
            return tracks, horizon, reason

        if any(t.status is _S.ACTIVE for t in tracks):
            return tracks, None, None
        if any(t.status is _S.NOT_STARTED for t in tracks[:3]):
            return tracks, None, None
        ends = [t.completed for t in tracks if t.completed is not None]
        ends += [m[2] for t in tracks for m in t.moves]
        closed = max(ends) + self.between(0, 60)
        if closed > last:
            return tracks, None, None
        for track in tracks:
            if track.status is _S.NOT_STARTED:
                track.moves.append(
                    (_S.NOT_STARTED, _S.NOT_APPLICABLE, closed, "No structural work planned.")
                )
                track.status = _S.NOT_APPLICABLE
        return tracks, closed, CaseClosureReason.ALL_TRACKS_COMPLETED

    def track_outcome(self, stage: Stage, plan: _Plan) -> str:
        if stage is Stage.ACCOUNTABILITY:
            r = self.rnd()
            if r < 0.55:
                years = self.pick((3, 5, 7, 7, 10, 10, 14, 20))
                return f"Convicted: the accused sentenced to {years} years' imprisonment."
            if r < 0.65:
                return f"Guilty plea: the accused sentenced to {self.between(2, 8)} years."
            if r < 0.90:
                return "Acquitted: the court found the evidence insufficient."
            return "Dismissed: the prosecution did not produce its witnesses."
        if (
            stage is Stage.RESCUE
            and plan.violence is _V.FORCED_LABOUR
            and _OFFICES[plan.office].country == "IN"
        ):
            return _IN_RESCUE_OUTCOME
        return self.pick(_OUTCOMES[stage])

    def track_rows(self, case_id: uuid.UUID, track: _Track, created: datetime) -> int:
        """Write a track and its moves; returns the day of its last move.
        Tracks are made with their case, as the case service does."""
        last_day = track.moves[-1][2] if track.moves else None
        updated = max(created, self.stamp(last_day)) if last_day is not None else None
        row = self.record(created, updated)
        row.update(
            case_id=case_id,
            stage=track.stage.value,
            status=track.status.value,
            started_on=date.fromordinal(track.started) if track.started is not None else None,
            completed_on=(
                date.fromordinal(track.completed) if track.completed is not None else None
            ),
            outcome_note=track.outcome,
        )
        self.add("stage_tracks", row)
        recorded = created
        for source, target, day, reason in track.moves:
            # The history is read in the order it was recorded.
            moment = self.stamp(day, self.between(0, 10))
            recorded = moment if moment > recorded else recorded + timedelta(minutes=1)
            move = self.record(recorded)
            move.update(
                case_id=case_id,
                track_id=row["id"],
                stage=track.stage.value,
                from_status=source.value,
                to_status=target.value,
                effective_on=date.fromordinal(day),
                recorded_at=recorded,
                reason=reason,
            )
            self.add("stage_transitions", move)
        return last_day or 0

    # -- people -------------------------------------------------------------

    def survivors(
        self, case_id: uuid.UUID, plan: _Plan, district: _District, place: str
    ) -> list[tuple[uuid.UUID, str, bool, str]]:
        """Rows for the survivors; returns (id, code, minor, home country)."""
        rnd = self.rnd
        violence = plan.violence
        mix = _SURVIVORS[violence]
        office_def = district.office
        country = district.country
        cc = office_def.country
        count = 1 + self.weighted(_SURVIVOR_COUNT_CUM[violence])
        pool_key, nationality, languages, home = (
            office_def.pool,
            country.nationality,
            office_def.languages,
            "",
        )
        for migrant in office_def.migrants:
            if violence in migrant.violence and rnd() < migrant.share:
                pool_key, nationality = migrant.pool, migrant.nationality
                languages, home = migrant.languages, migrant.home
                break
        pool = _POOLS[pool_key]
        opened = plan.opened
        opened_date = date.fromordinal(opened)
        widow = ""
        widow_family: Pair | None = None
        found: list[tuple[uuid.UUID, str, bool, str]] = []
        for i in range(count):
            if violence is _V.PROPERTY_GRABBING:
                female = i == 0 or rnd() < 0.5
                minor = i > 0
            else:
                female = rnd() < mix.female
                minor = rnd() < mix.minor
            lo, hi = mix.minor_ages if minor else mix.adult_ages
            age_years = self.between(lo, hi)
            birth = opened - int(age_years * 365.25) - int(rnd() * 365)
            birth_date = date.fromordinal(birth)
            age = age_on(birth_date, opened_date)
            number = self.survivor_numbers.get(cc, 0) + 1
            self.survivor_numbers[cc] = number
            code = survivor_code(cc, number)
            created = self.stamp(opened, self.between(0, 3))
            row = self.record(created)
            disability = self.pick(_DISABILITIES) if rnd() < 0.03 else ""
            row.update(
                code=code,
                country=cc,
                alias="",
                sex=(Sex.FEMALE if female else Sex.MALE).value,
                age_at_intake=age,
                age_band=age_band_for(age).value,
                minor_at_rescue=age < 18,
                nationality=nationality,
                languages=languages,
                disability=disability,
                has_guardian=age < 18 and rnd() < 0.8,
            )
            self.add("survivors", row)
            self.counts["survivors"] += 1
            # A widow's children carry her family name, as do siblings found
            # together in family-run OSEC and at brick kilns.
            related = i > 0 and rnd() < _SIBLINGS.get(violence, 0.0)
            latin, script, family = self.name(pool, female, widow_family if related else None)
            if i == 0:
                widow, widow_family = latin, family
            legal, other = latin, ""
            if script and rnd() < pool.script_share:
                legal, other = script, latin
            guardian = ""
            guardian_contact = ""
            if row["has_guardian"]:
                # The widow is her children's guardian; otherwise usually the mother.
                if i > 0 and violence is _V.PROPERTY_GRABBING:
                    guardian = widow
                else:
                    guardian = latin
                    while guardian == latin:
                        guardian = self.name(pool, True, family)[0]
                guardian_contact = self.phone(country.phone)
            ident = self.record(created)
            ident.update(
                survivor_id=row["id"],
                legal_name=legal,
                other_names=other,
                date_of_birth=birth_date if rnd() < 0.85 else None,
                phone=self.phone(country.phone) if age >= 16 and rnd() < 0.6 else "",
                address=country.address.format(
                    n=self.between(1, 300),
                    m=self.between(1, 20),
                    p=self.between(1, 12),
                    locality=place,
                    district=district.name,
                    region=district.region,
                ),
                contact_notes="Call the caregiver first." if row["has_guardian"] else "",
                photo_ref="",
                guardian_name=guardian,
                guardian_contact=guardian_contact,
            )
            self.add("survivor_identities", ident)
            party = self.record(created)
            party.update(
                case_id=case_id,
                kind=PartyKind.SURVIVOR.value,
                role=PartyRole.VICTIM.value,
                survivor_id=row["id"],
                accused_id=None,
                official_id=None,
                notes="",
            )
            self.add("case_parties", party)
            found.append((row["id"], code, age < 18, home))
        return found

    def accused(
        self,
        case_id: uuid.UUID,
        plan: _Plan,
        district: _District,
        accountability: TrackStatus,
    ) -> list[tuple[uuid.UUID, CustodyStatus]]:
        rnd = self.rnd
        violence = plan.violence
        cc = district.office.country
        count = self.weighted(_ACCUSED_COUNT_CUM[violence])
        roles = _ACCUSED_ROLES[violence]
        pool = _POOLS[district.office.pool]
        found: list[tuple[uuid.UUID, CustodyStatus]] = []
        for _ in range(count):
            role, relationship, female_share, _w = roles[self.weighted(self._accused_cum[violence])]
            female = rnd() < female_share
            alias = ""
            if role is _A.CUSTOMER and violence is _V.OSEC:
                if rnd() < 0.5:
                    name = "Unidentified online customer"
                    alias = f'user "{self.pick(_HANDLES)}{self.between(10, 99)}"'
                else:
                    name = self.name(_POOLS["west"], female)[0]
            else:
                name = self.name(pool, female)[0]
                if rnd() < 0.15:
                    alias = self.pick(_ALIASES)
            custody = self.custody(accountability)
            number = self.accused_numbers.get(cc, 0) + 1
            self.accused_numbers[cc] = number
            created = self.stamp(plan.opened, self.between(0, 10))
            row = self.record(created)
            row.update(
                code=accused_code(cc, number),
                name=name,
                alias=alias,
                country=cc,
                sex=(Sex.FEMALE if female else Sex.MALE).value,
                age=self.between(20, 65) if rnd() < 0.85 else None,
                role_in_crime=role.value,
                relationship_to_victim=relationship,
                custody_status=custody.value,
                notes=self.pick(_ACCUSED_NOTES) if rnd() < 0.3 else "",
            )
            self.add("accused", row)
            self.counts["accused"] += 1
            party = self.record(created)
            party.update(
                case_id=case_id,
                kind=PartyKind.ACCUSED.value,
                role=PartyRole.ACCUSED.value,
                survivor_id=None,
                accused_id=row["id"],
                official_id=None,
                notes="",
            )
            self.add("case_parties", party)
            found.append((row["id"], custody))
        return found

    def custody(self, accountability: TrackStatus) -> CustodyStatus:
        table, fallback = _CUSTODY.get(accountability, _CUSTODY_BEFORE_TRIAL)
        r = self.rnd()
        for status, bound in table:
            if r < bound:
                return status
        return fallback

    # -- hearings -----------------------------------------------------------

    def hearings(
        self,
        case_id: uuid.UUID,
        district: _District,
        court: _Inst,
        track: _Track,
        accused: list[tuple[uuid.UUID, CustodyStatus]],
        opened: int,
    ) -> list[int]:
        """Rows for the hearings; returns the days of the past ones.

        A trial that ended closes with the judgment on the day the track was
        completed (an appeal reopening it is heard elsewhere); an open trial
        usually has its next date set; a case closed early just stops."""
        rnd = self.rnd
        last = self.last
        assert track.started is not None
        judgment = next((m[2] for m in track.moves if m[1] is _S.COMPLETED), None)
        stopped = next((m[2] for m in track.moves if m[1] is _S.NOT_APPLICABLE), None)
        first = track.started + self.between(45, 300)
        upcoming = False
        if judgment is not None:
            if judgment - track.started < 60:
                return []
            first = min(first, judgment - self.between(20, 45))
            last_day = judgment
        elif track.status is _S.ACTIVE:
            upcoming = rnd() < 0.75
            last_day = last + self.between(3, 60) if upcoming else last - self.between(0, 45)
        elif stopped is not None:
            last_day = stopped
        else:
            return []
        if first > last_day:
            if not upcoming or first > last + 60:
                return []
            first = last_day
        completed = judgment is not None
        # Walk back from the judgment (or the next date) in the gaps courts
        # leave between hearings; only the last one may lie in the future.
        days = [last_day]
        day = last_day
        for _ in range(self.between(1, 7)):
            day = min(day - self.between(14, 100), last)
            if day < first:
                break
            days.append(day)
        ordered: list[int] = []
        for day in reversed(days):
            weekday = (day - 1) % 7  # 0 = Monday
            if weekday >= 5:
                # Courts sit on weekdays: past dates move back, future ones forward.
                day = day + (7 - weekday) if day > last else day - (weekday - 4)
            if not ordered or day > ordered[-1]:
                ordered.append(day)
        country = district.country
        zone = self.zones[district.tz]
        courtroom = country.courtroom.format(self.between(1, 12))
        hh, mm = self.pick(_COURT_TIMES)
        purposes = country.purposes
        started = track.started
        trial_span = max(1, last_day - started)
        step = 0
        moved_on = True
        previous: Row | None = None
        past: list[int] = []
        for index, day in enumerate(ordered):
            is_last = index == len(ordered) - 1
            future = day > last
            d = date.fromordinal(day)
            if rnd() < 0.3:
                hh, mm = self.pick(_COURT_TIMES)
            scheduled = datetime(d.year, d.month, d.day, hh, mm, tzinfo=zone).astimezone(UTC)
            outcome: HearingOutcome | None = None
            reason = ""
            notes = ""
            # The trial moves on only when a hearing is held; an adjourned
            # one is taken up again with the same purpose.
            if moved_on:
                at = (day - started) * len(purposes) // trial_span
                step = max(step, min(at, len(purposes) - 1))
            purpose = purposes[step]
            moved_on = True
            if future:
                pass
            elif is_last and completed:
                purpose = country.judgment
                outcome = HearingOutcome.HELD
                notes = self.pick(_JUDGMENT_NOTES.get(track.outcome[:6], ("",)))
            elif is_last:
                outcome = HearingOutcome.HELD
                notes = self.pick(("Judgment reserved.", "Next date to be fixed by the court."))
            else:
                r = rnd()
                # About 40% of all past hearings adjourn, counting the final
                # ones that are always held.
                if r < 0.47:
                    outcome = HearingOutcome.ADJOURNED
                    reason = self.pick(country.adjournments)
                    moved_on = False
                elif r < 0.50:
                    outcome = HearingOutcome.VACATED
                    reason = "Court holiday declared"
                    moved_on = False
                else:
                    outcome = HearingOutcome.HELD
                    notes = self.pick(_HELD_NOTES)
            created_day = ordered[index - 1] if index else max(opened, day - self.between(14, 40))
            row = self.record(
                self.stamp(min(created_day, last)),
                self.stamp(min(day, last), self.between(0, 3)) if not future else None,
            )
            row.update(
                case_id=case_id,
                accused_id=accused[0][0] if rnd() < 0.5 else None,
                court_id=court.id,
                court_name=court.name,
                courtroom=courtroom,
                scheduled_at=scheduled,
                timezone=district.tz,
                purpose=purpose,
                outcome=outcome.value if outcome else None,
                adjournment_reason=reason,
                next_date=None,
                previous_hearing_id=previous["id"] if previous else None,
                notes=notes,
            )
            if previous is not None:
                previous["next_date"] = d
            self.add("hearings", row)
            self.counts["hearings"] += 1
            previous = row
            if not future:
                past.append(day)
        return past

    # -- interventions --------------------------------------------------------

    def interventions(
        self,
        case_id: uuid.UUID,
        plan: _Plan,
        tracks: list[_Track],
        survivors: list[tuple[uuid.UUID, str, bool, str]],
        staff: _CaseStaff,
        ctx: dict[str, str],
        hearing_days: list[int],
        closed: bool,
    ) -> int:
        """Rows for the interventions; returns the day of the latest one."""
        rnd = self.rnd
        between = self.between
        last = self.last
        violence = plan.violence
        rescue, accountability, aftercare, prevention = tracks
        any_minor = any(s[2] for s in survivors)
        planned: list[tuple[InterventionType, Stage, int, int]] = []  # type, stage, day, who

        def span(track: _Track) -> tuple[int, int] | None:
            if track.started is None:
                return None
            end = track.completed
            if end is None:
                moves_end = [m[2] for m in track.moves if m[1] is _S.NOT_APPLICABLE]
                end = moves_end[0] if moves_end else last
            return track.started, min(end, last)

        n_surv = len(survivors)
        r_span = span(rescue)
        if r_span is not None:
            s0, s1 = r_span
            for i in range(min(n_surv, 3)):
                planned.append((_I.INTAKE_INTERVIEW, Stage.RESCUE, min(s0 + between(0, 2), s1), i))
            extras = (
                (_I.MEDICAL, 0.6),
                (
                    _I.FORENSIC_EXAM,
                    0.8
                    if violence is _V.SEXUAL_VIOLENCE
                    else 0.4
                    if violence in (_V.SEX_TRAFFICKING, _V.OSEC)
                    else 0.0,
                ),
                (
                    _I.SHELTER_PLACEMENT,
                    0.7 if violence in (_V.SEX_TRAFFICKING, _V.OSEC) else 0.15,
                ),
                (_I.FAMILY_TRACING, 0.25 if any_minor else 0.05),
                (_I.SAFETY_PLANNING, 0.3),
                (_I.IDENTITY_DOCUMENTS, 0.3 if violence is _V.FORCED_LABOUR else 0.0),
            )
            for itype, p in extras:
                if rnd() < p:
                    planned.append(
                        (itype, Stage.RESCUE, min(s0 + between(0, 7), s1), between(0, n_surv - 1))
                    )
            for i, s in enumerate(survivors):
                if s[3] and rnd() < 0.7:
                    day = min(s0 + between(20, 120), s1)
                    planned.append((_I.REPATRIATION, Stage.RESCUE, day, i))
        a_span = span(accountability)
        if a_span is not None:
            s0, s1 = a_span
            for _ in range(1 + (rnd() < 0.4)):
                day = between(s0, min(s0 + 60, s1))
                planned.append((_I.LEGAL_AID, Stage.ACCOUNTABILITY, day, between(0, n_surv - 1)))
            if hearing_days:
                witness = between(0, n_surv - 1)
                if rnd() < 0.6:
                    day = self.pick(hearing_days)
                    planned.append(
                        (_I.COURT_PREPARATION, Stage.ACCOUNTABILITY, max(s0, day - 3), witness)
                    )
                    planned.append((_I.TESTIMONY, Stage.ACCOUNTABILITY, day, witness))
                for day in hearing_days:
                    if rnd() < 0.2:
                        planned.append((_I.COURT_ACCOMPANIMENT, Stage.ACCOUNTABILITY, day, witness))
            if rnd() < 0.3:
                planned.append(
                    (
                        _I.COMPENSATION_APPLICATION,
                        Stage.ACCOUNTABILITY,
                        between(s0, s1),
                        between(0, n_surv - 1),
                    )
                )
        c_span = span(aftercare)
        if c_span is not None:
            s0, s1 = c_span
            # Roughly one contact a quarter, more at first (capped).
            k = min(10, 1 + int((s1 - s0) / 180 * (0.6 + rnd() * 0.8)))
            for _ in range(k):
                itype = self._aftercare_types[self.weighted(self._aftercare_cum)]
                who = between(0, n_surv - 1)
                minor = survivors[who][2]
                if itype is _I.SCHOOL_ENROLMENT and not minor:
                    itype = _I.LIVELIHOOD_TRAINING
                elif itype is _I.LIVELIHOOD_TRAINING and minor:
                    itype = _I.SCHOOL_ENROLMENT
                planned.append((itype, Stage.AFTERCARE, between(s0, s1), who))
        p_span = span(prevention)
        if p_span is not None and rnd() < 0.6:
            s0, s1 = p_span
            planned.append((_I.OTHER, Stage.PREVENTION, between(s0, s1), -1))

        planned.sort(key=lambda p: p[2])
        latest = 0
        rows = self.rows.setdefault("interventions", [])
        for itype, stage, day, who in planned:
            day = min(day, last)
            latest = max(latest, day)
            idef = _IDEFS[itype]
            if who >= 0:
                survivor_id: uuid.UUID | None = survivors[who][0]
                ctx["s"] = survivors[who][1]
                ctx["home"] = survivors[who][3] or "the home country"
            else:
                survivor_id = None
            # Lawyers log the legal work; caseworkers prepare and accompany
            # survivors; investigators often do the first interview.
            if stage is Stage.ACCOUNTABILITY and itype not in _SOCIAL_COURT_WORK:
                who_staff = staff.lead_law
                if staff.extra_law is not None and rnd() < 0.4:
                    who_staff = staff.extra_law
            elif itype is _I.INTAKE_INTERVIEW and staff.investigator is not None and rnd() < 0.5:
                who_staff = staff.investigator
            elif staff.extra_cw is not None and rnd() < 0.4:
                who_staff = staff.extra_cw
            else:
                who_staff = staff.lead_cw
            sentences = [self.pick(idef.openings)]
            more = self.pick(_EXTRA_COUNTS)
            if more:
                sentences.extend(self.rng.sample(_EXTRAS[stage], min(more, len(_EXTRAS[stage]))))
            notes = " ".join(sentences).format_map(ctx)
            local_minute = 480 + int(rnd() * 570)  # 08:00 to 17:30 local
            occurred = _instant(day, local_minute - self.offset)
            follow_up = None
            # Open follow-ups cluster in recent work; a few old ones stay overdue.
            if not closed and rnd() < (0.35 if day >= last - 90 else 0.01):
                follow_up = date.fromordinal(day + between(7, 45))
            # Logged after it happened, often days later in a batch.
            created = min(max(self.stamp(day, between(0, 14)), occurred + _HOUR), self.latest)
            row = self.record(created)
            lo, hi = idef.minutes
            row.update(
                case_id=case_id,
                survivor_id=survivor_id,
                type=itype.value,
                stage=stage.value,
                occurred_at=occurred,
                duration_minutes=between(lo, hi) // 5 * 5 or 5,
                staff_user_id=who_staff.id,
                location=self.pick(idef.locations).format_map(ctx)[:200],
                outcome=self.pick(idef.outcomes).format_map(ctx),
                notes=notes,
                follow_up_on=follow_up,
                supersedes_id=None,
            )
            rows.append(row)
            self.counts["interventions"] += 1
            if rnd() < 0.02:
                # A correction is a new row naming the one it replaces.
                fix = dict(row)
                fix.update(self.record(min(created + timedelta(days=between(1, 20)), self.latest)))
                fix["supersedes_id"] = row["id"]
                if rnd() < 0.5:
                    fix["duration_minutes"] = row["duration_minutes"] + 5 * between(1, 12)
                    fix["notes"] = notes + " (Correction: the duration was recorded wrongly.)"
                else:
                    fix["outcome"] = self.pick(idef.outcomes).format_map(ctx)
                    fix["notes"] = notes + " (Correction: outcome updated after a team review.)"
                rows.append(fix)
                self.counts["interventions"] += 1
        return latest


_JUDGMENT_NOTES: dict[str, tuple[str, ...]] = {
    "Convic": ("Judgment pronounced: convicted.", "Conviction; sentence pronounced the same day."),
    "Guilty": ("Plea of guilty accepted; sentence pronounced.",),
    "Acquit": ("Judgment pronounced: acquitted.", "Acquittal; the prosecution may appeal."),
    "Dismis": ("Case dismissed.",),
}
_EXTRA_COUNTS = (0, 1, 1, 2, 2, 3)
_SIBLINGS = {_V.PROPERTY_GRABBING: 1.0, _V.OSEC: 0.6, _V.FORCED_LABOUR: 0.5}
_SOCIAL_COURT_WORK = (_I.COURT_PREPARATION, _I.COURT_ACCOMPANIMENT)
_RISK_CUM = {v: _cum(w) for v, w in _RISK_WEIGHTS.items()}
_RISK_DEFAULT_CUM = _cum(_RISK_DEFAULT)
_SURVIVOR_COUNT_CUM = {v: _cum(m.counts) for v, m in _SURVIVORS.items()}
_ACCUSED_COUNT_CUM = {v: _cum(c) for v, c in _ACCUSED_COUNTS.items()}


# ---------------------------------------------------------------------------
# Writing.


def _table(model: type[Base]) -> Table:
    table = model.__table__
    assert isinstance(table, Table)
    return table


# In insertion order: parents before children (foreign keys).
_TABLES: dict[str, Table] = {
    "users": _table(User),
    "offices": _table(Office),
    "institutions": _table(Institution),
    "partner_officials": _table(PartnerOfficial),
    "cases": _table(Case),
    "stage_tracks": _table(StageTrack),
    "stage_transitions": _table(StageTransition),
    "case_assignments": _table(CaseAssignment),
    "survivors": _table(Survivor),
    "survivor_identities": _table(SurvivorIdentity),
    "accused": _table(Accused),
    "case_parties": _table(CaseParty),
    "interventions": _table(Intervention),
    "hearings": _table(Hearing),
}


def _utc_text(value: datetime) -> str:
    if value.tzinfo is not UTC:
        value = value.astimezone(UTC)
    return value.isoformat(" ", "microseconds")[:26]


def _sqlite_converter(column_type: Any) -> Callable[[Any], Any] | None:
    """The text SQLAlchemy's own types would store on SQLite, made directly:
    its per-value bind processing is most of the cost of a Core executemany."""
    if isinstance(column_type, Uuid):
        return lambda v: None if v is None else v.hex
    if isinstance(column_type, UTCDateTime):
        return lambda v: None if v is None else _utc_text(v)
    if isinstance(column_type, Date):
        return lambda v: None if v is None else v.isoformat()
    # Enum columns already hold their values; strings, numbers and booleans
    # are stored as given.
    return None


class _Writer:
    """Inserts buffered rows, parents before children (foreign keys)."""

    def __init__(self, dialect: Dialect) -> None:
        self.sqlite = dialect.name == "sqlite"
        quote = dialect.identifier_preparer.quote
        self.sql: dict[str, str] = {}
        self.columns: dict[str, list[tuple[str, Callable[[Any], Any] | None]]] = {}
        for name, table in _TABLES.items():
            columns = [(c.name, _sqlite_converter(c.type)) for c in table.columns]
            self.columns[name] = columns
            self.sql[name] = (
                f"INSERT INTO {quote(table.name)} ({', '.join(quote(c) for c, _ in columns)}) "
                f"VALUES ({', '.join('?' for _ in columns)})"
            )

    def flush(self, session: Session, rows: dict[str, list[Row]]) -> None:
        for name, table in _TABLES.items():
            batch = rows.get(name)
            if not batch:
                continue
            columns = self.columns[name]
            # A key missing from the dicts would silently take a default (or
            # fail on a later row); check the first row against the table.
            if set(batch[0]) != {c for c, _ in columns}:
                expected = {c for c, _ in columns}
                missing = sorted(expected - set(batch[0]))
                extra = sorted(set(batch[0]) - expected)
                raise RuntimeError(f"demo rows for {name}: missing {missing}, extra {extra}")
            if self.sqlite:
                params = [
                    tuple([row[c] if f is None else f(row[c]) for c, f in columns]) for row in batch
                ]
                session.connection().exec_driver_sql(self.sql[name], params)
            else:
                session.execute(insert(table), batch)
        rows.clear()


def populate_demo(
    db: Database,
    *,
    cases: int,
    seed: int,
    password: str,
    admin_id: uuid.UUID,
    progress: Callable[[int, int], None] | None = None,
    today: date | None = None,
) -> DemoSummary:
    """Fill an initialized, empty database with a synthetic organization.

    ``admin_id`` is the admin made by ``auth.initialize``; every other staff
    account is made here with ``password``. ``today`` fixes the calendar
    (default: the real today); with the same ``seed`` and ``today`` the
    content is the same on every run. Each chunk of cases is committed on
    its own, so a failure part-way leaves a partial demo: the caller, which
    made the database for it, should remove it.
    """
    began = time.perf_counter()
    today = today or date.today()
    rng = random.Random(seed)
    builder = _Builder(rng, today, admin_id)

    password_hash = hasher_for(db.kdf).hash(password)
    users: list[tuple[str, str]] = []
    user_rows: list[Row] = []
    joined = _instant(builder.start - 60, 300)
    for username, display, role, countries, investigator in _STAFF:
        row = builder.record(joined)
        row.update(
            username=username,
            display_name=display,
            role=role.value,
            active=True,
            password_hash=password_hash,
            last_login_at=None,
            failed_logins=0,
            locked_until=None,
        )
        user_rows.append(row)
        users.append((username, role.value))
        member = _Staff(row["id"], username, role, countries, investigator)
        if username == "caseworker":
            builder.demo_caseworker = member
        elif username == "lawyer":
            builder.demo_lawyer = member
        elif investigator:
            for c in countries:
                builder.investigators.setdefault(c, []).append(member)
        elif role is Role.CASEWORKER:
            for c in countries:
                builder.caseworkers.setdefault(c, []).append(member)
        elif role is Role.LAWYER:
            for c in countries:
                builder.lawyers.setdefault(c, []).append(member)

    builder.build_reference()
    with db.transaction() as session:
        admin = session.get(User, admin_id)
        if admin is None:
            raise NotFound("The admin given to the demo builder does not exist.")
        if session.scalar(select(func.count()).select_from(User)) != 1 or session.scalar(
            select(func.count()).select_from(Case)
        ):
            raise ConflictError(
                "A demo organization can only be built in a new, empty database.",
                code="not_empty",
            )
        admin_name = admin.username
        users.insert(0, (admin_name, admin.role.value))
        set_setting(session, SETTING_DEMO, True, by=admin_id)
        set_setting(session, SETTING_ORGANIZATION, DEMO_ORGANIZATION, by=admin_id)
        writer = _Writer(session.get_bind().dialect)
        writer.flush(session, {"users": user_rows, **builder.rows})
    builder.rows.clear()

    plans = builder.plan_cases(cases)
    done = 0
    for begin in range(0, len(plans), CHUNK):
        for plan in plans[begin : begin + CHUNK]:
            builder.build_case(plan)
        with db.transaction() as session:
            writer.flush(session, builder.rows)
        done = min(begin + CHUNK, len(plans))
        if progress is not None:
            progress(done, len(plans))

    counts = dict(builder.counts)
    with db.transaction() as session:
        append_event(
            session,
            actor_id=admin_id,
            actor_name=admin_name,
            action="demo.generate",
            entity_type="database",
            details={**counts, "users": len(users), "seed": seed, "today": today.isoformat()},
        )

    if db.keystore is not None and db.key is not None:
        secret = password.encode()
        for username, *_ in _STAFF:
            db.keystore.wrap(Keystore.user_slot(username), secret, db.key, db.kdf)
        db.keystore.save()

    return DemoSummary(
        cases=counts["cases"],
        survivors=counts["survivors"],
        accused=counts["accused"],
        officials=counts["officials"],
        institutions=counts["institutions"],
        interventions=counts["interventions"],
        hearings=counts["hearings"],
        users=users,
        seconds=time.perf_counter() - began,
    )
