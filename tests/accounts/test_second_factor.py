"""The second factor: who must pass it, setting it up, codes, recovery codes, resets.

These tests ask for `real_second_factor`, so `client.force_login` signs in without passing
the second step (tests/conftest.py), or they sign in through the real forms.
"""

import base64
import re
import time

import pyotp
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.choices import AuditEventType
from accounts.models import AuditEvent
from partners.models import Partner
from tests.factories import PASSWORD, MembershipFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("real_second_factor")]

SETUP, VERIFY = reverse("mfa_setup"), reverse("mfa_verify")


def app_for(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)


def code_of(device: TOTPDevice, steps_ahead: int = 0) -> str:
    secret = base64.b32encode(device.bin_key).decode()
    totp = pyotp.TOTP(secret)
    return totp.at(time.time(), counter_offset=steps_ahead)


def events(kind) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(event=kind))


# --- Who must pass it ---------------------------------------------------------------------


@pytest.mark.parametrize("trait", ["specialist", "supervisor", "administrator"])
@pytest.mark.parametrize(
    "url", [reverse("home"), reverse("partners:list"), reverse("preferences"), "/admin/"]
)
def test_staff_without_an_app_are_sent_to_set_one_up_before_any_page(client, trait, url):
    client.force_login(UserFactory(**{trait: True}))
    response = client.get(url)
    assert response.status_code == 302
    assert response.url == f"{SETUP}?next={url.replace('/', '%2F')}"


def test_staff_with_an_app_are_asked_for_a_code_before_any_page(client):
    user = UserFactory(administrator=True)
    app_for(user)
    client.force_login(user)
    for url in (reverse("home"), "/admin/accounts/user/"):
        assert client.get(url).url.startswith(f"{VERIFY}?next=")


def test_sign_out_health_and_the_second_factor_pages_stay_open(client):
    client.force_login(UserFactory())
    assert client.get(reverse("healthz")).status_code == 200
    assert client.get(SETUP).status_code == 200
    assert client.post(reverse("logout")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_a_partner_user_is_not_asked_unless_the_company_requires_it(client):
    membership = MembershipFactory()
    client.force_login(membership.user)
    assert client.get(reverse("home")).status_code == 200
    Partner.objects.filter(pk=membership.partner_id).update(require_second_factor=True)
    assert client.get(reverse("home")).url.startswith(SETUP)


def test_a_company_requirement_does_not_reach_users_of_other_companies(client):
    MembershipFactory(partner__require_second_factor=True)
    other = MembershipFactory()
    client.force_login(other.user)
    assert client.get(reverse("home")).status_code == 200


def test_a_partner_user_who_set_one_up_is_asked_for_it_at_sign_in(client):
    user = MembershipFactory().user
    device = app_for(user)
    response = client.post(reverse("login"), {"username": user.email, "password": PASSWORD})
    assert response.url == reverse("home")
    assert client.get(reverse("home")).url == f"{VERIFY}?next=%2F"
    response = client.post(VERIFY, {"code": code_of(device), "next": "/"})
    assert response.url == "/"
    assert client.get(reverse("home")).status_code == 200


# --- Setting it up ------------------------------------------------------------------------


def test_the_setup_page_shows_a_qr_code_and_the_key_to_type(client):
    user = UserFactory()
    client.force_login(user)
    html = client.get(SETUP).content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert 'src="data:image/svg+xml;base64,' in html
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    shown = re.search(r'data-testid="totp-secret">([^<]+)<', html).group(1)
    assert shown.replace(" ", "") == secret
    assert 'style="' not in html  # the CSP allows no inline style
    # The same key on a second visit, until it is confirmed.
    assert client.get(SETUP).content.decode().count(shown) == 1
    assert TOTPDevice.objects.filter(user=user).count() == 1


def test_a_wrong_code_at_setup_is_refused_and_changes_nothing(client):
    user = UserFactory()
    client.force_login(user)
    client.get(SETUP)
    response = client.post(SETUP, {"code": "000000"})
    assert response.status_code == 200
    assert "That code is not right" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    assert not StaticToken.objects.filter(device__user=user).exists()
    assert client.get(reverse("home")).url.startswith(SETUP)
    assert [e.actor for e in events(AuditEventType.MFA_FAILED)] == [user]


def test_the_right_code_sets_it_up_and_shows_ten_recovery_codes_once(client):
    user = UserFactory()
    client.force_login(user)
    client.get(f"{SETUP}?next=/partners/")
    device = TOTPDevice.objects.get(user=user)
    response = client.post(SETUP, {"code": code_of(device), "next": "/partners/"})
    assert response.url == f"{reverse('mfa_recovery_codes')}?next=%2Fpartners%2F"
    page = client.get(response.url).content.decode()
    codes = re.findall(r"<li>([a-z2-7]{8})</li>", page)
    assert len(codes) == 10
    assert sorted(codes) == sorted(StaticToken.objects.values_list("token", flat=True))
    assert 'href="/partners/"' in page
    assert not re.findall(r"<li>([a-z2-7]{8})</li>", client.get(response.url).content.decode())
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("partners:list")).status_code == 200
    (enrolled,) = events(AuditEventType.MFA_ENROLLED)
    assert (enrolled.actor, enrolled.object_id) == (user, str(user.pk))


def test_someone_with_an_app_cannot_set_up_another_without_passing_the_first(client):
    user = UserFactory()
    app_for(user)
    client.force_login(user)
    assert client.get(SETUP).url.startswith(VERIFY)


# --- Codes --------------------------------------------------------------------------------


def test_a_wrong_code_refuses_records_and_then_throttles(client):
    user = UserFactory()
    app_for(user)
    client.force_login(user)
    response = client.post(VERIFY, {"code": "000000"})
    assert "That code is not right" in response.content.decode()
    assert client.get(reverse("home")).url.startswith(VERIFY)
    # At once again, even with the right code: django-otp's throttle waits 1, 2, 4... seconds.
    response = client.post(VERIFY, {"code": code_of(TOTPDevice.objects.get(user=user))})
    assert "Too many wrong codes" in response.content.decode()
    assert client.get(reverse("home")).url.startswith(VERIFY)
    assert len(events(AuditEventType.MFA_FAILED)) == 2
    assert not events(AuditEventType.MFA_VERIFIED)


def test_the_right_code_lets_in_to_the_next_page_and_is_recorded(client):
    user = UserFactory()
    device = app_for(user)
    client.force_login(user)
    response = client.post(VERIFY, {"code": code_of(device), "next": "/partners/"})
    assert response.url == "/partners/"
    assert client.get(reverse("partners:list")).status_code == 200
    assert [e.actor for e in events(AuditEventType.MFA_VERIFIED)] == [user]


def test_a_code_is_accepted_once(client):
    user = UserFactory()
    device = app_for(user)
    client.force_login(user)
    code = code_of(device)
    client.post(VERIFY, {"code": code})
    client.logout()
    client.force_login(user)
    response = client.post(VERIFY, {"code": code})
    assert "That code is not right" in response.content.decode()


def test_next_must_be_on_this_site(client):
    user = UserFactory()
    device = app_for(user)
    client.force_login(user)
    response = client.post(VERIFY, {"code": code_of(device), "next": "https://evil.example/"})
    assert response.url == "/"


def test_a_recovery_code_lets_in_once(client):
    user = UserFactory()
    app_for(user)
    client.force_login(user)
    client.post(reverse("mfa_recovery_codes"))  # refused before the second step
    assert not StaticToken.objects.exists()
    from accounts import mfa

    codes = mfa.recovery_codes_renew(user=user)
    response = client.post(VERIFY, {"code": codes[0].upper(), "next": "/"})
    assert response.url == "/"
    assert StaticToken.objects.count() == 9
    (used,) = events(AuditEventType.MFA_RECOVERY_USED)
    assert used.after == {"recovery_codes_left": 9}
    client.logout()
    client.force_login(user)
    assert "That code is not right" in client.post(VERIFY, {"code": codes[0]}).content.decode()


def test_new_recovery_codes_replace_the_old_ones(client):
    user = UserFactory()
    device = app_for(user)
    client.force_login(user)
    client.post(VERIFY, {"code": code_of(device)})
    from accounts import mfa

    old = mfa.recovery_codes_renew(user=user)
    response = client.post(reverse("mfa_recovery_codes"))
    assert response.url == reverse("mfa_recovery_codes")
    new = re.findall(r"<li>([a-z2-7]{8})</li>", client.get(response.url).content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    assert set(StaticToken.objects.values_list("token", flat=True)) == set(new)


def test_preferences_offer_the_second_factor_to_a_partner_user(client):
    client.force_login(MembershipFactory().user)
    html = client.get(reverse("preferences")).content.decode()
    assert f'href="{SETUP}"' in html


def test_a_partner_user_may_turn_an_optional_second_factor_off_but_staff_may_not(client):
    user = MembershipFactory().user
    device = app_for(user)
    client.force_login(user)
    client.post(VERIFY, {"code": code_of(device)})
    assert 'data-action="mfa-remove"' in client.get(reverse("mfa_manage")).content.decode()
    client.post(reverse("mfa_manage"), {"remove": "1"})
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert client.get(reverse("home")).status_code == 200

    staff = UserFactory()
    device = app_for(staff)
    client.force_login(staff)
    client.post(VERIFY, {"code": code_of(device)})
    assert 'data-action="mfa-remove"' not in client.get(reverse("mfa_manage")).content.decode()
    client.post(reverse("mfa_manage"), {"remove": "1"})
    assert TOTPDevice.objects.filter(user=staff).exists()


# --- The company officer's switch ---------------------------------------------------------


def test_the_company_officer_turns_the_requirement_on(client):
    officer = MembershipFactory(officer=True)
    partner = officer.partner
    url = reverse("partners:second_factor", args=[partner.pk])
    client.force_login(officer.user)
    assert client.get(url).status_code == 200
    response = client.post(url, {"required": "on"})
    assert response.url == reverse("partners:detail", args=[partner.pk])
    partner.refresh_from_db()
    assert partner.require_second_factor
    assert partner.history.first().history_change_reason == "Second factor required for every user"
    # The officer too must now set it up before the next page.
    assert client.get(reverse("partners:detail", args=[partner.pk])).url.startswith(SETUP)


@pytest.mark.parametrize("who", ["user", "admin", "consultant"])
def test_other_users_of_the_company_are_refused_the_switch_and_not_offered_it(client, who):
    membership = MembershipFactory(role=who)
    partner = membership.partner
    client.force_login(membership.user)
    page = client.get(reverse("partners:detail", args=[partner.pk])).content.decode()
    assert 'data-action="second-factor-require"' not in page
    url = reverse("partners:second_factor", args=[partner.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"required": "on"}).status_code == 403
    partner.refresh_from_db()
    assert not partner.require_second_factor


def test_staff_are_refused_the_switch(client, settings):
    officer = MembershipFactory(officer=True)
    staff = UserFactory(field_office=officer.partner.field_office)
    app = app_for(staff)
    client.force_login(staff)
    client.post(VERIFY, {"code": code_of(app)})
    assert (
        client.get(reverse("partners:second_factor", args=[officer.partner_id])).status_code == 403
    )


# --- An administrator's reset -------------------------------------------------------------


def test_an_administrator_resets_a_second_factor_with_a_reason(client):
    person = UserFactory()
    app_for(person)
    admin = UserFactory(administrator=True)
    device = app_for(admin)
    client.force_login(admin)
    client.post(VERIFY, {"code": code_of(device)})
    change = reverse("admin:accounts_user_change", args=[person.pk])
    url = reverse("admin:accounts_user_mfa_reset", args=[person.pk])
    assert f'href="{url}"' in client.get(change).content.decode()

    assert client.post(url, {"reason": "  "}).status_code == 200
    assert TOTPDevice.objects.filter(user=person).exists()

    response = client.post(url, {"reason": "Lost phone; identity checked by call-back."})
    assert response.url == change
    assert not TOTPDevice.objects.filter(user=person).exists()
    (reset,) = events(AuditEventType.MFA_RESET)
    assert (reset.actor, reset.object_id) == (admin, str(person.pk))
    assert reset.reason == "Lost phone; identity checked by call-back."

    # The person sets it up again at their next sign-in.
    client.force_login(person)
    assert client.get(reverse("home")).url.startswith(SETUP)


def test_only_administrators_reach_the_reset(client):
    person = UserFactory()
    app_for(person)
    supervisor = UserFactory(supervisor=True)
    device = app_for(supervisor)
    client.force_login(supervisor)
    client.post(VERIFY, {"code": code_of(device)})
    url = reverse("admin:accounts_user_mfa_reset", args=[person.pk])
    response = client.post(url, {"reason": "Because."})
    assert response.status_code == 302 and "/admin/login/" in response.url
    assert TOTPDevice.objects.filter(user=person).exists()


# --- The demo ---------------------------------------------------------------------------


def test_demo_code_prints_the_code_of_a_demo_account_only_with_debug(settings, capsys):
    user = UserFactory(email="casey@example.gov")
    device = app_for(user)
    settings.DEBUG = True
    call_command("demo_code", "casey@example.gov")
    assert capsys.readouterr().out.strip() in {code_of(device), code_of(device, 1)}
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("demo_code", "casey@example.gov")


def test_the_layout_offers_no_sections_until_the_second_step_is_passed(client):
    client.force_login(UserFactory())
    html = client.get(SETUP).content.decode()
    assert 'data-testid="main-nav"' in html
    assert f'href="{reverse("partners:list")}"' not in html
    assert 'data-testid="notifications-link"' not in html
