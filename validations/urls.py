from django.urls import path

from . import views

app_name = "validations"
urlpatterns = [
    path("", views.validation_list, name="list"),
    path("plan/<int:partner_id>/", views.validation_plan, name="plan"),
    path("criteria/", views.criteria_list, name="criteria"),
    path("actions/", views.required_actions, name="actions"),
    path("criteria/import/", views.criteria_import, name="criteria_import"),
    path("documents/<int:upload_id>/", views.upload_download, name="upload_download"),
    path(
        "evidence/<int:document_id>/",
        views.action_document_download,
        name="action_document_download",
    ),
    path("<int:validation_id>/", views.validation_detail, name="detail"),
    path("<int:validation_id>/findings/", views.findings_record, name="findings"),
    path("<int:validation_id>/requests/add/", views.request_add, name="request_add"),
    path(
        "<int:validation_id>/requests/<int:request_id>/on-file/",
        views.request_on_file,
        name="request_on_file",
    ),
    path(
        "<int:validation_id>/requests/<int:request_id>/withdraw/",
        views.request_withdraw,
        name="request_withdraw",
    ),
    path(
        "<int:validation_id>/requests/<int:request_id>/upload/",
        views.request_upload,
        name="request_upload",
    ),
    path(
        "<int:validation_id>/actions/<int:action_id>/respond/",
        views.action_respond,
        name="action_respond",
    ),
    path(
        "<int:validation_id>/actions/<int:action_id>/decide/",
        views.action_decide,
        name="action_decide",
    ),
    path("<int:validation_id>/reports/", views.report_status, name="report_status"),
    path("<int:validation_id>/reports/issue/", views.report_reissue, name="report_reissue"),
    path(
        "<int:validation_id>/reports/<int:report_id>/download/",
        views.report_download,
        name="report_download",
    ),
    path(
        "<int:validation_id>/reports/<int:report_id>/retry/",
        views.report_retry,
        name="report_retry",
    ),
    path("<int:validation_id>/<slug:move>/", views.validation_move, name="move"),
]
