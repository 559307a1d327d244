from django.urls import path

from . import views

app_name = "benefits"
urlpatterns = [
    path("", views.benefit_list, name="list"),
    path("effectiveness/", views.effectiveness, name="effectiveness"),
    path("partners/<int:partner_id>/", views.partner_benefits, name="partner"),
    path("partners/<int:partner_id>/figures/add/", views.observation_add, name="observation_add"),
    path(
        "partners/<int:partner_id>/agencies/add/",
        views.participation_add,
        name="participation_add",
    ),
    path("figures/import/", views.observation_import, name="observation_import"),
    path("baselines/add/", views.baseline_add, name="baseline_add"),
    path("baselines/import/", views.baseline_import, name="baseline_import"),
    path("proposals/", views.proposal_list, name="proposals"),
    path("proposals/new/", views.proposal_create, name="proposal_create"),
    path("proposals/<int:proposal_id>/", views.proposal_detail, name="proposal"),
    path("proposals/<int:proposal_id>/<slug:move>/", views.proposal_move, name="proposal_move"),
    path("agencies/", views.agency_list, name="agencies"),
    path("reports/", views.report_list, name="reports"),
    path("reports/status/", views.report_status, name="report_status"),
    path(
        "reports/<int:benefits_report_id>/download/",
        views.report_download,
        name="report_download",
    ),
    path("reports/<int:benefits_report_id>/csv/", views.report_csv, name="report_csv"),
    path("reports/<int:benefits_report_id>/retry/", views.report_retry, name="report_retry"),
]
