from django.urls import path

from . import views

app_name = "partners"
urlpatterns = [
    path("", views.partner_list, name="list"),
    path("export.csv", views.partner_export, name="export"),
    path("import/", views.partner_import, name="import"),
    path("new/", views.partner_create, name="create"),
    path("mine/", views.my_company, name="mine"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("<int:partner_id>/", views.partner_detail, name="detail"),
    path("<int:partner_id>/edit/", views.partner_edit, name="edit"),
    path("<int:partner_id>/timeline/", views.partner_timeline, name="timeline"),
    path("<int:partner_id>/identifiers/add/", views.identifier_add, name="identifier_add"),
    path(
        "<int:partner_id>/identifiers/<int:identifier_id>/remove/",
        views.identifier_remove,
        name="identifier_remove",
    ),
    path("<int:partner_id>/sites/add/", views.site_add, name="site_add"),
    path("<int:partner_id>/sites/<int:site_id>/edit/", views.site_edit, name="site_edit"),
    path("<int:partner_id>/users/invite/", views.invitation_create, name="invite"),
    path(
        "<int:partner_id>/invitations/<int:invitation_id>/withdraw/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path(
        "<int:partner_id>/users/<int:membership_id>/remove/",
        views.membership_remove,
        name="membership_remove",
    ),
    # Before enrollment_move, whose <slug:move> would take these paths.
    path(
        "<int:partner_id>/security/apply-again/",
        views.enrollment_reapply,
        name="enrollment_reapply",
    ),
    path(
        "<int:partner_id>/enrollments/<int:enrollment_id>/corrective-action-plan/",
        views.corrective_action_plan_edit,
        name="plan_edit",
    ),
    path(
        "<int:partner_id>/corrective-action-plans/<int:plan_id>/decide/",
        views.corrective_action_plan_decide,
        name="plan_decide",
    ),
    path(
        "<int:partner_id>/corrective-actions/<int:action_id>/evidence/",
        views.corrective_action_evidence_add,
        name="plan_evidence_add",
    ),
    path(
        "corrective-action-evidence/<int:document_id>/download/",
        views.corrective_action_evidence_download,
        name="plan_evidence_download",
    ),
    path(
        "<int:partner_id>/enrollments/<int:enrollment_id>/appeal/",
        views.appeal_file,
        name="appeal_file",
    ),
    path(
        "<int:partner_id>/appeals/<int:appeal_id>/decide/",
        views.appeal_decide,
        name="appeal_decide",
    ),
    path(
        "<int:partner_id>/enrollments/<int:enrollment_id>/<slug:move>/",
        views.enrollment_move,
        name="enrollment_move",
    ),
    path(
        "<int:partner_id>/trade-compliance/apply/",
        views.trade_compliance_apply,
        name="trade_compliance_apply",
    ),
    path(
        "<int:partner_id>/second-factor/",
        views.second_factor_requirement,
        name="second_factor",
    ),
    path("<int:partner_id>/profile-review/", views.profile_review_submit, name="profile_review"),
    path(
        "<int:partner_id>/notification-letter/",
        views.notification_letter_submit,
        name="notification_letter",
    ),
]
