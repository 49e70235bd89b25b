"""Collapsed-whitespace repair: exact on the sample's paragraphs, harmless on clean text."""

from __future__ import annotations

import pytest

from cleaner import repair_whitespace
from cleaner.document import Document
from cleaner.pipeline import build_stages, run
from conftest import PAGE_003

SAMPLE_003_REPAIRED = [
    "The development of information and communication technology (ICT) in Vietnam is expected to be "
    "an important driving force to make Vietnam a great power. Vietnam is making heavy investment in "
    "information technology (IT), and the Ministry of Information and Communication (MIC) is taking "
    "necessary measures to promote the development of the industry.",
    "Information technology (IT) is increasingly proving its role in helping the world respond to the "
    "Covid-19 pandemic. Thanks to IT infrastructure, the world can still operate, while economic and "
    "social flows are not interrupted. In the pandemic, the Internet has become the most effective "
    "tool for ensuring the connection of people despite social distancing.",
    "During 2020, the Ministry of Information and Communications has further realized and emphasized "
    'the action motto "Make in Vietnam". Vietnam\'s digital technology businesses will be developed in '
    'line with the "Make in Vietnam" strategy, striving to increase expertise in technology, initiatives '
    "in design and production of digital products, as well as in the creation of new services, "
    "solutions, and new business models, while boosting cooperation with foreign technology partners.",
]


def collapsed_lines() -> list[str]:
    lines = PAGE_003.read_text(encoding="utf-8").splitlines()
    return [
        line.strip()
        for line in lines
        if line.startswith(("Thedevelopment", "Informationtechnology", "During2020"))
    ]


@pytest.mark.parametrize("index", range(3))
def test_sample_003_collapsed_paragraphs_come_out_exactly_right(index: int) -> None:
    source = collapsed_lines()[index]
    assert repair_whitespace(source) == SAMPLE_003_REPAIRED[index]


CLEAN = [
    "Hamada Kazuyuki, a Japanese scholar predicted in his famous book “Future Power” that Vietnam "
    "would be among the top 20 powers of the world in terms of economic scale by 2030.",
    "Readers can download the Bluezone app from https://www.bluezone.gov.vn or contact the support "
    "team at support@bluezone.vn for help.",
    "The two previous FPT platforms that were chosen were the FPT.AI and akaChain, while akaBot, "
    "Map4D, VOV-Doctor24, iPhone, YouTube, OpenGov and WeWork keep their spelling.",
    "Vietnam's cloud market is worth VND3.2 trillion (US$133 million), up 35% year-on-year, with "
    "5G trials at 2,600MHz and 64GB phones; see e.g. the OECD PISA report.",
    "Theo ông Nguyễn Mạnh Hùng, chuyển đổi số là ưu tiên hàng đầu của Việt Nam.",
    # Transliterations are written as one word: kilômet is not "ki lô met".
    "Xe chạy thêm mười kilômet nữa thì tới Đà Lạt, nơi khách nghe ra-đi-ô buổi sáng.",
    "Typos such as Wednesday.The in clean text are the author's, and stay.",
]


# Clean text in other Latin-script languages: French, Portuguese and Indonesian words cut into
# English fragments (invest|is|se|urs) read as glue, so such text must be recognised: by its
# function words, or (the last two, one glued-looking word each) by ordinary words that are
# mostly neither English nor Vietnamese.
OTHER_LATIN = [
    "Le gouvernement a considéré que les investisseurs étaient trop prudents.",
    "O governo considerava que a proposta era importante para os agricultores.",
    "Dia bertanya kepadanya tentang rencana perjalanan mereka ke Jakarta.",
    "Pemerintah menyatakan bahwa pembangunan jalan itu akan selesai tahun depan.",
    "Anak-anak bermain bersama teman sekolahnya setiap sore.",  # was sekolah|ny|a
    "Nós compramos frutas frescas na feira local.",  # was comp|ramos
]


@pytest.mark.parametrize("text", CLEAN + OTHER_LATIN)
def test_clean_text_passes_through_unchanged(text: str) -> None:
    assert repair_whitespace(text) == text
    assert repair_whitespace(text, lang="vi") == text


@pytest.mark.parametrize(
    ("collapsed", "expected"),
    [
        (
            "MinisterofInformationandCommunications,NguyenHuyDung,saidthat",
            "Minister of Information and Communications, Nguyen Huy Dung, said that",
        ),
        (
            "theMinistryofInformationandCommunication(MIC)is takingnecessary measuresto promotethe",
            "the Ministry of Information and Communication (MIC) is taking necessary measures to promote the",
        ),
        (
            "Vietnam’scloudcomputingmarketisworthnearlyUS$12billionin2019.",
            "Vietnam’s cloud computing market is worth nearly US$12 billion in 2019.",
        ),
        ("Chươngtrìnhchuyểnđổisốquốcgia", "Chương trình chuyển đổi số quốc gia"),
        (
            "Theministercalledit“Chuyểnđổisốquốcgia”lastyear.",
            "The minister called it “Chuyển đổi số quốc gia” last year.",
        ),
    ],
)
def test_collapsed_text_is_repaired(collapsed: str, expected: str) -> None:
    lang = "vi" if collapsed.startswith("Chương") else "en"
    assert repair_whitespace(collapsed, lang) == expected


@pytest.mark.parametrize(
    ("collapsed", "expected"),
    [
        # Rare syllables the word list lacks (quặt, quẹo) are still syllables, cut where they end.
        ("Ôngcụđiquặtquẹotrênđường", "Ông cụ đi quặt quẹo trên đường"),
        # tai + ác: "taiác" has the letters of a syllable but no Vietnamese rime (aiá).
        ("Đólàmộttaiácbấtngờ", "Đó là một tai ác bất ngờ"),
        # A hyphen between native syllables, or from a word to a name, was a spaced dash.
        ("Quanhệtrong-ngoàinước", "Quan hệ trong - ngoài nước"),
        ("Hộinghịkinhtế-VănhóaHàNội", "Hội nghị kinh tế - Văn hóa Hà Nội"),
    ],
)
def test_collapsed_vietnamese_is_restored_syllable_by_syllable(collapsed: str, expected: str) -> None:
    assert repair_whitespace(collapsed, lang="vi") == expected


def test_vietnamese_loanword_hyphens_stay_tight() -> None:
    assert repair_whitespace("Anhấynghera-đi-ôởnhà", lang="vi") == "Anh ấy nghe ra-đi-ô ở nhà"


@pytest.mark.parametrize(
    ("collapsed", "expected"),
    [
        # Word pairs choose between readings a single-word model cannot tell apart.
        (
            "Therearealotofpeoplewhoareatleastfiftyyearsold.",
            "There are a lot of people who are at least fifty years old.",
        ),
        # Tokens the issue lists as never split, glued inside collapsed sentences.
        (
            "Map4D,aVietnamesedigitalmap,reported12,500activeusersinQ3/2020.",
            "Map4D, a Vietnamese digital map, reported 12,500 active users in Q3/2020.",
        ),
        (
            "Viettel's5Gtrialreacheddownloadspeedsof1.5GbpsonSamsung'sGalaxyS20andApple'siPhone12.",
            "Viettel's 5G trial reached download speeds of 1.5 Gbps on Samsung's Galaxy S20 and Apple's iPhone 12.",
        ),
        (
            "Base.vn'sCEOsaidthecompany'sSaaSrevenuegrewanditsAPIv2.0isdocumented.",
            "Base.vn's CEO said the company's SaaS revenue grew and its API v2.0 is documented.",
        ),
        ("TheappsVOV-Doctor24andFPT.AIhelppatients.", "The apps VOV-Doctor24 and FPT.AI help patients."),
        (
            "Contacttheeditorsateditor@ictvietnam.vnorvisit:www.ictvietnam.vn.",
            "Contact the editors at editor@ictvietnam.vn or visit: www.ictvietnam.vn.",
        ),
        # Punctuation: a quote opened after a full stop, a plural possessive, a word after
        # initials, a typed double dash, a date with a comma, a full stop before an ellipsis.
        ('Hesaidnothing."Wewillwait,"headded.', 'He said nothing. "We will wait," he added.'),
        (
            "Theteams'coachesmetattheU.S.Capitolat4p.m.today.",
            "The teams' coaches met at the U.S. Capitol at 4 p.m. today.",
        ),
        ("BERLIN--Thecompanysaidthatsalesfell.", "BERLIN -- The company said that sales fell."),
        # Tight: an ampersand between short capitals, a colon between numbers, an acronym's
        # plural, a domain's path; fractions are numbers and < > are brackets.
        (
            "TheS&Pindex,AT&TandR&Dspendingrosebefore4:25pm;ICUsandCEOswatch<TheNoksu>.",
            "The S&P index, AT&T and R&D spending rose before 4:25 pm; ICUs and CEOs watch <The Noksu>.",
        ),
        ("Add½cupand1½cupsofsugar.", "Add ½ cup and 1½ cups of sugar."),
        # An unknown name may end before a common five-letter word (would, which).
        (
            "MarcoVillasaidTyvakwouldleveragethatexperience.",
            "Marco Villa said Tyvak would leverage that experience.",
        ),
        # A pronoun capitalised after a lower-case letter starts a brand, not a clause.
        (
            "ThereportsaidthatWeWorkhadreachedanagreementandWeChathadgrown.",
            "The report said that WeWork had reached an agreement and WeChat had grown.",
        ),
        (
            "Thevideo(pic.twitter.com/4p7SXk7JPW)wasposted.",
            "The video (pic.twitter.com/4p7SXk7JPW) was posted.",
        ),
        # A curly apostrophe between letters is a contraction or inside a name; it closes a
        # quote only after a ‘, after a plural or after a dropped g.
        (
            "O’Brientoldthecompany’sstaffthatthe‘best’landerwasready.",
            "O’Brien told the company’s staff that the ‘best’ lander was ready.",
        ),
        (
            "Thecompany’slanderandtheteams’coachplayed“Takin’ItToTheStreets”.",
            "The company’s lander and the teams’ coach played “Takin’ It To The Streets”.",
        ),
        (
            "OnJune25,2019,itpaid1,000,000dollars....Thenitstopped.",
            "On June 25, 2019, it paid 1,000,000 dollars. ... Then it stopped.",
        ),
    ],
)
def test_collapsed_runs_keep_codes_addresses_and_punctuation_right(collapsed: str, expected: str) -> None:
    assert repair_whitespace(collapsed) == expected


@pytest.mark.parametrize(
    ("partly", "expected"),
    [
        # In a paragraph that is clearly collapsed, mixed-case and capitalised glue is cut...
        (
            "Thecompanysaid thatInMay theRock wasplayed inNewYork byJackBuser andMICheld ameeting.",
            "The company said that In May the Rock was played in New York by Jack Buser and MIC held a meeting.",
        ),
        (
            "Thegovernment saidIsraelseized theship andKlobucharand othersreported 50passwords werestolen in2019.",
            "The government said Israel seized the ship and Klobuchar and others reported 50 passwords were stolen in 2019.",
        ),
        (
            "Thereport saidthat thepillars– asthey called them– were built.",
            "The report said that the pillars – as they called them – were built.",
        ),
        # A camel-case word with spaces around it, seen once in a collapsed paragraph, is glue
        # that kept its outer spaces, not page vocabulary.
        (
            "Thereportsaid thatDark WebMonitoring isincluded andthe AmsterdamLightFestival opened.",
            "The report said that Dark Web Monitoring is included and the Amsterdam Light Festival opened.",
        ),
        (
            "The Germanautomaker, whichhas focusedonelectric vehicles, saidsalesrose.",
            "The German automaker, which has focused on electric vehicles, said sales rose.",
        ),
        # ...while brands keep their case and stay whole.
        (
            "Thecompany saidthat WeWork andYouTube usedSoftBank money for aniPhone.",
            "The company said that WeWork and YouTube used SoftBank money for an iPhone.",
        ),
    ],
)
def test_glue_in_a_collapsed_paragraph_is_cut_and_brands_are_kept(partly: str, expected: str) -> None:
    assert repair_whitespace(partly) == expected


@pytest.mark.parametrize("line", [*collapsed_lines(), "abc", "HoChiMinhCityis big", "a.b,c(d)e"])
def test_only_spaces_are_ever_inserted(line: str) -> None:
    out = repair_whitespace(line)
    assert out.replace(" ", "") == line.replace(" ", "")
    assert len(out) >= len(line)


def test_repair_is_idempotent() -> None:
    for line in collapsed_lines():
        once = repair_whitespace(line)
        assert repair_whitespace(once) == once


def test_stage_records_each_repair_and_keeps_offsets() -> None:
    data = PAGE_003.read_bytes()
    doc = run(Document(id="p", source=str(PAGE_003), raw=data), build_stages())
    edits = [e for e in doc.edits if e.stage == "whitespace"]
    assert len(edits) == 3
    for edit in edits:
        assert doc.text[edit.start : edit.end] == edit.before
        assert edit.after.replace(" ", "") == edit.before.replace(" ", "")
    segments = [s for s in doc.segments if s.text.startswith("The development of information")]
    (seg,) = segments
    assert doc.text[seg.start : seg.end].replace(" ", "") == seg.text.replace(" ", "")


def test_runs_split_where_the_run_pattern_splits() -> None:
    """The fast split gives the runs the pattern gives, for every kind of white space."""
    import sys

    from cleaner.stages.whitespace import _RUN, _runs

    spaces = [chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()]
    text = "x".join(spaces) + " Việt\u00a0Nam\u2003is\x1cone\u2028word "
    assert _runs(text) == _RUN.findall(text)
    assert _runs("a\x1cb c") == ["a\x1cb", "c"]  # str.split alone would cut at the control


@pytest.mark.parametrize("text", OTHER_LATIN)
def test_other_latin_languages_are_left_as_they_are_in_a_page(text: str) -> None:
    """In a page, a block in another Latin-script language is not repaired, beside one that is."""
    english = "The ministry said the national programme would reach every province by 2025."
    page = f"{english}\n\nThedevelopmentofinformationtechnologyinVietnamisexpected.\n\n{text}\n"
    doc = run(Document(id="p", source="p.txt", raw=page.encode("utf-8")), build_stages())
    texts = [b.text for b in doc.blocks]
    assert text in texts  # untouched, while the collapsed English beside it is repaired
    assert "The development of information technology in Vietnam is expected." in texts


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Cảmơnbạn rất nhiều vì đã đến dự.", "Cảm ơn bạn rất nhiều vì đã đến dự."),
        ("Người dân rất hàilòng vớikếtquả này.", "Người dân rất hài lòng với kết quả này."),
        ("Tôi đi ôtô đến Hà Nội.", "Tôi đi ôtô đến Hà Nội."),  # no tone mark twice: left alone
    ],
)
def test_two_vietnamese_tones_in_one_short_run_are_two_syllables(text: str, expected: str) -> None:
    """A syllable carries one tone, so a short run with two (ả, ạ) is glue however short."""
    assert repair_whitespace(text, lang="vi") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Chúng tôi cảm ơn vì chúngtôi đã được mời.", "Chúng tôi cảm ơn vì chúng tôi đã được mời."),
        ("Xinchào các bạn, hôm nay trời đẹp.", "Xin chào các bạn, hôm nay trời đẹp."),
        ("Chương trìnhđã thành công tốt đẹp.", "Chương trình đã thành công tốt đẹp."),
        # Left as written: ôtô has no tone mark; names and loan words are no known syllables.
        ("Tôi đi ôtô đến trường.", "Tôi đi ôtô đến trường."),
        ("José Mourinho nói rằng đội bóng đã chơi tốt.", "José Mourinho nói rằng đội bóng đã chơi tốt."),
        ("Quán cà phê café Sài Gòn mở cửa lúc bảy giờ.", "Quán cà phê café Sài Gòn mở cửa lúc bảy giờ."),
    ],
)
def test_known_syllables_written_together_are_glue_however_short(text: str, expected: str) -> None:
    """A run that is no syllable but cuts into known syllables, with a tone mark, lost its spaces."""
    assert repair_whitespace(text, lang="vi") == expected


def test_short_syllable_glue_is_repaired_in_a_page() -> None:
    """The stage finds the block by the same rule and repairs only the glued run."""
    page = "Bộ trưởng cho biết chúngtôi sẽ tiếp tục hỗ trợ người dân.\n\nXin chào các bạn.\n"
    doc = run(Document(id="p", source="p.txt", raw=page.encode("utf-8")), build_stages())
    texts = [b.text for b in doc.blocks]
    assert "Bộ trưởng cho biết chúng tôi sẽ tiếp tục hỗ trợ người dân." in texts
    assert "Xin chào các bạn." in texts


@pytest.mark.parametrize(
    "text",
    [
        "A polícia registrou arrombamento no depósito.",  # was regis trou ar romba men to
        "Die elektronische Patientenakte kommt.",  # was elektron is che
        "Produtos relacionados",  # was relacion a dos
        "O valor total é equivalente a dois salários mínimos.",  # was equivalent e
        "Dia bekerja sebagai pengacara.",  # three plain words, none known: was peng a car a
        "» Especialidade",  # a lower-case i is no English word: was Especial i dade
        # Short words (o, e, a, de, do, com) are English, Vietnamese and Portuguese alike: the
        # share of known words is taken over the longer ones.
        "O evento de tecnologia reuniu especialistas do Brasil e de Portugal.",  # was e specialist as
        "A professora explicou a lição com paciência.",  # was professor a, li ção
    ],
)
def test_foreign_words_read_as_english_fragments_are_no_glue(text: str) -> None:
    """A cut made mostly of fragments no one writes (ar|romba|men|to) is a foreign word."""
    assert repair_whitespace(text) == text


def test_glue_of_less_common_english_words_is_still_repaired() -> None:
    """Rarer words (showroom, sculptural: costs 13.5 to 14.2) are real words: still glue."""
    text = "Theshowroomexhibitsfourgeometricalsculpturalinstallations."
    assert repair_whitespace(text) == "The showroom exhibits four geometrical sculptural installations."


def test_a_cut_is_shared_by_pages_that_agree_on_the_words_inside_the_run() -> None:
    """Cuts are cached by the page words found in the run, not by the whole page vocabulary.

    A run recurring on another page with other names elsewhere is served from the cache; a page
    that lacks a word the run contains must still get its own cut.
    """
    from cleaner.wordseg import Vocabulary, _segment_cached, segment_run

    run = "theZaloPaywalletgrewfastin2024"
    first = Vocabulary({"ZaloPay": 9.0, "Hanoi": 9.0})
    other = Vocabulary({"ZaloPay": 9.0, "Saigon": 9.0})
    without = Vocabulary({"Hanoi": 9.0})
    cut = [p.text for p in segment_run(run, first)]
    assert cut[:3] == ["the", "ZaloPay", "wallet"]
    hits = _segment_cached.cache_info().hits
    assert [p.text for p in segment_run(run, other)] == cut
    assert _segment_cached.cache_info().hits == hits + 1
    assert [p.text for p in segment_run(run, without)][:4] == ["the", "Zalo", "Pay", "wallet"]


@pytest.mark.parametrize(
    "text",
    [
        "Shops now send hyperlocalized offers to their customers.",
        "The lamps are ultrabright and cheap.",
        "The city gave microgrants to young farmers.",
        "New nanocoatings keep the panels clean.",
        "Rural hyperconnectivity is still a goal.",
    ],
)
def test_a_bound_prefix_and_a_known_word_are_one_word(text: str) -> None:
    """hyper, ultra, micro, nano...: never words of their own, so no glue before the word."""
    assert repair_whitespace(text) == text


@pytest.mark.parametrize(
    "text",
    ["Officials warned of overinvestment in new plants.", "Satellite downlinks were cut for an hour."],
)
def test_a_particle_and_a_word_it_seldom_stands_before_are_one_word(text: str) -> None:
    """over|investment, down|links: no pair that goes together, so a compound, not glue."""
    assert repair_whitespace(text) == text


def test_glue_after_a_preposition_that_is_also_a_prefix_is_still_repaired() -> None:
    """under, in, over are words too: only bound prefixes protect the word after them."""
    assert (
        repair_whitespace("Thecompanyisunderpressuretocutcosts.")
        == "The company is under pressure to cut costs."
    )
