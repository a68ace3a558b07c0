"""The privacy pages (children, guardians) and the accessibility statement, linked from every
page's footer, in Swedish first (issue 13)."""

import pytest

PAGES = ["/integritet/", "/integritet/vardnadshavare/", "/tillganglighet/"]


@pytest.mark.parametrize("url", PAGES)
def test_every_page_links_to_the_three_pages_in_its_footer(client, db, url):
    footer = client.get("/").content.decode().split('class="site-footer"')[1]
    assert f'href="{url}"' in footer


def test_the_childrens_page_says_in_plain_swedish_what_is_kept(client, db):
    page = client.get("/integritet/").content.decode()
    assert "Det här vet Bibblix om dig" in page
    assert "Din pinkod" in page


def test_the_guardians_page_names_the_rights_and_a_contact(client, db, settings):
    settings.CONTACT_EMAIL = "dataskydd@bibblix.example"
    page = client.get("/integritet/vardnadshavare/").content.decode()
    assert "Integritetsskyddsmyndigheten" in page
    assert 'href="mailto:dataskydd@bibblix.example"' in page


def test_the_accessibility_statement_has_a_way_to_report_problems(client, db, settings):
    settings.CONTACT_EMAIL = "dataskydd@bibblix.example"
    page = client.get("/tillganglighet/").content.decode()
    assert "<h1>Tillgänglighetsredogörelse</h1>" in page
    assert 'href="mailto:dataskydd@bibblix.example?subject=' in page
    assert "digg.se" in page
