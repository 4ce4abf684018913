"""Reference data for the demo organization built by ``demo.populate_demo``.

Immutable tables the builder draws from: name pools in Latin and local
scripts; for each of the ten countries its institutions and their officials,
court practice and local wording; the offices and the districts they work
in; the staff accounts; and the templates and weights for case titles and
summaries, survivors and accused, track outcomes, interventions and
hearings. Nothing here is random: every choice is the builder's, from its
one seeded random stream.

Place names are real so the data reads naturally; every person, case and
story is invented.
"""

from __future__ import annotations

from dataclasses import dataclass

from ijmcase.domain.enums import (
    AccusedRole,
    CaseClosureReason,
    CustodyStatus,
    InstitutionKind,
    InterventionType,
    OfficialRole,
    RiskLevel,
    Role,
    Stage,
    TrackStatus,
    ViolenceType,
)

__all__ = [
    "ACCUSED_COUNTS",
    "ACCUSED_NOTES",
    "ACCUSED_ROLES",
    "AFTERCARE_TYPES",
    "ALIASES",
    "COUNTRY_DEFS",
    "COURT_TIMES",
    "CUSTODY",
    "CUSTODY_BEFORE_TRIAL",
    "CUSTODY_PHRASE",
    "DEMO_LOGIN_SHARE",
    "DISABILITIES",
    "EARLY_CLOSURE",
    "EXTRAS",
    "EXTRA_COUNTS",
    "HANDLES",
    "HELD_NOTES",
    "IDEFS",
    "IN_RESCUE_OUTCOME",
    "JUDGMENT_NOTES",
    "NA_REASONS",
    "NUMBER_WORDS",
    "OFFICES",
    "OUTCOMES",
    "POOLS",
    "REOPEN",
    "RISK",
    "RISK_DEFAULT",
    "RISK_WEIGHTS",
    "SIBLINGS",
    "SOCIAL_COURT_WORK",
    "STAFF",
    "SUMMARY_FIRST",
    "SURVIVORS",
    "TITLES",
    "TITLES_BY_COUNTRY",
    "CountryDef",
    "Custody",
    "IDef",
    "InstDef",
    "Migrant",
    "OfficeDef",
    "Pair",
    "Pool",
    "SurvivorMix",
]

_V = ViolenceType
_I = InterventionType
_K = InstitutionKind
_O = OfficialRole
_S = TrackStatus
_A = AccusedRole
_C = CustodyStatus

Pair = tuple[str, str]  # (Latin spelling, local script or "")


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
class Pool:
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

POOLS: dict[str, Pool] = {
    "bn": Pool(
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
    "ta": Pool(
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
    "mr": Pool(
        _p(_DEVANAGARI_F + "Savita=सविता; Manisha=मनीषा; Ashwini=अश्विनी; Priyanka=प्रियंका"),
        _p(_DEVANAGARI_M + "Ganesh=गणेश; Sachin=सचिन; Balu=बाळू"),
        _p(
            "Pawar=पवार; Jadhav=जाधव; Shinde=शिंदे; Chavan=चव्हाण; Waghmare=वाघमारे; "
            "Kale=काळे; Kamble=कांबळे; Gaikwad=गायकवाड; More=मोरे; Bhoir=भोईर; Patil=पाटील"
        ),
        script_share=0.4,
    ),
    "hi": Pool(
        _p(_DEVANAGARI_F + "Guddi=गुड्डी; Sonam=सोनम; Pinki=पिंकी"),
        _p(_DEVANAGARI_M + "Mukesh=मुकेश; Pappu=पप्पू; Ram Prasad=राम प्रसाद"),
        _p(
            "Kumar=कुमार; Singh=सिंह; Yadav=यादव; Verma=वर्मा; Paswan=पासवान; "
            "Manjhi=मांझी; Prajapati=प्रजापति; Saini=सैनी; Kashyap=कश्यप"
        ),
        script_share=0.4,
    ),
    "ne": Pool(
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
    "kn": Pool(
        _p("Lakshmamma; Manjula; Shobha; Kavya; Roopa; Gowramma; Shilpa; Nagamma; Sowmya; Bhagya"),
        _p(
            "Manjunath; Ramesh; Venkatesh; Nagaraj; Shivanna; Krishnappa; Muniraju; "
            "Chandrashekar; Basavaraj"
        ),
        _p("Gowda; Naik; Shetty; Hegde; Muniyappa; Hanumaiah; Siddappa; Ramaiah; Lamani"),
    ),
    "or": Pool(
        _p("Sukanti; Jamuna; Basanti; Laxmi; Sabitri; Kuni; Mamata; Pramila"),
        _p("Rabindra; Bhagaban; Sanatan; Dillip; Kalia; Trilochan; Pitambar"),
        _p("Majhi; Naik; Bag; Sahu; Suna; Kumbhar; Behera; Nag; Bhoi"),
    ),
    "fil": Pool(
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
    "sw": Pool(
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
    "lg": Pool(
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
    "ach": Pool(
        _p("Grace; Florence; Betty; Agnes; Nighty; Santa; Christine; Lilly; Jennifer"),
        _p("Moses; Geoffrey; Denis; Patrick; Richard; Simon; Walter; Charles"),
        _p("Okello; Opio; Ocen; Ojok; Odong; Okot; Oryema; Komakech; Otim; Okwera"),
        _p("Akello; Auma; Aciro; Lamunu; Adong; Acan; Aber; Atim; Laker; Apio"),
    ),
    "gh": Pool(
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
    "gt": Pool(
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
    "bo": Pool(
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
    "do": Pool(
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
    "ht": Pool(
        _p("Nadège; Marie; Wideline; Fabiola; Roseline; Guerline; Mirlande"),
        _p("Jean; Wilner; Frantz; Wilson; Makenson; Peterson"),
        _p("Joseph; Pierre; Jean-Louis; Charles; Louis; Saint-Fleur; Dorvil; Désir; Exantus"),
    ),
    "km": Pool(
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
    "vi": Pool(
        _p("Thị Lan; Thị Hoa; Thị Mai; Thị Hằng; Thị Thu; Ngọc Anh"),
        _p("Văn Hùng; Văn Nam; Văn Tuấn; Minh Đức"),
        _p("Nguyễn; Trần; Lê; Phạm; Huỳnh; Võ"),
        family_first=True,
    ),
    "th": Pool(
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
    "my": Pool(
        _p(
            "Aye Aye Mar; Thida Win; Khin Myat Noe; Su Su Hlaing; Nwe Nwe Aung; "
            "Moe Moe Khaing; Hnin Wai; Ei Mon Kyaw"
        ),
        _p("Htet Aung; Zaw Min Tun; Kyaw Zin Oo; Aung Ko Ko; Min Thu; Naing Lin; Soe Moe"),
    ),
    # Foreign online customers in OSEC cases.
    "west": Pool(
        _p("Susan; Linda"),
        _p("David; Michael; Robert; John; Mark; Peter; Thomas; Richard; Gary; Steven"),
        _p("Miller; Johnson; Anderson; Clarke; Wilson; Taylor; Brown; Fischer; Jensen; Larsen"),
    ),
}


# ---------------------------------------------------------------------------
# Countries: institutions, court practice and local wording.


@dataclass(frozen=True)
class InstDef:
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
) -> InstDef:
    return InstDef(kind, template, scope, officials)


@dataclass(frozen=True)
class CountryDef:
    code: str
    nationality: str
    phone: str  # "#" is a random digit
    address: str
    violence: tuple[tuple[ViolenceType, int], ...]
    institutions: tuple[InstDef, ...]
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

COUNTRY_DEFS: dict[str, CountryDef] = {
    "IN": CountryDef(
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
    "PH": CountryDef(
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
    "KH": CountryDef(
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
    "TH": CountryDef(
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
    "KE": CountryDef(
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
    "UG": CountryDef(
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
    "GH": CountryDef(
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
    "GT": CountryDef(
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
    "BO": CountryDef(
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
    "DO": CountryDef(
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
class Migrant:
    share: float
    violence: tuple[ViolenceType, ...]
    nationality: str
    pool: str
    languages: str
    home: str


@dataclass(frozen=True)
class OfficeDef:
    code: str
    city: str
    country: str
    weight: int
    pool: str
    languages: str
    districts: tuple[tuple[str, str, tuple[str, ...]], ...]  # (district, region, localities)
    migrants: tuple[Migrant, ...] = ()


def _d(district: str, region: str, localities: str) -> tuple[str, str, tuple[str, ...]]:
    return district, region, tuple(x.strip() for x in localities.split(","))


OFFICES: tuple[OfficeDef, ...] = (
    OfficeDef(
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
            Migrant(
                0.15,
                (_V.SEX_TRAFFICKING,),
                "Bangladeshi",
                "bn",
                "Bengali",
                "Bangladesh",
            ),
        ),
    ),
    OfficeDef(
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
        (Migrant(0.4, (_V.FORCED_LABOUR,), "Indian", "or", "Odia, Hindi", ""),),
    ),
    OfficeDef(
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
        (Migrant(0.12, (_V.SEX_TRAFFICKING,), "Nepali", "ne", "Nepali, Hindi", "Nepal"),),
    ),
    OfficeDef(
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
        (Migrant(0.25, (_V.FORCED_LABOUR,), "Indian", "ta", "Tamil, Kannada", ""),),
    ),
    OfficeDef(
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
        (Migrant(0.12, (_V.SEX_TRAFFICKING,), "Nepali", "ne", "Nepali, Hindi", "Nepal"),),
    ),
    OfficeDef(
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
    OfficeDef(
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
    OfficeDef(
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
    OfficeDef(
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
        (Migrant(0.12, (_V.SEX_TRAFFICKING,), "Vietnamese", "vi", "Vietnamese, Khmer", "Vietnam"),),
    ),
    OfficeDef(
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
            Migrant(
                0.45,
                (_V.FORCED_LABOUR, _V.SEX_TRAFFICKING),
                "Myanmar",
                "my",
                "Burmese",
                "Myanmar",
            ),
            Migrant(
                0.1,
                (_V.FORCED_LABOUR, _V.SEX_TRAFFICKING),
                "Cambodian",
                "km",
                "Khmer",
                "Cambodia",
            ),
        ),
    ),
    OfficeDef(
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
    OfficeDef(
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
    OfficeDef(
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
    OfficeDef(
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
    OfficeDef(
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
    OfficeDef(
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
    OfficeDef(
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
    OfficeDef(
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
    OfficeDef(
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
            Migrant(
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
STAFF: tuple[tuple[str, str, Role, tuple[str, ...], bool], ...] = (
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
DEMO_LOGIN_SHARE = 0.25


# ---------------------------------------------------------------------------
# Cases: titles, summaries, who the survivors and accused are.

TITLES: dict[ViolenceType, tuple[str, ...]] = {
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

TITLES_BY_COUNTRY: dict[tuple[str, ViolenceType], tuple[str, ...]] = {
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
    TITLES_BY_COUNTRY[(_c, _V.SEXUAL_VIOLENCE)] = (
        "Sexual violence against a girl, {place}",
        "Rape of an adolescent, {place}",
        "Aggravated sexual assault, {place}",
        "Sexual violence within the family, {place}",
    )

SUMMARY_FIRST: dict[ViolenceType, tuple[str, ...]] = {
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
Custody = tuple[tuple[tuple[CustodyStatus, float], ...], CustodyStatus]
CUSTODY_BEFORE_TRIAL: Custody = (((_C.AT_LARGE, 0.8), (_C.ABSCONDED, 0.9)), _C.ARRESTED)
CUSTODY: dict[TrackStatus, Custody] = {
    _S.ACTIVE: (
        ((_C.IN_CUSTODY, 0.3), (_C.ON_BAIL, 0.7), (_C.AT_LARGE, 0.85), (_C.ABSCONDED, 0.95)),
        _C.ARRESTED,
    ),
    # After the verdict: convicts in prison, the acquitted free.
    _S.COMPLETED: (((_C.IN_CUSTODY, 0.55), (_C.AT_LARGE, 0.9), (_C.DECEASED, 0.93)), _C.ABSCONDED),
}
CUSTODY_PHRASE: dict[CustodyStatus, str] = {
    _C.AT_LARGE: "remains at large",
    _C.ARRESTED: "was arrested",
    _C.ON_BAIL: "is out on bail",
    _C.IN_CUSTODY: "is in custody",
    _C.ABSCONDED: "has absconded",
    _C.DECEASED: "has died",
}
NUMBER_WORDS = (
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
class SurvivorMix:
    female: float
    minor: float
    minor_ages: tuple[int, int]
    adult_ages: tuple[int, int]
    counts: tuple[int, ...]  # weights for 1, 2, 3 ... survivors


SURVIVORS: dict[ViolenceType, SurvivorMix] = {
    # Whole families are found at brick kilns, hence the long tail.
    _V.FORCED_LABOUR: SurvivorMix(0.45, 0.22, (8, 17), (18, 58), (20, 20, 15, 12, 10, 8, 7, 8)),
    _V.SEX_TRAFFICKING: SurvivorMix(0.96, 0.38, (12, 17), (18, 32), (50, 25, 15, 10)),
    _V.OSEC: SurvivorMix(0.72, 0.94, (2, 17), (18, 21), (35, 25, 18, 10, 6, 6)),
    _V.SEXUAL_VIOLENCE: SurvivorMix(0.93, 0.68, (3, 17), (18, 45), (88, 12)),
    _V.ILLEGAL_DETENTION: SurvivorMix(0.12, 0.08, (15, 17), (18, 45), (80, 20)),
    _V.POLICE_ABUSE: SurvivorMix(0.15, 0.06, (15, 17), (18, 50), (80, 15, 5)),
    # First survivor is the widow; the others her children (handled in code).
    _V.PROPERTY_GRABBING: SurvivorMix(0.5, 1.0, (3, 17), (30, 75), (40, 30, 30)),
    _V.OTHER: SurvivorMix(0.7, 0.5, (10, 17), (18, 40), (80, 20)),
}
# How often a further survivor shares the first one's family name.
SIBLINGS = {_V.PROPERTY_GRABBING: 1.0, _V.OSEC: 0.6, _V.FORCED_LABOUR: 0.5}

# (role, relationship to the victim, share female, weight)
ACCUSED_ROLES: dict[ViolenceType, tuple[tuple[AccusedRole, str, float, int], ...]] = {
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
ACCUSED_COUNTS: dict[ViolenceType, tuple[int, ...]] = {
    _V.FORCED_LABOUR: (5, 40, 35, 15, 5),
    _V.SEX_TRAFFICKING: (8, 35, 30, 17, 10),
    _V.OSEC: (5, 45, 30, 15, 5),
    _V.SEXUAL_VIOLENCE: (10, 85, 5),
    _V.ILLEGAL_DETENTION: (0, 70, 25, 5),
    _V.POLICE_ABUSE: (0, 55, 30, 15),
    _V.PROPERTY_GRABBING: (0, 50, 30, 15, 5),
    _V.OTHER: (20, 60, 20),
}
ACCUSED_NOTES = (
    "Named in the complaint.",
    "Arrested during the rescue operation.",
    "Identified by the survivor.",
    "Phone and financial records seized at arrest.",
    "Has a previous case of the same kind.",
    "Threatened the survivor's family after the complaint.",
)
ALIASES = ("Boss", "Madam", "Uncle", "Sir", "Anna", "Kuya", "Mama", "Jefe", "Seth")
HANDLES = ("darkangel", "trvlr", "kindheart", "sunset", "mr_nice", "jbird", "ocean_guy")

DISABILITIES = (
    "Hearing impairment",
    "Intellectual disability",
    "Uses crutches after an injury at the work site",
    "Visual impairment",
    "Epilepsy, on medication",
)

RISK = (RiskLevel.LOW, RiskLevel.MEDIUM, RiskLevel.HIGH, RiskLevel.CRITICAL)
RISK_WEIGHTS: dict[ViolenceType, tuple[int, ...]] = {
    _V.OSEC: (10, 40, 38, 12),
    _V.SEX_TRAFFICKING: (10, 40, 38, 12),
    _V.POLICE_ABUSE: (15, 45, 30, 10),
    _V.ILLEGAL_DETENTION: (15, 45, 30, 10),
}
RISK_DEFAULT = (30, 45, 20, 5)

# ---------------------------------------------------------------------------
# Tracks: why a track is not applicable, how it ended.

NA_REASONS: dict[Stage, tuple[str, ...]] = {
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
OUTCOMES: dict[Stage, tuple[str, ...]] = {
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
IN_RESCUE_OUTCOME = (
    "Release certificates issued to all labourers; rehabilitation assistance applied for."
)
REOPEN: dict[Stage, tuple[str, ...]] = {
    Stage.ACCOUNTABILITY: (
        "Appeal filed by the accused in the higher court.",
        "The State appealed the acquittal.",
    ),
    Stage.AFTERCARE: (
        "Reopened: the survivor was contacted again by the recruiter.",
        "Reopened: the family lost its income and asked for support.",
    ),
}
EARLY_CLOSURE: tuple[tuple[CaseClosureReason, str, int], ...] = (
    (CaseClosureReason.TRANSFERRED, "Case transferred to a partner organization.", 35),
    (CaseClosureReason.WITHDRAWN, "The survivor's family withdrew from the case.", 25),
    (CaseClosureReason.LOST_CONTACT, "Contact with the survivors was lost.", 25),
    (CaseClosureReason.DUPLICATE, "Duplicate of another case; the work continues there.", 5),
    (CaseClosureReason.OTHER, "Closed on the program director's decision.", 10),
)

# ---------------------------------------------------------------------------
# Interventions: what each one looks like when a caseworker logs it.


@dataclass(frozen=True)
class IDef:
    minutes: tuple[int, int]
    locations: tuple[str, ...]
    outcomes: tuple[str, ...]
    openings: tuple[str, ...]


IDEFS: dict[InterventionType, IDef] = {
    _I.INTAKE_INTERVIEW: IDef(
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
    _I.MEDICAL: IDef(
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
    _I.FORENSIC_EXAM: IDef(
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
    _I.SHELTER_PLACEMENT: IDef(
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
    _I.FAMILY_TRACING: IDef(
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
    _I.REPATRIATION: IDef(
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
    _I.COURT_PREPARATION: IDef(
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
    _I.COURT_ACCOMPANIMENT: IDef(
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
    _I.TESTIMONY: IDef(
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
    _I.LEGAL_AID: IDef(
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
    _I.COMPENSATION_APPLICATION: IDef(
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
    _I.LIVELIHOOD_TRAINING: IDef(
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
    _I.SCHOOL_ENROLMENT: IDef(
        (60, 180),
        ("School, {place}",),
        ("Enrolled", "Enrolment pending documents", "Attending regularly"),
        (
            "{s} was enrolled in school in {place}; uniform and books provided.",
            "Met the head teacher in {place} to arrange bridge classes for {s}.",
        ),
    ),
    _I.CASH_ASSISTANCE: IDef(
        (20, 60),
        ("{office} office", "Survivor's home, {place}"),
        ("Assistance given", "Relief kit and rent money given"),
        (
            "Emergency cash assistance given to {s} for rent and food.",
            "Gave {s} a relief kit and transport money after the family lost its income.",
        ),
    ),
    _I.IDENTITY_DOCUMENTS: IDef(
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
    _I.SAFETY_PLANNING: IDef(
        (30, 90),
        ("Survivor's home, {place}", "{shelter}", "By phone"),
        ("Safety plan agreed", "Safety plan reviewed", "Risk reported to the police"),
        (
            "Safety plan reviewed with {s} after the accused's relatives were seen in {place}.",
            "Made a safety plan with {s}: trusted contacts, safe routes and whom to call.",
        ),
    ),
    _I.PHONE_FOLLOW_UP: IDef(
        (5, 25),
        ("By phone",),
        ("No concerns", "Concern raised; home visit planned", "No answer; will try again"),
        (
            "Phone call with {s}; no concerns raised.",
            "Called the caregiver of {s}; the family is managing.",
            "Phone follow-up: {s} asked about the next court date.",
        ),
    ),
    _I.HOME_VISIT: IDef(
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
    _I.COUNSELLING: IDef(
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
    _I.OTHER: IDef(
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

EXTRAS: dict[Stage, tuple[str, ...]] = {
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
# How many of the stage's extra sentences follow a note's opening.
EXTRA_COUNTS = (0, 1, 1, 2, 2, 3)

AFTERCARE_TYPES: tuple[tuple[InterventionType, int], ...] = (
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
# Court work caseworkers log; lawyers log the rest of the legal work.
SOCIAL_COURT_WORK = (_I.COURT_PREPARATION, _I.COURT_ACCOMPANIMENT)

HELD_NOTES = (
    "",
    "",
    "",
    "",
    "Both counsel present; proceedings recorded.",
    "The survivor's family attended.",
    "The court asked the prosecution to be ready with its witnesses.",
    "Our lawyer assisted the prosecutor.",
)
# Notes on the judgment hearing, by the start of the legal track's outcome.
JUDGMENT_NOTES: dict[str, tuple[str, ...]] = {
    "Convic": ("Judgment pronounced: convicted.", "Conviction; sentence pronounced the same day."),
    "Guilty": ("Plea of guilty accepted; sentence pronounced.",),
    "Acquit": ("Judgment pronounced: acquitted.", "Acquittal; the prosecution may appeal."),
    "Dismis": ("Case dismissed.",),
}

COURT_TIMES = ((10, 0), (11, 30), (14, 0))
