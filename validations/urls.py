from django.urls import path

from . import views

app_name = "validations"
urlpatterns = [
    path("", views.validation_list, name="list"),
]
