from django.urls import path

from . import views

app_name = "benefits"
urlpatterns = [
    path("", views.benefit_list, name="list"),
]
