from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from accounts import views as account_views
from accounts.limits import limit_posts_per_ip
from dashboard import views as dashboard_views

from . import views

admin.site.site_header = "CTPAT administration"
admin.site.site_title = "CTPAT administration"
admin.site.index_title = "Catalogues, people and data"
# The admin's sign-in form shares the site's per-IP limit (the lockout it shares already).
admin.site.login = limit_posts_per_ip("sign_in", "RATELIMIT_SIGN_IN")(admin.site.login)  # type: ignore[method-assign]

urlpatterns = [
    path("", dashboard_views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    # Pages without the layout's icon link (the admin's) make browsers ask for this.
    path("favicon.ico", views.favicon),
    path("accounts/login/", account_views.sign_in, name="login"),
    path("accounts/preferences/", account_views.preferences, name="preferences"),
    path("accounts/", include("accounts.urls")),
    path(
        "accounts/sign-out-everywhere/",
        account_views.sign_out_everywhere,
        name="sign_out_everywhere",
    ),
    path("accounts/password_change/", account_views.password_change, name="password_change"),
    path("accounts/password_reset/", account_views.password_reset, name="password_reset"),
    path(
        "accounts/reset/<uidb64>/<token>/",
        account_views.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("accounts/second-factor/", account_views.mfa_manage, name="mfa_manage"),
    path("accounts/second-factor/setup/", account_views.mfa_setup, name="mfa_setup"),
    path("accounts/second-factor/verify/", account_views.mfa_verify, name="mfa_verify"),
    path(
        "accounts/second-factor/recovery-codes/",
        account_views.mfa_recovery_codes,
        name="mfa_recovery_codes",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("partners/", include("partners.urls")),
    path("validations/", include("validations.urls")),
    path("forced-labor/", include("forced_labor.urls")),
    path("profiles/", include("profiles.urls")),
    path("benefits/", include("benefits.urls")),
    path("dashboard/", include("dashboard.urls")),
    path("notifications/", include("notifications.urls")),
    path("deadlines/", include("deadlines.urls")),
    # Extension requests and consequences lived under /notifications/ until the deadlines
    # app took them; links in sent emails and notifications still point there.
    *(
        path(
            f"notifications/{old}",
            RedirectView.as_view(
                pattern_name=f"deadlines:{name}", permanent=True, query_string=True
            ),
        )
        for old, name in [
            ("extensions/", "extensions"),
            ("extensions/<int:extension_id>/", "extension"),
            ("partners/<int:partner_id>/extensions/new/", "extension_new"),
            ("consequences/", "consequences"),
        ]
    ),
]
