from django.urls import path

from . import views

app_name = "dashboard"
urlpatterns = [
    path("", views.dashboard_index, name="index"),
    path("status/", views.status, name="status"),
    path("pdf/", views.pdf_request, name="pdf_request"),
    path("pdf/<int:report_id>/", views.pdf_status, name="pdf"),
    path("pdf/<int:report_id>/download/", views.pdf_download, name="pdf_download"),
]
