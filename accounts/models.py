import unicodedata

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac

from .choices import CBP_STAFF, FIELD_OFFICE_ROLES, AuditEventType, Role


class FieldOffice(models.Model):
    """A CTPAT field office; CBP staff work, and see partners, within theirs."""

    name = models.CharField(max_length=100, unique=True)
    code = models.SlugField(max_length=20, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def get_by_natural_key(self, username):
        # Exact match on the normalized address, never iexact: PostgreSQL's UPPER() folds
        # letters Python's casefold keeps apart (dotless i to I), so an iexact lookup found
        # the account under spellings the lockout counted separately (issue 14).
        return self.get(email=normalize_email(username))

    def with_address(self, address: str) -> models.QuerySet["User"]:
        """The account an address typed at sign-in names (none or one), found exactly as
        sign-in finds it."""
        return self.filter(email=normalize_email(address))

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        # Admin rights are derived from the role, never stored (Django's commands pass these).
        extra_fields.pop("is_staff", None)
        extra_fields.pop("is_superuser", None)
        user = self.model(email=normalize_email(email), **extra_fields)
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields["role"] = Role.ADMINISTRATOR
        extra_fields.setdefault("full_name", "Administrator")
        return self._create_user(email, password, **extra_fields)


def normalize_email(email: str) -> str:
    """The one spelling an address is stored and looked up in: NFKC, then case-folded.

    NFKC maps compatibility forms to their plain letter (the long s and fullwidth letters
    to s), casefold folds case the way Unicode defines for caseless matching. Letters that
    stay apart after both (the dotless i) are other addresses, and other accounts.
    """
    return unicodedata.normalize("NFKC", email.strip()).casefold().strip()


class User(AbstractBaseUser):
    """A person who signs in: CBP staff or a partner company's user. Email is the login."""

    email = models.EmailField("email address", unique=True)
    full_name = models.CharField(max_length=150)
    role = models.CharField(max_length=20, choices=Role.choices)
    field_office = models.ForeignKey(
        FieldOffice,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        help_text="Required for CBP specialists and supervisors; their work is scoped to it.",
    )
    is_active = models.BooleanField(
        default=True, help_text="Clear instead of deleting, so the record of their work stays."
    )
    date_joined = models.DateTimeField(default=timezone.now)
    reminder_emails = models.BooleanField(
        default=True,
        help_text="Email reminders before deadlines. Overdue notices and decisions always go.",
    )
    # Raised by "Sign out everywhere": it is part of the session hash, so every session
    # signed in before no longer verifies (get_session_auth_hash).
    session_generation = models.PositiveIntegerField(default=0, editable=False)
    # When the notice that the account will be disabled for lack of use was sent; cleared
    # when the person signs in, so the notice goes once per unused spell (accounts.unused).
    unused_notice_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    # When an administrator enabled the account again: counts as use, so the account is
    # not disabled again the next night for the months it was unused before.
    reenabled_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name", "email"]
        constraints = [
            models.CheckConstraint(
                name="staff_in_field_office_has_one",
                condition=~models.Q(role__in=sorted(FIELD_OFFICE_ROLES))
                | models.Q(field_office__isnull=False),
                violation_error_message="CBP specialists and supervisors need a field office.",
            ),
        ]

    def __str__(self):
        return self.full_name or self.email

    def clean(self):
        super().clean()
        self.email = normalize_email(self.email)
        if self.role in FIELD_OFFICE_ROLES and self.field_office_id is None:
            raise ValidationError({"field_office": "CBP specialists and supervisors need one."})

    def get_full_name(self):
        return self.full_name

    def _get_session_auth_hash(self, secret=None):
        # Django's hash of the password, with the session generation mixed in: a new
        # password or "Sign out everywhere" each end every other session. Django checks
        # this hash (and its SECRET_KEY_FALLBACKS variants) on every request.
        key_salt = "accounts.User.get_session_auth_hash"
        return salted_hmac(
            key_salt,
            f"{self.password}:{self.session_generation}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def is_staff(self) -> bool:
        """Only administrators may use the Django admin site."""
        return self.is_active and self.role == Role.ADMINISTRATOR

    # Administrators may do everything in the admin; nobody else may use it. The role is
    # the one mechanism: there are no per-user permissions or groups to consult.
    def has_perm(self, perm, obj=None) -> bool:
        return self.is_staff

    def has_perms(self, perm_list, obj=None) -> bool:
        return self.is_staff

    def has_module_perms(self, app_label) -> bool:
        return self.is_staff

    @property
    def is_cbp_staff(self) -> bool:
        return self.role in CBP_STAFF


class FormSubmission(models.Model):
    """A form that was submitted and acted on, by its one-time token.

    Forms that create something carry a fresh token; the view records it in the same
    transaction as the change, so a double click or a resubmitted page is refused
    instead of creating the thing twice. See accounts.once.
    """

    token = models.UUIDField(unique=True)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    submitted_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.token} by {self.user}"


class AuditEvent(models.Model):
    """One thing that happened, as the audit log keeps it: append-only.

    Who (`actor`, and `actor_label` as they were called then, or the background task),
    when, from where (`ip`, `user_agent`), what (`event`), to what (`object_type`,
    `object_id`, `object_repr`, and the partner it concerns, for searching), the values
    before and after, and why. Rows are written by accounts.audit and never changed or
    deleted: the admin offers neither, and on PostgreSQL a trigger refuses UPDATE and
    DELETE (migration 0005). NIST 800-53 AU-2 and AU-3.

    `partner_id` is a plain number, not a foreign key: the log sits below the partners
    app, and a record must outlive whatever it names.
    """

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(max_length=254, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    event = models.CharField(max_length=40, choices=AuditEventType.choices, db_index=True)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(max_length=200, blank=True)
    partner_id = models.PositiveBigIntegerField(null=True, blank=True, db_index=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["actor", "-at"], name="audit_actor_at"),
            models.Index(fields=["object_type", "object_id"], name="audit_object"),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label or 'system'}: {self.event}"
