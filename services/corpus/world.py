"""The invented world the corpus reports on: countries and cities, people, organisations, outlets.

Places are real (a news stream names real cities); every person, company, outlet and reporter
is invented by combining name parts, so no generated story is about a real person. Everything
a generated corpus uses is drawn from here with a seeded `random.Random`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Country:
    name: str
    adjective: str
    capital: str
    cities: tuple[str, ...]  # other cities, the capital not included
    names: str  # key into NAME_POOLS: how people there are named

    @property
    def possessive(self) -> str:
        return self.name + ("'" if self.name.endswith("s") else "'s")


@dataclass(frozen=True, slots=True)
class City:
    name: str
    country: Country


@dataclass(frozen=True, slots=True)
class Person:
    given: str
    surname: str
    female: bool
    country: Country
    role: str  # e.g. 'Foreign Minister', 'chief executive'
    affiliation: str | None = None  # company, party, union or court
    variant: str | None = None  # another spelling of the full name some outlets use

    @property
    def name(self) -> str:
        return f"{self.given} {self.surname}"

    @property
    def pronoun(self) -> str:
        return "she" if self.female else "he"

    @property
    def possessive_pronoun(self) -> str:
        return "her" if self.female else "his"


@dataclass(frozen=True, slots=True)
class Outlet:
    name: str
    host: str  # the outlet's own web host (the canonical URLs); served locally under /<slug>/
    slug: str
    layout: int  # which page layout renders it (see pages.py)
    feed: str  # 'rss' or 'atom'
    agency: bool = False  # a wire service: its copy is republished by other outlets
    short: str = ""  # how an agency is credited in datelines and sign-offs
    datelines: bool = True  # opens stories with 'CITY —'


# country | adjective | capital | other cities | naming pool
_COUNTRIES = """
Finland|Finnish|Helsinki|Tampere,Turku,Oulu|nordic
Norway|Norwegian|Oslo|Bergen,Trondheim,Stavanger|nordic
Sweden|Swedish|Stockholm|Gothenburg,Malmo,Uppsala|nordic
Denmark|Danish|Copenhagen|Aarhus,Odense,Aalborg|nordic
Germany|German|Berlin|Hamburg,Munich,Cologne,Leipzig|germanic
Austria|Austrian|Vienna|Graz,Linz,Salzburg|germanic
Netherlands|Dutch|Amsterdam|Rotterdam,Utrecht,Eindhoven|germanic
Poland|Polish|Warsaw|Krakow,Gdansk,Wroclaw,Poznan|slavic
Czech Republic|Czech|Prague|Brno,Ostrava,Plzen|slavic
Ukraine|Ukrainian|Kyiv|Lviv,Odesa,Kharkiv,Dnipro|slavic
Serbia|Serbian|Belgrade|Novi Sad,Nis|slavic
Kazakhstan|Kazakh|Astana|Almaty,Shymkent,Aktobe|turkic
Uzbekistan|Uzbek|Tashkent|Samarkand,Bukhara|turkic
Turkey|Turkish|Ankara|Istanbul,Izmir,Bursa,Antalya|turkic
Spain|Spanish|Madrid|Barcelona,Valencia,Seville,Bilbao|latin
Portugal|Portuguese|Lisbon|Porto,Braga,Coimbra|latin
Italy|Italian|Rome|Milan,Naples,Turin,Bologna,Genoa|latin
Chile|Chilean|Santiago|Valparaiso,Concepcion,Antofagasta|latin
Peru|Peruvian|Lima|Arequipa,Cusco,Trujillo|latin
Colombia|Colombian|Bogota|Medellin,Cali,Cartagena|latin
Mexico|Mexican|Mexico City|Guadalajara,Monterrey,Puebla|latin
Brazil|Brazilian|Brasilia|Sao Paulo,Rio de Janeiro,Salvador,Recife|latin
Canada|Canadian|Ottawa|Toronto,Montreal,Vancouver,Calgary|anglo
Australia|Australian|Canberra|Sydney,Melbourne,Brisbane,Perth|anglo
Ireland|Irish|Dublin|Cork,Galway,Limerick|anglo
New Zealand|New Zealand|Wellington|Auckland,Christchurch|anglo
Kenya|Kenyan|Nairobi|Mombasa,Kisumu,Nakuru|african
Nigeria|Nigerian|Abuja|Lagos,Kano,Ibadan|african
Ghana|Ghanaian|Accra|Kumasi,Tamale|african
Egypt|Egyptian|Cairo|Alexandria,Giza,Luxor|arabic
Morocco|Moroccan|Rabat|Casablanca,Marrakesh,Tangier|arabic
Jordan|Jordanian|Amman|Aqaba,Irbid|arabic
Japan|Japanese|Tokyo|Osaka,Nagoya,Sapporo,Fukuoka|japanese
Indonesia|Indonesian|Jakarta|Surabaya,Bandung,Medan|malay
Philippines|Philippine|Manila|Cebu,Davao|malay
"""

# Given names (female, male) and surnames by naming pool.
NAME_POOLS: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "nordic": (
        ("Liisa", "Aino", "Kaisa", "Ingrid", "Sigrid", "Maja", "Astrid", "Helmi", "Freja", "Sanna"),
        ("Mikael", "Jussi", "Anders", "Lars", "Erik", "Henrik", "Olli", "Timo", "Rasmus", "Jonas"),
        ("Harjula", "Lindqvist", "Virtanen", "Haugland", "Nyberg", "Solberg", "Korhonen", "Dahlgren", "Aaltonen",
         "Bergstrom", "Eklund", "Rautio", "Holmberg", "Kivela", "Strand", "Lehtonen", "Sundqvist", "Halvorsen",
         "Mikkelsen", "Tuominen", "Berglund", "Laaksonen", "Fjeld", "Rasmussen", "Hakala", "Nordin", "Ahonen"),
    ),
    "germanic": (
        ("Annika", "Katrin", "Jana", "Lena", "Marlene", "Sophie", "Greta", "Ilse", "Femke", "Anouk"),
        ("Tobias", "Matthias", "Stefan", "Jurgen", "Lukas", "Florian", "Pieter", "Joost", "Klaus", "Dieter"),
        ("Brandauer", "Kessler", "Vogt", "Hartmann", "Reiter", "Lindner", "Oberhofer", "Van Dijk", "De Vries",
         "Stein", "Winkler", "Hofbauer", "Aigner", "Janssen", "Brenner", "Pfeiffer", "Baumgartner", "Krause",
         "Vermeulen", "Scholz", "Gruber", "Lehmann", "Bakker", "Huber", "Zimmermann", "Mulder", "Fischer"),
    ),
    "slavic": (
        ("Katarzyna", "Agnieszka", "Olena", "Iryna", "Milica", "Jelena", "Tereza", "Zuzana", "Marta", "Daria"),
        ("Tomasz", "Piotr", "Andriy", "Oleksandr", "Dusan", "Marko", "Jakub", "Ondrej", "Pavel", "Bohdan"),
        ("Nowak", "Kowalczyk", "Shevchenko", "Kovalenko", "Petrovic", "Jovanovic", "Novotny", "Dvorak",
         "Wisniewski", "Bondarenko", "Markovic", "Horak", "Zielinski", "Melnyk", "Stojanovic", "Kaminski",
         "Lysenko", "Vukovic", "Prochazka", "Mazur", "Tkachenko", "Nikolic", "Cerny", "Wojcik", "Savchenko", "Ilic",
         "Kubat"),
    ),
    "turkic": (
        ("Aigerim", "Dinara", "Zarina", "Elif", "Zeynep", "Gulnara", "Madina", "Aylin", "Saule", "Nigora"),
        ("Yerlan", "Nurlan", "Timur", "Emre", "Murat", "Aziz", "Serik", "Bakhtiyar", "Kerem", "Daniyar"),
        ("Sadykov", "Nurpeisov", "Abenov", "Yilmaz", "Demir", "Karimov", "Tokayev", "Celik", "Rakhimov", "Aydin",
         "Zhakupov", "Ozturk", "Ismoilov", "Kaya", "Baimukhanov", "Yusupov", "Arslan", "Sultanbekov", "Dogan",
         "Mirzaev", "Kurt", "Omarov", "Sahin", "Tursunov", "Kilic", "Akhmetov", "Polat"),
    ),
    "latin": (
        ("Lucia", "Carmen", "Renata", "Valentina", "Beatriz", "Camila", "Giulia", "Francesca", "Ines", "Mariana"),
        ("Javier", "Mateo", "Diego", "Rodrigo", "Alessandro", "Marco", "Joao", "Tiago", "Andres", "Felipe"),
        ("Soto", "Ferreira", "Moreno", "Castillo", "Rinaldi", "Bianchi", "Oliveira", "Vargas", "Esposito", "Mendes",
         "Navarro", "Salazar", "Conti", "Pereira", "Ibarra", "Rocha", "Gallo", "Cabrera", "Romero", "Costa",
         "Fuentes", "Marino", "Carvalho", "Herrera", "Ricci", "Sousa", "Delgado"),
    ),
    "anglo": (
        ("Claire", "Fiona", "Hannah", "Megan", "Siobhan", "Rachel", "Joanne", "Aisling", "Bridget", "Leah"),
        ("Liam", "Connor", "Graham", "Callum", "Declan", "Owen", "Stuart", "Rory", "Patrick", "Gavin"),
        ("Whitfield", "Brennan", "Callaghan", "McAllister", "Thornton", "Hargreaves", "Doherty", "Prescott",
         "Fairbairn", "Kavanagh", "Ashworth", "Lachlan", "Monaghan", "Pemberton", "Rowntree", "Everett",
         "Gallagher", "Hollis", "Mercer", "Donnelly", "Sinclair", "Whitaker", "Quinlan", "Barrow", "Fitzgerald",
         "Lockwood", "Carver"),
    ),
    "african": (
        ("Wanjiru", "Amina", "Ngozi", "Akosua", "Achieng", "Chiamaka", "Efua", "Nyambura", "Folake", "Abena"),
        ("Kwame", "Chukwuemeka", "Otieno", "Babajide", "Kofi", "Mwangi", "Emeka", "Yaw", "Kiprono", "Tunde"),
        ("Odhiambo", "Adeyemi", "Mensah", "Okonkwo", "Kamau", "Boateng", "Achebe", "Njoroge", "Owusu", "Balogun",
         "Kariuki", "Asante", "Eze", "Wekesa", "Osei", "Otieno", "Adebayo", "Appiah", "Nwosu", "Chege", "Darko",
         "Okafor", "Ruto", "Agyeman", "Olawale", "Mutua", "Amoah"),
    ),
    "arabic": (
        ("Layla", "Nour", "Rania", "Salma", "Yasmin", "Hala", "Dalia", "Mariam", "Samira", "Lina"),
        ("Omar", "Karim", "Tarek", "Youssef", "Khaled", "Hamza", "Samir", "Nabil", "Rami", "Walid"),
        ("Haddad", "Mansour", "El-Sayed", "Khalil", "Nasser", "Benali", "Saleh", "Abdelaziz", "Farouk", "Bakri",
         "Tazi", "Rahal", "Othman", "Qasim", "Zaher", "Hamdan", "Jaber", "Sabri", "Najjar", "Idrissi", "Fahmy",
         "Karam", "Aziz", "Masri", "Tahiri", "Shami", "Yassin"),
    ),
    "japanese": (
        ("Yuki", "Haruka", "Aiko", "Naomi", "Emi", "Sakura", "Keiko", "Mai", "Rina", "Noriko"),
        ("Hiroshi", "Kenji", "Takeshi", "Daisuke", "Shota", "Ryo", "Kazuo", "Naoki", "Satoshi", "Hideo"),
        ("Tanaka", "Morimoto", "Ishikawa", "Fujiwara", "Nakagawa", "Kobayashi", "Hayashi", "Matsuda", "Okada",
         "Sakamoto", "Yamaguchi", "Kimura", "Shimizu", "Ogawa", "Maeda", "Watanabe", "Inoue", "Takahashi", "Suzuki",
         "Nishimura", "Aoki", "Kondo", "Mori", "Ikeda", "Hasegawa", "Endo", "Fujita"),
    ),
    "malay": (
        ("Siti", "Dewi", "Ayu", "Maria", "Rosalind", "Kartika", "Lestari", "Joy", "Corazon", "Putri"),
        ("Budi", "Agus", "Rizal", "Joel", "Ramon", "Hendra", "Eduardo", "Wahyu", "Arnel", "Dimas"),
        ("Santoso", "Wijaya", "Hidayat", "Reyes", "Bautista", "Gunawan", "Dela Cruz", "Saputra", "Villanueva",
         "Nugroho", "Aquino", "Setiawan", "Mendoza", "Pratama", "Ramos", "Halim", "Kusuma", "Garcia", "Hartono",
         "Castro", "Lim", "Suharto", "Navarro", "Irawan", "Domingo", "Susanto", "Salvador"),
    ),
}

# Spellings that differ between outlets (transliterations): a person whose name holds the key
# is written with the value by some outlets.
RESPELLINGS = {
    "Yerlan": "Erlan", "Oleksandr": "Aleksandr", "Andriy": "Andrii", "Olena": "Elena", "Iryna": "Irina",
    "Sadykov": "Sadikov", "Nurpeisov": "Nurpeissov", "Karimov": "Kerimov", "Rakhimov": "Rahimov",
    "Shevchenko": "Shevtchenko", "Kovalenko": "Kowalenko", "El-Sayed": "El Sayed", "Youssef": "Yusuf",
    "Khaled": "Khalid", "Tarek": "Tariq", "Zhakupov": "Jakupov", "Bondarenko": "Bondarenco",
}

COUNTRIES: tuple[Country, ...] = tuple(
    Country(name=name, adjective=adj, capital=capital, cities=tuple(others.split(",")), names=pool)
    for name, adj, capital, others, pool in (line.split("|") for line in _COUNTRIES.strip().splitlines())
)

COMPANY_STEMS = ("Northstar", "Baltic", "Meridian", "Crescent", "Silverline", "Granite", "Aurora", "Harbour",
                 "Summit", "Keystone", "Orion", "Pinewood", "Redcliff", "Tidewater", "Evergreen", "Ironbridge",
                 "Bluewater", "Sable", "Cobalt", "Lakeshore", "Highland", "Vantage", "Copperfield", "Falcon")
COMPANY_SECTORS = (("Metals", "mining"), ("Shipping", "shipping"), ("Energy", "energy"),
                   ("Telecom", "telecommunications"), ("Logistics", "logistics"), ("Pharma", "pharmaceuticals"),
                   ("Foods", "food processing"), ("Systems", "software"), ("Airlines", "aviation"),
                   ("Bank", "banking"), ("Motors", "car making"), ("Chemicals", "chemicals"))
PARTY_NAMES = ("Civic Alliance", "People's Party", "Social Democratic Party", "Green Union", "National Renewal",
               "Liberal Forum", "Workers' Party", "Progressive Movement", "Centre Coalition", "Freedom Party")
UNION_NAMES = ("teachers' union", "nurses' union", "transport workers' union", "dockworkers' union",
               "farmers' association", "miners' union", "doctors' association", "students' federation")
COURTS = ("Supreme Court", "Constitutional Court", "High Court", "Administrative Court", "Court of Appeal")

REPORTER_GIVEN = ("Daniel", "Marta", "Paul", "Helen", "Samuel", "Nadia", "Victor", "Elena", "Jonas", "Priya",
                  "Oscar", "Teresa", "Adam", "Leila", "Martin", "Rosa", "Hugo", "Clara", "Ivan", "Amelia")
REPORTER_SURNAMES = ("Okafor", "Brennan", "Lindgren", "Moreau", "Castellano", "Hale", "Novak", "Petersen",
                     "Marsh", "Quintero", "Albrecht", "Osei", "Farrell", "Duval", "Sato", "Keller", "Romano",
                     "Whitlock", "Ahmadi", "Sorensen")

OUTLETS: tuple[Outlet, ...] = (
    Outlet("Allied Press Service", "alliedpress.example", "allied-press", 0, "rss", agency=True, short="APS"),
    Outlet("Transcontinental News Agency", "tcnews.example", "tcnews", 1, "atom", agency=True, short="TNA"),
    Outlet("The Lakeside Herald", "lakesideherald.example", "lakeside-herald", 2, "rss"),
    Outlet("Westbridge Times", "westbridgetimes.example", "westbridge-times", 3, "atom"),
    Outlet("Daily Compass", "dailycompass.example", "daily-compass", 4, "rss", datelines=False),
    Outlet("The Atlas Observer", "atlasobserver.example", "atlas-observer", 0, "rss"),
    Outlet("Riverton Chronicle", "rivertonchronicle.example", "riverton-chronicle", 1, "rss", datelines=False),
    Outlet("Pacific Bulletin", "pacificbulletin.example", "pacific-bulletin", 2, "atom"),
    Outlet("The Civic Ledger", "civicledger.example", "civic-ledger", 3, "rss"),
    Outlet("Northern Gazette", "northerngazette.example", "northern-gazette", 4, "atom", datelines=False),
    Outlet("Capital Dispatch", "capitaldispatch.example", "capital-dispatch", 2, "rss"),
    Outlet("Morning Lantern", "morninglantern.example", "morning-lantern", 3, "rss"),
)
AGENCIES = tuple(o for o in OUTLETS if o.agency)
NEWSROOMS = tuple(o for o in OUTLETS if not o.agency)


def cities() -> tuple[City, ...]:
    return tuple(City(name, c) for c in COUNTRIES for name in (c.capital, *c.cities))


def invent_person(rng: random.Random, country: Country, role: str, affiliation: str | None = None,
                  taken: set[str] | None = None) -> Person:
    """A new person from the country's naming pool, never one whose name is in `taken`."""
    female_names, male_names, surnames = NAME_POOLS[country.names]
    for _ in range(50):
        female = rng.random() < 0.45
        given = rng.choice(female_names if female else male_names)
        surname = rng.choice(surnames)
        full = f"{given} {surname}"
        if taken is None or full not in taken:
            break
    if taken is not None:
        taken.add(full)
    variant = None
    respelt = f"{RESPELLINGS.get(given, given)} {RESPELLINGS.get(surname, surname)}"
    if respelt != full:
        variant = respelt
    return Person(given, surname, female, country, role, affiliation, variant)


def invent_company(rng: random.Random, taken: set[str]) -> tuple[str, str]:
    """(name, sector) of a company no other event of the corpus uses."""
    for _ in range(200):
        stem, (kind, sector) = rng.choice(COMPANY_STEMS), rng.choice(COMPANY_SECTORS)
        name = f"{stem} {kind}"
        if name not in taken:
            taken.add(name)
            return name, sector
    suffix = len(taken)
    return f"{rng.choice(COMPANY_STEMS)} {suffix} Holdings", "investment"


def reporter(rng: random.Random) -> str:
    return f"{rng.choice(REPORTER_GIVEN)} {rng.choice(REPORTER_SURNAMES)}"


# Neighbourhood names by naming pool: a story's district, street or square sounds like its city.
DISTRICTS: dict[str, tuple[str, ...]] = {
    "nordic": ("Kallio", "Vallila", "Kivikko", "Norrmalm", "Sodermalm", "Frederiksberg", "Nordhavn", "Grunerlokka",
               "Hakaniemi", "Vesterbro"),
    "germanic": ("Lindenhof", "Marienthal", "Altstadt", "Neustadt", "Westend", "Oostpoort", "Zuidas", "Favoriten",
                 "Ottakring", "Schwabing"),
    "slavic": ("Mokotow", "Praga", "Zizkov", "Podil", "Obolon", "Vracar", "Zemun", "Nowa Huta", "Vinohrady",
               "Kazimierz"),
    "turkic": ("Esentai", "Medeu", "Kadikoy", "Besiktas", "Chilanzar", "Yunusabad", "Cankaya", "Alatau", "Uskudar",
               "Bostandyk"),
    "latin": ("San Isidro", "Santa Rita", "Miraflores", "Providencia", "Chapinero", "Trastevere", "Alfama", "Benfica",
              "Poblenou", "Triana"),
    "anglo": ("Millbrook", "Eastgate", "Northfield", "Riverside", "Hillcrest", "Stonebridge", "Glenwood", "Ashford",
              "Kingsmead", "Harbourside"),
    "african": ("Kibera", "Westlands", "Ikeja", "Yaba", "Osu", "Labone", "Kilimani", "Surulere", "Karen", "Adabraka"),
    "arabic": ("Zamalek", "Heliopolis", "Maadi", "Gueliz", "Jabal Amman", "Abdoun", "Agdal", "Sidi Maarouf", "Dokki",
               "Hay Riad"),
    "japanese": ("Shibuya", "Nakano", "Umeda", "Tenjin", "Sakae", "Susukino", "Namba", "Meguro", "Setagaya",
                 "Hakata"),
    "malay": ("Menteng", "Kemang", "Makati", "Ortigas", "Kuningan", "Tondo", "Lahug", "Pasig", "Cikini", "Malate"),
}
SLOGANS = ("Not in our name", "Hands off our future", "We will not pay for your crisis", "Enough is enough",
           "Listen to the street", "Our town, our choice", "Fair pay now", "No to the plan", "Together we stand",
           "Homes, not profits", "Save our services", "Stop the cuts")
FORMER_JOBS = ("schoolteacher", "central banker", "football coach", "surgeon", "human rights lawyer", "mayor",
               "television presenter", "trade union leader", "software engineer", "army officer")
INSTITUTIONS = ("the World Bank", "the International Monetary Fund", "a regional development bank",
                "the finance ministry", "a private equity firm", "the foreign ministry", "a state energy company")
ANALYST_HOMES = ("Institute of International Affairs", "Centre for Strategic Studies", "School of Economics",
                 "Policy Institute", "Foundation for Foreign Policy")
MEETING_VENUES = ("the {adj} embassy", "the foreign ministry", "the {city} congress centre", "the presidential palace",
                  "a hotel in {district}", "the old town hall", "a government guest house outside {city}")
ACCIDENT_CAUSES = {"train": ("a signalling fault", "excessive speed", "a broken rail"),
                   "bus": ("brake failure", "the driver's fatigue", "a burst tyre"),
                   "ferry": ("overloading", "bad weather", "an engine failure")}
ORDINALS = ("second", "third", "fourth", "fifth", "sixth")
