"""The plain-text chrome classifier on hand-built pages (not the seeds)."""

from __future__ import annotations

from sitrep.ingest.boilerplate import clean_text, is_date_stamp

PARA = ("Fighting continued on Tuesday around the provincial capital, where government forces "
        "said they had pushed the insurgents back from the airport road after a night of clashes.")


def test_generic_chrome_lines_are_removed_and_kept_aside() -> None:
    page = "\n\n".join([
        "Share on Facebook", "Taliban push into the city", PARA, "Read also: Kabul braces for a siege",
        "Photo taken near the airport on Monday.", "© Reuters", "Text by: Daily Oxus Follow", "6 min",
        "Advertisement", PARA.replace("Tuesday", "Wednesday"), "Be the first to comment",
    ])
    out = clean_text(page)
    assert "Read also: Kabul braces for a siege" in out.removed
    assert "Photo taken near the airport on Monday." in out.removed  # caption before a credit
    assert {"© Reuters", "Text by: Daily Oxus Follow", "6 min", "Advertisement",
            "Share on Facebook", "Be the first to comment"} <= set(out.removed)
    assert out.text.split("\n\n") == ["Taliban push into the city", PARA, PARA.replace("Tuesday", "Wednesday")]


def test_tail_after_credit_is_chrome_but_body_before_is_kept() -> None:
    body = [PARA] * 6 + ['"No one will stop us"', PARA]
    tail = ["With Reuters", "The week in review", "Our editors invite you to catch up on the news of the week",
            "Download the Daily Oxus app", "  • Afghanistan", "  • Taliban"]
    out = clean_text("\n\n".join(body + tail))
    assert list(out.removed) == tail
    assert '"No one will stop us"' in out.text  # a quoted subheading is content


def test_link_list_under_a_header_and_lone_page_stamp() -> None:
    page = "\n\n".join(["August 19, 2021", "Kabul airport chaos", PARA, PARA, PARA, PARA,
                        "On the same subject", "Herat: the long siege of the western city",
                        "Who are the Taliban commanders now in charge"])
    out = clean_text(page)
    assert out.removed == ("August 19, 2021", "On the same subject",
                           "Herat: the long siege of the western city",
                           "Who are the Taliban commanders now in charge")
    assert out.kinds[0] == "date_stamp"


def test_told_agency_and_short_subheads_are_not_chrome() -> None:
    page = "\n\n".join(["Strategic gains", PARA, '"We will fight," a commander told AFP.', "The retreat", PARA])
    out = clean_text(page)
    assert out.removed == ()


def test_split_quote_is_rejoined() -> None:
    page = 'The spokesman said " \n\nnew commandos arrived last night\n\n ."\n\nAnother sentence here.'
    out = clean_text(page)
    assert out.text == 'The spokesman said "new commandos arrived last night."\n\nAnother sentence here.'


def test_is_date_stamp() -> None:
    assert is_date_stamp("July 26, 2021") and is_date_stamp("26 July 2021 at 10:45")
    assert not is_date_stamp("On July 26, 2021 the city fell.")
