from django.urls import path

from . import views

app_name = "profiles"
urlpatterns = [
    path("queue/", views.queue, name="queue"),
    path("partners/<int:partner_id>/", views.partner_profile, name="partner"),
    path("partners/<int:partner_id>/start/", views.start, name="start"),
    path("versions/<int:profile_id>/", views.version, name="version"),
    path("versions/<int:profile_id>/submit/", views.submit, name="submit"),
    path("versions/<int:profile_id>/review/", views.review, name="review"),
    path("versions/<int:profile_id>/decide/", views.decide, name="decide"),
    path("versions/<int:profile_id>/diff/", views.diff, name="diff"),
    path("answers/<int:answer_id>/", views.answer_edit, name="answer"),
    path("answers/<int:answer_id>/review/", views.answer_review, name="answer_review"),
    path("documents/<int:profile_document_id>/", views.document, name="document"),
]
