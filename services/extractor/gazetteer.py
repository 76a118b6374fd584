"""Shipped lexicons: countries (with their adjectives and short forms), major cities and
their country, roles, honorifics and organisation words.

Typed in from general knowledge so the extractor needs no download and no model. Kept as
plain text blocks parsed once at import: cheap to extend, cheap to load (well under 1 ms).
"""

from __future__ import annotations

from collections.abc import Callable


def words_of(block: str) -> list[str]:
    """The whitespace-separated words of a lexicon block."""
    return block.split()

# country | other names and abbreviations | nationality adjectives (and demonyms)
_COUNTRIES = """
Afghanistan||Afghan,Afghans
Albania||Albanian
Algeria||Algerian
Andorra||Andorran
Angola||Angolan
Argentina||Argentine,Argentinian
Armenia||Armenian
Australia||Australian
Austria||Austrian
Azerbaijan||Azerbaijani,Azeri
Bahamas|The Bahamas|Bahamian
Bahrain||Bahraini
Bangladesh||Bangladeshi
Barbados||Barbadian
Belarus||Belarusian,Belarussian
Belgium||Belgian
Belize||Belizean
Benin||Beninese
Bhutan||Bhutanese
Bolivia||Bolivian
Bosnia and Herzegovina|Bosnia|Bosnian
Botswana||Botswanan
Brazil||Brazilian
Brunei||Bruneian
Bulgaria||Bulgarian
Burkina Faso||Burkinabe
Burundi||Burundian
Cambodia||Cambodian
Cameroon||Cameroonian
Canada||Canadian
Cape Verde||Cape Verdean
Central African Republic|CAR|Central African
Chad||Chadian
Chile||Chilean
China|People's Republic of China,PRC,Beijing's|Chinese
Colombia||Colombian
Comoros||Comoran
Democratic Republic of the Congo|DR Congo,DRC,Congo-Kinshasa|Congolese
Republic of the Congo|Congo-Brazzaville,Congo|
Costa Rica||Costa Rican
Croatia||Croatian,Croat
Cuba||Cuban
Cyprus||Cypriot
Czech Republic|Czechia|Czech
Denmark||Danish,Dane
Djibouti||Djiboutian
Dominican Republic||Dominican
Ecuador||Ecuadorian
Egypt||Egyptian
El Salvador||Salvadoran
Equatorial Guinea||Equatorial Guinean
Eritrea||Eritrean
Estonia||Estonian
Eswatini|Swaziland|Swazi
Ethiopia||Ethiopian
Fiji||Fijian
Finland||Finnish,Finn
France||French
Gabon||Gabonese
Gambia|The Gambia|Gambian
Georgia||Georgian
Germany||German
Ghana||Ghanaian
Greece||Greek
Greenland||Greenlandic
Guatemala||Guatemalan
Guinea||Guinean
Guyana||Guyanese
Haiti||Haitian
Honduras||Honduran
Hong Kong||
Hungary||Hungarian
Iceland||Icelandic,Icelander
India||Indian
Indonesia||Indonesian
Iran|Islamic Republic of Iran|Iranian
Iraq||Iraqi
Ireland|Republic of Ireland|Irish
Israel||Israeli
Italy||Italian
Ivory Coast|Cote d'Ivoire,Côte d'Ivoire|Ivorian
Jamaica||Jamaican
Japan||Japanese
Jordan||Jordanian
Kazakhstan||Kazakh,Kazakhstani
Kenya||Kenyan
Kosovo||Kosovar
Kuwait||Kuwaiti
Kyrgyzstan||Kyrgyz
Laos||Lao,Laotian
Latvia||Latvian
Lebanon||Lebanese
Lesotho||Basotho
Liberia||Liberian
Libya||Libyan
Liechtenstein||
Lithuania||Lithuanian
Luxembourg||Luxembourgish
Madagascar||Malagasy
Malawi||Malawian
Malaysia||Malaysian
Maldives||Maldivian
Mali||Malian
Malta||Maltese
Mauritania||Mauritanian
Mauritius||Mauritian
Mexico||Mexican
Moldova||Moldovan
Monaco||Monegasque
Mongolia||Mongolian
Montenegro||Montenegrin
Morocco||Moroccan
Mozambique||Mozambican
Myanmar|Burma|Myanmarese,Burmese
Namibia||Namibian
Nepal||Nepali,Nepalese
Netherlands|The Netherlands,Holland|Dutch
New Zealand||New Zealander
Nicaragua||Nicaraguan
Niger||Nigerien
Nigeria||Nigerian
North Korea|DPRK,Pyongyang's|North Korean
North Macedonia|Macedonia|Macedonian
Norway||Norwegian
Oman||Omani
Pakistan||Pakistani
Palestine|Palestinian Territories,West Bank,Gaza,Gaza Strip|Palestinian
Panama||Panamanian
Papua New Guinea||Papua New Guinean
Paraguay||Paraguayan
Peru||Peruvian
Philippines|The Philippines|Filipino,Philippine
Poland||Polish,Pole
Portugal||Portuguese
Qatar||Qatari
Romania||Romanian
Russia|Russian Federation|Russian
Rwanda||Rwandan
Saudi Arabia||Saudi
Senegal||Senegalese
Serbia||Serbian,Serb
Sierra Leone||Sierra Leonean
Singapore||Singaporean
Slovakia||Slovak
Slovenia||Slovenian,Slovene
Somalia||Somali
South Africa||South African
South Korea|Republic of Korea,Korea|South Korean,Korean
South Sudan||South Sudanese
Spain||Spanish
Sri Lanka||Sri Lankan
Sudan||Sudanese
Suriname||Surinamese
Sweden||Swedish,Swede
Switzerland||Swiss
Syria||Syrian
Taiwan||Taiwanese
Tajikistan||Tajik
Tanzania||Tanzanian
Thailand||Thai
Togo||Togolese
Trinidad and Tobago||Trinidadian
Tunisia||Tunisian
Turkey|Turkiye,Türkiye|Turkish
Turkmenistan||Turkmen
Uganda||Ugandan
Ukraine||Ukrainian
United Arab Emirates|UAE,U.A.E.,Emirates|Emirati
United Kingdom|UK,U.K.,Britain,Great Britain,England,Scotland,Wales,Northern Ireland|British,English,Scottish,Welsh
United States|U.S.,US,USA,U.S.A.,America,United States of America|American
Uruguay||Uruguayan
Uzbekistan||Uzbek
Vatican|Holy See,Vatican City|
Venezuela||Venezuelan
Vietnam|Viet Nam|Vietnamese
Yemen||Yemeni
Zambia||Zambian
Zimbabwe||Zimbabwean
"""

# city, country (capitals first, then other large or newsworthy cities; US state names too)
_CITIES = """
Kabul,Afghanistan;Tirana,Albania;Algiers,Algeria;Luanda,Angola;Buenos Aires,Argentina;Yerevan,Armenia
Canberra,Australia;Sydney,Australia;Melbourne,Australia;Brisbane,Australia;Perth,Australia
Vienna,Austria;Baku,Azerbaijan;Manama,Bahrain;Dhaka,Bangladesh;Minsk,Belarus;Brussels,Belgium
Antwerp,Belgium;La Paz,Bolivia;Sarajevo,Bosnia and Herzegovina;Brasilia,Brazil;Brasília,Brazil
Sao Paulo,Brazil;São Paulo,Brazil;Rio de Janeiro,Brazil;Sofia,Bulgaria;Phnom Penh,Cambodia
Ottawa,Canada;Toronto,Canada;Montreal,Canada;Vancouver,Canada;Calgary,Canada;Quebec,Canada
Santiago,Chile;Beijing,China;Shanghai,China;Wuhan,China;Shenzhen,China;Guangzhou,China
Bogota,Colombia;Bogotá,Colombia;Medellin,Colombia;Kinshasa,Democratic Republic of the Congo
Goma,Democratic Republic of the Congo;San Jose,Costa Rica;Zagreb,Croatia;Havana,Cuba;Nicosia,Cyprus
Prague,Czech Republic;Copenhagen,Denmark;Nuuk,Greenland;Quito,Ecuador;Cairo,Egypt
Alexandria,Egypt;San Salvador,El Salvador;Tallinn,Estonia;Addis Ababa,Ethiopia;Helsinki,Finland
Paris,France;Marseille,France;Lyon,France;Nice,France;Strasbourg,France;Tbilisi,Georgia
Berlin,Germany;Munich,Germany;Frankfurt,Germany;Hamburg,Germany;Cologne,Germany;Bonn,Germany
Accra,Ghana;Athens,Greece;Guatemala City,Guatemala;Port-au-Prince,Haiti;Tegucigalpa,Honduras
Budapest,Hungary;Reykjavik,Iceland;Reykjavík,Iceland;New Delhi,India;Delhi,India;Mumbai,India
Kolkata,India;Bangalore,India;Chennai,India;Jakarta,Indonesia;Bali,Indonesia;Tehran,Iran
Baghdad,Iraq;Mosul,Iraq;Basra,Iraq;Erbil,Iraq;Dublin,Ireland;Belfast,United Kingdom
Jerusalem,Israel;Tel Aviv,Israel;Haifa,Israel;Rome,Italy;Milan,Italy;Naples,Italy;Venice,Italy
Florence,Italy;Turin,Italy;Abidjan,Ivory Coast;Kingston,Jamaica;Tokyo,Japan;Osaka,Japan
Hiroshima,Japan;Fukushima,Japan;Amman,Jordan;Astana,Kazakhstan;Almaty,Kazakhstan;Nairobi,Kenya
Pristina,Kosovo;Kuwait City,Kuwait;Bishkek,Kyrgyzstan;Riga,Latvia;Beirut,Lebanon;Monrovia,Liberia
Tripoli,Libya;Benghazi,Libya;Vilnius,Lithuania;Antananarivo,Madagascar;Kuala Lumpur,Malaysia
Bamako,Mali;Valletta,Malta;Mexico City,Mexico;Tijuana,Mexico;Guadalajara,Mexico;Monterrey,Mexico
Chisinau,Moldova;Ulaanbaatar,Mongolia;Podgorica,Montenegro;Rabat,Morocco;Casablanca,Morocco
Maputo,Mozambique;Naypyidaw,Myanmar;Yangon,Myanmar;Kathmandu,Nepal;Amsterdam,Netherlands
The Hague,Netherlands;Rotterdam,Netherlands;Wellington,New Zealand;Auckland,New Zealand
Christchurch,New Zealand;Managua,Nicaragua;Niamey,Niger;Abuja,Nigeria;Lagos,Nigeria
Pyongyang,North Korea;Skopje,North Macedonia;Oslo,Norway;Muscat,Oman;Islamabad,Pakistan
Karachi,Pakistan;Lahore,Pakistan;Ramallah,Palestine;Gaza City,Palestine;Panama City,Panama
Asuncion,Paraguay;Lima,Peru;Manila,Philippines;Warsaw,Poland;Krakow,Poland;Lisbon,Portugal
Porto,Portugal;Doha,Qatar;Bucharest,Romania;Moscow,Russia;St. Petersburg,Russia;Saint Petersburg,Russia
Vladivostok,Russia;Sochi,Russia;Kigali,Rwanda;Riyadh,Saudi Arabia;Jeddah,Saudi Arabia;Mecca,Saudi Arabia
Dakar,Senegal;Belgrade,Serbia;Freetown,Sierra Leone;Bratislava,Slovakia;Ljubljana,Slovenia
Mogadishu,Somalia;Pretoria,South Africa;Johannesburg,South Africa;Cape Town,South Africa;Durban,South Africa
Seoul,South Korea;Busan,South Korea;Juba,South Sudan;Madrid,Spain;Barcelona,Spain;Seville,Spain
Valencia,Spain;Colombo,Sri Lanka;Khartoum,Sudan;Stockholm,Sweden;Gothenburg,Sweden;Bern,Switzerland
Geneva,Switzerland;Zurich,Switzerland;Davos,Switzerland;Lausanne,Switzerland;Damascus,Syria
Aleppo,Syria;Idlib,Syria;Raqqa,Syria;Taipei,Taiwan;Dushanbe,Tajikistan;Dodoma,Tanzania
Dar es Salaam,Tanzania;Bangkok,Thailand;Tunis,Tunisia;Ankara,Turkey;Istanbul,Turkey;Izmir,Turkey
Ashgabat,Turkmenistan;Kampala,Uganda;Kyiv,Ukraine;Kiev,Ukraine;Kharkiv,Ukraine;Odesa,Ukraine
Odessa,Ukraine;Lviv,Ukraine;Mariupol,Ukraine;Donetsk,Ukraine;Luhansk,Ukraine;Abu Dhabi,United Arab Emirates
Dubai,United Arab Emirates;London,United Kingdom;Manchester,United Kingdom;Birmingham,United Kingdom
Liverpool,United Kingdom;Edinburgh,United Kingdom;Glasgow,United Kingdom;Cardiff,United Kingdom
Oxford,United Kingdom;Cambridge,United Kingdom;Leeds,United Kingdom;Bristol,United Kingdom
Washington,United States;Washington D.C.,United States;New York,United States;New York City,United States
Los Angeles,United States;Chicago,United States;Houston,United States;Phoenix,United States
Philadelphia,United States;San Antonio,United States;San Diego,United States;Dallas,United States
San Francisco,United States;Seattle,United States;Boston,United States;Miami,United States
Atlanta,United States;Denver,United States;Detroit,United States;Las Vegas,United States
Baltimore,United States;Minneapolis,United States;New Orleans,United States;Austin,United States
Nashville,United States;Portland,United States;Pittsburgh,United States;Cleveland,United States
St. Louis,United States;Orlando,United States;Tampa,United States;Sacramento,United States
Milwaukee,United States;Des Moines,United States;Charleston,United States;Ferguson,United States
Honolulu,United States;Anchorage,United States;Salt Lake City,United States;Albany,United States
Manhattan,United States;Brooklyn,United States;Silicon Valley,United States
Montevideo,Uruguay;Tashkent,Uzbekistan;Caracas,Venezuela;Hanoi,Vietnam;Ho Chi Minh City,Vietnam
Sanaa,Yemen;Aden,Yemen;Lusaka,Zambia;Harare,Zimbabwe;Hong Kong,China;Macau,China;Singapore,Singapore
Vatican City,Vatican;Monaco,Monaco;Luxembourg,Luxembourg;Kuwait,Kuwait;Gaza,Palestine;West Bank,Palestine
Crimea,Ukraine;Donbas,Ukraine;Sevastopol,Ukraine;Kherson,Ukraine;Zaporizhzhia,Ukraine;Dnipro,Ukraine
Bakhmut,Ukraine;Gaziantep,Turkey;Dhaka,Bangladesh;Chittagong,Bangladesh;Kashmir,India;Tibet,China;Xinjiang,China;Chechnya,Russia;Siberia,Russia
Alabama,United States;Alaska,United States;Arizona,United States;Arkansas,United States
California,United States;Colorado,United States;Connecticut,United States;Delaware,United States
Florida,United States;Hawaii,United States;Idaho,United States;Illinois,United States
Indiana,United States;Iowa,United States;Kansas,United States;Kentucky,United States
Louisiana,United States;Maine,United States;Maryland,United States;Massachusetts,United States
Michigan,United States;Minnesota,United States;Mississippi,United States;Missouri,United States
Montana,United States;Nebraska,United States;Nevada,United States;New Hampshire,United States
New Jersey,United States;New Mexico,United States;North Carolina,United States;North Dakota,United States
Ohio,United States;Oklahoma,United States;Oregon,United States;Pennsylvania,United States
Rhode Island,United States;South Carolina,United States;South Dakota,United States;Tennessee,United States
Texas,United States;Utah,United States;Vermont,United States;Virginia,United States
West Virginia,United States;Wisconsin,United States;Wyoming,United States
Ontario,Canada;British Columbia,Canada;Alberta,Canada;Bavaria,Germany;Catalonia,Spain
"""

# Region-like names that are places but belong to no single country.
_REGIONS = ("Europe", "Asia", "Africa", "Middle East", "Latin America", "Arctic", "Antarctica",
            "Baltic", "Balkans", "Caribbean", "Pacific", "Atlantic", "Mediterranean", "Gulf",
            "Scandinavia", "North America", "South America", "Central America", "Sahel")

# Titles that make the following name a person; the value is the role as we report it.
_ROLES = """
president,prime minister,vice president,foreign minister,defense minister,defence minister,
interior minister,finance minister,health minister,economy minister,minister,deputy minister,
secretary of state,secretary-general,secretary general,secretary,undersecretary,
chancellor,premier,king,queen,prince,princess,emperor,pope,sheikh,ayatollah,supreme leader,
governor,mayor,senator,sen.,rep.,representative,congressman,congresswoman,lawmaker,speaker,
ambassador,envoy,spokesman,spokeswoman,spokesperson,spokesperson for,press secretary,
chief executive,ceo,chairman,chairwoman,chair,director,chief,commander,general,gen.,
admiral,adm.,colonel,col.,lt.,lieutenant,captain,capt.,sgt.,sergeant,major,
judge,justice,chief justice,attorney general,prosecutor,lawyer,attorney,
leader,opposition leader,party leader,head,founder,coach,striker,official,officer,
mr.,mrs.,ms.,dr.,prof.,professor,rev.,gov.,lt. gov.,atty. gen.,
candidate,nominee,diplomat,top diplomat,activist,analyst,economist,researcher,author,
archbishop,bishop,cardinal,rabbi,imam,pastor,cleric,commissioner,director-general,secretary-general,
ceo,cfo,chief executive officer,justice minister,transport minister,trade minister,
columnist,commentator,pollster,strategist,historian,host,anchor,reporter,correspondent,editor,
consultant,adviser,advisor,aide,delegate,sheriff,chief of staff,campaign manager,
"""

# Honorifics carry no role worth reporting.
HONORIFICS = frozenset({"mr.", "mrs.", "ms.", "dr.", "prof.", "rev.", "mr", "mrs", "ms", "dr", "sir", "dame",
                        "lord", "lady", "miss"})

# Words inside a capitalised sequence that make it an organisation.
ORG_WORDS = frozenset(words_of("""
agency association authority bank board bureau cabinet campaign center centre church club coalition
college commission committee company congress corp corp. corporation council court department
embassy federation force forces foundation front fund government group guard house inc inc.
institute international league ltd ltd. media ministry movement network news office organisation
organization parliament party police post press reserve school senate service services society
times tribunal union university assembly airlines airline army navy agency. journal reuters
alliance brigade brigades council's network's nations bloc
"""))

KNOWN_ORGS = frozenset("""
NATO|EU|European Union|United Nations|UN|U.N.|WHO|IMF|World Bank|OPEC|Kremlin|White House|Pentagon
State Department|Congress|Senate|Hamas|Hezbollah|Taliban|Islamic State|ISIS|Al Qaeda|al-Qaida|
FBI|CIA|NSA|Reuters|AP|Associated Press|AFP|BBC|CNN|Fox News|NPR|Google|Apple|Amazon|Microsoft|
Facebook|Meta|Twitter|Tesla|Toyota|Volkswagen|Boeing|Airbus|Republicans|Democrats|GOP|
Supreme Court|Arctic Council|G7|G20|ASEAN|African Union|Interpol|Red Cross|Amnesty International|
Human Rights Watch|Greenpeace|Gazprom|Nasdaq|Wall Street|Fed|Federal Reserve|ECB|Bundestag|Duma|
Knesset|TASS|Interfax|Xinhua|Politico|Breitbart|Bloomberg|CBS|NBC|ABC|MSNBC|Downing Street|Elysee
""".replace("\n", "|").split("|")) - {""}


def _parse_countries() -> tuple[dict[str, str], dict[str, str]]:
    names: dict[str, str] = {}
    adjectives: dict[str, str] = {}
    for line in _COUNTRIES.strip().splitlines():
        country, others, adjs = [*line.split("|"), "", ""][:3]
        names[country] = country
        for other in filter(None, others.split(",")):
            names[other.strip()] = country
        for adj in filter(None, adjs.split(",")):
            adjectives[adj.strip()] = country
    return names, adjectives


COUNTRY_NAMES, NATIONALITIES = _parse_countries()
# "Russia's" and "the US's" carry the country too; the possessive is stripped before lookup.

CITIES: dict[str, str] = {}
for _pair in _CITIES.replace("\n", ";").split(";"):
    if _pair.strip():
        _city, _country = _pair.rsplit(",", 1)
        CITIES[_city.strip()] = _country.strip()

REGIONS = frozenset(_REGIONS)

ROLES = frozenset(r.strip() for r in _ROLES.replace("\n", "").split(",") if r.strip())

# How a country's official is commonly written: adjective + role, e.g. "Russian foreign minister".
COUNTRY_ADJECTIVE_WORDS = frozenset(w for adj in NATIONALITIES for w in adj.split())


def country_of(name: str) -> str | None:
    """The country a place or a country-ish word names ('Reykjavik' -> 'Iceland'), or None."""
    if name in COUNTRY_NAMES:
        return COUNTRY_NAMES[name]
    if name in CITIES:
        return CITIES[name]
    return NATIONALITIES.get(name)

# Common given names by usual gender, to match 'he'/'she' with the right person. A name not
# listed (or listed in both) leaves the person's gender unknown, which matches either pronoun.
FEMALE_NAMES = frozenset(words_of("""
mary patricia jennifer linda elizabeth barbara susan jessica sarah karen nancy lisa betty margaret
sandra ashley kimberly emily donna michelle carol amanda dorothy melissa deborah stephanie rebecca
sharon laura cynthia kathleen amy angela shirley anna brenda pamela emma nicole helen samantha
katherine christine debra rachel carolyn janet catherine maria heather diane ruth julie olivia
joyce virginia victoria kelly lauren christina joan evelyn judith megan andrea cheryl hannah
jacqueline martha gloria teresa ann sara madison frances kathryn janice jean abigail alice judy
sophia grace denise amber doris marilyn danielle beverly isabella theresa diana natalie brittany
charlotte marie kayla alexis lori hillary hilary nikki sheila ellen elena condoleezza madeleine
nancy michele kamala elizabeth angela theresa ursula christine jacinda mette katrin sanna
marine segolene ségolène giorgia kirsten tammy claire dianne debbie patty maxine nancy susana
carly sarah palin huma donna heidi jeanne kellyanne hope ivanka melania chelsea jill tulsi
oprah beyonce taylor meryl nina olga natalia svetlana irina tatiana yulia maria anastasia
fatima aisha leila yasmin priya indira benazir aung suu kyi malala greta angelina
melanie chrystia anne annie lena ingrid birgit sabine petra annalena ursula marta carmen lucia
isabel ana beatriz gabriela claudia mariana valentina camila sofia francesca giulia chiara
"""))
MALE_NAMES = frozenset(words_of("""
james robert john michael william david richard joseph thomas charles christopher daniel matthew
anthony mark donald steven paul andrew joshua kenneth kevin brian george timothy ronald edward
jason jeffrey ryan jacob gary nicholas eric jonathan stephen larry justin scott brandon benjamin
samuel gregory alexander frank patrick raymond jack dennis jerry tyler aaron jose adam nathan
henry douglas zachary peter kyle ethan walter noah jeremy christian keith roger terry gerald
harold sean austin carl arthur lawrence dylan jesse jordan bryan billy joe bruce gabriel logan
albert willie alan juan wayne elijah randy roy vincent ralph eugene russell bobby mason philip
louis barack bernie bernard ted marco jeb ben chris mike mitch rand rick newt reince lindsey
vladimir sergei sergey antony dmitry dmitri alexei alexey boris xi emmanuel olaf angus justin
narendra recep benjamin bibi mahmoud ali mohammed muhammad ahmed hassan hussein abdullah
volodymyr petro viktor jens charles harry william jair luis andres andrés nicolas nicolás
hugo fidel raul raúl kim moon shinzo fumio yoshihide tony gordon keir rishi nigel jeremy
jim tim tom bill hank chuck dick newt herman rudy rudolph colin dick cory beto pete amy
mikhail dmitry andrei andrey yuri igor oleg nikolai ivan pavel maxim vitali vitaly valery anatoly
fumio kazuo shinzo xi li wang recep hulusi mevlut matteo giuseppe mario silvio emmanuel francois
laurent olaf friedrich helmut rishi boris keir tony gordon david narendra rahul imran nawaz
cyril jacob nelson desmond william raila uhuru yoweri paul abiy josep pedro jose antonio
marcelo carlos miguel manuel javier alejandro diego fernando ricardo roberto eduardo sergio
luca marco giorgio karl hans jurgen klaus wolfgang frank stefan lars erik sven anders
kevin lloyd jake ned john jon jeff josh mitt jared eric steve stephen al
""")) - {"amy"}


def _skeleton(name: str) -> str:
    # Consonants only: spelling slips mostly touch vowels ('Rekjavik' for 'Reykjavik').
    low = name.lower()
    return low[:1] + "".join(c for c in low[1:] if c.isalpha() and c not in "aeiouy")


_CITY_BY_SKELETON: dict[str, list[str]] = {}
for _name in list(CITIES) + list(COUNTRY_NAMES):
    _CITY_BY_SKELETON.setdefault(_skeleton(_name), []).append(_name)


def fuzzy_place(name: str, same: Callable[[str, str], bool]) -> str | None:
    """The gazetteer spelling of a slightly misspelt place ('Rekjavik' -> 'Reykjavik'), or None.
    Only names of 6+ letters are tried, and `same` (names.same_name) must confirm the match."""
    if len(name) < 6:
        return None
    for cand in _CITY_BY_SKELETON.get(_skeleton(name), ()):
        if same(cand, name):
            return cand
    return None
