"""Rule families on examples written for these tests (not the seeds), both languages."""
from __future__ import annotations

import datetime as dt

from pipeline.extraction.actors import find_actors
from pipeline.extraction.dates import find_dates
from pipeline.extraction.events import find_agreements, find_events
from pipeline.extraction.reading import Rejected, decode, detect_language, ingest_bytes
from pipeline.core.params import Params
from pipeline.extraction.segment import main_text, segment
from pipeline.extraction.text import fold, tokens

import pytest


def test_fold_keeps_length_and_removes_accents():
    text = "Đoàn đại biểu Thừa Thiên Huế"
    assert fold(text) == "Doan dai bieu Thua Thien Hue"
    assert len(fold(text)) == len(text)


def test_tokens_split_glued_scraper_words():
    words = [t.text for t in tokens("Minister of Foreign AffairsTran Van Nam met theEuropean Union ofDa Nang")]
    assert words[:6] == ["Minister", "of", "Foreign", "Affairs", "Tran", "Van"]
    assert "European" in words and "Da" in words


@pytest.mark.parametrize("text,ref,start,end,precision", [
    ("from May 3 to 9", dt.date(2024, 6, 1), dt.date(2024, 5, 3), dt.date(2024, 5, 9), "day"),
    ("tu ngay 28/12 den ngay 2/1", dt.date(2024, 12, 1), dt.date(2024, 12, 28), dt.date(2025, 1, 2), "day"),
    ("ngay 5/7", dt.date(2022, 7, 20), dt.date(2022, 7, 5), None, "day"),
    ("in September 2019", None, dt.date(2019, 9, 1), None, "month"),
    ("thang 10/2021", None, dt.date(2021, 10, 1), None, "month"),
    ("in the first 9 months of 2022", None, dt.date(2022, 1, 1), dt.date(2022, 9, 1), "month"),
    ("trong 6 thang dau nam", dt.date(2021, 7, 2), dt.date(2021, 1, 1), dt.date(2021, 6, 1), "month"),
])
def test_dates_are_parsed_day_first_in_vietnamese(text, ref, start, end, precision):
    (expr,) = find_dates(text, reference=ref)
    assert (expr.start, expr.end, expr.precision) == (start, end, precision)


def test_missing_year_without_publication_date_stays_null():
    (expr,) = find_dates("on November 3", reference=None)
    assert expr.start is None and expr.text == "November 3"


def test_december_in_a_january_article_is_last_year():
    (expr,) = find_dates("on December 30", reference=dt.date(2024, 1, 4))
    assert expr.start == dt.date(2023, 12, 30)


def test_decoder_handles_legacy_encodings_and_rejects_binary():
    assert decode("Hội nghị".encode("utf-8-sig"))[0] == "Hội nghị"
    assert decode("Hội nghị".encode("utf-16"))[0] == "Hội nghị"
    with pytest.raises(Rejected) as info:
        decode(b"abc\x00def")
    assert info.value.reason == "binary"


def test_language_detection():
    assert detect_language("Đoàn công tác của tỉnh đã đến thăm và làm việc với chính quyền thành phố.") == "vi"
    assert detect_language("The delegation of the province visited the city and held talks with its leaders.") == "en"
    assert detect_language("Der Bürgermeister besuchte die Stadt und sprach mit den Vertretern.") is None


PAGE = """Home
Log in
Da Nang boosts ties with Busan

Nov 02, 2022 / 10:15

Da Nang (VNA) – Chairman of the Da Nang People's Committee Le Trung Chinh received Mayor of Busan Park Heong-joon on November 1. (Photo: VNA)
The two sides signed a memorandum of understanding on cooperation between Da Nang and Busan./.
Hanoi pledges support for farmers
Trending
Some other story about Hue
"""


def test_segment_removes_page_noise_and_reads_metadata():
    seg = segment(PAGE)
    main = main_text(PAGE, seg.kept)
    assert seg.title == "Da Nang boosts ties with Busan"
    assert seg.published == dt.date(2022, 11, 2) and seg.published_precision == "day"
    assert seg.dateline == "Da Nang" and seg.outlet == "VNA"
    assert "Log in" not in main and "Photo" not in main and "Hue" not in main and "farmers" not in main
    assert "Le Trung Chinh received" in main


def test_actors_events_and_agreements_in_english():
    seg = segment(PAGE)
    main = main_text(PAGE, seg.kept)
    found = find_actors(PAGE, main)
    names = {m.text for m in found.mentions}
    assert {"Da Nang", "Le Trung Chinh", "Busan", "Park Heong-joon"} <= names
    kinds = {a.key: a.kind for a in found.actors.values()}
    assert kinds["vnloc:da-nang"] == "locality"
    assert any(k.startswith("gov:peoples-committee:vnloc:da-nang") for k in kinds)
    events = find_events(PAGE, main, seg.kept, found, seg.published)
    types = {e.event_type for e in events}
    assert {"meeting", "signing"} <= types
    meeting = next(e for e in events if e.event_type == "meeting")
    assert meeting.date.start == dt.date(2022, 11, 1)
    agreements = find_agreements(PAGE, main, seg.kept, found, seg.published)
    assert [(a.agreement_type, a.status) for a in agreements] == [("mou", "signed")]
    assert set(agreements[0].parties) == {"vnloc:da-nang", "loc:kr-busan"}


VI_PAGE = """Lãnh đạo tỉnh Quảng Nam tiếp Đại sứ Nhật Bản

Ngày 12/5, Chủ tịch UBND tỉnh Quảng Nam Lê Văn Dũng đã tiếp Đại sứ Nhật Bản tại Việt Nam Ito Naoki. Hai bên kỷ niệm 50 năm thiết lập quan hệ ngoại giao (1973-2023) giữa Việt Nam và Nhật Bản.
"""


def test_actors_events_and_agreements_in_vietnamese():
    seg = segment(VI_PAGE)
    main = main_text(VI_PAGE, seg.kept)
    found = find_actors(VI_PAGE, main)
    keys = set(found.actors)
    assert {"vnloc:quang-nam", "country:JP", "country:VN"} <= keys
    assert "person:le van dung" in keys
    events = find_events(VI_PAGE, main, seg.kept, found, dt.date(2023, 5, 13))
    assert events and events[0].event_type == "meeting" and events[0].date.start == dt.date(2023, 5, 12)
    agreements = find_agreements(VI_PAGE, main, seg.kept, found, dt.date(2023, 5, 13))
    rel = next(a for a in agreements if a.agreement_type == "diplomatic_relations")
    assert rel.status == "in_force" and rel.date_signed == (dt.date(1973, 1, 1), "year")
    assert set(rel.parties) == {"country:VN", "country:JP"}


def test_ingest_rejects_short_and_foreign_text():
    with pytest.raises(Rejected) as info:
        ingest_bytes(b"   \n\t ", "x.txt", Params())
    assert info.value.reason == "empty"
    with pytest.raises(Rejected) as info:
        ingest_bytes(("Der Bürgermeister besuchte die Stadt. " * 20).encode(), "x.txt", Params())
    assert info.value.reason == "unsupported_language"


def _extract(page: str, published: dt.date | None = None):
    seg = segment(page)
    main = main_text(page, seg.kept)
    found = find_actors(page, main)
    return found, find_events(page, main, seg.kept, found, published or seg.published)


def _event_types(page: str, published: dt.date | None = None) -> list[str]:
    """The sorted types of the events found in `page`."""
    return sorted(e.event_type for e in _extract(page, published)[1])


def test_vietnamese_full_name_wins_over_a_place_spelled_by_its_syllables():
    # "Văn Sơn" is also the Vietnamese form of a Chinese prefecture, "Thanh Hải" of a province
    page = ("Phó Chủ tịch UBND tỉnh Bình Phước Trịnh Văn Sơn và Phó Bí thư Tỉnh ủy Phan Thanh Hải đã tiếp đoàn "
            "doanh nghiệp Hàn Quốc tại tỉnh Bình Phước để trao đổi về hợp tác đầu tư và thương mại giữa hai bên.\n")
    found, _ = _extract(page, dt.date(2024, 3, 1))
    keys = set(found.actors)
    assert {"person:trinh van son", "person:phan thanh hai"} <= keys
    assert not any(found.actors[k].kind == "locality" and found.actors[k].country == "CN" for k in keys)


def test_titles_and_common_words_are_not_person_names():
    page = ("Tiếp ngài Phó Chủ tịch, Đoàn Đại biểu Quốc hội tỉnh và Cung Văn hóa Hữu nghị đã trao đổi với "
            "đoàn doanh nghiệp Nhật Bản về hợp tác văn hóa giữa hai địa phương trong năm tới và các năm sau.\n")
    found, _ = _extract(page, dt.date(2024, 3, 1))
    names = {m.text for m in found.mentions if found.actors[m.key].kind == "person"}
    assert not names & {"Phó Chủ", "Đoàn Đại", "Cung Văn"}


def test_consulate_general_is_one_body_with_its_city():
    page = ("The Binh Dinh delegation, led by Chairman Pham Anh Tuan and Vietnamese Consulate General in Busan "
            "staff, met with the Busan Metropolitan Government on May 8 to discuss port cooperation.\n")
    found, _ = _extract(page, dt.date(2024, 5, 9))
    assert "Vietnamese Consulate General in Busan" in {m.text for m in found.mentions}


def test_trigger_words_inside_a_body_name_do_not_type_the_event():
    page = ("Le Van Thanh, Secretary of the Hai Phong Party Committee, paid a courtesy call to the chairman of the "
            "Shanghai Committee of the Chinese People's Political Consultative Conference in Shanghai on June 4.\n")
    assert _event_types(page, dt.date(2024, 6, 5)) == ["meeting"]


def test_both_sides_takes_the_parties_and_day_of_the_event_before():
    page = ("Authorities of Nam Dinh province hosted a reception on April 2 for a delegation from Japan's Gunma "
            "prefecture.\nLeaders of both sides signed a memorandum of understanding on cooperation in education.\n")
    found, events = _extract(page, dt.date(2024, 4, 3))
    signing = next(e for e in events if e.event_type == "signing")
    assert {"vnloc:nam-dinh"} <= set(signing.participants)
    assert any(found.actors[k].kind == "locality" and found.actors[k].country == "JP" for k in signing.participants)
    assert signing.date.start == dt.date(2024, 4, 2)


@pytest.mark.parametrize("sentence,expected", [
    ("Ninh Binh and Laos' Bolikhamxay province signed an MoU on tourism cooperation on March 3.", ["signing"]),
    ("Tran Van Binh recalled the cooperation agreements signed between Ninh Binh and Bolikhamxay.", []),
    ("Ninh Binh and Bolikhamxay expanded cooperation in areas such as trade, visits and education.", []),
])
def test_signing_needs_what_is_signed_and_lists_of_areas_are_not_events(sentence, expected):
    assert _event_types(sentence + "\n", dt.date(2024, 3, 4)) == expected


def test_two_named_events_of_one_clause_stay_two_events():
    page = ("Officials of many localities returned home to attend the 12th Regional Trade Conference and the "
            "5th Southeast Asia Culture Festival organised by Vietnam in 2024.\n")
    _, events = _extract(page, dt.date(2024, 8, 1))
    assert sorted(e.name for e in events) == ["12th Regional Trade Conference", "5th Southeast Asia Culture Festival"]


def test_talks_and_signing_are_two_events_of_one_day():
    page = ("Nguyen Van Long, Secretary of the Thai Binh Party Committee, and the Governor of Japan's Aichi "
            "prefecture held talks and signed a cooperation agreement in Thai Binh on September 9.\n")
    _, events = _extract(page, dt.date(2024, 9, 10))
    assert sorted(e.event_type for e in events) == ["meeting", "signing"]
    assert {e.date.start for e in events} == {dt.date(2024, 9, 9)}


def test_one_host_receiving_guests_of_two_countries_holds_two_meetings():
    page = ("Chairman of the Can Tho People's Committee Tran Viet Truong on May 6 received Ambassador of France "
            "to Vietnam Olivier Brochet.\nThe same day, the Can Tho leader also hosted a reception for the "
            "Ambassador of India to Vietnam.\n")
    assert _event_types(page, dt.date(2024, 5, 7)) == ["meeting", "meeting"]


def test_agreement_mentions_of_one_document_merge_and_both_sides_find_their_parties():
    page = ("Authorities of Bac Ninh province hosted a delegation from Japan's Osaka prefecture on July 1.\n"
            "Leaders of both sides signed a memorandum of understanding on cooperation in industry.\n"
            "The Bac Ninh People's Committee said the MoU opens a new period for the two localities.\n")
    seg = segment(page)
    main = main_text(page, seg.kept)
    found = find_actors(page, main)
    agreements = find_agreements(page, main, seg.kept, found, dt.date(2024, 7, 2))
    assert [a.agreement_type for a in agreements] == ["mou"]
    places = {found.actors[k].kind for k in agreements[0].parties}
    assert "locality" in places and "vnloc:bac-ninh" in agreements[0].parties


def test_vietnamese_triggers_need_their_accents():
    page = ("Chính quyền tỉnh Sóc Trăng tập trung nâng cao phúc lợi xã hội cho người dân và thu hẹp khoảng cách "
            "giữa các vùng trong tỉnh Sóc Trăng trong những năm tới theo kế hoạch của Ủy ban nhân dân tỉnh.\n")
    _, events = _extract(page, dt.date(2024, 3, 1))
    assert events == []
    fair = "Tỉnh Sóc Trăng tổ chức Hội chợ thương mại Việt Nam - Campuchia ngày 5/3 với doanh nghiệp Campuchia.\n"
    assert _event_types(fair, dt.date(2024, 3, 6)) == ["fair"]


def test_same_kind_events_with_overlapping_dates_merge():
    page = ("From May 2 to 9, a delegation of Lam Dong province led by Tran Hong Thai visited South Korea's "
            "Gangwon province.\nGangwon Governor Kim Jin-tae highly appreciated the visit of the Lam Dong "
            "delegation to Gangwon in 2024.\n")
    assert _event_types(page, dt.date(2024, 5, 10)) == ["visit"]


def test_courtesy_visit_is_a_meeting_and_museums_and_partnership_clubs_are_organisations():
    page = ("Binh Duong province's trade delegation paid a courtesy visit to the Governor of Japan's Saitama "
            "prefecture on June 3.\nThe delegation also visited Saitama Railway Museum and met with the "
            "Japan - Vietnam Friendship Partnership Club.\n")
    found, events = _extract(page, dt.date(2024, 6, 4))
    assert events[0].event_type == "meeting"
    orgs = {m.text for m in found.mentions if found.actors[m.key].kind == "organization"}
    assert {"Saitama Railway Museum", "Japan - Vietnam Friendship Partnership Club"} <= orgs


def test_a_name_tail_is_the_person_and_state_forms_belong_to_the_country():
    page = ("Chairman of the Bac Giang People's Committee Nguyen Tuan Anh on May 6 received Ambassador of "
            "Germany to Vietnam Helga Margarete Barth.\nDuring the meeting, Anh highlighted the investment of German "
            "firms in the province.\n")
    found, _ = _extract(page, dt.date(2024, 5, 7))
    assert "country:GB" not in found.actors
    vi = ("Ngày 2/5, Chủ tịch UBND tỉnh Bắc Giang tiếp đoàn khách của Cộng hòa Azerbaijan và Vương quốc Thái Lan "
          "tại trụ sở UBND tỉnh để bàn về hợp tác thương mại giữa hai bên.\n")
    found, _ = _extract(vi, dt.date(2024, 5, 3))
    texts = {m.text for m in found.mentions if found.actors[m.key].kind == "country"}
    assert {"Cộng hòa Azerbaijan", "Vương quốc Thái Lan"} <= texts


def test_title_words_before_a_surname_are_not_a_person():
    page = ("The seminar was opened by Deputy Minister of Foreign Affairs To Anh Dung and Deputy Minister of "
            "Foreign AffairsLe Thi Thu Hang in Hanoi on March 3 with ambassadors of ASEAN countries.\n")
    found, _ = _extract(page, dt.date(2024, 3, 4))
    people = {m.text for m in found.mentions if found.actors[m.key].kind == "person"}
    assert people == {"To Anh Dung", "Le Thi Thu Hang"}


def test_a_currency_sign_after_a_country_code_is_money_not_the_country():
    page = ("Japanese firms have 120 projects in Hung Yen province with a total capital of US$2.1 billion, "
            "Chairman Tran Quoc Van told the Japanese delegation on May 6.\n")
    found, _ = _extract(page, dt.date(2024, 5, 7))
    assert "country:US" not in found.actors and "country:JP" in found.actors


def test_a_trip_named_inside_another_happening_is_an_event_of_its_own():
    page = ("Can Tho and Cambodia's Kampot province signed a memorandum of understanding on tourism, inked by "
            "Chairman Tran Viet Truong and Governor Mao Thonin during the latter's visit to the Mekong delta "
            "city on May 6.\n")
    assert _event_types(page, dt.date(2024, 5, 7)) == ["signing", "visit"]
    vi = ("Ngày 5/3, Chủ tịch UBND tỉnh Cà Mau tiếp đoàn đại biểu tỉnh Kampot (Campuchia) do ông Mao Thonin "
          "dẫn đầu tới thăm và làm việc tại tỉnh.\n")
    assert _event_types(vi, dt.date(2024, 3, 6)) == ["meeting", "visit"]


def test_signers_named_before_signed_are_the_parties_not_the_sides_of_between():
    page = ("The People's Committee of Tra Vinh province, the Vietnamese Embassy in Spain and the Vietnam Trade "
            "Office in Madrid signed a memorandum of understanding on promoting exports between Spain and Tra "
            "Vinh on June 3.\n")
    (mou,) = _agreements(page, dt.date(2024, 6, 4))
    assert "country:ES" not in mou.parties
    assert sum(k.startswith(("gov:", "org:")) for k in mou.parties) >= 2


def test_the_meeting_spoken_at_is_the_happening_already_reported():
    page = ("Chairman of the Nam Dinh People's Committee Pham Dinh Nghi received Ambassador of Italy to Vietnam "
            "Marco Della Seta on March 2.\nVice Chairman Tran Anh Dung speaks at the meeting.\n")
    _, events = _extract(page, dt.date(2024, 3, 3))
    assert [e.event_type for e in events] == ["meeting"]
    assert "person:tran anh dung" in events[0].participants


@pytest.mark.parametrize("page,expected", [
    ("The Binh Duong delegation visited Seoul National University and met with members of the Korea-Vietnam "
     "Friendship Association on May 9.\n", ["meeting", "visit"]),
    ("Nhân dịp Đoàn đại biểu tỉnh Gyeonggi Hàn Quốc thăm tỉnh Bình Dương và tham dự Lễ hội Văn hóa Hàn Quốc "
     "năm 2024, chiều 9/5, hai tỉnh đã tổ chức hội đàm.\n", ["cultural_exchange", "meeting", "visit"]),
])
def test_a_second_happening_joined_by_and_or_an_opening_occasion_is_its_own_event(page, expected):
    _, events = _extract(page, dt.date(2024, 5, 10))
    assert sorted(e.event_type for e in events) == expected
    meeting = next(e for e in events if e.event_type == "meeting")
    assert any(k.startswith("vnloc:binh-duong") for k in meeting.participants)


def test_thanks_for_a_visit_names_the_trip():
    page = ("Governor of Chiang Mai province Nirat Pongsittithavorn welcomed and thanked the Lam Dong "
            "delegation for their visit to Thailand on August 14.\n")
    assert _event_types(page, dt.date(2024, 8, 15)) == ["meeting", "visit"]


def test_the_department_is_the_body_named_before_and_the_delegation_it_sent_travels():
    page = ("A representative of the Da Nang Department of Tourism said the Department organised two "
            "promotion delegations in the first 6 months of 2024, including a tourism promotion delegation in "
            "Cambodian cities; the delegation attended a travel fair in Thailand.\n")
    found, events = _extract(page, dt.date(2024, 7, 15))
    department = next(k for k, a in found.actors.items() if a.kind == "government")
    references = [m for m in found.mentions if m.key == department]
    assert [m.text for m in references] == ["Da Nang Department of Tourism", "Department"]
    assert "Department" not in found.actors[department].surfaces
    assert [e.event_type for e in events] == ["visit", "visit"]
    assert all(department in e.participants for e in events)
    assert {e.date.end for e in events} == {dt.date(2024, 6, 1)}
    assert "country:KH" in events[0].participants and "country:TH" in events[1].participants


@pytest.mark.parametrize("sentence,person", [
    ("The talks were chaired by Chairman of the Bac Giang People's Committee Le Anh Duong and Perth Mayor "
     "Basil Zempilas.", "Basil Zempilas"),
    ("The delegation paid a courtesy call to Governor Ichiro Tanaka of Japan’s Nara prefecture.", "Ichiro Tanaka"),
    ("Secretary of the Hai Phong Party Committee Le Tien Chau and Governor of Japan’s Fukuoka prefecture "
     "Hattori Seitaro held talks.", "Hattori Seitaro"),
])
def test_a_foreign_name_after_a_title_and_its_qualifiers_is_a_person(sentence, person):
    page = sentence + "\n"
    found = find_actors(page, page)
    assert any(m.text == person and found.actors[m.key].kind == "person" for m in found.mentions)


def test_a_possessive_ending_is_cut_from_names_but_not_from_peoples_committee():
    words = [t.text for t in tokens("Japan’s Governor met Le Van Hung’s delegation at the People’s Committee")]
    assert words[:2] == ["Japan", "’s"] and "Hung" in words and "People’s" in words
    page = "Tran Van Minh’s official visit to Laos last year strengthened ties.\n"
    found = find_actors(page, page)
    assert "person:tran van minh" in found.actors and "country:LA" in found.actors


@pytest.mark.parametrize("page,guests", [
    ("On May 2, Chairman of the Quang Nam People's Committee Le Van Dung had receptions for delegations from "
     "Japan, India and Laos.\n", ["country:JP", "country:IN", "country:LA"]),
    ("Ngày 2/5, Chủ tịch UBND tỉnh Quảng Nam Lê Văn Dũng có các buổi tiếp đoàn khách đến từ Nhật Bản, "
     "Ấn Độ và Lào.\n", ["country:JP", "country:IN", "country:LA"]),
])
def test_receptions_listed_in_one_clause_are_one_meeting_per_guest_country(page, guests):
    _, events = _extract(page, dt.date(2024, 5, 3))
    assert [e.event_type for e in events] == ["meeting"] * 3
    assert [next(k for k in e.participants if k.startswith("country:")) for e in events] == guests
    assert all("person:le van dung" in e.participants for e in events)


def test_dated_visits_listed_in_one_clause_are_one_visit_each():
    page = ("He recalled the visits of Deputy Prime Minister Tran Hong Ha in March 2023 and Can Tho Party "
            "Secretary Nguyen Van Hieu in June 2024 to Thailand.\n")
    _, events = _extract(page, dt.date(2024, 8, 1))
    assert [(e.event_type, e.date.start) for e in events] == [("visit", dt.date(2023, 3, 1)),
                                                             ("visit", dt.date(2024, 6, 1))]
    assert "person:tran hong ha" in events[0].participants and "person:tran hong ha" not in events[1].participants


def test_a_second_trip_named_by_its_traveller_is_its_own_visit():
    page = ("The delegation's visit to Laos aims to implement the agreements reached during President Vo Van "
            "Thuong’s state visit to Laos last year.\n")
    _, events = _extract(page, dt.date(2024, 8, 1))
    assert [e.event_type for e in events] == ["visit", "visit"]
    assert len({e.start for e in events}) == 2


def test_vietnamese_honorifics_and_accented_words_are_not_names_or_heads():
    page = "Ông Nguyễn Văn Hòa tiếp đại sứ Mông Cổ. Ông Hòa cảm ơn đoàn khách đến từ Mông Cổ.\n"
    found = find_actors(page, page)
    assert [m.key for m in found.mentions] == ["person:nguyen van hoa", "country:MN", "person:nguyen van hoa",
                                               "country:MN"]


def test_a_place_named_with_its_level_word_opens_its_body_and_titled_names_repeat():
    page = ("Chairman of the Can Tho City People's Committee Tran Viet Truong received Vice Governor of Okayama "
            "Sato Kenji. Sato Kenji thanked Bà Anna Keller - Thị trưởng Lyon.\n")
    found = find_actors(page, page)
    texts = {m.text: m.key for m in found.mentions}
    assert texts["Can Tho City People's Committee"] == "gov:peoples-committee:vnloc:can-tho"
    assert [m.text for m in found.mentions if m.key == "person:sato kenji"] == ["Sato Kenji", "Sato Kenji"]
    assert "person:anna keller" in found.actors and "Can Tho" not in {a.key for a in found.actors.values()}


@pytest.mark.parametrize("page,title,published", [
    (" date 2022-06-14 Binh Dinh, Korea's Ulsan ink deal to boost ties\nBinh Dinh province and Ulsan city signed "
     "a memorandum of understanding on cooperation on June 13 at a ceremony held in Quy Nhon city.\n",
     "Binh Dinh, Korea's Ulsan ink deal to boost ties", dt.date(2022, 6, 14)),
    ("Lãnh đạo tỉnh Nghệ An tiếp Đại sứ Lào (09:30 12/05/2023)\n\nSáng 12-5, Chủ tịch UBND tỉnh Nghệ An đã tiếp "
     "Đại sứ Lào tại Việt Nam và trao đổi về hợp tác giữa tỉnh Nghệ An với các tỉnh của Lào.\n",
     "Lãnh đạo tỉnh Nghệ An tiếp Đại sứ Lào", dt.date(2023, 5, 12)),
    (" date 2024-03-02 HANOI, March 2 -\n\nAuthorities of Bac Ninh province hosted a reception on March 1 for a "
     "delegation from Japan's Osaka prefecture to discuss investment in the province's industrial parks.\n",
     None, dt.date(2024, 3, 2)),
])
def test_page_stamps_give_the_publication_date_and_never_the_title(page, title, published):
    seg = segment(page)
    assert (seg.title, seg.published) == (title, published)
    assert "09:30" not in main_text(page, seg.kept)


def test_a_caption_showing_the_signed_document_is_the_signing_already_reported():
    page = ("Binh Dinh province and Ulsan city signed a memorandum of understanding on cooperation on June 13.\n"
            "Chairman of the Binh Dinh People's Committee Pham Anh Tuan shows the signed MoU at the ceremony.\n")
    _, events = _extract(page, dt.date(2022, 6, 14))
    assert [e.event_type for e in events] == ["signing"]
    assert "person:pham anh tuan" in events[0].participants


def test_title_only_bodies_labour_and_a_partys_leader_title():
    page = ("Member of the Party Central Committee and Politburo member Tran Van Son, Da Nang Party Secretary, "
            "visited the Cung Văn hóa Lao động with a delegation from the South Korean National Assembly.\n")
    found = find_actors(page, page)
    assert not {"org:party-central-committee", "org:politburo", "country:LA"} & set(found.actors)
    assert "gov:party-committee:vnloc:da-nang" in found.actors
    assert found.actors["org:national-assembly-of-korea"].country == "KR"
    assert all(r.organization_key in (None, *found.actors) for r in found.roles)


def _agreements(page: str, published: dt.date):
    seg = segment(page)
    main = main_text(page, seg.kept)
    found = find_actors(page, main)
    return find_agreements(page, main, seg.kept, found, published)


def test_a_twinning_needs_two_places_and_a_side_may_be_named_by_its_country():
    assert _agreements("Leaders of Shandong province want to strengthen cooperation with twin cities in many "
                       "fields.\n", dt.date(2023, 10, 5)) == []
    (agreement,) = _agreements("Gyeonggi province and many Vietnamese ministries have signed cooperation "
                               "agreements over the years.\n", dt.date(2023, 10, 5))
    assert set(agreement.parties) == {"loc:kr-gyeonggi", "country:VN"}


def test_vietnamese_body_names_run_over_lower_case_syllables_and_stop_at_the_next_body_or_a_name():
    page = ("Đoàn đã thăm Trung tâm Quốc tế Khoa học và Giáo dục liên ngành tại TP Quy Nhơn, làm việc với Đại sứ "
            "quán Việt Nam tại Nhật Bản và Hiệp hội Doanh nghiệp Nhật Bản, gặp Chủ tịch Thương hội xuất nhập khẩu "
            "Trung Quốc Lưu Văn Hải. Ông Lưu Văn Hải thăm Kim Liên và Chu Lai.\n")
    found = find_actors(page, page)
    texts = [m.text for m in found.mentions if found.actors[m.key].kind in ("organization", "government")]
    assert texts == ["Trung tâm Quốc tế Khoa học và Giáo dục liên ngành", "Đại sứ quán Việt Nam tại Nhật Bản",
                     "Hiệp hội Doanh nghiệp Nhật Bản", "Thương hội xuất nhập khẩu Trung Quốc"]
    assert "vnloc:quy-nhon" in found.actors and "person:luu van hai" in found.actors
    assert not {"person:kim lien", "person:chu lai"} & set(found.actors)


def test_a_country_name_is_no_organisation_and_site_menus_are_noise():
    page = ("Home  News  Politics  Economy  Society\n\nKhanh Hoa boosts ties with Russia\n\nThe delegation of "
            "Khanh Hoa province held talks with officials of the Russian Federation in Vladivostok on May 3 to "
            "promote tourism and trade between the two sides.\n")
    seg = segment(page)
    main = main_text(page, seg.kept)
    assert "Politics" not in main and seg.title == "Khanh Hoa boosts ties with Russia"
    found = find_actors(page, main)
    assert found.actors["country:RU"].kind == "country" and all(a.kind != "organization" for a in found.actors.values())


@pytest.mark.parametrize("page", [
    "Chủ tịch UBND tỉnh Phú Yên Trần Hữu Thế đã tiếp Đại sứ Ba Lan tại Việt Nam, nhân chuyến thăm và làm việc tại "
    "tỉnh của Đại sứ ngày 5/6.\n",
    "Chairman of the Phu Yen People's Committee Tran Huu The received the Ambassador of Poland, who is on a working "
    "visit to the province, on June 5.\n",
])
def test_a_visit_named_as_the_occasion_of_a_reception_is_an_event(page):
    assert _event_types(page, dt.date(2024, 6, 6)) == ["meeting", "visit"]


def test_provinces_establishing_friendship_relations_is_a_twinning():
    (agreement,) = _agreements("Phu Yen province and Poland's Opole province established friendship relations "
                               "in 2015.\n", dt.date(2024, 6, 6))
    assert (agreement.agreement_type, agreement.date_signed) == ("sister_city", (dt.date(2015, 1, 1), "year"))


def test_vietnamese_verbs_after_a_named_place_are_happenings_of_their_own():
    page = ("Ngày 12/6, đoàn đại biểu tỉnh Savannakhet (Lào) đã thăm Trường Đại học Huế, làm việc với Hiệp hội "
            "Doanh nghiệp tỉnh Thừa Thiên Huế.\n")
    assert _event_types(page, dt.date(2024, 6, 13)) == ["meeting", "visit"]


@pytest.mark.parametrize("page", [
    "Hai bên thống nhất phấn đấu ký kết Biên bản ghi nhớ về hợp tác nông nghiệp giữa tỉnh Hà Giang và Vân Nam.\n",
    "Ha Giang and Yunnan agreed to study signing a memorandum of understanding on agriculture cooperation.\n",
])
def test_striving_or_agreeing_to_sign_is_no_signing(page):
    _, events = _extract(page, dt.date(2024, 6, 13))
    assert events == []


def test_memoranda_with_companies_and_festival_days():
    page = ("The Hai Duong Industrial Zones Management Board signed memoranda of understanding with Samsung "
            "Electronics and Hyundai Motors on June 3.\nNgày hội Văn hóa Hàn Quốc sẽ diễn ra tại tỉnh Hải Dương "
            "từ ngày 20 đến 22/9.\n")
    found, events = _extract(page, dt.date(2024, 6, 4))
    assert {"org:samsung-electronics", "org:hyundai-motors"} <= set(found.actors)
    assert sorted(e.event_type for e in events) == ["cultural_exchange", "signing"]
    (mou,) = _agreements(page, dt.date(2024, 6, 4))
    assert {"org:samsung-electronics", "org:hyundai-motors"} <= set(mou.parties)


def test_a_headline_names_actors_but_no_agreement():
    page = ("Tay Ninh, Cambodia's Svay Rieng mark 10 years of twinning with trade MoU\n\nTay Ninh province and "
            "Svay Rieng province of Cambodia on May 6 signed a memorandum of understanding on trade.\n")
    assert [a.agreement_type for a in _agreements(page, dt.date(2024, 5, 7))] == ["mou"]


def test_a_name_before_a_level_noun_is_a_place_missing_from_the_reference_data():
    page = ("Governor Juan Perez held talks with leaders of Mayabeque province, Cuba, and of the Central Highlands "
            "province of Gia Lai. The city organized 4 delegations.\n")
    found = find_actors(page, page)
    place = found.actors["loc:mayabeque"]
    assert (place.kind, place.country) == ("locality", "CU")
    assert [a.key for a in found.actors.values() if a.kind == "locality"] == ["loc:mayabeque", "vnloc:gia-lai"]


def test_regions_names_ending_in_a_head_and_partial_names():
    page = ("Flights by Vietnam Airlines and Aeroflot link the Asia-Pacific region. Ambassador Maria Lopez Garcia "
            "met him; Lopez Garcia said the Hiệp hội Doanh nghiệp Đức - châu Á Thái Bình Dương supports the "
            "Công ty Khai thác cảng Hamburg tại Hà Nội and the Chính phủ nhân dân tỉnh Vân Nam.\n")
    found = find_actors(page, page)
    assert "org:vietnam-airlines" in found.actors and not any("aeroflot" in k for k in found.actors)
    assert not {"vnloc:thai-binh", "vnloc:binh-duong"} & set(found.actors)
    assert {m.key for m in found.mentions if "Garcia" in m.text} == {"person:maria lopez garcia"}
    assert "org:cong-ty-khai-thac-cang-hamburg" in found.actors
    assert found.actors["gov:city-government:loc:cn-yunnan"].kind == "government"


def test_a_proposal_governs_its_clause_and_names_the_two_localities_as_parties():
    page = ("Governor Ivan Petrov of Russia's Sakhalin region received a delegation of Quang Ngai province on "
            "June 2.\nHe proposed that the two localities sign an agreement on cooperation in fisheries at the "
            "Eastern Economic Forum next year.\n")
    assert _event_types(page, dt.date(2024, 6, 3)) == ["meeting"]
    (agreement,) = _agreements(page, dt.date(2024, 6, 3))
    assert agreement.status == "proposed" and agreement.parties[0] == "vnloc:quang-ngai"
    assert len(agreement.parties) == 2 and "sakhalin" in agreement.parties[1]


def test_having_a_working_session_after_a_visit_is_a_meeting_of_its_own():
    page = ("On May 9, the Quang Ngai delegation visited Kyushu University and had a working session with the "
            "Vietnamese Consulate General in Fukuoka.\n")
    assert _event_types(page, dt.date(2024, 5, 10)) == ["meeting", "visit"]
