from django.urls import path

from . import views

app_name = "forced_labor"
urlpatterns = [
    path("", views.forced_labor_index, name="index"),
    path("queue/", views.review_queue, name="queue"),
    path("partners/<int:partner_id>/", views.partner_documentation, name="partner"),
    path(
        "partners/<int:partner_id>/requirements/<int:requirement_id>/",
        views.submit,
        name="submit",
    ),
    path("partners/<int:partner_id>/risk-assessment/", views.risk_check, name="risk_check"),
    path("submissions/<int:submission_id>/review/", views.review, name="review"),
    path("files/<int:file_id>/", views.file_download, name="file"),
]
