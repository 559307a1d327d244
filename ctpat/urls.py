from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from accounts import views as account_views
from accounts.forms import SignInForm
from dashboard import views as dashboard_views

from . import views

admin.site.site_header = "CTPAT administration"
admin.site.site_title = "CTPAT administration"
admin.site.index_title = "Catalogues, people and data"

urlpatterns = [
    path("", dashboard_views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    # Pages without the layout's icon link (the admin's) make browsers ask for this.
    path("favicon.ico", views.favicon),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(authentication_form=SignInForm),
        name="login",
    ),
    path("accounts/preferences/", account_views.preferences, name="preferences"),
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
