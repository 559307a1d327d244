from django.urls import path

from . import views

app_name = "deadlines"
urlpatterns = [
    path("extensions/", views.extension_list, name="extensions"),
    path("extensions/<int:extension_id>/", views.extension_detail, name="extension"),
    path("partners/<int:partner_id>/extensions/new/", views.extension_new, name="extension_new"),
    path("consequences/", views.consequence_list, name="consequences"),
    path(
        "consequences/<int:consequence_id>/decide/",
        views.consequence_decide,
        name="consequence_decide",
    ),
]
