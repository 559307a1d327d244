from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP, hotp
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = (
        "Print the current second-factor code of a demo account's authenticator app, so the "
        "demo staff accounts can sign in. Refused unless DEBUG is on."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email, **options):
        if not settings.DEBUG:
            raise CommandError("demo_code only runs with DEBUG on: it prints a sign-in code.")
        device = TOTPDevice.objects.filter(
            user__email__iexact=email.strip(), confirmed=True
        ).first()
        if device is None:
            raise CommandError(f"{email} has no authenticator app set up.")
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        # A code is accepted once: after a sign-in in this time step, give the next step's
        # (the device accepts one step ahead).
        step = max(totp.t(), device.last_t + 1)
        code = f"{hotp(device.bin_key, step, digits=device.digits):0{device.digits}d}"
        self.stdout.write(code)
