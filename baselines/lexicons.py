"""The baselines' own word lists, with the few rules that inflect them.

Provenance: written for Khabar from general knowledge of Modern Standard Arabic (its morphology and
its function words) and of the news domain (titles, institutions, reporting verbs, ACE 2005 event
vocabulary), without looking at the Khabar corpus. Names that a maintained data package ships (countries,
cities, regions, weekdays, Gregorian months, languages, currencies) come from CLDR instead, see
:mod:`khabar.baselines.cldr`. Spelling variants of hamza, ta marbuta and alef maqsura need not be listed:
lookups fold them (:func:`khabar.baselines.arabic.key`).
"""

from __future__ import annotations

from typing import Iterable

ARTICLE = "ال"
PRONOUN_SUFFIXES = ("ه", "ها", "هما", "هم", "هن", "ك", "كم", "نا", "ي")

# --------------------------------------------------------------------------------------------------
# Inflection


def with_article(words: Iterable[str]) -> list[str]:
    """Each word, and each word with the article ال (phrases: on the first word)."""
    out: list[str] = []
    for word in words:
        out.append(word)
        if not word.startswith(ARTICLE):
            out.append(ARTICLE + word)
    return out


def nisba_forms(masculine: str) -> list[str]:
    """A nationality adjective (إيراني) in the forms news uses: with and without ال, feminine, sound
    plurals and duals (الإيرانية، الإيرانيون، الإيرانيين، الإيرانيان …)."""
    stems = [masculine, masculine + "ة", masculine + "ون", masculine + "ين", masculine + "ان", masculine + "تان", masculine + "تين"]
    return with_article(stems)


def noun_forms(noun: str) -> list[str]:
    """A noun with and without ال, with the accusative alef, and with possessive pronoun suffixes
    (زيارة → زيارته، لقاء → لقائه، لقاؤه)."""
    forms = with_article([noun])
    if not noun.endswith(("ة", "ات", "ا", "ى")):
        forms.append(noun + "ا")
    for suffix in PRONOUN_SUFFIXES:
        if noun.endswith("ة"):
            forms.append(noun[:-1] + "ت" + suffix)
        elif noun.endswith("اء"):
            forms.extend((noun[:-1] + "ئ" + suffix, noun[:-1] + "ؤ" + suffix, noun + suffix))
        else:
            forms.append(noun + suffix)
    return forms


def verb_forms(past: str, present: str | None = None) -> list[str]:
    """A verb's third-person forms from its past and present stems (3rd masculine singular): past
    singular, feminine, plural and dual; present masculine and feminine, plural; future with س."""
    if past.endswith(("ى", "ا")):
        stem = past[:-1]
        forms = [past, stem + "ت", stem + "وا", stem + "يا", stem + "تا"]
    else:
        forms = [past, past + "ت", past + "وا", past + "ا", past + "تا"]
    if present:
        feminine = "ت" + present[1:]
        plural = (present[:-1] if present.endswith(("ي", "و")) else present) + "ون"
        for form in (present, feminine, plural, present + "ان", feminine + "ان"):
            forms.extend((form, "س" + form))
    return forms


def participle_forms(participle: str) -> list[str]:
    """An active participle used adverbially (مؤكدا) and as an adjective or noun."""
    return [participle, participle + "ا", participle + "ة", participle + "ين", participle + "ون"]


# --------------------------------------------------------------------------------------------------
# Entities

NATIONALITIES = """
إيراني عراقي سوري لبناني فلسطيني إسرائيلي أردني مصري سعودي يمني عماني قطري كويتي بحريني إماراتي خليجي
ليبي تونسي جزائري مغربي موريتاني سوداني صومالي جيبوتي إريتري إثيوبي كيني نيجيري تشادي مالي سنغالي
تركي روسي أمريكي أميركي بريطاني فرنسي ألماني إيطالي إسباني برتغالي هولندي بلجيكي سويسري نمساوي سويدي
نرويجي دنماركي فنلندي بولندي تشيكي مجري روماني بلغاري صربي كرواتي يوناني قبرصي أوكراني بيلاروسي
جورجي أرميني أذربيجاني أذري كازاخي أوزبكي تركماني طاجيكي قرغيزي أفغاني باكستاني هندي بنغالي سريلانكي
صيني ياباني كوري فيتنامي تايلندي إندونيسي ماليزي فلبيني أسترالي كندي مكسيكي كوبي فنزويلي برازيلي
أرجنتيني تشيلي كولومبي بوليفي إكوادوري بيروفي أوروبي آسيوي أفريقي إفريقي لاتيني عربي
كردي فارسي بلوشي أمازيغي شيعي سني مسيحي يهودي مسلم درزي قبطي صهيوني
""".split()
"""Masculine nisba adjectives of nationality, region, people and religion (NORP)."""

PEOPLES = """
العرب الأكراد الأتراك الروس الفرس الأفغان اليهود المسلمون المسلمين المسيحيون المسيحيين الشيعة
الأمريكان الأميركان الإنجليز الإنكليز البريطانيون الفلسطينيون
""".split()
"""Broken plurals and collective names of peoples (NORP)."""

COUNTRY_ALIASES = """
أمريكا
أميركا
الولايات المتحدة الأمريكية
الولايات المتحدة الأميركية
بريطانيا
إنجلترا
إنكلترا
سورية
السعودية
الإمارات
روسيا الاتحادية
فلسطين
الأراضي المحتلة
كوريا الشمالية
كوريا الجنوبية
""".strip().splitlines()
"""Common short or alternative country names next to CLDR's (GPE)."""

CITIES = """
واشنطن
أنقرة
صنعاء
الرباط
إسلام آباد
نيودلهي
أوتاوا
كانبيرا
برازيليا
بكين
الدوحة
المنامة
أبوظبي
أبو ظبي
رام الله
نابلس
الخليل
جنين
بيت لحم
أريحا
حيفا
يافا
تل أبيب
الناصرة
حلب
حمص
حماة
اللاذقية
طرطوس
إدلب
دير الزور
الرقة
درعا
البصرة
الموصل
أربيل
كركوك
النجف
كربلاء
السليمانية
الفلوجة
الرمادي
صيدا
صور
بعلبك
طرابلس
بنغازي
مصراتة
الإسكندرية
أسوان
الأقصر
جدة
مكة
مكة المكرمة
المدينة المنورة
الدمام
الحديدة
تعز
مأرب
إربد
الزرقاء
مشهد
أصفهان
تبريز
شيراز
قم
الأهواز
كرمان
همدان
أنطاليا
إزمير
سان بطرسبورغ
بطرسبورغ
نيودلهي
مومباي
جنيف
فيينا
نيويورك
لوس أنجلوس
ميونخ
فرانكفورت
ستراسبورغ
بروكسل
""".strip().splitlines()
"""Capitals and large cities that CLDR's time-zone cities lack or spell otherwise (GPE)."""

CITY_EXCLUSIONS = {"ماهي", "سمراء", "سنتر", "ترك", "نوم", "واك", "جوني", "ثيل", "كريسماس", "ترول", "كناري", "سيتا"}
"""CLDR time-zone cities that are also common Arabic words; looked up they would tag those words."""

LOCATIONS = """
الشرق الأوسط
الشرق الأدنى
الخليج
الخليج الفارسي
الخليج العربي
البحر الأحمر
البحر المتوسط
البحر الأبيض المتوسط
البحر الأسود
بحر قزوين
البحر الكاريبي
المحيط الأطلسي
المحيط الهادئ
المحيط الهندي
القوقاز
آسيا الوسطى
شمال أفريقيا
المغرب العربي
بلاد الشام
شبه الجزيرة العربية
نهر النيل
النيل
الفرات
دجلة
الضفة الغربية
قطاع غزة
سيناء
الجولان
مضيق هرمز
باب المندب
قناة السويس
""".strip().splitlines()
"""Regions, seas, rivers and straits often named in Arabic news (LOC)."""

ORGANISATIONS = """
الأمم المتحدة
مجلس الأمن
مجلس الأمن الدولي
الجمعية العامة
حلف شمال الأطلسي
حلف الناتو
الناتو
جامعة الدول العربية
الجامعة العربية
منظمة التعاون الإسلامي
مجلس التعاون الخليجي
مجلس التعاون لدول الخليج العربية
الاتحاد الأفريقي
الاتحاد الإفريقي
صندوق النقد الدولي
البنك الدولي
منظمة الصحة العالمية
الوكالة الدولية للطاقة الذرية
منظمة شنغهاي للتعاون
بريكس
أوبك
الصليب الأحمر
الهلال الأحمر
الكونغرس
الكونغرس الأمريكي
الكنيست
البنتاغون
البيت الأبيض
الكرملين
حزب الله
حماس
حركة حماس
الجهاد الإسلامي
طالبان
داعش
القاعدة
الحرس الثوري
رويترز
فرانس برس
أسوشيتد برس
""".strip().splitlines()
"""Well-known international bodies, institutions, movements and news agencies (ORG)."""

TITLES = """
الرئيس
رئيس
الرئيسة
رئيسة
نائب
النائب
وزير
الوزير
وزيرة
الوزيرة
المتحدث
متحدث
المتحدثة
الناطق
ناطق
الناطقة
المساعد
مساعد
المستشار
مستشار
السفير
سفير
السفيرة
القنصل
الأمين العام
أمين عام
المبعوث
مبعوث
الممثل
ممثل
المندوب
مندوب
الملك
الملكة
الأمير
ولي العهد
السلطان
الشيخ
المرشد
آية الله
حجة الإسلام
الإمام
البابا
المطران
الدكتور
الدكتورة
البروفيسور
العميد
اللواء
العقيد
الجنرال
الفريق
المشير
القائد
قائد
المدير
مدير
المديرة
الزعيم
زعيم
المفوض
المحافظ
محافظ
الحاكم
القاضي
المدعي العام
النائب العام
رئيس الوزراء
رئيسة الوزراء
الصحفي
المراسل
مراسل
المحلل
الخبير
الباحث
الأستاذ
عضو
""".strip().splitlines()
"""Titles and positions (OCC) that introduce a person's name (PERS)."""

HONORIFICS = ["السيد", "السيدة", "الحاج", "الحاجة", "سماحة", "فخامة", "معالي", "سعادة"]
"""Forms of address: they introduce a name (PERS) but are not occupations."""

PORTFOLIOS = """
خارجية داخلية دفاع مالية اقتصاد تجارة صناعة عدل صحة تعليم تربية ثقافة إعلام نفط طاقة زراعة
نقل اتصالات سياحة عمل إسكان شؤون أنباء أركان حرس باسم لشؤون
""".split()
"""Indefinite nouns that continue a title or an institution in a construct (وزير خارجية، وكالة أنباء)."""

ORG_HEADS = """
وزارة حركة منظمة سفارة قنصلية مجلس حكومة حزب جامعة وكالة شركة بنك مصرف صندوق اتحاد جمعية هيئة لجنة
مؤسسة جيش قوات مكتب مركز معهد محكمة برلمان مجمع رابطة نقابة تحالف ائتلاف جبهة كتائب سرايا فيلق جماعة
تنظيم صحيفة قناة إذاعة تلفزيون إدارة أكاديمية بلدية شرطة
""".split()
"""Head nouns of organisation names (ORG), followed by what names the organisation."""

ORG_HEADS_TAKING_A_NAME = {"حركة", "حزب", "شركة", "وكالة", "صحيفة", "قناة", "جماعة", "تنظيم", "جامعة"}
"""Heads that may be followed directly by a proper name (حركة حماس، وكالة تسنيم)."""

GPE_HEADS = "جمهورية مملكة دولة إمارة سلطنة محافظة ولاية مدينة إقليم".split()
LOC_HEADS = "منطقة بحر خليج نهر جبل جبال جزيرة جزر صحراء وادي بحيرة مضيق".split()
FAC_HEADS = "مطار ميناء قاعدة قصر جسر سجن مسجد ملعب معبر مستشفى فندق مبنى برج سد مفاعل محطة".split()

STOPWORDS = """
في من إلى الى على عن مع أن إن أنه أنها إنه إنها أنهم بأن لأن كان كانت يكون تكون قد لقد لم لن لا ما
هذا هذه ذلك تلك هؤلاء هو هي هم هما نحن أنا الذي التي الذين اللذين اللتين اللواتي حيث حول بين خلال
بعد قبل عند منذ حتى كما أو أم ثم بل لكن غير كل بعض أي أمام ضد عبر لدى نحو وفق وفقا حسب إذ إذا لو
عندما بينما أيضا فقط جدا يوم اليوم أمس غدا الآن هنا هناك و ف ب ل ك
""".split()
"""Function words: never part of a name."""


# --------------------------------------------------------------------------------------------------
# Dates, times and numbers

HIJRI_MONTHS = """
محرم
صفر
ربيع الأول
ربيع الآخر
ربيع الثاني
جمادى الأولى
جمادى الآخرة
جمادى الثانية
رجب
شعبان
رمضان
شوال
ذو القعدة
ذي القعدة
ذو الحجة
ذي الحجة
""".strip().splitlines()

IRANIAN_MONTHS = "فروردين أرديبهشت خرداد تير مرداد شهريور مهر آبان آذر دي بهمن اسفند".split()
"""Solar Hijri months, as Arabic news from or about Iran writes them. تير، مهر، دي are left out: they
are common words or names; آذر is also the Levantine name of March."""

RELATIVE_DATES = """
أمس
الأمس
البارحة
اليوم
غدا
الغد
أول أمس
بعد غد
الأسبوع الماضي
الأسبوع المقبل
الأسبوع القادم
الأسبوع الجاري
الشهر الماضي
الشهر المقبل
الشهر القادم
الشهر الجاري
العام الماضي
العام المقبل
العام القادم
العام الجاري
العام الحالي
السنة الماضية
السنة المقبلة
السنة القادمة
""".strip().splitlines()

DATE_LEADS = ["يوم", "عام", "العام", "سنة", "مطلع", "منتصف", "أواخر", "أوائل", "نهاية", "بداية"]
"""Words that open a date phrase when a date follows (يوم الخميس، عام 2020)."""
YEAR_MARKS = ["م", "هـ", "ه", "للميلاد", "ميلادي", "ميلادية", "هجري", "هجرية", "للهجرة", "ش"]
DAY_PARTS = ["صباحا", "صباح", "مساء", "مساءا", "ظهرا", "ظهر", "فجرا", "فجر", "ليلا", "ليل", "عصرا", "ص", "م"]
CLOCK_WORDS = ["الساعة", "ساعة"]
TIME_ZONES = ["بتوقيت", "توقيت"]

PERCENT_WORDS = ["بالمئة", "بالمائة", "في المئة", "في المائة", "%", "٪"]
SCALE_WORDS = ["ألف", "آلاف", "مليون", "ملايين", "مليار", "مليارات", "ترليون", "تريليون"]
CURRENCIES = """
دولار دولارا دولارات يورو ريال ريالات دينار دينارا دنانير ليرة ليرات جنيه جنيها جنيهات درهم دراهم
روبل يوان تومان شيكل فرنك
""".split()
"""Currency nouns as news writes them without the country adjective (CURR)."""

ORDINALS = """
الأول الأولى الثاني الثانية الثالث الثالثة الرابع الرابعة الخامس الخامسة السادس السادسة السابع السابعة
الثامن الثامنة التاسع التاسعة العاشر العاشرة
""".split()

LANGUAGE_LEADS = ["اللغة", "لغة"]

# --------------------------------------------------------------------------------------------------
# Quotes

REPORTING_VERBS = [
    ("قال", "يقول", "قائل"),
    ("أكد", "يؤكد", "مؤكد"),
    ("أشار", "يشير", "مشير"),
    ("دعا", "يدعو", "داعي"),
    ("أعلن", "يعلن", "معلن"),
    ("أوضح", "يوضح", "موضح"),
    ("صرح", "يصرح", "مصرح"),
    ("اعتبر", "يعتبر", "معتبر"),
    ("وصف", "يصف", "واصف"),
    ("أضاف", "يضيف", "مضيف"),
    ("شدد", "يشدد", "مشدد"),
    ("لفت", "يلفت", "لافت"),
    ("تابع", "يتابع", "متابع"),
    ("أفاد", "يفيد", "مفيد"),
    ("ذكر", "يذكر", "ذاكر"),
    ("رأى", "يرى", None),
    ("نفى", "ينفي", "نافي"),
    ("طالب", "يطالب", "مطالب"),
    ("حذر", "يحذر", "محذر"),
    ("كشف", "يكشف", "كاشف"),
    ("أعرب", "يعرب", "معرب"),
    ("زعم", "يزعم", "زاعم"),
    ("اعترف", "يعترف", "معترف"),
    ("أوضح", "يوضح", "موضح"),
    ("نوه", "ينوه", "منوه"),
    ("أردف", "يردف", "مردف"),
    ("استطرد", "يستطرد", "مستطرد"),
]
"""Reporting verbs: (past, present, active participle), third person masculine singular."""

REPORTING_NOUNS = ["تصريح", "تصريحات", "بيان", "قول", "تأكيد", "إعلان"]

COMPLEMENTIZERS = """
أن إن بأن أنه إنه أنها إنها بأنه بأنها أنهم إنهم بأنهم أنهما إنهما أننا إننا
""".split()
"""أن/إن and their forms with a pronoun: they open indirect speech after a reporting word."""

QUOTE_OPENERS = {"«": "»", "“": "”", '"': '"', "„": "“", "‹": "›"}
COLONS = {":", "："}

# --------------------------------------------------------------------------------------------------
# Events (ACE 2005 subtypes)

EVENT_TRIGGERS: dict[str, dict[str, list]] = {
    "Contact:Meet": {
        "verbs": [("التقى", "يلتقي"), ("اجتمع", "يجتمع"), ("استقبل", "يستقبل"), ("بحث", "يبحث"), ("تباحث", "يتباحث")],
        "nouns": ["لقاء", "لقاءات", "اجتماع", "اجتماعات", "مباحثات", "محادثات", "قمة", "استقبال", "مشاورات", "مفاوضات"],
    },
    "Contact:Phone-Write": {
        "verbs": [("اتصل", "يتصل"), ("هاتف", "يهاتف"), ("راسل", "يراسل")],
        "nouns": ["اتصال", "اتصالا هاتفيا", "اتصال هاتفي", "مكالمة", "مكالمة هاتفية", "رسالة", "رسائل", "مراسلات"],
    },
    "Movement:Transport": {
        "verbs": [("زار", "يزور"), ("سافر", "يسافر"), ("وصل", "يصل"), ("توجه", "يتوجه"), ("غادر", "يغادر"), ("عاد", "يعود"), ("انتقل", "ينتقل")],
        "nouns": ["زيارة", "زيارات", "جولة", "رحلة", "سفر", "وصول", "مغادرة", "عودة"],
    },
    "Conflict:Attack": {
        "verbs": [("هاجم", "يهاجم"), ("قصف", "يقصف"), ("اعتدى", "يعتدي"), ("استهدف", "يستهدف"), ("اجتاح", "يجتاح"), ("غزا", "يغزو")],
        "nouns": ["هجوم", "هجمات", "قصف", "اعتداء", "اعتداءات", "غارة", "غارات", "ضربة", "ضربات", "تفجير", "انفجار", "اشتباك", "اشتباكات", "حرب", "عدوان", "غزو", "معارك", "معركة", "استهداف"],
    },
    "Conflict:Demonstrate": {
        "verbs": [("تظاهر", "يتظاهر"), ("احتج", "يحتج"), ("اعتصم", "يعتصم")],
        "nouns": ["مظاهرة", "مظاهرات", "تظاهرة", "تظاهرات", "احتجاج", "احتجاجات", "مسيرة", "مسيرات", "اعتصام"],
    },
    "Life:Die": {
        "verbs": [("قتل", "يقتل"), ("توفي", None), ("استشهد", None), ("اغتال", "يغتال")],
        "nouns": ["مقتل", "وفاة", "استشهاد", "اغتيال", "قتلى", "شهداء", "ضحايا", "موت", "مصرع"],
    },
    "Life:Injure": {
        "verbs": [("أصيب", None), ("جرح", None)],
        "nouns": ["إصابة", "إصابات", "جرحى", "مصابين", "جريح"],
    },
    "Life:Be-Born": {"verbs": [], "nouns": ["ولادة", "مولد"]},
    "Life:Marry": {"verbs": [("تزوج", "يتزوج")], "nouns": ["زواج", "زفاف"]},
    "Life:Divorce": {"verbs": [("طلق", "يطلق")], "nouns": ["طلاق"]},
    "Transaction:Transfer-Ownership": {
        "verbs": [("اشترى", "يشتري"), ("باع", "يبيع"), ("استحوذ", "يستحوذ")],
        "nouns": ["شراء", "بيع", "صفقة", "صفقات", "استحواذ"],
    },
    "Transaction:Transfer-Money": {
        "verbs": [("تبرع", "يتبرع"), ("موّل", "يموّل")],
        "nouns": ["تبرع", "تبرعات", "تمويل", "قرض", "منحة", "مساعدات مالية"],
    },
    "Business:Start-Org": {"verbs": [("أسس", "يؤسس"), ("أنشأ", "ينشئ")], "nouns": ["تأسيس", "إنشاء"]},
    "Business:Merge-Org": {"verbs": [("اندمج", "يندمج")], "nouns": ["اندماج", "دمج"]},
    "Business:Declare-Bankruptcy": {"verbs": [("أفلس", "يفلس")], "nouns": ["إفلاس"]},
    "Business:End-Org": {"verbs": [], "nouns": ["إغلاق"]},
    "Personnel:Start-Position": {"verbs": [("عين", "يعين"), ("تولى", "يتولى"), ("تسلم", "يتسلم")], "nouns": ["تعيين", "تولي", "تسلم"]},
    "Personnel:End-Position": {"verbs": [("استقال", "يستقيل"), ("أقال", "يقيل"), ("تقاعد", "يتقاعد")], "nouns": ["استقالة", "إقالة", "تقاعد"]},
    "Personnel:Nominate": {"verbs": [("رشح", "يرشح")], "nouns": ["ترشيح", "ترشح"]},
    "Personnel:Elect": {"verbs": [("انتخب", "ينتخب")], "nouns": ["انتخاب", "انتخابات", "انتخابية"]},
    "Justice:Arrest-Jail": {
        "verbs": [("اعتقل", "يعتقل"), ("احتجز", "يحتجز"), ("سجن", "يسجن"), ("أوقف", "يوقف")],
        "nouns": ["اعتقال", "اعتقالات", "احتجاز", "سجن", "توقيف"],
    },
    "Justice:Release-Parole": {"verbs": [("أفرج", "يفرج")], "nouns": ["إفراج", "إطلاق سراح"]},
    "Justice:Trial-Hearing": {"verbs": [("حاكم", "يحاكم")], "nouns": ["محاكمة", "محاكمات", "جلسة استماع"]},
    "Justice:Charge-Indict": {"verbs": [("اتهم", "يتهم")], "nouns": ["اتهام", "اتهامات", "لائحة اتهام"]},
    "Justice:Sue": {"verbs": [("قاضى", "يقاضي")], "nouns": ["دعوى", "دعوى قضائية"]},
    "Justice:Convict": {"verbs": [], "nouns": ["إدانة"]},
    "Justice:Sentence": {"verbs": [], "nouns": ["حكم بالسجن", "الحكم بالسجن"]},
    "Justice:Fine": {"verbs": [("غرم", "يغرم")], "nouns": ["غرامة", "غرامات"]},
    "Justice:Execute": {"verbs": [("أعدم", "يعدم")], "nouns": ["إعدام"]},
    "Justice:Extradite": {"verbs": [], "nouns": ["ترحيل", "تسليم المطلوبين"]},
    "Justice:Acquit": {"verbs": [("برأ", "يبرئ")], "nouns": ["تبرئة"]},
    "Justice:Appeal": {"verbs": [("استأنف", "يستأنف")], "nouns": ["استئناف"]},
    "Justice:Pardon": {"verbs": [("عفا", "يعفو")], "nouns": ["عفو"]},
}
"""Trigger words per ACE 2005 subtype: verbs as (past, present) stems, nouns as written (verbal nouns
and their plurals; a phrase is matched as a whole). Verbs are inflected by :func:`verb_forms`, nouns by
:func:`noun_forms`."""


def trigger_forms() -> list[tuple[str, str]]:
    """(surface form, ACE subtype) for every trigger form; the first subtype listed for a form wins."""
    pairs: list[tuple[str, str]] = []
    for subtype, words in EVENT_TRIGGERS.items():
        for past, present in words["verbs"]:
            pairs.extend((form, subtype) for form in verb_forms(past, present))
        for noun in words["nouns"]:
            pairs.extend((form, subtype) for form in noun_forms(noun))
    return pairs


def cue_forms() -> list[tuple[str, str]]:
    """(surface form, "verb" or "noun") for every reporting cue form."""
    pairs: list[tuple[str, str]] = []
    for past, present, participle in REPORTING_VERBS:
        pairs.extend((form, "verb") for form in verb_forms(past, present))
        if participle:
            pairs.extend((form, "verb") for form in participle_forms(participle))
    for noun in REPORTING_NOUNS:
        pairs.extend((form, "noun") for form in noun_forms(noun))
    return pairs
