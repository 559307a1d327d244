from django.urls import path

from . import views

app_name = "forced_labor"
urlpatterns = [
    path("", views.forced_labor_index, name="index"),
]
